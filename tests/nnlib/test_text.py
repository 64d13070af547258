"""nnlib.text (tokenizers, training windows, sampling, generation) and transformer_block."""

import numpy as np
import pytest

from nnlib import Adam, Dense, Embedding, PositionalEncoding, Sequential, backend as nb, transformer_block
from nnlib.gradcheck import numerical_gradient, relative_error
from nnlib.text import (BPETokenizer, CharTokenizer, generate, load_sonnets, next_token_windows,
                        sample_next)

TEXT = load_sonnets()


def test_sonnets_are_plain_text_of_seven_sonnets():
    sonnets = TEXT.strip().split("\n\n")
    assert len(sonnets) == 7 and all(len(s.splitlines()) == 14 for s in sonnets)
    assert sonnets[1].startswith("Shall I compare thee to a summer's day?")


@pytest.mark.parametrize("make", [CharTokenizer, lambda text: BPETokenizer(text, 60)], ids=["char", "bpe"])
def test_tokenizers_round_trip(make):
    tokenizer = make(TEXT)
    ids = tokenizer.encode(TEXT)
    assert ids.dtype == np.int64 and ids.min() >= 0 and ids.max() < tokenizer.vocab_size
    assert tokenizer.decode(ids) == TEXT


def test_char_tokenizer_has_one_id_per_distinct_character():
    tokenizer = CharTokenizer(TEXT)
    assert tokenizer.vocab_size == len(set(TEXT)) and len(tokenizer.encode(TEXT)) == len(TEXT)


def test_bpe_merges_the_most_frequent_pair_first_and_shortens_the_text():
    bpe = BPETokenizer(TEXT, 100)
    words = [w for w in TEXT.replace("\n", " ").split(" ") if w]
    pairs = {}
    for word in words:
        for pair in zip(word, word[1:]):
            pairs[pair] = pairs.get(pair, 0) + 1
    assert bpe.merges[0] == max(pairs, key=pairs.get)
    assert bpe.vocab_size == len(set(TEXT)) + 100
    assert len(bpe.encode(TEXT)) < 0.7 * len(TEXT)  # spaces and line breaks stay one token each
    assert all(token in (" ", "\n") or not {" ", "\n"} & set(token) for token in bpe.vocabulary)


def test_tokenizers_name_what_is_wrong():
    with pytest.raises(ValueError, match=r"not in the vocabulary: \['z'\]"):
        CharTokenizer("abc").encode("abz")
    with pytest.raises(ValueError, match=r"not in the vocabulary: \['z'\]"):
        BPETokenizer("abc", 1).encode("z")
    with pytest.raises(ValueError, match="non-empty string"):
        CharTokenizer("")
    with pytest.raises(ValueError, match="num_merges"):
        BPETokenizer("abc", -1)
    with pytest.raises(ValueError, match=r"in \[0, 3\)"):
        CharTokenizer("abc").decode([0, 3])


def test_next_token_windows_shift_by_one():
    ids = np.arange(100)
    X, Y = next_token_windows(ids, 10, stride=7)
    assert X.shape == Y.shape == (13, 10)
    np.testing.assert_array_equal(Y[:, :-1], X[:, 1:])
    np.testing.assert_array_equal(X[:, 0], np.arange(0, 90, 7))
    with pytest.raises(ValueError, match="at least length"):
        next_token_windows(np.arange(5), 5)
    with pytest.raises(ValueError, match="stride"):
        next_token_windows(ids, 5, stride=0)


def test_sample_next_follows_the_probabilities_and_the_temperature():
    p = np.array([0.1, 0.6, 0.3])
    rng = np.random.default_rng(0)
    counts = np.bincount([sample_next(p, 1.0, rng) for _ in range(4000)], minlength=3) / 4000
    assert np.allclose(counts, p, atol=0.03)
    cold = np.bincount([sample_next(p, 0.5, rng) for _ in range(4000)], minlength=3) / 4000
    expected = p ** 2 / np.sum(p ** 2)
    assert np.allclose(cold, expected, atol=0.03) and cold[1] > counts[1]
    assert sample_next(p, 0) == 1
    with pytest.raises(ValueError, match="sum"):
        sample_next(np.array([0.5, 0.6]))
    with pytest.raises(ValueError, match="temperature"):
        sample_next(p, -1)


def tiny_language_model(norm="pre"):
    tokenizer = CharTokenizer("abcabcabcabc")
    blocks = transformer_block(8, 2, 16, causal=True, norm=norm)
    model = Sequential([Embedding(3, 8, input_length=6), PositionalEncoding(), *blocks,
                        Dense(3, activation="softmax")], seed=0)
    return tokenizer, model


def test_generate_continues_a_learned_pattern():
    tokenizer, model = tiny_language_model()
    X, Y = next_token_windows(tokenizer.encode("abc" * 30), 6)
    model.compile(optimizer=Adam(0.01), loss="sparse_categorical_crossentropy")
    model.fit(X, Y, epochs=20, batch_size=16, verbose=0)
    text = generate(model, tokenizer, "ab", 10, temperature=0, rng=np.random.default_rng(0))
    assert text == "ab" + "cab" * 3 + "c"
    with pytest.raises(ValueError, match="at least one token"):
        generate(model, tokenizer, "", 3)


@pytest.mark.parametrize("norm", ["post", "pre"])
def test_transformer_block_places_layer_normalization(norm):
    blocks = transformer_block(8, 2, 16, norm=norm)
    kinds = [[sub.kind for sub in layer.layers] if layer.kind == "residual" else layer.kind for layer in blocks]
    if norm == "pre":
        assert kinds == [["layer_normalization", "multi_head_self_attention"],
                         ["layer_normalization", "dense", "dense"]]
    else:
        assert kinds == [["multi_head_self_attention"], "layer_normalization", ["dense", "dense"],
                         "layer_normalization"]


@pytest.mark.parametrize("norm", ["post", "pre"])
def test_transformer_block_gradients(norm):
    """Every parameter's gradient through a whole causal language model, against central differences.

    The key bias only shifts each row of scores, which softmax ignores: its gradient is 0 and
    is checked to be ~0 instead of by a relative error.
    """
    with nb.using(dtype="float64"):
        _, model = tiny_language_model(norm)
        model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
        rng = np.random.default_rng(1)
        x = nb.asarray(rng.integers(0, 3, size=(2, 6)), "int64")
        y = nb.asarray(rng.integers(0, 3, size=(2, 6)), "int64")
        model.backward_loss(y, model.forward(x))
        for name, param, grad in model.named_parameters():
            numeric = numerical_gradient(lambda _: model.compute_loss(y, model.forward(x)), param)
            if name.endswith("/bk"):
                assert np.abs(numeric).max() < 1e-8 and np.abs(nb.to_numpy(grad)).max() < 1e-12
            else:
                assert relative_error(grad, numeric) < 1e-6, name


def test_transformer_block_refuses_bad_arguments():
    with pytest.raises(ValueError, match="'post'.*'pre'"):
        transformer_block(8, 2, 16, norm="middle")
    with pytest.raises(ValueError, match="multiple of num_heads"):
        transformer_block(10, 4, 16)
    with pytest.raises(ValueError, match="ff_units"):
        transformer_block(8, 2, 0)
