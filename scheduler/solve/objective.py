"""Objective terms, each built from the meeting model under a name a coordinator reads.

Terms are optimised one after another (lexicographically): each later term
is optimised only among schedules that keep every earlier term at its best
found value. Each builder returns the linear expression and its sense.
"""

from __future__ import annotations

from collections.abc import Callable

from ortools.sat.python import cp_model

from scheduler.solve.cpsat import MeetingModel

Built = tuple[cp_model.LinearExpr, str]


def total_priority(m: MeetingModel) -> Built:
    """Sum of the priorities of the scheduled requests."""
    tasks = m.problem.tasks
    return sum(tasks[c.task].priority * c.var for c in m.choices), "max"


def interpreter_seats(m: MeetingModel) -> Built:
    """Interpreters tied up: a relay takes two people where one interpreter would do."""
    tasks = m.problem.tasks
    return sum(len(tasks[c.task].options[c.option]) * c.var for c in m.choices if tasks[c.task].options[c.option]), "min"


def idle_gaps(m: MeetingModel) -> Built:
    """FORMAT.md's idle gaps: per participant and venue day, runs of back-to-back meetings minus one.

    A run starts at slot t when the person is busy at t and not at t-1 (same day);
    gaps = runs - 1 for a day with meetings. Minimising makes each indicator exact.
    """
    problem = m.problem
    model = m.model
    terms = []
    for person in problem.people:
        if not problem.tasks_of(person.index):
            continue
        for day_slots in problem.grid.slots_by_day:
            busy = [m.busy(person.index, t) for t in day_slots]
            if all(isinstance(b, int) for b in busy):
                continue  # no variable touches this person this day
            starts = []
            for position, t in enumerate(day_slots):
                if isinstance(busy[position], int) and busy[position] == 0:
                    continue
                run = model.new_bool_var(f"run_{person.index}_{t}")
                previous = busy[position - 1] if position > 0 else 0
                model.add(run >= busy[position] - previous)
                starts.append(run)
            has = model.new_bool_var(f"meets_{person.index}_{day_slots[0]}")
            model.add(has <= sum(busy))
            for run in starts:
                model.add(has >= run)
            gaps = model.new_int_var(0, len(day_slots), f"gaps_{person.index}_{day_slots[0]}")
            model.add(gaps == sum(starts) - has)  # never negative: a day with a meeting has a run
            terms.append(gaps)
    return sum(terms), "min"


TERMS: dict[str, Callable[[MeetingModel], Built]] = {
    "priority": total_priority,
    "idle gaps": idle_gaps,
    "interpreter seats": interpreter_seats,
}

DEFAULT_ORDER = ("priority", "idle gaps", "interpreter seats")
