"""Fewer changes to a published schedule on events too large for one model: re-solve small parts
around the published meetings that changed (LNS), every other meeting where it is.

A part grows from one changed meeting (cancelled, moved, or given another interpreter): its
people's requests, and on the day it was published, the meetings of every interpreter who could
interpret it, and the other changed meetings among those. CP-SAT places the part's requests
around the rest with the fewest changes (the level's own term, objective.py), never more than
the part had; a meeting not published may give way, which the later levels place again. Parts
grow while they are solved to proof and shrink when they are not, as priority's parts do
(parts.py).
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable

from ortools.sat.python import cp_model

from scheduler.model.baseline import CHANGE_WEIGHTS
from scheduler.model.problem import Problem
from scheduler.solve.model.measure import fate
from scheduler.solve.model.meetings import MeetingModel
from scheduler.solve.model.objective import fewest_changes
from scheduler.solve.pipeline.budget import Budget
from scheduler.solve.result import Placement
from scheduler.solve.searches.parts import PART_SECONDS, _placed, _stalled, put_back

FIRST_PART = 40  # requests in the first part; later parts grow or shrink from it
SMALLEST_PART = 8


def fate_weight(problem: Problem, task: int, placement: Placement | None) -> int:
    """What a published meeting's placement costs at the fewest-changes level (its fate as the
    measure reads it; a search's placements have no booth yet); 0 for a request that was not
    published."""
    return CHANGE_WEIGHTS[fate(problem, task, placement)] if task in problem.published else 0


def reduce_changes(problem: Problem, placements: list[Placement], tables: dict[int, str], budget: Budget,
                   until: float, seed: int = 0, workers: int = 2,
                   bound: Callable[[], int | None] | None = None,
                   value_of: Callable[[list[Placement]], int] | None = None,
                   report: Callable[[int], None] | None = None) -> list[Placement]:
    """A schedule with no more changes than ``placements``, by re-solving parts until
    ``budget.spent()`` reaches ``until``, the proven ``bound()``, or no part gains (parts.py's
    stall rule). ``value_of`` is the level's value of a schedule (its measure, which knows the
    interpreters the search leaves to be seated later; by default the parts' own count), read
    after each gain and compared with the bound; ``report`` hears it."""
    rng = random.Random(seed)
    occupancy, current = _placed(problem, placements, tables)
    withdrawn = CHANGE_WEIGHTS["cancelled"] * problem.withdrawn
    value = withdrawn + sum(fate_weight(problem, t, current.get(t)) for t in problem.published)
    by_person: dict[int, list[int]] = defaultdict(list)
    for task in problem.tasks:
        for person in task.people:
            by_person[person].append(task.index)
    size, gained, idle = FIRST_PART, budget.spent(), 0

    def changed() -> list[int]:
        return [t for t in problem.published if fate_weight(problem, t, current.get(t)) > 0]

    while (budget.spent() < until - budget.units(0.2) and not budget.clock_ran_out()
           and not _stalled(budget, gained, idle)):
        known = bound() if bound is not None else None
        if known is not None and value <= known:
            break
        open_ones = changed()
        if not open_ones:
            break
        part = _part(problem, rng, rng.choice(open_ones), current, by_person, size)
        freed = [current[t] for t in part if t in current]
        for placement in freed:
            occupancy.remove(placement)
        sub = MeetingModel(problem, tasks=tuple(problem.tasks[t] for t in part), taken=occupancy, seating=False)
        sub.hint(freed, tables)
        expression = fewest_changes(sub)[0]
        before = withdrawn + sum(fate_weight(problem, t, current.get(t)) for t in part)
        sub.model.add(expression <= before)
        sub.optimise(expression, "min")
        solver = cp_model.CpSolver()
        status = budget.run(solver, sub.model, min(budget.units(PART_SECONDS), until - budget.spent()), workers,
                            seed=rng.randrange(1 << 30))
        chosen = freed
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) and round(solver.objective_value) < before:
            chosen = sub.placements(solver.value)
            value += round(solver.objective_value) - before
            gained, idle = budget.spent(), 0
        else:
            idle += 1
        put_back(occupancy, current, freed, chosen)
        if chosen is not freed:
            if value_of is not None:
                value = value_of(list(current.values()))
            if report is not None:
                report(value)
        size = size + size // 4 if status == cp_model.OPTIMAL else max(SMALLEST_PART, size * 3 // 4)
    return list(current.values())


def _part(problem: Problem, rng: random.Random, first: int, current: dict[int, Placement],
          by_person: dict[int, list[int]], size: int) -> list[int]:
    """About ``size`` requests around the changed meeting ``first``: its people's requests, then,
    on its published day, the meetings of the interpreters who could take it, nearest in time
    first, the changed ones before the others."""
    task = problem.tasks[first]
    chosen = {first}
    for person in task.people:
        chosen.update(by_person[person])
    published = problem.published[first]
    day = problem.slot_day(published.start) if published.start is not None else None
    could = {i for option in task.options for i in option}
    nearby = [p for p in current.values() if p.task not in chosen and could & set(p.interpreters)
              and (day is None or problem.slot_day(p.start) == day)]
    rng.shuffle(nearby)  # ties in time broken at random, so that parts differ
    at = published.start if published.start is not None else 0
    nearby.sort(key=lambda p: (fate_weight(problem, p.task, p) == 0, abs(p.start - at)))
    for placement in nearby:
        if len(chosen) >= size:
            break
        chosen.add(placement.task)
        chosen.update(t for person in problem.tasks[placement.task].people for t in by_person[person]
                      if t in problem.published and fate_weight(problem, t, current.get(t)) > 0)
    return sorted(chosen)
