"""The fewest interpreters of each profile that keep a placement target, proven.

The event is extended with candidate interpreters: copies of each profile's template (its
languages, hours and cap), enough that the candidates never limit what the profile could do.
Copies and the roster's interpreters of the same languages, hours and cap fall into one
interpreter pool of the meeting model with counted interpreters (``MeetingModel(seating=False)``),
so the candidates add no placement choices. Each pool gets a count of hired members: its seats at
every slot stay within it, and its meetings on every day within it times the cap. That is exact
for the same reason the pools are (pipeline/pools.py: the members hired are named least-loaded
first). The target keeps meetings placed; the objective is the sum of the hired counts. HiGHS
proves such a program fast; CP-SAT answers where HiGHS finds nothing in its time (and says
whether the target can be met at all).
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.capacity.profiles import Profile, profile_of, usable
from scheduler.model.event import Event
from scheduler.model.problem import Problem, compile_problem
from scheduler.solve.bounds.mip import solve_mip
from scheduler.solve.methods.engines import LEVEL_MIP_OPTIONS
from scheduler.solve.model.meetings import MeetingModel
from scheduler.solve.model.objective import total_priority
from scheduler.solve.result import Placement


@dataclass(frozen=True)
class Target:
    """What the hired roster must still place: ``all-placed`` (every request today's roster
    places), ``priority>=P`` (every request of priority P or more that can take place at all),
    or ``share=S`` (at least the share S of the priority requested)."""

    kind: str  # all-placed | priority | share
    value: float = 0.0

    @classmethod
    def parse(cls, text: str) -> Target:
        text = text.strip().replace(" ", "")
        if text == "all-placed":
            return cls("all-placed")
        found = re.fullmatch(r"priority>=([1-5])", text)
        if found:
            return cls("priority", int(found.group(1)))
        found = re.fullmatch(r"share=(0?\.\d+|1(\.0*)?|\d{1,3}%)", text)
        if found:
            share = float(text[6:-1]) / 100 if text.endswith("%") else float(text[6:])
            if 0 < share <= 1:
                return cls("share", share)
        raise ValueError(f"{text!r} is not a target: give all-placed, priority>=P (P 1-5) or share=S "
                         "(0 < S <= 1, e.g. share=0.95)")

    def describe(self) -> str:
        if self.kind == "all-placed":
            return "every request today's roster places"
        if self.kind == "priority":
            return f"every request of priority {int(self.value)} or more that can take place"
        return f"at least {self.value:.0%} of the priority requested"


@dataclass(frozen=True)
class Roster:
    """The event with candidate interpreters after the roster: ``profile`` names each
    interpreter's profile (an index into ``profiles``), ``today`` each profile's count on the
    roster, ``candidates`` how many copies of each were added."""

    event: Event
    problem: Problem
    profiles: tuple[Profile, ...]
    profile: tuple[int, ...]
    today: tuple[int, ...]
    candidates: tuple[int, ...]


# HiGHS's share of the time; CP-SAT takes the rest where HiGHS has not proven the fewest.
HIGHS_SHARE = 0.6
# Candidates of each profile at most, unless asked: a profile named by a meeting longer than a
# slot has each copy as an interpreter of its own, and its relays take one choice per pair.
MOST_CANDIDATES = 5


def candidates_for(event: Event, profiles: Sequence[Profile], target: Target, given: Sequence[bool],
                   most: int = MOST_CANDIDATES) -> list[int]:
    """How many candidates of each profile the hiring model gets. Keeping what today's roster
    places needs nobody new, so then only the profiles the coordinator names get candidates."""
    wanted = [target.kind != "all-placed" or given[i] for i in range(len(profiles))]
    if not any(wanted):
        return [0] * len(profiles)
    useful = most_useful(event, profiles)
    return [min(useful[i], most) if wanted[i] else 0 for i in range(len(profiles))]


def with_candidates(event: Event, profiles: Sequence[Profile], extra: Sequence[int]) -> Roster:
    """The event with ``extra[p]`` candidates of each profile ``p`` added after the roster."""
    index = {p.key: i for i, p in enumerate(profiles)}
    added = [p.candidate(n + 1) for i, p in enumerate(profiles) for n in range(extra[i])]
    extended = event.model_copy(update={"interpreters": (*event.interpreters, *added)})
    owner = tuple(index[profile_of(i)] if profile_of(i) in index else -1 for i in extended.interpreters)
    today = tuple(sum(1 for i in event.interpreters if profile_of(i) == p.key) for p in profiles)
    return Roster(extended, compile_problem(extended), tuple(profiles), owner, today, tuple(extra))


def most_useful(event: Event, profiles: Sequence[Profile]) -> list[int]:
    """Per profile, the most interpreters of it that could ever be busy: no more than the
    requests it could take part in, nor than meetings at once (a meeting takes at most one of a
    profile: a relay's two seats come from different ones), unless its daily cap needs more."""
    probe = event.model_copy(update={"interpreters": (*event.interpreters,
                                                      *(p.candidate(1) for p in profiles))})
    problem = compile_problem(probe)
    at_once = max(1, len(problem.people) // 2)
    most = []
    for i, profile in enumerate(profiles):
        requests = len(usable(problem, len(event.interpreters) + i))
        cap = profile.max_meetings
        need = at_once if cap is None else max(at_once, math.ceil(requests / max(1, cap)))
        most.append(min(requests, need))
    return most


@dataclass(frozen=True)
class Hiring:
    """The answer: per profile the fewest interpreters (None where none was found), the total,
    its proven lower bound, and whether that bound is reached. ``feasible`` False: the target
    cannot be met even with every candidate hired (proven by CP-SAT)."""

    roster: Roster
    target: Target
    fewest: tuple[int, ...] | None
    total: int | None
    bound: int | None
    proven: bool
    feasible: bool | None  # None: not known within the time limit
    engine: str
    seconds: float
    placements: tuple[Placement, ...] = ()
    never: tuple[int, ...] = ()  # requests the target names that can never take place

    @property
    def gap(self) -> float | None:
        if self.total is None or self.bound is None:
            return None
        return (self.total - self.bound) / max(1, self.total)


def fewest_interpreters(roster: Roster, target: Target, placed_today: Sequence[Placement],
                        seconds: float) -> Hiring:
    """The fewest interpreters of each profile, in all, that keep ``target``; ``placed_today``
    is the schedule today's roster gets (the target's meetings, and HiGHS's start)."""
    began = time.perf_counter()
    problem = roster.problem
    model = MeetingModel(problem, seating=False)
    cp = model.model
    hired = [cp.new_int_var(0, len(members), f"hired_q{q}") for q, members in enumerate(model.pools)]
    _hired_bound_seats(model, hired)
    never = keep_target(model, target, placed_today)
    _ordered_copies(model, roster, hired)
    cp.minimize(sum(hired))
    model.hint(list(placed_today), {})
    for q, members in enumerate(model.pools):
        cp.add_hint(hired[q], sum(1 for i in members if i < len(problem.event.interpreters)
                                  and not _is_candidate(roster, i)))
    start = hinted(cp)  # today's roster and schedule: a plan that keeps an all-placed target
    # Without its presolve, as on a level's model: on the KOTRA week HiGHS then finds rosters
    # from the start, where with it it found none in 40 s.
    outcome = solve_mip(cp, max(0.5, seconds * HIGHS_SHARE), options=LEVEL_MIP_OPTIONS)
    engine, values, bound, feasible = "HiGHS", start, None, None if start is None else True
    if outcome is not None:
        bound = outcome.bound
        if outcome.values is not None:
            values, feasible = outcome.values, True
    if outcome is None or not outcome.proven:
        # HiGHS did not prove it (or, on some tiny programs, stops at its start with the root's
        # bound): CP-SAT goes on from its best, and the stronger bound of the two holds.
        if values is not None:
            cp.clear_hints()
            for index, value in enumerate(values):
                cp.add_hint(cp.get_int_var_from_proto_index(index), value)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.5, seconds - (time.perf_counter() - began))
        solver.parameters.num_workers = 2
        status = solver.solve(cp)
        engine = "CP-SAT" if outcome is None else "HiGHS, then CP-SAT"
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            found = [solver.value(cp.get_int_var_from_proto_index(i)) for i in range(len(cp.proto.variables))]
            if values is None or solver.objective_value < _total(values, hired):
                values = found
            proven_by_cpsat = math.ceil(solver.best_objective_bound - 1e-6)
            bound = proven_by_cpsat if bound is None else max(bound, proven_by_cpsat)
            feasible = True
        elif status == cp_model.INFEASIBLE:
            feasible = False
    seconds_taken = time.perf_counter() - began
    if values is None:
        return Hiring(roster, target, None, None, bound, False, feasible, engine, seconds_taken, never=never)
    fewest = [0] * len(roster.profiles)
    for q, members in enumerate(model.pools):
        fewest[roster.profile[members[0]]] += values[hired[q].index]
    total = sum(fewest)
    bound = None if bound is None else min(bound, total)
    placements = tuple(model.placements(lambda v: values[v.index]))
    return Hiring(roster, target, tuple(fewest), total, bound, bound == total, True, engine, seconds_taken,
                  placements, never)


def hinted(model: cp_model.CpModel) -> list[int] | None:
    """The model's hint as a solution, where it names every variable and keeps every
    constraint (a fallback answer when no solver finds one in its time)."""
    hint = model.proto.solution_hint
    if len(hint.vars) != len(model.proto.variables):
        return None
    values = [0] * len(model.proto.variables)
    for index, value in zip(hint.vars, hint.values):
        values[index] = value
    return values if holds(model, values) else None


def holds(model: cp_model.CpModel, values: list[int]) -> bool:
    """Whether ``values`` keep every constraint: CP-SAT with every variable fixed."""
    check = model.clone()
    check.clear_hints()
    check.clear_objective()
    for index, value in enumerate(values):
        check.add(check.get_int_var_from_proto_index(index) == value)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 30.0
    return solver.solve(check) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def _total(values: Sequence[int], hired) -> int:
    return sum(values[h.index] for h in hired)


def _is_candidate(roster: Roster, interpreter: int) -> bool:
    return interpreter >= len(roster.event.interpreters) - sum(roster.candidates)


def _hired_bound_seats(model: MeetingModel, hired) -> None:
    """A pool's seats at a slot within its members hired, and its meetings on a day within the
    members hired times their cap (every member of a pool has the same)."""
    cp, problem = model.model, model.problem
    for (pool, _), variables in model.by_pool_slot.items():
        cp.add(sum(variables) <= hired[pool])
    for (pool, _), variables in model.by_pool_day.items():
        cap = problem.linguists[model.pools[pool][0]].record.max_meetings
        if cap is not None:
            cp.add(sum(variables) <= cap * hired[pool])


def keep_target(model: MeetingModel, target: Target, placed_today: Sequence[Placement]) -> tuple[int, ...]:
    """The target as constraints; returns the requests it names that can never take place."""
    cp, problem = model.model, model.problem
    if target.kind == "share":
        requested = sum(t.priority for t in problem.tasks)
        cp.add(total_priority(model)[0] >= math.ceil(target.value * requested - 1e-9))
        return ()
    kept = kept_requests(model, target, placed_today)
    never = tuple(t for t in kept if not model.by_task[t])
    for task in kept:
        if model.by_task[task]:
            cp.add(model.placed(task) == 1)
    return never


def kept_requests(model: MeetingModel, target: Target, placed_today: Sequence[Placement]) -> list[int]:
    """The requests the target keeps, one by one (none for a share of the priority)."""
    if target.kind == "share":
        return []
    if target.kind == "all-placed":
        return sorted({p.task for p in placed_today})
    return [t.index for t in model.problem.tasks if t.priority >= target.value]


def _ordered_copies(model: MeetingModel, roster: Roster, hired) -> None:
    """Candidates that are pools of one (named for a long meeting) are alike: hired in order."""
    alike: dict[int, list[int]] = {}
    for q, members in enumerate(model.pools):
        if len(members) == 1 and _is_candidate(roster, members[0]):
            alike.setdefault(roster.profile[members[0]], []).append(q)
    for pools in alike.values():
        for first, second in zip(pools, pools[1:]):
            model.model.add(hired[first] >= hired[second])
