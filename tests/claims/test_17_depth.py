"""Claims of the language-model sections of lesson 17 (attention and transformers).

The setting is the page's: the character-level model on six of the seven sonnets, windows of 32
characters every 2, blocks of width 32 with 4 heads and a feed-forward width of 64.
"""

import numpy as np
from measured import SEEDS, measurement, spread

from nnlib import Adam, Dense, Embedding, LayerNormalization, PositionalEncoding, Sequential, transformer_block
from nnlib.text import CharTokenizer, load_sonnets, next_token_windows


def training_windows():
    text = load_sonnets().lower()
    chars = CharTokenizer(text)
    ids = chars.encode(text)
    held_out = text.rindex("\n\n") + 2
    X, Y = next_token_windows(ids[:held_out], length=32, stride=2)
    frequencies = np.bincount(ids[:held_out], minlength=chars.vocab_size) / held_out
    frequencies = frequencies[frequencies > 0]
    return chars.vocab_size, X, Y, float(-np.sum(frequencies * np.log(frequencies)))


def language_model(vocab_size, norm, n_blocks, seed):
    blocks = [layer for _ in range(n_blocks) for layer in transformer_block(32, 4, 64, causal=True, norm=norm)]
    return Sequential([Embedding(vocab_size, 32, input_length=32), PositionalEncoding(), *blocks,
                       *([LayerNormalization()] if norm == "pre" else []),
                       Dense(vocab_size, activation="softmax")], seed=seed)


@measurement
def four_block_losses():
    """Final training loss of 4-block post-LN and pre-LN stacks after 5 epochs of Adam(0.01), per seed."""
    vocab_size, X, Y, letter_frequency_loss = training_windows()
    losses = {"post": [], "pre": [], "letter_frequency_loss": letter_frequency_loss}
    for seed in SEEDS:
        for norm in ("post", "pre"):
            model = language_model(vocab_size, norm, 4, seed)
            model.compile(optimizer=Adam(0.01), loss="sparse_categorical_crossentropy")
            losses[norm].append(model.fit(X, Y, epochs=5, batch_size=32, verbose=0).history["loss"][-1])
    return losses


def test_pre_ln_keeps_learning_where_post_ln_stalls_at_letter_frequencies(report):
    """Page: "The post-LN stack stays at the loss of guessing from letter frequencies ... The pre-LN
    stack keeps learning. This held in every one of 5 runs with different initial weights.\""""
    losses = four_block_losses()
    report("4-block post-LN, loss after 5 epochs", spread(losses["post"]))
    report("4-block pre-LN, loss after 5 epochs", spread(losses["pre"]))
    report("letter-frequency loss", f"{losses['letter_frequency_loss']:.3f}")
    for post, pre in zip(losses["post"], losses["pre"]):
        assert abs(post - losses["letter_frequency_loss"]) < 0.05  # stalled at the frequency guess
        assert pre < losses["letter_frequency_loss"] - 0.5  # far below it
