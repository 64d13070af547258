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
        files = {}
        for theme in THEMES:
            filename = f"{spec.name}-{theme.name}.{spec.format}"
            try:
                with matplotlib.rc_context(theme.rc):
                    fig = spec.draw(theme)
                    metadata = {"Date": None} if spec.format == "svg" else {"Software": None}
                    fig.savefig(out_dir / filename, format=spec.format, metadata=metadata,
                                bbox_inches="tight", dpi=110)
                    plt.close(fig)
                if spec.format == "png":
                    shrink_png(out_dir / filename)
            except Exception as error:
                where = f"{display_path(module_path)}, function {spec.name}() ({theme.name} palette)"
                raise FigureError(f"{where}: {type(error).__name__}: {error}") from error
            files[theme.name] = filename
        manifest.append({"name": spec.name, "alt": spec.alt, "caption": spec.caption, "files": files})
    return manifest


def _cache_dir(module_path: Path) -> Path:
    import matplotlib

    key = content_key(module_path, Path(__file__), Path(images.__file__), extra=(matplotlib.__version__,))
    return FIGURE_CACHE / module_path.stem / key


def _build_one(module_path: Path) -> Path:
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
    missing = [m for m in modules if not (_cache_dir(m) / "manifest.json").exists()]
    if missing:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            list(pool.map(_build_one, missing))
    # A module edited while the build ran gets its new key drawn here, never a stale folder.
    done = {m.stem: _build_one(m) for m in modules}
    for module in modules:
        prune(FIGURE_CACHE / module.stem, keep={done[module.stem]})
    return done


def manifest(cache_folder: Path) -> dict[str, dict]:
    """The rendered figures of one module, by function name."""
    entries = json.loads((cache_folder / "manifest.json").read_text())
    return {entry["name"]: entry for entry in entries}
