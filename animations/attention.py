"""Attention: the attention weights of a small model that reverses digits, forming row by row.

The model, ``Embedding(5, 16)`` → ``PositionalEncoding()`` → ``MultiHeadSelfAttention(2, 8)``
→ ``Dense(5, softmax)``, is trained with nnlib (Adam, a few seconds) to output its input of
five digits 0–4 reversed. The scene takes one held-out sequence, shows the weights of the
head that attends most along the anti-diagonal (``attention_weights`` after ``forward``),
one query row at a time, and the digits the model predicts.
"""

from dataclasses import dataclass

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, AnimationGroup, FadeIn, FadeOut, Indicate, LaggedStart, VGroup

from nnlib import Adam, Dense, Embedding, MultiHeadSelfAttention, PositionalEncoding, Sequential, backend

from .base import StepScene
from .drawing import FOREGROUND, GREEN, HIGHLIGHT, MUTED, POSITIVE, Grid, fmt, label, mix
from .steps import Step

SEED = 0
LENGTH = 5       # digits per sequence
VOCABULARY = 5   # the digits 0 .. 4
SAMPLES = 1024
EPOCHS = 15
HEADS, KEY_DIM, D_MODEL = 2, 8, 16
CELL = 0.8


@dataclass(frozen=True)
class AttentionData:
    tokens: tuple[int, ...]     # the input sequence
    head: int                   # the head shown (0-based)
    weights: np.ndarray         # (LENGTH, LENGTH) its attention weights: row = query position, column = key
    predicted: tuple[int, ...]  # the model's output digits (argmax of the softmax)
    confidence: np.ndarray      # (LENGTH,) the softmax probability of each predicted digit
    anti_diagonal: float        # the mean weight on the anti-diagonal (query t reading key LENGTH-1-t)
    accuracy: float             # the fraction of held-out digits put in the right place
    parameters: list            # the trained model's get_weights(), so tests can rerun it


def attention_model() -> Sequential:
    model = Sequential([Embedding(VOCABULARY, D_MODEL, input_length=LENGTH), PositionalEncoding(),
                        MultiHeadSelfAttention(HEADS, KEY_DIM), Dense(VOCABULARY, activation="softmax")], seed=SEED)
    model.compile(optimizer=Adam(0.01), loss="categorical_crossentropy")
    return model


def reversal_data(n: int, rng: np.random.Generator):
    """n sequences of digits and their one-hot reversals, (n, LENGTH) and (n, LENGTH, VOCABULARY)."""
    X = rng.integers(0, VOCABULARY, size=(n, LENGTH))
    return X, np.eye(VOCABULARY)[X[:, ::-1]]


def attention_data() -> AttentionData:
    """Train the reversal model, run one held-out sequence with distinct digits, keep its attention."""
    with backend.using("numpy", dtype="float64"):
        rng = np.random.default_rng(SEED)
        X, Y = reversal_data(SAMPLES, rng)
        X_test, Y_test = reversal_data(256, rng)
        model = attention_model()
        model.fit(X.astype(float), Y, epochs=EPOCHS, batch_size=32, verbose=0)
        test_predictions = backend.to_numpy(model.predict(X_test.astype(float))).argmax(-1)
        accuracy = float(np.mean(test_predictions == Y_test.argmax(-1)))
        # The first held-out sequence whose digits all differ, so every arrow of attention is unambiguous.
        index = next(i for i, row in enumerate(X_test) if len(set(row.tolist())) == LENGTH)
        tokens = X_test[index]
        probabilities = backend.to_numpy(model.forward(backend.asarray(tokens[None].astype(float))))[0]
        all_heads = backend.to_numpy(model.layers[2].attention_weights)[0]
        flip = np.arange(LENGTH)[::-1]
        mass = all_heads[:, np.arange(LENGTH), flip].mean(axis=1)  # per head, the mean anti-diagonal weight
        head = int(np.argmax(mass))
        predicted = probabilities.argmax(-1)
        return AttentionData(tokens=tuple(int(t) for t in tokens), head=head, weights=all_heads[head].copy(),
                             predicted=tuple(int(p) for p in predicted),
                             confidence=probabilities[np.arange(LENGTH), predicted].copy(),
                             anti_diagonal=float(mass[head]), accuracy=accuracy, parameters=model.get_weights())


def digits(tokens) -> str:
    return " ".join(str(t) for t in tokens)


def attention_steps(d: AttentionData) -> list[Step]:
    return [
        Step(f"A small attention model trained to reverse {LENGTH} digits. A held-out input: {digits(d.tokens)}.", 2.6),
        Step(f"Each position's query meets every key: score = q·k / √{KEY_DIM}; softmax turns each row "
             "into weights that add up to 1.", 3.0),
        Step(f"Head {d.head + 1} of {HEADS}, one query row at a time: how much each position reads from every other.", 4.4),
        Step(f"The weight lies on the anti-diagonal: position 1 reads position {LENGTH}, position 2 reads "
             f"{LENGTH - 1}, … ({fmt(d.anti_diagonal)} on average).", 2.8),
        Step(f"The output layer turns what each position read into a digit: {digits(d.predicted)}, "
             f"the input reversed ({d.accuracy:.1%} of held-out digits right).", 2.8),
    ]


class Attention(StepScene):
    """Self-attention weights forming for a real input."""

    title = "Attention weights forming"
    make_data = staticmethod(attention_data)
    make_steps = staticmethod(attention_steps)

    def construct(self):
        d = self.data
        n = LENGTH
        grid = Grid(n, n, CELL).move_to([-0.2, -0.55, 0])
        keys = VGroup(*(label(str(t), 32).next_to(grid.squares[0][c], UP, 0.2) for c, t in enumerate(d.tokens)))
        queries = VGroup(*(label(str(t), 32).next_to(grid.squares[r][0], LEFT, 0.25) for r, t in enumerate(d.tokens)))
        positions = VGroup(*(label(str(p + 1), 18, MUTED).next_to(keys[p], UP, 0.1) for p in range(n)),
                           *(label(str(p + 1), 18, MUTED).next_to(queries[p], LEFT, 0.15) for p in range(n)))
        key_name = label("keys (position, digit)", 22, MUTED).next_to(positions[:n], UP, 0.15)
        query_name = label("queries", 22, MUTED).next_to(positions[n:], LEFT, 0.2)
        sentence = label(f"input  {digits(d.tokens)}", 30).to_corner(UP + LEFT, buff=0.45)
        model = VGroup(*(label(text, 20, MUTED) for text in (
            f"Embedding({VOCABULARY}, {D_MODEL})", "PositionalEncoding()", f"MultiHeadSelfAttention({HEADS}, {KEY_DIM})",
            f"Dense({VOCABULARY}, softmax)"))).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        model.next_to(sentence, DOWN, 0.35, aligned_edge=LEFT)
        with self.step():
            self.play(FadeIn(sentence), run_time=0.8)
            self.play(FadeIn(model, shift=DOWN * 0.2), run_time=0.8)

        formula = label("weights = softmax(q·k / √d) along each row", 24).next_to(grid, DOWN, 0.35)
        with self.step():
            self.play(FadeIn(grid, keys, queries, positions, key_name, query_name), run_time=1.0)
            self.play(FadeIn(formula), run_time=0.8)

        fills = [[mix(POSITIVE, w) for w in row] for row in d.weights]
        numbers = [[grid.number(r, c, d.weights[r, c], 2, fill=fills[r][c], size=22) for c in range(n)] for r in range(n)]
        head = label(f"head {d.head + 1} of {HEADS}", 24, POSITIVE).next_to(grid, RIGHT, 0.4).align_to(grid, UP)
        with self.step():
            self.play(FadeIn(head), run_time=0.2)
            for r in range(n):
                row = [AnimationGroup(grid.squares[r][c].animate.set_fill(fills[r][c]), FadeIn(numbers[r][c]))
                       for c in range(n)]
                self.play(Indicate(queries[r], color=HIGHLIGHT), LaggedStart(*row, lag_ratio=0.3), run_time=0.8)

        diagonal = VGroup(*(grid.window(r, n - 1 - r, color=HIGHLIGHT) for r in range(n)))
        with self.step():
            self.play(FadeIn(diagonal), run_time=0.8)

        outputs = VGroup(*(label(f"→ {p}", 30, GREEN if p == t else FOREGROUND).next_to(grid.squares[r][-1], RIGHT, 0.3)
                           for r, (p, t) in enumerate(zip(d.predicted, d.tokens[::-1]))))
        output_name = label("output", 22, MUTED).next_to(outputs, UP, 0.15).align_to(outputs, LEFT)
        result = label(f"output  {digits(d.predicted)}", 30, GREEN).to_corner(UP + RIGHT, buff=0.45)
        with self.step():
            self.play(FadeOut(head), FadeIn(outputs, output_name, shift=RIGHT * 0.2), run_time=0.8)
            self.play(FadeIn(result), run_time=0.6)
