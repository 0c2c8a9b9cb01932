"""The comfort level's bound from the relaxation by day, on tiny events worked out in comments."""

from __future__ import annotations

from pathlib import Path

import yaml

from scheduler.model.load import event_from_data
from scheduler.model.problem import compile_problem
from scheduler.solve.bounds.comfort import applies, by_day
from scheduler.solve.model.meetings import MeetingModel
from scheduler.solve.bounds.relaxation import integral_bound, relaxation_bound
from support import solve_checked

COMFORT = {"interpreter seats": 1, "busiest interpreter": 1}


def _event(objective=None) -> dict:
    """One day of three 30-minute slots. B1 (Thai) meets F1 only through a relay (I1 ko-en, then
    the Bangkok office en-th): two seats. B2 (Chinese) meets F2 and F3, each through one of the
    ko-zh pair I2, I3: one seat each."""
    people = lambda ids, languages: [{"id": i, "name": f"Person {i}", "languages": languages} for i in ids]
    return {
        "event": {"name": "Tiny", "kind": "plaza", "timezone": "Asia/Seoul", "meeting_minutes": 30,
                  "days": [{"date": "2026-06-18", "open": "09:00", "close": "10:30"}]},
        "booths": {"count": 2, "prefix": "T"},
        "buyers": people(["B1"], ["th"]) + people(["B2"], ["zh"]),
        "firms": people(["F1", "F2", "F3"], ["ko"]),
        "interpreters": people(["I1"], ["ko", "en"]) + people(["BKK"], ["en", "th"]) + people(["I2", "I3"], ["ko", "zh"]),
        "requests": [{"buyer": "B1", "firm": "F1"}, {"buyer": "B2", "firm": "F2"}, {"buyer": "B2", "firm": "F3"}],
        **({"objective": objective} if objective else {}),
    }


def _bound(weights, settled) -> int:
    problem = compile_problem(event_from_data(_event()).event)
    relaxation = by_day(MeetingModel(problem, seating=False), weights, settled)
    return integral_bound(relaxation_bound(relaxation), "min")


def test_nothing_settled_nothing_needs_an_interpreter():
    # Without a settled level no meeting has to take place: 0 seats, nobody busy.
    assert _bound(COMFORT, []) == 0
    # Priority 3 is one meeting: the cheapest is a Chinese one, 1 seat.
    assert _bound({"interpreter seats": 1}, [("priority", 3)]) == 1


def test_the_settled_priority_forces_every_meeting_and_its_seats():
    # Priority 9 (3 each, the default) takes all three meetings: 2 seats for the relay and 1 each for the
    # Chinese meetings (4), and the two ko-zh interpreters share two meetings, one each (1).
    assert _bound({"interpreter seats": 1}, [("priority", 9)]) == 4
    assert _bound({"busiest interpreter": 1}, [("priority", 9)]) == 1
    assert _bound({"interpreter seats": 2, "busiest interpreter": 3, "interpreter changes": 5},
                  [("priority", 9)]) == 2 * 4 + 3 * 1  # changes counted as 0
    # A settled level it cannot state (idle gaps) is left out, which only loosens it.
    assert _bound(COMFORT, [("priority", 9), ("idle gaps", 0)]) == 5


def test_the_least_served_firm_forces_a_meeting_each():
    # Every firm has at least one meeting: the same three meetings, 4 seats.
    assert _bound({"interpreter seats": 1}, [("least-served firm", 1)]) == 4
    assert _bound({"interpreter seats": 1}, [("firms met", 3)]) == 4
    # Two firms met: cheapest is F2 and F3, one seat each (the relay left out).
    assert _bound({"interpreter seats": 1}, [("firms met", 2)]) == 2


def test_levels_it_does_not_state():
    assert not applies({"interpreter changes": 1})  # changes alone: 0 is all it could say
    assert not applies({"interpreter seats": 1, "priority": 1})  # a maximised term
    assert not applies({"interpreter seats": -1})
    assert applies({"interpreter seats": 1, "idle gaps": 2})


def test_the_solver_reports_it_as_the_level_bound(tmp_path: Path):
    # Priority 9 is proven (all three meetings), and the comfort level's optimum is 4 seats + a
    # busiest interpreter of 1 = 5, which the relaxation's bound meets.
    path = tmp_path / "event.yaml"
    path.write_text(yaml.safe_dump(_event(["priority", COMFORT]), sort_keys=False))
    result, schedule = solve_checked(path)
    comfort = result.terms[1]
    assert (comfort.value, comfort.bound, comfort.proven) == (5, 5, True)
    assert schedule.stats.terms["interpreter_seats"] == 4
