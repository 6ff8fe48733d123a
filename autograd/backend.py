"""The numeric backends the op table is written against.

Every op's forward and derivative rule take a namespace ``xp`` as their first
argument and call ``xp.exp``, ``xp.sum``, ``xp.where`` ... on it, the way array-API
code does. Three namespaces fit that slot:

- ``NUMPY``: numpy itself, plus the few helpers numpy lacks (``sum_to``,
  ``index_add``, ``softmax`` ...). Used for arrays.
- ``SCALAR``: the same names on plain Python floats, through :mod:`math`.
  A scalar op must not pay for n-d machinery it does not use: ``math.exp`` on a
  float is ~10x cheaper than ``numpy.exp`` on a float.
- ``autograd.value.VALUE``: the same names as differentiable ops on ``Value``.
  Derivative rules run on it when a gradient must itself be differentiated
  (``grad(grad(f))``), so one rule serves first and higher order.

Convention used by the op table: inputs are positional, attributes (axis, shape,
index ...) are keywords, so ``VALUE`` can tell them apart.
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np


def sum_to(x, shape):
    """Sum ``x`` down to ``shape``: the inverse of numpy broadcasting.

    >>> sum_to(np.ones((2, 3)), (3,))
    array([2., 2., 2.])
    """
    shape = tuple(shape)
    if np.shape(x) == shape:
        return x
    lead = np.ndim(x) - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(shape) if n == 1 and np.shape(x)[lead + i] != 1
    )
    out = np.sum(x, axis=axes, keepdims=True) if axes else x
    return np.reshape(out, shape) if lead or np.shape(out) != shape else out


def index_add(g, *, shape, index):
    """A zero array of ``shape`` with ``g`` added at ``x[index]``; repeated indices add up.

    >>> index_add(np.ones(2), shape=(3,), index=np.array([0, 0]))
    array([2., 0., 0.])
    """
    g = np.asarray(g)
    out = np.zeros(shape, dtype=g.dtype if g.dtype.kind == "f" else np.float64)
    if _has_integer_array(index):
        np.add.at(out, index, g)  # unbuffered: repeated indices accumulate
    else:
        out[index] = g  # basic slicing and boolean masks never repeat an element
    return out


def _has_integer_array(index) -> bool:
    items = index if isinstance(index, tuple) else (index,)
    for item in items:
        if isinstance(item, (list, np.ndarray)) and np.asarray(item).dtype.kind in "iu":
            return True
    return False


def logsumexp(x, *, axis=None, keepdims=False):
    """log(sum(exp(x))) without overflow: the max is taken out first."""
    m = np.max(x, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)
    out = np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)) + m
    return out if keepdims else np.squeeze(out, axis=axis)


def softmax(x, *, axis=-1):
    """exp(x) / sum(exp(x)) along ``axis``, shifted by the max so it cannot overflow."""
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(x, *, axis=-1):
    """log(softmax(x)) computed as x - logsumexp(x): finite for any finite logits."""
    return x - logsumexp(x, axis=axis, keepdims=True)


def getitem(x, *, index):
    """x[index] as a function: the rule of index_add needs one."""
    return x[index]


def sigmoid(x):
    """1 / (1 + e^-x), written through tanh so it never overflows."""
    return 0.5 + 0.5 * np.tanh(0.5 * x)


NUMPY = SimpleNamespace(
    # elementwise
    exp=np.exp, log=np.log, log1p=np.log1p, sqrt=np.sqrt, abs=np.abs, sign=np.sign,
    sin=np.sin, cos=np.cos, tanh=np.tanh, sigmoid=sigmoid, power=np.power,
    maximum=np.maximum, minimum=np.minimum, where=np.where, clip=np.clip,
    heaviside=np.heaviside,
    # reductions
    sum=np.sum, mean=np.mean, max=np.max, min=np.min, logsumexp=logsumexp,
    softmax=softmax, log_softmax=log_softmax,
    # shapes and indexing
    reshape=np.reshape, transpose=np.transpose, swapaxes=np.swapaxes,
    broadcast_to=np.broadcast_to, sum_to=sum_to, getitem=getitem, index_add=index_add,
    concatenate=np.concatenate, stack=np.stack,
    # linear algebra
    matmul=np.matmul,
)


def _where(cond, a, b):
    return a if cond else b


def _sign(x):
    return 1.0 if x > 0.0 else (-1.0 if x < 0.0 else 0.0 * x)  # 0 * nan keeps nan


def _heaviside(x, h0):
    return 1.0 if x > 0.0 else (h0 if x == 0.0 else (0.0 if x < 0.0 else x))


def _clip(x, lo, hi):
    if lo is not None and x < lo:
        x = float(lo)
    if hi is not None and x > hi:
        x = float(hi)
    return x


def _scalar_sigmoid(x):
    return 0.5 + 0.5 * math.tanh(0.5 * x)


def _max(a, b):
    return a if a >= b or a != a else b  # a != a: nan propagates, as numpy


def _min(a, b):
    return a if a <= b or a != a else b


# Elementwise functions on Python floats. math raises where numpy returns inf/nan
# (log(0), exp(1000), 1/0): the engine then redoes that one op with numpy, so both
# backends give the same numbers.
SCALAR = SimpleNamespace(**vars(NUMPY))
SCALAR.__dict__.update(
    exp=math.exp, log=math.log, log1p=math.log1p, sqrt=math.sqrt, abs=abs, sign=_sign,
    sin=math.sin, cos=math.cos, tanh=math.tanh, sigmoid=_scalar_sigmoid, power=math.pow,
    maximum=_max, minimum=_min, where=_where, clip=_clip, heaviside=_heaviside,
)

