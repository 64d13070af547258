# %% [markdown]
# # Solutions: generalization
#
# One code cell for each answer cell of `../12-generalization.py`, in order.

# %%
my_answer = 300

# %%
my_peak = N_DIGITS   # as many features as training digits
