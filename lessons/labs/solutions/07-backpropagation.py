# %% [markdown]
# # Solutions: backpropagation
#
# One code cell for each answer cell of `../07-backpropagation.py`, in order.

# %%
db1 = delta1.sum(axis=0)

# %%
class Softsign(Activation):
    def f(self, x):
        return x / (1 + np.abs(x))

    def df(self, grad):
        return grad / (1 + np.abs(self.x)) ** 2


# %%
my_dX = delta1 @ W1.T
