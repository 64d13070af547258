# %% [markdown]
# # Solutions: recurrent networks
#
# One code cell for each answer cell of `../16-recurrent-networks.py`, in order.

# %%
def make_windows(series, width):
    X = np.stack([series[i:i + width] for i in range(len(series) - width)])[..., None]
    y = series[width:, None]
    return X, y


# %%
ratio = norms[0] / norms[-1]
