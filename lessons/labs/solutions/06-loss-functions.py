# %% [markdown]
# # Solutions: loss functions
#
# One code cell for each answer cell of `../06-loss-functions.py`, in order.

# %%
my_bce = -np.log(0.25)

# %%
my_loss = "sparse_categorical_crossentropy"
