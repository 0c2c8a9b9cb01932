"""The plain time-indexed program of an event's priority, as HiGHS takes it.

One 0-1 column per request, start slot and interpreters named outright (the
request's options free at that start); rows: each request at most once (required
ones exactly once), nobody and no interpreter in two meetings at a slot, the
caps (a person's over the event, an interpreter's per day), and per slot the
meetings in a booth pool within its free booths, with "any floor" within every
floor's. It is the textbook model, with none of the meeting model's economies
(interpreters counted in pools, "any floor"), and on some events that is what
HiGHS finds its way through sooner: the solver races it beside the meeting
model's program (methods/highs.py; benchmarks/README.md, "How the solver
chooses": HiGHS on a level).

It leaves out what the meeting model adds to these rows, so it is a relaxation
of that model, never tighter: a reserved plaza table kept free, and a meeting
longer than a slot keeping one booth throughout. Its bound is therefore valid
for the level; a schedule it finds is taken only once the meeting model has
re-read it and every one of the model's rows holds (methods/highs.py).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, replace

import numpy as np

from scheduler.model.problem import Problem
from scheduler.solve.bounds.highs_worker import Program, Report
from scheduler.solve.result import Placement


# HiGHS's options for the whole plain program as a MIP (beside the meeting model's own, and beside
# the days re-solved): its presolve on.
MIP_OPTIONS = {"presolve": "on"}


def priority_bound(report: Report) -> int:
    """The priority bound a solve of a minimised program (costs negated) proves: its dual bound,
    negated and rounded down (the report's bound must be finite)."""
    return math.floor(-report.dual_bound + 1e-6)


@dataclass(frozen=True)
class Column:
    task: int
    start: int
    interpreters: tuple[int, ...]


@dataclass(frozen=True)
class TimeIndexed:
    """The program (its costs are each column's priority, to be maximised) and what each
    column stands for."""

    program: Program
    columns: tuple[Column, ...]

    def placements(self, solution) -> list[Placement]:
        """The meetings of a solution (one value per column), without booths: the meeting model
        names them (any floor, or the booth class a longer meeting keeps)."""
        return [Placement(c.task, c.start, c.interpreters) for c, x in zip(self.columns, solution) if x > 0.5]

    def minimised(self) -> Program:
        """The program as HiGHS takes it alone: each column's cost its negated priority."""
        return replace(self.program, cost=-self.program.cost)

    def relaxed(self) -> Program:
        """:meth:`minimised` with its columns taken as real numbers (its linear relaxation)."""
        return replace(self.minimised(), integer=np.zeros(0, dtype=np.int64), start=None)

    def start(self, placements: list[Placement]) -> np.ndarray | None:
        """A known schedule as a start (one value per column); None when one of its meetings has
        no column (its interpreters are not one of the request's options)."""
        index = {c: j for j, c in enumerate(self.columns)}
        start = np.zeros(len(self.columns))
        for p in placements:
            j = index.get(Column(p.task, p.start, tuple(p.interpreters)))
            if j is None:
                return None
            start[j] = 1.0
        return start


def time_indexed(problem: Problem) -> TimeIndexed | None:
    """The event's priority as the plain time-indexed program; None when no request can take
    place at all."""
    columns: list[Column] = []
    rows: dict[tuple, list[int]] = defaultdict(list)
    limits: dict[tuple, tuple[int, int]] = {}
    pools = problem.booth_classes
    floors = problem.floor_pools
    inside = problem.booth_pools_inside
    for task in problem.tasks:
        first = len(columns)
        # A meeting that may take any of its classes is certainly in every pool that holds them all.
        holding = [pool for pool in pools if all(c in inside[pool.index] for c in task.classes)]
        # A request's columns at one start share its people's and booths' rows: added at once.
        for start in task.starts:
            at = len(columns)
            day = problem.slot_day(start)
            for o in task.options_at.get(start, ()):
                option = task.options[o]
                j = len(columns)
                columns.append(Column(task.index, start, option))
                for linguist in option:
                    cap = problem.linguists[linguist].record.max_meetings
                    if cap is not None:
                        rows[("interpreter cap", linguist, day)].append(j)
                        limits[("interpreter cap", linguist, day)] = (0, cap)
                    for t in problem.span(task, start):
                        rows[("interpreter", linguist, t)].append(j)
            here = range(at, len(columns))
            if not here:
                continue
            for t in problem.span(task, start):
                for person in task.people:
                    rows[("person", person, t)].extend(here)
                if task.classes:
                    # ... and in the room's booths.
                    rows[("booths", t)].extend(here)
                    if ("booths", t) not in limits:
                        limits[("booths", t)] = (0, sum(floor.capacity(t) for floor in floors))
                    for pool in holding:
                        rows[("pool", pool.index, t)].extend(here)
                        if ("pool", pool.index, t) not in limits:
                            limits[("pool", pool.index, t)] = (0, pool.capacity(t))
        mine = range(first, len(columns))
        if not mine:
            continue
        rows[("request", task.index)].extend(mine)
        limits[("request", task.index)] = (1 if task.required else 0, 1)
        for person in task.people:
            cap = problem.people[person].record.max_meetings
            if cap is not None:
                rows[("cap", person)].extend(mine)
                limits[("cap", person)] = (0, cap)
    if not columns:
        return None
    count = len(columns)
    program = Program.of_rows([(found, [1.0] * len(found), *limits.get(key, (0, 1))) for key, found in rows.items()],
                              lower=np.zeros(count), upper=np.ones(count),
                              cost=np.array([float(problem.tasks[c.task].priority) for c in columns]))
    return TimeIndexed(program, tuple(columns))
