"""Backpropagation: the chain rule applied to the recorded graph, once per node.

1. ``backward_order(root)`` lists the Values the root depends on that require
   grad, root first, each node only after every node that uses it. (It counts,
   for each node, how many of its users are in the graph, then lists a node as
   soon as its last user has been listed: Kahn's algorithm. Iterative, so a chain
   of a million ops works; linear in the size of the graph. When no node has two
   users, the counting walk has already met the nodes in that order.)
2. Walking that list, each node hands its gradient ``g`` to the derivative rule
   of its op, once per parent that requires grad, and the results are added
   into the parents' gradients. Since every user of a node comes before it, its
   gradient is complete when its turn comes (this is why ``b = a + a`` gives
   ``a`` a gradient of 2).

At the end leaves *add* their gradient to ``.grad`` (accumulation across calls,
as in PyTorch) and intermediate nodes *show* this pass's gradient, so a second
pass does not double-count through intermediates (micrograd's issue #53).

The per-pass bookkeeping lives on the nodes themselves (``_mark``, ``_pending``,
``_pg``), not in dicts and sets: on a graph of a million nodes, hashing is what
would stop the pass from being linear.
"""

from __future__ import annotations

import numpy as np

from . import value as _value
from .backend import NUMPY, SCALAR
from .value import _FLOAT_ERRORS, VALUE, Value, _to_data

__all__ = ["backward", "backward_order", "gradients", "topological_order"]

_float = float
_float64 = np.float64
_ndarray = np.ndarray


def backward_order(root: Value) -> list[Value]:
    """The order backward processes nodes in: root first, each node after all its users.

    Only Values that require grad are included (constants are not).

    >>> a = Value(1.0); b = a * 2; c = b + a
    >>> [v.op for v in backward_order(c)]
    ['add', 'mul', '']
    """
    if not root.requires_grad:
        return []
    mark = object()                       # a fresh token: "seen in this pass"
    root._mark = mark
    root._pending = 0
    root._pg = None
    found = [root]                        # in the order first seen
    shared = False                        # whether some node has more than one user
    stack = [root]
    while stack:                          # count each node's users inside the graph
        node = stack.pop()
        # The inputs as stored (see Value.__slots__): the tuple of an apply() node, or _x
        # and _y of an operator node, where None and raw constants are not Values. Read
        # directly: node.parents would make a Value of every raw constant.
        rest = node._rest
        for p in (node._x, node._y) if rest is None else rest:
            if type(p) is Value and p.requires_grad:
                if p._mark is mark:
                    p._pending += 1
                    shared = True
                else:                     # first visit: also empty its gradient slot
                    p._mark = mark
                    p._pending = 1
                    p._pg = None
                    found.append(p)
                    if p._op is not None:     # a leaf has no inputs to look at
                        stack.append(p)
    if not shared:
        # Every node has one user (an MLP's step: each weight is used once), seen before
        # it: the order found is the one below, without walking the graph again.
        return found
    order = [root]
    ready = [root] if root._op is not None else []
    while ready:                          # list a node once its last user is listed
        node = ready.pop()
        rest = node._rest
        for p in (node._x, node._y) if rest is None else rest:
            if type(p) is Value and p.requires_grad:
                p._pending -= 1
                if p._pending == 0:
                    order.append(p)
                    if p._op is not None:
                        ready.append(p)
    return order


def topological_order(root: Value) -> list[Value]:
    """The Values ``root`` depends on that require grad, parents before children.

    >>> a = Value(1.0); b = a * 2; c = b + a
    >>> [v.op for v in topological_order(c)]
    ['', 'mul', 'add']
    """
    return backward_order(root)[::-1]


def backward(root: Value, grad=None) -> None:
    """Backpropagate from ``root``; see :meth:`Value.backward`.

    >>> x = Value(3.0)
    >>> backward(x * x)
    >>> x.grad
    6.0
    """
    if not root.requires_grad:
        raise RuntimeError("backward() needs a Value that depends on something that requires "
                           "grad; this one does not (was it computed inside no_grad(), or "
                           "from constants only?)")
    _backprop(backward_order(root), _seed(root, grad), store=True)


def gradients(root: Value, inputs: list[Value], grad=None, *, create_graph: bool = False):
    """d(root)/d(x) for each x of ``inputs``, without touching any ``.grad``.

    With ``create_graph=True`` the gradients are Values built from the graph, so
    they can be differentiated again (``grad(grad(f))``); otherwise raw data.
    Inputs that root does not depend on get zeros.

    >>> x = Value(3.0)
    >>> gradients(x * x, [x])
    [6.0]
    """
    order = backward_order(root)
    token = order[0]._mark if order else None     # marks the nodes of this graph
    seed = _seed(root, grad)
    if create_graph:
        seed = grad if type(grad) is Value else Value(seed, requires_grad=False)
        was = _value.GRAD_ENABLED
        _value.GRAD_ENABLED = True                 # the rules must record their own graph
        try:
            _backprop_values(order, seed)
        finally:
            _value.GRAD_ENABLED = was
    else:
        _backprop(order, seed)
    out = []
    for x in inputs:
        g = x._pg if token is not None and x._mark is token else None
        if g is None:
            g = 0.0 if type(x.data) is _float else np.zeros_like(x.data)
            if create_graph:
                g = Value(g, requires_grad=False)
        out.append(g)
    for node in order:
        node._pg = None
    return out


def _seed(root, grad):
    d = root.data
    if grad is None:
        if type(d) is _float:
            return 1.0
        if d.size != 1:
            raise ValueError(f"backward() without a gradient needs a Value with one element; "
                             f"this one has shape {root.shape}: pass grad= of that shape, or "
                             f"reduce it first (for example .sum() or .mean())")
        # np.ones_like(d) costs five times as much: a loss is backpropagated every step
        one = np.array(1, dtype=d.dtype)
        return one if d.ndim == 0 else one.reshape(d.shape)
    g = _to_data(grad.data if type(grad) is Value else grad, False)
    if np.shape(g) != root.shape:
        raise ValueError(f"backward(grad=...) needs a gradient of the Value's shape "
                         f"{root.shape}, got shape {np.shape(g)}")
    if type(d) is _float:
        return _float(g)
    return np.asarray(g, dtype=root.dtype)


def _fit(g, like):
    """A parent's gradient in the parent's shape and dtype: where broadcasting is undone."""
    if type(like) is _float:
        return g if type(g) is _float else _float(np.sum(g))
    if type(g) is not _ndarray:
        g = np.asarray(g)
    if g.shape != like.shape:
        g = NUMPY.sum_to(g, like.shape)
    if g.dtype != like.dtype:
        g = g.astype(like.dtype)
    return g


def _backprop(order, seed, on_step=None, store=False):
    """The first-order pass on raw data: numpy arrays, or Python floats through math.

    ``order`` comes from ``backward_order``, which also emptied every node's ``_pg``.
    Every node of ``order`` ends with its gradient in ``_pg`` (None if it got none).
    ``on_step(node)``, when given, is called once each node has passed its gradient
    on (leaves included): how ``backward_steps`` replays a pass one node at a time.
    ``store=True`` (what ``backward()`` does) instead moves each gradient to ``.grad``
    as soon as it is final, i.e. when its node's turn comes, and leaves ``_pg`` empty:
    one walk over the graph instead of a second one to copy the gradients out.
    """
    if not order:
        return
    check = _value.ANOMALY
    order[0]._pg = seed
    for node in order:
        g = node._pg
        if g is None:
            continue
        op = node._op
        if op is None:                              # a leaf: nothing to pass on
            if store:
                node._pg = None
                if type(g) is _ndarray and g.base is not None and not g.flags.writeable:
                    g = g.copy()                    # a broadcast view must not become .grad
                old = node._grad
                node._grad = g if old is None else old + g   # leaves accumulate across calls
        else:
            if node._rest is None:
                _operator_step(node, op, g, check)
            else:
                _general_step(node, op, g, check)
            if store:
                node._pg = None
                node._grad = g                      # intermediates show this pass's gradient
        if on_step is not None:
            on_step(node)


def _operator_step(node, op, g, check):
    """The chain rule at a node made by an operator (+ - * / **) or a one-input method.

    Its inputs are in _x and _y (see Value.__slots__) and it has no attributes. On scalar
    graphs every node comes here, so this skips the generic step's lists and keyword
    dicts, and skips _fit when a float meets a float. A raw constant gets no gradient.
    """
    vjps = op.vjps
    y = node.data
    a = node._x
    b = node._y
    if b is None:                                   # one input, always a Value
        ad = a.data
        if a.requires_grad:
            xp = SCALAR if type(y) is _float and type(ad) is _float else NUMPY
            try:
                ga = vjps[0](xp, g, y, ad)
            except _FLOAT_ERRORS:
                ga = _on_numpy(xp, vjps[0], g, y, ad)
            if type(ga) is not type(ad) or (type(ga) is _ndarray and (
                    ga.shape != ad.shape or ga.dtype != ad.dtype)):
                ga = _fit(ga, ad)
            if check:
                _check(node, (ga,))
            old = a._pg
            a._pg = ga if old is None else old + ga
        return
    a_rg = type(a) is Value
    ad = a.data if a_rg else a
    a_rg = a_rg and a.requires_grad
    b_rg = type(b) is Value
    bd = b.data if b_rg else b
    b_rg = b_rg and b.requires_grad
    xp = SCALAR if type(y) is _float and type(ad) is _float and type(bd) is _float else NUMPY
    if a_rg:
        try:
            ga = vjps[0](xp, g, y, ad, bd)
        except _FLOAT_ERRORS:
            ga = _on_numpy(xp, vjps[0], g, y, ad, bd)
        if type(ga) is not _float or type(ad) is not _float:
            ga = _fit(ga, ad)
        old = a._pg
        a._pg = ga if old is None else old + ga
    if b_rg:
        try:
            gb = vjps[1](xp, g, y, ad, bd)
        except _FLOAT_ERRORS:
            gb = _on_numpy(xp, vjps[1], g, y, ad, bd)
        if type(gb) is not _float or type(bd) is not _float:
            gb = _fit(gb, bd)
        old = b._pg
        b._pg = gb if old is None else old + gb
    if check:
        _check(node, (a._pg if a_rg else None, b._pg if b_rg else None))


def _on_numpy(xp, rule, *args, **attrs):
    """A rule that failed on Python floats (math raises at 1/0 and sqrt(-1)), run again on
    numpy float64, which gives inf or nan with a warning: as the same rule on arrays does."""
    if xp is not SCALAR:
        raise
    return rule(NUMPY, *[_float64(a) if type(a) is _float else a for a in args], **attrs)


_NO_ATTRS: dict = {}


def _general_step(node, op, g, check):
    """The chain rule at a node made by apply(): inputs in the tuple _rest (Values, and
    constants as raw data), attributes in _attrs, and what the forward saved
    (``op.saves``) in _saved."""
    parents = node._rest
    y = node.data
    datas = node._datas                             # the inputs' data, kept by apply()
    if op.grads is not None and type(y) is _ndarray and _all_rules_at_once(node, op, g, check):
        return
    attrs = node._attrs or _NO_ATTRS
    xp = NUMPY
    if type(y) is _float:
        for d in datas:
            if type(d) is not _float:
                break
        else:
            xp = SCALAR
    vjps = op.vjps
    saves = op.saves
    for i, p in enumerate(parents):
        if type(p) is not Value or not p.requires_grad:     # (a raw constant is not)
            continue
        if op.variadic:
            gi = vjps[0](xp, i, g, y, *datas, **attrs)
        elif saves:
            gi = vjps[i](xp, g, y, *datas, saved=node._saved, **attrs)
        elif xp is SCALAR:
            try:
                gi = vjps[i](xp, g, y, *datas, **attrs)
            except _FLOAT_ERRORS:
                gi = _on_numpy(xp, vjps[i], g, y, *datas, **attrs)
        elif attrs:
            gi = vjps[i](xp, g, y, *datas, **attrs)
        else:                                       # (no **{}: it costs a dict per call)
            gi = vjps[i](xp, g, y, *datas)
        if gi is None:
            continue
        d = datas[i]
        if type(gi) is not _ndarray or type(d) is not _ndarray or gi.shape != d.shape \
                or (gi.dtype is not d.dtype and gi.dtype != d.dtype):
            gi = _fit(gi, d)                        # most rules already give shape and dtype
        if check:
            _check(node, (gi,))
        old = p._pg
        p._pg = gi if old is None else old + gi


def _all_rules_at_once(node, op, g, check) -> bool:
    """The step of an op with a ``grads`` rule (see autograd.op.defop), if it accepts:
    its gradients come with their inputs' shapes and dtypes, so none is fitted."""
    parents = node._rest
    needs = []
    for p in parents:
        needs.append(type(p) is Value and p.requires_grad)
    attrs = node._attrs
    if attrs:
        gs = op.grads(needs, g, node.data, *node._datas, **attrs)
    else:
        gs = op.grads(needs, g, node.data, *node._datas)
    if gs is None:
        return False
    for i, p in enumerate(parents):
        gi = gs[i]
        if gi is not None:
            if check:
                _check(node, (gi,))
            old = p._pg
            p._pg = gi if old is None else old + gi
    return True


def _backprop_values(order, seed):
    """The same pass with the rules run on Values, so the gradients form a graph too."""
    if not order:
        return
    for node in order:
        node._pg = None
    order[0]._pg = seed
    for node in order:
        op = node._op
        g = node._pg
        if op is None or g is None:
            continue
        attrs = dict(node._attrs or {})
        if op.saves:
            attrs["saved"] = None                   # saved raw data would cut the graph
        parents = node.parents
        for i, p in enumerate(parents):
            if not p.requires_grad:
                continue
            if op.variadic:
                gi = op.vjps[0](VALUE, i, g, node, *parents, **attrs)
            else:
                gi = op.vjps[i](VALUE, g, node, *parents, **attrs)
            if gi is None:
                continue
            if type(gi) is not Value:
                gi = Value(gi, requires_grad=False)
            if gi.shape != p.shape:
                gi = VALUE.sum_to(gi, shape=p.shape)
            old = p._pg
            p._pg = gi if old is None else old + gi


def _check(node, gs):
    from .anomaly import check_backward
    check_backward(node, gs)
