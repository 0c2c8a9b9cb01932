"""The fewest tables (plaza) or booths per floor and day (teleconference, brokerage) that keep a
placement target, with today's interpreters.

Plaza: a buyer keeps one table all day, so the tables a day needs are its buyers with a meeting;
the fewest tables is the fewest such buyers on the busiest day. Booths: a count of booths opened
per floor and day; at every slot the meetings on a floor stay within its booths opened, and all
the meetings within the booths opened on every floor (a one-slot meeting may take any floor's
booth, as the meeting model with counted interpreters says). The total is minimised first, then
booths on the floors listed first are preferred, so that a floor nobody needs on a day shows as
none. Solved as the hiring model is: HiGHS, then CP-SAT where HiGHS has not proven it.
"""

from __future__ import annotations

import math
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.capacity.hiring import Target, hinted, keep_target, kept_requests
from scheduler.model.problem import Problem
from scheduler.solve.bounds.mip import solve_mip
from scheduler.solve.model.meetings import ANY_FLOOR, MeetingModel
from scheduler.solve.result import Placement

HIGHS_SHARE = 0.6


@dataclass(frozen=True)
class Rooms:
    """``opened[(floor, day)]``: booths (tables, with floor None) the fewest plan opens; ``have``
    the same key's booths in the event; ``total`` the fewest in all (plaza: tables on the busiest
    day; else booths summed over floors and days), its proven bound, and whether proven."""

    kind: str  # tables | booths
    opened: dict[tuple[int | None, int], int] | None
    have: dict[tuple[int | None, int], int]
    total: int | None
    bound: int | None
    proven: bool
    feasible: bool | None
    engine: str
    seconds: float


def fewest_rooms(problem: Problem, target: Target, placed_today: Sequence[Placement], seconds: float) -> Rooms:
    """``placed_today``: today's schedule, the target's meetings and the start (with every
    table or booth open)."""
    began = time.perf_counter()
    model = MeetingModel(problem, seating=False)
    cp = model.model
    keep_target(model, target, placed_today)
    kept = kept_requests(model, target, placed_today)
    model.hint(list(placed_today), {})
    if problem.kind == "plaza":
        counts, have, objective, total_of, least = _tables(model, placed_today)
        kind = "tables"
    else:
        counts, have, objective, total_of, least = _booths(model, placed_today, kept)
        kind = "booths"
    cp.minimize(objective)
    values = hinted(cp)
    # With its presolve (unlike a level's model): without, its root stalls on the week's booths.
    outcome = solve_mip(cp, max(0.5, seconds * HIGHS_SHARE))
    bound, engine, feasible = None, "HiGHS", None if values is None else True
    if outcome is not None and outcome.bound is not None:
        bound = _total_bound(outcome.bound, problem, kind, counts)
    if outcome is not None and outcome.values is not None:
        values, feasible = outcome.values, True
    if outcome is None or not outcome.proven:
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.5, seconds - (time.perf_counter() - began))
        solver.parameters.num_workers = 2
        if values is not None:
            cp.clear_hints()
            for index, value in enumerate(values):
                cp.add_hint(cp.get_int_var_from_proto_index(index), value)
        status = solver.solve(cp)
        engine = "CP-SAT" if outcome is None else "HiGHS, then CP-SAT"
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            found = [solver.value(cp.get_int_var_from_proto_index(i)) for i in range(len(cp.proto.variables))]
            if values is None or total_of(found) <= total_of(values):
                values = found
            feasible = True
            proven = _total_bound(solver.best_objective_bound, problem, kind, counts)
            bound = total_of(values) if status == cp_model.OPTIMAL else max(bound or 0, proven)
        elif status == cp_model.INFEASIBLE:
            feasible = False
    took = time.perf_counter() - began
    if values is None:
        return Rooms(kind, None, have, None, None, False, feasible, engine, took)
    opened = {key: values[var.index] for key, var in counts.items()}
    total = total_of(values)
    if least is not None:  # the booths every day needs, whatever the solvers prove
        bound = least if bound is None else max(bound, least)
    bound = None if bound is None else min(bound, total)
    return Rooms(kind, opened, have, total, bound, bound == total, True, engine, took)


def _total_bound(objective_bound: float, problem: Problem, kind: str, counts) -> int:
    """A lower bound on the total from a bound on the objective (for booths, weighted)."""
    if kind == "tables":
        return math.ceil(objective_bound - 1e-6)
    weight = _weight(problem, counts)  # the tie-break adds less than one booth's weight
    return max(0, math.ceil((objective_bound - weight + 1) / weight - 1e-6))


def _weight(problem: Problem, counts) -> int:
    """A booth's weight: more than every floor's tie-break together, so the total comes first."""
    floors = len({floor for floor, _ in counts})
    return len(problem.event.booths) * len(problem.grid.days) * floors + 1


def _tables(model: MeetingModel, placed_today: Sequence[Placement]):
    """Per day, each buyer with a meeting that day takes a table; the fewest tables is the
    busiest day's count. Hinted at today's schedule."""
    cp, problem = model.model, model.problem
    meeting_today = {(problem.tasks[p.task].people[1], problem.slot_day(p.start)) for p in placed_today}
    meets: dict[tuple[int, int], list] = defaultdict(list)
    for choice in model.choices:
        buyer = problem.tasks[choice.task].people[1]
        meets[(buyer, problem.slot_day(choice.start))].append(choice.var)
    at_day: dict[int, list] = defaultdict(list)
    for (buyer, day), literals in meets.items():
        busy = cp.new_bool_var(f"table_b{buyer}_d{day}")
        cp.add_hint(busy, (buyer, day) in meeting_today)
        for literal in literals:
            cp.add(busy >= literal)
        at_day[day].append(busy)
    tables = len(problem.event.booths)
    most = cp.new_int_var(0, tables, "tables")
    cp.add_hint(most, max(Counter(day for _, day in meeting_today).values(), default=0))
    for day, busy in at_day.items():
        cp.add(sum(busy) <= most)
    have = {(None, day): tables for day in range(len(problem.grid.days))}
    counts = {(None, day): most for day in range(len(problem.grid.days))}
    return counts, have, most, lambda values: values[most.index], None


def _least_per_day(model: MeetingModel, kept: Sequence[int]) -> list[int]:
    """Per day, booths that must be open whatever the times: for every run of slots of the
    day, the meetings the target keeps that can only take place within it fill its slots
    (their length each), so at least that many booth-slots over its length are needed. The
    linear relaxation spreads meetings thinly over the day and misses this; people's hours
    (a buyer's time zone) make it bite."""
    problem = model.problem
    by_day: dict[int, list[tuple[int, int, int]]] = defaultdict(list)  # day -> (first, last, length)
    for task in kept:
        starts = [c.start for c in model.by_task[task]]
        if not starts:
            continue
        length = problem.tasks[task].length
        first, last = min(starts), max(starts) + length - 1
        day = problem.slot_day(first)
        if problem.slot_day(last) == day:
            by_day[day].append((first, last, length))
    least = [0] * len(problem.grid.days)
    for day, spans in by_day.items():
        edges_first = sorted({f for f, _, _ in spans})
        edges_last = sorted({l for _, l, _ in spans})
        for a in edges_first:
            for b in edges_last:
                if b < a:
                    continue
                load = sum(length for f, l, length in spans if f >= a and l <= b)
                least[day] = max(least[day], math.ceil(load / (b - a + 1)))
    return least


def _booths(model: MeetingModel, placed_today: Sequence[Placement], kept: Sequence[int]):
    """Booths opened per floor and day; hinted at today's schedule's busiest slot of each."""
    cp, problem = model.model, model.problem
    floors = sorted({b.floor for b in problem.event.booths}, key=lambda f: (f is None, f or 0))
    rank = {floor: i for i, floor in enumerate(floors)}
    on_floor = {floor: sum(1 for b in problem.event.booths if b.floor == floor) for floor in floors}
    at: dict[tuple[object, int], list] = defaultdict(list)  # (floor or ANY_FLOOR, slot) -> literals
    for choice in model.choices:
        task = problem.tasks[choice.task]
        if choice.booth_class == ANY_FLOOR:
            floor = ANY_FLOOR
        elif choice.booth_class is not None:
            floor = problem.booth_classes[choice.booth_class].floor
        else:
            floor = problem.booth_floor.get(task.pinned_booth)
        for slot in problem.span(task, choice.start):
            at[(floor, slot)].append(choice.var)
    days = range(len(problem.grid.days))
    counts = {(floor, day): cp.new_int_var(0, on_floor[floor], f"booths_f{floor}_d{day}")
              for floor in floors for day in days}
    used: Counter = Counter()  # (floor, slot) -> today's meetings there
    for placement in placed_today:
        floor = problem.booth_floor.get(placement.booth) if placement.booth else None
        for slot in problem.span(problem.tasks[placement.task], placement.start):
            used[(floor, slot)] += 1
    for (floor, day), var in counts.items():
        cp.add_hint(var, max((n for (f, slot), n in used.items() if f == floor and problem.slot_day(slot) == day),
                             default=0))
    slots: dict[int, set[int]] = defaultdict(set)
    for (_, slot) in at:
        slots[problem.slot_day(slot)].add(slot)
    for day, day_slots in slots.items():
        for slot in day_slots:
            for floor in floors:
                if at.get((floor, slot)):
                    cp.add(sum(at[(floor, slot)]) <= counts[(floor, day)])
            every = [v for floor in (*floors, ANY_FLOOR) for v in at.get((floor, slot), [])]
            if every:
                cp.add(sum(every) <= sum(counts[(floor, day)] for floor in floors))
    floor_bound = _least_per_day(model, kept)
    for day, least in enumerate(floor_bound):
        if least:
            cp.add(sum(counts[(floor, day)] for floor in floors) >= least)
    weight = _weight(problem, counts)
    objective = sum((weight + rank[floor]) * var for (floor, _), var in counts.items())
    have = {(floor, day): on_floor[floor] for floor in floors for day in days}
    return counts, have, objective, lambda values: sum(values[v.index] for v in counts.values()), sum(floor_bound)
