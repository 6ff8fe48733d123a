"""Value itself: construction, dtypes, printing, comparisons, errors a learner can act on."""

import numpy as np
import pytest

from autograd import Value, concatenate, detect_anomaly, stack, where


def test_python_numbers_and_lists_become_float64():
    assert type(Value(2).data) is float and Value(2).dtype == np.float64
    assert Value([1, 2, 3]).dtype == np.float64
    assert Value(np.array([1.0, 2.0], dtype=np.float32)).dtype == np.float32
    v = Value(np.float32(2.0))
    assert v.dtype == np.float32 and v.shape == ()


def test_float32_meets_python_numbers_as_weak_scalars():
    x32 = Value(np.ones(3, dtype=np.float32))
    for y in (x32 * 2.0, 2.0 * x32, x32 + 1, x32 / 3.0, x32 ** 2, 1.0 - x32, x32 * Value(2.0)):
        assert y.dtype == np.float32
    (x32 * 2.0).sum().backward()
    assert x32.grad.dtype == np.float32


def test_the_user_array_is_copied():
    a = np.ones(3)
    v = Value(a)
    v.data *= 5
    assert a[0] == 1.0


def test_integer_and_object_arrays_are_refused_with_a_reason():
    with pytest.raises(TypeError, match=r"dtype int64.*gradients need floats"):
        Value(np.arange(3))
    labels = Value(np.arange(3), requires_grad=False)      # fine as a constant
    assert labels.dtype == np.int64
    with pytest.raises(TypeError, match="numbers"):
        Value(np.array(["a", "b"]))
    with pytest.raises(ValueError, match="regular shape"):
        Value([[1.0, 2.0], [3.0]])


def test_scalar_prints_like_a_number_and_tensors_compactly():
    x = Value(2.0)
    y = x * -1.5
    y.backward()
    assert repr(x) == "Value(data=2.0, grad=-1.5)"
    assert repr(Value(1.0, label="w")) == "Value(data=1.0, grad=0.0, label='w')"
    r = repr(Value(np.zeros((3, 4), dtype=np.float32)))
    assert "shape=(3, 4)" in r and "float32" in r
    assert f"{Value(3.14159):.2f}" == "3.14"


def test_item_float_numpy_detach():
    v = Value(np.array([[2.5]]))
    assert v.item() == 2.5 and float(v) == 2.5
    with pytest.raises(ValueError, match="shape"):
        Value(np.ones(2)).item()
    n = v.numpy()
    n[0, 0] = 7
    assert v.item() == 2.5
    d = v.detach()
    assert d.data is v.data and not d.requires_grad and d.parents == ()


def test_comparisons_return_plain_booleans_and_record_nothing():
    x = Value(np.array([-1.0, 2.0]))
    m = x > 0
    assert isinstance(m, np.ndarray) and m.dtype == bool
    assert (Value(1.0) < 2.0) is True
    assert {x: 1}[x] == 1                       # hashable by identity


def test_numpy_array_on_the_left_defers_to_value():
    x = Value(np.array([1.0, 2.0]))
    y = np.array([3.0, 4.0]) * x
    assert isinstance(y, Value)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, [3.0, 4.0])
    z = np.ones((2, 2)) @ x
    assert isinstance(z, Value) and z.shape == (2,)


def test_reshape_transpose_and_indexing_forms():
    x = Value(np.arange(6.0).reshape(2, 3))
    assert x.reshape(3, 2).shape == x.reshape((3, 2)).shape == (3, 2)
    assert x.T.shape == (3, 2) and x.transpose(1, 0).shape == (3, 2)
    assert x[1].shape == (3,) and x[:, [0, 0, 2]].shape == (2, 3)
    assert x[Value(np.array([1, 1]), requires_grad=False)].shape == (2, 3)
    assert len(x) == 2 and [r.shape for r in x] == [(3,), (3,)]
    x[np.array([0, 0]), 1].sum().backward()
    np.testing.assert_array_equal(x.grad, [[0, 2, 0], [0, 0, 0]])   # repeated index adds


def test_functions_concatenate_stack_where():
    a, b = Value(np.ones(2)), Value(np.zeros(3))
    assert concatenate([a, b]).shape == (5,)
    assert stack([a, a * 2], axis=1).shape == (2, 2)
    x = Value(np.array([-1.0, 2.0]))
    y = where(x > 0, x, x * 0.1)
    y.sum().backward()
    np.testing.assert_allclose(x.grad, [0.1, 1.0])


def test_shape_mismatch_names_the_op_and_both_shapes():
    with pytest.raises(ValueError, match=r"add: .*\(2, 3\) and \(4,\)"):
        Value(np.ones((2, 3))) + Value(np.ones(4))
    with pytest.raises(ValueError, match=r"matmul: .*\(2, 3\) and \(4, 5\)"):
        Value(np.ones((2, 3))) @ Value(np.ones((4, 5)))


def test_backward_on_a_non_scalar_without_grad_names_the_shape():
    y = Value(np.ones((2, 3))) * 2
    with pytest.raises(ValueError, match=r"\(2, 3\)"):
        y.backward()
    y.backward(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"shape \(2, 3\), got shape \(3,\)"):
        y.backward(np.ones(3))


def test_index_with_float_array_is_refused():
    with pytest.raises(TypeError, match="integers or booleans"):
        Value(np.ones(3))[Value(np.array([0.0, 1.0]))]


def test_detect_anomaly_names_the_op_the_shapes_and_the_line():
    x = Value(np.array([1.0, 0.0]))
    with detect_anomaly(), pytest.raises(FloatingPointError) as e:
        y = x.log()  # the line the message points at
    msg = str(e.value)
    assert "log" in msg and "-inf" in msg and "(2,)" in msg
    assert "test_value.py" in msg and "the line the message points at" in msg

    w = Value(np.array([0.0, 1.0]))
    with detect_anomaly():
        y = w.sqrt()                # forward is finite: sqrt(0) = 0 ...
        with pytest.raises(FloatingPointError, match=r"derivative rule of sqrt.*backward"):
            y.sum().backward()      # ... but its derivative 1/(2 sqrt(0)) is inf


def test_math_errors_on_floats_give_numpy_results():
    """The scalar path uses math, which raises where numpy returns inf/nan."""
    with np.errstate(all="ignore"):
        assert Value(0.0).log().data == -np.inf
        assert Value(1.0) / 0.0 == np.inf
        assert np.isnan((Value(-8.0) ** (1 / 3)).data)
        assert Value(1000.0).exp().data == np.inf


def test_detect_anomaly_names_a_notebook_cell_as_ipython_does(monkeypatch):
    """In Jupyter a cell runs from a temporary file; the message says "Cell In[n]"."""
    import sys
    import types
    here = sys._getframe().f_code.co_filename
    compiler = types.SimpleNamespace(_filename_map={here: 7})
    shell = types.SimpleNamespace(compile=compiler)
    monkeypatch.setitem(sys.modules, "IPython",
                        types.SimpleNamespace(get_ipython=lambda: shell))
    with detect_anomaly(), pytest.raises(FloatingPointError, match=r"Cell In\[7\], line \d+"):
        Value(0.0).log()


def test_one_name_scope_object_entered_again_before_it_exits():
    # a scope object kept in a variable and entered again (a recursive function)
    from autograd import name_scope
    scope = name_scope("tree")
    with scope:
        outer = Value(1.0) * 2
        with scope:
            inner = Value(1.0) * 2
        after = Value(1.0) * 2
    last = Value(1.0) * 2
    assert (outer.scope, inner.scope, after.scope, last.scope) == \
        ("tree", "tree/tree", "tree", "")


def test_a_recursive_layer_names_its_nested_calls():
    import nn

    class Tree(nn.layers.Layer):
        def call(self, x, depth=2):
            y = x * 2
            return self(y, depth=depth - 1) if depth else y

    tree = Tree(name="tree")
    y = tree(Value(np.ones((1, 2))))
    scopes = []
    node = y
    while node.parents:
        scopes.append(node.scope)
        node = node.parents[0]
    assert scopes == ["tree/tree/tree", "tree/tree", "tree"]
    assert Value(1.0).scope == ""


@pytest.mark.parametrize("constant", [np.array([[1.0, 2.0]]), [[1.0, 2.0]], 3, np.float64(3.0)])
def test_apply_keeps_a_constant_raw_and_parents_gives_its_value(constant):
    # apply() stores a constant operand as raw data (no Value made while training);
    # `parents` makes its Value on first look, in the node's scope, and keeps it
    from autograd import name_scope
    from autograd.op import REGISTRY
    from autograd.value import apply
    x = Value(np.array([[4.0, -1.0]]))
    with name_scope("layer"):
        y = apply(REGISTRY["maximum"], x, constant)
    first = y.parents
    assert first[0] is x and type(first[1]) is Value and not first[1].requires_grad
    assert first[1].scope == "layer" and y.parents[1] is first[1]
    np.testing.assert_array_equal(first[1].data, np.asarray(constant, dtype=float))
    if isinstance(constant, np.ndarray):
        assert first[1].data is constant        # an array is its own data: no copy
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, (x.data > np.asarray(constant)).astype(float))


def test_an_op_error_names_the_shapes_of_raw_constants_too():
    with pytest.raises(ValueError, match=r"\(2, 2\) and \(3,\)"):
        Value(np.ones((2, 2))) + np.ones(3)
    from autograd.op import REGISTRY
    from autograd.value import apply
    with pytest.raises(ValueError, match=r"\(2, 2\) and \(3,\)"):
        apply(REGISTRY["maximum"], Value(np.ones((2, 2))), np.ones(3))
