"""Figures for the lesson on the neuron."""

import numpy as np
from sitebuild.figures import figure


@figure(
    alt="The sigmoid curve for biases -2, 0 and 2: the same S shape shifted left as the bias grows.",
    caption="A bias shifts where the neuron switches on; it does not change the shape of the curve.",
)
def bias_shift(theme):
    import matplotlib.pyplot as plt

    z = np.linspace(-6, 6, 241)
    fig, ax = plt.subplots(figsize=(6, 3.2))
    for bias in (-2.0, 0.0, 2.0):
        ax.plot(z, 1 / (1 + np.exp(-(z + bias))), label=f"bias = {bias:+.0f}")
    ax.set_xlabel("weighted input  w·x")
    ax.set_ylabel("output  σ(w·x + b)")
    ax.grid(True, linewidth=0.5)
    ax.legend()
    return fig
