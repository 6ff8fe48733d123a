"""Optimisers, checked step by step against the update rules written out independently.

The reference functions below follow PyTorch's documented pseudo-code line by line,
in plain numpy with fresh arrays at every line (no in-place tricks), so they share
nothing with the optimisers' in-place code but the math.
"""

import doctest

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import optim
from autograd import Value
from optim import SGD, Adam, AdamW, RMSprop

# ---- the update rules, written from PyTorch's pseudo-code ---------------------------------


def ref_sgd(theta, grads, lr, momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.0,
            maximize=False):
    theta = np.array(theta, dtype=np.float64)
    b = None
    out = []
    for t, grad in enumerate(grads, start=1):
        g = -grad if maximize else grad
        if weight_decay != 0:
            g = g + weight_decay * theta
        if momentum != 0:
            b = g if t == 1 else momentum * b + (1 - dampening) * g
            g = g + momentum * b if nesterov else b
        theta = theta - lr * g
        out.append(theta)
    return out


def ref_rmsprop(theta, grads, lr, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0,
                centered=False, maximize=False):
    theta = np.array(theta, dtype=np.float64)
    v = np.zeros_like(theta)
    b = np.zeros_like(theta)
    g_ave = np.zeros_like(theta)
    out = []
    for grad in grads:
        g = -grad if maximize else grad
        if weight_decay != 0:
            g = g + weight_decay * theta
        v = alpha * v + (1 - alpha) * g**2
        v_tilde = v
        if centered:
            g_ave = alpha * g_ave + (1 - alpha) * g
            v_tilde = v_tilde - g_ave**2
        if momentum > 0:
            b = momentum * b + g / (np.sqrt(v_tilde) + eps)
            theta = theta - lr * b
        else:
            theta = theta - lr * g / (np.sqrt(v_tilde) + eps)
        out.append(theta)
    return out


def ref_adam(theta, grads, lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False,
             maximize=False, decoupled=False):
    beta1, beta2 = betas
    theta = np.array(theta, dtype=np.float64)
    m = np.zeros_like(theta)
    v = np.zeros_like(theta)
    v_max = np.zeros_like(theta)
    out = []
    for t, grad in enumerate(grads, start=1):
        g = -grad if maximize else grad
        if decoupled:
            theta = theta - lr * weight_decay * theta
        elif weight_decay != 0:
            g = g + weight_decay * theta
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        m_hat = m / (1 - beta1**t)
        if amsgrad:
            v_max = np.maximum(v_max, v)
            v_hat = v_max / (1 - beta2**t)
        else:
            v_hat = v / (1 - beta2**t)
        theta = theta - lr * m_hat / (np.sqrt(v_hat) + eps)
        out.append(theta)
    return out


# ---- drawing problems ---------------------------------------------------------------------

SHAPES = st.sampled_from([(), (3,), (2, 3)])


@st.composite
def problems(draw):
    """A start point and a sequence of gradients (gradients are given, not computed:
    the optimiser must follow whatever it is handed)."""
    shape = draw(SHAPES)
    n_steps = draw(st.integers(1, 8))
    size = int(np.prod(shape))
    floats = st.floats(-5, 5, allow_nan=False, allow_subnormal=False)
    theta = np.array(draw(st.lists(floats, min_size=size, max_size=size))).reshape(shape)
    grads = [np.array(draw(st.lists(floats, min_size=size, max_size=size))).reshape(shape)
             for _ in range(n_steps)]
    return theta, grads


def run(opt_cls, theta, grads, **hyper):
    """Our optimiser on one parameter fed ``grads``; the parameter after each step."""
    p = Value(float(theta) if np.ndim(theta) == 0 else np.array(theta))
    opt = opt_cls([p], **hyper)
    out = []
    for g in grads:
        opt.zero_grad()
        p.grad = float(g) if np.ndim(g) == 0 else g
        opt.step()
        out.append(np.array(p.data))
    return p, out


def assert_same_trajectory(ours, ref, rtol=1e-10, atol=1e-12):
    assert len(ours) == len(ref)
    for t, (a, b) in enumerate(zip(ours, ref, strict=True), start=1):
        np.testing.assert_allclose(a, b, rtol=rtol, atol=atol, err_msg=f"step {t}")


lrs = st.floats(0, 1)
unit = st.floats(0, 0.99)
decays = st.sampled_from([0.0, 0.0, 0.01, 0.3])


# ---- trajectories ---------------------------------------------------------------------------

@given(problems(), lrs, unit, st.floats(0, 1), st.booleans(), decays, st.booleans())
def test_sgd_follows_its_update_rule(problem, lr, momentum, dampening, nesterov, wd, maximize):
    theta, grads = problem
    if nesterov:                                  # nesterov needs momentum and no dampening
        momentum, dampening = max(momentum, 0.1), 0.0
    hyper = dict(lr=lr, momentum=momentum, dampening=dampening, nesterov=nesterov,
                 weight_decay=wd, maximize=maximize)
    p, ours = run(SGD, theta, grads, **hyper)
    assert_same_trajectory(ours, ref_sgd(theta, grads, **hyper))
    assert type(p.data) is (float if np.ndim(theta) == 0 else np.ndarray)


@given(problems(), lrs, st.floats(0.5, 0.999), st.sampled_from([1e-8, 1e-3, 0.1]), decays,
       st.sampled_from([0.0, 0.0, 0.5, 0.9]), st.booleans(), st.booleans())
def test_rmsprop_follows_its_update_rule(problem, lr, alpha, eps, wd, momentum, centered,
                                         maximize):
    theta, grads = problem
    hyper = dict(lr=lr, alpha=alpha, eps=eps, weight_decay=wd, momentum=momentum,
                 centered=centered, maximize=maximize)
    _, ours = run(RMSprop, theta, grads, **hyper)
    # 1/(√v + ε) amplifies rounding where v is tiny: compare relative to the step scale
    assert_same_trajectory(ours, ref_rmsprop(theta, grads, **hyper), rtol=1e-9, atol=1e-9)


@given(problems(), lrs, unit, st.floats(0, 0.999), st.sampled_from([1e-8, 1e-3, 0.1]), decays,
       st.booleans(), st.booleans())
def test_adam_follows_its_update_rule(problem, lr, beta1, beta2, eps, wd, amsgrad, maximize):
    theta, grads = problem
    hyper = dict(lr=lr, betas=(beta1, beta2), eps=eps, weight_decay=wd, amsgrad=amsgrad,
                 maximize=maximize)
    _, ours = run(Adam, theta, grads, **hyper)
    assert_same_trajectory(ours, ref_adam(theta, grads, **hyper), rtol=1e-9, atol=1e-9)


@given(problems(), lrs, unit, st.floats(0, 0.999), st.sampled_from([0.0, 1e-2, 0.5]),
       st.booleans(), st.booleans())
def test_adamw_follows_its_update_rule(problem, lr, beta1, beta2, wd, amsgrad, maximize):
    theta, grads = problem
    hyper = dict(lr=lr, betas=(beta1, beta2), eps=1e-8, weight_decay=wd, amsgrad=amsgrad,
                 maximize=maximize)
    _, ours = run(AdamW, theta, grads, **hyper)
    assert_same_trajectory(ours, ref_adam(theta, grads, decoupled=True, **hyper),
                           rtol=1e-9, atol=1e-9)


def test_adamw_differs_from_adam_with_l2():
    theta, grads = np.array([2.0, -1.0]), [np.array([0.5, 0.1])] * 3
    _, a = run(Adam, theta, grads, lr=0.1, weight_decay=0.1)
    _, w = run(AdamW, theta, grads, lr=0.1, weight_decay=0.1)
    assert not np.allclose(a[-1], w[-1])


def test_sgd_momentum_buffer_starts_at_the_first_gradient():
    # PyTorch's convention (the slide's EWA starts at 0 instead): b1 = g1, not (1 - τ) g1
    _, ours = run(SGD, np.zeros(1), [np.ones(1)], lr=1.0, momentum=0.9, dampening=0.9)
    assert ours[0][0] == -1.0


def test_sgd_with_dampening_is_the_course_ewa_from_the_second_step():
    beta, lr = 0.9, 0.1
    grads = [np.array([g]) for g in (1.0, 3.0, -2.0, 0.5)]
    _, ours = run(SGD, np.zeros(1), grads, lr=lr, momentum=beta, dampening=beta)
    v, w = grads[0], np.zeros(1)         # v started at the first gradient, as PyTorch does
    w = w - lr * v
    for g, got in zip(grads[1:], ours[1:], strict=True):
        v = beta * v + (1 - beta) * g    # the slide: v = βv + (1 − β)∇C, w ← w − αv
        w = w - lr * v
        np.testing.assert_allclose(got, w, rtol=1e-12)


def test_adam_first_step_is_lr_times_sign():
    # with bias correction, m̂1 = g and v̂1 = g², so the first step is lr · g/|g|
    _, ours = run(Adam, np.array([1.0, 1.0, 1.0]), [np.array([1e-3, -7.0, 250.0])], lr=0.01,
                  eps=0.0)
    np.testing.assert_allclose(ours[0], [0.99, 1.01, 0.99], rtol=1e-12)


# ---- how parameters are updated ------------------------------------------------------------

OPTIMISERS = [
    (SGD, dict(lr=0.1)),
    (SGD, dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.1)),
    (SGD, dict(lr=0.1, momentum=0.5, dampening=0.5, maximize=True)),
    (RMSprop, dict(lr=0.01)),
    (RMSprop, dict(lr=0.01, momentum=0.9, centered=True, weight_decay=0.1)),
    (Adam, dict(lr=0.01)),
    (Adam, dict(lr=0.01, amsgrad=True, weight_decay=0.1, maximize=True)),
    (AdamW, dict(lr=0.01)),
    (AdamW, dict(lr=0.01, amsgrad=True)),
]
ids = [f"{c.__name__}-{'-'.join(k for k in h if k != 'lr') or 'plain'}" for c, h in OPTIMISERS]


@pytest.mark.parametrize("cls, hyper", OPTIMISERS, ids=ids)
def test_float32_parameters_stay_float32(cls, hyper):
    rng = np.random.default_rng(0)
    theta = rng.normal(size=(4, 3))
    grads = [rng.normal(size=(4, 3)) for _ in range(5)]
    p = Value(theta.astype(np.float32))
    opt = cls([p], **hyper)
    for g in grads:
        p.grad = g.astype(np.float32)
        opt.step()
        assert p.data.dtype == np.float32
    for value in opt.state[p].values():
        if isinstance(value, np.ndarray):
            assert value.dtype == np.float32
    _, ref = run(cls, theta, grads, **hyper)
    np.testing.assert_allclose(p.data, ref[-1], rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("cls, hyper", OPTIMISERS, ids=ids)
def test_arrays_are_updated_in_place(cls, hyper):
    p = Value(np.array([1.0, 2.0, 3.0]))
    held = p.data                                  # e.g. a layer holding its kernel
    opt = cls([p], **hyper)
    p.grad = np.array([0.5, -0.5, 1.0])
    opt.step()
    assert p.data is held
    assert not np.array_equal(held, [1.0, 2.0, 3.0])


@pytest.mark.parametrize("cls, hyper", OPTIMISERS, ids=ids)
def test_the_gradient_is_never_modified(cls, hyper):
    a, b = Value(np.array([1.0, -2.0])), Value(np.array([0.5, 3.0]))
    (a + b).sum().backward()                       # a and b may share one gradient array
    before = a.grad.copy(), b.grad.copy()
    opt = cls([a, b], **hyper)
    opt.step()
    opt.step()
    np.testing.assert_array_equal(a.grad, before[0])
    np.testing.assert_array_equal(b.grad, before[1])


@pytest.mark.parametrize("cls, hyper", OPTIMISERS, ids=ids)
def test_parameters_without_a_gradient_are_skipped(cls, hyper):
    a, b = Value(np.array([1.0, 2.0])), Value(np.array([3.0, 4.0]))
    opt = cls([a, b], **hyper)
    (a * a).sum().backward()                       # b takes no part: no gradient
    assert a.has_grad and not b.has_grad
    opt.step()
    np.testing.assert_array_equal(b.data, [3.0, 4.0])
    assert b not in opt.state
    opt.zero_grad()
    before = a.data.copy()
    opt.step()                                     # nothing has a gradient now
    np.testing.assert_array_equal(a.data, before)


def test_zero_grad_clears_every_parameter():
    a, b = Value(np.ones(2)), Value(3.0)
    ((a * b).sum()).backward()
    opt = SGD([a, b], lr=0.1)
    opt.zero_grad()
    assert not a.has_grad and not b.has_grad


def test_scalar_values_train_to_the_minimum():
    # micrograd-style scalar parameters: p.data is a Python float and stays one
    w, c = Value(3.0), Value(-2.0)
    opt = SGD([w, c], lr=0.1, momentum=0.5)
    for _ in range(200):
        opt.zero_grad()
        loss = (w - 1) ** 2 + (c + 0.5) ** 2
        loss.backward()
        opt.step()
    assert type(w.data) is float and type(c.data) is float
    assert abs(w.data - 1) < 1e-6 and abs(c.data + 0.5) < 1e-6


def test_param_groups_have_their_own_hyperparameters():
    a, b = Value(np.array([1.0])), Value(np.array([1.0]))
    opt = SGD([{"params": [a]}, {"params": [b], "lr": 0.5, "momentum": 0.9}], lr=0.1)
    assert opt.param_groups[1]["momentum"] == 0.9 and opt.param_groups[0]["momentum"] == 0
    for _ in range(2):
        a.grad, b.grad = np.ones(1), np.ones(1)
        opt.step()
    np.testing.assert_allclose(a.data, [1 - 0.1 - 0.1])
    np.testing.assert_allclose(b.data, [1 - 0.5 - 0.5 * 1.9])


def test_a_group_may_use_keras_spellings():
    a = Value(np.ones(1))
    opt = RMSprop([{"params": [a], "learning_rate": 0.5, "rho": 0.8}])
    assert opt.param_groups[0]["lr"] == 0.5 and opt.param_groups[0]["alpha"] == 0.8


def test_step_returns_the_closure_loss():
    w = Value(np.array([2.0]))
    opt = SGD([w], lr=0.25)

    def closure():
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    loss = opt.step(closure)
    assert loss.item() == 4.0
    np.testing.assert_allclose(w.data, [1.0])


# ---- state_dict ----------------------------------------------------------------------------

@pytest.mark.parametrize("cls, hyper", OPTIMISERS, ids=ids)
@pytest.mark.parametrize("scalar", [False, True])
def test_an_optimiser_restored_mid_run_continues_the_same_trajectory(cls, hyper, scalar):
    rng = np.random.default_rng(1)
    shape = () if scalar else (3, 2)
    grads = [rng.normal(size=shape) for _ in range(8)]
    start = rng.normal(size=shape)

    def param(x):
        return Value(float(x) if scalar else np.array(x))

    def feed(opt, p, gs):
        for g in gs:
            p.grad = float(g) if scalar else g
            opt.step()

    p = param(start)
    opt = cls([p], **hyper)
    feed(opt, p, grads[:4])
    saved = opt.state_dict()
    at_save = np.array(p.data)
    feed(opt, p, grads[4:])                         # the original continues ...

    q = param(at_save)                              # ... and so does a restored copy
    restored = cls([q], lr=123.0)                   # hyper-parameters come from the save
    restored.load_state_dict(saved)
    assert restored.param_groups[0]["lr"] == hyper["lr"]
    feed(restored, q, grads[4:])
    np.testing.assert_array_equal(np.array(q.data), np.array(p.data))


def test_state_dict_has_pytorchs_layout_and_holds_copies():
    a, b = Value(np.ones(2)), Value(np.ones(3))
    opt = Adam([{"params": [a]}, {"params": [b], "lr": 0.5}], lr=0.1)
    a.grad, b.grad = np.ones(2), np.ones(3)
    opt.step()
    sd = opt.state_dict()
    assert set(sd) == {"state", "param_groups"}
    assert [g["params"] for g in sd["param_groups"]] == [[0], [1]]
    assert sd["param_groups"][1]["lr"] == 0.5 and sd["param_groups"][0]["betas"] == (0.9, 0.999)
    assert set(sd["state"][0]) == {"step", "exp_avg", "exp_avg_sq"}
    assert sd["state"][0]["step"] == 1
    kept = sd["state"][0]["exp_avg"].copy()
    opt.step()                                      # the optimiser moves on ...
    np.testing.assert_array_equal(sd["state"][0]["exp_avg"], kept)   # ... the save does not
    sd["state"][1]["exp_avg"][:] = 99               # and editing the save changes nothing
    assert not np.any(opt.state[b]["exp_avg"] == 99)


def test_load_state_dict_explains_mismatches():
    a = Value(np.ones(2))
    sgd = SGD([a], lr=0.1, momentum=0.9)
    a.grad = np.ones(2)
    sgd.step()
    saved = sgd.state_dict()
    with pytest.raises(ValueError, match="another optimiser"):
        Adam([Value(np.ones(2))]).load_state_dict(saved)
    with pytest.raises(ValueError, match=r"shape \(2,\).*shape \(3,\)"):
        SGD([Value(np.ones(3))], momentum=0.9).load_state_dict(saved)
    with pytest.raises(ValueError, match=r"1 parameter group\(s\), this optimiser has 2"):
        SGD([{"params": [Value(np.ones(2))]}, {"params": [Value(np.ones(1))]}],
            momentum=0.9).load_state_dict(saved)
    with pytest.raises(ValueError, match=r"1 parameter\(s\), this one has 2"):
        SGD([Value(np.ones(2)), Value(np.ones(1))], momentum=0.9).load_state_dict(saved)
    with pytest.raises(ValueError, match="keys 'state' and 'param_groups'"):
        SGD([a]).load_state_dict({"momentum_buffer": 1})


def test_load_state_dict_casts_to_the_parameters_dtype():
    a = Value(np.ones(2))
    opt = Adam([a])
    a.grad = np.ones(2)
    opt.step()
    b = Value(np.ones(2, dtype=np.float32))
    other = Adam([b])
    other.load_state_dict(opt.state_dict())
    assert other.state[b]["exp_avg"].dtype == np.float32


# ---- Keras spellings, lr, binding ----------------------------------------------------------

def test_keras_spellings():
    p = [Value(np.ones(2))]
    assert SGD(p, learning_rate=0.1).param_groups[0]["lr"] == 0.1
    rms = RMSprop(p, learning_rate=0.001, rho=0.9, epsilon=1e-7)
    assert (rms.defaults["lr"], rms.defaults["alpha"], rms.defaults["eps"]) == (0.001, 0.9, 1e-7)
    adam = Adam(p, learning_rate=0.002, beta_1=0.8, beta_2=0.99, epsilon=1e-6)
    assert adam.defaults["betas"] == (0.8, 0.99) and adam.defaults["eps"] == 1e-6
    assert AdamW(p, beta_2=0.95).defaults["betas"] == (0.9, 0.95)


def test_keras_spelling_trains_like_the_pytorch_one():
    theta, grads = np.array([1.0, -1.0]), [np.array([0.3, -0.2])] * 4
    _, keras = run(Adam, theta, grads, learning_rate=0.05, beta_1=0.8, epsilon=1e-6)
    _, torch = run(Adam, theta, grads, lr=0.05, betas=(0.8, 0.999), eps=1e-6)
    assert_same_trajectory(keras, torch, rtol=0, atol=0)


def test_two_spellings_of_one_hyperparameter_are_an_error():
    with pytest.raises(TypeError, match="two spellings"):
        SGD(lr=0.5, learning_rate=0.1)
    with pytest.raises(TypeError, match="one spelling"):
        Adam(betas=(0.5, 0.5), beta_1=0.9)
    with pytest.raises(TypeError, match="unexpected argument 'decay'"):
        SGD(learning_rate=0.1, decay=1e-6)
    with pytest.raises(TypeError, match="unexpected argument 'rho'"):
        Adam(rho=0.9)


def test_lr_property_reads_and_writes_the_first_group():
    a, b = Value(np.ones(1)), Value(np.ones(1))
    opt = SGD([{"params": [a]}, {"params": [b], "lr": 0.5}], lr=0.1)
    assert opt.lr == opt.learning_rate == 0.1
    opt.learning_rate = 0.01                      # what a Keras callback does
    assert opt.param_groups[0]["lr"] == 0.01 and opt.param_groups[1]["lr"] == 0.5
    with pytest.raises(ValueError, match="lr"):
        opt.learning_rate = -1


def test_an_unbound_optimiser_is_bound_later():
    opt = SGD(learning_rate=0.1)                  # model.compile(optimizer=SGD(...))
    assert opt.param_groups == [] and "unbound" in repr(opt)
    opt.learning_rate = 0.2                       # a schedule before fit sets the default
    with pytest.raises(RuntimeError, match="bind"):
        opt.step()
    w = Value(np.array([1.0]))
    assert opt.bind([w]) is opt
    assert opt.param_groups[0]["lr"] == 0.2
    w.grad = np.ones(1)
    opt.step()
    np.testing.assert_allclose(w.data, [0.8])
    opt.bind([w])                                 # compiling again with the same params
    with pytest.raises(RuntimeError, match="already bound"):
        opt.bind([Value(np.ones(1))])


def test_bad_parameters_are_explained():
    with pytest.raises(TypeError, match="single Value"):
        SGD(Value(np.ones(2)))
    with pytest.raises(ValueError, match="empty parameter list"):
        SGD([])
    with pytest.raises(TypeError, match=r"parameter 1 is a ndarray"):
        SGD([Value(np.ones(2)), np.ones(2)])
    with pytest.raises(ValueError, match="appears twice"):
        w = Value(np.ones(2))
        SGD([w, w])
    with pytest.raises(ValueError, match="does not require grad"):
        SGD([Value(np.ones(2), requires_grad=False)])


BAD = [
    (SGD, dict(lr=-0.1), r"lr \(learning_rate\) must be a number >= 0, got -0.1"),
    (SGD, dict(learning_rate="0.1"), r"lr \(learning_rate\) must be a number >= 0, got '0.1'"),
    (SGD, dict(momentum=1.5), r"momentum must be a number in \[0, 1\], got 1.5"),
    (SGD, dict(dampening=-1), r"dampening must be a number in \[0, 1\], got -1"),
    (SGD, dict(weight_decay=-0.01), r"weight_decay must be a number >= 0, got -0.01"),
    (SGD, dict(nesterov=True), r"nesterov=True needs momentum > 0 and dampening = 0"),
    (SGD, dict(nesterov=True, momentum=0.9, dampening=0.1), r"dampening = 0"),
    (RMSprop, dict(alpha=1.0), r"alpha \(rho\) must be a number in \[0, 1\), got 1.0"),
    (RMSprop, dict(rho=-0.1), r"alpha \(rho\) must be a number in \[0, 1\), got -0.1"),
    (RMSprop, dict(eps=-1e-8), r"eps \(epsilon\) must be a number >= 0"),
    (RMSprop, dict(momentum=2), r"momentum must be a number in \[0, 1\]"),
    (Adam, dict(betas=(1.0, 0.999)),
     r"betas\[0\] \(beta_1\) must be a number in \[0, 1\), got 1.0"),
    (Adam, dict(beta_2=1.2), r"betas\[1\] \(beta_2\) must be a number in \[0, 1\), got 1.2"),
    (Adam, dict(betas=0.9), r"betas must be a pair"),
    (Adam, dict(epsilon=float("nan")), r"eps \(epsilon\) must be a number >= 0, got nan"),
    (AdamW, dict(weight_decay=-1), r"AdamW: weight_decay must be a number >= 0, got -1"),
]


@pytest.mark.parametrize("cls, kwargs, message", BAD, ids=[m[:30] for _, _, m in BAD])
def test_bad_hyperparameters_name_the_value_and_the_valid_range(cls, kwargs, message):
    with pytest.raises(ValueError, match=message):
        cls([Value(np.ones(2))], **kwargs)


def test_bad_hyperparameters_in_a_group_are_caught_too():
    with pytest.raises(ValueError, match="momentum"):
        SGD([{"params": [Value(np.ones(1))], "momentum": -0.5}])


def test_training_a_small_problem_with_every_optimiser_reduces_the_loss():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 3))
    y = X @ np.array([1.0, -2.0, 0.5]) + 0.3
    for cls, hyper in OPTIMISERS:
        if hyper.get("maximize"):
            continue
        w, b = Value(np.zeros(3)), Value(0.0)
        opt = cls([w, b], **{**hyper, "lr": 0.05})
        losses = []
        for _ in range(100):
            opt.zero_grad()
            loss = ((X @ w + b - y) ** 2).mean()
            loss.backward()
            opt.step()
            losses.append(loss.item())
        assert losses[-1] < 0.2 * losses[0], cls.__name__


@pytest.mark.parametrize("module", [optim.optimizer, optim.sgd, optim.rmsprop, optim.adam,
                                    optim.adamw, optim.lr_scheduler, optim])
def test_docstring_examples_run(module):
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


@given(st.floats(0.01, 0.5), st.floats(0.0, 0.99), st.integers(0, 2**16))
def test_the_slides_momentum_exactly_is_sgd_with_lr_times_one_minus_beta(alpha, beta, seed):
    """v = beta v + (1 - beta) grad from v = 0, w <- w - alpha v (the course's rule) is
    SGD(lr=alpha (1 - beta), momentum=beta), first step included."""
    gs = np.random.default_rng(seed).normal(size=(8, 3))
    w = Value(np.zeros(3))
    opt = optim.SGD([w], lr=alpha * (1 - beta), momentum=beta)
    v, expected = np.zeros(3), np.zeros(3)
    for g in gs:
        w.grad = g
        opt.step()
        v = beta * v + (1 - beta) * g
        expected = expected - alpha * v
        np.testing.assert_allclose(w.data, expected, rtol=1e-12, atol=1e-14)
