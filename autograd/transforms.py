"""grad and value_and_grad: turn a function into the function that returns its gradient.

They compose: ``grad(grad(f))`` is the second derivative, because when the inner
``grad`` is called on Values that are being differentiated, it returns its
gradient as a Value built from the graph (the derivative rules run on Values).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from . import value as _value
from .backward import gradients
from .value import Value

__all__ = ["grad", "value_and_grad"]

_DEPTH = 0   # how many grad transforms are running their function right now


def value_and_grad(f: Callable, argnums: int | tuple[int, ...] = 0) -> Callable:
    """``f`` -> a function returning ``(f(*args), df/d args[argnums])`` as plain data.

    The arguments named by ``argnums`` are wrapped as Values; the others reach ``f``
    exactly as given. ``f`` must return a Value with one element.

    >>> value_and_grad(lambda x: x ** 3)(2.0)
    (8.0, 12.0)
    """
    nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)

    @functools.wraps(f)
    def wrapped(*args, **kwargs):
        global _DEPTH
        if any(not -len(args) <= i < len(args) for i in nums):
            raise TypeError(f"argnums={argnums} does not fit the {len(args)} argument(s) given")
        args = list(args)
        # Inside an outer grad, with inputs that are Values being differentiated: build
        # the gradient as a graph the outer grad can differentiate again.
        nested = _DEPTH > 0 and _value.GRAD_ENABLED and any(
            type(args[i]) is Value and args[i].requires_grad for i in nums)
        inputs = []
        for i in nums:
            a = args[i]
            x = a if nested and type(a) is Value else Value(a.data if type(a) is Value else a)
            args[i] = x
            inputs.append(x)
        _DEPTH += 1
        try:
            out = f(*args, **kwargs)
        finally:
            _DEPTH -= 1
        if type(out) is not Value:
            raise TypeError(f"the function given to grad must return a Value, it returned "
                            f"{type(out).__name__}")
        if out.size != 1:
            raise ValueError(f"grad needs a function with one output number; this one "
                             f"returned shape {out.shape} (take .sum() or .mean() first)")
        gs = gradients(out, inputs, create_graph=nested)   # zeros where f ignores an input
        value = out if nested else out.data
        g = gs[0] if isinstance(argnums, int) else tuple(gs)
        return value, g

    return wrapped


def grad(f: Callable, argnums: int | tuple[int, ...] = 0) -> Callable:
    """``f`` -> the function returning df/d args[argnums] (plain numbers or arrays).

    >>> from autograd import Value
    >>> dsig = grad(lambda x: x.sigmoid())
    >>> dsig(0.0)                                   # sigma'(0) = 1/4
    0.25
    >>> round(grad(dsig)(0.0), 12)                  # sigma''(0) = 0
    0.0
    """
    vg = value_and_grad(f, argnums)

    @functools.wraps(f)
    def wrapped(*args, **kwargs):
        return vg(*args, **kwargs)[1]

    return wrapped
