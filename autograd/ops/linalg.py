"""Matrix products: matmul (1-D, 2-D and batched, as numpy's @) and the fused linear layer."""

import numpy as np

from ..op import Check, defop


def _as_matrices(xp, g, a, b):
    """Give 1-D operands (and g) the axis numpy's @ drops, so one 2-D formula serves all."""
    if np.ndim(a) == 1:
        a = xp.reshape(a, shape=(1, -1))
        g = xp.reshape(g, shape=np.shape(g)[:-1] + (1,) + np.shape(g)[-1:])
    if np.ndim(b) == 1:
        b = xp.reshape(b, shape=(-1, 1))
        g = xp.reshape(g, shape=np.shape(g) + (1,))
    return g, a, b


def _matmul_vjp_a(xp, g, y, a, b):
    g, _, b2 = _as_matrices(xp, g, a, b)
    ga = xp.matmul(g, xp.swapaxes(b2, axis1=-1, axis2=-2))
    # batch axes are summed by the engine; only the axis added for a 1-D `a` goes here
    return xp.reshape(ga, shape=np.shape(ga)[:-2] + np.shape(a)) if np.ndim(a) == 1 else ga


def _matmul_vjp_b(xp, g, y, a, b):
    g, a2, _ = _as_matrices(xp, g, a, b)
    gb = xp.matmul(xp.swapaxes(a2, axis1=-1, axis2=-2), g)
    return xp.reshape(gb, shape=np.shape(gb)[:-2] + np.shape(b)) if np.ndim(b) == 1 else gb


matmul = defop("matmul",
    lambda xp, a, b: xp.matmul(a, b),
    _matmul_vjp_a,
    _matmul_vjp_b,
    check=Check(kind="matmul"),
    doc="a @ b with numpy's rules: 1-D operands, 2-D and batched (broadcast) stacks.")


def _linear_forward(xp, x, w, b):
    y = x @ w
    if type(b) is np.ndarray and b.dtype == y.dtype and b.shape == y.shape[-1:]:
        y += b           # into the product's fresh buffer: one (batch, out) array, not two
        return y
    return y + b


def _linear_vjp_w(xp, g, y, x, w, b):
    if x.ndim == 2:                       # arrays and Values have .ndim (np.ndim is slower)
        return x.T @ g                    # .T is a view: BLAS reads it transposed, no copy
    x2 = xp.reshape(x, shape=(-1, np.shape(x)[-1]))
    return x2.T @ xp.reshape(g, shape=(-1, np.shape(g)[-1]))


def _rows_summed(g):
    # np.add.reduce on arrays: ndarray.sum and np.sum go through a Python wrapper first,
    # which on the hot path costs as much as the sum of a small batch
    return np.add.reduce(g, axis=0) if type(g) is np.ndarray else g.sum(axis=0)


linear = defop("linear",
    _linear_forward,
    lambda xp, g, y, x, w, b: g @ w.T,
    _linear_vjp_w,
    lambda xp, g, y, x, w, b: _rows_summed(g) if g.ndim == 2 else g,
    check=Check(kind="linear"),
    doc="x @ w + b in one node, w of shape (in, out) as in Keras. Fused because a dense "
        "layer is the hot path of every MLP: one node instead of two per layer.")
