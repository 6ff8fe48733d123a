"""MyGrad (another autograd engine on numpy), as its users write it: Tensors, mg.matmul,
mygrad.nnet activations and softmax_crossentropy; the optimiser updates ``.data`` in
place with the same arithmetic as the hand-written numpy one."""

from __future__ import annotations

import mygrad as mg
import numpy as np
from mygrad.nnet.activations import relu, sigmoid
from mygrad.nnet.losses import softmax_crossentropy

from . import numpy_peer
from .workloads import E1_ADD, E1_MUL, MLPSpec

NAME = "mygrad"


def version() -> str:
    return mg.__version__


class MLP:
    def __init__(self, spec: MLPSpec, weights):
        self.spec = spec
        self.params = [mg.tensor(a.copy()) for wb in weights for a in wb]
        # the optimiser works on the tensors' arrays, which MyGrad lets us update in place
        self.opt = numpy_peer.make_optimizer(spec, [p.data for p in self.params])

    def _backward(self, x, y):
        ps = self.params
        h = x
        n_layers = len(ps) // 2
        for i in range(n_layers):
            h = mg.matmul(h, ps[2 * i]) + ps[2 * i + 1]
            if i < n_layers - 1:
                h = mg.tanh(h) if self.spec.activation == "tanh" else relu(h)
        loss = softmax_crossentropy(h, y)
        loss.backward()
        return loss.item()

    def loss_and_grads(self, x, y):
        loss = self._backward(x, y)
        return loss, [np.array(p.grad) for p in self.params]

    def step(self, x, y) -> float:
        loss = self._backward(x, y)
        self.opt.step([p.grad for p in self.params])
        return loss

    def weights(self):
        ps = self.params
        return [(ps[i].data.copy(), ps[i + 1].data.copy()) for i in range(0, len(ps), 2)]


_E1 = {
    "mul_x": lambda h, x: h * x,
    "add_x": lambda h, x: h + x,
    "sub_x": lambda h, x: h - x,
    "add_c": lambda h, x: h + E1_ADD,
    "mul_c": lambda h, x: h * E1_MUL,
    "tanh": lambda h, x: mg.tanh(h),
    "sin": lambda h, x: mg.sin(h),
    "exp": lambda h, x: mg.exp(h),
    "square": lambda h, x: h * h,
    "sigmoid": lambda h, x: sigmoid(h),
    "relu": lambda h, x: relu(h),
}


def elementwise(x: np.ndarray, ops) -> tuple[float, np.ndarray]:
    xt = mg.tensor(x)
    h = xt
    for name in ops:
        h = _E1[name](h, xt)
    total = h.sum()
    total.backward()
    return total.item(), xt.grad
