"""Measurements behind the lessons' claims, cached like the figures.

A claim ("Adam reaches a lower loss than SGD here", "the deeper network fits better") is
tested in two parts: a *measurement*, which is slow because it trains networks over several
seeds, and assertions about it, which are fast. A measurement is a function decorated with
:func:`measurement` that returns plain numbers (dicts, lists, floats, ints: what JSON holds).
Its result is stored in ``.cache/claims/<key>/``, the key covering the test module's source,
nnlib's source and this file; a changed test or engine measures again, an unchanged one reads
the stored numbers, so ``make test`` trains each claim's networks once.

>>> spread([0.25, 0.5, 0.75])
Spread(mean=0.5, std=0.25, low=0.25, high=0.75, n=3)
>>> print(spread([0.25, 0.5, 0.75]))
0.5 ± 0.25 (0.25 to 0.75, 3 runs)
"""

import functools
import hashlib
import inspect
import json
import os
import statistics
from dataclasses import dataclass
from pathlib import Path

from buildcache.cache import CACHE_DIR, content_key

CLAIM_CACHE = CACHE_DIR / "claims"

#: The seeds a claim is measured over, unless it is trained to convergence instead.
SEEDS = (0, 1, 2, 3, 4)


def measurement(function):
    """Cache ``function``'s result (keyed by its module's source, nnlib's and this file's).

    Arguments, if any, must be JSON values; they become part of the file name's hash. The
    result is returned as JSON gives it back (tuples become lists), cached or not, so a test
    sees the same thing on its first run and on every later one.
    """
    source = Path(inspect.getsourcefile(function))

    @functools.wraps(function)
    def cached(*args):
        key = content_key(source, Path(__file__))
        arguments = hashlib.sha256(json.dumps(args).encode()).hexdigest()[:12]
        path = CLAIM_CACHE / key / f"{source.stem}.{function.__name__}.{arguments}.json"
        if path.is_file():
            return json.loads(path.read_text(encoding="utf-8"))
        text = json.dumps(function(*args))
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)  # a reader never sees half a file
        return json.loads(text)

    return cached


@dataclass(frozen=True)
class Spread:
    """Mean, sample standard deviation and range of one quantity over several runs."""

    mean: float
    std: float
    low: float
    high: float
    n: int

    def __str__(self) -> str:
        return f"{self.mean:.4g} ± {self.std:.2g} ({self.low:.4g} to {self.high:.4g}, {self.n} runs)"


def spread(values) -> Spread:
    """The :class:`Spread` of ``values`` (at least two of them)."""
    values = [float(v) for v in values]
    if len(values) < 2:
        raise ValueError(f"a spread needs at least 2 runs, got {len(values)}")
    return Spread(statistics.fmean(values), statistics.stdev(values), min(values), max(values), len(values))
