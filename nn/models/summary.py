"""``model.summary()``: Keras 3's table of a model's layers, drawn with box characters.

::

    Model: "sequential"
    ┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
    ┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
    ┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
    │ Oculto (Dense)                  │ (None, 2)              │            10 │
    ├─────────────────────────────────┼────────────────────────┼───────────────┤
    │ salida (Dense)                  │ (None, 3)              │             9 │
    └─────────────────────────────────┴────────────────────────┴───────────────┘
     Total params: 19 (76.00 B)
     Trainable params: 19 (76.00 B)
     Non-trainable params: 0 (0.00 B)

The layout is Keras's: the line is ``min(88, terminal width - 4)`` wide, split at
45% and 80%; the batch axis shows as None; a layer not built yet shows "?" and
"0 (unbuilt)"; the sizes count the bytes of the weights.
"""

from __future__ import annotations

import shutil

__all__ = ["print_summary", "readable_memory_size", "summary_text"]

_POSITIONS = (0.45, 0.80, 1.0)
_HEADER = ("Layer (type)", "Output Shape", "Param #")


def readable_memory_size(n_bytes: float) -> str:
    """Bytes as Keras writes them: ``76.00 B``, ``37.54 KB`` (powers of 1024).

    >>> readable_memory_size(76), readable_memory_size(38440)
    ('76.00 B', '37.54 KB')
    """
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if n_bytes < 1024:
            return f"{n_bytes:.2f} {unit}"
        n_bytes /= 1024
    return f"{n_bytes:.2f} PB"


def _rows(model) -> list[tuple[str, str, str]]:
    rows = []
    shapes = _output_shapes(model)
    for layer in model.layers:
        shape = shapes.get(id(layer))
        if not layer.built:
            params = "0 (unbuilt)"
        else:
            params = f"{layer.count_params():,}"
        rows.append((f"{layer.name} ({type(layer).__name__})",
                     "?" if shape is None else str(tuple(shape)), params))
    return rows


def _output_shapes(model) -> dict[int, tuple]:
    shapes: dict[int, tuple] = {}
    if model._input is not None:
        shapes[id(model._input)] = model._input.shape
    nodes = model._nodes or []
    for (layer, _), shape in zip(nodes, model._output_shapes, strict=False):
        shapes.setdefault(id(layer), shape)
    return shapes


def _wrap(text: str, width: int) -> list[str]:
    return [text[i:i + width] for i in range(0, len(text), width)] or [""]


def summary_text(model, line_length: int | None = None) -> str:
    """The summary as one string (what ``model.summary()`` prints).

    >>> from nn import Dense, Input, Sequential
    >>> text = summary_text(Sequential([Input(shape=[4]), Dense(2), Dense(3)], name="s"))
    >>> text.splitlines()[-3]
    ' Total params: 19 (76.00 B)'
    """
    if line_length is None:
        line_length = min(88, shutil.get_terminal_size().columns - 4)
    edges = [int(p * line_length) for p in _POSITIONS]
    widths = [edges[0], edges[1] - edges[0], edges[2] - edges[1]]
    # rich, which Keras draws with, takes the four border characters out of the columns
    inner = [widths[0] - 1, widths[1] - 2, widths[2] - 1]
    if min(inner) < 4:
        raise ValueError(f"line_length={line_length} is too narrow for the summary")

    def rule(left, mid, right, fill):
        return left + mid.join(fill * w for w in inner) + right

    def row(cells, bar):
        wrapped = [_wrap(c, w - 2) for c, w in zip(cells, inner, strict=True)]
        lines = []
        for i in range(max(len(w) for w in wrapped)):
            parts = []
            for j, (w, cell_lines) in enumerate(zip(inner, wrapped, strict=True)):
                text = cell_lines[i] if i < len(cell_lines) else ""
                parts.append(" " + (text.rjust(w - 2) if j == 2 else text.ljust(w - 2)) + " ")
            lines.append(bar + bar.join(parts) + bar)
        return lines

    lines = [f'Model: "{model.name}"', rule("┏", "┳", "┓", "━"), *row(_HEADER, "┃"),
             rule("┡", "╇", "┩", "━")]
    rows = _rows(model)
    for i, cells in enumerate(rows):
        if i:
            lines.append(rule("├", "┼", "┤", "─"))
        lines.extend(row(cells, "│"))
    lines.append(rule("└", "┴", "┘", "─"))
    trainable = model.parameters()
    frozen = model.buffers()
    n_train, n_frozen = sum(v.size for v in trainable), sum(v.size for v in frozen)
    b_train = sum(v.size * v.dtype.itemsize for v in trainable)
    b_frozen = sum(v.size * v.dtype.itemsize for v in frozen)
    lines += [f" Total params: {n_train + n_frozen:,} "
              f"({readable_memory_size(b_train + b_frozen)})",
              f" Trainable params: {n_train:,} ({readable_memory_size(b_train)})",
              f" Non-trainable params: {n_frozen:,} ({readable_memory_size(b_frozen)})"]
    return "\n".join(lines)


def print_summary(model, line_length: int | None = None, print_fn=None) -> None:
    """Print :func:`summary_text` (or pass it to ``print_fn``, as Keras does).

    >>> import nn
    >>> lines = []
    >>> print_summary(nn.Sequential([nn.Input(shape=[4]), nn.Dense(2), nn.Dense(3)]),
    ...               print_fn=lines.append)
    >>> "Total params: 19" in lines[0]
    True
    """
    text = summary_text(model, line_length)
    (print_fn or print)(text)
