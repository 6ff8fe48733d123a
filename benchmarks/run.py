"""``make bench`` = ``python -m benchmarks.run``: gradiente beside its peers, in one run.

Each peer runs in its own worker process (``benchmarks.worker``), started with the
thread count in OMP_NUM_THREADS / OPENBLAS_NUM_THREADS / MKL_NUM_THREADS (and
``torch.set_num_threads``). The runner interleaves them: in every round it visits
the workloads and, within each, lets the peers take up to five short turns each, in a
shuffled order every turn (a peer's model goes on training from turn to turn), so that
the load of this shared machine falls on all peers alike. Times are medians over all
measured steps of all rounds; ratios are taken between peers measured in this same run.

Options: ``--quick`` (few steps, one round, S2 up to 10^5: a smoke test),
``--rounds N``, ``--only T1,S1``, ``--threads 1`` and ``--no-write`` (do not
rewrite benchmarks/README.md and ratios.png).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

TENSOR_PEERS = ("numpy", "torch", "gradiente", "mygrad")
# On import, gradiente asks glibc to keep freed memory for reuse (autograd.memory).
# So that the ratios show what that setting is worth, and what the engine is worth
# without it, two more workers run the same peer code with the other setting:
# hand-written numpy with gradiente's setting (through glibc's environment variables,
# which mallopt() mirrors), and gradiente with glibc's defaults.
ALLOCATOR_VARIANTS = {
    "numpy-kept": {"MALLOC_MMAP_THRESHOLD_": "33554432", "MALLOC_TRIM_THRESHOLD_": "268435456"},
    "gradiente-system": {"GRADIENTE_MALLOC": "system"},
}
SAME_ALLOCATOR = {"gradiente": "numpy-kept", "gradiente-system": "numpy",
                  "numpy-kept": "numpy-kept"}
MEASURED = TENSOR_PEERS + tuple(ALLOCATOR_VARIANTS)
PLAN = {   # workload: (peers, measured steps, warm-up steps), per round
    "T1": (MEASURED, 300, 20),
    "T2": (MEASURED, 100, 10),
    "T3": (MEASURED, 15, 3),
    "E1": (MEASURED, 5, 1),
    "S1": (("micrograd", "gradiente"), 4, 1),
    "S1 gc off": (("micrograd", "gradiente"), 4, 1),
    **{f"S2:{n}": (("numpy", "torch", "micrograd", "gradiente"), s, w)
       for n, s, w in ((10**3, 20, 2), (10**4, 5, 1), (10**5, 2, 1), (10**6, 1, 0))},
}
# the ratio each gradiente figure must stay within, and against which peer
TARGETS = {"T1": ("numpy", 1.6), "T2": ("numpy", 1.15), "T3": ("numpy", 1.0),
           "E1": ("numpy", 1.3), "S1": ("micrograd", 1 / 3), "S1 gc off": ("micrograd", 1 / 3),
           "S2:100000": ("torch", 0.5), "T3 memory": ("numpy", 1.3)}
DESCRIPTION = {
    "T1": "MLP 4-16-3, tanh, softmax CE, SGD, batch 16",
    "T2": "MLP 64-128-64-10, relu, softmax CE, Adam, batch 64",
    "T3": "MLP 784-512-256-10, relu, softmax CE, Adam, batch 256",
    "E1": "20 elementwise ops on 10^6 float32, fwd + bwd",
    "S1": "micrograd's demo (moons, 2-16-16-1), default GC",
    "S1 gc off": "the same with gc.disable() during each step",
}


# ---- workers -----------------------------------------------------------------------------

class Worker:
    """One peer in its own process, at one thread count."""

    def __init__(self, peer: str, threads: int):
        env = _env(threads, peer)
        self.peer = peer
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.worker", peer], cwd=ROOT, env=env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            preexec_fn=_one_cpu if threads == 1 else None)
        hello = self._read()
        self.version = hello.get("version", "?")
        self.error = hello.get("error")

    def _read(self) -> dict:
        line = self.proc.stdout.readline()
        if not line:
            return {"error": f"{self.peer} worker exited (is it installed?)"}
        return json.loads(line)

    def request(self, **request) -> dict:
        if self.error:
            return {"error": self.error}
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        return self._read()

    def close(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.wait(timeout=60)


def _one_cpu() -> None:
    """Run on the first CPU this process may use. With one thread every worker runs
    on that same CPU: here the two CPUs were unequally loaded by the host (the same
    numpy step took 41 us on one and 57 us on the other, minutes apart), and a worker
    left to the scheduler keeps whichever it was given."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def _env(threads: int, peer: str = "") -> dict:
    env = dict(os.environ)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = str(threads)
    for var in ("GRADIENTE_MALLOC", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_"):
        env.pop(var, None)                # every peer starts from the same defaults ...
    env.update(ALLOCATOR_VARIANTS.get(peer, {}))   # ... but the allocator variants
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def measure(plan: dict, threads: int, rounds: int, seed: int = 0) -> dict:
    """{workload: {peer: {"times": [...], "losses": [[...], ...], "error": ...}}}"""
    results = {w: {p: {"times": [], "losses": [], "error": None} for p in ps}
               for w, (ps, _, _) in plan.items()}
    rng = random.Random(seed)
    # The tensor workloads get fresh worker processes every round: a process can be
    # lucky or unlucky for its whole life (where its arrays fall in the caches; two
    # runs of the same numpy code in two processes differed by 40% here), and fresh
    # processes each round make that one more thing the median averages over. The
    # scalar workloads keep theirs: S1 trains one model on across the rounds.
    workers: dict[tuple[str, bool], Worker] = {}
    versions: dict[str, str] = {}

    def worker(p: str, workload: str) -> Worker:
        key = (p, workload[0] in "TE")
        if key not in workers:
            workers[key] = Worker(p, threads)
            versions[p] = workers[key].version
        return workers[key]

    try:
        for r in range(rounds):
            for key in [k for k in workers if k[1]]:
                workers.pop(key).close()
            for workload, (ps, steps, warmup) in plan.items():
                for turn, turn_steps in enumerate(_turns(steps)):
                    order = list(ps)
                    rng.shuffle(order)
                    for p in order:
                        _take_turn(worker(p, workload), results, workload, p, turn,
                                   turn_steps, warmup)
                print(f"  threads={threads} round {r + 1}/{rounds} {workload} done",
                      file=sys.stderr, flush=True)
    finally:
        for w in workers.values():
            w.close()
    results["_versions"] = versions
    return results


TURNS = 5   # the peers take turns this many times per round and workload


def _turns(steps: int) -> list[int]:
    """A round's steps split into up to TURNS turns. A burst of load on this shared
    machine (another process's tests) lasts longer than one peer's whole request of
    T1 (300 steps, ~10 ms): with the peers taking short turns, it falls on all alike."""
    n = max(1, min(TURNS, steps))
    return [steps // n + (1 if i < steps % n else 0) for i in range(n)]


def _take_turn(worker, results, workload, p, turn, steps, warmup):
    """One peer's turn: the first of a round starts fresh, the next go on with the same
    model, so a round's losses are one training run as before. Every turn starts with
    the workload's warm-up steps, unmeasured: after another process has had the core,
    caches and branch predictors are cold, and an engine that runs more Python takes
    longer to get back to speed (on T1, gradiente's first 20 steps of a turn ran at
    ~80 µs against ~62 µs after; numpy's first 5 at ~40 against 35), which is a cost of
    this way of taking turns, not of the engine."""
    slot = results[workload][p]
    if slot["error"]:
        return                        # failed before (RecursionError...): skip
    name = workload.replace(" gc off", "")
    reply = worker.request(workload=name, steps=steps, warmup=warmup,
                           gc=not workload.endswith("gc off"), resume=turn > 0)
    if "error" in reply:
        slot["error"] = reply["error"]
        if workload.startswith("S2:"):   # bigger chains fail too
            n = int(workload[3:])
            for w2 in results:
                if w2.startswith("S2:") and int(w2[3:]) > n and p in results[w2]:
                    results[w2][p]["error"] = reply["error"]
        return
    slot["times"] += reply["times"]
    slot.setdefault("turns", []).append(reply["times"])
    if turn == 0:
        slot["losses"].append(reply["losses"])
    else:
        slot["losses"][-1] += reply["losses"]


def measure_memory(workload: str = "T3", repeats: int = 3) -> dict:
    """{peer: {"rss": bytes (median of fresh processes), "tracemalloc": bytes or None}}"""
    out = {}
    for peer in MEASURED:
        rss, traced, error = [], [], None
        for _ in range(repeats):
            for flag in ([], ["--tracemalloc"]) if peer != "torch" else ([],):
                proc = subprocess.run(
                    [sys.executable, "-m", "benchmarks.worker", peer, "--memory", workload,
                     *flag], cwd=ROOT, env=_env(1, peer), capture_output=True, text=True)
                if proc.returncode:
                    error = proc.stderr.strip().splitlines()[-1:] or ["failed"]
                    break
                reply = json.loads(proc.stdout)
                if flag:
                    traced.append(reply["tracemalloc_peak_bytes"])
                else:
                    rss.append(reply["peak_rss_growth_bytes"])
        out[peer] = {"rss": statistics.median(rss) if rss else None,
                     "tracemalloc": statistics.median(traced) if traced else None,
                     "error": error[0] if error else None}
    return out


# ---- tables ------------------------------------------------------------------------------

def _median(slot):
    """The median time per step over the quieter half of a peer's turns.

    The host's other tenants come and go in phases longer than a turn, so turns are
    either quiet or slowed (on T1, numpy's turn medians were 34-35 us or 54-79 us, and
    gradiente's 59-61 us or 77-140 us), and how many of a peer's turns a slow phase
    hits is luck: it moved the median over all steps by up to 30% from run to run.
    Load only ever adds time, so the quieter half of each peer's turns is what
    compares the engines; the median over all steps is shown beside it.
    """
    if not slot or not slot["times"]:
        return None
    turns = sorted((t for t in slot.get("turns", []) if t), key=statistics.median)
    if not turns:
        return statistics.median(slot["times"])
    quiet = turns[:max(1, (len(turns) + 1) // 2)]
    return statistics.median([x for t in quiet for x in t])


def _median_all(slot):
    return statistics.median(slot["times"]) if slot and slot["times"] else None


def _fmt_time(t):
    if t is None:
        return "—"
    if t >= 1:
        return f"{t:.2f} s"
    if t >= 1e-3:
        return f"{t * 1e3:.1f} ms"
    return f"{t * 1e6:.0f} µs"


def _ratio(a, b):
    return None if a is None or b is None else a / b


def _fmt_ratio(r):
    return "—" if r is None else f"{r:.2f}x"


def _loss_trend(slot, persistent=False):
    """first loss -> mean of the last few, over every round; and whether it fell each time."""
    runs = slot["losses"]
    if not runs:
        return "—", None
    if persistent:                        # one model trained on across the rounds
        runs = [[v for run in runs for v in run]]
    firsts = [run[0] for run in runs]
    lasts = [statistics.mean(run[-max(1, len(run) // 8):]) for run in runs]
    fell = all(last < first for first, last in zip(firsts, lasts, strict=True))
    return f"{statistics.mean(firsts):.4f} → {statistics.mean(lasts):.4f}", fell


def _verdict(workload, ratio):
    if workload not in TARGETS or ratio is None:
        return ""
    return "✓" if ratio <= TARGETS[workload][1] else "✗"


def tensor_table(results, workloads=("T1", "T2", "T3", "E1")) -> list[str]:
    lines = ["| workload | peer | median per step (quieter half of the turns) | all steps | "
             "× numpy | × numpy, same allocator | × torch | loss: first → last | falls | "
             "target |", "|---|---|---|---|---|---|---|---|---|---|"]
    for w in workloads:
        if w not in results:
            continue
        base = _median(results[w].get("numpy"))
        ref = _median(results[w].get("torch"))
        for p, slot in results[w].items():
            t = _median(slot)
            trend, fell = _loss_trend(slot) if w != "E1" else ("(no training)", None)
            target = ""
            if p == "gradiente" and w in TARGETS:
                target = f"≤ {TARGETS[w][1]:.2f}x {_verdict(w, _ratio(t, base))}"
            same = _median(results[w].get(SAME_ALLOCATOR.get(p, "")))
            cell = _fmt_time(t) if not slot["error"] else f"error: {slot['error']}"
            lines.append(f"| {w} ({DESCRIPTION[w]}) | {p} | {cell} | "
                         f"{_fmt_time(_median_all(slot))} | "
                         f"{_fmt_ratio(_ratio(t, base))} | {_fmt_ratio(_ratio(t, same))} | "
                         f"{_fmt_ratio(_ratio(t, ref))} | "
                         f"{trend} | {'' if fell is None else ('yes' if fell else 'NO')} | "
                         f"{target} |")
    return lines


def scalar_table(results) -> list[str]:
    lines = ["| S1 (micrograd's demo) | micrograd | gradiente | gradiente / micrograd | "
             "target | loss: first → last (gradiente) | max Δloss vs micrograd |",
             "|---|---|---|---|---|---|---|"]
    for w in ("S1", "S1 gc off"):
        if w not in results:
            continue
        m, g = results[w]["micrograd"], results[w]["gradiente"]
        tm, tg = _median(m), _median(g)
        r = _ratio(tg, tm)
        delta = "—"
        if m["losses"] and g["losses"]:
            pairs = zip(m["losses"], g["losses"], strict=False)
            diffs = [abs(a - b) for ra, rb in pairs for a, b in zip(ra, rb, strict=True)]
            delta = f"{max(diffs):.1e}"
        trend, fell = _loss_trend(g, persistent=True)
        lines.append(f"| {DESCRIPTION[w]} | {_fmt_time(tm)} | {_fmt_time(tg)} | "
                     f"{_fmt_ratio(r)} | ≤ 0.33x {_verdict(w, r)} | {trend} "
                     f"{'(falls)' if fell else '(DOES NOT FALL)'} | {delta} |")
    return lines


def chain_table(results) -> list[str]:
    sizes = [w for w in results if w.startswith("S2:")]
    if not sizes:
        return []
    lines = ["| S2: n scalar ops, fwd + bwd | plain Python floats | torch | micrograd | "
             "gradiente | gradiente / torch | gradiente per op |", "|---|---|---|---|---|---|---|"]
    for w in sizes:
        n = int(w[3:])
        cells = []
        for p in ("numpy", "torch", "micrograd", "gradiente"):
            slot = results[w][p]
            cells.append(slot["error"] if slot["error"] else _fmt_time(_median(slot)))
        tg, tt = _median(results[w]["gradiente"]), _median(results[w]["torch"])
        r = _ratio(tg, tt)
        mark = f" {_verdict(w, r)} (≤ 0.5x)" if w in TARGETS else ""
        per_op = "—" if tg is None else f"{tg / n * 1e6:.2f} µs"
        lines.append(f"| 10^{len(str(n)) - 1} | " + " | ".join(cells)
                     + f" | {_fmt_ratio(r)}{mark} | {per_op} |")
    return lines


def memory_table(mem) -> list[str]:
    lines = ["| T3, 3 steps from fresh weights | peak RSS growth | × numpy | "
             "tracemalloc peak | × numpy |", "|---|---|---|---|---|"]
    base_rss = mem.get("numpy", {}).get("rss")
    base_tm = mem.get("numpy", {}).get("tracemalloc")
    for p, m in mem.items():
        if m["error"]:
            lines.append(f"| {p} | error: {m['error']} | | | |")
            continue
        mib = (lambda b: "—" if b is None else f"{b / 2**20:.1f} MiB")
        r = _ratio(m["rss"], base_rss)
        mark = f" (target ≤ 1.30x {_verdict('T3 memory', r)})" if p == "gradiente" else ""
        tm = m["tracemalloc"]
        lines.append(f"| {p} | {mib(m['rss'])} | {_fmt_ratio(r)}{mark} | "
                     f"{mib(tm) if tm is not None else 'n/a (not numpy)'} | "
                     f"{_fmt_ratio(_ratio(tm, base_tm))} |")
    return lines


# ---- chart and README --------------------------------------------------------------------

def chart(results, path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    workloads = [w for w in ("T1", "T2", "T3", "E1") if w in results]
    peers = [p for p in TENSOR_PEERS if p != "numpy"]
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(11, 4.2),
                                  gridspec_kw={"width_ratios": [3, 2]})
    width = 0.8 / len(peers)
    for i, p in enumerate(peers):
        ratios = [_ratio(_median(results[w].get(p)), _median(results[w].get("numpy"))) or 0
                  for w in workloads]
        ax.bar([k + i * width for k in range(len(workloads))], ratios, width, label=p)
    for k, w in enumerate(workloads):
        if w in TARGETS:
            ax.hlines(TARGETS[w][1], k - width / 2, k + 0.8 - width / 2, colors="k",
                      linestyles="dashed", label="gradiente target" if k == 0 else None)
    ax.axhline(1.0, color="grey", lw=0.8)
    ax.set_xticks([k + 0.4 - width / 2 for k in range(len(workloads))], workloads)
    ax.set_ylabel("time per step / hand-written numpy (lower is better)")
    ax.set_title("Tensor workloads, 1 thread")
    ax.legend(fontsize=8)
    labels, values = [], []
    for w in ("S1", "S1 gc off"):
        if w in results:
            labels.append(w.replace("S1 gc off", "S1 (gc off)") + "\nvs micrograd")
            values.append(_ratio(_median(results[w]["gradiente"]),
                                 _median(results[w]["micrograd"])) or 0)
    if "S2:100000" in results:
        labels.append("S2 10^5\nvs torch")
        values.append(_ratio(_median(results["S2:100000"]["gradiente"]),
                             _median(results["S2:100000"]["torch"])) or 0)
    ax2.bar(range(len(values)), values, color="tab:green")
    ax2.axhline(1 / 3, color="k", ls="dashed", xmax=0.66, label="S1 target (1/3)")
    ax2.axhline(0.5, color="tab:red", ls="dotted", xmin=0.66, label="S2 target (1/2)")
    ax2.set_xticks(range(len(values)), labels, fontsize=8)
    ax2.set_title("Scalar workloads: gradiente / peer")
    ax2.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def environment(versions) -> list[str]:
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                capture_output=True, text=True).stdout.strip()
    except OSError:
        commit = "?"
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")),
                       "?")
    except OSError:
        pass
    blas = {k: os.environ[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if k in os.environ}
    return [
        f"- date: {datetime.date.today().isoformat()}; gradiente commit {commit}",
        f"- machine: {cpu}, {os.cpu_count()} cores (shared with other work: ratios, not "
        f"absolute times, are what compare)",
        f"- Python {platform.python_version()}; "
        + ", ".join(f"{p} {v}" for p, v in sorted(versions.items())),
        "- threads: main tables 1 (OMP_NUM_THREADS = OPENBLAS_NUM_THREADS = MKL_NUM_THREADS "
        "= 1 set before numpy is imported, torch.set_num_threads(1)); second table 2",
        f"- BLAS environment as found: {blas or 'none set'}",
    ]


def write_readme(sections: dict, path: Path) -> None:
    text = (HERE / "README.template.md").read_text()
    for key, lines in sections.items():
        text = text.replace("{{" + key + "}}", "\n".join(lines))
    path.write_text(text)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="gradiente beside its peers")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--only", default="")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    plan = dict(PLAN)
    if args.quick:
        plan = {w: (ps, max(1, s // 10), min(w_, 2)) for w, (ps, s, w_) in plan.items()
                if w != "S2:1000000"}
    if args.only:
        keep = set(args.only.split(","))
        plan = {w: v for w, v in plan.items() if w.split(":")[0].replace(" gc off", "") in keep}
    rounds = args.rounds or (1 if args.quick else 5)
    threads = [int(t) for t in args.threads.split(",")]

    runs = {}
    for t in threads:
        # the second table: the tensor workloads only (the scalar ones run no BLAS)
        p = plan if t == threads[0] else {w: v for w, v in plan.items() if w[0] in "TE"}
        print(f"measuring with {t} thread(s), {rounds} round(s) ...", file=sys.stderr)
        runs[t] = measure(p, t, rounds)
    main_run = runs[threads[0]]
    mem = measure_memory() if "T3" in plan else {}
    counted = [w for w in ("T1", "T2") if w in plan] if not args.quick else []
    if counted:
        print(f"counting instructions per step of {', '.join(counted)} ...", file=sys.stderr)
        from . import instructions  # (imports numpy: the runner itself need not)
        counted_table = instructions.table(counted)

    sections = {
        "ENVIRONMENT": environment(main_run["_versions"]),
        "MAIN": tensor_table(main_run),
        "SCALAR": scalar_table(main_run),
        "CHAIN": chain_table(main_run),
        "MEMORY": memory_table(mem) if mem else ["(not measured)"],
        "INSTRUCTIONS": counted_table if counted else ["(not measured)"],
        "TWO_THREADS": tensor_table(runs[threads[1]]) if len(threads) > 1 else ["(not run)"],
    }
    for title, key in (("Environment", "ENVIRONMENT"), ("One thread", "MAIN"),
                       ("Scalar mode", "SCALAR"), ("Scalar chain", "CHAIN"),
                       ("Peak memory", "MEMORY"), ("Instructions per step", "INSTRUCTIONS"),
                       ("Two threads", "TWO_THREADS")):
        print(f"\n## {title}\n")
        print("\n".join(sections[key]))
    if not args.no_write and not args.quick:
        (HERE / "results.json").write_text(json.dumps({"runs": runs, "memory": mem}, indent=1))
        chart(main_run, HERE / "ratios.png")
        write_readme(sections, HERE / "README.md")
        print(f"\nwrote {HERE / 'README.md'} and {HERE / 'ratios.png'}")


if __name__ == "__main__":
    main()
