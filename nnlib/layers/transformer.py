"""The transformer block, built from nnlib's layers, with layer normalization after or before."""

from .attention import MultiHeadSelfAttention
from .dense import Dense
from .normalization import LayerNormalization
from .residual import Residual

NORMS = ("post", "pre")


def transformer_block(d_model, num_heads, ff_units, causal=False, norm="post"):
    r"""One transformer block on inputs of width ``d_model``, as a list of layers for a ``Sequential``.

    Two sub-layers, each inside a residual connection: multi-head self-attention
    (``num_heads`` heads of key_dim = d_model / num_heads), which mixes positions, and a
    feed-forward network FF = Dense(ff_units, relu) -> Dense(d_model), applied to each
    position on its own. ``norm`` says where layer normalization (LN) goes:

    - ``"post"`` (Vaswani et al., 2017):
      \( h = \mathrm{LN}(x + \mathrm{Attention}(x)), \ y = \mathrm{LN}(h + \mathrm{FF}(h)) \);
    - ``"pre"`` (GPT-2 and most models since):
      \( h = x + \mathrm{Attention}(\mathrm{LN}(x)), \ y = h + \mathrm{FF}(\mathrm{LN}(h)) \).

    Pre-LN leaves the residual path from x to y free of any normalization, so the gradient
    reaches early blocks undisturbed; a pre-LN stack usually ends with one more
    LayerNormalization before the output layer. (PyTorch's ``TransformerEncoderLayer``
    takes the same choice as ``norm_first``.)

    >>> from nnlib import Sequential, Embedding, PositionalEncoding, Dense
    >>> model = Sequential([Embedding(10, 8, input_length=4), PositionalEncoding(),
    ...                     *transformer_block(8, 2, 16, causal=True, norm="pre"),
    ...                     Dense(10, activation="softmax")], seed=0)
    >>> print([layer.name for layer in model.layers])
    ['embedding', 'positional_encoding', 'residual', 'residual_1', 'dense']
    >>> print([sub.kind for sub in model.layers[2].layers], model.output_shape())
    ['layer_normalization', 'multi_head_self_attention'] (4, 10)

    Parameters
    ----------
    d_model : int
        Width of the inputs and outputs; a multiple of ``num_heads``.
    num_heads : int
        Attention heads, each of key_dim = d_model / num_heads.
    ff_units : int
        Width of the feed-forward network's hidden layer (often 4 * d_model).
    causal : bool, default False
        Mask the future in the attention (for language models).
    norm : {"post", "pre"}, default "post"
        Where layer normalization goes: after each residual sum, or before each sub-layer.

    Returns
    -------
    list of Layer
        The block's layers, to unpack into a ``Sequential``.

    Raises
    ------
    ValueError
        If ``norm`` is unknown, a width is not a positive integer, or ``d_model`` is not a
        multiple of ``num_heads``.
    """
    if norm not in NORMS:
        raise ValueError(f"norm must be 'post' (normalize after each residual sum) or 'pre' (normalize the "
                         f"input of each sub-layer), got {norm!r}")
    for what, value in (("d_model", d_model), ("num_heads", num_heads), ("ff_units", ff_units)):
        if isinstance(value, bool) or int(value) != value or value < 1:
            raise ValueError(f"transformer_block {what} must be a positive integer, got {value!r}")
    if d_model % num_heads:
        raise ValueError(f"d_model ({d_model}) must be a multiple of num_heads ({num_heads}): "
                         f"the heads split the width between them")
    attention = MultiHeadSelfAttention(num_heads, d_model // num_heads, causal=causal)
    feed_forward = [Dense(int(ff_units), activation="relu"), Dense(int(d_model))]
    if norm == "pre":
        return [Residual([LayerNormalization(), attention]), Residual([LayerNormalization(), *feed_forward])]
    return [Residual([attention]), LayerNormalization(), Residual(feed_forward), LayerNormalization()]
