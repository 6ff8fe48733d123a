"""nn.teaching: the McCulloch–Pitts neuron and the perceptron family (non-gradient rules)."""

import doctest
import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import nn
from nn import teaching
from nn.teaching import MIRA, AveragedPerceptron, McCullochPitts, Perceptron

INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
AND = np.array([0, 0, 0, 1])
OR = np.array([0, 1, 1, 1])
XOR = np.array([0, 1, 1, 0])


# ---- McCulloch–Pitts ----------------------------------------------------------------------

@pytest.mark.parametrize("n", [2, 3, 4])
def test_mcculloch_pitts_and_or_by_choosing_the_threshold(n):
    X = np.array(list(itertools.product([0, 1], repeat=n)))
    np.testing.assert_array_equal(McCullochPitts([1] * n, threshold=n).predict(X),
                                  X.all(axis=1).astype(int))
    np.testing.assert_array_equal(McCullochPitts([1] * n, threshold=1).predict(X),
                                  X.any(axis=1).astype(int))


def test_mcculloch_pitts_not_with_an_inhibitory_input():
    assert McCullochPitts([-1], threshold=0).predict([[0], [1]]).tolist() == [1, 0]


def test_mcculloch_pitts_cannot_do_xor():
    # no weights of ±1 and no threshold give XOR: it is not linearly separable
    for weights in itertools.product([1, -1], repeat=2):
        for theta in np.arange(-3, 3.5, 0.5):
            assert McCullochPitts(list(weights), theta).predict(INPUTS).tolist() != XOR.tolist()


def test_mcculloch_pitts_cinema_example_from_the_slides():
    # ¿voy al cine hoy?  x = (weekend, homework, cinema closed, new film), θ = 2
    assert McCullochPitts([1, 1, 1, 1], threshold=2).predict([1, 0, 0, 1]) == 1
    assert McCullochPitts([1, 1, 1, 1], threshold=2).net_input([1, 0, 0, 1]) == 2
    with_inhibitors = McCullochPitts([1, -1, -1, 1], threshold=2)
    assert with_inhibitors.predict([1, 0, 0, 1]) == 1
    assert with_inhibitors.predict([1, 1, 0, 1]) == 0          # homework to do: stay home


@pytest.mark.parametrize("make, message", [
    (lambda: McCullochPitts([1, 2], 1),
     r"\+1 \(excitatory\) or -1 \(inhibitory\); got 2 at index 1"),
    (lambda: McCullochPitts([0.5], 1), r"got 0.5 at index 0"),
    (lambda: McCullochPitts([], 1), "non-empty"),
    (lambda: McCullochPitts([1, 1], "2"), "threshold must be a number"),
    (lambda: McCullochPitts([1, 1], 2).predict([[0, 1], [1, 0.5]]),
     r"binary \(0 or 1\); got 0.5 at row, column \(1, 1\)"),
    (lambda: McCullochPitts([1, 1], 2).predict([2, 0]), r"got 2 at index 0"),
    (lambda: McCullochPitts([1, 1], 2).predict([1, 0, 1]),
     r"expects 2 inputs per sample, got shape \(3,\)"),
])
def test_mcculloch_pitts_errors(make, message):
    with pytest.raises(ValueError, match=message):
        make()


# ---- the perceptron rule --------------------------------------------------------------------

def test_the_update_rule_on_a_hand_worked_two_sample_example():
    p = Perceptron(2, lr=0.5)
    p.weights, p.bias = [0.2, -0.4], 0.1
    errors = p.fit([[1.0, 2.0], [-1.0, 0.5]], [1, 0], epochs=1)
    # by hand:
    # sample 1: z = 0.2·1 − 0.4·2 + 0.1 = −0.5 → ŷ = 0, y = 1, η(y − ŷ) = 0.5
    #           w = (0.2 + 0.5·1, −0.4 + 0.5·2) = (0.7, 0.6), b = 0.1 + 0.5 = 0.6
    # sample 2: z = 0.7·(−1) + 0.6·0.5 + 0.6 = 0.2 → ŷ = 1, y = 0, η(y − ŷ) = −0.5
    #           w = (0.7 + 0.5, 0.6 − 0.25) = (1.2, 0.35), b = 0.6 − 0.5 = 0.1
    assert errors == [2]
    np.testing.assert_allclose(p.weights, [1.2, 0.35])
    assert p.bias == pytest.approx(0.1)
    np.testing.assert_allclose(p.history[0][0], [0.2, -0.4])
    np.testing.assert_allclose(p.history[1][0], [1.2, 0.35])


def test_step_of_zero_is_one():
    p = Perceptron(1)
    p.weights, p.bias = [0.0], 0.0
    assert p.predict([5.0]) == 1
    errors = p.fit([[1.0]], [1], epochs=1)         # z = 0 → ŷ = 1 = y: no error, no update
    assert errors == [0] and p.weights.tolist() == [0.0] and p.bias == 0.0


@pytest.mark.parametrize("targets, name", [(AND, "AND"), (OR, "OR")])
@pytest.mark.parametrize("seed", range(5))
def test_the_perceptron_converges_on_and_and_or(targets, name, seed):
    p = Perceptron(2, lr=1.0, seed=seed)
    errors = p.fit(INPUTS, targets, epochs=20)
    first_clean = errors.index(0)                  # ValueError if it never converged
    assert first_clean < 15, (name, errors)
    assert all(e == 0 for e in errors[first_clean:])
    np.testing.assert_array_equal(p.predict(INPUTS), targets)
    assert p.score(INPUTS, targets) == 1.0


@pytest.mark.parametrize("seed", range(5))
def test_the_sign_perceptron_converges_with_minus_one_one_labels(seed):
    p = Perceptron(2, lr=0.1, activation="sign", seed=seed)
    y = 2 * AND - 1
    errors = p.fit(INPUTS, y, epochs=100)
    assert errors[-1] == 0
    np.testing.assert_array_equal(p.predict(INPUTS), y)


@pytest.mark.parametrize("cls", [Perceptron, AveragedPerceptron, MIRA])
@pytest.mark.parametrize("seed", range(5))
def test_xor_keeps_making_errors(cls, seed):
    p = cls(2, seed=seed)
    errors = p.fit(INPUTS, XOR, epochs=100)
    assert min(errors) > 0                          # not one clean epoch
    assert p.score(INPUTS, XOR) < 1.0


@given(st.floats(0, 2 * np.pi), st.floats(-0.5, 0.5), st.integers(0, 2**32 - 1))
def test_mistakes_stay_within_the_convergence_theorem_bound(angle, offset, seed):
    # separable data with margin γ, starting from w = 0: at most (R/γ)² mistakes in all
    rng = np.random.default_rng(seed)
    w_true = np.array([np.cos(angle), np.sin(angle)])
    X = rng.uniform(-1, 1, size=(40, 2))
    signed = X @ w_true + offset
    X = X[np.abs(signed) > 0.25]
    if len(X) == 0:
        return
    y = (X @ w_true + offset > 0).astype(int)
    extended = np.hstack([X, np.ones((len(X), 1))])   # the bias as a weight of input 1
    unit = np.append(w_true, offset) / np.linalg.norm(np.append(w_true, offset))
    gamma = np.min(np.abs(extended @ unit))
    R = np.max(np.linalg.norm(extended, axis=1))
    bound = (R / gamma) ** 2
    p = Perceptron(2, lr=1.0)
    p.weights, p.bias = [0.0, 0.0], 0.0
    errors = p.fit(X, y, epochs=int(bound) + 2)
    assert sum(errors) <= bound
    assert errors[-1] == 0
    np.testing.assert_array_equal(p.predict(X), y)


def test_history_has_one_entry_per_epoch_plus_the_start():
    p = Perceptron(2, seed=3)
    start = p.weights
    p.fit(INPUTS, OR, epochs=7)
    assert len(p.history) == 8
    np.testing.assert_array_equal(p.history[0][0], start)
    np.testing.assert_array_equal(p.history[-1][0], p.weights)
    assert p.history[-1][1] == p.bias


def test_initial_weights_come_from_the_seed():
    assert np.array_equal(Perceptron(3, seed=4).weights, Perceptron(3, seed=4).weights)
    assert not np.array_equal(Perceptron(3, seed=4).weights, Perceptron(3, seed=5).weights)
    nn.set_random_seed(11)
    a = Perceptron(3, seed=None).weights
    nn.set_random_seed(11)
    np.testing.assert_array_equal(a, Perceptron(3, seed=None).weights)


@pytest.mark.parametrize("call, message", [
    (lambda: Perceptron(0), "n_inputs must be an integer >= 1"),
    (lambda: Perceptron(2, activation="relu"), "activation must be 'step'"),
    (lambda: Perceptron(2, lr=0), r"lr \(η\) must be a number > 0"),
    (lambda: Perceptron(2).fit(INPUTS, 2 * AND - 1),
     r"activation='step'\) learns labels \[0, 1\], got \[-1, 1\]: use activation='sign'"),
    (lambda: Perceptron(2, activation="sign").fit(INPUTS, AND),
     r"learns labels \[-1, 1\], got \[0, 1\]: use activation='step'"),
    (lambda: Perceptron(2).fit(INPUTS, AND[:3]), "X has 4 samples, y has shape"),
    (lambda: Perceptron(3).fit(INPUTS, AND), r"expects 3 inputs per sample, got shape \(4, 2\)"),
    (lambda: Perceptron(2).fit(INPUTS, AND, epochs=0), "epochs must be an integer >= 1"),
    (lambda: setattr(Perceptron(2), "weights", [1.0]), r"must have shape \(2,\), got \(1,\)"),
    (lambda: MIRA(2, C=0), r"C \(the largest step τ\) must be a number > 0"),
])
def test_perceptron_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_the_perceptron_is_plain_numpy_not_autograd():
    p = Perceptron(2)
    assert type(p.weights) is np.ndarray and type(p.bias) is float


# ---- the improvements: averaged perceptron, MIRA ---------------------------------------------

def test_averaged_perceptron_predicts_with_the_mean_of_the_running_weights():
    X = np.array([[1.0, 2.0], [-1.0, 0.5], [0.5, -1.0], [2.0, 1.0]])
    y = np.array([1, 0, 0, 1])
    p = AveragedPerceptron(2, lr=0.5)
    p.weights, p.bias = [0.2, -0.4], 0.1
    errors = p.fit(X, y, epochs=3)
    # the same run written out: plain perceptron updates, averaged after every sample
    w, b = np.array([0.2, -0.4]), 0.1
    seen_w, seen_b, wrong = [], [], []
    for _ in range(3):
        count = 0
        for x, t in zip(X, y, strict=True):
            y_hat = 1 if x @ w + b >= 0 else 0
            count += y_hat != t
            w, b = w + 0.5 * (t - y_hat) * x, b + 0.5 * (t - y_hat)
            seen_w.append(w)
            seen_b.append(b)
        wrong.append(count)
    assert errors == wrong
    np.testing.assert_allclose(p.weights, np.mean(seen_w, axis=0))
    assert p.bias == pytest.approx(np.mean(seen_b))
    np.testing.assert_array_equal(p.predict(X), (X @ np.mean(seen_w, axis=0)
                                                 + np.mean(seen_b) >= 0).astype(int))


@pytest.mark.parametrize("seed", range(3))
def test_averaged_perceptron_learns_and(seed):
    p = AveragedPerceptron(2, seed=seed)
    p.fit(INPUTS, AND, epochs=30)
    np.testing.assert_array_equal(p.predict(INPUTS), AND)


@given(st.lists(st.floats(-3, 3), min_size=3, max_size=3), st.floats(-2, 2),
       st.sampled_from([0, 1]))
def test_mira_makes_the_smallest_update_that_fixes_the_mistake(x_and_w, b0, target):
    x = np.array(x_and_w[:2])
    w0 = np.array([x_and_w[2], -x_and_w[2]])
    m = MIRA(2, C=1e9)
    m.weights, m.bias = w0, b0
    z = x @ w0 + b0
    y_hat = int(z >= 0)
    m.fit([x], [target], epochs=1)
    if y_hat == target:                               # right already: nothing moves
        np.testing.assert_array_equal(m.weights, w0)
        return
    s = 1 if target == 1 else -1
    tau = (1 - s * z) / (x @ x + 1)
    np.testing.assert_allclose(m.weights, w0 + tau * s * x, atol=1e-12)
    assert m.bias == pytest.approx(b0 + tau * s)
    assert s * float(m.net_input(x)) == pytest.approx(1.0)   # on the margin, right side


def test_mira_caps_the_step_at_c():
    m = MIRA(1, C=0.1)
    m.weights, m.bias = [0.0], -5.0
    m.fit([[1.0]], [1], epochs=1)                    # (1 + 5) / 2 = 3 > C
    assert m.weights.tolist() == [0.1] and m.bias == pytest.approx(-4.9)


@pytest.mark.parametrize("targets", [AND, OR])
def test_mira_converges_on_and_and_or(targets):
    m = MIRA(2, C=1.0)
    errors = m.fit(INPUTS, targets, epochs=30)
    assert errors[-1] == 0
    np.testing.assert_array_equal(m.predict(INPUTS), targets)


def test_docstring_examples_run():
    result = doctest.testmod(teaching, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
