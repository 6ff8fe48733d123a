"""Differentiable functions of several Values, numpy-style: concatenate, stack, where,
maximum, minimum, and the fused ops nn is built on (linear, the stable losses).

Methods of Value (``x.exp()``, ``x.sum(axis=0)`` ...) cover the one-input ops.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .op import REGISTRY
from .value import Value, apply

__all__ = ["concatenate", "linear", "maximum", "minimum", "sigmoid_binary_cross_entropy",
           "softmax_cross_entropy", "stack", "where"]


def concatenate(values: Sequence, axis: int = 0) -> Value:
    """Join Values along an existing axis, as ``np.concatenate``.

    >>> concatenate([Value([1.0, 2.0]), Value([3.0])]).data
    array([1., 2., 3.])
    """
    values = list(values)
    if not values:
        raise ValueError("concatenate needs at least one Value")
    return apply(REGISTRY["concatenate"], *values, axis=axis)


def stack(values: Sequence, axis: int = 0) -> Value:
    """Join Values of equal shape along a new axis, as ``np.stack``.

    >>> stack([Value(1.0), Value(2.0)]).data
    array([1., 2.])
    """
    values = list(values)
    if not values:
        raise ValueError("stack needs at least one Value")
    return apply(REGISTRY["stack"], *values, axis=axis)


def where(cond, a, b) -> Value:
    """``a`` where ``cond`` is true, else ``b`` (cond is not differentiated).

    >>> x = Value([-1.0, 2.0])
    >>> where(x > 0, x, 0.0).data
    array([0., 2.])
    """
    cond = np.asarray(cond.data if isinstance(cond, Value) else cond)
    if cond.dtype != bool:
        cond = cond.astype(bool)
    return apply(REGISTRY["where"], a, b, cond=cond)


def maximum(a, b) -> Value:
    """Elementwise max, as ``np.maximum``; ties split the gradient evenly.

    >>> maximum(Value(1.0), 3.0).data
    3.0
    """
    return apply(REGISTRY["maximum"], a, b)


def minimum(a, b) -> Value:
    """Elementwise min, as ``np.minimum``; ties split the gradient evenly.

    >>> minimum(Value(1.0), 3.0).data
    1.0
    """
    return apply(REGISTRY["minimum"], a, b)


def linear(x, w, b) -> Value:
    """``x @ w + b`` as one node (w of shape (in, out)): the dense layer's op.

    >>> linear(Value([[1.0, 2.0]]), Value([[1.0], [1.0]]), Value([0.5])).data
    array([[3.5]])
    """
    return apply(REGISTRY["linear"], x, w, b)


def softmax_cross_entropy(logits, target, *, reduction: str = "mean") -> Value:
    """Cross-entropy of softmax(logits) with integer labels or probability rows, fused
    so that it is finite for any logits; its gradient is softmax(logits) - one_hot.

    >>> z = Value([[0.0, 0.0, np.log(4 / 3)]])        # softmax = (0.3, 0.3, 0.4)
    >>> round(softmax_cross_entropy(z, np.array([2])).item(), 4)   # -ln 0.4
    0.9163
    """
    _check_reduction(reduction)
    return apply(REGISTRY["softmax_cross_entropy"], logits, target, reduction=reduction)


def sigmoid_binary_cross_entropy(logits, target, *, reduction: str = "mean") -> Value:
    """Binary cross-entropy of sigmoid(logits) against targets in [0, 1], from logits:
    finite for logits of any size; its gradient is sigmoid(logits) - target.

    >>> round(sigmoid_binary_cross_entropy(Value([0.0]), np.array([1.0])).item(), 4)
    0.6931
    """
    _check_reduction(reduction)
    return apply(REGISTRY["sigmoid_binary_cross_entropy"], logits, target, reduction=reduction)


def _check_reduction(reduction):
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")
