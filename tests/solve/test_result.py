"""The schedule file's figures from a result: priority_bound is always the best bound known."""

from __future__ import annotations

from scheduler.model.load import event_from_data
from scheduler.model.problem import compile_problem
from scheduler.solve.result import Result, Status, Term, to_schedule


def test_a_priority_bound_above_what_could_ever_take_place_is_lowered_to_it():
    # B1 is free only at 09:00; F2 only at 10:00: B1-F2 can never take place. Whatever bound a
    # search reports, no schedule places more than B1-F1's priority, 4 (of the 4 + 5 requested).
    data = {
        "event": {"name": "Tiny", "kind": "plaza", "timezone": "Asia/Seoul", "meeting_minutes": 30,
                  "days": [{"date": "2026-06-18", "open": "09:00", "close": "10:30"}]},
        "booths": {"count": 1, "prefix": "T"},
        "buyers": [{"id": "B1", "name": "B1", "languages": ["en"],
                    "available": [{"date": "2026-06-18", "start": "09:00", "end": "09:30"}]}],
        "firms": [{"id": "F1", "name": "F1", "languages": ["en"]},
                  {"id": "F2", "name": "F2", "languages": ["en"],
                   "available": [{"date": "2026-06-18", "start": "10:00", "end": "10:30"}]}],
        "requests": [{"buyer": "B1", "firm": "F1", "priority": 4}, {"buyer": "B1", "firm": "F2", "priority": 5}],
    }
    problem = compile_problem(event_from_data(data).event)
    loose = Result(Status.FEASIBLE, (), {}, (Term("priority", "max", 0, 1_000, False),), 0.1)
    assert to_schedule(problem, loose).stats.priority_bound == 4
