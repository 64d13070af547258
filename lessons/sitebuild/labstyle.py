"""Lab plots in the site's figure style, with a twin for the dark palette.

The build runs every lab in a kernel that first calls :func:`use_site_style`: Matplotlib takes
the light palette of :data:`sitebuild.figures.THEMES` (transparent background, the site's font
and colour cycle) and the inline backend draws PNGs at twice their displayed size.

The two palettes differ only in the colour of text and axes (``fg``) and of grid lines
(``muted``), so the lab page gets its dark twin by recolouring exactly those pixels:
:func:`dark_twin` maps every pixel of the light ``fg`` or ``muted`` colour (any opacity,
which is how anti-aliased edges look on a transparent background) to its dark counterpart and
leaves the data colours alone.

>>> import numpy as np
>>> light, dark = THEMES
>>> pixels = np.array([[_rgba(light.fg, 128), _rgba("#0072B2", 255), _rgba(light.muted, 255)]], np.uint8)
>>> recolor(pixels)[0].tolist() == [_rgba(dark.fg, 128), _rgba("#0072B2", 255), _rgba(dark.muted, 255)]
True
"""

import io

import numpy as np

from sitebuild.figures import THEMES

#: How far (per channel, 0-255) a pixel may be from a palette colour and still be that colour.
TOLERANCE = 6


def use_site_style() -> None:
    """Called in the lab's kernel before its first cell: the site's light figure style, 2x PNGs."""
    import matplotlib
    import matplotlib.pyplot  # noqa: F401 - activates the inline backend before the style is set
    from IPython import get_ipython

    matplotlib.rcParams.update(THEMES[0].rc)
    get_ipython().run_line_magic("config", "InlineBackend.figure_formats = ['retina']")


def _rgba(color: str, alpha: int) -> list[int]:
    return [int(color[i:i + 2], 16) for i in (1, 3, 5)] + [alpha]


def recolor(pixels: np.ndarray) -> np.ndarray:
    """RGBA pixels of a light-palette plot with ``fg`` and ``muted`` swapped for the dark ones."""
    light, dark = THEMES
    out = pixels.copy()
    rgb = pixels[..., :3].astype(int)
    for name in ("fg", "muted"):
        source = np.array(_rgba(getattr(light, name), 0)[:3])
        target = np.array(_rgba(getattr(dark, name), 0)[:3], dtype=np.uint8)
        out[..., :3][np.abs(rgb - source).max(axis=-1) <= TOLERANCE] = target
    return out


def dark_twin(png: bytes) -> bytes:
    """The PNG ``png`` (a light-palette plot) recoloured for the dark palette."""
    from PIL import Image

    from buildcache.images import save_small_png

    with Image.open(io.BytesIO(png)) as image:
        pixels = np.asarray(image.convert("RGBA"))
    buffer = io.BytesIO()
    save_small_png(Image.fromarray(recolor(pixels)), buffer)
    return buffer.getvalue()
