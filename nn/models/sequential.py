"""``Sequential``: a stack of layers, each feeding the next (``keras.Sequential``).

    model = Sequential()
    model.add(Input(shape=[4]))
    model.add(Dense(2, activation="tanh"))
    model.add(Dense(3, activation="sigmoid"))

or ``Sequential([Input(shape=[4]), Dense(2, ...), Dense(3, ...)])``. With an
``Input`` first (or ``input_shape=`` on the first layer, as in Keras 2) every
layer is built as it is added, so ``summary()`` shows the shapes and counts at
once; without one, the model builds on the first data it sees.
"""

from __future__ import annotations

from ..layers import Input, Layer
from .functional import _BUILT_IN_MODELS, Model, _check_unique_names

__all__ = ["Sequential"]


class Sequential(Model):
    """Layers applied in order. ``model.layers`` lists them without the Input, as Keras.

    >>> import numpy as np
    >>> from nn import Dense, Input
    >>> model = Sequential([Input(shape=[4]), Dense(2, activation="tanh", name="Oculto"),
    ...                     Dense(3, activation="softmax", name="salida")])
    >>> [layer.name for layer in model.layers], model.count_params()
    (['Oculto', 'salida'], 19)
    >>> model.predict(np.zeros((2, 4)), verbose=0).sum(axis=1)
    array([1., 1.], dtype=float32)
    """

    _name_prefix = "sequential"

    def __init__(self, layers=None, trainable: bool = True, name: str | None = None):
        super().__init__(name=name)
        self._nodes = []
        self._input = None
        self._output_shapes = []
        for layer in layers or []:
            self.add(layer)

    @property
    def layers(self) -> list[Layer]:
        """The layers in order, without the Input (as Keras lists them)."""
        return [layer for layer, _ in self._nodes]

    def add(self, layer: Layer) -> None:
        """Append a layer (an ``Input`` only first). With a known input shape the layer is
        built at once, and a layer that does not fit the previous one's output fails here.
        """
        if isinstance(layer, Input):
            if self._nodes or self._input is not None:
                raise ValueError("an Input can only be the first layer of a Sequential model")
            self._input = layer
            self.dtype = layer.dtype
            self._build_from(layer.shape)
            return
        if not isinstance(layer, Layer):
            raise TypeError(f"Sequential takes layers such as Dense(3), got {layer!r}")
        _check_unique_names([*self.layers, layer])
        if not self._nodes and self._input is None:
            self.dtype = layer.dtype
        self._nodes.append((layer, {}))
        shape = self._known_output_shape()
        if shape is not None:
            self._build_layer(layer, shape)
        elif len(self._nodes) == 1 and layer.declared_input_shape is not None:
            self._build_from(layer.declared_input_shape)

    def pop(self) -> Layer:
        """Remove and return the last layer."""
        if not self._nodes:
            raise ValueError("pop() on a Sequential model without layers")
        layer, _ = self._nodes.pop()
        if self._output_shapes:
            self._output_shapes = self._output_shapes[:len(self._nodes)]
        return layer

    # ---- building ----------------------------------------------------------------------------
    def _known_output_shape(self) -> tuple | None:
        """The output shape of the layers before the last one added, when known."""
        if len(self._output_shapes) == len(self._nodes) - 1 and self.build_input_shape:
            return self._output_shapes[-1] if self._output_shapes else self.build_input_shape
        return None

    def _build_layer(self, layer: Layer, shape: tuple) -> None:
        if not layer.built:
            layer.build(shape)
        layer._check_input(shape)
        self._output_shapes.append(tuple(layer.compute_output_shape(shape)))

    def _build_from(self, input_shape: tuple) -> None:
        shape = (None, *tuple(input_shape)[1:])
        self.build_input_shape = shape
        self._output_shapes = []
        for layer, _ in self._nodes:
            self._build_layer(layer, shape)
            shape = self._output_shapes[-1]
        self.built = True

    def build(self, input_shape) -> None:
        """Build every layer for inputs of ``input_shape`` (batch axis first), as
        ``model.build((None, 4))`` in Keras; fit and predict call it on the first data."""
        self._build_from(tuple(input_shape))

    @property
    def input_shape(self) -> tuple | None:
        """The shape of the model's inputs, batch axis None: ``(None, 4)``."""
        return self.build_input_shape


_BUILT_IN_MODELS.add(Sequential)
