"""Metrics as Keras computes them during ``fit`` and ``evaluate``, on numpy arrays.

A metric is a running mean over the batches of an epoch: ``update_state(y_true,
y_pred)`` adds one batch, ``result()`` gives the value so far, ``reset_state()``
starts over. Each sample counts once, so an epoch's value is the value over
all its samples whatever the batch sizes. Nothing here is differentiated: a
metric reads the predictions' numbers, it is never part of the graph.

"accuracy" (or "acc") means one of three metrics, chosen from the shapes of
the targets and the outputs as Keras 3 does, whatever the loss:

- one output column (``y_pred`` of shape (n, 1)): ``BinaryAccuracy``, ŷ > 0.5;
- integer labels (``y_true`` with one axis less than ``y_pred``, or shape
  (n, 1) against several columns): ``SparseCategoricalAccuracy``, argmax vs label;
- otherwise (one-hot rows): ``CategoricalAccuracy``, argmax of both.

So the slides' ``loss='binary_crossentropy', metrics=['accuracy']`` with three
sigmoid outputs and one-hot targets is categorical accuracy here, as in Keras 3
(Keras 2 picked binary accuracy from the loss there).

>>> import numpy as np
>>> m = get("accuracy", y_true=np.zeros((2, 3)), y_pred=np.zeros((2, 3)))
>>> type(m).__name__, m.name
('CategoricalAccuracy', 'accuracy')
>>> m.update_state(np.eye(3)[[0, 1]], np.array([[0.8, 0.1, 0.1], [0.6, 0.3, 0.1]]))
>>> m.result()
0.5
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from autograd import Value, no_grad

from . import losses as _losses

__all__ = [
    "BinaryAccuracy", "CategoricalAccuracy", "LossMetric", "MeanAbsoluteError",
    "MeanMetricWrapper", "MeanSquaredError", "Metric", "Precision", "Recall",
    "SparseCategoricalAccuracy", "binary_accuracy", "categorical_accuracy",
    "confusion_matrix", "get", "mae", "mean_absolute_error", "mean_squared_error", "mse",
    "sparse_categorical_accuracy",
]


def _array(a) -> np.ndarray:
    return np.asarray(a.data if isinstance(a, Value) else a)


def _aligned(y_true, y_pred) -> tuple[np.ndarray, np.ndarray]:
    """Targets and predictions of one shape: (n,) meets (n, 1), as Keras squeezes."""
    t, p = _array(y_true), _array(y_pred)
    if t.ndim == p.ndim - 1 and p.shape[-1:] == (1,):
        t = t.reshape(p.shape)
    elif p.ndim == t.ndim - 1 and t.shape[-1:] == (1,):
        p = p.reshape(t.shape)
    if t.shape != p.shape:
        raise ValueError(f"the metric needs y_true and y_pred of one shape, got {t.shape} "
                         f"and {p.shape}")
    return t, p


def _per_sample(values: np.ndarray) -> np.ndarray:
    return values.mean(axis=-1) if values.ndim > 1 else values


# ---- per-sample functions (Keras's metric functions) -------------------------------------

def binary_accuracy(y_true, y_pred, threshold: float = 0.5) -> np.ndarray:
    """Per sample, the fraction of outputs on the right side of ``threshold``.

    >>> binary_accuracy(np.array([[1.0], [0.0]]), np.array([[0.7], [0.6]]))
    array([1., 0.])
    """
    t, p = _aligned(y_true, y_pred)
    return _per_sample((t == (p > threshold)).astype(np.float64))


def categorical_accuracy(y_true, y_pred) -> np.ndarray:
    """Per sample, 1 where the largest output is the target row's largest entry.

    >>> categorical_accuracy(np.eye(2), np.array([[0.9, 0.1], [0.8, 0.2]]))
    array([1., 0.])
    """
    t, p = _array(y_true), _array(y_pred)
    return (t.argmax(axis=-1) == p.argmax(axis=-1)).astype(np.float64)


def sparse_categorical_accuracy(y_true, y_pred) -> np.ndarray:
    """Per sample, 1 where the largest output is at the integer label.

    >>> sparse_categorical_accuracy(np.array([0, 0]), np.array([[0.9, 0.1], [0.2, 0.8]]))
    array([1., 0.])
    """
    t, p = _array(y_true), _array(y_pred)
    if t.ndim == p.ndim:
        t = t.reshape(t.shape[:-1])
    return (t == p.argmax(axis=-1)).astype(np.float64)


def mean_squared_error(y_true, y_pred) -> np.ndarray:
    """Per sample, the mean squared difference over the outputs. Alias ``mse``.

    >>> mean_squared_error(np.array([[1.0, 2.0]]), np.array([[1.0, 4.0]]))
    array([2.])
    """
    t, p = _aligned(y_true, y_pred)
    return _per_sample(np.square(p - t, dtype=np.float64))


def mean_absolute_error(y_true, y_pred) -> np.ndarray:
    """Per sample, the mean absolute difference over the outputs. Alias ``mae``.

    >>> mean_absolute_error(np.array([[1.0, 2.0]]), np.array([[1.0, 4.0]]))
    array([1.])
    """
    t, p = _aligned(y_true, y_pred)
    return _per_sample(np.abs(p - t, dtype=np.float64))


mse = mean_squared_error
mae = mean_absolute_error


def confusion_matrix(y_true, y_pred, num_classes: int | None = None) -> np.ndarray:
    """Counts ``M[i, j]`` of samples of class i predicted as class j (rows: truth), the
    layout of scikit-learn's ``confusion_matrix``. Labels are integers; one-hot rows or
    predicted probabilities are turned into labels by argmax.

    >>> confusion_matrix([0, 1, 1, 2], [0, 1, 2, 2])
    array([[1, 0, 0],
           [0, 1, 1],
           [0, 0, 1]])
    """
    t, p = np.asarray(y_true), np.asarray(y_pred)
    t = t.argmax(axis=-1) if t.ndim == 2 else t
    p = p.argmax(axis=-1) if p.ndim == 2 else p
    if t.shape != p.shape or t.ndim != 1:
        raise ValueError(f"confusion_matrix needs one label per sample on both sides, got "
                         f"shapes {np.shape(y_true)} and {np.shape(y_pred)}")
    t, p = t.astype(np.int64), p.astype(np.int64)
    if t.size and min(t.min(), p.min()) < 0:
        raise ValueError("confusion_matrix needs labels 0, 1, 2, ...; got a negative one")
    k = num_classes if num_classes is not None else (int(max(t.max(), p.max())) + 1
                                                     if t.size else 0)
    return np.bincount(t * k + p, minlength=k * k).reshape(k, k)


# ---- stateful metrics --------------------------------------------------------------------

class Metric:
    """Base class: a value accumulated over batches.

    ``direction`` says whether larger is better ("up", accuracy) or smaller ("down",
    errors); EarlyStopping's ``mode="auto"`` reads it.

    >>> m = MeanSquaredError()
    >>> m.update_state(np.array([0.0, 0.0]), np.array([1.0, 3.0]))
    >>> m.update_state(np.array([0.0]), np.array([2.0]))
    >>> m.result()                                   # (1 + 9 + 4) / 3
    4.666666666666667
    """

    direction = "up"

    def __init__(self, name: str | None = None):
        self.name = name or _default_name(type(self))
        self.reset_state()

    def reset_state(self) -> None:
        """Forget every batch seen (fit calls it at the start of each epoch)."""
        self._total = 0.0
        self._count = 0.0

    def update_state(self, y_true, y_pred) -> None:
        """Add one batch."""
        raise NotImplementedError

    def result(self) -> float:
        """The value over the batches seen (0 before any)."""
        return float(self._total / self._count) if self._count else 0.0

    def __call__(self, y_true, y_pred) -> float:
        """Add one batch and return the result (as a Keras metric does)."""
        self.update_state(y_true, y_pred)
        return self.result()

    def get_config(self) -> dict:
        """The constructor arguments."""
        return {"name": self.name}

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r})"


def _default_name(cls: type) -> str:
    import re
    return re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower()


class MeanMetricWrapper(Metric):
    """The mean over samples of ``fn(y_true, y_pred)``, a function giving one number per
    sample (or one per batch, then weighted by the batch size).

    >>> m = MeanMetricWrapper(categorical_accuracy, name="acc")
    >>> m(np.eye(2), np.array([[0.9, 0.1], [0.8, 0.2]]))
    0.5
    """

    def __init__(self, fn: Callable, name: str | None = None, direction: str = "up"):
        self.fn = fn
        self.direction = direction
        super().__init__(name or getattr(fn, "__name__", "metric"))

    def update_state(self, y_true, y_pred) -> None:
        values = _array(self.fn(y_true, y_pred))
        n = len(_array(y_pred)) if np.ndim(y_pred) else 1
        if values.ndim == 0:
            self._total += float(values) * n
            self._count += n
        else:
            self._total += float(values.sum())
            self._count += values.size


class BinaryAccuracy(Metric):
    """The fraction of outputs on the right side of ``threshold`` (0.5): ŷ > 0.5 counts as
    class 1.

    >>> BinaryAccuracy()(np.array([1.0, 0.0, 1.0]), np.array([0.9, 0.2, 0.4]))
    0.6666666666666666
    """

    def __init__(self, name: str = "binary_accuracy", threshold: float = 0.5):
        self.threshold = float(threshold)
        super().__init__(name)

    def update_state(self, y_true, y_pred) -> None:
        t, p = _aligned(y_true, y_pred)
        columns = p.shape[-1] if p.ndim > 1 else 1
        self._total += np.count_nonzero(t == (p > self.threshold)) / columns
        self._count += p.size / columns


class CategoricalAccuracy(Metric):
    """The fraction of samples whose largest output is at the one-hot target's 1.

    >>> CategoricalAccuracy()(np.eye(3), np.eye(3)[[0, 2, 1]])
    0.3333333333333333
    """

    def __init__(self, name: str = "categorical_accuracy"):
        super().__init__(name)

    def update_state(self, y_true, y_pred) -> None:
        t, p = _array(y_true), _array(y_pred)
        self._total += np.count_nonzero(t.argmax(axis=-1) == p.argmax(axis=-1))
        self._count += p.size // p.shape[-1]


class SparseCategoricalAccuracy(Metric):
    """The fraction of samples whose largest output is at their integer label.

    >>> SparseCategoricalAccuracy()(np.array([0, 2, 1]), np.eye(3)[[0, 2, 2]])
    0.6666666666666666
    """

    def __init__(self, name: str = "sparse_categorical_accuracy"):
        super().__init__(name)

    def update_state(self, y_true, y_pred) -> None:
        t, p = _array(y_true), _array(y_pred)
        if t.ndim == p.ndim:
            t = t.reshape(t.shape[:-1])
        self._total += np.count_nonzero(t == p.argmax(axis=-1))
        self._count += t.size


class MeanSquaredError(Metric):
    """The mean squared difference over every output of every sample.

    >>> MeanSquaredError()(np.array([[0.0, 1.0]]), np.array([[1.0, 1.0]]))
    0.5
    """

    direction = "down"

    def __init__(self, name: str = "mean_squared_error"):
        super().__init__(name)

    def update_state(self, y_true, y_pred) -> None:
        t, p = _aligned(y_true, y_pred)
        d = p - t
        columns = p.shape[-1] if p.ndim > 1 else 1
        self._total += float(np.vdot(d, d)) / columns
        self._count += p.size / columns


class MeanAbsoluteError(Metric):
    """The mean absolute difference over every output of every sample.

    >>> MeanAbsoluteError()(np.array([[0.0, 1.0]]), np.array([[1.0, 1.0]]))
    0.5
    """

    direction = "down"

    def __init__(self, name: str = "mean_absolute_error"):
        super().__init__(name)

    def update_state(self, y_true, y_pred) -> None:
        t, p = _aligned(y_true, y_pred)
        columns = p.shape[-1] if p.ndim > 1 else 1
        self._total += float(np.abs(p - t).sum()) / columns
        self._count += p.size / columns


class _Confusion(Metric):
    """Counts of true/false positives over every output, with ŷ > threshold as positive."""

    def __init__(self, name: str | None = None, threshold: float = 0.5):
        self.threshold = float(threshold)
        super().__init__(name)

    def reset_state(self) -> None:
        self.true_positives = self.false_positives = self.false_negatives = 0

    def update_state(self, y_true, y_pred) -> None:
        t, p = _aligned(y_true, y_pred)
        positive, actual = p > self.threshold, t.astype(bool)
        self.true_positives += int(np.count_nonzero(positive & actual))
        self.false_positives += int(np.count_nonzero(positive & ~actual))
        self.false_negatives += int(np.count_nonzero(~positive & actual))


class Precision(_Confusion):
    """TP / (TP + FP): of the outputs predicted positive (ŷ > 0.5), the fraction that are.

    >>> Precision()(np.array([1, 0, 1, 1]), np.array([0.9, 0.8, 0.2, 0.7]))
    0.6666666666666666
    """

    def result(self) -> float:
        predicted = self.true_positives + self.false_positives
        return self.true_positives / predicted if predicted else 0.0


class Recall(_Confusion):
    """TP / (TP + FN): of the actual positives, the fraction predicted positive.

    >>> Recall()(np.array([1, 0, 1, 1]), np.array([0.9, 0.8, 0.2, 0.7]))
    0.6666666666666666
    """

    def result(self) -> float:
        actual = self.true_positives + self.false_negatives
        return self.true_positives / actual if actual else 0.0


class LossMetric(Metric):
    """A loss of ``nn.losses`` (by name or function) reported as a metric, e.g.
    ``metrics=["binary_crossentropy"]`` beside an mse loss.

    >>> m = LossMetric("binary_crossentropy")
    >>> round(m(np.array([1.0, 0.0]), np.array([0.8, 0.4])), 4)
    0.367
    """

    direction = "down"

    def __init__(self, loss, name: str | None = None):
        self.loss = _losses.get(loss)
        super().__init__(name or (loss if isinstance(loss, str) else
                                  getattr(self.loss, "__name__", "loss")))

    def update_state(self, y_true, y_pred) -> None:
        p = _array(y_pred)
        with no_grad():
            value = self.loss(y_true, p)
        n = len(p) if p.ndim else 1
        self._total += float(_array(value)) * n
        self._count += n


_CLASSES = {c.__name__: c for c in (BinaryAccuracy, CategoricalAccuracy,
                                    SparseCategoricalAccuracy, MeanSquaredError,
                                    MeanAbsoluteError, Precision, Recall)}
NAMES: dict[str, type] = {
    "binary_accuracy": BinaryAccuracy, "categorical_accuracy": CategoricalAccuracy,
    "sparse_categorical_accuracy": SparseCategoricalAccuracy,
    "mean_squared_error": MeanSquaredError, "mse": MeanSquaredError,
    "mean_absolute_error": MeanAbsoluteError, "mae": MeanAbsoluteError,
    "precision": Precision, "recall": Recall,
}
_LOSS_NAMES = ("binary_crossentropy", "categorical_crossentropy",
               "sparse_categorical_crossentropy", "hinge")


def accuracy_for(y_true_shape: tuple, y_pred_shape: tuple) -> type:
    """Which accuracy "accuracy" means for these shapes (Keras 3's rule).

    >>> accuracy_for((150,), (150, 3)).__name__, accuracy_for((150, 1), (150, 1)).__name__
    ('SparseCategoricalAccuracy', 'BinaryAccuracy')
    """
    if y_pred_shape[-1:] == (1,):
        return BinaryAccuracy
    if len(y_true_shape) < len(y_pred_shape) or (y_true_shape[-1:] == (1,)
                                                 and y_pred_shape[-1] > 1):
        return SparseCategoricalAccuracy
    return CategoricalAccuracy


def get(identifier, y_true=None, y_pred=None) -> Metric:
    """A new metric from a name ("accuracy", "acc", "mse", "precision", a loss name ...),
    a Metric class or instance, or a function ``fn(y_true, y_pred)`` giving per-sample
    values. "accuracy" needs example targets and predictions (their shapes choose the
    form); ``compile`` passes them.

    >>> get("mse").name, get("mean_absolute_error").name
    ('mse', 'mean_absolute_error')
    """
    if isinstance(identifier, Metric):
        return identifier
    if isinstance(identifier, type) and issubclass(identifier, Metric):
        return identifier()
    if isinstance(identifier, str):
        if identifier.lower() in ("accuracy", "acc"):
            if y_true is None or y_pred is None:
                raise ValueError(f"metric {identifier!r} is chosen from the shapes of the "
                                 f"targets and outputs: pass y_true and y_pred")
            return accuracy_for(np.shape(y_true), np.shape(y_pred))(name=identifier)
        if identifier in NAMES:
            return NAMES[identifier](name=identifier)
        if identifier in _CLASSES:
            return _CLASSES[identifier]()
        if identifier in _LOSS_NAMES:
            return LossMetric(identifier)
        raise ValueError(f"unknown metric {identifier!r}; known names: accuracy, acc, "
                         f"{', '.join(NAMES)}, {', '.join(_LOSS_NAMES)}")
    if callable(identifier):
        return MeanMetricWrapper(identifier)
    raise ValueError(f"a metric must be a name such as 'accuracy', a Metric or a function "
                     f"(y_true, y_pred); got {identifier!r}")
