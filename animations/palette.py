"""The scenes' colours: one meaning per colour, the same in every scene.

The hues are the Okabe–Ito palette, which colour-blind readers can tell apart, on a dark
background. A colour never carries a meaning alone: a weight's sign is also its edge's
width and its number's minus sign, a gradient is also written ∂L/∂…, a diverging run is
also labelled. Scenes import the names below and nothing else: no colour is written
anywhere but here (a test looks for stray hex codes and Manim colour constants).

>>> len(MEANINGS)   # nine colours for nine meanings: two sharing a colour would merge into one key
9
"""

BACKGROUND = "#111318"
TEXT = "#F5F5F5"       # ordinary text, neurons, the numbers of a computation
MUTED = "#9AA0A6"      # names, axes and ticks, grid lines: what frames the picture
POSITIVE = "#56B4E9"   # sky blue: a positive weight or value; class 1
NEGATIVE = "#E69F00"   # orange: a negative weight or value; class 0
RESULT = "#F0E442"     # yellow: the value a step produces, the one to look at now
GRADIENT = "#CC79A7"   # reddish purple: gradients ∂L/∂…, travelling backwards
GOOD = "#009E73"       # bluish green: a correct answer, a minimum, a learning rate that works
BAD = "#D55E00"        # vermillion: a wrong answer, a run that diverges

MEANINGS = {
    BACKGROUND: "background",
    TEXT: "text, neurons, the numbers of a computation",
    MUTED: "names, axes, ticks, grid lines",
    POSITIVE: "positive weight or value; class 1",
    NEGATIVE: "negative weight or value; class 0",
    RESULT: "the value this step produces",
    GRADIENT: "a gradient, flowing backwards",
    GOOD: "correct; the minimum; a learning rate that works",
    BAD: "wrong; diverging",
}
