"""RMSprop: divide each step by a running root mean square of the gradients."""

from __future__ import annotations

import numpy as np

from .optimizer import Optimizer, check_range, resolve_keras_names

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    r"""RMSprop, as ``torch.optim.RMSprop``.

    The algorithm (PyTorch's, step for step)::

        input: γ (lr), α (alpha), ε (eps), λ (weight_decay), μ (momentum),
               centered, maximize
        initialize: v₀ ← 0 (square average), b₀ ← 0 (buffer), ḡ₀ ← 0 (mean gradient)
        for t = 1, 2, ...:
            g_t ← ∇f_t(θ_{t−1})                  (−∇f_t(θ_{t−1}) if maximize)
            if λ ≠ 0:  g_t ← g_t + λ θ_{t−1}
            v_t ← α v_{t−1} + (1 − α) g_t²
            ṽ_t ← v_t
            if centered:
                ḡ_t ← α ḡ_{t−1} + (1 − α) g_t
                ṽ_t ← ṽ_t − ḡ_t²
            if μ > 0:
                b_t ← μ b_{t−1} + g_t / (√ṽ_t + ε)
                θ_t ← θ_{t−1} − γ b_t
            else:
                θ_t ← θ_{t−1} − γ g_t / (√ṽ_t + ε)

    ``_update`` below is this box, one line of code per line of math.

    How it maps to the course: the slides' RMSProp s = β s + (1 − β)(∇C)²,
    w ← w − α ∇C / √(s + ε) is ``RMSprop(lr=α, alpha=β)`` with one difference: ε sits
    **outside** the square root here (√s + ε, as in PyTorch), inside it on the
    slides (√(s + ε), as in Keras). Both only keep the division finite while s is
    near 0; with ε = 1e-8 the trajectories differ only in the first steps of
    parameters whose gradients are tiny. ``centered=True`` divides by an estimate
    of the standard deviation of the gradient instead of its root mean square.

    Defaults are PyTorch's: ``lr=1e-2, alpha=0.99, eps=1e-8`` (Keras's RMSprop uses
    learning_rate=0.001, rho=0.9, epsilon=1e-7). Keras spellings accepted:
    ``learning_rate``, ``rho`` (for ``alpha``), ``epsilon``.

    >>> import numpy as np
    >>> from autograd import Value
    >>> w = Value(np.array([1.0, -2.0]))
    >>> opt = RMSprop([w], learning_rate=0.01, rho=0.9)
    >>> (w * w).sum().backward(); opt.step()
    >>> w.data.round(4)                   # first step: g / √(0.1 g²) = ±√10
    array([ 0.9684, -1.9684])
    """

    def __init__(self, params=None, lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0, momentum: float = 0, centered: bool = False,
                 *, maximize: bool = False, **keras_names):
        defaults = resolve_keras_names(type(self), keras_names, dict(
            lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay, momentum=momentum,
            centered=centered, maximize=maximize))
        super().__init__(params, defaults)

    def _check(self, group: dict) -> None:
        super()._check(group)
        check_range("RMSprop", "alpha (rho)", group["alpha"], 0, 1, high_open=True)
        check_range("RMSprop", "eps (epsilon)", group["eps"], 0, float("inf"))
        check_range("RMSprop", "momentum", group["momentum"], 0, 1)
        check_range("RMSprop", "weight_decay", group["weight_decay"], 0, float("inf"))

    def _state_keys(self, group: dict) -> set[str]:
        keys = {"step", "square_avg"}
        if group["momentum"] > 0:
            keys.add("momentum_buffer")
        if group["centered"]:
            keys.add("grad_avg")
        return keys

    def _init_state(self, w: np.ndarray, group: dict) -> dict:
        state = {"step": 0, "square_avg": np.zeros_like(w)}
        if group["momentum"] > 0:
            state["momentum_buffer"] = np.zeros_like(w)
        if group["centered"]:
            state["grad_avg"] = np.zeros_like(w)
        return state

    def _coefficients(self, group: dict, t: int) -> dict[str, float]:
        return {"alpha": group["alpha"], "one_minus_alpha": 1 - group["alpha"],
                "eps": group["eps"], "momentum": group["momentum"], "neg_lr": -group["lr"],
                "weight_decay": group["weight_decay"]}

    def _update(self, w: np.ndarray, g, state: dict, group: dict) -> None:
        c = self._scalars(group, w.dtype)                 # α, 1 − α, ε, μ, −γ, λ
        gbuf, tmp = self._scratch(w)
        state["step"] += 1
        g = self._objective_grad(w, g, group, c, gbuf, tmp)  # g ← ±∇f (+ λθ)
        v = state["square_avg"]
        np.multiply(v, c.alpha, out=v)
        np.multiply(g, c.one_minus_alpha, out=tmp)
        np.multiply(tmp, g, out=tmp)
        np.add(v, tmp, out=v)                             # v ← α v + (1 − α) g²
        if group["centered"]:
            g_avg = state["grad_avg"]
            np.multiply(g_avg, c.alpha, out=g_avg)
            np.multiply(g, c.one_minus_alpha, out=tmp)
            np.add(g_avg, tmp, out=g_avg)                 # ḡ ← α ḡ + (1 − α) g
            np.multiply(g_avg, g_avg, out=tmp)
            np.subtract(v, tmp, out=tmp)                  # ṽ ← v − ḡ²
            np.sqrt(tmp, out=tmp)
        else:
            np.sqrt(v, out=tmp)                           # √ṽ, with ṽ = v
        np.add(tmp, c.eps, out=tmp)                       # denom = √ṽ + ε
        if group["momentum"] > 0:
            b = state["momentum_buffer"]
            np.multiply(b, c.momentum, out=b)
            np.divide(g, tmp, out=tmp)
            np.add(b, tmp, out=b)                         # b ← μ b + g / denom
            np.multiply(b, c.neg_lr, out=tmp)
            np.add(w, tmp, out=w)                         # θ ← θ − γ b
        else:
            np.divide(g, tmp, out=tmp)
            np.multiply(tmp, c.neg_lr, out=tmp)
            np.add(w, tmp, out=w)                         # θ ← θ − γ g / denom
