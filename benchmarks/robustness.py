"""Robustness: do the targets hold on events nobody tuned for?

    python benchmarks/robustness.py                                   # 10 seeds of every kind, 20 s
    python benchmarks/robustness.py --kinds brokerage --seeds 12 --time-limit 10
    python benchmarks/robustness.py --seeds 2 --time-limit 3          # a quick look that it runs
    python benchmarks/robustness.py --kinds brokerage --first-seed 10 # seeds 10-19
    python benchmarks/robustness.py --kinds week --time-limit 10      # default-size weeks
    python benchmarks/robustness.py --kinds week-traits --time-limit 10  # the same weeks with traits
    python benchmarks/robustness.py --kinds expo --seeds 4 --time-limit 60  # 500 x 1,500 two-day plazas
    python benchmarks/robustness.py --kinds mixed --seeds 100 --time-limit 5  # any kind, any size
    python benchmarks/robustness.py --kinds week --deterministic      # repeatable solves (--deterministic)

For each kind and seed an event is generated with a varied draw of the kind's
traits and size (``schedule generate --traits``; every brokerage day has
participants who arrive late, leave early or step out; a "week" is the default
teleconference week of five days, without traits, and a "week-traits" the same
week with a draw of the traits; an "expo" is a plaza of 500
buyers and 1,500 firms over two days with every trait, so that its days differ
and do not fold; "mixed" draws the kind too, and its size from wider ranges),
written to a temporary
folder, and solved by ``schedule solve`` in its own process, so the whole
solve is timed, loading included. The schedule file gives the solve's own
seconds and, per objective level, when it was settled and whether it was
proven; ``schedule check`` then re-verifies it. In the same run two baselines
solve the same event for priority: greedy (``scheduler/solve/greedy.py``) and
a plain time-indexed MIP (``scheduler/solve/bounds/time_indexed.py``: one 0-1
variable per request, start and interpreters; each request once, nobody and no
interpreter twice at a time, the caps, booths counted per pool and slot) solved
by HiGHS within the same limit, one thread, no start. Where the event has reserved plaza tables or meetings longer than a
slot the plain model is a relaxation: its bound is valid, its schedule may
not be.

Per kind it prints the median and worst time to the priority proof (the
priority level's ``seconds`` where it was proven, since the solve began) and
the level's own time (``seconds - began``: from the end of the greedy start,
the meeting model's build included), how often priority was
not proven, the median and worst gap between priority and its bound, the
median and worst peak memory (the proportional set size of the solve's process
and of every process under it, summed, sampled five times a second: pages
shared by forked processes counted once), the largest overrun of the time limit (wall clock and
``solve_seconds``), checks failed, and for brokerage days how many were
proven optimal.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scheduler.generate import (TRAITS, generate_brokerage, generate_plaza,  # noqa: E402
                                generate_teleconference, write_event)
from scheduler.model.load import event_from_data  # noqa: E402
from scheduler.model.problem import Problem, compile_problem  # noqa: E402
from scheduler.solve import greedy  # noqa: E402
from scheduler.solve.bounds.highs_worker import Settings, Worker  # noqa: E402
from scheduler.solve.bounds.time_indexed import time_indexed  # noqa: E402
from scheduler.solve.model.measure import priority as priority_of  # noqa: E402

from run import _gap, _text  # noqa: E402  (benchmarks/run.py, beside this file)

# "week": the teleconference week `schedule generate teleconference --days 5` makes, at its default
# size (80 requests a day, the room's 15 booths) and with no traits: the corner of the drawn
# weeks' sizes, and the week the project's own checks solve with a fresh seed. "week-traits": that
# week with each teleconference trait drawn as for the other kinds, the issue's "teleconference week
# of different seeds and traits" (popular buyers, scarce interpreters, half-day people...).
KINDS = ("plaza", "teleconference", "week", "week-traits", "brokerage", "expo", "mixed")
# "mixed": each seed draws the kind too, and a size from far wider ranges (3-150 buyers, 1-10
# days, 8-100 participants), each trait half the time: a sweep for the events no range above
# covers. Drawn so, 200 events at 5 s held an 80-buyer plaza the solve called infeasible
# (benchmarks/README.md, "Required meetings placed by moving others").
# What runs unless --kinds says otherwise: an expo takes minutes a seed and wants a longer limit.
DEFAULT_KINDS = ("plaza", "teleconference", "week", "brokerage")
MIXED_SIZES = {"buyers": (3, 6, 12, 25, 47, 80, 150), "days": (1, 1, 2, 3), "room days": (1, 2, 5, 10),
               "booths": (2, 5, 15), "requests a day": (10, 30, 80, 120), "participants": (8, 16, 30, 60, 100)}
# The command line, run from this checkout whatever is installed. As ``-m``, not ``-c``: a process
# the solve spawns runs the main module again as it starts, as it runs the installed ``schedule``
# script (scheduler/console.py); under ``-c`` there is none, and that start was not measured.
SCHEDULE = [sys.executable, "-m", "scheduler"]


def draw_event(kind: str, seed: int) -> tuple[dict, str]:
    """The event of one kind and seed, and how to make it again with ``schedule generate``."""
    if kind == "week":
        return generate_teleconference(days=5, seed=seed), f"schedule generate teleconference --days 5 --seed {seed}"
    if kind == "week-traits":
        rng = random.Random(f"robustness:{kind}:{seed}")
        traits = frozenset(t for t in TRAITS["teleconference"] if rng.random() < 0.6)
        return _made("teleconference", seed, traits, {"days": 5})
    if kind == "expo":
        every = ",".join(TRAITS["plaza"])
        return (generate_plaza(buyers=500, firms=1500, days=2, seed=seed, traits=frozenset(TRAITS["plaza"])),
                f"schedule generate plaza --buyers 500 --firms 1500 --days 2 --seed {seed} --traits {every}")
    if kind == "mixed":
        return _mixed(seed)
    rng = random.Random(f"robustness:{kind}:{seed}")
    traits = frozenset(t for t in TRAITS[kind] if rng.random() < 0.6)
    if kind == "plaza":
        buyers = rng.randint(20, 60)
        sizes = dict(buyers=buyers, firms=round(buyers * rng.uniform(2.0, 2.6)), days=rng.choice([1, 1, 2]))
    elif kind == "teleconference":
        sizes = dict(days=rng.randint(2, 5), requests_per_day=rng.randint(40, 80))
    else:
        traits |= {"unavailable-blocks"}  # the shape this suite is for
        participants, meetings, slots = rng.randint(42, 78), rng.randint(125, 302), rng.randint(8, 22)
        sizes = dict(participants=participants, meetings=meetings, slots=slots,
                     tables=math.ceil(meetings / slots * rng.uniform(1.15, 1.5)))
    return _made(kind, seed, traits, sizes)


def _mixed(seed: int) -> tuple[dict, str]:
    rng = random.Random(f"robustness:mixed:{seed}")
    kind = rng.choice(["plaza", "plaza", "teleconference", "teleconference", "brokerage"])
    traits = frozenset(t for t in TRAITS[kind] if rng.random() < 0.5)
    if kind == "plaza":
        buyers = rng.choice(MIXED_SIZES["buyers"])
        sizes = dict(buyers=buyers, firms=max(2, round(buyers * rng.uniform(1.5, 3))),
                     days=rng.choice(MIXED_SIZES["days"]))
    elif kind == "teleconference":
        sizes = dict(days=rng.choice(MIXED_SIZES["room days"]), booths=rng.choice(MIXED_SIZES["booths"]),
                     requests_per_day=rng.choice(MIXED_SIZES["requests a day"]))
    else:
        participants = rng.choice(MIXED_SIZES["participants"])
        meetings, slots = round(participants * rng.uniform(1.5, 4)), rng.randint(6, 24)
        sizes = dict(participants=participants, meetings=meetings, slots=slots,
                     tables=math.ceil(meetings / slots * rng.uniform(1.1, 1.6)))
    return _made(kind, seed, traits, sizes)


def _made(kind: str, seed: int, traits: frozenset[str], sizes: dict[str, int]) -> tuple[dict, str]:
    """The event of ``kind`` at ``sizes`` (the generator's arguments, which are also the command
    line's options), and the ``schedule generate`` command that makes it again."""
    generator = {"plaza": generate_plaza, "teleconference": generate_teleconference,
                 "brokerage": generate_brokerage}[kind]
    data = generator(seed=seed, traits=traits, **sizes)
    options = " ".join(f"--{name.replace('_', '-')} {value}" for name, value in sizes.items())
    shown = ",".join(t for t in TRAITS[kind] if t in traits) or "none"
    return data, f"schedule generate {kind} {options} --seed {seed} --traits {shown}"


def plain_priority_mip(problem: Problem, seconds: float) -> dict:
    """The plain time-indexed MIP of the event's priority (``bounds/time_indexed.py``), solved by
    HiGHS within ``seconds``, one thread, no start."""
    plain = time_indexed(problem)
    if plain is None:
        return {"value": 0, "bound": 0, "proven": True, "seconds": 0.0}
    worker = Worker()
    began = time.perf_counter()
    try:
        report = worker.solve(plain.minimised(), Settings(seconds, threads=1), lambda _: None, lambda _: None)
    finally:
        worker.close()
    took = time.perf_counter() - began
    value = None if report.solution is None else round(float(plain.program.cost @ report.solution))
    bound = math.floor(-report.dual_bound + 1e-6) if math.isfinite(report.dual_bound) else None
    return {"value": value, "bound": bound, "proven": not report.clock_stopped and value is not None, "seconds": took}


class PeakMemory:
    """The largest sum, sampled five times a second, of the proportional set size (PSS: a page
    shared by n processes counts 1/n in each) of a process and every process under it (the HiGHS
    workers, the processes searching parts of the days, a SAT solver). Forked processes share
    their parent's pages, so their resident sizes, or ``getrusage``'s peaks, added overcount."""

    def __init__(self, pid: int):
        self.pid, self.kb, self._done = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    @property
    def mb(self) -> float:
        return self.kb / 1024

    def stop(self) -> None:
        self._done.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._done.wait(0.2):
            self.kb = max(self.kb, sum(_pss_kb(pid) for pid in _process_tree(self.pid)))


def _process_tree(root: int) -> list[int]:
    under: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:  # ended meanwhile
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])  # the name, in brackets, may hold spaces
            under.setdefault(parent, []).append(int(entry))
    tree, waiting = [], [root]
    while waiting:
        pid = waiting.pop()
        tree.append(pid)
        waiting.extend(under.get(pid, ()))
    return tree


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_one(kind: str, seed: int, limit: float, folder: Path, deterministic: bool = False) -> dict:
    data, made_by = draw_event(kind, seed)
    event_file = folder / f"{kind}-{seed}.yaml"
    write_event(data, event_file, header=f"Made like `{made_by}`.")
    out = folder / f"{kind}-{seed}"
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    began = time.perf_counter()
    with subprocess.Popen([*SCHEDULE, "solve", str(event_file), "--out", str(out), "--time-limit", str(limit),
                           "--quiet", *(["--deterministic"] if deterministic else [])],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment) as solving:
        peak = PeakMemory(solving.pid)
        _, stderr = solving.communicate()
        peak.stop()
    wall = time.perf_counter() - began
    row = {"kind": kind, "seed": seed, "made_by": made_by, "requests": len(data["requests"]), "wall": wall,
           "exit": solving.returncode, "peak_mb": peak.mb, "deterministic": deterministic}
    schedule_file = out / "schedule.json"
    if not schedule_file.exists():
        row["error"] = (stderr.strip().splitlines() or ["no schedule written"])[-1]
        return row
    schedule = json.loads(schedule_file.read_text())
    stats = schedule["stats"]
    levels = {level["level"]: level for level in stats.get("objective", [])}
    first = levels.get("priority")
    row.update(status=schedule["status"], solve_seconds=stats["solve_seconds"],
               priority=stats["priority_scheduled"], priority_bound=stats.get("priority_bound"),
               priority_proven=bool(first and first["proven"]),
               priority_seconds=first["seconds"] if first else None,
               # The level's own time: from when its work began (after the greedy start, its
               # model's build included) to its proof.
               priority_own=first["seconds"] - first["began"] if first and first.get("began") is not None else None,
               idle_gaps=stats.get("idle_gaps"), warnings=stderr.count("warning: "),
               idle_bound=(levels.get("idle gaps") or {}).get("bound"),
               # A repeatable solve that the clock cut short may not repeat (stats "deterministic").
               cut=deterministic and not stats.get("deterministic", False))
    checked = subprocess.run([*SCHEDULE, "check", str(event_file), str(schedule_file)], capture_output=True,
                             text=True, env=environment)
    row["check"] = checked.returncode == 0
    problem = compile_problem(event_from_data(data, event_file).event)
    t = time.perf_counter()
    placements, _ = greedy(problem)
    row["greedy"] = {"priority": priority_of(problem, placements), "seconds": time.perf_counter() - t}
    row["mip"] = plain_priority_mip(problem, limit)
    return row


def _median(values, digits: int = 1) -> str:
    values = [v for v in values if v is not None]
    return f"{statistics.median(values):,.{digits}f}" if values else "-"


def _worst(values, digits: int = 1) -> str:
    values = [v for v in values if v is not None]
    return f"{max(values):,.{digits}f}" if values else "-"


def _percent(fractions: list[float], pick) -> str:
    return f"{pick(fractions):.3%}" if fractions else "-"


def summary(kind: str, rows: list[dict], limit: float) -> list[str]:
    done = [r for r in rows if "status" in r]
    proven = [r for r in done if r["priority_proven"]]
    proofs = [r["priority_seconds"] for r in proven]
    own = [r["priority_own"] for r in proven]
    mip_proofs = [r["mip"]["seconds"] for r in done if r["mip"]["proven"]]
    gaps = [(r["priority_bound"] - r["priority"]) / max(1, r["priority_bound"]) for r in done
            if r["priority_bound"] is not None]
    peaks = [r.get("peak_mb") for r in rows]
    lines = [
        f"{kind}: {len(rows)} events, {len(rows) - len(done)} without a schedule, "
        f"{sum(not r['check'] for r in done)} failing `schedule check`, {sum(r['exit'] != 0 for r in rows)} exit != 0",
        f"  priority proven      {len(proven)}/{len(done)}; time to proof median {_median(proofs)} s, "
        f"worst {_worst(proofs)} s; the level's own time median {_median(own)} s, worst {_worst(own)} s",
        f"  priority gap to its bound  median {_percent(gaps, statistics.median)}, worst {_percent(gaps, max)}; "
        f"within 0.05 % in {sum(g <= 0.0005 for g in gaps)}/{len(done)}",
        f"  peak memory          median {_median(peaks, 0)} MB, worst {_worst(peaks, 0)} MB",
        f"  past the {limit:g} s limit (largest; below 0: within)  wall {_worst([r['wall'] - limit for r in rows])} s, "
        f"solve_seconds {_worst([r['solve_seconds'] - limit for r in done])} s",
        f"  plain MIP (HiGHS)    proven {len(mip_proofs)}/{len(done)}, median {_median(mip_proofs)} s; "
        f"no schedule in {sum(r['mip']['value'] is None for r in done)}; priority ours >= MIP's in "
        f"{sum(r['mip']['value'] is not None and r['mip']['value'] <= r['priority'] for r in done)}/{len(done)}",
        f"  greedy               priority ours > greedy's in "
        f"{sum(r['greedy']['priority'] < r['priority'] for r in done)}/{len(done)}, "
        f"= in {sum(r['greedy']['priority'] == r['priority'] for r in done)}",
    ]
    if kind == "brokerage":
        lines.append(f"  proven optimal       {sum(r['status'] == 'optimal' for r in done)}/{len(done)}")
    if any(r.get("deterministic") for r in done):
        lines.append(f"  --deterministic      cut by the clock (may not repeat) in "
                     f"{sum(r['cut'] for r in done)}/{len(done)}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kinds", default=",".join(DEFAULT_KINDS),
                        help="comma-separated: " + ",".join(KINDS) + f" (default {','.join(DEFAULT_KINDS)})")
    parser.add_argument("--seeds", type=int, default=10, help="events per kind (seeds 0..N-1)")
    parser.add_argument("--first-seed", type=int, default=0,
                        help="start the seeds there (events no method was measured on while it was made)")
    parser.add_argument("--time-limit", type=float, default=20.0, help="schedule solve --time-limit, seconds")
    parser.add_argument("--json", type=Path, help="also write every row here")
    parser.add_argument("--keep", type=Path, help="keep the events and schedules in this folder")
    parser.add_argument("--deterministic", action="store_true",
                        help="schedule solve --deterministic (repeatable); the summary counts the runs the clock cut")
    args = parser.parse_args()
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        parser.error(f"unknown kind {', '.join(unknown)} (kinds: {', '.join(KINDS)})")
    print(f"{'event':<22} {'req':>5} {'status':<9} {'wall':>6} {'solve':>6} {'MB':>6} {'prio':>6}/{'bound':<6} "
          f"{'gap':>6} {'proof':>6} {'own':>5} {'idle/bound':>10} | {'MIP prio/bound':>14} {'MIP s':>6} | "
          f"{'greedy':>6} | check")
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="robustness-") as temporary:
        folder = args.keep or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        for kind in kinds:
            for seed in range(args.first_seed, args.first_seed + args.seeds):
                row = run_one(kind, seed, args.time_limit, folder, args.deterministic)
                rows.append(row)
                name = f"{kind}-{seed}" + (f" {row['made_by'].split()[2]}" if kind == "mixed" else "")
                if "status" not in row:
                    print(f"{name:<22} {row['requests']:>5} NO SCHEDULE (exit {row['exit']}): {row['error']}")
                    continue
                mip = row["mip"]
                proof = f"{row['priority_seconds']:.1f}" if row["priority_proven"] else "-"
                own = f"{row['priority_own']:.1f}" if row["priority_proven"] and row["priority_own"] is not None else "-"
                print(f"{name:<22} {row['requests']:>5} {row['status']:<9} {row['wall']:>6.1f} "
                      f"{row['solve_seconds']:>6.1f} {_text(row['peak_mb'] and round(row['peak_mb'])):>6} {row['priority']:>6}/{_text(row['priority_bound']):<6} "
                      f"{_gap(row['priority'], row['priority_bound']):>6} {proof:>6} {own:>5} "
                      f"{_text(row['idle_gaps']) + '/' + _text(row['idle_bound']):>10} | "
                      f"{_text(mip['value']):>6}/{_text(mip['bound']):<7} {mip['seconds']:>6.1f}"
                      f"{'*' if mip['proven'] else ' '}| "
                      f"{row['greedy']['priority']:>6} | {'ok' if row['check'] else 'FAILED'}", flush=True)
    print()
    for kind in kinds:
        print("\n".join(summary(kind, [r for r in rows if r["kind"] == kind], args.time_limit)))
    print(f"\n(* MIP proven optimal. Events: `made_by` of each row with --json; limit {args.time_limit:g} s"
          + (", --deterministic" if args.deterministic else "") + ".)")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n")


if __name__ == "__main__":
    main()
