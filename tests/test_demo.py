"""``make demo`` runs ``nn.demo.main``: here with fewer epochs, into a temporary folder."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
from nn import demo

pytest.importorskip("sklearn")
pytest.importorskip("matplotlib")


def test_demo_trains_prints_and_writes_its_pictures(tmp_path, capsys):
    result = demo.main(out_dir=str(tmp_path), epochs=8)
    out = capsys.readouterr().out
    assert 'Model: "sequential"' in out and "Epoch 8/8" in out and "━" in out
    assert f"test accuracy: {result['test_accuracy']:.4f}" in out
    assert "confusion matrix" in out
    matrix = result["confusion_matrix"]
    assert matrix.shape == (10, 10) and matrix.sum() == 450           # a quarter of 1797
    assert np.trace(matrix) / matrix.sum() == pytest.approx(result["test_accuracy"])
    assert result["test_accuracy"] > 0.85                              # 8 epochs only
    assert len(result["history"]["val_loss"]) == 8

    png = (tmp_path / "curves.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000


def test_demo_draws_the_neuron(tmp_path):
    if not hasattr(autograd, "draw_graph"):
        pytest.skip("autograd.draw_graph is not merged yet (branch draw)")
    path = demo.draw_neuron(str(tmp_path / "neuron.svg"))
    if path is None:
        pytest.skip("Graphviz's dot program is not installed")
    svg = (tmp_path / "neuron.svg").read_text()
    assert "<svg" in svg and "tanh" in svg
    for label in ("x1", "w1", "x2", "w2", "b", "grad"):
        assert label in svg
