"""The machinery every benchmark shares: timing, subprocesses, the report, the table, the CLI.

A benchmark module (``benchmarks/NAME.py``) keeps only what is its own: its data, its
contenders, its configuration and its targets. It times one contender in this process
(``--only NAME``), and this module runs each contender in a fresh Python, in alternating
rounds, pools the rounds, describes the machine and writes ``benchmarks/results/NAME.json``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
from pathlib import Path

RESULTS_DIR = Path(__file__).parent / "results"
# Environment variables that change NumPy's matrix-product speed, recorded with the results.
ENVIRONMENT_KEYS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS")
SECONDS_HEADER = f"{'contender':<10} {'best s':>8} {'median s':>9} {'peak RSS MiB':>13} {'loss':>7}"


class Skip(Exception):
    """A contender that cannot run here (a missing package or device); the message says why."""


def batches(n_samples: int, batch_size: int):
    """Consecutive (start, stop) slices, the last one possibly short, as every contender uses."""
    return [(start, min(start + batch_size, n_samples)) for start in range(0, n_samples, batch_size)]


# ----------------------------------------------------------------------------- one contender


def timing_result(name: str, times: list[float], final_loss: float | None) -> dict:
    """One contender's result: its times, best and median, and this process's peak memory and BLAS."""
    return {
        "name": name,
        "times_s": times,
        "best_s": min(times),
        "median_s": statistics.median(times),
        "final_loss": final_loss,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "thread_pools": thread_pools(),
    }


def measure_epochs(name: str, run_epoch, data, batch_size: int, repeat: int) -> dict:
    """Time ``run_epoch(X, Y, y, batch_size) -> (seconds, loss)`` ``repeat`` times in this process,
    after an untimed warm-up on the first 20 batches (loading libraries, starting threads)."""
    X, Y, y = data
    warm_up = slice(0, min(len(X), 20 * batch_size))
    times, losses = [], []
    try:
        run_epoch(X[warm_up], Y[warm_up], y[warm_up], batch_size)
        for _ in range(repeat):
            seconds, loss = run_epoch(X, Y, y, batch_size)
            times.append(seconds)
            losses.append(loss)
    except (Skip, ImportError) as reason:
        return {"name": name, "skipped": str(reason)}
    return timing_result(name, times, losses[-1])


def thread_pools() -> list[dict]:
    """The BLAS and OpenMP libraries loaded in this process, with the kernel each uses."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return [{"note": "threadpoolctl is not installed (pip install 'nn-visually[bench]')"}]
    keep = ("user_api", "internal_api", "version", "architecture", "num_threads", "threading_layer", "filepath")
    return [{key: info[key] for key in keep if key in info} for info in threadpool_info()]


def measure_in_subprocess(benchmark: str, name: str, options: list[str]) -> dict:
    """Run one contender of ``benchmarks.<benchmark>`` in a fresh Python, so its peak memory is
    its own; ``options`` are the benchmark's size options passed on to it."""
    command = [sys.executable, "-m", f"benchmarks.{benchmark}", "--only", name, "--json", *options]
    done = subprocess.run(command, capture_output=True, text=True, cwd=Path(__file__).parent.parent)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        return {"name": name, "skipped": "failed: " + " | ".join(tail)}
    return json.loads(done.stdout.strip().splitlines()[-1])


def merge(earlier: dict | None, later: dict) -> dict:
    """Pool the timings of two rounds of one contender."""
    if earlier is None or "skipped" in earlier:
        return later
    if "skipped" in later:
        return earlier
    times = earlier["times_s"] + later["times_s"]
    return {
        **later,
        "times_s": times,
        "best_s": min(times),
        "median_s": statistics.median(times),
        "peak_rss_mib": max(earlier["peak_rss_mib"], later["peak_rss_mib"]),
    }


# ----------------------------------------------------------------------------- every contender


def run_all(benchmark: str, args, config: dict, targets, options: list[str]) -> dict:
    """Measure every contender, in ``args.rounds`` alternating rounds, so a slow spell on a
    shared machine does not fall on one contender only; the best time over all rounds counts.
    Returns the report written to ``benchmarks/results/<benchmark>.json``."""
    results = {}
    load_before = os.getloadavg()
    for round_ in range(args.rounds):
        for name in args.contenders:
            print(f"round {round_ + 1}/{args.rounds}: {name} ...", file=sys.stderr, flush=True)
            results[name] = merge(results.get(name), measure_in_subprocess(benchmark, name, options))
    return {
        "benchmark": benchmark,
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "config": config,
        "machine": machine(),
        "versions": versions(),
        "environment": {key: os.environ.get(key) for key in ENVIRONMENT_KEYS},
        "load_average": {"before": list(load_before), "after": list(os.getloadavg())},
        "blas": blas_summary(results),
        "results": results,
        "ratios": ratios(results, targets),
    }


def machine() -> dict:
    """The platform, CPU count and model, and the GPU when CuPy finds one."""
    info = {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "cpu_model": _cpu_model(),
    }
    try:
        import cupy

        if cupy.is_available():
            info["gpu"] = cupy.cuda.runtime.getDeviceProperties(0)["name"].decode()
    except Exception:  # no CuPy, or no GPU: a CPU machine
        pass
    return info


def _cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo, else what ``platform`` knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def versions() -> dict:
    """The versions of Python and the contenders' packages, and nnlib's git commit."""
    from importlib.metadata import PackageNotFoundError, version

    found = {"python": platform.python_version()}
    for package in ("numpy", "torch", "scikit-learn", "cupy-cuda12x", "threadpoolctl"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            pass
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                            cwd=Path(__file__).parent)
    found["nnlib_commit"] = commit.stdout.strip() if commit.returncode == 0 else None
    return found


def ratios(results: dict, targets) -> list[dict]:
    """Each (numerator, denominator, the most the ratio may be) target, measured where both ran."""
    rows = []
    for top, bottom, target in targets:
        a, b = results.get(top, {}), results.get(bottom, {})
        if "best_s" not in a or "best_s" not in b:
            continue
        ratio = a["best_s"] / b["best_s"]
        rows.append({"ratio": f"{top}/{bottom}", "measured": ratio, "target_at_most": target, "met": ratio <= target})
    return rows


def blas_summary(results: dict) -> list[str]:
    """One line per BLAS library seen, naming the kernel (OpenBLAS's 'architecture')."""
    lines, seen = [], set()
    for result in results.values():
        for pool in result.get("thread_pools", []):
            if pool.get("user_api") != "blas":
                continue
            key = (pool.get("internal_api"), pool.get("version"), pool.get("architecture"), pool.get("filepath"))
            if key in seen:
                continue
            seen.add(key)
            lines.append(
                f"{pool.get('internal_api')} {pool.get('version')}, kernel {pool.get('architecture', '?')}, "
                f"{pool.get('num_threads')} threads ({Path(pool.get('filepath', '?')).name})"
            )
    return lines


# ----------------------------------------------------------------------------- table


def seconds_columns(result: dict) -> str:
    """A contender's columns under ``SECONDS_HEADER``: best and median seconds, memory, loss."""
    loss = "" if result["final_loss"] is None else f"{result['final_loss']:.3f}"
    return f"{result['best_s']:>8.3f} {result['median_s']:>9.3f} {result['peak_rss_mib']:>13.0f} {loss:>7}"


def format_table(report: dict, title: str, header: str = SECONDS_HEADER, columns=seconds_columns,
                 show_environment: bool = False) -> str:
    """The report as text: ``title``, a line per contender (``header``, then ``columns(result)``),
    the ratios against their targets, a warning if the machine was busy, and the BLAS used.
    ``show_environment`` adds, after a blank line, the BLAS variables set in the environment."""
    out = [title, "", header]
    for name, result in report["results"].items():
        out.append(f"{name:<10} skipped: {result['skipped']}" if "skipped" in result else f"{name:<10} {columns(result)}")
    out += ["", f"{'ratio':<16} {'measured':>9} {'target':>9}  met"]
    for ratio in report["ratios"]:
        out.append(
            f"{ratio['ratio']:<16} {ratio['measured']:>8.2f}x {'<= ' + format(ratio['target_at_most'], '.1f') + 'x':>9}  "
            f"{'yes' if ratio['met'] else 'NO'}"
        )
    busy = busy_warning(report)
    if busy or show_environment:
        out.append("")
    if busy:
        out.append(busy)
    out.append("BLAS: " + ("; ".join(report["blas"]) or "no BLAS library reported"))
    env = {k: v for k, v in report["environment"].items() if v is not None}
    if show_environment and env:
        out.append("set in the environment: " + ", ".join(f"{k}={v}" for k, v in env.items()))
    return "\n".join(out)


def busy_warning(report: dict) -> str | None:
    """A warning when other work was using the CPUs: a 1-minute load above half the cores
    before the run. (The load after it is the benchmark's own, so it says nothing.)"""
    cores = report["machine"]["cpu_count"] or 1
    before = report["load_average"]["before"][0]
    if before <= cores / 2:
        return None
    return (f"WARNING: the machine was busy (load average {before:.1f} on {cores} cores before the run); "
            f"these times are unreliable, rerun on an idle machine")


# ----------------------------------------------------------------------------- command line


def argument_parser(benchmark: str, doc: str, contenders) -> argparse.ArgumentParser:
    """A parser choosing the contenders; the benchmark then adds its own sizes and repeats,
    and :func:`add_output_arguments` the rest."""
    parser = argparse.ArgumentParser(prog=f"python -m benchmarks.{benchmark}", description=doc.splitlines()[0])
    parser.add_argument("--only", choices=contenders, help="run one contender in this process")
    parser.add_argument("--contenders", nargs="+", choices=contenders, default=list(contenders))
    return parser


def add_output_arguments(parser: argparse.ArgumentParser, results_file: str) -> None:
    """The options on what to print and save, and --profile; ``results_file`` names the default."""
    parser.add_argument("--json", action="store_true", help="with --only: print the result as JSON")
    parser.add_argument("--output", type=Path, help=f"results file (default benchmarks/results/{results_file})")
    parser.add_argument("--no-save", action="store_true", help="print the table, write no results file")
    parser.add_argument("--profile", action="store_true", help="profile nnlib's time with cProfile")


def main(args, *, profile, measure, run_all, format_table) -> int:
    """What every benchmark's ``main`` does: ``profile(args)`` with --profile; with --only, print
    ``measure(args)`` (one contender, here); else ``run_all(args)``, print its table, save it."""
    if args.profile:
        profile(args)
        return 0
    if args.only:
        result = measure(args)
        print(json.dumps(result) if args.json else json.dumps(result, indent=2))
        return 0
    report = run_all(args)
    print(format_table(report))
    if not args.no_save:
        output = args.output or default_output(report)
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(report, indent=2) + "\n")
        print(f"\nwrote {output}")
    return 0


def default_output(report: dict) -> Path:
    """``results/<benchmark>.json``, or ``results/<benchmark>-<backend>.json`` off NumPy."""
    backend = report["config"]["backend"]
    suffix = "" if backend == "numpy" else f"-{backend}"
    return RESULTS_DIR / f"{report['benchmark']}{suffix}.json"


def print_profile(function, lines: int) -> None:
    """Call ``function()`` under cProfile and print the ``lines`` costliest functions by own time."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    function()
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(lines)
