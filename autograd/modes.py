"""Context managers that change how the engine records: no_grad, enable_grad, name_scope.

Written as small classes rather than ``@contextmanager`` generators: layers open a
``name_scope`` and optimisers a ``no_grad`` on every call, and a generator-based
context manager costs about a microsecond each time, which on an Iris-sized
network is a visible share of a training step.
"""

from __future__ import annotations

from . import value as _value

__all__ = ["enable_grad", "is_grad_enabled", "name_scope", "no_grad"]


class _GradMode:
    """Set whether operations are recorded, and restore the previous setting on exit."""

    __slots__ = ("_was",)
    enabled: bool

    def __enter__(self):
        self._was = _value.GRAD_ENABLED
        _value.GRAD_ENABLED = self.enabled
        return self

    def __exit__(self, *exc):
        _value.GRAD_ENABLED = self._was
        return False


class no_grad(_GradMode):
    """Record nothing inside: results are plain leaves that do not require grad.

    For evaluation and for optimiser updates, where no gradient is wanted.

    >>> from autograd import Value
    >>> w = Value(1.0)
    >>> with no_grad():
    ...     y = w * 2
    >>> y.requires_grad, y.parents
    (False, ())
    """

    __slots__ = ()
    enabled = False


class enable_grad(_GradMode):
    """Record again inside a ``no_grad()`` block.

    >>> from autograd import Value
    >>> with no_grad():
    ...     with enable_grad():
    ...         y = Value(1.0) * 2
    >>> y.requires_grad
    True
    """

    __slots__ = ()
    enabled = True


def is_grad_enabled() -> bool:
    """Whether operations are being recorded right now.

    >>> with no_grad():
    ...     is_grad_enabled()
    False
    """
    return _value.GRAD_ENABLED


class name_scope:
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

    __slots__ = ("_was", "name")

    def __init__(self, name: str):
        if type(name) is not str:
            name = str(name)
        if not name or "/" in name:
            raise ValueError(f"a scope name must be non-empty and without '/', got {name!r}")
        self.name = name
        self._was: list[str] = []

    # One object may be entered again before it exits (a scope kept in a variable and
    # entered by a recursive function): the scopes to go back to are a stack. (nn's
    # Layer.__call__ opens its layer's scope with these same lines, without a with block.)
    def __enter__(self):
        was = _value.SCOPE
        self._was.append(was)
        _value.SCOPE = f"{was}/{self.name}" if was else self.name
        return self

    def __exit__(self, *exc):
        _value.SCOPE = self._was.pop()
        return False
