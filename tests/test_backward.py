"""The backward pass: accumulation, reuse (fan-out), ordering, what gets a gradient."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Value, backward_order, gradcheck, no_grad, topological_order
from autograd.testing import arrays, shapes

# ---- random composite graphs with reuse -----------------------------------------------------

UNARY = {
    "tanh": lambda v: v.tanh(),
    "sin": lambda v: v.sin(),
    "sigmoid": lambda v: v.sigmoid(),
    "square": lambda v: v * v,          # the same node twice: two edges
    "scale": lambda v: 0.7 * v,
    "neg": lambda v: -v,
}
BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / (1.5 + b * b),
}


@st.composite
def programs(draw, n_inputs):
    """A random straight-line program over n inputs; later steps may reuse any earlier
    node any number of times, so gradients must accumulate over several paths."""
    steps = []
    for k in range(draw(st.integers(1, 10))):
        available = n_inputs + k
        if draw(st.booleans()):
            steps.append((draw(st.sampled_from(sorted(UNARY))),
                          draw(st.integers(0, available - 1))))
        else:
            steps.append((draw(st.sampled_from(sorted(BINARY))),
                          draw(st.integers(0, available - 1)),
                          draw(st.integers(0, available - 1))))
    outputs = draw(st.lists(st.integers(0, n_inputs + len(steps) - 1), min_size=1,
                            max_size=4))
    return steps, outputs


def run(program, xs):
    steps, outputs = program
    nodes = list(xs)
    for step in steps:
        if len(step) == 2:
            nodes.append(UNARY[step[0]](nodes[step[1]]))
        else:
            nodes.append(BINARY[step[0]](nodes[step[1]], nodes[step[2]]))
    total = nodes[outputs[0]] * 1.0
    for i in outputs[1:]:
        total = total + nodes[i]
    return total.sum() if total.size != 1 else total


@given(st.data())
def test_random_graphs_with_reuse_match_finite_differences_on_arrays(data):
    shape_a, shape_b = data.draw(st.sampled_from([((3,), (3,)), ((2, 3), (3,)),
                                                  ((2, 1), (1, 3)), ((), (2,))]))
    xa = data.draw(arrays(shape_a, low=-1.5, high=1.5))
    xb = data.draw(arrays(shape_b, low=-1.5, high=1.5))
    program = data.draw(programs(2))
    assert gradcheck(lambda a, b: run(program, [a, b]), xa, xb)


@given(programs(3), st.lists(st.floats(-1.5, 1.5), min_size=3, max_size=3))
def test_random_graphs_with_reuse_match_finite_differences_on_scalars(program, xs):
    """The scalar path (Python floats through math) obeys the same rules."""
    vals = [Value(x) for x in xs]
    out = run(program, vals)
    out.backward()
    eps = 1e-6
    for i in range(len(xs)):
        hi = run(program, [Value(v + eps * (j == i)) for j, v in enumerate(xs)]).item()
        lo = run(program, [Value(v - eps * (j == i)) for j, v in enumerate(xs)]).item()
        assert vals[i].grad == pytest.approx((hi - lo) / (2 * eps), rel=1e-4, abs=1e-6)
        assert type(vals[i].grad) is float


def test_scalars_and_arrays_give_the_same_numbers():
    xs = [0.3, -1.2, 2.0]
    def f(a, b, c):
        return ((a * b).tanh() + (c / (1 + a * a)).sin() * b).sigmoid() - a ** 3
    sv = [Value(x) for x in xs]
    av = [Value(np.array(x)) for x in xs]
    f(*sv).backward()
    f(*av).backward()
    for s, a in zip(sv, av, strict=True):
        assert s.grad == pytest.approx(float(a.grad), rel=1e-12)


# ---- accumulation and the micrograd double-count bug --------------------------------------

def test_reuse_b_equals_a_plus_a():
    a = Value(3.0)
    b = a + a
    c = b + b
    c.backward()
    assert a.grad == 4.0 and b.grad == 2.0 and c.grad == 1.0


def test_a_times_a_has_two_edges_in_argument_order():
    a = Value(3.0)
    y = a * a
    assert y.parents == (a, a)
    y.backward()
    assert a.grad == 6.0
    x, z = Value(5.0), Value(2.0)
    assert (x - z).parents == (x, z) and (z - x).parents == (z, x)


def test_two_backward_calls_give_leaves_twice_the_gradient():
    rng = np.random.default_rng(0)
    w = Value(rng.normal(size=(3, 2)))
    x = Value(rng.normal(size=(4, 3)), requires_grad=False)
    h = (x @ w).tanh()
    loss = (h * h).sum()
    loss.backward()
    once_w, once_h = np.array(w.grad), np.array(h.grad)
    loss.backward()
    np.testing.assert_array_equal(w.grad, 2 * once_w)       # leaves accumulate exactly
    np.testing.assert_array_equal(h.grad, once_h)           # intermediates show one pass
    w.zero_grad()
    loss.backward()
    np.testing.assert_array_equal(w.grad, once_w)


def test_second_pass_does_not_double_count_through_intermediates():
    """micrograd's issue #53: an intermediate's stale gradient must not flow again."""
    x = Value(2.0)
    y = x * 3.0
    z = y * y
    z.backward()
    z.backward()
    assert x.grad == 2 * (2 * 6.0 * 3.0)


def test_backward_through_a_subgraph_root_then_whole():
    x = Value(1.5)
    y = x.exp()
    z = y * 2.0
    y.backward()
    assert x.grad == pytest.approx(math.exp(1.5))
    z.backward()
    assert x.grad == pytest.approx(3 * math.exp(1.5))


def test_grad_reads_as_zeros_of_the_right_shape_before_backward():
    v = Value(np.ones((2, 3), dtype=np.float32))
    assert np.asarray(v.grad).shape == (2, 3) and v.grad.dtype == np.float32
    assert Value(1.0).grad == 0.0 and not Value(1.0).has_grad


@given(shapes().flatmap(lambda s: arrays(s)))
def test_gradients_always_have_the_inputs_shape(x):
    v = Value(x)
    w = Value(np.ones((1,) * x.ndim + (2,)))
    (v.reshape(*x.shape, 1) * w).sum().backward()
    assert np.asarray(v.grad).shape == x.shape
    assert np.asarray(w.grad).shape == w.shape


# ---- what gets a gradient --------------------------------------------------------------------

def test_only_nodes_on_a_path_to_a_leaf_that_requires_grad_get_gradients():
    w = Value(2.0)
    c = Value(5.0, requires_grad=False)
    k = c * 3.0                   # constants only: no gradient computed
    y = w * k + c
    y.backward()
    assert w.grad == 15.0
    assert not c.has_grad and not k.has_grad
    assert k not in set(topological_order(y))


def test_detach_and_requires_grad_false_stop_the_gradient():
    x = Value(3.0)
    y = x * x
    z = y.detach() * x            # d/dx = y (treated as a constant)
    z.backward()
    assert x.grad == 9.0
    assert z.parents[0].requires_grad is False


def test_no_grad_records_nothing_and_enable_grad_records_again():
    w = Value(1.0)
    with no_grad():
        y = w * 2
        from autograd import enable_grad
        with enable_grad():
            z = w * 3
    assert y.parents == () and not y.requires_grad
    assert z.parents[0] is w and z.requires_grad
    with pytest.raises(RuntimeError, match="does not"):
        y.backward()


def test_order_visits_each_node_after_all_its_users():
    a = Value(1.0)
    b = a * 2
    c = b + a
    d = c * b
    order = backward_order(d)
    assert order[0] is d and order[-1] is a
    position = {id(n): i for i, n in enumerate(order)}
    for n in order:
        for p in n.parents:
            if p.requires_grad:
                assert position[id(p)] > position[id(n)]
    assert len(order) == len({id(n) for n in order}) == 4


def _kahn_order(root):
    """The reference order: Kahn's algorithm on ``parents``, last-ready first (what
    backward_order computes, written plainly with dicts)."""
    users, seen, stack = {}, {id(root)}, [root]
    while stack:
        for p in stack.pop().parents:
            if p.requires_grad:
                users[id(p)] = users.get(id(p), 0) + 1
                if id(p) not in seen:
                    seen.add(id(p))
                    stack.append(p)
    order, ready = [root], [root]
    while ready:
        for p in ready.pop().parents:
            if p.requires_grad:
                users[id(p)] -= 1
                if users[id(p)] == 0:
                    order.append(p)
                    ready.append(p)
    return order


@st.composite
def trees(draw):
    """A random expression over 4 inputs in which every node is used once (an MLP step's
    shape: no weight shared), built as Values."""
    pool = [Value(float(i) + 0.5) for i in range(4)]
    for _ in range(draw(st.integers(0, 8))):
        if len(pool) > 1 and draw(st.booleans()):
            a = pool.pop(draw(st.integers(0, len(pool) - 1)))
            b = pool.pop(draw(st.integers(0, len(pool) - 1)))
            pool.append(BINARY[draw(st.sampled_from(sorted(BINARY)))](a, b))
        else:
            a = pool.pop(draw(st.integers(0, len(pool) - 1)))
            pool.append(UNARY[draw(st.sampled_from(["tanh", "scale", "neg"]))](a))
    total = pool[0]
    for v in pool[1:]:
        total = total + v
    return total


@given(st.one_of(trees(), programs(3).map(lambda p: run(p, [Value(0.3), Value(-0.8),
                                                             Value(1.1)]))))
def test_the_order_is_kahns_with_and_without_shared_nodes(root):
    # (without shared nodes backward_order stops after its first walk: the same order)
    assert [id(v) for v in backward_order(root)] == [id(v) for v in _kahn_order(root)]


def test_a_chain_of_a_million_ops_runs_forward_and_backward():
    """No recursion limit: the order is computed iteratively."""
    x = Value(0.5)
    y = x
    for _ in range(500_000):
        y = (y * 0.999999).sin()
    y.backward()
    assert len(backward_order(y)) == 1_000_001
    assert 0 < x.grad < 1


def test_kink_conventions():
    x = Value(np.array([0.0, 0.0, 1.0, 1.0]))
    x.relu().sum().backward()
    np.testing.assert_array_equal(x.grad, [0, 0, 1, 1])      # relu'(0) = 0
    x.zero_grad()
    x.abs().sum().backward()
    np.testing.assert_array_equal(x.grad, [0, 0, 1, 1])      # abs'(0) = 0
    x.zero_grad()
    x.max().backward()
    np.testing.assert_array_equal(x.grad, [0, 0, 0.5, 0.5])  # ties split evenly
    x.zero_grad()
    x.leaky_relu().sum().backward()
    np.testing.assert_allclose(x.grad, [0.01, 0.01, 1, 1])   # leaky_relu'(0) = slope
    x.zero_grad()
    x.clip(0.0, 1.0).sum().backward()
    np.testing.assert_array_equal(x.grad, [1, 1, 1, 1])      # closed interval
    a, b = Value(2.0), Value(2.0)
    from autograd import maximum
    maximum(a, b).backward()
    assert a.grad == b.grad == 0.5
    s = Value(0.0)
    s.step().backward()
    assert s.step().item() == 1.0 and s.grad == 0.0          # step(0) = 1, derivative 0


# ---- singular points: scalars behave as arrays do ------------------------------------------

@pytest.mark.parametrize("x", [0.0, 2.0, -1.5])
def test_x_to_the_zero_has_a_zero_derivative_everywhere(x):
    s = Value(x)
    (s ** 0).backward()
    a = Value(np.array([x]))
    with np.errstate(all="raise"), warnings.catch_warnings():
        warnings.simplefilter("error")            # no 0^-1 computed behind the mask
        (a ** 0).sum().backward()
    assert s.grad == 0.0 and a.grad.tolist() == [0.0]


@pytest.mark.parametrize("f", [lambda v: v.log(), lambda v: v.sqrt(), lambda v: 1.0 / v,
                               lambda v: v ** 0.5, lambda v: v ** -1.0],
                         ids=["log", "sqrt", "reciprocal", "pow-half", "pow-minus-one"])
def test_a_scalar_at_a_singular_point_gets_what_an_array_gets(f):
    # math raises ZeroDivisionError / ValueError where numpy gives inf or nan; the
    # backward pass of a scalar graph must not crash there
    with np.errstate(all="ignore"):          # (the suite raises on them otherwise)
        s = Value(0.0)
        f(s).backward()
        a = Value(np.array([0.0]))
        f(a).sum().backward()
    assert type(s.grad) is float
    np.testing.assert_array_equal(np.array([s.grad]), a.grad)
