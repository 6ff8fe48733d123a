"""autograd: the engine of gradiente.

A ``Value`` holds a number or an array and remembers the ops that made it;
``backward()`` applies the chain rule through that graph. Every op is defined
once, with its forward and its derivative rule side by side, in ``autograd/ops/``.

>>> from autograd import Value
>>> x = Value(2.0, label="x")
>>> y = (x ** 2).sin().exp()                  # e^{sin(x^2)}, the course's example
>>> y.backward()
>>> round(x.grad, 4)                          # e^{sin(x^2)} cos(x^2) 2x
-1.2267
"""

from . import memory, ops  # memory: freed arrays are kept for reuse (see its text)
from .anomaly import detect_anomaly
from .backward import backward, backward_order, gradients, topological_order
from .draw import Step, backward_steps, draw_backward_steps, draw_graph
from .functions import (
    concatenate,
    linear,
    maximum,
    minimum,
    sigmoid_binary_cross_entropy,
    softmax_cross_entropy,
    stack,
    where,
)
from .gradcheck import gradcheck, numerical_grad
from .modes import enable_grad, is_grad_enabled, name_scope, no_grad
from .transforms import grad, value_and_grad
from .value import Value

__all__ = [
    "Value", "backward", "backward_order", "concatenate", "detect_anomaly", "enable_grad",
    "memory",
    "gradcheck", "gradients", "grad", "is_grad_enabled", "linear", "maximum", "minimum",
    "name_scope", "no_grad", "numerical_grad", "ops", "sigmoid_binary_cross_entropy",
    "softmax_cross_entropy", "stack", "topological_order", "value_and_grad", "where",
    "Step", "backward_steps", "draw_backward_steps", "draw_graph",
]


def __getattr__(name):
    # autograd.testing needs hypothesis (a test dependency): import it only when asked for
    if name == "testing":
        import importlib
        return importlib.import_module(".testing", __name__)
    raise AttributeError(f"module 'autograd' has no attribute {name!r}")
