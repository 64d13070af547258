"""Figures for lesson 1's section on the perceptron learning rule."""

import numpy as np
from sitebuild.figures import figure

from nnlib import perceptron

CORNERS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
AND, XOR = [0, 0, 0, 1], [0, 1, 1, 0]


def states_in_pass(labels, pass_number):
    """(w, b) after each update of pass ``pass_number`` (counted from 1) of the rule, from zero."""
    w, b, states = np.zeros(2), 0.0, []
    for current in range(1, pass_number + 1):
        for x, y in zip(CORNERS, labels):
            w, b = perceptron.perceptron_update(w, b, x, y)
            if current == pass_number:
                states.append((w.copy(), b))
    return states


VIEW = (-0.5, 1.5)


def _in_view(w, b):
    """Whether the line w · x + b = 0 crosses the plotted square (w · x + b changes sign on it)."""
    corners = np.array([[x1, x2] for x1 in VIEW for x2 in VIEW])
    z = corners @ w + b
    return z.min() <= 0 <= z.max()


def _draw_line(ax, w, b, label, **style):
    """The line w · x + b = 0; one outside the plotted square is only named in the legend."""
    if not _in_view(w, b):
        ax.plot([], [], label=label + " (outside the view)", **style)
    elif abs(w[1]) > 1e-12:
        xs = np.linspace(*VIEW, 2)
        ax.plot(xs, -(w[0] * xs + b) / w[1], label=label, **style)
    else:
        ax.axvline(-b / w[0], label=label, **style)


def _corners(ax, labels, theme):
    for (x1, x2), label in zip(CORNERS, labels):
        ax.plot(x1, x2, "o" if label else "s", ms=11, color=theme.colors[1 if label else 0],
                markeredgecolor=theme.fg)
    ax.set_xlim(*VIEW)
    ax.set_ylim(*VIEW)
    ax.set_aspect("equal")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")


@figure(
    alt="Two panels of the unit square with its four corners marked, circles for label 1 and squares "
        "for label 0. Left, AND: the perceptron's final boundary 2 x1 + x2 - 2 = 0 leaves the corner "
        "(1, 1) alone on its positive side; it touches (1, 0), where the weighted sum is exactly 0 "
        "and the step function answers 0. Right, XOR: the lines the rule passes through during its "
        "third pass over the data (one of them, x2 = -2, lies outside the view), none of which "
        "separates the two circles at (0, 1) and (1, 0) from the two squares; the last is where the "
        "pass began, so the rule repeats them for ever.",
    caption="The perceptron rule on AND settles on a separating line (left). On XOR it cycles: the "
            "lines after each update of one pass, which ends where it started (right).",
)
def and_and_xor(theme):
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(8.4, 4.0))
    w, b, _ = perceptron.train_perceptron(CORNERS, AND, epochs=10)
    _corners(left, AND, theme)
    _draw_line(left, w, b, f"w = ({w[0]:g}, {w[1]:g}), b = {b:g}", color=theme.colors[2], lw=2.5)
    left.legend(fontsize=9, loc="upper center", bbox_to_anchor=(0.5, -0.18))
    left.set_title("AND: the rule settles")
    _corners(right, XOR, theme)
    for step, (w, b) in enumerate(states_in_pass(XOR, 3), start=1):
        _draw_line(right, w, b, f"after update {step}: w = ({w[0]:g}, {w[1]:g}), b = {b:g}",
                   color=theme.colors[2 + step % 4], lw=2, ls=("-", "--", ":", "-.")[step - 1])
    right.set_title("XOR: the rule cycles")
    right.legend(fontsize=9, loc="upper center", bbox_to_anchor=(0.5, -0.18))
    return fig
