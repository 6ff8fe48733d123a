"""The README's Python examples run as written (with the data they refer to supplied)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

import nn

README = Path(__file__).resolve().parent.parent / "README.md"


def test_every_python_block_of_the_readme_runs(tmp_path, monkeypatch, capsys):
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)
    assert len(blocks) >= 4
    monkeypatch.chdir(tmp_path)                     # model.save("miModelo") lands here
    nn.set_random_seed(0)
    X, y = nn.data.load_iris()
    digits, labels = nn.data.load_digits()
    namespace = {"nn": nn, "np": np, "X": X, "T": nn.data.one_hot(y),
                 "X_train": digits[:300], "T_train": nn.data.one_hot(labels[:300])}
    for block in blocks:
        code = block.replace("epochs=100", "epochs=3").replace("epochs=60", "epochs=2")
        exec(compile(code, "README.md", "exec"), namespace)
    out = capsys.readouterr().out
    assert "-1.2267" in out or "-1.226" in out      # the engine example's printed gradient
    assert "(3, 4)" in out
    assert (tmp_path / "miModelo").exists()
