"""gradiente, used the way a user would: an ``nn.Module`` of ``nn.Linear`` layers,
``nn.functional.cross_entropy``, ``backward()`` and ``optim.SGD`` / ``optim.Adam``
(PyTorch style); scalar ``Value``s for micrograd's demo and the chain.
"""

from __future__ import annotations

from importlib.metadata import version as _dist_version

import numpy as np

import nn
import optim
from autograd import Value
from nn import scalar

from .workloads import E1_ADD, E1_MUL, S1_ALPHA, S2_ADD, S2_MUL, S2_X, MLPSpec, s1_learning_rate

NAME = "gradiente"


def version() -> str:
    try:
        return _dist_version("gradiente")
    except Exception:
        return "checkout"


# ---- model and optimiser: the PyTorch-style user path ---------------------------------------

class _Net(nn.Module):
    """nn.Linear layers with the spec's activation between them: what a user writes."""

    def __init__(self, layers, activation):
        super().__init__()
        self.layers = layers
        self.activation = activation

    def forward(self, x):
        last = len(self.layers) - 1
        for i, layer in enumerate(self.layers):
            x = layer(x)
            if i < last:
                x = x.tanh() if self.activation == "tanh" else x.relu()
        return x


def build_mlp(spec: MLPSpec, weights):
    """The model of a spec with the given [(kernel, bias), ...]."""
    layers = []
    for w, b in weights:
        layer = nn.Linear(*w.shape)
        layer.set_weights([w.copy(), b.copy()])
        layers.append(layer)
    return _Net(layers, spec.activation)


def build_optimizer(spec: MLPSpec, params):
    if spec.optimizer == "sgd":
        return optim.SGD(params, lr=spec.lr)
    return optim.Adam(params, lr=spec.lr)


# ---- T1-T3 -------------------------------------------------------------------------------

class MLP:
    def __init__(self, spec: MLPSpec, weights):
        self.model = build_mlp(spec, weights)
        self.params = self.model.parameters()
        self.opt = build_optimizer(spec, self.params)

    def _backward(self, x, y):
        self.opt.zero_grad()
        loss = nn.functional.cross_entropy(self.model(x), y)
        loss.backward()
        return loss.item()

    def loss_and_grads(self, x, y):
        loss = self._backward(x, y)
        return loss, [np.array(p.grad) for p in self.params]

    def step(self, x, y) -> float:
        loss = self._backward(x, y)
        self.opt.step()
        return loss

    def weights(self):
        ps = self.params
        return [(ps[i].data.copy(), ps[i + 1].data.copy()) for i in range(0, len(ps), 2)]


# ---- E1 ----------------------------------------------------------------------------------

_E1 = {
    "mul_x": lambda h, x: h * x,
    "add_x": lambda h, x: h + x,
    "sub_x": lambda h, x: h - x,
    "add_c": lambda h, x: h + E1_ADD,
    "mul_c": lambda h, x: h * E1_MUL,
    "tanh": lambda h, x: h.tanh(),
    "sin": lambda h, x: h.sin(),
    "exp": lambda h, x: h.exp(),
    "square": lambda h, x: h * h,
    "sigmoid": lambda h, x: h.sigmoid(),
    "relu": lambda h, x: h.relu(),
}


def elementwise(x: np.ndarray, ops) -> tuple[float, np.ndarray]:
    xv = Value(x)
    h = xv
    for name in ops:
        h = _E1[name](h, xv)
    total = h.sum()
    total.backward()
    return total.item(), xv.grad


# ---- S1: micrograd's demo with nn.scalar.MLP ----------------------------------------------

def build_scalar_mlp(weights):
    """nn.scalar.MLP 2-16-16-1 (relu hidden, linear out) with the given micrograd-layout
    weights (w[neuron][input], b[neuron]) per layer: Keras layout is their transpose."""
    sizes = [len(weights[0][0][0])] + [len(b) for _, b in weights]
    net = scalar.MLP(sizes[0], sizes[1:], activation="relu")
    net.set_weights([a for w, b in weights for a in (np.array(w).T, np.array(b))])
    return net


class ScalarMLP:
    """micrograd's demo step: max-margin loss + L2 on the full batch, then SGD."""

    def __init__(self, weights):
        self.model = build_scalar_mlp(weights)
        self.params = self.model.parameters()
        self.k = 0

    def _loss(self, x, y):
        inputs = [[Value(float(v)) for v in row] for row in x]
        scores = [self.model(row) for row in inputs]
        losses = [(1 + -float(yi) * si).relu() for yi, si in zip(y, scores, strict=False)]
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = S1_ALPHA * sum(p * p for p in self.params)
        return data_loss + reg_loss

    def loss_and_grads(self, x, y):
        for p in self.params:
            p.zero_grad()
        loss = self._loss(x, y)
        loss.backward()
        return loss.data, [p.grad for p in self.params]

    def step(self, x, y) -> float:
        loss, _ = self.loss_and_grads(x, y)
        lr = s1_learning_rate(self.k)
        for p in self.params:
            p.data -= lr * p.grad
        self.k += 1
        return loss


# ---- S2 ----------------------------------------------------------------------------------

def chain(n: int) -> tuple[float, float]:
    x = Value(S2_X)
    h = x
    for i in range(n):
        h = h * S2_MUL if i % 2 == 0 else h + S2_ADD
    h.backward()
    return h.data, x.grad
