"""Every op of the table, checked against central finite differences, generated from the
op's own Check metadata (so a new op without metadata fails the meta-test below)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Value, gradcheck, gradients
from autograd.op import REGISTRY
from autograd.testing import op_cases
from autograd.value import apply

OPS = sorted(REGISTRY)
SMOOTH = [n for n in OPS if not REGISTRY[n].check.zero_grad]
FLAT = [n for n in OPS if REGISTRY[n].check.zero_grad]


def test_every_op_has_test_metadata():
    missing = [name for name, op in REGISTRY.items() if op.check is None]
    assert not missing, f"ops without Check metadata (add check=Check(...)): {missing}"


def test_the_table_covers_the_contract():
    contract = ("add sub mul div power neg matmul exp log sqrt abs tanh sigmoid relu "
                "leaky_relu sin cos sum mean max min logsumexp softmax log_softmax clip "
                "reshape transpose getitem concatenate stack where maximum minimum step sign")
    assert set(contract.split()) <= set(REGISTRY)


def _weights(shape):
    # A fixed random weighting of the outputs, so every output element matters
    # (a plain sum would hide errors: the sum of a softmax is always 1).
    return np.random.default_rng(len(shape) + 7 * int(np.prod(shape))).uniform(0.5, 1.5, shape)


def _call(op, inputs, diff, attrs):
    """f(*differentiable inputs) -> weighted sum of the op's output."""
    def f(*xs):
        it = iter(xs)
        args = [next(it) if i in diff else Value(x, requires_grad=False)
                for i, x in enumerate(inputs)]
        out = apply(op, *args, **attrs)
        return (out * _weights(out.shape)).sum()
    return f


@pytest.mark.parametrize("name", SMOOTH)
def test_gradient_matches_finite_differences(name):
    op = REGISTRY[name]

    @given(op_cases(op))
    def check(case):
        inputs, attrs, diff = case
        f = _call(op, inputs, diff, attrs)
        assert gradcheck(f, *[inputs[i] for i in diff], rtol=op.check.rtol, atol=op.check.atol)

    check()


@pytest.mark.parametrize("name", [n for n in SMOOTH if REGISTRY[n].check.second_order])
def test_second_derivative_matches_finite_differences(name):
    """The derivative rules run on Values, so they can be differentiated again."""
    op = REGISTRY[name]

    @given(op_cases(op))
    def check(case):
        inputs, attrs, diff = case
        f = _call(op, inputs, diff, attrs)
        rng = np.random.default_rng(1)
        directions = [rng.uniform(-1, 1, np.shape(inputs[i])) for i in diff]

        def directional_first_derivative(*xs):
            gs = gradients(f(*xs), list(xs), create_graph=True)
            total = Value(0.0, requires_grad=False)
            for g, d in zip(gs, directions, strict=True):
                total = total + (g * d).sum()
            return total

        assert gradcheck(directional_first_derivative, *[inputs[i] for i in diff],
                         rtol=1e-3, atol=1e-5)

    check()


@pytest.mark.parametrize("name", FLAT)
def test_flat_ops_have_zero_gradient(name):
    """step and sign: the gradient is computed, and it is exactly zero."""
    op = REGISTRY[name]

    @given(op_cases(op))
    def check(case):
        (x,), attrs, _ = case
        v = Value(x)
        (apply(op, v, **attrs) * 3.0).sum().backward()
        assert v._grad is not None and np.all(np.asarray(v.grad) == 0)

    check()


@pytest.mark.parametrize("name", OPS)
def test_float32_stays_float32(name):
    """float32 in, float32 out, and float32 gradients: no silent upcast."""
    op = REGISTRY[name]

    @given(op_cases(op))
    def check(case):
        inputs, attrs, diff = case
        vals = [Value(np.asarray(x, dtype=np.float32)) if i in diff
                else Value(x, requires_grad=False) for i, x in enumerate(inputs)]
        out = apply(op, *vals, **attrs)
        assert out.dtype == np.float32, f"{name} gave {out.dtype}"
        (out * 2.0).sum().backward()
        for i in diff:
            assert np.asarray(vals[i].grad).dtype == np.float32
            assert np.shape(vals[i].grad) == vals[i].shape

    check()


GRADS = [n for n in OPS if REGISTRY[n].grads is not None]


@pytest.mark.parametrize("name", GRADS)
def test_an_all_at_once_rule_equals_the_rules_one_by_one(name):
    """Where an op's ``grads`` rule accepts, it gives exactly what each input's rule gives,
    fitted to the input as the engine fits it, and already of the input's shape and
    dtype (the engine checks none); where it declines, the rules run one by one."""
    from autograd.backend import NUMPY
    from autograd.backward import _fit
    op = REGISTRY[name]

    @given(op_cases(op), st.lists(st.booleans(), min_size=8, max_size=8),
           st.sampled_from([np.float32, np.float64]))
    def check(case, needs, dtype):
        inputs, attrs, _ = case
        inputs = [np.asarray(x, dtype=dtype) for x in inputs]
        needs = needs[:len(inputs)]
        y = op.forward(NUMPY, *inputs, **attrs)
        g = np.asarray(_weights(np.shape(y)), dtype=dtype)
        got = op.grads(needs, g, y, *inputs, **attrs)
        if got is None:
            return
        assert len(got) == len(inputs)
        for i, x in enumerate(inputs):
            if not needs[i]:
                assert got[i] is None
                continue
            expected = _fit(op.vjps[i](NUMPY, g, y, *inputs, **attrs), x)
            assert type(got[i]) is np.ndarray
            assert got[i].shape == x.shape and got[i].dtype == x.dtype
            np.testing.assert_array_equal(got[i], expected)

    check()


def test_the_linear_rule_accepts_a_training_step_and_declines_the_rest():
    from autograd.backend import NUMPY
    op = REGISTRY["linear"]
    x, w = np.ones((4, 2), np.float32), np.ones((2, 3), np.float32)
    for b, accepts in ((np.ones(3, np.float32), True), (np.ones(1, np.float32), False),
                       (np.ones((4, 3), np.float32), False), (np.ones(3), False)):
        y = op.forward(NUMPY, x, w, b)
        g = np.ones(np.shape(y), y.dtype)
        assert (op.grads([True] * 3, g, y, x, w, b) is not None) == accepts
