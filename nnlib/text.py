"""Text for language models: a small corpus, tokenizers, training windows and generation.

A language model reads *tokens*, integer ids, and predicts the next one. This module turns
text into ids and back (:class:`CharTokenizer`, one id per character; :class:`BPETokenizer`,
byte-pair merges of frequent neighbours; both are a :class:`Tokenizer`), cuts an id sequence into training windows
(:func:`next_token_windows`), and writes new text with a trained model (:func:`generate`).

>>> tokenizer = CharTokenizer("abba cab")
>>> tokenizer.vocabulary
[' ', 'a', 'b', 'c']
>>> ids = tokenizer.encode("cab")
>>> print(ids, repr(tokenizer.decode(ids)))
[3 1 2] 'cab'
"""

from collections import Counter
from pathlib import Path

import numpy as np

from . import backend

SONNETS = Path(__file__).with_name("sonnets.txt")


def load_sonnets():
    """Seven of Shakespeare's sonnets (1, 18, 29, 55, 73, 116, 130; public domain), 4,304 characters.

    Small enough to train a character-level model on in seconds, long enough to hold words,
    rhymes and line breaks worth learning.

    >>> text = load_sonnets()
    >>> print(len(text), repr(text[:34]))
    4304 'From fairest creatures we desire i'
    """
    return SONNETS.read_text(encoding="utf-8")


class Tokenizer:
    """What both tokenizers share: a ``vocabulary`` of token strings, in which a token's id is
    its position, and :meth:`decode`, which turns ids back into text. Each subclass learns its
    vocabulary from a text and cuts text into tokens its own way (``encode``).
    """

    @property
    def vocab_size(self):
        """How many tokens there are: ids run from 0 to vocab_size - 1."""
        return len(self.vocabulary)

    def decode(self, ids):
        """The text of a sequence of ids: their tokens joined.

        Parameters
        ----------
        ids : array_like of int
            Token ids in [0, vocab_size), of any backend.

        Returns
        -------
        str
            The tokens joined; ``decode(encode(text)) == text``.

        Raises
        ------
        ValueError
            If an id is not a whole number in [0, vocab_size).
        """
        return "".join(self.vocabulary[i] for i in _checked_ids(ids, self.vocab_size))


class CharTokenizer(Tokenizer):
    """One token per character: id = position of the character in the sorted ``vocabulary``.

    The vocabulary is every distinct character of ``text``; encoding a character it has
    never seen is an error (a real tokenizer would map it to an "unknown" token).

    >>> tokenizer = CharTokenizer("hello")
    >>> print(tokenizer.vocabulary, tokenizer.vocab_size, tokenizer.encode("hole").tolist())
    ['e', 'h', 'l', 'o'] 4 [1, 3, 2, 0]

    Parameters
    ----------
    text : str
        The text whose characters make the vocabulary; not empty.

    Raises
    ------
    ValueError
        If ``text`` is not a non-empty string.
    """

    def __init__(self, text):
        if not isinstance(text, str) or not text:
            raise ValueError(f"CharTokenizer needs a non-empty string to take its characters from, got {text!r:.40}")
        self.vocabulary = sorted(set(text))
        self.ids = {char: i for i, char in enumerate(self.vocabulary)}

    def encode(self, text):
        """The ids of ``text``'s characters.

        Parameters
        ----------
        text : str
            Text made of the vocabulary's characters.

        Returns
        -------
        numpy.ndarray
            int64 ids, shape (len(text),).

        Raises
        ------
        ValueError
            If a character is not in the vocabulary.
        """
        unknown = sorted(set(text) - set(self.ids))
        if unknown:
            raise ValueError(f"characters not in the vocabulary: {unknown}; the tokenizer knows "
                             f"{''.join(self.vocabulary)!r}")
        return np.array([self.ids[char] for char in text], dtype=np.int64)


class BPETokenizer(Tokenizer):
    """Byte-pair encoding (Sennrich et al., 2016) on characters: frequent neighbours become one token.

    Learning starts from single characters and repeats ``num_merges`` times: count every
    pair of neighbouring tokens in ``text``, and merge the most frequent pair (a, b) into a
    new token ab everywhere (ties go to the pair seen first). Encoding applies the learned
    merges in the order they were learned. Frequent words end up as one token, rare words
    as several pieces, and any text made of known characters can still be encoded.
    Tokens never cross a space or a line break, as in GPT-2's tokenizer.

    >>> bpe = BPETokenizer("low lower lowest", num_merges=3)
    >>> bpe.merges
    [('l', 'o'), ('lo', 'w'), ('low', 'e')]
    >>> print(bpe.tokens("slow owl"), bpe.encode("slow owl").tolist())
    ['s', 'low', ' ', 'o', 'w', 'l'] [5, 9, 0, 3, 7, 2]

    Parameters
    ----------
    text : str
        The text to learn the merges from; not empty.
    num_merges : int
        How many merges to learn (fewer if every word becomes one token first); >= 0.

    Raises
    ------
    ValueError
        If ``text`` is empty or ``num_merges`` is not a whole number >= 0.
    """

    def __init__(self, text, num_merges):
        if not isinstance(text, str) or not text:
            raise ValueError(f"BPETokenizer needs a non-empty string to learn from, got {text!r:.40}")
        if isinstance(num_merges, bool) or int(num_merges) != num_merges or num_merges < 0:
            raise ValueError(f"num_merges must be a whole number >= 0, got {num_merges!r}")
        self.vocabulary = sorted(set(text))
        self.merges = []
        words = [list(word) for word in _words(text)]
        for _ in range(int(num_merges)):
            pairs = Counter(pair for word in words for pair in zip(word, word[1:]))
            if not pairs:
                break  # every word is already one token
            best = max(pairs, key=pairs.get)  # Counter keeps first-seen order, so ties go to the first
            self.merges.append(best)
            self.vocabulary.append(best[0] + best[1])
            words = [_merge(word, best) for word in words]
        self.ids = {token: i for i, token in enumerate(self.vocabulary)}

    def tokens(self, text):
        """``text`` cut into tokens (strings), the learned merges applied in order.

        Parameters
        ----------
        text : str
            Text made of known characters.

        Returns
        -------
        list of str
            The tokens.

        Raises
        ------
        ValueError
            If a character was not in the training text.
        """
        unknown = sorted(set(text) - {token for token in self.vocabulary if len(token) == 1})
        if unknown:
            raise ValueError(f"characters not in the vocabulary: {unknown}")
        pieces = []
        for word in _words(text):
            word = list(word)
            for pair in self.merges:
                word = _merge(word, pair)
            pieces += word
        return pieces

    def encode(self, text):
        """The ids of ``text``'s tokens.

        Parameters
        ----------
        text : str
            What to encode; every character must have been in the training text.

        Returns
        -------
        numpy.ndarray
            int64 ids, one per token of ``tokens(text)``.
        """
        return np.array([self.ids[token] for token in self.tokens(text)], dtype=np.int64)


def _words(text):
    """``text`` cut before and after every space and line break, which stay tokens of their own."""
    words, current = [], ""
    for char in text:
        if char in " \n":
            words += [current, char] if current else [char]
            current = ""
        else:
            current += char
    return words + [current] if current else words


def _merge(word, pair):
    """``word`` (a list of tokens) with every neighbouring ``pair`` joined into one token."""
    merged, i = [], 0
    while i < len(word):
        if i + 1 < len(word) and (word[i], word[i + 1]) == pair:
            merged.append(word[i] + word[i + 1])
            i += 2
        else:
            merged.append(word[i])
            i += 1
    return merged


def _checked_ids(ids, vocab_size):
    ids = np.asarray(backend.to_numpy(ids) if hasattr(ids, "shape") else ids).reshape(-1)
    if ids.size and (ids.min() < 0 or ids.max() >= vocab_size or np.any(ids != np.round(ids))):
        raise ValueError(f"token ids must be whole numbers in [0, {vocab_size}), got values from "
                         f"{ids.min()} to {ids.max()}")
    return ids.astype(np.int64)


def next_token_windows(ids, length, stride=1):
    r"""Training pairs for next-token prediction: each target window is its input shifted by one.

    \[ X_i = \text{ids}[s : s + \text{length}], \qquad Y_i = \text{ids}[s + 1 : s + \text{length} + 1] \]

    One window starts every ``stride`` tokens (s = 0, stride, 2 stride, ...). Every position of
    a window is a training example: the model, with a causal mask, predicts Y[i, t] from
    X[i, :t + 1] only.

    >>> X, Y = next_token_windows(np.arange(7), length=3, stride=2)
    >>> print(X.tolist(), Y.tolist())
    [[0, 1, 2], [2, 3, 4]] [[1, 2, 3], [3, 4, 5]]

    Parameters
    ----------
    ids : array_like of int
        The token sequence, 1-D, at least ``length + 1`` long.
    length : int
        Tokens per window, the model's context.
    stride : int, default 1
        Tokens between the starts of neighbouring windows.

    Returns
    -------
    X : numpy.ndarray
        Input windows, shape (n_windows, length).
    Y : numpy.ndarray
        Target windows, the same shape.

    Raises
    ------
    ValueError
        If ``length`` or ``stride`` is not a positive integer or ``ids`` is too short.
    """
    ids = np.asarray(ids)
    for what, value in (("length", length), ("stride", stride)):
        if isinstance(value, bool) or int(value) != value or value < 1:
            raise ValueError(f"{what} must be a positive integer, got {value!r}")
    if ids.ndim != 1 or len(ids) < length + 1:
        raise ValueError(f"need a 1-D sequence of at least length + 1 = {length + 1} ids, got shape {ids.shape}")
    starts = np.arange(0, len(ids) - length, stride)
    X = np.stack([ids[s:s + length] for s in starts])
    Y = np.stack([ids[s + 1:s + length + 1] for s in starts])
    return X, Y


def sample_next(probabilities, temperature=1.0, rng=None):
    r"""Draw the next token id from a model's output probabilities p, sharpened by a temperature T.

    \[ p_T(i) = \frac{p(i)^{1/T}}{\sum_j p(j)^{1/T}} \]

    T = 1 samples from the model as it is; T < 1 favours
    the likely tokens (T -> 0 always picks the most likely: greedy decoding, ``temperature=0``);
    T > 1 flattens the distribution toward uniform.

    >>> p = np.array([0.1, 0.6, 0.3])
    >>> print(sample_next(p, temperature=0), [sample_next(p, 1.0, np.random.default_rng(s)) for s in range(5)])
    1 [1, 1, 1, 0, 2]

    Parameters
    ----------
    probabilities : array_like
        p, 1-D, non-negative, summing to 1.
    temperature : float, default 1.0
        T >= 0; 0 picks the most likely id.
    rng : numpy.random.Generator, optional
        Random generator for the draw; None makes a fresh one.

    Returns
    -------
    int
        The chosen token id.

    Raises
    ------
    ValueError
        If ``probabilities`` is not a distribution or ``temperature`` is negative.
    """
    p = np.asarray(backend.to_numpy(probabilities) if hasattr(probabilities, "shape") else probabilities, float)
    if p.ndim != 1 or not np.all(p >= 0) or not np.isclose(p.sum(), 1.0, atol=1e-4):
        raise ValueError("probabilities must be a 1-D array of non-negative numbers summing to 1")
    if not temperature >= 0:
        raise ValueError(f"temperature must be >= 0, got {temperature!r}")
    if temperature == 0:
        return int(np.argmax(p))
    logits = np.log(np.maximum(p, 1e-30)) / temperature
    sharpened = np.exp(logits - logits.max())
    rng = np.random.default_rng() if rng is None else rng
    return int(rng.choice(len(p), p=sharpened / sharpened.sum()))


def generate(model, tokenizer, prompt, n_tokens, temperature=1.0, rng=None):
    """``prompt`` followed by ``n_tokens`` new tokens, each sampled from the model's prediction.

    The loop of every autoregressive language model: run the model on the text so far (its
    last ``model.input_shape[0]`` tokens, the context it was trained on), take the predicted
    distribution at the last position, sample a token (:func:`sample_next`), append it,
    repeat. The model must end in a softmax over the vocabulary and be causal.

    Parameters
    ----------
    model : Sequential
        A trained, built language model: token ids (batch, time) in, probabilities
        (batch, time, vocab_size) out.
    tokenizer : CharTokenizer or BPETokenizer
        The tokenizer the model was trained with.
    prompt : str
        The text to continue; at least one token.
    n_tokens : int
        How many tokens to add, >= 0.
    temperature : float, default 1.0
        As in :func:`sample_next`.
    rng : numpy.random.Generator, optional
        For the sampling; None makes a fresh one.

    Returns
    -------
    str
        The prompt and the generated continuation.

    Raises
    ------
    ValueError
        If the model is not built, ``n_tokens`` is not a whole number >= 0, or the prompt is empty.
    """
    if model.input_shape is None:
        raise ValueError("the model is not built: train it, or give its first layer input_length=")
    if isinstance(n_tokens, bool) or int(n_tokens) != n_tokens or n_tokens < 0:
        raise ValueError(f"n_tokens must be a whole number >= 0, got {n_tokens!r}")
    context = model.input_shape[0]
    ids = list(tokenizer.encode(prompt))
    if not ids:
        raise ValueError("the prompt must hold at least one token")
    rng = np.random.default_rng() if rng is None else rng
    for _ in range(int(n_tokens)):
        window = backend.asarray(np.array([ids[-context:]], dtype=np.int64))
        probabilities = backend.to_numpy(model.forward(window))[0, -1]
        ids.append(sample_next(probabilities, temperature, rng))
    return tokenizer.decode(ids)
