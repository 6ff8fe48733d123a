"""nn: layers, losses and models built only on the autograd engine.

Keras habits and PyTorch habits both work, on one set of layers.
"""

from . import (
    activations,
    data,
    functional,
    initializers,
    layers,
    losses,
    random,
    regularizers,
    scalar,
    serialization,
    teaching,
)
from .layers import (
    Activation,
    BatchNormalization,
    Dense,
    Dropout,
    Flatten,
    Input,
    Layer,
    Linear,
    clear_session,
)
from .module import Module
from .random import set_random_seed

__all__ = [
    "Activation", "BatchNormalization", "Dense", "Dropout", "Flatten", "Input", "Layer",
    "Linear", "Module", "activations", "clear_session", "data", "functional",
    "initializers", "layers", "losses", "random", "regularizers", "scalar", "serialization",
    "set_random_seed", "teaching",
]
