# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Lab: build your first network
#
# Runs on the CPU with the project installed: `pip install -e ".[docs]"` from a clone of the
# repository (see its README). The whole lab takes a few seconds.
#
# You will train a digit classifier on the 8×8 digits, try a few designs on the **validation**
# set, and check your final choice once on the **test** set.

# %%
import numpy as np
import matplotlib.pyplot as plt

from nnlib import Dense, Dropout, Sequential, data

X, y = data.load_digits()
X_train, X_val, X_test, y_train, y_val, y_test = data.train_val_test_split(
    X, y, val=0.15, test=0.2, rng=0, stratify=True)
Y_train, Y_val, Y_test = (data.one_hot(labels, 10)
                          for labels in (y_train, y_val, y_test))
print(f"train {len(X_train)}, validation {len(X_val)}, test {len(X_test)}")

# %% [markdown]
# ## Try designs
#
# Each entry is `(hidden layer sizes, dropout rate, epochs)`. Change them, add rows, and run
# the cell again. Only validation numbers are printed: the test set stays locked.

# %%
designs = [
    ((), 0.0, 20),          # no hidden layer: softmax regression
    ((32,), 0.0, 20),
    ((128, 64), 0.2, 20),   # the network of the lesson
]


def build(hidden, rate, seed=0):
    layers, width = [], 64
    for units in hidden:
        layers.append(Dense(units, activation="relu", input_shape=(width,)))
        if rate:
            layers.append(Dropout(rate))
        width = units
    layers.append(Dense(10, activation="softmax", input_shape=(width,)))
    model = Sequential(layers, seed=seed)
    model.compile(optimizer="adam", loss="categorical_crossentropy",
                  metrics=["accuracy"])
    return model


curves = {}
for hidden, rate, epochs in designs:
    model = build(hidden, rate)
    log = model.fit(X_train, Y_train, validation_data=(X_val, Y_val), epochs=epochs,
                    batch_size=32, verbose=0).history
    name = f"hidden {list(hidden)}, dropout {rate}, {epochs} epochs"
    curves[name] = log["val_accuracy"]
    train_accuracy, val_accuracy = log["accuracy"][-1], log["val_accuracy"][-1]
    print(f"{name:42s} train {train_accuracy:.3f}  validation {val_accuracy:.3f}")

fig, ax = plt.subplots(figsize=(6, 3.5))
for name, values in curves.items():
    ax.plot(range(1, len(values) + 1), values, label=name)
ax.set_xlabel("epoch")
ax.set_ylabel("validation accuracy")
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# ## Your final model
#
# Pick the design you trust from the validation numbers above and put it here. Then run the
# self-check: it evaluates your model on the test set and tells you whether it clears the
# lesson's bar of 95 % test accuracy.

# %% tags=["answer"]
my_hidden = None    # hidden layer sizes, e.g. (32,)
my_dropout = None   # e.g. 0.0
my_epochs = None    # e.g. 20

# %%
if None in (my_hidden, my_dropout, my_epochs):
    print("Self-check: not answered yet. "
          "Choose my_hidden, my_dropout and my_epochs above,")
    print("then run this cell and the ones below again.")
else:
    final = build(my_hidden, my_dropout)
    final.fit(X_train, Y_train, validation_data=(X_val, Y_val), epochs=my_epochs,
              batch_size=32, verbose=0)
    test_loss, test_accuracy = final.evaluate(X_test, Y_test)
    predicted = final.predict(X_test).argmax(axis=1)
    confusion = np.zeros((10, 10), dtype=int)
    np.add.at(confusion, (y_test, predicted), 1)
    print(confusion)
    print(f"test accuracy {test_accuracy:.1%}")
    if test_accuracy >= 0.95:
        print("Self-check passed: your network clears 95 % on the test set.")
    else:
        print("Self-check failed: below 95 % on the test set. "
              "Try hidden layers, more epochs,")
        print("or look at the validation curves above "
              "for a design that is still improving.")

# %% [markdown]
# ## The mistakes
#
# The test digits your model got wrong, with what it said instead.

# %%
if None in (my_hidden, my_dropout, my_epochs):
    print("Choose your final model above first: its mistakes are shown here.")
else:
    wrong = np.flatnonzero(predicted != y_test)[:12]
    n_shown = max(len(wrong), 1)
    fig, axes = plt.subplots(1, n_shown, figsize=(1.3 * n_shown, 1.8), squeeze=False)
    for ax in axes.ravel():
        ax.set_axis_off()
    for ax, index in zip(axes.ravel(), wrong):
        ax.imshow(X_test[index].reshape(8, 8), cmap="gray_r")
        ax.set_title(f"{y_test[index]} → {predicted[index]}", fontsize=9)
    plt.show()

# %% [markdown]
# **Self-check.** Which digit does your model most often give as a *wrong* answer? Read it off
# the confusion matrix (the column with the largest off-diagonal sum) and write it below.

# %% tags=["answer"]
my_most_common_wrong_answer = None   # a digit, 0 to 9

# %%
if my_most_common_wrong_answer is None or None in (my_hidden, my_dropout, my_epochs):
    print("Self-check: not answered yet. Choose your final model,")
    print("then set my_most_common_wrong_answer above and run this cell again.")
else:
    wrong_answers = confusion.sum(axis=0) - np.diag(confusion)
    if wrong_answers[my_most_common_wrong_answer] == wrong_answers.max():
        print("Self-check passed: that column collects the most wrong answers.")
    else:
        print("Self-check failed: column sums without the diagonal are "
              f"{wrong_answers.tolist()};")
        print("pick the largest.")

# %% [markdown]
# ## Beyond accuracy: precision, recall and ROC
#
# A narrower job: a detector for "is this a nine?". One digit in ten is a nine, so accuracy
# flatters a detector that finds few of them. Precision is the share of the examples called
# positive that are; recall is the share of the positives that are found; F1 is their harmonic
# mean. A threshold on the detector's score trades one for the other, and the area under the
# ROC curve (AUC) sums up the ranking over every threshold. **Try this:** change `DIGIT` or the
# thresholds.

# %%
from nnlib import Adam, metrics

DIGIT = 9

is_target_train = (y_train == DIGIT).astype(int)
is_target_val = (y_val == DIGIT).astype(int)
detector = Sequential([Dense(1, activation="sigmoid", input_shape=(64,))], seed=0)
detector.compile(optimizer=Adam(learning_rate=0.01), loss="binary_crossentropy")
detector.fit(X_train, is_target_train, epochs=30, batch_size=32, verbose=0)
scores = detector.predict(X_val)[:, 0]
for threshold in (0.1, 0.5, 0.9):
    called = (scores >= threshold).astype(int)
    precision = metrics.precision(is_target_val, called, zero_division=0.0)
    recall = metrics.recall(is_target_val, called)
    f1 = metrics.f1_score(is_target_val, called)
    accuracy = np.mean(called == is_target_val)
    print(f"threshold {threshold}: {metrics.confusion_counts(is_target_val, called)}")
    print(f"    precision {precision:.2f} recall {recall:.2f} F1 {f1:.2f} "
          f"accuracy {accuracy:.3f}")
print(f"AUC {metrics.roc_auc(is_target_val, scores):.3f}")
always_no = np.zeros_like(is_target_val)
print(f"always 'no': {metrics.confusion_counts(is_target_val, always_no)}, "
      f"accuracy {np.mean(always_no == is_target_val):.3f}")

# %% [markdown]
# **Self-check.** A lazy detector answers "yes" for every validation digit. From its counts
# below, compute its F1 score.

# %%
always_yes = np.ones_like(is_target_val)
print(metrics.confusion_counts(is_target_val, always_yes))

# %% tags=["answer"]
my_f1 = None

# %%
f1_lazy = metrics.f1_score(is_target_val, always_yes)
if my_f1 is None:
    print("Self-check: not answered yet. "
          "Compute my_f1 above, then run this cell again.")
elif abs(my_f1 - f1_lazy) < 1e-3:
    print(f"Self-check passed: F1 {f1_lazy:.3f}. "
          "Recall is perfect, but the precision")
    print("is the share of positives, "
          "and the harmonic mean stays near the smaller of the two.")
else:
    print("Self-check failed: precision is TP / (TP + FP), recall TP / (TP + FN),")
    print("and F1 their harmonic mean 2 P R / (P + R), not their average.")

# %% [markdown]
# **Self-check.** The AUC is the probability that a randomly chosen positive (a nine) scores
# higher than a randomly chosen negative, ties counting one half. Compute it from `scores` and
# `is_target_val` by comparing every nine with every other digit, without `metrics`.

# %% tags=["answer"]
my_auc = None

# %%
auc_nnlib = metrics.roc_auc(is_target_val, scores)
if my_auc is None:
    print("Self-check: not answered yet. "
          "Compute my_auc above, then run this cell again.")
elif abs(my_auc - auc_nnlib) < 1e-6:
    print(f"Self-check passed: {auc_nnlib:.4f}, the area under nnlib's ROC curve.")
else:
    print("Self-check failed: take the scores of the nines and of the others, "
          "compare every pair")
    print("(positive > negative counts 1, a tie 1/2), and average over all pairs.")
