"""Arithmetic: + - * / ** and unary minus.

Each rule returns the gradient of one input; broadcasting is undone by the
engine afterwards, so ``g * b`` is enough even when ``a`` was broadcast.
"""

from ..op import Check, defop

add = defop("add",
    lambda xp, a, b: a + b,
    lambda xp, g, y, a, b: g,
    lambda xp, g, y, a, b: g,
    check=Check(kind="binary"))

sub = defop("sub",
    lambda xp, a, b: a - b,
    lambda xp, g, y, a, b: g,
    lambda xp, g, y, a, b: -g,
    check=Check(kind="binary"))

mul = defop("mul",
    lambda xp, a, b: a * b,
    lambda xp, g, y, a, b: g * b,
    lambda xp, g, y, a, b: g * a,
    check=Check(kind="binary"))

div = defop("div",
    lambda xp, a, b: a / b,
    lambda xp, g, y, a, b: g / b,
    lambda xp, g, y, a, b: -g * y / b,            # d(a/b)/db = -a/b^2 = -y/b
    check=Check(kind="binary", away_from=(0.0,), margin=0.3))

def _power_vjp_base(xp, g, y, a, b):
    # b a^(b-1), except where b = 0: a^0 = 1 is flat everywhere, also at a = 0, where the
    # formula would say 0 * 0^-1 (PyTorch's convention too)
    if type(b) is float:
        return g * 0.0 if b == 0 else g * b * xp.power(a, b - 1)
    flat = b == 0              # (the exponent 1 there only keeps 0^-1 from being computed)
    return xp.where(flat, 0.0 * g, g * b * xp.power(a, xp.where(flat, 1.0, b - 1)))


power = defop("power",
    lambda xp, a, b: xp.power(a, b),
    _power_vjp_base,
    lambda xp, g, y, a, b: g * y * xp.log(a),     # needs a > 0, as in real analysis
    check=Check(kind="binary", low=0.3, high=2.5),
    doc="a ** b. The gradient with respect to b is only defined for a > 0.")

neg = defop("neg",
    lambda xp, a: -a,
    lambda xp, g, y, a: -g,
    check=Check())
