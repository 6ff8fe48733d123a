"""model.save / load_model and save_weights / load_weights: one safe file at exactly the
path given, identical predictions, compile settings restored, clear errors."""

from __future__ import annotations

import os

import numpy as np
import pytest

import nn
import optim
from nn import Dense, Dropout, Input, Model, Sequential, load_model


@pytest.fixture(autouse=True)
def _fresh():
    nn.clear_session()
    nn.set_random_seed(0)


X = np.random.default_rng(0).normal(size=(20, 4)).astype(np.float32)
T = np.eye(3, dtype=np.float32)[np.random.default_rng(1).integers(0, 3, 20)]


def sequential():
    model = Sequential([Input(shape=[4]),
                        Dense(5, activation="tanh", name="Oculto",
                              kernel_regularizer=nn.regularizers.l1_l2(l1=0.01, l2=0.01)),
                        Dropout(0.3), nn.BatchNormalization(),
                        Dense(3, activation="softmax", name="salida")])
    model.compile(optimizer=optim.Adam(learning_rate=0.01), loss="categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def functional():
    I = Input(shape=(4,), name="entrada")
    hidden = Dense(5, activation="relu", name="Oculto")
    model = Model(inputs=I, outputs=Dense(3, activation="sigmoid")(hidden(I)), name="red")
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["mse"])
    return model


@pytest.mark.parametrize("make", [sequential, functional])
def test_save_and_load_model_round_trip(tmp_path, make):
    model = make()
    model.fit(X, T, epochs=2, verbose=0)
    path = tmp_path / "miModelo"
    model.save(str(path))
    assert sorted(os.listdir(tmp_path)) == ["miModelo"]        # exactly the path, no temp left
    again = load_model(path)
    assert type(again) is type(model) and again.name == model.name
    assert [layer.name for layer in again.layers] == [layer.name for layer in model.layers]
    np.testing.assert_array_equal(again.predict(X, verbose=0), model.predict(X, verbose=0))
    assert type(again.optimizer) is type(model.optimizer)
    assert again.optimizer.learning_rate == model.optimizer.learning_rate
    assert again.loss == model.loss and again.metrics_names == model.metrics_names
    h = again.fit(X, T, epochs=2, verbose=0)                     # ready to train again
    assert len(h.epoch) == 2
    again.compile(optimizer="adam", loss="mse")                  # and to be compiled again
    assert again.summary() is None


def test_load_model_without_compile_and_an_uncompiled_model(tmp_path):
    model = Sequential([Input(shape=[4]), Dense(3)])
    model.save(tmp_path / "m")
    assert not load_model(tmp_path / "m").compiled
    compiled = sequential()
    compiled.save(tmp_path / "c")
    assert not load_model(tmp_path / "c", compile=False).compiled


def test_save_weights_load_weights_into_a_model_defined_again(tmp_path):
    model = sequential()
    model.fit(X, T, epochs=2, verbose=0)
    model.save_weights(tmp_path / "pesos")
    nn.clear_session()
    Dense(2)                                                     # the automatic names move on
    again = Sequential([Input(shape=[4]), Dense(5, activation="tanh"), Dropout(0.3),
                        nn.BatchNormalization(), Dense(3, activation="softmax")])
    again.load_weights(tmp_path / "pesos")
    np.testing.assert_array_equal(again.predict(X, verbose=0), model.predict(X, verbose=0))


def test_weights_that_do_not_fit_raise(tmp_path):
    model = sequential()
    model.save_weights(tmp_path / "pesos")
    other = Sequential([Input(shape=[4]), Dense(6), Dense(3)])
    with pytest.raises(ValueError, match="pesos"):
        other.load_weights(tmp_path / "pesos")
    with pytest.raises(ValueError, match="only weights"):
        load_model(tmp_path / "pesos")


def test_missing_foreign_truncated_and_pickled_files(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_model(tmp_path / "nothing")
    model = sequential()
    model.save(tmp_path / "good")
    data = (tmp_path / "good").read_bytes()
    (tmp_path / "truncated").write_bytes(data[: len(data) // 2])
    (tmp_path / "text").write_text("not a model")
    np.savez(tmp_path / "plain.npz", a=np.ones(3))
    np.savez(tmp_path / "pickled.npz", a=np.array([{"x": 1}], dtype=object), allow_pickle=True)
    for name in ("truncated", "text", "plain.npz", "pickled.npz"):
        with pytest.raises(ValueError, match=name):
            load_model(tmp_path / name)
        with pytest.raises(ValueError, match=name):
            model.load_weights(tmp_path / name)


def _rewrite_document(src, dst, edit):
    arrays, document = nn.serialization.read_file(src)
    edit(document)
    nn.serialization.write_file(dst, arrays, document)


def test_a_hostile_architecture_is_refused_and_nothing_runs(tmp_path):
    model = sequential()
    model.save(tmp_path / "good")
    marker = tmp_path / "ran"

    def evil(document):
        document["config"]["layers"][0]["class_name"] = "os.system"
        document["config"]["layers"][0]["config"] = {"command": f"touch {marker}"}

    _rewrite_document(tmp_path / "good", tmp_path / "evil", evil)
    with pytest.raises(ValueError, match=r"evil.*unknown layer class .os\.system."):
        load_model(tmp_path / "evil")
    assert not marker.exists()

    def wrong_kwargs(document):
        document["config"]["layers"][0]["config"]["__init__"] = 1

    _rewrite_document(tmp_path / "good", tmp_path / "bad", wrong_kwargs)
    with pytest.raises(ValueError, match=r"bad.*cannot be rebuilt"):
        load_model(tmp_path / "bad")

    def other_weights(document):
        document["config"]["layers"][0]["config"]["units"] = 7

    _rewrite_document(tmp_path / "good", tmp_path / "shapes", other_weights)
    with pytest.raises(ValueError, match=r"shapes.*do not fit"):
        load_model(tmp_path / "shapes")


def test_the_file_is_plain_arrays_and_json(tmp_path):
    sequential().save(tmp_path / "m")
    with np.load(tmp_path / "m", allow_pickle=False) as archive:   # refuses any pickle
        members = {name: archive[name] for name in archive.files}
    assert all(a.dtype.kind in "fiuU" for a in members.values())
    arrays, document = nn.serialization.read_file(tmp_path / "m")
    assert document["kind"] == "model" and document["class_name"] == "Sequential"
    assert document["compile_config"]["optimizer"]["class_name"] == "Adam"
    assert sorted(arrays) == sorted(sequential().state_dict())


def test_subclassed_models_save_weights_but_not_architecture(tmp_path):
    class Net(Model):
        def __init__(self):
            super().__init__()
            self.d = Dense(2)

        def call(self, x):
            return self.d(x)

    net = Net()
    net.predict(X, verbose=0)
    with pytest.raises(ValueError, match="subclassed"):
        net.save(tmp_path / "net")
    net.save_weights(tmp_path / "w")
    other = Net()
    other.predict(X, verbose=0)
    other.load_weights(tmp_path / "w")
    np.testing.assert_array_equal(other.predict(X, verbose=0), net.predict(X, verbose=0))


def test_custom_layers_need_custom_objects(tmp_path):
    class Scale(nn.Layer):
        def build(self, input_shape):
            self.add_weight("factor", (input_shape[-1],), "ones")

        def call(self, x):
            return x * self.factor

    model = Sequential([Input(shape=[4]), Scale(name="scale"), Dense(2)])
    model.save(tmp_path / "m")
    with pytest.raises(ValueError, match="custom_objects"):
        load_model(tmp_path / "m")
    again = load_model(tmp_path / "m", custom_objects={"Scale": Scale})
    np.testing.assert_array_equal(again.predict(X, verbose=0), model.predict(X, verbose=0))


def test_overwrite_false_and_unsaveable_compile_settings(tmp_path):
    model = Sequential([Input(shape=[4]), Dense(3)])
    model.compile(optimizer="sgd", loss=lambda t, p: ((p - t) ** 2).mean())
    with pytest.warns(UserWarning, match="compile settings"):
        model.save(tmp_path / "m")
    assert not load_model(tmp_path / "m").compiled
    with pytest.raises(FileExistsError):
        model.save(tmp_path / "m", overwrite=False)
