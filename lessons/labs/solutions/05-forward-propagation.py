# %% [markdown]
# # Solutions: forward propagation
#
# One code cell for each answer cell of `../05-forward-propagation.py`, in order.

# %%
my_a1 = np.maximum(X_check @ W1 + b1, 0)

# %%
my_shape = (32, 128)
