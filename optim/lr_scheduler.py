"""Learning-rate schedules, as ``torch.optim.lr_scheduler``: step, exponential, cosine.

A schedule changes ``group["lr"]`` of its optimiser's parameter groups each time
its ``step()`` is called, usually once per epoch, after the optimiser's steps:

>>> import numpy as np
>>> from autograd import Value
>>> from optim import SGD, StepLR
>>> opt = SGD([Value(np.zeros(2))], lr=1.0)
>>> sched = StepLR(opt, step_size=2, gamma=0.5)
>>> lrs = []
>>> for epoch in range(5):
...     lrs.append(sched.get_last_lr()[0])   # ... train one epoch with this lr ...
...     sched.step()
>>> lrs
[1.0, 1.0, 0.5, 0.5, 0.25]

For Keras-style training, ``nn.LearningRateScheduler(schedule)`` does the same
from a callback.
"""

from __future__ import annotations

import math
from typing import Any

from .optimizer import Optimizer, check_range

__all__ = ["CosineAnnealingLR", "ExponentialLR", "LRScheduler", "StepLR"]


class LRScheduler:
    """Base class of the schedules: remembers the initial learning rates and the epoch.

    Creating a schedule records each group's ``lr`` as ``group["initial_lr"]`` and
    ``base_lrs`` (as PyTorch does), and counts that as epoch 0. Each ``step()``
    moves to the next epoch and writes ``get_lr()`` into the groups. Subclasses
    write ``get_lr``, for example a linear warm-up over 4 epochs:

    >>> import numpy as np
    >>> from autograd import Value
    >>> from optim import SGD
    >>> class WarmUp(LRScheduler):
    ...     def get_lr(self):
    ...         return [base * min(1, (self.last_epoch + 1) / 4) for base in self.base_lrs]
    >>> sched = WarmUp(SGD([Value(np.zeros(1))], lr=0.1))
    >>> sched.get_last_lr()                             # epoch 0: a quarter of the rate
    [0.025]
    >>> for epoch in range(3):
    ...     sched.step()
    >>> sched.get_last_lr()                             # epoch 3: the full rate
    [0.1]
    """

    def __init__(self, optimizer: Optimizer):
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(self).__name__} needs an optim optimiser, got "
                            f"{type(optimizer).__name__}")
        if not optimizer.param_groups:
            raise RuntimeError(f"{type(self).__name__}: the optimiser has no parameters yet; "
                               f"bind it first (optimizer.bind(model.parameters()), or "
                               f"model.compile), or use nn.LearningRateScheduler with fit")
        self.optimizer = optimizer
        for group in optimizer.param_groups:
            group.setdefault("initial_lr", group["lr"])
        self.base_lrs: list[float] = [g["initial_lr"] for g in optimizer.param_groups]
        self.last_epoch = -1
        self._step_count = 0
        self._is_initial = True
        self.step()
        self._is_initial = False

    def get_lr(self) -> list[float]:
        """The learning rates of the epoch ``last_epoch`` has just become."""
        raise NotImplementedError

    def step(self) -> None:
        """Move to the next epoch and set its learning rates (call after ``optimizer.step()``)."""
        self._step_count += 1
        self.last_epoch += 1
        lrs = self.get_lr()
        for group, lr in zip(self.optimizer.param_groups, lrs, strict=True):
            group["lr"] = lr
        self._last_lr = [g["lr"] for g in self.optimizer.param_groups]

    def get_last_lr(self) -> list[float]:
        """The learning rates last set, one per parameter group (a list, as PyTorch)."""
        return list(self._last_lr)

    def _current(self) -> list[float]:
        return [g["lr"] for g in self.optimizer.param_groups]

    def state_dict(self) -> dict[str, Any]:
        """Everything but the optimiser (as PyTorch): restore with ``load_state_dict``."""
        return {k: (list(v) if isinstance(v, list) else v)
                for k, v in self.__dict__.items() if k != "optimizer"}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore a state saved by ``state_dict()``."""
        expected = set(self.state_dict())
        if set(state_dict) != expected:
            raise ValueError(f"{type(self).__name__}.load_state_dict expects keys "
                             f"{sorted(expected)}, got {sorted(state_dict)}")
        self.__dict__.update({k: (list(v) if isinstance(v, list) else v)
                              for k, v in state_dict.items()})

    def __repr__(self) -> str:
        hyper = ", ".join(f"{k}={v!r}" for k, v in self.__dict__.items()
                          if not k.startswith("_") and k not in ("optimizer", "base_lrs"))
        return f"{type(self).__name__}({hyper})"


class StepLR(LRScheduler):
    """Multiply the learning rate by ``gamma`` every ``step_size`` epochs.

    lr_epoch = base_lr · gamma^⌊epoch / step_size⌋ (computed as PyTorch does: the
    current lr times gamma on each multiple of step_size, so changes made to
    ``group["lr"]`` from outside are kept).

    >>> import numpy as np
    >>> from autograd import Value
    >>> from optim import SGD
    >>> opt = SGD([Value(np.zeros(1))], lr=0.1)
    >>> sched = StepLR(opt, step_size=30, gamma=0.1)   # 0.1 until epoch 30, 0.01 until 60...
    """

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1):
        if isinstance(step_size, bool) or not isinstance(step_size, int) or step_size < 1:
            raise ValueError(f"StepLR: step_size must be an integer >= 1, got {step_size!r}")
        check_range("StepLR", "gamma", gamma, 0, float("inf"))
        self.step_size = step_size
        self.gamma = gamma
        super().__init__(optimizer)

    def get_lr(self) -> list[float]:
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return self._current()
        return [lr * self.gamma for lr in self._current()]


class ExponentialLR(LRScheduler):
    """Multiply the learning rate by ``gamma`` every epoch: lr_epoch = base_lr · gamma^epoch.

    >>> import numpy as np
    >>> from autograd import Value
    >>> from optim import SGD
    >>> opt = SGD([Value(np.zeros(1))], lr=1.0)
    >>> sched = ExponentialLR(opt, gamma=0.5)
    >>> sched.step(); sched.step(); sched.get_last_lr()
    [0.25]
    """

    def __init__(self, optimizer: Optimizer, gamma: float):
        check_range("ExponentialLR", "gamma", gamma, 0, float("inf"))
        self.gamma = gamma
        super().__init__(optimizer)

    def get_lr(self) -> list[float]:
        if self._is_initial:
            return self._current()
        return [lr * self.gamma for lr in self._current()]


class CosineAnnealingLR(LRScheduler):
    r"""Anneal the learning rate from its initial value to ``eta_min`` along a cosine.

    The closed form (SGDR without restarts), for epoch T_cur::

        η_t = η_min + ½ (η_max − η_min) (1 + cos(π T_cur / T_max))

    computed, as PyTorch does, by the recursion

        η_{t+1} = η_min + (η_t − η_min) · (1 + cos(π (T_cur + 1) / T_max))
                                         / (1 + cos(π T_cur / T_max))

    which gives the same values (up to rounding) and keeps changes made to
    ``group["lr"]`` from outside. Past ``T_max`` the rate climbs back up along
    the same cosine (period 2·T_max), as in PyTorch.

    >>> import numpy as np
    >>> from autograd import Value
    >>> from optim import SGD
    >>> opt = SGD([Value(np.zeros(1))], lr=1.0)
    >>> sched = CosineAnnealingLR(opt, T_max=2)
    >>> sched.step(); round(sched.get_last_lr()[0], 6)    # ½ (1 + cos(π/2))
    0.5
    """

    def __init__(self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0):
        if isinstance(T_max, bool) or not isinstance(T_max, int) or T_max < 1:
            raise ValueError(f"CosineAnnealingLR: T_max must be an integer >= 1, got "
                             f"{T_max!r}")
        check_range("CosineAnnealingLR", "eta_min", eta_min, 0, float("inf"))
        self.T_max = T_max
        self.eta_min = eta_min
        super().__init__(optimizer)

    def get_lr(self) -> list[float]:
        if self._is_initial:
            return self._current()
        e, T, eta_min = self.last_epoch, self.T_max, self.eta_min
        if (e - 1 - T) % (2 * T) == 0:
            # leaving the bottom (cos = −1), where the recursion would divide by zero
            return [lr + (base - eta_min) * (1 - math.cos(math.pi / T)) / 2
                    for lr, base in zip(self._current(), self.base_lrs, strict=True)]
        return [(1 + math.cos(math.pi * e / T)) / (1 + math.cos(math.pi * (e - 1) / T))
                * (lr - eta_min) + eta_min for lr in self._current()]
