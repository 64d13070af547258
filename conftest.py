"""Test collection for the whole repository.

- ```` ```pycon ```` blocks in ``lessons/**/*.md`` are doctests (see ``sitebuild.doctests``).
  A page's blocks share one namespace in order, so parallel runs keep each file on one
  worker (``pytest -n auto --dist loadfile``, as the Makefile runs it).
- Docstring examples in ``nnlib``, ``animations``, ``lessons/sitebuild`` and ``lessons/buildcache`` run through
  ``--doctest-modules``. Labs and figure code are not imported as test modules: labs run in
  ``tests/test_labs.py``, figures in the site build.
"""

from pathlib import Path

from sitebuild.doctests import lesson_sybil

collect_ignore_glob = ["lessons/labs/*", "lessons/figures/*", "lessons/quizzes/*", "site/*", "benchmarks/*", "media/*"]

pytest_collect_file = lesson_sybil("lessons").pytest()

ARTIFACTS = Path(__file__).parent / "test-artifacts"

# The lessons' expected outputs were computed with these kernels (see the Makefile and README).
NUMERIC_PINS = {"OPENBLAS_CORETYPE": "Haswell", "NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR"}


def pytest_report_header(config):
    """Say whether the numeric pins are set: without them an AVX-512 CPU fails lesson doctests."""
    import os

    unset = [f"{key}={value!r}" for key, value in NUMERIC_PINS.items() if os.environ.get(key) != value]
    if not unset:
        return "numeric pins: " + ", ".join(f"{key}={value}" for key, value in NUMERIC_PINS.items())
    return ("WARNING: numeric pins not set (" + ", ".join(unset) + "); lesson doctests may print other "
            "numbers on this CPU. Run make test, or set them as the Makefile does.")


def pytest_terminal_summary(terminalreporter):
    claims_summary(terminalreporter)
    browser_summary(terminalreporter)


def reports(terminalreporter):
    """Every passed or failed test report, with its outcome (read from the reports, so that the
    summaries work with xdist)."""
    for outcome in ("passed", "failed"):
        for report in terminalreporter.stats.get(outcome, []):
            yield outcome, report


def claims_summary(terminalreporter):
    """What each claim test measured (tests/claims), also written to test-artifacts/claims.txt."""
    lines = sorted(f"{report.nodeid.split('::')[-1]} ({outcome}) {text}"
                   for outcome, report in reports(terminalreporter)
                   for name, text in getattr(report, "user_properties", []) if name == "nnv_claim")
    if not lines:
        return
    terminalreporter.write_sep("-", "claims: what each test measured")
    for line in lines:
        terminalreporter.write_line(line)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "claims.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def browser_summary(terminalreporter):
    """The browser suite's report (tests/browser): page weights and axe results, also written to
    test-artifacts/browser-report.txt."""
    weights, axe, site = {}, {}, None
    for _, report in reports(terminalreporter):
        for name, value in getattr(report, "user_properties", []):
            if name == "nnv_weight":
                weights[value[0]] = value[1]
            elif name == "nnv_axe":
                axe[value[0]] = value[1]
            elif name == "nnv_site":
                site = value
    if not weights:
        return
    lines = ["heaviest pages (bytes fetched, video excluded; budget 1.5 MB):"]
    lines += [f"  {page}: {size / 1e6:.2f} MB" for page, size in sorted(weights.items(), key=lambda kv: -kv[1])[:3]]
    if site:
        lines.append(f"whole site: {site[1] / 1e6:.1f} MB in {site[0]} ({site[2]} pages)")
    totals: dict[str, int] = {}
    for counts in axe.values():
        for impact, n in counts.items():
            totals[impact] = totals.get(impact, 0) + n
    lines.append(f"axe violations over {len(axe)} pages, by impact: "
                 + (", ".join(f"{k} {n}" for k, n in sorted(totals.items())) or "none"))
    lines += [f"  {page}: " + ", ".join(f"{k} {n}" for k, n in sorted(c.items())) for page, c in sorted(axe.items()) if c]
    terminalreporter.write_sep("-", "browser suite: page weights and accessibility")
    for line in lines:
        terminalreporter.write_line(line)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "browser-report.txt").write_text("\n".join(lines) + "\n")
