"""Matrix products: matmul (1-D, 2-D and batched, as numpy's @) and the fused linear layer."""

import numpy as np

from ..backend import NUMPY
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


# The linear layer's products go through ndarray.dot where they can: on the small
# matrices of a course network it skips the dispatch of the matmul ufunc behind @ (a
# 16x4 by 4x16 product takes 0.7 us instead of 1.5 us; big ones take the same time).
# Values (the rules run on them for higher derivatives) have no .dot: they use @.

def _linear_forward(xp, x, w, b):
    y = x.dot(w) if x.ndim == 2 else x @ w
    if type(b) is np.ndarray and b.dtype is y.dtype:
        try:             # into the product's fresh buffer: one (batch, out) array, not two
            y += b
            return y
        except ValueError:   # b's shape would grow y's (numpy checks before it writes)
            pass
    return y + b


# Between these many weights, g @ w.T goes faster with w.T copied to a contiguous array
# first: BLAS multiplies by the transposed view markedly slower at these sizes (64x128
# by 128x64: 15.5 us, against 13.4 us copy included); for big layers the copy costs
# more, and below a few hundred weights the copy costs more than it saves (16x3: 1.07
# against 0.95 us).
_COPY_TRANSPOSED_ABOVE, _COPY_TRANSPOSED_UP_TO = 2 ** 8, 2 ** 14


def _x_grad(g, w):
    """d(loss)/dx of x @ w, from g of the product's shape."""
    if type(g) is not np.ndarray or g.ndim != 2:
        return g @ w.T                    # Values, or batches with more axes
    copy = _COPY_TRANSPOSED_ABOVE < w.size <= _COPY_TRANSPOSED_UP_TO
    return g.dot(w.T.copy() if copy else w.T)


def _w_grad(xp, g, x):
    """d(loss)/dw of x @ w, from g of the product's shape."""
    if x.ndim == 2:                       # arrays and Values have .ndim (np.ndim is slower)
        # .T is a view: BLAS reads it transposed, no copy
        return x.T.dot(g) if type(x) is np.ndarray else x.T @ g
    x2 = xp.reshape(x, shape=(-1, np.shape(x)[-1]))
    return x2.T @ xp.reshape(g, shape=(-1, np.shape(g)[-1]))


def _product_grad(xp, g, x, w):
    """g, summed to the shape of x @ w: a bias with axes of its own (one bias per row,
    say) makes the output, and g, bigger than the product."""
    shape = np.shape(x)[:-1] + np.shape(w)[1:]
    return g if np.shape(g) == shape else xp.sum_to(g, shape=shape)


def _linear_vjp_x(xp, g, y, x, w, b):
    return _x_grad(_product_grad(xp, g, x, w), w)


def _linear_vjp_w(xp, g, y, x, w, b):
    return _w_grad(xp, _product_grad(xp, g, x, w), x)


# A row of ones per batch size, for the bias's gradient: ones @ g sums g's rows in one
# BLAS call, half the work of numpy's reduction at a course's sizes (a 16x3 gradient: 5k
# instructions against 10k). Read-only, and forgotten past a few batch sizes.
_ONES: dict[int, np.ndarray] = {}


def _ones(n: int, dtype) -> np.ndarray:
    if len(_ONES) >= 16:
        _ONES.clear()
    ones = _ONES[n] = np.ones(n, dtype=dtype)
    ones.flags.writeable = False
    return ones


def _rows_summed(g):
    if type(g) is not np.ndarray:         # Values (higher derivatives): their own sum
        return g.sum(axis=0)
    ones = _ONES.get(g.shape[0])
    if ones is None or ones.dtype is not g.dtype:
        ones = _ones(g.shape[0], g.dtype)
    return ones.dot(g)


def _linear_vjp_b(xp, g, y, x, w, b):
    # a bias of one number per output gets g's rows summed; any other is the engine's to
    # fit, as every input that broadcasts
    return _rows_summed(g) if np.ndim(g) == 2 and np.ndim(b) == 1 else g


def _linear_grads(needs, g, y, x, w, b):
    """The three rules at once for a training step's layer: a batch (n, in) of arrays of
    one dtype, and a bias of one number per output. Their results then have the inputs'
    shapes and dtype, which the engine need not check. Anything else: None, and the
    engine runs the rules one by one."""
    if not (type(b) is np.ndarray and x.ndim == 2 and w.ndim == 2 and b.shape == w.shape[1:]
            and x.dtype is w.dtype is b.dtype is g.dtype):
        return None
    need_x, need_w, need_b = needs       # (g has the product's shape: the bias is 1-D)
    return (_x_grad(g, w) if need_x else None,
            _w_grad(NUMPY, g, x) if need_w else None,
            _rows_summed(g) if need_b else None)


linear = defop("linear",
    _linear_forward,
    _linear_vjp_x,
    _linear_vjp_w,
    _linear_vjp_b,
    grads=_linear_grads,
    check=Check(kind="linear"),
    doc="x @ w + b in one node, w of shape (in, out) as in Keras. Fused because a dense "
        "layer is the hot path of every MLP: one node instead of two per layer.")
