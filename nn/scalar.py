"""Scalar teaching nets, micrograd style: every weight is one scalar ``Value``, so a drawn
net shows each neuron's multiplications and sums.

A neuron computes ``activation(b + w0*x0 + w1*x1 + ...)``, summed left to right from
``b`` exactly as micrograd does, so the same weights give micrograd's numbers bit for
bit. Each layer and each neuron opens a ``name_scope`` ("layer0/neuron3"), so
``draw_graph`` clusters the picture by layer and neuron. Weights come and go in the
Keras layout (``[kernel (nin, nout), bias (nout,)]`` per layer), so a tensor net with
the same weights computes the same function. Activations are those of
``nn.activations``, by Keras name or as functions.

>>> from nn.scalar import MLP
>>> net = MLP(2, [3, 1], activation="tanh", seed=0)
>>> y = net([0.5, -1.0])                 # one output: a Value, as in micrograd
>>> y.backward()
>>> len(net.parameters()), [w.shape for w in net.get_weights()]
(13, [(2, 3), (3,), (3, 1), (1,)])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from autograd import Value, name_scope

from . import activations
from .random import generator

__all__ = ["MLP", "Layer", "Neuron"]


def _activation(activation) -> tuple[str, Callable | None]:
    """(name, function) of an activation given by Keras name, None (linear) or callable;
    the function is None for linear (nothing to compute)."""
    fn = activations.get(activation)
    if fn is activations.softmax or fn is activations.log_softmax:
        raise ValueError(f"{activation!r} normalises over a whole layer's outputs, so a "
                         f"scalar neuron cannot apply it; use a tensor layer (nn.Dense)")
    name = activations.name_of(fn) or getattr(fn, "__name__", "custom")
    return name, None if fn is activations.linear else fn


def _inputs(x, nin: int, who: str) -> list:
    """The inputs as a list of Values; plain numbers become constants labelled x0, x1 ..."""
    if isinstance(x, (int, float, np.number)) or (isinstance(x, Value) and x.ndim == 0):
        x = [x]
    x = list(x)
    if len(x) != nin:
        raise ValueError(f"{who} expected {nin} input{'s' * (nin != 1)}, got {len(x)}")
    return [xi if type(xi) is Value else Value(float(xi), requires_grad=False, label=f"x{i}")
            for i, xi in enumerate(x)]


def _check_size(what: str, n) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"{what} must be a positive integer, got {n!r}")
    return int(n)


class _ScalarNet:
    """What Neuron, Layer and MLP share: their weights and gradients in the Keras layout
    (``_keras_layout``), and ``zero_grad``."""

    def parameters(self) -> list[Value]:
        raise NotImplementedError

    def zero_grad(self) -> None:
        """Forget every parameter's gradient."""
        for p in self.parameters():
            p.zero_grad()

    def get_weights(self) -> list[np.ndarray]:
        """The weights as Keras's ``[kernel (nin, nout), bias (nout,), ...]``, the layout of
        ``Dense`` and ``Sequential`` (so ``model.set_weights(net.get_weights())`` works)."""
        return self._keras_layout("data")

    def get_gradients(self) -> list[np.ndarray]:
        """The parameters' gradients, in the layout of :meth:`get_weights` (so they can be
        compared with a tensor model's ``kernel.grad`` and ``bias.grad``).

        >>> net = MLP(2, [3, 1], seed=0)
        >>> net([1.0, 2.0]).backward()
        >>> [g.shape for g in net.get_gradients()]
        [(2, 3), (3,), (3, 1), (1,)]
        """
        return self._keras_layout("grad")

    def _keras_layout(self, what: str) -> list[np.ndarray]:
        raise NotImplementedError


class Neuron(_ScalarNet):
    """One neuron: ``activation(b + w0*x0 + w1*x1 + ...)`` on scalar Values.

    Weights start uniform in [-1, 1) and the bias at 0, as in micrograd; ``seed`` is an
    int, a numpy Generator, or None for the run's shared generator
    (``nn.set_random_seed``).

    >>> n = Neuron(2, activation="relu", seed=0)
    >>> n.set_weights([np.array([[1.0], [2.0]]), np.array([0.5])])
    >>> n([3.0, -1.0])
    Value(data=1.5, grad=0.0, label='a')
    """

    def __init__(self, nin: int, activation="tanh", *, seed=None, name: str = "neuron"):
        self.nin = _check_size("nin", nin)
        self.activation, self._act = _activation(activation)
        self.name = name
        rng = generator(seed)
        with name_scope(name):
            self.w = [Value(float(w), label=f"w{i}")
                      for i, w in enumerate(rng.uniform(-1.0, 1.0, self.nin))]
            self.b = Value(0.0, label="b")

    def __call__(self, x) -> Value:
        return self._forward(_inputs(x, self.nin, f"Neuron {self.name!r}"))

    def _forward(self, x: list) -> Value:
        with name_scope(self.name):
            # micrograd's order, from b, left to right: the same weights give the same bits
            z = sum((wi * xi for wi, xi in zip(self.w, x, strict=True)), self.b)
            if self._act is None:
                z.label = "a"
                return z
            z.label = "z"
            a = self._act(z)
            a.label = "a"
            return a

    def parameters(self) -> list[Value]:
        """The weights, then the bias (micrograd's order)."""
        return [*self.w, self.b]

    def _keras_layout(self, what: str) -> list[np.ndarray]:
        # a one-unit Dense layer: kernel (nin, 1), bias (1,)
        return [np.array([[getattr(w, what)] for w in self.w]), np.array([getattr(self.b, what)])]

    def set_weights(self, weights: Sequence) -> None:
        """Copy in ``[kernel (nin, 1), bias (1,)]``; the Values stay the same objects."""
        kernel, bias = _unpack(weights, self.nin, 1, f"Neuron {self.name!r}")
        for w, k in zip(self.w, kernel[:, 0], strict=True):
            w.data = float(k)
        self.b.data = float(bias[0])

    def __repr__(self) -> str:
        return f"Neuron({self.nin} inputs, activation={self.activation!r})"


class Layer(_ScalarNet):
    """``nout`` neurons reading the same inputs; returns a list of Values (one Value when
    ``nout`` is 1, as in micrograd).

    >>> layer = Layer(3, 2, activation="tanh", seed=0)
    >>> [k.shape for k in layer.get_weights()]
    [(3, 2), (2,)]
    """

    def __init__(self, nin: int, nout: int, activation="tanh", *, seed=None,
                 name: str = "layer"):
        self.nin = _check_size("nin", nin)
        self.nout = _check_size("nout", nout)
        self.activation, _ = _activation(activation)
        self.name = name
        rng = generator(seed)
        with name_scope(name):
            self.neurons = [Neuron(self.nin, activation, seed=rng, name=f"neuron{j}")
                            for j in range(self.nout)]

    def __call__(self, x):
        out = self._forward(_inputs(x, self.nin, f"Layer {self.name!r}"))
        return out[0] if len(out) == 1 else out

    def _forward(self, x: list) -> list:
        with name_scope(self.name):
            return [n._forward(x) for n in self.neurons]

    def parameters(self) -> list[Value]:
        return [p for n in self.neurons for p in n.parameters()]

    def _keras_layout(self, what: str) -> list[np.ndarray]:
        kernel = np.array([[getattr(w, what) for w in n.w] for n in self.neurons]).T
        return [kernel, np.array([getattr(n.b, what) for n in self.neurons])]

    def set_weights(self, weights: Sequence) -> None:
        """Copy in ``[kernel (nin, nout), bias (nout,)]``."""
        kernel, bias = _unpack(weights, self.nin, self.nout, f"Layer {self.name!r}")
        for j, n in enumerate(self.neurons):
            for w, k in zip(n.w, kernel[:, j], strict=True):
                w.data = float(k)
            n.b.data = float(bias[j])

    def __repr__(self) -> str:
        return f"Layer({self.nin} -> {self.nout}, activation={self.activation!r})"


class MLP(_ScalarNet):
    """A multilayer perceptron of scalar neurons: ``MLP(2, [16, 16, 1])`` is micrograd's
    demo net. Hidden layers use ``activation``; the last one ``last_activation`` (None:
    linear, as micrograd's last layer). Layers are named layer0, layer1 ...

    >>> net = MLP(2, [16, 16, 1], activation="relu", seed=1)
    >>> len(net.parameters())
    337
    >>> net
    MLP(
      (layer0): Layer(2 -> 16, activation='relu')
      (layer1): Layer(16 -> 16, activation='relu')
      (layer2): Layer(16 -> 1, activation='linear')
    )  337 parameters
    """

    def __init__(self, nin: int, nouts: Sequence[int], activation="tanh",
                 last_activation=None, seed=None):
        self.nin = _check_size("nin", nin)
        nouts = list(nouts)
        if not nouts:
            raise ValueError("nouts must list at least one layer size, e.g. [16, 16, 1]")
        rng = generator(seed)
        sizes = [self.nin, *nouts]
        self.layers = [
            Layer(sizes[i], sizes[i + 1], activation if i < len(nouts) - 1 else last_activation,
                  seed=rng, name=f"layer{i}")
            for i in range(len(nouts))
        ]

    def __call__(self, x):
        x = _inputs(x, self.nin, "MLP")
        for layer in self.layers:
            x = layer._forward(x)
        return x[0] if len(x) == 1 else x

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def _keras_layout(self, what: str) -> list[np.ndarray]:
        # [kernel0, bias0, kernel1, bias1, ...]: the layout of Sequential
        return [a for layer in self.layers for a in layer._keras_layout(what)]

    def set_weights(self, weights: Sequence) -> None:
        """Copy in ``[kernel0, bias0, kernel1, bias1, ...]`` (from ``get_weights`` of this
        net or of a tensor model of the same sizes)."""
        weights = list(weights)
        if len(weights) != 2 * len(self.layers):
            raise ValueError(f"MLP.set_weights expected {2 * len(self.layers)} arrays "
                             f"(kernel and bias for each of {len(self.layers)} layers), got "
                             f"{len(weights)}")
        for i, layer in enumerate(self.layers):
            layer.set_weights(weights[2 * i: 2 * i + 2])

    def __repr__(self) -> str:
        lines = [f"  ({layer.name}): {layer!r}" for layer in self.layers]
        return "MLP(\n" + "\n".join(lines) + f"\n)  {len(self.parameters())} parameters"


def _unpack(weights, nin: int, nout: int, who: str):
    weights = list(weights)
    if len(weights) != 2:
        raise ValueError(f"{who} set_weights expected [kernel, bias], got {len(weights)} "
                         f"arrays")
    kernel = np.asarray(weights[0], dtype=np.float64)
    bias = np.asarray(weights[1], dtype=np.float64)
    if kernel.shape != (nin, nout) or bias.shape != (nout,):
        raise ValueError(f"{who} set_weights expected a kernel of shape {(nin, nout)} and a "
                         f"bias of shape {(nout,)}, got {kernel.shape} and {bias.shape}")
    return kernel, bias
