"""AdamW: Adam with decoupled weight decay (PyTorch's algorithm)."""

from __future__ import annotations

from .adam import Adam

__all__ = ["AdamW"]


class AdamW(Adam):
    r"""AdamW, as ``torch.optim.AdamW``: Adam whose weight decay shrinks θ itself.

    The algorithm (PyTorch's, step for step)::

        input: γ (lr), β₁, β₂ (betas), ε (eps), λ (weight_decay), amsgrad, maximize
        initialize: m₀ ← 0, v₀ ← 0, v₀ᵐᵃˣ ← 0
        for t = 1, 2, ...:
            g_t ← ∇f_t(θ_{t−1})                  (−∇f_t(θ_{t−1}) if maximize)
            θ_t ← θ_{t−1} − γ λ θ_{t−1}
            m_t ← β₁ m_{t−1} + (1 − β₁) g_t
            v_t ← β₂ v_{t−1} + (1 − β₂) g_t²
            m̂_t ← m_t / (1 − β₁ᵗ)
            if amsgrad:
                v_tᵐᵃˣ ← max(v_{t−1}ᵐᵃˣ, v_t)
                v̂_t ← v_tᵐᵃˣ / (1 − β₂ᵗ)
            else:
                v̂_t ← v_t / (1 − β₂ᵗ)
            θ_t ← θ_t − γ m̂_t / (√v̂_t + ε)

    The code is :meth:`Adam._update` with its decoupled branch.

    How it maps to the course: the slides' weight decay w ← (1 − λ) w − α ∂C₀/∂w
    shrinks the weights by a fixed fraction each step. ``Adam(weight_decay=λ)``
    instead adds λθ to the gradient, so the decay is divided by √v̂ like
    everything else (weights with large gradients hardly decay). AdamW applies
    the shrink θ ← (1 − γλ) θ directly, outside the moment estimates, which is
    the slides' rule with their λ standing for γλ, followed by the Adam step.

    Defaults are PyTorch's: ``weight_decay=1e-2`` (Keras's AdamW uses 0.004),
    the rest as :class:`optim.Adam`. Keras spellings accepted: ``learning_rate``,
    ``beta_1``, ``beta_2``, ``epsilon``.

    >>> import numpy as np
    >>> from autograd import Value
    >>> w = Value(np.array([1.0, -3.0]))
    >>> opt = AdamW([w], lr=0.1, weight_decay=0.5)
    >>> (w * w).sum().backward(); opt.step()
    >>> w.data.round(4)                   # (1 − 0.1·0.5) w, then − 0.1 · sign(g)
    array([ 0.85, -2.75])
    """

    _decoupled_weight_decay = True

    def __init__(self, params=None, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 1e-2, amsgrad: bool = False,
                 *, maximize: bool = False, **keras_names):
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                         amsgrad=amsgrad, maximize=maximize, **keras_names)
