"""Callbacks: code that ``fit`` runs at the start and end of training, of each epoch and
of each batch, as in Keras (``keras.callbacks`` → ``nn.callbacks``).

    es = EarlyStopping(monitor="val_accuracy", patience=30, min_delta=1e-4,
                       restore_best_weights=True)
    history = model.fit(X, T, epochs=4000, validation_split=0.2, callbacks=[es])
    es.stopped_epoch, history.history["val_accuracy"]

``fit`` always adds a :class:`History` (which it returns) and, for
``verbose=1`` or ``2``, a :class:`ProgbarLogger` (a tqdm progress bar per
epoch, or one line per epoch). Write your own by subclassing :class:`Callback`
and overriding the hooks you need; ``self.model`` is the model being trained,
and ``model.stop_training = True`` ends training after the current epoch.

The ``logs`` dict of ``on_epoch_end`` holds the epoch's values: ``loss`` and
each metric over the epoch's training batches, and ``val_loss``, ``val_...``
when there is validation data. Batch hooks get running values; ``fit`` skips
the work of preparing them when no callback overrides a batch hook.
"""

from __future__ import annotations

import math
import sys
import time
import warnings
from collections.abc import Callable

import numpy as np

__all__ = ["Callback", "CallbackList", "EarlyStopping", "History", "LambdaCallback",
           "LearningRateScheduler", "ProgbarLogger"]


class Callback:
    """Base class of callbacks: every hook does nothing until a subclass overrides it.

    ``on_train_batch_begin/end`` call ``on_batch_begin/end`` (Keras 3's aliases), so
    overriding either name works.

    >>> class Counter(Callback):
    ...     def on_train_begin(self, logs=None):
    ...         self.epochs = 0
    ...     def on_epoch_end(self, epoch, logs=None):
    ...         self.epochs += 1
    >>> import numpy as np, nn
    >>> model = nn.Sequential([nn.Input(shape=[2]), nn.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> counter = Counter()
    >>> _ = model.fit(np.zeros((4, 2)), np.zeros(4), epochs=3, verbose=0, callbacks=[counter])
    >>> counter.epochs
    3
    """

    def __init__(self) -> None:
        self.model = None
        self.params: dict = {}

    def set_model(self, model) -> None:
        """Called by fit before training: the model the hooks act on."""
        self.model = model

    def set_params(self, params: dict) -> None:
        """Called by fit before training: ``{"verbose", "epochs", "steps"}``."""
        self.params = params

    def on_train_begin(self, logs: dict | None = None) -> None:
        """Before the first epoch."""

    def on_train_end(self, logs: dict | None = None) -> None:
        """After the last epoch (also after an early stop)."""

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        """Before epoch ``epoch`` (counted from 0)."""

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        """After epoch ``epoch``, with its training and validation values in ``logs``."""

    def on_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """Before training batch ``batch`` (counted from 0 in each epoch)."""

    def on_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """After training batch ``batch``, with the epoch's running values."""

    def on_train_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """Keras 3's name for ``on_batch_begin`` (which it calls)."""
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """Keras 3's name for ``on_batch_end`` (which it calls)."""
        self.on_batch_end(batch, logs=logs)

    def on_test_begin(self, logs: dict | None = None) -> None:
        """Before ``evaluate`` runs its batches."""

    def on_test_end(self, logs: dict | None = None) -> None:
        """After ``evaluate``, with its results."""

    def on_predict_begin(self, logs: dict | None = None) -> None:
        """Before ``predict`` runs its batches."""

    def on_predict_end(self, logs: dict | None = None) -> None:
        """After ``predict``."""


_BATCH_HOOKS = ("on_batch_begin", "on_batch_end", "on_train_batch_begin", "on_train_batch_end")


def _overrides_batch_hooks(callback: Callback) -> bool:
    for name in _BATCH_HOOKS:
        hook = getattr(callback, name)
        if getattr(hook, "__func__", hook) is not getattr(Callback, name):
            return True          # a method of a subclass, or a function set on the instance
    return False


class CallbackList:
    """The callbacks of one ``fit``, called in order; ``batch_hooks`` tells fit whether any
    of them wants per-batch calls (so that fit does no per-batch work for none).

    >>> calls = CallbackList([History()], model=None, params={})
    >>> calls.batch_hooks
    False
    """

    def __init__(self, callbacks, model, params: dict):
        self.callbacks = list(callbacks)
        for c in self.callbacks:
            if not isinstance(c, Callback):
                raise TypeError(f"callbacks must be Callback instances (e.g. "
                                f"EarlyStopping(...)), got {c!r}")
            c.set_model(model)
            c.set_params(params)
        self._batch = [c for c in self.callbacks if _overrides_batch_hooks(c)]
        self.batch_hooks = bool(self._batch)

    def on_train_begin(self, logs=None):
        for c in self.callbacks:
            c.on_train_begin(logs)

    def on_train_end(self, logs=None):
        for c in self.callbacks:
            c.on_train_end(logs)

    def on_epoch_begin(self, epoch, logs=None):
        for c in self.callbacks:
            c.on_epoch_begin(epoch, logs)

    def on_epoch_end(self, epoch, logs=None):
        for c in self.callbacks:
            c.on_epoch_end(epoch, logs)

    def on_train_batch_begin(self, batch, logs=None):
        for c in self._batch:
            c.on_train_batch_begin(batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        for c in self._batch:
            c.on_train_batch_end(batch, logs)


class History(Callback):
    """Records each epoch's logs: ``history.history["loss"]`` is the list of the epochs'
    losses (likewise each metric and ``val_`` value), ``history.epoch`` the epoch
    numbers (from 0). ``fit`` returns it, and sets ``model.history`` to it.

    >>> import numpy as np, nn
    >>> model = nn.Sequential([nn.Input(shape=[1]), nn.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    >>> h = model.fit(np.ones((4, 1)), np.ones(4), epochs=2, verbose=0)
    >>> sorted(h.history), h.epoch, h.params["steps"]
    (['loss', 'mae'], [0, 1], 1)
    """

    def __init__(self) -> None:
        super().__init__()
        self.history: dict[str, list[float]] = {}
        self.epoch: list[int] = []

    def on_train_begin(self, logs=None):
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for k, v in (logs or {}).items():
            self.history.setdefault(k, []).append(v)
        if self.model is not None:
            self.model.history = self


class EarlyStopping(Callback):
    """Stop training when ``monitor`` has stopped improving, Keras 3's rule.

    After each epoch (from ``start_from_epoch`` on): a value better than the best so far
    by more than ``min_delta`` is an improvement and resets the wait; otherwise, once
    ``patience`` epochs have passed without one, training stops (``stopped_epoch`` is
    that epoch, counted from 0; it stays 0 when training ran to the end).
    ``mode="auto"`` minimises losses and errors and maximises accuracy, precision and
    recall; "min" and "max" say it outright. ``baseline``: improvements only reset the
    wait once the value also beats it. ``restore_best_weights=True``: at the end of
    training the weights of the best epoch are put back, whether or not training
    stopped early (Keras 3 does the same).

    >>> import numpy as np, nn
    >>> model = nn.Sequential([nn.Input(shape=[1]), nn.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> es = EarlyStopping(monitor="loss", patience=2, min_delta=10.0)  # nothing is 10 better
    >>> h = model.fit(np.ones((4, 1)), np.ones(4), epochs=50, verbose=0, callbacks=[es])
    >>> es.stopped_epoch, len(h.epoch)
    (2, 3)
    """

    def __init__(self, monitor: str = "val_loss", min_delta: float = 0, patience: int = 0,
                 verbose: int = 0, mode: str = "auto", baseline: float | None = None,
                 restore_best_weights: bool = False, start_from_epoch: int = 0):
        super().__init__()
        if mode not in ("auto", "min", "max"):
            warnings.warn(f"EarlyStopping mode {mode!r} is unknown (auto, min, max); "
                          f"using 'auto'", stacklevel=2)
            mode = "auto"
        self.monitor = monitor
        self.mode = mode
        self.min_delta = abs(min_delta)
        self.patience = patience
        self.verbose = verbose
        self.baseline = baseline
        self.restore_best_weights = restore_best_weights
        self.start_from_epoch = start_from_epoch
        self.wait = 0
        self.stopped_epoch = 0
        self.best = None
        self.best_weights = None
        self.best_epoch = 0
        self._direction_cache: str | None = None

    def _direction(self) -> str:
        if self.mode != "auto":
            return self.mode
        name = self.monitor.removeprefix("val_")
        if name == "loss":
            return "min"
        for metric in getattr(self.model, "metrics", None) or []:
            if metric.name == name:
                return "max" if metric.direction == "up" else "min"
        raise ValueError(f"EarlyStopping cannot tell whether {self.monitor!r} should go up "
                         f"or down: pass mode='max' (to keep the highest value) or "
                         f"mode='min' (the lowest)")

    def _is_improvement(self, value: float, reference: float | None) -> bool:
        if reference is None:
            return True
        if self._direction_cache == "min":
            return value + self.min_delta < reference
        return value - self.min_delta > reference

    def on_train_begin(self, logs=None):
        self.wait = 0
        self.stopped_epoch = 0
        self.best = None
        self.best_weights = None
        self.best_epoch = 0
        self._direction_cache = None

    def on_epoch_end(self, epoch, logs=None):
        if self._direction_cache is None:
            self._direction_cache = self._direction()
        current = (logs or {}).get(self.monitor)
        if current is None:
            warnings.warn(f"EarlyStopping is watching {self.monitor!r}, which fit did not "
                          f"compute; it has: {', '.join(logs or {})}", stacklevel=2)
            return
        if epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            self.best_weights = self.model.get_weights()
            self.best_epoch = epoch
        self.wait += 1
        if self._is_improvement(current, self.best):
            self.best = current
            self.best_epoch = epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            if self.baseline is None or self._is_improvement(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print(f"Restoring model weights from the end of the best epoch: "
                      f"{self.best_epoch + 1}.")
            self.model.set_weights(self.best_weights)


class LearningRateScheduler(Callback):
    """Sets the optimiser's learning rate before each epoch to ``schedule(epoch, lr)``
    (or ``schedule(epoch)``), epochs counted from 0, as Keras does; the rate used is
    recorded as ``learning_rate`` in the epoch's logs (and so in the History).

    >>> import numpy as np, nn
    >>> model = nn.Sequential([nn.Input(shape=[1]), nn.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> halve = LearningRateScheduler(lambda epoch, lr: lr / 2)
    >>> h = model.fit(np.ones((4, 1)), np.ones(4), epochs=3, verbose=0, callbacks=[halve])
    >>> h.history["learning_rate"]
    [0.005, 0.0025, 0.00125]
    """

    def __init__(self, schedule: Callable, verbose: int = 0):
        super().__init__()
        self.schedule = schedule
        self.verbose = verbose

    def on_epoch_begin(self, epoch, logs=None):
        optimizer = self.model.optimizer
        try:
            lr = self.schedule(epoch, float(optimizer.learning_rate))
        except TypeError:          # a one-argument schedule, as Keras allows
            lr = self.schedule(epoch)
        if isinstance(lr, bool) or not isinstance(lr, (float, int, np.floating, np.integer)) \
                or not math.isfinite(lr):
            raise ValueError(f"the schedule of LearningRateScheduler must return a number, "
                             f"got {lr!r}")
        optimizer.learning_rate = float(lr)
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to "
                  f"{float(lr)}.")

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["learning_rate"] = float(self.model.optimizer.learning_rate)


class LambdaCallback(Callback):
    """A callback from functions, e.g. ``LambdaCallback(on_epoch_end=lambda epoch, logs:
    print(epoch, logs["loss"]))``.

    >>> seen = []
    >>> cb = LambdaCallback(on_epoch_end=lambda epoch, logs: seen.append(epoch))
    >>> cb.on_epoch_end(0, {}); seen
    [0]
    """

    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_train_begin=None,
                 on_train_end=None, on_batch_begin=None, on_batch_end=None):
        super().__init__()
        for name, fn in (("on_epoch_begin", on_epoch_begin), ("on_epoch_end", on_epoch_end),
                         ("on_batch_begin", on_batch_begin), ("on_batch_end", on_batch_end)):
            if fn is not None:
                setattr(self, name, fn)
        if on_train_begin is not None:
            self.on_train_begin = lambda logs=None: on_train_begin(logs)
        if on_train_end is not None:
            self.on_train_end = lambda logs=None: on_train_end(logs)


# ---- progress ----------------------------------------------------------------------------

def format_logs(logs: dict) -> str:
    """`` - accuracy: 0.9533 - loss: 0.1234``, Keras's way of writing values.

    >>> format_logs({"loss": 0.5, "mae": 0.0001})
    ' - loss: 0.5000 - mae: 1.0000e-04'
    """
    parts = []
    for k, v in logs.items():
        v = float(v)
        parts.append(f" - {k}: {v:.4f}" if abs(v) > 1e-3 else f" - {k}: {v:.4e}")
    return "".join(parts)


def _per_step(seconds: float, steps: int) -> str:
    t = seconds / max(steps, 1)
    if t >= 1:
        return f"{t:.0f}s/step"
    if t >= 1e-3:
        return f"{t * 1e3:.0f}ms/step"
    return f"{t * 1e6:.0f}us/step"


_BAR_FORMAT = "{desc}{n_fmt}/{total_fmt} {bar:20} {elapsed}{logs}"
_REFRESH_SECONDS = 0.1


def progress_bar(total: int, desc: str = ""):
    """A tqdm bar on stdout in Keras's layout (``8/8 ━━━━ 00:00 - loss: 0.1234``); set
    ``bar.logs`` to the text shown after it."""
    from tqdm import tqdm

    class Bar(tqdm):
        logs = ""

        @property
        def format_dict(self):               # tqdm's postfix always starts with ", "
            d = super().format_dict
            d["logs"] = self.logs
            return d

    return Bar(total=total, desc=desc, file=sys.stdout, bar_format=_BAR_FORMAT,
               ascii=" ━", leave=True, dynamic_ncols=False, mininterval=_REFRESH_SECONDS)


def _finished_bar(steps: int, seconds: float, desc: str, logs: str) -> str:
    """The bar of a finished epoch as one line of text (for output that cannot redraw)."""
    from tqdm import tqdm
    return tqdm.format_meter(steps, steps, seconds, prefix=desc, bar_format=_BAR_FORMAT,
                             ascii=" ━", logs=logs)


def _redraws(stream) -> bool:
    """Whether a progress bar can redraw itself in place: a terminal, or a notebook.
    Elsewhere (a CI log, a file) each redraw would be one more line: Keras then prints
    each epoch's finished bar only, and so do we."""
    return "ipykernel" in sys.modules or (hasattr(stream, "isatty") and stream.isatty())


class ProgbarLogger(Callback):
    """The progress of ``fit``: ``verbose=1`` a tqdm progress bar per epoch showing the
    running loss and metrics (and the validation values at the end), ``verbose=2`` one
    line per epoch, ``verbose=0`` nothing. ``fit`` adds it for you.

    >>> ProgbarLogger(verbose=2).verbose
    2
    """

    def __init__(self, verbose: int = 1):
        super().__init__()
        self.verbose = verbose
        self._bar = None

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch_start = time.perf_counter()
        self._last_refresh = self._epoch_start
        self._desc = f"Epoch {epoch + 1}/{self.params.get('epochs', '?')} "
        if self.verbose == 1 and _redraws(sys.stdout):
            self._bar = progress_bar(self.params.get("steps", 0), self._desc)

    def on_train_batch_end(self, batch, logs=None):
        # fit calls this with the running logs only while a bar is shown
        bar = self._bar
        if bar is None:
            return
        bar.update(1)
        now = time.perf_counter()
        if logs and now - self._last_refresh >= _REFRESH_SECONDS:
            self._last_refresh = now
            bar.logs = format_logs(logs)

    def on_epoch_end(self, epoch, logs=None):
        text = format_logs(logs or {})
        if self._bar is not None:
            self._bar.logs = text
            self._bar.close()
            self._bar = None
        elif self.verbose == 1:
            print(_finished_bar(self.params.get("steps", 0),
                                time.perf_counter() - self._epoch_start, self._desc, text),
                  flush=True)
        elif self.verbose == 2:
            steps = self.params.get("steps", 0)
            seconds = time.perf_counter() - self._epoch_start
            print(f"{self._desc}- {steps}/{steps} - {seconds:.0f}s - "
                  f"{_per_step(seconds, steps)}{text}", flush=True)

    def on_train_end(self, logs=None):
        if self._bar is not None:
            self._bar.close()
            self._bar = None
