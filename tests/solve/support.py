"""Shared by the solver tests: solve an event file and re-verify the schedule independently."""

from __future__ import annotations

from pathlib import Path

from scheduler.check import check_schedule
from scheduler.model.load import load_event
from scheduler.model.problem import compile_problem
from scheduler.solve import Stop, solve, to_schedule


def solve_checked(path: Path, time_limit: float = 20):
    """(result, schedule file) for the event at ``path``; the checker must find nothing."""
    event = load_event(path).event
    problem = compile_problem(event)
    result = solve(problem, Stop(time_limit=time_limit))
    schedule = to_schedule(problem, result)
    assert check_schedule(event, schedule) == []
    return result, schedule
