# %% [markdown]
# # Solutions: loss functions
#
# One code cell for each answer cell of `../06-loss-functions.py`, in order.

# %%
my_bce = -np.log(0.25)

# %%
my_loss = "sparse_categorical_crossentropy"

# %%
my_J = np.diag(a_demo) - np.outer(a_demo, a_demo)

# %%
target, predicted = np.array([0.5, 0.5]), np.array([0.9, 0.1])
my_kl = np.sum(target * np.log(target / predicted))

# %%
my_smoothed_p = 1 - 0.1 + 0.1 / 10
