"""``Linear``: PyTorch's name for the dense layer, with PyTorch's default initialisation."""

from __future__ import annotations

import math

import numpy as np

from .. import initializers
from .dense import Dense

__all__ = ["Linear"]


class Linear(Dense):
    """``Linear(in_features, out_features)``: the same layer as ``Dense`` (kernel of
    shape (in, out), y = x @ kernel + bias, no activation), initialised as
    ``torch.nn.Linear`` is: kernel and bias both U(-1/√in, 1/√in).

    Unlike PyTorch's ``weight`` (out, in), the kernel is stored (in, out), Keras's
    layout, so ``get_weights()`` is the same for Dense and Linear.

    >>> layer = Linear(4, 3)
    >>> layer.kernel.shape, layer.bias.shape
    ((4, 3), (3,))
    >>> bool(abs(layer.kernel.data).max() <= 0.5)     # 1/sqrt(4)
    True
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True, *,
                 name: str | None = None, dtype="float32"):
        if isinstance(in_features, bool) or not isinstance(in_features, (int, np.integer)) \
                or in_features <= 0:
            raise ValueError(f"Linear needs a positive integer in_features, got {in_features!r}")
        in_features = int(in_features)
        bound = 1.0 / math.sqrt(in_features)
        uniform = initializers.RandomUniform(-bound, bound)
        super().__init__(out_features, use_bias=bias, kernel_initializer=uniform,
                         bias_initializer=uniform, input_dim=in_features, name=name,
                         dtype=dtype)
        self.in_features, self.out_features = in_features, out_features

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": str(self.dtype), "in_features": self.in_features,
                "out_features": self.out_features, "bias": self.use_bias}

    def extra_repr(self) -> str:
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.use_bias}")
