"""Run every benchmark: ``python -m benchmarks [arguments passed to each]``.

To add a benchmark, write ``benchmarks/NAME.py`` with a ``main(argv)`` that prints its
table and writes ``benchmarks/results/NAME.json``, then add ``"NAME"`` to ``BENCHMARKS``.
"""

import importlib
import sys

BENCHMARKS = ["mlp", "cnn", "lstm", "explorer"]


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    status = 0
    for name in BENCHMARKS:
        print(f"== {name} ==", flush=True)
        module = importlib.import_module(f"benchmarks.{name}")
        status |= module.main(argv)
        print(flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
