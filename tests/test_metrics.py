"""Metrics: the accuracy forms chosen from shapes (Keras 3's rule), values against
scikit-learn and numpy, running means over batches."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nn
from nn import metrics

skm = pytest.importorskip("sklearn.metrics")


@pytest.mark.parametrize("y_true_shape,y_pred_shape,expected", [
    ((10,), (10, 1), metrics.BinaryAccuracy),
    ((10, 1), (10, 1), metrics.BinaryAccuracy),
    ((10,), (10, 3), metrics.SparseCategoricalAccuracy),
    ((10, 1), (10, 3), metrics.SparseCategoricalAccuracy),
    ((10, 3), (10, 3), metrics.CategoricalAccuracy),
])
def test_accuracy_form_follows_the_shapes(y_true_shape, y_pred_shape, expected):
    for name in ("accuracy", "acc"):
        m = metrics.get(name, y_true=np.zeros(y_true_shape), y_pred=np.zeros(y_pred_shape))
        assert type(m) is expected and m.name == name


def test_accuracy_form_in_fit_whatever_the_loss():
    X, y = nn.data.load_iris()
    T = nn.data.one_hot(y)
    cases = [("mse", nn.Dense(3, activation="sigmoid"), T, metrics.CategoricalAccuracy),
             ("binary_crossentropy", nn.Dense(3, activation="sigmoid"), T,
              metrics.CategoricalAccuracy),
             ("sparse_categorical_crossentropy", nn.Dense(3, activation="softmax"), y,
              metrics.SparseCategoricalAccuracy),
             ("binary_crossentropy", nn.Dense(1, activation="sigmoid"), (y == 0) * 1.0,
              metrics.BinaryAccuracy)]
    for loss, layer, target, form in cases:
        model = nn.Sequential([nn.Input(shape=[4]), layer])
        model.compile(optimizer="sgd", loss=loss, metrics=["accuracy"])
        h = model.fit(X, target, epochs=1, verbose=0)
        assert type(model.metrics[0]) is form
        P = model.predict(X, verbose=0)
        if form is metrics.BinaryAccuracy:
            expected = np.mean((P[:, 0] > 0.5) == target)
        else:
            expected = np.mean(P.argmax(1) == y)
        assert model.evaluate(X, target, verbose=0)[1] == pytest.approx(expected)
        assert 0 <= h.history["accuracy"][0] <= 1


def test_values_against_sklearn():
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 4, 50)
    probs = rng.dirichlet(np.ones(4), 50)
    onehot = np.eye(4)[labels]
    assert metrics.CategoricalAccuracy()(onehot, probs) == pytest.approx(
        skm.accuracy_score(labels, probs.argmax(1)))
    assert metrics.SparseCategoricalAccuracy()(labels, probs) == pytest.approx(
        skm.accuracy_score(labels, probs.argmax(1)))
    binary = (labels > 1).astype(float)
    p = rng.uniform(size=50)
    assert metrics.BinaryAccuracy()(binary, p) == pytest.approx(
        skm.accuracy_score(binary, p > 0.5))
    assert metrics.Precision()(binary, p) == pytest.approx(skm.precision_score(binary, p > 0.5))
    assert metrics.Recall()(binary, p) == pytest.approx(skm.recall_score(binary, p > 0.5))
    assert metrics.MeanSquaredError()(onehot, probs) == pytest.approx(
        skm.mean_squared_error(onehot, probs))
    assert metrics.MeanAbsoluteError()(onehot, probs) == pytest.approx(
        skm.mean_absolute_error(onehot, probs))
    np.testing.assert_array_equal(metrics.confusion_matrix(labels, probs),
                                  skm.confusion_matrix(labels, probs.argmax(1)))


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 40), st.lists(st.integers(1, 7), min_size=1, max_size=6), st.integers(0, 99))
def test_running_mean_over_batches_equals_the_whole(n, cuts, seed):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 3, n)
    probs = rng.uniform(size=(n, 3))
    t = np.eye(3)[labels]
    bounds = np.unique(np.clip(np.cumsum(cuts), 0, n))
    pieces = np.split(np.arange(n), bounds[bounds < n])
    for cls in (metrics.CategoricalAccuracy, metrics.MeanSquaredError, metrics.BinaryAccuracy,
                metrics.MeanAbsoluteError):
        whole, batched = cls(), cls()
        whole.update_state(t, probs)
        for idx in pieces:
            batched.update_state(t[idx], probs[idx])
        assert batched.result() == pytest.approx(whole.result())
    batched = metrics.SparseCategoricalAccuracy()
    for idx in pieces:
        batched.update_state(labels[idx], probs[idx])
    assert batched.result() == pytest.approx(np.mean(labels == probs.argmax(1)))


def test_binary_accuracy_over_several_outputs_and_a_column_vector():
    t = np.array([[1.0, 0.0], [0.0, 0.0]])
    p = np.array([[0.7, 0.6], [0.2, 0.1]])
    assert metrics.BinaryAccuracy()(t, p) == 0.75
    assert metrics.BinaryAccuracy()(np.array([1.0, 0.0]), np.array([[0.9], [0.9]])) == 0.5
    assert metrics.BinaryAccuracy(threshold=0.95)(np.array([1.0]), np.array([0.9])) == 0.0


def test_names_functions_and_loss_metrics():
    assert metrics.get("mse").name == "mse" and metrics.get("mae").direction == "down"
    assert metrics.get("precision").direction == "up"
    assert type(metrics.get("categorical_crossentropy")) is metrics.LossMetric
    m = metrics.get(metrics.categorical_accuracy)
    assert m.name == "categorical_accuracy" and m(np.eye(2), np.eye(2)) == 1.0
    with pytest.raises(ValueError, match="unknown metric"):
        metrics.get("accurasy")
    with pytest.raises(ValueError, match="y_true and y_pred"):
        metrics.get("accuracy")
    m = metrics.Precision()
    assert m.result() == 0.0                     # nothing predicted positive yet


def test_metrics_in_history_by_their_names():
    X, y = nn.data.load_iris()
    model = nn.Sequential([nn.Input(shape=[4]), nn.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy",
                  metrics=["acc", "precision", metrics.Recall(), "mae"])
    h = model.fit(X, (y == 0) * 1.0, epochs=2, verbose=0)
    assert sorted(h.history) == ["acc", "loss", "mae", "precision", "recall"]
