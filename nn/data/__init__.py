"""nn.data: data sets, preprocessing and mini-batches.

>>> from nn import data
>>> X, y = data.load_iris()
>>> X_train, X_test, y_train, y_test = data.train_test_split(X, y, stratify=True)
>>> scaler = data.StandardScaler().fit(X_train)      # training statistics only
>>> X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
>>> T_train = data.one_hot(y_train)                  # for categorical_crossentropy
>>> X_train.shape, T_train.shape, X_test.shape
((112, 4), (112, 3), (38, 4))
"""

from .batching import batches
from .datasets import (
    load_digits,
    load_iris,
    make_circles,
    make_moons,
    make_spirals,
    make_xor,
)
from .preprocessing import StandardScaler, one_hot, train_test_split, train_val_test_split

__all__ = ["StandardScaler", "batches", "load_digits", "load_iris", "make_circles",
           "make_moons", "make_spirals", "make_xor", "one_hot", "train_test_split",
           "train_val_test_split"]
