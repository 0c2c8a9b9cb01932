"""The pairing bound: the most priority the requests could place if time were no object.

Each person keeps within its cap (``max_meetings``) and within the slots its
requests could take at all; slots, booths, tables and interpreters are not
shared. That is a small selection problem (one Boolean per placeable
request), solved in a fraction of a second, and its optimum bounds the
priority of every schedule. Where caps, not time, decide what takes place (a
teleconference week, where every request left out is over a firm's or a
buyer's cap), the bound is the optimum, and a schedule of exactly those
meetings is found with every choice of which meetings fixed: a search in
which only times are left to choose.
"""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.solve.pipeline.budget import Budget
from scheduler.solve.model.meetings import MeetingModel


@dataclass(frozen=True)
class Pairing:
    bound: int  # proven: no schedule places more priority
    tasks: frozenset[int]  # requests of one selection at the bound, as many as possible already placed


def best_pairing(m: MeetingModel, placed: set[int], budget: Budget, amount: float) -> Pairing | None:
    """The pairing bound of the requests ``m`` can place, with a selection at it that keeps as
    many of ``placed`` as it can; None if not proven within ``amount`` of the budget."""
    problem = m.problem
    model = cp_model.CpModel()
    chosen = {task: model.new_bool_var(f"r{task}") for task, choices in m.by_task.items() if choices}
    for task, var in chosen.items():
        if problem.tasks[task].required:
            model.add(var == 1)
    for person in problem.people:
        tasks = [t for t in problem.tasks_of(person.index) if t.index in chosen]
        cap = person.record.max_meetings
        if cap is not None and cap < len(tasks):
            model.add(sum(chosen[t.index] for t in tasks) <= cap)
        slots = {slot for t in tasks for c in m.by_task[t.index] for slot in problem.span(t, c.start)}
        if sum(t.length for t in tasks) > len(slots):
            model.add(sum(t.length * chosen[t.index] for t in tasks) <= len(slots))
    # Priority first; among selections at the bound, the one keeping most of the schedule.
    keep = len(chosen) + 1
    model.maximize(sum((problem.tasks[task].priority * keep + (task in placed)) * var
                       for task, var in chosen.items()))
    solver = cp_model.CpSolver()
    if budget.run(solver, model, amount) != cp_model.OPTIMAL:
        return None
    tasks = frozenset(task for task, var in chosen.items() if solver.value(var))
    return Pairing(sum(problem.tasks[task].priority for task in tasks), tasks)
