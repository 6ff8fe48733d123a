"""Module: parameter discovery, train/eval, state dicts, penalties and weight files."""

import os

import numpy as np
import pytest

import nn
from autograd import Value


class Leaf(nn.Module):
    def __init__(self, n=2):
        super().__init__()
        self.w = Value(np.arange(n, dtype=np.float64))
        self.b = Value(0.5)

    def forward(self, x):
        return (x * self.w).sum() + self.b


class Tree(nn.Module):
    def __init__(self):
        super().__init__()
        self.first = Leaf()
        self.blocks = [Leaf(), (Leaf(3),)]
        self.heads = {"a": Leaf(), "b": Value(np.ones(4))}
        self.stats = Value(np.zeros(2), requires_grad=False)      # state, not a parameter
        self._scratch = [Value(np.ones(1))]                       # private: not searched
        self.note = "text"

    def forward(self, x):
        return self.first(x) + self.blocks[0](x)


def test_discovery_through_attributes_lists_tuples_and_dicts():
    names = [n for n, _ in Tree().named_parameters()]
    assert names == ["first.w", "first.b", "blocks.0.w", "blocks.0.b", "blocks.1.0.w",
                     "blocks.1.0.b", "heads.a.w", "heads.a.b", "heads.b"]


def test_state_is_saved_but_not_a_parameter():
    t = Tree()
    assert all(p is not t.stats for p in t.parameters())
    assert [n for n, _ in t.named_buffers()] == ["stats"]
    assert "stats" in t.state_dict()
    assert "_scratch.0" not in t.state_dict()


def test_a_shared_value_is_listed_once():
    m = nn.Module()
    v = Value(np.ones(3))
    m.a, m.b = v, [v]
    assert m.parameters() == [v]


def test_a_module_that_refers_to_itself_does_not_loop():
    m = Leaf()
    m.again = m
    assert len(m.parameters()) == 2
    assert len(list(m.modules())) == 1


def test_call_goes_to_forward_and_forward_is_required():
    assert Leaf()(np.array([1.0, 1.0])).item() == pytest.approx(1.5)
    with pytest.raises(NotImplementedError, match="forward"):
        nn.Module()(1.0)


def test_zero_grad_resets_every_parameter():
    t = Tree()
    t(np.array([1.0, 2.0])).backward()
    assert t.first.w.has_grad
    t.zero_grad()
    assert not any(p.has_grad for p in t.parameters())


def test_train_and_eval_switch_every_module_below():
    t = Tree()
    assert all(m.training for m in t.modules())
    assert t.eval() is t
    assert not any(m.training for m in t.modules())
    t.train()
    assert t.heads["a"].training and t.blocks[1][0].training


def test_state_dict_returns_copies():
    t = Tree()
    sd = t.state_dict()
    sd["first.w"][:] = 99.0
    assert t.first.w.data[0] == 0.0


def test_load_state_dict_copies_in():
    a, b = Tree(), Tree()
    sd = {k: v + 1.0 for k, v in a.state_dict().items()}
    b.load_state_dict(sd)
    np.testing.assert_array_equal(b.heads["b"].data, np.full(4, 2.0))
    assert b.first.b.data == 1.5
    sd["heads.b"][:] = -7.0                  # changing the source afterwards changes nothing
    assert b.heads["b"].data[0] == 2.0


def test_load_state_dict_names_missing_and_unexpected_keys_and_changes_nothing():
    t = Tree()
    sd = t.state_dict()
    sd.pop("first.w")
    sd["extra.kernel"] = np.ones(2)
    sd["heads.b"] = sd["heads.b"] + 5
    with pytest.raises(ValueError) as e:
        t.load_state_dict(sd)
    assert "first.w" in str(e.value) and "extra.kernel" in str(e.value)
    assert t.heads["b"].data[0] == 1.0
    t.load_state_dict(sd, strict=False)      # skip the mismatched keys, load the rest
    assert t.heads["b"].data[0] == 6.0


def test_load_state_dict_names_mismatched_shapes():
    t = Tree()
    sd = t.state_dict()
    sd["blocks.1.0.w"] = np.ones(5)
    with pytest.raises(ValueError, match=r"blocks\.1\.0\.w.*\(5,\).*\(3,\)"):
        t.load_state_dict(sd)


def test_get_and_set_weights_in_state_dict_order():
    t = Tree()
    ws = t.get_weights()
    assert [w.shape for w in ws] == [v.shape for v in t.state_dict().values()]
    t.set_weights([w * 0 + 3 for w in ws])
    assert all(np.all(w == 3) for w in t.get_weights())
    with pytest.raises(ValueError, match="got 1 arrays"):
        t.set_weights(ws[:1])
    bad = list(ws)
    bad[0] = np.ones(7)
    with pytest.raises(ValueError, match=r"first.w"):
        t.set_weights(bad)


def test_repr_is_nested_like_pytorch():
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.hidden = nn.Linear(4, 8)
            self.blocks = [nn.Dropout(0.1)]

    text = repr(Net())
    assert text.splitlines()[0] == "Net("
    assert "(hidden): Linear(in_features=4, out_features=8, bias=True)" in text
    assert "(blocks.0): Dropout(" in text
    assert text.endswith(")")


def test_losses_collects_the_penalties_of_every_layer():
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.a = nn.Dense(3, kernel_regularizer=nn.regularizers.l2(0.1), input_dim=2)
            self.b = [nn.Dense(1, kernel_regularizer=nn.regularizers.l1(0.2), input_dim=3)]

    net = Net()
    ka, kb = net.a.kernel.data.astype(np.float64), net.b[0].kernel.data.astype(np.float64)
    values = [p.item() for p in net.losses]
    assert values == pytest.approx([0.1 * (ka ** 2).sum(), 0.2 * np.abs(kb).sum()], rel=1e-5)
    sum(net.losses).backward()            # the PyTorch-style loop: loss = ce + sum(model.losses)
    np.testing.assert_allclose(net.a.kernel.grad, 2 * 0.1 * ka, rtol=1e-5)
    np.testing.assert_allclose(net.b[0].kernel.grad, 0.2 * np.sign(kb), rtol=1e-5)
    assert nn.Module().losses == []


def test_save_and_load_weights_round_trip_at_the_exact_path(tmp_path):
    a, b = Tree(), Tree()
    a.set_weights([w + 1.5 for w in a.get_weights()])
    path = tmp_path / "miModelo"                  # no extension, as on the slides
    a.save_weights(path)
    assert os.listdir(tmp_path) == ["miModelo"]
    b.load_weights(path)
    for x, y in zip(a.get_weights(), b.get_weights(), strict=True):
        np.testing.assert_array_equal(x, y)


def test_load_weights_into_other_shapes_names_the_file(tmp_path):
    path = tmp_path / "w.npz"
    nn.Linear(3, 2).save_weights(path)
    with pytest.raises(ValueError, match=r"w\.npz.*kernel"):
        nn.Linear(4, 2).load_weights(path)
    with pytest.raises(FileNotFoundError):
        nn.Linear(3, 2).load_weights(tmp_path / "nothing.npz")


def test_scalar_values_load_as_numbers():
    a, b = Leaf(), Leaf()
    a.b.data = 4.25
    b.load_state_dict(a.state_dict())
    assert b.b.data == 4.25 and isinstance(b.b.data, float)
