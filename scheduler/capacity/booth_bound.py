"""A proven lower bound on the booth-days any schedule keeping the target needs, from a relaxation HiGHS solves in seconds.

A meeting takes fractions of its possible (start, booth class, seats wanted) choices; each person
is in at most one meeting's worth at a slot; every booth pool's meetings stay within its free
booths; at every slot the meetings stay within the booths opened that day on their floor and on
all floors. Interpreters are not assigned (no flows): for every set of interpreters a seat may
be wanted from, the seats wanted from it or from sets inside it stay within its members at every
slot, and within their daily caps each day (each such seat takes one of its members). Only the
booths opened per floor and day are kept whole. Leaving rows out and letting meetings split only
makes the minimum smaller, so it bounds the booth model's from below; keeping the booth counts
whole is what makes it bite: a day's count is paid for all its slots, so a day whose meetings
must crowd into a few slots pays for its busiest one, which the plain linear relaxation
(spreading meetings thinly over every day) misses. Without interpreter flows it is small enough
to solve where the whole model's linear relaxation would not even be.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np

from scheduler.capacity.booth_days import booths_on, floor_of_choice, floors_of
from scheduler.solve.bounds.highs_worker import Program, Settings, own_limit, worker
from scheduler.solve.model.meetings import ANY_FLOOR, MeetingModel


def booth_bound(model: MeetingModel, kept: Sequence[int], least_priority: int | None, seconds: float) -> int | None:
    """The fewest booth-days, summed over floors and days, that any schedule placing every
    request in ``kept`` (and, when ``least_priority`` is given, at least that much priority in
    all) can have; None when HiGHS proves nothing in ``seconds``."""
    problem = model.problem
    optional = least_priority is not None
    wanted = set(kept)
    columns: dict[tuple, object] = {}  # (task, start, booth class, seat sets) -> its floor
    for choice in model.choices:
        if optional or choice.task in wanted:
            seats = choice.mode.seats if choice.named is None else tuple(frozenset({i}) for i in choice.named)
            columns.setdefault((choice.task, choice.start, choice.booth_class, seats), floor_of_choice(problem, choice))
    keys = list(columns)
    floors, on_floor = floors_of(problem), booths_on(problem)
    days = len(problem.grid.days)
    count = {(floor, day): len(keys) + i for i, (floor, day) in enumerate((f, d) for f in floors for d in range(days))}
    rows = _rows(model, keys, columns, wanted, least_priority, count, floors)
    if rows is None:
        return None
    width = len(keys) + len(count)
    upper = np.ones(width)
    for (floor, _), column in count.items():
        upper[column] = on_floor[floor]
    cost = np.zeros(width)
    cost[len(keys):] = 1
    program = Program.of_rows(rows, lower=np.zeros(width), upper=upper, cost=cost,
                              integer=np.arange(len(keys), len(keys) + len(count), dtype=np.int32))
    limit = max(0.1, own_limit(seconds))
    report = worker().solve(program, Settings(limit), lambda _: None, lambda _: None)
    if not math.isfinite(report.dual_bound) or not 0 < report.dual_bound <= upper[len(keys):].sum():
        # No bound; HiGHS stopped before its first relaxation; or the relaxation has no solution
        # at all (the target cannot be met: CP-SAT then says so on the booth model itself).
        return None
    return math.ceil(report.dual_bound - 1e-6)  # a sum of whole counts: the next whole number holds


def _rows(model: MeetingModel, keys, columns, wanted, least_priority, count, floors):
    """(columns, coefficients, low, high) of each row; None when a kept request has no choice
    at all (the target cannot be met: the booth model says so)."""
    problem = model.problem
    by_task, by_person_slot = defaultdict(list), defaultdict(list)
    by_pool_slot, own, every = defaultdict(list), defaultdict(list), defaultdict(list)
    seat_slot, seat_day = defaultdict(list), defaultdict(list)  # (seat set, slot or day) -> columns, a seat each
    for j, (task_index, start, booth_class, seats) in enumerate(keys):
        task = problem.tasks[task_index]
        by_task[task_index].append(j)
        for members in seats:
            seat_day[(members, problem.slot_day(start))].append(j)
            for slot in problem.span(task, start):
                seat_slot[(members, slot)].append(j)
        for slot in problem.span(task, start):
            for person in task.people:
                by_person_slot[(person, slot)].append(j)
            if booth_class is not None:
                by_pool_slot[(booth_class, slot)].append(j)
            every[slot].append(j)
            if columns[keys[j]] != ANY_FLOOR:
                own[(columns[keys[j]], slot)].append(j)
    rows = []
    for task_index in wanted:
        if not by_task[task_index]:
            return None
        rows.append((by_task[task_index], [1.0] * len(by_task[task_index]), 1.0, 1.0))
    if least_priority is not None:
        for task_index, found in by_task.items():
            if task_index not in wanted:
                rows.append((found, [1.0] * len(found), 0.0, 1.0))
        placed = [j for found in by_task.values() for j in found]
        rows.append((placed, [float(problem.tasks[keys[j][0]].priority) for j in placed], float(least_priority),
                     np.inf))
    for found in by_person_slot.values():
        if len(found) > 1:
            rows.append((found, [1.0] * len(found), -np.inf, 1.0))
    rows.extend(_seat_rows(model, seat_slot, seat_day))
    slots = sorted(every)
    for pool in problem.booth_classes:  # as one_meeting_per_booth: a pool holds the pools inside it
        inside = problem.booth_pools_inside[pool.index]
        for slot in slots:
            found = [j for q in inside for j in by_pool_slot.get((q, slot), [])]
            if len(found) > model.booths_free(pool.index, slot):
                rows.append((found, [1.0] * len(found), -np.inf, float(model.booths_free(pool.index, slot))))
    for slot in slots:
        if len(every[slot]) > model.booths_free(ANY_FLOOR, slot):
            rows.append((every[slot], [1.0] * len(every[slot]), -np.inf, float(model.booths_free(ANY_FLOOR, slot))))
        day = problem.slot_day(slot)
        for floor in floors:
            if own.get((floor, slot)):
                found = own[(floor, slot)]
                rows.append((found + [count[(floor, day)]], [1.0] * len(found) + [-1.0], -np.inf, 0.0))
        opened = [count[(floor, day)] for floor in floors]
        rows.append((every[slot] + opened, [1.0] * len(every[slot]) + [-1.0] * len(opened), -np.inf, 0.0))
    return rows


def _seat_rows(model: MeetingModel, seat_slot, seat_day):
    """For every set of interpreters a seat is wanted from: the seats wanted from it within its
    members at a slot, and within their caps summed on a day. (Adding the seats wanted from the
    sets inside it would be stronger, but made the program many times denser and slower.)"""
    linguists = model.problem.linguists
    rows = []
    for (members, _), found in seat_slot.items():
        seats = Counter(found)  # a relay may want both its seats from one set
        if sum(seats.values()) > len(members):
            rows.append((list(seats), [float(n) for n in seats.values()], -np.inf, float(len(members))))
    for (members, _), found in seat_day.items():
        caps = [linguists[i].record.max_meetings for i in members]
        seats = Counter(found)
        if None not in caps and sum(seats.values()) > sum(caps):
            rows.append((list(seats), [float(n) for n in seats.values()], -np.inf, float(sum(caps))))
    return rows
