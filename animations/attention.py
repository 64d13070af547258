"""Attention: lesson 17's worked example, three tokens and one head, from scores to weights to output.

The tokens and weights are lesson 17's (``17-attention-and-transformers.md``): three tokens of
four features and a single head with keys of length d_k = 2, every matrix rounded random numbers
(random seed 32, one decimal). The layer is nnlib's ``MultiHeadSelfAttention(num_heads=1,
key_dim=2)`` with those matrices and zero biases; the scene shows its queries, keys, scaled
scores, attention weights (``attention_weights`` after ``forward``) and the weighted average of
the values, row by row. The lesson's doctests print every one of these numbers.
"""

from dataclasses import dataclass

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, AnimationGroup, FadeIn, Indicate, LaggedStart, SurroundingRectangle, VGroup

from nnlib import MultiHeadSelfAttention, Sequential, backend

from .base import StepScene
from .drawing import Grid, fmt, ink, label, mix, signed_fill
from .palette import MUTED, POSITIVE, RESULT, TEXT
from .steps import Step

SEED = 32
TOKENS, FEATURES, KEY_DIM = 3, 4, 2
CELL_W = 1.15  # wide enough for "−3.03" and "0.602"


def rounded(rng, *shape) -> np.ndarray:
    """Random numbers with one decimal, as the lesson makes them (and no −0.0)."""
    return np.round(rng.normal(size=shape), 1) + 0.0


@dataclass(frozen=True)
class AttentionData:
    x: np.ndarray        # (3, 4) the tokens
    q: np.ndarray        # (3, 2) queries, x W_q
    k: np.ndarray        # (3, 2) keys
    v: np.ndarray        # (3, 2) values
    scores: np.ndarray   # (3, 3) q kᵀ / √d_k
    weights: np.ndarray  # (3, 3) softmax of each row: the layer's attention_weights
    output: np.ndarray   # (3, 2) weights · v


def attention_data() -> AttentionData:
    """Lesson 17's tokens and matrices in nnlib's MultiHeadSelfAttention; keep what the scene shows."""
    rng = np.random.default_rng(SEED)
    x = rounded(rng, TOKENS, FEATURES)
    Wq, Wk, Wv = rounded(rng, FEATURES, KEY_DIM), rounded(rng, FEATURES, KEY_DIM), rounded(rng, FEATURES, KEY_DIM)
    Wo = rounded(rng, KEY_DIM, FEATURES)
    with backend.using("numpy", dtype="float64"):
        layer = MultiHeadSelfAttention(num_heads=1, key_dim=KEY_DIM, input_shape=(TOKENS, FEATURES))
        net = Sequential([layer])
        zeros = np.zeros(KEY_DIM)
        net.set_weights([Wq, zeros, Wk, zeros, Wv, zeros, Wo, np.zeros(FEATURES)])
        net.forward(backend.asarray(x[None]))
        head = {name: backend.to_numpy(getattr(layer, name))[0, 0].copy()
                for name in ("q", "k", "v", "scores", "attention_weights")}
        output = backend.to_numpy(layer.context)[0].copy()
    return AttentionData(x=x, q=head["q"], k=head["k"], v=head["v"], scores=head["scores"],
                         weights=head["attention_weights"], output=output)


def attention_steps(d: AttentionData) -> list[Step]:
    w = d.weights
    return [
        Step.read(f"Lesson 17's example: {TOKENS} tokens x of {FEATURES} features and one attention head. Its "
                  f"weight matrices give each token a query q and a key k, {KEY_DIM} numbers each."),
        Step.read(f"Every query meets every key: score = q·k / √{KEY_DIM}, a {TOKENS}×{TOKENS} table, row by row. "
                  f"Token 1's query matches its own key best: {fmt(d.scores[0, 0], 2)}.", animation_s=4.0),
        Step.read("A softmax along each row turns the scores into attention weights: positive, and each row adds "
                  f"up to 1. Token 1 gives {fmt(w[0, 0], 3)} of its attention to itself.", animation_s=4.0),
        Step.read(f"Token 3 reads almost nothing from token 1 ({fmt(w[2, 0], 3)}) and splits its attention "
                  f"between tokens 2 and 3: {fmt(w[2, 1], 3)} and {fmt(w[2, 2], 3)}."),
        Step.read(f"The output of each token is the weighted average of the values v, the third projection: for token 1, "
                  f"({fmt(d.output[0, 0], 3)}, {fmt(d.output[0, 1], 3)}). Lesson 17 prints every number shown."),
    ]


def matrix(name: str, values: np.ndarray, digits: int, color: str = TEXT) -> VGroup:
    """``name =`` beside a small table of values in right-aligned columns."""
    columns = VGroup(*(VGroup(*(label(fmt(v, digits), 20, color) for v in values[:, j])).arrange(DOWN, buff=0.16,
                                                                                          aligned_edge=RIGHT)
                       for j in range(values.shape[1]))).arrange(RIGHT, buff=0.3, aligned_edge=UP)
    return VGroup(label(f"{name} =", 22, MUTED), columns).arrange(RIGHT, buff=0.2)


class Attention(StepScene):
    """Lesson 17's attention head, from queries and keys to weights and output."""

    title = "Attention, number by number (lesson 17's example)"
    make_data = staticmethod(attention_data)
    make_steps = staticmethod(attention_steps)

    def table(self, values: np.ndarray, fills, digits: int, heading: str, position,
              row_names: bool = True) -> tuple[Grid, list, VGroup]:
        """A 3×3 grid named by key on its columns (and by query on its rows), and its cell texts."""
        grid = Grid(TOKENS, TOKENS, CELL_W * 0.8, stroke=MUTED).stretch(1.25, 0).move_to(position)
        numbers = [[label(fmt(values[r, c], digits), 20, ink(fills[r][c])).move_to(grid.squares[r][c])
                    for c in range(TOKENS)] for r in range(TOKENS)]
        keys = VGroup(*(label(f"key {c + 1}", 18, MUTED).next_to(grid.squares[0][c], UP, 0.12) for c in range(TOKENS)))
        queries = VGroup(*(label(f"query {r + 1}", 18, MUTED).next_to(grid.squares[r][0], LEFT, 0.15)
                           for r in range(TOKENS)) if row_names else ())
        title = label(heading, 22).next_to(keys, UP, 0.2)
        return grid, numbers, VGroup(grid, keys, queries, title)

    def fill_rows(self, grid: Grid, numbers, fills, run_time: float):
        for r in range(TOKENS):
            row = [AnimationGroup(grid.squares[r][c].animate.set_fill(fills[r][c]), FadeIn(numbers[r][c]))
                   for c in range(TOKENS)]
            self.play(LaggedStart(*row, lag_ratio=0.3), run_time=run_time)

    def construct(self):
        d = self.data
        tokens = matrix("x", d.x, 1).move_to([-6.6, 3.1, 0], aligned_edge=UP + LEFT)
        head = label(f"head 1 of 1, dₖ = {KEY_DIM}", 22).move_to([-6.6, 3.6, 0], aligned_edge=LEFT)
        queries = matrix("Q", d.q, 2).next_to(tokens, DOWN, 0.35, aligned_edge=LEFT)
        keys = matrix("K", d.k, 2).next_to(queries, DOWN, 0.35, aligned_edge=LEFT)
        with self.step():
            self.play(FadeIn(head, tokens), run_time=0.8)
            self.play(FadeIn(queries, keys, shift=DOWN * 0.2), run_time=1.0)

        span = float(np.abs(d.scores).max())
        score_fills = [[signed_fill(v, span) for v in row] for row in d.scores]
        scores, score_numbers, score_frame = self.table(d.scores, score_fills, 2, f"scores q·k / √{KEY_DIM}",
                                                        [0.2, 1.3, 0])
        with self.step():
            self.play(FadeIn(score_frame), run_time=0.6)
            self.fill_rows(scores, score_numbers, score_fills, 0.8)

        weight_fills = [[mix(POSITIVE, 0.6 * w) for w in row] for row in d.weights]
        weights, weight_numbers, weight_frame = self.table(d.weights, weight_fills, 3, "attention weights (softmax)",
                                                           [4.3, 1.3, 0], row_names=False)
        sums = VGroup(*(label(f"Σ = {fmt(d.weights[r].sum(), 0)}", 18, MUTED).next_to(weights.squares[r][-1], RIGHT, 0.12)
                        for r in range(TOKENS)))
        with self.step():
            self.play(FadeIn(weight_frame), run_time=0.6)
            self.fill_rows(weights, weight_numbers, weight_fills, 0.8)
            self.play(FadeIn(sums), run_time=0.4)

        row = SurroundingRectangle(VGroup(*weights.squares[2]), color=RESULT, buff=0.04)
        with self.step():
            self.play(FadeIn(row), Indicate(VGroup(*weight_numbers[2]), color=RESULT, scale_factor=1.1), run_time=1.2)

        values = matrix("V", d.v, 2).move_to([-6.6, -1.2, 0], aligned_edge=LEFT)
        output = matrix("output = A·V", d.output, 3, RESULT).next_to(values, RIGHT, 0.8)
        first = SurroundingRectangle(VGroup(*weights.squares[0]), color=RESULT, buff=0.04)
        with self.step():
            self.play(row.animate.become(first), FadeIn(values), run_time=0.8)
            self.play(FadeIn(output, shift=RIGHT * 0.2), run_time=1.0)
