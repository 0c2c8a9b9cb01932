"""The plain time-indexed program of priority: on generated teleconference days it proves the
same optimum as the meeting model's program, and a schedule it finds is read into the meeting
model, where every row holds, including when it wins a race."""

from __future__ import annotations

import numpy as np
import pytest

from scheduler.generate import TRAITS, generate_teleconference
from scheduler.model.load import event_from_data
from scheduler.model.problem import compile_problem
from scheduler.solve import greedy
from scheduler.solve.bounds.highs_worker import Settings, Worker
from scheduler.solve.bounds.mip import Beside, holds, program_of, solve_mip
from scheduler.solve.bounds.relaxation import proto_of
from scheduler.solve.bounds.time_indexed import time_indexed
from scheduler.solve.model.meetings import MeetingModel
from scheduler.solve.model.measure import priority as priority_of
from scheduler.solve.model.objective import build_level


def _day(seed: int):
    """A generated one-day teleconference room with every trait (two-slot meetings among them),
    its priority model on counted interpreters, started from greedy, and the plain program."""
    data = generate_teleconference(days=1, requests_per_day=60, seed=seed, traits=frozenset(TRAITS["teleconference"]))
    problem = compile_problem(event_from_data(data).event)
    placements, tables = greedy(problem)
    model = MeetingModel(problem, seating=False)
    model.optimise(*build_level(model, "priority"))
    model.hint(placements, tables)
    plain = time_indexed(problem)
    plain.program.start = plain.start(placements)
    return problem, model, tables, plain, placements


def _read(model: MeetingModel, plain, tables):
    def read(solution):
        placements = model.classes_named(plain.placements(solution))
        return None if placements is None else model.values(placements, tables)
    return read


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_plain_program_proves_the_meeting_model_s_optimum_and_its_schedule_holds_there(seed):
    problem, model, tables, plain, placements = _day(seed)
    assert plain.program.start is not None and plain.program.start.sum() == len(placements)
    proven = solve_mip(model.model, 30)
    assert proven.proven
    worker = Worker()
    try:
        report = worker.solve(plain.minimised(), Settings(seconds=30, threads=1), lambda _: None, lambda _: None)
    finally:
        worker.close()
    assert not report.clock_stopped
    # The plain program is a relaxation of the meeting model: its optimum can only be higher.
    # Equal here, so both proofs are of the same optimum.
    found = plain.placements(report.solution)
    assert priority_of(problem, found) == round(-report.dual_bound) == proven.value
    values = _read(model, plain, tables)(report.solution)
    assert values is not None and holds(program_of(proto_of(model.model)), values)
    assert sorted((p.task, p.start) for p in model.placements(lambda v: values[v.index])) == \
        sorted((p.task, p.start) for p in found)


def test_a_race_won_by_the_plain_program_gives_its_schedule_in_the_meeting_model():
    problem, model, tables, plain, _ = _day(2)
    proven = solve_mip(model.model, 30)
    # The meeting model's own entrant is given no time at all (HiGHS stops it at once, unproven),
    # so the race is the plain program's to win.
    outcome = solve_mip(model.model, 30, options={"time_limit": 0.0},
                        beside=[Beside(plain.program, _read(model, plain, tables), {"presolve": "on"})])
    assert outcome.proven and outcome.value == proven.value
    found = model.placements(lambda v: outcome.values[v.index])
    assert priority_of(problem, found) == proven.value


def test_a_schedule_the_meeting_model_cannot_read_is_not_taken_but_the_bound_is():
    _, model, _, plain, _ = _day(3)
    proven = solve_mip(model.model, 30)
    outcome = solve_mip(model.model, 30, options={"time_limit": 0.0},
                        beside=[Beside(plain.program, lambda _: None, {"presolve": "on"})])
    assert outcome.values is None and outcome.value is None and not outcome.proven
    assert outcome.bound == proven.value


def test_a_start_with_interpreters_no_option_names_is_no_start():
    problem, _, _, plain, placements = _day(1)
    odd = next(p for p in placements if p.interpreters)
    wrong = [p if p is not odd else type(p)(p.task, p.start, (len(problem.linguists),)) for p in placements]
    assert plain.start(wrong) is None
    assert np.array_equal(plain.start(placements), plain.program.start)
