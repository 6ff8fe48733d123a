"""Activation functions by their Keras names, each made of engine ops (so each
derivative comes from the engine).

    Dense(8, activation="relu")          # by name
    Dense(8, activation=nn.activations.tanh)

Known difference from Keras: ``leaky_relu``'s slope is 0.01 (the course's and
PyTorch's value) where Keras's ``'leaky_relu'`` uses 0.2; pass
``lambda x: nn.activations.leaky_relu(x, 0.2)`` for Keras's.

``step`` (alias ``heaviside``) and ``sign`` are the perceptron's activations:
their derivative is 0 wherever it exists, which is why a perceptron cannot be
trained by backpropagation.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from autograd import Value, maximum, where

__all__ = [
    "elu", "exponential", "gelu", "get", "hard_sigmoid", "heaviside", "leaky_relu", "linear",
    "log_softmax", "name_of", "relu", "relu6", "selu", "serialize", "sigmoid", "sign", "silu",
    "softmax", "softplus", "softsign", "step", "swish", "tanh",
]


def _v(x) -> Value:
    return x if isinstance(x, Value) else Value(np.asarray(x), requires_grad=False)


def linear(x):
    """The identity (Keras's "linear", the default of Dense).

    >>> linear(Value(2.0)).item()
    2.0
    """
    return _v(x)


def relu(x):
    """max(x, 0); relu'(0) = 0.

    >>> relu(Value([-1.0, 2.0])).data
    array([0., 2.])
    """
    return _v(x).relu()


def relu6(x):
    """min(max(x, 0), 6).

    >>> relu6(Value([-1.0, 7.0])).data
    array([0., 6.])
    """
    return _v(x).clip(0.0, 6.0)


def leaky_relu(x, negative_slope: float = 0.01):
    """x for x > 0, negative_slope·x otherwise. Slope 0.01 (the course's and PyTorch's
    value; Keras's default is 0.2).

    >>> leaky_relu(Value([-2.0, 3.0])).data
    array([-0.02,  3.  ])
    """
    return _v(x).leaky_relu(negative_slope)


def sigmoid(x):
    """1 / (1 + e^-x), never overflowing.

    >>> sigmoid(Value(0.0)).item()
    0.5
    """
    return _v(x).sigmoid()


def tanh(x):
    """Hyperbolic tangent.

    >>> tanh(Value(0.0)).item()
    0.0
    """
    return _v(x).tanh()


def softmax(x, axis: int = -1):
    """e^x / Σ e^x along ``axis`` (the last by default, as Keras), shifted so it cannot
    overflow.

    >>> softmax(Value([[0.0, 0.0]])).data
    array([[0.5, 0.5]])
    """
    return _v(x).softmax(axis=axis)


def log_softmax(x, axis: int = -1):
    """log(softmax(x)), computed as x - logsumexp(x).

    >>> round(float(log_softmax(Value([0.0, 0.0])).data[0]), 4)
    -0.6931
    """
    return _v(x).log_softmax(axis=axis)


def elu(x, alpha: float = 1.0):
    """x for x > 0, alpha·(e^x - 1) otherwise (the derivative at 0 is alpha, the left one).

    >>> round(float(elu(Value([-1.0])).data[0]), 4)
    -0.6321
    """
    x = _v(x)
    negative = x <= 0
    # exp only of the non-positive part: the unused branch must not overflow for large x
    return where(negative, alpha * (where(negative, x, 0.0).exp() - 1.0), x)


_SELU_ALPHA = 1.67326324
_SELU_SCALE = 1.05070098


def selu(x):
    """scale·elu(x, alpha) with Keras's constants (alpha 1.67326324, scale 1.05070098);
    with lecun_normal weights it keeps activations normalised.

    >>> round(float(selu(Value([1.0])).data[0]), 4)
    1.0507
    """
    return _SELU_SCALE * elu(x, _SELU_ALPHA)


def softplus(x):
    """log(1 + e^x), computed as max(x, 0) + log(1 + e^-|x|) so it never overflows
    (the tie of the max at 0 splits the gradient evenly, giving softplus'(0) = 1/2).

    >>> round(softplus(Value(0.0)).item(), 4)
    0.6931
    """
    x = _v(x)
    return maximum(x, 0.0) + ((-x.abs()).exp() + 1.0).log()


def softsign(x):
    """x / (1 + |x|).

    >>> softsign(Value(1.0)).item()
    0.5
    """
    x = _v(x)
    return x / (x.abs() + 1.0)


def silu(x):
    """x·sigmoid(x) (also called swish).

    >>> round(silu(Value(1.0)).item(), 4)
    0.7311
    """
    x = _v(x)
    return x * x.sigmoid()


swish = silu


def exponential(x):
    """e^x.

    >>> exponential(Value(0.0)).item()
    1.0
    """
    return _v(x).exp()


def hard_sigmoid(x):
    """Keras 3's piecewise-linear sigmoid: relu6(x + 3) / 6, i.e. clip(x/6 + 1/2, 0, 1).

    >>> hard_sigmoid(Value([-4.0, 0.0, 4.0])).data
    array([0. , 0.5, 1. ])
    """
    return (_v(x) / 6.0 + 0.5).clip(0.0, 1.0)


# erfc from exp and a polynomial (Numerical Recipes' erfcc, fractional error < 1.2e-7, i.e.
# float32's resolution): numpy has no erf, and so the exact GELU is made of engine ops.
_ERFC = (-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807,
         -1.13520398, 1.48851587, -0.82215223, 0.17087277)


def _normal_cdf(x: Value) -> Value:
    """Φ(x) = erfc(-x/√2) / 2, with a relative error below 1.2e-7 also far in the tails."""
    z = x.abs() / math.sqrt(2.0)
    t = 1.0 / (1.0 + 0.5 * z)
    poly = _ERFC[-1]
    for c in reversed(_ERFC[:-1]):
        poly = c + t * poly
    half_erfc = 0.5 * t * (poly - z * z).exp()           # erfc(|x|/√2) / 2
    return where(x <= 0, half_erfc, 1.0 - half_erfc)


def gelu(x, approximate: bool = False):
    """x·Φ(x), Φ the standard normal CDF (Keras's default, exact form); Φ comes from an
    erfc approximation with relative error below 1.2e-7. ``approximate=True`` gives the tanh form
    0.5x(1 + tanh(√(2/π)(x + 0.044715x³))), PyTorch's ``approximate='tanh'``.

    >>> round(float(gelu(Value([1.0])).data[0]), 4)
    0.8413
    """
    x = _v(x)
    if approximate:
        c = math.sqrt(2.0 / math.pi)
        return 0.5 * x * (1.0 + (c * (x + 0.044715 * x * x * x)).tanh())
    return x * _normal_cdf(x)


def step(x):
    """Heaviside step: 1 for x >= 0 (step(0) = 1, as on the perceptron slides), else 0.
    Its derivative is 0.

    >>> step(Value([-1.0, 0.0, 2.0])).data
    array([0., 1., 1.])
    """
    return _v(x).step()


heaviside = step


def sign(x):
    """-1, 0 or 1. Its derivative is 0.

    >>> sign(Value([-3.0, 0.0, 2.0])).data
    array([-1.,  0.,  1.])
    """
    return _v(x).sign()


NAMES: dict[str, Callable] = {
    "linear": linear, "relu": relu, "relu6": relu6, "leaky_relu": leaky_relu,
    "sigmoid": sigmoid, "tanh": tanh, "softmax": softmax, "log_softmax": log_softmax,
    "elu": elu, "selu": selu, "softplus": softplus, "softsign": softsign, "gelu": gelu,
    "silu": silu, "swish": swish, "exponential": exponential, "hard_sigmoid": hard_sigmoid,
    "step": step, "heaviside": heaviside, "sign": sign,
}


def get(identifier) -> Callable:
    """The activation function for a Keras name ("relu"), None ("linear"), or a callable
    (returned as it is).

    >>> get("tanh") is tanh, get(None) is linear
    (True, True)
    """
    if identifier is None:
        return linear
    if isinstance(identifier, str):
        fn = NAMES.get(identifier.lower())
        if fn is None:
            raise ValueError(f"unknown activation {identifier!r}; known names: "
                             f"{', '.join(sorted(NAMES))}")
        return fn
    if callable(identifier):
        return identifier
    raise ValueError(f"an activation must be a name such as 'relu' or a callable, "
                     f"got {identifier!r}")


def serialize(fn: Callable) -> str:
    """The name of a built-in activation, for JSON; ValueError for any other callable.

    >>> serialize(get("relu"))
    'relu'
    """
    for name, known in NAMES.items():
        if fn is known:
            return name
    raise ValueError(f"only the built-in activations ({', '.join(sorted(NAMES))}) can be "
                     f"saved by name; got {fn!r}")


deserialize = get


def name_of(fn: Callable) -> str | None:
    """The Keras name of a built-in activation, None for any other callable.

    >>> name_of(softmax), name_of(lambda x: x)
    ('softmax', None)
    """
    try:
        return serialize(fn)
    except ValueError:
        return None
