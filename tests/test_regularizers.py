"""Regularisers: Keras's penalties (no 1/2 in L2), their gradients through the engine."""

import json

import numpy as np
import pytest
from hypothesis import given

import nn
from autograd import Value, gradcheck
from autograd.testing import arrays, shapes
from nn import regularizers as R


def test_penalties_follow_keras():
    w = np.array([[1.0, -2.0], [0.5, 0.0]])
    assert R.l1(0.1)(Value(w)).item() == pytest.approx(0.1 * 3.5)
    assert R.l2(0.1)(Value(w)).item() == pytest.approx(0.1 * 5.25)
    assert R.l1_l2(l1=0.1, l2=0.2)(Value(w)).item() == pytest.approx(0.35 + 0.2 * 5.25)
    assert R.L1L2()(Value(w)).item() == 0.0
    assert R.L1().l1 == R.L2().l2 == 0.01            # Keras's defaults


def test_the_lower_case_names_are_the_classes():
    assert R.l1 is R.L1 and R.l2 is R.L2 and R.l1_l2 is R.L1L2
    from nn.regularizers import l1, l1_l2, l2  # the Keras import line
    assert isinstance(l2(0.01), R.Regularizer) and l1 and l1_l2


def test_gradients_are_the_textbook_ones():
    w = Value(np.array([1.5, -0.5, 2.0]))
    R.l2(0.1)(w).backward()
    np.testing.assert_allclose(w.grad, 2 * 0.1 * w.data)        # weight decay 2λw
    w.zero_grad()
    R.l1(0.3)(w).backward()
    np.testing.assert_allclose(w.grad, 0.3 * np.sign(w.data))


@given(shapes(min_dims=1).flatmap(lambda s: arrays(s, away_from=(0.0,), margin=1e-2)))
def test_gradients_match_finite_differences(w):
    assert gradcheck(lambda v: R.l1_l2(l1=0.05, l2=0.2)(v), w)
    assert gradcheck(lambda v: R.l2(0.3)(v), w)


def test_float32_weights_give_float32_penalties():
    assert R.l1_l2(0.1, 0.1)(Value(np.ones(3, np.float32))).dtype == np.float32
    assert R.L1L2()(Value(np.ones(3, np.float32))).dtype == np.float32


@pytest.mark.parametrize("bad", [-0.1, float("nan"), float("inf"), "0.1", None])
def test_factors_must_be_non_negative_numbers(bad):
    with pytest.raises(ValueError, match="non-negative"):
        R.L2(bad)


def test_get_and_configs():
    assert R.get(None) is None
    assert R.get("l2").get_config() == {"l2": 0.01}
    reg = R.L1L2(l1=0.5, l2=0.25)
    again = R.deserialize(json.loads(json.dumps(R.serialize(reg))))
    assert isinstance(again, R.L1L2) and again.get_config() == reg.get_config()
    with pytest.raises(ValueError, match=r"l3.*l1"):
        R.get("l3")


def test_a_penalised_model_trains_its_weights_towards_zero():
    nn.set_random_seed(0)
    layer = nn.Dense(1, kernel_regularizer=R.l2(0.5), use_bias=False, input_dim=3,
                     dtype="float64")
    before = np.abs(layer.kernel.data).sum()
    x = np.zeros((4, 3))                           # no data signal: only the penalty acts
    for _ in range(20):
        loss = nn.losses.mse(np.zeros((4, 1)), layer(x)) + sum(layer.losses)
        layer.zero_grad()
        loss.backward()
        layer.kernel.data -= 0.1 * layer.kernel.grad
    # each step multiplies by (1 - 0.1 * 2 * 0.5) = 0.9
    assert np.abs(layer.kernel.data).sum() == pytest.approx(before * 0.9 ** 20)
