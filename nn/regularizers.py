"""Weight penalties L1 and L2, as Keras defines them (no ½ in L2).

A regulariser is called on a Value and returns the penalty as a Value in the
graph, so its gradient comes from ``backward`` like the rest of the loss::

    Dense(64, activation="relu", kernel_regularizer=l2(0.01))
    loss = data_loss + sum(model.losses)          # what fit does for you

- ``L1(l1)``: l1·Σ|w|, gradient l1·sign(w) (pushes weights to exactly 0).
- ``L2(l2)``: l2·Σw², gradient 2·l2·w (weight decay; the slides' λ/2·Σw² is
  ``L2(λ/2)``).
- ``L1L2(l1, l2)``: both.

``l1``, ``l2`` and ``l1_l2`` are the same classes under Keras's lower-case names.
"""

from __future__ import annotations

import math

import numpy as np

from autograd import Value

from .config import Catalog, Configurable

__all__ = ["L1", "L1L2", "L2", "Regularizer", "deserialize", "get", "l1", "l1_l2", "l2",
           "serialize"]


def _factor(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)) \
            or not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a non-negative number, got {name}={value!r}")
    return float(value)


class Regularizer(Configurable):
    """Base class: ``reg(weight)`` returns the penalty of one weight Value.

    >>> from autograd import Value
    >>> L2(0.5)(Value([1.0, 2.0])).item()
    2.5
    """

    def __call__(self, x: Value) -> Value:
        raise NotImplementedError



class L1(Regularizer):
    """l1·Σ|w| (default l1 = 0.01, as Keras).

    >>> from autograd import Value
    >>> L1(0.1)(Value([1.0, -2.0])).item()
    0.30000000000000004
    """

    def __init__(self, l1: float = 0.01):
        self.l1 = _factor(l1, "l1")

    def __call__(self, x: Value) -> Value:
        return self.l1 * x.abs().sum()

    def get_config(self) -> dict:
        return {"l1": self.l1}


class L2(Regularizer):
    """l2·Σw² (default l2 = 0.01, as Keras; no ½).

    >>> from autograd import Value
    >>> L2(0.1)(Value([1.0, -2.0])).item()
    0.5
    """

    def __init__(self, l2: float = 0.01):
        self.l2 = _factor(l2, "l2")

    def __call__(self, x: Value) -> Value:
        return self.l2 * (x * x).sum()

    def get_config(self) -> dict:
        return {"l2": self.l2}


class L1L2(Regularizer):
    """l1·Σ|w| + l2·Σw² (both 0 by default, as Keras).

    >>> from autograd import Value
    >>> L1L2(l1=0.1, l2=0.1)(Value([1.0, -2.0])).item()
    0.8
    """

    def __init__(self, l1: float = 0.0, l2: float = 0.0):
        self.l1, self.l2 = _factor(l1, "l1"), _factor(l2, "l2")

    def __call__(self, x: Value) -> Value:
        terms = []
        if self.l1:
            terms.append(self.l1 * x.abs().sum())
        if self.l2:
            terms.append(self.l2 * (x * x).sum())
        if not terms:
            return Value(np.zeros((), dtype=x.dtype), requires_grad=False)
        return terms[0] + terms[1] if len(terms) == 2 else terms[0]

    def get_config(self) -> dict:
        return {"l1": self.l1, "l2": self.l2}


# Keras's lower-case names are the classes themselves: l2(0.01) is L2(0.01).
l1 = L1
l2 = L2
l1_l2 = L1L2

_CLASSES = {"L1": L1, "L2": L2, "L1L2": L1L2}
_CATALOG = Catalog("regularizer", _CLASSES.values())
NAMES = {"l1": L1, "l2": L2, "l1_l2": L1L2, **_CLASSES}


def get(identifier) -> Regularizer | None:
    """A regulariser from a name ("l2" gives L2(0.01)), a config dict, an instance or a
    callable(weight) -> penalty; None stays None.

    >>> get("l1")
    L1(l1=0.01)
    """
    if identifier is None or isinstance(identifier, Regularizer):
        return identifier
    if isinstance(identifier, str):
        if identifier not in NAMES:
            raise ValueError(f"unknown regularizer {identifier!r}; known names: "
                             f"{', '.join(NAMES)}")
        return NAMES[identifier]()
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise ValueError(f"a regularizer must be a name such as 'l2', a Regularizer or a "
                     f"callable(weight); got {identifier!r}")


def serialize(regularizer: Regularizer) -> dict:
    """``{"class_name": ..., "config": ...}`` for JSON.

    >>> serialize(L2(0.1))
    {'class_name': 'L2', 'config': {'l2': 0.1}}
    """
    return _CATALOG.serialize(regularizer)


def deserialize(config: dict) -> Regularizer:
    """The inverse of :func:`serialize`.

    >>> deserialize({"class_name": "L1", "config": {"l1": 0.5}})
    L1(l1=0.5)
    """
    return _CATALOG.deserialize(config)
