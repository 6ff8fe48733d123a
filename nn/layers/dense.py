"""``Dense``: the fully connected layer, y = activation(x @ kernel + bias), Keras-style."""

from __future__ import annotations

import numpy as np

from autograd import Value, linear

from .. import activations, initializers, regularizers
from .base import Layer

__all__ = ["Dense"]


class Dense(Layer):
    """A fully connected layer with Keras's layout and defaults: ``kernel`` of shape
    (inputs, units), ``bias`` of shape (units,), y = activation(x @ kernel + bias)
    computed by the fused ``autograd.linear`` node. The kernel starts glorot_uniform,
    the bias at zeros. The input size is learnt from the first batch (or given by
    ``input_shape=[4]`` / ``input_dim=4``, as in Keras 2).

    >>> import numpy as np
    >>> layer = Dense(3, activation="softmax", input_dim=4, name="salida")
    >>> [w.shape for w in layer.get_weights()]
    [(4, 3), (3,)]
    >>> layer(np.ones((2, 4))).shape
    (2, 3)

    For a loss computed from logits (softmax/sigmoid fused into the cross-entropy),
    ``layer(x, skip_activation=True)`` returns x @ kernel + bias without the
    activation; ``layer.activation`` is the activation function and
    ``layer.activation_name`` its Keras name ("softmax"), None for a custom callable.
    """

    def __init__(self, units: int, activation=None, use_bias: bool = True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 input_shape=None, input_dim=None, name: str | None = None,
                 dtype="float32"):
        if isinstance(units, bool) or not isinstance(units, (int, np.integer)) or units <= 0:
            raise ValueError(f"Dense needs a positive integer number of units, got {units!r}")
        units = int(units)
        super().__init__(name=name, dtype=dtype, activity_regularizer=activity_regularizer,
                         input_shape=input_shape, input_dim=input_dim)
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel: Value | None = None
        self.bias: Value | None = None
        self._build_declared()

    def build(self, input_shape: tuple) -> None:
        """Create kernel (inputs, units) and bias (units,) for inputs of ``input_shape``."""
        n_in = input_shape[-1] if input_shape else None
        if n_in is None:
            raise ValueError(f"{self._what()} needs to know its number of input features; "
                             f"got input shape {input_shape}")
        self.add_weight("kernel", (n_in, self.units), self.kernel_initializer,
                        self.kernel_regularizer)
        if self.use_bias:
            self.add_weight("bias", (self.units,), self.bias_initializer, self.bias_regularizer)
        self._input_axes = {-1: n_in}

    def call(self, x: Value, skip_activation: bool = False) -> Value:
        """activation(x @ kernel + bias); without the activation if ``skip_activation``."""
        z = linear(x, self.kernel, self.bias) if self.bias is not None else x @ self.kernel
        if skip_activation or self.activation is activations.linear:
            return z
        return self.activation(z)

    def compute_output_shape(self, input_shape) -> tuple:
        return (*tuple(input_shape)[:-1], self.units)

    def _input_shape_from_weights(self, weights):
        kernel = weights[0] if weights else None
        return (None, kernel.shape[0]) if getattr(kernel, "ndim", 0) == 2 else None

    @property
    def activation_name(self) -> str | None:
        """The activation's Keras name ("softmax", "linear" ...), None for a custom callable."""
        return activations.name_of(self.activation)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            units=self.units,
            activation=activations.serialize(self.activation),
            use_bias=self.use_bias,
            kernel_initializer=initializers.serialize(self.kernel_initializer),
            bias_initializer=initializers.serialize(self.bias_initializer),
            kernel_regularizer=(None if self.kernel_regularizer is None
                                else regularizers.serialize(self.kernel_regularizer)),
            bias_regularizer=(None if self.bias_regularizer is None
                              else regularizers.serialize(self.bias_regularizer)),
        )
        return config

    def extra_repr(self) -> str:
        act = getattr(self.activation, "__name__", repr(self.activation))
        n_in = "" if self.kernel is None else f", input_dim={self.kernel.shape[0]}"
        return f"name={self.name!r}, units={self.units}, activation={act!r}{n_in}"
