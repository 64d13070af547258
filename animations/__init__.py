"""The site's animations: Manim scenes whose every number comes from nnlib.

Each scene lives in its own module with three parts:

- a *data function* (e.g. :func:`animations.neuron.neuron_data`) that runs nnlib and returns
  every number the scene shows, so tests can check the numbers without looking at pixels;
- a *step list* (:class:`animations.steps.Step`: text and duration) that both times the
  scene and becomes its WebVTT captions, transcript and storyboard;
- the Manim ``Scene`` that draws the data, one ``with self.step():`` block per step.

Each scene plays its lesson's worked example, so every number it shows is printed by a doctest
on the page that embeds it; colours come from :mod:`animations.palette` (one meaning each);
nothing is drawn in the bottom 20 % of the frame (:data:`animations.base.SAFE_BOTTOM`). The
tests in ``tests/animations/test_scene_rules.py`` check these rules from each scene's steps and
its per-step layout (:func:`animations.base.layout`).

``python -m animations render`` renders them through a cache (:mod:`animations.render`);
:mod:`animations.embed` puts a rendered scene on a lesson page.

Text is drawn with Manim's ``Text`` (Pango, font DejaVu Sans), never ``Tex``/``MathTex``:
we decided not to depend on LaTeX, a large install that the site needs nowhere else.
Formulas are written with Unicode (z = w₁x₁ + w₂x₂ + b, σ, ∂L/∂W⁽²⁾₁₁, c₋₁, ←).

``SCENES`` maps each scene's name to its module; it is read without importing Manim, so a
fully cached render never pays for Manim's import.
"""

SCENES = {
    "Neuron": "neuron",
    "ForwardPropagation": "forward_propagation",
    "Backpropagation": "backpropagation",
    "GradientDescent": "gradient_descent",
    "DecisionBoundary": "decision_boundary",
    "Convolution": "convolution",
    "LSTMCell": "lstm_cell",
    "Attention": "attention",
}
