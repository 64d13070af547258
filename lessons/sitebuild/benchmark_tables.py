"""The performance page, made from the results files that ``make bench`` writes.

``{{ benchmark: mlp }}`` on a line of its own shows ``benchmarks/results/mlp.json`` as a bar
chart and a table, in one convention: each contender's best time relative to PyTorch on the
CPU (below 1 is faster than PyTorch), with the seconds and the peak memory beside it.
``{{ benchmark: machine }}`` shows, once, in a collapsible block, when, where and with which
versions each results file was measured. The page never states a speed that no file records.
"""

import json
from pathlib import Path

from buildcache.cache import CACHE_DIR, ROOT, content_key, new_tmp_dir, publish_dir

RESULTS_DIR = ROOT / "benchmarks" / "results"
CHART_CACHE = CACHE_DIR / "benchmark-charts"
REFERENCE = "torch"
NAMES = {"nnlib": "nnlib", "torch": "PyTorch (CPU)", "sklearn": "scikit-learn", "floor": "matrix products alone",
         "in-place": "in-place NumPy"}


def load(name: str) -> dict:
    path = RESULTS_DIR / f"{name}.json"
    if not path.exists():
        raise KeyError(f"no benchmark results '{name}' in benchmarks/results (known: {', '.join(result_names()) or 'none'}); "
                       "run make bench")
    result = json.loads(path.read_text())
    if "measurements" not in result and REFERENCE not in result["results"]:
        raise KeyError(f"benchmarks/results/{name}.json has no '{REFERENCE}' contender to measure the others against")
    return result


def result_names() -> list[str]:
    return sorted(p.stem for p in RESULTS_DIR.glob("*.json"))


def relative_times(result: dict) -> dict[str, float]:
    """Each contender's best time divided by PyTorch's, fastest first.

    >>> times = relative_times(load("mlp"))
    >>> times["torch"]
    1.0
    >>> list(times) == sorted(times, key=times.get)
    True
    """
    reference = result["results"][REFERENCE]["best_s"]
    times = {key: entry["best_s"] / reference for key, entry in result["results"].items()}
    return dict(sorted(times.items(), key=lambda item: item[1]))


def draw_chart(result: dict, theme):
    """Horizontal bars of :func:`relative_times`, nnlib in the first colour, PyTorch's 1 marked."""
    import matplotlib.pyplot as plt

    times = relative_times(result)
    labels = [NAMES.get(key, key) for key in times]
    colors = [theme.colors[0] if key == "nnlib" else theme.muted for key in times]
    fig, ax = plt.subplots(figsize=(6.4, 0.55 * len(times) + 0.9))
    bars = ax.barh(labels, list(times.values()), color=colors)
    ax.invert_yaxis()
    ax.axvline(1.0, color=theme.fg, linewidth=1, linestyle="--")
    ax.bar_label(bars, labels=[f"{t:.2f}×" for t in times.values()], padding=4, color=theme.fg)
    ax.set_xlim(0, max(times.values()) * 1.2)
    ax.set_xlabel("best time relative to PyTorch on the CPU (lower is faster)")
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)
    return fig


def charts(name: str) -> dict[str, Path]:
    """The chart of one results file in both palettes, drawn once per results file: ``{theme: path}``."""
    from sitebuild.figures import THEMES

    final = CHART_CACHE / content_key(RESULTS_DIR / f"{name}.json", Path(__file__), extra=(name,))
    paths = {theme.name: final / f"{name}-{theme.name}.svg" for theme in THEMES}
    if not final.exists():
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        tmp = new_tmp_dir(final)
        for theme in THEMES:
            with matplotlib.rc_context(theme.rc):
                fig = draw_chart(load(name), theme)
                fig.savefig(tmp / paths[theme.name].name, format="svg", metadata={"Date": None}, bbox_inches="tight")
                plt.close(fig)
        publish_dir(tmp, final)
    return paths


def table_markdown(result: dict) -> str:
    """The numbers behind the chart.

    >>> print(table_markdown(load("mlp")).splitlines()[0])
    | Contender | Best time (s) | Relative to PyTorch (CPU) | Peak memory (MiB) |
    """
    lines = ["| Contender | Best time (s) | Relative to PyTorch (CPU) | Peak memory (MiB) |", "|---|---:|---:|---:|"]
    for key, relative in relative_times(result).items():
        entry = result["results"][key]
        lines.append(f"| {NAMES.get(key, key)} | {entry['best_s']:.3f} | {relative:.2f}× "
                     f"| {entry.get('peak_rss_mib', float('nan')):.0f} |")
    target = next((r for r in result.get("ratios", []) if r["ratio"] == f"nnlib/{REFERENCE}"), None)
    if target:
        lines += ["", f"The project's target is nnlib at most {target['target_at_most']:.1f}× PyTorch's time: "
                      + ("met." if target["met"] else "**not met** on this run.")]
    return "\n".join(lines)


def machine_markdown() -> str:
    """One collapsible block: the machine, the versions and when each results file was measured.

    >>> print(machine_markdown().splitlines()[0])
    ??? info "The machine and the versions behind these numbers"
    """
    results = {name: json.loads((RESULTS_DIR / f"{name}.json").read_text()) for name in result_names()}
    lines = ['??? info "The machine and the versions behind these numbers"', "",
             "    | Benchmark | Measured | CPU | Versions | BLAS | Load before the run |", "    |---|---|---|---|---|---|"]
    for name, result in results.items():
        machine, versions = result["machine"], result["versions"]
        load_average = result.get("load_average", {}).get("before")
        busy = ""
        if load_average:
            busy = f"{load_average[0]:.1f}" + (" (busy: rough times)" if load_average[0] > machine["cpu_count"] / 2 else "")
        lines.append(f"    | {name} | {result['date'][:10]} | {machine['cpu_model']}, {machine['cpu_count']} cores "
                     f"| {', '.join(f'{k} {v}' for k, v in versions.items())} "
                     f"| {'; '.join(result.get('blas', [])) or 'unknown'} | {busy} |")
    return "\n".join(lines)


def is_measurements(result: dict) -> bool:
    """Whether a results file holds named measurements against targets rather than contenders' times."""
    return "measurements" in result


def measurements_markdown(result: dict) -> str:
    """A results file of named measurements against targets (``benchmarks/explorer.py``).

    >>> print(measurements_markdown(load("explorer")).splitlines()[0])
    | Measurement | Measured | Target | Met |
    """
    names = {"steps_per_s": "training steps per second, drawing paused", "frames_per_s": "frames per second while training",
             "code_kib": "the page's own code (KiB)"}
    lines = ["| Measurement | Measured | Target | Met |", "|---|---:|---:|:---:|"]
    for key, value in result["measurements"].items():
        target = result["targets"][key]
        sign = "≥" if target["op"] == ">=" else "<"
        lines.append(f"| {names.get(key, key)} | {value:,.1f} | {sign} {target['value']:,} | {'yes' if target['met'] else '**no**'} |")
    return "\n".join(lines)
