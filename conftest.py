"""Test collection for the whole repository.

- ```` ```pycon ```` blocks in ``lessons/**/*.md`` are doctests (see ``sitebuild.doctests``).
  A page's blocks share one namespace in order, so parallel runs keep each file on one
  worker (``pytest -n auto --dist loadfile``, as the Makefile runs it).
- Docstring examples in ``nnlib``, ``animations`` and ``lessons/_site`` run through
  ``--doctest-modules``. Labs and figure code are not imported as test modules: labs run in
  ``tests/test_labs.py``, figures in the site build.
"""

from sitebuild.doctests import lesson_sybil

collect_ignore_glob = ["lessons/labs/*", "lessons/figures/*", "site/*", "benchmarks/*", "media/*"]

pytest_collect_file = lesson_sybil("lessons").pytest()

