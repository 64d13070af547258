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


ENGLISH_WORDS = ["the", "a", "and", "red", "blue", "black", "green", "white", "dog", "cat", "book", "train", "bike"]
FRENCH_WORDS = ["le", "un", "et", "rouge", "bleu", "noir", "vert", "blanc", "chien", "chat", "livre", "train", "vélo"]


@lru_cache(maxsize=None)
def translator():
    """The lesson's toy translator, trained as on the page; returns (model, held-out English, their French)."""
    from nnlib import Adam, EncoderDecoder

    phrases = [(d, a, n) for d in (0, 1) for a in range(3, 8) for n in range(8, 13)]
    english = np.array([[*p, 2, *q] for p in phrases for q in phrases])
    english = english[np.random.default_rng(0).permutation(len(english))]
    french = english[:, [0, 2, 1, 3, 4, 6, 5]]
    model = EncoderDecoder(source_vocab=13, target_vocab=13, d_model=16, num_heads=2, ff_units=32, seed=0)
    model.compile(optimizer=Adam(0.01), loss="sparse_categorical_crossentropy")
    model.fit(english[:2000], french[:2000], epochs=5, batch_size=32)
    return model, english[2000:], french[2000:]


@figure(
    alt=("Two heat maps of the cross-attention weights of the trained toy translator, rows are French "
         "positions (the decoder position that writes each word) and columns are English positions, each cell "
         "labelled with its weight. Left: averaged over both heads and 500 held-out sentences, with the word "
         "roles as axis labels. Right: one held-out sentence, with its words. In both, the French noun of the "
         "first phrase looks at the English noun (position 3), and the French colour mostly at the English "
         "colour (position 2), with nearly as much on the 'and' beside it. In the second phrase the noun looks "
         "at English position 7 and the colour at position 6, almost entirely. The rows for 'et' and the "
         "second article spread their weight over two or three positions."),
    caption=("Cross-attention of the trained encoder-decoder (the decoder block's attention_weights after "
             "generate). The French nouns and colours look at the English words they translate, wherever those "
             "stand: the off-diagonal cells in each phrase are the colour moving behind its noun."),
    format="png",
)
def translation_cross_attention(theme):
    import matplotlib.pyplot as plt

    model, english, _ = translator()
    written = model.generate(english, length=7)  # leaves the weights of the last step, covering all 7 positions
    weights = np.asarray(model.decoder[2].cross_attention.attention_weights).mean(axis=1)  # (sentences, 7, 7)
    roles = ["article", "colour", "noun", "and", "article", "colour", "noun"]
    french_roles = [roles[i] for i in (0, 2, 1, 3, 4, 6, 5)]
    panels = [(weights.mean(axis=0), "mean of 500 held-out sentences", roles, french_roles),
              (weights[0], "one sentence", [ENGLISH_WORDS[i] for i in english[0]],
               [FRENCH_WORDS[i] for i in written[0]])]
    fig, axes = plt.subplots(1, 2, figsize=(10, 5), layout="constrained")
    cmap = plt.get_cmap(theme.cmap)
    for ax, (w, title, columns, rows) in zip(axes, panels):
        ax.imshow(w, cmap=theme.cmap, vmin=0, vmax=1)
        for r in range(7):
            for c in range(7):
                ax.text(c, r, f"{w[r, c]:.2f}".lstrip("0"), ha="center", va="center", fontsize=8,
                        color=cmap(0.0) if w[r, c] > 0.55 else cmap(1.0))
        ax.set_xticks(range(7), [f"{p + 1} {word}" for p, word in enumerate(columns)], rotation=90)
        ax.set_yticks(range(7), [f"{word} {p + 1}" for p, word in enumerate(rows)])
        ax.set_xlabel("English position (source, key)")
        ax.set_title(title, fontsize=10, color=theme.fg)
        for spine in ax.spines.values():
            spine.set_visible(False)
    axes[0].set_ylabel("French position (target, query)")
    return fig
