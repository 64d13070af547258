# %% [markdown]
# # Solutions: gradient descent
#
# One code cell for each answer cell of `../08-gradient-descent.py`, in order.

# %%
my_learning_rate = 0.3

# %%
A = np.hstack([X, np.ones_like(X)]).astype(float)
H = 2 * A.T @ A / len(A)
my_max_rate = 2 / np.linalg.eigvalsh(H).max()

# %%
my_batch_size = int(np.ceil(one_variance / 0.5**2))

# %%
my_change = -0.01 * np.linalg.norm(full)
