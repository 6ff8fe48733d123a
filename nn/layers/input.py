"""``Input``: declares the shape of a model's inputs (Keras's ``keras.Input``)."""

from __future__ import annotations

from autograd import Value

from .base import Layer, _shape_tuple

__all__ = ["Input"]


class Input(Layer):
    """A placeholder for a model's input: records its shape, without the batch axis as
    given (``Input(shape=[4])``), with it as ``.shape`` (``(None, 4)``, None meaning any
    batch size). Called on data it checks the shape and passes the data on.

    >>> import numpy as np
    >>> inp = Input(shape=[4])
    >>> inp.shape
    (None, 4)
    >>> inp(np.ones((20, 4))).shape
    (20, 4)
    """

    _name_prefix = "input_layer"        # Keras 3's automatic name

    def __init__(self, shape=None, batch_size: int | None = None, *,
                 name: str | None = None, dtype="float32"):
        if shape is None:
            raise ValueError("Input needs the shape of one sample, e.g. Input(shape=[4])")
        shape = _shape_tuple(shape, "Input shape")
        if batch_size is not None:
            batch_size = _shape_tuple((batch_size,), "Input batch_size")[0]
        super().__init__(name=name, dtype=dtype)
        self.shape = (batch_size, *shape)
        self.built = True
        self.build_input_shape = self.shape
        self._input_ndim = len(self.shape)
        self._input_axes = {i: n for i, n in enumerate(self.shape) if n is not None}

    def call(self, x: Value) -> Value:
        return x

    def compute_output_shape(self, input_shape=None) -> tuple:
        return self.shape

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(shape=list(self.shape[1:]), batch_size=self.shape[0])
        return config

    def extra_repr(self) -> str:
        return f"name={self.name!r}, shape={self.shape}"
