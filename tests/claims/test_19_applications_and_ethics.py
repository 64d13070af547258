"""Claims of lesson 19, "Applications, ethics and what comes next": accuracy per group when group
B is rare, and what oversampling and more data do about it, over five initializations on the
page's synthetic population."""

import numpy as np
from measured import SEEDS, measurement, spread

from nnlib import Dense, Sequential


def population():
    """The page's draws, in the page's order: 1,900 of A and 100 of B to train, 1,000 of each to
    test, then 500 new examples of B."""
    rng = np.random.default_rng(3)

    def people(n, group):
        if group == "A":
            x = rng.normal(0, 1, (n, 2))
            return x.astype(np.float32), (x[:, 1] > 0.5 * x[:, 0]).astype(int)
        x = rng.normal([2.5, 0], 0.8, (n, 2))
        return x.astype(np.float32), (x[:, 1] < 2.5 - x[:, 0]).astype(int)

    (Xa, ya), (Xb, yb) = people(1900, "A"), people(100, "B")
    test_a, test_b = people(1000, "A"), people(1000, "B")
    more_b = people(500, "B")
    return np.vstack([Xa, Xb]), np.concatenate([ya, yb]), test_a, test_b, more_b


def per_group(X, y, seed):
    _, _, test_a, test_b, _ = population()
    model = Sequential([Dense(16, activation="relu", input_shape=(2,)), Dense(16, activation="relu"),
                        Dense(1, activation="sigmoid")], seed=seed)
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(X, y, epochs=20, batch_size=32, verbose=0)
    return [model.evaluate(*test_a)[1], model.evaluate(*test_b)[1]]


@measurement
def groups():
    X, y, _, _, (X_more, y_more) = population()
    balanced = np.concatenate([np.arange(1900), np.repeat(np.arange(1900, 2000), 19)])
    out = {"as collected": [], "oversampled": [], "more data": []}
    for seed in SEEDS:
        out["as collected"].append(per_group(X, y, seed))
        out["oversampled"].append(per_group(X[balanced], y[balanced], seed))
        out["more data"].append(per_group(np.vstack([X, X_more]), np.concatenate([y, y_more]), seed))
    return out


def test_trained_as_collected_group_b_is_near_a_coin_toss(report):
    """'it hides a model that is close to a coin toss for group B' while group A is almost always
    right (every run)."""
    runs = groups()["as collected"]
    report("as collected: group A accuracy", spread([a for a, _ in runs]))
    report("as collected: group B accuracy", spread([b for _, b in runs]))
    assert all(a > 0.97 and b < 0.65 for a, b in runs)


def test_oversampling_lifts_group_b_and_group_a_pays(report):
    """'Group B improves dramatically, and group A pays for it' (every run)."""
    runs = groups()
    before, after = runs["as collected"], runs["oversampled"]
    report("oversampled: group A accuracy", spread([a for a, _ in after]))
    report("oversampled: group B accuracy", spread([b for _, b in after]))
    assert all(b1 > b0 + 0.2 and a1 < a0 - 0.02 for (a0, b0), (a1, b1) in zip(before, after))


def test_more_group_b_data_lifts_b_while_a_hardly_loses(report):
    """'Real data from the under-served group lifts group B well above the model trained as
    collected while group A hardly loses anything' (every run)."""
    runs = groups()
    before, more = runs["as collected"], runs["more data"]
    report("500 more of group B: group A accuracy", spread([a for a, _ in more]))
    report("500 more of group B: group B accuracy", spread([b for _, b in more]))
    assert all(b1 > b0 + 0.1 and a1 > a0 - 0.03 for (a0, b0), (a1, b1) in zip(before, more))
