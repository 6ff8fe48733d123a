"""PyTorch on the CPU, written as its users write it: nn.Sequential of nn.Linear,
F.cross_entropy, torch.optim; autograd on tensors for E1 and on 0-d tensors for S2.

nn.Linear stores its weight as (out, in): the shared (in, out) kernels are copied in
transposed, and the gradients transposed back when compared.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .workloads import E1_ADD, E1_MUL, S2_ADD, S2_MUL, S2_X, MLPSpec

NAME = "torch"


def version() -> str:
    return torch.__version__


class MLP:
    def __init__(self, spec: MLPSpec, weights):
        layers = []
        for i, (w, b) in enumerate(weights):
            lin = nn.Linear(*w.shape)
            with torch.no_grad():
                lin.weight.copy_(torch.from_numpy(w.T.copy()))
                lin.bias.copy_(torch.from_numpy(b))
            layers.append(lin)
            if i < len(weights) - 1:
                layers.append(nn.Tanh() if spec.activation == "tanh" else nn.ReLU())
        self.model = nn.Sequential(*layers)
        params = list(self.model.parameters())
        self.opt = (torch.optim.SGD(params, lr=spec.lr) if spec.optimizer == "sgd"
                    else torch.optim.Adam(params, lr=spec.lr))
        self.cache = {}

    def _tensors(self, x, y):
        # the fixed batches are converted once (from_numpy shares the memory anyway)
        key = id(x)
        if key not in self.cache:
            self.cache[key] = (torch.from_numpy(x), torch.from_numpy(y))
        return self.cache[key]

    def _backward(self, x, y):
        xt, yt = self._tensors(x, y)
        self.opt.zero_grad()
        loss = F.cross_entropy(self.model(xt), yt)
        loss.backward()
        return loss.item()

    def loss_and_grads(self, x, y):
        loss = self._backward(x, y)
        grads = []
        for lin in self.model[::2]:
            grads += [lin.weight.grad.numpy().T.copy(), lin.bias.grad.numpy().copy()]
        return loss, grads

    def step(self, x, y) -> float:
        loss = self._backward(x, y)
        self.opt.step()
        return loss

    def weights(self):
        return [(lin.weight.detach().numpy().T.copy(), lin.bias.detach().numpy().copy())
                for lin in self.model[::2]]


_E1 = {
    "mul_x": lambda h, x: h * x,
    "add_x": lambda h, x: h + x,
    "sub_x": lambda h, x: h - x,
    "add_c": lambda h, x: h + E1_ADD,
    "mul_c": lambda h, x: h * E1_MUL,
    "tanh": torch.tanh,
    "sin": torch.sin,
    "exp": torch.exp,
    "square": lambda h, x: h * h,
    "sigmoid": torch.sigmoid,
    "relu": torch.relu,
}


def elementwise(x: np.ndarray, ops) -> tuple[float, np.ndarray]:
    xt = torch.from_numpy(x).requires_grad_()
    h = xt
    for name in ops:
        f = _E1[name]
        h = f(h, xt) if name.endswith(("_x", "_c")) or name == "square" else f(h)
    total = h.sum()
    total.backward()
    return total.item(), xt.grad.numpy()


def chain(n: int) -> tuple[float, float]:
    x = torch.tensor(S2_X, dtype=torch.float64, requires_grad=True)
    h = x
    for i in range(n):
        h = h * S2_MUL if i % 2 == 0 else h + S2_ADD
    h.backward()
    return h.item(), x.grad.item()
