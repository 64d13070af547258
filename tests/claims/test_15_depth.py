"""Claims of the equivariance section of lesson 15 (convolutional networks).

The networks are the page's: its CNN (16 and 32 filters of 3 x 3, "same" padding, max pooling, a
softmax head) and a dense network with one hidden layer of 64 ReLU units, both trained with Adam for
20 epochs on the 8 x 8 digits, then tested on the test digits moved one pixel to the right.
"""

import numpy as np
from measured import SEEDS, measurement, spread

from nnlib import Conv2D, Dense, Flatten, MaxPooling2D, Sequential, data


def shift_right(images, pixels=1):
    moved = np.zeros_like(images)
    moved[:, :, pixels:] = images[:, :, :-pixels]
    return moved


def networks(seed):
    cnn = Sequential([Conv2D(16, (3, 3), padding="same", activation="relu", input_shape=(8, 8, 1)), MaxPooling2D(),
                      Conv2D(32, (3, 3), padding="same", activation="relu"), MaxPooling2D(), Flatten(),
                      Dense(10, activation="softmax")], seed=seed)
    dense = Sequential([Flatten(input_shape=(8, 8, 1)), Dense(64, activation="relu"),
                        Dense(10, activation="softmax")], seed=seed)
    return {"cnn": cnn, "dense": dense}


@measurement
def accuracy_under_shift():
    """Test accuracy on the digits as they are and moved one pixel right, per network and seed."""
    X_train, X_test, y_train, y_test = data.load_digits(test=0.2, rng=0, flatten=False)
    X_train, X_test = X_train[..., None], X_test[..., None]
    results = {"cnn": [], "dense": []}
    for seed in SEEDS:
        for name, model in networks(seed).items():
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
            model.fit(X_train, y_train, epochs=20, batch_size=32, verbose=0)
            accuracy = [float(np.mean(model.predict(X).argmax(axis=1) == y_test))
                        for X in (X_test, shift_right(X_test))]
            results[name].append(accuracy)
    return results


def test_a_one_pixel_shift_costs_the_dense_network_more_accuracy_than_the_cnn(report):
    """Page: "the dense network ... lost more accuracy under a one-pixel shift than the CNN in every
    one of 5 runs"."""
    results = accuracy_under_shift()
    drops = {name: [plain - shifted for plain, shifted in runs] for name, runs in results.items()}
    for name in ("cnn", "dense"):
        report(f"{name}: test accuracy", spread([plain for plain, _ in results[name]]))
        report(f"{name}: accuracy lost to a one-pixel shift", spread(drops[name]))
    assert all(cnn < dense for cnn, dense in zip(drops["cnn"], drops["dense"]))
