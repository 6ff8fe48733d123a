"""Models: ``Sequential``, the functional ``Model``, and saving them
(``keras.models`` → ``nn.models``).

- ``sequential.py``: a stack of layers;
- ``functional.py``: ``Model(inputs, outputs)`` and subclassed models;
- ``training.py``: compile, fit, evaluate, predict (shared by both);
- ``summary.py``: ``model.summary()``;
- ``saving.py``: ``model.save(path)`` and ``load_model(path)``.
"""

from .functional import Model, SymbolicTensor
from .saving import load_model, model_from_config, save_model
from .sequential import Sequential

__all__ = ["Model", "Sequential", "SymbolicTensor", "load_model", "model_from_config",
           "save_model"]
