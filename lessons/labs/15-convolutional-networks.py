# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Lab: convolutional networks
#
# Runs on the CPU with the project installed: `pip install -e ".[docs]"` from a clone of the
# repository (see its README). Change the numbers marked **try this** and run the cells again;
# the whole lab takes well under a minute.
#
# Five parts: (1) a convolution written as a loop, checked against nnlib's `Conv2D`; (2) filters
# of your own design on a real digit; (3) the digit CNN, with the number of filters and shifted
# training copies as your knobs; (4) receptive fields, measured by backpropagation; (5) 1 × 1
# convolutions and the parameters a bottleneck saves.

# %%
import matplotlib.pyplot as plt
import numpy as np

from nnlib import Conv2D, Dense, Flatten, MaxPooling2D, Sequential, backend, data

X, y = data.load_digits(flatten=False)
image = X[y == 3][0]          # an 8 x 8 digit, values in [0, 1]
image_batch = backend.asarray(image[None, :, :, None])   # a batch of one, one channel

# %% [markdown]
# ## 1. Convolution as a loop
#
# Fill in `convolve`: slide the `kernel` over `image` with stride `stride` and no padding, and at
# each position write the sum of the elementwise products. The output has
# `(n - k) // stride + 1` rows and as many columns.

# %% tags=["answer"]
def convolve(image, kernel, stride=1):
    ...  # return the output array


# %% [markdown]
# **Self-check.** Your loop against `Conv2D` with the same random filter, for strides 1 and 2.

# %%
rng = np.random.default_rng(0)
kernel = rng.normal(size=(3, 3))
if convolve(image, kernel) is None:
    print("Self-check: not answered yet. "
          "Complete convolve above, then run this cell again.")
else:
    ok = True
    for stride in (1, 2):
        layer = Conv2D(1, (3, 3), strides=stride)
        layer.build((8, 8, 1))
        layer.W = backend.asarray(kernel.reshape(3, 3, 1, 1))
        theirs = backend.to_numpy(layer.forward(image_batch))[0, :, :, 0]
        mine = np.asarray(convolve(image, kernel, stride))
        ok = ok and mine.shape == theirs.shape and np.allclose(mine, theirs, atol=1e-5)
        print(f"stride {stride}: yours {mine.shape}, Conv2D {theirs.shape}")
    if ok:
        print("Self-check passed: your convolution matches Conv2D.")
    else:
        print("Self-check failed: compare shapes first, then one output pixel by hand.")

# %% [markdown]
# ## 2. Design a filter
#
# **Try this:** edit `my_filter`. Some ideas: a diagonal edge (`[[2, 1, 0], [1, 0, -1], [0, -1, -2]]`),
# a blur (all ones divided by 9), a "bright dot" detector (8 in the middle, -1 around it).

# %%
my_filter = np.array([[2.0, 1.0, 0.0],
                      [1.0, 0.0, -1.0],
                      [0.0, -1.0, -2.0]])
# nnlib's Conv2D with your filter: the same sums as convolve above.
filter_layer = Conv2D(1, (3, 3))
filter_layer.build((8, 8, 1))
filter_layer.W = backend.asarray(my_filter.reshape(3, 3, 1, 1))
response = backend.to_numpy(filter_layer.forward(image_batch))[0, :, :, 0]
limit = np.abs(response).max()
fig, (left, right) = plt.subplots(1, 2, figsize=(6, 3))
left.imshow(image, cmap="gray_r")
left.set_title("digit")
right.imshow(response, cmap="PuOr", vmin=-limit, vmax=limit)
right.set_title("your filter's feature map")
for ax in (left, right):
    ax.set_xticks([])
    ax.set_yticks([])
plt.show()
r, c = np.unravel_index(response.argmax(), response.shape)
print(f"strongest response {response.max():.2f} at output ({r}, {c})")

# %% [markdown]
# ## 3. The digit CNN: filters and shifts
#
# **Try this:** change `FILTERS` (the filters of the two convolutional layers) and watch parameter
# count and accuracy move; set `SHIFTED_COPIES = True` to add copies of every training digit moved
# one pixel left and right, and watch the accuracy on shifted test digits.

# %%
FILTERS = (8, 16)
SHIFTED_COPIES = False
EPOCHS = 15

X_train, X_test, y_train, y_test = data.load_digits(test=0.2, rng=0, flatten=False)
X_train, X_test = X_train[..., None], X_test[..., None]
if SHIFTED_COPIES:
    shifted = [np.roll(X_train, 1, axis=2), np.roll(X_train, -1, axis=2)]
    X_fit = np.concatenate([X_train] + shifted)
    y_fit = np.concatenate([y_train] * 3)
else:
    X_fit, y_fit = X_train, y_train

cnn = Sequential([
    Conv2D(FILTERS[0], (3, 3), padding="same", activation="relu",
           input_shape=(8, 8, 1)),
    MaxPooling2D(),
    Conv2D(FILTERS[1], (3, 3), padding="same", activation="relu"),
    MaxPooling2D(),
    Flatten(),
    Dense(10, activation="softmax"),
], seed=0)
cnn.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
            metrics=["accuracy"])
history = cnn.fit(X_fit, y_fit, epochs=EPOCHS, batch_size=32, verbose=0)
_, acc = cnn.evaluate(X_test, y_test)
_, acc_shifted = cnn.evaluate(np.roll(X_test, 1, axis=2), y_test)
print(f"{cnn.count_params():,} parameters; test accuracy {acc:.1%}, "
      f"on test digits shifted one pixel {acc_shifted:.1%}")

# %%
plt.plot(history.history["loss"], label="training loss")
plt.plot(history.history["accuracy"], label="training accuracy")
plt.xlabel("epoch")
plt.legend()
plt.show()

# %% [markdown]
# **Self-check.** Predict the parameter count of your network from `FILTERS` alone: each
# convolutional layer has (3 · 3 · channels in + 1) · filters parameters; after two poolings the
# 8 × 8 maps are 2 × 2, so the dense layer has (2 · 2 · filters of the last layer + 1) · 10.

# %%
f1, f2 = FILTERS

# %% tags=["answer"]
predicted = None   # a formula in f1 and f2

# %%
if predicted is None:
    print("Self-check: not answered yet. "
          "Set predicted above, then run this cell again.")
elif predicted == cnn.count_params():
    print(f"Self-check passed: {predicted:,} parameters, as count_params() says.")
else:
    print(f"Self-check failed: you predicted {predicted:,}, "
          f"the model has {cnn.count_params():,}.")

# %% [markdown]
# ## 4. Receptive fields
#
# A unit's receptive field is the patch of the input it can see. Layer by layer, with kernel size
# $k_l$ and stride $s_l$, the field grows by $(k_l - 1)$ times the distance $j$ between
# neighbouring units of the layer below, and the stride multiplies that distance:
# $r_l = r_{l-1} + (k_l - 1)\,j_{l-1}$, $j_l = j_{l-1}\,s_l$, $r_0 = j_0 = 1$. Backpropagation
# measures it: send a gradient of 1 from one unit back to the input, and the pixels that receive
# a non-zero gradient are the ones the unit depends on. (Average pooling and no activation, so
# that no gradient is zero by chance; the input is larger than a digit, so that the border is not
# in the way.) **Try this:** change `STACK`.

# %%
from nnlib import AveragePooling2D

STACK = [Conv2D(4, (3, 3)), Conv2D(4, (3, 3)), AveragePooling2D((2, 2)),
         Conv2D(4, (3, 3))]


def measured_field(layers, size=32):
    """Side of the input patch that one unit near the middle of the last layer's
    output depends on."""
    first = Conv2D(4, (1, 1), input_shape=(size, size, 1))
    stack = Sequential([first] + layers, seed=0)
    inputs = np.random.default_rng(0).uniform(0.5, 1.0, size=(1, size, size, 1))
    out = stack.forward(inputs)
    g = np.zeros_like(out)
    g[0, out.shape[1] // 2, out.shape[2] // 2, :] = 1.0
    seen = np.abs(stack.backward(g)[0, :, :, 0]) > 0
    rows = np.flatnonzero(seen.any(axis=1))
    return int(rows.max() - rows.min() + 1)


field = measured_field(STACK)
print(f"one unit of the last layer sees {field} x {field} input pixels")

# %% [markdown]
# **Self-check.** Without running anything: a 5 × 5 convolution, then a 2 × 2 pooling with
# stride 2, then two 3 × 3 convolutions. How many pixels wide is the receptive field of one
# unit of the last layer?

# %% tags=["answer"]
my_field = None

# %%
field_check = measured_field([Conv2D(4, (5, 5)), AveragePooling2D((2, 2)),
                              Conv2D(4, (3, 3)), Conv2D(4, (3, 3))])
if my_field is None:
    print("Self-check: not answered yet. Set my_field above, then run this cell again.")
elif my_field == field_check:
    print(f"Self-check passed: {field_check} x {field_check} pixels, "
          "as backpropagation measures it.")
else:
    print("Self-check failed: after the stride-2 pooling, "
          "neighbouring units are 2 pixels apart,")
    print("so each 3 x 3 kernel above it adds (3 - 1) x 2 pixels to the field.")

# %% [markdown]
# ## 5. 1 × 1 convolutions
#
# A 1 × 1 convolution sees one pixel at a time, so it cannot see shapes; it mixes channels. At
# every pixel the same dense layer maps the $C_\text{in}$ channel values to $C_\text{out}$ new
# ones, which makes it the cheap way to shrink the channels before an expensive 3 × 3
# convolution (the bottleneck of GoogLeNet and ResNet). **Try this:** change the channel counts.

# %%
C_IN, C_OUT = 16, 4

one_by_one = Sequential([Conv2D(C_OUT, (1, 1), input_shape=(8, 8, C_IN))], seed=0)
per_pixel = Sequential([Dense(C_OUT, input_shape=(C_IN,))])
W_1x1, b_1x1 = one_by_one.get_weights()
per_pixel.set_weights([W_1x1.reshape(C_IN, C_OUT), b_1x1])
maps = np.random.default_rng(1).normal(size=(2, 8, 8, C_IN))
per_pixel_out = per_pixel.forward(maps.reshape(-1, C_IN)).reshape(2, 8, 8, C_OUT)
same = np.allclose(one_by_one.forward(maps), per_pixel_out, atol=1e-5)
print(f"{one_by_one.count_params()} parameters; "
      f"the same as a Dense layer applied at every pixel: {same}")

# %% [markdown]
# **Self-check.** A bottleneck block takes 256 channels down to 64 with a 1 × 1 convolution, then
# applies a 3 × 3 convolution with 64 filters. How many parameters (weights and biases) do the two
# layers have together? Compare with one 3 × 3 convolution from 256 channels straight to 64.

# %% tags=["answer"]
my_bottleneck_params = None

# %%
bottleneck = Sequential([Conv2D(64, (1, 1), input_shape=(8, 8, 256)),
                         Conv2D(64, (3, 3), padding="same")])
direct = Sequential([Conv2D(64, (3, 3), padding="same", input_shape=(8, 8, 256))])
if my_bottleneck_params is None:
    print("Self-check: not answered yet. "
          "Set my_bottleneck_params above, then run this cell again.")
elif my_bottleneck_params == bottleneck.count_params():
    print(f"Self-check passed: {bottleneck.count_params():,} parameters, against "
          f"{direct.count_params():,} for the direct 3 x 3 convolution.")
else:
    print("Self-check failed: a k x k convolution from C_in to C_out channels")
    print("has k * k * C_in * C_out weights and C_out biases; add the two layers.")
