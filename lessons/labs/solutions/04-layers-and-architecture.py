# %% [markdown]
# # Solutions: layers and architecture
#
# One code cell for each answer cell of `../04-layers-and-architecture.py`, in order.

# %%
my_count = 784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10

# %%
my_units, my_activation = 5, "softmax"
