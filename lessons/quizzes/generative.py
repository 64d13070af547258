"""Lesson 18, Generative and other architectures: check your understanding."""

import numpy as np

from sitebuild.quiz import Choice, Number

float32_bytes, int8_bytes = np.dtype(np.float32).itemsize, np.dtype(np.int8).itemsize

QUESTIONS = [
    Choice(
        "What is an autoencoder trained to do?",
        options=("Classify its input", "Reproduce its input at the output after squeezing it "
                 "through a narrow middle layer", "Tell real images from generated ones",
                 "Predict the next token"),
        answer=1,
        why="The narrow code must keep what matters most about the input to rebuild it.",
    ),
    Choice(
        "In a GAN, what does the discriminator learn?",
        options=("To generate images", "To tell real examples from the generator's",
                 "To compress images", "To label digits"),
        answer=1,
        why="The generator is trained to fool it; the two improve against each other.",
    ),
    Number(
        "Quantizing a network's float32 weights to 8-bit integers shrinks their storage by what factor?",
        answer=float32_bytes / int8_bytes, tolerance=0.05,
        why="4 bytes per weight become 1 (plus a scale per tensor, which is negligible).",
    ),
    Choice(
        "How does the fast gradient sign method make an adversarial example?",
        options=("It retrains the network on noise", "It moves every pixel a small step ε in the "
                 "direction of the sign of the loss's gradient with respect to the input",
                 "It blurs the image", "It changes the label"),
        answer=1,
        why="x' = x + ε · sign(∇ₓL): a change too small to see can still flip the prediction.",
    ),
]
