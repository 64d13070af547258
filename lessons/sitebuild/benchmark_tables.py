"""Tables for the performance page, made from the results files that ``make bench`` writes.

``{{ benchmark: mlp }}`` on a line of its own shows ``benchmarks/results/mlp.json``: every
contender's best time and peak memory, each ratio against its target, and when, where and
with which versions it was measured. The page never states a speed that no file records.
"""

import json
from pathlib import Path

from buildcache.cache import ROOT

RESULTS_DIR = ROOT / "benchmarks" / "results"


def load(name: str) -> dict:
    path = RESULTS_DIR / f"{name}.json"
    if not path.exists():
        known = ", ".join(sorted(p.stem for p in RESULTS_DIR.glob("*.json"))) or "none"
        raise KeyError(f"no benchmark results '{name}' in benchmarks/results (known: {known}); run make bench")
    return json.loads(path.read_text())


def benchmark_markdown(name: str) -> str:
    """The Markdown tables for one results file.

    >>> print(benchmark_markdown("mlp").splitlines()[0])
    | Contender | Best time (s) | Relative to nnlib | Peak memory (MiB) |
    """
    result = load(name)
    if "measurements" in result:
        return measurements_markdown(result)
    nnlib_time = result["results"]["nnlib"]["best_s"]
    lines = ["| Contender | Best time (s) | Relative to nnlib | Peak memory (MiB) |", "|---|---:|---:|---:|"]
    for contender in result["results"].values():
        lines.append(
            f"| {contender['name']} | {contender['best_s']:.3f} | {contender['best_s'] / nnlib_time:.2f}× "
            f"| {contender.get('peak_rss_mib', float('nan')):.0f} |"
        )
    lines += ["", "| Ratio | Measured | Target (at most) | Met |", "|---|---:|---:|:---:|"]
    for ratio in result.get("ratios", []):
        met = "yes" if ratio["met"] else "**no**"
        lines.append(f"| {ratio['ratio']} | {ratio['measured']:.2f} | {ratio['target_at_most']:.2f} | {met} |")
    return "\n".join(lines + ["", measured_where(result)])


def measurements_markdown(result: dict) -> str:
    """A results file of named measurements against targets (``benchmarks/explorer.py``).

    >>> print(benchmark_markdown("explorer").splitlines()[0])
    | Measurement | Measured | Target | Met |
    """
    names = {"steps_per_s": "training steps per second, drawing paused", "frames_per_s": "frames per second while training",
             "code_kib": "the page's own code (KiB)"}
    lines = ["| Measurement | Measured | Target | Met |", "|---|---:|---:|:---:|"]
    for key, value in result["measurements"].items():
        target = result["targets"][key]
        sign = "≥" if target["op"] == ">=" else "<"
        lines.append(f"| {names.get(key, key)} | {value:,.1f} | {sign} {target['value']:,} | {'yes' if target['met'] else '**no**'} |")
    return "\n".join(lines + ["", measured_where(result)])


def measured_where(result: dict) -> str:
    """When, where and with which versions a results file was measured, and how busy the machine was."""
    machine, versions = result["machine"], result["versions"]
    version_text = ", ".join(f"{k} {v}" for k, v in versions.items())
    text = (f"Measured on {result['date'][:10]} on {machine['cpu_model']} ({machine['cpu_count']} cores, "
            f"{machine['platform']}); {version_text}.")
    if "blas" in result:
        text += f" BLAS: {'; '.join(result['blas']) or 'unknown'}."
    load_average = result.get("load_average", {}).get("before")
    if load_average:
        busy = load_average[0] > machine["cpu_count"] / 2
        text += (f" One-minute load average before the run: {load_average[0]:.1f}"
                 + (" — the machine was busy, so treat these times as rough." if busy else "."))
    return text
