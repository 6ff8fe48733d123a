"""optim: optimisers and learning-rate schedules, built only on the autograd engine.

Each optimiser follows PyTorch's documented algorithm and defaults; its docstring
gives the update rule and how it maps to the course's formulas. Keras spellings
(``learning_rate``, ``rho``, ``beta_1``, ``beta_2``, ``epsilon``) work too.

>>> import numpy as np
>>> from autograd import Value
>>> import optim
>>> w = Value(np.array([3.0]))
>>> opt = optim.Adam([w], lr=0.1)
>>> for _ in range(100):
...     opt.zero_grad(); ((w - 1) ** 2).sum().backward(); opt.step()
>>> abs(float(w.data[0]) - 1) < 0.1
True
"""

from .adam import Adam
from .adamw import AdamW
from .lr_scheduler import CosineAnnealingLR, ExponentialLR, LRScheduler, StepLR
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = ["SGD", "Adam", "AdamW", "CosineAnnealingLR", "ExponentialLR", "LRScheduler",
           "Optimizer", "RMSprop", "StepLR", "lr_scheduler"]

from . import lr_scheduler
