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
# # Lab: attention and transformers
#
# Runs on the CPU with the project installed: `pip install -e ".[docs]"` from a clone of the
# repository (see its README). Change the numbers marked **try this** and run the cells again.
#
# Five parts: (1) scaled dot-product attention written in NumPy, checked against nnlib;
# (2) a small attention model trained on a digit task of your choice, with its attention maps;
# (3) tokens and embeddings: byte-pair encoding on the sonnets, and an embedding table;
# (4) where the layer normalization goes, post-LN or pre-LN; (5) cross-attention, the decoder
# reading the encoder's output.

# %%
import matplotlib.pyplot as plt
import numpy as np

from nnlib import (Adam, Dense, Embedding, MultiHeadSelfAttention, PositionalEncoding,
                   Sequential)

# %% [markdown]
# ## 1. Attention by hand
#
# Complete `attention(x, Wq, Wk, Wv)` for one head: queries, keys and values, scores
# Q Kᵀ / sqrt(d_k), a softmax along each row, and the weighted sum of the values. Return the
# weights and the output. **Try this:** change `TOKENS` or the random seed.

# %%
TOKENS = 4
rng = np.random.default_rng(3)
x = rng.normal(size=(TOKENS, 6))
Wq, Wk, Wv = (rng.normal(size=(6, 3)) for _ in range(3))


# %% tags=["answer"]
def attention(x, Wq, Wk, Wv):
    ...  # return weights, output


# %% [markdown]
# **Self-check.** nnlib's layer with the same weights (zero biases, and an identity output
# projection so that its output is the context itself) must agree with yours.

# %%
layer = MultiHeadSelfAttention(num_heads=1, key_dim=3, input_shape=(TOKENS, 6))
net = Sequential([layer])
net.set_weights([Wq, np.zeros(3), Wk, np.zeros(3), Wv, np.zeros(3),
                 np.eye(3, 6), np.zeros(6)])
nnlib_out = net.forward(x[None])[0, :, :3]
if attention(x, Wq, Wk, Wv) is None:
    print("Self-check: not answered yet. "
          "Complete attention above, then run this cell again.")
else:
    weights, output = attention(x, Wq, Wk, Wv)
    print(np.round(weights, 3))
    ok = (np.allclose(weights, layer.attention_weights[0, 0], atol=1e-4)
          and np.allclose(output, nnlib_out, atol=1e-4))
    if ok:
        print("Self-check passed: your attention matches nnlib's.")
    else:
        print("Self-check failed: scores are Q @ K.T / sqrt(d_k); softmax each row;")
        print("output = weights @ V.")

# %% [markdown]
# ## 2. A small attention model on a digit task
#
# Five digits in, five digits out. **Try this:** set `TASK` to `"reverse"`, `"sort"` or
# `"rotate"` (shift every digit one place to the left, the first moving to the end); change
# `HEADS` and `KEY_DIM`; set `POSITIONS = False` to drop the positional encoding; try
# `CAUSAL = True`.

# %%
TASK = "reverse"
HEADS, KEY_DIM = 2, 8
POSITIONS = True
CAUSAL = False
EPOCHS = 15

targets = {
    "reverse": lambda X: X[:, ::-1],
    "sort": lambda X: np.sort(X, axis=1),
    "rotate": lambda X: np.roll(X, -1, axis=1),
}
rng = np.random.default_rng(0)
X_train, X_test = rng.integers(0, 5, size=(1024, 5)), rng.integers(0, 5, size=(256, 5))
Y_train, Y_test = targets[TASK](X_train), targets[TASK](X_test)

layers = [Embedding(5, 16, input_length=5)]
if POSITIONS:
    layers.append(PositionalEncoding())
layers += [MultiHeadSelfAttention(HEADS, KEY_DIM, causal=CAUSAL),
           Dense(5, activation="softmax")]
model = Sequential(layers, seed=0)
model.compile(optimizer=Adam(0.01), loss="categorical_crossentropy")
history = model.fit(X_train, np.eye(5)[Y_train], epochs=EPOCHS, batch_size=32,
                    verbose=0)

predicted = model.predict(X_test).argmax(axis=-1)
print(f"{TASK}: digits right {np.mean(predicted == Y_test):.1%}, "
      f"whole sequences right {np.mean((predicted == Y_test).all(axis=1)):.1%}")
print("example:", X_test[0], "->", predicted[0], "(target", Y_test[0], ")")

# %% [markdown]
# The attention maps, averaged over the test set: rows are output positions (queries), columns
# input positions (keys).

# %%
attention_layer = next(layer for layer in model.layers
                       if isinstance(layer, MultiHeadSelfAttention))
model.forward(X_test)
mean_maps = attention_layer.attention_weights.mean(axis=0)
fig, axes = plt.subplots(1, HEADS, figsize=(3.2 * HEADS, 3), squeeze=False)
for head, ax in enumerate(axes[0]):
    ax.imshow(mean_maps[head], vmin=0, vmax=1)
    ax.set_title(f"head {head + 1}")
    ax.set_xticks(range(5), range(1, 6))
    ax.set_yticks(range(5), range(1, 6))
    ax.set_xlabel("input position")
axes[0, 0].set_ylabel("output position")
plt.show()

# %% [markdown]
# **Self-check.** Read the map of head 1 above (with the shipped settings: reversal): which input
# position (1 to 5) does output position 1 attend to most?

# %% tags=["answer"]
answer = None   # a position, 1 to 5

# %%
looked_at = int(mean_maps[0, 0].argmax()) + 1
if answer is None:
    print("Self-check: not answered yet. Set answer above, then run this cell again.")
elif answer == looked_at:
    print("Self-check passed: output position 1 attends most "
          f"to input position {looked_at}.")
else:
    print("Self-check failed: find the brightest cell in the first row "
          "of head 1's map")
    print(f"(with TASK = '{TASK}').")

# %% [markdown]
# ## 3. Tokens: characters and byte-pair encoding
#
# A language model reads tokens, small integers. Characters make a tiny vocabulary but long
# sequences; byte-pair encoding (BPE) starts from characters and repeats one step: count every
# pair of neighbouring tokens inside the words of the training text, and merge the most frequent
# pair into a new token everywhere. **Try this:** change `NUM_MERGES` and the sentence.

# %%
from collections import Counter

from nnlib.text import BPETokenizer, CharTokenizer, load_sonnets

NUM_MERGES = 50

sonnets = load_sonnets().lower()
chars = CharTokenizer(sonnets)
bpe = BPETokenizer(sonnets, num_merges=NUM_MERGES)
sentence = "shall i compare thee to a summer's day?"
n_chars, n_bpe = len(chars.encode(sentence)), len(bpe.encode(sentence))
print(f"{n_chars} character tokens; {n_bpe} BPE tokens, split by |:")
print("|".join(bpe.tokens(sentence)))
pair_counts = Counter(pair for word in sonnets.split() for pair in zip(word, word[1:]))
print("most frequent pairs of characters inside words:")
print(pair_counts.most_common(4))

# %% [markdown]
# **Self-check.** The first merge is `('t', 'h')`, the most frequent pair above. Which pair of
# tokens is merged *second*? Merge `th` in every word first, then count the pairs again.

# %% tags=["answer"]
my_second_merge = None   # a pair of strings, e.g. ("a", "b")

# %%
second_merge = BPETokenizer(sonnets, num_merges=2).merges[1]
if my_second_merge is None:
    print("Self-check: not answered yet. "
          "Set my_second_merge above, then run this cell again.")
elif tuple(my_second_merge) == second_merge:
    print(f"Self-check passed: BPE merges {second_merge} second.")
else:
    print("Self-check failed: once 't' 'h' is one token 'th', "
          "an 'h' inside 'th' no longer pairs")
    print("with the letter after it; recount the pairs after the merge.")

# %% [markdown]
# **Embeddings.** A token id is a name, not a quantity, so a model's first layer gives each id a
# learned vector of its own: an `Embedding` layer is a table with one row per token. The
# character model's table, before training, looks up the ids of a word.

# %%
embed = Sequential([Embedding(chars.vocab_size, 4)], seed=0)
word_ids = chars.encode("love")
looked_up = embed.predict(word_ids[None])[0]
table = embed.get_weights()[0]   # (vocabulary, 4): one row per token
print("ids", word_ids, "-> vectors of shape", looked_up.shape)

# %% [markdown]
# **Self-check.** Looking up a row is the same as multiplying the one-hot vector of the id by the
# table, which is why the table trains like any weight matrix. Compute the four vectors of "love"
# as that product, from `word_ids`, `table` and `np.eye`.

# %% tags=["answer"]
my_vectors = None   # an array of shape (4, 4)

# %%
if my_vectors is None:
    print("Self-check: not answered yet. "
          "Compute my_vectors above, then run this cell again.")
elif np.shape(my_vectors) == looked_up.shape and np.allclose(my_vectors, looked_up):
    print("Self-check passed: one-hot rows times the table "
          "give what the Embedding layer looks up.")
else:
    print("Self-check failed: build the one-hot rows "
          "with np.eye(chars.vocab_size)[word_ids],")
    print("one row per character, "
          "and multiply them by the table (vocabulary x 4) on the right.")

# %% [markdown]
# ## 4. Where the normalization goes: post-LN and pre-LN
#
# The 2017 transformer normalizes after each residual sum (post-LN):
# $h = \mathrm{LN}(x + \mathrm{Attention}(x))$. GPT-2 and most models since normalize the input of
# each sub-layer instead (pre-LN): $h = x + \mathrm{Attention}(\mathrm{LN}(x))$, which leaves the
# residual path from input to output a chain of plain additions. nnlib's `transformer_block`
# builds either. **Try this:** change `SPREAD`, the scale of the inputs, and see which block's
# output follows it.

# %%
from nnlib import transformer_block

SPREAD = 5.0

# 4 sequences of 6 vectors of 16
x_tokens = SPREAD * np.random.default_rng(0).normal(size=(4, 6, 16))
for norm in ("post", "pre"):
    block = Sequential(transformer_block(16, 2, 32, norm=norm), seed=0)
    spread_out = block.predict(x_tokens).std(axis=-1).mean()
    print(f"{norm:>4}-LN:", " -> ".join(type(layer).__name__ for layer in block.layers))
    print(f"         spread of each output vector {spread_out:.2f}")

# %% [markdown]
# **Self-check.** In a fresh post-LN block, what is the standard deviation, over its 16 numbers,
# of the output vector at each position, whatever `SPREAD` is? (A fresh layer normalization has
# scale 1 and shift 0.)

# %% tags=["answer"]
my_post_ln_spread = None

# %%
spreads = {}
for spread in (0.5, 5.0, 50.0):
    post_block = Sequential(transformer_block(16, 2, 32, norm="post"), seed=0)
    inputs = spread * np.random.default_rng(1).normal(size=(4, 6, 16))
    spreads[spread] = post_block.predict(inputs).std(axis=-1)
if my_post_ln_spread is None:
    print("Self-check: not answered yet. "
          "Set my_post_ln_spread above, then run this cell again.")
elif all(np.allclose(s, my_post_ln_spread, atol=0.01) for s in spreads.values()):
    print("Self-check passed: post-LN ends on a layer normalization,")
    print("so every position leaves the block with mean 0 and standard deviation 1.")
else:
    print("Self-check failed: the last layer of a post-LN block "
          "is a layer normalization,")
    print("which rescales each position's vector to mean 0 and standard deviation 1,")
    print("whatever came in.")

# %% [markdown]
# ## 5. Cross-attention: the decoder reads the encoder
#
# In an encoder-decoder the queries come from the decoder's positions and the keys and values
# from the encoder's output. nnlib's `MultiHeadCrossAttention` computes it; with one head its
# weight table is $A = \mathrm{softmax}(Q K^\top / \sqrt{d_k})$, with $Q = x W_q + b_q$ from the
# decoder states $x$ and $K = S W_k + b_k$ from the encoder output $S$. **Try this:** change
# `TARGET_STEPS` and `SOURCE_STEPS` and watch the shape of the table.

# %%
from nnlib import MultiHeadCrossAttention

TARGET_STEPS, SOURCE_STEPS = 2, 5

cross = MultiHeadCrossAttention(num_heads=1, key_dim=4)
cross.build((TARGET_STEPS, 8), np.random.default_rng(0))
states = np.random.default_rng(1)
decoder_states = states.normal(size=(1, TARGET_STEPS, 8))
encoder_output = states.normal(size=(1, SOURCE_STEPS, 8))
_ = cross.forward(decoder_states, encoder_output)
cross_weights = cross.attention_weights[0, 0]  # the one head: (target, source)
print("weight table", cross_weights.shape,
      "- row sums", cross_weights.sum(axis=1).round(3))

# %% [markdown]
# **Self-check.** Compute the weight table yourself from `decoder_states[0]`,
# `encoder_output[0]` and the layer's parameters `cross.params["Wq"]`, `cross.params["bq"]`,
# `cross.params["Wk"]` and `cross.params["bk"]` (here $d_k = 4$).

# %% tags=["answer"]
my_cross_weights = None

# %%
if my_cross_weights is None:
    print("Self-check: not answered yet. "
          "Compute my_cross_weights above, then run this cell again.")
elif (np.shape(my_cross_weights) == cross_weights.shape
        and np.allclose(my_cross_weights, cross_weights, atol=1e-6)):
    print("Self-check passed: one row per decoder position, "
          "one column per encoder position.")
else:
    print("Self-check failed: take the queries from the decoder states "
          "and the keys from the encoder output,")
    print("divide the scores Q K^T by sqrt(4) and apply the softmax along each row.")
