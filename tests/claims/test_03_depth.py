"""Claims of lesson 3's section on zero-centred activations: the sigmoid against the same sigmoid
shifted down by 0.5 (same shape and slope, mean output near zero), on the digits."""

from measured import SEEDS, measurement, spread
from nnlib import SGD, Dense, Sequential, data
from nnlib.layers.activations import Activation, sigmoid


class CentredSigmoid(Activation):
    """a = sigmoid(x) - 0.5 = tanh(x / 2) / 2;  da/dx = s (1 - s), the sigmoid's slope."""

    def f(self, x):
        self.s = sigmoid(x)
        return self.s - 0.5

    def df(self, grad):
        return grad * self.s * (1 - self.s)


@measurement
def final_training_losses():
    X_train, _, y_train, _ = data.load_digits(test=0.25, rng=0)
    runs = []
    for seed in SEEDS:
        run = {}
        for name, make in (("sigmoid", lambda: "sigmoid"), ("centred", CentredSigmoid)):
            model = Sequential([Dense(32, activation=make(), input_shape=(64,)), Dense(32, activation=make()),
                                Dense(10, activation="softmax")], seed=seed)
            model.compile(optimizer=SGD(learning_rate=0.1), loss="sparse_categorical_crossentropy")
            run[name] = model.fit(X_train, y_train, epochs=20, batch_size=32, verbose=0).history["loss"][-1]
        runs.append(run)
    return runs


def test_the_centred_sigmoid_trains_to_a_lower_loss(report):
    runs = final_training_losses()
    report("training loss after 20 epochs, sigmoid", spread([r["sigmoid"] for r in runs]))
    report("training loss after 20 epochs, sigmoid - 0.5", spread([r["centred"] for r in runs]))
    assert all(r["centred"] < r["sigmoid"] for r in runs)
