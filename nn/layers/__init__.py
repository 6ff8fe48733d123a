"""The layers, one file each: ``nn.layers.Dense`` lives in ``nn/layers/dense.py``.

``from nn.layers import Dense, Dropout`` works as ``from keras.layers import ...``.
"""

from .activation import Activation
from .base import Layer, clear_session
from .batch_normalization import BatchNormalization
from .dense import Dense
from .dropout import Dropout
from .flatten import Flatten
from .input import Input
from .input_layer import InputLayer
from .linear import Linear

__all__ = ["Activation", "BatchNormalization", "Dense", "Dropout", "Flatten", "Input", "InputLayer",
           "Layer", "Linear", "clear_session"]
