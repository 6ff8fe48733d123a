"""Where a training step's time goes: ``python -m benchmarks.profile T1`` (or T2, T3).

Prints, for hand-written numpy and for gradiente on the workload's MLP step:
the best time per step over repeated runs (one process, one batch: the floor
this machine gives, not the noisy median of ``benchmarks.run``), how many
Python-level function calls a step makes, and cProfile's list of the functions
gradiente spends its own time in, per step. Run it with OPENBLAS_NUM_THREADS=1
(``make bench`` runs the main tables with one thread).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import timeit

from . import gradiente_peer, numpy_peer
from . import workloads as W


def best_step_time(peer, spec, steps: int = 2000, repeats: int = 9) -> float:
    """Seconds per step, the best of ``repeats`` runs of ``steps`` steps on one batch."""
    model = peer.MLP(spec, W.mlp_weights(spec))
    x, y = W.mlp_batches(spec)[0]
    for _ in range(100):
        model.step(x, y)
    return min(timeit.repeat(lambda: model.step(x, y), number=steps, repeat=repeats)) / steps


def profile_steps(peer, spec, steps: int = 2000) -> pstats.Stats:
    model = peer.MLP(spec, W.mlp_weights(spec))
    x, y = W.mlp_batches(spec)[0]
    for _ in range(100):
        model.step(x, y)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(steps):
        model.step(x, y)
    profiler.disable()
    return pstats.Stats(profiler, stream=io.StringIO())


def report(workload: str, steps: int = 2000, top: int = 20, repeats: int = 9) -> list[str]:
    spec = W.MLP_SPECS[workload]
    lines = [f"{workload}: {spec}"]
    times = {p.NAME: best_step_time(p, spec, steps, repeats) for p in (numpy_peer, gradiente_peer)}
    lines.append(f"best time per step: numpy {times['numpy'] * 1e6:.1f} us, gradiente "
                 f"{times['gradiente'] * 1e6:.1f} us ({times['gradiente'] / times['numpy']:.2f}x)")
    stats = {p.NAME: profile_steps(p, spec, steps) for p in (numpy_peer, gradiente_peer)}
    lines.append("Python-level calls per step: " + ", ".join(
        f"{name} {s.total_calls / steps:.0f}" for name, s in stats.items()))
    lines.append(f"gradiente, own time per step under cProfile (which inflates every call), "
                 f"top {top}:")
    rows = sorted(stats["gradiente"].stats.items(), key=lambda kv: -kv[1][2])[:top]
    for (path, line, func), (_, ncalls, tottime, _, _) in rows:
        where = f"{path.rsplit('/', 2)[-2]}/{path.rsplit('/', 1)[-1]}:{line}" if "/" in path \
            else path
        lines.append(f"  {tottime / steps * 1e6:6.2f} us  {ncalls / steps:4.1f} calls  "
                     f"{func}  ({where})")
    return lines


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workload", nargs="?", default="T1", choices=sorted(W.MLP_SPECS))
    parser.add_argument("--steps", type=int, default=2000)
    args = parser.parse_args(argv)
    print("\n".join(report(args.workload, args.steps)))


if __name__ == "__main__":
    main()
