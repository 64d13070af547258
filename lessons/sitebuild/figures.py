"""Build-time figures: drawn from nnlib by code in ``lessons/figures/``, never committed.

A figure is a function in ``lessons/figures/<module>.py`` decorated with :func:`figure`.
It receives a :class:`Theme` and returns a Matplotlib figure; the build draws it twice,
once for the light palette and once for the dark one, and a lesson shows it with a line
of its own::

    {{ figure: neuron/bias_shift }}

where ``neuron`` is the module and ``bias_shift`` the function. The alt text and the
caption come from the decorator, so they live next to the code that draws the picture.

Rendered files are cached under ``.cache/figures/<module>/<key>/``, the key covering the
module's source, nnlib's source and this file, so a warm build draws nothing.

Before a figure is saved, the build makes it readable at the column's width and checks it
(:mod:`sitebuild.figurecheck`): text that would show smaller than 9 CSS pixels is enlarged
(the figure's layout engine then makes room), a legend that sits on data moves to the
first free corner or, failing that, beside the plot, and integer axes get integer ticks.
A figure that still has text smaller than that, or text on text, or a label that data
crosses, stops the build with its name and what collides. PNGs are drawn at twice their
displayed size, for sharp figures on high-density screens.
"""

import importlib.util
import json
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from buildcache.cache import CACHE_DIR, ROOT, content_key, display_path, new_tmp_dir, prune, publish_dir
from buildcache import images
from buildcache.images import shrink_png
from sitebuild import figurecheck

FIGURES_DIR = ROOT / "lessons" / "figures"
FIGURE_CACHE = CACHE_DIR / "figures"

#: Okabe & Ito's colour-blind-safe palette, without black so it reads on dark pages too.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442"]


class FigureError(RuntimeError):
    """A figure could not be found or drawn; the message names the file and function."""


@dataclass(frozen=True)
class Theme:
    """Colours for one page palette. Figures take every colour from here.

    ``colors`` is the categorical palette (colour-blind safe), ``fg`` the colour of text
    and axes, ``muted`` for grid lines and secondary marks, ``cmap`` a perceptually uniform
    sequential colour map and ``diverging`` one centred on zero (for weights and signs).
    """

    name: str
    fg: str
    muted: str
    colors: tuple[str, ...] = tuple(OKABE_ITO)
    cmap: str = "viridis"
    diverging: str = "PuOr"

    @property
    def rc(self) -> dict:
        """Matplotlib settings for this palette (transparent background, DejaVu Sans)."""
        from cycler import cycler

        return {
            "axes.prop_cycle": cycler(color=list(self.colors)),
            "text.color": self.fg,
            "axes.labelcolor": self.fg,
            "axes.edgecolor": self.fg,
            "xtick.color": self.fg,
            "ytick.color": self.fg,
            "grid.color": self.muted,
            "legend.labelcolor": self.fg,
            "legend.frameon": False,
            "axes.facecolor": "none",
            "figure.facecolor": "none",
            "savefig.facecolor": "none",
            "font.family": "DejaVu Sans",
            "font.size": 11,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "svg.hashsalt": "nn-visually",
            "figure.dpi": 100,
        }


THEMES = (Theme("light", fg="#1f2328", muted="#c8ccd1"), Theme("dark", fg="#e3e6ea", muted="#4a505a"))


#: CSS pixels per inch of a figure as shown: an SVG's points are 1/72 inch to the browser; a PNG
#: is declared at this many pixels per inch (and drawn at twice that, :data:`PNG_SCALE`).
PX_PER_INCH = {"svg": 96, "png": 110}
PNG_SCALE = 2
#: Width in pixels of each figure's small PNG copy (the home page's lesson cards show it at half that).
THUMBNAIL_PX = 480


@dataclass(frozen=True)
class FigureSpec:
    """What :func:`figure` records about one drawing function."""

    name: str
    alt: str
    caption: str
    draw: Callable
    format: str


def figure(alt: str, caption: str = "", format: str = "svg"):
    """Mark a function as a build-time figure.

    ``alt`` says what the figure shows, for readers who cannot see it; ``caption`` is shown
    under it. ``format`` is ``"svg"`` (line art) or ``"png"`` (dense images such as
    decision-boundary grids, where an SVG would be heavy).
    """
    if not alt.strip():
        raise FigureError("every figure needs alt text that says what it shows")
    if format not in ("svg", "png"):
        raise FigureError(f"figure format must be 'svg' or 'png', got {format!r}")

    def mark(draw: Callable) -> Callable:
        draw.figure_spec = FigureSpec(draw.__name__, alt, caption, draw, format)
        return draw

    return mark


def figure_modules(folder: Path = FIGURES_DIR) -> list[Path]:
    """The figure modules, one per lesson or topic."""
    return sorted(p for p in folder.glob("*.py") if not p.name.startswith("_"))


def load_specs(module_path: Path) -> list[FigureSpec]:
    """Import a figure module by path and return its figures in source order."""
    spec = importlib.util.spec_from_file_location(f"lesson_figures.{module_path.stem}", module_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return [f.figure_spec for f in vars(module).values() if hasattr(f, "figure_spec")]


def render_module(module_path: Path, out_dir: Path) -> list[dict]:
    """Draw every figure of one module in both palettes into ``out_dir``; return the manifest."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    manifest = []
    for spec in load_specs(module_path):
        files, thumbnails, size = {}, {}, None
        for theme in THEMES:
            filename = f"{spec.name}-{theme.name}.{spec.format}"
            where = f"{display_path(module_path)}, function {spec.name}() ({theme.name} palette)"
            try:
                with matplotlib.rc_context(theme.rc):
                    fig = spec.draw(theme)
                    problems = figurecheck.make_readable(fig, PX_PER_INCH[spec.format])
                    if problems:
                        plt.close(fig)
                        raise FigureError(f"{where}: not readable at the column's width:\n  " + "\n  ".join(problems))
                    metadata = {"Date": None} if spec.format == "svg" else {"Software": None}
                    dpi = PX_PER_INCH["png"] * (PNG_SCALE if spec.format == "png" else 1)  # SVG: its embedded images
                    fig.savefig(out_dir / filename, format=spec.format, metadata=metadata, bbox_inches="tight", dpi=dpi)
                    thumbnail = f"{spec.name}-{theme.name}.thumb.png"
                    fig.savefig(out_dir / thumbnail, format="png", metadata={"Software": None}, bbox_inches="tight",
                                dpi=THUMBNAIL_PX / figurecheck.tight_width_inches(fig))
                    shrink_png(out_dir / thumbnail)
                    thumbnails[theme.name] = thumbnail
                    plt.close(fig)
                if spec.format == "png":
                    shrink_png(out_dir / filename)
                    size = _displayed_size(out_dir / filename)
            except FigureError:
                raise
            except Exception as error:
                raise FigureError(f"{where}: {type(error).__name__}: {error}") from error
            files[theme.name] = filename
        entry = {"name": spec.name, "alt": spec.alt, "caption": spec.caption, "files": files, "thumbnails": thumbnails}
        if size:
            entry["width"], entry["height"] = size
        manifest.append(entry)
    return manifest


def _displayed_size(png: Path) -> tuple[int, int]:
    """The CSS size of a PNG drawn at :data:`PNG_SCALE` times its displayed size."""
    from PIL import Image

    with Image.open(png) as image:
        return round(image.width / PNG_SCALE), round(image.height / PNG_SCALE)


def _cache_dir(module_path: Path) -> Path:
    import matplotlib

    key = content_key(module_path, Path(__file__), Path(images.__file__), Path(figurecheck.__file__),
                      extra=(matplotlib.__version__,))
    return FIGURE_CACHE / module_path.stem / key


def is_built(module_path: Path) -> bool:
    """Whether the module's figures for its current source are in the cache."""
    return (_cache_dir(module_path) / "manifest.json").exists()


def build_one(module_path: Path) -> Path:
    """Draw one module's figures into the cache (unless current there); return its cache folder."""
    final = _cache_dir(module_path)
    if (final / "manifest.json").exists():
        return final
    tmp = new_tmp_dir(final)
    manifest = render_module(module_path, tmp)
    (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1))
    publish_dir(tmp, final)
    return final


def build_all(folder: Path = FIGURES_DIR, jobs: int | None = None) -> dict[str, Path]:
    """Make sure every figure module is rendered; return ``{module: cache folder}``.

    Missing modules are drawn in parallel worker processes (figures train small networks,
    which is the slow part of a cold build).
    """
    modules = figure_modules(folder)
    missing = [m for m in modules if not is_built(m)]
    if missing:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            list(pool.map(build_one, missing))
    # A module edited while the build ran gets its new key drawn here, never a stale folder.
    done = {m.stem: build_one(m) for m in modules}
    for module in modules:
        prune(FIGURE_CACHE / module.stem, keep={done[module.stem]})
    return done


def manifest(cache_folder: Path) -> dict[str, dict]:
    """The rendered figures of one module, by function name."""
    entries = json.loads((cache_folder / "manifest.json").read_text())
    return {entry["name"]: entry for entry in entries}
