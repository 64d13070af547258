"""MultiHeadCrossAttention, DecoderBlock and EncoderDecoder: gradients, shapes, errors, training."""

import numpy as np
import pytest

from nnlib import backend as nb
from nnlib.encoder_decoder import DecoderBlock, EncoderDecoder, load_encoder_decoder
from nnlib.gradcheck import numerical_gradient, relative_error
from nnlib.layers import MultiHeadCrossAttention, MultiHeadSelfAttention

TOL = 1e-6


def random_params(layers, rng):
    """Replace every parameter of ``layers`` (and the layers inside them) by normal noise,
    so that no gradient is checked at a special point (zero biases, unit LayerNorm scales)."""
    from nnlib.layers import named_layers

    for _, layer in named_layers(layers):
        for key in layer.params:
            layer.params[key] = nb.asarray(rng.normal(size=tuple(layer.params[key].shape)))


def check_two_inputs(layer, x, source, rng):
    """Max relative error of (dL/dx, dL/dsource) and every parameter gradient of a layer
    taking two inputs, for L = sum(forward(x, source) * g)."""
    g = nb.asarray(rng.normal(size=tuple(layer.forward(x, source).shape)))

    def f(_):
        return nb.xp().sum(layer.forward(x, source) * g)

    layer.forward(x, source)
    dx, dsource = layer.backward(g)
    grads = {(path, key): value for path, sub in _named([layer]) for key, value in sub.grads.items()}
    errors = [relative_error(dx, numerical_gradient(f, x)), relative_error(dsource, numerical_gradient(f, source))]
    for path, sub in _named([layer]):
        for key, param in sub.params.items():
            if key == "bk":  # adds q·bk to a whole row of scores, which softmax ignores: its true gradient is 0
                assert np.abs(nb.to_numpy(grads[path, key])).max() < 1e-12
                continue
            errors.append(relative_error(grads[path, key], numerical_gradient(f, param)))
    return max(errors)


def _named(layers):
    from nnlib.layers import named_layers

    return list(named_layers(layers))


def test_cross_attention_gradients_for_both_inputs(backend):
    rng = np.random.default_rng(0)
    with nb.using(dtype="float64"):
        layer = MultiHeadCrossAttention(num_heads=2, key_dim=3, source_dim=5)
        layer.build((4, 6), rng)  # 4 target steps of width 6 attend to 3 source steps of width 5
        random_params([layer], rng)
        x, source = nb.asarray(rng.normal(size=(2, 4, 6))), nb.asarray(rng.normal(size=(2, 3, 5)))
        assert check_two_inputs(layer, x, source, rng) < TOL
        assert tuple(layer.attention_weights.shape) == (2, 2, 4, 3)


@pytest.mark.parametrize("norm", ["pre", "post"])
def test_decoder_block_gradients(backend, norm):
    rng = np.random.default_rng(1)
    with nb.using(dtype="float64"):
        block = DecoderBlock(d_model=4, num_heads=2, ff_units=6, norm=norm)
        block.build((None, 4), rng)
        random_params([block], rng)
        x, source = nb.asarray(rng.normal(size=(2, 3, 4))), nb.asarray(rng.normal(size=(2, 5, 4)))
        assert check_two_inputs(block, x, source, rng) < TOL


def test_self_attention_is_cross_attention_of_a_sequence_with_itself():
    rng = np.random.default_rng(2)
    with nb.using(dtype="float64"):
        own, cross = MultiHeadSelfAttention(2, 3), MultiHeadCrossAttention(2, 3)
        own.build((4, 5), rng)
        cross.build((4, 5), rng)
        cross.params.update({key: nb.asarray(nb.to_numpy(value)) for key, value in own.params.items()})
        x = nb.asarray(rng.normal(size=(3, 4, 5)))
        g = nb.asarray(rng.normal(size=(3, 4, 5)))
        np.testing.assert_allclose(nb.to_numpy(own.forward(x)), nb.to_numpy(cross.forward(x, x)))
        dx_as_queries, dx_as_source = cross.backward(g)
        np.testing.assert_allclose(nb.to_numpy(own.backward(g)), nb.to_numpy(dx_as_queries + dx_as_source))


@pytest.mark.parametrize("x_shape, source_shape, message", [
    ((2, 4, 6), (2, 3, 6), r"source of shape \(2, source_time, 5\) for input of shape \(2, 4, 6\), "
                           r"got shape \(2, 3, 6\)"),
    ((2, 4, 6), (3, 3, 5), r"source of shape \(2, source_time, 5\) .* got shape \(3, 3, 5\)"),
    ((2, 4, 6), (3, 5), r"source of shape \(2, source_time, 5\) .* got shape \(3, 5\)"),
    ((2, 4, 7), (2, 3, 5), r"input of shape \(batch, time, 6\), got shape \(2, 4, 7\)"),
])
def test_cross_attention_refuses_mismatched_shapes(x_shape, source_shape, message):
    layer = MultiHeadCrossAttention(num_heads=2, key_dim=3, source_dim=5, name="cross")
    layer.build((4, 6), np.random.default_rng(0))
    with pytest.raises(ValueError, match="cross expected (a )?" + message):
        layer.forward(nb.asarray(np.zeros(x_shape)), nb.asarray(np.zeros(source_shape)))


def test_cross_attention_refuses_a_gradient_of_the_wrong_shape():
    layer = MultiHeadCrossAttention(num_heads=1, key_dim=2)
    layer.build((4, 6), np.random.default_rng(0))
    layer.forward(nb.asarray(np.zeros((2, 4, 6))), nb.asarray(np.zeros((2, 3, 6))))
    with pytest.raises(ValueError, match=r"gradient of its output's shape \(2, 4, 6\), got shape \(2, 3, 6\)"):
        layer.backward(nb.asarray(np.zeros((2, 3, 6))))


def tiny_model(**overrides):
    settings = dict(source_vocab=4, target_vocab=3, d_model=4, num_heads=2, ff_units=6, num_blocks=1, seed=0)
    model = EncoderDecoder(**{**settings, **overrides})
    model.compile(optimizer="adam")
    return model


@pytest.mark.parametrize("backend_name, norm, num_blocks", [("array_api_strict", "pre", 1), ("numpy", "post", 2)])
def test_encoder_decoder_parameter_gradients(backend_name, norm, num_blocks):
    """Every parameter, encoder's included (reached only through cross-attention), against central differences."""
    rng = np.random.default_rng(3)
    with nb.using(backend_name, dtype="float64"):
        model = tiny_model(norm=norm, num_blocks=num_blocks)
        random_params([*model.encoder, *model.decoder], rng)
        source = nb.asarray(rng.integers(0, 4, size=(2, 5)), dtype="int64")
        target = rng.integers(0, 3, size=(2, 3))
        target_in, target = (nb.asarray(a, dtype="int64") for a in (model.shift_right(target), target))

        def f(_):
            return model.loss(target, model.forward(source, target_in))

        model.backward_loss(target, model.forward(source, target_in))
        named = model.named_parameters()
        assert any(name.startswith("encoder/residual/") for name, _, _ in named)
        for name, param, grad in named:
            if name.endswith("/bk"):
                continue  # a true gradient of 0 (see check_two_inputs)
            # 1e-5: through two post-LN blocks some gradients are ~1e-5, where central differences
            # carry rounding noise of ~1e-11; a wrong backward pass gives errors near 1.
            assert relative_error(grad, numerical_gradient(f, param)) < 1e-5, name


def test_the_decoder_cannot_read_the_target_it_predicts():
    """Teacher forcing is honest: changing target token t leaves the predictions for positions <= t alone."""
    model = tiny_model()
    rng = np.random.default_rng(4)
    source = nb.asarray(rng.integers(0, 4, size=(2, 5)), dtype="int64")
    target = rng.integers(0, 3, size=(2, 4))
    before = nb.to_numpy(model.forward(source, nb.asarray(model.shift_right(target), dtype="int64")))
    target[:, 2] = (target[:, 2] + 1) % 3
    after = nb.to_numpy(model.forward(source, nb.asarray(model.shift_right(target), dtype="int64")))
    np.testing.assert_allclose(after[:, :3], before[:, :3], rtol=1e-5)
    assert not np.allclose(after[:, 3], before[:, 3])


def test_it_learns_to_reverse_and_generates_greedily():
    rng = np.random.default_rng(5)
    source = rng.integers(0, 4, size=(512, 4))
    model = EncoderDecoder(source_vocab=4, target_vocab=4, d_model=16, num_heads=2, ff_units=32, seed=0)
    model.compile(optimizer="adam")
    model.optimizer.learning_rate = 0.01
    history = model.fit(source, source[:, ::-1], epochs=8, batch_size=32)
    assert history.history["loss"][-1] < 0.1 * history.history["loss"][0]
    held_out = rng.integers(0, 4, size=(128, 4))
    written = model.generate(held_out, length=4)
    assert written.shape == (128, 4) and written.dtype.kind == "i"
    assert np.mean((written == held_out[:, ::-1]).all(axis=1)) > 0.9
    weights = nb.to_numpy(model.decoder[2].cross_attention.attention_weights)  # (batch, heads, target, source)
    assert weights.shape == (128, 2, 4, 4)


def test_bad_pairs_are_refused_by_name():
    model = tiny_model()
    with pytest.raises(ValueError, match=r"target must hold whole-number ids in 0 \.\. 2, got values from 0 to 3"):
        model.fit(np.zeros((2, 5)), [[0, 3], [1, 1]])
    with pytest.raises(ValueError, match="source has 2 sequences but target has 3"):
        model.fit(np.zeros((2, 5)), np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"source must be a non-empty array of shape \(sequences, time\)"):
        model.generate(np.zeros(5), length=2)
    with pytest.raises(ValueError, match="validation source has 2 sequences but validation target has 1"):
        model.fit(np.zeros((2, 5)), np.zeros((2, 2)), validation_data=(np.zeros((2, 5)), np.zeros((1, 2))))
    with pytest.raises(RuntimeError, match="compile"):
        EncoderDecoder(4, 3).fit(np.zeros((2, 5)), np.zeros((2, 2)))


def test_save_and_load_keep_weights_optimizer_and_translations(tmp_path):
    rng = np.random.default_rng(6)
    source = rng.integers(0, 4, size=(64, 5))
    model = tiny_model(norm="post", num_blocks=2, seed=3)
    model.fit(source, source[:, :3] % 3, epochs=1, batch_size=16)
    model.save(tmp_path / "model.npz")
    copy = load_encoder_decoder(tmp_path / "model.npz")
    assert (copy.norm, copy.num_blocks, type(copy.optimizer).__name__) == ("post", 2, "Adam")
    assert [name for name, _ in copy.named_weights()] == [name for name, _ in model.named_weights()]
    for a, b in zip(copy.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(copy.generate(source, length=3), model.generate(source, length=3))


def test_load_refuses_a_file_of_another_kind(tmp_path):
    import nnlib

    nnlib.Sequential([nnlib.Dense(1, input_shape=(2,))]).save(tmp_path / "dense.npz")
    with pytest.raises(ValueError, match="dense.npz is not an nnlib EncoderDecoder file"):
        load_encoder_decoder(tmp_path / "dense.npz")
    tiny_model().save(tmp_path / "small.npz")
    with np.load(tmp_path / "small.npz") as archive:
        arrays = {key: archive[key] for key in archive.files if not key.startswith("decoder/dense/")}
    np.savez(tmp_path / "cut.npz", **arrays)
    with pytest.raises(ValueError, match="cut.npz does not match its architecture"):
        load_encoder_decoder(tmp_path / "cut.npz")
