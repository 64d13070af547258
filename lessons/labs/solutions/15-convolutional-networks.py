# %% [markdown]
# # Solutions: convolutional networks
#
# One code cell for each answer cell of `../15-convolutional-networks.py`, in order.

# %%
def convolve(image, kernel, stride=1):
    k = kernel.shape[0]
    size = (image.shape[0] - k) // stride + 1
    out = np.zeros((size, size))
    for r in range(size):
        for c in range(size):
            patch = image[r * stride:r * stride + k, c * stride:c * stride + k]
            out[r, c] = np.sum(patch * kernel)
    return out


# %%
predicted = (3 * 3 * 1 + 1) * f1 + (3 * 3 * f1 + 1) * f2 + (2 * 2 * f2 + 1) * 10

# %%
# 5, 6, then 10 and 14: after the pooling, neighbouring units are 2 pixels apart
my_field = 5 + (2 - 1) * 1 + (3 - 1) * 2 + (3 - 1) * 2

# %%
my_bottleneck_params = (1 * 1 * 256 * 64 + 64) + (3 * 3 * 64 * 64 + 64)
