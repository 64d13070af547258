"""Lesson 15, Convolutional networks: check your understanding."""

from _compute import parameter_count
from nnlib import Conv2D, MaxPooling2D, Sequential
from sitebuild.quiz import Choice, Number


def output_side(layers, input_shape):
    """The height of the output of ``layers`` on an input of ``input_shape``, computed by nnlib."""
    model = Sequential(layers)
    model.build(input_shape)
    return model.output_shape()[0]


QUESTIONS = [
    Number(
        "A 28 × 28 image goes through a 5 × 5 convolution with stride 1 and no padding ('valid'). "
        "What is the height of the output?",
        answer=output_side([Conv2D(1, 5)], (28, 28, 1)), tolerance=0.5,
        why="28 − 5 + 1 positions fit.",
    ),
    Number(
        "How many parameters has a convolution with 8 filters of size 3 × 3 on a one-channel image?",
        answer=parameter_count([Conv2D(8, 3)], (28, 28, 1)), tolerance=0.5,
        why="Each filter has 3 × 3 × 1 weights and a bias: 8 × 10, whatever the image size.",
    ),
    Number(
        "A 24 × 24 feature map goes through 2 × 2 max pooling with stride 2. What is its height after?",
        answer=output_side([MaxPooling2D(2)], (24, 24, 8)), tolerance=0.5,
        why="Each 2 × 2 window becomes one number: 24 / 2.",
    ),
    Choice(
        "What is parameter sharing in a convolutional layer?",
        options=("Two layers use the same weights", "The same filter weights are applied at every "
                 "position of the image", "The filters are copied from a trained network",
                 "Every pixel has its own weight"),
        answer=1,
        why="That is why a convolution has so few parameters, and why it finds a pattern "
            "wherever it appears.",
    ),
]
