"""Hypothesis strategies for property-based gradient tests, yours and ours.

>>> from hypothesis import given
>>> from autograd.testing import arrays, gradcheck, shapes
>>> @given(shapes().flatmap(lambda s: arrays(s, away_from=(0.0,))))
... def test_abs(x):
...     assert gradcheck(lambda v: v.abs(), x)

``op_cases(op)`` draws inputs for any op of the table from its ``Check``
metadata; the engine's own tests are generated from it. Needs ``hypothesis``
(a test dependency, not a runtime one).
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from .gradcheck import gradcheck
from .op import Op

__all__ = ["arrays", "broadcastable_shapes", "gradcheck", "op_cases", "shapes"]


def shapes(min_dims: int = 0, max_dims: int = 3, max_side: int = 4) -> st.SearchStrategy:
    """Array shapes such as (), (3,), (2, 1, 4): sides from 1 to max_side.

    >>> from hypothesis import find
    >>> find(shapes(), lambda s: len(s) == 2)           # the simplest 2-D shape
    (1, 1)
    """
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=1,
                            max_side=max_side)


def broadcastable_shapes(n: int = 2, min_dims: int = 0, max_dims: int = 3,
                         max_side: int = 4) -> st.SearchStrategy:
    """Tuples of n shapes that broadcast together, e.g. ((3, 1), (4,)): dims of 1 and
    missing leading dims on either side, so broadcasting is exercised both ways.

    >>> from hypothesis import find
    >>> a, b = find(broadcastable_shapes(2), lambda ss: len(ss[0]) == 2 and ss[1] == ())
    >>> np.broadcast_shapes(a, b) == a
    True
    """
    return hnp.mutually_broadcastable_shapes(
        num_shapes=n, min_dims=min_dims, max_dims=max_dims, min_side=1, max_side=max_side
    ).map(lambda bs: bs.input_shapes)


def _push_away(x: np.ndarray, away_from, margin) -> np.ndarray:
    for k in away_from:
        near = np.abs(x - k) < margin
        x = np.where(near, k + np.where(x >= k, margin, -margin), x)
    return x


def arrays(shape, *, dtype=np.float64, low: float = -3.0, high: float = 3.0,
           away_from=(), margin: float = 1e-3, distinct: bool = False) -> st.SearchStrategy:
    """Arrays of ``shape`` with finite values in [low, high], kept at least ``margin``
    away from each kink in ``away_from`` (relu and abs at 0, clip at its bounds).

    ``distinct=True`` draws values on a grid of 0.01 with no repeats, so no two
    elements tie (max, min and maximum need that for finite differences).

    >>> from hypothesis import find
    >>> x = find(arrays((3,), away_from=(0.0,), margin=0.1), lambda a: True)
    >>> bool(np.all(np.abs(x) >= 0.1))
    True
    """
    shape = tuple(shape)
    if distinct:
        grid = st.integers(int(np.ceil(low * 100)), int(np.floor(high * 100)))
        base = hnp.arrays(np.int64, shape, elements=grid, unique=True).map(
            lambda a: a.astype(np.float64) / 100)
    else:
        base = hnp.arrays(np.float64, shape, elements=st.floats(
            low, high, allow_nan=False, allow_infinity=False, allow_subnormal=False))
    return base.map(lambda a: _push_away(a, away_from, margin).astype(dtype))


def _need_dims(attrs: dict) -> int:
    axis = attrs.get("axis")
    if isinstance(axis, tuple):
        return 2
    return 1 if axis is not None else 0


def op_cases(op: Op) -> st.SearchStrategy:
    """(inputs, attrs, differentiable) for ``op``: ``inputs`` a list of arrays,
    ``attrs`` a dict of keyword attributes, ``differentiable`` the positions of the
    inputs whose gradient is checked (integer labels are not).

    >>> from hypothesis import find
    >>> from autograd.op import REGISTRY
    >>> inputs, attrs, diff = find(op_cases(REGISTRY["matmul"]), lambda case: True)
    >>> len(inputs), diff
    (2, (0, 1))
    """
    c = op.check
    if c is None:
        raise ValueError(f"op {op.name} has no Check metadata to test it with")
    kind = c.kind
    attrs = st.sampled_from(c.attrs)

    def arr(shape, **kw):
        return arrays(shape, low=kw.pop("low", c.low), high=kw.pop("high", c.high),
                      away_from=c.away_from, margin=c.margin, **kw)

    if kind == "unary":
        return st.tuples(shapes().flatmap(lambda s: arr(s)), attrs).map(
            lambda t: ([t[0]], t[1], (0,)))
    if kind in ("binary", "binary-distinct"):
        # "distinct": a and b on interleaved grids (b offset by 0.005), so they never tie
        distinct = kind == "binary-distinct"
        return broadcastable_shapes(2).flatmap(lambda ss: st.tuples(
            arr(ss[0], distinct=distinct),
            arr(ss[1], distinct=distinct).map(lambda b: b + 0.005 if distinct else b),
            attrs)).map(lambda t: ([t[0], t[1]], t[2], (0, 1)))
    if kind in ("reduce", "reduce-distinct"):
        distinct = kind == "reduce-distinct"
        return attrs.flatmap(lambda a: shapes(min_dims=_need_dims(a)).flatmap(
            lambda s: arr(s, distinct=distinct)).map(lambda x: ([x], a, (0,))))
    return _SPECIAL[kind](c, arr)



@st.composite
def _where(draw, c, arr):
    sa, sb, sc = draw(broadcastable_shapes(3))
    cond = draw(hnp.arrays(bool, sc))
    return [draw(arr(sa)), draw(arr(sb))], {"cond": cond}, (0, 1)


@st.composite
def _reshape(draw, c, arr):
    s = draw(shapes())
    target = draw(st.sampled_from([tuple(reversed(s)), (-1,), (int(np.prod(s)), 1)]))
    return [draw(arr(s))], {"shape": target}, (0,)


@st.composite
def _transpose(draw, c, arr):
    s = draw(shapes())
    axes = draw(st.one_of(st.none(), st.permutations(range(len(s))).map(tuple)))
    return [draw(arr(s))], {"axes": axes}, (0,)


@st.composite
def _swapaxes(draw, c, arr):
    s = draw(shapes(min_dims=2))
    a1, a2 = draw(st.integers(-len(s), len(s) - 1)), draw(st.integers(-len(s), len(s) - 1))
    return [draw(arr(s))], {"axis1": a1, "axis2": a2}, (0,)


@st.composite
def _broadcast_to(draw, c, arr):
    s1, s2 = draw(broadcastable_shapes(2))
    return [draw(arr(s1))], {"shape": np.broadcast_shapes(s1, s2)}, (0,)


@st.composite
def _sum_to(draw, c, arr):
    s1, s2 = draw(broadcastable_shapes(2))
    return [draw(arr(np.broadcast_shapes(s1, s2)))], {"shape": s1}, (0,)


@st.composite
def _index(draw, shape):
    """A basic or advanced index into an array of ``shape`` (repeats included)."""
    n = shape[0]
    kind = draw(st.sampled_from(["int", "slice", "array", "tuple", "mask", "ellipsis"]))
    if kind == "int":
        return draw(st.integers(-n, n - 1))
    if kind == "slice":
        start, stop = draw(st.integers(-n, n)), draw(st.integers(-n, n))
        step = draw(st.sampled_from([1, 2, -1]))
        return slice(start, stop, step)
    if kind == "array":   # repeated indices: their gradients must add up
        return np.array(draw(st.lists(st.integers(-n, n - 1), min_size=1, max_size=6)))
    if kind == "mask":
        return draw(hnp.arrays(bool, shape))
    if kind == "ellipsis":
        return (Ellipsis, draw(st.integers(0, shape[-1] - 1)))
    rows = np.array(draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=4)))
    if len(shape) == 1:
        return (rows,)
    return (rows, slice(None)) if draw(st.booleans()) else (
        rows, np.array(draw(st.lists(st.integers(0, shape[1] - 1), min_size=len(rows),
                                     max_size=len(rows)))))


@st.composite
def _getitem(draw, c, arr):
    s = draw(shapes(min_dims=1))
    return [draw(arr(s))], {"index": draw(_index(s))}, (0,)


@st.composite
def _index_add(draw, c, arr):
    s = draw(shapes(min_dims=1))
    index = draw(_index(s))
    g_shape = np.zeros(s)[index].shape
    return [draw(arr(g_shape))], {"shape": s, "index": index}, (0,)


@st.composite
def _concatenate(draw, c, arr):
    s = draw(shapes(min_dims=1))
    axis = draw(st.integers(-len(s), len(s) - 1))
    k = draw(st.integers(1, 3))
    xs = []
    for _ in range(k):
        si = list(s)
        si[axis] = draw(st.integers(1, 3))
        xs.append(draw(arr(tuple(si))))
    return xs, {"axis": axis}, tuple(range(k))


@st.composite
def _stack(draw, c, arr):
    s = draw(shapes())
    axis = draw(st.integers(-len(s) - 1, len(s)))
    k = draw(st.integers(1, 3))
    return [draw(arr(s)) for _ in range(k)], {"axis": axis}, tuple(range(k))


@st.composite
def _matmul(draw, c, arr):
    m, k, n, b = (draw(st.integers(1, 4)) for _ in range(4))
    a_shape, b_shape = draw(st.sampled_from([
        ((k,), (k,)), ((m, k), (k,)), ((k,), (k, n)), ((m, k), (k, n)),
        ((b, m, k), (k, n)), ((m, k), (b, k, n)), ((b, 1, m, k), (2, k, n)),
        ((k,), (b, k, n)), ((b, m, k), (k,)),
    ]))
    return [draw(arr(a_shape)), draw(arr(b_shape))], {}, (0, 1)


@st.composite
def _linear(draw, c, arr):
    n, i, o, b = (draw(st.integers(1, 4)) for _ in range(4))
    x_shape = draw(st.sampled_from([(n, i), (i,), (b, n, i)]))
    return [draw(arr(x_shape)), draw(arr((i, o))), draw(arr((o,)))], {}, (0, 1, 2)


@st.composite
def _softmax_cross_entropy(draw, c, arr):
    n, k = draw(st.integers(1, 4)), draw(st.integers(2, 4))
    z = draw(arr((n, k)))
    attrs = draw(st.sampled_from(c.attrs))
    if draw(st.booleans()):   # integer labels: only the logits are differentiated
        labels = np.array(draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n)))
        return [z, labels], attrs, (0,)
    t = draw(arr((n, k), low=0.05, high=1.0))
    return [z, t / t.sum(axis=-1, keepdims=True)], attrs, (0, 1)


@st.composite
def _sigmoid_binary_cross_entropy(draw, c, arr):
    s = draw(shapes(min_dims=1))
    attrs = draw(st.sampled_from(c.attrs))
    return [draw(arr(s, low=-6.0, high=6.0)), draw(arr(s, low=0.0, high=1.0))], attrs, (0, 1)


_SPECIAL = {
    "where": _where, "reshape": _reshape, "transpose": _transpose, "swapaxes": _swapaxes,
    "broadcast_to": _broadcast_to, "sum_to": _sum_to, "getitem": _getitem,
    "index_add": _index_add, "concatenate": _concatenate, "stack": _stack,
    "matmul": _matmul, "linear": _linear,
    "softmax_cross_entropy": _softmax_cross_entropy,
    "sigmoid_binary_cross_entropy": _sigmoid_binary_cross_entropy,
}
