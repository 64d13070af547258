# %% [markdown]
# # Solutions: optimizers
#
# One code cell for each answer cell of `../09-optimizers.py`, in order.

# %%
def my_rmsprop_step(theta, g, s, lr=0.01, rho=0.9, eps=1e-7):
    s = rho * s + (1 - rho) * g**2
    theta = theta - lr * g / (np.sqrt(s) + eps)
    return theta, s


# %%
my_optimizer = Adam(CosineDecay(0.01, decay_steps=45 * EPOCHS))

# %%
my_weight = 2.0 * (1 - 0.01 * 0.1) ** 100

# %%
my_rates = [0.02 * min(1, (t + 1) / 5) for t in range(7)]   # t: steps already taken
