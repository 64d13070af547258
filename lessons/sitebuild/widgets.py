"""``{{ widget: name }}``: an interactive widget, computed in the page by the same small engine
(``lessons/assets/javascripts/nn/``) that tests/test_explorer_engine.py holds equal to nnlib.

A widget is an empty ``<div>`` that its module fills in; without JavaScript the reader sees the
sentence given here. Each lesson widget starts at the lesson's worked values, which it gets from
here as JSON (``data-config``): the numbers of the worked example, and where a lesson's data
come from NumPy's random generator, the data themselves, drawn here exactly as the lesson draws
them, since the page cannot repeat NumPy's normal draws.

>>> print(widget_html("activation", lambda target: "../" + target))
<div class="nn-widget" data-widget="activation" data-config="{&quot;activation&quot;: &quot;sigmoid&quot;, &quot;z&quot;: 0.5}"><noscript>...</noscript></div><script type="module" src="../assets/javascripts/nn/widgets.js"></script>
>>> widget_html("nueron", str)
Traceback (most recent call last):
...
KeyError: "unknown widget 'nueron' (known: explorer, neuron, activation, descent, optimizers, xor)"
"""

import html
import json

import numpy as np

MODULES = "assets/javascripts/nn/"

# name: (module that fills it in, what it shows, for readers without JavaScript)
WIDGETS = {
    "explorer": ("explorer.js", "The Explorer trains a network in the page; it needs JavaScript."),
    "neuron": ("widgets.js", "A neuron with sliders for w1, w2 and b, shown over its input plane (needs JavaScript)."),
    "activation": ("widgets.js", "An activation function and its derivative at a chosen point (needs JavaScript)."),
    "descent": ("widgets.js", "Gradient descent on the lesson's loss surface, with a learning-rate slider (needs JavaScript)."),
    "optimizers": ("widgets.js", "SGD, momentum and Adam racing on the same loss surface (needs JavaScript)."),
    "xor": ("widgets.js", "A small network's decision boundary training on XOR (needs JavaScript)."),
}


def _descent_data() -> dict:
    """Lesson 08's line-fitting data and its worked start (w, b) = (-1.5, 2.0), learning rate 0.3."""
    rng = np.random.default_rng(0)
    X = rng.uniform(0, 2, size=(50, 1)).astype(np.float32)
    Y = (2 * X - 1 + rng.normal(0, 0.3, size=(50, 1))).astype(np.float32)
    return {"X": X[:, 0].tolist(), "Y": Y[:, 0].tolist(), "w": -1.5, "b": 2.0, "learning_rate": 0.3, "steps": 1}


def _xor_data() -> dict:
    """Lesson 11's noisy XOR and its training setup (Adam 0.01, batch 16, 200 epochs, seed 0)."""
    from nnlib import data

    X, y = data.make_xor(200, noise=0.15, rng=0)
    return {"X": X.tolist(), "y": y.tolist(), "learning_rate": 0.01, "batch_size": 16, "epochs": 200, "seed": 0,
            "hidden": 4, "activation": "tanh"}


CONFIGS = {
    # lesson 02's worked neuron
    "neuron": lambda: {"w1": 0.3, "w2": 0.7, "b": 0.1, "x1": 1.0, "x2": 0.5},
    # lesson 03's table row z = 0.5
    "activation": lambda: {"activation": "sigmoid", "z": 0.5},
    "descent": _descent_data,
    # lesson 09's race on f(x, y) = (1 - x)² + 10 (y - x²)² from (-1.5, 2.0), 300 steps
    "optimizers": lambda: {"start": [-1.5, 2.0], "steps": 300, "racers": [
        ["SGD", "sgd", 0.01], ["momentum", "momentum", 0.01], ["AdaGrad", "adagrad", 0.5],
        ["RMSprop", "rmsprop", 0.02], ["Adam", "adam", 0.1]]},
    "xor": _xor_data,
}


def widget_html(name: str, relative) -> str:
    """The HTML for widget ``name``; ``relative(target)`` turns a site path into a link from the page."""
    if name not in WIDGETS:
        raise KeyError(f"unknown widget '{name}' (known: {', '.join(WIDGETS)})")
    module, fallback = WIDGETS[name]
    script = f'<script type="module" src="{relative(MODULES + module)}"></script>'
    noscript = f"<noscript>{html.escape(fallback)}</noscript>"
    if name == "explorer":
        return f'<div id="nn-explorer" class="nn-explorer">{noscript}</div>{script}'
    config = html.escape(json.dumps(CONFIGS[name]()), quote=True)
    return f'<div class="nn-widget" data-widget="{name}" data-config="{config}">{noscript}</div>{script}'
