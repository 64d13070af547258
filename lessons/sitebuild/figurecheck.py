"""Build checks on a drawn figure: text a reader can read at the column's width, and no label
on top of another label, of the data or of a diagram's box edge.

Every figure is shown at most as wide as the text column (:data:`COLUMN_PX` CSS pixels); wider
figures are scaled down, and their text with them. :func:`smallest_text_px` is the size of the
figure's smallest text in CSS pixels as displayed, and :func:`collisions` lists the texts that
overlap another text, the legends and in-plot labels that a curve or a marker crosses, and the
texts that the edge of a box, circle or bar runs through (a label spilling out of its box),
from Matplotlib's own extents of what it drew.

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import matplotlib.pyplot as plt
>>> fig, ax = plt.subplots(figsize=(4, 3))
>>> _ = ax.plot([0, 1], [0, 1], label="a line")
>>> _ = ax.text(0.5, 0.5, "on the line", fontsize=10)
>>> _ = ax.legend(loc="upper left")
>>> round(smallest_text_px(fig, px_per_inch=96), 1)
13.3
>>> collisions(fig)
["text 'on the line' is crossed by line 'a line'"]
>>> plt.close(fig)

A label that runs out of its box is caught too:

>>> from matplotlib.patches import Rectangle
>>> fig, ax = plt.subplots(figsize=(4, 3))
>>> _ = ax.add_patch(Rectangle((0.4, 0.4), 0.2, 0.2, fill=False))
>>> _ = ax.text(0.5, 0.5, "a label too long for its box", ha="center", va="center")
>>> collisions(fig)
["text 'a label too long for its box' crosses the edge of Rectangle at (0.5, 0.5)"]
>>> plt.close(fig)
"""

import numpy as np

#: The width of the lesson column in CSS pixels (Material's text column at desktop width).
COLUMN_PX = 688
#: The smallest text allowed, in CSS pixels at the displayed size.
MIN_TEXT_PX = 9.0
#: Overlaps smaller than this, in display pixels at the figure's dpi, are anti-aliasing, not collisions.
SLACK_PX = 1.0


def _drawn_texts(fig) -> list:
    """Every text Matplotlib draws in ``fig``, with its extent in display pixels.

    Collected while the figure draws, because an axis keeps label objects for ticks outside
    its view that stay "visible" but are never drawn.
    """
    from matplotlib.text import Text

    drawn = []
    original = Text.draw

    def record(self, renderer):
        if self.get_visible() and self.get_text().strip():
            drawn.append(self)
        return original(self, renderer)

    Text.draw = record
    try:
        fig.draw_without_rendering()
    finally:
        Text.draw = original
    renderer = fig.canvas.get_renderer()
    return [(text, text.get_window_extent(renderer)) for text in drawn]


def tight_width_inches(fig) -> float:
    """The width of the saved figure (``bbox_inches="tight"`` with Matplotlib's 0.1 inch padding)."""
    renderer = fig.canvas.get_renderer()
    return fig.get_tightbbox(renderer).width + 2 * 0.1


def smallest_text_px(fig, px_per_inch: float, column_px: float = COLUMN_PX) -> float:
    """The size of the smallest text in CSS pixels, the figure being shown ``px_per_inch`` CSS
    pixels to its inch and at most ``column_px`` wide."""
    sizes = [text.get_fontsize() for text, _ in _drawn_texts(fig)]
    width_px = tight_width_inches(fig) * px_per_inch
    scale = min(1.0, column_px / width_px)
    return min(sizes) / 72 * px_per_inch * scale if sizes else float("inf")


def _label(artist) -> str:
    text = artist.get_text() if hasattr(artist, "get_text") else artist.get_label()
    return repr(text.strip()[:40]) if text and not text.startswith("_") else type(artist).__name__


def _overlap(a, b) -> bool:
    return (min(a.x1, b.x1) - max(a.x0, b.x0) > SLACK_PX) and (min(a.y1, b.y1) - max(a.y0, b.y0) > SLACK_PX)


def _data_points(artist) -> np.ndarray:
    """Points along a line (every 2 display pixels) or a collection's markers, in display pixels."""
    from matplotlib.collections import PathCollection
    from matplotlib.lines import Line2D

    if isinstance(artist, Line2D):
        xy = artist.get_transform().transform(artist.get_xydata())
        xy = xy[np.isfinite(xy).all(axis=1)]
        if artist.get_linestyle() in ("None", "none", "", " ") or len(xy) < 2:
            return xy
        return _along(xy)
    if isinstance(artist, PathCollection):
        offsets = artist.get_offset_transform().transform(artist.get_offsets())
        return offsets[np.isfinite(offsets).all(axis=1)]
    return np.empty((0, 2))


def _along(xy: np.ndarray) -> np.ndarray:
    """Points every 2 display pixels along the polyline through ``xy`` (display pixels)."""
    pieces = [xy[:1]]
    for start, end in zip(xy[:-1], xy[1:]):
        steps = max(int(np.hypot(*(end - start)) // 2), 1)
        pieces.append(start + np.outer(np.arange(1, steps + 1) / steps, end - start))
    return np.concatenate(pieces)


def _edge_points(patch) -> np.ndarray:
    """Points every 2 display pixels along a patch's outline (curves flattened), where it is drawn."""
    path = patch.get_transform().transform_path(patch.get_path())
    outlines = [_along(p) for p in path.to_polygons(closed_only=False) if len(p) and np.isfinite(p).all()]
    if not outlines:
        return np.empty((0, 2))
    points = np.concatenate(outlines)
    clip = patch.get_clip_box() if patch.get_clip_on() else None
    if clip is not None:  # outside its axes a bar or box is cut off, not drawn
        points = points[(points[:, 0] >= clip.x0) & (points[:, 0] <= clip.x1)
                        & (points[:, 1] >= clip.y0) & (points[:, 1] <= clip.y1)]
    return points


def _shapes(fig) -> list:
    """The boxes, circles and bars drawn on the axes (arrows are lines, not shapes), with their outlines."""
    from matplotlib.patches import FancyArrowPatch

    shapes = []
    for ax in fig.axes:
        for patch in ax.patches:
            if patch.get_visible() and not isinstance(patch, FancyArrowPatch):
                extent = patch.get_extents()  # display pixels
                x, y = ax.transData.inverted().transform(((extent.x0 + extent.x1) / 2, (extent.y0 + extent.y1) / 2))
                where = ", ".join(f"{round(v, 2) + 0.0:g}" for v in (x, y))  # + 0.0: no "-0"
                shapes.append((f"{type(patch).__name__} at ({where})", _edge_points(patch)))
    return shapes


def _inside(points: np.ndarray, box) -> bool:
    x0, y0, x1, y1 = box.x0 + SLACK_PX, box.y0 + SLACK_PX, box.x1 - SLACK_PX, box.y1 - SLACK_PX
    return bool(((points[:, 0] > x0) & (points[:, 0] < x1) & (points[:, 1] > y0) & (points[:, 1] < y1)).any())


def collisions(fig) -> list[str]:
    """Texts overlapping texts, texts that a shape's edge runs through, and legends or labels
    inside a plot that its data crosses."""
    texts = _drawn_texts(fig)
    renderer = fig.canvas.get_renderer()
    found = []
    for i, (a, box_a) in enumerate(texts):
        for b, box_b in texts[i + 1:]:
            if _overlap(box_a, box_b):
                found.append(f"text {_label(a)} overlaps text {_label(b)}")
    for name, edge in _shapes(fig):
        found += [f"text {_label(text)} crosses the edge of {name}" for text, box in texts
                  if len(edge) and _inside(edge, box)]
    drawn = {text for text, _ in texts}
    for ax in fig.axes:
        data = [artist for artist in [*ax.lines, *ax.collections] if artist.get_visible()]
        legend = ax.get_legend()
        boxes = []
        if legend is not None and legend.get_visible():
            names = ", ".join(t.get_text() for t in legend.get_texts())
            boxes.append((f"legend ({names[:40]})", legend.get_window_extent(renderer), None))
        boxes += [(f"text {_label(t)}", t.get_window_extent(renderer), t.get_transform().transform(t.get_position()))
                  for t in ax.texts if t in drawn]
        for name, box, anchor in boxes:
            for artist in data:
                points = _data_points(artist)
                if anchor is not None and len(points) and np.hypot(*(points - anchor).T).min() < 1:
                    continue  # a text set on a marker labels that marker
                if len(points) and _inside(points, box):
                    kind = "line" if hasattr(artist, "get_xydata") else "markers"
                    found.append(f"{name} is crossed by {kind} {_label(artist)}")
    return found


LEGEND_CORNERS = ("best", "upper right", "upper left", "lower left", "lower right", "center right", "center left")


def integer_ticks(fig) -> None:
    """Give a linear axis whose plotted values are all whole numbers (epochs, steps, layers) whole-number ticks."""
    from matplotlib.ticker import MaxNLocator

    for ax in fig.axes:
        points = [_data_xy(artist) for artist in [*ax.lines, *ax.collections]]
        points = [p for p in points if len(p)]
        if not points:
            continue
        xy = np.concatenate(points)
        for column, axis, scale in ((0, ax.xaxis, ax.get_xscale()), (1, ax.yaxis, ax.get_yscale())):
            values = xy[:, column]
            if scale == "linear" and len(values) > 1 and np.all(values == np.round(values)) and np.ptp(values) >= 2:
                axis.set_major_locator(MaxNLocator(integer=True))


def _data_xy(artist) -> np.ndarray:
    from matplotlib.collections import PathCollection
    from matplotlib.lines import Line2D

    if isinstance(artist, Line2D) and artist.get_transform() == artist.axes.transData:
        xy = np.asarray(artist.get_xydata(), dtype=float)
    elif isinstance(artist, PathCollection) and artist.get_offset_transform() == artist.axes.transData:
        xy = np.asarray(artist.get_offsets(), dtype=float)
    else:
        return np.empty((0, 2))
    return xy[np.isfinite(xy).all(axis=1)] if xy.ndim == 2 and xy.shape[1] == 2 else np.empty((0, 2))


def enlarge_small_text(fig, px_per_inch: float, column_px: float = COLUMN_PX) -> None:
    """Raise every text below :data:`MIN_TEXT_PX` (as displayed) to it; a few rounds, since larger
    text can widen the figure and so shrink it on the page."""
    for _ in range(4):
        smallest = smallest_text_px(fig, px_per_inch, column_px)
        if smallest >= MIN_TEXT_PX:
            return
        texts = [text for text, _ in _drawn_texts(fig)]
        px_per_point = smallest / min(text.get_fontsize() for text in texts)  # as displayed
        minimum_pt = MIN_TEXT_PX / px_per_point * 1.01
        for text in texts:
            if text.get_fontsize() < minimum_pt:
                text.set_fontsize(minimum_pt)


def _legend_crossed(ax, renderer) -> bool:
    box = ax.get_legend().get_window_extent(renderer)
    return any(len(points := _data_points(a)) and _inside(points, box)
               for a in [*ax.lines, *ax.collections] if a.get_visible())


def place_legends(fig) -> None:
    """Move a legend that data crosses to the first corner where none does, else above the plot."""
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is None or not legend.get_visible():
            continue
        fig.draw_without_rendering()
        renderer = fig.canvas.get_renderer()
        if not _legend_crossed(ax, renderer):
            continue
        for corner in LEGEND_CORNERS:
            legend.set_loc(corner)
            fig.draw_without_rendering()
            if not _legend_crossed(ax, renderer):
                break
        else:  # above the plot, where neither its data nor a neighbouring plot is
            legend.set_bbox_to_anchor((0.0, 1.02, 1.0, 0.1), transform=ax.transAxes)
            legend.set_loc("lower left")
            legend.set_ncols(2)


def make_readable(fig, px_per_inch: float) -> list[str]:
    """Integer ticks, large enough text and free legends; then what is still wrong (empty: fine)."""
    integer_ticks(fig)
    enlarge_small_text(fig, px_per_inch)
    place_legends(fig)
    problems = collisions(fig)
    smallest = smallest_text_px(fig, px_per_inch)
    if smallest < MIN_TEXT_PX:
        problems.append(f"smallest text {smallest:.1f} CSS px at the column's width ({MIN_TEXT_PX:.0f} needed)")
    return problems
