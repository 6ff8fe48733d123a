"""The benchmark peers compute the same thing: on tiny cases, every available peer's step
gives the loss, gradients and updated weights of the hand-written numpy one (no timing
here; speed is measured by ``make bench``). Peers not installed in the test environment
(torch, micrograd, MyGrad come with ``.[bench]``) are skipped with the reason."""

import importlib
import importlib.util
import shutil
from dataclasses import replace

import numpy as np
import pytest

from benchmarks import gradiente_peer, numpy_peer
from benchmarks import workloads as W


def _peer(name):
    dist = {"torch": "torch", "mygrad": "mygrad", "micrograd": "micrograd"}.get(name)
    if dist and importlib.util.find_spec(dist) is None:
        pytest.skip(f"{dist} is not installed (it comes with .[bench], used by make bench)")
    return importlib.import_module(f"benchmarks.{name}_peer")


TENSOR_PEERS = ["gradiente", "torch", "mygrad"]
# tiny versions of T1-T3: same activations and optimisers, small sizes
TINY = {name: replace(spec, sizes=(5, 7, 4, 3)[: len(spec.sizes)] if len(spec.sizes) == 3
                      else (5, 7, 6, 3), batch=6, n_batches=2)
        for name, spec in W.MLP_SPECS.items()}


@pytest.mark.parametrize("workload", sorted(TINY))
@pytest.mark.parametrize("peer_name", TENSOR_PEERS)
def test_mlp_step_matches_hand_written_numpy(peer_name, workload):
    peer = _peer(peer_name)
    spec = TINY[workload]
    weights = W.mlp_weights(spec, seed=3)
    batches = W.mlp_batches(spec, seed=4)
    ref, other = numpy_peer.MLP(spec, weights), peer.MLP(spec, weights)
    x, y = batches[0]
    loss_ref, grads_ref = ref.loss_and_grads(x, y)
    loss, grads = other.loss_and_grads(x, y)
    assert loss == pytest.approx(loss_ref, rel=1e-5)
    assert len(grads) == len(grads_ref)
    for g, g_ref in zip(grads, grads_ref, strict=True):
        assert g.shape == g_ref.shape and g.dtype == np.float32
        np.testing.assert_allclose(g, g_ref, rtol=1e-4, atol=1e-6)
    # a few optimiser steps land on the same weights (so the optimisers agree too)
    for k in range(3):
        a, b = ref.step(*batches[k % 2]), other.step(*batches[k % 2])
        assert b == pytest.approx(a, rel=1e-5)
    for (w, bias), (w_ref, bias_ref) in zip(other.weights(), ref.weights(), strict=True):
        np.testing.assert_allclose(w, w_ref, rtol=1e-4, atol=1e-6)
        np.testing.assert_allclose(bias, bias_ref, rtol=1e-4, atol=1e-6)


def test_hand_written_gradients_match_finite_differences():
    """The reference itself: its hand-written backward against central differences."""
    spec = replace(TINY["T2"], sizes=(3, 4, 2))
    model = numpy_peer.MLP(spec, [(w.astype(np.float64), b.astype(np.float64))
                                  for w, b in W.mlp_weights(spec, seed=5)])
    x, y = W.mlp_batches(spec, seed=6)[0]
    x = x.astype(np.float64)
    _, grads = model.loss_and_grads(x, y)
    eps = 1e-6
    for p, g in zip(model.params, grads, strict=True):
        flat, numeric = p.reshape(-1), np.zeros(p.size)
        for j in range(p.size):
            old = flat[j]
            flat[j] = old + eps
            hi = model.loss_and_grads(x, y)[0]
            flat[j] = old - eps
            lo = model.loss_and_grads(x, y)[0]
            flat[j] = old
            numeric[j] = (hi - lo) / (2 * eps)
        np.testing.assert_allclose(g.reshape(-1), numeric, rtol=1e-4, atol=1e-7)


@pytest.mark.parametrize("peer_name", TENSOR_PEERS)
def test_elementwise_chain_matches_hand_written_numpy(peer_name):
    peer = _peer(peer_name)
    x = W.e1_input(size=50, seed=7)
    value_ref, grad_ref = numpy_peer.elementwise(x, W.E1_OPS)
    value, grad = peer.elementwise(x, W.E1_OPS)
    assert value == pytest.approx(value_ref, rel=1e-5)
    np.testing.assert_allclose(np.asarray(grad), grad_ref, rtol=1e-4, atol=1e-6)


def test_elementwise_reference_matches_finite_differences():
    x = W.e1_input(size=6, seed=8).astype(np.float64)
    _, grad = numpy_peer.elementwise(x, W.E1_OPS)
    eps = 1e-6
    for j in range(x.size):
        hi, lo = x.copy(), x.copy()
        hi[j] += eps
        lo[j] -= eps
        numeric = (numpy_peer.elementwise(hi, W.E1_OPS)[0]
                   - numpy_peer.elementwise(lo, W.E1_OPS)[0]) / (2 * eps)
        assert grad[j] == pytest.approx(numeric, rel=1e-4, abs=1e-7)


@pytest.mark.parametrize("peer_name", ["gradiente", "micrograd"])
def test_scalar_demo_matches_a_hand_written_mlp(peer_name):
    """S1's loss and gradients, against the same MLP written with numpy by hand."""
    peer = _peer(peer_name)
    x, y = W.moons(n=8, seed=2)
    weights = W.s1_weights(seed=3)
    loss, grads = peer.ScalarMLP(weights).loss_and_grads(x, y)
    ref_loss, ref_grads = _scalar_mlp_by_hand(weights, x, y)
    assert loss == pytest.approx(ref_loss, rel=1e-12)
    np.testing.assert_allclose(grads, ref_grads, rtol=1e-9, atol=1e-12)


def test_scalar_demo_losses_equal_micrograd_for_identical_weights():
    micrograd_peer = _peer("micrograd")
    x, y = W.moons(n=20, seed=4)
    ours, theirs = gradiente_peer.ScalarMLP(W.s1_weights()), micrograd_peer.ScalarMLP(
        W.s1_weights())
    for _ in range(3):
        assert ours.step(x, y) == pytest.approx(theirs.step(x, y), rel=1e-12, abs=1e-15)


def _scalar_mlp_by_hand(weights, x, y):
    """micrograd's demo loss and its gradient (in parameter order: per neuron w..., b)."""
    ws = [np.array(w) for w, _ in weights]
    bs = [np.array(b) for _, b in weights]
    hs, zs = [x], []
    for i in range(len(ws)):
        z = hs[-1] @ ws[i].T + bs[i]
        zs.append(z)
        hs.append(np.maximum(z, 0) if i < len(ws) - 1 else z)
    score = hs[-1][:, 0]
    margin = 1 - y * score
    n = len(y)
    loss = np.maximum(margin, 0).sum() / n + W.S1_ALPHA * sum((w * w).sum() + (b * b).sum()
                                                             for w, b in zip(ws, bs, strict=True))
    g = ((margin > 0) * -y / n)[:, None]
    grads = [None] * len(ws)
    for i in reversed(range(len(ws))):
        gw = g.T @ hs[i] + 2 * W.S1_ALPHA * ws[i]
        gb = g.sum(axis=0) + 2 * W.S1_ALPHA * bs[i]
        grads[i] = np.concatenate([gw, gb[:, None]], axis=1).reshape(-1)
        if i:
            g = (g @ ws[i]) * (zs[i - 1] > 0)
    return loss, np.concatenate(grads)


@pytest.mark.parametrize("peer_name", ["gradiente", "torch"])
@pytest.mark.parametrize("n", [1, 2, 7, 3000])
def test_chain_matches_the_plain_loop(peer_name, n):
    peer = _peer(peer_name)
    value, derivative = peer.chain(n)
    ref_value, ref_derivative = W.s2_expected(n)
    assert value == pytest.approx(ref_value, rel=1e-12)
    assert derivative == pytest.approx(ref_derivative, rel=1e-12)
    assert numpy_peer.chain(n) == pytest.approx((ref_value, ref_derivative), rel=1e-12)


def test_the_runner_tables_and_chart_from_a_tiny_run(tmp_path):
    """The runner's tables and chart, from a real (tiny) interleaved run of two peers."""
    pytest.importorskip("matplotlib")
    from benchmarks import run
    plan = {"T1": (("numpy", "gradiente", "numpy-kept"), 3, 1),
            "S2:1000": (("numpy", "gradiente"), 1, 0)}
    results = run.measure(plan, threads=1, rounds=2)
    assert len(results["T1"]["gradiente"]["times"]) == 6
    assert len(results["T1"]["numpy-kept"]["times"]) == 6
    table = run.tensor_table(results)
    assert any("| numpy |" in row for row in table)
    row, = (r for r in table if "| gradiente |" in r)
    assert row.count("x |") >= 2            # × numpy, and × numpy with the same allocator
    for peer in ("numpy", "torch", "micrograd"):    # peers absent from the plan: empty cells
        results["S2:1000"].setdefault(peer, {"times": [], "losses": [], "error": None})
    assert "10^3" in "\n".join(run.chain_table(results))
    run.chart(results, tmp_path / "ratios.png")
    assert (tmp_path / "ratios.png").read_bytes()[:4] == b"\x89PNG"


def test_the_profile_report_names_where_gradiente_spends_its_time():
    from benchmarks import profile
    lines = profile.report("T1", steps=20, top=5, repeats=2)
    assert lines[1].startswith("best time per step: numpy ")
    assert "Python-level calls per step: numpy" in lines[2]
    assert len(lines) == 4 + 5 and all(" calls  " in row for row in lines[4:])


def test_step_times_are_taken_over_the_quieter_half_of_the_turns():
    from benchmarks import run
    slot = {"times": [1, 1, 10, 10, 2, 2, 9], "turns": [[1, 1], [10, 10], [2, 2], [9]],
            "losses": [], "error": None}
    assert run._median(slot) == 1.5               # the turns [1, 1] and [2, 2]
    assert run._median_all(slot) == 2
    assert run._median({"times": [3.0], "losses": [], "error": None}) == 3.0


def test_the_instruction_counter_parses_cachegrind_and_trains_the_same_model():
    from benchmarks import instructions
    assert instructions.parse_total("==7== \n==7== I   refs:      12,345,678\n") == 12345678
    with pytest.raises(ValueError, match="no instruction count"):
        instructions.parse_total("valgrind: command not found")
    # the worker's loop is the benchmark's step: the same losses as the peer trained directly
    spec = W.MLP_SPECS["T1"]
    model = numpy_peer.MLP(spec, W.mlp_weights(spec))
    x, y = W.mlp_batches(spec)[0]
    expected = [model.step(x, y) for _ in range(3)][-1]
    for peer in ("numpy", "gradiente"):
        assert instructions.run_steps(peer, "T1", 3) == pytest.approx(expected, rel=1e-5)


@pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind is not installed")
def test_an_instruction_count_grows_with_the_steps():
    from benchmarks import instructions
    few, more = (instructions.count("numpy", "T1", n) for n in (1, 41))
    assert more > few > 0
    assert 50_000 < (more - few) / 40 < 5_000_000        # a T1 step: hundreds of thousands
