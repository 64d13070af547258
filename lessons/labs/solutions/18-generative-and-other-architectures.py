# %% [markdown]
# # Solutions: generative and other architectures
#
# One code cell for each answer cell of `../18-generative-and-other-architectures.py`, in order.

# %%
def my_fgsm(model, x, labels, epsilon):
    probabilities = model.forward(x)
    dx = model.backward_loss(labels, probabilities)
    return np.clip(x + epsilon * np.sign(dx), 0.0, 1.0)


# %%
def my_kl(mu, log_var):
    return 0.5 * np.sum(mu**2 + np.exp(log_var) - log_var - 1)


# %%
my_dlog_var = eps_rep * np.exp(log_var_demo / 2) / 2
