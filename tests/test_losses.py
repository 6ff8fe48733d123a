"""Losses (Keras's nn.losses and PyTorch's nn.functional): the slides' numbers, Keras's
clipping, stability at logits of +-1000, gradients against finite differences, and
errors for labels that do not fit."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import nn
from autograd import Value, gradcheck, softmax_cross_entropy
from autograd.testing import arrays

L = nn.losses
F = nn.functional
EPS = 1e-7


# ---- the slides' worked numbers, computed independently -----------------------------------------

def test_categorical_crossentropy_of_the_slides():
    loss = L.categorical_crossentropy(np.array([[0.0, 0.0, 1.0]]), Value([[0.3, 0.3, 0.4]]))
    assert loss.item() == pytest.approx(-math.log(0.4))
    assert round(loss.item(), 4) == 0.9163


@pytest.mark.parametrize("pred", [(0.6, 0.55, 0.6), (0.8, 0.9, 0.55)])
def test_binary_crossentropy_of_the_slides(pred):
    t = (1, 1, 0)
    terms = [math.log(p) if y == 1 else math.log(1 - p) for p, y in zip(pred, t, strict=True)]
    expected = -sum(terms) / 3
    assert L.binary_crossentropy(np.array(t), Value(list(pred))).item() == pytest.approx(expected)
    assert F.binary_cross_entropy(Value(list(pred)), np.array(t, float)).item() == \
        pytest.approx(expected)


def test_mse_mae_and_hinge_values():
    t, y = np.array([1.0, 0.0, 2.0]), Value([0.5, 0.5, 4.0])
    assert L.mse(t, y).item() == pytest.approx((0.25 + 0.25 + 4) / 3)
    assert L.mean_absolute_error(t, y).item() == pytest.approx((0.5 + 0.5 + 2) / 3)
    # 0/1 labels become -1/1: max(1 - 1*0.5, 0), max(1 + 0.5, 0)
    assert L.hinge(np.array([1.0, 0.0]), Value([0.5, 0.5])).item() == pytest.approx(1.0)
    # already -1/1: unchanged
    assert L.hinge(np.array([1.0, -1.0]), Value([2.0, -3.0])).item() == 0.0


# ---- Keras's clipping and rescaling --------------------------------------------------------------

def test_probabilities_are_clipped_as_keras_does():
    t = np.array([1.0, 0.0, 1.0])
    p = Value(np.array([0.0, 1.0, 1.0]))
    expected = -(math.log(EPS) + math.log(EPS) + math.log(1 - EPS)) / 3
    assert L.binary_crossentropy(t, p).item() == pytest.approx(expected, rel=1e-6)
    one_hot = np.array([[0.0, 1.0]])
    assert L.categorical_crossentropy(one_hot, Value([[1.0, 0.0]])).item() == \
        pytest.approx(-math.log(EPS))


def test_categorical_rows_are_rescaled_to_sum_one():
    p = np.array([[1.0, 1.0, 2.0], [0.2, 0.2, 0.2]])
    t = np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])
    expected = -(math.log(0.5) + math.log(1 / 3)) / 2
    assert L.categorical_crossentropy(t, Value(p)).item() == pytest.approx(expected)
    assert L.sparse_categorical_crossentropy(np.array([2, 0]), Value(p)).item() == \
        pytest.approx(expected)


def test_from_logits_agrees_with_probabilities_for_moderate_logits():
    rng = np.random.default_rng(0)
    z = rng.normal(size=(5, 4))
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    labels = rng.integers(0, 4, 5)
    one_hot = np.eye(4)[labels]
    for a, b in [(L.categorical_crossentropy(one_hot, Value(z), from_logits=True),
                  L.categorical_crossentropy(one_hot, Value(p))),
                 (L.sparse_categorical_crossentropy(labels, Value(z), from_logits=True),
                  L.sparse_categorical_crossentropy(labels, Value(p))),
                 (F.cross_entropy(Value(z), labels), L.categorical_crossentropy(one_hot, p))]:
        assert a.item() == pytest.approx(b.item(), rel=1e-9)
    zb = rng.normal(size=(6, 1))
    tb = rng.integers(0, 2, (6, 1)).astype(float)
    assert L.binary_crossentropy(tb, Value(zb), from_logits=True).item() == \
        pytest.approx(L.binary_crossentropy(tb, 1 / (1 + np.exp(-zb))).item(), rel=1e-9)


# ---- stability at +-1000 ----------------------------------------------------------------------

def _finite(loss, v):
    loss.backward()
    return np.isfinite(loss.item()) and np.all(np.isfinite(v.grad))


def test_cross_entropies_from_logits_are_stable_at_1000():
    z = np.array([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 0.0]])
    labels = np.array([0, 2])                       # one right with certainty, one wrong
    for make in (lambda v: L.sparse_categorical_crossentropy(labels, v, from_logits=True),
                 lambda v: L.categorical_crossentropy(np.eye(3)[labels], v, from_logits=True),
                 lambda v: F.cross_entropy(v, labels),
                 lambda v: F.cross_entropy(v, np.eye(3)[labels])):
        v = Value(z.copy())
        loss = make(v)
        assert loss.item() == pytest.approx(1000.0 / 2)   # (0 + 1000) / 2
        assert _finite(loss, v)
    for make in (lambda v: L.binary_crossentropy(np.array([1.0, 1.0]), v, from_logits=True),
                 lambda v: F.binary_cross_entropy_with_logits(v, np.array([1.0, 1.0]))):
        v = Value(np.array([1000.0, -1000.0]))
        loss = make(v)
        assert loss.item() == pytest.approx(1000.0 / 2)
        assert _finite(loss, v)
        np.testing.assert_allclose(v.grad, [0.0, -0.5])     # (sigmoid(z) - t) / n


def test_float32_logits_stay_float32_and_finite():
    z = Value(np.array([[1000.0, -1000.0]], dtype=np.float32))
    loss = L.categorical_crossentropy(np.array([[0.0, 1.0]]), z, from_logits=True)
    assert loss.dtype == np.float32 and _finite(loss, z)
    assert z.grad.dtype == np.float32


def test_pytorch_binary_cross_entropy_clamps_the_log_at_minus_100():
    p = Value(np.array([0.0, 1.0, 0.5]))
    loss = F.binary_cross_entropy(p, np.array([1.0, 0.0, 1.0]), reduction="none")
    np.testing.assert_allclose(loss.data, [100.0, 100.0, math.log(2)])
    loss.sum().backward()
    assert np.all(np.isfinite(p.grad))
    assert p.grad[2] == pytest.approx(-2.0)                  # -1/p


# ---- gradients against finite differences --------------------------------------------------

@st.composite
def classification(draw, probabilities):
    n, k = draw(st.integers(1, 4)), draw(st.integers(2, 4))
    labels = np.array(draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n)))
    if probabilities:     # inside (EPS, 1 - EPS), where the clip passes the gradient
        pred = draw(arrays((n, k), low=0.05, high=1.0))
    else:
        pred = draw(arrays((n, k), low=-4, high=4))
    return labels, pred


@given(classification(True))
def test_probability_cross_entropy_gradients(case):
    labels, p = case
    one_hot = np.eye(p.shape[1])[labels]
    assert gradcheck(lambda v: L.categorical_crossentropy(one_hot, v), p)
    assert gradcheck(lambda v: L.sparse_categorical_crossentropy(labels, v), p)


@given(classification(False), st.sampled_from(["mean", "sum", "none"]))
def test_logit_cross_entropy_gradients(case, reduction):
    labels, z = case
    one_hot = np.eye(z.shape[1])[labels]
    assert gradcheck(lambda v: L.categorical_crossentropy(one_hot, v, from_logits=True), z)
    assert gradcheck(lambda v: L.sparse_categorical_crossentropy(labels, v, from_logits=True), z)
    assert gradcheck(lambda v: F.cross_entropy(v, labels, reduction=reduction), z)
    assert gradcheck(lambda v: F.cross_entropy(v, labels, label_smoothing=0.1), z)


@given(st.integers(1, 6).flatmap(lambda n: st.tuples(
    arrays((n, 1), low=0.05, high=0.95), arrays((n, 1), low=-4, high=4),
    arrays((n, 1), low=0, high=1))))
def test_binary_and_regression_loss_gradients(case):
    p, z, t = case
    labels = (t > 0.5).astype(float)
    assert gradcheck(lambda v: L.binary_crossentropy(t, v), p)
    assert gradcheck(lambda v: L.binary_crossentropy(t, v, from_logits=True), z)
    assert gradcheck(lambda v: F.binary_cross_entropy(v, t), p)
    assert gradcheck(lambda v: F.binary_cross_entropy_with_logits(v, t, reduction="sum"), z)
    assert gradcheck(lambda v: L.mse(t, v), z)
    assert gradcheck(lambda v: F.mse_loss(v, t, reduction="none"), z)
    away = z + np.where(np.abs(z - t) < 1e-3, 0.01, 0.0)   # |.| has a kink where z = t
    assert gradcheck(lambda v: L.mae(t, v), away)
    assert gradcheck(lambda v: F.l1_loss(v, t), away)
    margin = 1 - (2 * labels - 1) * z
    hz = z + np.where(np.abs(margin) < 1e-2, 0.05, 0.0)    # max(., 0) has a kink at margin 0
    assert gradcheck(lambda v: L.hinge(labels, v), hz)


# ---- PyTorch's functional API, computed independently -------------------------------------------

def test_functional_cross_entropy_matches_the_formula():
    rng = np.random.default_rng(3)
    z = rng.normal(size=(4, 3))
    labels = np.array([0, 2, 1, 2])
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    per_row = -logp[np.arange(4), labels]
    np.testing.assert_allclose(F.cross_entropy(Value(z), labels, reduction="none").data, per_row)
    assert F.cross_entropy(Value(z), labels, reduction="sum").item() == \
        pytest.approx(per_row.sum())
    smooth = (0.9 * np.eye(3)[labels] + 0.1 / 3)
    assert F.cross_entropy(Value(z), labels, label_smoothing=0.1).item() == \
        pytest.approx(-(smooth * logp).sum(axis=1).mean())
    probs = rng.dirichlet(np.ones(3), 4)
    assert F.cross_entropy(Value(z), probs).item() == \
        pytest.approx(-(probs * logp).sum(axis=1).mean())
    assert F.nll_loss(Value(logp), labels).item() == pytest.approx(per_row.mean())
    assert F.cross_entropy(Value(z[0]), labels[0]).item() == pytest.approx(per_row[0])


def test_functional_cross_entropy_with_classes_on_axis_1():
    rng = np.random.default_rng(5)
    z = rng.normal(size=(2, 3, 4))                 # (N, C, d), as PyTorch
    labels = rng.integers(0, 3, (2, 4))
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    expected = -np.take_along_axis(logp, labels[:, None, :], axis=1)[:, 0, :]
    np.testing.assert_allclose(F.cross_entropy(Value(z), labels, reduction="none").data,
                               expected)


def test_functional_reductions():
    x, t = Value(np.array([[1.0, 2.0], [3.0, 5.0]])), np.zeros((2, 2))
    assert F.mse_loss(x, t).item() == pytest.approx(39 / 4)
    assert F.mse_loss(x, t, reduction="sum").item() == 39
    assert F.l1_loss(x, t, reduction="none").data.tolist() == [[1, 2], [3, 5]]
    with pytest.raises(ValueError, match="reduction"):
        F.mse_loss(x, t, reduction="average")


# ---- targets that do not fit ---------------------------------------------------------------

def test_integer_labels_given_to_categorical_crossentropy():
    with pytest.raises(ValueError, match=r"one-hot.*sparse_categorical_crossentropy"):
        L.categorical_crossentropy(np.array([0, 2]), Value(np.full((2, 3), 1 / 3)))


def test_one_hot_targets_given_to_sparse_crossentropy():
    with pytest.raises(ValueError, match=r"integer class labels.*categorical_crossentropy"):
        L.sparse_categorical_crossentropy(np.eye(3)[[0, 2]], Value(np.full((2, 3), 1 / 3)))


@pytest.mark.parametrize("labels", [[0, 3], [-1, 0], [0.5, 1.0]])
def test_labels_out_of_range_or_not_integers(labels):
    with pytest.raises(ValueError, match=r"0\.\.2"):
        L.sparse_categorical_crossentropy(np.array(labels), Value(np.full((2, 3), 1 / 3)))
    with pytest.raises(ValueError, match=r"0\.\.2"):
        F.cross_entropy(Value(np.zeros((2, 3))), np.array(labels))
    with pytest.raises(ValueError, match=r"0\.\.2"):
        F.cross_entropy(Value(np.zeros((2, 3))), np.array(labels), label_smoothing=0.1)


@pytest.mark.parametrize("labels", [[0, 3], [-1, 0], [2, -3]])
@pytest.mark.parametrize("shape", [(2, 3), (2, 3, 1)])
def test_the_fused_op_checks_its_labels_itself(labels, shape):
    # a negative label would otherwise pick an entry from the end without a word
    z = Value(np.zeros(shape))
    t = np.array(labels).reshape(shape[:1] + shape[2:])
    with pytest.raises(ValueError, match=r"softmax_cross_entropy expects class labels in 0\.\.2 "
                                         r"for 3 classes, got labels from -?\d to \d"):
        softmax_cross_entropy(z if len(shape) == 2 else z.transpose(0, 2, 1), t)


def test_the_fused_op_names_labels_that_are_not_integers():
    with pytest.raises(ValueError, match=r"integer class labels.*got labels of dtype float64"):
        softmax_cross_entropy(Value(np.zeros((2, 3))), np.array([0.0, 1.0]))


def test_more_classes_than_rows_and_labels_at_both_ends():
    # the classes-first copy and the flat label positions, where classes outnumber rows
    z = np.random.default_rng(0).normal(size=(2, 7))
    t = np.array([6, 0])
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    zv = Value(z)
    loss = softmax_cross_entropy(zv, t)
    assert loss.item() == pytest.approx(-logp[[0, 1], t].mean())
    loss.backward()
    expected = (np.exp(logp) - np.eye(7)[t]) / 2
    np.testing.assert_allclose(zv.grad, expected, rtol=1e-12)


def test_mismatched_lengths():
    with pytest.raises(ValueError, match=r"\(3,\).*\(2, 1\)"):
        L.mse(np.zeros(3), Value(np.zeros((2, 1))))
    with pytest.raises(ValueError, match=r"\(3, 2\).*\(2, 2\)"):
        L.categorical_crossentropy(np.zeros((3, 2)), Value(np.full((2, 2), 0.5)))
    with pytest.raises(ValueError, match=r"\(3,\).*\(2, 2\)"):
        L.sparse_categorical_crossentropy(np.zeros(3, int), Value(np.full((2, 2), 0.5)))
    with pytest.raises(ValueError, match="same"):
        F.mse_loss(Value(np.zeros((2, 1))), np.zeros(2))
    with pytest.raises(ValueError, match="same"):
        F.binary_cross_entropy_with_logits(Value(np.zeros((2, 1))), np.zeros(2))


def test_binary_targets_outside_0_1_and_probabilities_outside_0_1():
    with pytest.raises(ValueError, match=r"between 0 and 1.*hinge"):
        L.binary_crossentropy(np.array([-1.0, 1.0]), Value([0.5, 0.5]))
    with pytest.raises(ValueError, match="with_logits"):
        F.binary_cross_entropy(Value([2.0, 0.5]), np.array([1.0, 0.0]))


def test_a_trailing_axis_of_one_is_matched_as_keras_does():
    t, y = np.array([1.0, 0.0, 1.0]), Value(np.array([[0.5], [0.5], [1.0]]))
    assert L.mse(t, y).item() == pytest.approx((0.25 + 0.25) / 3)     # not a (3, 3) broadcast
    assert L.mse(t[:, None], Value(y.data[:, 0])).item() == pytest.approx((0.25 + 0.25) / 3)
    assert L.sparse_categorical_crossentropy(np.array([[1], [0]]), Value(np.eye(2)[[1, 0]])) \
        .item() == pytest.approx(-math.log(1 - EPS))


def test_targets_are_cast_to_the_predictions_dtype():
    y = Value(np.array([[0.2, 0.8]], dtype=np.float32))
    for loss in (L.mse(np.array([[0, 1]]), y),
                 L.binary_crossentropy(np.array([[0.0, 1.0]]), y),
                 L.categorical_crossentropy(np.array([[0, 1]], dtype=np.int64), y),
                 L.sparse_categorical_crossentropy(np.array([1]), y),
                 L.hinge(np.array([[0, 1]]), y),
                 F.mse_loss(y, np.array([[0.0, 1.0]])),
                 F.cross_entropy(y, np.array([1]))):
        assert loss.dtype == np.float32


# ---- names, classes, the fused path ---------------------------------------------------------

def test_names_and_aliases():
    assert L.get("mse") is L.mean_squared_error is L.get("mean_squared_error")
    assert L.get("mae") is L.mean_absolute_error
    for name in ("binary_crossentropy", "categorical_crossentropy",
                 "sparse_categorical_crossentropy", "hinge"):
        assert L.get(name) is getattr(L, name)
    with pytest.raises(ValueError, match=r"categorial_crossentropy.*categorical_crossentropy"):
        L.get("categorial_crossentropy")
    assert isinstance(L.get("CategoricalCrossentropy"), L.CategoricalCrossentropy)


def test_loss_classes_and_serialization():
    t, z = np.array([[0.0, 1.0]]), Value([[0.5, -0.5]])
    loss = L.CategoricalCrossentropy(from_logits=True)
    assert loss(t, z).item() == L.categorical_crossentropy(t, z, from_logits=True).item()
    again = L.deserialize(L.serialize(loss))
    assert again(t, z).item() == loss(t, z).item() and again.get_config() == loss.get_config()
    assert L.deserialize(L.serialize(L.mse)) is L.mse
    assert L.SparseCategoricalCrossentropy()(np.array([1]), Value([[0.25, 0.75]])).item() == \
        pytest.approx(-math.log(0.75))
    assert L.BinaryCrossentropy()(np.array([1.0]), Value([0.75])).item() == \
        pytest.approx(-math.log(0.75))
    assert L.MeanAbsoluteError()(np.array([1.0]), Value([0.75])).item() == pytest.approx(0.25)
    assert L.Hinge()(np.array([1.0]), Value([0.75])).item() == pytest.approx(0.25)


def test_from_logits_version_pairs_softmax_and_sigmoid_with_their_cross_entropy():
    z = np.array([[1000.0, -1000.0]])
    for loss, act, target in [("categorical_crossentropy", "softmax", np.array([[0.0, 1.0]])),
                              (L.SparseCategoricalCrossentropy(), "softmax", np.array([1])),
                              ("binary_crossentropy", nn.activations.sigmoid,
                               np.array([[1.0, 1.0]]))]:
        fused = L.from_logits_version(loss, act)
        v = Value(z.copy())
        out = fused(target, v)
        assert _finite(out, v) and out.item() > 100
    assert L.from_logits_version("mse", "softmax") is None
    assert L.from_logits_version("categorical_crossentropy", "sigmoid") is None
    assert L.from_logits_version(L.CategoricalCrossentropy(from_logits=True), "softmax") is None
