"""Figures for the lesson on attention and transformers (17-attention-and-transformers.md).

Every number comes from nnlib: its positional encoding and the lesson's seeded digit-reversal
model, trained exactly as in the lesson's doctests.
"""

from functools import lru_cache

import numpy as np
from sitebuild.figures import figure

LENGTH, VOCAB, D_MODEL = 5, 5, 16


def reversal_data(n, rng):
    """n sequences of 5 digits in 0..4 and one-hot targets: the same digits in reverse order."""
    X = rng.integers(0, VOCAB, size=(n, LENGTH))
    return X, np.eye(VOCAB)[X[:, ::-1]]


@lru_cache(maxsize=None)
def reversal_model(positions=True, seed=0):
    """The lesson's model, trained for 15 epochs on 1,024 sequences; returns (model, history, test set)."""
    from nnlib import Adam, Dense, Embedding, MultiHeadSelfAttention, PositionalEncoding, Sequential

    rng = np.random.default_rng(0)
    X_train, Y_train = reversal_data(1024, rng)
    X_test, Y_test = reversal_data(256, rng)
    layers = [Embedding(VOCAB, D_MODEL, input_length=LENGTH)]
    layers += [PositionalEncoding()] if positions else []
    layers += [MultiHeadSelfAttention(2, 8), Dense(VOCAB, activation="softmax")]
    model = Sequential(layers, seed=seed)
    model.compile(optimizer=Adam(0.01), loss="categorical_crossentropy")
    history = model.fit(X_train, Y_train, epochs=15, batch_size=32, verbose=0)
    return model, history, (X_test, Y_test)


@figure(
    alt=("Left: a heat map of the sinusoidal positional encoding for 50 positions (rows) and 16 dimensions "
         "(columns), in a diverging colour map from -1 to 1. The first columns alternate quickly from row to "
         "row; further right the stripes get wider and wider, until the last columns barely change over 50 "
         "positions. Right: four of the sine columns (dimensions 0, 2, 4 and 6) drawn against the position: "
         "waves whose frequency falls from one column pair to the next."),
    caption=("Sinusoidal positional encoding (nnlib's positional_encoding(50, 16)). Each pair of columns is a "
             "sine and a cosine turning at its own speed, like the hands of a clock, so every position gets a "
             "different code and nearby positions get similar ones."),
    format="png",  # lighter than SVG: the page is near the 1.5 MB budget
)
def positional_encoding_map(theme):
    import matplotlib.pyplot as plt
    from nnlib.layers.attention import positional_encoding

    pe = positional_encoding(50, D_MODEL)
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8), gridspec_kw={"width_ratios": [1, 1.3]},
                                      layout="constrained")
    image = left.imshow(pe, aspect="auto", cmap=theme.diverging, vmin=-1, vmax=1, interpolation="nearest")
    left.set_xlabel("dimension")
    left.set_ylabel("position")
    bar = fig.colorbar(image, ax=left, fraction=0.05, pad=0.03)
    bar.outline.set_edgecolor(theme.fg)
    for k, column in enumerate((0, 2, 4, 6)):
        right.plot(np.arange(50), pe[:, column], color=theme.colors[k], linewidth=1.3, marker="o", markersize=2.5,
                   label=f"dimension {column}")
    right.set_xlabel("position")
    right.set_ylabel("encoding value")
    right.grid(True, linewidth=0.5)
    right.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, 1.16), ncol=4)
    return fig


@figure(
    alt=("Three heat maps of attention weights of the trained digit-reversal model, rows are output "
         "positions (queries) and columns are input positions (keys), each cell labelled with its weight. "
         "The first two show each of the two heads averaged over 256 test sequences; the third shows both "
         "heads averaged for one test sequence, with its digits as the axis labels. In all three the large "
         "weights lie on the anti-diagonal: output position 1 attends to input position 5, position 2 to "
         "position 4, and so on, which is exactly what reversing requires."),
    caption=("Attention maps of the trained reversal model (from attention_weights). The bright anti-diagonal is "
             "the learned rule: to write position t of the output, look at position 6 − t of the input."),
    format="png",  # lighter than SVG: the page is near the 1.5 MB budget
)
def reversal_attention(theme):
    import matplotlib.pyplot as plt

    model, _, (X_test, _) = reversal_model()
    attention = model.layers[2]
    model.forward(X_test)
    weights = np.asarray(attention.attention_weights)  # (batch, heads, time, time)
    panels = [(weights[:, 0].mean(axis=0), "head 1, mean of 256 sequences", None),
              (weights[:, 1].mean(axis=0), "head 2, mean of 256 sequences", None),
              (weights[0].mean(axis=0), "both heads, one sequence", X_test[0])]
    fig, axes = plt.subplots(1, 3, figsize=(11, 3.8))
    cmap = plt.get_cmap(theme.cmap)
    for ax, (w, title, digits) in zip(axes, panels):
        ax.imshow(w, cmap=theme.cmap, vmin=0, vmax=1)
        for r in range(LENGTH):
            for c in range(LENGTH):
                ax.text(c, r, f"{w[r, c]:.2f}", ha="center", va="center", fontsize=7.5,
                        color=cmap(0.0) if w[r, c] > 0.55 else cmap(1.0))
        positions = [str(p + 1) for p in range(LENGTH)]
        if digits is None:
            ax.set_xticks(range(LENGTH), positions)
            ax.set_yticks(range(LENGTH), positions)
            ax.set_xlabel("input position (key)")
        else:
            ax.set_xticks(range(LENGTH), [f"{p}\n‘{d}’" for p, d in zip(positions, digits)])
            ax.set_yticks(range(LENGTH), [f"{p} ‘{d}’" for p, d in zip(positions, digits[::-1])])
            ax.set_xlabel("input position and digit")
        ax.set_title(title, fontsize=10, color=theme.fg)
        for spine in ax.spines.values():
            spine.set_visible(False)
    axes[0].set_ylabel("output position (query)")
    return fig


@figure(
    alt=("Line chart of the training loss over 15 epochs of the digit-reversal model, with and without "
         "positional encoding, on a logarithmic axis. With positional encoding the loss falls by orders of "
         "magnitude within a few epochs; without it the loss stalls at a high plateau, because attention alone "
         "cannot tell the positions apart."),
    caption=("The same attention model trained to reverse five digits, with and without PositionalEncoding. "
             "Without positions, self-attention sees the sequence as an unordered set and cannot learn to "
             "reverse it."),
)
def with_and_without_positions(theme):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 3.4))
    for k, positions in enumerate((True, False)):
        _, history, _ = reversal_model(positions=positions)
        loss = history.history["loss"]
        ax.semilogy(np.arange(1, len(loss) + 1), loss, marker="o", markersize=3, color=theme.colors[2 * k],
                    label="with positional encoding" if positions else "without positional encoding")
    ax.set_xlabel("epoch")
    ax.set_ylabel("training loss (log scale)")
    ax.grid(True, linewidth=0.5)
    ax.legend()
    return fig
