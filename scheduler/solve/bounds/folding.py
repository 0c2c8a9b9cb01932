"""Alike days: which meetings take place, decided on one day standing for all days like it.

A month of the teleconference room has 20 days, and most are the same day
over again: the same open hours, the same interpreters at the same hours,
every buyer free at the same hours, the same booths. Only the clock changes
between some of them (Europe and America leave summer time during the
month), which makes three kinds of days, not twenty. Two days are *alike*
when every request may start at the same slots of each, with the same
interpretation modes, and every booth pool, reserved table and interpreter
is free at the same slots.

For the levels that count meetings (which meetings take place, not when),
the alike days of a kind are folded into the first one: a meeting is placed
on it at a slot of the day, and every capacity of a slot or of a day there
is multiplied by how many days it stands for (a person in at most n
meetings at the slot, an interpreter pool at n times its members, booths at
n times their number, a daily cap at n times the cap; caps over the whole
event stay as they are). Any schedule of the event folds into a solution of
this model, so its optimum is a bound on the event's, and far smaller to
prove: a month folds to a model of a few kinds of days, small enough for
HiGHS to prove its priority from greedy's start, where HiGHS on the whole
month finds no schedule in a solve's time and the parts' search stops short
of the bound (benchmarks/README.md, "How the solver chooses": alike days
folded).

The folded meetings are then *spread* over the days they stand for, each
at the same slot of its day, by a small CP-SAT model of those meetings only
(a small fraction of the whole model's choices). When every
meeting finds a day, the schedule is at the folded model's value, so it is
proven best; when some do not, what was spread is kept if it is better, and
the solver's search of parts goes on from it up to the bound. The 500-buyer
expo's two days are alike too, and its priority is proven so far sooner than
the parts reach it.

The solver asks the folded model two more things (pipeline/plan.py): whether every
firm can have one more meeting at the settled priority (the least-served
firm's tests, which prove a month's least-served firm so), and, for a comfort
level, the fewest interpreter seats and the busiest interpreter's share with
the meeting counts kept (a lower bound, which on a month meets the schedule's
own value).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace

from ortools.sat.python import cp_model

from scheduler.model.problem import Problem
from scheduler.solve.pipeline.budget import Budget
from scheduler.solve.model.meetings import MeetingModel
from scheduler.solve.model.objective import MEETING_COUNTS, TERMS, build_level
from scheduler.solve.result import Placement

Level = str | Mapping[str, int]
# The comfort terms the folded model states.
FOLDED_COMFORT = frozenset({"interpreter seats", "busiest interpreter"})


def alike_days(problem: Problem) -> tuple[tuple[int, ...], ...]:
    """The event's days in groups of alike days (see the module's text), in day order."""
    slots_by_day = problem.grid.slots_by_day
    first = [slots[0] if slots else 0 for slots in slots_by_day]
    starts: list[list[tuple]] = [[] for _ in slots_by_day]  # day -> (request, offset, modes), in order
    for task in problem.tasks:
        for start in task.starts:
            day = problem.slot_day(start)
            starts[day].append((task.index, start - first[day], task.modes_at.get(start)))
    groups: dict[tuple, list[int]] = defaultdict(list)
    for day, slots in enumerate(slots_by_day):
        booths = tuple(tuple(c.capacity(s) for s in slots) for c in problem.booth_classes)
        tables = tuple(sorted((table, s - first[day]) for table, blocked in problem.table_blocked.items()
                              for s in blocked if problem.slot_day(s) == day))
        groups[(len(slots), tuple(starts[day]), booths, tables)].append(day)
    return tuple(sorted(tuple(days) for days in groups.values()))


class Folded:
    """The event with alike days folded into the first of each group (see the module's text):
    ``model`` (a :class:`MeetingModel` with counted interpreters) and how to move between its
    placements and the event's."""

    def __init__(self, problem: Problem, groups: Sequence[Sequence[int]]):
        """``groups``: :func:`alike_days`, or any grouping finer than it."""
        self.problem = problem
        self.groups = tuple(tuple(g) for g in groups)
        self.first_of_group = {day: days[0] for days in self.groups for day in days}
        self.group_of = {day: days for days in self.groups for day in days}
        kept = set(self.first_of_group.values())
        tasks = tuple(replace(t, starts=tuple(s for s in t.starts if problem.slot_day(s) in kept))
                      for t in problem.tasks)
        self.model = MeetingModel(problem, tasks=tasks, seating=False,
                                  stands_for={days[0]: len(days) for days in self.groups})

    def keep(self, settled: Sequence[tuple[str, int]]) -> None:
        """The ``settled`` levels that count meetings kept at their values (the others, about
        times and interpreters, are left out: the folded model only loosens them)."""
        for name, value in settled:
            if name in MEETING_COUNTS:
                self.model.no_worse(*build_level(self.model, name), value)

    def comfort(self, weights: Mapping[str, int], settled: Sequence[tuple[str, int]]) -> None:
        """The model's objective made a comfort level's (``weights``) as far as the folded model
        states it: interpreter seats and the busiest interpreter (shared over the alike days, which
        only bounds the busiest day from below); its other terms are counts, never below 0, and
        left out. The ``settled`` levels that count meetings are kept at their values. Its
        minimum is a lower bound on the level."""
        model = self.model
        self.keep(settled)
        model.optimise(sum(weight * TERMS[name](model)[0] for name, weight in weights.items()
                           if name in FOLDED_COMFORT), "min")

    def _offset(self, slot: int) -> int:
        return slot - self.problem.grid.slots_by_day[self.problem.slot_day(slot)][0]

    def _slot(self, day: int, offset: int) -> int:
        return self.problem.grid.slots_by_day[day][0] + offset

    def fold(self, placements: Sequence[Placement]) -> list[Placement]:
        """Each meeting moved to the same slot of the first of its alike days."""
        problem = self.problem
        return [replace(p, start=self._slot(self.first_of_group[problem.slot_day(p.start)], self._offset(p.start)))
                for p in placements]

    def chosen(self, value) -> list[tuple[int, int]]:
        """(request, start) of each meeting the folded model places, ``value`` reading a solution.
        Not placements: n meetings may share a slot's interpreters, booths and people."""
        return [(c.task, c.start) for c in self.model.choices if value(c.var)]

    def spread(self, folded: Sequence[tuple[int, int]], level: Level, budget: Budget, amount: float,
               workers: int = 1, seed: int = 0) -> tuple[list[Placement], dict[int, str], bool] | None:
        """The ``folded`` meetings ((request, start) pairs, :meth:`chosen`) spread over the days
        their day stands for, each at the same slot of its day, as many as fit (by ``level``,
        which counts meetings): (the placements, the plaza's tables, whether every meeting found
        a day), or None when CP-SAT found nothing in ``amount``."""
        problem = self.problem
        tasks = []
        for index, start in folded:
            task = problem.tasks[index]
            days, offset = self.group_of[problem.slot_day(start)], self._offset(start)
            starts = tuple(s for s in (self._slot(d, offset) for d in days) if s in task.modes_at)
            tasks.append(replace(task, starts=starts))
        part = MeetingModel(problem, tasks=tuple(tasks), seating=False)
        # Every meeting placed, as a question of feasibility first: CP-SAT answers it at once,
        # where maximising the level instead stalls a few meetings short of all (benchmarks/README.md,
        # "How the solver chooses": alike days folded).
        every = part.model.clone()
        for task in tasks:
            every.add_exactly_one(c.var for c in part.by_task[task.index])
        end = budget.spent() + amount
        solver = cp_model.CpSolver()
        status = budget.run(solver, every, amount / 2, workers, seed)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return part.placements(solver.value), part.tables(solver.value), True
        part.optimise(*build_level(part, level))
        solver = cp_model.CpSolver()
        status = budget.run(solver, part.model, max(budget.units(0.5), end - budget.spent()), workers, seed)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        return part.placements(solver.value), part.tables(solver.value), False
