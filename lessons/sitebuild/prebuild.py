"""Fill the build caches before ``mkdocs build``: ``python -m sitebuild.prebuild [--quality Q]``.

A cold build has three kinds of slow work: rendering the Manim scenes
(:mod:`animations.render`), drawing the figure modules (:mod:`sitebuild.figures`) and
executing the labs (:mod:`sitebuild.labs`). Run one kind after the other, each kind ends
with cores idle while its slowest job finishes. Here every stale job of all three kinds goes
into one pool of worker processes, longest first, so the cores stay busy until the end;
``mkdocs build`` then finds everything cached and only assembles the pages.

"Longest" is the CPU time the same job took the last time it ran on this machine, kept in
``.cache/build-times.json``; a job never timed counts as :data:`FIRST_GUESS_S` for its kind
(scenes are the slowest kind). The order changes only how soon the build ends, never what
it makes: each job writes the same cache entry that ``make animations`` and the mkdocs
hooks would have written.
"""

import argparse
import json
import os
import resource
import sys
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from multiprocessing import get_context
from typing import Callable

from animations import SCENES
from animations import render as scenes
from buildcache.cache import CACHE_DIR, display_path
from sitebuild import figures, labs

TIMES_FILE = CACHE_DIR / "build-times.json"
#: CPU seconds assumed for a job of each kind that has never been timed here (720p scenes
#: take 20-100 s, figure modules and labs mostly a few seconds).
FIRST_GUESS_S = {"scene": 60.0, "lab": 10.0, "figure": 10.0}


class PrebuildError(RuntimeError):
    """A job failed; the message names the scene, figure module or lab and the error."""


@dataclass(frozen=True)
class Job:
    """One unit of slow work: ``run(*args)`` in a worker process fills one cache entry."""

    kind: str
    name: str
    run: Callable
    args: tuple

    @property
    def label(self) -> str:
        return f"{self.kind} {self.name}"


def stale_jobs(quality: str) -> list[Job]:
    """Every scene, figure module and lab whose cache entry is missing."""
    jobs = [Job("scene", name, scenes.render_scene, (name, quality, scenes.output_folder(name, quality)))
            for name in SCENES if not scenes.output_folder(name, quality).is_dir()]
    jobs += [Job("figure", module.stem, figures.build_one, (module,))
             for module in figures.figure_modules() if not figures.is_built(module)]
    jobs += [Job("lab", lab.stem, labs.executed_lab, (lab,))
             for lab in labs.lab_files() if not labs.cached_path(lab).exists()]
    return jobs


def longest_first(jobs: list[Job], times: dict[str, float]) -> list[Job]:
    """The jobs by the CPU seconds they took last time (or the guess for their kind), most first.

    >>> quick, slow = Job("lab", "a", print, ()), Job("scene", "B", print, ())
    >>> [job.name for job in longest_first([quick, slow], {"lab a": 3.0})]
    ['B', 'a']
    >>> [job.name for job in longest_first([quick, slow], {"lab a": 90.0})]
    ['a', 'B']
    """
    return sorted(jobs, key=lambda job: times.get(job.label, FIRST_GUESS_S[job.kind]), reverse=True)


def cpu_seconds() -> float:
    """CPU time (user + system) of this process and of its children that have ended (lab kernels)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(run: Callable, *args) -> float:
    """``run(*args)``; return the CPU seconds it took (a worker runs one job at a time)."""
    before = cpu_seconds()
    run(*args)
    return cpu_seconds() - before


def read_times() -> dict[str, float]:
    try:
        return json.loads(TIMES_FILE.read_text())
    except (FileNotFoundError, ValueError):
        return {}


def write_times(times: dict[str, float]) -> None:
    TIMES_FILE.parent.mkdir(parents=True, exist_ok=True)
    partial = TIMES_FILE.with_name(f".{TIMES_FILE.name}.{os.getpid()}")
    partial.write_text(json.dumps(times, indent=1, sort_keys=True) + "\n")
    os.replace(partial, TIMES_FILE)


def run_jobs(jobs: list[Job], workers: int, log=print) -> dict[str, float]:
    """Run ``jobs`` in this order on ``workers`` processes; return ``{label: CPU seconds}``.

    The first failure stops the build: jobs not started are cancelled and
    :class:`PrebuildError` names the job that failed.
    """
    times = {}
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        pending = {pool.submit(timed, job.run, *job.args): job for job in jobs}
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                job = pending.pop(future)
                if future.exception() is not None:
                    pool.shutdown(cancel_futures=True)
                    raise PrebuildError(f"{job.label} failed: {future.exception()}") from future.exception()
                times[job.label] = future.result()
                log(f"{job.label}: {times[job.label]:.1f} CPU-s")
    return times


def prebuild(quality: str, workers: int = scenes.WORKERS, log=print) -> dict[str, float]:
    """Fill every stale cache entry (see the module docstring); return the CPU seconds per job."""
    scenes.check_quality(quality)
    jobs = longest_first(stale_jobs(quality), read_times())
    times = run_jobs(jobs, workers, log) if jobs else {}
    if times:
        write_times({**read_times(), **times})
    # Now all cached: this only drops the superseded renders. The mkdocs build that follows does
    # the same for figures and labs (figures.build_all, labs.execute_all); each check hashes nnlib.
    scenes.render(quality=quality, log=lambda line: None)
    return times


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sitebuild.prebuild", description=__doc__.split("\n")[0])
    parser.add_argument("--quality", default="medium", choices=list(scenes.QUALITIES),
                        help="the scenes' quality (as for python -m animations render)")
    parser.add_argument("--workers", type=int, default=scenes.WORKERS, help="worker processes (default: %(default)s)")
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error(f"--workers must be at least 1, got {args.workers}")
    began = time.perf_counter()
    try:
        times = prebuild(args.quality, args.workers, log=lambda line: print(line, flush=True))  # shown as each job ends
    except (PrebuildError, figures.FigureError, labs.LabError, scenes.RenderError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"prebuild: {len(times)} jobs, {sum(times.values()):.0f} CPU-s, "
          f"{time.perf_counter() - began:.0f} s wall (cache: {display_path(CACHE_DIR)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
