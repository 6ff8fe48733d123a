"""Weight/model files: round trips, hostile and broken files (which must raise ValueError
naming the file and run nothing), and the atomic write."""

import os
import pickle
import zipfile

import numpy as np
import pytest

import nn
from nn import serialization as S


def _write_real(path):
    S.write_file(path, {"dense.kernel": np.arange(6.0).reshape(2, 3),
                        "dense.bias": np.ones(3, np.float32)},
                 {"kind": "model", "layers": [{"class_name": "Dense", "units": 3}]})


def test_round_trip_of_arrays_and_document(tmp_path):
    path = tmp_path / "modelo"
    _write_real(path)
    assert os.listdir(tmp_path) == ["modelo"]              # exactly the path, no .npz added
    arrays, doc = S.read_file(path)
    assert list(arrays) == ["dense.kernel", "dense.bias"]
    assert arrays["dense.bias"].dtype == np.float32
    np.testing.assert_array_equal(arrays["dense.kernel"], np.arange(6.0).reshape(2, 3))
    assert doc == {"kind": "model", "layers": [{"class_name": "Dense", "units": 3}]}


def test_a_missing_file_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        S.read_file(tmp_path / "nothing")


# ---- hostile and broken files -----------------------------------------------------------------

class _Payload:
    """Unpickling this would create a marker file: the proof that code ran."""

    marker = ""

    def __reduce__(self):
        return (open, (self.marker, "w"))


def _assert_refused(path, marker=None):
    with pytest.raises(ValueError) as e:
        S.read_file(path)
    assert str(path) in str(e.value)
    if marker is not None:
        assert not os.path.exists(marker), "loading the file ran code"
    return str(e.value)


def test_an_npz_with_an_object_array_is_refused_without_unpickling(tmp_path):
    marker = tmp_path / "pwned"
    _Payload.marker = str(marker)
    path = tmp_path / "evil.npz"
    with open(path, "wb") as f:
        np.savez(f, kernel=np.array([_Payload()], dtype=object), __gradiente__=np.array(
            '{"format": "gradiente", "version": 1, "arrays": ["kernel"], "document": {}}'))
    _assert_refused(path, marker)


def test_a_pickle_file_renamed_is_refused_without_unpickling(tmp_path):
    marker = tmp_path / "pwned"
    _Payload.marker = str(marker)
    path = tmp_path / "weights.npz"
    path.write_bytes(pickle.dumps({"kernel": _Payload()}))
    _assert_refused(path, marker)


def test_random_bytes_are_refused(tmp_path):
    path = tmp_path / "noise.npz"
    path.write_bytes(np.random.default_rng(0).bytes(2000))
    _assert_refused(path)


def test_an_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty"
    path.write_bytes(b"")
    _assert_refused(path)


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.9, 0.99])
def test_a_truncated_copy_of_a_real_file_is_refused(tmp_path, keep):
    real = tmp_path / "real"
    _write_real(real)
    data = real.read_bytes()
    cut = tmp_path / "cut"
    cut.write_bytes(data[:int(len(data) * keep)])
    _assert_refused(cut)


def test_a_corrupted_member_is_refused(tmp_path):
    real = tmp_path / "real"
    _write_real(real)
    data = bytearray(real.read_bytes())
    i = data.index(b"\x93NUMPY") + 128 + 8                # past the .npy header, in the data
    data[i] ^= 0xFF
    bad = tmp_path / "bad"
    bad.write_bytes(bytes(data))
    _assert_refused(bad)


def test_numpy_files_that_are_not_ours_are_refused(tmp_path):
    npy = tmp_path / "a.npy"
    np.save(npy, np.ones(3))
    assert "single .npy" in _assert_refused(npy)
    plain = tmp_path / "plain.npz"
    np.savez(plain, kernel=np.ones(3))
    assert "no gradiente header" in _assert_refused(plain)
    foreign = tmp_path / "foreign.npz"
    np.savez(foreign, kernel=np.ones(3), __gradiente__=np.array('{"format": "other"}'))
    _assert_refused(foreign)
    liar = tmp_path / "liar.npz"
    np.savez(liar, kernel=np.ones(3), __gradiente__=np.array(
        '{"format": "gradiente", "version": 1, "arrays": ["kernel", "bias"], "document": {}}'))
    assert "listed" in _assert_refused(liar)
    text = tmp_path / "text.npz"
    np.savez(text, kernel=np.array(["a", "b"]), __gradiente__=np.array(
        '{"format": "gradiente", "version": 1, "arrays": ["kernel"], "document": {}}'))
    assert "not numbers" in _assert_refused(text)
    plain_zip = tmp_path / "plain.zip"
    with zipfile.ZipFile(plain_zip, "w") as z:
        z.writestr("hello.txt", "hi")
    _assert_refused(plain_zip)


# ---- the atomic write -------------------------------------------------------------------

def _crash(*args, **kwargs):
    raise OSError("disk full (simulated)")


@pytest.mark.parametrize("where", ["savez", "replace"])
def test_a_crash_mid_write_leaves_the_previous_file_and_no_temp_file(tmp_path, monkeypatch,
                                                                    where):
    path = tmp_path / "w.npz"
    _write_real(path)
    before = path.read_bytes()
    if where == "savez":
        monkeypatch.setattr(np, "savez", _crash)
    else:
        monkeypatch.setattr(os, "replace", _crash)
    with pytest.raises(OSError, match="simulated"):
        S.write_file(path, {"dense.kernel": np.zeros((9, 9))}, {"kind": "weights"})
    monkeypatch.undo()
    assert os.listdir(tmp_path) == ["w.npz"]
    assert path.read_bytes() == before
    arrays, _ = S.read_file(path)
    assert arrays["dense.kernel"].shape == (2, 3)


def test_bad_input_fails_before_any_file_is_touched(tmp_path):
    path = tmp_path / "w"
    with pytest.raises(TypeError):
        S.write_file(path, {"k": np.ones(2)}, {"bad": object()})      # not JSON
    with pytest.raises(ValueError, match="numeric"):
        S.write_file(path, {"k": np.array(["text"])})
    with pytest.raises(ValueError, match="reserved"):
        S.write_file(path, {"__gradiente__": np.ones(1)})
    assert os.listdir(tmp_path) == []


def test_overwriting_keeps_the_usual_file_permissions(tmp_path):
    path = tmp_path / "w"
    _write_real(path)
    mask = os.umask(0)
    os.umask(mask)
    assert os.stat(path).st_mode & 0o777 == 0o666 & ~mask


def test_model_weights_through_save_weights(tmp_path):
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.hidden = nn.Dense(4, activation="relu", input_dim=3)
            self.bn = nn.BatchNormalization(input_shape=[4])
            self.out = nn.Linear(4, 2)

        def forward(self, x):
            return self.out(self.bn(self.hidden(x)))

    a, b = Net(), Net()
    a(np.random.default_rng(0).normal(size=(8, 3)))       # moves the moving statistics
    a.save_weights(tmp_path / "net")
    b.load_weights(tmp_path / "net")
    x = np.random.default_rng(1).normal(size=(5, 3))
    a.eval(), b.eval()
    np.testing.assert_array_equal(a(x).data, b(x).data)
    np.testing.assert_array_equal(b.bn.moving_mean.data, a.bn.moving_mean.data)
