"""Shared by the solver tests: solve an event file and re-verify the schedule independently."""

from __future__ import annotations

import subprocess
import sys
import textwrap
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


def repeatable_solve_apart(generator: str, arguments: dict, time_limit: float = 2) -> subprocess.CompletedProcess:
    """A generated event (``scheduler.generate``'s ``generator`` with ``arguments``) solved with
    --deterministic on two workers in a process of its own, which prints whether its idle gaps are
    proven: CP-SAT aborts the whole process on some faults, and a test must see that as a failure,
    not die of it."""
    script = textwrap.dedent(f"""
        from scheduler.generate import {generator}
        from scheduler.model.load import event_from_data
        from scheduler.model.problem import compile_problem
        from scheduler.solve import Stop, solve
        problem = compile_problem(event_from_data({generator}(**{arguments!r})).event)
        result = solve(problem, Stop(time_limit={time_limit}, deterministic=True, workers=2))
        print(result.term("idle gaps").proven)
    """)
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
