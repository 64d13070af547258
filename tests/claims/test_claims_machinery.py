"""The claims machinery: the table in ``README.md`` lists exactly the claim tests of this
folder, each under its lesson, and a measurement is computed once and then read back."""

import ast
import json
import re
from pathlib import Path

import measured

HERE = Path(__file__).parent
LESSONS = HERE.parents[1] / "lessons"
ROW = re.compile(r"^\|\s*\[?(\d\d)[^|]*\|(.+)\|\s*`(test_\w+\.py)::(test_\w+)`\s*\|\s*$")


def claim_modules() -> list[Path]:
    return sorted(p for p in HERE.glob("test_*.py") if not p.name.startswith("test_claims"))


def defined_tests(module: Path) -> list[str]:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    return [node.name for node in tree.body if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")]


def table_rows() -> list[tuple[str, str, str]]:
    """(lesson number, module, test) for every row of the README's table."""
    lines = (HERE / "README.md").read_text(encoding="utf-8").splitlines()
    rows = [ROW.match(line) for line in lines if line.startswith("|") and "`test_" in line]
    assert all(rows), "a table row does not read | NN lesson | claim | `test_module.py::test_name` |"
    return [(row[1], row[3], row[4]) for row in rows]


def test_each_claim_module_belongs_to_a_lesson():
    for module in claim_modules():
        number = re.match(r"test_(\d\d)_", module.name)
        assert number, f"{module.name}: claim modules are named test_NN_<lesson>.py"
        assert list(LESSONS.glob(f"{number[1]}-*.md")), f"{module.name}: no lesson numbered {number[1]}"


def test_the_table_lists_every_claim_test_and_nothing_else():
    listed = {(module, test) for _, module, test in table_rows()}
    defined = {(module.name, test) for module in claim_modules() for test in defined_tests(module)}
    assert not defined - listed, f"claim tests missing from tests/claims/README.md: {sorted(defined - listed)}"
    assert not listed - defined, f"rows naming no test: {sorted(listed - defined)}"
    for number, module, test in table_rows():
        assert module.startswith(f"test_{number}_"), f"{module}::{test} is listed under lesson {number}"


def test_a_measurement_runs_once_then_reads_the_cache(tmp_path, monkeypatch):
    monkeypatch.setattr(measured, "CLAIM_CACHE", tmp_path)
    calls = []

    @measured.measurement
    def losses(seed):
        calls.append(seed)
        return {"seed": seed, "loss": (0.5, 0.25)}

    assert losses(3) == {"seed": 3, "loss": [0.5, 0.25]}  # as JSON gives it back, first time too
    assert losses(3) == {"seed": 3, "loss": [0.5, 0.25]} and calls == [3]
    assert losses(4)["seed"] == 4 and calls == [3, 4]
    stored = sorted(tmp_path.rglob("*.json"))
    assert len(stored) == 2 and json.loads(stored[0].read_text())["loss"] == [0.5, 0.25]
