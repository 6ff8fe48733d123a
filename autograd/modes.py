"""Context managers that change how the engine records: no_grad, enable_grad, name_scope."""

from __future__ import annotations

from contextlib import contextmanager

from . import value as _value

__all__ = ["enable_grad", "is_grad_enabled", "name_scope", "no_grad"]


@contextmanager
def no_grad():
    """Record nothing inside: results are plain leaves that do not require grad.

    For evaluation and for optimiser updates, where no gradient is wanted.

    >>> from autograd import Value
    >>> w = Value(1.0)
    >>> with no_grad():
    ...     y = w * 2
    >>> y.requires_grad, y.parents
    (False, ())
    """
    was = _value.GRAD_ENABLED
    _value.GRAD_ENABLED = False
    try:
        yield
    finally:
        _value.GRAD_ENABLED = was


@contextmanager
def enable_grad():
    """Record again inside a ``no_grad()`` block."""
    was = _value.GRAD_ENABLED
    _value.GRAD_ENABLED = True
    try:
        yield
    finally:
        _value.GRAD_ENABLED = was


def is_grad_enabled() -> bool:
    """Whether operations are being recorded right now."""
    return _value.GRAD_ENABLED


@contextmanager
def name_scope(name: str):
    """Tag every Value created inside with ``name`` (nested scopes join with "/").

    ``draw_graph`` draws each scope as a labelled cluster; nn layers open one
    with their layer name.

    >>> from autograd import Value
    >>> with name_scope("hidden"):
    ...     with name_scope("neuron0"):
    ...         z = Value(1.0) * 2
    >>> z.scope
    'hidden/neuron0'
    """
    name = str(name)
    if not name or "/" in name:
        raise ValueError(f"a scope name must be non-empty and without '/', got {name!r}")
    was = _value.SCOPE
    _value.SCOPE = f"{was}/{name}" if was else name
    try:
        yield
    finally:
        _value.SCOPE = was
