"""Adam: momentum and RMSprop together, with bias correction (PyTorch's algorithm)."""

from __future__ import annotations

import math

import numpy as np

from .optimizer import Optimizer, check_range, resolve_keras_names

__all__ = ["Adam"]


class Adam(Optimizer):
    r"""Adam, as ``torch.optim.Adam``.

    The algorithm (PyTorch's, step for step)::

        input: γ (lr), β₁, β₂ (betas), ε (eps), λ (weight_decay), amsgrad, maximize
        initialize: m₀ ← 0 (first moment), v₀ ← 0 (second moment), v₀ᵐᵃˣ ← 0
        for t = 1, 2, ...:
            g_t ← ∇f_t(θ_{t−1})                  (−∇f_t(θ_{t−1}) if maximize)
            if λ ≠ 0:  g_t ← g_t + λ θ_{t−1}
            m_t ← β₁ m_{t−1} + (1 − β₁) g_t
            v_t ← β₂ v_{t−1} + (1 − β₂) g_t²
            m̂_t ← m_t / (1 − β₁ᵗ)
            if amsgrad:
                v_tᵐᵃˣ ← max(v_{t−1}ᵐᵃˣ, v_t)
                v̂_t ← v_tᵐᵃˣ / (1 − β₂ᵗ)
            else:
                v̂_t ← v_t / (1 − β₂ᵗ)
            θ_t ← θ_{t−1} − γ m̂_t / (√v̂_t + ε)

    ``_update`` computes this as PyTorch does, with the two corrections folded
    into scalars: θ ← θ − (γ / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε), which is the
    same number as the box's last line (m̂ and v̂ are never stored).

    How it maps to the course: the slides' Adam combines the momentum average
    V = β₁ V + (1 − β₁) dW and the RMSProp average S = β₂ S + (1 − β₂) dW², applies
    the bias correction V/(1 − β₁ᵗ), S/(1 − β₂ᵗ) (both averages start at 0, so
    without it the first steps would be too small), and steps
    w ← w − η V̂ / √(Ŝ + ε): the same as here except that ε sits outside the
    square root here (√v̂ + ε, as in PyTorch). The recommended values of the
    slides are the defaults: β₁ = 0.9, β₂ = 0.999, ε = 1e-8.

    ``weight_decay=λ`` here is the L2 penalty added to the gradient (g ← g + λθ),
    which then passes through the moment estimates; for the decoupled decay of the
    weights themselves use :class:`optim.AdamW`.

    Defaults are PyTorch's (Keras's Adam uses epsilon=1e-7 and scales ε by
    √(1 − β₂ᵗ); its learning rate 0.001 is the same). Keras spellings accepted:
    ``learning_rate``, ``beta_1``, ``beta_2``, ``epsilon``.

    >>> import numpy as np
    >>> from autograd import Value
    >>> w = Value(np.array([1.0, -3.0]))
    >>> opt = Adam([w], learning_rate=0.1)
    >>> (w * w).sum().backward(); opt.step()
    >>> w.data.round(4)                   # the first step is lr · sign(g)
    array([ 0.9, -2.9])
    """

    _decoupled_weight_decay = False       # AdamW sets it: decay θ itself, not the gradient

    def __init__(self, params=None, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, amsgrad: bool = False,
                 *, maximize: bool = False, **keras_names):
        defaults = resolve_keras_names(type(self), keras_names, dict(
            lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
            maximize=maximize))
        super().__init__(params, defaults)

    def _check(self, group: dict) -> None:
        super()._check(group)
        name = type(self).__name__
        betas = group["betas"]
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ValueError(f"{name}: betas must be a pair (beta_1, beta_2), got {betas!r}")
        group["betas"] = tuple(betas)
        check_range(name, "betas[0] (beta_1)", betas[0], 0, 1, high_open=True)
        check_range(name, "betas[1] (beta_2)", betas[1], 0, 1, high_open=True)
        check_range(name, "eps (epsilon)", group["eps"], 0, float("inf"))
        check_range(name, "weight_decay", group["weight_decay"], 0, float("inf"))

    def _state_keys(self, group: dict) -> set[str]:
        keys = {"step", "exp_avg", "exp_avg_sq"}
        if group["amsgrad"]:
            keys.add("max_exp_avg_sq")
        return keys

    def _init_state(self, w: np.ndarray, group: dict) -> dict:
        state = {"step": 0, "exp_avg": np.zeros_like(w), "exp_avg_sq": np.zeros_like(w)}
        if group["amsgrad"]:
            state["max_exp_avg_sq"] = np.zeros_like(w)
        return state

    def _coefficients(self, group: dict, t: int) -> dict[str, float]:
        lr, (beta1, beta2), wd = group["lr"], group["betas"], group["weight_decay"]
        return {"beta1": beta1, "one_minus_beta1": 1 - beta1,
                "beta2": beta2, "one_minus_beta2": 1 - beta2,
                "neg_step_size": -lr / (1 - beta1 ** t),             # −γ / (1 − β₁ᵗ), for m̂
                "bias_correction2_sqrt": math.sqrt(1 - beta2 ** t),  # √(1 − β₂ᵗ), for v̂
                "eps": group["eps"], "weight_decay": wd, "decay": 1 - lr * wd}

    def _update(self, w: np.ndarray, g, state: dict, group: dict) -> None:
        gbuf, tmp = self._scratch(w)
        state["step"] += 1
        c = self._scalars(group, w.dtype, state["step"])  # β₁, 1 − β₁, ..., at step t
        if self._decoupled_weight_decay:
            if group["weight_decay"] != 0:
                np.multiply(w, c.decay, out=w)            # θ ← θ − γλθ   (AdamW)
            if group["maximize"]:
                g = np.negative(g, out=gbuf)              # g ← −∇f
        else:
            g = self._objective_grad(w, g, group, c, gbuf, tmp)  # g ← ±∇f (+ λθ)
        m, v = state["exp_avg"], state["exp_avg_sq"]
        np.multiply(m, c.beta1, out=m)
        np.multiply(g, c.one_minus_beta1, out=tmp)
        np.add(m, tmp, out=m)                             # m ← β₁ m + (1 − β₁) g
        np.multiply(v, c.beta2, out=v)
        np.multiply(g, c.one_minus_beta2, out=tmp)
        np.multiply(tmp, g, out=tmp)
        np.add(v, tmp, out=v)                             # v ← β₂ v + (1 − β₂) g²
        if group["amsgrad"]:
            v_max = state["max_exp_avg_sq"]
            np.maximum(v_max, v, out=v_max)               # vᵐᵃˣ ← max(vᵐᵃˣ, v)
            v = v_max
        np.sqrt(v, out=tmp)
        np.divide(tmp, c.bias_correction2_sqrt, out=tmp)
        np.add(tmp, c.eps, out=tmp)                       # denom = √v̂ + ε
        np.divide(m, tmp, out=tmp)
        np.multiply(tmp, c.neg_step_size, out=tmp)
        np.add(w, tmp, out=w)                             # θ ← θ − γ m̂ / denom
