"""``Model``: a network as a graph of layers, Keras's functional API (and the base of
``Sequential``).

    I = Input(shape=(4,), name="Entrada")
    L = Dense(units=2, activation="tanh", name="Oculto")(I)
    salida = Dense(units=3, activation="sigmoid", name="salida")(L)
    model = Model(inputs=I, outputs=salida)

Calling a layer on an ``Input`` (or on what a layer returned for one) computes
nothing: it builds the layer from the shape and returns a
:class:`SymbolicTensor`, which remembers the layer and its input. ``Model``
walks those records back from ``outputs`` to ``inputs`` to find the layers to
run, in order. One input and one output, each layer taking one input (the
layers of this library do), so the graph is a chain; a layer object may be
used twice in it (its weights are shared).

Subclassing works as in Keras too: ``class Net(Model)`` with layers as
attributes and a ``call(self, x)`` method (or PyTorch's ``forward``), then
compile / fit / evaluate / predict as for any model.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from autograd import Value

from ..layers import Input, InputLayer, Layer
from ..layers.base import _auto_name
from .training import Trainer

__all__ = ["Model", "SymbolicTensor", "call_symbolically"]


class SymbolicTensor:
    """A placeholder for the output of ``layer`` called on ``parent``: its ``shape`` (None
    for the batch axis) and how it was made. Keras calls it a KerasTensor.

    >>> from nn import Dense, Input
    >>> t = Dense(2, name="Oculto")(Input(shape=[4]))
    >>> t
    <SymbolicTensor shape=(None, 2) from Dense 'Oculto'>
    """

    def __init__(self, shape: tuple, dtype, layer: Layer, parent, kwargs: dict):
        self.shape = tuple(shape)
        self.dtype = dtype
        self.layer = layer
        self.parent = parent
        self.kwargs = dict(kwargs)
        # what Layer.__call__ looks for to call a layer symbolically (Keras's name)
        self._keras_history = (layer, parent)

    @property
    def ndim(self) -> int:
        """The number of axes, batch included."""
        return len(self.shape)

    def __repr__(self) -> str:
        return f"<SymbolicTensor shape={self.shape} from {self.layer._what()}>"


def call_symbolically(layer: Layer, x, args: tuple, kwargs: dict) -> SymbolicTensor:
    """``layer(x)`` for a symbolic ``x`` (an Input or a SymbolicTensor): build the layer
    for x's shape, check it, and record the call. Layer.__call__ sends such calls here.

    >>> from nn import Dense, Input
    >>> Dense(2)(Input(shape=(4,))).shape          # what Dense(2)(I) gives in the slides
    (None, 2)
    """
    if isinstance(x, Layer) and not isinstance(x, Input):
        raise TypeError(f"{layer._what()} was called on the layer {x._what()} itself; call "
                        f"a layer on data, on an Input, or on another layer's output, "
                        f"e.g. Dense(3)(Dense(2)(Input(shape=[4])))")
    if args:
        raise TypeError(f"{layer._what()} takes one input in the functional API, got "
                        f"{1 + len(args)}")
    shape = tuple(x.shape)
    if not layer.built:
        layer.build(shape)
    layer._check_input(shape)
    out_shape = tuple(layer.compute_output_shape(shape))
    return SymbolicTensor(out_shape, layer.dtype, layer, x, kwargs)


def _single(value, what: str):
    if isinstance(value, (list, tuple)):
        if len(value) != 1:
            raise NotImplementedError(f"Model takes one {what} here, got {len(value)}")
        return value[0]
    if isinstance(value, dict):
        raise NotImplementedError(f"Model takes one {what}, not a dict")
    return value


def _snake_case(name: str) -> str:
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


class Model(Trainer, Layer):
    """A network from ``inputs`` to ``outputs`` (the functional API), or, subclassed,
    one whose ``call(x)`` you write. ``compile``, ``fit``, ``evaluate``, ``predict``,
    ``summary``, ``save`` come with it.

    >>> import numpy as np
    >>> from nn import Dense, Input
    >>> I = Input(shape=(4,), name="entrada")
    >>> oculta = Dense(units=2, activation="tanh", name="Oculto")
    >>> salida = Dense(units=3, activation="sigmoid", name="salida")
    >>> model = Model(inputs=I, outputs=salida(oculta(I)))
    >>> [layer.name for layer in model.layers]
    ['entrada', 'Oculto', 'salida']
    >>> model.count_params(), model.predict(np.zeros((5, 4)), verbose=0).shape
    (19, (5, 3))
    """

    _name_prefix = "functional"

    def __init__(self, inputs=None, outputs=None, name: str | None = None, *,
                 trainable: bool = True, dtype=None):
        if name is None and type(self) not in _BUILT_IN_MODELS:
            name = _auto_name(_snake_case(type(self).__name__))   # Keras: class Net -> "net"
        if inputs is None and outputs is None:
            super().__init__(name=name, dtype=dtype or "float32")
            self._input: Input | None = None
            self._nodes: list[tuple[Layer, dict]] | None = None      # None: subclassed
            self._output_shapes: list[tuple] = []
            return
        if inputs is None or outputs is None:
            raise ValueError("Model needs both inputs= and outputs= (or neither, when you "
                             "subclass Model and write call())")
        inputs, outputs = _single(inputs, "input"), _single(outputs, "output")
        if not isinstance(inputs, Input):
            raise TypeError(f"Model(inputs=...) must be an Input, e.g. Input(shape=(4,)); got "
                            f"{inputs!r}")
        nodes, shapes, t = [], [], outputs
        while isinstance(t, SymbolicTensor):
            nodes.append((t.layer, t.kwargs))
            shapes.append(t.shape)
            t = t.parent
        if t is not inputs:
            found = t._what() if isinstance(t, Layer) else repr(t)
            raise ValueError(f"Model(outputs=...) is not computed from inputs="
                             f"{inputs._what()}: it comes from {found}")
        super().__init__(name=name, dtype=dtype or inputs.dtype)
        self._input = InputLayer.from_input(inputs)
        self._nodes = nodes[::-1]
        self._output_shapes = shapes[::-1]
        _check_unique_names([self._input, *self._unique_layers()])
        self.built = True
        self.build_input_shape = self._input.shape

    # ---- the layers ----------------------------------------------------------------------
    def _unique_layers(self) -> list[Layer]:
        seen, out = set(), []
        for layer, _ in self._nodes or ():
            if id(layer) not in seen:
                seen.add(id(layer))
                out.append(layer)
        return out

    @property
    def layers(self) -> list[Layer]:
        """The layers in order, each once; a functional model's start with its InputLayer
        (as Keras 3 lists them). A subclassed model's are its Layer attributes."""
        if self._nodes is None:
            return [m for _, m in super().named_children() if isinstance(m, Layer)]
        return [self._input, *self._unique_layers()]

    def get_layer(self, name: str | None = None, index: int | None = None) -> Layer:
        """The layer called ``name`` (or at position ``index`` of ``layers``).

        >>> from nn import Dense, Input, Sequential
        >>> Sequential([Input(shape=[4]), Dense(2, name="Oculto")]).get_layer("Oculto").units
        2
        """
        layers = self.layers
        if index is not None:
            if name is not None:
                raise ValueError("get_layer takes a name or an index, not both")
            return layers[index]
        for layer in layers:
            if layer.name == name:
                return layer
        raise ValueError(f"{self._what()} has no layer named {name!r}; its layers are "
                         f"{[layer.name for layer in layers]}")

    def named_children(self) -> Iterator[tuple[str, Layer]]:
        # Weights are named by position ("layers.0.kernel"), not by layer name, so that
        # load_weights fits a model defined again (whose automatic names have moved on),
        # as Keras 3 matches weights by the model's structure.
        if self._nodes is None:
            yield from super().named_children()
            return
        for i, layer in enumerate(self.layers):
            yield f"layers.{i}", layer

    def _named_values(self) -> Iterator[tuple[str, Value]]:
        if self._nodes is None:
            yield from super()._named_values()
            return
        seen: set[int] = set()
        for prefix, child in self.named_children():
            for name, v in child._named_values():
                if id(v) not in seen:
                    seen.add(id(v))
                    yield f"{prefix}.{name}", v

    # ---- computing -----------------------------------------------------------------------
    def call(self, x, training: bool | None = None, skip_activation: bool = False):
        """Run the layers on ``x`` (a Value or array). ``training=True/False`` forces a
        mode for this call; ``skip_activation`` leaves out the last layer's activation
        (what compile uses to compute a cross-entropy from the logits)."""
        if training is None or training == self.training:
            return self._forward(x, skip_activation)
        was = self.training
        self.train(training)
        try:
            return self._forward(x, skip_activation)
        finally:
            self.train(was)

    def _forward(self, x, skip_activation: bool = False):
        nodes = self._nodes
        if nodes is None:                  # subclassed: the user's call (or forward)
            cls = type(self)
            if cls.call is not Model.call:
                return self.call(x)
            if cls.forward is not Layer.forward:
                return cls.forward(self, x)
            raise NotImplementedError(f"{cls.__name__} must define call(x) (or forward(x)), "
                                      f"or be made as Model(inputs=..., outputs=...)")
        if not nodes:
            return self._input(x)
        if self._input is not None and not isinstance(x, Value):
            x = self._input(x)             # checks the shape, converts to the input dtype
        last = len(nodes) - 1
        for i, (layer, kwargs) in enumerate(nodes):
            if i == last and skip_activation:
                x = layer(x, skip_activation=True, **kwargs)
            else:
                x = layer(x, **kwargs) if kwargs else layer(x)
        return x

    def build(self, input_shape) -> None:
        """Nothing to do for a functional model (its layers were built when called on the
        Input); a subclassed model's layers build on their first call."""

    def _first_layer(self) -> Layer | None:
        """The first layer that computes (after the Input), if the model lists its layers."""
        return self._nodes[0][0] if self._nodes else None

    def _output_layer(self) -> Layer | None:
        return self._nodes[-1][0] if self._nodes else None

    def compute_output_shape(self, input_shape) -> tuple:
        shape = tuple(input_shape)
        for layer, _ in self._nodes or ():
            shape = tuple(layer.compute_output_shape(shape))
        return shape

    @property
    def input_shape(self) -> tuple | None:
        """The shape of the model's inputs, batch axis None: ``(None, 4)``."""
        return self._input.shape if self._input is not None else self.build_input_shape

    @property
    def output_shape(self) -> tuple | None:
        """The shape of the model's outputs, batch axis None: ``(None, 3)``."""
        return self._output_shapes[-1] if self._output_shapes else None

    # ---- describing and saving ------------------------------------------------------------
    def summary(self, line_length: int | None = None, print_fn=None) -> None:
        """Print Keras's table of the layers: name (type), output shape, parameter count,
        then the total, trainable and non-trainable counts (with their size in bytes)."""
        from .summary import print_summary
        print_summary(self, line_length=line_length, print_fn=print_fn)

    def get_config(self) -> dict:
        """The architecture as JSON-ready data (what ``save`` writes beside the weights)."""
        from .saving import model_config
        return model_config(self)

    @classmethod
    def from_config(cls, config: dict) -> Model:
        """A new model (fresh weights) from ``get_config()``'s output."""
        from .saving import model_from_config
        return model_from_config({"class_name": cls.__name__, "config": config})

    def save(self, filepath, overwrite: bool = True) -> None:
        """Write the architecture (JSON), the weights and the compile settings to one file
        at exactly ``filepath`` (no extension added), atomically; ``load_model`` reads it.
        ``overwrite=False`` refuses to replace an existing file."""
        from .saving import save_model
        save_model(self, filepath, overwrite=overwrite)

    def extra_repr(self) -> str:
        return f"name={self.name!r}"


def _check_unique_names(layers: list[Layer]) -> None:
    seen: dict[str, Layer] = {}
    for layer in layers:
        other = seen.get(layer.name)
        if other is not None and other is not layer:
            raise ValueError(f"two layers of one model are both named {layer.name!r} "
                             f"({other._what()} and {layer._what()}): layer names must be "
                             f"unique within a model")
        seen[layer.name] = layer


_BUILT_IN_MODELS: set[type] = {Model}      # Sequential adds itself: their names have prefixes
