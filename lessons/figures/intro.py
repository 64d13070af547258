"""Figures for lesson 1, "What is a neural network?"."""

import numpy as np
from sitebuild.figures import figure

from nnlib import Adam, Dense, Sequential
from nnlib.data import xor_truth_table

# The worked neuron of lesson 2, drawn on the artificial side of the comparison.
WORKED_X = (1.0, 0.5)
WORKED_W = (0.3, 0.7)
WORKED_B = 0.1


def _worked_neuron():
    """z and a of the worked neuron, computed by an nnlib Dense layer."""
    neuron = Dense(1, activation="sigmoid")
    neuron.build((2,), np.random.default_rng(0))
    neuron.W = np.array([[WORKED_W[0]], [WORKED_W[1]]], dtype=np.float32)
    neuron.b = np.array([WORKED_B], dtype=np.float32)
    a = neuron.forward(np.array([WORKED_X], dtype=np.float32))
    return float(neuron.z[0, 0]), float(a[0, 0])


@figure(
    alt="Two panels. Left: a biological neuron, with branching dendrites that receive signals, a cell "
        "body that adds them up, and a long axon ending in synapses. Right: the artificial neuron it "
        "inspired, with two inputs (1.0 and 0.5) on weighted arrows (0.3 and 0.7) feeding a circle "
        "that adds them and a bias of 0.1 to get z = 0.75, then a sigmoid that outputs 0.68. Matching "
        "colours pair dendrites with weighted inputs, the cell body with the sum, and the axon with "
        "the output.",
    caption="A biological neuron (left, schematic) and the artificial neuron modelled on it (right). "
            "The numbers on the right are computed by an nnlib Dense layer: the worked example of "
            "the next lesson.",
)
def neurons_side_by_side(theme):
    import matplotlib.pyplot as plt
    from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

    c_in, c_sum, c_out = theme.colors[0], theme.colors[1], theme.colors[2]
    fig, (bio, art) = plt.subplots(1, 2, figsize=(10, 3.9))
    for ax in (bio, art):
        ax.set_xlim(0, 10)
        ax.set_ylim(0, 6)
        ax.set_aspect("equal")
        ax.axis("off")

    # --- biological neuron (schematic) ---
    bio.set_title("Biological neuron", color=theme.fg)
    soma = (3.2, 3.0)
    rng = np.random.default_rng(3)
    for angle in np.linspace(140, 220, 5):
        t = np.radians(angle)
        start = np.array(soma) + 0.75 * np.array([np.cos(t), np.sin(t)])
        end = np.array(soma) + 2.3 * np.array([np.cos(t), np.sin(t)])
        bio.plot(*zip(start, end), color=c_in, lw=2.2, solid_capstyle="round")
        for turn in (-25, 25):  # each dendrite forks once
            u = np.radians(angle + turn + rng.normal(0, 6))
            tip = end + 0.7 * np.array([np.cos(u), np.sin(u)])
            bio.plot(*zip(end, tip), color=c_in, lw=1.5, solid_capstyle="round")
    bio.add_patch(Circle(soma, 0.8, facecolor=c_sum, edgecolor=theme.fg, lw=1, alpha=0.9))
    bio.add_patch(Circle(soma, 0.28, facecolor="none", edgecolor=theme.fg, lw=1))
    bio.plot([4.0, 8.2], [3.0, 3.0], color=c_out, lw=2.4)
    for x0 in (4.5, 5.5, 6.5):  # myelin sheath segments along the axon
        bio.add_patch(FancyBboxPatch((x0, 2.82), 0.7, 0.36, boxstyle="round,pad=0.02",
                                     facecolor=c_out, edgecolor=theme.fg, lw=0.6, alpha=0.6))
    for dy in (-0.9, 0.0, 0.9):  # axon terminals, each ending in a synapse
        bio.plot([8.2, 9.1], [3.0, 3.0 + dy], color=c_out, lw=1.6)
        bio.add_patch(Circle((9.2, 3.0 + dy), 0.14, facecolor=c_out, edgecolor=theme.fg, lw=0.6))
    bio.text(0.0, 5.9, "dendrites\nreceive signals", color=theme.fg, fontsize=9.5, va="top")
    bio.text(3.2, 1.55, "cell body\nintegrates them", color=theme.fg, fontsize=9.5, ha="center", va="top")
    bio.text(5.8, 3.55, "axon carries\nthe output", color=theme.fg, fontsize=9.5, ha="center")
    bio.text(8.7, 1.6, "synapses", color=theme.fg, fontsize=9.5, ha="center", va="top")

    # --- artificial neuron with the worked numbers ---
    art.set_title("Artificial neuron", color=theme.fg)
    z, a = _worked_neuron()
    sum_xy, act_xy = (5.0, 3.0), (7.3, 3.0)
    for (x, w), y in zip(zip(WORKED_X, WORKED_W), (4.4, 1.6)):
        art.add_patch(Circle((1.2, y), 0.45, facecolor="none", edgecolor=c_in, lw=2))
        art.text(1.2, y, f"{x:.1f}", ha="center", va="center", color=theme.fg, fontsize=10)
        art.add_patch(FancyArrowPatch((1.7, y), (4.3, 3.0 + (y - 3.0) * 0.25), arrowstyle="-|>",
                                      mutation_scale=12, color=c_in, lw=2))
        art.text(2.9, y + (0.35 if y > 3 else -0.55), f"w = {w:.1f}", color=theme.fg, fontsize=9.5,
                 ha="center")
    art.text(1.2, 5.25, "inputs", ha="center", color=theme.fg, fontsize=9.5)
    art.add_patch(Circle(sum_xy, 0.7, facecolor=c_sum, edgecolor=theme.fg, lw=1, alpha=0.9))
    art.text(*sum_xy, "Σ + b", ha="center", va="center", fontsize=11, color="#1f2328")
    art.text(sum_xy[0], 1.75, f"b = {WORKED_B:.1f}\nz = {z:.2f}", ha="center", va="top",
             color=theme.fg, fontsize=9.5)
    art.add_patch(FancyArrowPatch((5.7, 3.0), (6.7, 3.0), arrowstyle="-|>", mutation_scale=12,
                                  color=theme.fg, lw=1.5))
    art.add_patch(FancyBboxPatch((6.75, 2.45), 1.1, 1.1, boxstyle="round,pad=0.05",
                                 facecolor="none", edgecolor=c_out, lw=2))
    art.text(*act_xy, "σ", ha="center", va="center", fontsize=15, color=theme.fg)
    art.add_patch(FancyArrowPatch((7.95, 3.0), (9.6, 3.0), arrowstyle="-|>", mutation_scale=12,
                                  color=c_out, lw=2.4))
    art.text(8.8, 3.3, f"a = {a:.2f}", ha="center", color=theme.fg, fontsize=10)
    art.text(act_xy[0], 1.75, "activation", ha="center", va="top", color=theme.fg, fontsize=9.5)
    fig.tight_layout()
    return fig


EVENTS = [
    (1943, "McCulloch & Pitts:\nthe threshold neuron", True),
    (1958, "Rosenblatt:\nthe perceptron learns", True),
    (1969, "Minsky & Papert:\none layer cannot do XOR", True),
    (1986, "Rumelhart, Hinton & Williams:\nbackpropagation", True),
    (1997, "Hochreiter & Schmidhuber:\nLSTM", False),
    (2006, "Hinton, Osindero & Teh:\ndeep belief nets", True),
    (2012, "Krizhevsky, Sutskever & Hinton:\nAlexNet wins ImageNet", True),
    (2017, "Vaswani et al.:\nthe transformer", False),
]


@figure(
    alt="A timeline from 1940 to 2020. Above and below the axis: 1943 McCulloch and Pitts' threshold "
        "neuron; 1958 Rosenblatt's perceptron; 1969 Minsky and Papert show one layer cannot learn XOR; "
        "a shaded band from 1969 to the mid-1980s marks the first AI winter; 1986 backpropagation "
        "trains hidden layers; 1997 the LSTM; 2006 deep belief nets; 2012 AlexNet wins ImageNet; "
        "2017 the transformer.",
    caption="Eight milestones. The shaded band is the first \"AI winter\", when interest and funding "
            "dried up after the XOR result; backpropagation ended it.",
)
def timeline(theme):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(10, 5.0))
    ax.axhline(0, color=theme.fg, lw=1.2)
    # the winter's band stops short of the labels at levels ±0.6 (y = ±0.59 here, the labels start at ±0.65)
    ax.axvspan(1969, 1985, ymin=0.32, ymax=0.68, color=theme.muted, alpha=0.6, lw=0)
    ax.text(1977, -0.13, "first AI winter", ha="center", va="center", color=theme.fg, fontsize=9,
            style="italic")
    levels = [1.0, -1.0, 0.6, -0.6]
    for i, (year, text, core) in enumerate(EVENTS):
        level = levels[i % 4]
        color = theme.colors[0] if core else theme.colors[4]
        ax.plot([year, year], [0, level], color=color, lw=1.2)
        ax.plot(year, 0, "o", color=color, ms=7 if core else 5)
        ax.text(year, level + (0.05 if level > 0 else -0.05), f"{year}\n{text}" if level > 0 else f"{text}\n{year}",
                ha="center", va="bottom" if level > 0 else "top", fontsize=8.5, color=theme.fg)
    ax.set_xlim(1935, 2025)
    ax.set_ylim(-1.65, 1.65)
    ax.set_yticks([])
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.set_xticks(range(1940, 2030, 10))
    ax.tick_params(axis="x", length=0, pad=-12)
    fig.tight_layout()
    return fig


def xor_models(seed=0, epochs=500):
    """The two XOR models of lesson 1, trained exactly as in its doctest."""
    X, y = xor_truth_table()
    single = Sequential([Dense(1, activation="sigmoid", input_shape=(2,))], seed=seed)
    single.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    single.fit(X, y, epochs=epochs, batch_size=4, verbose=0)
    two = Sequential([Dense(4, activation="tanh", input_shape=(2,)), Dense(1, activation="sigmoid")], seed=seed)
    two.compile(optimizer=Adam(learning_rate=0.05), loss="binary_crossentropy", metrics=["accuracy"])
    two.fit(X, y, epochs=epochs, batch_size=4, verbose=0)
    return X, y, single, two


@figure(
    alt="Two heat maps of predicted probability over the square from -0.5 to 1.5, with the four XOR "
        "points marked. Left, a single neuron: its boundary is one straight line, and no straight line "
        "can put both XOR = 1 points on one side and both XOR = 0 points on the other. Right, a network with one hidden layer of four tanh units: "
        "its boundary bends into a band that puts (0,1) and (1,0) on one side and (0,0) and (1,1) on "
        "the other, so every point is classified correctly.",
    caption="XOR, the problem that stalled the field in 1969. A single neuron can only draw a straight "
            "line; one hidden layer bends the boundary. Both models are trained by nnlib exactly as "
            "in the doctest of this lesson; the titles show their accuracy on the four points.",
    format="png",
)
def xor_boundaries(theme):
    import matplotlib.pyplot as plt

    X, y, single, two = xor_models()
    g = np.linspace(-0.5, 1.5, 161, dtype=np.float32)
    gx, gy = np.meshgrid(g, g)
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    fig, axes = plt.subplots(1, 2, figsize=(9, 4.2), sharey=True)
    for ax, model, name in zip(axes, (single, two), ("single neuron", "one hidden layer (4 tanh units)")):
        p = model.predict(grid, batch_size=len(grid)).reshape(gx.shape)
        image = ax.imshow(p, origin="lower", extent=(-0.5, 1.5, -0.5, 1.5), cmap=theme.diverging,
                          vmin=0, vmax=1)
        ax.contour(gx, gy, p, levels=[0.5], colors=["#1f2328"], linewidths=2)  # the boundary sits on the pale middle of the map
        for label, marker in ((0, "o"), (1, "s")):
            pts = X[y == label]
            ax.scatter(pts[:, 0], pts[:, 1], s=260, marker=marker, color="#ffffff", edgecolors="#1f2328",
                       linewidths=1.5, zorder=3, label=f"XOR = {label}")
            for px, py in pts:
                ax.text(px, py, str(label), ha="center", va="center", fontsize=10, color="#1f2328", zorder=4)
        accuracy = model.evaluate(X, y)[1]
        ax.set_title(f"{name}\naccuracy {accuracy:.0%}", color=theme.fg)
        ax.set_xlabel("input 1")
        ax.set_xticks([0, 1])
        ax.set_yticks([0, 1])
    axes[0].set_ylabel("input 2")
    axes[1].legend(loc="upper center", bbox_to_anchor=(-0.1, -0.18), ncol=2)
    bar = fig.colorbar(image, ax=axes, shrink=0.8, pad=0.02)
    bar.set_label("predicted probability of XOR = 1")
    return fig
