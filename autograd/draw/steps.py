"""Backprop, step by step: the backward pass replayed one node at a time.

The replay is the engine's own pass (``autograd.backward._backprop``, with its
``on_step`` hook), not a second implementation of the chain rule: each step is the
moment a node's gradient is complete, just before it is handed on to the node's
inputs. No ``.grad`` is touched.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import NamedTuple

from ..value import Value

__all__ = ["Step", "backward_steps", "draw_backward_steps"]


class Step(NamedTuple):
    """One step of a replayed backward pass.

    ``node`` is the Value being processed, ``grad`` its gradient d(root)/d(node), complete
    at this step, and ``grads_so_far`` maps every node processed so far (this one
    included) to its gradient.

    >>> from autograd import Value
    >>> x = Value(3.0, label="x")
    >>> steps = backward_steps(x * x)
    >>> [(s.node.label or s.node.op, s.grad) for s in steps]
    [('mul', 1.0), ('x', 6.0)]
    """

    node: Value
    grad: object
    grads_so_far: Mapping


class GradsSoFar(Mapping):
    """node -> gradient for the first ``n`` processed nodes: a read-only view that every
    step shares, so a pass of N steps costs N entries, not N^2."""

    __slots__ = ("_grads", "_n", "_nodes", "_position")

    def __init__(self, nodes: list, grads: list, position: dict, n: int):
        self._nodes, self._grads, self._position, self._n = nodes, grads, position, n

    def __getitem__(self, node: Value):
        i = self._position.get(node) if isinstance(node, Value) else None
        if i is None or i >= self._n:
            raise KeyError(node)
        return self._grads[i]

    def __iter__(self) -> Iterator[Value]:
        return iter(self._nodes[:self._n])

    def __len__(self) -> int:
        return self._n

    def __repr__(self) -> str:
        return f"<gradients of {self._n} node{'s' * (self._n != 1)}>"


def backward_steps(root: Value, grad=None) -> list[Step]:
    """The backward pass from ``root`` replayed one node at a time, without touching
    any ``.grad``: one :class:`Step` per node that gets a gradient, in the order backward
    processes them (root first, each node after all its users). The last step's
    ``grads_so_far`` holds the gradients ``root.backward(grad)`` would give.

    >>> from autograd import Value
    >>> x = Value(2.0, label="x")
    >>> y = (x ** 2).sin().exp()
    >>> [s.node.label or s.node.op for s in backward_steps(y)]
    ['exp', 'sin', 'power', 'x']
    >>> round(backward_steps(y)[-1].grad, 4)
    -1.2267
    >>> x.has_grad
    False
    """
    from ..backward import _backprop, _seed, backward_order
    if not isinstance(root, Value):
        raise TypeError(f"backward_steps needs a Value, got {type(root).__name__}")
    if not root.requires_grad:
        raise RuntimeError("backward_steps() needs a Value that depends on something that "
                           "requires grad; this one does not")
    seed = _seed(root, grad)
    order = backward_order(root)
    nodes, grads = [], []

    def record(node):
        if node._pg is not None:                 # complete: all its users came before it
            nodes.append(node)
            grads.append(node._pg)

    try:
        _backprop(order, seed, on_step=record)
    finally:
        for node in order:                       # the scratch space, as backward leaves it
            node._pg = None
    position = {node: i for i, node in enumerate(nodes)}
    return [Step(node, g, GradsSoFar(nodes, grads, position, i + 1))
            for i, (node, g) in enumerate(zip(nodes, grads, strict=True))]


def draw_backward_steps(root: Value, *, grad=None, **draw_kwargs) -> list:
    """One drawing per step of :func:`backward_steps`: the node being processed
    highlighted, the gradients known so far filled in, the others blank. Takes the
    keyword arguments of ``draw_graph``; show the frames with a slider in a notebook.

    >>> from autograd import Value
    >>> x = Value(2.0, label="x")
    >>> frames = draw_backward_steps((x ** 2).sin().exp())
    >>> len(frames)
    4
    >>> import ipywidgets                                  # doctest: +SKIP
    >>> ipywidgets.interact(lambda step: frames[step], step=(0, len(frames) - 1))  # doctest: +SKIP
    """
    from . import _format, _highlighted, _plan
    from .dot import emit
    rankdir = draw_kwargs.pop("rankdir", "LR")
    max_nodes = draw_kwargs.pop("max_nodes", 300)
    highlight = draw_kwargs.pop("highlight", ())
    show_grad = draw_kwargs.pop("show_grad", True)
    fmt = _format(draw_kwargs.pop("format", "svg"))
    if draw_kwargs:
        raise TypeError(f"draw_backward_steps got unexpected arguments "
                        f"{sorted(draw_kwargs)}; it takes those of draw_graph")
    picture = _plan(root, rankdir, max_nodes)
    extra = _highlighted(picture, highlight)
    steps = backward_steps(root, grad)
    frames = []
    for k, step in enumerate(steps, 1):
        caption = f"backward, step {k} of {len(steps)}: {_name(step.node, root)}"
        frames.append(emit(picture, grads=step.grads_so_far.get, show_grad=show_grad,
                           rankdir=rankdir, highlight=extra | {id(step.node)}, fmt=fmt,
                           caption=caption))
    return frames


def _name(node: Value, root: Value) -> str:
    if node.label:
        return node.label
    if node is root:
        return "the output"
    return f"the result of {node.op}" if node.op else "a leaf"
