"""``Value``: a number or an n-d array that remembers how it was computed.

Every operation on Values goes through :func:`apply`, which runs the op's
forward on the raw data and records a node: the op, its input Values (the
``parents``, an ordered tuple) and its attributes. :mod:`autograd.backward`
walks those nodes back to compute gradients.

Scalars are stored as Python floats and computed with :mod:`math`, arrays as
numpy arrays; the same op table serves both (see :mod:`autograd.backend`).
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from . import ops as _ops
from .backend import NUMPY, SCALAR
from .op import InputError, Op

__all__ = ["VALUE", "Value", "apply", "as_value"]

# Engine state, read on every op; changed by the context managers in autograd.modes (and
# SCOPE by nn's Layer.__call__, which opens its layer's scope as name_scope does).
GRAD_ENABLED = True   # False inside no_grad(): nothing is recorded
ANOMALY = False       # True inside detect_anomaly(): every result is checked for nan/inf
SCOPE = ""            # the current name_scope ("hidden/neuron0"), copied onto new nodes

_OPS = _ops.REGISTRY
_new = object.__new__
_float = float
_ndarray = np.ndarray
_float64 = np.float64
_FLOAT_ERRORS = (ArithmeticError, ValueError)   # math's way of saying inf or nan
_backward = None      # autograd.backward.backward, see Value.backward


class Value:
    """A scalar or an n-d array in a computation graph, with its gradient.

    >>> x = Value(2.0, label="x")
    >>> y = (x * x + 1).tanh()
    >>> y.backward()
    >>> round(x.grad, 6)
    0.000726

    ``data`` is a Python float for a float64 scalar, a numpy array otherwise
    (a float32 array stays float32). ``grad`` has the same shape; it reads as
    zeros until a backward pass has reached this Value.
    """

    # _mark, _pending, _pg: scratch space of a backward pass (see autograd.backward).
    # The inputs: a node made by apply() keeps them as a tuple in _rest; a node made by
    # the operators + - * / ** and the one-input methods keeps them in _x and _y (None
    # when absent). In both, a constant operand is kept as its raw number or array. Why:
    # operator nodes are most of a scalar graph, and a tuple and a constant Value per node
    # are two more objects for CPython's cyclic garbage collector to walk over and over
    # while a big graph is built (a 10^5-op chain spent most of its forward pass in the
    # GC); and a training step's labels are a constant whose Value nobody reads.
    # ``parents`` turns either form into the tuple of Values of the contract. An apply()
    # node that requires grad also keeps its inputs' data as the forward saw it (_datas)
    # and what its op's forward saved (_saved), for the rules in backward (rebinding an
    # input's .data between the forward and the backward pass is not supported: PyTorch
    # raises for it; here the gradient would mix the two).
    __slots__ = ("_attrs", "_datas", "_grad", "_mark", "_op", "_pending", "_pg", "_rest",
                 "_saved", "_where", "_x", "_y", "data", "label", "requires_grad", "scope",
                 "__weakref__")

    # numpy must hand `array * value` to Value.__rmul__ instead of looping over the array
    __array_ufunc__ = None

    def __init__(self, data, *, requires_grad: bool = True, label: str = ""):
        if type(data) is Value:
            data = data.data
        self.data = _to_data(data, requires_grad)
        self._grad = None
        self._op = None
        self._rest = self._x = self._y = None
        self.requires_grad = requires_grad
        self._attrs = None
        self._mark = None
        self.label = label
        self.scope = SCOPE

    # ---- what it holds -------------------------------------------------------------------
    @property
    def grad(self):
        """d(root)/d(self) from the backward passes so far (zeros before any)."""
        g = self._grad
        if g is None:
            d = self.data
            return 0.0 if type(d) is _float else np.zeros_like(d)
        return g

    @grad.setter
    def grad(self, value):
        self._grad = None if value is None else _to_data(value, False)

    @property
    def has_grad(self) -> bool:
        """Whether a backward pass has given this Value a gradient since the last zero_grad()
        (optimisers skip the parameters that have none, as PyTorch's do)."""
        return self._grad is not None

    @property
    def parents(self) -> tuple:
        """The Values this one was made from, in argument order (``()`` for a leaf)."""
        rest = self._rest
        if rest is not None:
            for p in rest:
                if type(p) is not Value:    # raw constants: Values made on first look
                    rest = self._rest = tuple([p if type(p) is Value else _const_of(self, p)
                                               for p in rest])
                    break
            return rest
        a = self._x
        if a is None:
            return ()
        if type(a) is not Value:        # a raw constant: its Value is made on first look
            a = self._x = _const_of(self, a)
        b = self._y
        if b is None:
            return (a,)
        if type(b) is not Value:
            b = self._y = _const_of(self, b)
        return (a, b)

    @property
    def op(self) -> str:
        """Name of the op that made this Value; "" for a leaf."""
        return "" if self._op is None else self._op.name

    @property
    def is_leaf(self) -> bool:
        return self._op is None

    @property
    def shape(self) -> tuple:
        return () if type(self.data) is _float else self.data.shape

    @property
    def ndim(self) -> int:
        return 0 if type(self.data) is _float else self.data.ndim

    @property
    def size(self) -> int:
        return 1 if type(self.data) is _float else self.data.size

    @property
    def dtype(self) -> np.dtype:
        return np.dtype(np.float64) if type(self.data) is _float else self.data.dtype

    def item(self) -> float:
        """The single number held, as a Python float."""
        d = self.data
        if type(d) is _float:
            return d
        if d.size != 1:
            raise ValueError(f"item() needs a Value with one element, this one has shape "
                             f"{self.shape}")
        return float(d.item())

    __float__ = item

    def numpy(self) -> np.ndarray:
        """A copy of the data as a numpy array."""
        return np.array(self.data)

    def detach(self) -> Value:
        """The same data as a new leaf that does not require grad: the graph stops here."""
        return _node(self.data, None, (), False, None)

    def zero_grad(self) -> None:
        """Forget the gradient (it then reads as zeros)."""
        self._grad = None

    def backward(self, grad=None) -> None:
        """Backpropagate from this Value: every Value it depends on that requires grad
        gets d(self)/d(it). Leaves add it to their ``.grad`` (so two calls give twice the
        gradient, as in PyTorch); intermediate Values show this pass's gradient.

        ``grad`` is d(loss)/d(self) and is needed unless self has one element.
        """
        global _backward
        if _backward is None:      # imported on first use, as it imports this module; an
            from .backward import backward as _backward  # import at every call costs 0.5 us
        _backward(self, grad)

    # ---- printing ------------------------------------------------------------------------
    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        if self.size == 1 and self.ndim == 0:
            dt = "" if self.dtype == np.float64 else f", dtype={self.dtype}"
            return f"Value(data={_fmt(self.data)}, grad={_fmt(self.grad)}{dt}{label})"
        with np.printoptions(precision=4, threshold=20, edgeitems=2):
            data = np.array2string(np.asarray(self.data), separator=", ").replace("\n", "")
        return f"Value(shape={self.shape}, dtype={self.dtype}, data={data}{label})"

    def __format__(self, spec: str) -> str:
        if spec and self.size == 1:
            return format(self.item(), spec)
        return format(repr(self), spec)

    # ---- operators: each goes to one op of the table -------------------------------------
    def __add__(self, other): return _binary(_ADD, self, other)
    def __radd__(self, other): return _binary(_ADD, other, self)
    def __sub__(self, other): return _binary(_SUB, self, other)
    def __rsub__(self, other): return _binary(_SUB, other, self)
    def __mul__(self, other): return _binary(_MUL, self, other)
    def __rmul__(self, other): return _binary(_MUL, other, self)
    def __truediv__(self, other): return _binary(_DIV, self, other)
    def __rtruediv__(self, other): return _binary(_DIV, other, self)
    def __pow__(self, other): return _binary(_POW, self, other)
    def __rpow__(self, other): return _binary(_POW, other, self)
    def __matmul__(self, other): return apply(_OPS["matmul"], self, other)
    def __rmatmul__(self, other): return apply(_OPS["matmul"], other, self)
    def __neg__(self): return _unary(_NEG, self)
    def __pos__(self): return self
    def __abs__(self): return _unary(_OPS["abs"], self)

    # Comparisons give plain booleans (arrays for arrays) and record nothing.
    def __lt__(self, other): return self.data < _raw(other)
    def __le__(self, other): return self.data <= _raw(other)
    def __gt__(self, other): return self.data > _raw(other)
    def __ge__(self, other): return self.data >= _raw(other)
    def __eq__(self, other): return self.data == _raw(other)
    def __ne__(self, other): return self.data != _raw(other)
    __hash__ = object.__hash__   # Values are graph nodes: hashed by identity

    def __bool__(self) -> bool:
        if self.size != 1:
            raise ValueError(f"the truth value of a Value of shape {self.shape} is ambiguous")
        return bool(self.item())

    def __len__(self) -> int:
        if self.ndim == 0:
            raise TypeError("len() of a scalar Value")
        return self.data.shape[0]

    def __iter__(self):
        if self.ndim == 0:
            raise TypeError("iteration over a scalar Value")
        return (self[i] for i in range(self.data.shape[0]))

    def __getitem__(self, index):
        return apply(_OPS["getitem"], self, index=_raw_index(index))

    # ---- methods: elementwise ------------------------------------------------------------
    def exp(self): return _unary(_OPS["exp"], self)
    def log(self): return _unary(_OPS["log"], self)
    def sqrt(self): return _unary(_OPS["sqrt"], self)
    def abs(self): return _unary(_OPS["abs"], self)
    def sin(self): return _unary(_OPS["sin"], self)
    def cos(self): return _unary(_OPS["cos"], self)
    def tanh(self): return _unary(_TANH, self)
    def sigmoid(self): return _unary(_OPS["sigmoid"], self)
    def relu(self): return _unary(_RELU, self)
    def step(self): return _unary(_OPS["step"], self)
    heaviside = step
    def sign(self): return _unary(_OPS["sign"], self)

    def leaky_relu(self, slope: float = 0.01):
        """x for x > 0, slope * x otherwise (slope 0.01 as on the course slides)."""
        return apply(_OPS["leaky_relu"], self, slope=slope)

    def clip(self, lo=None, hi=None):
        """Limit to [lo, hi]; the gradient passes on the closed interval."""
        return apply(_OPS["clip"], self, lo=lo, hi=hi)

    # ---- methods: reductions -------------------------------------------------------------
    def sum(self, axis=None, keepdims: bool = False):
        return apply(_OPS["sum"], self, axis=_axis(axis), keepdims=keepdims)

    def mean(self, axis=None, keepdims: bool = False):
        return apply(_OPS["mean"], self, axis=_axis(axis), keepdims=keepdims)

    def max(self, axis=None, keepdims: bool = False):
        """Largest element(s); ties share the gradient evenly."""
        return apply(_OPS["max"], self, axis=_axis(axis), keepdims=keepdims)

    def min(self, axis=None, keepdims: bool = False):
        """Smallest element(s); ties share the gradient evenly."""
        return apply(_OPS["min"], self, axis=_axis(axis), keepdims=keepdims)

    def logsumexp(self, axis=None, keepdims: bool = False):
        return apply(_OPS["logsumexp"], self, axis=_axis(axis), keepdims=keepdims)

    def softmax(self, axis: int = -1):
        return apply(_OPS["softmax"], self, axis=axis)

    def log_softmax(self, axis: int = -1):
        return apply(_OPS["log_softmax"], self, axis=axis)

    # ---- methods: shapes -----------------------------------------------------------------
    def reshape(self, *shape):
        """``x.reshape(2, 3)`` or ``x.reshape((2, 3))``, -1 allowed, as numpy."""
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = shape[0]
        return apply(_OPS["reshape"], self, shape=tuple(shape))

    def transpose(self, *axes):
        """Reverse the axes, or permute them as given (``x.transpose(1, 0, 2)``)."""
        if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
            axes = axes[0]
        return apply(_OPS["transpose"], self, axes=tuple(axes) if axes else None)

    @property
    def T(self):
        return apply(_OPS["transpose"], self, axes=None)


def _fmt(x) -> str:
    return repr(x) if type(x) is _float else str(np.asarray(x).reshape(())[()])


# ---- building Values ---------------------------------------------------------------------

def _to_data(data, requires_grad):
    """User data as the engine stores it: float for a float64 scalar, else an ndarray copy."""
    t = type(data)
    if t is _float:
        return data
    if t is int or t is bool or t is _float64:
        return _float(data)
    if isinstance(data, Value):
        return data.data
    if isinstance(data, np.generic) and data.dtype.kind in "biu":
        data = np.float64(data)
        return _float(data)
    try:
        arr = np.array(data)
    except ValueError as e:   # ragged nested lists
        raise ValueError(f"Value needs a number, a nested list of numbers of a regular shape "
                         f"or an array; got {type(data).__name__} ({e})") from None
    if isinstance(data, (list, tuple)) and arr.dtype.kind in "biu":
        arr = arr.astype(np.float64)   # Python numbers and lists become float64
    kind = arr.dtype.kind
    if kind not in "fbiu":
        raise TypeError(f"Value needs numbers; got an array of dtype {arr.dtype}")
    if kind != "f" and requires_grad:
        raise TypeError(f"Value got an array of dtype {arr.dtype}, but gradients need "
                        f"floats: pass x.astype(np.float64) (or float32), or "
                        f"requires_grad=False for a constant such as labels")
    if arr.ndim == 0 and arr.dtype == np.float64:
        return _float(arr)
    return arr


def _as_output(out):
    """An op's raw result as stored: float64 scalars become Python floats."""
    t = type(out)
    if t is _ndarray:
        if out.ndim == 0 and out.dtype == np.float64:
            return _float(out)
        return out
    if t is _float:
        return out
    if t is _float64:
        return _float(out)
    if isinstance(out, np.generic):
        return np.asarray(out)
    if t is int or t is bool:
        return _float(out)
    return out


def _const(x) -> Value:
    """A number or array taking part in an op: a leaf that does not require grad."""
    t = type(x)
    if t is _float:
        d = x
    elif t is int or t is _float64:
        d = _float(x)
    elif t is _ndarray:
        d = x if x.ndim else _as_output(x)
    else:
        d = _to_data(x, False)
    v = _new(Value)
    v.data = d
    v._grad = None
    v._op = None
    v._rest = v._x = v._y = None
    v.requires_grad = False
    v._attrs = None
    v._mark = None
    v.label = ""
    v.scope = SCOPE
    return v


def _const_of(node, data) -> Value:
    """The constant Value of a raw operand kept by ``node`` (made in the node's scope)."""
    v = _const(data)
    v.scope = node.scope
    return v


def _const_data(x):
    """A constant operand as the engine stores it (what _const(x).data would be)."""
    t = type(x)
    if t is _float:
        return x
    if t is int or t is _float64:
        return _float(x)
    if t is _ndarray:
        return _as_output(x)
    return _to_data(x, False)


def as_value(x) -> Value:
    """x itself if it is a Value, else a constant Value holding it.

    >>> as_value(2).requires_grad, as_value(2).data
    (False, 2.0)
    """
    return x if type(x) is Value else _const(x)


def _node(out, op, parents, requires_grad, attrs) -> Value:
    v = _new(Value)
    v.data = out
    v._grad = None
    v._op = op
    v._rest = parents or None
    v._x = v._y = None
    v.requires_grad = requires_grad
    v._attrs = attrs
    v._mark = None
    v.label = ""
    v.scope = SCOPE
    if ANOMALY:
        from .anomaly import check_forward
        check_forward(v)
    return v


def _operator_node(out, op, a, b, requires_grad) -> Value:
    """The node of an operator: inputs in the _x/_y slots (b None for one input), a raw
    constant kept raw (see Value.__slots__); outside no_grad() only."""
    v = _new(Value)
    v.data = out
    v._grad = None
    v._op = op
    v._rest = None
    if GRAD_ENABLED:
        v._x = a
        v._y = b
        v.requires_grad = requires_grad
    else:
        v._x = v._y = None
        v.requires_grad = False
    v._attrs = None
    v._mark = None
    v.label = ""
    v.scope = SCOPE
    if ANOMALY:
        from .anomaly import check_forward
        check_forward(v)
    return v


def _raw(x):
    return x.data if type(x) is Value else x


def _raw_index(index):
    if type(index) is Value:
        return _index_array(index)
    if type(index) is tuple:
        return tuple(_index_array(i) if type(i) is Value else i for i in index)
    return index


def _index_array(v):
    d = np.asarray(v.data)
    if d.dtype.kind == "f":
        raise TypeError(f"an index must hold integers or booleans, this Value holds {d.dtype}")
    return d


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


# ---- applying an op ----------------------------------------------------------------------

def apply(op: Op, *args, **attrs) -> Value:
    """Run ``op`` on Values (or numbers/arrays, taken as constants) and record the node.

    >>> from autograd.op import REGISTRY
    >>> apply(REGISTRY["mul"], Value(3.0), 2).data
    6.0
    """
    datas = []
    rg = False                             # whether the result requires grad
    converted = False                      # whether a constant's data is not itself
    for a in args:                         # one pass: the inputs' data, and rg
        if type(a) is Value:
            datas.append(a.data)
            if a.requires_grad:
                rg = True
        elif type(a) is _ndarray and a.ndim:   # a constant stays raw data (see
            datas.append(a)                    # Value.__slots__): an array as it is,
        else:
            d = _const_data(a)                 # a number or a list as the engine stores it
            datas.append(d)
            if d is not a:
                converted = True
    if converted:
        args = tuple([a if type(a) is Value else d for a, d in zip(args, datas, strict=True)])
    out = _NOT_YET
    given = datas
    if type(datas[0]) is _float:            # arrays, the common case, go to numpy at once
        out, datas = _math_forward(op, datas, attrs)
    if out is _NOT_YET:
        try:
            out = op.forward(NUMPY, *datas, **attrs) if attrs else op.forward(NUMPY, *datas)
        except InputError:
            raise
        except (ValueError, IndexError, TypeError) as e:
            raise _explain(op, args, attrs, e) from None
    saved = None
    if op.saves:
        out, saved = out
    if type(out) is not _ndarray or out.ndim == 0:
        out = _as_output(out)
    if GRAD_ENABLED:
        v = _node(out, op, args, rg, attrs or None)
        if rg:
            v._datas = given                # the inputs' data, for the rules in backward
            if op.saves:
                v._saved = saved
        return v
    return _node(out, op, (), False, attrs or None)


_NOT_YET = object()      # apply(): no result yet, numpy is to compute it


def _math_forward(op, datas, attrs):
    """``(result, datas)`` through math when every input is a Python float; otherwise
    ``(_NOT_YET, datas)``, with the floats made numpy float64 if math raised (it does
    where numpy gives inf or nan)."""
    for d in datas:
        if type(d) is not _float:
            return _NOT_YET, datas
    try:
        return op.forward(SCALAR, *datas, **attrs), datas
    except _FLOAT_ERRORS:
        return _NOT_YET, [_float64(d) for d in datas]


# _binary and _unary are apply() for the hot operators (+ - * / ** and the attribute-free
# one-input ops): on scalar graphs (micrograd's demo) the engine spends its time here,
# one call per node, so they skip apply()'s tuples and keyword dicts, run the scalar case
# first, and keep their inputs in the _x/_y slots (_operator_node).

def _binary(op, a, b):
    # a constant operand stays raw data (see Value.__slots__); rg: requires grad
    if type(a) is Value:
        ad = a.data
        rg = a.requires_grad
    else:
        a = ad = _const_data(a)
        rg = False
    if type(b) is Value:
        bd = b.data
        rg = rg or b.requires_grad
    else:
        b = bd = _const_data(b)
    if type(ad) is _float and type(bd) is _float:
        try:
            out = op.forward(SCALAR, ad, bd)
        except _FLOAT_ERRORS:
            out = _as_output(op.forward(NUMPY, _float64(ad), _float64(bd)))
    else:
        try:
            out = _as_output(op.forward(NUMPY, ad, bd))
        except (ValueError, TypeError) as e:
            raise _explain(op, (as_value(a), as_value(b)), {}, e) from None
    return _operator_node(out, op, a, b, rg)


def _unary(op, x):
    d = x.data
    if type(d) is _float:
        try:
            out = op.forward(SCALAR, d)
        except _FLOAT_ERRORS:
            out = _as_output(op.forward(NUMPY, _float64(d)))
    else:
        out = op.forward(NUMPY, d)
        if type(out) is not _ndarray or out.ndim == 0:
            out = _as_output(out)
    return _operator_node(out, op, x, None, x.requires_grad)


def _explain(op, inputs, attrs, error):
    """A numpy error, reworded to name the op and the shapes a learner can fix."""
    shapes = " and ".join(str(np.shape(_raw(x))) for x in inputs)
    extra = "".join(f", {k}={v!r}" for k, v in attrs.items() if k != "index")
    kind = type(error) if isinstance(error, (IndexError, TypeError)) else ValueError
    hint = ""
    if op.name == "matmul" or op.name == "linear":
        hint = " (the last axis of the first must equal the first axis of the second)"
    elif len(inputs) >= 2:
        hint = " (shapes must be equal or broadcastable: each axis equal, or 1)"
    return kind(f"{op.name}: cannot apply to shapes {shapes}{extra}{hint}: {error}")


_ADD, _SUB, _MUL, _DIV, _POW, _NEG = (_OPS[n] for n in ("add", "sub", "mul", "div", "power",
                                                         "neg"))
_TANH, _RELU = _OPS["tanh"], _OPS["relu"]


# ---- the namespace the derivative rules use on Values (higher-order derivatives) ------------

def _value_namespace() -> SimpleNamespace:
    ns = SimpleNamespace()
    for name, op in _OPS.items():
        if op.variadic:
            setattr(ns, name, lambda xs, _op=op, **kw: apply(_op, *xs, **kw))
        else:
            setattr(ns, name, lambda *xs, _op=op, **kw: apply(_op, *xs, **kw))
    ns.where = lambda cond, a, b: apply(_OPS["where"], a, b, cond=np.asarray(_raw(cond)))
    ns.heaviside = lambda x, h0=1.0: apply(_OPS["step"], x)
    ns.clip = lambda x, lo=None, hi=None: apply(_OPS["clip"], x, lo=lo, hi=hi)
    ns.abs = lambda x: apply(_OPS["abs"], x)
    missing = sorted(set(vars(NUMPY)) - set(vars(ns)) - {"log1p"})
    if missing:   # a rule could call xp.<name> on Values and fail: keep the namespaces equal
        raise ImportError(f"VALUE namespace lacks {missing}")
    ns.log1p = lambda x: apply(_OPS["log"], 1.0 + x)
    return ns


VALUE = _value_namespace()

