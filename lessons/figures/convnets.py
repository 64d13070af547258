"""Figures for lesson 15, "Convolutional networks" (15-convolutional-networks.md).

The digit, the edge filters and the CNN are the ones on the lesson page (same data, same
seeds), so the figures show the very numbers the doctests print. One cached training run
serves every figure of the trained network in both palettes.
"""

from functools import lru_cache

import numpy as np
from sitebuild.figures import figure

from nnlib import Conv2D, Dense, Flatten, MaxPooling2D, Sequential, backend, data

VERTICAL = np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]])  # Sobel: brightness falling left to right
HORIZONTAL = VERTICAL.T                                                     # brightness falling top to bottom


def _digit_map(theme):
    return "gray_r" if theme.name == "light" else "gray"


def _bare(ax):
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)


@lru_cache(maxsize=None)
def _the_three():
    """The lesson's digit: the first 3 of the scikit-learn digits, as an 8x8 image in [0, 1]."""
    X, y = data.load_digits(flatten=False)
    return X[y == 3][0]


def _convolve(image, kernel, padding="valid"):
    conv = Conv2D(1, kernel.shape, padding=padding)
    conv.build(image.shape + (1,))
    conv.W = backend.asarray(kernel.reshape(kernel.shape + (1, 1)))
    return backend.to_numpy(conv.forward(backend.asarray(image[None, :, :, None])))[0, :, :, 0]


def cnn():
    """The lesson's digit CNN, untrained (seed 0)."""
    return Sequential([
        Conv2D(16, (3, 3), padding="same", activation="relu", input_shape=(8, 8, 1), name="conv1"),
        MaxPooling2D(name="pool1"),
        Conv2D(32, (3, 3), padding="same", activation="relu", name="conv2"),
        MaxPooling2D(name="pool2"),
        Flatten(name="flatten"),
        Dense(10, activation="softmax", name="output"),
    ], seed=0)


@lru_cache(maxsize=None)
def _trained():
    X_train, X_test, y_train, y_test = data.load_digits(test=0.2, rng=0, flatten=False)
    model = cnn()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(X_train[..., None], y_train, epochs=20, batch_size=32, verbose=0)
    return model, X_test[..., None], y_test


@figure(
    alt="Four 8 by 8 panels. Left: a handwritten 3 in grey scale. Next: its response to a vertical-edge "
        "filter, strongly positive along the right-hand edges of the strokes and negative along the left-hand "
        "edges. Next: the response to a horizontal-edge filter, bright along the tops and bottoms of the "
        "three bars of the 3. Right: the edge strength combining both, which outlines the digit.",
    caption="One digit through two hand-made 3×3 filters (Sobel kernels), computed by nnlib's Conv2D with "
            "'same' padding. Orange and purple mark the two signs of the response: a filter says not only "
            "where an edge is but which way the brightness changes across it.",
    format="png",
)
def edge_filters(theme):
    import matplotlib.pyplot as plt

    image = _the_three()
    vertical = _convolve(image, VERTICAL, "same")
    horizontal = _convolve(image, HORIZONTAL, "same")
    strength = np.hypot(vertical, horizontal)
    limit = max(np.abs(vertical).max(), np.abs(horizontal).max())
    fig, axes = plt.subplots(1, 4, figsize=(9, 2.7))
    panels = [(image, _digit_map(theme), 0, 1, "the digit"),
              (vertical, theme.diverging, -limit, limit, "vertical-edge filter"),
              (horizontal, theme.diverging, -limit, limit, "horizontal-edge filter"),
              (strength, theme.cmap, 0, strength.max(), "edge strength")]
    for ax, (values, cmap, lo, hi, title) in zip(axes, panels):
        ax.imshow(values, cmap=cmap, vmin=lo, vmax=hi)
        ax.set_title(title, fontsize=10)
        _bare(ax)
    fig.tight_layout(pad=0.4)
    return fig


@figure(
    alt="Three grids side by side. Left: the 6 by 6 feature map of the vertical-edge filter after ReLU, each "
        "cell labelled with its value. Middle: the 3 by 3 result of 2 by 2 max pooling, each cell holding the "
        "largest value of its window, with the window outlined on the left grid in the same colour. Right: "
        "the 3 by 3 result of average pooling, whose values are smaller because zeros are averaged in.",
    caption="Pooling a feature map. Each 2×2 window (outlined) becomes one number: its largest value (max "
            "pooling) or its mean (average pooling). The map shrinks to a quarter, and the strong responses "
            "survive max pooling intact.",
)
def pooling(theme):
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    from nnlib import AveragePooling2D

    feature_map = np.maximum(_convolve(_the_three(), VERTICAL), 0)
    x = backend.asarray(feature_map[None, :, :, None])
    pooled = {"max pooling": backend.to_numpy(MaxPooling2D().forward(x))[0, :, :, 0],
              "average pooling": backend.to_numpy(AveragePooling2D().forward(x))[0, :, :, 0]}
    top = feature_map.max()
    fig, axes = plt.subplots(1, 3, figsize=(9, 3.3), gridspec_kw={"width_ratios": [6, 3, 3]})
    for ax, values, title in [(axes[0], feature_map, "feature map (after ReLU)"),
                              (axes[1], pooled["max pooling"], "max pooling 2×2"),
                              (axes[2], pooled["average pooling"], "average pooling 2×2")]:
        ax.imshow(values, cmap=theme.cmap, vmin=0, vmax=top)
        for (r, c), v in np.ndenumerate(values):
            ax.text(c, r, f"{v:.1f}", ha="center", va="center", fontsize=8,
                    color="white" if v < 0.6 * top else "black")
        ax.set_title(title, fontsize=10)
        _bare(ax)
    for i in range(3):
        for j in range(3):
            color = theme.colors[(i * 3 + j) % len(theme.colors)]
            axes[0].add_patch(Rectangle((2 * j - 0.45, 2 * i - 0.45), 1.9, 1.9, fill=False, edgecolor=color,
                                        linewidth=2))
            for ax in axes[1:]:
                ax.add_patch(Rectangle((j - 0.45, i - 0.45), 0.9, 0.9, fill=False, edgecolor=color, linewidth=2))
    fig.tight_layout(pad=0.4)
    return fig


@figure(
    alt="Sixteen small 3 by 3 grids, the first-layer filters of the trained digit CNN, coloured from purple "
        "for negative weights through white to orange for positive ones. Several look like edge detectors: a "
        "light band next to a dark band, at various orientations; others respond to a bright centre or corner.",
    caption="What the network learned: the 16 filters of its first convolutional layer after 20 epochs on "
            "the digits. Nobody told it to look for edges; oriented light-dark pairs appear because they help "
            "tell the digits apart.",
    format="png",
)
def learned_filters(theme):
    import matplotlib.pyplot as plt

    model, _, _ = _trained()
    W = backend.to_numpy(model.layers[0].W)[:, :, 0, :]   # (3, 3, 16)
    limit = np.abs(W).max()
    fig, axes = plt.subplots(2, 8, figsize=(8, 2.8))
    for f, ax in enumerate(axes.ravel()):
        ax.imshow(W[:, :, f], cmap=theme.diverging, vmin=-limit, vmax=limit)
        ax.set_title(f"filter {f}", fontsize=8)
        _bare(ax)
    fig.tight_layout(pad=0.3)
    return fig


@figure(
    alt="Feature maps of the trained CNN for one test digit. Left: the digit. Top row: eight of the sixteen "
        "8 by 8 feature maps of the first convolutional layer; each is a copy of the digit with different "
        "strokes or edges lit up. Bottom row: eight of the thirty-two 4 by 4 feature maps of the second "
        "layer; they are coarser and no longer look like the digit, each lighting up a few regions.",
    caption="The hierarchy of features for one test digit. The first layer (top row) still looks like the "
            "image: each filter lights up strokes of one orientation. The second layer (bottom row) works on "
            "the pooled first-layer maps and responds to combinations of them over a wider patch of the digit.",
    format="png",
)
def feature_maps(theme):
    import matplotlib.pyplot as plt

    model, X_test, y_test = _trained()
    image = X_test[np.flatnonzero(y_test == 5)[0]][None]
    model.forward(backend.asarray(image))
    first = backend.to_numpy(model.layers[0].a)[0]   # (8, 8, 16)
    second = backend.to_numpy(model.layers[2].a)[0]  # (4, 4, 32)
    show = 8
    fig = plt.figure(figsize=(9, 3.0))
    grid = fig.add_gridspec(2, show + 2, width_ratios=[2.2, 0.3] + [1] * show)
    digit = fig.add_subplot(grid[:, 0])
    digit.imshow(image[0, :, :, 0], cmap=_digit_map(theme), vmin=0, vmax=1)
    digit.set_title("input", fontsize=10)
    _bare(digit)
    strongest_first = np.argsort(first.max(axis=(0, 1)))[::-1][:show]
    strongest_second = np.argsort(second.max(axis=(0, 1)))[::-1][:show]
    for row, (maps, chosen, name) in enumerate([(first, strongest_first, "conv1"),
                                                (second, strongest_second, "conv2")]):
        for k, f in enumerate(chosen):
            ax = fig.add_subplot(grid[row, k + 2])
            ax.imshow(maps[:, :, f], cmap=theme.cmap, vmin=0, vmax=max(maps[:, :, f].max(), 1e-9))
            ax.set_title(f"{name} #{f}", fontsize=8)
            _bare(ax)
    fig.tight_layout(pad=0.3)
    return fig


@figure(
    alt="A horizontal bar chart on a logarithmic scale comparing parameter counts in two settings. On the "
        "8 by 8 digits, a convolutional layer with 16 3 by 3 filters has 160 parameters, a dense layer with the "
        "same number of outputs about four hundred times more. On a 28 by 28 image, 32 filters need 320 "
        "parameters and the matching dense layer about seventeen million, over fifty thousand times more.",
    caption="Parameter sharing in numbers: each convolutional layer against a dense layer with the same input "
            "and the same number of outputs. Counts from nnlib's count_params(), except the largest dense "
            "layer, whose count is (inputs + 1) × outputs without building its 17 million weights.",
)
def parameter_sharing(theme):
    import matplotlib.pyplot as plt

    small_conv = Sequential([Conv2D(16, (3, 3), padding="same", input_shape=(8, 8, 1))]).count_params()
    small_dense = Sequential([Dense(8 * 8 * 16, input_shape=(64,))]).count_params()  # on the flattened image
    big_conv = Sequential([Conv2D(32, (3, 3), input_shape=(28, 28, 1))]).count_params()
    big_dense = (28 * 28 + 1) * (26 * 26 * 32)
    labels = ["8×8 digit: Conv2D(16, 3×3)", "8×8 digit: Dense, same outputs",
              "28×28 image: Conv2D(32, 3×3)", "28×28 image: Dense, same outputs"]
    counts = [small_conv, small_dense, big_conv, big_dense]
    fig, ax = plt.subplots(figsize=(7.5, 2.9))
    bars = ax.barh(labels, counts, color=[theme.colors[0], theme.colors[1]] * 2)
    ax.set_xscale("log")
    ax.set_xlabel("parameters (log scale)")
    for bar, count in zip(bars, counts):
        ax.text(bar.get_width() * 1.3, bar.get_y() + bar.get_height() / 2, f"{count:,}", va="center", fontsize=9)
    ax.set_xlim(50, big_dense * 40)
    ax.invert_yaxis()
    fig.tight_layout()
    return fig


def _u_net_shapes():
    """(name, height, width, channels) at each stage of the lesson's one-level U-Net, from nnlib."""
    rng = np.random.default_rng(0)
    layers = {}
    for name, layer, shape in (("encode", Conv2D(16, (3, 3), padding="same", activation="relu"), (8, 8, 1)),
                               ("pool", MaxPooling2D(), (8, 8, 16)),
                               ("bottom", Conv2D(32, (3, 3), padding="same", activation="relu"), (4, 4, 16)),
                               ("decode", Conv2D(16, (3, 3), padding="same", activation="relu"), (8, 8, 48)),
                               ("per_pixel", Conv2D(1, (1, 1), activation="sigmoid"), (8, 8, 16))):
        layer.build(shape, rng)
        layers[name] = layer
    x = backend.asarray(_the_three()[None, :, :, None])
    skip = layers["encode"].forward(x)
    deep = layers["bottom"].forward(layers["pool"].forward(skip))
    up = deep.repeat(2, axis=1).repeat(2, axis=2)
    merged = backend.xp().concatenate([up, skip], axis=-1)
    decoded = layers["decode"].forward(merged)
    out = layers["per_pixel"].forward(decoded)
    stages = [("input", x), ("encoder", skip), ("pooled + conv", deep), ("upsampled", up),
              ("with skip", merged), ("decoder", decoded), ("per-pixel output", out)]
    return [(name, *a.shape[1:]) for name, a in stages]


@figure(
    alt="A diagram of the one-level U-Net wired on the lesson page, drawn as boxes whose height is the "
        "feature maps' size and whose width grows with the number of channels. From the left: the 8 by 8 "
        "input with one channel; the encoder, 8 by 8 with 16 channels; a step down to the bottom of the U, "
        "4 by 4 with 32 channels; a step back up by upsampling to 8 by 8 with 32 channels; a dashed arrow "
        "from the encoder across the top joins it there, giving 8 by 8 with 48 channels; the decoder, 8 by "
        "8 with 16 channels; and the per-pixel output, 8 by 8 with one channel.",
    caption="The U of U-Net: the encoder goes down (pooling halves the maps), the decoder comes back up "
            "(upsampling doubles them), and the skip connection (dashed) carries the encoder's sharp maps "
            "across to be stacked with the decoder's. Shapes from the nnlib layers of the lesson page.",
)
def u_net(theme):
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch, Rectangle

    shapes = _u_net_shapes()
    fig, ax = plt.subplots(figsize=(9, 3.6))
    x, boxes = 0.0, []
    for i, (name, height, _, channels) in enumerate(shapes):
        width = 0.25 + 0.12 * np.sqrt(channels)
        top = 4.0 if height == 8 else 1.0            # the bottom of the U sits lower
        end = i in (0, len(shapes) - 1)
        ax.add_patch(Rectangle((x, top - height / 4), width, height / 4, facecolor=theme.colors[1 if end else 2],
                               edgecolor=theme.fg, alpha=0.8))
        ax.text(x + width / 2, top + 0.15, f"{height}×{height}×{channels}", ha="center", va="bottom", fontsize=8)
        ax.text(x + width / 2, top - height / 4 - 0.15, name, ha="center", va="top", fontsize=8)
        boxes.append((x, width, top, height))
        x += width + 0.9
    for (x0, w0, t0, h0), (x1, _, t1, h1) in zip(boxes, boxes[1:]):
        ax.add_patch(FancyArrowPatch((x0 + w0, t0 - h0 / 8), (x1, t1 - h1 / 8), arrowstyle="-|>",
                                     mutation_scale=10, color=theme.fg))
    (xe, we, te, _), (xs, _, ts, _) = boxes[1], boxes[4]
    ax.add_patch(FancyArrowPatch((xe + we / 2, te + 0.6), (xs + 0.1, ts + 0.6), connectionstyle="arc3,rad=-0.15",
                                 arrowstyle="-|>", mutation_scale=10, color=theme.fg, linestyle="--"))
    ax.text((xe + xs) / 2, te + 1.0, "skip connection", ha="center", fontsize=8, color=theme.fg)
    ax.set_xlim(-0.2, x)
    ax.set_ylim(-0.6, 5.4)
    ax.set_aspect("equal")
    _bare(ax)
    fig.tight_layout()
    return fig
