# %% [markdown]
# # Solutions: generalization
#
# One code cell for each answer cell of `../12-generalization.py`, in order.

# %%
my_answer = 300

# %%
def bias_and_variance(curves):
    bias2 = np.mean((curves.mean(axis=0) - truth) ** 2)
    variance = np.mean(curves.var(axis=0))
    return bias2, variance


# %%
my_peak = N_DIGITS   # as many features as training digits
