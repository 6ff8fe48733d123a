"""detect_anomaly(): stop at the first op whose result, forward or backward, is nan or inf."""

from __future__ import annotations

import linecache
import sys
from contextlib import contextmanager

import numpy as np

from . import value as _value

__all__ = ["detect_anomaly"]

_OURS = ("autograd", "nn", "optim")


@contextmanager
def detect_anomaly():
    """Inside, every op checks its result; the first nan or inf raises FloatingPointError
    naming the op, its input shapes and the line of your code that created the node.

    Slower (each node remembers where it was made): use it to find a nan, then remove it.

    >>> from autograd import Value
    >>> with detect_anomaly():
    ...     Value(0.0).log()
    Traceback (most recent call last):
    ...
    FloatingPointError: log produced -inf in the forward pass ...
    """
    was = _value.ANOMALY
    _value.ANOMALY = True
    try:
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            yield
    finally:
        _value.ANOMALY = was


def _user_site() -> str:
    """file:line of the first frame outside the library: where the user created a node."""
    f = sys._getframe(1)
    while f is not None and f.f_globals.get("__name__", "").split(".")[0] in _OURS:
        f = f.f_back
    if f is None:
        return "<unknown>"
    line = linecache.getline(f.f_code.co_filename, f.f_lineno).strip()
    return _place(f.f_code.co_filename, f.f_lineno) + (f"  `{line}`" if line else "")


def _place(filename: str, lineno: int) -> str:
    """``file:line``, or ``Cell In[7], line 2`` for a notebook cell (IPython compiles each
    cell into a temporary file and remembers which cell it was)."""
    shell = sys.modules.get("IPython")
    ip = shell.get_ipython() if shell is not None else None
    cell = getattr(getattr(ip, "compile", None), "_filename_map", {}).get(filename)
    if cell is not None:
        return f"Cell In[{cell}], line {lineno}"
    return f"{filename}:{lineno}"


def _bad(x) -> str | None:
    a = np.asarray(x)
    if a.dtype.kind != "f" or np.isfinite(a).all():
        return None
    return "nan" if np.isnan(a).any() else ("inf" if (a == np.inf).any() else "-inf")


def check_forward(v) -> None:
    v._where = _user_site()
    if v._op is None:
        return
    bad = _bad(v.data)
    if bad:
        raise FloatingPointError(f"{v._op.name} produced {bad} in the forward pass "
                                 f"{_describe(v)}")


def check_backward(node, grads) -> None:
    for g in grads:
        if g is not None:
            bad = _bad(g)
            if bad:
                raise FloatingPointError(f"the derivative rule of {node._op.name} produced "
                                         f"{bad} in the backward pass {_describe(node)}")


def _describe(v) -> str:
    shapes = ", ".join(str(p.shape) for p in v.parents) or "no inputs"
    where = getattr(v, "_where", None) or "<created outside detect_anomaly()>"
    return f"(inputs of shapes {shapes}); the node was created at {where}"
