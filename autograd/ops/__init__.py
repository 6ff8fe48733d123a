"""The op table: every differentiable operation, its forward and its derivative rules.

One file per family; each op is defined once with ``defop`` (see ``autograd.op``).
Importing this package fills ``autograd.op.REGISTRY``.
"""

from ..op import REGISTRY
from . import arithmetic, elementwise, linalg, losses, reductions, shape  # noqa: F401

__all__ = ["REGISTRY"]
