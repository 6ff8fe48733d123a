"""The DOT side of drawing: a ``graphviz.Digraph`` that explains a missing Graphviz, and
the emission of a :class:`~autograd.draw.structure.Picture` into one.

This is the only module that imports the graphviz package; ``autograd`` imports it
only when something is drawn.
"""

from __future__ import annotations

import functools

import graphviz

from . import labels as L
from .structure import REST, Picture, natural_order

__all__ = ["INSTALL_HINT", "Drawing", "GraphvizNotFound", "emit"]

INSTALL_HINT = (
    "Rendering a drawn graph (to SVG or PNG, or inline in Jupyter) needs the Graphviz "
    "program 'dot', which is not installed or not on PATH. Install Graphviz itself "
    "(pip's graphviz package is only the Python side):\n"
    "    Debian/Ubuntu:  sudo apt-get install graphviz\n"
    "    macOS:          brew install graphviz\n"
    "    conda:          conda install -c conda-forge graphviz\n"
    "then restart Python. Without it, the DOT text is still available as .source."
)


class GraphvizNotFound(graphviz.ExecutableNotFound):
    """Raised when a drawing is rendered without Graphviz's ``dot`` program installed.

    A ``graphviz.ExecutableNotFound`` (and so a ``RuntimeError``), with a message that
    says how to install it.

    >>> "apt-get install graphviz" in str(GraphvizNotFound())
    True
    """

    def __init__(self, message: str = INSTALL_HINT) -> None:
        RuntimeError.__init__(self, message)


def _explain_missing_dot(method):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except graphviz.ExecutableNotFound:
            raise GraphvizNotFound() from None     # one message, not graphviz's traceback
    return wrapper


class Drawing(graphviz.Digraph):
    """A ``graphviz.Digraph`` whose rendering, when Graphviz is missing, fails with one
    message saying how to install it. Displays inline in Jupyter.

    >>> d = Drawing()
    >>> d.node("x")
    >>> d.source
    'digraph {\\n\\tx\\n}\\n'
    """

    render = _explain_missing_dot(graphviz.Digraph.render)
    pipe = _explain_missing_dot(graphviz.Digraph.pipe)
    unflatten = _explain_missing_dot(graphviz.Digraph.unflatten)
    _repr_mimebundle_ = _explain_missing_dot(graphviz.Digraph._repr_mimebundle_)

    drawn = total = 0          # graph nodes drawn, and in the whole graph (set by emit)

    def __repr__(self) -> str:
        # No memory address: a notebook's saved text output stays the same from run to run.
        hidden = f", {self.total - self.drawn} more collapsed" if self.total > self.drawn else ""
        return f"<Drawing of a computation graph: {self.drawn} nodes drawn{hidden}>"


# ---- a Picture as DOT ------------------------------------------------------------------------

_CLUSTER_FILLS = ("#f8fafc", "#eef2f7", "#e5eaf1")    # nested clusters a shade darker


def emit(picture: Picture, *, grads, show_grad: bool, rankdir: str, highlight,
         fmt: str, caption: str = "") -> Drawing:
    """The Drawing of ``picture``: gradients looked up in ``grads`` (``grads(v)`` returns
    the gradient or None), the Values in ``highlight`` (a set of ids) highlighted.

    >>> from autograd import Value
    >>> from autograd.draw.structure import plan
    >>> g = emit(plan(Value(2.0) * 3, 300), grads=lambda v: None, show_grad=True,
    ...          rankdir="LR", highlight=set(), fmt="svg")
    >>> g.source.startswith("digraph")
    True"""
    g = Drawing(format=fmt)
    g.drawn, g.total = picture.drawn, picture.total
    g.attr("graph", rankdir=rankdir, fontname=L.FONT, fontsize="11", nodesep="0.22",
           ranksep="0.3", newrank="true", labelloc="t", labeljust="l")
    g.attr("node", fontname=L.FONT, fontsize="11", color=L.INK, fontcolor=L.INK)
    g.attr("edge", fontname=L.FONT, fontsize="9", color="#4b5563", arrowsize="0.6",
           fontcolor=L.MUTED)
    notes = [caption] if caption else []
    if picture.boxes:
        notes.append(f"{picture.drawn} of {picture.total} nodes drawn; the dashed boxes "
                     f"stand for the other {picture.hidden}")
    if notes:
        g.attr("graph", label="\\l".join(notes) + "\\l", fontsize="12")   # \l: left-aligned

    root = picture.root
    clusters: dict[str, list] = {}                 # scope path -> node statements
    ids = picture.ids
    box_of = picture.box_of
    for v in picture.values:
        if id(v) in box_of:
            continue
        vid = ids[id(v)]
        lines = clusters.setdefault(picture.cluster_path(v), [])
        lines.append(_value_node(v, vid, grads, show_grad, v is root, id(v) in highlight))
        if v.parents:
            lines.append(_op_node(v, "op" + vid[1:]))
    for box in picture.boxes:
        if box.key == REST:
            path, name, what = "", "far from the output", "hidden"
        else:
            path, _, name = box.key.rpartition("/")
            what = "inside"
        lit = any(id(m) in highlight for m in box.members)
        clusters.setdefault(path, []).append(
            (box.id, {"label": L.box_label(name, box.hidden, what), "shape": "box",
                      "style": "rounded,dashed,filled",
                      "fillcolor": L.HIGHLIGHT_FILL if lit else "#eef2ff",
                      "color": "#6366f1", "penwidth": "3" if lit else "1.2"}))
    _emit_clusters(g, clusters)
    for tail, head, attrs in _edges(picture):
        g.edge(tail, head, **attrs)
    return g


def _value_node(v, vid, grads, show_grad, is_root, lit):
    if not v.parents and not v.requires_grad and not v.label:   # a constant: drawn small
        return vid, {"label": L.constant_text(v.data), "shape": "plaintext",
                     "fontsize": "10", "fontcolor": L.MUTED, "height": "0.2",
                     "width": "0.2", "margin": "0.02",
                     **({"style": "filled", "fillcolor": L.HIGHLIGHT_FILL} if lit else {})}
    if is_root:
        fill = L.OUTPUT_FILL
    elif not v.parents and v.requires_grad:
        fill = L.PARAM_FILL
    else:
        fill = "white"
    label = L.value_label(name=v.label, data=v.data, grad=grads(v) if show_grad else None,
                          show_grad=show_grad and v.requires_grad, fill=fill, lit=lit,
                          root=is_root)
    return vid, {"label": label, "shape": "plain"}


def _op_node(v, oid):
    symbol, details = L.op_text(v.op, v._attrs)
    text = symbol if not details else f"{symbol}\\n{details}"        # \n: DOT's line break
    short = len(symbol) == 1 and not details
    return oid, {"label": text, "shape": "circle" if short else "ellipse",
                 "style": "filled", "fillcolor": "#f3f4f6", "color": "#9ca3af",
                 "fontsize": "14" if short else "10", "width": "0.3", "height": "0.3",
                 "margin": "0.02"}


def _edges(picture: Picture):
    """(tail, head, attrs) along the data flow: argument -> op -> result; boxes deduplicated
    (two drawn nodes keep every edge: ``a * a`` has two)."""
    ids, box_of = picture.ids, picture.box_of
    seen = set()
    for v in picture.values:
        vbox = box_of.get(id(v))
        if vbox is None and v.parents:
            oid = "op" + ids[id(v)][1:]
            yield oid, ids[id(v)], {}
            n = len(v.parents)
            for i, p in enumerate(v.parents):
                pbox = box_of.get(id(p))
                role = L.role(v.op, i, n)
                attrs = {"label": role} if role else {}
                if pbox is None:
                    yield ids[id(p)], oid, attrs
                elif (pbox.id, oid, role) not in seen:
                    seen.add((pbox.id, oid, role))
                    yield pbox.id, oid, attrs
        elif vbox is not None:
            for p in v.parents:
                pbox = box_of.get(id(p))
                tail = ids[id(p)] if pbox is None else pbox.id
                if pbox is not vbox and (tail, vbox.id) not in seen:
                    seen.add((tail, vbox.id))
                    yield tail, vbox.id, {"style": "dashed"} if pbox else {}


def _emit_clusters(g, clusters: dict) -> None:
    """Node statements into nested ``cluster_`` subgraphs, one per scope path."""
    children: dict[str, set] = {}
    for path in clusters:
        parts = path.split("/") if path else []
        for k in range(len(parts)):
            children.setdefault("/".join(parts[:k]), set()).add("/".join(parts[:k + 1]))
    numbering = {}

    def fill(graph, path, depth):
        for nid, attrs in clusters.get(path, ()):
            graph.node(nid, **attrs)
        for child in sorted(children.get(path, ()), key=natural_order):
            numbering[child] = len(numbering)
            with graph.subgraph(name=f"cluster_{numbering[child]}") as sub:
                sub.attr(label=child.rpartition("/")[2], style="rounded,filled",
                         fillcolor=_CLUSTER_FILLS[min(depth, len(_CLUSTER_FILLS) - 1)],
                         color="#94a3b8", fontcolor="#334155", fontsize="11",
                         labeljust="l", margin="10")
                fill(sub, child, depth + 1)

    fill(g, "", 0)
