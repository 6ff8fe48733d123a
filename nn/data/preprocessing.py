"""Preparing data: one-hot targets, train/validation/test splits, standardisation."""

from __future__ import annotations

import math

import numpy as np

from .. import random as _random

__all__ = ["StandardScaler", "one_hot", "train_test_split", "train_val_test_split"]


# ---- targets ---------------------------------------------------------------------------------

def one_hot(y, num_classes: int | None = None, *, dtype=np.float32) -> np.ndarray:
    """Integer labels as one-hot rows (Keras's ``to_categorical``, sklearn's LabelBinarizer).

    ``num_classes`` defaults to ``max(y) + 1``. Labels may be integer-valued floats
    (``2.0``); a trailing axis of size 1 is dropped, so (n, 1) labels give (n, C).

    >>> one_hot([0, 2, 1])
    array([[1., 0., 0.],
           [0., 0., 1.],
           [0., 1., 0.]], dtype=float32)
    """
    y = np.asarray(y)
    if y.ndim >= 2 and y.shape[-1] == 1:
        y = y[..., 0]
    if y.dtype.kind == "f":
        if not np.all(np.isfinite(y)) or np.any(y != np.round(y)):
            bad = y[~np.isfinite(y) | (y != np.round(np.nan_to_num(y)))].ravel()[0]
            raise ValueError(f"one_hot needs integer class labels, got {float(bad)!r}: labels "
                             f"are 0, 1, 2, ... (are these already one-hot or "
                             f"probabilities?)")
    elif y.dtype.kind not in "iub":
        raise ValueError(f"one_hot needs integer class labels, got an array of dtype "
                         f"{y.dtype}")
    y = y.astype(np.int64)
    if y.size and y.min() < 0:
        raise ValueError(f"one_hot: class labels must be >= 0, got {int(y.min())}")
    top = int(y.max()) + 1 if y.size else 0
    if num_classes is None:
        num_classes = top
    elif top > num_classes:
        raise ValueError(f"one_hot: label {top - 1} does not fit num_classes={num_classes} "
                         f"(labels go from 0 to num_classes - 1)")
    out = np.zeros((*y.shape, num_classes), dtype=dtype)
    np.put_along_axis(out, y[..., None], 1, axis=-1)
    return out


# ---- splits ----------------------------------------------------------------------------------

def train_test_split(X, y, test_size: float = 0.25, stratify=False, seed: int | None = 0):
    """Shuffle and split into ``(X_train, X_test, y_train, y_test)``, as scikit-learn.

    ``test_size`` is a fraction of the samples (rounded up, as scikit-learn) or a
    number of samples. ``stratify=True`` keeps the class proportions of ``y`` in
    both parts (as ``StratifiedShuffleSplit``); it may also be an array of labels
    to stratify on. ``seed`` makes the split reproducible (None: the run's
    generator, see ``nn.set_random_seed``).

    >>> X, y = np.arange(20).reshape(10, 2), np.array([0] * 6 + [1] * 4)
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.5,
    ...                                                     stratify=True)
    >>> X_train.shape, np.bincount(y_test).tolist()
    ((5, 2), [3, 2])
    """
    X, y = _check_xy("train_test_split", X, y)
    n_test = _count("train_test_split", "test_size", test_size, len(y))
    train, test = _split(len(y), [n_test], _labels(stratify, y), _random.generator(seed),
                         "train_test_split")
    return X[train], X[test], y[train], y[test]


def train_val_test_split(X, y, val_size: float = 0.15, test_size: float = 0.15,
                         stratify=False, seed: int | None = 0):
    """Shuffle and split into ``(X_train, X_val, X_test, y_train, y_val, y_test)``.

    As :func:`train_test_split`, with a validation part too: tune on the
    validation set, report on the test set once.

    >>> X, y = np.zeros((100, 3)), np.arange(100) % 2
    >>> parts = train_val_test_split(X, y, val_size=0.2, test_size=0.1, stratify=True)
    >>> [len(p) for p in parts[3:]], np.bincount(parts[4]).tolist()
    ([70, 20, 10], [10, 10])
    """
    X, y = _check_xy("train_val_test_split", X, y)
    n = len(y)
    n_val = _count("train_val_test_split", "val_size", val_size, n)
    n_test = _count("train_val_test_split", "test_size", test_size, n)
    if n_val + n_test >= n:
        raise ValueError(f"train_val_test_split: val_size and test_size leave no training "
                         f"samples ({n_val} + {n_test} of {n})")
    train, val, test = _split(n, [n_val, n_test], _labels(stratify, y),
                              _random.generator(seed), "train_val_test_split")
    return X[train], X[val], X[test], y[train], y[val], y[test]


def _check_xy(name, X, y):
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim == 0 or y.ndim == 0:
        raise ValueError(f"{name}: X and y must be arrays of samples, got shapes {X.shape} "
                         f"and {y.shape}")
    if len(X) != len(y):
        raise ValueError(f"{name}: X has {len(X)} samples but y has {len(y)}")
    return X, y


def _count(name, what, size, n) -> int:
    """How many samples a fraction (rounded up) or a count of ``n`` stands for."""
    if isinstance(size, (float, np.floating)) and 0 < size < 1:
        k = math.ceil(size * n)
    elif isinstance(size, (int, np.integer)) and not isinstance(size, bool) and 0 < size < n:
        k = int(size)
    else:
        raise ValueError(f"{name}: {what} must be a fraction in (0, 1) or a number of "
                         f"samples in [1, {n - 1}], got {size!r}")
    if not 0 < k < n:
        raise ValueError(f"{name}: {what}={size!r} of {n} samples leaves no sample on one "
                         f"side")
    return k


def _labels(stratify, y):
    if stratify is False or stratify is None:
        return None
    labels = y if stratify is True else np.asarray(stratify)
    if len(labels) != len(y):
        raise ValueError(f"stratify has {len(labels)} labels for {len(y)} samples")
    if labels.ndim == 2:                              # one-hot targets: stratify on the class
        labels = labels.argmax(axis=1)
    return labels


def _split(n, held_out, labels, rng, name):
    """Index arrays [train, *held_out parts]: shuffled, of the sizes in ``held_out``."""
    if labels is None:
        order = rng.permutation(n)
        parts, start = [], 0
        for k in held_out:
            parts.append(order[start:start + k])
            start += k
        return [order[start:], *parts]
    classes, inverse = np.unique(labels, return_inverse=True)
    counts = np.bincount(inverse)
    if counts.min() < 2:
        raise ValueError(f"{name}: class {classes[counts.argmin()].item()!r} has only "
                         f"{counts.min()} sample, too few to stratify (each class needs at "
                         f"least 2)")
    for k in held_out:
        if k < len(classes):
            raise ValueError(f"{name}: a stratified part of {k} samples cannot hold all "
                             f"{len(classes)} classes; make it larger")
    members = [rng.permutation(np.flatnonzero(inverse == c)) for c in range(len(classes))]
    left = counts.copy()
    taken = np.zeros_like(counts)
    parts = []
    for k in held_out:                                # each part in proportion to the classes
        share = _largest_remainder(left, k)
        parts.append(np.concatenate([m[t:t + s] for m, t, s in zip(members, taken, share,
                                                                   strict=True)]))
        taken += share
        left -= share
    train = np.concatenate([m[t:] for m, t in zip(members, taken, strict=True)])
    return [rng.permutation(p) for p in [train, *parts]]


def _largest_remainder(counts: np.ndarray, total: int) -> np.ndarray:
    """Integers proportional to ``counts`` that add up to ``total`` (Hamilton's method)."""
    quota = counts * total / counts.sum()
    share = np.floor(quota).astype(np.int64)
    extra = total - share.sum()
    by_remainder = np.lexsort((-counts, -(quota - share)))   # largest remainder first
    share[by_remainder[:extra]] += 1
    return share


# ---- standardisation -----------------------------------------------------------------------

class StandardScaler:
    """Standardise features: z = (x − mean) / std, with the training set's statistics.

    ``fit`` on the training data only, then ``transform`` the validation and test
    data with the same mean and std, as the course says (and scikit-learn's
    ``StandardScaler`` does). A constant feature is centred but not divided
    (its scale is 1), so it never divides by zero. ``std`` is the population
    standard deviation (ddof=0), as in scikit-learn.

    >>> scaler = StandardScaler()
    >>> scaler.fit_transform(np.array([[1.0, 5.0], [3.0, 5.0]]))
    array([[-1.,  0.],
           [ 1.,  0.]])
    >>> scaler.transform(np.array([[5.0, 6.0]]))          # training statistics reused
    array([[3., 1.]])
    """

    def __init__(self, *, with_mean: bool = True, with_std: bool = True):
        self.with_mean = with_mean
        self.with_std = with_std
        self.mean_: np.ndarray | None = None
        self.var_: np.ndarray | None = None
        self.scale_: np.ndarray | None = None
        self.n_features_in_: int | None = None
        self.n_samples_seen_: int | None = None

    def fit(self, X) -> StandardScaler:
        """Learn each feature's mean and standard deviation from ``X`` (n, features)."""
        X = self._check(X, fitting=True)
        X64 = X.astype(np.float64)
        self.n_features_in_ = X.shape[1]
        self.n_samples_seen_ = X.shape[0]
        self.mean_ = X64.mean(axis=0)
        self.var_ = X64.var(axis=0)
        std = np.sqrt(self.var_)
        constant = std < 10 * np.finfo(np.float64).eps * np.maximum(1.0, np.abs(self.mean_))
        self.scale_ = np.where(constant, 1.0, std)
        return self

    def transform(self, X) -> np.ndarray:
        """``(X − mean_) / scale_``, with the statistics learnt by ``fit``."""
        X = self._check(X)
        out = X.astype(_float_dtype(X), copy=True)
        if self.with_mean:
            out -= self.mean_.astype(out.dtype)
        if self.with_std:
            out /= self.scale_.astype(out.dtype)
        return out

    def fit_transform(self, X) -> np.ndarray:
        """``fit(X)`` then ``transform(X)``."""
        return self.fit(X).transform(X)

    def inverse_transform(self, Z) -> np.ndarray:
        """Back to the original units: ``Z · scale_ + mean_``."""
        Z = self._check(Z)
        out = Z.astype(_float_dtype(Z), copy=True)
        if self.with_std:
            out *= self.scale_.astype(out.dtype)
        if self.with_mean:
            out += self.mean_.astype(out.dtype)
        return out

    def _check(self, X, fitting: bool = False) -> np.ndarray:
        X = np.asarray(X)
        if X.ndim != 2:
            hint = " (one feature: X.reshape(-1, 1))" if X.ndim == 1 else ""
            raise ValueError(f"StandardScaler expects a 2-D array (samples, features), got "
                             f"shape {X.shape}{hint}")
        if X.dtype.kind not in "fiub":
            raise ValueError(f"StandardScaler expects numbers, got dtype {X.dtype}")
        if not np.all(np.isfinite(X)):
            raise ValueError("StandardScaler: X contains NaN or infinity; fill or drop "
                             "those values first")
        if fitting:
            if len(X) == 0:
                raise ValueError("StandardScaler.fit needs at least one sample")
            return X
        if self.mean_ is None:
            raise RuntimeError("this StandardScaler is not fitted yet: call "
                               "fit(X_train) first, then transform the other sets")
        if X.shape[1] != self.n_features_in_:
            raise ValueError(f"StandardScaler was fitted on {self.n_features_in_} features, "
                             f"got shape {X.shape}")
        return X

    def __repr__(self) -> str:
        state = "unfitted" if self.mean_ is None else f"{self.n_features_in_} features"
        return f"StandardScaler({state})"


def _float_dtype(X: np.ndarray):
    return X.dtype if X.dtype.kind == "f" else np.float64
