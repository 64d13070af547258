# %% [markdown]
# # Solutions: applications and ethics
#
# One code cell for each answer cell of `../19-applications-and-ethics.py`, in order.

# %%
my_group_that_gains = "B"
my_other_group_loses = True

# %%
my_federated_beats = 0.2
