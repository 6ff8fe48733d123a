"""``Module``: the base of every network, PyTorch-style.

A Module finds its own parameters: any ``Value`` stored in a public attribute,
or inside a list, tuple or dict attribute, belongs to it, and sub-Modules are
searched the same way. No Parameter wrapper and no registration call::

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.hidden, self.out = nn.Linear(4, 8), nn.Linear(8, 3)
        def forward(self, x):
            return self.out(self.hidden(x).relu())

Names join with ".": ``hidden.kernel``, ``blocks.0.bias``. Attributes whose
name starts with "_" are private scratch space and are not searched.

Parameters and state. A Value with ``requires_grad=True`` is a *parameter*:
``parameters()`` returns it and an optimiser updates it. A Value with
``requires_grad=False`` is *state* (PyTorch calls it a buffer), such as
BatchNormalization's moving mean and variance: it is saved by
``state_dict()``, ``get_weights()`` and ``save_weights()``, but no optimiser
touches it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping

import numpy as np

from autograd import Value

__all__ = ["Module"]


class Module:
    """Base class of layers and models: parameter discovery, train/eval, state dicts.

    >>> from autograd import Value
    >>> class Affine(Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.w, self.b = Value(np.ones(2)), Value(0.0)
    ...     def forward(self, x):
    ...         return (x * self.w).sum() + self.b
    >>> m = Affine()
    >>> [name for name, _ in m.named_parameters()]
    ['w', 'b']
    >>> m(np.array([1.0, 2.0])).item()
    3.0
    """

    def __init__(self) -> None:
        self.training = True

    # ---- calling -------------------------------------------------------------------------
    def forward(self, *args, **kwargs):
        """What the module computes; subclasses define it. Call the module, not forward."""
        raise NotImplementedError(f"{type(self).__name__} must define forward(...)")

    def __call__(self, *args, **kwargs):
        return self.forward(*args, **kwargs)

    # ---- discovery -----------------------------------------------------------------------
    def named_children(self) -> Iterator[tuple[str, Module]]:
        """The direct sub-Modules, with their dotted names (``blocks.0`` for a list entry).

        >>> class Two(Module):
        ...     def __init__(self):
        ...         super().__init__()
        ...         self.blocks = [Module(), Module()]
        >>> [n for n, _ in Two().named_children()]
        ['blocks.0', 'blocks.1']
        """
        for name, item in _members(self):
            if isinstance(item, Module):
                yield name, item

    def children(self) -> Iterator[Module]:
        """The direct sub-Modules.

        >>> from nn import Linear
        >>> m = Module(); m.a = Linear(2, 2)
        >>> [type(c).__name__ for c in m.children()]
        ['Linear']
        """
        for _, m in self.named_children():
            yield m

    def named_modules(self, prefix: str = "") -> Iterator[tuple[str, Module]]:
        """This module (named ``prefix``, "" at the top) and every sub-Module below it,
        each once.

        >>> from nn import Linear
        >>> m = Module(); m.blocks = [Linear(2, 2)]
        >>> [name for name, _ in m.named_modules()]
        ['', 'blocks.0']
        """
        seen: set[int] = set()
        stack = [(prefix, self)]
        while stack:
            name, m = stack.pop()
            if id(m) in seen:
                continue
            seen.add(id(m))
            yield name, m
            kids = [(f"{name}.{n}" if name else n, c) for n, c in m.named_children()]
            stack.extend(reversed(kids))

    def modules(self) -> Iterator[Module]:
        """This module and every sub-Module below it.

        >>> len(list(Module().modules()))
        1
        """
        for _, m in self.named_modules():
            yield m

    def _named_values(self) -> Iterator[tuple[str, Value]]:
        """Every Value of the module tree (parameters and state), each once, in
        attribute order, sub-Modules depth first."""
        seen_values: set[int] = set()
        seen_modules: set[int] = set()

        def walk(module, prefix):
            seen_modules.add(id(module))
            for name, item in _members(module):
                full = f"{prefix}{name}"
                if isinstance(item, Value):
                    if id(item) not in seen_values:
                        seen_values.add(id(item))
                        yield full, item
                elif isinstance(item, Module) and id(item) not in seen_modules:
                    yield from walk(item, full + ".")

        yield from walk(self, "")

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        """(name, Value) for every parameter (a Value with requires_grad=True), each once
        even when shared.

        >>> from nn import Linear
        >>> [n for n, _ in Linear(2, 3).named_parameters()]
        ['kernel', 'bias']
        """
        for name, v in self._named_values():
            if v.requires_grad:
                yield name, v

    def parameters(self) -> list[Value]:
        """The parameters, for an optimiser: ``optim.SGD(model.parameters(), lr=0.1)``.

        >>> from nn import Linear
        >>> [p.shape for p in Linear(2, 3).parameters()]
        [(2, 3), (3,)]
        """
        return [v for _, v in self.named_parameters()]

    def named_buffers(self) -> Iterator[tuple[str, Value]]:
        """(name, Value) for the state that is not trained (Values with requires_grad=False),
        such as BatchNormalization's moving statistics.

        >>> from nn import BatchNormalization
        >>> [n for n, _ in BatchNormalization(input_shape=[2]).named_buffers()]
        ['moving_mean', 'moving_variance']
        """
        for name, v in self._named_values():
            if not v.requires_grad:
                yield name, v

    def buffers(self) -> list[Value]:
        """The non-trainable state Values.

        >>> from nn import Linear
        >>> Linear(2, 2).buffers()
        []
        """
        return [v for _, v in self.named_buffers()]

    # ---- training ------------------------------------------------------------------------
    def zero_grad(self) -> None:
        """Forget every parameter's gradient (it then reads as zeros), as before a new step.

        >>> from nn import Linear
        >>> m = Linear(2, 1); m(np.ones((1, 2))).sum().backward()
        >>> m.zero_grad(); m.kernel.has_grad
        False
        """
        for p in self.parameters():
            p.zero_grad()

    def train(self, mode: bool = True) -> Module:
        """Switch this module and all below it to training mode (Dropout drops,
        BatchNormalization uses batch statistics). Returns the module.

        >>> Module().train().training
        True
        """
        for m in self.modules():
            m.training = mode
        return self

    def eval(self) -> Module:
        """Switch to evaluation mode (Dropout is the identity, BatchNormalization uses its
        moving statistics). Returns the module.

        >>> from nn import Dropout
        >>> Dropout(0.5).eval().training
        False
        """
        return self.train(False)

    @property
    def losses(self) -> list[Value]:
        """The current regularisation penalties of this module and all below it (Keras's
        ``model.losses``), as scalar Values in the graph, so that

            loss = nn.functional.cross_entropy(model(x), y) + sum(model.losses)

        trains with the penalties. Weight penalties are computed from the current
        weights on each access; activity penalties come from the last forward pass.

        >>> from nn import Dense, regularizers
        >>> layer = Dense(1, kernel_initializer="ones", kernel_regularizer=regularizers.l2(0.5),
        ...               input_dim=2)
        >>> [p.item() for p in layer.losses]                  # 0.5 * (1 + 1)
        [1.0]
        """
        out: list[Value] = []
        for m in self.modules():
            out.extend(m._own_losses())
        return out

    def _own_losses(self) -> list[Value]:
        """This module's own penalties (not its children's); layers with regularisers
        override it."""
        return []

    # ---- weights as arrays ---------------------------------------------------------------
    def state_dict(self) -> dict[str, np.ndarray]:
        """Every parameter and state Value as a copy of its array, by dotted name.

        >>> from nn import Linear
        >>> {k: v.shape for k, v in Linear(2, 3).state_dict().items()}
        {'kernel': (2, 3), 'bias': (3,)}
        """
        return {name: np.array(v.data) for name, v in self._named_values()}

    def load_state_dict(self, state: Mapping[str, np.ndarray], strict: bool = True) -> None:
        """Copy arrays into the Values of the same names. Raises ValueError naming the
        missing and unexpected keys (unless ``strict=False``) and any shape mismatch;
        nothing is changed when it raises.

        >>> from nn import Linear
        >>> a, b = Linear(2, 3), Linear(2, 3)
        >>> b.load_state_dict(a.state_dict())
        >>> bool((a.kernel.data == b.kernel.data).all())
        True
        """
        own = dict(self._named_values())
        problems = []
        missing = [k for k in own if k not in state]
        unexpected = [k for k in state if k not in own]
        if strict and missing:
            problems.append(f"missing keys {missing}")
        if strict and unexpected:
            problems.append(f"unexpected keys {unexpected}")
        arrays = {}
        for k, v in own.items():
            if k not in state:
                continue
            a = np.asarray(state[k])
            if a.shape != v.shape:
                problems.append(f"'{k}' has shape {a.shape} but the model's has {v.shape}")
            elif a.dtype.kind not in "fiub":
                problems.append(f"'{k}' holds {a.dtype}, not numbers")
            arrays[k] = a
        if problems:
            raise ValueError(f"load_state_dict into {type(self).__name__}: "
                             + "; ".join(problems))
        for k, a in arrays.items():
            _copy_into(own[k], a)

    def get_weights(self) -> list[np.ndarray]:
        """All weights (parameters and state) as a list of array copies, in the order
        ``state_dict`` gives them: ``[kernel, bias]`` for a Dense layer, Keras-style.

        >>> from nn import Dense
        >>> [w.shape for w in Dense(3, input_dim=2).get_weights()]
        [(2, 3), (3,)]
        """
        return [np.array(v.data) for _, v in self._named_values()]

    def set_weights(self, weights) -> None:
        """Copy a list of arrays (as ``get_weights`` returns) into the weights, in order.
        Raises ValueError, changing nothing, when the count or a shape does not fit.

        >>> from nn import Linear
        >>> m = Linear(1, 1); m.set_weights([np.array([[2.0]]), np.array([0.5])])
        >>> m(np.array([[3.0]])).item()
        6.5
        """
        values = [v for _, v in self._named_values()]
        names = [n for n, _ in self._named_values()]
        weights = list(weights)
        where = _describe(self)
        if len(weights) != len(values):
            raise ValueError(f"set_weights on {where} got {len(weights)} arrays, but it has "
                             f"{len(values)} weights {names}")
        arrays = [np.asarray(w) for w in weights]
        for name, v, a in zip(names, values, arrays, strict=True):
            if a.shape != v.shape:
                raise ValueError(f"set_weights on {where}: '{name}' should have shape "
                                 f"{v.shape}, got an array of shape {a.shape}")
        for v, a in zip(values, arrays, strict=True):
            _copy_into(v, a)

    def save_weights(self, path: str | os.PathLike) -> None:
        """Write every weight to one ``.npz`` file at exactly ``path`` (no extension is
        added), atomically: a crash mid-write leaves the previous file as it was.

        >>> import os, tempfile
        >>> from nn import Linear
        >>> folder = tempfile.TemporaryDirectory()
        >>> path = os.path.join(folder.name, "miModelo")
        >>> a, b = Linear(2, 1), Linear(2, 1)
        >>> a.save_weights(path); b.load_weights(path)
        >>> bool((a.kernel.data == b.kernel.data).all())
        True
        >>> folder.cleanup()
        """
        from . import serialization
        serialization.write_file(path, self.state_dict(), {"kind": "weights"})

    def load_weights(self, path: str | os.PathLike) -> None:
        """Read weights written by ``save_weights`` (never unpickling). Raises
        FileNotFoundError for a missing file, ValueError for a file that is not ours or
        whose weights do not fit this model."""
        from . import serialization
        arrays, _ = serialization.read_file(path)
        try:
            self.load_state_dict(arrays)
        except ValueError as e:
            raise ValueError(f"the weights in {os.fspath(path)!r} do not fit this model: "
                             f"{e}") from None

    # ---- printing ------------------------------------------------------------------------
    def extra_repr(self) -> str:
        """The text between the parentheses of this module's repr (subclasses fill it)."""
        return ""

    def __repr__(self) -> str:
        kids = list(self.named_children())
        head = f"{type(self).__name__}({self.extra_repr()}"
        if not kids:
            return head + ")"
        lines = [head]
        for name, child in kids:
            body = repr(child).replace("\n", "\n  ")
            lines.append(f"  ({name}): {body}")
        return "\n".join(lines) + "\n)"


def _members(obj) -> Iterator[tuple[str, object]]:
    """(dotted name, item) for the public attributes, flattening lists, tuples and dicts;
    only Values and Modules matter to the callers."""
    def flat(name, item):
        if isinstance(item, (list, tuple)):
            for i, x in enumerate(item):
                yield from flat(f"{name}.{i}", x)
        elif isinstance(item, dict):
            for k, x in item.items():
                yield from flat(f"{name}.{k}", x)
        else:
            yield name, item

    for name, item in vars(obj).items():
        if not name.startswith("_"):
            yield from flat(name, item)


def _copy_into(v: Value, a: np.ndarray) -> None:
    """Overwrite v's numbers with a's (same shape), keeping v's dtype and identity."""
    if isinstance(v.data, np.ndarray):
        v.data[...] = a
    else:                                  # a scalar Value holds a Python float
        v.data = float(a)


def _describe(m) -> str:
    name = getattr(m, "name", None)
    return f"{type(m).__name__} {name!r}" if name else type(m).__name__
