"""Weight initialisers, as Keras 3 defines them, drawing from ``nn.random``.

Each initialiser is a class called with a shape (and a dtype) that returns a
numpy array; Keras's string names resolve through :func:`get`::

    Dense(3, kernel_initializer="he_normal")
    Dense(3, kernel_initializer=HeNormal(seed=0))

``seed=None`` draws from the run's shared generator (seeded once by
``nn.set_random_seed``); an integer seed gives the same numbers at every call,
as in Keras. Fans: for a kernel of shape (in, out), fan_in = in and
fan_out = out.

The variance-scaling family (Glorot, He, LeCun) draws, with n = fan_in,
fan_out or their average:

- uniform: U(-limit, limit), limit = sqrt(3 scale / n), so Var = scale / n;
- normal: a normal truncated at 2 standard deviations and then re-drawn, with
  stddev = sqrt(scale / n) / 0.87962566103423978 before truncation, which
  makes the variance after truncation exactly scale / n (0.8796... is the
  standard deviation of a standard normal truncated to [-2, 2]).

``glorot_*``: scale 1, fan_avg (Glorot & Bengio 2010; PyTorch calls it
xavier). ``he_*``: scale 2, fan_in (He et al. 2015, for relu).
``lecun_*``: scale 1, fan_in (for selu).
"""

from __future__ import annotations

import math

import numpy as np

from . import random as _random
from .config import Catalog, Configurable

__all__ = [
    "Constant", "GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform", "Initializer",
    "LecunNormal", "LecunUniform", "Ones", "RandomNormal", "RandomUniform", "TruncatedNormal",
    "VarianceScaling", "Zeros", "compute_fans", "deserialize", "get", "serialize",
]

# The standard deviation of a standard normal truncated to [-2, 2] (as in Keras).
_TRUNCATED_STDDEV = 0.87962566103423978


class Initializer(Configurable):
    """Base class: ``init(shape, dtype="float32")`` returns a new numpy array.

    >>> Ones()((2,), dtype="float64")
    array([1., 1.])
    """

    def __call__(self, shape, dtype="float32") -> np.ndarray:
        raise NotImplementedError


def _shape(shape) -> tuple:
    return (int(shape),) if np.isscalar(shape) else tuple(int(n) for n in shape)


class Zeros(Initializer):
    """All zeros (Keras's default bias).

    >>> Zeros()((2, 2)).sum()
    np.float32(0.0)
    """

    def __call__(self, shape, dtype="float32") -> np.ndarray:
        return np.zeros(_shape(shape), dtype=dtype)


class Ones(Initializer):
    """All ones (BatchNormalization's gamma and moving variance).

    >>> Ones()((3,)).tolist()
    [1.0, 1.0, 1.0]
    """

    def __call__(self, shape, dtype="float32") -> np.ndarray:
        return np.ones(_shape(shape), dtype=dtype)


class Constant(Initializer):
    """Every element equal to ``value``.

    >>> Constant(0.5)((2,)).tolist()
    [0.5, 0.5]
    """

    def __init__(self, value: float = 0.0):
        self.value = float(value)

    def __call__(self, shape, dtype="float32") -> np.ndarray:
        return np.full(_shape(shape), self.value, dtype=dtype)

    def get_config(self) -> dict:
        return {"value": self.value}


class _Random(Initializer):
    """An initialiser that draws random numbers: ``seed=`` as in Keras."""

    def __init__(self, seed: int | None = None):
        if seed is not None and not isinstance(seed, (int, np.integer)):
            raise ValueError(f"seed must be an integer or None, got {seed!r}")
        self.seed = None if seed is None else int(seed)

    def _rng(self) -> np.random.Generator:
        return _random.generator(self.seed)

    def get_config(self) -> dict:
        return {"seed": self.seed}


class RandomUniform(_Random):
    """U(minval, maxval), by default U(-0.05, 0.05) as in Keras.

    >>> w = RandomUniform(-1.0, 1.0, seed=0)((1000,))
    >>> bool(w.min() >= -1 and w.max() < 1)
    True
    """

    def __init__(self, minval: float = -0.05, maxval: float = 0.05, seed: int | None = None):
        super().__init__(seed)
        self.minval, self.maxval = float(minval), float(maxval)

    def __call__(self, shape, dtype="float32") -> np.ndarray:
        return self._rng().uniform(self.minval, self.maxval, _shape(shape)).astype(dtype)

    def get_config(self) -> dict:
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed}


class RandomNormal(_Random):
    """N(mean, stddev²), by default stddev 0.05 as in Keras (not truncated).

    >>> round(float(RandomNormal(stddev=1.0, seed=0)((10000,)).std()), 1)
    1.0
    """

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed: int | None = None):
        super().__init__(seed)
        self.mean, self.stddev = float(mean), float(stddev)

    def __call__(self, shape, dtype="float32") -> np.ndarray:
        return self._rng().normal(self.mean, self.stddev, _shape(shape)).astype(dtype)

    def get_config(self) -> dict:
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


def _truncated_normal(rng, shape, mean, stddev, dtype):
    """N(mean, stddev²) with every draw farther than 2 stddev from the mean re-drawn."""
    n = math.prod(shape)
    kept = np.empty(0)
    while kept.size < n:
        batch = rng.normal(mean, stddev, n)
        kept = np.append(kept, batch[np.abs(batch - mean) <= 2 * stddev])
    return kept[:n].reshape(shape).astype(dtype)


class TruncatedNormal(RandomNormal):
    """N(mean, stddev²) with values beyond 2 stddev re-drawn (Keras's TruncatedNormal;
    ``stddev`` is before truncation, as there).

    >>> w = TruncatedNormal(stddev=1.0, seed=0)((1000,))
    >>> bool(abs(w).max() <= 2.0)
    True
    """

    def __call__(self, shape, dtype="float32") -> np.ndarray:
        return _truncated_normal(self._rng(), _shape(shape), self.mean, self.stddev, dtype)


def compute_fans(shape) -> tuple[float, float]:
    """(fan_in, fan_out) of a weight shape, as Keras computes them: (in, out) for a
    kernel, the size for a vector, and the receptive field times the channels for
    convolution kernels.

    >>> compute_fans((4, 3))
    (4, 3)
    """
    shape = _shape(shape)
    if len(shape) < 1:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    field = math.prod(shape[:-2])
    return shape[-2] * field, shape[-1] * field


class VarianceScaling(_Random):
    """Random weights with variance ``scale / n``, n chosen by ``mode`` ("fan_in",
    "fan_out", "fan_avg"); ``distribution`` "truncated_normal" (Keras's default),
    "untruncated_normal" or "uniform". The family behind Glorot, He and LeCun.

    >>> w = VarianceScaling(2.0, "fan_in", "uniform", seed=0)((500, 400))
    >>> round(float(w.var() * 500), 1)        # scale / fan_in
    2.0
    """

    _MODES = ("fan_in", "fan_out", "fan_avg")
    _DISTRIBUTIONS = ("truncated_normal", "untruncated_normal", "uniform")

    def __init__(self, scale: float = 1.0, mode: str = "fan_in",
                 distribution: str = "truncated_normal", seed: int | None = None):
        super().__init__(seed)
        if not scale > 0:
            raise ValueError(f"VarianceScaling needs scale > 0, got {scale!r}")
        if mode not in self._MODES:
            raise ValueError(f"VarianceScaling mode must be one of {self._MODES}, got {mode!r}")
        if distribution == "normal":             # Keras accepts the old spelling too
            distribution = "truncated_normal"
        if distribution not in self._DISTRIBUTIONS:
            raise ValueError(f"VarianceScaling distribution must be one of "
                             f"{self._DISTRIBUTIONS}, got {distribution!r}")
        self.scale, self.mode, self.distribution = float(scale), mode, distribution

    def __call__(self, shape, dtype="float32") -> np.ndarray:
        shape = _shape(shape)
        fan_in, fan_out = compute_fans(shape)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[self.mode]
        variance = self.scale / max(1.0, n)
        rng = self._rng()
        if self.distribution == "truncated_normal":
            stddev = math.sqrt(variance) / _TRUNCATED_STDDEV
            return _truncated_normal(rng, shape, 0.0, stddev, dtype)
        if self.distribution == "untruncated_normal":
            return rng.normal(0.0, math.sqrt(variance), shape).astype(dtype)
        limit = math.sqrt(3.0 * variance)
        return rng.uniform(-limit, limit, shape).astype(dtype)

    def get_config(self) -> dict:
        return {"scale": self.scale, "mode": self.mode, "distribution": self.distribution,
                "seed": self.seed}


class _Preset(VarianceScaling):
    """A named VarianceScaling whose only argument is the seed."""

    _PRESET: tuple = ()

    def __init__(self, seed: int | None = None):
        super().__init__(*self._PRESET, seed=seed)

    def get_config(self) -> dict:
        return {"seed": self.seed}


class GlorotUniform(_Preset):
    """U(-limit, limit), limit = sqrt(6 / (fan_in + fan_out)): Keras's default kernel.

    >>> w = GlorotUniform(seed=0)((4, 2))
    >>> bool(abs(w).max() <= (6 / 6) ** 0.5)
    True
    """

    _PRESET = (1.0, "fan_avg", "uniform")


class GlorotNormal(_Preset):
    """Truncated normal with variance 2 / (fan_in + fan_out).

    >>> GlorotNormal(seed=0)((4, 2)).shape
    (4, 2)
    """

    _PRESET = (1.0, "fan_avg", "truncated_normal")


class HeUniform(_Preset):
    """U(-limit, limit), limit = sqrt(6 / fan_in): for relu layers.

    >>> bool(abs(HeUniform(seed=0)((6, 2))).max() <= 1.0)
    True
    """

    _PRESET = (2.0, "fan_in", "uniform")


class HeNormal(_Preset):
    """Truncated normal with variance 2 / fan_in: for relu layers.

    >>> HeNormal(seed=0)((6, 2)).dtype
    dtype('float32')
    """

    _PRESET = (2.0, "fan_in", "truncated_normal")


class LecunUniform(_Preset):
    """U(-limit, limit), limit = sqrt(3 / fan_in).

    >>> bool(abs(LecunUniform(seed=0)((3, 2))).max() <= 1.0)
    True
    """

    _PRESET = (1.0, "fan_in", "uniform")


class LecunNormal(_Preset):
    """Truncated normal with variance 1 / fan_in (for selu).

    >>> LecunNormal(seed=0)((3, 2)).shape
    (3, 2)
    """

    _PRESET = (1.0, "fan_in", "truncated_normal")


_CLASSES = {c.__name__: c for c in (
    Zeros, Ones, Constant, RandomUniform, RandomNormal, TruncatedNormal, VarianceScaling,
    GlorotUniform, GlorotNormal, HeUniform, HeNormal, LecunUniform, LecunNormal)}

_CATALOG = Catalog("initializer", _CLASSES.values())
# Keras's string names; xavier_* are PyTorch's names for the Glorot pair (the normal one is
# Keras's truncated version here, with the same variance).
NAMES = {
    "zeros": Zeros, "ones": Ones, "constant": Constant,
    "random_uniform": RandomUniform, "uniform": RandomUniform,
    "random_normal": RandomNormal, "normal": RandomNormal,
    "truncated_normal": TruncatedNormal, "variance_scaling": VarianceScaling,
    "glorot_uniform": GlorotUniform, "glorot_normal": GlorotNormal,
    "xavier_uniform": GlorotUniform, "xavier_normal": GlorotNormal,
    "he_uniform": HeUniform, "he_normal": HeNormal,
    "lecun_uniform": LecunUniform, "lecun_normal": LecunNormal,
}


def get(identifier) -> Initializer | None:
    """An initialiser from a Keras name ("glorot_uniform"), a class name, a config dict
    ``{"class_name": ..., "config": ...}``, an instance, or any callable(shape, dtype).

    >>> get("he_normal")
    HeNormal(seed=None)
    """
    if identifier is None or isinstance(identifier, Initializer):
        return identifier
    if isinstance(identifier, str):
        cls = NAMES.get(identifier) or _CLASSES.get(identifier)
        if cls is None:
            raise ValueError(f"unknown initializer {identifier!r}; known names: "
                             f"{', '.join(sorted(NAMES))}")
        return cls()
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, type) and issubclass(identifier, Initializer):
        return identifier()
    if callable(identifier):
        return identifier
    raise ValueError(f"an initializer must be a name such as 'glorot_uniform', an "
                     f"Initializer or a callable(shape, dtype); got {identifier!r}")


def serialize(initializer: Initializer) -> dict:
    """``{"class_name": ..., "config": ...}`` for JSON, as Keras writes it.

    >>> serialize(Constant(2.0))
    {'class_name': 'Constant', 'config': {'value': 2.0}}
    """
    return _CATALOG.serialize(initializer)


def deserialize(config: dict) -> Initializer:
    """The inverse of :func:`serialize`.

    >>> deserialize({"class_name": "HeUniform", "config": {"seed": 3}})
    HeUniform(seed=3)
    """
    return _CATALOG.deserialize(config)
