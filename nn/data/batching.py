"""Mini-batches for the PyTorch-style training loop."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from .. import random as _random

__all__ = ["batches"]


def batches(X, y, batch_size: int, shuffle: bool = True,
            seed: int | np.random.Generator | None = 0, *,
            drop_last: bool = False) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield ``(xb, yb)`` mini-batches that cover every sample once (one epoch).

    With ``shuffle=True`` the samples come in a random order drawn from ``seed``;
    the last batch may be smaller (``drop_last=True`` skips it). An int seed gives
    the same order on every call: pass ``seed=epoch`` (or one
    ``np.random.default_rng(...)`` reused across epochs) for a new, still
    reproducible, order each epoch; ``seed=None`` draws from the run's generator
    (``nn.set_random_seed``).

    500 examples in batches of 20 are 25 updates per epoch, as on the slides:

    >>> X, y = np.zeros((500, 4)), np.zeros(500)
    >>> sum(1 for _ in batches(X, y, batch_size=20))
    25
    >>> for epoch in range(2):
    ...     for xb, yb in batches(X, y, batch_size=64, seed=epoch):
    ...         pass                                  # forward, backward, step
    >>> xb.shape                                      # 500 = 7 * 64 + 52
    (52, 4)
    """
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim == 0 or y.ndim == 0 or len(X) != len(y):
        raise ValueError(f"batches: X and y must hold the same number of samples, got "
                         f"shapes {X.shape} and {y.shape}")
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) \
            or batch_size < 1:
        raise ValueError(f"batches: batch_size must be an integer >= 1, got {batch_size!r}")
    n = len(y)
    stop = n - n % batch_size if drop_last else n
    if shuffle:
        order = _random.generator(seed).permutation(n)
        for start in range(0, stop, batch_size):
            idx = order[start:start + batch_size]
            yield X[idx], y[idx]
    else:                                              # slices: views, no copy
        for start in range(0, stop, batch_size):
            yield X[start:start + batch_size], y[start:start + batch_size]
