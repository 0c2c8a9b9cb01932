"""The fewest tables (plaza) or booths per floor and day (teleconference, brokerage) that keep a
placement target, with today's interpreters.

Plaza: a buyer keeps one table all day, so the tables a day needs are its buyers with a meeting;
the fewest tables is the fewest such buyers on the busiest day. Booths: a count of booths opened
per floor and day; at every slot the meetings on a floor stay within its booths opened, and all
the meetings within the booths opened on every floor (a one-slot meeting may take any floor's
booth, as the meeting model with counted interpreters says). The total is minimised; the booths
a schedule found needs are then counted per floor and day with the floors listed first preferred
(booth_days.py), so that a floor nobody needs on a day shows as none.

Tables are solved as the hiring model is: HiGHS, then CP-SAT where HiGHS has not proven it. For
booths the whole model's linear relaxation is too large to help (HiGHS's root alone outlasts a
short limit on the KOTRA week), so the bound comes from a smaller relaxation (booth_bound.py) and
CP-SAT is asked for a schedule within it.
"""

from __future__ import annotations

import math
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.capacity.booth_bound import booth_bound
from scheduler.capacity.booth_days import booths_on, floor_of_choice, floor_of_placement, floors_of, opened_for
from scheduler.capacity.hiring import Target, hinted, keep_target, kept_requests
from scheduler.model.problem import Problem
from scheduler.solve.bounds.mip import solve_mip
from scheduler.solve.model.meetings import ANY_FLOOR, MeetingModel
from scheduler.solve.result import Placement

HIGHS_SHARE = 0.6  # tables: HiGHS's share of the time, CP-SAT the rest where HiGHS has not proven it
# Booths: the relaxation's share of the time (it needs far less where the model is built in time),
# then CP-SAT's search within the bound takes this share of what is left, its minimisation the rest.
BOUND_SHARE = 0.4
WITHIN_BOUND_SHARE = 0.6


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
    if problem.kind == "plaza":
        return _fewest_tables(problem, target, placed_today, seconds)
    return _fewest_booths(problem, target, placed_today, seconds)


def _fewest_booths(problem: Problem, target: Target, placed_today: Sequence[Placement], seconds: float) -> Rooms:
    """The phases, each within what the one before left of ``seconds``: the relaxation's bound
    (booth_bound.py), then CP-SAT asked for a schedule within the bound, then, where that was
    not found, CP-SAT lowering the best schedule found from today's."""
    began = time.perf_counter()
    ends = began + seconds
    model = MeetingModel(problem, seating=False)
    cp = model.model
    keep_target(model, target, placed_today)
    kept = kept_requests(model, target, placed_today)
    least_priority = None
    if target.kind == "share":
        least_priority = math.ceil(target.value * sum(t.priority for t in problem.tasks) - 1e-9)
    else:
        # A meeting the target does not keep only takes people, interpreters and booths: none
        # is needed, and without them the search is the smaller.
        wanted = set(kept)
        for task, choices in model.by_task.items():
            if task not in wanted:
                for choice in choices:
                    cp.add(choice.var == 0)
    counts, have, least = _booths(model, kept)
    # The relaxation's bound, and the booths every day needs whatever the times (the relaxation
    # implies these, but they stand when HiGHS runs out of time).
    bound = booth_bound(model, kept, least_priority, seconds * BOUND_SHARE)
    bound = least if bound is None else max(bound, least)
    opened, feasible, engine = None, None, "HiGHS, then CP-SAT"
    today = [(p.task, p.start, floor_of_placement(problem, p)) for p in placed_today]
    if _keeps(problem, target, kept, least_priority, placed_today):
        opened, feasible = opened_for(problem, today), True
        _hint(model, counts, placed_today, opened)
    # Asked for a schedule within the bound, CP-SAT's feasibility search finds one where one
    # exists far sooner than its minimisation lowers today's.
    if opened is None or sum(opened.values()) > bound:
        found, status, _ = _search(model, counts, ends, bound, share=WITHIN_BOUND_SHARE)
        if found is not None:
            opened, feasible = found, True
        elif status == cp_model.INFEASIBLE:
            bound += 1
    if (opened is None or sum(opened.values()) > bound) and time.perf_counter() < ends - 1.0:
        best = None if opened is None else sum(opened.values())
        found, status, proven = _search(model, counts, ends, bound, share=1.0, minimise=True, best=best)
        if found is not None and (opened is None or sum(found.values()) <= best):
            opened, feasible = found, True
        if status == cp_model.INFEASIBLE:  # nothing from the bound to one fewer than the best
            if opened is None:
                feasible = False
            else:
                bound = sum(opened.values())
        elif status == cp_model.OPTIMAL:
            bound = max(bound, proven)
        elif proven is not None:
            bound = max(bound, proven)
    took = time.perf_counter() - began
    if opened is None:
        return Rooms("booths", None, have, None, bound if feasible is not False else None, False, feasible, engine,
                     took)
    total = sum(opened.values())
    bound = min(bound, total)
    return Rooms("booths", opened, have, total, bound, bound == total, True, engine, took)


def _keeps(problem: Problem, target: Target, kept: Sequence[int], least_priority: int | None,
           placed_today: Sequence[Placement]) -> bool:
    """Whether today's schedule keeps the target (it always keeps every request it places)."""
    placed = {p.task for p in placed_today}
    if least_priority is not None:
        return sum(problem.tasks[t].priority for t in placed) >= least_priority
    return set(kept) <= placed


def _hint(model: MeetingModel, counts, placed_today: Sequence[Placement], opened) -> None:
    model.hint(list(placed_today), {})
    for key, var in counts.items():
        model.model.add_hint(var, opened[key])


def _search(model: MeetingModel, counts, ends: float, bound: int, share: float, minimise: bool = False,
            best: int | None = None):
    """CP-SAT on the booth model: a schedule within ``bound`` booth-days, or (``minimise``) the
    fewest, at least ``bound`` and fewer than ``best``; ``share`` of the time left. Returns the
    booths opened for the schedule found (or None), CP-SAT's status, and (minimising) the bound
    it proved on the total. Without its presolve:
    on the KOTRA week the presolve alone took longer than the search that follows it."""
    problem = model.problem
    cp = model.model.clone()
    total = sum(counts.values())
    if minimise:
        cp.add(total >= bound)
        if best is not None:
            cp.add(total <= best - 1)
        cp.minimize(total)
    else:
        cp.add(total <= bound)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.5, (ends - time.perf_counter()) * share)
    solver.parameters.num_workers = 2
    solver.parameters.cp_model_presolve = False
    status = solver.solve(cp)
    proven = math.ceil(solver.best_objective_bound - 1e-6) if minimise and status != cp_model.UNKNOWN else None
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, status, proven
    chosen = [(c.task, c.start, floor_of_choice(problem, c)) for c in model.choices if solver.value(c.var)]
    found = opened_for(problem, chosen)
    # The times fixed, the booths are recounted (opened_for), which can only be fewer than the
    # counts CP-SAT reached: the minimum it proved stays below the total reported.
    return found, status, None if proven is None else min(proven, sum(found.values()))


def _fewest_tables(problem: Problem, target: Target, placed_today: Sequence[Placement], seconds: float) -> Rooms:
    began = time.perf_counter()
    model = MeetingModel(problem, seating=False)
    cp = model.model
    keep_target(model, target, placed_today)
    model.hint(list(placed_today), {})
    counts, have, objective, total_of, least = _tables(model, placed_today)
    kind = "tables"
    cp.minimize(objective)
    values = hinted(cp)
    outcome = solve_mip(cp, max(0.5, seconds * HIGHS_SHARE))
    bound, engine, feasible = None, "HiGHS", None if values is None else True
    if outcome is not None and outcome.bound is not None:
        bound = math.ceil(outcome.bound - 1e-6)
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
            proven = math.ceil(solver.best_objective_bound - 1e-6)
            bound = total_of(values) if status == cp_model.OPTIMAL else max(bound or 0, proven)
        elif status == cp_model.INFEASIBLE:
            feasible = False
    took = time.perf_counter() - began
    if values is None:
        return Rooms(kind, None, have, None, None, False, feasible, engine, took)
    opened = {key: values[var.index] for key, var in counts.items()}
    total = total_of(values)
    bound = None if bound is None else min(bound, total)
    return Rooms(kind, opened, have, total, bound, bound == total, True, engine, took)


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


def _booths(model: MeetingModel, kept: Sequence[int]):
    """Booths opened per floor and day, with at every slot each floor's meetings within its
    booths opened and all the meetings within every floor's; and the booths every day needs."""
    cp, problem = model.model, model.problem
    floors, on_floor = floors_of(problem), booths_on(problem)
    at: dict[tuple[object, int], list] = defaultdict(list)  # (floor or ANY_FLOOR, slot) -> literals
    for choice in model.choices:
        floor = floor_of_choice(problem, choice)
        for slot in problem.span(problem.tasks[choice.task], choice.start):
            at[(floor, slot)].append(choice.var)
    days = range(len(problem.grid.days))
    counts = {(floor, day): cp.new_int_var(0, on_floor[floor], f"booths_f{floor}_d{day}")
              for floor in floors for day in days}
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
    have = {(floor, day): on_floor[floor] for floor in floors for day in days}
    return counts, have, sum(floor_bound)
