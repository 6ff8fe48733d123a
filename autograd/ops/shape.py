"""Shapes and indexing: reshape, transpose, broadcasting, x[index], concatenate, stack.

These move numbers around without changing them, so each rule moves the
gradient back the same way: reshape undoes reshape, sum_to undoes broadcast_to,
index_add undoes indexing (adding where an index repeats).
"""

import numpy as np

from ..op import Check, defop

reshape = defop("reshape",
    lambda xp, x, shape: xp.reshape(x, shape=shape),
    lambda xp, g, y, x, shape: xp.reshape(g, shape=np.shape(x)),
    check=Check(kind="reshape"))

transpose = defop("transpose",
    lambda xp, x, axes=None: xp.transpose(x, axes=axes),
    lambda xp, g, y, x, axes=None:
        xp.transpose(g, axes=None if axes is None else tuple(np.argsort(axes))),
    check=Check(kind="transpose"),
    doc="Permute the axes (reverse them when axes is None, as x.T does).")

swapaxes = defop("swapaxes",
    lambda xp, x, axis1, axis2: xp.swapaxes(x, axis1=axis1, axis2=axis2),
    lambda xp, g, y, x, axis1, axis2: xp.swapaxes(g, axis1=axis1, axis2=axis2),
    check=Check(kind="swapaxes"))

broadcast_to = defop("broadcast_to",
    lambda xp, x, shape: xp.broadcast_to(x, shape=shape),
    lambda xp, g, y, x, shape: xp.sum_to(g, shape=np.shape(x)),
    check=Check(kind="broadcast_to"))

sum_to = defop("sum_to",
    lambda xp, x, shape: xp.sum_to(x, shape=shape),
    lambda xp, g, y, x, shape: xp.broadcast_to(g, shape=np.shape(x)),
    check=Check(kind="sum_to"),
    doc="Sum a broadcast array back down to shape: how the engine undoes broadcasting.")

getitem = defop("getitem",
    lambda xp, x, index: x[index],
    lambda xp, g, y, x, index: xp.index_add(g, shape=np.shape(x), index=index),
    check=Check(kind="getitem"),
    doc="x[index] for basic and integer-array indexing; repeated indices add up.")

index_add = defop("index_add",
    lambda xp, g, shape, index: xp.index_add(g, shape=shape, index=index),
    lambda xp, gg, y, g, shape, index: xp.getitem(gg, index=index),
    check=Check(kind="index_add"),
    doc="Zeros of shape with g added at [index]: the rule of getitem, as an op.")


def _along(axis, ndim, i):
    """The index that selects position or slice i along axis."""
    return (slice(None),) * (axis % ndim) + (i,)


def _concatenate_vjp(xp, i, g, y, *xs, axis=0):
    sizes = [np.shape(x)[axis] for x in xs]
    start = int(np.sum(sizes[:i]))
    return xp.getitem(g, index=_along(axis, np.ndim(g), slice(start, start + sizes[i])))


concatenate = defop("concatenate",
    lambda xp, *xs, axis=0: xp.concatenate(xs, axis=axis),
    _concatenate_vjp,
    variadic=True,
    check=Check(kind="concatenate"))

stack = defop("stack",
    lambda xp, *xs, axis=0: xp.stack(xs, axis=axis),
    lambda xp, i, g, y, *xs, axis=0: xp.getitem(g, index=_along(axis, np.ndim(g), i)),
    variadic=True,
    check=Check(kind="stack"))
