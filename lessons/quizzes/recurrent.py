"""Lesson 16, Recurrent networks: check your understanding."""

from _compute import parameter_count
from nnlib import LSTM, SimpleRNN
from sitebuild.quiz import Choice, Number

QUESTIONS = [
    Number(
        "A SimpleRNN with 16 units reads sequences of 3 features per step. How many parameters "
        "has it?",
        answer=parameter_count([SimpleRNN(16)], (10, 3)), tolerance=0.5,
        why="Wx is 3 × 16, Wh is 16 × 16, b is 16: 48 + 256 + 16. The sequence length does not matter.",
    ),
    Number(
        "An LSTM with 16 units on the same input: how many parameters?",
        answer=parameter_count([LSTM(16)], (10, 3)), tolerance=0.5,
        why="Four gates (input, forget, cell candidate, output), each with the SimpleRNN's 320.",
    ),
    Choice(
        "In backpropagation through time, how is the gradient of the shared weight Wh formed?",
        options=("From the last time step only", "As the sum of its contributions at every time step",
                 "As their average over the batch only", "It is not trained"),
        answer=1,
        why="The unrolled network uses Wh once per step, and the gradients of a value used several times add up.",
    ),
    Choice(
        "Why can an LSTM carry information over more steps than a SimpleRNN?",
        options=("It has more units", "Its cell state is updated by addition, gated, so the "
                 "gradient along it is not squashed at every step", "It reads the sequence backwards",
                 "It uses ReLU"),
        answer=1,
        why="c_t = f ⊙ c_{t−1} + i ⊙ g: with the forget gate near 1 the signal passes almost unchanged.",
    ),
]
