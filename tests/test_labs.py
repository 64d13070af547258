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
    "01-what-is-a-neural-network.py": (
        "W1 = np.zeros((2, 2))\nb1 = np.zeros(2)\nW2 = np.zeros((2, 1))\nb2 = np.zeros(1)",
        "my_w = [1.0, 1.0]\nmy_b = 1.0",                      # stopped after the first update
    ),
    "02-the-neuron.py": ("my_bias = 0.65", "and_w = [1.0, 1.0]\nand_b = -1.5"),
    "03-activation-functions.py": (
        "def my_tanh_slope(z):\n    return 1 - np.tanh(z)\n",
        "def my_swish_slope(z):\n    return 1 / (1 + np.exp(-z))\n",
        'my_choices = {"is this email spam?": "softmax", "which of 10 digits is this?": "softmax",\n'
        '              "tomorrow\'s temperature in degrees": "relu"}',
        "my_alpha = 1.0",                                        # ELU's default: mean +0.16
    ),
    "04-layers-and-architecture.py": ("my_count = 784 * 256 + 256 * 128 + 128 * 10",
                                      'my_units, my_activation = 5, "sigmoid"'),
    "05-forward-propagation.py": ("my_a1 = X_check @ W1 + b1", "my_shape = (128, 32)"),
    "06-loss-functions.py": (
        "my_bce = np.log(0.25)",
        'my_loss = "binary_crossentropy"',
        "my_J = np.diag(a_demo * (1 - a_demo))",                 # the diagonal alone
        "my_kl = np.sum(np.array([0.9, 0.1]) * np.log(np.array([0.9, 0.1]) / np.array([0.5, 0.5])))",  # KL(q || p)
        "my_smoothed_p = 1 - 0.1",                                # the uniform share of the true class left out
    ),
    "07-backpropagation.py": (
        "db1 = delta1.mean(axis=0)",
        "class Softsign(Activation):\n    def f(self, x):\n        return x / (1 + np.abs(x))\n\n"
        "    def df(self, grad):\n        return grad / (1 + np.abs(self.x))\n",
        "my_dX = delta1[:, :1] * W1[:, 0]",                     # one path of four
    ),
    "08-gradient-descent.py": (
        "my_learning_rate = 0.01",
        "x = X[:, 0]\nH = 2 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])\n"
        "my_max_rate = 1 / np.linalg.eigvalsh(H).max()",                    # 1, not 2, over the eigenvalue
        "my_batch_size = int(np.ceil(one_variance / 0.5))",     # the standard deviation taken for the variance
        "my_change = 0.01 * np.linalg.norm(full)",               # uphill: the sign of the step lost
    ),
    "09-optimizers.py": (
        "def my_rmsprop_step(theta, g, s, lr=0.01, rho=0.9, eps=1e-7):\n"
        "    s = rho * s + (1 - rho) * g**2\n    return theta - lr * g / (s + eps), s\n",
        "my_optimizer = SGD(learning_rate=0.0001)",
        "my_weight = 2.0 * (1 - 2 * 0.01 * 0.1) ** 100",          # decay as an L2 penalty's gradient
        "my_rates = [0.02 * min(1, t / 5) for t in range(7)]",   # counted from 0: a first rate of 0
    ),
    "10-training-a-network.py": (
        "my_means = np.nanmean(X, axis=0)",
        "my_learning_rate = 10.0",
        "my_first_loss = 1 / 4",                                 # the probability, not the loss
    ),
    "11-decision-boundaries.py": (
        "my_guess = 1.0",
        'my_spiral_net = dict(hidden=[4], activation="tanh", epochs=20)',
        "my_h = X_clean @ W1 + b1",                              # z, before the tanh
    ),
    "12-generalization.py": (
        "my_answer = 30",
        "def bias_and_variance(curves):\n"
        "    return np.mean((curves.mean(axis=0) - truth) ** 2), np.mean(curves.var(axis=1))\n",  # spread along x
        "my_peak = 1000",                                         # the classic picture: more features, worse
    ),
    "15-convolutional-networks.py": (
        "def convolve(image, kernel, stride=1):\n    k = kernel.shape[0]\n    size = image.shape[0] - k + 1\n"
        "    return np.array([[np.sum(image[r:r + k, c:c + k] * kernel) for c in range(size)] for r in range(size)])\n",
        "predicted = (3 * 3 + 1) * f1 + (3 * 3 + 1) * f2 + (2 * 2 * f2 + 1) * 10",
        "my_field = 5 + 1 + 2 + 2",                               # the pooling's stride forgotten
        "my_bottleneck_params = 256 * 64 + 3 * 3 * 64 * 64",      # the biases forgotten
    ),
    "16-recurrent-networks.py": (
        "def make_windows(series, width):\n"
        "    X = np.stack([series[i:i + width] for i in range(len(series) - width)])[..., None]\n"
        "    return X, series[width - 1:-1, None]\n",
        "ratio = norms[-1] / norms[0]",
        "def truncated_gradient(x, w_x, w_h, k):\n    h = [0.0]\n    for x_t in x:\n"
        "        h.append(np.tanh(w_x * x_t + w_h * h[-1]))\n    grad, dh = 0.0, 1.0\n"
        "    for t in range(len(x), len(x) - k, -1):\n        dz = dh * (1 - h[t] ** 2)\n"
        "        grad += dz * h[t - 1]\n        dh = dz\n    return grad\n",   # w_h left out of the step back
        "my_forced_input = [1, 4, 0, 3, 5, 3, 0, 4, 1]",         # the whole target, last digit included
    ),
    "17-attention-and-transformers.py": (
        "def attention(x, Wq, Wk, Wv):\n    Q, K, V = x @ Wq, x @ Wk, x @ Wv\n    e = np.exp(Q @ K.T)\n"
        "    weights = e / e.sum(axis=1, keepdims=True)\n    return weights, weights @ V\n",
        "answer = 1",
        'my_second_merge = ("h", "e")',                          # counted before merging "th"
        "my_vectors = table[:len(word_ids)]",                     # the first rows, not the rows of the ids
        "my_post_ln_spread = SPREAD",                              # as if the block kept the input's scale
        "my_cross_weights = np.full((TARGET_STEPS, SOURCE_STEPS), 1 / SOURCE_STEPS)",  # no scores
    ),
    "18-generative-and-other-architectures.py": (
        "def my_fgsm(model, x, labels, epsilon):\n    return x\n",
        "def my_kl(mu, log_var):\n    return np.sum(mu**2 + np.exp(log_var) - log_var - 1)\n",
        "my_dlog_var = eps_rep",                                  # dz/dsigma, not dz/dlog sigma²
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
