"""Capacity planning benchmarks (issue targets), one instance at a time:

    python benchmarks/capacity.py                 # all four
    python benchmarks/capacity.py daegu-fewest    # one

- daegu-fewest: the Daegu plaza, the fewest interpreters per profile that keep every request
  today's roster places: proven, in 60 s at most (today's priority solve not counted);
- daegu-curve: priority re-solved with +0..+5 interpreters of the scarcest profile (the one the
  most requests left out today wait for), in 2 minutes at most;
- kotra-booths: the KOTRA teleconference week, the fewest booths per floor and day that keep
  every placed meeting: proven, in 30 s at most;
- generated-booths: the same on generated teleconference weeks (``schedule generate
  teleconference``: seed 1, no traits; seed 2, every trait; seed 3, remote windows, reservations,
  pinned and popular meetings at 100 requests a day), so that the method is not tuned to one week.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scheduler.capacity.hiring import Target, candidates_for, fewest_interpreters, with_candidates  # noqa: E402
from scheduler.capacity.marginal import Marginal, curve, one_more, resolved, shortages  # noqa: E402
from scheduler.capacity.profiles import profile_of, roster_profiles  # noqa: E402
from scheduler.capacity.rooms import fewest_rooms  # noqa: E402
from scheduler.generate import generate_teleconference, parse_traits  # noqa: E402
from scheduler.model.load import event_from_data, load_event  # noqa: E402
from scheduler.model.problem import compile_problem  # noqa: E402

DAEGU = ROOT / "scenarios" / "daegu-plaza.yaml"
KOTRA = ROOT / "scenarios" / "kotra-teleconference-week.yaml"
TODAY_SECONDS = 30.0  # today's priority solve, before each target's clock starts


def daegu_fewest() -> str:
    event = load_event(DAEGU).event
    today = resolved(event, TODAY_SECONDS)
    profiles = roster_profiles(event)
    target = Target.parse("all-placed")
    began = time.perf_counter()
    roster = with_candidates(event, profiles, candidates_for(event, profiles, target, [False] * len(profiles)))
    hiring = fewest_interpreters(roster, target, today.placements, 60.0)
    took = time.perf_counter() - began
    met = hiring.proven and took <= 60
    return (f"daegu-fewest: today {sum(roster.today)} interpreters, priority {today.priority}; fewest "
            f"{hiring.total}, bound {hiring.bound}, {'proven' if hiring.proven else 'not proven'} by "
            f"{hiring.engine} in {took:.1f} s: target (proven, <= 60 s) {'met' if met else 'NOT met'}")


def daegu_curve() -> str:
    event = load_event(DAEGU).event
    today = resolved(event, TODAY_SECONDS)
    profiles = roster_profiles(event)
    short = shortages(compile_problem(event), profiles, today.placements)
    top = short[0].profile
    count = sum(1 for i in event.interpreters if profile_of(i) == top.key)
    began = time.perf_counter()
    more = resolved(one_more(event, top), 20.0, count + 1)
    points = curve(event, Marginal(top, count, more, None), today, 20.0)
    took = time.perf_counter() - began
    shown = ", ".join(f"+{p.interpreters - count} {p.priority}{'' if p.proven else '*'}" for p in points)
    return (f"daegu-curve: {top.label} ({short[0].requests} requests left out today): {shown} in {took:.1f} s "
            f"(20 s a re-solve; * not proven): target (<= 120 s) {'met' if took <= 120 else 'NOT met'}")


def fewest_booths(name: str, event) -> str:
    today = resolved(event, TODAY_SECONDS)
    began = time.perf_counter()
    rooms = fewest_rooms(compile_problem(event), Target.parse("all-placed"), today.placements, 30.0)
    took = time.perf_counter() - began
    met = rooms.proven and took <= 30
    return (f"{name}: {len(today.placements)} meetings placed today; fewest {rooms.total} booth-days of "
            f"{sum(rooms.have.values())}, bound {rooms.bound}, {'proven' if rooms.proven else 'not proven'} by "
            f"{rooms.engine} in {took:.1f} s: target (proven, <= 30 s) {'met' if met else 'NOT met'}")


def kotra_booths() -> str:
    return fewest_booths("kotra-booths", load_event(KOTRA).event)


GENERATED_WEEKS = ((1, "none", 80), (2, "all", 80), (3, "remote-windows,reservations,pinned,popular", 100))


def generated_booths() -> str:
    lines = []
    for seed, traits, per_day in GENERATED_WEEKS:
        data = generate_teleconference(requests_per_day=per_day, seed=seed,
                                       traits=parse_traits("teleconference", traits))
        event = event_from_data(data, f"generated-{seed}.yaml").event
        lines.append(fewest_booths(f"generated week (seed {seed}, traits {traits}, {per_day} a day)", event))
    return "\n".join(lines)


BENCHMARKS = {"daegu-fewest": daegu_fewest, "daegu-curve": daegu_curve, "kotra-booths": kotra_booths,
              "generated-booths": generated_booths}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("targets", nargs="*", help=f"of {', '.join(BENCHMARKS)} (default: all four)")
    names = parser.parse_args().targets or list(BENCHMARKS)
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:  # checked here: argparse's choices refuse the empty list nargs="*" gives
        parser.error(f"unknown target {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    for name in names:
        print(BENCHMARKS[name](), flush=True)


if __name__ == "__main__":
    main()
