"""gradcheck: compare backward with central finite differences, in float64."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .backward import gradients
from .value import Value

__all__ = ["gradcheck", "numerical_grad"]


def numerical_grad(f: Callable, *inputs, eps: float = 1e-6) -> list[np.ndarray]:
    """Central differences (f(x + eps) - f(x - eps)) / (2 eps) of a scalar f, per input.

    >>> numerical_grad(lambda x: (x * x).sum(), np.array([1.0, 2.0]))[0].round(6)
    array([2., 4.])
    """
    xs = [np.array(np.asarray(x.data if isinstance(x, Value) else x), dtype=np.float64)
          for x in inputs]
    out = []
    for x in xs:
        g = np.zeros_like(x)
        flat, gflat = x.reshape(-1), g.reshape(-1)
        for j in range(flat.size):
            old = flat[j]
            flat[j] = old + eps
            hi = _scalar(f(*_values(xs)))
            flat[j] = old - eps
            lo = _scalar(f(*_values(xs)))
            flat[j] = old
            gflat[j] = (hi - lo) / (2 * eps)
        out.append(g)
    return out


def gradcheck(f: Callable, *inputs, eps: float = 1e-6, atol: float = 1e-5,
              rtol: float = 1e-3) -> bool:
    """Check the gradients backward gives for ``f(*inputs)`` against finite differences.

    ``f`` takes Values and returns a Value (reduced to one number by summing if it
    has more). Runs in float64. Returns True, or raises AssertionError showing the
    worst element, both values and the input.

    >>> gradcheck(lambda x, w: (x @ w).tanh(), np.ones((2, 3)), np.full((3, 1), 0.1))
    True
    """
    xs = [np.array(np.asarray(x.data if isinstance(x, Value) else x), dtype=np.float64)
          for x in inputs]
    values = _values(xs)
    out = f(*values)
    if not isinstance(out, Value):
        raise TypeError(f"gradcheck needs f to return a Value, it returned {type(out).__name__}")
    total = out.sum() if out.size != 1 else out
    analytic = gradients(total, values)
    numeric = numerical_grad(lambda *v: _total(f(*v)), *xs, eps=eps)
    for k, (a, n) in enumerate(zip(analytic, numeric, strict=True)):
        a = np.asarray(a, dtype=np.float64).reshape(np.shape(n))
        err = np.abs(a - n) - (atol + rtol * np.abs(n))
        if err.size and err.max() > 0:
            j = np.unravel_index(int(np.argmax(err)), err.shape)
            raise AssertionError(
                f"gradcheck failed for input {k} (shape {xs[k].shape}) at index "
                f"{tuple(map(int, j))}: "
                f"backward gives {float(a[j])!r}, finite differences give {float(n[j])!r} "
                f"(atol={atol}, rtol={rtol}, eps={eps})\ninput {k}:\n{xs[k]!r}")
    return True


def _values(xs):
    # requires_grad=True even for the finite differences, so that an f which
    # differentiates internally (a second-order check) still sees its inputs as variables
    return [Value(x, requires_grad=True) for x in xs]


def _total(out):
    return out.sum() if isinstance(out, Value) and out.size != 1 else out


def _scalar(out) -> float:
    out = _total(out)
    return float(np.asarray(out.data if isinstance(out, Value) else out).reshape(()))
