"""Reductions (sum, mean, max, min, logsumexp) and softmax along an axis.

The rule of a reduction sends ``g`` back over the reduced axes: reshape it to the
``keepdims=True`` shape, then broadcast it to the input's shape.
"""

import numpy as np

from ..op import Check, defop

_AXES = ({}, {"axis": 0}, {"axis": -1, "keepdims": True}, {"axis": (0, -1)})


def _kept_shape(shape, axis):
    """The output shape of the reduction with keepdims=True."""
    if axis is None:
        return (1,) * len(shape)
    axes = {a % len(shape) for a in (axis if isinstance(axis, tuple) else (axis,))}
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


def _spread(xp, g, x, axis):
    """g, shaped like the reduction's output, broadcast back to x's shape."""
    shape = np.shape(x)
    return xp.broadcast_to(xp.reshape(g, shape=_kept_shape(shape, axis)), shape=shape)


sum = defop("sum",
    lambda xp, x, axis=None, keepdims=False: xp.sum(x, axis=axis, keepdims=keepdims),
    lambda xp, g, y, x, axis=None, keepdims=False: _spread(xp, g, x, axis),
    check=Check(kind="reduce", attrs=_AXES))

mean = defop("mean",
    lambda xp, x, axis=None, keepdims=False: xp.mean(x, axis=axis, keepdims=keepdims),
    lambda xp, g, y, x, axis=None, keepdims=False:
        _spread(xp, g, x, axis) * (np.size(y) / np.size(x)),
    check=Check(kind="reduce", attrs=_AXES))


def _extreme_vjp(xp, g, y, x, axis=None, keepdims=False):
    # Every element equal to the extreme shares the gradient evenly (ties split).
    picked = x == xp.reshape(y, shape=_kept_shape(np.shape(x), axis))
    return _spread(xp, g, x, axis) * (picked / np.sum(picked, axis=axis, keepdims=True))


max = defop("max",
    lambda xp, x, axis=None, keepdims=False: xp.max(x, axis=axis, keepdims=keepdims),
    _extreme_vjp,
    check=Check(kind="reduce-distinct", attrs=_AXES),
    doc="Largest element; ties split the gradient evenly.")

min = defop("min",
    lambda xp, x, axis=None, keepdims=False: xp.min(x, axis=axis, keepdims=keepdims),
    _extreme_vjp,
    check=Check(kind="reduce-distinct", attrs=_AXES),
    doc="Smallest element; ties split the gradient evenly.")

logsumexp = defop("logsumexp",
    lambda xp, x, axis=None, keepdims=False: xp.logsumexp(x, axis=axis, keepdims=keepdims),
    lambda xp, g, y, x, axis=None, keepdims=False:
        _spread(xp, g, x, axis) * xp.exp(x - xp.reshape(y, shape=_kept_shape(np.shape(x), axis))),
    check=Check(kind="reduce", attrs=_AXES),
    doc="log(sum(exp(x))), stable for any finite x; its gradient is the softmax.")

softmax = defop("softmax",
    lambda xp, x, axis=-1: xp.softmax(x, axis=axis),
    lambda xp, g, y, x, axis=-1: y * (g - xp.sum(g * y, axis=axis, keepdims=True)),
    check=Check(kind="reduce", attrs=({"axis": -1}, {"axis": 0})))

log_softmax = defop("log_softmax",
    lambda xp, x, axis=-1: xp.log_softmax(x, axis=axis),
    lambda xp, g, y, x, axis=-1: g - xp.exp(y) * xp.sum(g, axis=axis, keepdims=True),
    check=Check(kind="reduce", attrs=({"axis": -1}, {"axis": 0})))
