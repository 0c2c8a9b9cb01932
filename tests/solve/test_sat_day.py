"""A brokerage day at a given number of idle gaps, asked of a SAT solver."""

from __future__ import annotations

import threading
import time


from scheduler.generate import generate_brokerage
from scheduler.model.load import event_from_data, load_event
from scheduler.model.problem import compile_problem
from scheduler.solve.model.measure import measure_all
from scheduler.solve.searches.greedy import greedy
from scheduler.solve.searches import sharing
from scheduler.solve.searches.sat_day import ask, climb, climb_beside, climbed_by
from test_brokerage import brokerage, person
from test_compact import _keeps_every_rule
from test_patterns import _blocked_day, _plain_optimum


def _in(seconds: float) -> float:
    return time.perf_counter() + seconds


def test_a_gap_forced_by_availability_is_proven_and_a_day_with_it_found(tmp_path):
    # Three slots. A meets B and C; B is there only in the first slot, C only in the third: A
    # waits through the second, one idle gap whatever happens. No day has none; a day has one.
    window = [{"date": "2026-05-12", "start": "09:00", "end": "09:20"}]
    later = [{"date": "2026-05-12", "start": "09:40", "end": "10:00"}]
    path = brokerage(tmp_path, [person("A"), person("B", available=window), person("C", available=later)],
                     [{"between": ["A", x], "required": True} for x in "BC"], tables=1, close="10:00")
    problem = compile_problem(load_event(path).event)
    start, _ = greedy(problem)
    assert ask(problem, 0, start, _in(10)).refuted
    answer = ask(problem, 1, start, _in(10))
    assert answer.day is not None and measure_all(problem, answer.day)["idle gaps"] == 1
    _keeps_every_rule(problem, answer.day)


def test_the_answers_meet_at_the_optimum_cp_sat_proves():
    # CP-SAT on the plain run-start model (no patterns, no implied constraint) proves the day's
    # optimum; the SAT solver finds a day there and proves none has one fewer.
    event, problem = _blocked_day(2)
    optimum = _plain_optimum(problem)
    start, _ = greedy(problem)  # where the search starts from, whole or not
    assert ask(problem, optimum - 1, start, _in(30)).refuted
    answer = ask(problem, optimum, start, _in(30))
    assert answer.day is not None and measure_all(problem, answer.day)["idle gaps"] <= optimum
    _keeps_every_rule(problem, answer.day)
    # From below: a no at each count under the optimum, then a day at it.
    climbed = climb(problem, optimum - 2, start, _in(30))
    assert climbed.floor == optimum and climbed.day is not None
    assert measure_all(problem, climbed.day)["idle gaps"] == optimum


def test_a_question_stops_when_the_other_search_reached_the_bound():
    # A day far below anything possible (no gap at all where CP-SAT proves some): the SAT solver
    # would search long; with the flag set it stops after a batch.
    _, problem = _blocked_day(2)
    start, _ = greedy(problem)
    settled = threading.Event()
    settled.set()
    began = time.perf_counter()
    answer = ask(problem, 0, start, _in(60), settled=settled)
    assert time.perf_counter() - began < 5
    assert answer.day is None


def test_a_question_in_its_own_process_answers_by_its_deadline():
    data = generate_brokerage(participants=45, meetings=130, slots=17, tables=10, seed=8,
                              traits=frozenset({"unavailable-blocks"}))
    problem = compile_problem(event_from_data(data).event)
    start, _ = greedy(problem)
    ends = _in(2.0)
    # At most 4 idle gaps on this day: no answer either way within 10 s alone. Asked in a process of
    # its own with 2 s (its start counted), the caller has the answer, or none, by the deadline
    # and a batch.
    settled = sharing.flag()  # kept until the process has it
    climbed = climbed_by(climb_beside(problem, 4, start, ends, None, settled), 4, ends)
    assert time.perf_counter() - ends < 1.0
    assert climbed.floor >= 4
    assert climbed.day is None or measure_all(problem, climbed.day)["idle gaps"] <= climbed.floor
