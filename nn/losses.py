"""Losses as Keras defines them: ``loss(y_true, y_pred)`` returns the batch mean.

Functions and their Keras names (``nn.losses.get("mse")``)::

    mean_squared_error (mse)       mean((y_true - y_pred)²)
    mean_absolute_error (mae)      mean(|y_true - y_pred|)
    binary_crossentropy            -mean(t log p + (1 - t) log(1 - p))
    categorical_crossentropy       -mean over rows of Σ_c t_c log p_c   (one-hot t)
    sparse_categorical_crossentropy  the same with integer labels
    hinge                          mean(max(1 - t·y, 0)), 0/1 labels turned into -1/1

As in Keras: targets are cast to the predictions' dtype; a target of shape (n,)
meets predictions of shape (n, 1) (the trailing axis of size 1 is matched), any
other shape mismatch is an error; probabilities are clipped to
[1e-7, 1 - 1e-7] before the log, and categorical/sparse cross-entropy first
rescale each row to sum 1. With ``from_logits=True`` the cross-entropies take
logits and use the engine's fused, stable ops (finite loss and gradient for
logits of ±1000): softmax + cross-entropy has gradient softmax(z) - t,
sigmoid + binary cross-entropy sigmoid(z) - t.

Keras-style classes (``CategoricalCrossentropy(from_logits=True)``) wrap the
same functions.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from autograd import Value, sigmoid_binary_cross_entropy, softmax_cross_entropy
from autograd.value import as_value

from . import activations
from .config import Catalog, Configurable

__all__ = [
    "EPSILON", "BinaryCrossentropy", "CategoricalCrossentropy", "Hinge", "Loss",
    "MeanAbsoluteError", "MeanSquaredError", "SparseCategoricalCrossentropy",
    "binary_crossentropy", "categorical_crossentropy", "deserialize", "from_logits_version",
    "get", "hinge", "mae", "mean_absolute_error", "mean_squared_error", "mse", "serialize",
    "sparse_categorical_crossentropy",
]

EPSILON = 1e-7   # Keras's backend.epsilon(): probabilities are clipped to [EPSILON, 1 - EPSILON]


# ---- inputs ------------------------------------------------------------------------------

def _predictions(y_pred) -> Value:
    if isinstance(y_pred, Value):
        return y_pred
    a = np.asarray(y_pred)
    return as_value(a if a.dtype.kind == "f" else a.astype(np.float64))


def _targets(y_true, dtype, loss: str):
    """y_true as an array in the predictions' dtype (a Value passes as it is)."""
    if isinstance(y_true, Value):
        return y_true
    t = np.asarray(y_true)
    if t.dtype.kind not in "fiub":
        raise ValueError(f"{loss} needs numeric targets, got an array of dtype {t.dtype}")
    return t.astype(dtype, copy=False)


def _same_shape(y_true, y_pred, loss: str):
    """(targets, predictions) of one shape: a trailing axis of size 1 on either side is
    matched (Keras's squeeze_or_expand_to_same_rank); any other mismatch is an error."""
    p = _predictions(y_pred)
    t = _targets(y_true, p.dtype, loss)
    ts, ps = tuple(np.shape(t.data if isinstance(t, Value) else t)), p.shape
    if (ts + (1,) == ps) or (ps + (1,) == ts):
        t = t.reshape(ps)
    if tuple(np.shape(t.data if isinstance(t, Value) else t)) != ps:
        raise ValueError(f"{loss}: y_true has shape {ts} but y_pred has shape {ps}; they must "
                         f"match (the same number of samples, one target per output)")
    return t, p


def _rows_of_classes(y_pred, loss: str) -> Value:
    p = _predictions(y_pred)
    if p.ndim < 1:
        raise ValueError(f"{loss} needs predictions with a class axis, got a scalar")
    return p


def _labels(y_true, y_pred: Value, loss: str) -> np.ndarray:
    """Integer class labels of shape y_pred.shape[:-1], checked against the class count."""
    t = np.asarray(y_true.data if isinstance(y_true, Value) else y_true)
    ps = y_pred.shape
    n_classes = ps[-1]
    if t.shape == ps[:-1] + (1,) and t.shape != ps:
        t = t.reshape(ps[:-1])
    if t.shape == ps and n_classes > 1:
        raise ValueError(f"{loss} expects integer class labels of shape {ps[:-1]}, got targets "
                         f"of shape {t.shape} (one-hot rows?): use categorical_crossentropy "
                         f"for one-hot targets, or pass y.argmax(axis=-1)")
    if t.shape != ps[:-1]:
        raise ValueError(f"{loss}: y_true has shape {t.shape} but y_pred has shape {ps}; "
                         f"expected one integer label per row, shape {ps[:-1]}")
    if t.dtype.kind not in "iub" and (
            t.dtype.kind != "f" or not np.all(np.isfinite(t)) or np.any(t != np.round(t))):
        raise ValueError(f"{loss} expects integer class labels 0..{n_classes - 1}, "
                         f"got values such as {t.ravel()[:3].tolist()}")
    t = t.astype(np.int64, copy=False)
    if t.size and (t.min() < 0 or t.max() >= n_classes):
        raise ValueError(f"{loss} expects labels in 0..{n_classes - 1} for {n_classes} "
                         f"classes, got labels from {t.min()} to {t.max()}")
    return t


def _check_unit_interval(t, loss: str, hint: str = "") -> None:
    if isinstance(t, Value):
        return
    if t.size and (np.nanmin(t) < 0 or np.nanmax(t) > 1):
        raise ValueError(f"{loss} expects targets between 0 and 1 (labels 0/1 or "
                         f"probabilities), got values from {np.min(t)} to {np.max(t)}{hint}")


# ---- the losses --------------------------------------------------------------------------

def mean_squared_error(y_true, y_pred) -> Value:
    """mean((y_true - y_pred)²) over every element (the batch mean of Keras's per-sample
    mean). Alias ``mse``.

    >>> mean_squared_error(np.array([1.0, 2.0]), Value([1.5, 2.0])).item()
    0.125
    """
    t, p = _same_shape(y_true, y_pred, "mean_squared_error")
    d = p - t
    return (d * d).mean()


def mean_absolute_error(y_true, y_pred) -> Value:
    """mean(|y_true - y_pred|). Alias ``mae``.

    >>> mean_absolute_error(np.array([1.0, 2.0]), Value([1.5, 2.0])).item()
    0.25
    """
    t, p = _same_shape(y_true, y_pred, "mean_absolute_error")
    return (p - t).abs().mean()


mse = mean_squared_error
mae = mean_absolute_error


def binary_crossentropy(y_true, y_pred, from_logits: bool = False) -> Value:
    """-mean(t log p + (1 - t) log(1 - p)) for targets t in [0, 1]; probabilities p are
    clipped to [1e-7, 1 - 1e-7] as Keras does. ``from_logits=True``: y_pred are logits
    and the fused stable op is used.

    >>> round(binary_crossentropy(np.array([1.0, 0.0]), Value([0.8, 0.4])).item(), 4)
    0.367
    """
    t, p = _same_shape(y_true, y_pred, "binary_crossentropy")
    _check_unit_interval(t, "binary_crossentropy", "; for -1/1 labels use hinge")
    if from_logits:
        return sigmoid_binary_cross_entropy(p, t)
    q = p.clip(EPSILON, 1.0 - EPSILON)
    return -(t * q.log() + (1.0 - t) * (1.0 - q).log()).mean()


def categorical_crossentropy(y_true, y_pred, from_logits: bool = False) -> Value:
    """Mean over rows of -Σ_c t_c log p_c, for one-hot (or probability) target rows.
    Each row of p is rescaled to sum 1 and clipped to [1e-7, 1 - 1e-7], as Keras does.
    ``from_logits=True``: y_pred are logits (the fused, stable softmax + cross-entropy).

    >>> t, p = np.array([[0.0, 0.0, 1.0]]), Value([[0.3, 0.3, 0.4]])
    >>> round(categorical_crossentropy(t, p).item(), 4)     # -ln 0.4
    0.9163
    """
    loss = "categorical_crossentropy"
    p = _rows_of_classes(y_pred, loss)
    t = _targets(y_true, p.dtype, loss)
    ts = tuple(np.shape(t.data if isinstance(t, Value) else t))
    if ts != p.shape:
        if ts in (p.shape[:-1], p.shape[:-1] + (1,)) and p.shape[-1] > 1:
            raise ValueError(f"{loss} expects one-hot targets of shape {p.shape}, got integer "
                             f"labels of shape {ts}: use sparse_categorical_crossentropy, or "
                             f"one-hot encode them (nn.data.one_hot)")
        raise ValueError(f"{loss}: y_true has shape {ts} but y_pred has shape {p.shape}; "
                         f"they must match (one-hot rows, one per sample)")
    _check_unit_interval(t, loss)
    if from_logits:
        return softmax_cross_entropy(p, t)
    q = (p / p.sum(axis=-1, keepdims=True)).clip(EPSILON, 1.0 - EPSILON)
    return -(t * q.log()).sum(axis=-1).mean()


def sparse_categorical_crossentropy(y_true, y_pred, from_logits: bool = False) -> Value:
    """Categorical cross-entropy with integer class labels (shape (n,) or (n, 1)) instead
    of one-hot rows; the same rescaling and clipping, or ``from_logits=True``.

    >>> round(sparse_categorical_crossentropy(np.array([2]), Value([[0.3, 0.3, 0.4]])).item(), 4)
    0.9163
    """
    loss = "sparse_categorical_crossentropy"
    p = _rows_of_classes(y_pred, loss)
    labels = _labels(y_true, p, loss)
    if from_logits:
        return softmax_cross_entropy(p, labels)
    q = (p / p.sum(axis=-1, keepdims=True)).clip(EPSILON, 1.0 - EPSILON)
    one_hot = np.eye(p.shape[-1], dtype=p.dtype)[labels]
    return -(one_hot * q.log()).sum(axis=-1).mean()


def hinge(y_true, y_pred) -> Value:
    """mean(max(1 - t·y, 0)) for labels t of -1/1; labels of 0/1 are turned into -1/1
    first, as Keras does.

    >>> hinge(np.array([1.0, 0.0]), Value([0.5, -2.0])).item()
    0.25
    """
    t, p = _same_shape(y_true, y_pred, "hinge")
    if not isinstance(t, Value) and np.all((t == 0) | (t == 1)):
        t = 2.0 * t - 1.0
    return (1.0 - t * p).relu().mean()


# ---- the fused path for compile ----------------------------------------------------------

def from_logits_version(loss, activation) -> Callable | None:
    """The loss to compute from logits when a model's last activation is ``activation``
    and its loss is ``loss``: softmax with (sparse) categorical cross-entropy, or sigmoid
    with binary cross-entropy, give ``f(y_true, logits)``, fused and stable (as Keras on
    TensorFlow does). None when there is no such pairing.

    >>> f = from_logits_version("categorical_crossentropy", "softmax")
    >>> t = np.array([[0.0, 1.0]])
    >>> round(f(t, Value([[-1000.0, 1000.0]])).item(), 6)
    0.0
    """
    loss = get(loss)
    act = activations.get(activation)
    if isinstance(loss, _FunctionLoss):
        if loss.config.get("from_logits"):
            return None
        fn = type(loss).fn
    else:
        fn = loss
    pairs = {categorical_crossentropy: activations.softmax,
             sparse_categorical_crossentropy: activations.softmax,
             binary_crossentropy: activations.sigmoid}
    if pairs.get(fn) is not act:
        return None

    def fused(y_true, logits):
        return fn(y_true, logits, from_logits=True)
    fused.__name__ = f"{fn.__name__}_from_logits"
    return fused


# ---- Keras-style classes -----------------------------------------------------------------

class Loss(Configurable):
    """Base of the loss classes: ``loss(y_true, y_pred)`` returns the batch mean.

    >>> MeanSquaredError()(np.array([0.0]), Value([2.0])).item()
    4.0
    """

    name = "loss"

    def __call__(self, y_true, y_pred) -> Value:
        raise NotImplementedError

    def get_config(self) -> dict:
        """The constructor arguments."""
        return {"name": self.name}


class _FunctionLoss(Loss):
    """A loss class around one of the functions above."""

    fn: Callable = staticmethod(mean_squared_error)

    def __init__(self, name: str | None = None, **config):
        self.name = name or type(self).fn.__name__
        self.config = config

    def __call__(self, y_true, y_pred) -> Value:
        return type(self).fn(y_true, y_pred, **self.config)

    def get_config(self) -> dict:
        return {"name": self.name, **self.config}


class MeanSquaredError(_FunctionLoss):
    """The class form of :func:`mean_squared_error`.

    >>> MeanSquaredError()(np.array([1.0]), Value([3.0])).item()
    4.0
    """

    fn = staticmethod(mean_squared_error)

    def __init__(self, name: str = "mean_squared_error"):
        super().__init__(name)


class MeanAbsoluteError(_FunctionLoss):
    """The class form of :func:`mean_absolute_error`.

    >>> MeanAbsoluteError()(np.array([1.0]), Value([3.0])).item()
    2.0
    """

    fn = staticmethod(mean_absolute_error)

    def __init__(self, name: str = "mean_absolute_error"):
        super().__init__(name)


class BinaryCrossentropy(_FunctionLoss):
    """The class form of :func:`binary_crossentropy`.

    >>> round(BinaryCrossentropy(from_logits=True)(np.array([1.0]), Value([0.0])).item(), 4)
    0.6931
    """

    fn = staticmethod(binary_crossentropy)

    def __init__(self, from_logits: bool = False, name: str = "binary_crossentropy"):
        super().__init__(name, from_logits=bool(from_logits))


class CategoricalCrossentropy(_FunctionLoss):
    """The class form of :func:`categorical_crossentropy`.

    >>> loss = CategoricalCrossentropy(from_logits=True)
    >>> round(loss(np.array([[1.0, 0.0]]), Value([[0.0, 0.0]])).item(), 4)
    0.6931
    """

    fn = staticmethod(categorical_crossentropy)

    def __init__(self, from_logits: bool = False, name: str = "categorical_crossentropy"):
        super().__init__(name, from_logits=bool(from_logits))


class SparseCategoricalCrossentropy(_FunctionLoss):
    """The class form of :func:`sparse_categorical_crossentropy`.

    >>> loss = SparseCategoricalCrossentropy(from_logits=True)
    >>> round(loss(np.array([0]), Value([[0.0, 0.0]])).item(), 4)
    0.6931
    """

    fn = staticmethod(sparse_categorical_crossentropy)

    def __init__(self, from_logits: bool = False,
                 name: str = "sparse_categorical_crossentropy"):
        super().__init__(name, from_logits=bool(from_logits))


class Hinge(_FunctionLoss):
    """The class form of :func:`hinge`.

    >>> Hinge()(np.array([1.0]), Value([0.25])).item()
    0.75
    """

    fn = staticmethod(hinge)

    def __init__(self, name: str = "hinge"):
        super().__init__(name)


NAMES: dict[str, Callable] = {
    "mean_squared_error": mean_squared_error, "mse": mean_squared_error,
    "MSE": mean_squared_error,
    "mean_absolute_error": mean_absolute_error, "mae": mean_absolute_error,
    "MAE": mean_absolute_error,
    "binary_crossentropy": binary_crossentropy,
    "categorical_crossentropy": categorical_crossentropy,
    "sparse_categorical_crossentropy": sparse_categorical_crossentropy,
    "hinge": hinge,
}
_CLASSES = {c.__name__: c for c in (MeanSquaredError, MeanAbsoluteError, BinaryCrossentropy,
                                    CategoricalCrossentropy, SparseCategoricalCrossentropy,
                                    Hinge)}
_CATALOG = Catalog("loss", _CLASSES.values())


def get(identifier) -> Callable:
    """A loss from a Keras name ("mse", "categorical_crossentropy"), a class name, a
    config dict, a Loss instance or any callable(y_true, y_pred).

    >>> get("mse") is mean_squared_error
    True
    """
    if isinstance(identifier, str):
        if identifier in NAMES:
            return NAMES[identifier]
        if identifier in _CLASSES:
            return _CLASSES[identifier]()
        raise ValueError(f"unknown loss {identifier!r}; known names: "
                         f"{', '.join(NAMES)} (or the classes {', '.join(_CLASSES)})")
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, type) and issubclass(identifier, Loss):
        return identifier()
    if callable(identifier):
        return identifier
    raise ValueError(f"a loss must be a name such as 'mse', a Loss or a callable"
                     f"(y_true, y_pred); got {identifier!r}")


def serialize(loss) -> str | dict:
    """A built-in loss for JSON: its name for a function, ``{"class_name", "config"}`` for
    a class instance.

    >>> serialize(mse), serialize(BinaryCrossentropy(from_logits=True))["config"]
    ('mean_squared_error', {'name': 'binary_crossentropy', 'from_logits': True})
    """
    if isinstance(loss, Loss):
        return _CATALOG.serialize(loss)
    for name, fn in NAMES.items():
        if loss is fn:
            return name
    raise ValueError(f"only the built-in losses can be saved by name; got {loss!r}")


def deserialize(config) -> Callable:
    """The inverse of :func:`serialize`.

    >>> deserialize("mse") is mean_squared_error
    True
    >>> deserialize({"class_name": "Hinge", "config": {}})
    Hinge(name='hinge')
    """
    if isinstance(config, str):
        return get(config)
    return _CATALOG.deserialize(config)
