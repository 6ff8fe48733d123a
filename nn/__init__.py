"""nn: layers, losses and models built only on the autograd engine.

Keras habits and PyTorch habits both work, on one set of layers.
"""

from . import (
    activations,
    functional,
    initializers,
    layers,
    losses,
    random,
    regularizers,
    serialization,
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

__all__ = ["random", "set_random_seed"]
__all__ += ["Activation", "BatchNormalization", "Dense", "Dropout", "Flatten", "Input", "Layer",
            "Linear", "Module", "activations", "clear_session", "functional", "initializers",
            "layers", "losses", "regularizers", "serialization"]
