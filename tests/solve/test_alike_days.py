"""Alike days folded into one: a bound on the levels that count meetings, spread back over the days."""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.check import check_schedule
from scheduler.model.load import event_from_data
from scheduler.model.problem import compile_problem
from scheduler.solve import Stop, solve, to_schedule
from scheduler.solve.pipeline import plan
from scheduler.solve.methods import highs
from scheduler.solve.bounds.folding import Folded, alike_days
from scheduler.solve.pipeline.budget import Budget
from scheduler.solve.model.meetings import MeetingModel
from scheduler.solve.model.measure import measure
from scheduler.solve.model.objective import build_level

DATES = ("2026-06-17", "2026-06-18", "2026-06-19")


def _room(days: int, close: str, buyers: list[dict], requests: list[dict], interpreters: list[dict]) -> dict:
    # Hour-long slots from 09:00 in Seoul; every buyer in Tokyo (at Seoul's time), free all day.
    return {
        "event": {"name": "Tiny room", "kind": "teleconference", "timezone": "Asia/Seoul", "meeting_minutes": 60,
                  "days": [{"date": d, "open": "09:00", "close": close} for d in DATES[:days]]},
        "booths": [{"id": "A", "floor": 1}, {"id": "B", "floor": 1}],
        "buyers": [{"id": b["id"], "name": f"Buyer {b['id']}", "languages": b["languages"],
                    "timezone": "Asia/Tokyo"} for b in buyers],
        "firms": [{"id": f"F{n}", "name": f"Firm {n}", "languages": ["ko"]} for n in range(1, 5)],
        "interpreters": interpreters,
        "requests": requests,
    }


def _best(model: cp_model.CpModel) -> int:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(model) == cp_model.OPTIMAL
    return round(solver.objective_value)


def _one_interpreter_for_three_wishes() -> dict:
    # Two days of one slot each; every meeting needs I1 (Korean-English), so one meeting a day.
    return _room(2, "10:00", [{"id": f"B{n}", "languages": ["en"]} for n in (1, 2, 3)],
                 [{"buyer": "B1", "firm": "F1", "priority": 5}, {"buyer": "B2", "firm": "F2", "priority": 3},
                  {"buyer": "B3", "firm": "F3", "priority": 1}],
                 [{"id": "I1", "name": "Kim Minji", "languages": ["ko", "en"]}])


def test_days_alike_in_every_request_interpreter_and_booth_are_grouped():
    # I1 works only on the first day, so that day differs from the other two, which are alike.
    event = _room(3, "11:00", [{"id": "B1", "languages": ["en"]}], [{"buyer": "B1", "firm": "F1"}],
                  [{"id": "I1", "name": "Kim Minji", "languages": ["ko", "en"],
                    "available": [{"date": DATES[0], "start": "09:00", "end": "11:00"}]},
                   {"id": "I2", "name": "Lee Seoyeon", "languages": ["ko", "en"]}])
    problem = compile_problem(event_from_data(event).event)
    assert alike_days(problem) == ((0,), (1, 2))


def test_a_folded_optimum_that_spreads_is_the_events():
    # Folded, I1 may interpret two meetings at the one slot (it stands for two days): B1 and B2,
    # priority 8. Spread, they take a day each. No schedule does better: one interpreter, two slots.
    problem = compile_problem(event_from_data(_one_interpreter_for_three_wishes()).event)
    folded = Folded(problem, alike_days(problem))
    expression, _ = build_level(folded.model, "priority")
    folded.model.model.maximize(expression)
    solver_ = cp_model.CpSolver()
    assert solver_.solve(folded.model.model) == cp_model.OPTIMAL and solver_.objective_value == 8
    chosen = folded.chosen(solver_.value)
    found, _, complete = folded.spread(chosen, "priority", Budget(10), 5.0)
    assert complete and measure(problem, found, "priority") == 8
    assert sorted(problem.slot_day(p.start) for p in found) == [0, 1]


def test_folding_bounds_the_event_and_spreads_what_fits():
    # A brokerage triangle: A, B and C each wish to meet the other two, on two alike days of one
    # slot. Folded, each person may be in two meetings at the slot: all three. On a real day
    # any two of the meetings share someone, so a day holds one: 2 in all, and the spread says
    # that not every folded meeting found a day.
    event = {
        "event": {"name": "Triangle", "kind": "brokerage", "timezone": "Europe/Madrid", "meeting_minutes": 20,
                  "days": [{"date": d, "open": "09:00", "close": "09:20"} for d in DATES[:2]]},
        "booths": {"count": 3, "prefix": "M"},
        "participants": [{"id": x, "name": f"Person {x}", "languages": ["en"]} for x in "ABC"],
        "requests": [{"between": pair} for pair in (["A", "B"], ["B", "C"], ["A", "C"])],
    }
    problem = compile_problem(event_from_data(event).event)
    assert alike_days(problem) == ((0, 1),)
    folded = Folded(problem, alike_days(problem))
    expression, _ = build_level(folded.model, "priority")
    folded.model.model.maximize(expression)
    solver_ = cp_model.CpSolver()
    assert solver_.solve(folded.model.model) == cp_model.OPTIMAL and len(folded.chosen(solver_.value)) == 3
    found, _, complete = folded.spread(folded.chosen(solver_.value), "priority", Budget(10), 5.0)
    assert not complete and len(found) == 2


def test_the_folded_comfort_bound_is_the_fewest_seats_and_busiest():
    # B1 (Thai) wishes F1, F2 and F3 on two alike days of two slots. I1 (Korean-Thai) takes one
    # meeting a day, so one of the three is relayed: I2 (Korean-English) and I3 (English-Thai).
    # Seats: 1 + 1 + 2 = 4; each interpreter has at most 1 a day: 5, and the folded model, with the
    # three meetings kept, proves nothing less.
    event = _room(2, "11:00", [{"id": "B1", "languages": ["th"]}],
                  [{"buyer": "B1", "firm": f"F{n}"} for n in (1, 2, 3)],
                  [{"id": "I1", "name": "Shin Eunji", "languages": ["ko", "th"], "max_meetings": 1},
                   {"id": "I2", "name": "Kim Minji", "languages": ["ko", "en"]},
                   {"id": "I3", "name": "Somchai P.", "languages": ["en", "th"]}])
    problem = compile_problem(event_from_data(event).event)
    level = {"interpreter seats": 1, "busiest interpreter": 1}
    folded = Folded(problem, alike_days(problem))
    folded.comfort(level, [("priority", 9)])  # three meetings of the default priority, 3
    assert _best(folded.model.model) == 5
    result = solve(problem, Stop(time_limit=10), levels=["priority", level])
    assert result.term("priority").value == 9
    assert result.terms[-1].value == 5 and result.terms[-1].proven


def test_the_solver_proves_a_level_on_alike_days_folded(monkeypatch):
    # The path taken by events too large to search whole (the month), on the three wishes above:
    # priority 8 (B1 and B2, one a day), proven by the folded model alone.
    monkeypatch.setattr(plan, "WHOLE_MODEL_UP_TO", 0)
    monkeypatch.setattr(plan, "MIP_UP_TO", 0)  # HiGHS would take the whole (small) model first
    # ... and the race of the plain program's relaxations, which comes before the folded model in
    # a room beyond MIP_UP_TO, would prove it first.
    monkeypatch.setattr(highs, "PLAIN_COLUMNS_PER_CHOICE", 0)
    event = event_from_data(_one_interpreter_for_three_wishes()).event
    problem = compile_problem(event)
    notes: list[str] = []
    result = solve(problem, Stop(time_limit=10), levels=["priority"], log=lambda _, message: notes.append(message))
    assert any("from alike days folded, bound 8" in n for n in notes)
    assert result.term("priority").value == 8 and result.term("priority").proven
    assert check_schedule(event, to_schedule(problem, result)) == []


def test_the_least_served_firm_is_proven_on_alike_days_folded(monkeypatch):
    # One interpreter, two alike days of one slot: two meetings in all. F1's two wishes (5 and 4)
    # take both: priority 9, and F2 (its one wish, 1) meets nobody, so the least-served firm has 0.
    # Every firm at 1 or more leaves at most 5 + 1 = 6 of priority: 0 is the best. The model is
    # made "too large" for HiGHS whole but not folded, the month's case.
    event = event_from_data(_room(2, "10:00", [{"id": "B1", "languages": ["en"]}, {"id": "B2", "languages": ["en"]}],
                                  [{"buyer": "B1", "firm": "F1", "priority": 5},
                                   {"buyer": "B2", "firm": "F1", "priority": 4},
                                   {"buyer": "B1", "firm": "F2", "priority": 1}],
                                  [{"id": "I1", "name": "Kim Minji", "languages": ["ko", "en"]}])).event
    problem = compile_problem(event)
    variables = len(MeetingModel(problem, seating=False).model.proto.variables)
    monkeypatch.setattr(plan, "WHOLE_MODEL_UP_TO", 0)
    monkeypatch.setattr(plan, "MIP_UP_TO", variables * 3 // 4)
    notes: list[str] = []
    result = solve(problem, Stop(time_limit=10), levels=["priority", "least-served firm"],
                   log=lambda _, message: notes.append(message))
    assert result.term("priority").value == 9
    assert any("least-served firm: 0 by HiGHS, raised a meeting at a time, bound 0" in n for n in notes)
    assert result.term("least-served firm").value == 0 and result.term("least-served firm").proven


def test_the_folded_path_repeats_exactly_when_deterministic(monkeypatch):
    # HiGHS on the folded model stops by nodes and the spread by CP-SAT's work, not the clock:
    # two runs give the same schedule, at the proven 8 of the three wishes above.
    monkeypatch.setattr(plan, "WHOLE_MODEL_UP_TO", 0)
    monkeypatch.setattr(plan, "MIP_UP_TO", 0)
    problem = compile_problem(event_from_data(_one_interpreter_for_three_wishes()).event)
    runs = [solve(problem, Stop(time_limit=4, deterministic=True), levels=["priority", "idle gaps"])
            for _ in range(2)]
    assert runs[0].placements == runs[1].placements
    assert runs[0].term("priority").value == 8 and runs[0].term("priority").proven
