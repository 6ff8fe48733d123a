"""micrograd 0.1.0 (PyPI), the scalar engine gradiente's scalar mode is measured against.

S1 is micrograd's own demo (demo.ipynb): moons, MLP(2, [16, 16, 1]), max-margin
loss + 1e-4 L2, full batch, SGD with lr 1.0 - 0.9 k / 100. The weights are set to
the shared initial ones instead of micrograd's own random draw.
"""

from __future__ import annotations

from importlib.metadata import version as _dist_version

from micrograd.engine import Value
from micrograd.nn import MLP

from .workloads import S1_ALPHA, S1_SIZES, S2_ADD, S2_MUL, S2_X, s1_learning_rate

NAME = "micrograd"


def version() -> str:
    return _dist_version("micrograd")


def build_scalar_mlp(weights):
    model = MLP(S1_SIZES[0], list(S1_SIZES[1:]))
    for layer, (ws, bs) in zip(model.layers, weights, strict=False):
        for neuron, w, b in zip(layer.neurons, ws, bs, strict=False):
            for wi, v in zip(neuron.w, w, strict=False):
                wi.data = v
            neuron.b.data = b
    return model


class ScalarMLP:
    def __init__(self, weights):
        self.model = build_scalar_mlp(weights)
        self.params = self.model.parameters()
        self.k = 0

    def _loss(self, x, y):
        # the demo's loss(), with the labels as Python floats
        inputs = [list(map(Value, row)) for row in x.tolist()]
        scores = list(map(self.model, inputs))
        losses = [(1 + -yi * si).relu() for yi, si in zip(y.tolist(), scores, strict=False)]
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = S1_ALPHA * sum(p * p for p in self.params)
        return data_loss + reg_loss

    def loss_and_grads(self, x, y):
        self.model.zero_grad()
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


def chain(n: int) -> tuple[float, float]:
    """Raises RecursionError from about a thousand ops (micrograd's topological sort
    is recursive)."""
    x = Value(S2_X)
    h = x
    for i in range(n):
        h = h * S2_MUL if i % 2 == 0 else h + S2_ADD
    h.backward()
    return h.data, x.grad
