"""Every lab runs top to bottom in a fresh kernel: as shipped, with its solutions, with wrong answers.

A self-check cell prints one line beginning ``Self-check passed``, ``Self-check failed`` (with
a hint after the colon) or ``Self-check: not answered yet``. Labs ship with blanks where the
reader answers (cells tagged ``answer``, see :mod:`sitebuild.labs`), so as shipped, which is
also what the site publishes, every self-check says it is not answered and none passes. With
the answers of ``lessons/labs/solutions/`` filled in, every one passes; with wrong answers,
the ones they feed fail and say what to try.
"""

import json

import jupytext
import pytest

from sitebuild import labs

LABS = labs.lab_files()

# Wrong answers, one for each answer cell of the lab, in order.
WRONG = {
    "02-the-neuron.py": ("my_bias = 0.65", "and_w = [1.0, 1.0]\nand_b = -1.5"),
    "04-layers-and-architecture.py": ("my_count = 784 * 256 + 256 * 128 + 128 * 10",
                                      'my_units, my_activation = 5, "sigmoid"'),
    "05-forward-propagation.py": ("my_a1 = X_check @ W1 + b1", "my_shape = (128, 32)"),
    "06-loss-functions.py": ("my_bce = np.log(0.25)", 'my_loss = "binary_crossentropy"'),
    "07-backpropagation.py": (
        "db1 = delta1.mean(axis=0)",
        "class Softsign(Activation):\n    def f(self, x):\n        return x / (1 + np.abs(x))\n\n"
        "    def df(self, grad):\n        return grad / (1 + np.abs(self.x))\n",
    ),
}


def self_checks(executed) -> list[str]:
    """The ``Self-check`` lines a run printed, in order."""
    notebook = json.loads(executed.read_text())
    text = "\n".join(
        "".join(output.get("text", ""))
        for cell in notebook["cells"] if cell["cell_type"] == "code"
        for output in cell.get("outputs", [])
    )
    return [line for line in text.splitlines() if line.startswith("Self-check")]


def lab_id(lab):
    return lab.name


@pytest.mark.parametrize("lab", LABS, ids=lab_id)
def test_every_answer_cell_has_a_solution(lab):
    blanks = labs.answer_cells(jupytext.read(lab))
    assert blanks, f"{lab.name} has no cell tagged answer"
    assert len(labs.solutions(lab)) == len(blanks), (
        f"{lab.name}: {len(blanks)} answer cells, {len(labs.solutions(lab))} cells in {labs.solutions_file(lab).name}"
    )


@pytest.mark.parametrize("lab", LABS, ids=lab_id)
def test_lab_as_shipped_has_blanks_and_says_so(lab):
    executed = labs.executed_lab(lab)
    assert labs.execute_all([lab])[lab] == executed, "the site publishes the notebook as shipped"
    checks = self_checks(executed)
    assert checks, f"{lab.name} has no self-check"
    answered = [line for line in checks if not line.startswith("Self-check: not answered yet")]
    assert not answered, f"{lab.name} as shipped (and published) answers a self-check: {answered}"
    first = json.loads(executed.read_text())["cells"][0]
    assert first["cell_type"] == "markdown" and "pip install" in "".join(first["source"]), (
        f"{lab.name}: the first cell must say how to install what the lab needs"
    )


@pytest.mark.parametrize("lab", LABS, ids=lab_id)
def test_lab_with_its_solutions_passes_every_self_check(lab):
    shipped = self_checks(labs.executed_lab(lab))
    solved = self_checks(labs.executed_lab(lab, labs.solutions(lab)))
    assert solved and all(line.startswith("Self-check passed") for line in solved), (
        f"{lab.name} with its solutions: {solved}"
    )
    assert len(solved) == len(shipped), f"{lab.name}: {len(shipped)} self-checks as shipped, {len(solved)} solved"


@pytest.mark.parametrize("name", sorted(WRONG))
def test_wrong_answers_fail_with_a_hint(name):
    lab = labs.LABS_DIR / name
    checks = self_checks(labs.executed_lab(lab, WRONG[name]))
    assert checks and all(line.startswith("Self-check failed: ") for line in checks), f"{name}: {checks}"
    hints = [line.removeprefix("Self-check failed: ") for line in checks]
    assert all(len(hint.split()) >= 5 for hint in hints), f"{name}: a failure without a hint: {checks}"


def test_answers_must_match_the_answer_cells():
    lab = labs.LABS_DIR / "02-the-neuron.py"
    with pytest.raises(labs.LabError, match=r"02-the-neuron\.py has 2 answer cells but 1 answers were given"):
        labs.executed_lab(lab, ("my_bias = -0.65",))
