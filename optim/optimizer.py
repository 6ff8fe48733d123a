"""``Optimizer``: what every optimiser shares (parameter groups, state, step, state_dict).

An optimiser holds the parameters it updates in ``param_groups``, a list of
dicts as in PyTorch: ``{"params": [...], "lr": 0.01, ...}``, one entry per
hyper-parameter. A learning-rate schedule changes ``group["lr"]`` between
steps. Per-parameter memory (a momentum buffer, Adam's moment estimates) lives
in ``state[p]``, a dict per parameter, created on the parameter's first step.

Subclasses write only the update of one parameter (``_update``), on raw numpy
arrays, in place (the same code also updates a bucket of small parameters at once,
see :mod:`optim.buckets`): nothing here builds a graph, and nothing here differentiates
anything (the gradients come from the engine's backward pass).

>>> import numpy as np
>>> from autograd import Value
>>> from optim import SGD
>>> w = Value(np.array([1.0, 2.0]))
>>> opt = SGD([w], lr=0.1)
>>> (w * w).sum().backward()          # dL/dw = 2w = [2, 4]
>>> opt.step()
>>> w.data                            # w - 0.1 * 2w
array([0.8, 1.6])
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import numpy as np

from autograd import Value, enable_grad
from autograd import value as _value

from .buckets import make_buckets

__all__ = ["Optimizer"]

# Keras spellings of the hyper-parameters, and the PyTorch names they stand for.
KERAS_NAMES = {"learning_rate": "lr", "rho": "alpha", "epsilon": "eps"}


def resolve_keras_names(cls: type, keras_names: dict, values: dict) -> dict:
    """The hyper-parameters ``values`` (PyTorch names) with the Keras spellings applied.

    ``learning_rate``, ``rho`` and ``epsilon`` stand for ``lr``, ``alpha`` and
    ``eps``; ``beta_1``/``beta_2`` fill the two halves of ``betas``. Giving both
    spellings of one hyper-parameter (``lr=`` and ``learning_rate=``) is an error.
    """
    owner = cls.__name__
    declared = {k: p.default for k, p in inspect.signature(cls.__init__).parameters.items()}
    out = dict(values)
    for name, value in keras_names.items():
        torch_name = "betas" if name in ("beta_1", "beta_2") else KERAS_NAMES.get(name)
        if torch_name not in out:
            raise TypeError(f"{owner} got an unexpected argument {name!r}; it takes "
                            f"{', '.join(out)} (or the Keras spellings "
                            f"{', '.join(k for k, v in KERAS_NAMES.items() if v in out)})")
        if torch_name != "betas" and out[torch_name] != declared.get(torch_name, out[torch_name]):
            raise TypeError(f"{owner} got {torch_name}={out[torch_name]!r} and "
                            f"{name}={value!r}: they are two spellings of one "
                            f"hyper-parameter, give one")
        if name == "beta_1":
            out["betas"] = (value, out["betas"][1])
        elif name == "beta_2":
            out["betas"] = (out["betas"][0], value)
        else:
            out[torch_name] = value
    if ("beta_1" in keras_names or "beta_2" in keras_names) and \
            tuple(values["betas"]) != tuple(declared.get("betas", values["betas"])):
        raise TypeError(f"{owner} got betas={values['betas']!r} and beta_1/beta_2: give "
                        f"one spelling")
    return out


class Optimizer:
    """Base class of the optimisers: parameter groups, per-parameter state, ``step``.

    ``params`` is an iterable of ``autograd.Value`` (one group), or a list of dicts
    each with a ``"params"`` entry and any hyper-parameters that group overrides, as
    in PyTorch. ``params=None`` leaves the optimiser unbound: ``bind(params)`` (which
    ``Model.compile`` calls) gives it its parameters later, so the Keras habit
    ``model.compile(optimizer=SGD(learning_rate=0.1))`` works.

    >>> import numpy as np
    >>> from autograd import Value
    >>> from optim import SGD
    >>> a, b = Value(np.ones(2)), Value(np.ones(3))
    >>> opt = SGD([{"params": [a]}, {"params": [b], "lr": 0.5}], lr=0.1)
    >>> [g["lr"] for g in opt.param_groups]
    [0.1, 0.5]
    """

    elementwise_update = True     # _update may run on a bucket's flat array (optim.buckets)

    def __init__(self, params, defaults: dict[str, Any]):
        self.defaults = dict(defaults)
        self.param_groups: list[dict[str, Any]] = []
        self.state: dict[Value, dict[str, Any]] = {}
        self._work: dict[np.dtype, np.ndarray] = {}   # scratch space reused by every step
        self._views: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
        self._step_scalars: dict[tuple, SimpleNamespace] = {}
        self._last_scalars: dict[tuple, tuple[dict, SimpleNamespace]] = {}
        self._buckets: dict[int, tuple] = {}           # per group: see optim.buckets
        self._check(self.defaults)
        if params is not None:
            self.bind(params)

    # ---- the parameters --------------------------------------------------------------------
    def bind(self, params) -> Optimizer:
        """Give an unbound optimiser its parameters (``Model.compile`` calls this).

        Binding again to the same parameters, in the same order, does nothing (so
        compiling twice keeps the optimiser's state); binding to other parameters is
        an error, since the state belongs to the parameters it was built for.

        >>> import numpy as np
        >>> from autograd import Value
        >>> from optim import Adam
        >>> opt = Adam(learning_rate=0.01)              # no parameters yet
        >>> w = Value(np.zeros(3))
        >>> opt.bind([w]).param_groups[0]["lr"]
        0.01
        """
        if isinstance(params, Value):
            raise TypeError(f"{type(self).__name__} needs an iterable of Values (for "
                            f"example model.parameters()), got a single Value: wrap it "
                            f"in a list")
        if isinstance(params, dict):
            params = [params]
        params = list(params)
        if not params:
            raise ValueError(f"{type(self).__name__} got an empty parameter list: "
                             f"nothing to optimise")
        groups = params if isinstance(params[0], dict) else [{"params": params}]
        if self.param_groups:
            mine = [p for g in self.param_groups for p in g["params"]]
            theirs = [p for g in groups for p in _as_param_list(g.get("params"), self)]
            if len(mine) == len(theirs) and all(a is b for a, b in zip(mine, theirs, strict=True)):
                return self
            raise RuntimeError(f"this {type(self).__name__} is already bound to "
                               f"{len(mine)} other parameters (its state belongs to "
                               f"them): create a new optimiser for this model")
        for group in groups:
            self.add_param_group(group)
        return self

    def add_param_group(self, group: dict[str, Any]) -> None:
        """Add a group of parameters, with hyper-parameters of its own (as PyTorch).

        >>> import numpy as np
        >>> from autograd import Value
        >>> from optim import SGD
        >>> opt = SGD([Value(np.ones(2))], lr=0.1)
        >>> opt.add_param_group({"params": [Value(np.ones(3))], "lr": 0.01})
        >>> len(opt.param_groups)
        2
        """
        if not isinstance(group, dict):
            raise TypeError(f"a parameter group is a dict with a 'params' entry, got "
                            f"{type(group).__name__}")
        if "params" not in group:
            raise ValueError("a parameter group needs a 'params' entry: "
                             "{'params': [...], 'lr': ...}")
        full = dict(self.defaults)
        for key, value in group.items():
            full[KERAS_NAMES.get(key, key)] = value
        full["params"] = _as_param_list(group["params"], self)
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        for p in full["params"]:
            if id(p) in seen:
                raise ValueError(f"{type(self).__name__}: a parameter appears twice "
                                 f"(shape {p.shape}, label {p.label!r}); it would be "
                                 f"updated twice per step")
            seen.add(id(p))
        self._check(full)
        self.param_groups.append(full)

    @property
    def lr(self) -> float:
        """The learning rate of the first group (of the defaults while unbound).

        Keras callbacks write ``optimizer.learning_rate``; schedules for several
        groups change ``param_groups[i]["lr"]`` instead.
        """
        groups = self.param_groups
        return groups[0]["lr"] if groups else self.defaults["lr"]

    @lr.setter
    def lr(self, value: float) -> None:
        value = _check_lr(type(self).__name__, value)
        if self.param_groups:
            self.param_groups[0]["lr"] = value
        else:
            self.defaults["lr"] = value

    learning_rate = lr

    # ---- one step ---------------------------------------------------------------------------
    def zero_grad(self) -> None:
        """Forget every parameter's gradient (``p.zero_grad()``), before the next backward.

        The PyTorch-style loop: ``opt.zero_grad(); loss.backward(); opt.step()``.
        """
        for group in self.param_groups:
            for p in group["params"]:
                p._grad = None              # p.zero_grad(), without a call per parameter

    def step(self, closure: Callable[[], Any] | None = None):
        """Update every parameter that has a gradient, in place; return ``closure()``.

        Parameters without a gradient since the last ``zero_grad`` (``not p.has_grad``)
        are skipped, as PyTorch skips those whose ``.grad`` is None. An array
        parameter is updated in place (whoever holds the array sees the new values);
        a scalar parameter gets a new Python float in ``p.data``. Small array
        parameters of a group are updated together as one flat array, with the same
        results (:mod:`optim.buckets`).
        """
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        if not self.param_groups:
            raise RuntimeError(f"{type(self).__name__} has no parameters yet: create it "
                               f"with model.parameters(), or call bind(params) (compile "
                               f"does) before step()")
        self._step_scalars = {}               # hyper-parameters may have changed since
        # no_grad(), written out: on an Iris-sized network the with block is 8% of the update
        was = _value.GRAD_ENABLED
        _value.GRAD_ENABLED = False
        try:
            for group in self.param_groups:
                for p in self._step_buckets(group):
                    if not p.has_grad:
                        continue
                    state = self.state.get(p)
                    data = p.data
                    if type(data) is float:       # a scalar Value: compute on a 0-d array
                        w = np.array(data)
                        if state is None:
                            state = self.state[p] = self._init_state(w, group)
                        self._update(w, np.asarray(p.grad, dtype=np.float64), state, group)
                        p.data = float(w)
                    else:
                        if state is None:
                            state = self.state[p] = self._init_state(data, group)
                        self._update(data, p.grad, state, group)
        finally:
            _value.GRAD_ENABLED = was
        return loss

    def _step_buckets(self, group: dict) -> list[Value]:
        """Update the group's small parameters together (see :mod:`optim.buckets`);
        return the parameters left to update one by one."""
        params = group["params"]
        if not self.elementwise_update:
            return params
        entry = self._buckets.get(id(group))
        if entry is not None:
            owner, listed, n, buckets, rest = entry
            if owner is group and listed is params and n == len(params):
                for b in buckets:
                    if not b.holds(self.state):
                        break
                else:
                    for b in buckets:
                        b.step(self._update, group)
                    return rest
            del self._buckets[id(group)]
            return params                     # changed since: one by one this time
        buckets, rest = make_buckets(params, self.state,
                                     lambda w: self._init_state(w, group))
        self._buckets[id(group)] = (group, params, len(params), buckets, rest)
        for b in buckets:
            b.step(self._update, group)
        return rest

    # ---- what a subclass writes ------------------------------------------------------------
    def _check(self, group: dict) -> None:
        """Raise ValueError for hyper-parameters outside their valid range."""
        _check_lr(type(self).__name__, group["lr"])

    def _state_keys(self, group: dict) -> set[str]:
        """The keys of ``state[p]`` once ``p`` has taken a step (for load_state_dict)."""
        return set()

    def _init_state(self, w: np.ndarray, group: dict) -> dict[str, Any]:
        return {}

    def _coefficients(self, group: dict, t: int) -> dict[str, float]:
        """The numbers of one step of a group at step ``t`` (γ, β, 1 − β, ...), by name."""
        raise NotImplementedError

    def _update(self, w: np.ndarray, g, state: dict, group: dict) -> None:
        """Update one parameter's data ``w`` in place, given its gradient ``g``.

        ``w`` may also be the flat array of several small parameters (a bucket, see
        :mod:`optim.buckets`), which is exact only for an elementwise update. An
        optimiser whose update is not (one that takes a norm of each parameter, say)
        sets the class attribute ``elementwise_update = False``.
        """
        raise NotImplementedError

    # ---- helpers for the updates -----------------------------------------------------------
    def _scalars(self, group: dict, dtype: np.dtype, t: int = 0) -> SimpleNamespace:
        """``_coefficients(group, t)`` as 0-d arrays of ``dtype``, computed once per step.

        The value is what numpy would use for a Python float in an op with a ``dtype``
        array (rounded to ``dtype``), so results are unchanged; it only spares every
        op of every parameter the conversion, which on small layers costs as much as
        the arithmetic (an array op with a 0-d array takes half the time it takes with
        a Python float). The arrays of the previous step are reused while the numbers
        stay the same (SGD's, at a constant learning rate, always do).
        """
        key = (id(group), dtype, t)
        c = self._step_scalars.get(key)
        if c is None:
            numbers = self._coefficients(group, t)
            last = self._last_scalars.get((id(group), dtype))
            if last is not None and last[0] == numbers:
                c = last[1]
            else:
                # a new namespace (the last one may still serve another step count),
                # with new arrays only for the numbers that changed: Adam's two bias
                # corrections change every step, its other seven numbers never do
                old_numbers, old = last if last is not None else ({}, SimpleNamespace())
                c = SimpleNamespace(**{
                    k: getattr(old, k) if k in old_numbers and old_numbers[k] == v
                    else np.array(v, dtype=dtype) for k, v in numbers.items()})
                self._last_scalars[(id(group), dtype)] = (numbers, c)
            self._step_scalars[key] = c
        return c

    def _scratch(self, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Two scratch arrays shaped and typed like ``w``, reused from step to step.

        They are views of one buffer per dtype, sized for the largest parameter, so
        a step allocates nothing and holds at most two extra copies of one parameter.
        """
        key = (w.shape, w.dtype)
        views = self._views.get(key)
        if views is None:
            size = w.size
            buf = self._work.get(w.dtype)
            if buf is None or buf.size < 2 * size:
                buf = self._work[w.dtype] = np.empty(2 * size, dtype=w.dtype)
                self._views = {k: v for k, v in self._views.items() if k[1] != w.dtype}
            views = self._views[key] = (buf[:size].reshape(w.shape),
                                        buf[size:2 * size].reshape(w.shape))
        return views

    @staticmethod
    def _objective_grad(w: np.ndarray, g, group: dict, c: SimpleNamespace, out: np.ndarray,
                        tmp: np.ndarray):
        """g_t as the algorithms use it: −∇f when maximising, plus λθ (L2 weight decay).

        Writes into ``out`` when it has to change anything (``p.grad`` itself is never
        modified: other Values may share that array); returns ``g`` untouched otherwise.
        """
        if group["maximize"]:
            g = np.negative(g, out=out)                    # g ← −∇f
        if group["weight_decay"] != 0:
            np.multiply(w, c.weight_decay, out=tmp)        # g ← g + λθ
            g = np.add(g, tmp, out=out)
        return g

    # ---- saving and restoring --------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """A copy of the optimiser's state, in PyTorch's layout.

        ``{"state": {index: {...}}, "param_groups": [{..., "params": [indices]}]}``:
        parameters are numbered in order across the groups; arrays are copies.

        >>> import numpy as np
        >>> from autograd import Value
        >>> from optim import SGD
        >>> w = Value(np.ones(2)); opt = SGD([w], lr=0.1, momentum=0.9)
        >>> (w * w).sum().backward(); opt.step()
        >>> sd = opt.state_dict()
        >>> sd["state"][0]["momentum_buffer"], sd["param_groups"][0]["params"]
        (array([2., 2.]), [0])
        """
        index = {}
        groups = []
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            packed["params"] = []
            for p in group["params"]:
                index[p] = len(index)
                packed["params"].append(index[p])
            groups.append(packed)
        state = {index[p]: {k: _copy(v) for k, v in s.items()}
                 for p, s in self.state.items() if p in index and s}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore a state saved by ``state_dict()`` (copies in; hyper-parameters too).

        The optimiser must be bound to parameters of the same groups, sizes and shapes.

        >>> import numpy as np
        >>> from autograd import Value
        >>> from optim import Adam
        >>> w = Value(np.ones(2)); opt = Adam([w], lr=0.1)
        >>> w.grad = np.ones(2); opt.step()
        >>> again = Adam([Value(w.data.copy())])
        >>> again.load_state_dict(opt.state_dict())
        >>> again.param_groups[0]["lr"], again.state_dict()["state"][0]["step"]
        (0.1, 1)
        """
        name = type(self).__name__
        if not isinstance(state_dict, dict) or set(state_dict) != {"state", "param_groups"}:
            raise ValueError(f"{name}.load_state_dict expects the dict state_dict() returns, "
                             f"with keys 'state' and 'param_groups'")
        saved_groups = state_dict["param_groups"]
        if len(saved_groups) != len(self.param_groups):
            raise ValueError(f"{name}.load_state_dict: the saved state has "
                             f"{len(saved_groups)} parameter group(s), this optimiser has "
                             f"{len(self.param_groups)}")
        params = {}
        for i, (saved, group) in enumerate(zip(saved_groups, self.param_groups, strict=True)):
            if len(saved["params"]) != len(group["params"]):
                raise ValueError(f"{name}.load_state_dict: saved group {i} has "
                                 f"{len(saved['params'])} parameter(s), this one has "
                                 f"{len(group['params'])}")
            for index, p in zip(saved["params"], group["params"], strict=True):
                params[index] = p
        new_groups = []
        for saved, group in zip(saved_groups, self.param_groups, strict=True):
            new = {k: _copy(v) for k, v in saved.items() if k != "params"}
            new = {**{k: v for k, v in group.items() if k != "params"}, **new}
            new["params"] = group["params"]
            self._check(new)
            new_groups.append(new)
        group_of = {id(p): g for g in new_groups for p in g["params"]}
        new_state = {}
        for index, saved in state_dict["state"].items():
            if isinstance(index, str) and index.isdigit():
                index = int(index)                    # the keys of a state read from JSON
            if index not in params:
                raise ValueError(f"{name}.load_state_dict: the saved state names parameter "
                                 f"{index}, which no saved group lists")
            p = params[index]
            expected = self._state_keys(group_of[id(p)])
            if set(saved) != expected:
                raise ValueError(f"{name}.load_state_dict: the state of parameter {index} "
                                 f"has keys {sorted(saved)}, {name} with these settings "
                                 f"keeps {sorted(expected)} (was it saved from another "
                                 f"optimiser?)")
            new_state[p] = {k: _restore(v, p, k, index, name) for k, v in saved.items()}
        self.param_groups[:] = new_groups
        self.state = new_state
        self._buckets = {}

    def __repr__(self) -> str:
        if not self.param_groups:
            hyper = ", ".join(f"{k}={v!r}" for k, v in self.defaults.items())
            return f"{type(self).__name__}({hyper}, unbound)"
        lines = [f"{type(self).__name__}("]
        for i, group in enumerate(self.param_groups):
            hyper = ", ".join(f"{k}={v!r}" for k, v in group.items() if k != "params")
            lines.append(f"  group {i}: {len(group['params'])} parameters, {hyper}")
        return "\n".join([*lines, ")"])


def _as_param_list(params, opt) -> list[Value]:
    name = type(opt).__name__
    if isinstance(params, Value):
        params = [params]
    elif params is None or isinstance(params, (str, bytes, dict)):
        raise TypeError(f"{name}: 'params' must be Values or an iterable of Values, got "
                        f"{type(params).__name__}")
    out = list(params)
    for i, p in enumerate(out):
        if not isinstance(p, Value):
            raise TypeError(f"{name}: parameter {i} is a {type(p).__name__}, not an "
                            f"autograd.Value (optimisers update Values in place)")
        if not p.requires_grad:
            raise ValueError(f"{name}: parameter {i} (shape {p.shape}) does not require "
                             f"grad, so it would never get a gradient to follow")
    return out


def _check_lr(owner: str, lr) -> float:
    if not _is_number(lr) or lr < 0:
        raise ValueError(f"{owner}: lr (learning_rate) must be a number >= 0, got {lr!r}")
    return lr


def _is_number(x) -> bool:
    return (isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, bool)
            and math.isfinite(x))


def check_range(owner: str, name: str, value, low: float, high: float, *,
                high_open: bool = False) -> None:
    """ValueError naming ``value`` and the valid range unless low <= value <= high
    (or < high with ``high_open``)."""
    ok = _is_number(value) and low <= value and (value < high if high_open else value <= high)
    if not ok:
        valid = (f">= {low}" if high == float("inf") else
                 f"in [{low}, {high}{')' if high_open else ']'}")
        raise ValueError(f"{owner}: {name} must be a number {valid}, got {value!r}")


def _copy(v):
    if isinstance(v, np.ndarray):
        return v.copy()
    if isinstance(v, list):
        return [_copy(x) for x in v]
    return v


def _restore(v, p: Value, key: str, index, owner: str):
    if key == "step":
        return int(v)
    arr = np.array(v, dtype=p.dtype)                  # a copy, in the parameter's dtype
    if arr.shape != p.shape:
        raise ValueError(f"{owner}.load_state_dict: state {key!r} of parameter {index} has "
                         f"shape {arr.shape}, the parameter has shape {p.shape}")
    return arr
