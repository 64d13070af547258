# %% [markdown]
# # Solutions: generative and other architectures
#
# One code cell for each answer cell of `../18-generative-and-other-architectures.py`, in order.

# %%
def my_fgsm(model, x, labels, epsilon):
    probabilities = model.forward(x)
    dx = model.backward_loss(labels, probabilities)
    return np.clip(x + epsilon * np.sign(dx), 0.0, 1.0)
