"""Fewer idle gaps without touching anything more important: re-time meetings one at a time.

Every move keeps the same set of meetings (so priority and fairness stay as
they are) and every rule (it goes through :class:`Occupancy`). A move is taken
when it lowers the idle gaps of the two people in the meeting; passes repeat
until none helps or time runs out. CP-SAT then starts its idle-gap level from
the result.
"""

from __future__ import annotations

import time
from bisect import insort

from scheduler.model.problem import Problem
from scheduler.solve.measure import interpreter_place
from scheduler.solve.occupancy import Occupancy
from scheduler.solve.result import Placement


def _gaps(runs: list[tuple[int, int]]) -> int:
    return sum(1 for (_, end), (start, _) in zip(runs, runs[1:]) if start > end)


def reduce_idle_gaps(problem: Problem, occupancy: Occupancy, seconds: float = 5.0) -> int:
    """Improve ``occupancy`` in place; returns the number of idle gaps removed."""
    deadline = time.perf_counter() + seconds
    runs = _runs(problem, occupancy)
    removed = 0
    improved = True
    while improved and time.perf_counter() < deadline:
        improved = False
        for placement in list(occupancy.placements):
            if time.perf_counter() >= deadline:
                break
            task = problem.tasks[placement.task]
            if task.pinned_start is not None:
                continue
            day = problem.slot_day(placement.start)
            mine = (placement.start, placement.start + task.length)
            before = {p: runs[(p, day)] for p in task.people}
            without = {p: [r for r in before[p] if r != mine] for p in task.people}
            current = sum(_gaps(before[p]) for p in task.people)
            occupancy.remove(placement)
            best: tuple[int, Placement] | None = None
            for start in task.starts:
                if start == placement.start:
                    continue
                new_day = problem.slot_day(start)
                span = (start, start + task.length)
                after = 0
                for person in task.people:
                    if new_day == day:
                        after += _gaps(sorted([*without[person], span]))
                    else:
                        after += _gaps(without[person]) + _gaps(sorted([*runs.get((person, new_day), []), span]))
                        after -= _gaps(runs.get((person, new_day), []))
                if after >= current or (best is not None and after >= best[0]):
                    continue
                candidate = _fitting(problem, occupancy, task, start, placement)
                if candidate is not None:
                    best = (after, candidate)
            chosen = best[1] if best is not None else placement
            occupancy.place(chosen)
            if best is not None:
                removed += current - best[0]
                improved = True
                for person in task.people:
                    runs[(person, day)] = without[person]
                    insort(runs.setdefault((person, problem.slot_day(chosen.start)), []),
                           (chosen.start, chosen.start + task.length))
        if not improved and time.perf_counter() < deadline:
            gained = _swap_pass(problem, occupancy, deadline)
            if gained:
                removed += gained
                improved = True
                runs = _runs(problem, occupancy)
    return removed


def _runs(problem: Problem, occupancy: Occupancy) -> dict[tuple[int, int], list[tuple[int, int]]]:
    runs: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for placement in occupancy.placements:
        task = problem.tasks[placement.task]
        for person in task.people:
            insort(runs.setdefault((person, problem.slot_day(placement.start)), []),
                   (placement.start, placement.start + task.length))
    return runs


def _total_gaps(problem: Problem, occupancy: Occupancy, people: set[int]) -> int:
    """Idle gaps of ``people``: per day, runs of busy slots minus one."""
    total = 0
    for person in people:
        busy = occupancy.person_busy[person]
        days = {problem.slot_day(t) for t in busy}
        starts = sum(1 for t in busy if t - 1 not in busy or problem.slot_day(t - 1) != problem.slot_day(t))
        total += starts - len(days)
    return total


def _swap_pass(problem: Problem, occupancy: Occupancy, deadline: float) -> int:
    """Exchange the times of two one-slot meetings of the same person when both still fit and
    the people involved have fewer idle gaps; returns the gaps removed."""
    gained = 0
    by_person: dict[int, list[Placement]] = {}
    for placement in occupancy.placements:
        if problem.tasks[placement.task].length == 1 and problem.tasks[placement.task].pinned_start is None:
            for person in problem.tasks[placement.task].people:
                by_person.setdefault(person, []).append(placement)
    for person, mine in by_person.items():
        for i, first in enumerate(mine):
            for second in mine[i + 1:]:
                if time.perf_counter() >= deadline:
                    return gained
                if first not in occupancy.placements or second not in occupancy.placements:
                    continue
                if problem.slot_day(first.start) != problem.slot_day(second.start):
                    continue
                people = set(problem.tasks[first.task].people) | set(problem.tasks[second.task].people)
                before = _total_gaps(problem, occupancy, people)
                occupancy.remove(first)
                occupancy.remove(second)
                a = _fitting(problem, occupancy, problem.tasks[first.task], second.start, first)
                if a is not None:
                    occupancy.place(a)
                    b = _fitting(problem, occupancy, problem.tasks[second.task], first.start, second)
                    if b is not None:
                        occupancy.place(b)
                        after = _total_gaps(problem, occupancy, people)
                        if after < before:
                            gained += before - after
                            continue
                        occupancy.remove(b)
                    occupancy.remove(a)
                occupancy.place(first)
                occupancy.place(second)
    return gained


def _fitting(problem: Problem, occupancy: Occupancy, task, start: int, was: Placement) -> Placement | None:
    """The same interpreters and booth class if they are free at ``start``, else any that are."""
    options = task.options_at.get(start, ())
    preferred = [o for o in options if task.options[o] == was.interpreters]
    for option in preferred + [o for o in options if o not in preferred]:
        for booth_class in ([was.booth_class] if was.booth_class is not None else []) + list(task.classes or (None,)):
            if occupancy.fits(task, start, option, booth_class):
                return Placement(task.index, start, task.options[option], booth_class)
    return None



def reduce_interpreter_moves(problem: Problem, occupancy: Occupancy, seconds: float = 3.0) -> int:
    """Swap the interpreters of two one-slot meetings at the same slot when each may serve the
    other's meeting and fewer interpreters then move between tables or floors. Times, seats and
    each interpreter's count stay as they are, so every more important term does too."""
    deadline = time.perf_counter() + seconds
    where: dict[tuple[int, int], object] = {}
    for placement in occupancy.placements:
        for linguist in placement.interpreters:
            where[(linguist, placement.start)] = interpreter_place(problem, placement)

    def moves(linguist: int, slot: int) -> int:
        here = where.get((linguist, slot))
        count = 0
        for other in (slot - 1, slot + 1):
            there = where.get((linguist, other))
            if here is not None and there is not None and here != there and \
                    problem.grid.span(min(slot, other), 2) is not None:
                count += 1
        return count

    by_slot: dict[int, list[Placement]] = {}
    for placement in occupancy.placements:
        if len(placement.interpreters) == 1 and problem.tasks[placement.task].length == 1:
            by_slot.setdefault(placement.start, []).append(placement)
    saved = 0
    for slot, meetings in by_slot.items():
        for i, first in enumerate(meetings):
            for j in range(i + 1, len(meetings)):
                if time.perf_counter() >= deadline:
                    return saved
                second = meetings[j]
                a, b = first.interpreters[0], second.interpreters[0]
                if a == b or not (_may_serve(problem, first, (b,)) and _may_serve(problem, second, (a,))):
                    continue
                before = moves(a, slot) + moves(b, slot)
                where[(a, slot)], where[(b, slot)] = interpreter_place(problem, second), interpreter_place(problem, first)
                after = moves(a, slot) + moves(b, slot)
                if after >= before:
                    where[(a, slot)], where[(b, slot)] = interpreter_place(problem, first), interpreter_place(problem, second)
                    continue
                swapped_first = Placement(first.task, first.start, (b,), first.booth_class)
                swapped_second = Placement(second.task, second.start, (a,), second.booth_class)
                for old, new in ((first, swapped_first), (second, swapped_second)):
                    occupancy.remove(old)
                    occupancy.place(new)
                meetings[i], meetings[j] = first, second = swapped_first, swapped_second
                saved += before - after
    return saved


def _may_serve(problem: Problem, placement: Placement, interpreters: tuple[int, ...]) -> bool:
    task = problem.tasks[placement.task]
    return any(task.options[o] == interpreters for o in task.options_at.get(placement.start, ()))

