"""Brokerage days at the participants' own bounds: busy patterns, their floor and its proofs."""

from __future__ import annotations

from scheduler.check import check_schedule
from scheduler.generate import generate_brokerage
from scheduler.model.load import event_from_data, load_event
from scheduler.model.problem import compile_problem
from scheduler.solve import Stop, solve, to_schedule
from scheduler.solve.pipeline.budget import Budget
from scheduler.solve.model.meetings import MeetingModel
from scheduler.solve.model.measure import measure_all
from scheduler.solve.model.objective import idle_gap_floor, idle_gaps
from scheduler.solve.searches.patterns import applies, search
from test_brokerage import brokerage, person
from test_compact import _keeps_every_rule


def _bounds(problem):
    model = MeetingModel(problem)
    idle_gaps(model)  # caches the participants' own bounds
    return model


def test_a_triangle_on_one_table_cannot_be_at_its_floor(tmp_path):
    # Three slots, one table; A, B and C meet pairwise. Each has two meetings, which alone fit
    # back to back: the floor is 0. But whoever is not in the middle meeting has slots 1 and 3:
    # one idle gap is unavoidable. The patterns prove it (floor 1) and the solve reaches it.
    path = brokerage(tmp_path, [person(x) for x in "ABC"],
                     [{"between": list(pair), "required": True} for pair in ("AB", "BC", "AC")],
                     tables=1, close="10:00")
    event = load_event(path).event
    problem = compile_problem(event)
    assert applies(problem)
    bounds = _bounds(problem)
    assert idle_gap_floor(bounds) == 0
    outcome = search(problem, bounds, Budget(10), 5)
    assert outcome.placements is None and outcome.floor == 1
    result = solve(problem, Stop(time_limit=10))
    assert result.status.value == "optimal"
    assert result.term("idle gaps").value == 1 and result.term("idle gaps").bound == 1
    assert check_schedule(event, to_schedule(problem, result)) == []


def test_a_generated_day_at_its_floor_is_found_and_proven():
    data = generate_brokerage(participants=30, meetings=80, slots=12, tables=10, seed=3)
    event = event_from_data(data).event
    problem = compile_problem(event)
    bounds = _bounds(problem)
    floor = idle_gap_floor(bounds)
    outcome = search(problem, bounds, Budget(20), 10)
    assert outcome.placements is not None and outcome.excess == 0 and outcome.floor == floor
    _keeps_every_rule(problem, outcome.placements)
    # At the participants' own bounds, summed: no day can have fewer, so this one is optimal.
    assert measure_all(problem, outcome.placements)["idle gaps"] == floor
    result = solve(problem, Stop(time_limit=20))  # the default levels: priority first, then idle gaps
    assert result.status.value == "optimal" and result.term("idle gaps").value == floor
    assert check_schedule(event, to_schedule(problem, result)) == []


def test_optional_meetings_are_left_to_the_other_searches(tmp_path):
    path = brokerage(tmp_path, [person(x) for x in "ABC"],
                     [{"between": ["A", "B"], "required": True}, {"between": ["A", "C"]}])
    assert not applies(compile_problem(load_event(path).event))
