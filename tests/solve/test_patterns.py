"""Brokerage days at the participants' own bounds: busy patterns, their floor and its proofs."""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from scheduler.check import check_schedule
from scheduler.generate import generate_brokerage
from scheduler.model.load import event_from_data, load_event
from scheduler.model.problem import compile_problem
from scheduler.solve import Stop, solve, to_schedule
from scheduler.solve.pipeline.budget import Budget
from scheduler.solve.model.meetings import MeetingModel
from scheduler.solve.model.measure import measure_all
from scheduler.solve.model.objective import idle_gap_floor, idle_gaps, plain_idle_gaps
from scheduler.solve.searches.patterns import applies, relaxed_floor, search
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


def _blocked_day(seed: int, participants: int = 20, meetings: int = 45, slots: int = 10, tables: int = 6,
                 popular: bool = False):
    data = generate_brokerage(participants=participants, meetings=meetings, slots=slots, tables=tables, seed=seed,
                              traits=frozenset({"unavailable-blocks"} | ({"popular"} if popular else set())))
    event = event_from_data(data).event
    return event, compile_problem(event)


def _plain_optimum(problem) -> int:
    """The day's fewest idle gaps as CP-SAT proves them on the plain run-start model, every
    meeting required, without the patterns or any implied constraint."""
    model = MeetingModel(problem)
    expression, _ = plain_idle_gaps(model)
    model.model.minimize(expression)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 30
    assert solver.solve(model.model) == cp_model.OPTIMAL
    return round(solver.objective_value)


def test_a_day_a_run_above_the_floor_is_found_once_the_floor_is_refuted():
    event, problem = _blocked_day(2)
    bounds = _bounds(problem)
    floor = idle_gap_floor(bounds)
    at_floor = search(problem, bounds, Budget(20), 10)
    assert at_floor.refuted and at_floor.placements is None and at_floor.floor == floor + 1
    above = search(problem, bounds, Budget(20), 10, extra=1)
    assert not above.refuted and above.excess == 1
    _keeps_every_rule(problem, above.placements)
    assert measure_all(problem, above.placements)["idle gaps"] == floor + 1
    # Independently: CP-SAT on the plain run-start model proves the same optimum.
    assert _plain_optimum(problem) == floor + 1
    result = solve(problem, Stop(time_limit=10))
    assert result.status.value == "optimal" and result.term("idle gaps").value == floor + 1
    assert check_schedule(event, to_schedule(problem, result)) == []


def test_no_day_a_run_above_the_floor_raises_it_twice():
    event, problem = _blocked_day(3)
    bounds = _bounds(problem)
    floor = idle_gap_floor(bounds)
    assert search(problem, bounds, Budget(20), 10).floor == floor + 1
    above = search(problem, bounds, Budget(20), 10, extra=1)
    assert above.refuted and above.placements is None and above.floor == floor + 2
    # CP-SAT's own bound on this day stays far below after 30 s; the refutations are the proof,
    # and the solve finds a day at that bound, so the day is optimal.
    result = solve(problem, Stop(time_limit=10))
    assert result.status.value == "optimal" and result.term("idle gaps").value == floor + 2
    assert result.term("idle gaps").bound == floor + 2
    assert check_schedule(event, to_schedule(problem, result)) == []


def test_patterns_too_many_to_list_in_the_allowance_are_not_listed():
    # A count, not a clock: at 20,000 patterns a second, a thousandth of a second lists 20, far
    # fewer than this day's participants need even at their own bounds.
    _, problem = _blocked_day(2)
    bounds = _bounds(problem)
    assert search(problem, bounds, Budget(20), 0.001, extra=1) is None
    assert search(problem, bounds, Budget(20), 10, extra=1) is not None


def test_the_patterns_relaxation_raises_the_floor_while_it_proves_more_than_its_slack():
    # 65 participants, 230 meetings in 11 slots, popular participants and unavailable blocks. No
    # day is at the participants' own bounds (floor + 1). The relaxation of the patterns with a
    # run of slack each proves 4 runs above the floor in all, of which it may claim only 2 (a day
    # with someone further above is not in the model, but has at least 2 then); with two runs of
    # slack, 3; with three, all 4, and no more with four.
    data = generate_brokerage(participants=65, meetings=230, slots=11, tables=25, seed=3,
                              traits=frozenset({"popular", "unavailable-blocks"}))
    event = event_from_data(data).event
    problem = compile_problem(event)
    bounds = _bounds(problem)
    refuted = search(problem, bounds, Budget(20), 10)
    assert refuted.refuted
    floor = refuted.floor - 1
    relaxed = [relaxed_floor(problem, bounds, Budget(20), 10, extra, seconds=10) for extra in (1, 2, 3, 4)]
    assert [(r.floor - floor, r.more) for r in relaxed] == [(2, True), (3, True), (4, False), (4, False)]
    # The solve takes the same bound, and every schedule it finds keeps above it. It asks the
    # relaxation with one run of slack more at a time, each on the clock: 10 s leave room for that
    # on a machine the tests beside this one keep busy.
    result = solve(problem, Stop(time_limit=10))
    term = result.term("idle gaps")
    assert term.bound >= floor + 4 and term.value >= term.bound
    assert check_schedule(event, to_schedule(problem, result)) == []


def test_a_question_stops_once_a_search_beside_has_answered_it():
    # The robustness suite's brokerage day of seed 17: its question a run above the own bounds is
    # answered neither way in seconds. Told after half a second that a search beside has answered
    # it (the SAT climb's proof of a higher floor), the question stops within a look or two
    # instead of running out the 20 s it was given.
    event, problem = _blocked_day(17, participants=57, meetings=187, slots=17, tables=14)
    bounds = _bounds(problem)
    first = search(problem, bounds, Budget(30), 10)
    assert first.refuted
    began = time.perf_counter()
    asked = search(problem, bounds, Budget(30), 20, extra=1, workers=1,
                   until=lambda: time.perf_counter() > began + 0.5)
    took = time.perf_counter() - began
    assert asked is not None and not asked.refuted and asked.placements is None
    assert took < 3.0, took


def test_the_question_is_asked_a_run_higher_after_each_no_until_a_day_is_found():
    # 20 participants, 45 meetings in 10 slots, popular participants and unavailable blocks: no
    # day at the participants' own bounds, nor one, two or three runs above them; a day four runs
    # above exists, so it is optimal.
    event, problem = _blocked_day(10, popular=True)
    bounds = _bounds(problem)
    floor = idle_gap_floor(bounds)
    for extra in range(4):
        refuted = search(problem, bounds, Budget(20), 10, extra=extra)
        assert refuted.refuted and refuted.floor == floor + extra + 1
    found = search(problem, bounds, Budget(20), 10, extra=4)
    assert not found.refuted and found.excess == 4
    _keeps_every_rule(problem, found.placements)
    # Independently: CP-SAT on the plain run-start model proves the same optimum.
    assert _plain_optimum(problem) == floor + 4
    # The solve raises the floor (here the patterns' relaxation proves the last three runs), asks
    # at it, and ends proven at that optimum with the day the patterns found.
    notes = []
    result = solve(problem, Stop(time_limit=10), log=lambda _, message: notes.append(message))
    assert any("a day 4 runs above the participants' own bounds, the fewest" in note for note in notes), notes
    assert result.status.value == "optimal" and result.term("idle gaps").value == floor + 4
    assert check_schedule(event, to_schedule(problem, result)) == []
