"""nn.data: loaders, toy sets, one-hot, splits, standardisation and mini-batches."""

import doctest
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import nn
from nn import data
from nn.data import (
    StandardScaler,
    batches,
    load_digits,
    load_iris,
    make_circles,
    make_moons,
    make_spirals,
    make_xor,
    one_hot,
    train_test_split,
    train_val_test_split,
)

# ---- bundled data sets ----------------------------------------------------------------------


def test_load_iris():
    X, y = load_iris()
    assert X.shape == (150, 4) and X.dtype == np.float32
    assert y.dtype == np.int64 and np.bincount(y).tolist() == [50, 50, 50]
    # a known row: the first flower of Fisher's table, 5.1 3.5 1.4 0.2, setosa
    np.testing.assert_allclose(X[0], [5.1, 3.5, 1.4, 0.2], rtol=1e-6)
    assert y[0] == 0


def test_load_iris_with_names():
    X, _, features, classes = load_iris(return_names=True)
    assert features[0] == "sepal length (cm)" and len(features) == X.shape[1]
    assert classes == ["setosa", "versicolor", "virginica"]


def test_load_digits():
    X, y = load_digits(dtype=np.float64)
    assert X.shape == (1797, 64) and X.dtype == np.float64
    assert X.min() == 0 and X.max() == 16 and np.all(np.round(X) == X)
    assert sorted(np.unique(y).tolist()) == list(range(10))
    _, _, features, classes = load_digits(return_names=True)
    assert features[:2] == ["pixel_0_0", "pixel_0_1"] and classes == [str(d) for d in range(10)]


@pytest.mark.parametrize("loader", [load_iris, load_digits])
def test_loaders_explain_how_to_get_scikit_learn(loader, monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn", None)        # as if it were not installed
    with pytest.raises(ImportError, match="pip install scikit-learn") as info:
        loader()
    assert "no download" in str(info.value)


# ---- toy sets ---------------------------------------------------------------------------------

TOYS = [make_xor, make_moons, make_circles, make_spirals]


@pytest.mark.parametrize("make", TOYS)
@given(n=st.integers(4, 300), noise=st.sampled_from([0.0, 0.1, 0.3]))
def test_toy_sets_have_n_points_and_balanced_binary_labels(make, n, noise):
    X, y = make(n, noise=noise, seed=1)
    assert X.shape == (n, 2) and X.dtype == np.float32 and np.all(np.isfinite(X))
    assert y.shape == (n,) and y.dtype == np.int64
    assert set(np.unique(y).tolist()) <= {0, 1}
    assert abs(int(y.sum()) - n / 2) <= 1


@pytest.mark.parametrize("make", TOYS)
def test_toy_sets_are_reproducible_and_shuffled(make):
    X1, y1 = make(200, noise=0.1, seed=3)
    X2, y2 = make(200, noise=0.1, seed=3)
    X3, _ = make(200, noise=0.1, seed=4)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(X1, X3)
    assert np.count_nonzero(np.diff(y1)) > 50          # classes interleaved, not in blocks
    assert y1[:100].sum() > 20 and y1[100:].sum() > 20  # so a Keras validation_split is fair


def test_toy_sets_without_a_seed_use_the_run_generator():
    nn.set_random_seed(7)
    a = make_moons(50, seed=None)[0]
    nn.set_random_seed(7)
    b = make_moons(50, seed=None)[0]
    np.testing.assert_array_equal(a, b)


def test_xor_is_the_truth_table_plus_noise():
    X, y = make_xor(400, noise=0.05)
    corners = np.round(X).astype(int)
    np.testing.assert_array_equal(y, corners[:, 0] ^ corners[:, 1])
    assert np.abs(X - corners).max() < 0.3


def test_moons_and_circles_lie_on_their_curves_without_noise():
    X, y = make_moons(100, noise=0.0)
    upper = X[y == 0]
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0, rtol=1e-6)
    lower = X[y == 1]
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0, rtol=1e-6)
    X, y = make_circles(100, noise=0.0, factor=0.3)
    np.testing.assert_allclose(np.hypot(X[:, 0], X[:, 1]), np.where(y == 0, 1.0, 0.3),
                               rtol=1e-6)


def test_spirals_wind_outwards_and_take_a_number_of_classes():
    X, y = make_spirals(300, noise=0.0, classes=3)
    assert np.bincount(y).tolist() == [100, 100, 100]
    r = np.hypot(X[:, 0], X[:, 1])
    assert r.max() <= 1 + 1e-6 and r.min() < 0.05
    # without noise, the angle grows with the radius along each arm
    for k in range(3):
        arm = X[y == k][np.argsort(r[y == k])]
        angle = np.unwrap(np.arctan2(arm[:, 1], arm[:, 0]))
        assert np.all(np.diff(angle) > 0)


@pytest.mark.parametrize("make", TOYS)
def test_toy_sets_reject_bad_arguments(make):
    with pytest.raises(ValueError, match=r"n \(the number of samples\) must be an integer >= 1"):
        make(0)
    with pytest.raises(ValueError, match=r"noise \(a standard deviation\) must be a number >= 0"):
        make(10, noise=-0.1)


def test_spirals_and_circles_reject_bad_shapes():
    with pytest.raises(ValueError, match="classes must be an integer >= 2"):
        make_spirals(10, classes=1)
    with pytest.raises(ValueError, match=r"factor \(the inner radius\) must be in \(0, 1\)"):
        make_circles(10, factor=1.5)


# ---- one_hot ------------------------------------------------------------------------------------

@given(st.lists(st.integers(0, 9), min_size=1, max_size=50), st.integers(0, 3))
def test_one_hot_rows_pick_the_label(labels, extra):
    y = np.array(labels)
    k = y.max() + 1 + extra
    T = one_hot(y, num_classes=k)
    assert T.shape == (len(y), k) and T.dtype == np.float32
    np.testing.assert_array_equal(T.sum(axis=1), 1)
    np.testing.assert_array_equal(T.argmax(axis=1), y)


def test_one_hot_accepts_integer_valued_floats_and_column_vectors():
    np.testing.assert_array_equal(one_hot(np.array([[2.0], [0.0]])), [[0, 0, 1], [1, 0, 0]])


@pytest.mark.parametrize("labels, kwargs, message", [
    ([0, 1.5], {}, r"integer class labels, got 1.5"),
    ([0, -1], {}, r"labels must be >= 0, got -1"),
    ([0, 3], {"num_classes": 3}, r"label 3 does not fit num_classes=3"),
    (["a", "b"], {}, r"integer class labels, got an array of dtype <U1"),
    ([0, np.nan], {}, r"integer class labels, got nan"),
])
def test_one_hot_explains_bad_labels(labels, kwargs, message):
    with pytest.raises(ValueError, match=message):
        one_hot(np.array(labels), **kwargs)


# ---- splits -----------------------------------------------------------------------------------

@given(n=st.integers(8, 200), test_size=st.floats(0.05, 0.95), seed=st.integers(0, 99))
def test_train_test_split_is_a_partition(n, test_size, seed):
    X = np.arange(2 * n).reshape(n, 2)
    y = np.arange(n)
    if np.ceil(test_size * n) >= n:                   # as scikit-learn: no empty train set
        with pytest.raises(ValueError, match="leaves no sample on one side"):
            train_test_split(X, y, test_size=test_size, seed=seed)
        return
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=test_size, seed=seed)
    assert len(X_test) == int(np.ceil(test_size * n)) and len(X_train) == n - len(X_test)
    np.testing.assert_array_equal(X_train[:, 0] // 2, y_train)     # rows keep their labels
    np.testing.assert_array_equal(X_test[:, 0] // 2, y_test)
    assert sorted(np.concatenate([y_train, y_test]).tolist()) == list(range(n))


@given(counts=st.lists(st.integers(2, 60), min_size=2, max_size=4),
       test_size=st.floats(0.1, 0.5), seed=st.integers(0, 99))
def test_stratified_split_keeps_the_class_proportions(counts, test_size, seed):
    y = np.repeat(np.arange(len(counts)), counts)
    n = len(y)
    if np.ceil(test_size * n) < len(counts) or n - np.ceil(test_size * n) < len(counts):
        return                                        # too small to hold every class
    X = np.arange(n)[:, None]
    _, _, y_train, y_test = train_test_split(X, y, test_size=test_size, stratify=True,
                                             seed=seed)
    for part in (y_train, y_test):
        got = np.bincount(part, minlength=len(counts))
        expected = np.array(counts) * len(part) / n
        assert np.all(np.abs(got - expected) < 1 + 1e-9), (got, expected)


def test_stratified_split_on_iris_has_every_class_in_proportion():
    X, y = load_iris()
    _, _, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=True, seed=5)
    assert np.bincount(y_test).tolist() == [10, 10, 10]
    assert np.bincount(y_train).tolist() == [40, 40, 40]


def test_split_is_reproducible_and_seed_dependent():
    X, y = make_moons(100)
    a = train_test_split(X, y, seed=1)
    b = train_test_split(X, y, seed=1)
    c = train_test_split(X, y, seed=2)
    for u, v in zip(a, b, strict=True):
        np.testing.assert_array_equal(u, v)
    assert not np.array_equal(a[1], c[1])


def test_split_takes_a_count_and_one_hot_targets():
    X, y = load_iris()
    T = one_hot(y)
    _, X_test, _, T_test = train_test_split(X, T, test_size=30, stratify=True)
    assert X_test.shape == (30, 4) and T_test.shape == (30, 3)
    assert T_test.sum(axis=0).tolist() == [10, 10, 10]


def test_train_val_test_split():
    X, y = load_digits()
    X_tr, X_va, X_te, y_tr, y_va, y_te = train_val_test_split(X, y, val_size=0.2,
                                                              test_size=0.2, stratify=True)
    assert len(X_tr) + len(X_va) + len(X_te) == len(X)
    assert len(X_va) == len(X_te) == int(np.ceil(0.2 * len(X)))
    parts = [y_tr, y_va, y_te]
    overall = np.bincount(y) / len(y)
    for part in parts:
        assert np.abs(np.bincount(part, minlength=10) / len(part) - overall).max() < 0.01


def test_train_val_test_split_partitions_the_indices():
    n = 50
    X, y = np.arange(n)[:, None], np.arange(n) % 2
    X_tr, X_va, X_te, *_ = train_val_test_split(X, y, val_size=0.2, test_size=0.1, seed=3)
    everything = np.concatenate([X_tr, X_va, X_te]).ravel()
    assert sorted(everything.tolist()) == list(range(n))
    assert (len(X_tr), len(X_va), len(X_te)) == (35, 10, 5)


@pytest.mark.parametrize("call, message", [
    (lambda: train_test_split(np.zeros((5, 2)), np.zeros(4)), "X has 5 samples but y has 4"),
    (lambda: train_test_split(np.zeros((5, 2)), np.zeros(5), test_size=1.5),
     r"test_size must be a fraction in \(0, 1\) or a number of samples in \[1, 4\], got 1.5"),
    (lambda: train_test_split(np.zeros((5, 2)), np.zeros(5), test_size=5), "got 5"),
    (lambda: train_test_split(np.zeros((4, 1)), np.array([0, 0, 0, 1]), stratify=True),
     "class 1 has only 1 sample, too few to stratify"),
    (lambda: train_test_split(np.zeros((9, 1)), np.arange(9) % 3, test_size=2, stratify=True),
     "cannot hold all 3 classes"),
    (lambda: train_val_test_split(np.zeros((10, 1)), np.zeros(10), val_size=0.5,
                                  test_size=0.5), "leave no training samples"),
])
def test_split_errors_say_what_was_wrong(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# ---- StandardScaler -------------------------------------------------------------------------

@given(st.integers(2, 40), st.integers(1, 5), st.integers(0, 999))
def test_scaler_gives_zero_mean_and_unit_std_on_the_training_data(n, d, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(loc=rng.uniform(-100, 100, d), scale=rng.uniform(0.1, 50, d), size=(n, d))
    Z = StandardScaler().fit_transform(X)
    np.testing.assert_allclose(Z.mean(axis=0), 0, atol=1e-9)
    np.testing.assert_allclose(Z.std(axis=0), 1, rtol=1e-9)


def test_scaler_reuses_the_training_statistics_on_test_data():
    rng = np.random.default_rng(0)
    X_train = rng.normal(5, 2, size=(100, 3))
    X_test = rng.normal(5, 2, size=(20, 3))
    scaler = StandardScaler().fit(X_train)
    np.testing.assert_allclose(scaler.mean_, X_train.mean(axis=0))
    np.testing.assert_allclose(scaler.scale_, X_train.std(axis=0))
    np.testing.assert_allclose(scaler.transform(X_test),
                               (X_test - X_train.mean(axis=0)) / X_train.std(axis=0))
    assert np.abs(scaler.transform(X_test).mean(axis=0)).max() > 1e-3   # not re-fitted


def test_scaler_leaves_a_constant_feature_finite():
    X = np.array([[1.0, 7.0], [2.0, 7.0], [3.0, 7.0]])
    scaler = StandardScaler().fit(X)
    Z = scaler.transform(X)
    assert scaler.scale_[1] == 1.0
    np.testing.assert_array_equal(Z[:, 1], 0.0)
    np.testing.assert_allclose(scaler.inverse_transform(Z), X)


def test_scaler_round_trips_and_keeps_float32():
    X = np.random.default_rng(1).normal(size=(10, 4)).astype(np.float32)
    scaler = StandardScaler().fit(X)
    Z = scaler.transform(X)
    assert Z.dtype == np.float32
    np.testing.assert_allclose(scaler.inverse_transform(Z), X, rtol=1e-5, atol=1e-6)
    assert StandardScaler().fit_transform(np.array([[1, 2], [3, 4]])).dtype == np.float64


def test_scaler_options():
    X = np.array([[0.0, 10.0], [4.0, 30.0]])
    np.testing.assert_allclose(StandardScaler(with_std=False).fit_transform(X),
                               [[-2, -10], [2, 10]])
    np.testing.assert_allclose(StandardScaler(with_mean=False).fit_transform(X),
                               [[0, 1], [2, 3]])


@pytest.mark.parametrize("call, error, message", [
    (lambda s: s.transform(np.zeros((2, 3))), RuntimeError, "not fitted yet: call fit"),
    (lambda s: s.fit(np.zeros(5)), ValueError, r"2-D array.*X.reshape\(-1, 1\)"),
    (lambda s: s.fit(np.array([[1.0, np.nan]])), ValueError, "NaN or infinity"),
    (lambda s: s.fit(np.zeros((3, 4))).transform(np.zeros((2, 3))), ValueError,
     r"fitted on 4 features, got shape \(2, 3\)"),
])
def test_scaler_errors(call, error, message):
    with pytest.raises(error, match=message):
        call(StandardScaler())


# ---- batches ----------------------------------------------------------------------------------

@given(n=st.integers(1, 120), batch_size=st.integers(1, 50), shuffle=st.booleans(),
       seed=st.integers(0, 99))
def test_batches_cover_every_sample_exactly_once(n, batch_size, shuffle, seed):
    X = np.arange(n)[:, None] * np.ones((1, 3))
    y = np.arange(n)
    seen = []
    sizes = []
    for xb, yb in batches(X, y, batch_size, shuffle=shuffle, seed=seed):
        np.testing.assert_array_equal(xb[:, 0], yb)              # rows stay with labels
        seen.extend(yb.tolist())
        sizes.append(len(yb))
    assert sorted(seen) == list(range(n))
    assert all(s == batch_size for s in sizes[:-1]) and 0 < sizes[-1] <= batch_size
    assert len(sizes) == -(-n // batch_size)
    if not shuffle:
        assert seen == list(range(n))


def test_batches_shuffle_reproducibly():
    X, y = np.zeros((100, 2)), np.arange(100)
    order = [np.concatenate([yb for _, yb in batches(X, y, 16, seed=s)]) for s in (0, 0, 1)]
    np.testing.assert_array_equal(order[0], order[1])
    assert not np.array_equal(order[0], order[2])
    assert not np.array_equal(order[0], np.arange(100))
    rng = np.random.default_rng(0)                  # one generator: a new order each epoch
    a = np.concatenate([yb for _, yb in batches(X, y, 16, seed=rng)])
    b = np.concatenate([yb for _, yb in batches(X, y, 16, seed=rng)])
    assert not np.array_equal(a, b)


def test_batches_drop_last():
    X, y = np.zeros((10, 1)), np.arange(10)
    assert [len(yb) for _, yb in batches(X, y, 4, drop_last=True)] == [4, 4]


@pytest.mark.parametrize("args, message", [
    ((np.zeros((5, 2)), np.zeros(4), 2), r"same number of samples, got shapes \(5, 2\)"),
    ((np.zeros((5, 2)), np.zeros(5), 0), "batch_size must be an integer >= 1, got 0"),
    ((np.zeros((5, 2)), np.zeros(5), 2.5), "got 2.5"),
])
def test_batches_errors(args, message):
    with pytest.raises(ValueError, match=message):
        next(batches(*args))


@pytest.mark.parametrize("module", [data, data.datasets, data.preprocessing, data.batching])
def test_docstring_examples_run(module):
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
