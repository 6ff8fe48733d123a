"""Fused, numerically stable losses: softmax + cross-entropy and sigmoid + binary cross-entropy.

Fused because the separate pieces overflow (exp(1000)) or lose everything to
log(0); the combined gradients are also the simplest in the course:
d/dz CE(softmax(z), t) = softmax(z) - t and d/dz BCE(sigmoid(z), t) = sigmoid(z) - t.
``reduction`` is "mean" (over rows), "sum" or "none" (one loss per row).
"""

import math

import numpy as np

from ..op import Check, InputError, defop


def _reduce(xp, per_row, reduction):
    if reduction == "none":
        return per_row
    # np.add.reduce on arrays, skipping the Python wrapper of .sum(); Values have .sum()
    total = np.add.reduce(per_row, axis=None) if type(per_row) is np.ndarray else per_row.sum()
    return total / (per_row.size or 1) if reduction == "mean" else total


def _per_row(xp, g, n_rows, reduction, trailing):
    """The output gradient as one factor per row (with `trailing` extra unit axes)."""
    if reduction == "sum":
        return g
    if reduction == "mean":
        return g / (n_rows or 1)
    return xp.reshape(g, shape=np.shape(g) + (1,) * trailing)


def _n_rows(z):
    """How many rows of logits z holds (the loss has one per row): z has .size and .shape
    as an array and as a Value."""
    return z.size // z.shape[-1] if z.shape[-1] else 0


def _labels_as_one_hot(t, z):
    """Integer labels of shape z.shape[:-1] become one-hot rows; probabilities pass through."""
    t_data = getattr(t, "data", t)
    if np.ndim(t_data) == np.ndim(z) - 1:
        return np.eye(np.shape(z)[-1], dtype=np.result_type(getattr(z, "dtype", z)))[t_data]
    return t


def _classes_first(z):
    """The logits as a C-contiguous (classes, rows) copy: every reduction of the loss then
    runs along axis 0, and a label's entry sits at ``label * rows + row`` (see _picks).

    numpy reduces a short last axis row by row (the max of 64x10 logits takes 3.6 us) but
    a long first axis in one vectorised loop (1.1 us), which makes the loss and its
    gradient a third cheaper on a digits-sized batch.
    """
    return z.reshape(-1, z.shape[-1]).T.copy()


def _picks(t, zT):
    """The flat positions in the (classes, rows) logits of each row's label entry.

    One numpy call computes them and checks every label is in 0..classes-1 (a negative
    one would otherwise pick from the end, silently); indexing a flat array with them
    takes a third of the time of indexing with (labels, rows) pairs, in both passes.
    """
    labels = t.reshape(-1)
    try:
        return np.ravel_multi_index((labels, np.arange(zT.shape[1])), zT.shape)
    except TypeError:
        raise InputError(f"softmax_cross_entropy needs integer class labels (or rows of "
                         f"probabilities), got labels of dtype {labels.dtype}") from None
    except ValueError:
        n = zT.shape[0]
        if not ((labels < 0) | (labels >= n)).any():
            raise                   # not a range problem (lengths differ): apply explains it
        raise InputError(f"softmax_cross_entropy expects class labels in 0..{n - 1} for {n} "
                         f"classes, got labels from {labels.min()} to {labels.max()}") from None


def _ce_forward(xp, z, t, reduction="mean"):
    # The forward pass always runs on raw arrays, so it is written in numpy directly, on
    # the logits classes first (see _classes_first). It saves, for the rules, z - max,
    # exp(z - max) and its sums (the gradient is softmax - target: with these, backward
    # needs one division, not an exp), and for integer labels the flat positions of the
    # targets' entries (_picks), which both passes use.
    zT = _classes_first(z)
    picks = _picks(t, zT) if t.ndim == z.ndim - 1 else None
    # the ufuncs' reduce, not np.max / np.sum: no Python wrapper on the hot path
    top = np.maximum.reduce(zT, axis=0)
    if math.isfinite(np.add.reduce(top, axis=None)):   # finite logits: nothing can warn
        shifted = zT - top
        e = np.exp(shifted)
        total = np.add.reduce(e, axis=0)
        loss = _ce_from_shifted(xp, shifted, total, z, t, picks, reduction)
    else:
        # an infinite or nan logit (or maxima summing past float range): the guarded
        # log_softmax of the backend, so that the result is what the unfused formula gives
        with np.errstate(all="ignore"):
            shifted = xp.log_softmax(zT, axis=0)
            e, total = np.exp(shifted), np.ones(zT.shape[1], dtype=zT.dtype)
            loss = _ce_from_shifted(xp, shifted, total, z, t, picks, reduction)
    return loss, (shifted, e, total, picks)


def _ce_from_shifted(xp, shifted, total, z, t, picks, reduction):
    """The loss from the classes-first z - max and the sums of its exp: for each row,
    -log softmax(z)[label] = log(total) - shifted[label], or the t-weighted sum of that."""
    if picks is not None:                                  # integer class labels
        per_row = np.log(total) - shifted.reshape(-1)[picks]    # (a view: C-contiguous)
    else:                                                  # probability rows
        tT = t.reshape(-1, t.shape[-1]).T
        per_row = -np.add.reduce(tT * (shifted - np.log(total)), axis=0)
    return _reduce(xp, per_row.reshape(z.shape[:-1]), reduction)


def _ce_vjp_z(xp, g, y, z, t, reduction="mean", saved=None):
    if saved is None:                                       # on Values: differentiable
        scale = _per_row(xp, g, _n_rows(z), reduction, 1)
        return (xp.softmax(z, axis=-1) - _labels_as_one_hot(t, z)) * scale
    if reduction == "mean" and (type(g) is float or g.ndim == 0):
        # the training loop's case, divided as Python floats: a sixth of the work of a
        # numpy division of a 0-d array, and the same float32 once multiplied in below
        scale = float(g) / (_n_rows(z) or 1)
    else:
        scale = _per_row(xp, g, _n_rows(z), reduction, 1)
    _, e, total, picks = saved
    p = e / total                                           # softmax, classes first: a new
    if picks is not None:                                   # C-contiguous array, ours to
        p.reshape(-1)[picks] -= 1                           # change: softmax - one_hot
    else:
        p -= t.reshape(-1, t.shape[-1]).T
    p *= scale if reduction != "none" else scale.reshape(-1)
    p = p.T                                                 # rows first again: a view
    return p if z.ndim == 2 else p.reshape(z.shape)


def _ce_vjp_t(xp, g, y, z, t, reduction="mean", saved=None):
    if t.ndim == z.ndim - 1:
        return None                                         # integer labels: no gradient
    if saved is None:
        logp = xp.log_softmax(z, axis=-1)
    else:
        shifted, _, total, _ = saved
        logp = (shifted - np.log(total)).T.reshape(z.shape)
    return -logp * _per_row(xp, g, _n_rows(z), reduction, 1)


softmax_cross_entropy = defop("softmax_cross_entropy",
    _ce_forward, _ce_vjp_z, _ce_vjp_t,
    saves=True,
    check=Check(kind="softmax_cross_entropy",
                attrs=({}, {"reduction": "sum"}, {"reduction": "none"})),
    doc="Cross-entropy of softmax(z) against t, where t holds integer labels (one less "
        "axis than z) or probabilities / one-hot rows (same shape as z).")


def _bce_forward(xp, z, t, reduction="mean"):
    # max(z, 0) - z t + log(1 + e^-|z|): equal to -(t log s + (1-t) log(1-s)), s = sigmoid(z),
    # but finite for any z.
    per = xp.maximum(z, 0.0) - z * t + xp.log1p(xp.exp(-xp.abs(z)))
    return _reduce(xp, per, reduction)


sigmoid_binary_cross_entropy = defop("sigmoid_binary_cross_entropy",
    _bce_forward,
    lambda xp, g, y, z, t, reduction="mean":
        (xp.sigmoid(z) - t) * _per_row(xp, g, np.size(z), reduction, 0),
    lambda xp, g, y, z, t, reduction="mean": -z * _per_row(xp, g, np.size(z), reduction, 0),
    check=Check(kind="sigmoid_binary_cross_entropy",
                attrs=({}, {"reduction": "sum"}, {"reduction": "none"})),
    doc="Binary cross-entropy of sigmoid(z) against targets t in [0, 1], from the logits z.")
