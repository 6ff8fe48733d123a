"""Instructions per training step, counted by valgrind: ``python -m benchmarks.instructions``.

A cross-check of the time ratios that this shared machine's load cannot move. The
same numpy step took 35 to 90 us from one minute to the next here, and the ratios
of ``benchmarks.run`` moved with it (a loaded host slows the interpreter's work more
than numpy's). Cachegrind counts the instructions the CPU executes instead, and that
count is the same on every run (to about 0.1%).

It is not a time: an instruction of the interpreter's bookkeeping and one of a numpy
loop do not cost the same, so a ratio of instructions is not a ratio of seconds (on
T1 the instruction ratio has been 0.1-0.2 below the time ratio of a quiet run, and up
to 0.5 below that of a loaded one). It
measures what an engine adds on top of numpy's own work, which is what its changes
change.

Each count is the difference between runs of ``long`` and ``short`` steps of the
same model and batch (``STEPS``), in fresh processes, divided by ``long - short``:
start-up and imports cancel out. T1 and T2 take about a minute each.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import gradiente_peer, numpy_peer
from . import workloads as W

PEERS = {p.NAME: p for p in (numpy_peer, gradiente_peer)}
ROOT = Path(__file__).resolve().parent.parent


def run_steps(peer_name: str, workload: str, steps: int) -> float:
    """Train the workload's MLP on its first batch for ``steps`` steps; the last loss."""
    spec = W.MLP_SPECS[workload]
    model = PEERS[peer_name].MLP(spec, W.mlp_weights(spec))
    x, y = W.mlp_batches(spec)[0]
    loss = float("nan")
    for _ in range(steps):
        loss = model.step(x, y)
    return loss


_TOTAL = re.compile(r"I\s+refs:\s+([\d,]+)")


def parse_total(report: str) -> int:
    """The total instruction count ("I refs") in cachegrind's summary on stderr.

    >>> parse_total("==1== I   refs:      1,234,567\\n")
    1234567
    """
    match = _TOTAL.search(report)
    if match is None:
        raise ValueError(f"no instruction count in valgrind's output: {report[-500:]!r}")
    return int(match.group(1).replace(",", ""))


def count(peer_name: str, workload: str, steps: int) -> int:
    """The instructions a fresh process executes to train ``steps`` steps (one thread)."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1",
               MKL_NUM_THREADS="1", PYTHONHASHSEED="0")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    done = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
         sys.executable, "-m", "benchmarks.instructions", "--worker", peer_name, workload,
         str(steps)],
        env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    return parse_total(done.stderr)


# (short, long) step counts: the count is exact, so a few hundred steps suffice; T2's
# products run 50 times slower under valgrind than outside it
STEPS = {"T1": (50, 550), "T2": (10, 110), "T3": (2, 12)}


def per_step(peer_name: str, workload: str) -> float:
    short, long = STEPS[workload]
    with ThreadPoolExecutor(2) as pool:       # the counts do not depend on the load
        a, b = pool.map(lambda n: count(peer_name, workload, n), (short, long))
    return (b - a) / (long - short)


def available() -> bool:
    return shutil.which("valgrind") is not None


def table(workloads=("T1", "T2")) -> list[str]:
    """Markdown rows: instructions per step of numpy and gradiente, and their ratio."""
    if not available():
        return ["(not measured: valgrind is not installed; `apt-get install valgrind`)"]
    lines = ["| workload | numpy | gradiente | gradiente / numpy |", "|---|---|---|---|"]
    for w in workloads:
        n, g = per_step("numpy", w), per_step("gradiente", w)
        sizes = "-".join(map(str, W.MLP_SPECS[w].sizes))
        lines.append(f"| {w} (MLP {sizes}) | {n / 1e3:,.0f}k | {g / 1e3:,.0f}k | {g / n:.2f}x |")
    return lines


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workloads", nargs="*", default=["T1", "T2"])
    parser.add_argument("--worker", nargs=3, metavar=("PEER", "WORKLOAD", "STEPS"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        peer, workload, steps = args.worker
        run_steps(peer, workload, int(steps))
        return
    print("\n".join(table(args.workloads)))


if __name__ == "__main__":
    main()
