"""Learning-rate schedules against their closed forms (PyTorch computes them recursively)."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Value
from optim import SGD, Adam, CosineAnnealingLR, ExponentialLR, StepLR


def optimiser(*lrs):
    groups = [{"params": [Value(np.zeros(1))], "lr": lr} for lr in lrs]
    return SGD(groups)


def schedule_values(sched, epochs):
    """The learning rates of epochs 0, 1, ... as ``get_last_lr()`` reports them."""
    out = []
    for _ in range(epochs):
        out.append(sched.get_last_lr())
        sched.step()
    return out


base_lrs = st.floats(1e-4, 1.0)


@given(base_lrs, st.integers(1, 6), st.floats(0.05, 1.0), st.integers(1, 30))
def test_step_lr_is_base_times_gamma_to_the_floor(base, step_size, gamma, epochs):
    values = schedule_values(StepLR(optimiser(base), step_size, gamma), epochs)
    for epoch, (lr,) in enumerate(values):
        assert lr == pytest.approx(base * gamma ** (epoch // step_size), rel=1e-9)


@given(base_lrs, st.floats(0.05, 1.0), st.integers(1, 30))
def test_exponential_lr_is_base_times_gamma_to_the_epoch(base, gamma, epochs):
    values = schedule_values(ExponentialLR(optimiser(base), gamma), epochs)
    for epoch, (lr,) in enumerate(values):
        assert lr == pytest.approx(base * gamma**epoch, rel=1e-9)


@given(base_lrs, st.integers(1, 12), st.floats(0, 1e-4))
def test_cosine_annealing_follows_the_closed_form(base, T_max, eta_min):
    # over three half-periods: down to eta_min at T_max, back up at 2 T_max, down again
    values = schedule_values(CosineAnnealingLR(optimiser(base), T_max, eta_min), 3 * T_max + 1)
    for epoch, (lr,) in enumerate(values):
        closed = eta_min + (base - eta_min) * (1 + math.cos(math.pi * epoch / T_max)) / 2
        assert lr == pytest.approx(closed, rel=1e-9, abs=1e-12)


def test_cosine_annealing_reaches_eta_min_at_t_max():
    sched = CosineAnnealingLR(optimiser(0.1), T_max=10, eta_min=0.001)
    for _ in range(10):
        sched.step()
    assert sched.get_last_lr()[0] == pytest.approx(0.001, abs=1e-15)


def test_every_group_is_scheduled_from_its_own_initial_lr():
    opt = optimiser(1.0, 0.1)
    sched = StepLR(opt, step_size=1, gamma=0.5)
    sched.step()
    sched.step()
    assert sched.get_last_lr() == pytest.approx([0.25, 0.025])
    assert [g["lr"] for g in opt.param_groups] == sched.get_last_lr()
    assert [g["initial_lr"] for g in opt.param_groups] == [1.0, 0.1]
    assert sched.base_lrs == [1.0, 0.1]


def test_the_optimiser_uses_the_scheduled_lr():
    w = Value(np.array([0.0]))
    opt = SGD([w], lr=1.0)
    sched = ExponentialLR(opt, gamma=0.5)
    for _ in range(3):
        w.grad = np.ones(1)
        opt.step()                      # steps of 1, 0.5, 0.25
        sched.step()
    np.testing.assert_allclose(w.data, [-1.75])


def test_get_last_lr_is_a_list_and_a_copy():
    sched = StepLR(optimiser(0.1), step_size=2)
    last = sched.get_last_lr()
    assert isinstance(last, list)
    last[0] = 99.0
    assert sched.get_last_lr() == [0.1]


def test_a_restored_schedule_continues_where_it_stopped():
    sched = CosineAnnealingLR(optimiser(0.1), T_max=8)
    for _ in range(3):
        sched.step()
    saved = sched.state_dict()
    assert saved["last_epoch"] == 3 and "optimizer" not in saved
    expected = schedule_values(sched, 6)

    opt = optimiser(0.1)
    restored = CosineAnnealingLR(opt, T_max=8)
    restored.load_state_dict(saved)
    opt.param_groups[0]["lr"] = saved["_last_lr"][0]    # the optimiser's own state_dict
    np.testing.assert_allclose(schedule_values(restored, 6), expected, rtol=1e-12)


def test_a_schedule_and_an_optimiser_restore_together():
    w = Value(np.ones(2))
    opt = Adam([w], lr=0.1)
    sched = StepLR(opt, step_size=2, gamma=0.5)
    for _ in range(3):
        w.grad = np.ones(2)
        opt.step()
        sched.step()
    opt_state, sched_state = opt.state_dict(), sched.state_dict()

    w2 = Value(w.data.copy())
    opt2 = Adam([w2], lr=0.1)
    sched2 = StepLR(opt2, step_size=2, gamma=0.5)
    opt2.load_state_dict(opt_state)
    sched2.load_state_dict(sched_state)
    for _ in range(4):
        for p, o, s in ((w, opt, sched), (w2, opt2, sched2)):
            p.grad = np.ones(2)
            o.step()
            s.step()
    np.testing.assert_array_equal(w.data, w2.data)
    assert sched.get_last_lr() == sched2.get_last_lr()


@pytest.mark.parametrize("make, message", [
    (lambda o: StepLR(o, step_size=0), r"step_size must be an integer >= 1, got 0"),
    (lambda o: StepLR(o, step_size=2.5), r"step_size must be an integer >= 1, got 2.5"),
    (lambda o: StepLR(o, step_size=2, gamma=-1), r"gamma must be a number >= 0, got -1"),
    (lambda o: ExponentialLR(o, gamma="0.9"), r"gamma must be a number >= 0, got '0.9'"),
    (lambda o: CosineAnnealingLR(o, T_max=0), r"T_max must be an integer >= 1, got 0"),
    (lambda o: CosineAnnealingLR(o, T_max=5, eta_min=-1), r"eta_min must be a number >= 0"),
])
def test_bad_schedule_arguments_are_explained(make, message):
    with pytest.raises(ValueError, match=message):
        make(optimiser(0.1))


def test_a_schedule_needs_a_bound_optimiser():
    with pytest.raises(TypeError, match="needs an optim optimiser"):
        StepLR("sgd", step_size=1)
    with pytest.raises(RuntimeError, match="no parameters yet"):
        StepLR(SGD(lr=0.1), step_size=1)
    with pytest.raises(ValueError, match="expects keys"):
        StepLR(optimiser(0.1), step_size=1).load_state_dict({"last_epoch": 2})
