"""Callbacks: the hooks fit calls, History, EarlyStopping (Keras 3's rule, checked on
given monitor sequences and on real runs), LearningRateScheduler, the progress bar."""

from __future__ import annotations

import numpy as np
import pytest

import nn
import optim
from nn import Dense, EarlyStopping, Input, LearningRateScheduler, Sequential


@pytest.fixture(autouse=True)
def _fresh():
    nn.clear_session()
    nn.set_random_seed(0)


def small_model(lr=0.01, metrics=("accuracy",)):
    model = Sequential([Input(shape=[2]), Dense(1)])
    model.compile(optimizer=optim.SGD(learning_rate=lr), loss="mse", metrics=list(metrics))
    return model


X = np.random.default_rng(0).normal(size=(8, 2)).astype(np.float32)
Y = X.sum(axis=1)


class Inject(nn.Callback):
    """Puts a given sequence in the logs as val_loss (before EarlyStopping reads it) and
    records the weights at the end of each epoch."""

    def __init__(self, values):
        super().__init__()
        self.values, self.weights = values, []

    def on_epoch_end(self, epoch, logs=None):
        logs["val_loss"] = logs["val_score"] = float(self.values[epoch])
        self.weights.append(self.model.get_weights())


def run(values, **es_args):
    model = small_model()
    inject, es = Inject(values), EarlyStopping(**es_args)
    h = model.fit(X, Y, epochs=len(values), batch_size=8, verbose=0, callbacks=[inject, es])
    return model, inject, es, h


def same(a, b):
    return all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))


# What Keras 3.15 (torch backend) did with the same monitor sequences and arguments, in
# a scratch run of this file's run() with keras.callbacks.EarlyStopping.
SEQUENCES = {"down_up": [5, 4, 3, 3.5, 3.2, 3.1, 3.05, 2.0, 2.5, 2.6, 2.7, 2.8, 2.9, 3.0, 3.1],
             "flat": [1.0] * 12, "noisy": [3, 2.99995, 2.9, 2.95, 2.9, 2.89, 3, 3, 3, 3, 3, 3],
             "improve": [5 - 4 * i / 9 for i in range(10)]}
KERAS_RUNS = [   # (sequence, EarlyStopping arguments, stopped_epoch, epochs run, best_epoch,
                 #  epoch whose weights the model ends with), from Keras 3.15
    ("down_up", dict(patience=0), 3, 4, 2, 3),
    ("down_up", dict(patience=2), 4, 5, 2, 4),
    ("down_up", dict(patience=3, min_delta=0.05), 5, 6, 2, 5),
    ("down_up", dict(patience=2, restore_best_weights=True), 4, 5, 2, 2),
    ("down_up", dict(patience=1, mode="max"), 1, 2, 0, 1),
    ("down_up", dict(patience=2, baseline=2.5, restore_best_weights=True), 3, 4, 2, 2),
    ("down_up", dict(patience=2, start_from_epoch=3, restore_best_weights=True), 9, 10, 7, 7),
    ("down_up", dict(patience=50, restore_best_weights=True), 0, 15, 7, 7),
    ("down_up", dict(patience=2, min_delta=1e-4, restore_best_weights=True), 4, 5, 2, 2),
    ("flat", dict(patience=0), 1, 2, 0, 1),
    ("flat", dict(patience=2), 2, 3, 0, 2),
    ("flat", dict(patience=3, min_delta=0.05), 3, 4, 0, 3),
    ("flat", dict(patience=2, restore_best_weights=True), 2, 3, 0, 0),
    ("flat", dict(patience=1, mode="max"), 1, 2, 0, 1),
    ("flat", dict(patience=2, baseline=2.5, restore_best_weights=True), 2, 3, 0, 0),
    ("flat", dict(patience=2, start_from_epoch=3, restore_best_weights=True), 5, 6, 3, 3),
    ("flat", dict(patience=50, restore_best_weights=True), 0, 12, 0, 0),
    ("flat", dict(patience=2, min_delta=1e-4, restore_best_weights=True), 2, 3, 0, 0),
    ("noisy", dict(patience=0), 3, 4, 2, 3),
    ("noisy", dict(patience=2), 4, 5, 2, 4),
    ("noisy", dict(patience=3, min_delta=0.05), 5, 6, 2, 5),
    ("noisy", dict(patience=2, restore_best_weights=True), 4, 5, 2, 2),
    ("noisy", dict(patience=1, mode="max"), 1, 2, 0, 1),
    ("noisy", dict(patience=2, baseline=2.5, restore_best_weights=True), 3, 4, 2, 2),
    ("noisy", dict(patience=2, start_from_epoch=3, restore_best_weights=True), 7, 8, 5, 5),
    ("noisy", dict(patience=50, restore_best_weights=True), 0, 12, 5, 5),
    ("noisy", dict(patience=2, min_delta=1e-4, restore_best_weights=True), 4, 5, 2, 2),
    ("improve", dict(patience=0), 0, 10, 9, 9),
    ("improve", dict(patience=2), 0, 10, 9, 9),
    ("improve", dict(patience=3, min_delta=0.05), 0, 10, 9, 9),
    ("improve", dict(patience=2, restore_best_weights=True), 0, 10, 9, 9),
    ("improve", dict(patience=1, mode="max"), 1, 2, 0, 1),
    ("improve", dict(patience=2, baseline=2.5, restore_best_weights=True), 0, 10, 9, 9),
    ("improve", dict(patience=2, start_from_epoch=3, restore_best_weights=True), 0, 10, 9, 9),
    ("improve", dict(patience=50, restore_best_weights=True), 0, 10, 9, 9),
    ("improve", dict(patience=2, min_delta=1e-4, restore_best_weights=True), 0, 10, 9, 9),
]


@pytest.mark.parametrize("name,args,stopped,ran,best,restored", KERAS_RUNS)
def test_early_stopping_follows_keras(name, args, stopped, ran, best, restored):
    model, inject, es, h = run(SEQUENCES[name], **args)
    assert (es.stopped_epoch, len(h.epoch), es.best_epoch) == (stopped, ran, best)
    assert same(model.get_weights(), inject.weights[restored])


def test_early_stopping_restores_the_best_weights_after_a_stop():
    values = [5, 4, 3, 3.5, 3.2, 3.1, 3.05, 2.0]
    model, inject, es, _ = run(values, patience=2, restore_best_weights=True)
    assert es.stopped_epoch == 4 and es.best_epoch == 2 and es.best == 3
    assert same(model.get_weights(), inject.weights[2])
    assert not same(model.get_weights(), inject.weights[4])


def test_early_stopping_restores_the_best_weights_without_a_stop():
    values = [5, 4, 3, 3.5, 3.2]                 # patience not exhausted: training runs out
    model, inject, es, h = run(values, patience=10, restore_best_weights=True)
    assert es.stopped_epoch == 0 and len(h.epoch) == 5
    assert same(model.get_weights(), inject.weights[2])       # Keras 3 restores anyway


def test_auto_mode_maximises_accuracy_and_refuses_unknown_metrics():
    values = [0.5, 0.6, 0.7, 0.65, 0.6, 0.6]
    model = small_model()
    es = EarlyStopping(monitor="val_accuracy", patience=1, restore_best_weights=True)

    class InjectAccuracy(Inject):
        def on_epoch_end(self, epoch, logs=None):
            logs["val_accuracy"] = float(self.values[epoch])
            self.weights.append(self.model.get_weights())

    inject = InjectAccuracy(values)
    model.fit(X, Y, epochs=6, batch_size=8, verbose=0, callbacks=[inject, es])
    assert es.stopped_epoch == 3 and same(model.get_weights(), inject.weights[2])
    with pytest.raises(ValueError, match="mode='max'"):
        run([1, 2, 3], monitor="val_score")
    _, _, es, _ = run([1, 2, 3, 4], monitor="val_score", mode="min", patience=1)
    assert es.stopped_epoch == 1


def test_a_missing_monitor_warns():
    model = small_model()
    with pytest.warns(UserWarning, match="val_loss"):
        model.fit(X, Y, epochs=2, verbose=0, callbacks=[EarlyStopping()])


def test_early_stopping_on_a_real_plateau():
    # lr = 0: the loss cannot improve, so training stops once patience runs out
    model = small_model(lr=0.0)
    es = EarlyStopping(monitor="loss", patience=4)
    h = model.fit(X, Y, epochs=100, verbose=0, callbacks=[es])
    assert es.stopped_epoch == 4 and len(h.epoch) == 5


def test_early_stopping_on_a_real_run_restores_the_best_epoch():
    # the validation targets are the opposite of the training ones: as the training
    # loss falls the validation loss rises, so the best epoch is the first
    model = small_model(lr=0.05, metrics=())

    class Record(nn.Callback):
        def on_train_begin(self, logs=None):
            self.weights = []

        def on_epoch_end(self, epoch, logs=None):
            self.weights.append(self.model.get_weights())

    record = Record()
    es = EarlyStopping(patience=3, restore_best_weights=True)
    h = model.fit(X, Y, epochs=50, verbose=0, validation_data=(X, -Y), callbacks=[record, es])
    assert np.argmin(h.history["val_loss"]) == 0
    assert es.stopped_epoch == 3 and h.history["loss"][-1] < h.history["loss"][0]
    assert same(model.get_weights(), record.weights[0])
    assert model.evaluate(X, -Y, verbose=0) == pytest.approx(h.history["val_loss"][0], rel=1e-5)


def test_hooks_are_called_in_order_with_logs():
    calls = []

    class Spy(nn.Callback):
        def on_train_begin(self, logs=None):
            calls.append("train_begin")

        def on_epoch_begin(self, epoch, logs=None):
            calls.append(f"epoch_begin {epoch}")

        def on_batch_begin(self, batch, logs=None):
            calls.append(f"batch_begin {batch}")

        def on_train_batch_end(self, batch, logs=None):
            calls.append(f"batch_end {batch} {sorted(logs)}")

        def on_epoch_end(self, epoch, logs=None):
            calls.append(f"epoch_end {epoch} {sorted(logs)}")

        def on_train_end(self, logs=None):
            calls.append("train_end")

    model = small_model(metrics=["mae"])
    model.fit(X, Y, epochs=2, batch_size=5, verbose=0, callbacks=[Spy()])
    assert calls == ["train_begin", "epoch_begin 0", "batch_begin 0",
                     "batch_end 0 ['loss', 'mae']", "batch_begin 1",
                     "batch_end 1 ['loss', 'mae']", "epoch_end 0 ['loss', 'mae']",
                     "epoch_begin 1", "batch_begin 0", "batch_end 0 ['loss', 'mae']",
                     "batch_begin 1", "batch_end 1 ['loss', 'mae']",
                     "epoch_end 1 ['loss', 'mae']", "train_end"]


def test_batch_logs_are_running_means():
    seen = []
    model = small_model(lr=0.0)
    model.fit(X, Y, epochs=1, batch_size=3, verbose=0, shuffle=False,
              callbacks=[nn.callbacks.LambdaCallback(
                  on_batch_end=lambda batch, logs: seen.append(logs["loss"]))])
    P = model.predict(X, verbose=0)[:, 0]
    squared = (P - Y) ** 2
    assert seen == pytest.approx([squared[:3].mean(), squared[:6].mean(), squared.mean()],
                                 rel=1e-5)


def test_history_keys_epochs_and_params():
    model = small_model(metrics=["mae"])
    h = model.fit(X, Y, epochs=3, batch_size=3, verbose=0, validation_data=(X, Y))
    assert list(h.history) == ["loss", "mae", "val_loss", "val_mae"]
    assert all(len(v) == 3 for v in h.history.values())
    assert h.epoch == [0, 1, 2] and h.params == {"verbose": 0, "epochs": 3, "steps": 3}
    assert model.history is h


def test_learning_rate_scheduler_sets_the_rate_each_epoch():
    model = small_model(lr=0.1)
    rates = []

    class Watch(nn.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            rates.append(self.model.optimizer.param_groups[0]["lr"])

    sched = LearningRateScheduler(lambda epoch, lr: 0.1 * 0.5 ** epoch)
    h = model.fit(X, Y, epochs=4, verbose=0, callbacks=[sched, Watch()])
    assert rates == pytest.approx([0.1, 0.05, 0.025, 0.0125])
    assert h.history["learning_rate"] == pytest.approx(rates)
    one_arg = LearningRateScheduler(lambda epoch: 0.5 if epoch else 0.25)
    model.fit(X, Y, epochs=2, verbose=0, callbacks=[one_arg])
    assert model.optimizer.learning_rate == 0.5
    with pytest.raises(ValueError, match="number"):
        model.fit(X, Y, epochs=1, verbose=0,
                  callbacks=[LearningRateScheduler(lambda epoch, lr: "fast")])


def test_callbacks_must_be_callbacks():
    with pytest.raises(TypeError, match="Callback"):
        small_model().fit(X, Y, verbose=0, callbacks=[lambda: None])


def test_early_stopping_and_scheduler_messages(capsys):
    model = small_model(lr=0.0)
    model.fit(X, Y, epochs=10, verbose=0,
              callbacks=[LearningRateScheduler(lambda e, lr: lr, verbose=1),
                         EarlyStopping(monitor="loss", patience=1, verbose=1,
                                       restore_best_weights=True)])
    out = capsys.readouterr().out
    assert "Epoch 2: early stopping" in out and "best epoch: 1." in out
    assert "LearningRateScheduler setting learning rate to 0.0" in out


def test_progress_bar_in_a_log_prints_one_finished_line_per_epoch(capsys):
    """Output that cannot redraw (a CI log, a file) gets each epoch's finished bar only,
    not every intermediate state glued together by carriage returns."""
    model = small_model()
    model.fit(X, Y, epochs=3, batch_size=4, verbose=1)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and "\r" not in "".join(lines)
    for k, line in enumerate(lines, start=1):
        assert line.startswith(f"Epoch {k}/3 2/2 ") and "loss: " in line and "accuracy: " in line


def test_verbose_2_prints_one_line_per_epoch_and_verbose_0_nothing(capsys):
    model = small_model()
    model.fit(X, Y, epochs=2, batch_size=4, verbose=2)
    assert len(capsys.readouterr().out.splitlines()) == 2
    model.fit(X, Y, epochs=2, batch_size=4, verbose=0)
    assert capsys.readouterr().out == ""
