"""``{{ widget: name }}``: an interactive widget, computed in the page by the same small engine
(``lessons/assets/javascripts/nn/``) that tests/test_explorer_engine.py holds equal to nnlib.

A widget is an empty ``<div>`` that its module fills in; without JavaScript the reader sees the
sentence given here. Each lesson widget starts at the lesson's worked values.

>>> print(widget_html("neuron", lambda target: "../" + target))
<div class="nn-widget" data-widget="neuron"><noscript>...</noscript></div><script type="module" src="../assets/javascripts/nn/widgets.js"></script>
"""

import html

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


def widget_html(name: str, relative) -> str:
    """The HTML for widget ``name``; ``relative(target)`` turns a site path into a link from the page."""
    if name not in WIDGETS:
        raise KeyError(f"unknown widget '{name}' (known: {', '.join(WIDGETS)})")
    module, fallback = WIDGETS[name]
    script = f'<script type="module" src="{relative(MODULES + module)}"></script>'
    noscript = f"<noscript>{html.escape(fallback)}</noscript>"
    if name == "explorer":
        return f'<div id="nn-explorer" class="nn-explorer">{noscript}</div>{script}'
    return f'<div class="nn-widget" data-widget="{name}">{noscript}</div>{script}'
