""""Copy as nnlib code": the script the Explorer writes, run by Python with nnlib, ends at the
page's training and test loss to a relative 1e-9, for runs that stop inside an epoch too."""

import re
import subprocess
import sys

import pytest

from explorer_page import in_page, module_page

pytestmark = pytest.mark.browser

TOLERANCE = 1e-9

RUNS = {
    "xor, adam, 2 hidden": dict(dataset="xor", steps=47),
    "spirals 3 classes, momentum, l2": dict(dataset="spirals3", optimizer="momentum", lr=0.05, l2=0.001, hidden=[8, 8], activation="relu", steps=60),
    "regression, sgd, features": dict(dataset="regression", loss="mean_squared_error", optimizer="sgd", lr=0.05,
                                      features=["x1", "x1sq", "sin1"], hidden=[6], steps=33),
    "circles, hinge, l1, no hidden layer": dict(dataset="circles", loss="hinge", hidden=[], l1=0.001,
                                                features=["x1", "x2", "x1sq", "x2sq", "x1x2"], steps=28, batch=7),
    "moons, mse, leaky relu, all for training": dict(dataset="moons", loss="mean_squared_error", activation="leaky_relu",
                                                     train=1, steps=40, seed=9),
    "drawn points": dict(dataset="draw", drawn=[[0.1, 0.2, 0], [0.5, -0.4, 1], [-0.6, 0.3, 0], [0.9, 0.9, 1], [-0.2, -0.8, 1]],
                         batch=2, steps=11, activation="sigmoid"),
}

EXPORT = """
const { DEFAULTS, makeRun } = await import('./explorer.js');
const { pythonScript } = await import('./export.js');
const out = {};
for (const [key, spec] of Object.entries(arg)) {
  const { steps, ...settings } = spec;
  const run = makeRun({ ...DEFAULTS, ...settings });
  for (let i = 0; i < steps; i++) if (run.trainer.trainBatch() === null) throw new Error(run.trainer.diverged);
  out[key] = { script: pythonScript(run), train: run.model.evaluate(run.train).loss,
               test: run.test.n ? run.model.evaluate(run.test).loss : null, epoch: run.trainer.epoch, step: run.trainer.step };
}
return out;
"""


@pytest.fixture(scope="module")
def exported():
    with module_page() as page:
        return in_page(page, EXPORT, RUNS)


@pytest.mark.parametrize("key", RUNS)
def test_exported_script_ends_at_the_page_loss(key, exported, tmp_path):
    run = exported[key]
    script = tmp_path / "explorer_run.py"
    script.write_text(run["script"], encoding="utf-8")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    printed = dict(re.findall(r"^(train|test) loss (\S+)$", result.stdout, flags=re.M))
    assert abs(float(printed["train"]) - run["train"]) <= TOLERANCE * abs(run["train"])
    if run["test"] is None:
        assert "test" not in printed
    else:
        assert abs(float(printed["test"]) - run["test"]) <= TOLERANCE * abs(run["test"])


def test_runs_cover_partial_epochs(exported):
    """Most runs stop inside an epoch, so the script's by-hand batches are exercised."""
    assert sum(run["step"] > 0 for run in exported.values()) >= 4
    assert all(run["epoch"] >= 1 for run in exported.values())
