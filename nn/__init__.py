"""nn: layers, losses and models built only on the autograd engine.

Keras habits and PyTorch habits both work, on one set of layers.
"""

from . import (
    activations,
    callbacks,
    data,
    functional,
    initializers,
    layers,
    losses,
    metrics,
    models,
    random,
    regularizers,
    scalar,
    serialization,
    teaching,
)
from .callbacks import Callback, EarlyStopping, History, LearningRateScheduler
from .layers import (
    Activation,
    BatchNormalization,
    Dense,
    Dropout,
    Flatten,
    Input,
    InputLayer,
    Layer,
    Linear,
    clear_session,
)
from .models import Model, Sequential, load_model
from .module import Module
from .random import set_random_seed

__all__ = [
    "Activation", "BatchNormalization", "Dense", "Dropout", "Flatten", "Input", "Layer",
    "Linear", "Module", "activations", "clear_session", "data", "functional",
    "initializers", "layers", "losses", "random", "regularizers", "scalar", "serialization",
    "set_random_seed", "teaching",
    "Callback", "EarlyStopping", "History", "InputLayer", "LearningRateScheduler", "Model",
    "Sequential", "callbacks", "load_model", "metrics", "models",
]
