"""Initialisers: the mean and variance each one promises (checked statistically on large
draws with fixed seeds), Keras's truncation, seeds and names."""

import json
import math

import numpy as np
import pytest

import nn
from nn import initializers as I

SHAPE = (400, 300)                    # fan_in 400, fan_out 300, 120 000 draws
FAN_IN, FAN_OUT = SHAPE
FAN_AVG = (FAN_IN + FAN_OUT) / 2

# (initialiser, expected variance, bound of |w| or None) from the papers' formulas
CASES = {
    "glorot_uniform": (I.GlorotUniform, 1 / FAN_AVG, math.sqrt(6 / (FAN_IN + FAN_OUT))),
    "glorot_normal": (I.GlorotNormal, 1 / FAN_AVG, None),
    "he_uniform": (I.HeUniform, 2 / FAN_IN, math.sqrt(6 / FAN_IN)),
    "he_normal": (I.HeNormal, 2 / FAN_IN, None),
    "lecun_uniform": (I.LecunUniform, 1 / FAN_IN, math.sqrt(3 / FAN_IN)),
    "lecun_normal": (I.LecunNormal, 1 / FAN_IN, None),
    "random_normal": (I.RandomNormal, 0.05 ** 2, None),
    "random_uniform": (I.RandomUniform, 0.1 ** 2 / 12, 0.05),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_mean_and_variance(name):
    cls, variance, bound = CASES[name]
    w = cls(seed=42)(SHAPE, dtype="float64")
    assert w.shape == SHAPE and w.dtype == np.float64
    assert abs(w.mean()) < 4 * math.sqrt(variance / w.size)
    assert w.var() == pytest.approx(variance, rel=0.02)
    if bound is not None:
        assert np.abs(w).max() <= bound
        assert np.abs(w).max() > 0.999 * bound           # the whole interval is used


@pytest.mark.parametrize("name", ["glorot_normal", "he_normal", "lecun_normal"])
def test_normal_variants_are_truncated_at_two_standard_deviations(name):
    cls, variance, _ = CASES[name]
    w = cls(seed=0)(SHAPE, dtype="float64")
    # stddev before truncation sqrt(variance) / 0.8796..., cut at 2 of those
    cut = 2 * math.sqrt(variance) / 0.87962566103423978
    assert np.abs(w).max() <= cut
    assert np.abs(w).max() > 0.99 * cut
    # the shape of a normal cut at +-2: its kurtosis m4/m2² (a normal's is 3), from the
    # moments of the truncated standard normal, m2 = 1 - 2aφ(a)/Z, m4 = 3m2 - 2a³φ(a)/Z
    a, phi, z = 2.0, math.exp(-2.0) / math.sqrt(2 * math.pi), math.erf(2 / math.sqrt(2))
    m2 = 1 - 2 * a * phi / z
    m4 = 3 * m2 - 2 * a ** 3 * phi / z
    assert math.sqrt(m2) == pytest.approx(0.87962566103423978)
    kurtosis = ((w - w.mean()) ** 4).mean() / w.var() ** 2
    assert kurtosis == pytest.approx(m4 / m2 ** 2, abs=0.03)


def test_truncated_normal_and_random_normal():
    w = I.TruncatedNormal(mean=1.0, stddev=0.5, seed=1)((100_000,), dtype="float64")
    assert w.min() >= 0.0 and w.max() <= 2.0
    assert w.mean() == pytest.approx(1.0, abs=0.01)
    assert w.std() == pytest.approx(0.5 * 0.87962566103423978, rel=0.01)
    r = I.RandomNormal(seed=1)((100_000,), dtype="float64")
    assert np.abs(r).max() > 2 * 0.05                     # not truncated


def test_variance_scaling_modes_and_distributions():
    for mode, n in [("fan_in", FAN_IN), ("fan_out", FAN_OUT), ("fan_avg", FAN_AVG)]:
        for dist in ("truncated_normal", "untruncated_normal", "uniform"):
            w = I.VarianceScaling(3.0, mode, dist, seed=2)(SHAPE, dtype="float64")
            assert w.var() == pytest.approx(3.0 / n, rel=0.02), (mode, dist)
    with pytest.raises(ValueError, match="mode"):
        I.VarianceScaling(mode="fan")
    with pytest.raises(ValueError, match="distribution"):
        I.VarianceScaling(distribution="cauchy")
    with pytest.raises(ValueError, match="scale"):
        I.VarianceScaling(scale=0)


def test_constants():
    assert I.Zeros()((2, 3)).tolist() == [[0.0] * 3] * 2
    assert I.Ones()((2,)).dtype == np.float32
    assert I.Constant(0.25)((3,)).tolist() == [0.25] * 3


def test_fans():
    assert I.compute_fans((4, 3)) == (4, 3)
    assert I.compute_fans((5,)) == (5, 5)
    assert I.compute_fans(()) == (1, 1)
    assert I.compute_fans((3, 3, 2, 8)) == (18, 72)   # a 3x3 convolution kernel


def test_an_integer_seed_repeats_and_set_random_seed_reproduces_a_run():
    init = I.GlorotUniform(seed=5)
    assert np.array_equal(init((3, 2)), init((3, 2)))                 # as Keras
    assert not np.array_equal(I.GlorotUniform(seed=6)((3, 2)), init((3, 2)))
    nn.set_random_seed(11)
    a = [nn.Dense(4, input_dim=3).kernel.data, nn.Linear(3, 4).kernel.data]
    nn.set_random_seed(11)
    b = [nn.Dense(4, input_dim=3).kernel.data, nn.Linear(3, 4).kernel.data]
    assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))
    assert not np.array_equal(a[0], nn.Dense(4, input_dim=3).kernel.data)


def test_names_classes_and_configs():
    for name, (cls, _, _) in CASES.items():
        assert type(I.get(name)) is cls
        assert type(I.get(cls.__name__)) is cls
    assert type(I.get("xavier_uniform")) is I.GlorotUniform
    init = I.get({"class_name": "RandomUniform", "config": {"minval": -1.0, "maxval": 2.0,
                                                            "seed": 3}})
    again = I.deserialize(json.loads(json.dumps(I.serialize(init))))
    assert np.array_equal(again((5,)), init((5,)))
    with pytest.raises(ValueError, match=r"glorot_unifrom.*glorot_uniform"):
        I.get("glorot_unifrom")
    with pytest.raises(ValueError, match="seed"):
        I.HeNormal(seed=1.5)


def test_layers_use_the_initialisers():
    layer = nn.Dense(300, kernel_initializer="he_normal", bias_initializer="ones",
                     input_dim=400)
    assert layer.bias.data.tolist() == [1.0] * 300
    assert layer.kernel.data.var() == pytest.approx(2 / 400, rel=0.03)
    custom = nn.Dense(2, kernel_initializer=lambda shape, dtype: np.full(shape, 3.0),
                      input_dim=2)
    assert custom.kernel.data.tolist() == [[3.0, 3.0]] * 2
    assert custom.kernel.dtype == np.float32
