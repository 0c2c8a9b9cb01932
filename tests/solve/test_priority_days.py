"""Priority re-solved a day or two at a time on the plain program: where a pair of days is the
whole event the search ends at the proven optimum, and a schedule at its bound is left as it is."""

from __future__ import annotations

import threading
import time

import numpy as np

from scheduler.generate import TRAITS, generate_teleconference
from scheduler.model.load import event_from_data
from scheduler.model.problem import compile_problem
from scheduler.solve import greedy
from scheduler.solve.bounds.highs_worker import workers
from scheduler.solve.bounds.mip import holds, program_of, solve_mip
from scheduler.solve.bounds.relaxation import proto_of
from scheduler.solve.bounds.time_indexed import time_indexed
from scheduler.solve.model.meetings import MeetingModel
from scheduler.solve.model.measure import priority as priority_of
from scheduler.solve.model.objective import build_level
from scheduler.solve.searches.ones_fixed import Asking, reaching
from scheduler.solve.searches.priority_days import days_beside_whole, priority_days
from test_time_indexed import _day, _read


def _two_days_proven():
    """A two-day room with every trait, greedy's schedule, the meeting model and its proven
    priority optimum (HiGHS on the meeting model's own program)."""
    data = generate_teleconference(days=2, requests_per_day=60, seed=3, traits=frozenset(TRAITS["teleconference"]))
    problem = compile_problem(event_from_data(data).event)
    placements, tables = greedy(problem)
    model = MeetingModel(problem, seating=False)
    model.optimise(*build_level(model, "priority"))
    model.hint(placements, tables)
    proven = solve_mip(model.model, 30)
    assert proven.proven and priority_of(problem, placements) < proven.value
    return problem, placements, tables, model, proven


def test_days_re_solved_reach_the_optimum_where_a_pair_of_days_is_the_whole_event():
    # Two days: the pair is every column free, so the last part solved is the whole program and
    # the search must end at the optimum the meeting model's program proves.
    problem, placements, tables, model, proven = _two_days_proven()
    plain = time_indexed(problem)
    found = priority_days(problem, plain, plain.start(placements), proven.value, time.perf_counter() + 30,
                          workers(2))
    assert round(float(plain.program.cost @ found)) == proven.value
    values = _read(model, plain, tables)(found)
    assert values is not None and holds(program_of(proto_of(model.model)), values)


def test_days_re_solved_leave_a_schedule_at_its_bound_as_it_is():
    problem, _, _, plain, placements = _day(1)
    start = plain.start(placements)
    value = round(float(plain.program.cost @ start))
    assert np.array_equal(priority_days(problem, plain, start, value, time.perf_counter() + 30, workers(2)), start)


def test_the_whole_program_beside_the_days_proves_a_bound_they_cannot_reach():
    # Asked for one more than the optimum (a true bound, as a relaxation's rounded down may be),
    # the days can never reach it; the whole program solved beside them proves the optimum, which
    # lowers the bound to it, and one of the schedules returned is at it.
    problem, placements, _, _, proven = _two_days_proven()
    plain = time_indexed(problem)
    found, bound = days_beside_whole(problem, plain, plain.start(placements), proven.value + 1,
                                     time.perf_counter() + 60, workers(2))
    assert bound == proven.value
    assert round(float(plain.program.cost @ found[0])) == proven.value


def test_a_question_beside_the_days_gives_its_schedule_at_the_bound_and_keeps_the_bound(monkeypatch):
    # The race's question left unanswered (any schedule at the bound) goes beside the days. The
    # days are given no time for a part here, so they end at once, short of the bound; the
    # question's answer must still come back, a schedule at the optimum, and its own program's
    # bound (0: it has no cost) must not be taken for the level's.
    monkeypatch.setattr("scheduler.solve.searches.priority_days.PART_SECONDS", 0.0)
    problem, placements, _, _, proven = _two_days_proven()
    plain = time_indexed(problem)
    question = reaching(plain.minimised(), proven.value)
    found, bound = days_beside_whole(problem, plain, plain.start(placements), proven.value,
                                     time.perf_counter() + 30, workers(2), question)
    assert bound == proven.value
    assert round(float(plain.program.cost @ found[0])) == proven.value


def test_a_question_still_being_answered_beside_the_days_proves_the_bound_one_lower():
    # The race hands on its question with no column fixed, at one above the optimum, which has no
    # schedule. The days start at the optimum and cannot reach that bound; the question's proof
    # lowers the bound to the optimum, ends the days, and no whole program is solved after it.
    problem, placements, _, _, proven = _two_days_proven()
    plain = time_indexed(problem)
    pool = workers(2)
    start = priority_days(problem, plain, plain.start(placements), proven.value, time.perf_counter() + 30, pool)
    assert round(float(plain.program.cost @ start)) == proven.value
    asking = Asking(pool[-1], reaching(plain.minimised(), proven.value + 1), 30)
    began = time.perf_counter()
    found, bound = days_beside_whole(problem, plain, start, proven.value + 1, time.perf_counter() + 60, pool,
                                     asking=asking)
    assert bound == proven.value
    assert round(float(plain.program.cost @ found[0])) == proven.value
    assert time.perf_counter() - began < 30


class _Recorded:
    """A worker whose every program's start is recorded, by its priority, before it solves it."""

    def __init__(self, worker) -> None:
        self.worker, self.priorities = worker, []

    def solve(self, program, settings, on_value, on_bound):
        self.priorities.append(round(-float(program.cost @ program.start)))
        return self.worker.solve(program, settings, on_value, on_bound)


def test_days_re_solved_stop_at_one_below_a_bound_proven_too_high():
    # Asked for one above the optimum with that bound proven wrong (``lowered``), the days stop
    # once the schedule is at the optimum: no part is solved from a schedule already there.
    problem, placements, _, _, proven = _two_days_proven()
    plain = time_indexed(problem)
    lowered = threading.Event()
    lowered.set()
    recorded = [_Recorded(worker) for worker in workers(2)]
    found = priority_days(problem, plain, plain.start(placements), proven.value + 1, time.perf_counter() + 30,
                          recorded, lowered=lowered)
    assert round(float(plain.program.cost @ found)) == proven.value
    solved_from = [priority for each in recorded for priority in each.priorities]
    assert solved_from and max(solved_from) < proven.value
