"""One peer in its own process: ``python -m benchmarks.worker PEER``.

The runner starts one worker per peer and thread setting, with OMP_NUM_THREADS,
OPENBLAS_NUM_THREADS and MKL_NUM_THREADS already in the environment (they must be
set before numpy is imported), and sends it one JSON request per line on stdin:
``{"workload": "T1", "steps": 300, "warmup": 20, "gc": true}`` (with ``"resume": true``
an MLP workload goes on with the model of the previous request). The worker answers
each with one JSON line on stdout: the time of every measured step, the loss of
every step (warm-up included) and, if the workload failed, the error.

``python -m benchmarks.worker PEER --memory T3`` instead measures the peak memory
of a few T3 steps in this fresh process and prints one JSON line.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import os
import sys
import time

PEERS = ("numpy", "torch", "gradiente", "mygrad", "micrograd")
# the same peer code in a process with another allocator setting (see benchmarks.run)
VARIANTS = {"numpy-kept": "numpy", "gradiente-system": "gradiente"}
_MODELS: dict = {}      # the S1 models, and the MLP model a "resume" request goes on with


def load_peer(name: str):
    """The peer module (``benchmarks.<name>_peer``); torch is set to the thread count."""
    module = importlib.import_module(f"benchmarks.{VARIANTS.get(name, name)}_peer")
    if name == "torch":
        import torch
        torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "1")))
    return module


def run(peer, request: dict) -> dict:
    """Run one request (on a fresh model unless it resumes); see the module docstring."""
    from . import workloads as W
    name, steps, warmup = request["workload"], request["steps"], request.get("warmup", 1)
    times, losses = [], []

    def timed(k, fn):
        if not request.get("gc", True) and k >= warmup:
            gc.disable()
        t0 = time.perf_counter()
        loss = fn()
        t1 = time.perf_counter()
        gc.enable()
        if k >= warmup:
            times.append(t1 - t0)
        losses.append(loss)

    if name in W.MLP_SPECS:
        # "resume": go on training the model of this workload's previous request (the
        # runner splits a round into turns), as if the steps had been one request
        spec = W.MLP_SPECS[name]
        batches = W.mlp_batches(spec)
        if request.get("resume") and name in _MODELS:
            model, done = _MODELS[name]
        else:
            model, done = peer.MLP(spec, W.mlp_weights(spec)), 0
        for k in range(warmup + steps):
            x, y = batches[(done + k) % len(batches)]
            timed(k, lambda x=x, y=y: model.step(x, y))
        _MODELS[name] = (model, done + warmup + steps)
    elif name == "E1":
        x = W.e1_input()
        for k in range(warmup + steps):
            timed(k, lambda: peer.elementwise(x, W.E1_OPS)[0])
    elif name == "S1":
        # one model per worker, trained on across the rounds: the demo's loss rises over
        # its first steps (lr 1.0) before it falls, so the trend is judged over them all
        x, y = W.moons()
        key = ("S1", request.get("gc", True))
        if key not in _MODELS:
            _MODELS[key] = peer.ScalarMLP(W.s1_weights())
        model = _MODELS[key]
        for k in range(warmup + steps):
            timed(k, lambda: model.step(x, y))
    elif name.startswith("S2:"):
        n = int(name[3:])
        for k in range(warmup + steps):
            timed(k, lambda: peer.chain(n)[0])
    else:
        raise ValueError(f"unknown workload {name!r}")
    gc.collect()
    return {"times": times, "losses": [float(v) for v in losses]}


def _status_kib(field: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def memory(peer, workload: str, steps: int = 3, use_tracemalloc: bool = False) -> dict:
    """Peak memory of ``steps`` training steps from a fresh model, over what the process
    held once the model and data were built.

    Peak RSS growth (Linux: the peak is reset through /proc/self/clear_refs, then read
    as VmHWM) counts every allocation, numpy's, torch's and Python's alike, so every
    peer is measured the same way. ``use_tracemalloc`` instead reports tracemalloc's
    peak, which sees numpy's and Python's allocations but not torch's.
    """
    from . import workloads as W
    spec = W.MLP_SPECS[workload]
    batches = W.mlp_batches(spec)
    model = peer.MLP(spec, W.mlp_weights(spec))
    gc.collect()
    if use_tracemalloc:
        import tracemalloc
        tracemalloc.start()
        for k in range(steps):
            model.step(*batches[k % len(batches)])
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return {"tracemalloc_peak_bytes": peak}
    before = _status_kib("VmRSS")
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")                       # reset VmHWM (the peak RSS) to the current RSS
    for k in range(steps):
        model.step(*batches[k % len(batches)])
    return {"peak_rss_growth_bytes": 1024 * (_status_kib("VmHWM") - before)}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("peer", choices=PEERS + tuple(VARIANTS))
    parser.add_argument("--memory", metavar="WORKLOAD")
    parser.add_argument("--tracemalloc", action="store_true")
    args = parser.parse_args(argv)
    out = sys.stdout
    sys.stdout = sys.stderr                # nothing a peer prints may break the protocol
    peer = load_peer(args.peer)
    if args.memory:
        out.write(json.dumps(memory(peer, args.memory, use_tracemalloc=args.tracemalloc)) + "\n")
        return
    out.write(json.dumps({"ready": True, "version": peer.version()}) + "\n")
    out.flush()
    for line in sys.stdin:
        request = json.loads(line)
        try:
            reply = run(peer, request)
        except RecursionError:
            reply = {"error": "RecursionError"}
        except Exception as e:
            reply = {"error": f"{type(e).__name__}: {e}"}
        gc.collect()
        out.write(json.dumps(reply) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
