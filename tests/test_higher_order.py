"""grad(grad(f)): the derivative rules run on Values, so gradients can be differentiated."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Value, grad, value_and_grad

FUNCTIONS = {
    # f, f'' written out by hand (independently of the engine)
    "sigmoid": (lambda x: x.sigmoid(),
                lambda x: (s := 1 / (1 + math.exp(-x))) * (1 - s) * (1 - 2 * s)),
    "tanh": (lambda x: x.tanh(), lambda x: -2 * math.tanh(x) * (1 - math.tanh(x) ** 2)),
    "sin": (lambda x: x.sin(), lambda x: -math.sin(x)),
    "cube": (lambda x: x ** 3, lambda x: 6 * x),
}


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
@given(x=st.floats(-3, 3))
def test_second_derivative(name, x):
    f, f2 = FUNCTIONS[name]
    assert grad(grad(f))(x) == pytest.approx(f2(x), rel=1e-9, abs=1e-12)
    # and against central differences of the first derivative
    eps = 1e-5
    fd = (grad(f)(x + eps) - grad(f)(x - eps)) / (2 * eps)
    assert grad(grad(f))(x) == pytest.approx(fd, rel=1e-5, abs=1e-7)


@given(x=st.floats(-2, 2))
def test_third_derivative_of_cube_and_sigmoid_on_arrays(x):
    assert grad(grad(grad(lambda v: v ** 3)))(x) == pytest.approx(6.0)
    xs = np.array([x, -x, 0.5])
    d2 = grad(lambda v: grad(lambda u: u.sigmoid().sum())(v).sum())(xs)
    s = 1 / (1 + np.exp(-xs))
    np.testing.assert_allclose(d2, s * (1 - s) * (1 - 2 * s), rtol=1e-9, atol=1e-12)


def _mlp_loss(x, y):
    def loss(w1, b1, w2, b2):
        h = (x @ w1 + b1).tanh()
        return ((h @ w2 + b2 - y) ** 2).mean()
    return loss


@given(st.integers(0, 10_000))
def test_hessian_vector_product_of_a_small_mlp_loss(seed):
    rng = np.random.default_rng(seed)
    x, y = rng.normal(size=(5, 2)), rng.normal(size=(5, 1))
    params = [rng.normal(size=(2, 3)), rng.normal(size=3), rng.normal(size=(3, 1)),
              rng.normal(size=1)]
    vs = [rng.normal(size=p.shape) for p in params]
    loss = _mlp_loss(x, y)
    all_args = (0, 1, 2, 3)

    def grad_dot_v(*ps):
        gs = grad(loss, argnums=all_args)(*ps)
        return sum((g * v).sum() for g, v in zip(gs, vs, strict=True))

    hvp = grad(grad_dot_v, argnums=all_args)(*params)
    eps = 1e-5
    plus = grad(loss, argnums=all_args)(*[p + eps * v for p, v in zip(params, vs, strict=True)])
    minus = grad(loss, argnums=all_args)(*[p - eps * v for p, v in zip(params, vs, strict=True)])
    for h, gp, gm in zip(hvp, plus, minus, strict=True):
        np.testing.assert_allclose(h, (gp - gm) / (2 * eps), rtol=1e-4, atol=1e-6)


def test_newton_step_on_a_1d_function():
    f = lambda x: (x - 2.0) ** 4 + x ** 2
    x = 3.0
    for _ in range(30):
        x = x - grad(f)(x) / grad(grad(f))(x)
    assert grad(f)(x) == pytest.approx(0.0, abs=1e-9)


def test_value_and_grad_argnums_and_passthrough_arguments():
    def f(a, scale, b):
        assert isinstance(scale, str)              # not wrapped: reaches f as given
        return (a * b).sum() * (2.0 if scale == "double" else 1.0)
    v, (ga, gb) = value_and_grad(f, argnums=(0, 2))(np.array([1.0, 2.0]), "double",
                                                     np.array([3.0, 4.0]))
    assert v == 22.0
    np.testing.assert_array_equal(ga, [6.0, 8.0])
    np.testing.assert_array_equal(gb, [2.0, 4.0])
    assert isinstance(ga, np.ndarray) and type(v) is float


def test_grad_returns_plain_data_and_leaves_no_grad_behind():
    w = Value(np.array([1.0, 2.0]))
    g = grad(lambda v: (v * v).sum())(w)
    assert isinstance(g, np.ndarray) and not w.has_grad


def test_grad_of_a_function_that_ignores_its_input_is_zero():
    assert grad(lambda x: Value(3.0) * 2.0)(1.0) == 0.0


def test_grad_errors():
    with pytest.raises(ValueError, match="one output"):
        grad(lambda x: x * 2)(np.ones(3))
    with pytest.raises(TypeError, match="must return a Value"):
        grad(lambda x: 3.0)(1.0)
    with pytest.raises(TypeError, match="argnums"):
        grad(lambda x: x, argnums=2)(1.0)
