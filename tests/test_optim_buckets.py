"""Bucketed steps (optim.buckets): small parameters updated as one flat array must get
exactly the numbers the one-by-one step gives them, whatever happens between steps."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value
from optim import SGD, Adam, AdamW, RMSprop, buckets

OPTIMISERS = [
    (SGD, dict(lr=0.1)),
    (SGD, dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.1)),
    (SGD, dict(lr=0.1, momentum=0.5, dampening=0.5, maximize=True)),
    (RMSprop, dict(lr=0.01, momentum=0.9, centered=True, weight_decay=0.1)),
    (Adam, dict(lr=0.01)),
    (Adam, dict(lr=0.01, amsgrad=True, weight_decay=0.1, maximize=True)),
    (AdamW, dict(lr=0.01, amsgrad=True)),
]
shapes = st.lists(st.tuples(st.integers(1, 4), st.integers(1, 3)).map(
    lambda s: s[:1] if s[1] == 1 else s), min_size=1, max_size=4)
events = st.lists(st.sampled_from(["step", "step", "step", "drop_grad", "replace_array",
                                   "hold_array", "reload"]), min_size=1, max_size=10)


def _run(cls, hyper, shape_list, script, dtype, one_by_one):
    """Follow ``script`` on fresh parameters; return their weights after each event."""
    with pytest.MonkeyPatch.context() as mp:
        if one_by_one:
            mp.setattr(buckets, "SMALL", -1)            # nothing is small: no buckets
        return _follow(cls, hyper, shape_list, script, dtype)


def _follow(cls, hyper, shape_list, script, dtype):
    rng = np.random.default_rng(0)
    params = [Value(rng.normal(size=s).astype(dtype)) for s in shape_list]
    opt = cls(params, **hyper)
    held = []
    history = []
    for i, event in enumerate(script):
        grads = [rng.normal(size=p.shape).astype(dtype) for p in params]
        if event == "replace_array":          # set_weights-style: a new array, same values
            held = [h for h in held if h is not params[0].data]
            params[0].data = params[0].data.copy()
        elif event == "hold_array":           # somebody keeps a reference to an array
            held.append(params[-1].data)
        elif event == "reload":               # the state goes through state_dict
            saved = opt.state_dict()
            opt = cls(params, **hyper)
            opt.load_state_dict(saved)
        for j, (p, g) in enumerate(zip(params, grads, strict=True)):
            p.grad = None if (event == "drop_grad" and j == i % len(params)) else g
        opt.step()
        history.append([p.data.copy() for p in params])
        for h in held:                        # a held array sees every step
            assert any(h is p.data for p in params)
    return history, opt


@pytest.mark.parametrize("cls, hyper", OPTIMISERS, ids=lambda x: getattr(x, "__name__", ""))
@settings(max_examples=25, deadline=None)
@given(shape_list=shapes, script=events, dtype=st.sampled_from([np.float32, np.float64]))
def test_bucketed_steps_equal_one_by_one_steps(cls, hyper, shape_list, script, dtype):
    fused, opt = _run(cls, hyper, shape_list, script, dtype, False)
    alone, ref = _run(cls, hyper, shape_list, script, dtype, True)
    for a, b in zip(fused, alone, strict=True):
        for x, y in zip(a, b, strict=True):
            np.testing.assert_array_equal(x, y)
    assert opt.state_dict()["state"].keys() == ref.state_dict()["state"].keys()
    for i, s in opt.state_dict()["state"].items():
        for k, v in s.items():
            np.testing.assert_array_equal(v, ref.state_dict()["state"][i][k])


def test_small_parameters_share_one_bucket_and_big_ones_step_alone():
    small = [Value(np.ones((4, 16), np.float32)), Value(np.ones(16, np.float32))]
    big = Value(np.ones(buckets.SMALL + 1, np.float32))
    opt = Adam([*small, big], lr=0.1)
    for p in (*small, big):
        p.grad = np.ones(p.shape, np.float32)
    opt.step()
    (_, _, _, made, rest), = opt._buckets.values()
    assert len(made) == 1 and made[0].params == small and rest == [big]
    # nobody else held the small arrays: they now live in the bucket's flat array
    assert all(p.data.base is made[0].weights for p in small)
    assert opt.state[small[0]]["exp_avg"].base is made[0].state["exp_avg"]
    np.testing.assert_allclose(small[0].data, 0.9)       # Adam's first step: lr * sign(g)
    np.testing.assert_allclose(big.data, 0.9)


def test_an_array_held_elsewhere_stays_the_parameters_array():
    a, b = Value(np.zeros(3)), Value(np.zeros(2))
    kernel = a.data                                       # e.g. a user's reference
    opt = SGD([a, b], lr=1.0)
    a.grad, b.grad = np.ones(3), np.ones(2)
    opt.step()
    opt.step()
    assert a.data is kernel
    np.testing.assert_array_equal(kernel, [-2.0, -2.0, -2.0])
    kernel[...] = 10.0                                    # changed by its holder ...
    opt.step()
    np.testing.assert_array_equal(a.data, [9.0, 9.0, 9.0])  # ... and the step sees it


def test_two_values_sharing_one_array_are_not_bucketed_together():
    shared = np.zeros(2)
    a, b = Value(shared), Value(np.zeros(2))
    b.data = a.data                                       # tied weights: one array
    opt = SGD([a, b], lr=1.0)
    a.grad, b.grad = np.ones(2), np.full(2, 2.0)
    opt.step()
    np.testing.assert_array_equal(a.data, [-3.0, -3.0])   # both updates landed


def test_an_optimiser_whose_update_is_not_elementwise_gets_no_buckets():
    class NormalisedSGD(SGD):
        """w <- w - lr g / |g|: the norm is per parameter, so not elementwise."""
        elementwise_update = False

        def _update(self, w, g, state, group):
            w -= group["lr"] * g / np.linalg.norm(g)

    a, b = Value(np.zeros(2)), Value(np.zeros(2))
    opt = NormalisedSGD([a, b], lr=1.0)
    a.grad, b.grad = np.array([3.0, 4.0]), np.array([1.0, 0.0])
    opt.step()
    assert not opt._buckets
    np.testing.assert_allclose(a.data, [-0.6, -0.8])        # its own norm, 5
    np.testing.assert_allclose(b.data, [-1.0, 0.0])         # its own norm, 1
