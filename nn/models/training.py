"""``Trainer``: compile, fit, evaluate and predict, shared by every model (Keras's
``Trainer``, of which ``Model`` and ``Sequential`` are made).

One training step is the PyTorch loop, written once::

    out = model(xb)                       # logits, when the loss is fused (below)
    loss = loss_fn(yb, out) + sum(penalties)
    optimizer.zero_grad(); loss.backward(); optimizer.step()

What ``compile`` and ``fit`` add around it, as Keras does:

- names: ``optimizer="sgd"`` (learning rate 0.01), ``"rmsprop"``, ``"adam"``
  (0.001), ``loss="mse"``, ``metrics=["accuracy"]``;
- the fused loss: when the last layer's activation is softmax (sigmoid) and the
  loss is categorical or sparse (binary) cross-entropy, the loss is computed
  from the logits (``layer(x, skip_activation=True)`` with
  ``nn.losses.from_logits_version``), stable for any logits, as Keras on
  TensorFlow does; ``predict`` still returns probabilities;
- data checks before any training (shapes, labels against the loss, NaN/inf,
  lengths), each a ValueError that says what was expected;
- inputs cast to the model's dtype and targets to the predictions' dtype once
  per call, not per batch;
- mini-batches, shuffled each epoch from ``nn.random`` (so
  ``nn.set_random_seed`` makes a run reproducible), ``validation_split`` taken
  from the end of the data before shuffling, History, callbacks, a progress bar;
- regularisation penalties (``model.losses``) added to the loss, in ``fit``,
  ``evaluate`` and ``val_loss`` alike (Keras 3); training mode in ``fit``,
  eval mode in ``evaluate``/``predict``.
"""

from __future__ import annotations

import math
import time

import numpy as np

import optim
from autograd import Value, no_grad
from autograd.value import as_value

from .. import losses as _losses
from .. import metrics as _metrics
from .. import random as _random
from ..callbacks import CallbackList, History, ProgbarLogger, format_logs, progress_bar

__all__ = ["OPTIMIZERS", "Trainer", "get_optimizer"]

# compile's optimizer names, with Keras's default learning rates (SGD's own default
# follows PyTorch, 1e-3).
OPTIMIZERS = {"sgd": (optim.SGD, 0.01), "rmsprop": (optim.RMSprop, 0.001),
              "adam": (optim.Adam, 0.001), "adamw": (optim.AdamW, 0.001)}

_IGNORED_COMPILE_ARGS = ("run_eagerly", "jit_compile", "steps_per_execution",
                         "auto_scale_loss")


def get_optimizer(identifier) -> optim.Optimizer:
    """An optimiser from a name ("sgd", "rmsprop", "adam", "adamw", with Keras's default
    learning rates), an Optimizer (used as it is) or an Optimizer class.

    >>> get_optimizer("sgd").learning_rate
    0.01
    """
    if isinstance(identifier, optim.Optimizer):
        return identifier
    if isinstance(identifier, type) and issubclass(identifier, optim.Optimizer):
        return identifier()
    if isinstance(identifier, str) and identifier.lower() in OPTIMIZERS:
        cls, lr = OPTIMIZERS[identifier.lower()]
        return cls(learning_rate=lr)
    raise ValueError(f"unknown optimizer {identifier!r}: give a name ({', '.join(OPTIMIZERS)}) "
                     f"or an optimizer such as optim.SGD(learning_rate=0.1)")


def _checks_once(loss) -> bool:
    """Whether ``loss`` computes the same on constant-Value targets, whose values it then
    does not check (hinge turns 0/1 array labels into -1/1, so it is not one of them)."""
    plain = (_losses.mean_squared_error, _losses.mean_absolute_error,
             _losses.binary_crossentropy, _losses.categorical_crossentropy)
    classes = (_losses.MeanSquaredError, _losses.MeanAbsoluteError,
               _losses.BinaryCrossentropy, _losses.CategoricalCrossentropy)
    return loss in plain or type(loss) in classes


def _is_sparse_loss(loss) -> bool:
    return (loss is _losses.sparse_categorical_crossentropy
            or isinstance(loss, _losses.SparseCategoricalCrossentropy))


def _verbosity(verbose) -> int:
    if verbose == "auto":
        return 1
    if verbose not in (0, 1, 2):
        raise ValueError(f"verbose must be 0 (silent), 1 (progress bar), 2 (one line per "
                         f"epoch) or 'auto', got {verbose!r}")
    return int(verbose)


def _batch_size(batch_size) -> int:
    if batch_size is None:
        return 32
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) \
            or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    return int(batch_size)


def _numeric(a, what: str, call: str) -> np.ndarray:
    if isinstance(a, Value):
        a = a.data
    if a is None:
        raise ValueError(f"{call} needs {what}, got None")
    try:
        a = np.asarray(a)
    except ValueError as e:            # ragged lists
        raise ValueError(f"{call}: {what} is not a rectangular array of numbers ({e})") \
            from None
    if a.dtype.kind not in "fiub":
        raise ValueError(f"{call}: {what} must hold numbers, got an array of dtype "
                         f"{a.dtype}")
    if a.ndim == 0:
        raise ValueError(f"{call}: {what} must have one row per sample, got a single number")
    return a


def _check_finite(a: np.ndarray, what: str, call: str) -> None:
    if a.dtype.kind == "f" and not np.isfinite(a).all():
        bad = ~np.isfinite(a)
        rows = np.flatnonzero(bad.reshape(len(a), -1).any(axis=1))
        raise ValueError(f"{call}: {what} holds NaN or infinite values ({int(bad.sum())} of "
                         f"{a.size} entries, in {len(rows)} samples, the first at sample "
                         f"{rows[0]}); remove or impute them before training")


class _Prepared:
    """Everything one fit/evaluate call needs, worked out once before its batches."""

    __slots__ = ("fused", "loss_fn", "metrics", "modules", "needs_probabilities", "penalized",
                 "target_values", "x", "y")


class Trainer:
    """The Keras workflow, mixed into :class:`~nn.models.Model`: ``compile``, ``fit``,
    ``evaluate``, ``predict`` and the ``*_on_batch`` steps.

    >>> import numpy as np, nn
    >>> nn.set_random_seed(0)
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]]); y = 2 * X[:, 0] + 1
    >>> model = nn.Sequential([nn.Input(shape=[1]), nn.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> history = model.fit(X, y, epochs=400, verbose=0)
    >>> round(float(model.predict(np.array([[4.0]]), verbose=0)[0, 0]), 1)
    9.0
    """

    optimizer: optim.Optimizer | None = None
    loss = None
    compiled = False
    stop_training = False
    history: History | None = None
    _metric_specs: tuple = ()
    _metric_objects: tuple = ()
    _compile_config: dict | None = None

    # ---- compile --------------------------------------------------------------------------
    def compile(self, optimizer="rmsprop", loss=None, metrics=None, **kwargs) -> None:
        """Choose the optimiser, the loss and the metrics, as Keras's ``compile``.

        ``optimizer``: a name ("sgd", "rmsprop", "adam", "adamw": Keras's default
        learning rates 0.01, 0.001, 0.001, 0.001) or an optimiser object such as
        ``optim.SGD(learning_rate=0.1)``, bound here to the model's parameters.
        ``loss``: a Keras name ("mse", "binary_crossentropy",
        "categorical_crossentropy", "sparse_categorical_crossentropy" ...), a function
        ``loss(y_true, y_pred)`` or a loss object. ``metrics``: names ("accuracy",
        "acc", "mse", "mae", "precision", "recall" ...), Metric objects or functions.
        ``run_eagerly``, ``jit_compile``, ``steps_per_execution`` are accepted and
        ignored (everything here runs eagerly).
        """
        unknown = [k for k in kwargs if k not in _IGNORED_COMPILE_ARGS]
        if unknown:
            raise TypeError(f"compile() got unexpected arguments {unknown}; it takes "
                            f"optimizer, loss and metrics")
        if loss is None:
            raise ValueError("compile needs a loss, e.g. loss='categorical_crossentropy' "
                             "or loss='mse'")
        opt = get_optimizer(optimizer)
        loss_fn = _losses.get(loss)
        if metrics is None:
            metrics = []
        elif isinstance(metrics, (str, _metrics.Metric)) or callable(metrics):
            metrics = [metrics]
        elif isinstance(metrics, dict):
            raise NotImplementedError("metrics per output (a dict) need several outputs; "
                                      "give a list such as ['accuracy']")
        for m in metrics:             # fail now on unknown names, not at the first fit
            if not (isinstance(m, str) and m.lower() in ("accuracy", "acc")):
                _metrics.get(m)
        self.optimizer = opt
        self.loss = loss
        self._loss_fn = loss_fn
        self._metric_specs = list(metrics)
        self._metric_objects = []
        self._compile_config = {"optimizer": optimizer, "loss": loss, "metrics": list(metrics)}
        self._fused_cache = None
        self.compiled = True
        if self.built or self.parameters():
            self._bind_optimizer()

    def _bind_optimizer(self) -> None:
        params = self.parameters()
        if not params:
            return                      # a model without weights has nothing to train
        try:
            self.optimizer.bind(params)
        except RuntimeError as e:
            raise RuntimeError(f"compile: {e}. An optimizer object belongs to the parameters "
                               f"it was first bound to; give this model its own "
                               f"(or a name such as 'adam')") from None

    @property
    def metrics(self) -> list:
        """The compiled metric objects (after the first fit/evaluate resolves "accuracy")."""
        return list(self._metric_objects)

    @property
    def metrics_names(self) -> list[str]:
        """``["loss", *metric names]``: the order of ``evaluate``'s list.

        >>> import nn
        >>> m = nn.Sequential([nn.Input(shape=[2]), nn.Dense(1)])
        >>> m.compile(loss="mse", metrics=["mae"]); m.metrics_names
        ['loss', 'mae']
        """
        names = [m.name if isinstance(m, _metrics.Metric) else
                 m if isinstance(m, str) else _metrics.get(m).name
                 for m in (self._metric_objects or self._metric_specs)]
        return ["loss", *names]

    # ---- the checks and preparation before a call -----------------------------------------
    def _require_compiled(self, call: str) -> None:
        if not self.compiled:
            raise RuntimeError(f"you must compile the model before calling {call}(): "
                               f"model.compile(optimizer=..., loss=..., metrics=[...])")

    def _input_array(self, x, call: str, check_finite: bool = True) -> np.ndarray:
        x = _numeric(x, "x (the inputs)", call)
        if check_finite:
            _check_finite(x, "x", call)
        return x if x.dtype == self.dtype else x.astype(self.dtype)

    def _probe(self, x: np.ndarray, call: str) -> Value:
        """The model's output for one sample, in eval mode and without a graph: builds a
        lazy model, and raises the layers' shape errors before any training."""
        if not self.built:
            self.build(x.shape)
        first = self._first_layer()
        if first is not None:            # the whole shape in the message, not one sample's
            first._check_input(x.shape)
        if self._input is not None:
            self._input._check_input(x.shape)
        was = self.training
        self.eval()
        try:
            with no_grad():
                return self._forward(as_value(x[:1]) if first is not None else x[:1])
        finally:
            self.train(was)

    def _prepare(self, x, y, call: str) -> _Prepared:
        self._require_compiled(call)
        if self._nodes == []:
            raise ValueError(f"{call}: {self._what()} has no layers yet: add some first, "
                             f"e.g. model.add(Dense(3))")
        x = self._input_array(x, call)
        y = _numeric(y, "y (the targets)", call)
        if len(x) != len(y):
            raise ValueError(f"{call}: x has {len(x)} samples but y has {len(y)}; they must "
                             f"have one target per sample")
        if len(x) == 0:
            raise ValueError(f"{call}: x and y are empty")
        _check_finite(y, "y", call)
        try:
            out = self._probe(x, call)
        except ValueError as e:
            raise ValueError(f"{call}: {e}") from None
        if self.optimizer is not None and not self.optimizer.param_groups:
            self._bind_optimizer()
        p = _Prepared()
        p.loss_fn, p.fused = self._training_loss()
        if _is_sparse_loss(self._loss_fn):
            if y.dtype.kind == "f" and np.all(y == np.round(y)):
                y = y.astype(np.int64)
        elif y.dtype != out.dtype:
            y = y.astype(out.dtype)
        self._check_targets(p, y, out, call)
        # All targets fit the loss (checked just above, by the loss itself), so the batches
        # pass them as constant Values, which the built-in losses take without checking
        # their range again (a check that costs as much as the loss on small batches).
        p.target_values = _checks_once(self._loss_fn)
        p.x, p.y = x, y
        p.metrics = self._resolve_metrics(y, out.data)
        p.needs_probabilities = p.fused and any(
            not isinstance(m, (_metrics.CategoricalAccuracy, _metrics.SparseCategoricalAccuracy))
            for m in p.metrics)
        p.modules = list(self.modules())    # switching modes walks this list, not the tree
        p.penalized = [m for m in p.modules
                       if getattr(m, "_regularized", None) or getattr(m, "activity_regularizer",
                                                                      None)]
        return p

    def _training_loss(self):
        """(loss on the forward's output, whether that output is logits)."""
        last = self._output_layer()
        activation = getattr(last, "activation_name", None) if last is not None else None
        key = (id(self._loss_fn), id(last), activation)
        if self._fused_cache is not None and self._fused_cache[0] == key:
            return self._fused_cache[1]
        fused_fn = None
        if activation is not None:
            fused_fn = _losses.from_logits_version(self._loss_fn, activation)
        result = (fused_fn, True) if fused_fn is not None else (self._loss_fn, False)
        self._fused_cache = (key, result)
        return result

    def _check_targets(self, p: _Prepared, y: np.ndarray, out: Value, call: str) -> None:
        """Run the loss once on every target against stand-in outputs of the model's shape,
        so that targets that do not fit the loss fail now, with the loss's message."""
        shape = (len(y), *out.shape[1:])
        if p.fused:
            stand_in = np.zeros(shape, dtype=out.dtype)
        else:
            k = shape[-1] if len(shape) > 1 else 1
            stand_in = np.full(shape, 1.0 / max(k, 2), dtype=out.dtype)
        try:
            with no_grad():
                p.loss_fn(y, stand_in)
        except ValueError as e:
            raise ValueError(f"{call}: the targets y (shape {y.shape}) do not fit the loss "
                             f"{_loss_name(self.loss)} with outputs of shape "
                             f"{(None, *out.shape[1:])}: {e}") from None

    def _resolve_metrics(self, y: np.ndarray, out: np.ndarray) -> list:
        objects = []
        for spec in self._metric_specs:
            objects.append(_metrics.get(spec, y_true=y[:1], y_pred=out))
        self._metric_objects = objects
        return objects

    # ---- one batch ---------------------------------------------------------------------------
    def _batch_loss(self, p: _Prepared, yb, out: Value) -> Value:
        loss = p.loss_fn(as_value(yb) if p.target_values else yb, out)
        for module in p.penalized:
            for penalty in module._own_losses():
                loss = loss + penalty
        return loss

    def _predictions(self, p: _Prepared, out: Value) -> np.ndarray:
        """The outputs the metrics see: probabilities, also when the loss took logits
        (argmax-based accuracies read the logits directly: softmax keeps the argmax)."""
        if not p.needs_probabilities:
            return out.data
        with no_grad():
            return self._output_layer().activation(Value(out.data, requires_grad=False)).data

    def _train_step(self, p: _Prepared, xb: np.ndarray, yb: np.ndarray) -> float:
        out = self._forward(as_value(xb), p.fused)
        loss = self._batch_loss(p, yb, out)
        opt = self.optimizer
        opt.zero_grad()
        loss.backward()
        opt.step()
        if p.metrics:
            preds = self._predictions(p, out)
            for m in p.metrics:
                m.update_state(yb, preds)
        return float(loss.data)

    def _evaluate_prepared(self, p: _Prepared, x: np.ndarray, y: np.ndarray, batch_size: int,
                           bar=None) -> dict:
        """{"loss": ..., metric names: ...} over (x, y), in eval mode, without a graph."""
        for m in p.metrics:
            m.reset_state()
        total, n = 0.0, len(x)
        was = self.training
        _set_training(p.modules, False)
        try:
            with no_grad():
                for start in range(0, n, batch_size):
                    xb, yb = x[start:start + batch_size], y[start:start + batch_size]
                    out = self._forward(as_value(xb), p.fused)
                    total += float(self._batch_loss(p, yb, out).data) * len(xb)
                    if p.metrics:
                        preds = self._predictions(p, out)
                        for m in p.metrics:
                            m.update_state(yb, preds)
                    if bar is not None:
                        bar.update(1)
        finally:
            _set_training(p.modules, was)
        logs = {"loss": total / n}
        for m in p.metrics:
            logs[m.name] = float(m.result())
        return logs

    # ---- fit -------------------------------------------------------------------------------
    def fit(self, x=None, y=None, batch_size: int | None = None, epochs: int = 1,
            verbose=1, callbacks=None, validation_split: float = 0.0, validation_data=None,
            shuffle: bool = True, class_weight=None, sample_weight=None,
            initial_epoch: int = 0, steps_per_epoch=None, validation_batch_size=None,
            validation_freq: int = 1, seed: int | None = None) -> History:
        """Train for ``epochs`` passes over ``(x, y)`` in mini-batches of ``batch_size``
        (32), as Keras's ``fit``; returns the :class:`~nn.callbacks.History`.

        ``validation_split=0.2`` holds out the last 20% of the samples (taken before
        shuffling) and reports ``val_loss`` and ``val_<metric>`` after each epoch;
        ``validation_data=(x_val, y_val)`` gives them directly. ``shuffle=True`` draws a
        new order each epoch from ``nn.random`` (``nn.set_random_seed`` fixes it; ``seed=``
        gives this call its own generator). ``verbose``: 0 silent, 1 a progress bar per
        epoch, 2 one line per epoch. ``callbacks``: e.g. ``[EarlyStopping(...)]``;
        ``model.stop_training = True`` stops after the current epoch. ``initial_epoch``
        resumes the epoch count. The data are checked before any training (ValueError).

        >>> import numpy as np, nn
        >>> model = nn.Sequential([nn.Input(shape=[2]), nn.Dense(1, activation="sigmoid")])
        >>> model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"])
        >>> h = model.fit(np.eye(2), np.array([0, 1]), epochs=3, verbose=0,
        ...               validation_data=(np.eye(2), np.array([0, 1])))
        >>> sorted(h.history), h.epoch
        (['accuracy', 'loss', 'val_accuracy', 'val_loss'], [0, 1, 2])
        """
        call = "fit"
        self._require_compiled(call)
        if class_weight is not None or sample_weight is not None:
            raise NotImplementedError("fit: class_weight and sample_weight are not supported")
        if steps_per_epoch is not None:
            raise NotImplementedError("fit: steps_per_epoch is not supported; fit covers all "
                                      "of x each epoch (choose batch_size)")
        verbose = _verbosity(verbose)
        batch_size = _batch_size(batch_size)
        if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 0:
            raise ValueError(f"epochs must be a non-negative integer, got {epochs!r}")
        if not 0.0 <= validation_split < 1.0:
            raise ValueError(f"validation_split must be in [0, 1), got {validation_split!r}")

        val = None
        if validation_data is not None:
            if not isinstance(validation_data, (tuple, list)) or len(validation_data) not in (2,
                                                                                         3):
                raise ValueError("validation_data must be a tuple (x_val, y_val)")
            if len(validation_data) == 3 and validation_data[2] is not None:
                raise NotImplementedError("validation sample weights are not supported")
            val = validation_data[:2]
        elif validation_split:
            x = _numeric(x, "x (the inputs)", call)
            y = _numeric(y, "y (the targets)", call)
            if len(x) != len(y):
                raise ValueError(f"{call}: x has {len(x)} samples but y has {len(y)}; they "
                                 f"must have one target per sample")
            split_at = math.floor(len(x) * (1.0 - validation_split))
            if split_at == 0 or split_at == len(x):
                raise ValueError(f"validation_split={validation_split} of {len(x)} samples "
                                 f"leaves {split_at} to train on and {len(x) - split_at} to "
                                 f"validate on; both need at least one")
            val = (x[split_at:], y[split_at:])
            x, y = x[:split_at], y[:split_at]

        p = self._prepare(x, y, call)
        pv = None
        if val is not None:
            pv = self._prepare(val[0], val[1], "fit (validation_data)")
            pv.metrics = p.metrics          # the same metric objects, reset before each use
        x, y = p.x, p.y
        n = len(x)
        steps = -(-n // batch_size)
        val_batch = _batch_size(validation_batch_size or batch_size)
        rng = _random.generator(seed)

        history = History()
        extra = [ProgbarLogger(verbose)] if verbose else []
        cbs = CallbackList([*(callbacks or []), history, *extra], model=self,
                           params={"verbose": verbose, "epochs": epochs, "steps": steps})
        batch_logs = cbs.batch_hooks
        was_training = self.training
        self.stop_training = False
        cbs.on_train_begin()
        logs: dict = {}
        self.train()
        try:
            for epoch in range(initial_epoch, epochs):
                cbs.on_epoch_begin(epoch)
                for m in p.metrics:
                    m.reset_state()
                total = 0.0
                order = rng.permutation(n) if shuffle else None
                for step in range(steps):
                    start, stop = step * batch_size, min(n, (step + 1) * batch_size)
                    if order is None:
                        xb, yb = x[start:stop], y[start:stop]
                    else:
                        idx = order[start:stop]
                        xb, yb = x[idx], y[idx]
                    if batch_logs:
                        cbs.on_train_batch_begin(step)
                    total += self._train_step(p, xb, yb) * (stop - start)
                    if batch_logs:
                        running = {"loss": total / stop}
                        for m in p.metrics:
                            running[m.name] = float(m.result())
                        cbs.on_train_batch_end(step, dict(sorted(running.items())))
                logs = {"loss": total / n}
                for m in p.metrics:
                    logs[m.name] = float(m.result())
                if pv is not None and (epoch + 1 - initial_epoch) % validation_freq == 0:
                    val_logs = self._evaluate_prepared(pv, pv.x, pv.y, val_batch)
                    logs.update({f"val_{k}": v for k, v in val_logs.items()})
                logs = dict(sorted(logs.items()))
                cbs.on_epoch_end(epoch, logs)
                if self.stop_training:
                    break
        finally:
            self.train(was_training)
        cbs.on_train_end(logs)
        self.history = history
        return history

    # ---- evaluate, predict -----------------------------------------------------------------
    def evaluate(self, x=None, y=None, batch_size: int | None = None, verbose="auto",
                 sample_weight=None, steps=None, callbacks=None, return_dict: bool = False):
        """The loss (with the regularisation penalties, as Keras 3) and the metrics over
        ``(x, y)``, in eval mode: a float when there are no metrics, else
        ``[loss, *metrics]`` (``return_dict=True``: a dict by name).

        >>> import numpy as np, nn
        >>> model = nn.Sequential([nn.Input(shape=[1]), nn.Dense(1, kernel_initializer="ones")])
        >>> model.compile(loss="mse", metrics=["mae"])
        >>> model.evaluate(np.array([[1.0], [2.0]]), np.array([2.0, 2.0]), verbose=0)
        [0.5, 0.5]
        """
        call = "evaluate"
        self._require_compiled(call)
        if sample_weight is not None or steps is not None:
            raise NotImplementedError("evaluate: sample_weight and steps are not supported")
        verbose = _verbosity(verbose)
        batch_size = _batch_size(batch_size)
        p = self._prepare(x, y, call)
        steps = -(-len(p.x) // batch_size)
        cbs = CallbackList(callbacks or [], model=self, params={"verbose": verbose,
                                                                "steps": steps})
        for c in cbs.callbacks:
            c.on_test_begin()
        started = time.perf_counter()
        bar = progress_bar(steps) if verbose == 1 else None
        logs = self._evaluate_prepared(p, p.x, p.y, batch_size, bar)
        if bar is not None:
            bar.logs = format_logs(logs)
            bar.close()
        elif verbose == 2:
            seconds = time.perf_counter() - started
            print(f"{steps}/{steps} - {seconds:.0f}s{format_logs(logs)}", flush=True)
        for c in cbs.callbacks:
            c.on_test_end(logs)
        if return_dict:
            return logs
        values = list(logs.values())
        return values[0] if len(values) == 1 else values

    def predict(self, x, batch_size: int | None = None, verbose="auto", steps=None,
                callbacks=None) -> np.ndarray:
        """The model's outputs for ``x`` as a numpy array, computed in batches of
        ``batch_size`` (32) in eval mode, without a graph. Probabilities for a softmax or
        sigmoid output, also when training fused that activation into the loss.

        >>> import numpy as np, nn
        >>> model = nn.Sequential([nn.Input(shape=[4]), nn.Dense(3, activation="softmax")])
        >>> model.predict(np.zeros((70, 4)), batch_size=32, verbose=0).shape   # 3 batches
        (70, 3)
        """
        call = "predict"
        if steps is not None:
            raise NotImplementedError("predict: steps is not supported")
        verbose = _verbosity(verbose)
        batch_size = _batch_size(batch_size)
        x = self._input_array(x, call, check_finite=False)
        if not self.built:
            self.build(x.shape)
        for c in callbacks or []:
            c.set_model(self)
            c.on_predict_begin()
        n = len(x)
        n_steps = -(-n // batch_size)
        bar = progress_bar(n_steps) if verbose == 1 else None
        outputs = []
        was = self.training
        self.eval()
        try:
            with no_grad():
                for start in range(0, n, batch_size):
                    xb = x[start:start + batch_size]
                    outputs.append(self._forward(as_value(xb)).data)
                    if bar is not None:
                        bar.update(1)
        finally:
            self.train(was)
            if bar is not None:
                bar.close()
        for c in callbacks or []:
            c.on_predict_end()
        if not outputs:
            return np.zeros((0, *(self.output_shape or (None,))[1:]), dtype=self.dtype)
        return np.concatenate(outputs) if len(outputs) > 1 else np.array(outputs[0])

    def train_on_batch(self, x, y, return_dict: bool = False):
        """One training step on one batch; the batch's loss (and metrics), as
        ``evaluate`` returns them."""
        p = self._prepare(x, y, "train_on_batch")
        for m in p.metrics:
            m.reset_state()
        was = self.training
        self.train()
        try:
            logs = {"loss": self._train_step(p, p.x, p.y)}
        finally:
            self.train(was)
        for m in p.metrics:
            logs[m.name] = float(m.result())
        if return_dict:
            return logs
        values = list(logs.values())
        return values[0] if len(values) == 1 else values

    def test_on_batch(self, x, y, return_dict: bool = False):
        """``evaluate`` on one batch, silently."""
        return self.evaluate(x, y, batch_size=max(1, len(np.asarray(x))), verbose=0,
                             return_dict=return_dict)

    def predict_on_batch(self, x) -> np.ndarray:
        """``predict`` on one batch, silently."""
        return self.predict(x, batch_size=max(1, len(np.asarray(x))), verbose=0)


def _set_training(modules: list, flag: bool) -> None:
    for m in modules:
        m.training = flag


def _loss_name(loss) -> str:
    if isinstance(loss, str):
        return repr(loss)
    return getattr(loss, "__name__", None) or getattr(loss, "name", None) or repr(loss)
