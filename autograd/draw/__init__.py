"""Drawing computation graphs, and backprop through them one node at a time.

``draw_graph(root)`` returns a ``graphviz.Digraph`` (it displays inline in Jupyter):
each Value a record [label | data | grad], each op a small node between its inputs and
its result, clusters per ``name_scope``, and past ``max_nodes`` whole scopes collapsed
into boxes. ``backward_steps(root)`` replays a backward pass node by node and
``draw_backward_steps(root)`` draws each step.

- ``structure``: which nodes are drawn and which collapse (no graphviz needed);
- ``labels``: what each node says;
- ``dot``: the DOT output, and the message when Graphviz is missing;
- ``steps``: the backward pass replayed.

The graphviz package is imported only when something is drawn.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..value import Value
from .steps import Step, backward_steps, draw_backward_steps

__all__ = ["Step", "backward_steps", "draw_backward_steps", "draw_graph"]

RANKDIRS = ("LR", "TB", "RL", "BT")


def draw_graph(root: Value, *, show_grad: bool = True, rankdir: str = "LR",
               highlight: Iterable = (), max_nodes: int = 300, format: str = "svg"):
    """Draw the computation graph that produced ``root``, micrograd style.

    Each Value is a record [label | data | grad] (a tensor shows its shape and dtype,
    its values when small, statistics otherwise); each op is a small node between its
    arguments and its result; edges follow the data flow, and for ops where order
    matters (``a - b``, ``a / b``, ``a ** b``, ``a @ b``) the edges say which argument
    is which. Values created inside ``name_scope("...")`` are drawn inside a labelled
    cluster (nested scopes, nested clusters). Constants are drawn small. Gradients not
    computed yet stay blank.

    ``highlight``: Values (or labels) to highlight. ``max_nodes``: past it, whole scopes
    collapse into one box each and the unscoped nodes far from ``root`` into one more,
    each box saying how many nodes it hides. ``format``: what ``.render()`` writes
    ("svg", "png", "pdf" ...). The DOT text (``.source``) needs no Graphviz; rendering
    needs its ``dot`` program, and says how to install it when it is missing.

    >>> from autograd import Value
    >>> x = Value(2.0, label="x")
    >>> y = (x ** 2).sin().exp()
    >>> y.backward()
    >>> g = draw_graph(y)
    >>> "sin" in g.source and "-1.2267" in g.source
    True
    >>> g.render("graph", format="png")      # doctest: +SKIP
    'graph.png'
    """
    picture = _plan(root, rankdir, max_nodes)
    from .dot import emit
    return emit(picture, grads=_current_grad, show_grad=show_grad, rankdir=rankdir,
                highlight=_highlighted(picture, highlight), fmt=_format(format))


def _current_grad(v: Value):
    return v.grad if v.has_grad else None


def _plan(root, rankdir, max_nodes):
    from .structure import plan
    if not isinstance(root, Value):
        raise TypeError(f"draw_graph needs a Value (the output whose graph to draw), got "
                        f"{type(root).__name__}")
    if rankdir not in RANKDIRS:
        raise ValueError(f"rankdir must be one of {', '.join(RANKDIRS)} (LR: left to right), "
                         f"got {rankdir!r}")
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 3:
        raise ValueError(f"max_nodes must be an integer of at least 3 (the output, its op "
                         f"and one box for the rest), got {max_nodes!r}")
    return plan(root, max_nodes)


def _format(fmt: str) -> str:
    import graphviz
    if fmt not in graphviz.FORMATS:
        raise ValueError(f"format {fmt!r} is not one Graphviz writes; try 'svg', 'png' or "
                         f"'pdf'")
    return fmt


def _highlighted(picture, highlight) -> set:
    """The ids of the Values to highlight, given as Values or labels."""
    if isinstance(highlight, (Value, str)):
        highlight = (highlight,)
    wanted = list(highlight)
    names = {h for h in wanted if isinstance(h, str)}
    ids = {id(h) for h in wanted if isinstance(h, Value)}
    unknown = [h for h in wanted if not isinstance(h, (Value, str))]
    if unknown:
        raise TypeError(f"highlight takes Values or labels, got {type(unknown[0]).__name__}")
    return {id(v) for v in picture.values if id(v) in ids or (names and v.label in names)}

