# %% [markdown]
# # Solutions: decision boundaries
#
# One code cell for each answer cell of `../11-decision-boundaries.py`, in order.

# %%
my_guess = 0.75

# %%
my_spiral_net = dict(hidden=[64, 64], activation="relu", epochs=200)

# %%
my_h = np.tanh(X_clean @ W1 + b1)
