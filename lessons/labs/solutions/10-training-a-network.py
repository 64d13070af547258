# %% [markdown]
# # Solutions: training a network
#
# One code cell for each answer cell of `../10-training-a-network.py`, in order.

# %%
my_means = np.nanmean(X_train, axis=0)

# %%
my_learning_rate = 1.0

# %%
my_first_loss = np.log(4)
