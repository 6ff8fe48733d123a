"""``Flatten``: every sample's values in one row."""

from __future__ import annotations

import math

from autograd import Value

from .base import Layer

__all__ = ["Flatten"]


class Flatten(Layer):
    """Reshapes (batch, d1, d2, ...) to (batch, d1*d2*...); (batch,) becomes (batch, 1),
    as in Keras. The batch axis is kept.

    >>> import numpy as np
    >>> Flatten()(np.zeros((2, 8, 8))).shape
    (2, 64)
    """

    def __init__(self, *, name: str | None = None, dtype="float32", input_shape=None):
        super().__init__(name=name, dtype=dtype, input_shape=input_shape)
        self._build_declared()

    def call(self, x: Value) -> Value:
        if x.ndim == 0:
            raise ValueError(f"{self._what()} needs inputs with a batch axis, got a scalar")
        return x.reshape(x.shape[0], -1) if x.ndim != 2 else x

    def compute_output_shape(self, input_shape) -> tuple:
        shape = tuple(input_shape)
        rest = shape[1:]
        size = None if any(n is None for n in rest) else math.prod(rest)
        return (shape[0], size)
