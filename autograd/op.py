"""What an op is: a forward function and one derivative rule per input.

An op is defined once, in the op table (``autograd/ops/``), with its forward and
its derivative rules side by side::

    mul = defop("mul",
        lambda xp, a, b: a * b,                 # forward, on raw data
        lambda xp, g, y, a, b: g * b,           # d(loss)/da, given g = d(loss)/dy
        lambda xp, g, y, a, b: g * a,           # d(loss)/db
        check=Check(kind="binary"))

The rules receive the output gradient ``g``, the op's output ``y`` and its inputs.
They are vector-Jacobian products (VJPs): ``g`` has the output's shape and each
rule returns a gradient shaped like its input before broadcasting (the engine
sums broadcast dimensions away in one place, so no rule has to). The rules are
written only with operators and ``xp`` functions, so the same rule runs on numpy
arrays, on Python floats and on ``Value`` objects (for higher derivatives).

``check`` is the op's test metadata: the property tests are generated from it,
and a meta-test fails when an op has none.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["REGISTRY", "Check", "InputError", "Op", "defop"]


@dataclass(frozen=True)
class Check:
    """How the property tests exercise an op.

    kind: the shape of its inputs, one of
      "unary"   one array of any shape;
      "binary"  two arrays of broadcast-compatible shapes;
      "reduce"  one array, with the ``axis``/``keepdims`` variants in ``attrs``;
      or the name of a dedicated strategy in ``autograd.testing`` (matmul,
      getitem, concatenate ...).
    low, high: the input domain (log needs positive numbers, for instance).
    away_from: kinks where the derivative jumps (relu at 0); inputs keep clear
      of them by ``margin``.
    attrs: attribute sets to try, e.g. ``({"axis": 0}, {"axis": None})``.
    zero_grad: the derivative is zero almost everywhere (step, sign): the test
      asserts an exact zero instead of comparing with finite differences.
    rtol, atol: tolerances of the finite-difference comparison.
    second_order: whether ``grad(grad(f))`` is checked too.

    >>> REGISTRY["log"].check.low        # log is tested on positive numbers only
    0.1
    """

    kind: str = "unary"
    low: float = -3.0
    high: float = 3.0
    away_from: tuple = ()
    margin: float = 1e-2
    attrs: tuple = field(default_factory=lambda: ({},))
    zero_grad: bool = False
    rtol: float = 1e-4
    atol: float = 1e-6
    second_order: bool = True


class Op:
    """One entry of the op table (made by :func:`defop`). See the module docstring.

    >>> REGISTRY["mul"].name, len(REGISTRY["mul"].vjps)
    ('mul', 2)
    """

    __slots__ = ("check", "doc", "forward", "grads", "name", "saves", "variadic", "vjps")

    def __init__(self, name: str, forward: Callable, vjps: tuple, *, check: Check | None,
                 saves: bool = False, variadic: bool = False, doc: str = "",
                 grads: Callable | None = None):
        self.name = name
        self.forward = forward
        self.vjps = vjps
        self.check = check
        self.saves = saves
        self.variadic = variadic
        self.doc = doc
        self.grads = grads

    def __repr__(self) -> str:
        return f"<op {self.name}>"


REGISTRY: dict[str, Op] = {}


class InputError(ValueError):
    """Bad input that an op's forward has already explained in its own words (a class
    label out of range, say): ``apply`` raises it as it is, instead of rewording it as
    a problem of shapes."""


def defop(name: str, forward: Callable, *vjps: Callable, check: Check | None = None,
          saves: bool = False, variadic: bool = False, doc: str = "",
          grads: Callable | None = None, replace: bool = False) -> Op:
    """Define an op and add it to the table.

    ``forward(xp, *inputs, **attrs)`` returns the output (or ``(output, saved)``
    with ``saves=True``: ``saved`` is handed to the rules as ``saved=`` on the
    first-order path, and is ``None`` when the rules run on Values).
    ``vjps[i](xp, g, y, *inputs, **attrs)`` returns the gradient of input i,
    or ``None`` when that input is not differentiable (integer labels).
    ``variadic=True`` ops (concatenate, stack) have one rule taking the input's
    position first: ``vjp(xp, i, g, y, *inputs, **attrs)``. ``replace=True`` redefines
    an existing name (re-running a notebook cell that defines an op).

    ``grads(needs, g, y, *inputs)``, optional, runs the rules of the inputs with
    ``needs[i]`` true at once, on numpy arrays, and returns a tuple with one gradient
    per input (None where not needed), each of its input's shape and dtype; or None to
    decline, and the rules run one by one. It is for a hot op (linear) in its common
    case: one call, and no shapes for the engine to check. Build it from the same
    functions as the rules, not from a second copy of their formulas.

    >>> cube = defop("cube", lambda xp, x: x ** 3,
    ...              lambda xp, g, y, x: g * 3 * x ** 2, check=Check(), replace=True)
    >>> from autograd.value import Value, apply
    >>> x = Value(2.0)
    >>> apply(cube, x).backward()
    >>> x.grad
    12.0
    >>> del REGISTRY["cube"]
    """
    if name in REGISTRY and not replace:
        raise ValueError(f"op {name!r} is defined twice (pass replace=True to redefine it)")
    op = Op(name, forward, vjps, check=check, saves=saves, variadic=variadic, doc=doc,
            grads=grads)
    REGISTRY[name] = op
    return op
