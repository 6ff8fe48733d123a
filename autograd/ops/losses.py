"""Fused, numerically stable losses: softmax + cross-entropy and sigmoid + binary cross-entropy.

Fused because the separate pieces overflow (exp(1000)) or lose everything to
log(0); the combined gradients are also the simplest in the course:
d/dz CE(softmax(z), t) = softmax(z) - t and d/dz BCE(sigmoid(z), t) = sigmoid(z) - t.
``reduction`` is "mean" (over rows), "sum" or "none" (one loss per row).
"""

import numpy as np

from ..op import Check, defop


def _rows(shape_of_loss_rows, reduction):
    return max(int(np.prod(shape_of_loss_rows)), 1) if reduction == "mean" else 1


def _reduce(xp, per_row, reduction):
    if reduction == "none":
        return per_row
    total = xp.sum(per_row)
    return total / _rows(np.shape(per_row), reduction) if reduction == "mean" else total


def _per_row(xp, g, rows_shape, reduction, trailing):
    """The output gradient as one factor per row (with `trailing` extra unit axes)."""
    g = g / _rows(rows_shape, reduction)
    return xp.reshape(g, shape=np.shape(g) + (1,) * trailing) if reduction == "none" else g


def _labels_as_one_hot(t, z):
    """Integer labels of shape z.shape[:-1] become one-hot rows; probabilities pass through."""
    t_data = getattr(t, "data", t)
    if np.ndim(t_data) == np.ndim(z) - 1:
        return np.eye(np.shape(z)[-1], dtype=np.result_type(getattr(z, "dtype", z)))[t_data]
    return t


def _ce_forward(xp, z, t, reduction="mean"):
    logp = xp.log_softmax(z, axis=-1)
    if np.ndim(t) == np.ndim(z) - 1:                       # integer class labels
        picked = np.take_along_axis(logp, np.expand_dims(t, -1), axis=-1)[..., 0]
        return _reduce(xp, -picked, reduction), logp
    return _reduce(xp, -xp.sum(t * logp, axis=-1), reduction), logp


def _ce_vjp_z(xp, g, y, z, t, reduction="mean", saved=None):
    p = xp.softmax(z, axis=-1) if saved is None else xp.exp(saved)
    return (p - _labels_as_one_hot(t, z)) * _per_row(xp, g, np.shape(z)[:-1], reduction, 1)


def _ce_vjp_t(xp, g, y, z, t, reduction="mean", saved=None):
    if np.ndim(t) == np.ndim(z) - 1:
        return None                                         # integer labels: no gradient
    logp = xp.log_softmax(z, axis=-1) if saved is None else saved
    return -logp * _per_row(xp, g, np.shape(z)[:-1], reduction, 1)


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
        (xp.sigmoid(z) - t) * _per_row(xp, g, np.shape(z), reduction, 0),
    lambda xp, g, y, z, t, reduction="mean": -z * _per_row(xp, g, np.shape(z), reduction, 0),
    check=Check(kind="sigmoid_binary_cross_entropy",
                attrs=({}, {"reduction": "sum"}, {"reduction": "none"})),
    doc="Binary cross-entropy of sigmoid(z) against targets t in [0, 1], from the logits z.")
