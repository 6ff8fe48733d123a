"""Small parameters updated as one array: a "multi-tensor" step, as PyTorch's ``foreach``.

The update rules of optim's optimisers are elementwise, so running one on the
concatenation of several parameters gives each of them exactly the numbers it
would get on its own. What changes is the number of numpy calls: Adam makes
thirteen per parameter, and on the layers of a course network (a few thousand
weights) a numpy call costs more in Python than in arithmetic. So an optimiser puts the small
parameters of a group that share a dtype into a ``Bucket``. At each step the
bucket copies their gradients into one flat array and the optimiser's ``_update``
runs once on it and on the flat weights. A member whose array nobody but its
Value holds (the usual case: a layer keeps its kernel as a Value) has its
``.data`` moved into the flat weights, as a view, when the bucket is made: no copy
per step, and nobody can tell, since nobody else has the old array. A member
whose array is held elsewhere keeps it: its weights are copied into the flat
array before the update and back after, so the holder sees every step, as with
the per-parameter path. The optimiser's state for these parameters (momentum,
moment estimates) lives in flat arrays too; ``state[p]`` holds views of them, so
``state_dict()`` and ``load_state_dict()`` see the usual per-parameter layout.

A bucket checks at every step that it still describes the group (same arrays,
same state dicts, every member with a gradient); if not, the optimiser drops it
and takes the per-parameter path for that step.
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

__all__ = ["SMALL", "Bucket", "make_buckets"]

# Parameters of at most this many elements are bucketed. Above it the copy of the
# gradient (and, for a member held elsewhere, of the weights in and out) costs more
# than the numpy calls it saves; at 2^14 float32 (64 KB) it all sits in the L2 cache.
SMALL = 2 ** 14


class Bucket:
    """Parameters of one group and dtype, stepped together through flat arrays.

    >>> import numpy as np
    >>> from autograd import Value
    >>> from optim import SGD
    >>> a, b = Value(np.ones(2)), Value(np.ones(3))
    >>> opt = SGD([a, b], lr=0.5)
    >>> a.grad, b.grad = np.ones(2), np.full(3, 2.0)
    >>> opt.step()                      # one update of a 5-element array
    >>> a.data, b.data
    (array([0.5, 0.5]), array([0., 0., 0.]))
    """

    __slots__ = ("datas", "grad_views", "grads", "held", "params", "state", "states", "views",
                 "weights")

    def __init__(self, params: list, states: list[dict], flat_state: dict[str, Any]):
        self.weights = np.concatenate([p.data for p in params], axis=None)
        self.grads = np.empty_like(self.weights)    # the members' gradients, gathered
        self.views = []
        self.held = []                              # (array held elsewhere, its view)
        lo = 0
        for p in params:
            shape, size = p.data.shape, p.data.size
            view = self.weights[lo:lo + size].reshape(shape)
            lo += size
            self.views.append((lo - size, lo, shape))
            if _held_only_by_its_value(p):
                p.data = view                       # moved: the flat array is its storage
            else:
                self.held.append((p.data, view))
        self.params = params
        self.datas = [p.data for p in params]       # what each member must still hold
        # (member, its slice of the gathered gradients, in its shape): one copy each,
        # which costs half of what np.concatenate does on a few small arrays
        self.grad_views = [(p, self.grads[lo:hi].reshape(shape))
                           for p, (lo, hi, shape) in zip(params, self.views, strict=True)]
        self.state = flat_state
        self.states = states
        self._share_state()

    def _share_state(self) -> None:
        """Make every member's state dict hold views of the flat state arrays."""
        for s, (lo, hi, shape) in zip(self.states, self.views, strict=True):
            for key, value in self.state.items():
                s[key] = value[lo:hi].reshape(shape) if isinstance(value, np.ndarray) \
                    else value

    # (p._grad is the gradient as the engine stores it, None before any: the grad property
    # would make zeros, and has_grad is one more call per member on every step)
    def holds(self, state: dict) -> bool:
        """Whether the bucket still describes its members: each has a gradient, still
        holds the same array, and still has the state dict the bucket filled."""
        get = state.get
        datas, states = self.datas, self.states
        for i, p in enumerate(self.params):    # (zip(..., strict=True) made it 40% dearer)
            if p._grad is None or p.data is not datas[i] or get(p) is not states[i]:
                return False
        return True

    def step(self, update, group: dict) -> None:
        """Gather the gradients, run ``update(w, g, state, group)`` once on the flat
        arrays, and give the members whose arrays are held elsewhere their new weights."""
        for p, view in self.grad_views:
            view[...] = p._grad
        for d, view in self.held:
            view[...] = d                           # the holder may have changed it
        keys = len(self.state)
        update(self.weights, self.grads, self.state, group)
        for d, view in self.held:
            d[...] = view
        if len(self.state) != keys:                 # the update made a new buffer (SGD's
            self._share_state()                     # momentum, at its first step)
        elif "step" in self.state:
            t = self.state["step"]
            for s in self.states:
                s["step"] = t


def _held_only_by_its_value(p) -> bool:
    # CPython's count of references to the array: p's slot and getrefcount's argument.
    # Other interpreters have no such count: there every array counts as held.
    getrefcount = getattr(sys, "getrefcount", None)
    return getrefcount is not None and getrefcount(p.data) <= 2


def make_buckets(params: list, state: dict, init_state) -> tuple[list[Bucket], list]:
    """Buckets for the small array parameters of one group (those with a gradient),
    and the parameters left to the per-parameter step.

    ``state`` is the optimiser's ``state`` (filled in here for bucketed members that
    have none yet); ``init_state(w)`` makes a fresh state for the flat weights ``w``.
    Members must all be fresh or all share one state layout and step count; two
    Values sharing one array are never bucketed (their updates would overwrite
    each other's).
    """
    by_dtype: dict[np.dtype, list] = {}
    rest = []
    seen: set[int] = set()
    for p in params:        # (no local name for p.data: it would count as a holder)
        if (type(p.data) is np.ndarray and p.data.size <= SMALL and p._grad is not None
                and id(p.data) not in seen):
            seen.add(id(p.data))
            by_dtype.setdefault(p.data.dtype, []).append(p)
        else:
            rest.append(p)
    buckets = []
    for members in by_dtype.values():
        bucket = _bucket(members, state, init_state) if len(members) > 1 else None
        if bucket is None:
            rest.extend(members)
        else:
            buckets.append(bucket)
    return buckets, rest


def _bucket(members: list, state: dict, init_state) -> Bucket | None:
    old = [state.get(p) for p in members]
    if all(s is None for s in old):
        flat_state = init_state(np.concatenate([p.data for p in members], axis=None))
    elif all(s is not None for s in old) and _same_layout(old):
        flat_state = {k: np.concatenate([s[k] for s in old], axis=None)
                      if isinstance(v, np.ndarray) else v for k, v in old[0].items()}
    else:
        return None                                 # mixed histories: step them one by one
    states = []
    for p in members:
        s = state[p] = {}
        states.append(s)
    return Bucket(members, states, flat_state)


def _same_layout(states: list[dict]) -> bool:
    first = states[0]
    for s in states:
        if s.keys() != first.keys() or s.get("step") != first.get("step"):
            return False
        for k, v in s.items():
            if isinstance(v, np.ndarray) != isinstance(first[k], np.ndarray):
                return False
    return True
