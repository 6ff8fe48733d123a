"""nn: layers, losses and models built only on the autograd engine.

Keras habits and PyTorch habits both work, on one set of layers.
"""

from . import data, random, teaching
from .random import set_random_seed

__all__ = ["random", "set_random_seed"]
__all__ += ["data", "teaching"]
