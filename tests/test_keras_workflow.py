"""Sequential / functional Model / compile / fit / evaluate / predict: behaviour checked
against independent numpy computations, Keras 3's semantics and its summary layout."""

from __future__ import annotations

import time

import numpy as np
import pytest

import nn
import optim
from nn import Activation, Dense, Dropout, Input, Model, Sequential


@pytest.fixture(autouse=True)
def _fresh():
    nn.clear_session()
    nn.set_random_seed(0)


def iris():
    X, y = nn.data.load_iris()
    return X, y, nn.data.one_hot(y)


def tiny_model(loss="mse", activation="sigmoid", lr=0.1, reg=0.01, metrics=("accuracy",)):
    model = Sequential([Input(shape=[3]),
                        Dense(2, activation="tanh", kernel_regularizer=nn.regularizers.l2(reg)),
                        Dense(2, activation=activation)])
    rng = np.random.default_rng(1)
    model.set_weights([rng.normal(size=(3, 2)) * 0.5, rng.normal(size=2) * 0.1,
                       rng.normal(size=(2, 2)) * 0.5, rng.normal(size=2) * 0.1])
    model.compile(optimizer=optim.SGD(learning_rate=lr), loss=loss, metrics=list(metrics))
    return model


def numpy_forward(weights, X, activation):
    W1, b1, W2, b2 = (w.astype(np.float64) for w in weights)
    z = np.tanh(X @ W1 + b1) @ W2 + b2
    if activation == "sigmoid":
        return 1 / (1 + np.exp(-z))
    e = np.exp(z - z.max(1, keepdims=True))
    return e / e.sum(1, keepdims=True)


def numpy_loss(loss, T, P, W1, reg):
    P = np.clip(P, 1e-7, 1 - 1e-7)
    data = {"mse": np.mean((P - T) ** 2),
            "binary_crossentropy": -np.mean(T * np.log(P) + (1 - T) * np.log(1 - P)),
            "categorical_crossentropy": -np.mean(np.sum(T * np.log(P), axis=1))}[loss]
    return data + reg * np.sum(W1.astype(np.float64) ** 2)


class Snapshots(nn.Callback):
    def on_train_begin(self, logs=None):
        self.begin, self.end = [], []

    def on_epoch_begin(self, epoch, logs=None):
        self.begin.append(self.model.get_weights())

    def on_epoch_end(self, epoch, logs=None):
        self.end.append(self.model.get_weights())


# ---- History against numpy ---------------------------------------------------------------

@pytest.mark.parametrize("loss,activation", [("mse", "sigmoid"), ("binary_crossentropy", "sigmoid"),
                                             ("categorical_crossentropy", "softmax")])
def test_history_matches_numpy_one_batch_per_epoch(loss, activation):
    rng = np.random.default_rng(2)
    X = rng.normal(size=(12, 3)).astype(np.float32)
    T = np.eye(2, dtype=np.float32)[rng.integers(0, 2, 12)]
    Xv, Tv = X[:4] + 0.3, T[:4]
    model = tiny_model(loss, activation)
    snaps = Snapshots()
    h = model.fit(X, T, epochs=4, batch_size=12, verbose=0, validation_data=(Xv, Tv),
                  callbacks=[snaps], shuffle=False)
    assert h.epoch == [0, 1, 2, 3]
    assert list(h.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    for e in range(4):
        before, after = snaps.begin[e], snaps.end[e]
        P = numpy_forward(before, X, activation)          # the loss before the epoch's step
        assert h.history["loss"][e] == pytest.approx(numpy_loss(loss, T, P, before[0], 0.01),
                                                     rel=2e-5)
        assert h.history["accuracy"][e] == pytest.approx(np.mean(P.argmax(1) == T.argmax(1)))
        Pv = numpy_forward(after, Xv, activation)         # validation after it
        assert h.history["val_loss"][e] == pytest.approx(numpy_loss(loss, Tv, Pv, after[0], 0.01),
                                                         rel=2e-5)
        assert h.history["val_accuracy"][e] == pytest.approx(np.mean(Pv.argmax(1) ==
                                                                     Tv.argmax(1)))
    assert not np.allclose(snaps.begin[0][0], snaps.end[0][0])      # it did train


def test_epoch_loss_is_weighted_by_batch_size():
    # lr = 0: the weights stay, so the epoch's loss is the loss over all samples only if
    # the batches (4, 4, 2) are weighted by their sizes, as Keras does
    rng = np.random.default_rng(3)
    X = rng.normal(size=(10, 3)).astype(np.float32)
    T = np.eye(2, dtype=np.float32)[rng.integers(0, 2, 10)]
    model = tiny_model("categorical_crossentropy", "softmax", lr=0.0)
    h = model.fit(X, T, epochs=1, batch_size=4, verbose=0, shuffle=False)
    P = numpy_forward(model.get_weights(), X, "softmax")
    full = numpy_loss("categorical_crossentropy", T, P, model.get_weights()[0], 0.01)
    assert h.history["loss"][0] == pytest.approx(full, rel=1e-5)
    batch_means = [numpy_loss("categorical_crossentropy", T[s:s + 4], P[s:s + 4],
                              model.get_weights()[0], 0.01) for s in (0, 4, 8)]
    assert h.history["loss"][0] != pytest.approx(np.mean(batch_means), rel=1e-4)
    assert model.evaluate(X, T, batch_size=3, verbose=0)[0] == pytest.approx(full, rel=1e-5)


def test_validation_split_takes_the_last_fraction_before_shuffling():
    X, _y, T = iris()
    model = Sequential([Input(shape=[4]), Dense(3, activation="softmax")])
    model.compile(optimizer=optim.SGD(learning_rate=0.0), loss="categorical_crossentropy",
                  metrics=["accuracy"])
    h = model.fit(X, T, epochs=2, batch_size=16, validation_split=0.2, verbose=0)
    last = model.evaluate(X[120:], T[120:], verbose=0)
    assert h.history["val_loss"] == pytest.approx([last[0]] * 2, rel=1e-6)
    assert h.history["loss"][0] == pytest.approx(model.evaluate(X[:120], T[:120],
                                                                verbose=0)[0], rel=1e-6)
    assert h.params["steps"] == 8                               # 120 training samples / 16


def test_shuffling_is_reproducible_from_the_seed():
    X, _y, T = iris()

    def run(seed, shuffle=True):
        nn.clear_session()
        nn.set_random_seed(seed)
        model = Sequential([Input(shape=[4]), Dense(5, activation="tanh"), Dropout(0.2),
                            Dense(3, activation="softmax")])
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        return model.fit(X, T, epochs=3, batch_size=16, verbose=0, shuffle=shuffle).history["loss"]

    assert run(0) == run(0)
    assert run(0) != run(1)
    assert run(0, shuffle=False) != run(0)


def test_iris_reaches_095_training_accuracy():
    X, _y, T = iris()
    model = Sequential([Input(shape=[4]), Dense(8, activation="tanh"),
                        Dense(3, activation="softmax")])
    model.compile(optimizer=optim.Adam(learning_rate=0.02), loss="categorical_crossentropy",
                  metrics=["accuracy"])
    started = time.perf_counter()
    h = model.fit(X, T, epochs=150, batch_size=16, verbose=0)
    seconds = time.perf_counter() - started
    print(f"Iris: {len(h.epoch)} epochs in {seconds:.2f} s, training accuracy "
          f"{h.history['accuracy'][-1]:.3f}")
    assert h.history["accuracy"][-1] >= 0.95
    assert model.evaluate(X, T, verbose=0)[1] >= 0.95


# ---- fused loss ---------------------------------------------------------------------------

def test_softmax_cross_entropy_is_fused_and_predict_gives_probabilities():
    X, _y, T = iris()
    model = Sequential([Input(shape=[4]), Dense(3, activation="softmax")])
    model.layers[0].set_weights([np.full((4, 3), 300.0) * [[1, -1, 0]], np.zeros(3)])
    model.compile(optimizer="sgd", loss="categorical_crossentropy")
    loss = model.evaluate(X, T, verbose=0)
    assert np.isfinite(loss) and loss > 100       # logits in the thousands: no clip at 1e-7
    h = model.fit(X, T, epochs=1, verbose=0)
    assert np.isfinite(h.history["loss"][0])
    P = model.predict(X, verbose=0)
    np.testing.assert_allclose(P.sum(1), 1, rtol=1e-5)


def test_fused_and_unfused_losses_agree_on_moderate_logits():
    X, _y, T = iris()
    results = []
    for loss in ("categorical_crossentropy",
                 lambda t, p: nn.losses.categorical_crossentropy(t, p)):   # a callable: no fusion
        nn.set_random_seed(0)
        model = Sequential([Input(shape=[4]), Dense(3, activation="softmax")])
        model.compile(optimizer=optim.SGD(learning_rate=0.05), loss=loss)
        results.append((model.fit(X, T, epochs=3, verbose=0).history["loss"],
                        model.get_weights()))
    assert results[0][0] == pytest.approx(results[1][0], rel=1e-4)
    np.testing.assert_allclose(results[0][1][0], results[1][1][0], rtol=1e-4, atol=1e-6)


# ---- modes, dtypes, returns -----------------------------------------------------------------

def test_inputs_and_targets_are_cast_once():
    X, _y, T = iris()
    model = Sequential([Input(shape=[4]), Dense(3, activation="softmax")])
    model.compile(optimizer="sgd", loss="categorical_crossentropy", metrics=["acc"])
    h = model.fit(X.astype(np.float64), T.astype(np.int64), epochs=1, verbose=0)
    assert "acc" in h.history
    assert model.predict(X.astype(np.float64), verbose=0).dtype == np.float32
    assert model.layers[0].kernel.dtype == np.float32


def test_evaluate_returns_float_or_list_and_predict_works_in_batches():
    X, _y, T = iris()
    model = Sequential([Input(shape=[4]), Dense(3, activation="softmax")])
    model.compile(optimizer="sgd", loss="categorical_crossentropy")
    assert isinstance(model.evaluate(X, T, verbose=0), float)
    model.compile(optimizer="sgd", loss="categorical_crossentropy", metrics=["accuracy", "mse"])
    result = model.evaluate(X, T, verbose=0)
    assert isinstance(result, list) and len(result) == 3
    assert model.evaluate(X, T, verbose=0, return_dict=True) == dict(
        zip(["loss", "accuracy", "mse"], result, strict=True))
    assert model.metrics_names == ["loss", "accuracy", "mse"]
    np.testing.assert_allclose(model.predict(X, batch_size=7, verbose=0), model(X).data,
                               rtol=1e-6)


def test_fit_trains_in_training_mode_and_predicts_in_eval_mode():
    X, _y, T = iris()
    model = Sequential([Input(shape=[4]), Dense(16, activation="relu"), Dropout(0.5),
                        Dense(3, activation="softmax")])
    model.compile(optimizer=optim.SGD(learning_rate=0.0), loss="categorical_crossentropy")
    model.eval()
    h = model.fit(X, T, epochs=2, batch_size=150, verbose=0)
    assert h.history["loss"][0] != h.history["loss"][1]          # new masks each epoch
    assert not model.training                                   # the mode it had before
    assert np.array_equal(model.predict(X, verbose=0), model.predict(X, verbose=0))
    assert model.evaluate(X, T, verbose=0) == model.evaluate(X, T, verbose=0)


def test_stop_training_and_initial_epoch():
    class StopAtTwo(nn.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 2:
                self.model.stop_training = True

    X, _y, T = iris()
    model = Sequential([Input(shape=[4]), Dense(3, activation="softmax")])
    model.compile(optimizer="sgd", loss="categorical_crossentropy")
    assert model.fit(X, T, epochs=10, verbose=0, callbacks=[StopAtTwo()]).epoch == [0, 1, 2]
    assert model.fit(X, T, epochs=5, initial_epoch=3, verbose=0).epoch == [3, 4]
    assert model.history.epoch == [3, 4]


def test_verbose_levels(capsys):
    X, _y, T = iris()
    model = Sequential([Input(shape=[4]), Dense(3, activation="softmax")])
    model.compile(optimizer="sgd", loss="categorical_crossentropy", metrics=["accuracy"])
    model.fit(X, T, epochs=2, verbose=0)
    model.evaluate(X, T, verbose=0)
    model.predict(X, verbose=0)
    assert capsys.readouterr().out == ""
    model.fit(X, T, epochs=3, verbose=2)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 3 and lines[0].startswith("Epoch 1/3") and "loss:" in lines[0]
    model.fit(X, T, epochs=2, verbose=1)
    out = capsys.readouterr().out
    assert "Epoch 2/2" in out and "5/5" in out and "━" in out and "accuracy:" in out


# ---- compile ------------------------------------------------------------------------------

@pytest.mark.parametrize("name,cls,lr", [("sgd", optim.SGD, 0.01),
                                         ("rmsprop", optim.RMSprop, 0.001),
                                         ("adam", optim.Adam, 0.001)])
def test_optimizer_names_use_keras_learning_rates(name, cls, lr):
    model = Sequential([Input(shape=[4]), Dense(3)])
    model.compile(optimizer=name, loss="mse")
    assert type(model.optimizer) is cls and model.optimizer.learning_rate == pytest.approx(lr)
    assert model.optimizer.param_groups[0]["params"][0] is model.layers[0].kernel


def test_an_optimizer_object_is_bound_and_can_be_compiled_twice():
    opt = optim.SGD(learning_rate=0.1)
    model = Sequential([Input(shape=[4]), Dense(3)])
    model.compile(optimizer=opt, loss="mse")
    model.compile(optimizer=opt, loss="mae")                     # the same parameters: fine
    assert [id(p) for p in opt.param_groups[0]["params"]] == [id(p) for p in model.parameters()]
    other = Sequential([Input(shape=[4]), Dense(3)])
    with pytest.raises(RuntimeError, match="own"):
        other.compile(optimizer=opt, loss="mse")


def test_lazy_model_builds_on_fit_and_binds_then():
    X, _y, T = iris()
    model = Sequential([Dense(4, activation="tanh"), Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    assert not model.built and not model.optimizer.param_groups
    model.fit(X, T, epochs=1, verbose=0)
    assert model.built and model.count_params() == 4 * 4 + 4 + 4 * 3 + 3
    assert len(model.optimizer.param_groups[0]["params"]) == 4


def test_compile_errors():
    model = Sequential([Input(shape=[4]), Dense(3)])
    with pytest.raises(ValueError, match="unknown optimizer"):
        model.compile(optimizer="adamax2", loss="mse")
    with pytest.raises(ValueError, match="unknown loss"):
        model.compile(optimizer="sgd", loss="msee")
    with pytest.raises(ValueError, match="unknown metric"):
        model.compile(optimizer="sgd", loss="mse", metrics=["accuracyy"])
    with pytest.raises(ValueError, match="needs a loss"):
        model.compile(optimizer="sgd")


# ---- errors before any training -----------------------------------------------------------

def _unchanged_after(model, call):
    before = model.get_weights()
    call()
    for a, b in zip(before, model.get_weights(), strict=True):
        assert np.array_equal(a, b)


def test_fit_before_compile_is_a_runtime_error():
    X, _y, T = iris()
    model = Sequential([Input(shape=[4]), Dense(3)])
    with pytest.raises(RuntimeError, match="compile"):
        model.fit(X, T)
    with pytest.raises(RuntimeError, match="compile"):
        model.evaluate(X, T)


@pytest.mark.parametrize("case", ["width", "ints_to_categorical", "onehot_to_sparse", "nan_x",
                                  "inf_y", "lengths", "bce_range", "mse_shape"])
def test_bad_data_raises_before_any_training(case):
    X, y, T = iris()
    model = Sequential([Input(shape=[4]), Dense(2, activation="tanh", name="Oculto"),
                        Dense(3, activation="softmax", name="salida")])
    loss, x, t, match = "categorical_crossentropy", X, T, None
    if case == "width":
        x, match = X[:, :3], r"Oculto.*4 features.*\(150, 3\)"
    elif case == "ints_to_categorical":
        t, match = y, "sparse_categorical_crossentropy"
    elif case == "onehot_to_sparse":
        loss, match = "sparse_categorical_crossentropy", "one-hot"
    elif case == "nan_x":
        x = X.copy()
        x[7, 2] = np.nan
        match = "NaN.*sample 7"
    elif case == "inf_y":
        t = T.copy()
        t[3, 0] = np.inf
        match = "y holds NaN or infinite"
    elif case == "lengths":
        t, match = T[:100], "150 samples but y has 100"
    elif case == "bce_range":
        loss, t, match = "binary_crossentropy", T * 3, "between 0 and 1"
    elif case == "mse_shape":
        loss, t, match = "mse", y, "shape"
    model.compile(optimizer="sgd", loss=loss, metrics=["accuracy"])
    with pytest.raises(ValueError, match=match):
        _unchanged_after(model, lambda: model.fit(x, t, epochs=1, verbose=0))
    with pytest.raises(ValueError):
        model.evaluate(x, t, verbose=0)


def test_bad_validation_data_raises_before_training():
    X, _y, T = iris()
    model = Sequential([Input(shape=[4]), Dense(3, activation="softmax")])
    model.compile(optimizer="sgd", loss="categorical_crossentropy")
    with pytest.raises(ValueError, match="validation"):
        _unchanged_after(model, lambda: model.fit(X, T, validation_data=(X[:, :2], T),
                                                  verbose=0))
    with pytest.raises(ValueError, match="validation_split"):
        model.fit(X, T, validation_split=1.0, verbose=0)


# ---- Sequential, functional, subclassed -------------------------------------------------------

def test_sequential_layers_get_layer_and_names():
    model = Sequential([Input(shape=[4]), Dense(2, name="Oculto"), Activation("tanh")])
    assert [layer.name for layer in model.layers] == ["Oculto", "activation"]
    assert model.get_layer("Oculto") is model.layers[0]
    assert model.get_layer(index=1).name == "activation"
    with pytest.raises(ValueError, match="no layer named"):
        model.get_layer("nope")
    with pytest.raises(ValueError, match="unique"):
        model.add(Dense(3, name="Oculto"))
    with pytest.raises(ValueError, match="first"):
        model.add(Input(shape=[2]))
    with pytest.raises(ValueError, match="4 features"):
        Sequential([Input(shape=[3]), Dense(2, input_shape=[4])])
    assert model.pop().name == "activation" and len(model.layers) == 1


def test_functional_model_layers_and_errors():
    I = Input(shape=(4,), name="entrada")
    hidden = Dense(2, activation="tanh", name="Oculto")
    model = Model(inputs=I, outputs=Dense(3, name="salida")(hidden(I)))
    assert type(model.layers[0]).__name__ == "InputLayer"
    assert [layer.name for layer in model.layers] == ["entrada", "Oculto", "salida"]
    assert model.output_shape == (None, 3) and model.input_shape == (None, 4)
    with pytest.raises(TypeError, match="on an Input"):
        Dense(3)(hidden)
    with pytest.raises(ValueError, match="not computed from"):
        Model(inputs=Input(shape=(4,)), outputs=Dense(1)(I))
    with pytest.raises(ValueError, match="5 features"):
        Dense(3, input_shape=[5])(Input(shape=(4,)))


def test_functional_shared_layer_and_training():
    X, _y, T = iris()
    I = Input(shape=(4,))
    square = Dense(4, activation="tanh")
    model = Model(inputs=I, outputs=Dense(3, activation="softmax")(square(square(I))))
    assert len(model.layers) == 3 and model.count_params() == 20 + 15
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    h = model.fit(X, T, epochs=5, verbose=0)
    assert h.history["loss"][-1] < h.history["loss"][0]


def test_subclassed_model_trains():
    class Net(Model):
        def __init__(self):
            super().__init__()
            self.hidden = Dense(8, activation="tanh")
            self.out = Dense(3, activation="softmax")

        def call(self, x):
            return self.out(self.hidden(x))

    X, y, _T = iris()
    net = Net()
    assert net.name == "net"
    net.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    h = net.fit(X, y, epochs=10, verbose=0)
    assert h.history["loss"][-1] < h.history["loss"][0]
    assert [layer.name for layer in net.layers] == ["dense", "dense_1"]
    assert net.predict(X[:5], verbose=0).shape == (5, 3)


def test_models_are_callable_on_values_for_drawing():
    model = Sequential([Input(shape=[4]), Dense(2, activation="tanh", name="Oculto"),
                        Dense(3, activation="softmax", name="salida")])
    out = model(np.ones((2, 4), dtype=np.float32))
    out.sum().backward()
    assert model.layers[0].kernel.has_grad
    assert out.scope == "sequential/salida"           # drawn as nested clusters


# ---- summary against Keras 3 -----------------------------------------------------------------

KERAS_SUMMARY = """\
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
"""

KERAS_SUMMARY_88 = """\
Model: "sequential"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━┓
┃ Layer (type)                         ┃ Output Shape                ┃         Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━┩
│ dense (Dense)                        │ (None, 128)                 │           8,320 │
├──────────────────────────────────────┼─────────────────────────────┼─────────────────┤
│ dense_1 (Dense)                      │ (None, 10)                  │           1,290 │
└──────────────────────────────────────┴─────────────────────────────┴─────────────────┘
 Total params: 9,610 (37.54 KB)
 Trainable params: 9,610 (37.54 KB)
 Non-trainable params: 0 (0.00 B)
"""


def test_summary_is_keras_3s_text(capsys, monkeypatch):
    # the texts above are what Keras 3.15 (torch backend) prints for the same models
    monkeypatch.setenv("COLUMNS", "80")
    Sequential([Input(shape=[4]), Dense(2, activation="tanh", name="Oculto"),
                Dense(3, activation="sigmoid", name="salida")]).summary()
    assert capsys.readouterr().out == KERAS_SUMMARY
    monkeypatch.setenv("COLUMNS", "120")
    nn.clear_session()
    Sequential([Input(shape=[64]), Dense(128, activation="relu"), Dense(10)]).summary()
    assert capsys.readouterr().out == KERAS_SUMMARY_88


def test_summary_of_unbuilt_and_batchnorm_models(capsys):
    Sequential([Dense(6), Dense(2)]).summary()
    out = capsys.readouterr().out
    assert out.count("0 (unbuilt)") == 2 and "│ ?" in out and "Total params: 0 (0.00 B)" in out
    Sequential([Input(shape=[3]), nn.BatchNormalization()]).summary()
    out = capsys.readouterr().out
    assert " Total params: 12 (48.00 B)" in out and " Non-trainable params: 6 (24.00 B)" in out
