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
from collections.abc import Callable

from scheduler.model.problem import Problem
from scheduler.solve.pipeline.budget import Deadline
from scheduler.solve.model.measure import interpreter_place
from scheduler.solve.model.occupancy import Occupancy
from scheduler.solve.result import Placement


def _gaps(runs: list[tuple[int, int]]) -> int:
    return sum(1 for (_, end), (start, _) in zip(runs, runs[1:]) if start > end)


def reduce_idle_gaps(problem: Problem, occupancy: Occupancy, deadline: Deadline | None = None) -> int:
    """Improve ``occupancy`` in place until no move helps or ``deadline`` (default 5 s);
    returns the number of idle gaps removed."""
    deadline = deadline or _seconds(5.0)
    runs = _runs(problem, occupancy)

    def retime(placement: Placement) -> int:
        task = problem.tasks[placement.task]
        if task.pinned_start is not None:
            return 0
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
        if best is None:
            return 0
        for person in task.people:
            runs[(person, day)] = without[person]
            insort(runs.setdefault((person, problem.slot_day(chosen.start)), []),
                   (chosen.start, chosen.start + task.length))
        return current - best[0]

    def swap() -> int:
        gained = _swap_pass(problem, occupancy, deadline)
        if gained:
            runs.clear()
            runs.update(_runs(problem, occupancy))
        return gained

    return _until_settled(occupancy, deadline, retime, swap)


def _until_settled(occupancy: Occupancy, deadline: Deadline, visit: Callable[[Placement], int],
                   when_settled: Callable[[], int] | None = None) -> int:
    """Offer every placement to ``visit`` (what it saved), pass after pass, until a pass saves
    nothing and ``when_settled`` (a last resort) saves nothing either, or ``deadline``; the
    total saved."""
    saved = 0
    improved = True
    while improved and not deadline.expired():
        improved = False
        for placement in list(occupancy.placements):
            if deadline.expired():
                break
            gained = visit(placement)
            saved += gained
            improved = improved or gained > 0
        if not improved and when_settled is not None and not deadline.expired():
            gained = when_settled()
            saved += gained
            improved = gained > 0
    return saved


def _seconds(seconds: float) -> Deadline:
    return Deadline(at=time.perf_counter() + seconds)


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


def _swap_pass(problem: Problem, occupancy: Occupancy, deadline: Deadline) -> int:
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
                if deadline.expired():
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



def _interpreter_places(problem: Problem, occupancy: Occupancy) -> dict[tuple[int, int], object]:
    """(interpreter, slot) -> the table or floor it sits at then."""
    where: dict[tuple[int, int], object] = {}
    for placement in occupancy.placements:
        for linguist in placement.interpreters:
            for t in range(placement.start, placement.start + problem.tasks[placement.task].length):
                where[(linguist, t)] = interpreter_place(problem, placement)
    return where


def _moves(problem: Problem, where: dict[tuple[int, int], object], linguist: int, slot: int) -> int:
    """The interpreter's changes of table or floor into and out of ``slot``."""
    here = where.get((linguist, slot))
    count = 0
    for other in (slot - 1, slot + 1):
        there = where.get((linguist, other))
        if here is not None and there is not None and here != there and \
                problem.grid.span(min(slot, other), 2) is not None:
            count += 1
    return count


def reduce_interpreter_moves(problem: Problem, occupancy: Occupancy, deadline: Deadline | None = None) -> int:
    """Swap the interpreters of two one-slot meetings at the same slot when each may serve the
    other's meeting and fewer interpreters then move between tables or floors. Times, seats and
    each interpreter's count stay as they are, so every more important term does too."""
    deadline = deadline or _seconds(3.0)
    where = _interpreter_places(problem, occupancy)

    def moves(linguist: int, slot: int) -> int:
        return _moves(problem, where, linguist, slot)

    by_slot: dict[int, list[Placement]] = {}
    for placement in occupancy.placements:
        if len(placement.interpreters) == 1 and problem.tasks[placement.task].length == 1:
            by_slot.setdefault(placement.start, []).append(placement)
    saved = 0
    for slot, meetings in by_slot.items():
        for i, first in enumerate(meetings):
            for j in range(i + 1, len(meetings)):
                if deadline.expired():
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


def reduce_floor_changes(problem: Problem, occupancy: Occupancy, deadline: Deadline | None = None) -> int:
    """Move one-slot interpreted meetings to the floor their interpreters are on in the slots
    around them, where a booth is free there. Times, people, interpreters and every count stay
    as they are (the floor of a one-slot meeting matters to nothing else); returns the floor
    changes saved."""
    deadline = deadline or _seconds(3.0)
    floors = [c.index for c in problem.floor_pools]
    if len(floors) < 2:
        return 0
    where = _interpreter_places(problem, occupancy)

    def refloor(placement: Placement) -> int:
        task = problem.tasks[placement.task]
        if not placement.interpreters or task.length != 1 or placement.booth_class not in floors:
            return 0
        slot = placement.start
        before = sum(_moves(problem, where, i, slot) for i in placement.interpreters)
        if not before:
            return 0
        option = task.options.index(placement.interpreters)
        occupancy.remove(placement)
        best = (before, placement)
        for pool in task.classes:
            if pool == placement.booth_class or not occupancy.fits(task, slot, option, pool):
                continue
            moved = Placement(placement.task, slot, placement.interpreters, pool)
            for linguist in placement.interpreters:
                where[(linguist, slot)] = interpreter_place(problem, moved)
            after = sum(_moves(problem, where, i, slot) for i in placement.interpreters)
            if after < best[0]:
                best = (after, moved)
        occupancy.place(best[1])
        for linguist in placement.interpreters:
            where[(linguist, slot)] = interpreter_place(problem, best[1])
        return before - best[0] if best[1] is not placement else 0

    return _until_settled(occupancy, deadline, refloor)


def _may_serve(problem: Problem, placement: Placement, interpreters: tuple[int, ...]) -> bool:
    task = problem.tasks[placement.task]
    return any(task.options[o] == interpreters for o in task.options_at.get(placement.start, ()))
