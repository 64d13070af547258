"""The figure check's rule for diagrams: a label may sit inside a box or outside it, never across
its edge (lessons/sitebuild/figurecheck.py; the build runs it on every figure)."""

import matplotlib
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Rectangle  # noqa: E402

from sitebuild import figurecheck, figures  # noqa: E402


@pytest.fixture
def ax():
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.set_xlim(0, 4)
    ax.set_ylim(0, 3)
    ax.axis("off")
    yield ax
    plt.close(fig)


def edge_problems(ax):
    return [p for p in figurecheck.collisions(ax.figure) if "crosses the edge" in p]


def test_a_label_straddling_a_box_is_named_with_the_box(ax):
    ax.add_patch(FancyBboxPatch((1, 1), 1, 1, boxstyle="round,pad=0.02"))
    ax.text(1.9, 1.5, "half in, half out", va="center")
    assert edge_problems(ax) == ["text 'half in, half out' crosses the edge of FancyBboxPatch at (1.5, 1.5)"]


def test_a_label_running_over_a_circle_is_caught(ax):
    ax.add_patch(Circle((2, 1.5), 0.3, fill=False))
    ax.text(2, 1.5, "a label far wider than its circle", ha="center", va="center")
    assert edge_problems(ax) == ["text 'a label far wider than its circle' crosses the edge of Circle at (2, 1.5)"]


def test_labels_inside_or_outside_a_box_and_along_arrows_pass(ax):
    ax.add_patch(Rectangle((0.5, 0.5), 3, 2, fill=False))
    ax.text(2, 1.5, "inside", ha="center", va="center")
    ax.text(0.1, 2.9, "outside", va="top", fontsize=8)
    ax.add_patch(FancyArrowPatch((0.6, 1.0), (3.4, 1.0), arrowstyle="-|>", mutation_scale=10))
    ax.text(2, 1.0, "on the arrow", ha="center", va="center")  # an arrow is a line, not a shape
    assert edge_problems(ax) == []


def test_an_edge_cut_off_by_the_axes_does_not_count(ax):
    ax.add_patch(Rectangle((3, 1), 1.3, 1, fill=False))  # runs past the axes' right side at x = 4
    ax.text(4.3, 1.5, "beyond", ha="center", va="center", fontsize=7)  # where its right edge is not drawn
    assert edge_problems(ax) == []


def test_a_diagram_with_a_label_over_a_box_edge_stops_the_build(tmp_path):
    module = tmp_path / "spilling.py"
    module.write_text(
        "from sitebuild.figures import figure\n\n\n"
        "@figure(alt='A box whose label spills out of it.')\n"
        "def spilling(theme):\n"
        "    import matplotlib.pyplot as plt\n"
        "    from matplotlib.patches import Rectangle\n\n"
        "    fig, ax = plt.subplots(figsize=(4, 3))\n"
        "    ax.axis('off')\n"
        "    ax.add_patch(Rectangle((0.3, 0.4), 0.2, 0.2, fill=False))\n"
        "    ax.text(0.4, 0.5, 'too long a label for it', ha='center', va='center')\n"
        "    return fig\n")
    with pytest.raises(figures.FigureError,
                       match=r"spilling\(\).*\n.*'too long a label for it' crosses the edge of Rectangle"):
        figures.render_module(module, tmp_path)
