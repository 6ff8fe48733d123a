"""The floor: each step written by hand in numpy (forward, backward and optimiser).

Written the way a competent person writes it from the formulas: vectorised, float32
kept float32, transposes as views (``x.T @ g`` does not copy), softmax computed once,
the optimiser state updated in place as PyTorch's own implementation does. No engine,
no graph: what an autograd engine on numpy can at best match.
"""

from __future__ import annotations

import math

import numpy as np

from .workloads import E1_ADD, E1_MUL, S2_ADD, S2_MUL, S2_X, MLPSpec

NAME = "numpy"


def version() -> str:
    return np.__version__


# ---- optimisers (PyTorch's documented algorithms) ----------------------------------------

class SGD:
    def __init__(self, params, lr):
        self.params, self.lr = params, lr

    def step(self, grads):
        for p, g in zip(self.params, grads, strict=False):
            p -= self.lr * g


class Adam:
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        self.params, self.lr, self.betas, self.eps = params, lr, betas, eps
        self.m = self.v = None
        self.t = 0

    def step(self, grads):
        if self.m is None:         # the state is made at the first step, as PyTorch does
            self.m = [np.zeros_like(p) for p in self.params]
            self.v = [np.zeros_like(p) for p in self.params]
        self.t += 1
        b1, b2 = self.betas
        step_size = self.lr / (1 - b1 ** self.t)
        root_bc2 = math.sqrt(1 - b2 ** self.t)
        for p, g, m, v in zip(self.params, grads, self.m, self.v, strict=False):
            m *= b1
            m += (1 - b1) * g
            v *= b2
            v += (1 - b2) * (g * g)
            denom = np.sqrt(v)
            denom /= root_bc2
            denom += self.eps
            p -= step_size * (m / denom)


def make_optimizer(spec: MLPSpec, params):
    return SGD(params, spec.lr) if spec.optimizer == "sgd" else Adam(params, spec.lr)


# ---- T1-T3 -------------------------------------------------------------------------------

class MLP:
    """The MLP of a spec, trained with softmax cross-entropy; weights in (in, out) layout."""

    def __init__(self, spec: MLPSpec, weights):
        self.spec = spec
        self.params = [a.copy() for wb in weights for a in wb]
        self.opt = make_optimizer(spec, self.params)

    def loss_and_grads(self, x, y):
        ws, bs = self.params[0::2], self.params[1::2]
        n_layers = len(ws)
        tanh = self.spec.activation == "tanh"
        # forward: keep each layer's input (and, for relu, the pre-activation sign)
        inputs, masks = [], []
        h = x
        for i in range(n_layers):
            inputs.append(h)
            z = h @ ws[i] + bs[i]
            if i == n_layers - 1:
                break
            if tanh:
                h = np.tanh(z)
            else:
                masks.append(z > 0)
                h = np.maximum(z, 0)
        # softmax cross-entropy, mean over the batch
        n = len(y)
        shifted = z - z.max(axis=1, keepdims=True)
        e = np.exp(shifted)
        total = e.sum(axis=1, keepdims=True)
        rows = np.arange(n)
        loss = float(np.mean(np.log(total[:, 0]) - shifted[rows, y]))
        # backward: d loss / d logits = (softmax - one_hot) / n
        g = e / total
        g[rows, y] -= 1
        g /= n
        grads = [None] * (2 * n_layers)
        for i in reversed(range(n_layers)):
            grads[2 * i] = inputs[i].T @ g
            grads[2 * i + 1] = g.sum(axis=0)
            if i == 0:
                break
            g = g @ ws[i].T
            if tanh:
                h = inputs[i]
                g *= 1 - h * h
            else:
                g *= masks[i - 1]
        return loss, grads

    def step(self, x, y) -> float:
        loss, grads = self.loss_and_grads(x, y)
        self.opt.step(grads)
        return loss

    def weights(self):
        ps = self.params
        return [(ps[i].copy(), ps[i + 1].copy()) for i in range(0, len(ps), 2)]


# ---- E1 ----------------------------------------------------------------------------------

def _sigmoid(h):
    return 0.5 + 0.5 * np.tanh(0.5 * h)


# op name: (forward(h, x), backward(g, h, y, x) -> (d/dh, d/dx or None))
_E1 = {
    "mul_x": (lambda h, x: h * x, lambda g, h, y, x: (g * x, g * h)),
    "add_x": (lambda h, x: h + x, lambda g, h, y, x: (g, g)),
    "sub_x": (lambda h, x: h - x, lambda g, h, y, x: (g, -g)),
    "add_c": (lambda h, x: h + E1_ADD, lambda g, h, y, x: (g, None)),
    "mul_c": (lambda h, x: h * E1_MUL, lambda g, h, y, x: (g * E1_MUL, None)),
    "tanh": (lambda h, x: np.tanh(h), lambda g, h, y, x: (g * (1 - y * y), None)),
    "sin": (lambda h, x: np.sin(h), lambda g, h, y, x: (g * np.cos(h), None)),
    "exp": (lambda h, x: np.exp(h), lambda g, h, y, x: (g * y, None)),
    "square": (lambda h, x: h * h, lambda g, h, y, x: (2 * g * h, None)),
    "sigmoid": (lambda h, x: _sigmoid(h), lambda g, h, y, x: (g * y * (1 - y), None)),
    "relu": (lambda h, x: np.maximum(h, 0), lambda g, h, y, x: (g * (h > 0), None)),
}


def elementwise(x: np.ndarray, ops) -> tuple[float, np.ndarray]:
    """sum(f(x)) for the chain of ops, and its gradient with respect to x."""
    hs = [x]
    for name in ops:
        hs.append(_E1[name][0](hs[-1], x))
    value = float(hs[-1].sum())
    g = np.ones_like(x)
    gx = None
    for i in reversed(range(len(ops))):
        g, dx = _E1[ops[i]][1](g, hs[i], hs[i + 1], x)
        if dx is not None:
            gx = dx if gx is None else gx + dx
    gx = g if gx is None else gx + g          # h_0 is x itself
    return value, gx


# ---- S2 (plain Python floats: the floor for a scalar chain) ------------------------------

def chain(n: int) -> tuple[float, float]:
    h = S2_X
    hs = []
    for i in range(n):
        hs.append(h)
        h = h * S2_MUL if i % 2 == 0 else h + S2_ADD
    d = 1.0
    for i in reversed(range(n)):
        if i % 2 == 0:
            d = d * S2_MUL
    return h, d
