"""More priority on events too large for one model: re-solve small parts exactly (LNS).

On a 500-buyer expo, CP-SAT with two workers is still presolving the whole
model after 40 s and its own neighbourhood search never completes a move.
Here a part is a handful of buyers (the tables of a plaza, the remote side of
a teleconference) freed together with the buyers who wished to meet the same
firms; every other meeting stays where it is. CP-SAT places the freed requests
around what the rest takes, proving the part's best quickly, and the schedule
keeps the result when it places more priority. Parts grow while they are
solved to proof and shrink when they are not, and the search stops at the
proven bound, the deadline, or after STALL_SECONDS without a gain (seconds,
or work units when the budget is deterministic).
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable

from ortools.sat.python import cp_model

from scheduler.model.problem import Problem
from scheduler.solve.budget import Budget
from scheduler.solve.cpsat import MeetingModel
from scheduler.solve.occupancy import Occupancy
from scheduler.solve.result import Placement

PART_SECONDS = 2.0  # at most per part
STALL_SECONDS = 15.0  # stop when no part has gained anything for this long


def improve_priority(problem: Problem, placements: list[Placement], tables: dict[int, str], budget: Budget,
                     until: float, seed: int = 0, workers: int = 2, bound: int | None = None,
                     report: Callable[[int], None] | None = None) -> list[Placement]:
    """A schedule with every meeting of ``placements`` kept or bettered in total priority, by
    re-solving parts until ``budget.spent()`` reaches ``until`` or the schedule ``bound``."""
    rng = random.Random(seed)
    anchors = sorted({t.people[1] for t in problem.tasks})  # buyers (the second side)
    tasks_of: dict[int, list[int]] = defaultdict(list)
    wished_by: dict[int, list[int]] = defaultdict(list)  # first side (firm) -> anchors
    for task in problem.tasks:
        tasks_of[task.people[1]].append(task.index)
        wished_by[task.people[0]].append(task.people[1])
    occupancy = Occupancy(problem, tables)
    current: dict[int, Placement] = {}
    for placement in placements:
        occupancy.place(placement)
        current[placement.task] = placement
    value = sum(problem.tasks[t].priority for t in current)
    size = min(len(anchors), 16)
    gained = budget.spent()
    while budget.spent() < min(until - budget.units(0.2), gained + budget.units(STALL_SECONDS)) and (bound is None or value < bound):
        part = _part(problem, rng, anchors, tasks_of, wished_by, size)
        freed = [current[t] for t in part if t in current]
        for placement in freed:
            occupancy.remove(placement)
        sub = MeetingModel(problem, tasks=tuple(problem.tasks[t] for t in part), taken=occupancy, seating=False)
        sub.hint(freed, tables)
        expression = sum(problem.tasks[c.task].priority * c.var for c in sub.choices)
        before = sum(problem.tasks[p.task].priority for p in freed)
        sub.model.add(expression >= before)
        sub.model.maximize(expression)
        solver = cp_model.CpSolver()
        status = budget.run(solver, sub.model, min(budget.units(PART_SECONDS), until - budget.spent()), workers,
                            seed=rng.randrange(1 << 30))
        chosen = freed
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) and round(solver.objective_value) > before:
            chosen = sub.placements(solver.value)
            value += round(solver.objective_value) - before
            gained = budget.spent()
            for placement in freed:
                del current[placement.task]
            current.update((p.task, p) for p in chosen)
            if report is not None:
                report(value)
        for placement in chosen:
            occupancy.place(placement)
        size = min(len(anchors), size + 2) if status == cp_model.OPTIMAL else max(2, size * 3 // 4)
    return list(current.values())


def _part(problem: Problem, rng: random.Random, anchors: list[int], tasks_of, wished_by, size: int) -> list[int]:
    """The requests of ``size`` buyers: a random one, then buyers who wished to meet its firms."""
    chosen = [rng.choice(anchors)]
    seen = set(chosen)
    frontier = list(chosen)
    while frontier and len(chosen) < size:
        anchor = frontier.pop(0)
        firms = [problem.tasks[t].people[0] for t in tasks_of[anchor]]
        rng.shuffle(firms)
        for firm in firms:
            for other in wished_by[firm]:
                if other not in seen and len(chosen) < size:
                    seen.add(other)
                    chosen.append(other)
                    frontier.append(other)
    if len(chosen) < size:  # a small island: top up at random
        rest = [a for a in anchors if a not in seen]
        chosen.extend(rng.sample(rest, min(len(rest), size - len(chosen))))
    return sorted(t for anchor in chosen for t in tasks_of[anchor])
