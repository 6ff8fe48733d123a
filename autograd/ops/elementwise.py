"""Elementwise functions and activations, with their kink conventions.

Conventions at kinks (where the derivative jumps) follow PyTorch:
relu'(0) = 0, abs'(0) = 0, leaky_relu'(0) = slope, clip passes the gradient on
the closed interval [lo, hi], maximum/minimum split the gradient evenly on ties.
step and sign have derivative 0 everywhere they have one: that is why a
perceptron with a step activation cannot learn by backpropagation.
"""

from ..op import Check, defop

exp = defop("exp",
    lambda xp, x: xp.exp(x),
    lambda xp, g, y, x: g * y,                    # (e^x)' = e^x
    check=Check())

log = defop("log",
    lambda xp, x: xp.log(x),
    lambda xp, g, y, x: g / x,
    check=Check(low=0.1, high=5.0))

sqrt = defop("sqrt",
    lambda xp, x: xp.sqrt(x),
    lambda xp, g, y, x: g * 0.5 / y,
    check=Check(low=0.1, high=5.0))

abs = defop("abs",
    lambda xp, x: xp.abs(x),
    lambda xp, g, y, x: g * xp.sign(x),           # abs'(0) = sign(0) = 0
    check=Check(away_from=(0.0,)),
    doc="|x|; abs'(0) = 0.")

sin = defop("sin",
    lambda xp, x: xp.sin(x),
    lambda xp, g, y, x: g * xp.cos(x),
    check=Check())

cos = defop("cos",
    lambda xp, x: xp.cos(x),
    lambda xp, g, y, x: -g * xp.sin(x),
    check=Check())

tanh = defop("tanh",
    lambda xp, x: xp.tanh(x),
    lambda xp, g, y, x: g * (1 - y * y),          # tanh' = 1 - tanh^2
    check=Check())

sigmoid = defop("sigmoid",
    lambda xp, x: xp.sigmoid(x),
    lambda xp, g, y, x: g * y * (1 - y),          # sigma' = sigma (1 - sigma)
    check=Check(low=-5.0, high=5.0))

relu = defop("relu",
    lambda xp, x: xp.maximum(x, 0.0),
    lambda xp, g, y, x: g * (x > 0),              # relu'(0) = 0
    check=Check(away_from=(0.0,)),
    doc="max(x, 0); relu'(0) = 0.")

leaky_relu = defop("leaky_relu",
    lambda xp, x, slope=0.01: xp.where(x > 0, x, slope * x),
    lambda xp, g, y, x, slope=0.01: xp.where(x > 0, g, slope * g),
    check=Check(away_from=(0.0,), attrs=({}, {"slope": 0.2})),
    doc="x for x > 0, slope * x otherwise; the derivative at 0 is slope.")

step = defop("step",
    lambda xp, x: xp.heaviside(x, 1.0),
    lambda xp, g, y, x: 0 * g,
    check=Check(zero_grad=True),
    doc="Heaviside step, 1 for x >= 0 (step(0) = 1, as on the perceptron slides).")

sign = defop("sign",
    lambda xp, x: xp.sign(x),
    lambda xp, g, y, x: 0 * g,
    check=Check(zero_grad=True),
    doc="-1, 0 or 1; its derivative is 0 wherever it exists.")

clip = defop("clip",
    lambda xp, x, lo=None, hi=None: xp.clip(x, lo, hi),
    lambda xp, g, y, x, lo=None, hi=None: g * _inside(x, lo, hi),
    check=Check(away_from=(-1.0, 1.5), attrs=({"lo": -1.0, "hi": 1.5}, {"lo": -1.0},
                                                {"hi": 1.5})),
    doc="x limited to [lo, hi]; the gradient passes on the closed interval.")


def _inside(x, lo, hi):
    inside = True
    if lo is not None:
        inside = inside & (x >= lo)
    if hi is not None:
        inside = inside & (x <= hi)
    return inside


maximum = defop("maximum",
    lambda xp, a, b: xp.maximum(a, b),
    lambda xp, g, y, a, b: g * (a > b) + 0.5 * g * (a == b),
    lambda xp, g, y, a, b: g * (b > a) + 0.5 * g * (a == b),
    check=Check(kind="binary-distinct"),
    doc="Elementwise max; on a tie each input gets half the gradient.")

minimum = defop("minimum",
    lambda xp, a, b: xp.minimum(a, b),
    lambda xp, g, y, a, b: g * (a < b) + 0.5 * g * (a == b),
    lambda xp, g, y, a, b: g * (b < a) + 0.5 * g * (a == b),
    check=Check(kind="binary-distinct"),
    doc="Elementwise min; on a tie each input gets half the gradient.")

where = defop("where",
    lambda xp, a, b, cond: xp.where(cond, a, b),
    lambda xp, g, y, a, b, cond: xp.where(cond, g, 0.0),
    lambda xp, g, y, a, b, cond: xp.where(cond, 0.0, g),
    check=Check(kind="where"),
    doc="a where cond holds, else b. cond is a plain boolean array: it is not differentiated.")
