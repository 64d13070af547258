# %% [markdown]
# # Solutions: one layer or two? XOR with nnlib
#
# One code cell for each answer cell of `../01-what-is-a-neural-network.py`, in order.

# %%
W1 = np.array([[10.0, -10.0],
               [10.0, -10.0]])   # column 0: OR, column 1: NAND
b1 = np.array([-5.0, 15.0])
W2 = np.array([[10.0],
               [10.0]])          # AND of the two hidden neurons
b2 = np.array([-15.0])

# %%
# The miss on (1, 1) adds (1, 1); the false alarm on (1, 0) subtracts (1, 0).
my_w = [0.0, 1.0]
my_b = 0.0          # +1, then -1
