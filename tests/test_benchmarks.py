"""The MLP benchmark's in-place NumPy network computes what nnlib's ``fit`` computes, so the
time between the two rows of the benchmark table is the cost of nnlib's temporary arrays and
not of a different calculation."""

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from benchmarks.common import batches
from benchmarks.mlp import SIZES, InPlaceMLP, nnlib_model, synthetic_data

BATCH_SIZE = 32
ROOT = Path(__file__).resolve().parents[1]


def test_the_in_place_network_takes_the_same_adam_steps_as_nnlib():
    # Three full batches and a short one, so the buffers for a second batch size are made too.
    X, Y, _ = synthetic_data(3 * BATCH_SIZE + 7)
    model = nnlib_model()
    model.build((SIZES[0],))
    initial_W = [layer.W.copy() for layer in model.layers]
    network = InPlaceMLP(np, [W.copy() for W in initial_W], [layer.b.copy() for layer in model.layers])

    history = model.fit(X, Y, epochs=1, batch_size=BATCH_SIZE, shuffle=False, verbose=0)
    summed_losses = [float(network.train_step(X[lo:hi], Y[lo:hi])) for lo, hi in batches(len(X), BATCH_SIZE)]

    assert sum(summed_losses) / len(X) == pytest.approx(history.history["loss"][-1], rel=1e-5)
    for layer, W, b, W_before in zip(model.layers, network.W, network.b, initial_W):
        # Adam moves each weight by about the learning rate (1e-3) per step: far more than atol.
        assert np.abs(W - W_before).max() > 1e-3
        np.testing.assert_allclose(W, layer.W, rtol=1e-4, atol=1e-6, err_msg=f"{layer.name}/W")
        np.testing.assert_allclose(b, layer.b, rtol=1e-4, atol=1e-6, err_msg=f"{layer.name}/b")


def test_engines_times_the_training_steps_of_nnlib_from_each_tree(tmp_path):
    # A copy of nnlib elsewhere: the worker for it must import that copy, not the installed one.
    shutil.copytree(ROOT / "nnlib", tmp_path / "nnlib", ignore=shutil.ignore_patterns("__pycache__"))
    command = [sys.executable, "-m", "benchmarks.engines", str(tmp_path), str(ROOT), "--rounds", "2", "--steps", "1",
               "--pairs", "2"]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[1:3] == [f"old {tmp_path}", f"new {ROOT}"]
    ratios = {line.split()[0]: float(line.split()[1]) for line in lines[3:5]}
    assert list(ratios) == ["mlp", "cnn"] and all(ratio > 0 for ratio in ratios.values())
    assert [line.split(" page faults per step: ")[0].strip() for line in lines[5:]] == ["mlp", "cnn"]


def test_engines_steady_heap_spares_the_cnn_its_page_faults():
    # With glibc's defaults the CNN step faults in hundreds of pages (the heap's top is handed
    # back and taken again); told to keep freed memory, a warmed-up worker needs almost none.
    command = [sys.executable, "-m", "benchmarks.engines", str(ROOT), str(ROOT), "--rounds", "4", "--steps", "3",
               "--pairs", "1", "--steady-heap"]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "glibc keeping freed memory" in done.stdout.splitlines()[0]
    cnn = done.stdout.splitlines()[-1]
    old, new = (float(part.split()[-1]) for part in cnn.split(": ")[1].split(", "))
    assert cnn.startswith("cnn ") and old < 100 and new < 100, cnn


def test_engines_summary_ranks_the_median_and_its_95_percent_interval():
    from benchmarks.engines import summary

    ratios = [1 + i / 100 for i in range(100)]
    np.random.default_rng(0).shuffle(ratios)
    # For 100 values the distribution-free 95% interval of the median spans ranks 40 to 61.
    assert summary(ratios).startswith("1.495 (")
    assert summary(ratios).endswith("95% CI of the median 1.390-1.600)")
