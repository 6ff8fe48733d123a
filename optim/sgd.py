"""SGD: stochastic gradient descent, optionally with momentum (PyTorch's algorithm)."""

from __future__ import annotations

import numpy as np

from .optimizer import Optimizer, check_range, resolve_keras_names

__all__ = ["SGD"]


class SGD(Optimizer):
    r"""Stochastic gradient descent, optionally with momentum, as ``torch.optim.SGD``.

    The algorithm (PyTorch's, step for step)::

        input: γ (lr), θ₀ (params), f(θ) (objective), λ (weight_decay),
               μ (momentum), τ (dampening), nesterov, maximize
        for t = 1, 2, ...:
            g_t ← ∇f_t(θ_{t−1})                  (−∇f_t(θ_{t−1}) if maximize)
            if λ ≠ 0:  g_t ← g_t + λ θ_{t−1}
            if μ ≠ 0:
                if t > 1:  b_t ← μ b_{t−1} + (1 − τ) g_t
                else:      b_t ← g_t
                if nesterov:  g_t ← g_t + μ b_t
                else:         g_t ← b_t
            θ_t ← θ_{t−1} − γ g_t

    ``_update`` below is this box, one line of code per line of math.

    How it maps to the course (the slides' notation: α the learning rate, β the
    momentum, ∇C the gradient of the cost):

    - Plain gradient descent w ← w − α ∇C is ``SGD(lr=α)``.
    - The slides' momentum, an exponentially weighted average of the gradients,
      v = β v + (1 − β) ∇C, w ← w − α v, is ``SGD(lr=α, momentum=β, dampening=β)``
      **from the second step on**: PyTorch starts the buffer at the first gradient
      (b₁ = g₁) where the slide starts v at 0 (so v₁ = (1 − β) g₁, the EWA's start-up
      bias, which Adam's bias correction removes), so its first step is 1/(1 − β)
      times the slide's. The slide's rule exactly, first step included, is
      ``SGD(lr=α(1 − β), momentum=β)`` with no dampening: the buffer b = β b + ∇C
      (b₁ = g₁) is v/(1 − β) at every step, and α(1 − β) b = α v.
    - Keras's ``SGD(learning_rate=α, momentum=β)`` (v = β v − α g, w ← w + v, v from
      0) gives the same trajectory as this class with the same arguments, as long
      as the learning rate stays constant.
    - ``weight_decay=λ`` adds λθ to the gradient: the gradient of the L2 penalty
      (λ/2)Σw², so each step is w ← (1 − αλ) w − α ∂C₀/∂w, the slides' weight decay
      w ← (1 − λ) w − α ∂C₀/∂w with their λ standing for αλ here.

    Defaults are PyTorch's: ``lr=1e-3`` (Keras's ``SGD`` defaults to 0.01, and so does
    ``compile(optimizer="sgd")``). Keras spelling accepted: ``learning_rate``.

    >>> import numpy as np
    >>> from autograd import Value
    >>> w = Value(np.array([1.0, -1.0]))
    >>> opt = SGD([w], learning_rate=0.1, momentum=0.9)
    >>> for _ in range(2):
    ...     opt.zero_grad(); (w * w).sum().backward(); opt.step()
    >>> w.data.round(4)                   # b1 = 2w0, b2 = 0.9 b1 + 2w1
    array([ 0.46, -0.46])
    """

    def __init__(self, params=None, lr: float = 1e-3, momentum: float = 0,
                 dampening: float = 0, nesterov: bool = False, weight_decay: float = 0,
                 *, maximize: bool = False, **keras_names):
        defaults = resolve_keras_names(type(self), keras_names, dict(
            lr=lr, momentum=momentum, dampening=dampening, nesterov=nesterov,
            weight_decay=weight_decay, maximize=maximize))
        super().__init__(params, defaults)

    def _check(self, group: dict) -> None:
        super()._check(group)
        check_range("SGD", "momentum", group["momentum"], 0, 1)
        check_range("SGD", "dampening", group["dampening"], 0, 1)
        check_range("SGD", "weight_decay", group["weight_decay"], 0, float("inf"))
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise ValueError(f"SGD: nesterov=True needs momentum > 0 and dampening = 0, "
                             f"got momentum={group['momentum']!r}, "
                             f"dampening={group['dampening']!r}")

    def _state_keys(self, group: dict) -> set[str]:
        return {"momentum_buffer"} if group["momentum"] != 0 else set()

    def _coefficients(self, group: dict, t: int) -> dict[str, float]:
        return {"momentum": group["momentum"], "one_minus_dampening": 1 - group["dampening"],
                "neg_lr": -group["lr"], "weight_decay": group["weight_decay"]}

    def _update(self, w: np.ndarray, g, state: dict, group: dict) -> None:
        c = self._scalars(group, w.dtype)                 # μ, 1 − τ, −γ, λ
        gbuf, tmp = self._scratch(w)
        g = self._objective_grad(w, g, group, c, gbuf, tmp)  # g ← ±∇f (+ λθ)
        if group["momentum"] != 0:
            b = state.get("momentum_buffer")
            if b is None:
                b = state["momentum_buffer"] = np.array(g, dtype=w.dtype)  # b₁ ← g₁
            else:
                np.multiply(b, c.momentum, out=b)         # b ← μ b
                if group["dampening"] == 0:
                    np.add(b, g, out=b)                   #     + (1 − τ) g, with τ = 0
                else:
                    np.multiply(g, c.one_minus_dampening, out=tmp)
                    np.add(b, tmp, out=b)                 #     + (1 − τ) g
            if group["nesterov"]:
                np.multiply(b, c.momentum, out=tmp)
                g = np.add(g, tmp, out=gbuf)              # g ← g + μ b
            else:
                g = b                                     # g ← b
        np.multiply(g, c.neg_lr, out=tmp)
        np.add(w, tmp, out=w)                             # θ ← θ − γ g
