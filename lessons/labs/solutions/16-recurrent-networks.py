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


# %%
def truncated_gradient(x, w_x, w_h, k):
    h = [0.0]
    for x_t in x:
        h.append(np.tanh(w_x * x_t + w_h * h[-1]))
    grad, dh = 0.0, 1.0                          # dL/dh_T = 1
    for t in range(len(x), len(x) - k, -1):      # steps T, T-1, ..., T-k+1
        dz = dh * (1 - h[t] ** 2)
        grad += dz * h[t - 1]                    # step t's use of w_h
        dh = dz * w_h                            # one step further back
    return grad


# %%
my_forced_input = [1, 4, 0, 3, 5, 3, 0, 4]
