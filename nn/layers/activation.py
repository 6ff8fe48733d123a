"""``Activation``: a layer that applies an activation function, by Keras name or callable."""

from __future__ import annotations

from autograd import Value

from .. import activations
from .base import Layer

__all__ = ["Activation"]


class Activation(Layer):
    """Applies ``activation`` (a Keras name such as "relu", or a callable) elementwise.

    >>> import numpy as np
    >>> Activation("relu")(np.array([[-1.0, 2.0]])).data
    array([[0., 2.]], dtype=float32)

    As Dense, it exposes ``layer.activation`` and ``layer.activation_name``, and accepts
    ``skip_activation=True``
    (then it returns its input), so a final softmax/sigmoid can be fused into the loss.
    """

    def __init__(self, activation, *, name: str | None = None, dtype="float32",
                 input_shape=None, activity_regularizer=None):
        super().__init__(name=name, dtype=dtype, input_shape=input_shape,
                         activity_regularizer=activity_regularizer)
        self.activation = activations.get(activation)
        self._build_declared()

    def call(self, x: Value, skip_activation: bool = False) -> Value:
        return x if skip_activation else self.activation(x)

    @property
    def activation_name(self) -> str | None:
        """The activation's Keras name ("softmax", "linear" ...), None for a custom callable."""
        return activations.name_of(self.activation)

    def get_config(self) -> dict:
        config = super().get_config()
        config["activation"] = activations.serialize(self.activation)
        return config

    def extra_repr(self) -> str:
        act = getattr(self.activation, "__name__", repr(self.activation))
        return f"name={self.name!r}, activation={act!r}"
