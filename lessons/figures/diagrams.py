"""Block diagrams of architectures (transformer block, Q/K/V, encoder-decoder, CNN, LSTM cell, U-Net).

Drawn with Matplotlib boxes and arrows at build time, in the page's palette. Where a diagram
states sizes (the CNN's feature maps), they are read from the nnlib model it depicts. They are
PNGs: as SVG, with every letter drawn as a path, each would weigh three to four times as much,
and these pages are near the browser suite's weight budget.
"""

from sitebuild.figures import figure


def canvas(width, height, size):
    """A blank axes with data coordinates (0..width, 0..height), equal aspect, no frame."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=size)
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig, ax


def box(ax, theme, x, y, w, h, text, color, fontsize=9):
    """A rounded box centred at (x, y), filled lightly with ``color``, labelled with ``text``."""
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.02,rounding_size=0.12",
                                facecolor=color + "40", edgecolor=color, linewidth=1.4))
    ax.text(x, y, text, ha="center", va="center", fontsize=fontsize, color=theme.fg)


def arrow(ax, theme, start, end, color=None, style="-|>", connection="arc3", linestyle="-"):
    """An arrow from ``start`` to ``end`` (data coordinates)."""
    ax.annotate("", xy=end, xytext=start,
                arrowprops={"arrowstyle": style, "color": color or theme.fg, "linewidth": 1.2,
                            "shrinkA": 0, "shrinkB": 0, "connectionstyle": connection, "linestyle": linestyle})


def column(ax, theme, x, boxes, width=2.8, fontsize=8.5):
    """Boxes ``(y, height, label, color)`` stacked bottom to top on the vertical line ``x``, each
    joined to the next by an arrow from its top edge to the next one's bottom edge."""
    for y, height, label, color in boxes:
        box(ax, theme, x, y, width, height, label, color, fontsize)
    for (y0, h0, *_), (y1, h1, *_) in zip(boxes, boxes[1:]):
        arrow(ax, theme, (x, y0 + h0 / 2), (x, y1 - h1 / 2))


def plus(ax, theme, x, y, symbol="+", r=0.17):
    """A small circle holding ``symbol``: where two paths are added (or multiplied)."""
    from matplotlib.patches import Circle

    ax.add_patch(Circle((x, y), r, facecolor="none", edgecolor=theme.fg, linewidth=1.2))
    ax.text(x, y, symbol, ha="center", va="center", fontsize=10, color=theme.fg)


def draw_block(ax, theme, x, norm, title):
    """One transformer block, bottom to top, centred on column ``x``; ``norm`` is 'post' or 'pre'."""
    attention, feed_forward, norm_color = theme.colors[0], theme.colors[2], theme.colors[1]
    ax.text(x, 9.55, title, ha="center", va="center", fontsize=10.5, color=theme.fg, fontweight="bold")
    ax.text(x, 0.3, "x: tokens (embedding + positions)", ha="center", va="center", fontsize=8.5, color=theme.fg)
    y = 0.55
    sublayers = ((0, attention, "multi-head\nself-attention"), (1, feed_forward, "feed-forward\n(per position)"))
    for sub, color, label in sublayers:
        base = 1.0 + sub * 4.0
        arrow(ax, theme, (x, y), (x, base + 0.05))
        if norm == "pre":
            box(ax, theme, x, base + 0.35, 1.9, 0.5, "LayerNorm", norm_color, 8.5)
            arrow(ax, theme, (x, base + 0.6), (x, base + 0.95))
            box(ax, theme, x, base + 1.5, 1.9, 1.05, label, color)
            arrow(ax, theme, (x, base + 2.03), (x, base + 2.63))
            plus(ax, theme, x, base + 2.8)
            top = base + 2.97
        else:
            box(ax, theme, x, base + 0.9, 1.9, 1.05, label, color)
            arrow(ax, theme, (x, base + 1.43), (x, base + 1.93))
            plus(ax, theme, x, base + 2.1)
            arrow(ax, theme, (x, base + 2.27), (x, base + 2.65))
            box(ax, theme, x, base + 2.95, 1.9, 0.5, "LayerNorm", norm_color, 8.5)
            top = base + 3.2
        # The residual connection: from below the sub-layer around it to the sum.
        skip_y = base + (2.8 if norm == "pre" else 2.1)
        ax.plot([x, x + 1.35, x + 1.35], [base + 0.02, base + 0.02, skip_y], color=theme.fg, linewidth=1.2)
        arrow(ax, theme, (x + 1.35, skip_y), (x + 0.17, skip_y))
        y = top
    arrow(ax, theme, (x, y), (x, 9.1))
    if norm == "pre":
        ax.text(x, 9.25, "(after the last block: LayerNorm)", ha="center", va="center", fontsize=7.5, color=theme.fg)


@figure(
    alt=("Two transformer blocks side by side, drawn bottom to top. Left, post-LN as in the original "
         "transformer: the input goes through multi-head self-attention, is added to itself through a "
         "residual connection that goes around the attention, then layer normalization; then a feed-forward "
         "network, another residual sum and another layer normalization. Right, pre-LN as in GPT-2: layer "
         "normalization comes first inside each residual branch, before the attention and before the "
         "feed-forward network, so the residual path from the input to the output passes through additions "
         "only."),
    caption=("The transformer block, post-LN (left) and pre-LN (right), as nnlib's transformer_block builds it. "
             "Each sub-layer sits inside a residual connection (the line around it into ⊕); a transformer "
             "stacks N such blocks."),
    format="png",
)
def transformer_block(theme):
    fig, ax = canvas(8, 9.8, (7.2, 8.4))
    draw_block(ax, theme, 2.0, "post", "post-LN (2017)")
    draw_block(ax, theme, 6.0, "pre", "pre-LN (GPT-2 and since)")
    return fig


@figure(
    alt=("Flow chart of one attention head. The input x, a sequence of T vectors, is multiplied by three "
         "matrices Wq, Wk and Wv to give queries Q, keys K and values V. Q times K transposed, divided by the "
         "square root of d_k, gives a T by T table of scores; an optional causal mask sets the future to minus "
         "infinity; a softmax along each row gives the attention weights A; A times V gives the output, one "
         "weighted mix of values per position, which the output projection Wo maps back to the model's width."),
    caption=("Queries, keys and values in one attention head (shapes for a sequence of T tokens of width d). "
             "Several heads run side by side and their outputs are concatenated before Wo."),
    format="png",
)
def qkv_flow(theme):
    fig, ax = canvas(12, 5.2, (10, 4.4))
    blue, orange, green, red, pink = theme.colors[:5]
    box(ax, theme, 0.9, 2.6, 1.4, 1.0, "x\n(T × d)", theme.colors[5])
    for y, name, color in ((4.3, "Q = x Wq", blue), (2.6, "K = x Wk", orange), (0.9, "V = x Wv", green)):
        arrow(ax, theme, (1.6, 2.6), (2.55, y), connection="arc3,rad=0")
        box(ax, theme, 3.35, y, 1.6, 0.8, name + f"\n(T × d_k)", color, 8.5)
    box(ax, theme, 5.6, 3.45, 1.9, 1.0, "S = Q Kᵀ / √d_k\n(T × T)", red, 8.5)
    arrow(ax, theme, (4.15, 4.3), (4.65, 3.7))
    arrow(ax, theme, (4.15, 2.6), (4.65, 3.2))
    box(ax, theme, 7.75, 3.45, 1.7, 1.0, "causal mask\n(optional):\nfuture = −∞", theme.colors[6], 8)
    arrow(ax, theme, (6.55, 3.45), (6.9, 3.45))
    box(ax, theme, 7.75, 1.9, 1.7, 0.8, "A = softmax\n(each row)", pink, 8.5)
    arrow(ax, theme, (7.75, 2.95), (7.75, 2.3))
    box(ax, theme, 9.7, 1.3, 1.5, 0.8, "A V\n(T × d_k)", green, 8.5)
    arrow(ax, theme, (8.6, 1.9), (8.95, 1.45))
    arrow(ax, theme, (4.15, 0.9), (8.95, 1.15), connection="arc3,rad=0")
    box(ax, theme, 11.2, 2.6, 1.2, 0.8, "· Wo\n(T × d)", theme.colors[5], 8.5)
    arrow(ax, theme, (10.45, 1.4), (11.0, 2.2))
    return fig


@figure(
    alt=("An encoder-decoder transformer. On the left the encoder: the source tokens, with positions, go "
         "through a stack of N blocks of self-attention and feed-forward network. On the right the decoder: "
         "the target tokens written so far go through masked (causal) self-attention, then cross-attention, "
         "whose queries come from the decoder and whose keys and values come from the encoder's output (an "
         "arrow crosses from the encoder to it), then a feed-forward network; after N such blocks a softmax "
         "over the vocabulary predicts the next target token."),
    caption=("The encoder-decoder of the original transformer (residual connections and layer normalization "
             "left out for clarity). Cross-attention is where the two halves meet: queries from the decoder, "
             "keys and values from the encoder."),
    format="png",
)
def encoder_decoder(theme):
    fig, ax = canvas(9, 8.2, (7.4, 6.8))
    self_color, cross_color, ff_color = theme.colors[0], theme.colors[3], theme.colors[2]
    ax.text(2.2, 7.85, "encoder (× N)", ha="center", fontsize=10.5, color=theme.fg, fontweight="bold")
    ax.text(6.6, 7.85, "decoder (× N)", ha="center", fontsize=10.5, color=theme.fg, fontweight="bold")
    column(ax, theme, 2.2, [(0.6, 0.7, "source tokens + positions", theme.colors[5]),
                            (2.6, 1.0, "self-attention\n(sees every source token)", self_color),
                            (4.6, 0.9, "feed-forward", ff_color),
                            (6.2, 0.8, "encoder output\n(keys and values)", theme.colors[5])])
    column(ax, theme, 6.6, [(0.6, 0.7, "target so far + positions", theme.colors[5]),
                            (2.1, 1.0, "masked self-attention\n(sees only the past)", self_color),
                            (3.9, 1.0, "cross-attention\nQ: decoder   K, V: encoder", cross_color),
                            (5.5, 0.8, "feed-forward", ff_color),
                            (7.0, 0.7, "softmax: next token", theme.colors[4])])
    arrow(ax, theme, (3.6, 6.2), (5.2, 4.05), color=cross_color, connection="arc3,rad=-0.2")
    return fig


def lenet_layers():
    """The LeNet of lesson 15, scaled to the 8 × 8 digits, as nnlib layers (the page's doctest builds the same)."""
    from nnlib import AveragePooling2D, Conv2D, Dense, Flatten

    return [Conv2D(6, (3, 3), padding="same", activation="tanh", input_shape=(8, 8, 1)), AveragePooling2D(),
            Conv2D(16, (3, 3), padding="same", activation="tanh"), AveragePooling2D(), Flatten(),
            Dense(120, activation="tanh"), Dense(84, activation="tanh"), Dense(10, activation="softmax")]


CNN_AXIS = 4.1  # height of the layers' centre line in cnn_block, above three rows of labels


@figure(
    alt=("Block diagram of a LeNet-style convolutional network for 8 by 8 digit images, drawn left to "
         "right as stacks of feature maps that shrink in size and grow in number: the 8 by 8 input, a 3 by 3 "
         "convolution to 6 maps of 8 by 8, 2 by 2 average pooling to 6 maps of 4 by 4, a convolution to 16 "
         "maps of 4 by 4, pooling to 16 maps of 2 by 2, then flattening to 64 numbers, dense layers of 120 "
         "and 84 units and a softmax over the 10 digits. Each block is labelled with its output shape and "
         "parameter count."),
    caption=("A LeNet-style block diagram: convolution and pooling alternate, the maps get smaller and more "
             "numerous, and dense layers finish the job. Shapes and parameter counts are read from the nnlib "
             "model."),
    format="png",
)
def cnn_block(theme):
    from nnlib import Sequential

    model = Sequential(lenet_layers(), seed=0)
    fig, ax = canvas(16, 5.8, (11, 4.2))
    x = 0.3
    stages, shape = [("input", model.input_shape, 0)], model.input_shape
    for layer in model.layers:
        shape = layer.output_shape(shape)
        stages.append((type(layer).__name__, shape, layer.count_params()))
    for k, (label, shape, params) in enumerate(stages):
        color = theme.colors[k % 5]
        if len(shape) == 3:  # a stack of feature maps: squares, offset to show how many
            side = 0.16 * shape[0] + 0.3
            depth = min(shape[2], 8)
            for d in range(depth):
                ax.add_patch(_rect(x + 0.07 * d, CNN_AXIS - side / 2 + 0.07 * d, side, side, color))
            width = side + 0.07 * depth
        else:  # a vector: a thin bar as tall as it is long
            height = 0.025 * shape[0] + 0.3
            ax.add_patch(_rect(x, CNN_AXIS - height / 2, 0.25, height, color))
            width = 0.25
        text = f"{label}\n{' × '.join(map(str, shape))}" + (f"\n{params:,} params" if params else "")
        # labels on three staggered rows: at the column's width, next-door labels would touch
        ax.text(x + width / 2, 0.85 * (k % 3), text, ha="center", va="bottom", fontsize=7.5, color=theme.fg)
        if k < len(stages) - 1:
            arrow(ax, theme, (x + width + 0.12, CNN_AXIS), (x + width + 0.55, CNN_AXIS))
        x += width + 0.85
    ax.set_xlim(0, x - 0.4)
    return fig


def _rect(x, y, w, h, color):
    from matplotlib.patches import Rectangle

    return Rectangle((x, y), w, h, facecolor=color + "55", edgecolor=color, linewidth=1.0)


@figure(
    alt=("Diagram of an LSTM cell. The cell state c runs along the top from left to right, changed only by "
         "a multiplication with the forget gate f and an addition of the input gate i times the candidate g. "
         "Below, the previous hidden state h and the input x are joined and feed four boxes: the forget "
         "gate, the input gate and the output gate (sigmoids, in 0 to 1) and the candidate (tanh). On the "
         "right the new cell state passes through tanh and is multiplied by the output gate o to give the new "
         "hidden state h, which leaves to the right."),
    caption=("The LSTM cell (as nnlib's LSTM computes it): c_t = f ⊙ c_{t−1} + i ⊙ g and h_t = o ⊙ tanh(c_t). "
             "The top line, the cell state, is changed only by ⊙ and +, a path along which the gradient can "
             "travel back many steps."),
    format="png",
)
def lstm_cell(theme):
    fig, ax = canvas(11, 6, (9, 4.9))
    gate, candidate, state = theme.colors[0], theme.colors[2], theme.colors[1]
    ax.plot([0.3, 10.2], [5.0, 5.0], color=state, linewidth=2.2)
    ax.text(0.3, 5.3, "c_{t−1}", fontsize=10, color=theme.fg)
    ax.text(9.7, 5.3, "c_t", fontsize=10, color=theme.fg)
    arrow(ax, theme, (10.0, 5.0), (10.6, 5.0), color=state)
    plus(ax, theme, 3.0, 5.0, "×")
    plus(ax, theme, 5.4, 5.0, "+")
    ax.plot([0.3, 10.2], [1.0, 1.0], color=theme.fg, linewidth=1.2)  # h_{t-1} and x_t join below
    ax.text(0.3, 0.55, "h_{t−1}", fontsize=10, color=theme.fg)
    ax.text(1.2, 0.1, "x_t", fontsize=10, color=theme.fg)
    arrow(ax, theme, (1.4, 0.4), (1.4, 1.0))
    gates = [(3.0, "σ\nforget f", gate), (4.6, "σ\ninput i", gate), (6.0, "tanh\ncandidate g", candidate),
             (7.6, "σ\noutput o", gate)]
    for x, label, color in gates:
        arrow(ax, theme, (x, 1.0), (x, 2.0))
        box(ax, theme, x, 2.5, 1.2, 0.9, label, color, 8.5)
    arrow(ax, theme, (3.0, 2.95), (3.0, 4.83))
    plus(ax, theme, 5.4, 3.9, "×")
    arrow(ax, theme, (4.6, 2.95), (5.25, 3.8))
    arrow(ax, theme, (6.0, 2.95), (5.55, 3.8))
    arrow(ax, theme, (5.4, 4.07), (5.4, 4.83))
    box(ax, theme, 8.9, 4.1, 0.9, 0.6, "tanh", candidate, 8.5)
    ax.plot([8.9, 8.9], [5.0, 4.4], color=theme.fg, linewidth=1.2)
    plus(ax, theme, 8.9, 2.5, "×")
    arrow(ax, theme, (8.9, 3.8), (8.9, 2.67))
    arrow(ax, theme, (8.2, 2.5), (8.73, 2.5))
    ax.plot([8.9, 8.9, 10.2], [2.33, 1.6, 1.6], color=theme.fg, linewidth=1.2)
    arrow(ax, theme, (10.2, 1.6), (10.6, 1.6))
    ax.text(10.25, 1.75, "h_t", fontsize=10, color=theme.fg)
    return fig


@figure(
    alt=("A U-Net drawn as a U. Down the left side, the encoder: the image (64 by 64) passes through "
         "convolution blocks, each followed by 2 by 2 pooling, so the maps shrink to 32, 16 and 8 pixels "
         "while the channels grow from 16 to 128. At the bottom, the bottleneck. Up the right side, the "
         "decoder: each step upsamples by 2 and joins, through a skip connection drawn as a horizontal arrow "
         "across the U, the encoder's maps of the same size, then convolves. The output on the top right has "
         "the input's size: one prediction per pixel."),
    caption=("U-Net (Ronneberger et al., 2015): an encoder that shrinks the image, a decoder that grows it "
             "back, and skip connections that hand each decoder step the encoder's detail at the same size. "
             "Sizes are an example for a 64 × 64 input."),
    format="png",
)
def unet(theme):
    fig, ax = canvas(12, 7, (9, 5.3))
    down, up, skip = theme.colors[0], theme.colors[2], theme.colors[1]
    levels = [(64, 16), (32, 32), (16, 64), (8, 128)]
    for k, (size, channels) in enumerate(levels):
        y = 6.0 - 1.5 * k
        label = f"{size}×{size}×{channels}"
        if k < 3:
            box(ax, theme, 2.0 + 0.6 * k, y, 2.0, 0.7, "conv ×2\n" + label, down, 8)
            box(ax, theme, 10.0 - 0.6 * k, y, 2.0, 0.7, "up + concat, conv\n" + label, up, 8)
            arrow(ax, theme, (3.0 + 0.6 * k, y), (9.0 - 0.6 * k, y), color=skip, linestyle="--")
            below_left, below_right = ((2.6 + 0.6 * k, y - 1.15), (9.4 - 0.6 * k, y - 1.15)) if k < 2 else \
                ((4.5, y - 1.5), (7.5, y - 1.5))
            arrow(ax, theme, (2.0 + 0.6 * k, y - 0.35), below_left)
            ax.text(1.3 + 0.6 * k, y - 0.85, "pool", fontsize=7.5, color=theme.fg)
            arrow(ax, theme, below_right, (10.0 - 0.6 * k, y - 0.35))
            ax.text(10.3 - 0.6 * k, y - 0.85, "up ×2", fontsize=7.5, color=theme.fg)
        else:
            box(ax, theme, 6.0, y, 3.0, 0.7, "bottleneck\n" + label, theme.colors[4], 8)
    ax.text(6.0, 6.35, "skip connections", ha="center", fontsize=8, color=theme.fg)
    ax.text(2.0, 6.75, "image in", ha="center", fontsize=9, color=theme.fg)
    ax.text(10.0, 6.75, "per-pixel output", ha="center", fontsize=9, color=theme.fg)
    ax.set_ylim(1.0, 7.0)
    return fig

