"""Layers: Keras layout and names, lazy build, shape checks, dtypes, gradients (against
finite differences), train/eval behaviour of Dropout and BatchNormalization."""

import doctest
import importlib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import nn
from autograd import Value, gradcheck, no_grad
from autograd.testing import arrays

ACTIVATIONS_SMOOTH = ["linear", "sigmoid", "tanh", "softmax", "log_softmax", "elu",
                      "softplus", "softsign", "silu", "gelu", "exponential"]
ACTIVATIONS_KINKED = ["relu", "leaky_relu", "relu6", "hard_sigmoid", "selu"]


@pytest.fixture(autouse=True)
def _fresh_names():
    nn.clear_session()
    nn.set_random_seed(1234)


def _with(layer, **values):
    """The layer with some weights replaced by the given Values (so that gradcheck can
    differentiate with respect to them)."""
    for name, v in values.items():
        setattr(layer, name, v)
    return layer


# ---- Dense: layout, names, build -------------------------------------------------------------

def test_dense_uses_keras_layout_and_the_fused_linear_node():
    layer = nn.Dense(3, input_dim=4)
    k, b = layer.get_weights()
    assert k.shape == (4, 3) and b.shape == (3,)
    assert np.all(b == 0)                                    # zeros bias by default
    x = np.random.default_rng(0).normal(size=(5, 4)).astype(np.float32)
    y = layer(x)
    assert y.op == "linear"
    np.testing.assert_allclose(y.data, x @ k + b, rtol=1e-6)


def test_keras_style_automatic_names():
    names = [nn.Dense(2).name, nn.Dense(2).name, nn.BatchNormalization().name,
             nn.Dense(2, name="salida").name, nn.Dense(2).name, nn.Input(shape=[2]).name]
    assert names == ["dense", "dense_1", "batch_normalization", "salida", "dense_2",
                     "input_layer"]
    nn.clear_session()
    assert nn.Dense(1).name == "dense"


def test_units_must_be_positive_integers():
    assert nn.Dense(np.int64(3)).units == 3
    for bad in (0, 2.5, True):
        with pytest.raises(ValueError, match="units"):
            nn.Dense(bad)
    with pytest.raises(ValueError, match="in_features"):
        nn.Linear(0, 2)


@pytest.mark.parametrize("bad", ["", "a/b", 3])
def test_bad_layer_names_are_refused(bad):
    with pytest.raises(ValueError, match="name"):
        nn.Dense(2, name=bad)


def test_dense_builds_lazily_from_the_first_batch():
    layer = nn.Dense(2)
    assert not layer.built and layer.get_weights() == []
    with pytest.raises(ValueError, match="not built"):
        layer.count_params()
    layer(np.ones((7, 5)))
    assert layer.built and layer.kernel.shape == (5, 2)
    assert layer.build_input_shape == (None, 5)
    assert layer.count_params() == 5 * 2 + 2


def test_input_shape_and_input_dim_build_at_once_as_in_keras_2():
    a = nn.Dense(2, input_shape=[4])
    b = nn.Dense(2, input_dim=4)
    assert a.count_params() == b.count_params() == 10
    assert a.declared_input_shape == b.declared_input_shape == (None, 4)
    with pytest.raises(ValueError, match="either"):
        nn.Dense(2, input_shape=[4], input_dim=4)
    with pytest.raises(ValueError, match="input_shape"):
        nn.Dense(2, input_shape=[0])


def test_the_slides_network_has_19_parameters():
    hidden = nn.Dense(2, activation="tanh", name="Oculto", input_shape=[4])
    out = nn.Dense(3, activation="softmax", name="salida", input_dim=2)
    assert hidden.count_params() + out.count_params() == 19


def test_wrong_input_width_names_the_layer_and_both_shapes():
    layer = nn.Dense(3, name="hidden", input_dim=4)
    with pytest.raises(ValueError, match=r"Dense 'hidden' expected inputs with 4 features, "
                                         r"got shape \(20, 3\)"):
        layer(np.ones((20, 3)))


def test_compute_output_shape():
    assert nn.Dense(3).compute_output_shape((None, 4)) == (None, 3)
    assert nn.Dense(3).compute_output_shape((None, 7, 4)) == (None, 7, 3)
    assert nn.Flatten().compute_output_shape((None, 8, 8)) == (None, 64)
    assert nn.Flatten().compute_output_shape((None, None, 8)) == (None, None)
    assert nn.Dropout(0.5).compute_output_shape((None, 3)) == (None, 3)
    assert nn.Input(shape=[4]).compute_output_shape() == (None, 4)


def test_dense_on_batches_of_sequences():
    layer = nn.Dense(2, input_dim=3, dtype="float64")
    x = np.random.default_rng(1).normal(size=(4, 5, 3))
    np.testing.assert_allclose(layer(x).data, x @ layer.kernel.data, atol=1e-12)


def test_get_and_set_weights_round_trip_and_validate():
    layer = nn.Dense(3, input_dim=2)
    new = [np.arange(6.0).reshape(2, 3), np.array([1.0, 2.0, 3.0])]
    layer.set_weights(new)
    got = layer.get_weights()
    assert got[0].dtype == np.float32                       # cast into the layer's dtype
    np.testing.assert_array_equal(got[0], new[0])
    got[0][:] = -1                                          # copies, not views
    assert layer.kernel.data[0, 0] == 0.0
    with pytest.raises(ValueError, match=r"kernel.*\(2, 3\).*\(3, 2\)"):
        layer.set_weights([np.ones((3, 2)), np.ones(3)])
    with pytest.raises(ValueError, match="got 1 arrays"):
        layer.set_weights([np.ones((2, 3))])


def test_set_weights_builds_an_unbuilt_layer_from_the_kernel():
    layer = nn.Dense(3)
    layer.set_weights([np.ones((5, 3)), np.zeros(3)])
    assert layer.built and layer(np.ones((1, 5))).data.tolist() == [[5.0, 5.0, 5.0]]


def test_no_bias():
    layer = nn.Dense(2, use_bias=False, input_dim=3)
    assert [w.shape for w in layer.get_weights()] == [(3, 2)]
    assert layer.count_params() == 6
    assert layer(np.ones((1, 3))).op == "matmul"


def test_skip_activation_gives_the_logits():
    layer = nn.Dense(3, activation="softmax", input_dim=2)
    x = np.array([[1.0, -2.0]], dtype=np.float32)
    z = layer(x, skip_activation=True)
    np.testing.assert_allclose(z.data, x @ layer.kernel.data + layer.bias.data, rtol=1e-6)
    p = layer(x)
    e = np.exp(z.data - z.data.max())
    np.testing.assert_allclose(p.data, e / e.sum(), rtol=1e-6)
    assert layer.activation_name == "softmax"
    act = nn.Activation("sigmoid")
    assert act(x, skip_activation=True).data.tolist() == x.tolist()
    assert act.activation_name == "sigmoid"
    assert nn.Dense(2).activation_name == "linear"
    assert nn.Dense(2, activation=lambda v: v).activation_name is None


def test_training_argument_is_accepted_by_every_layer():
    x = np.ones((2, 3))
    assert nn.Dense(2)(x, training=True).shape == (2, 2)
    assert nn.Dropout(0.5)(x, training=False).data.tolist() == x.tolist()


# ---- dtypes ------------------------------------------------------------------------------------

def test_float32_by_default_through_forward_and_backward():
    layer = nn.Dense(3, activation="tanh")
    y = layer(np.ones((4, 2), dtype=np.float64))         # inputs are cast to the layer's dtype
    assert layer.kernel.dtype == np.float32 and y.dtype == np.float32
    y.sum().backward()
    assert layer.kernel.grad.dtype == np.float32 and layer.bias.grad.dtype == np.float32


def test_float64_layers():
    layer = nn.Dense(3, dtype="float64")
    assert layer(np.ones((1, 2), dtype=np.float32)).dtype == np.float64
    assert nn.Linear(2, 2, dtype=np.float64).kernel.dtype == np.float64
    with pytest.raises(ValueError, match="float32"):
        nn.Dense(3, dtype="int32")


def test_lists_and_integer_arrays_become_constants_in_the_layer_dtype():
    y = nn.Dense(2, input_dim=2)([[1, 2]])
    assert y.dtype == np.float32
    with pytest.raises(TypeError, match="numbers"):
        nn.Dense(2)(np.array([["a", "b"]]))


def test_layers_open_a_name_scope_for_drawing():
    layer = nn.Dense(2, activation="relu", name="hidden", input_dim=3)
    y = layer(np.ones((1, 3)))
    assert y.scope == "hidden" and y.parents[0].scope == "hidden"
    assert layer.kernel.scope == "hidden"


# ---- gradients against finite differences -------------------------------------------------------

@st.composite
def dense_cases(draw):
    n, i, o = (draw(st.integers(1, 4)) for _ in range(3))
    act = draw(st.sampled_from(ACTIVATIONS_SMOOTH + ["relu"]))
    away = (0.0,) if act == "relu" else ()
    x = draw(arrays((n, i), low=-2, high=2))
    k = draw(arrays((i, o), low=-1, high=1))
    b = draw(arrays((o,), low=-1, high=1, away_from=away, margin=0.3))
    return act, x, k, b


@given(dense_cases())
def test_dense_gradients_match_finite_differences(case):
    act, x, k, b = case
    layer = nn.Dense(k.shape[1], activation=act, dtype="float64", input_dim=k.shape[0])
    if act == "relu":      # keep pre-activations away from relu's kink (all positive)
        x, k, b = np.abs(x) + 0.1, np.abs(k) + 0.1, np.abs(b)
    weights = np.random.default_rng(x.size).uniform(0.5, 1.5, (x.shape[0], k.shape[1]))
    assert gradcheck(lambda xv, kv, bv: _with(layer, kernel=kv, bias=bv)(xv) * weights, x, k, b)


@given(st.integers(1, 4), st.integers(1, 4), st.integers(1, 4), st.data())
def test_linear_gradients_match_finite_differences(n, i, o, data):
    layer = nn.Linear(i, o, dtype="float64")
    x, k, b = data.draw(arrays((n, i))), data.draw(arrays((i, o))), data.draw(arrays((o,)))
    assert gradcheck(lambda xv, kv, bv: _with(layer, kernel=kv, bias=bv)(xv).tanh(), x, k, b)


@pytest.mark.parametrize("b_shape, b_dtype", [
    ((3,), np.float32), ((1,), np.float32), ((4, 3), np.float32),   # added in place
    ((2, 4, 3), np.float32),                                        # grows the result
    ((3,), np.float64),                                             # promotes it
])
def test_the_linear_op_gives_what_x_at_w_plus_b_gives_for_any_bias(b_shape, b_dtype):
    from autograd.functions import linear
    rng = np.random.default_rng(0)
    x = rng.normal(size=(4, 2)).astype(np.float32)
    w = rng.normal(size=(2, 3)).astype(np.float32)
    b = rng.normal(size=b_shape).astype(b_dtype)
    out = linear(Value(x), Value(w), Value(b))
    expected = x @ w + b
    assert out.shape == expected.shape and out.dtype == expected.dtype
    np.testing.assert_allclose(out.data, expected, rtol=1e-6)


@pytest.mark.parametrize("b_shape, b_dtype", [
    ((3,), np.float32), ((1,), np.float32), ((4, 3), np.float32), ((2, 4, 3), np.float32),
    ((3,), np.float64),
])
@pytest.mark.parametrize("x_is_constant", [False, True])
def test_the_linear_op_has_the_gradients_of_x_at_w_plus_b(b_shape, b_dtype, x_is_constant):
    # the fused node's rules (all three at once for a (3,) bias of the batch's dtype, one
    # by one otherwise) against the graph of matmul and add, another set of rules
    from autograd.functions import linear
    rng = np.random.default_rng(1)
    x = rng.normal(size=(4, 2)).astype(np.float32)
    w = rng.normal(size=(2, 3)).astype(np.float32)
    b = rng.normal(size=b_shape).astype(b_dtype)
    weights = rng.normal(size=np.broadcast_shapes((4, 3), b_shape))
    grads = []
    for fused in (True, False):
        xv = x if x_is_constant else Value(x)
        wv, bv = Value(w), Value(b)
        out = linear(xv, wv, bv) if fused else xv @ wv + bv
        (out * weights).sum().backward()
        grads.append([v.grad for v in (wv, bv) + (() if x_is_constant else (xv,))])
    for got, expected in zip(*grads, strict=True):
        assert got.shape == expected.shape and got.dtype == expected.dtype
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", ACTIVATIONS_SMOOTH)
def test_activation_gradients_match_finite_differences(name):
    fn = nn.activations.get(name)

    @given(arrays((3, 4), low=-4, high=4))
    def check(x):
        w = np.linspace(0.5, 1.5, x.size).reshape(x.shape)
        assert gradcheck(lambda v: fn(v) * w, x)

    check()


@pytest.mark.parametrize("name", ACTIVATIONS_KINKED)
def test_kinked_activation_gradients_away_from_the_kinks(name):
    fn = nn.activations.get(name)
    kinks = {"relu": (0.0,), "leaky_relu": (0.0,), "relu6": (0.0, 6.0),
             "hard_sigmoid": (-3.0, 3.0), "selu": (0.0,)}[name]

    @given(arrays((3, 4), low=-8, high=8, away_from=kinks, margin=0.01))
    def check(x):
        assert gradcheck(lambda v: fn(v) * np.linspace(0.5, 1.5, 12).reshape(3, 4), x)

    check()


@given(st.integers(2, 5), st.integers(1, 3), st.booleans(), st.data())
def test_batch_normalization_gradients_match_finite_differences(n, f, training, data):
    bn = nn.BatchNormalization(dtype="float64")
    x = data.draw(arrays((n, f), low=-2, high=2, distinct=True))
    gamma, beta = data.draw(arrays((f,), low=0.5, high=2)), data.draw(arrays((f,)))
    bn(x)
    bn.moving_variance.data[:] = np.linspace(0.5, 2.0, f)
    bn.train(training)
    bn.momentum = 1.0                  # keep the moving statistics fixed across the checks
    w = np.random.default_rng(n * f).uniform(0.5, 1.5, (n, f))
    assert gradcheck(lambda xv, g, b: _with(bn, gamma=g, beta=b)(xv) * w, x, gamma, beta)


# ---- activations by name ---------------------------------------------------------------------

def test_activation_values():
    x = Value(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
    get = nn.activations.get
    np.testing.assert_allclose(get("leaky_relu")(x).data, [-0.02, -0.005, 0.0, 0.5, 2.0])
    np.testing.assert_array_equal(get("step")(x).data, [0, 0, 1, 1, 1])
    np.testing.assert_array_equal(get("heaviside")(x).data, [0, 0, 1, 1, 1])
    np.testing.assert_array_equal(get("sign")(x).data, [-1, -1, 0, 1, 1])
    np.testing.assert_allclose(get("elu")(x).data, [np.expm1(-2), np.expm1(-0.5), 0, 0.5, 2])
    np.testing.assert_allclose(get("softplus")(x).data, np.log1p(np.exp(x.data)))
    np.testing.assert_allclose(get("sigmoid")(x).data, 1 / (1 + np.exp(-x.data)))
    import math
    phi = [0.5 * (1 + math.erf(v / math.sqrt(2))) for v in x.data]
    np.testing.assert_allclose(get("gelu")(x).data, x.data * np.array(phi), atol=1e-7)
    np.testing.assert_allclose(get("selu")(x).data[-1], 1.05070098 * 2.0)


def test_step_and_sign_have_zero_derivative():
    for name in ("step", "sign"):
        x = Value(np.array([-1.0, 0.5]))
        nn.activations.get(name)(x).sum().backward()
        assert x.grad.tolist() == [0.0, 0.0]


def test_stable_activations_at_large_inputs():
    x = Value(np.array([-1000.0, 1000.0]))
    for name in ("elu", "selu", "softplus", "sigmoid", "gelu", "silu", "tanh"):
        v = Value(x.data.copy())
        y = nn.activations.get(name)(v)
        y.sum().backward()
        assert np.all(np.isfinite(y.data)) and np.all(np.isfinite(v.grad)), name
    assert nn.activations.softplus(x).data.tolist() == [0.0, 1000.0]


def test_softplus_derivative_at_zero_is_one_half():
    x = Value(0.0)
    nn.activations.softplus(x).backward()
    assert x.grad == pytest.approx(0.5)


def test_unknown_activation_lists_the_known_names():
    with pytest.raises(ValueError, match=r"rleu.*relu.*sigmoid"):
        nn.Dense(2, activation="rleu")
    assert nn.activations.get(None) is nn.activations.linear
    with pytest.raises(ValueError, match="built-in"):
        nn.activations.serialize(lambda x: x)


# ---- Dropout -----------------------------------------------------------------------------------

def test_dropout_is_inverted_in_training_and_the_identity_in_eval():
    layer = nn.Dropout(0.25, seed=3)
    x = np.ones((200, 50), dtype=np.float32)
    y = layer(x).data
    kept = y != 0
    assert abs(1 - kept.mean() - 0.25) < 0.02
    np.testing.assert_allclose(y[kept], 1 / 0.75, rtol=1e-6)
    assert abs(y.mean() - 1.0) < 0.03
    layer.eval()
    assert np.array_equal(layer(x).data, x)
    assert layer(x, training=True).data.min() == 0.0         # Keras's training= overrides


def test_dropout_gradient_is_the_mask_over_keep_probability():
    layer = nn.Dropout(0.5, seed=0)
    x = Value(np.ones((4, 6)))
    y = layer(x)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, (y.data != 0) * 2.0)


def test_dropout_masks_are_reproducible():
    x = np.ones((3, 10))
    a, b = nn.Dropout(0.5, seed=7), nn.Dropout(0.5, seed=7)
    first = a(x).data
    assert np.array_equal(first, b(x).data)
    assert not np.array_equal(first, a(x).data)          # the sequence moves on
    nn.set_random_seed(5)
    c = nn.Dropout(0.5)(x).data
    nn.set_random_seed(5)
    assert np.array_equal(c, nn.Dropout(0.5)(x).data)


@pytest.mark.parametrize("rate", [-0.1, 1.0, 1.5])
def test_dropout_rate_must_be_in_0_1(rate):
    with pytest.raises(ValueError, match="rate"):
        nn.Dropout(rate)


def test_functional_dropout():
    x = Value(np.ones((50, 40)))
    y = nn.functional.dropout(x, p=0.2)
    assert set(np.unique(y.data)) <= {0.0, 1.25}
    assert nn.functional.dropout(x, p=0.2, training=False) is x


# ---- BatchNormalization ------------------------------------------------------------------------

def test_batch_normalization_follows_keras_in_training_and_eval():
    rng = np.random.default_rng(0)
    batches = [rng.normal(3.0, 2.0, size=(16, 3)) for _ in range(3)]
    bn = nn.BatchNormalization(momentum=0.9, dtype="float64")
    mm, mv = np.zeros(3), np.ones(3)
    for xb in batches:
        y = bn(xb).data
        mean, var = xb.mean(axis=0), xb.var(axis=0)            # biased, as Keras
        np.testing.assert_allclose(y, (xb - mean) / np.sqrt(var + 1e-3), atol=1e-12)
        mm, mv = 0.9 * mm + 0.1 * mean, 0.9 * mv + 0.1 * var
    np.testing.assert_allclose(bn.moving_mean.data, mm, atol=1e-12)
    np.testing.assert_allclose(bn.moving_variance.data, mv, atol=1e-12)
    bn.eval()
    x = rng.normal(size=(4, 3))
    np.testing.assert_allclose(bn(x).data, (x - mm) / np.sqrt(mv + 1e-3), atol=1e-12)
    np.testing.assert_allclose(bn.moving_mean.data, mm)      # eval leaves them alone


def test_batch_normalization_weights_and_state():
    bn = nn.BatchNormalization(input_shape=[4])
    assert [n for n, _ in bn.named_parameters()] == ["gamma", "beta"]
    assert [n for n, _ in bn.named_buffers()] == ["moving_mean", "moving_variance"]
    assert list(bn.state_dict()) == ["gamma", "beta", "moving_mean", "moving_variance"]
    g, b, m, v = bn.get_weights()
    assert g.tolist() == [1] * 4 and b.tolist() == [0] * 4
    assert m.tolist() == [0] * 4 and v.tolist() == [1] * 4
    assert bn.count_params() == 16
    assert len(bn.trainable_weights) == 2 and len(bn.non_trainable_weights) == 2
    bn2 = nn.BatchNormalization()
    bn2.set_weights([g * 2, b + 1, m + 3, v * 4])          # builds from the shapes
    assert bn2.moving_variance.data.tolist() == [4] * 4


def test_batch_normalization_gradients_reach_gamma_and_beta_not_the_state():
    bn = nn.BatchNormalization()
    x = np.random.default_rng(2).normal(size=(6, 2)).astype(np.float32)
    (bn(x) * np.array([1.0, 2.0], dtype=np.float32)).sum().backward()
    assert bn.gamma.has_grad and bn.beta.has_grad
    assert not bn.moving_mean.has_grad
    np.testing.assert_allclose(bn.beta.grad, [6.0, 12.0], rtol=1e-6)


def test_batch_normalization_on_another_axis():
    x = np.random.default_rng(4).normal(size=(5, 3, 7))
    bn = nn.BatchNormalization(axis=1, epsilon=1e-3, dtype="float64")
    y = bn(x).data
    mean, var = x.mean(axis=(0, 2), keepdims=True), x.var(axis=(0, 2), keepdims=True)
    np.testing.assert_allclose(y, (x - mean) / np.sqrt(var + 1e-3), atol=1e-12)
    assert bn.gamma.shape == (3,)
    with pytest.raises(ValueError, match="3 axes"):
        bn(np.ones((5, 3)))


# ---- Flatten, Input, Activation, Linear --------------------------------------------------------

def test_flatten():
    x = Value(np.arange(24.0).reshape(2, 3, 4))
    y = nn.Flatten()(x)
    assert y.shape == (2, 12)
    y.sum().backward()
    assert x.grad.shape == (2, 3, 4)
    assert nn.Flatten()(np.ones(5)).shape == (5, 1)


def test_input_records_and_checks_the_shape():
    inp = nn.Input(shape=(8, 8))
    assert inp.shape == (None, 8, 8) and inp.built and inp.count_params() == 0
    assert inp(np.zeros((3, 8, 8))).shape == (3, 8, 8)
    with pytest.raises(ValueError, match=r"\(None, 8, 8\).*\(3, 64\)"):
        inp(np.zeros((3, 64)))
    with pytest.raises(ValueError, match=r"\(None, 8, 8\).*\(3, 8, 7\)"):
        inp(np.zeros((3, 8, 7)))
    assert nn.Input(shape=[4], batch_size=2).shape == (2, 4)
    with pytest.raises(ValueError, match="shape"):
        nn.Input()
    with pytest.raises(ValueError, match="positive"):
        nn.Input(shape=[-1])


def test_linear_has_pytorch_default_init():
    layer = nn.Linear(400, 300)
    bound = 1 / np.sqrt(400)
    k, b = layer.get_weights()
    assert k.shape == (400, 300) and b.shape == (300,)
    assert np.abs(k).max() <= bound and np.abs(k).max() > 0.99 * bound
    assert np.abs(b).max() <= bound
    assert k.std() == pytest.approx(bound / np.sqrt(3), rel=0.01)      # U(-a, a): a/sqrt(3)
    assert layer.in_features == 400 and layer.out_features == 300
    assert layer.name == "linear"
    assert nn.Linear(3, 2, bias=False).bias is None


def test_activation_layer():
    layer = nn.Activation("relu")
    assert layer(np.array([[-1.0, 1.0]])).data.tolist() == [[0.0, 1.0]]
    assert nn.Activation(lambda v: v * 2)(np.ones((1, 2))).data.tolist() == [[2.0, 2.0]]


# ---- regularisers and configs --------------------------------------------------------------------

def test_dense_regularisers_enter_losses():
    layer = nn.Dense(2, kernel_regularizer="l2", bias_regularizer=nn.regularizers.l1(0.5),
                     bias_initializer="ones", input_dim=3, dtype="float64")
    k = layer.kernel.data
    values = [p.item() for p in layer.losses]
    assert values == pytest.approx([0.01 * (k ** 2).sum(), 0.5 * 2])


def test_activity_regulariser_uses_the_last_output_per_sample():
    layer = nn.Dense(2, activity_regularizer=nn.regularizers.l1(0.1), kernel_initializer="ones",
                     dtype="float64")
    assert layer.losses == []
    x = np.array([[1.0, -3.0], [2.0, 2.0]])
    y = layer(x)
    assert layer.losses[0].item() == pytest.approx(0.1 * np.abs(y.data).sum() / 2)
    layer(x[:1])
    assert len(layer.losses) == 1            # replaced, not accumulated


@pytest.mark.parametrize("make", [
    lambda: nn.Dense(3, activation="relu", kernel_initializer="he_normal",
                     kernel_regularizer=nn.regularizers.l1_l2(l1=0.1, l2=0.2), input_dim=4),
    lambda: nn.Linear(3, 2),
    lambda: nn.Dropout(0.3, seed=1),
    lambda: nn.BatchNormalization(momentum=0.9, center=False),
    lambda: nn.Activation("tanh"),
    lambda: nn.Flatten(),
    lambda: nn.Input(shape=[3, 2]),
])
def test_get_config_round_trips_through_json(make):
    import json
    layer = make()
    config = json.loads(json.dumps(layer.get_config()))
    again = type(layer).from_config(config)
    assert again.get_config() == layer.get_config()
    assert again.name == layer.name


def test_custom_layer_with_add_weight():
    class Scale(nn.Layer):
        def build(self, input_shape):
            self.add_weight("factor", (input_shape[-1],), "ones")

        def call(self, x):
            return x * self.factor

    layer = Scale()
    assert layer.name == "scale"
    layer.build((None, 3))                  # building by hand marks it built, once
    assert layer.built
    first = layer.factor
    layer(np.ones((2, 3)))
    assert layer.factor is first


def test_a_layer_written_with_forward_still_goes_through_the_pipeline():
    class Double(nn.Layer):
        def forward(self, x):
            return x * 2

    layer = Double(name="double")
    y = layer(np.ones((1, 2), dtype=np.float64))
    assert y.dtype == np.float32 and y.scope == "double"
    assert layer.forward(np.ones((1, 1))).data.tolist() == [[2.0]]


def test_no_grad_forward_records_nothing():
    layer = nn.Dense(2, input_dim=2)
    with no_grad():
        y = layer(np.ones((1, 2)))
    assert y.parents == ()


@pytest.mark.parametrize("module", [
    "nn.module", "nn.layers.base", "nn.layers.dense", "nn.layers.linear", "nn.layers.activation",
    "nn.layers.dropout", "nn.layers.batch_normalization", "nn.layers.flatten",
    "nn.layers.input", "nn.activations", "nn.initializers", "nn.losses", "nn.functional",
    "nn.regularizers", "nn.serialization",
])
def test_docstring_examples_hold(module):
    nn.clear_session()
    result = doctest.testmod(importlib.import_module(module), extraglobs={"np": np})
    assert result.failed == 0 and result.attempted > 0


def test_weightless_layers_are_built_by_their_first_call():
    for layer in (nn.Activation("relu"), nn.Dropout(0.5), nn.Flatten()):
        assert not layer.built
        layer(np.ones((2, 3), dtype=np.float32))
        assert layer.built and layer.count_params() == 0
