# %% [markdown]
# # Solutions: the neuron
#
# One code cell for each answer cell of `../02-the-neuron.py`, in order.

# %%
my_bias = -0.65

# %%
and_w = [10.0, 10.0]
and_b = -15.0
