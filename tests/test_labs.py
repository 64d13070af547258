"""Every lab runs top to bottom in a fresh kernel, and its self-checks pass.

A self-check cell prints a line beginning ``Self-check passed`` or ``Self-check failed``;
labs ship with working answers filled in, so every self-check must pass here.
"""

import json

import pytest

from sitebuild import labs


@pytest.mark.parametrize("lab", labs.lab_files(), ids=lambda p: p.name)
def test_lab_runs_and_self_checks_pass(lab):
    notebook = json.loads(labs.executed_lab(lab).read_text())
    text = "\n".join(
        "".join(output.get("text", ""))
        for cell in notebook["cells"] if cell["cell_type"] == "code"
        for output in cell.get("outputs", [])
    )
    assert "Self-check failed" not in text, f"{lab.name}: a self-check failed with the shipped answers"
    assert "Self-check passed" in text, f"{lab.name} has no self-check cell"
    first = notebook["cells"][0]
    assert first["cell_type"] == "markdown" and "pip install" in "".join(first["source"]), (
        f"{lab.name}: the first cell must say how to install what the lab needs"
    )
