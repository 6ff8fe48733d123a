"""One seed for a whole run: weights, dropout masks and shuffling all draw from here.

>>> import nn
>>> nn.set_random_seed(0)
>>> a = nn.random.generator().normal()
>>> nn.set_random_seed(0)
>>> a == nn.random.generator().normal()
True
"""

from __future__ import annotations

import numpy as np

__all__ = ["generator", "set_random_seed"]

_GLOBAL = np.random.default_rng()


def set_random_seed(seed: int) -> None:
    """Seed everything drawn without an explicit seed (as ``keras.utils.set_random_seed``).

    >>> set_random_seed(42)
    >>> first = generator().random()
    >>> set_random_seed(42)
    >>> generator().random() == first
    True
    """
    global _GLOBAL
    _GLOBAL = np.random.default_rng(seed)


def generator(seed: int | None = None) -> np.random.Generator:
    """A fresh generator for an explicit ``seed``; the run's shared generator for None.

    >>> bool(generator(0).integers(10) == generator(0).integers(10))   # explicit seeds repeat
    True
    """
    return _GLOBAL if seed is None else np.random.default_rng(seed)
