"""What each drawn node says: numbers, tensors, op symbols and argument roles, as
Graphviz HTML-like labels (https://graphviz.org/doc/info/shapes.html#html).

Plain Python and numpy only: nothing here needs the graphviz package.

>>> number(-1.22670)
'-1.2267'
>>> op_text("sum", {"axis": 0, "keepdims": False})
('sum', 'axis=0')
"""

from __future__ import annotations

import math
from html import escape

import numpy as np

__all__ = ["FONT", "MONO", "box_label", "constant_text", "number", "op_text", "role",
           "value_label"]

FONT = "Helvetica"        # Graphviz maps it to the sans-serif of the machine (and of the SVG)
MONO = "Courier"
SMALL_TENSOR = 12         # up to this many elements a tensor shows its values, else statistics

# colours, picked to stay readable on a projector and in print
INK = "#1f2937"
GRAD_INK = "#b42318"      # gradients in red: backward's numbers, apart from forward's
MUTED = "#6b7280"
PARAM_FILL = "#dbeafe"    # leaves that require grad: what backprop is for
OUTPUT_FILL = "#dcfce7"   # the root
HIGHLIGHT_FILL = "#fde68a"
HIGHLIGHT_EDGE = "#d97706"

# Op names drawn as the symbol a slide would use.
_SYMBOLS = {"add": "+", "sub": "a − b", "mul": "×", "div": "a / b", "power": "^",
            "neg": "−", "matmul": "a @ b"}

# Which argument is which, for ops where order matters (a - b is not b - a): the edge from
# each argument carries its role. Commutative ops need none.
_ROLES = {
    "sub": ("a", "b"),
    "div": ("a", "b"),
    "power": ("base", "exponent"),
    "matmul": ("a", "b"),
    "linear": ("x", "W", "b"),
    "where": ("true", "false"),
    "softmax_cross_entropy": ("logits", "target"),
    "sigmoid_binary_cross_entropy": ("logits", "target"),
}
_COMMUTATIVE = {"add", "mul", "maximum", "minimum"}
_HIDDEN_ATTRS = {"cond", "index"}   # arrays (shown elsewhere or too big for a label)


def number(x: float) -> str:
    """A data or grad number as a node shows it: 4 decimals, scientific when tiny or huge.

    >>> number(0.25), number(1e-7)
    ('0.2500', '1.000e-07')
    """
    x = float(x)
    if not math.isfinite(x):
        return str(x)
    ax = abs(x)
    if ax == 0:
        return "0.0000"
    if 1e-3 <= ax < 1e5:
        return f"{x:.4f}"
    return f"{x:.3e}"


def constant_text(data) -> str:
    """A constant, as short as it reads: ``2``, ``0.5``, ``(4,) int64``.

    >>> constant_text(2.0), constant_text([1, 2])
    ('2', '[1 2]')
    """
    a = np.asarray(data)
    if a.ndim == 0:
        return f"{a.item():.6g}" if a.dtype.kind == "f" else str(a.item())
    if a.size <= 6 and a.ndim == 1:
        return "[" + " ".join(f"{v:.4g}" if a.dtype.kind == "f" else str(v)
                              for v in a.tolist()) + "]"
    return f"{a.shape} {a.dtype}"


def role(op: str, position: int, n_inputs: int) -> str:
    """The label of the edge from argument ``position`` into an ``op`` node ("" if none).

    >>> role("sub", 1, 2), role("add", 1, 2)
    ('b', '')
    """
    if n_inputs < 2 or op in _COMMUTATIVE:
        return ""
    names = _ROLES.get(op)
    if names is not None and position < len(names):
        return names[position]
    return str(position)


def op_text(op: str, attrs: dict | None) -> tuple[str, str]:
    """(symbol or name, attribute line) of an op node: ``("×", "")``, ``("sum", "axis=0")``.

    >>> op_text("sum", {"axis": 0, "keepdims": False})
    ('sum', 'axis=0')
    """
    attrs = attrs or {}
    if op == "getitem":
        return _index_text(attrs.get("index")), ""
    details = []
    for k, v in attrs.items():
        if k in _HIDDEN_ATTRS or v is None or v is False or isinstance(v, np.ndarray):
            continue
        if k == "shape":
            details.append(f"→ {tuple(v)}")
        elif k == "reduction" and v == "mean":
            continue
        else:
            details.append(f"{k}={v}")
    return _SYMBOLS.get(op, op), ", ".join(details)


def _index_text(index) -> str:
    parts = index if isinstance(index, tuple) else (index,)
    return "[" + ", ".join(_index_part(i) for i in parts) + "]"


def _index_part(i) -> str:
    if isinstance(i, slice):
        text = ("" if i.start is None else str(i.start)) + ":" + \
               ("" if i.stop is None else str(i.stop))
        return text + ("" if i.step is None else f":{i.step}")
    if i is Ellipsis:
        return "..."
    if i is None:
        return "None"
    if isinstance(i, np.ndarray):
        return str(i.tolist()) if i.size <= 6 else f"{i.dtype} array {i.shape}"
    return str(i)


# ---- HTML labels ---------------------------------------------------------------------------

def value_label(*, name: str, data, grad, show_grad: bool, fill: str,
                lit: bool = False, root: bool = False) -> str:
    """A Value's record: [ name | data ... | grad ... ], micrograd style.

    ``grad`` is None when no gradient is known yet (the cell stays blank); pass
    ``show_grad=False`` for Values that can have none. ``lit``: highlighted; ``root``:
    the output, framed thicker.

    >>> "grad" in value_label(name="x", data=2.0, grad=-1.5, show_grad=True, fill="white")
    True
    """
    a = np.asarray(data)
    head = f"<B>{escape(str(name))}</B>" if name else ""
    if a.ndim:
        meta = f'<FONT POINT-SIZE="9" COLOR="{MUTED}">{a.shape} {a.dtype}</FONT>'
        head = f"{head}<BR/>{meta}" if head else meta
    rows = [_numbers("data", a, INK)]
    if show_grad:
        rows.append(_numbers("grad", None if grad is None else np.asarray(grad), GRAD_INK))
    outline = f'BORDER="3" COLOR="{HIGHLIGHT_EDGE}" BGCOLOR="{HIGHLIGHT_FILL}"' if lit \
        else f'BORDER="{2 if root else 0}" COLOR="{INK}" BGCOLOR="white"'
    table = f'<TABLE {outline} CELLBORDER="1" CELLSPACING="0" CELLPADDING="3">'
    first = f'<TD ROWSPAN="{len(rows)}" BGCOLOR="{fill}">{head}</TD>' if head else ""
    cells = [f'<TD ALIGN="LEFT" BALIGN="LEFT">{r}</TD>' for r in rows]
    body = f"<TR>{first}{cells[0]}</TR>" + "".join(f"<TR>{c}</TR>" for c in cells[1:])
    return f"<{table}{body}</TABLE>>"


def _numbers(title: str, a: np.ndarray | None, colour: str) -> str:
    """The data or grad cell: one number, a small tensor's values, or a big one's statistics."""
    head = f'<FONT COLOR="{colour}">{title}</FONT>'
    if a is None:                                   # not known yet: keep the cell's width
        return head + " " + "&#160;" * 12
    if a.ndim == 0:
        return f'{head} <FONT COLOR="{colour}">{number(a.item())}</FONT>'
    if a.dtype.kind not in "fiu":
        lines = [escape(np.array2string(a, threshold=SMALL_TENSOR))]
    elif a.size <= SMALL_TENSOR:
        with np.printoptions(precision=4, suppress=True, floatmode="maxprec"):
            lines = escape(np.array2string(a, separator=" ")).split("\n")
    else:
        f = a.astype(np.float64)
        # below the dtype's resolution at this scale it is rounding noise (the mean of a
        # softmax's gradient rows): show 0
        eps = np.finfo(a.dtype).eps if a.dtype.kind == "f" else 0.0
        noise = 8 * eps * float(np.max(np.abs(f)))
        mean, std, lo, hi = (0.0 if abs(s) <= noise else s
                             for s in (f.mean(), f.std(), f.min(), f.max()))
        lines = [f"mean {mean:.4g}  std {std:.4g}", f"min {lo:.4g}  max {hi:.4g}"]
    body = '<BR ALIGN="LEFT"/>'.join(lines) + '<BR ALIGN="LEFT"/>'
    return (f'{head}<BR ALIGN="LEFT"/><FONT FACE="{MONO}" POINT-SIZE="10" '
            f'COLOR="{colour}">{body}</FONT>')


def box_label(name: str, hidden: int, what: str) -> str:
    """A collapsed box: its name, and how many nodes it stands for.

    >>> box_label("layer0", 43, "inside")[:24]
    '<<B>layer0</B><BR/><FONT'
    """
    return (f'<<B>{escape(name)}</B><BR/><FONT POINT-SIZE="10" COLOR="{MUTED}">'
            f"{hidden} nodes {escape(what)}</FONT>>")
