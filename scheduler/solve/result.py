"""A solver-neutral result, and its translation into the schedule file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from scheduler.model.problem import Problem, Task
from scheduler.model.schedule_file import ScheduledMeeting, ScheduleFile, Stats, UnscheduledRequest


class Status(StrEnum):
    OPTIMAL = "optimal"  # every objective term proven best
    FEASIBLE = "feasible"  # a valid schedule, not proven best in every term
    INFEASIBLE = "infeasible"  # a required meeting cannot be placed


@dataclass(frozen=True)
class Placement:
    """Where one request takes place."""

    task: int  # index into problem.tasks (== index into event.requests)
    start: int  # first slot
    interpreters: tuple[int, ...]  # linguist indices, firm side first
    booth_class: int | None = None  # teleconference / brokerage: the class of booths it uses
    booth: str | None = None  # filled in once booths are assigned


@dataclass(frozen=True)
class Term:
    """One objective term after solving, e.g. priority 1391 (bound 1402)."""

    name: str
    sense: str  # "max" | "min"
    value: int | None
    bound: int | None
    proven: bool
    seconds: float | None = None  # since the solve began, when this level was settled
    began: float | None = None  # since the solve began, when this level's work began (its model included)

    @property
    def gap(self) -> float | None:
        """Relative gap between value and bound, 0.0 when proven."""
        if self.value is None or self.bound is None:
            return None
        if self.value == self.bound:
            return 0.0
        return abs(self.bound - self.value) / max(1, abs(self.bound))


@dataclass(frozen=True)
class Result:
    status: Status
    placements: tuple[Placement, ...]
    reasons: dict[int, str]  # task index -> why it is not scheduled
    terms: tuple[Term, ...]
    seconds: float
    figures: dict[str, int | float] = field(default_factory=dict)  # extra stats for the schedule file
    work: float = 0.0  # CP-SAT's deterministic time over every search (work units)
    wall_stopped: bool = False  # a deterministic solve was cut short by its wall-clock safety
    # Infeasible only in that no schedule with every required meeting was found in the time: none is
    # proven impossible, and more time may find one.
    timed_out: bool = False

    def term(self, name: str) -> Term | None:
        return next((t for t in self.terms if t.name == name), None)


def to_schedule(problem: Problem, result: Result, generated: dt.datetime | None = None) -> ScheduleFile:
    """The schedule file for a result; every request lands in meetings or unscheduled. ``generated``:
    when it was produced (``stats.generated``), left out when not given."""
    meetings = []
    for placement in sorted(result.placements, key=lambda p: (p.start, p.booth or "", p.task)):
        task = problem.tasks[placement.task]
        begin, end = problem.interval(task, placement.start)
        meetings.append(ScheduledMeeting(
            **_sides(task), booth=placement.booth or "", start=begin, end=end,
            interpreters=tuple(problem.linguists[i].id for i in placement.interpreters),
        ))
    placed = {p.task for p in result.placements}
    unscheduled = [
        UnscheduledRequest(**_sides(task), reason=result.reasons.get(task.index, "not scheduled"))
        for task in problem.tasks if task.index not in placed
    ]
    priority = result.term("priority")
    requested = sum(t.priority for t in problem.tasks)
    scheduled = sum(problem.tasks[p.task].priority for p in result.placements)
    # A request that could never take place (no slot, no interpreter) is never scheduled, so the
    # priority of the others is a proven bound (the priority requested at worst); the objective's own
    # bound, when it has one (an event's `objective:` may leave priority out), is kept if lower.
    bound = sum(t.priority for t in problem.tasks if t.placement_count)
    if priority is not None and priority.bound is not None:
        bound = min(bound, priority.bound)
    # FORMAT.md: `optimal` is the whole objective proven best, priority_bound equal to
    # priority_scheduled; an objective that proved its own terms but not priority is `feasible`.
    status = result.status
    if status is Status.OPTIMAL and bound != scheduled:
        status = Status.FEASIBLE
    stats = Stats(
        requested=len(problem.tasks),
        scheduled=len(meetings),
        priority_requested=requested,
        priority_scheduled=scheduled,
        priority_bound=bound,
        solve_seconds=round(result.seconds, 2),
        generated=generated,
        **result.figures,
    )
    return ScheduleFile(event=problem.event.event.name, status=status.value, meetings=tuple(meetings),
                        unscheduled=tuple(unscheduled), stats=stats)


def _sides(task: Task) -> dict:
    request = task.request
    if request.between is not None:
        return {"between": request.between}
    return {"buyer": request.buyer, "firm": request.firm}
