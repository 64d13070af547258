# %% [markdown]
# # Solutions: attention and transformers
#
# One code cell for each answer cell of `../17-attention-and-transformers.py`, in order.

# %%
def attention(x, Wq, Wk, Wv):
    Q, K, V = x @ Wq, x @ Wk, x @ Wv
    scores = Q @ K.T / np.sqrt(K.shape[1])
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    weights = e / e.sum(axis=1, keepdims=True)
    return weights, weights @ V


# %%
answer = 5


# %%
import re

# "th" as one token, the rest letter by letter
words = [re.findall("th|.", word) for word in sonnets.split()]
pairs = Counter(pair for word in words for pair in zip(word, word[1:]))
my_second_merge = pairs.most_common(1)[0][0]

# %%
my_vectors = np.eye(chars.vocab_size)[word_ids] @ table

# %%
my_post_ln_spread = 1.0

# %%
Q = decoder_states[0] @ cross.params["Wq"] + cross.params["bq"]
K = encoder_output[0] @ cross.params["Wk"] + cross.params["bk"]
cross_scores = Q @ K.T / np.sqrt(4)
e = np.exp(cross_scores - cross_scores.max(axis=1, keepdims=True))
my_cross_weights = e / e.sum(axis=1, keepdims=True)
