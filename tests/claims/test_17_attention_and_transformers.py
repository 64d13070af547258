"""Claims of lesson 17, "Attention and transformers": the digit-reversal and sorting models of the
page, trained from five different initializations on the page's data."""

import numpy as np
from measured import SEEDS, measurement, spread

from nnlib import (Adam, Dense, Embedding, LayerNormalization, MultiHeadSelfAttention, PositionalEncoding, Residual,
                   Sequential)


def reversal_data():
    rng = np.random.default_rng(0)
    X = rng.integers(0, 5, size=(1024 + 256, 5))
    return X[:1024], X[1024:]


def trained(layers, X, targets, seed):
    model = Sequential(layers, seed=seed)
    model.compile(optimizer=Adam(0.01), loss="categorical_crossentropy")
    model.fit(X, np.eye(5)[targets], epochs=15, batch_size=32, verbose=0)
    return model


def scores(model, X, targets):
    """(share of digits right, share of whole sequences right, share right per position)."""
    right = model.predict(X).argmax(axis=-1) == targets
    return float(right.mean()), float(right.all(axis=1).mean()), right.mean(axis=0).tolist()


def attention_model(positions=True, causal=False):
    return ([Embedding(5, 16, input_length=5)] + ([PositionalEncoding()] if positions else [])
            + [MultiHeadSelfAttention(2, 8, causal=causal), Dense(5, activation="softmax")])


def block_model():
    return [Embedding(5, 16, input_length=5), PositionalEncoding(),
            Residual([MultiHeadSelfAttention(2, 8)]), LayerNormalization(),
            Residual([Dense(32, activation="relu"), Dense(16)]), LayerNormalization(),
            Dense(5, activation="softmax")]


@measurement
def runs():
    X_train, X_test = reversal_data()
    reverse_train, reverse_test = X_train[:, ::-1], X_test[:, ::-1]
    out = {"reversal": [], "heads on the anti-diagonal": [], "no positions": [], "causal": [], "sorting": []}
    for seed in SEEDS:
        model = trained(attention_model(), X_train, reverse_train, seed)
        out["reversal"].append(scores(model, X_test, reverse_test))
        model.forward(X_test)
        looks_at = model.layers[2].attention_weights.mean(axis=0).argmax(axis=2)  # (heads, query positions)
        out["heads on the anti-diagonal"].append(int(sum((row == [4, 3, 2, 1, 0]).all() for row in looks_at)))
        out["no positions"].append(scores(trained(attention_model(positions=False), X_train, reverse_train, seed),
                                          X_test, reverse_test))
        out["causal"].append(scores(trained(attention_model(causal=True), X_train, reverse_train, seed),
                                    X_test, reverse_test))
        out["sorting"].append(scores(trained(block_model(), X_train, np.sort(X_train, axis=1), seed),
                                     X_test, np.sort(X_test, axis=1)))
    return out


def test_attention_with_positions_learns_to_reverse(report):
    """'at least 99% of test sequences reversed exactly' (in every run)."""
    sequences = [whole for _, whole, _ in runs()["reversal"]]
    report("reversal: whole test sequences right", spread(sequences))
    assert min(sequences) >= 0.99


def test_both_heads_read_the_anti_diagonal(report):
    """'the model reverses every test sequence each time, and both heads read the anti-diagonal in
    most runs; in the others one head does, which is enough.'"""
    heads = runs()["heads on the anti-diagonal"]
    report("heads whose strongest weights form the anti-diagonal (of 2)", spread(heads))
    assert min(heads) >= 1 and heads.count(2) > len(heads) / 2
    assert min(whole for _, whole, _ in runs()["reversal"]) == 1.0


def test_without_positions_whole_sequences_are_almost_never_right(report):
    """'It still gets some digits right ... but it almost never reverses a whole sequence.'"""
    digits, sequences = zip(*[(d, s) for d, s, _ in runs()["no positions"]])
    report("without positions: digits right", spread(digits))
    report("without positions: whole sequences right", spread(sequences))
    assert max(sequences) <= 0.05 and 0.2 <= min(digits) and max(digits) <= 0.6
    with_positions = [s for _, s, _ in runs()["reversal"]]
    assert min(with_positions) > max(sequences)


def test_the_transformer_block_learns_to_sort(report):
    """'trained from five different initial weights, the block sorts almost every test sequence on
    average, but the worst of the five runs gets several per cent of them wrong.'"""
    sequences = [whole for _, whole, _ in runs()["sorting"]]
    report("sorting: whole test sequences right", spread(sequences))
    assert sum(sequences) / len(sequences) >= 0.97
    assert 0.02 <= 1 - min(sequences) <= 0.1


def test_a_causal_model_reverses_only_the_positions_that_see_their_mirror(report):
    """'Positions 3, 4 and 5 can see their mirror; positions 1 and 2 cannot, and can only guess':
    positions 3-5 above 95 %, positions 1-2 below 50 %, in every run."""
    per_position = np.array([p for _, _, p in runs()["causal"]])
    report("causal: accuracy at positions 1-2", spread(per_position[:, :2].max(axis=1)))
    report("causal: accuracy at positions 3-5", spread(per_position[:, 2:].min(axis=1)))
    assert per_position[:, 2:].min() > 0.95 and per_position[:, :2].max() < 0.5
