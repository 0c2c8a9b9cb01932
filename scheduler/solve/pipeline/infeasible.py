"""When the required meetings cannot all take place: which ones, and what they share."""

from __future__ import annotations

from collections import Counter

from ortools.sat.python import cp_model

from scheduler.model.problem import Problem
from scheduler.solve.model.meetings import MeetingModel
from scheduler.solve.pipeline.budget import Budget
from scheduler.solve.pipeline.level import Stop
from scheduler.solve.pipeline.reasons import never_fits
from scheduler.solve.result import Result, Status


def impossible_required(problem: Problem) -> dict[int, str]:
    """Required meetings that could never fit, whatever else is placed, and why: those with no
    place at all, then those of a person with more required meetings than its max_meetings."""
    reasons = {t.index: f"required, but {never_fits(problem, t)}"
               for t in problem.tasks if t.required and not t.placement_count}
    required: dict[int, list[int]] = {}
    for task in problem.tasks:
        if task.required:
            for person in task.people:
                required.setdefault(person, []).append(task.index)
    for person, tasks in required.items():
        cap = problem.people[person].record.max_meetings
        if cap is not None and len(tasks) > cap:
            why = f"required, but {_over_cap(problem.people[person].id, cap, len(tasks))}"
            reasons.update({index: why for index in tasks if index not in reasons})
    return reasons


def not_found(problem: Problem, stop: Stop) -> dict[int, str]:
    return {t.index: f"required, but no schedule placing every required meeting was found "
                     f"within {stop.time_limit:g} s (not proven impossible)"
            for t in problem.tasks if t.required}


def infeasible(problem: Problem, reasons: dict[int, str], budget: Budget, timed_out: bool = False) -> Result:
    others = {t.index: "not attempted: the required meetings cannot all be placed (see the required ones)"
              for t in problem.tasks if t.index not in reasons}
    return Result(Status.INFEASIBLE, (), {**others, **reasons}, (), budget.elapsed(), work=budget.work,
                  wall_stopped=budget.wall_stopped, timed_out=timed_out)


def diagnose(problem: Problem, budget: Budget) -> dict[int, str]:
    """Find a small set of required meetings that cannot all take place, and say what they share
    (within the time limit's hard end; past it, every required meeting is named)."""
    model = MeetingModel(problem, required_as_assumptions=True)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = 30  # work, not seconds: the same answer on any machine
    solver.parameters.max_time_in_seconds = max(0.01, min(120.0, budget.wall_left()))
    solver.solve(model.model)
    core = [model.assumption_of[i] for i in solver.sufficient_assumptions_for_infeasibility()
            if i in model.assumption_of]
    if not core:
        core = [t.index for t in problem.tasks if t.required]
    names = [problem.tasks[i] for i in core]
    shared = _shared_resources(problem, names)
    reasons = {}
    for task in names:
        others = [_title(problem, t) for t in names if t.index != task.index]
        if others:
            reasons[task.index] = (f"required, but it cannot take place together with the required meetings "
                                   f"{', '.join(others)}{shared}")
        else:
            reasons[task.index] = f"required, but it cannot take place with the other constraints{shared}"
    return reasons


def _title(problem: Problem, task) -> str:
    a, b = (problem.people[p].id for p in task.people)
    return f"{b}-{a}" if problem.kind != "brokerage" else f"{a}-{b}"


def _shared_resources(problem: Problem, tasks) -> str:
    people = Counter(p for t in tasks for p in t.people)
    busy = [problem.people[p].id for p, n in people.items() if n > 1]
    linguists = None
    for task in tasks:
        used = {i for o in task.options for i in o}
        if used:
            linguists = used if linguists is None else linguists & used
    parts = []
    if busy:
        parts.append(f"{', '.join(sorted(busy))} cannot be in all of them in the time available")
    if linguists:
        parts.append(f"they need the same interpreters ({', '.join(sorted(problem.linguists[i].id for i in linguists))})")
    return (": " + "; ".join(parts)) if parts else ""


def _over_cap(person: str, cap: int, required: int) -> str:
    if cap == 0:
        are = "is" if required == 1 else "are"
        return f"{person} may have no meeting (max_meetings: 0), and {required} of its meetings {are} required"
    return (f"{person} may have at most {cap} meeting{'' if cap == 1 else 's'} (max_meetings), and "
            f"{required} of its meetings are required")
