"""Our optimisers and schedules beside torch.optim's, on the same gradients.

Skipped unless torch is importable (it is never a dependency of the project). To run
it, put torch on the path, e.g. a scratch venv with torch==2.13.0:

    PYTHONPATH=/tmp/torchenv/lib/python3.11/site-packages \\
        .venv/bin/python -m pytest tests/test_optim_torch.py

``python tests/test_optim_torch.py`` (with torch importable) prints the largest
differences seen over a few hundred random runs.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

torch = pytest.importorskip("torch")

import optim  # noqa: E402
from autograd import Value  # noqa: E402

torch.set_num_threads(1)

OURS = {"SGD": optim.SGD, "RMSprop": optim.RMSprop, "Adam": optim.Adam, "AdamW": optim.AdamW}
DTYPES = {np.float64: torch.float64, np.float32: torch.float32}


def trajectories(name, hyper, theta, grads, dtype):
    """Both optimisers on one parameter fed the same gradients: the values after each step."""
    ours = Value(theta.astype(dtype))
    theirs = torch.tensor(theta.astype(dtype), requires_grad=True)
    opt = OURS[name]([ours], **hyper)
    topt = getattr(torch.optim, name)([theirs], foreach=False, **hyper)
    a, b = [], []
    for g in grads:
        ours.grad = g.astype(dtype)
        theirs.grad = torch.tensor(g.astype(dtype))
        opt.step()
        topt.step()
        a.append(np.array(ours.data))
        b.append(theirs.detach().numpy().copy())
    return a, b


@st.composite
def configs(draw):
    name = draw(st.sampled_from(sorted(OURS)))
    lr = draw(st.sampled_from([1e-3, 1e-2, 0.1, 0.5]))
    maximize = draw(st.booleans())
    if name == "SGD":
        momentum = draw(st.sampled_from([0.0, 0.5, 0.9]))
        nesterov = momentum > 0 and draw(st.booleans())
        dampening = 0.0 if nesterov else draw(st.sampled_from([0.0, 0.1, momentum]))
        hyper = dict(lr=lr, momentum=momentum, dampening=dampening, nesterov=nesterov,
                     weight_decay=draw(st.sampled_from([0.0, 1e-2])), maximize=maximize)
    elif name == "RMSprop":
        hyper = dict(lr=lr, alpha=draw(st.sampled_from([0.9, 0.99])),
                     eps=draw(st.sampled_from([1e-8, 1e-6])),
                     weight_decay=draw(st.sampled_from([0.0, 1e-2])),
                     momentum=draw(st.sampled_from([0.0, 0.9])), centered=draw(st.booleans()),
                     maximize=maximize)
    else:
        hyper = dict(lr=lr, betas=(draw(st.sampled_from([0.8, 0.9])),
                                   draw(st.sampled_from([0.99, 0.999]))),
                     eps=draw(st.sampled_from([1e-8, 1e-6])),
                     weight_decay=draw(st.sampled_from([0.0, 1e-2, 0.1])),
                     amsgrad=draw(st.booleans()), maximize=maximize)
    return name, hyper


TOL = {np.float64: dict(rtol=1e-10, atol=1e-12), np.float32: dict(rtol=5e-5, atol=5e-6)}


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@given(config=configs(), seed=st.integers(0, 2**32 - 1),
       shape=st.sampled_from([(), (5,), (3, 4)]))
def test_same_trajectory_as_torch(dtype, config, seed, shape):
    name, hyper = config
    rng = np.random.default_rng(seed)
    theta = rng.normal(size=shape)
    grads = [rng.normal(scale=rng.choice([1e-3, 1.0, 10.0]), size=shape) for _ in range(10)]
    ours, theirs = trajectories(name, hyper, theta, grads, dtype)
    for t, (a, b) in enumerate(zip(ours, theirs, strict=True), start=1):
        np.testing.assert_allclose(a, b, **TOL[dtype], err_msg=f"{name} {hyper} step {t}")


def test_default_hyperparameters_match_torch():
    p = [torch.zeros(1, requires_grad=True)]
    for name, cls in OURS.items():
        ours = cls([Value(np.zeros(1))]).param_groups[0]
        theirs = getattr(torch.optim, name)(p).param_groups[0]
        for key, value in ours.items():
            if key != "params":
                assert theirs[key] == value, (name, key)


def test_state_dict_layout_matches_torch():
    ours_p, torch_p = Value(np.ones(3)), torch.ones(3, requires_grad=True)
    ours = optim.Adam([ours_p], amsgrad=True)
    theirs = torch.optim.Adam([torch_p], amsgrad=True)
    ours_p.grad, torch_p.grad = np.ones(3), torch.ones(3)
    ours.step()
    theirs.step()
    a, b = ours.state_dict(), theirs.state_dict()
    assert set(a) == set(b)
    assert set(a["state"]) == set(b["state"])
    assert set(a["state"][0]) == set(b["state"][0])
    assert set(a["param_groups"][0]) <= set(b["param_groups"][0])
    assert a["param_groups"][0]["params"] == b["param_groups"][0]["params"]


SCHEDULES = [
    ("StepLR", dict(step_size=3, gamma=0.5)),
    ("StepLR", dict(step_size=1)),
    ("ExponentialLR", dict(gamma=0.9)),
    ("CosineAnnealingLR", dict(T_max=7)),
    ("CosineAnnealingLR", dict(T_max=4, eta_min=0.01)),
]


@pytest.mark.parametrize("name, kwargs", SCHEDULES)
def test_schedules_give_torchs_learning_rates(name, kwargs):
    ours_opt = optim.SGD([Value(np.zeros(1))], lr=0.3)
    torch_opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.3)
    ours = getattr(optim, name)(ours_opt, **kwargs)
    theirs = getattr(torch.optim.lr_scheduler, name)(torch_opt, **kwargs)
    for _ in range(25):
        assert ours.get_last_lr() == pytest.approx(theirs.get_last_lr(), rel=1e-12, abs=1e-15)
        torch_opt.step()
        ours.step()
        theirs.step()


def _max_differences(runs=300):
    """The largest absolute and relative differences over ``runs`` random runs."""
    rng = np.random.default_rng(0)
    worst = {}
    for _ in range(runs):
        name, hyper = _random_config(rng)
        for dtype in (np.float64, np.float32):
            theta = rng.normal(size=(3, 4))
            grads = [rng.normal(scale=rng.choice([1e-3, 1.0, 10.0]), size=(3, 4))
                     for _ in range(20)]
            ours, theirs = trajectories(name, hyper, theta, grads, dtype)
            a, b = np.array(ours, dtype=np.float64), np.array(theirs, dtype=np.float64)
            abs_diff = float(np.max(np.abs(a - b)))
            rel_diff = float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-12)))
            key = (name, np.dtype(dtype).name)
            old = worst.get(key, (0.0, 0.0))
            worst[key] = (max(old[0], abs_diff), max(old[1], rel_diff))
    return worst


def _random_config(rng):
    name = str(rng.choice(sorted(OURS)))
    lr = float(rng.choice([1e-3, 1e-2, 0.1]))
    maximize = bool(rng.integers(2))
    if name == "SGD":
        momentum = float(rng.choice([0.0, 0.9]))
        nesterov = momentum > 0 and bool(rng.integers(2))
        return name, dict(lr=lr, momentum=momentum, dampening=0.0 if nesterov else 0.1,
                          nesterov=nesterov, weight_decay=float(rng.choice([0.0, 1e-2])),
                          maximize=maximize)
    if name == "RMSprop":
        return name, dict(lr=lr, momentum=float(rng.choice([0.0, 0.9])),
                          centered=bool(rng.integers(2)),
                          weight_decay=float(rng.choice([0.0, 1e-2])), maximize=maximize)
    return name, dict(lr=lr, amsgrad=bool(rng.integers(2)),
                      weight_decay=float(rng.choice([0.0, 1e-2])), maximize=maximize)


if __name__ == "__main__":
    for (name, dtype), (a, r) in sorted(_max_differences().items()):
        print(f"{name:8s} {dtype:8s} max |ours - torch| = {a:.3g}   max relative = {r:.3g}")
