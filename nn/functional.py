"""PyTorch's ``torch.nn.functional`` names: losses as ``loss(input, target)``.

Note the argument order, PyTorch's (prediction first), the reverse of
``nn.losses`` (Keras's ``y_true, y_pred``)::

    loss = nn.functional.cross_entropy(net(xb), yb)    # logits, integer labels

``reduction`` is "mean" (the default), "sum" or "none" (one loss per element or
row), as in PyTorch. The cross-entropies from logits use the engine's fused,
stable ops (finite loss and gradient for logits of ±1000).
``binary_cross_entropy`` on probabilities clamps each log at -100, as PyTorch
does, so a probability of exactly 0 or 1 gives a large finite loss, not inf.

Shapes must match where PyTorch expects them to (it warns and broadcasts in
``mse_loss``; here a mismatch is an error, since broadcasting (n,) against
(n, 1) silently computes an (n, n) loss).
"""

from __future__ import annotations

import numpy as np

from autograd import Value, sigmoid_binary_cross_entropy, softmax_cross_entropy, where
from autograd.op import REGISTRY
from autograd.value import apply, as_value

from . import activations
from . import random as _random

__all__ = [
    "binary_cross_entropy", "binary_cross_entropy_with_logits", "cross_entropy", "dropout",
    "elu", "gelu", "l1_loss", "leaky_relu", "log_softmax", "mse_loss", "nll_loss", "relu",
    "sigmoid", "softmax", "tanh",
]

_REDUCTIONS = ("mean", "sum", "none")
_SOFTMAX_CE = REGISTRY["softmax_cross_entropy"]


def _value(x) -> Value:
    if isinstance(x, Value):
        return x
    a = np.asarray(x)
    return as_value(a if a.dtype.kind == "f" else a.astype(np.float64))


def _reduce(per_element: Value, reduction: str) -> Value:
    if reduction == "mean":
        return per_element.mean()
    if reduction == "sum":
        return per_element.sum()
    return per_element


def _check_reduction(reduction: str) -> None:
    if reduction not in _REDUCTIONS:
        raise ValueError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")


def _target_like(target, input: Value, fn: str) -> np.ndarray:
    t = np.asarray(target.data if isinstance(target, Value) else target)
    if t.shape != input.shape:
        raise ValueError(f"{fn}: target has shape {t.shape} but input has shape {input.shape}; "
                         f"they must be the same (reshape one of them)")
    if t.dtype.kind not in "fiub":
        raise ValueError(f"{fn} needs a numeric target, got dtype {t.dtype}")
    return t.astype(input.dtype, copy=False)


_INT64 = np.dtype(np.int64)
_UINT64 = np.dtype(np.uint64)


def _class_labels(t: np.ndarray, n_classes: int, fn: str, check_range: bool = True) -> np.ndarray:
    """Integer class labels as int64, checked to be whole numbers in 0..n_classes-1.

    ``check_range=False`` leaves the range to the softmax_cross_entropy op, which checks
    it anyway while finding each label's entry (one numpy call, not two).
    """
    if t.dtype.kind not in "iub" and (
            t.dtype.kind != "f" or not np.all(np.isfinite(t)) or np.any(t != np.round(t))):
        raise ValueError(f"{fn} expects integer class labels 0..{n_classes - 1}, got "
                         f"values such as {t.ravel()[:3].tolist()}")
    if t.dtype is not _INT64:
        t = t.astype(_INT64)
    # One pass instead of min() and max(): read as unsigned, a negative label is a huge
    # number, so one maximum finds both mistakes.
    if check_range and t.size and np.maximum.reduce(t.view(_UINT64), axis=None) >= n_classes:
        raise ValueError(f"{fn} expects class labels in 0..{n_classes - 1} for {n_classes} "
                         f"classes, got labels from {t.min()} to {t.max()}")
    return t


# ---- losses ------------------------------------------------------------------------------

def cross_entropy(input, target, reduction: str = "mean", label_smoothing: float = 0.0) -> Value:
    """Cross-entropy of softmax(input) against ``target``, from logits, fused and stable.

    ``input``: logits (N, C), or (C,) for one sample, or (N, C, d1, ...) with the
    classes on axis 1 as PyTorch. ``target``: integer class labels (N,) (or (N, d1, ...)),
    or class probabilities of the same shape as ``input``. ``label_smoothing`` mixes the
    targets with the uniform distribution, as PyTorch.

    >>> z = Value([[0.0, 0.0, np.log(4 / 3)]])       # softmax (0.3, 0.3, 0.4)
    >>> round(cross_entropy(z, np.array([2])).item(), 4)
    0.9163
    """
    fn = "cross_entropy"
    _check_reduction(reduction)
    if type(input) is Value and type(target) is np.ndarray and not label_smoothing:
        shape = input.data.shape if type(input.data) is np.ndarray else ()
        if len(shape) == 2 and target.shape == shape[:1] and target.dtype.kind in "iu":
            # the training-loop case, a batch of logits and its integer labels: their
            # kind checked here, their range by the op (see _class_labels)
            labels = _class_labels(target, shape[1], fn, check_range=False)
            return apply(_SOFTMAX_CE, input, labels, reduction=reduction)   # the op's node
    z = _value(input)
    t = np.asarray(target.data if isinstance(target, Value) else target)
    if z.ndim == 0:
        raise ValueError(f"{fn} needs logits with a class axis, got a scalar")
    one_sample = z.ndim == 1
    if one_sample:
        z, t = z.reshape(1, -1), t.reshape((1,) + t.shape)
    if z.ndim > 2:                      # PyTorch keeps the classes on axis 1: move it last
        order = (0, *range(2, z.ndim), 1)
        if t.shape == z.shape:
            t = np.transpose(t, order)
        z = z.transpose(order)
    n_classes = z.shape[-1]
    if t.shape == z.shape[:-1]:
        # the op checks the range itself, but np.eye(...)[t] below would wrap a negative label
        t = _class_labels(t, n_classes, fn, check_range=bool(label_smoothing))
        if label_smoothing:
            t = np.eye(n_classes, dtype=z.dtype)[t]
    elif t.shape == z.shape:
        if t.dtype.kind not in "fiub":
            raise ValueError(f"{fn} needs numeric targets, got dtype {t.dtype}")
        t = t.astype(z.dtype, copy=False)
    else:
        raise ValueError(f"{fn}: target has shape {t.shape} but input has shape {z.shape}; "
                         f"expected class labels of shape {z.shape[:-1]} or probabilities "
                         f"of shape {z.shape}")
    if label_smoothing:
        if not 0.0 <= label_smoothing <= 1.0:
            raise ValueError(f"label_smoothing must be in [0, 1], got {label_smoothing!r}")
        t = t * (1.0 - label_smoothing) + label_smoothing / n_classes
    loss = softmax_cross_entropy(z, t, reduction=reduction)
    return loss.reshape(()) if one_sample and reduction == "none" else loss


def nll_loss(input, target, reduction: str = "mean") -> Value:
    """Negative log-likelihood: -input[i, target[i]] for log-probabilities ``input`` (N, C)
    and integer labels (N,); ``cross_entropy`` is ``nll_loss(log_softmax(z), y)``.

    >>> logp = Value(np.log([[0.3, 0.3, 0.4]]))
    >>> round(nll_loss(logp, np.array([2])).item(), 4)
    0.9163
    """
    _check_reduction(reduction)
    logp = _value(input)
    t = np.asarray(target)
    if logp.ndim != 2 or t.shape != logp.shape[:1]:
        raise ValueError(f"nll_loss expects input (N, C) and integer labels (N,), got shapes "
                         f"{logp.shape} and {t.shape}")
    t = _class_labels(t, logp.shape[1], "nll_loss")
    return _reduce(-logp[np.arange(t.shape[0]), t], reduction)


def _clamped_log(x: Value) -> Value:
    """log(x) clamped at -100 (PyTorch's binary_cross_entropy), with a gradient that stays
    finite: where x is 0 the log is replaced before it is taken."""
    ok = np.asarray(x.data) >= np.finfo(x.dtype).tiny
    safe = where(ok, x, 1.0)
    return where(ok, safe.log().clip(lo=-100.0), -100.0)


def binary_cross_entropy(input, target, reduction: str = "mean") -> Value:
    """-(t log p + (1 - t) log(1 - p)) for probabilities ``input`` in [0, 1] and targets of
    the same shape; each log clamped at -100 as in PyTorch.

    >>> round(binary_cross_entropy(Value([0.8, 0.4]), np.array([1.0, 0.0])).item(), 4)
    0.367
    """
    fn = "binary_cross_entropy"
    _check_reduction(reduction)
    p = _value(input)
    t = _target_like(target, p, fn)
    d = np.asarray(p.data)
    if d.size and (np.min(d) < 0 or np.max(d) > 1):
        raise ValueError(f"{fn} expects probabilities in [0, 1] as input, got values from "
                         f"{np.min(d)} to {np.max(d)}: for logits use "
                         f"binary_cross_entropy_with_logits")
    return _reduce(-(t * _clamped_log(p) + (1.0 - t) * _clamped_log(1.0 - p)), reduction)


def binary_cross_entropy_with_logits(input, target, reduction: str = "mean") -> Value:
    """Binary cross-entropy of sigmoid(input) from logits, fused and stable; its gradient
    is sigmoid(input) - target.

    >>> round(binary_cross_entropy_with_logits(Value([0.0]), np.array([1.0])).item(), 4)
    0.6931
    """
    _check_reduction(reduction)
    z = _value(input)
    t = _target_like(target, z, "binary_cross_entropy_with_logits")
    return sigmoid_binary_cross_entropy(z, t, reduction=reduction)


def mse_loss(input, target, reduction: str = "mean") -> Value:
    """(input - target)², averaged (or summed, or per element).

    >>> mse_loss(Value([1.0, 3.0]), np.array([1.0, 1.0])).item()
    2.0
    """
    _check_reduction(reduction)
    x = _value(input)
    d = x - _target_like(target, x, "mse_loss")
    return _reduce(d * d, reduction)


def l1_loss(input, target, reduction: str = "mean") -> Value:
    """|input - target|, averaged (or summed, or per element).

    >>> l1_loss(Value([1.0, 3.0]), np.array([1.0, 1.0])).item()
    1.0
    """
    _check_reduction(reduction)
    x = _value(input)
    return _reduce((x - _target_like(target, x, "l1_loss")).abs(), reduction)


# ---- activations and dropout, PyTorch spelling -------------------------------------------

def relu(input) -> Value:
    """max(x, 0).

    >>> relu(Value([-1.0, 1.0])).data
    array([0., 1.])
    """
    return activations.relu(input)


def sigmoid(input) -> Value:
    """1 / (1 + e^-x).

    >>> sigmoid(Value(0.0)).item()
    0.5
    """
    return activations.sigmoid(input)


def tanh(input) -> Value:
    """tanh(x).

    >>> tanh(Value(0.0)).item()
    0.0
    """
    return activations.tanh(input)


def leaky_relu(input, negative_slope: float = 0.01) -> Value:
    """x for x > 0, negative_slope·x otherwise (PyTorch's default slope 0.01).

    >>> leaky_relu(Value([-1.0])).data
    array([-0.01])
    """
    return activations.leaky_relu(input, negative_slope)


def elu(input, alpha: float = 1.0) -> Value:
    """x for x > 0, alpha·(e^x - 1) otherwise.

    >>> round(float(elu(Value([-1.0])).data[0]), 4)
    -0.6321
    """
    return activations.elu(input, alpha)


def gelu(input, approximate: str = "none") -> Value:
    """x·Φ(x); ``approximate='tanh'`` for the tanh form, as PyTorch.

    >>> round(float(gelu(Value([1.0])).data[0]), 4)
    0.8413
    """
    if approximate not in ("none", "tanh"):
        raise ValueError(f"approximate must be 'none' or 'tanh', got {approximate!r}")
    return activations.gelu(input, approximate=approximate == "tanh")


def softmax(input, dim: int = -1) -> Value:
    """Softmax along ``dim``.

    >>> softmax(Value([0.0, 0.0])).data
    array([0.5, 0.5])
    """
    return activations.softmax(input, axis=dim)


def log_softmax(input, dim: int = -1) -> Value:
    """log(softmax(x)) along ``dim``, stable.

    >>> round(float(log_softmax(Value([0.0, 0.0])).data[0]), 4)
    -0.6931
    """
    return activations.log_softmax(input, axis=dim)


def dropout(input, p: float = 0.5, training: bool = True) -> Value:
    """Inverted dropout: zero each element with probability p and scale the rest by
    1/(1 - p) when ``training``; the identity otherwise. Masks come from ``nn.random``.

    >>> dropout(Value([1.0, 2.0]), p=0.5, training=False).data
    array([1., 2.])
    """
    if not 0.0 <= p < 1.0:
        raise ValueError(f"dropout probability must be in [0, 1), got {p!r}")
    x = _value(input)
    if not training or p == 0.0:
        return x
    keep = _random.generator().random(x.shape) >= p
    return x * (keep / (1.0 - p)).astype(x.dtype)
