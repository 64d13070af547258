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
# # Lab: the neuron
#
# Runs on the CPU with the project installed: `pip install -e ".[docs]"` from a clone of the
# repository (see its README). Change the numbers in the next cell and run the cells again.

# %%
import numpy as np

x = np.array([1.0, 0.5])
w = np.array([0.3, 0.7])
b = 0.1

# %%
z = x @ w + b
a = 1 / (1 + np.exp(-z))
print(f"z = {z:.3f}, a = {a:.3f}")

# %% [markdown]
# **Self-check.** Which bias makes the neuron output exactly $0.5$? Put your answer below.

# %%
my_bias = -0.65

# %%
print("Self-check passed: z = 0, so a = 0.5." if abs(x @ w + my_bias) < 1e-9
      else "Self-check failed: a = 0.5 exactly when z = 0; try again.")
