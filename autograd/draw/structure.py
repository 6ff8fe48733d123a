"""What a drawing shows: the graph behind a Value, grouped by ``name_scope``, and past a
node limit collapsed into boxes.

Counting: each Value is one node and each op one more (a Value made by an op is drawn
as the op node feeding the Value's record). Past ``max_nodes``:

1. whole scopes collapse into one box each, at the deepest nesting level that leaves
   room (a 2-16-16-1 MLP keeps its ``layer1`` cluster and shows one box per neuron);
2. of the unscoped nodes, those nearest the root stay (as many whole rings of equal
   distance from the root as fit in what is left, and in a third of ``max_nodes``);
   the rest, far from the root, collapse into one more box.

What flows into the boxes (the inputs of a net) stays drawn, so that the far box only
collects what flows out of them: drawn otherwise, the boxes would feed the far box and
be fed by it, a cycle no layout untangles. Boxes are not reopened when room is left:
a few opened neurons among closed ones draw as a tangle, while all closed read as the
net's diagram.

The root is always drawn. Plain Python: nothing here needs the graphviz package.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..value import Value

__all__ = ["REST", "Box", "Picture", "collect", "natural_order", "plan"]

REST = "\x00rest"     # the key of the box that holds the unscoped remainder


@dataclass
class Box:
    """Several nodes drawn as one: a whole scope (``key`` its path) or the far remainder.

    >>> from autograd import Value
    >>> picture = plan(Value(2.0) * 3 + 1, max_nodes=3)
    >>> [box.hidden for box in picture.boxes]
    [5]
    """

    key: str
    id: str
    hidden: int = 0                        # nodes it stands for (Values and ops)
    members: list = field(default_factory=list)


@dataclass
class Picture:
    """The graph of ``root`` and which of its nodes are drawn, which collapsed.

    >>> from autograd import Value
    >>> picture = plan(Value(2.0) * 3, max_nodes=300)
    >>> picture.drawn, picture.total
    (4, 4)
    """

    root: Value
    values: list                           # every Value of the graph, parents first
    ids: dict                              # id(value) -> DOT node id
    box_of: dict                           # id(value) -> Box, for the collapsed Values
    boxes: list
    depth: int | None                      # scopes at this depth and below are boxes
    total: int                             # nodes of the whole graph (Values and ops)

    @property
    def hidden(self) -> int:
        return sum(b.hidden for b in self.boxes)

    @property
    def drawn(self) -> int:
        return self.total - self.hidden + len(self.boxes)

    def cluster_path(self, v: Value) -> str:
        """The scope a drawn Value sits in (the root next to its box if its scope is one)."""
        if self.depth is not None and v.scope and _depth(v.scope) >= self.depth:
            return _prefix(v.scope, self.depth - 1)
        return v.scope


def collect(root: Value) -> list[Value]:
    """Every Value ``root`` depends on, constants included, each after its parents.

    >>> from autograd import Value
    >>> x = Value(2.0, label="x")
    >>> [v.label or v.op for v in collect(x * x + 1)]
    ['x', 'mul', '', 'add']
    """
    order = []
    seen = {id(root)}
    stack = [(root, iter(root.parents))]
    while stack:                                   # iterative: deep graphs do not recurse
        node, parents = stack[-1]
        for p in parents:
            if id(p) not in seen:
                seen.add(id(p))
                stack.append((p, iter(p.parents)))
                break
        else:
            stack.pop()
            order.append(node)
    return order


def _cost(v: Value) -> int:
    return 2 if v.parents else 1                   # the Value, and the op that made it


def _depth(scope: str) -> int:
    return scope.count("/") + 1 if scope else 0


def _prefix(scope: str, depth: int) -> str:
    return "/".join(scope.split("/")[:depth])


def natural_order(key: str) -> list:
    """Sort key putting neuron2 before neuron10.

    >>> sorted(["neuron10", "neuron2"], key=natural_order)
    ['neuron2', 'neuron10']
    """
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", key)]


def _distances(root: Value) -> dict[int, int]:
    """Edges from each Value to the root, along the shortest path (breadth first)."""
    dist = {id(root): 0}
    ring = [root]
    d = 0
    while ring:
        d += 1
        nxt = []
        for v in ring:
            for p in v.parents:
                if id(p) not in dist:
                    dist[id(p)] = d
                    nxt.append(p)
        ring = nxt
    return dist


def _upstream(members: list) -> set[int]:
    """Ids of the unscoped Values that flow into ``members`` (their ancestors)."""
    found: set[int] = set()
    seen = {id(v) for v in members}
    stack = list(members)
    while stack:
        for p in stack.pop().parents:
            if id(p) not in seen:
                seen.add(id(p))
                stack.append(p)
                if not p.scope:
                    found.add(id(p))
    return found


def plan(root: Value, max_nodes: int) -> Picture:
    """Decide what to draw of ``root``'s graph within ``max_nodes`` nodes.

    >>> from autograd import Value
    >>> picture = plan((Value(2.0) * 3).exp(), max_nodes=3)
    >>> picture.drawn <= 3 < picture.total
    True
    """
    values = collect(root)
    ids = {id(v): f"v{i}" for i, v in enumerate(values)}
    total = sum(_cost(v) for v in values)
    picture = Picture(root, values, ids, {}, [], None, total)
    if total <= max_nodes:
        return picture
    others = [v for v in values if v is not root]
    budget = max_nodes - _cost(root) - 1           # one node kept for the far remainder

    # 1. scopes: the deepest level whose boxes (and the scoped nodes above it) fit
    max_depth = max((_depth(v.scope) for v in others), default=0)
    depth = None
    for d in range(max_depth, 0, -1):
        boxes = {_prefix(v.scope, d) for v in others if _depth(v.scope) >= d}
        above = sum(_cost(v) for v in others if 0 < _depth(v.scope) < d)
        if len(boxes) + above <= budget:
            depth = d
            break
    units: dict[str, list] = {}                    # box key -> its Values
    fixed = 0                                      # nodes drawn whatever the rings keep
    flexible = others                              # too many scopes even at the top level:
    if depth is not None:                          # everything but the root may go far
        for v in others:
            if _depth(v.scope) >= depth:
                units.setdefault(_prefix(v.scope, depth), []).append(v)
        fixed = len(units) + sum(_cost(v) for v in others if 0 < _depth(v.scope) < depth)
        flexible = [v for v in others if not v.scope]
        # what flows into the boxes stays drawn, when it fits (see the module docstring)
        upstream = _upstream([v for m in units.values() for v in m])
        cost = sum(_cost(v) for v in flexible if id(v) in upstream)
        if fixed + cost <= budget:
            fixed += cost
            flexible = [v for v in flexible if id(v) not in upstream]
    picture.depth = depth

    # 2. the unscoped part: keep whole rings around the root while they fit. A long sum
    # (an L2 penalty over every weight) would otherwise draw as a chain as long as the
    # budget: past a third of max_nodes the periphery stops being readable.
    dist = _distances(root)
    rings: dict[int, int] = {}
    for v in flexible:
        rings[dist[id(v)]] = rings.get(dist[id(v)], 0) + _cost(v)
    room = min(budget - fixed, max_nodes // 3)
    radius = 0
    for d in sorted(rings):
        if rings[d] > room:
            break
        room -= rings[d]
        radius = d
    far = [v for v in flexible if dist[id(v)] > radius]
    if far:
        units[REST] = far

    for i, key in enumerate(sorted(units, key=natural_order)):
        members = units[key]
        box = Box(key, "rest" if key == REST else f"box{i}",
                  sum(_cost(v) for v in members), members)
        picture.boxes.append(box)
        for v in members:
            picture.box_of[id(v)] = box
    return picture
