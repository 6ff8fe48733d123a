"""The notebooks as committed: structure, outputs, the SEEDS mapping, and the slides'
numbers (recomputed here with the library and looked up in the saved outputs).
Executing them is nbmake's job (pytest collects notebooks/*.ipynb)."""

from __future__ import annotations

import math
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

import nn

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def _read(path):
    return nbformat.read(path, as_version=4)


def _headings(nb) -> list[str]:
    return [line for c in nb.cells if c.cell_type == "markdown"
            for line in c.source.splitlines() if line.startswith("## ")]


def _outputs(nb) -> str:
    text = []
    for c in nb.cells:
        for o in c.get("outputs", []):
            text.append(o.get("text", "") or o.get("data", {}).get("text/plain", ""))
    return "\n".join(text)


def test_there_are_twelve_notebooks_numbered_in_teaching_order():
    assert [p.name[:2] for p in PATHS] == [f"{i:02d}" for i in range(1, 13)]


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_each_notebook_opens_with_its_goals_and_ends_with_exercises_then_solutions(path):
    nb = _read(path)
    assert "What you will see" in nb.cells[0].source
    heads = _headings(nb)
    assert "## Exercises" in heads and "## Solutions" in heads
    assert heads.index("## Exercises") < heads.index("## Solutions")


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_each_notebook_is_committed_executed_without_errors(path):
    code = [c for c in _read(path).cells if c.cell_type == "code"]
    assert code and all(c.execution_count is not None for c in code)
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]


def test_the_readme_maps_every_notebook_and_each_row_points_at_a_real_section():
    readme = (NOTEBOOKS / "README.md").read_text()
    for p in PATHS:
        assert f"({p.name})" in readme, f"{p.name} is not listed in notebooks/README.md"
    rows = [line for line in readme.splitlines() if re.match(r"\| .+ \| \d\d_\w+ \| .+ \|$", line)]
    assert len(rows) > 80
    headings = {p.stem: _headings(_read(p)) for p in PATHS}
    for row in rows:
        _item, notebook, section = (c.strip() for c in re.split(r"(?<!\\)\|", row[1:-1]))
        assert notebook in headings, f"unknown notebook in: {row}"
        for number in re.findall(r"(?:^|; )(\d+)\.", section):
            assert any(h.startswith(f"## {number}.") for h in headings[notebook]), \
                f"{notebook} has no section {number}: {row}"


def test_the_slides_numbers_are_in_the_notebooks_outputs():
    out = {p.stem[:2]: _outputs(_read(p)) for p in PATHS}
    # -ln 0.4 for the three-class row (0.3, 0.3, 0.4) against (0, 0, 1)
    cce = nn.losses.categorical_crossentropy(np.array([[0, 0, 1.0]]),
                                             np.array([[0.3, 0.3, 0.4]])).item()
    assert round(cce, 4) == round(-math.log(0.4), 4) == 0.9163
    assert "0.9163" in out["05"]
    # the two binary predictors of the slides, against the labels (1, 1, 0)
    for preds in ((0.6, 0.55, 0.6), (0.8, 0.9, 0.55)):
        j = nn.losses.binary_crossentropy(np.array([1, 1, 0.0]), np.array(preds)).item()
        assert f"{j:.4f}" in out["03"]
    # 4 -> 2 -> 3: 10 + 9 = 19 parameters, in the summary printed by notebook 08
    model = nn.Sequential([nn.Input(shape=[4]), nn.Dense(2, activation="tanh"),
                           nn.Dense(3, activation="softmax")])
    assert model.count_params() == 19
    assert "Total params: 19" in out["08"]
