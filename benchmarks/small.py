"""Small events, drawn at random: is every level of the events people make by hand settled?

    python benchmarks/small.py                     # 120 events (seeds 0-119)
    python benchmarks/small.py --events 40 --first-seed 1000
    python benchmarks/small.py --repeatable        # --deterministic twice, in two processes

Each seed draws a kind (plaza, teleconference room, brokerage day), a size from one buyer or
participant up to a few dozen, a random subset of the kind's traits (``schedule generate
--traits``), and the options a coordinator may pass: a time limit of 1, 2 or 3 s, one worker or
two, timed or ``--deterministic``. The event is solved through the API (no documents), the
schedule re-verified by the checker, and per event it prints the solve's seconds and which
objective levels ended unproven (value and bound). The summary counts the levels proven, the
events proven in full, the solve seconds summed, the largest overrun of the time limit, and the
checks failed.

With ``--repeatable`` each event is instead solved with ``--deterministic`` on two workers, twice,
each time in a process of its own, and the two schedules compared: the same event, seed, workers
and limit must give the same schedule, unless the clock cut the run (``wall_stopped``, which the
solve reports).

Small events are where every level should be proven at once: a level left unproven on one is a
method that spends its share searching where a proof was a question away
(benchmarks/README.md, "How the solver chooses": questions at the bound).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scheduler.check import check_schedule  # noqa: E402
from scheduler.generate import (TRAITS, generate_brokerage, generate_plaza,  # noqa: E402
                                generate_teleconference)
from scheduler.model.load import event_from_data  # noqa: E402
from scheduler.model.problem import compile_problem  # noqa: E402
from scheduler.solve import Stop, solve, to_schedule  # noqa: E402


def draw(seed: int) -> tuple[str, frozenset[str], dict, Stop]:
    """The event of one seed (kind, traits, data) and the options it is solved with."""
    rng = random.Random(f"small:{seed}")
    kind = rng.choice(["plaza", "teleconference", "brokerage"])
    traits = frozenset(t for t in TRAITS[kind] if rng.random() < 0.5)
    if kind == "plaza":
        buyers = rng.choice([1, 2, 3, 5, 8, 13, 20])
        firms = rng.choice([1, 2, buyers, 2 * buyers + 1, 3 * buyers])
        data = generate_plaza(buyers=buyers, firms=firms, days=rng.choice([1, 1, 2]),
                              interpreters=rng.choice([None, 0, 1, 2]), seed=seed, traits=traits)
    elif kind == "teleconference":
        data = generate_teleconference(days=rng.choice([1, 2, 3]), booths=rng.choice([1, 2, 5, 15]),
                                       requests_per_day=rng.choice([1, 3, 10, 30]), seed=seed, traits=traits)
    else:
        participants = rng.randint(2, 20)
        data = generate_brokerage(participants=participants, meetings=rng.randint(1, participants * 3),
                                  slots=rng.randint(2, 12), tables=rng.randint(1, 8), seed=seed, traits=traits)
    stop = Stop(time_limit=rng.choice([1.0, 2.0, 3.0]), deterministic=rng.random() < 0.3,
                workers=rng.choice([1, 2]))
    return kind, traits, data, stop


def run_one(seed: int) -> dict:
    kind, traits, data, stop = draw(seed)
    began = time.perf_counter()
    event = event_from_data(data).event
    problem = compile_problem(event)
    result = solve(problem, Stop(time_limit=stop.time_limit, deterministic=stop.deterministic,
                                 workers=stop.workers, started=began))
    failed = check_schedule(event, to_schedule(problem, result))
    return {"seed": seed, "kind": kind, "traits": sorted(traits), "requests": len(problem.tasks), "stop": stop,
            "seconds": result.seconds, "levels": len(result.terms),
            "unproven": [(t.name, t.value, t.bound) for t in result.terms if not t.proven],
            "check": not failed}


def repeatable_digest(seed: int) -> str:
    """The schedule of one seed's event, solved --deterministic on two workers, as a digest, and
    whether the clock cut the run."""
    _, _, data, stop = draw(seed)
    problem = compile_problem(event_from_data(data).event)
    result = solve(problem, Stop(time_limit=stop.time_limit, deterministic=True, workers=2))
    placed = sorted((p.task, p.start, p.interpreters, p.booth) for p in result.placements)
    return f"{hashlib.sha256(repr(placed).encode()).hexdigest()[:12]} {'cut' if result.wall_stopped else 'whole'}"


def repeatable(seeds: range) -> None:
    same = differ = cut = failed = 0
    for seed in seeds:
        runs = [subprocess.run([sys.executable, __file__, "--digest-of", str(seed)], capture_output=True,
                               text=True) for _ in range(2)]
        outcomes = [run.stdout.strip() if run.returncode == 0 else f"exit {run.returncode}: "
                    + (run.stderr.strip().splitlines() or [""])[-1] for run in runs]
        if any(run.returncode != 0 for run in runs):
            failed += 1
            verdict = "FAILED"
        elif any(outcome.endswith(" cut") for outcome in outcomes):
            cut += 1
            verdict = "cut by the clock"
        elif outcomes[0] == outcomes[1]:
            same += 1
            verdict = "same"
        else:
            differ += 1
            verdict = "DIFFERENT"
        print(f"{seed:>5}  {verdict:<16} {' | '.join(outcomes)}", flush=True)
    print(f"\n{len(seeds)} events: {same} the same, {differ} different, {cut} cut by the clock, {failed} failed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=120, help="how many events (seeds)")
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--repeatable", action="store_true",
                        help="instead: --deterministic on two workers, twice, in two processes, compared")
    parser.add_argument("--digest-of", type=int, help=argparse.SUPPRESS)  # one run of --repeatable
    args = parser.parse_args()
    if args.digest_of is not None:
        print(repeatable_digest(args.digest_of))
        return
    if args.repeatable:
        repeatable(range(args.first_seed, args.first_seed + args.events))
        return
    rows = []
    for seed in range(args.first_seed, args.first_seed + args.events):
        row = run_one(seed)
        rows.append(row)
        stop = row["stop"]
        options = f"{stop.time_limit:g} s, {stop.workers} worker(s)" + (", deterministic" if stop.deterministic else "")
        unproven = "; ".join(f"{name}: {value:,} (bound {'-' if bound is None else f'{bound:,}'})"
                             for name, value, bound in row["unproven"]) or "all proven"
        print(f"{seed:>5} {row['kind']:<14} {row['requests']:>4} req  {options:<32} {row['seconds']:>5.2f} s  "
              f"{'check ok' if row['check'] else 'CHECK FAILED'}  {unproven}", flush=True)
    levels = sum(r["levels"] for r in rows)
    proven = levels - sum(len(r["unproven"]) for r in rows)
    print(f"\n{len(rows)} events: levels proven {proven}/{levels}; events proven in full "
          f"{sum(not r['unproven'] for r in rows)}/{len(rows)}; solve seconds summed "
          f"{sum(r['seconds'] for r in rows):.1f}; largest overrun of the limit "
          f"{max(r['seconds'] - r['stop'].time_limit for r in rows):+.2f} s; checks failed "
          f"{sum(not r['check'] for r in rows)}")


if __name__ == "__main__":
    main()
