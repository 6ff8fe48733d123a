"""draw_graph, backward_steps and draw_backward_steps, checked on the structure of the DOT
they produce (parsed back here), not only on calls returning."""

import contextlib
import html
import math
import os
import re
import shutil
import subprocess
import sys
import traceback

import graphviz
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import (
    Step,
    Value,
    backward_steps,
    draw_backward_steps,
    draw_graph,
    name_scope,
    no_grad,
)
from autograd.backward import backward_order
from autograd.draw.dot import GraphvizNotFound
from autograd.draw.labels import HIGHLIGHT_FILL, number
from nn.scalar import MLP

HAS_DOT = shutil.which("dot") is not None
needs_dot = pytest.mark.skipif(not HAS_DOT, reason="Graphviz's dot program is not installed "
                               "(make test installs it when run as root)")


# ---- reading DOT back ----------------------------------------------------------------------

_ATTR = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|<|[^\s\]]+)')


def _attrs(text: str) -> dict:
    """key=value pairs of a DOT attribute list; HTML values (<...>) by balanced brackets."""
    out, i = {}, 0
    while True:
        m = _ATTR.search(text, i)
        if not m:
            return out
        key, value = m.group(1), m.group(2)
        if value == "<":
            depth, j = 0, m.start(2)
            while True:
                depth += {"<": 1, ">": -1}.get(text[j], 0)
                j += 1
                if depth == 0:
                    break
            value, i = text[m.start(2):j], j
        else:
            i = m.end()
            if value.startswith('"'):
                value = value[1:-1].replace('\\"', '"')
        out[key] = value


def _text(label: str) -> str:
    """The visible text of a label: tags dropped, entities decoded, spaces squeezed."""
    if label.startswith("<") and label.endswith(">"):
        label = label[1:-1]
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", label)).split())


class Dot:
    """Nodes, edges and cluster nesting of a DOT source."""

    def __init__(self, source: str):
        self.nodes, self.edges, self.cluster_of, self.clusters = {}, [], {}, {}
        stack = []                              # labels of the open clusters
        for line in source.splitlines()[1:]:
            s = line.strip()
            if m := re.fullmatch(r"subgraph (\w+) \{", s):
                stack.append(m.group(1))
                self.clusters[m.group(1)] = {"path": None}
            elif s == "}":
                if stack:
                    stack.pop()
            elif m := re.fullmatch(r"(\w+) -> (\w+)(?: \[(.*)\])?", s):
                self.edges.append((m.group(1), m.group(2), _attrs(m.group(3) or "")))
            elif m := re.fullmatch(r"(\w+) \[(.*)\]", s):
                if m.group(1) in ("graph", "node", "edge"):
                    if m.group(1) == "graph" and not stack:
                        self.graph = _attrs(m.group(2))
                    continue
                self.nodes[m.group(1)] = _attrs(m.group(2))
                self.cluster_of[m.group(1)] = tuple(self.clusters[c]["label"] for c in stack)
            elif stack and re.match(r"\w+=", s):
                self.clusters[stack[-1]].update(_attrs(s))

    def text(self, node: str) -> str:
        return _text(self.nodes[node].get("label", node))

    def values(self):
        return [n for n in self.nodes if n.startswith("v")]

    def ops(self):
        return [n for n in self.nodes if n.startswith("op")]

    def boxes(self):
        return [n for n in self.nodes if n.startswith("box") or n == "rest"]

    def find(self, label: str) -> str:
        """The one value node whose record starts with ``label``."""
        hits = [n for n in self.values() if self.text(n).split(" ")[0] == label]
        assert len(hits) == 1, f"{label!r} drawn {len(hits)} times"
        return hits[0]

    def into(self, node: str):
        return [(t, a) for t, h, a in self.edges if h == node]

    def out_of(self, node: str):
        return [h for t, h, _ in self.edges if t == node]


def _graph_values(root):
    """Every Value of root's graph, found independently of the drawing code."""
    seen, stack = {id(root): root}, [root]
    while stack:
        for p in stack.pop().parents:
            if id(p) not in seen:
                seen[id(p)] = p
                stack.append(p)
    return list(seen.values())


# ---- random expressions with reuse ---------------------------------------------------------

UNARY = {"tanh": Value.tanh, "sin": Value.sin, "sigmoid": Value.sigmoid,
         "neg": Value.__neg__, "square": lambda v: v ** 2}
BINARY = {"add": Value.__add__, "sub": Value.__sub__, "mul": Value.__mul__}


@st.composite
def programs(draw):
    """Leaves' data, and a list of ops picking their arguments among earlier nodes (the
    same one twice is allowed: a * a) or a constant."""
    leaves = draw(st.lists(st.floats(-2, 2, allow_nan=False), min_size=1, max_size=3))
    steps = []
    for k in range(draw(st.integers(1, 8))):
        n = len(leaves) + k
        if draw(st.booleans()):
            steps.append((draw(st.sampled_from(sorted(UNARY))), draw(st.integers(0, n - 1))))
        else:
            a = draw(st.integers(0, n - 1))
            b = draw(st.one_of(st.integers(0, n - 1), st.sampled_from([0.5, 2.0])))
            steps.append((draw(st.sampled_from(sorted(BINARY))), a, b))
    return leaves, steps


def build(program):
    """The program's graph, every Value labelled n0, n1 ... (constants stay unlabelled)."""
    leaves, steps = program
    nodes = [Value(x, label=f"n{i}") for i, x in enumerate(leaves)]
    for op, *args in steps:
        if op in UNARY:
            v = UNARY[op](nodes[args[0]])
        else:
            a, b = args
            v = BINARY[op](nodes[a], nodes[b] if isinstance(b, int) else b)
        v.label = f"n{len(nodes)}"
        nodes.append(v)
    return nodes[-1]


# ---- draw_graph: structure -----------------------------------------------------------------

@given(programs())
def test_every_value_and_op_appears_once_and_edges_follow_the_data_flow(program):
    root = build(program)
    root.backward()
    dot = Dot(draw_graph(root).source)
    values = _graph_values(root)
    assert len(dot.values()) == len(values)
    assert len(dot.ops()) == sum(1 for v in values if v.parents)
    for v in values:
        if not v.parents:
            continue
        vid = dot.find(v.label)
        (op,) = [t for t, _ in dot.into(vid)]      # one op makes each Value ...
        assert op.startswith("op") and dot.out_of(op) == [vid]    # ... and feeds only it
        assert dot.text(op) == {"add": "+", "sub": "a − b", "mul": "×", "tanh": "tanh",
                                "sin": "sin", "sigmoid": "sigmoid", "neg": "−",
                                "power": "^"}[v.op]
        expected = []
        roles = {"sub": ("a", "b"), "power": ("base", "exponent")}.get(v.op, ("", ""))
        for i, p in enumerate(v.parents):
            if p.label:
                tail = dot.find(p.label)
            else:                                  # a constant: small, feeding this op only
                (tail,) = [t for t, _ in dot.into(op) if dot.nodes[t]["shape"] == "plaintext"]
                assert dot.text(tail) == f"{p.data:g}" and dot.out_of(tail) == [op]
            expected.append((tail, roles[i]))
        drawn = [(t, a.get("label", "")) for t, a in dot.into(op)]
        assert sorted(drawn) == sorted(expected)   # a * a: two edges; a - b: in order
    assert len(dot.edges) == sum(1 + len(v.parents) for v in values if v.parents)


def test_a_times_a_draws_two_edges_and_the_op_once():
    a = Value(3.0, label="a")
    y = a * a
    dot = Dot(draw_graph(y).source)
    (op,) = dot.ops()
    assert [t for t, _ in dot.into(op)] == [dot.find("a")] * 2
    assert dot.text(op) == "×"


@pytest.mark.parametrize("make, symbol", [
    (lambda a, b: a - b, "a − b"),
    (lambda a, b: a / b, "a / b"),
    (lambda a, b: a @ b, "a @ b"),
])
def test_argument_order_is_drawn(make, symbol):
    def roles(y):
        dot = Dot(draw_graph(y).source)
        (op,) = dot.ops()
        assert dot.text(op) == symbol
        return {dot.text(t).split()[0]: a.get("label") for t, a in dot.into(op)}

    shape = (2, 2) if symbol == "a @ b" else ()
    p = Value(np.full(shape, 3.0) if shape else 3.0, label="p")
    q = Value(np.full(shape, 2.0) if shape else 2.0, label="q")
    assert roles(make(p, q)) == {"p": "a", "q": "b"}
    assert roles(make(q, p)) == {"q": "a", "p": "b"}


def test_power_labels_base_and_exponent():
    x = Value(2.0, label="x")
    dot = Dot(draw_graph(x ** 3).source)
    (op,) = dot.ops()
    roles = {dot.text(t): a["label"] for t, a in dot.into(op)}
    assert roles == {"x data 2.0000 grad": "base", "3": "exponent"}


def test_course_example_shows_labels_data_and_grads():
    x = Value(2.0, label="x")
    y = (x ** 2).sin().exp()
    y.label = "f"
    y.backward()
    dot = Dot(draw_graph(y).source)
    expected = {"x": (2.0, math.exp(math.sin(4.0)) * math.cos(4.0) * 4.0),
                "f": (math.exp(math.sin(4.0)), 1.0)}
    for name, (data, grad) in expected.items():
        assert dot.text(dot.find(name)) == f"{name} data {number(data)} grad {number(grad)}"
    assert sorted(dot.text(o) for o in dot.ops()) == ["^", "exp", "sin"]
    # the chain x -> ^ -> sin -> exp -> f, in data-flow direction
    node = dot.find("x")
    for op in ("^", "sin", "exp"):
        (nxt,) = [h for h in dot.out_of(node) if h.startswith("op")]
        assert dot.text(nxt) == op
        (node,) = dot.out_of(nxt)
    assert node == dot.find("f")


def test_grads_blank_before_backward_and_hidden_with_show_grad_false():
    x = Value(2.0, label="x")
    y = x * 3.0
    before = Dot(draw_graph(y).source)
    assert before.text(before.find("x")) == "x data 2.0000 grad"
    y.backward()
    after = Dot(draw_graph(y).source)
    assert after.text(after.find("x")) == "x data 2.0000 grad 3.0000"
    hidden = Dot(draw_graph(y, show_grad=False).source)
    assert "grad" not in " ".join(hidden.text(n) for n in hidden.nodes)


def test_constants_are_drawn_small_and_inputs_without_grad():
    x = Value(2.0, label="x")
    t = Value(1.0, requires_grad=False, label="t")
    dot = Dot(draw_graph(x * 0.5 - t).source)
    (const,) = [n for n in dot.values() if dot.text(n) == "0.5"]
    assert dot.nodes[const]["shape"] == "plaintext"
    assert float(dot.nodes[const]["fontsize"]) < 11
    assert dot.text(dot.find("t")) == "t data 1.0000"       # an input: no grad to show


def test_tensors_show_shape_dtype_values_or_statistics():
    small = Value(np.array([[1.0, 2.0], [3.0, 4.0]], np.float32), label="W")
    big = Value(np.arange(100, dtype=np.float64).reshape(10, 10), label="X")
    y = (small.sum() + big.mean())
    y.backward()
    dot = Dot(draw_graph(y).source)
    w = dot.text(dot.find("W"))
    assert "(2, 2) float32" in w and "[[1. 2.] [3. 4.]]" in w and "grad [[1. 1.] [1. 1.]]" in w
    xtext = dot.text(dot.find("X"))
    assert "(10, 10) float64" in xtext and "mean 49.5" in xtext and "max 99" in xtext
    assert "std 0" in xtext                                  # its grad: 0.01 everywhere


def test_highlight_marks_exactly_the_given_nodes():
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    y = a * b + a
    for highlight in ([b], ["b"], b):
        dot = Dot(draw_graph(y, highlight=highlight).source)
        lit = [n for n in dot.nodes if HIGHLIGHT_FILL in dot.nodes[n].get("label", "")]
        assert lit == [dot.find("b")]


def test_rankdir_and_format():
    y = Value(1.0, label="a") * 2
    g = draw_graph(y, rankdir="TB", format="png")
    assert Dot(g.source).graph["rankdir"] == "TB" and g.format == "png"
    assert isinstance(g, graphviz.Digraph)


@pytest.mark.parametrize("kwargs, error, words", [
    ({"rankdir": "up"}, ValueError, "LR"),
    ({"format": "gif-ish"}, ValueError, "svg"),
    ({"max_nodes": 2}, ValueError, "at least 3"),
    ({"highlight": [3]}, TypeError, "Values or labels"),
])
def test_bad_arguments_say_what_was_expected(kwargs, error, words):
    with pytest.raises(error, match=words):
        draw_graph(Value(1.0) * 2, **kwargs)
    with pytest.raises(TypeError, match="needs a Value"):
        draw_graph([1.0, 2.0])


def test_values_made_under_no_grad_are_leaves_in_the_drawing():
    x = Value(2.0, label="x")
    with no_grad():
        c = x * 2
    c.label = "c"
    dot = Dot(draw_graph(c * x).source)
    assert len(dot.ops()) == 1 and dot.into(dot.find("c")) == []


# ---- clusters --------------------------------------------------------------------------------

def test_nested_scopes_draw_as_nested_labelled_clusters():
    x = Value(1.0, label="x")
    with name_scope("hidden"):
        w = Value(0.5, label="w")
        with name_scope("neuron0"):
            z = x * w
            z.label = "z"
        h = z.tanh()
        h.label = "h"
    y = h + 1
    dot = Dot(draw_graph(y).source)
    assert dot.cluster_of[dot.find("x")] == ()
    assert dot.cluster_of[dot.find("w")] == ("hidden",)
    assert dot.cluster_of[dot.find("z")] == ("hidden", "neuron0")
    (mul,) = [o for o in dot.ops() if dot.text(o) == "×"]
    assert dot.cluster_of[mul] == ("hidden", "neuron0")      # an op sits with its result
    assert dot.cluster_of[dot.find("h")] == ("hidden",)


def test_a_scalar_mlp_draws_clusters_by_layer_and_neuron():
    net = MLP(2, [3, 1], seed=0)
    y = net([0.5, -1.0])
    dot = Dot(draw_graph(y).source)
    clusters = {dot.cluster_of[n] for n in dot.nodes}
    assert {("layer0", f"neuron{j}") for j in range(3)} <= clusters
    assert ("layer1", "neuron0") in clusters
    for layer, neurons in (("layer0", 3), ("layer1", 1)):
        for j in range(neurons):
            w0 = [n for n in dot.values() if dot.text(n).startswith("w0 ")
                  and dot.cluster_of[n] == (layer, f"neuron{j}")]
            assert len(w0) == 1


# ---- collapsing past max_nodes ----------------------------------------------------------------

def _hidden_count(dot, box):
    return int(re.search(r"(\d+) nodes", dot.text(box)).group(1))


def _assert_acyclic(dot):
    users = {}
    indeg = {n: 0 for n in dot.nodes}
    for t, h, _ in dot.edges:
        users.setdefault(t, []).append(h)
        indeg[h] += 1
    ready = [n for n, d in indeg.items() if d == 0]
    seen = 0
    while ready:
        n = ready.pop()
        seen += 1
        for h in users.get(n, ()):
            indeg[h] -= 1
            if indeg[h] == 0:
                ready.append(h)
    assert seen == len(dot.nodes), "the drawn graph has a cycle"


def micrograd_demo_loss(n_points=4, seed=0):
    """micrograd's demo: 2-16-16-1 relu MLP, max-margin loss + L2, on a few points."""
    rng = np.random.default_rng(seed)
    X, y = rng.normal(size=(n_points, 2)), rng.choice([-1.0, 1.0], n_points)
    model = MLP(2, [16, 16, 1], activation="relu", seed=1)
    scores = [model(list(xi)) for xi in X]
    losses = [(1 + -yi * si).relu() for yi, si in zip(y.tolist(), scores, strict=True)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = 1e-4 * sum(p * p for p in model.parameters())
    return data_loss + reg_loss


@pytest.mark.parametrize("max_nodes", [60, 300])
def test_mlp_loss_collapses_scopes_into_boxes_with_counts(max_nodes):
    loss = micrograd_demo_loss()
    loss.label = "loss"
    loss.backward()
    values = _graph_values(loss)
    total = len(values) + sum(1 for v in values if v.parents)
    dot = Dot(draw_graph(loss, max_nodes=max_nodes).source)
    assert total > 5000 and len(dot.nodes) <= max_nodes
    boxes = dot.boxes()
    drawn_plain = len(dot.nodes) - len(boxes)
    assert drawn_plain + sum(_hidden_count(dot, b) for b in boxes) == total
    # one box per neuron, inside its layer's cluster; the far remainder in one more
    names = sorted((dot.cluster_of[b], dot.text(b).split()[0]) for b in boxes if b != "rest")
    assert names == sorted([(("layer0",), f"neuron{j}") for j in range(16)]
                           + [(("layer1",), f"neuron{j}") for j in range(16)]
                           + [(("layer2",), "neuron0")])
    assert "rest" in boxes and "far from the output" in dot.text("rest")
    assert dot.find("loss") in dot.nodes                   # the root is always drawn
    assert str(total) in dot.graph["label"]                 # the caption says what is hidden
    _assert_acyclic(dot)


def test_a_long_unscoped_chain_keeps_the_nodes_near_the_root():
    x = Value(0.1, label="x")
    y = x
    for i in range(400):
        y = (y * 0.99 + 0.01)
        y.label = f"s{i}"
    dot = Dot(draw_graph(y, max_nodes=90).source)
    assert len(dot.nodes) <= 90
    (rest,) = dot.boxes()
    kept = [int(dot.text(n).split()[0][1:]) for n in dot.values()
            if dot.text(n).startswith("s")]
    assert 399 in kept and min(kept) > 300                 # the nodes near the root stay
    values = len(_graph_values(y))
    assert len(dot.nodes) - 1 + _hidden_count(dot, rest) == values + 800
    _assert_acyclic(dot)


SCOPES = ["", "a", "a/x", "a/y", "b", "b/x"]


@given(programs(), st.lists(st.sampled_from(SCOPES), min_size=8, max_size=8),
       st.integers(3, 30))
def test_collapsing_keeps_every_node_accounted_for_within_max_nodes(program, scopes, limit):
    leaves, steps = program
    nodes = [Value(x, label=f"n{i}") for i, x in enumerate(leaves)]
    for k, (op, *args) in enumerate(steps):                 # each op in a random scope
        with contextlib.ExitStack() as stack:
            for part in filter(None, scopes[k].split("/")):
                stack.enter_context(name_scope(part))
            if op in UNARY:
                v = UNARY[op](nodes[args[0]])
            else:
                a, b = args
                v = BINARY[op](nodes[a], nodes[b] if isinstance(b, int) else b)
        v.label = f"n{len(nodes)}"
        nodes.append(v)
    root = nodes[-1]
    values = _graph_values(root)
    total = len(values) + sum(1 for v in values if v.parents)
    dot = Dot(draw_graph(root, max_nodes=limit).source)
    boxes = dot.boxes()
    assert len(dot.nodes) <= limit
    assert len(dot.nodes) - len(boxes) + sum(_hidden_count(dot, b) for b in boxes) == total
    assert dot.find(root.label)                             # the root is always drawn
    if total <= limit:
        assert boxes == []
    for v in values:                                        # drawn ones in their scope's cluster
        hits = [n for n in dot.values() if dot.text(n).split(" ")[0] == v.label] \
            if v.label else []
        if hits and v is not root:
            assert dot.cluster_of[hits[0]] == tuple(filter(None, v.scope.split("/")))


def test_too_many_scopes_for_boxes_fall_back_to_the_far_box():
    x = Value(1.0, label="x")
    y = x
    for i in range(60):
        with name_scope(f"block{i}"):
            y = (y * 0.5).tanh()
    dot = Dot(draw_graph(y, max_nodes=30).source)
    assert len(dot.nodes) <= 30 and "rest" in dot.boxes()
    assert any(n.startswith("op") for n in dot.nodes)       # the nodes near the root stay


def test_small_graphs_are_not_collapsed():
    net = MLP(2, [3, 1], seed=0)
    y = net([0.5, -1.0])
    dot = Dot(draw_graph(y).source)
    assert dot.boxes() == [] and "label" not in dot.graph


# ---- rendering -------------------------------------------------------------------------------

@needs_dot
def test_svg_and_png_render(tmp_path):
    x = Value(2.0, label="x")
    y = (x ** 2).sin().exp()
    y.backward()
    g = draw_graph(y)
    svg = html.unescape(g.pipe(format="svg", encoding="utf-8"))
    assert "<svg" in svg and ">-1.2267<" in svg and ">grad<" in svg
    path = g.render(tmp_path / "graph", format="png", cleanup=True)
    with open(path, "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"
    assert "image/svg+xml" in g._repr_mimebundle_()


def test_missing_dot_gives_one_message_on_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))              # no dot on this PATH
    g = draw_graph(Value(2.0, label="x") * 3)
    assert "x" in g.source                                 # the DOT text needs no Graphviz
    for render in (lambda: g.pipe(format="svg"),
                   lambda: g.render(tmp_path / "out", format="png"),
                   lambda: g._repr_mimebundle_()):
        with pytest.raises(GraphvizNotFound) as info:
            render()
        err = info.value
        assert isinstance(err, graphviz.ExecutableNotFound)
        message = str(err)
        for how in ("apt-get install graphviz", "brew install graphviz",
                    "conda install -c conda-forge graphviz", ".source"):
            assert how in message
        printed = "".join(traceback.format_exception(err))
        assert err.__suppress_context__ and "graphviz/backend" not in printed
        assert printed.count("Traceback") == 1


def test_importing_autograd_does_not_import_graphviz():
    code = "import sys, autograd; assert 'graphviz' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=os.getcwd())


# ---- backward, step by step ------------------------------------------------------------------

def _grads_equal(a, b):
    np.testing.assert_array_equal(np.asarray(a), np.asarray(b))


@given(programs())
def test_steps_replay_backward_in_reverse_topological_order(program):
    root = build(program)
    steps = backward_steps(root)
    values = _graph_values(root)
    assert not any(v.has_grad for v in values)             # nothing touched .grad
    needing = [v for v in values if v.requires_grad]
    assert len(steps) == len(needing)                      # one frame per node with a grad
    assert {id(s.node) for s in steps} == {id(v) for v in needing}
    assert steps[0].node is root and steps[0].grad == 1.0
    position = {id(s.node): i for i, s in enumerate(steps)}
    for i, s in enumerate(steps):                          # each node after all its users
        assert all(position[id(p)] > i for p in s.node.parents if p.requires_grad)
        assert len(s.grads_so_far) == i + 1
        assert list(s.grads_so_far) == [t.node for t in steps[:i + 1]]
        assert s.grads_so_far[s.node] is s.grad
    assert [s.node for s in steps] == backward_order(root)
    root.backward()
    final = steps[-1].grads_so_far
    for v in needing:
        _grads_equal(final[v], v.grad)


def test_steps_of_the_course_example():
    x = Value(2.0, label="x")
    y = (x ** 2).sin().exp()
    steps = backward_steps(y)
    assert [s.node.op or s.node.label for s in steps] == ["exp", "sin", "power", "x"]
    assert all(isinstance(s, Step) for s in steps)
    assert steps[1].grad == pytest.approx(math.exp(math.sin(4.0)))
    assert steps[-1].grad == pytest.approx(math.exp(math.sin(4.0)) * math.cos(4.0) * 4.0)
    assert x not in steps[1].grads_so_far and x in steps[-1].grads_so_far


def test_steps_leave_existing_grads_alone_and_take_a_seed():
    w = Value(np.array([1.0, 2.0]), label="w")
    y = w * 3.0
    (w * w).sum().backward()
    before = w.grad.copy()
    steps = backward_steps(y, grad=np.array([1.0, -1.0]))
    np.testing.assert_array_equal(w.grad, before)
    _grads_equal(steps[-1].grad, [3.0, -3.0])
    with pytest.raises(ValueError, match="shape"):
        backward_steps(y)
    with pytest.raises(RuntimeError, match="requires grad"):
        backward_steps(Value(1.0, requires_grad=False) * 2)


@given(programs())
def test_draw_backward_steps_highlights_each_node_and_fills_grads_so_far(program):
    root = build(program)
    steps = backward_steps(root)
    frames = draw_backward_steps(root)
    assert len(frames) == len(steps)
    for k, (frame, step) in enumerate(zip(frames, steps, strict=True)):
        dot = Dot(frame.source)
        lit = [n for n in dot.nodes if HIGHLIGHT_FILL in dot.nodes[n].get("label", "")]
        assert lit == [dot.find(step.node.label)]
        assert f"step {k + 1} of {len(steps)}" in dot.graph["label"]
        for v in _graph_values(root):
            if not v.label:
                continue
            text = dot.text(dot.find(v.label))
            if v in step.grads_so_far:
                assert text.endswith(f"grad {number(step.grads_so_far[v])}")
            elif v.requires_grad:
                assert text.endswith("grad")               # not known yet: blank
    assert not any(v.has_grad for v in _graph_values(root))


def test_draw_backward_steps_rejects_unknown_arguments():
    with pytest.raises(TypeError, match="draw_graph"):
        draw_backward_steps(Value(1.0) * 2, colour="red")
