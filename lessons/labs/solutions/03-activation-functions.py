# %% [markdown]
# # Solutions: activation functions
#
# One code cell for each answer cell of `../03-activation-functions.py`, in order.

# %%
def my_tanh_slope(z):
    return 1 - np.tanh(z) ** 2


# %%
def my_swish_slope(z):
    s = 1 / (1 + np.exp(-z))
    return s + z * s * (1 - s)


# %%
my_choices = {
    "is this email spam?": "sigmoid",
    "which of 10 digits is this?": "softmax",
    "tomorrow's temperature in degrees": "linear",
}


# %%
# The mean is a + alpha * c: measure it at alpha = 1 and 2 and solve a + alpha * c = 0.
mean_1, mean_2 = (float(ELU(alpha=a).forward(z_many).mean()) for a in (1.0, 2.0))
my_alpha = 1.0 - mean_1 / (mean_2 - mean_1)
