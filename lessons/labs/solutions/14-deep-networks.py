# %% [markdown]
# # Solutions: deep networks
#
# One code cell for each answer cell of `../14-deep-networks.py`, in order.

# %%
he_std = np.sqrt(2 / fan_in)

# %%
my_lower = "residual"
