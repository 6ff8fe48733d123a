"""The workloads, and the data and initial weights every peer starts from.

Each peer module (``numpy_peer``, ``torch_peer``, ``gradiente_peer`` ...) builds the
same computation from what is made here, so that all peers start from the same
weights, see the same data and must compute the same losses:

- T1, T2, T3: MLP training steps (forward, softmax cross-entropy, backward,
  optimiser update) on fixed synthetic batches, float32.
- E1: twenty elementwise ops on a 10^6-element float32 tensor, then a sum;
  forward and backward to the input.
- S1: micrograd's own demo (moons, scalar MLP 2-16-16-1, max-margin loss + L2,
  full batch, SGD), float64 scalars.
- S2: a chain of n scalar ops, forward and backward.

Weights use the (in, out) "kernel" layout of Keras and ``autograd.linear``;
PyTorch's ``nn.Linear`` stores the transpose, which ``torch_peer`` takes care of.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

import numpy as np

__all__ = ["E1_OPS", "MLP_SPECS", "S2_SIZES", "MLPSpec", "e1_input", "mlp_batches",
           "mlp_weights", "moons", "s1_weights", "S1_SIZES"]


@dataclass(frozen=True)
class MLPSpec:
    """An MLP training step: layer sizes, hidden activation, optimiser, batch size."""

    name: str
    sizes: tuple[int, ...]
    activation: str           # "tanh" or "relu", on every hidden layer; the last is linear
    optimizer: str            # "sgd" or "adam"
    lr: float
    batch: int
    n_batches: int = 8        # steps cycle through this many fixed batches

    @property
    def n_params(self) -> int:
        return sum(i * o + o for i, o in zip(self.sizes, self.sizes[1:], strict=False))


MLP_SPECS = {
    "T1": MLPSpec("T1", (4, 16, 3), "tanh", "sgd", 0.1, 16),             # Iris-sized
    "T2": MLPSpec("T2", (64, 128, 64, 10), "relu", "adam", 1e-3, 64),    # digits-sized
    "T3": MLPSpec("T3", (784, 512, 256, 10), "relu", "adam", 1e-3, 256),  # MNIST-sized
}


def mlp_weights(spec: MLPSpec, seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """[(kernel (in, out), bias (out,)), ...] in float32, drawn as PyTorch's nn.Linear
    initialises (U(±1/sqrt(in)) for both)."""
    rng = np.random.default_rng(seed)
    out = []
    for fan_in, fan_out in zip(spec.sizes, spec.sizes[1:], strict=False):
        bound = 1.0 / np.sqrt(fan_in)
        w = rng.uniform(-bound, bound, (fan_in, fan_out)).astype(np.float32)
        b = rng.uniform(-bound, bound, fan_out).astype(np.float32)
        out.append((w, b))
    return out


def mlp_batches(spec: MLPSpec, seed: int = 1) -> list[tuple[np.ndarray, np.ndarray]]:
    """Fixed synthetic batches [(x float32 (batch, in), labels int64 (batch,)), ...].

    Labels come from a random linear teacher, so the data is learnable and the loss
    falls over the measured steps.
    """
    rng = np.random.default_rng(seed)
    n_in, n_out = spec.sizes[0], spec.sizes[-1]
    teacher = rng.normal(size=(n_in, n_out))
    batches = []
    for _ in range(spec.n_batches):
        x = rng.normal(size=(spec.batch, n_in)).astype(np.float32)
        y = np.argmax(x @ teacher, axis=1).astype(np.int64)
        batches.append((x, y))
    return batches


# ---- E1 ----------------------------------------------------------------------------------
# Twenty elementwise ops applied to a running value h (h starts as x), some of which
# use x again, so the gradient reaches x along many paths. Every value stays bounded.
E1_OPS = ("mul_x", "tanh", "add_c", "sin", "mul_c", "exp", "sub_x", "tanh", "square",
          "add_x", "sigmoid", "mul_x", "sin", "mul_c", "relu", "add_x", "tanh", "exp",
          "mul_x", "sin")
E1_SIZE = 10**6
E1_ADD = 0.1     # the constant of add_c
E1_MUL = 0.9     # the constant of mul_c
assert len(E1_OPS) == 20


def e1_input(size: int = E1_SIZE, seed: int = 2) -> np.ndarray:
    """The float32 input of E1, uniform in [-1, 1]."""
    return np.random.default_rng(seed).uniform(-1, 1, size).astype(np.float32)


# ---- S1: micrograd's demo ----------------------------------------------------------------
S1_SIZES = (2, 16, 16, 1)


def moons(n: int = 100, noise: float = 0.1, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """The demo's data: scikit-learn's make_moons(n, noise) with labels as -1 / +1."""
    from sklearn.datasets import make_moons
    x, y = make_moons(n_samples=n, noise=noise, random_state=seed)
    return x.astype(np.float64), (y * 2 - 1).astype(np.float64)


def s1_weights(seed: int = 1337) -> list[tuple[list[list[float]], list[float]]]:
    """Initial weights drawn as micrograd's Neuron does (w ~ U(-1, 1), b = 0), per layer
    as (w[neuron][input], b[neuron]) in Python floats."""
    rng = random.Random(seed)
    layers = []
    for nin, nout in itertools.pairwise(S1_SIZES):
        w = [[rng.uniform(-1, 1) for _ in range(nin)] for _ in range(nout)]
        layers.append((w, [0.0] * nout))
    return layers


def s1_learning_rate(k: int) -> float:
    """The demo's schedule: 1.0 - 0.9 k / 100 at step k."""
    return 1.0 - 0.9 * k / 100


S1_ALPHA = 1e-4      # the demo's L2 coefficient


# ---- S2 ----------------------------------------------------------------------------------
# n scalar ops alternating h * S2_MUL and h + S2_ADD, starting at h = x = 0.5.
S2_SIZES = (10**3, 10**4, 10**5, 10**6)
S2_MUL = 1.000001
S2_ADD = 1e-6
S2_X = 0.5


def s2_expected(n: int) -> tuple[float, float]:
    """The chain's value and its derivative d(h_n)/dx, by a plain loop (the reference)."""
    h, d = S2_X, 1.0
    for i in range(n):
        if i % 2 == 0:
            h, d = h * S2_MUL, d * S2_MUL
        else:
            h = h + S2_ADD
    return h, d
