"""``Layer``: the Keras-style base of every layer, and the one place a layer is called.

A layer is a :class:`~nn.module.Module` with Keras habits on top: a name
(``dense``, ``dense_1``, ... unless given), a dtype (float32 unless given),
weights created in ``build(input_shape)`` on the first call (so ``Dense(3)``
learns its input size from the data), ``get_weights``/``set_weights``,
``count_params``, ``compute_output_shape`` and ``get_config``.

Writing a layer: define ``build(input_shape)`` (create weights with
``add_weight``) and ``call(x)`` (the computation, on Values; a layer written
PyTorch-style with ``forward(x)`` instead works the same). Everything else
happens in ``Layer.__call__``, in this order:

1. arrays (and lists) become constant Values in the layer's dtype;
2. the layer builds itself from the input's shape if it has not yet;
3. the input's shape is checked against what the layer was built for, with an
   error naming the layer and both shapes;
4. ``call(x)`` runs inside ``autograd.name_scope(layer.name)``, so a drawn
   network shows each layer as a labelled cluster;
5. the activity regulariser, if any, records its penalty (see ``losses``).

Called on a symbolic tensor instead of data (an ``Input``, or what a layer
returned when called on one), a layer computes nothing: it builds itself from
the symbolic shape and returns a new symbolic tensor, which is how the
functional API (``Model(inputs=I, outputs=Dense(3)(I))``, in
``nn/models/functional.py``) records a network.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Sequence

import numpy as np

from autograd import Value, name_scope
from autograd import value as _value
from autograd.value import as_value

from .. import initializers, regularizers
from ..module import Module

__all__ = ["Layer", "clear_session"]

_NAME_COUNTS: dict[str, int] = {}


def clear_session() -> None:
    """Restart the automatic layer names (the next Dense is ``dense`` again), as
    ``keras.backend.clear_session()`` does.

    >>> from nn import Dense
    >>> clear_session(); Dense(2).name, Dense(2).name
    ('dense', 'dense_1')
    """
    _NAME_COUNTS.clear()


def _snake_case(name: str) -> str:
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


def _auto_name(prefix: str) -> str:
    n = _NAME_COUNTS.get(prefix, 0)
    _NAME_COUNTS[prefix] = n + 1
    return prefix if n == 0 else f"{prefix}_{n}"


def _float_dtype(dtype) -> np.dtype:
    try:
        dt = np.dtype(dtype)
    except TypeError:
        dt = None
    if dt not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise ValueError(f"a layer's dtype must be 'float32' (the default) or 'float64', "
                         f"got {dtype!r}")
    return dt


def _shape_tuple(shape, what: str) -> tuple:
    """A shape given by the user ((4,), [4], 4) as a tuple of positive ints or None."""
    if isinstance(shape, (int, np.integer)):
        shape = (shape,)
    try:
        shape = tuple(shape)
    except TypeError:
        raise ValueError(f"{what} must be a tuple of sizes such as (4,), got {shape!r}") from None
    for n in shape:
        if n is not None and (isinstance(n, bool) or not isinstance(n, (int, np.integer))
                              or n <= 0):
            raise ValueError(f"{what} must hold positive integers (or None for any size), "
                             f"got {shape!r}")
    return tuple(None if n is None else int(n) for n in shape)


def _wrap_build(build):
    """Give a subclass's build() the bookkeeping every build needs: a name scope (so the
    weights are drawn inside the layer's cluster), the built flag and the shape."""
    def wrapped(self, input_shape):
        shape = tuple(input_shape)
        with name_scope(self.name):
            build(self, shape)
        self.built = True
        self._accepted_shape = None          # what inputs pass may have changed
        self.build_input_shape = (None, *shape[1:]) if len(shape) >= 2 else shape
    wrapped.__doc__ = build.__doc__
    wrapped.__name__ = build.__name__
    wrapped.__wrapped__ = build
    return wrapped


class Layer(Module):
    """Base class of the layers (Keras's ``keras.layers.Layer``).

    >>> class Scale(Layer):
    ...     def build(self, input_shape):
    ...         self.add_weight("factor", (input_shape[-1],), "ones")
    ...     def call(self, x):
    ...         return x * self.factor
    >>> layer = Scale(name="scale")
    >>> layer(np.ones((2, 3))).shape, layer.count_params()
    ((2, 3), 3)
    """

    _name_prefix: str | None = None      # the automatic name's stem; snake_case of the class
    _call_takes_training = False         # set per subclass from call()'s signature

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "build" in cls.__dict__:
            cls.build = _wrap_build(cls.__dict__["build"])
        if "forward" in cls.__dict__ and cls.call is Layer.call:
            # written PyTorch-style: its forward is the computation, calling goes through here
            cls.call = cls.__dict__["forward"]
            cls.forward = Layer.forward
        cls._call_takes_training = "training" in inspect.signature(cls.call).parameters

    def __init__(self, *, name: str | None = None, dtype="float32",
                 activity_regularizer=None, input_shape=None, input_dim=None):
        super().__init__()
        if name is None:
            name = _auto_name(self._name_prefix or _snake_case(type(self).__name__))
        if not isinstance(name, str) or not name or "/" in name:
            raise ValueError(f"a layer name must be a non-empty string without '/', "
                             f"got {name!r}")
        self.name = name
        self.dtype = _float_dtype(dtype)
        self.built = False
        self.build_input_shape: tuple | None = None
        self.activity_regularizer = regularizers.get(activity_regularizer)
        if input_shape is not None and input_dim is not None:
            raise ValueError(f"give {type(self).__name__} either input_shape or input_dim, "
                             f"not both")
        if input_dim is not None:
            input_shape = (input_dim,)
        # (None, *input_shape) when the layer was told its input (Keras 2's input_shape=).
        self.declared_input_shape = (None if input_shape is None else
                                     (None, *_shape_tuple(input_shape, "input_shape")))
        self._regularized: list[tuple[str, object]] = []   # (weight attribute, regulariser)
        self._activity_losses: list[Value] = []
        self._input_ndim: int | None = None                 # what _check_input enforces
        self._input_axes: dict[int, int] = {}
        self._accepted_shape: tuple | None = None           # the last shape that passed it

    def _build_declared(self) -> None:
        """Build now if the input shape was declared: concrete layers call this last in
        their __init__, so ``Dense(2, input_shape=[4]).count_params()`` works at once."""
        if self.declared_input_shape is not None and not self.built:
            self.build(self.declared_input_shape)

    # ---- what subclasses write -----------------------------------------------------------
    @_wrap_build
    def build(self, input_shape: tuple) -> None:
        """Create the weights for inputs of ``input_shape`` (batch axis first, None allowed).
        Called once, by the first call; no weights by default (Activation, Dropout), which
        still marks the layer built, so ``count_params()`` answers 0."""

    def call(self, x: Value) -> Value:
        """The layer's computation on a Value (called through ``layer(x)``)."""
        raise NotImplementedError(f"{type(self).__name__} must define call(x)")

    def compute_output_shape(self, input_shape) -> tuple:
        """The output shape for inputs of ``input_shape`` (None for any size); the same
        shape by default."""
        return tuple(input_shape)

    # ---- the one place a layer is called -------------------------------------------------
    def __call__(self, x, *args, **kwargs):
        # The usual inputs, a Value holding an array or an array, in the layer's dtype,
        # need no conversion; anything else goes through _as_input.
        d = x.data if type(x) is Value else x
        if type(d) is np.ndarray and d.dtype is self.dtype:
            shape = d.shape
            if d is x:
                x = as_value(x)              # an array: a constant input
        else:
            if not isinstance(x, Value) and (
                    isinstance(x, Layer) or hasattr(x, "_keras_history")):
                # The functional API: called on an Input (or on what a layer returned for
                # one), the layer records the call instead of computing
                # (nn.models.functional).
                from ..models.functional import call_symbolically
                return call_symbolically(self, x, args, kwargs)
            x = self._as_input(x)
            shape = x.shape
        if shape != self._accepted_shape:
            # checked once per input shape: a training loop sends the same shape each step
            if not self.built:
                self.build(shape)
            self._check_input(shape)
            self._accepted_shape = shape
        if kwargs and "training" in kwargs and not self._call_takes_training:
            del kwargs["training"]       # Keras passes training= to every layer; most ignore it
        # name_scope(self.name), written out: a with block costs more than a small layer's
        # product, and so does passing on empty *args and **kwargs
        outer = _value.SCOPE
        _value.SCOPE = f"{outer}/{self.name}" if outer else self.name
        try:
            y = self.call(x, *args, **kwargs) if args or kwargs else self.call(x)
            if self.activity_regularizer is not None:
                self._record_activity(y, kwargs)
        finally:
            _value.SCOPE = outer
        return y

    def forward(self, *args, **kwargs):
        """The same as calling the layer (PyTorch's name for it)."""
        return self(*args, **kwargs)

    def _as_input(self, x) -> Value:
        """A Value to compute with: arrays and lists become constants in the layer's dtype.
        Values pass as they are (a graph cannot be cast without losing its gradient)."""
        if isinstance(x, Value):
            if x.dtype != self.dtype and x.is_leaf and not x.requires_grad:
                return as_value(np.asarray(x.data, dtype=self.dtype))
            return x
        a = np.asarray(x)
        if a.dtype.kind not in "fiub":
            raise TypeError(f"{self._what()} needs numbers, got an array of dtype {a.dtype}")
        return as_value(a if a.dtype == self.dtype else a.astype(self.dtype))

    def _check_input(self, shape: tuple) -> None:
        ndim, axes = self._input_ndim, self._input_axes
        if ndim is not None and len(shape) != ndim:
            raise ValueError(f"{self._what()} expected inputs with {ndim} axes, of shape "
                             f"{self.build_input_shape}, got shape {shape}")
        for axis, size in axes.items():
            if -len(shape) <= axis < len(shape) and shape[axis] == size:
                continue
            if axis == -1:
                raise ValueError(f"{self._what()} expected inputs with {size} features, "
                                 f"got shape {shape}")
            raise ValueError(f"{self._what()} expected inputs of shape "
                             f"{self.build_input_shape}, got shape {shape}")

    def _record_activity(self, y: Value, kwargs: dict) -> None:
        # The penalty is on the layer's real output, also when the caller skipped the
        # activation to fuse it into the loss; divided by the batch size, as Keras 3 does.
        out = self.activation(y) if kwargs.get("skip_activation") else y
        penalty = self.activity_regularizer(out)
        if out.ndim > 0:
            penalty = penalty / out.shape[0]
        self._activity_losses = [penalty]

    def _what(self) -> str:
        return f"{type(self).__name__} {self.name!r}"

    # ---- weights -------------------------------------------------------------------------
    def add_weight(self, name: str, shape: Sequence[int], initializer="zeros",
                   regularizer=None, trainable: bool = True) -> Value:
        """Create a weight Value as attribute ``name``, drawn by ``initializer`` (a Keras
        name or an Initializer) in the layer's dtype. ``trainable=False`` makes it state
        (saved, not trained); ``regularizer`` adds its penalty to ``losses``."""
        shape = tuple(int(n) for n in shape)
        data = np.asarray(initializers.get(initializer)(shape, dtype=self.dtype),
                          dtype=self.dtype)
        if data.shape != shape:
            raise ValueError(f"the initializer of {self._what()}.{name} returned shape "
                             f"{data.shape}, expected {shape}")
        v = Value(data, requires_grad=trainable, label=name)
        setattr(self, name, v)
        reg = regularizers.get(regularizer)
        if reg is not None:
            self._regularized.append((name, reg))
        return v

    @property
    def weights(self) -> list[Value]:
        """Every weight Value, trainable first as created (Keras's ``layer.weights``)."""
        return [v for _, v in self._named_values()]

    @property
    def trainable_weights(self) -> list[Value]:
        """The weights an optimiser updates."""
        return self.parameters()

    @property
    def non_trainable_weights(self) -> list[Value]:
        """The weights that are state (BatchNormalization's moving statistics)."""
        return self.buffers()

    def count_params(self) -> int:
        """The number of numbers in the weights (trainable and not), as Keras counts them.

        >>> from nn import Dense
        >>> Dense(3, input_dim=4).count_params()         # 4*3 + 3
        15
        """
        if not self.built:
            raise ValueError(f"{self._what()} is not built yet, so it has no weights to "
                             f"count: call it on data or give it input_shape=... first")
        return sum(v.size for v in self.weights)

    def set_weights(self, weights) -> None:
        """Copy arrays into the weights in ``get_weights`` order, checking every shape
        (ValueError naming the weight and both shapes). An unbuilt layer first builds
        itself from the arrays' shapes when it can (Dense, BatchNormalization)."""
        weights = list(weights)
        if not self.built:
            shape = self._input_shape_from_weights(weights)
            if shape is not None:
                self.build(shape)
        super().set_weights(weights)

    def _input_shape_from_weights(self, weights: list) -> tuple | None:
        """The input shape that weights of these shapes imply, or None if unknown."""
        return None

    def _own_losses(self) -> list[Value]:
        penalties = [reg(getattr(self, name)) for name, reg in self._regularized
                     if getattr(self, name, None) is not None]
        return penalties + list(self._activity_losses)

    # ---- configuration -------------------------------------------------------------------
    def get_config(self) -> dict:
        """The constructor arguments, JSON-ready: ``type(layer).from_config(config)``
        makes an equal (unbuilt, freshly initialised) layer."""
        config = {"name": self.name, "dtype": str(self.dtype)}
        if self.activity_regularizer is not None:
            config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        if self.declared_input_shape is not None:
            config["input_shape"] = list(self.declared_input_shape[1:])
        return config

    @classmethod
    def from_config(cls, config: dict) -> Layer:
        """A new layer from ``get_config()``'s output."""
        return cls(**config)

    def extra_repr(self) -> str:
        return f"name={self.name!r}"
