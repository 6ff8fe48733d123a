"""nn.scalar: Neuron, Layer, MLP of scalar Values, against the same net written with
tensors (``x @ W + b`` and the activation, directly with autograd)."""

import itertools
import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import nn
from autograd import Value
from nn.scalar import MLP, Layer, Neuron

TENSOR_ACTIVATIONS = {"tanh": Value.tanh, "sigmoid": Value.sigmoid, "relu": Value.relu,
                      "linear": lambda z: z}


def tensor_forward(weights, X, activation, last_activation):
    """The same MLP on a batch, with tensor Values; returns (output, kernel/bias Values)."""
    params = [Value(np.array(w, dtype=np.float64)) for w in weights]
    h = Value(np.asarray(X, dtype=np.float64), requires_grad=False)
    n_layers = len(params) // 2
    for i in range(n_layers):
        h = h @ params[2 * i] + params[2 * i + 1]
        act = activation if i < n_layers - 1 else (last_activation or "linear")
        h = TENSOR_ACTIVATIONS[act](h)
    return h, params


def pre_activations(weights, X):
    """Every layer's z = x @ W + b in numpy, to keep relu examples away from its kink."""
    zs, h = [], np.asarray(X, dtype=np.float64)
    for i in range(len(weights) // 2):
        z = h @ weights[2 * i] + weights[2 * i + 1]
        zs.append(z)
        h = np.maximum(z, 0)
    return np.concatenate([z.ravel() for z in zs])


@st.composite
def nets(draw):
    """(sizes, weights in the Keras layout, a batch of inputs, activation names)."""
    sizes = draw(st.lists(st.integers(1, 4), min_size=2, max_size=4))
    numbers = st.floats(-2, 2, allow_nan=False, allow_subnormal=False)
    weights = []
    for nin, nout in itertools.pairwise(sizes):
        weights.append(np.array(draw(st.lists(numbers, min_size=nin * nout,
                                              max_size=nin * nout))).reshape(nin, nout))
        weights.append(np.array(draw(st.lists(numbers, min_size=nout, max_size=nout))))
    n = draw(st.integers(1, 3))
    X = np.array(draw(st.lists(numbers, min_size=n * sizes[0],
                               max_size=n * sizes[0]))).reshape(n, sizes[0])
    activation = draw(st.sampled_from(sorted(TENSOR_ACTIVATIONS)))
    last = draw(st.sampled_from([None, "sigmoid", "tanh"]))
    return sizes, weights, X, activation, last


@given(nets())
def test_outputs_and_gradients_equal_the_tensor_net_with_the_same_weights(case):
    sizes, weights, X, activation, last = case
    if activation == "relu":
        assume(np.all(np.abs(pre_activations(weights, X)) > 1e-6))   # clear of the kink
    net = MLP(sizes[0], sizes[1:], activation=activation, last_activation=last, seed=0)
    net.set_weights(weights)

    # one loss over the batch, weighting each output so every one of them matters
    coef = np.linspace(0.5, 1.5, sizes[-1])
    outs = []
    loss = 0.0
    for x in X:
        y = net(list(x))
        y = [y] if isinstance(y, Value) else y
        outs.append([v.data for v in y])
        loss = loss + sum(c * v for c, v in zip(coef.tolist(), y, strict=True))
    loss.backward()

    h, params = tensor_forward(weights, X, activation, last)
    (h * coef).sum().backward()
    np.testing.assert_allclose(np.array(outs), h.data, rtol=1e-12, atol=1e-12)
    grads = [np.zeros_like(w) for w in weights]
    for i, layer in enumerate(net.layers):                   # the scalar grads, Keras layout
        for j, neuron in enumerate(layer.neurons):
            grads[2 * i][:, j] = [w.grad for w in neuron.w]
            grads[2 * i + 1][j] = neuron.b.grad
    for g, p in zip(grads, params, strict=True):
        np.testing.assert_allclose(g, p.grad, rtol=1e-10, atol=1e-12)


@given(st.lists(st.tuples(st.floats(-3, 3), st.floats(-3, 3)), min_size=1, max_size=8),
       st.floats(-3, 3))
def test_a_neuron_sums_from_b_left_to_right_as_micrograd(pairs, b):
    """micrograd's pre-activation is sum((wi*xi for ...), b): the same order, the same bits."""
    ws, xs = [w for w, _ in pairs], [x for _, x in pairs]
    z = b
    for w, x in pairs:
        z = z + w * x
    relu = Neuron(len(xs), activation="relu")
    relu.set_weights([np.array(ws).reshape(-1, 1), np.array([b])])
    assert relu(xs).data == (z if z > 0 else 0.0)
    linear = Neuron(len(xs), activation="linear")
    linear.set_weights(relu.get_weights())
    assert linear(xs).data == z


def test_parameter_counts_and_order():
    assert len(MLP(2, [16, 16, 1]).parameters()) == 2 * 16 + 16 + 16 * 16 + 16 + 16 + 1
    assert len(MLP(4, [2, 3]).parameters()) == 10 + 9        # the course's 4-2-3 net: 19
    assert len(Layer(3, 2).parameters()) == 8
    n = Neuron(3)
    assert n.parameters() == [*n.w, n.b]                      # micrograd's order
    net = MLP(2, [3, 1], seed=0)
    assert net.parameters() == [p for layer in net.layers for nr in layer.neurons
                                for p in nr.parameters()]


def test_get_and_set_weights_round_trip_in_the_keras_layout():
    a = MLP(3, [4, 2], seed=1)
    b = MLP(3, [4, 2], seed=2)
    wa = a.get_weights()
    assert [w.shape for w in wa] == [(3, 4), (4,), (4, 2), (2,)]
    assert not all(np.array_equal(x, y) for x, y in zip(wa, b.get_weights(), strict=True))
    params = b.parameters()
    b.set_weights(wa)
    assert b.parameters() == params                          # the same Values, new data
    for x, y in zip(wa, b.get_weights(), strict=True):
        np.testing.assert_array_equal(x, y)
    x = [0.3, -1.2, 2.0]
    assert [v.data for v in a(x)] == [v.data for v in b(x)]


def test_kernel_column_j_is_neuron_j():
    layer = Layer(2, 3, activation="linear")
    kernel = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    layer.set_weights([kernel, np.array([0.1, 0.2, 0.3])])
    for j, n in enumerate(layer.neurons):
        assert [w.data for w in n.w] == kernel[:, j].tolist()
        assert n.b.data == [0.1, 0.2, 0.3][j]
    out = layer([1.0, 1.0])
    assert [v.data for v in out] == pytest.approx([5.1, 7.2, 9.3])


def test_set_weights_errors_name_the_expected_shapes():
    net = MLP(2, [3, 1])
    with pytest.raises(ValueError, match="expected 4 arrays"):
        net.set_weights(net.get_weights()[:2])
    bad = net.get_weights()
    bad[0] = np.zeros((3, 2))
    with pytest.raises(ValueError, match=r"kernel of shape \(2, 3\).*got \(3, 2\)"):
        net.set_weights(bad)
    with pytest.raises(ValueError, match=r"\[kernel, bias\]"):
        Neuron(2).set_weights([np.zeros((2, 1))])


def test_inputs_are_checked_and_numbers_become_labelled_constants():
    net = MLP(2, [3, 1], seed=0)
    with pytest.raises(ValueError, match="MLP expected 2 inputs, got 3"):
        net([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="expected 2 inputs, got 1"):
        Layer(2, 2)([1.0])
    y = net(np.array([0.5, -1.0], dtype=np.float32))
    assert isinstance(y, Value) and type(y.data) is float   # scalars stay Python floats
    x0 = Value(0.5, label="mine")
    y = Neuron(1, seed=0)(x0)
    z = y.parents[0]                                          # tanh(b + w0 * x0)
    assert z.parents[1].parents[1] is x0                      # Values are used as given
    assert Neuron(1, activation="linear", seed=0)(2.0).data == pytest.approx(
        Neuron(1, activation="linear", seed=0).w[0].data * 2.0)


def test_each_layer_and_neuron_opens_a_name_scope():
    net = MLP(2, [3, 1], seed=0, last_activation="sigmoid")
    y = net([0.5, -1.0])
    assert y.scope == "layer1/neuron0" and y.label == "a" and y.op == "sigmoid"
    assert net.layers[0].neurons[2].w[1].scope == "layer0/neuron2"
    assert net.layers[0].neurons[2].w[1].label == "w1"
    z = y.parents[0]
    assert z.label == "z" and z.scope == "layer1/neuron0"
    add2, mul2 = z.parents                                    # z = ((b + w0 a0) + w1 a1) + w2 a2
    add1, _ = add2.parents
    b, mul0 = add1.parents
    w0, a0 = mul0.parents
    assert b is net.layers[1].neurons[0].b and w0 is net.layers[1].neurons[0].w[0]
    assert a0.label == "a" and a0.scope == "layer0/neuron0"
    assert mul2.parents[1].scope == "layer0/neuron2"
    first_z = a0.parents[0]                                   # (b + w0 x0) + w1 x1, in layer0
    w, x0 = first_z.parents[0].parents[1].parents
    assert w is net.layers[0].neurons[0].w[0]
    assert x0.label == "x0" and x0.scope == "" and not x0.requires_grad and x0.data == 0.5


@pytest.mark.parametrize("name, f", [
    ("tanh", math.tanh),
    ("sigmoid", lambda z: 1 / (1 + math.exp(-z))),
    ("relu", lambda z: max(z, 0.0)),
    ("linear", lambda z: z),
    ("leaky_relu", lambda z: z if z > 0 else 0.01 * z),
    ("exponential", math.exp),
    ("softplus", lambda z: math.log1p(math.exp(z))),
    ("softsign", lambda z: z / (1 + abs(z))),
    ("silu", lambda z: z / (1 + math.exp(-z))),
    ("elu", lambda z: z if z > 0 else math.expm1(z)),
    ("hard_sigmoid", lambda z: min(max(z / 6 + 0.5, 0.0), 1.0)),
])
def test_activations_by_keras_name(name, f):
    n = Neuron(1, activation=name)
    for z in (-2.5, -0.3, 0.7, 3.0):
        n.set_weights([np.array([[1.0]]), np.array([0.0])])
        assert n([z]).data == pytest.approx(f(z), rel=1e-12, abs=1e-15)


def test_softplus_is_finite_far_out_and_unknown_activations_list_the_known():
    with pytest.raises(ValueError, match="whole layer"):
        Neuron(2, activation="softmax")
    n = Neuron(1, activation="softplus")
    n.set_weights([np.array([[1.0]]), np.array([0.0])])
    assert n([800.0]).data == pytest.approx(800.0)
    assert n([-800.0]).data == pytest.approx(0.0, abs=1e-300)
    with pytest.raises(ValueError, match=r"unknown activation 'tanhh'.*relu"):
        Neuron(2, activation="tanhh")
    custom = Neuron(1, activation=lambda z: z * 3.0)
    custom.set_weights([np.array([[1.0]]), np.array([0.0])])
    assert custom([2.0]).data == 6.0


def test_zero_grad_clears_every_parameter():
    net = MLP(2, [3, 1], seed=0)
    net([0.5, -1.0]).backward()
    assert all(p.has_grad for p in net.parameters())
    net.zero_grad()
    assert not any(p.has_grad for p in net.parameters())


def test_seeds_make_weights_reproducible():
    same = [MLP(2, [4, 1], seed=7).get_weights() for _ in range(2)]
    for x, y in zip(*same, strict=True):
        np.testing.assert_array_equal(x, y)
    nn.set_random_seed(3)
    a = MLP(2, [4, 1]).get_weights()
    nn.set_random_seed(3)
    b = MLP(2, [4, 1]).get_weights()
    for x, y in zip(a, b, strict=True):
        np.testing.assert_array_equal(x, y)
    w = np.concatenate([k.ravel() for k in a[::2]])
    assert np.all((w >= -1) & (w < 1)) and np.all(np.concatenate(a[1::2]) == 0)


def test_repr_is_readable():
    net = MLP(2, [16, 16, 1], activation="relu")
    assert repr(net).splitlines() == [
        "MLP(",
        "  (layer0): Layer(2 -> 16, activation='relu')",
        "  (layer1): Layer(16 -> 16, activation='relu')",
        "  (layer2): Layer(16 -> 1, activation='linear')",
        ")  337 parameters",
    ]
    assert repr(Neuron(3, activation="sigmoid")) == "Neuron(3 inputs, activation='sigmoid')"


@pytest.mark.parametrize("make", [lambda: MLP(0, [2]), lambda: MLP(2, []),
                                  lambda: Layer(2, 0), lambda: Neuron(True)])
def test_bad_sizes_are_refused(make):
    with pytest.raises(ValueError):
        make()


@given(nets())
def test_a_scalar_mlp_and_a_sequential_with_copied_weights_agree(case):
    """tensor_model.set_weights(scalar_mlp.get_weights()) copies a net across: same
    outputs and the same gradients, in both directions of the copy."""
    sizes, weights, X, activation, last = case
    if activation == "relu":
        assume(np.all(np.abs(pre_activations(weights, X)) > 1e-6))
    scalar_net = MLP(sizes[0], sizes[1:], activation=activation, last_activation=last, seed=0)
    scalar_net.set_weights(weights)
    layers = [nn.Input(shape=[sizes[0]], dtype="float64")] + [
        nn.Dense(n, activation=(activation if i < len(sizes) - 2 else (last or "linear")),
                 dtype="float64") for i, n in enumerate(sizes[1:])]
    model = nn.Sequential(layers)
    model.set_weights(scalar_net.get_weights())
    for a, b in zip(model.get_weights(), scalar_net.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)

    out = model(X)
    (out * np.linspace(0.5, 1.5, sizes[-1])).sum().backward()
    loss = 0.0
    for x in X:
        y = scalar_net(list(x))
        y = [y] if isinstance(y, Value) else y
        loss = loss + sum(c * v for c, v in zip(np.linspace(0.5, 1.5, sizes[-1]).tolist(), y,
                                                 strict=True))
    loss.backward()
    np.testing.assert_allclose(model.predict(X, verbose=0), out.data, rtol=1e-12)
    tensor_grads = [g for d in model.layers for g in (d.kernel.grad, d.bias.grad)]
    scalar_grads = scalar_net.get_gradients()
    assert len(tensor_grads) == len(scalar_grads) == 2 * (len(sizes) - 1)
    for g_tensor, g_scalar in zip(tensor_grads, scalar_grads, strict=True):
        np.testing.assert_allclose(g_tensor, g_scalar, rtol=1e-10, atol=1e-12)
    back = MLP(sizes[0], sizes[1:], activation=activation, last_activation=last, seed=1)
    back.set_weights(model.get_weights())
    assert [v.data for v in np.atleast_1d(back(list(X[0])))] == pytest.approx(
        out.data[0].tolist(), rel=1e-12)
