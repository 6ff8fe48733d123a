"""Data sets: Iris and the 8x8 digits (bundled with scikit-learn), and 2-D toy sets.

Every function returns ``(X, y)``: ``X`` a float array of shape (n, features)
(float32 by default, the dtype of nn's layers), ``y`` integer labels 0, 1, ...
Nothing is ever downloaded.
"""

from __future__ import annotations

import numpy as np

from .. import random as _random

__all__ = ["load_digits", "load_iris", "make_circles", "make_moons", "make_spirals",
           "make_xor"]


# ---- the course's data sets, from scikit-learn's bundled copies --------------------------

def load_iris(*, return_names: bool = False, dtype=np.float32):
    """Fisher's Iris: 150 flowers, 4 measurements (cm), 3 species labelled 0, 1, 2.

    With ``return_names=True`` also the feature and class names:
    ``X, y, feature_names, class_names``. Reads the copy that ships with
    scikit-learn (``pip install scikit-learn``); nothing is downloaded.

    >>> X, y = load_iris()
    >>> X.shape, X.dtype, sorted(set(y.tolist()))
    ((150, 4), dtype('float32'), [0, 1, 2])
    """
    return _bundled("load_iris", return_names, dtype)


def load_digits(*, return_names: bool = False, dtype=np.float32):
    """The 8x8 hand-written digits (UCI optdigits test set): 1797 images, 64 pixels
    with values 0..16, labels 0..9.

    ``X[i].reshape(8, 8)`` is the image. With ``return_names=True`` also the
    feature and class names: ``X, y, feature_names, class_names``. Reads the copy
    that ships with scikit-learn (``pip install scikit-learn``); nothing is
    downloaded.

    >>> X, y = load_digits()
    >>> X.shape, int(X.max()), sorted(set(y.tolist())) == list(range(10))
    ((1797, 64), 16, True)
    """
    return _bundled("load_digits", return_names, dtype)


def _bundled(name: str, return_names: bool, dtype):
    try:
        from sklearn import datasets
    except ImportError:
        raise ImportError(f"nn.data.{name}() reads the copy of the data set that ships with "
                          f"scikit-learn (no download), which is not installed: "
                          f"pip install scikit-learn  (or pip install 'gradiente[data]')"
                          ) from None
    bunch = getattr(datasets, name)()
    X = np.asarray(bunch.data, dtype=dtype)
    y = np.asarray(bunch.target, dtype=np.int64)
    if return_names:
        return X, y, [str(f) for f in bunch.feature_names], [str(c) for c in bunch.target_names]
    return X, y


# ---- 2-D toy sets, for the playground-style lessons -----------------------------------------

def make_xor(n: int = 200, noise: float = 0.1, seed: int | None = 0, *, dtype=np.float32):
    """XOR: points around the four corners of the unit square, label x₁ XOR x₂.

    The corners (0, 0) and (1, 1) are class 0, (0, 1) and (1, 0) class 1, each
    with about n/4 points and Gaussian noise of standard deviation ``noise``
    (``noise=0`` repeats the truth table exactly). No straight line separates the
    classes: a perceptron cannot learn it, one hidden layer can.

    >>> X, y = make_xor(8, noise=0)
    >>> sorted({(int(a), int(b), int(c)) for (a, b), c in zip(X, y)})
    [(0, 0, 0), (0, 1, 1), (1, 0, 1), (1, 1, 0)]
    """
    rng = _toy_rng("make_xor", n, noise, seed)
    corner = np.arange(n) % 4
    bits = np.stack([corner // 2, corner % 2], axis=1).astype(np.float64)
    X = bits + rng.normal(scale=noise, size=(n, 2)) if noise else bits
    y = (bits[:, 0] != bits[:, 1]).astype(np.int64)
    return _shuffled(X, y, rng, dtype)


def make_moons(n: int = 200, noise: float = 0.1, seed: int | None = 0, *, dtype=np.float32):
    """Two interleaving half circles (as scikit-learn's ``make_moons``), labels 0 and 1.

    Class 0 is the upper half circle of radius 1 around (0, 0), class 1 the lower
    one around (1, 0.5); ``noise`` is the standard deviation of the Gaussian noise.

    >>> X, y = make_moons(100, noise=0.0)
    >>> X.shape, int(y.sum())
    ((100, 2), 50)
    """
    rng = _toy_rng("make_moons", n, noise, seed)
    n_outer = n // 2
    t_outer = np.linspace(0, np.pi, n_outer)
    t_inner = np.linspace(0, np.pi, n - n_outer)
    X = np.concatenate([np.stack([np.cos(t_outer), np.sin(t_outer)], axis=1),
                        np.stack([1 - np.cos(t_inner), 0.5 - np.sin(t_inner)], axis=1)])
    y = np.repeat([0, 1], [n_outer, n - n_outer])
    if noise:
        X = X + rng.normal(scale=noise, size=X.shape)
    return _shuffled(X, y, rng, dtype)


def make_circles(n: int = 200, noise: float = 0.1, seed: int | None = 0, *,
                 factor: float = 0.5, dtype=np.float32):
    """A circle inside a circle (as scikit-learn's ``make_circles``), labels 0 and 1.

    Class 0 lies on the circle of radius 1, class 1 on the circle of radius
    ``factor``, both around (0, 0), with Gaussian noise of standard deviation
    ``noise``.

    >>> X, y = make_circles(100, noise=0.0)
    >>> np.allclose(np.hypot(X[:, 0], X[:, 1]), np.where(y == 0, 1.0, 0.5))
    True
    """
    if not 0 < factor < 1:
        raise ValueError(f"make_circles: factor (the inner radius) must be in (0, 1), got "
                         f"{factor!r}")
    rng = _toy_rng("make_circles", n, noise, seed)
    n_outer = n // 2
    t_outer = np.linspace(0, 2 * np.pi, n_outer, endpoint=False)
    t_inner = np.linspace(0, 2 * np.pi, n - n_outer, endpoint=False)
    X = np.concatenate([np.stack([np.cos(t_outer), np.sin(t_outer)], axis=1),
                        factor * np.stack([np.cos(t_inner), np.sin(t_inner)], axis=1)])
    y = np.repeat([0, 1], [n_outer, n - n_outer])
    if noise:
        X = X + rng.normal(scale=noise, size=X.shape)
    return _shuffled(X, y, rng, dtype)


def make_spirals(n: int = 200, noise: float = 0.1, seed: int | None = 0, *,
                 classes: int = 2, turns: float = 1.0, dtype=np.float32):
    """Interleaved spirals (as in TensorFlow Playground), one arm per class.

    Each arm starts at the centre and winds ``turns`` times out to radius 1; arm k
    is rotated by 2πk/classes. ``noise`` is the standard deviation of the Gaussian
    noise added to each point.

    >>> X, y = make_spirals(300, classes=3)
    >>> X.shape, np.bincount(y).tolist()
    ((300, 2), [100, 100, 100])
    """
    if isinstance(classes, bool) or not isinstance(classes, int) or classes < 2:
        raise ValueError(f"make_spirals: classes must be an integer >= 2, got {classes!r}")
    rng = _toy_rng("make_spirals", n, noise, seed)
    y = np.arange(n) % classes
    order = np.arange(n) // classes                  # position along the arm
    per_arm = np.bincount(y, minlength=classes)
    r = (order + 1) / per_arm[y]                      # radius from the centre (0, 1]
    angle = 2 * np.pi * (turns * r + y / classes)
    X = np.stack([r * np.cos(angle), r * np.sin(angle)], axis=1)
    if noise:
        X = X + rng.normal(scale=noise, size=X.shape)
    return _shuffled(X, y.astype(np.int64), rng, dtype)


def _toy_rng(name: str, n, noise, seed) -> np.random.Generator:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"{name}: n (the number of samples) must be an integer >= 1, "
                         f"got {n!r}")
    if not isinstance(noise, (int, float, np.floating)) or not noise >= 0:
        raise ValueError(f"{name}: noise (a standard deviation) must be a number >= 0, "
                         f"got {noise!r}")
    return _random.generator(seed)


def _shuffled(X, y, rng, dtype):
    order = rng.permutation(len(y))
    return np.asarray(X[order], dtype=dtype), np.asarray(y[order], dtype=np.int64)
