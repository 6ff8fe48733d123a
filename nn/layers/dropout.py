"""``Dropout``: inverted dropout, active only in training mode."""

from __future__ import annotations

from autograd import Value

from .. import random as _random
from .base import Layer

__all__ = ["Dropout"]


class Dropout(Layer):
    """Sets a random fraction ``rate`` of its inputs to 0 in training mode and scales the
    kept ones by 1/(1 - rate), so the expected output equals the input (inverted
    dropout, as Keras and PyTorch). The identity in eval mode (``model.eval()``, or
    ``layer(x, training=False)``).

    ``seed=None`` draws masks from the run's generator (``nn.set_random_seed``); an
    integer seed gives the layer its own reproducible sequence of masks.

    >>> import numpy as np
    >>> layer = Dropout(0.5, seed=0)
    >>> y = layer(np.ones((1, 8)))
    >>> sorted(set(y.data.ravel().tolist()))
    [0.0, 2.0]
    >>> layer.eval()(np.ones((1, 3))).data
    array([[1., 1., 1.]], dtype=float32)
    """

    def __init__(self, rate: float, seed: int | None = None, *, name: str | None = None,
                 dtype="float32", input_shape=None):
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate < 1:
            raise ValueError(f"Dropout rate must be a number in [0, 1), got {rate!r}")
        super().__init__(name=name, dtype=dtype, input_shape=input_shape)
        self.rate = float(rate)
        self.seed = seed
        self._rng = None if seed is None else _random.generator(seed)
        self._build_declared()

    def call(self, x: Value, training: bool | None = None) -> Value:
        training = self.training if training is None else training
        if not training or self.rate == 0.0:
            return x
        rng = self._rng if self._rng is not None else _random.generator()
        keep = rng.random(x.shape) >= self.rate
        return x * (keep / (1.0 - self.rate)).astype(x.dtype)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(rate=self.rate, seed=self.seed)
        return config

    def extra_repr(self) -> str:
        return f"name={self.name!r}, rate={self.rate}"
