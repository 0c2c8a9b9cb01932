"""The simple baseline: requests in priority order, each at its earliest free slot.

It is what a coordinator with a spreadsheet would do, so benchmarks compare
against it; it also gives CP-SAT a first solution to improve (a hint).
"""

from __future__ import annotations

import time

from scheduler.model.problem import Problem
from scheduler.solve.model.occupancy import Occupancy, greedy_tables
from scheduler.solve.result import Placement


def greedy(problem: Problem) -> tuple[list[Placement], dict[int, str]]:
    """Place required meetings first, then by priority (ties: fewest possible placements first).

    Returns the placements and the plaza table of each buyer (person index).
    """
    tables = greedy_tables(problem)
    occupancy = Occupancy(problem, tables)
    order = sorted(problem.tasks, key=lambda t: (not t.required, -t.priority, len(t.placements()), t.index))
    for task in order:
        placement = occupancy.first_fit(task)
        if placement is not None:
            occupancy.place(placement)
    return list(occupancy.placements), tables


def timed_greedy(problem: Problem) -> tuple[list[Placement], dict[int, str], float]:
    began = time.perf_counter()
    placements, tables = greedy(problem)
    return placements, tables, time.perf_counter() - began
