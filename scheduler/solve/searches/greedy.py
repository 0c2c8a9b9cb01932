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
    _place_the_rest(problem, occupancy)
    return list(occupancy.placements), tables


def around(problem: Problem, placements: list[Placement],
           tables: dict[int, str]) -> tuple[list[Placement], dict[int, str]]:
    """``placements`` kept where they are, buyers at ``tables``, and every other request placed
    as :func:`greedy` places them."""
    occupancy = Occupancy(problem, tables)
    for placement in placements:
        occupancy.place(placement)
    _place_the_rest(problem, occupancy)
    return list(occupancy.placements), tables


def _place_the_rest(problem: Problem, occupancy: Occupancy) -> None:
    """Each request not placed yet at its first fit: required ones first, then by priority (ties:
    fewest possible placements first)."""
    placed = {p.task for p in occupancy.placements}
    order = sorted((t for t in problem.tasks if t.index not in placed),
                   key=lambda t: (not t.required, -t.priority, t.placement_count, t.index))
    for task in order:
        placement = occupancy.first_fit(task)
        if placement is not None:
            occupancy.place(placement)


def timed_greedy(problem: Problem) -> tuple[list[Placement], dict[int, str], float]:
    began = time.perf_counter()
    placements, tables = greedy(problem)
    return placements, tables, time.perf_counter() - began


def from_published(problem: Problem) -> tuple[list[Placement], dict[int, str]]:
    """A replan's start: each published meeting that still fits where it was (the frozen past
    first), with its interpreters where they are free, else others at the same time; then the
    other requests as :func:`greedy` places them. Most published meetings can stay."""
    tables = greedy_tables(problem)
    occupancy = Occupancy(problem, tables)
    published, linguist = problem.published, problem.linguist_by_id
    for index in sorted(published, key=lambda i: (not published[i].frozen, i)):
        meeting, task = published[index], problem.tasks[index]
        if meeting.start not in task.options_at:
            continue
        same = tuple(linguist[i].index for i in meeting.interpreters if i in linguist)
        options = sorted(task.options_at[meeting.start], key=lambda o: task.options[o] != same)
        classes = sorted(task.classes, key=lambda c: meeting.booth not in problem.booth_classes[c].booths) or [None]
        fit = next(((o, c) for o in options for c in classes if occupancy.fits(task, meeting.start, o, c)), None)
        if fit is not None:
            occupancy.place(Placement(index, meeting.start, task.options[fit[0]], fit[1]))
    _place_the_rest(problem, occupancy)
    return list(occupancy.placements), tables
