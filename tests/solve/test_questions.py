"""Questions at the bound (methods/questions.py): a count to make fewer proven by asking whether a
schedule at its bound exists."""

from __future__ import annotations

from scheduler.check import check_schedule
from scheduler.generate import generate_teleconference
from scheduler.model.load import event_from_data
from scheduler.model.problem import compile_problem
from scheduler.solve import Stop, solve, to_schedule
from scheduler.solve.model.meetings import MeetingModel
from scheduler.solve.model.objective import idle_gap_floor

from support import repeatable_solve_apart

# A two-day room of 20 requests and two booths: minimised, CP-SAT left its idle-gap level at 2
# against a bound of 0 after 27 s; asked "at most 0?" and "at most 1?", it refutes both at once.
SMALL_ROOM = dict(days=2, booths=2, requests_per_day=10, seed=29,
                  traits=frozenset({"interpreter-none", "named-interpreter", "popular", "required"}))
# One day of the same size whose questions are refuted in a repeatable solve (interleaved workers).
ONE_DAY = dict(days=1, booths=2, requests_per_day=10, seed=107,
               traits=frozenset({"half-day", "interpreter-none", "named-interpreter", "pinned", "required",
                                 "reservations"}))


def test_a_small_rooms_idle_gaps_are_proven_above_the_floor():
    event = event_from_data(generate_teleconference(**SMALL_ROOM)).event
    problem = compile_problem(event)
    result = solve(problem, Stop(time_limit=5), levels=["priority", "firms met", "least-served firm", "idle gaps"])
    assert check_schedule(event, to_schedule(problem, result)) == []
    idle = result.term("idle gaps")
    # Proven optimal: each question below the value was refuted, so the bound is the value. The
    # participants' own bounds say nothing here, so the proof is the questions'.
    assert idle.proven and idle.bound == idle.value
    assert idle.bound > max(0, idle_gap_floor(MeetingModel(problem)))


def test_a_repeatable_solve_whose_questions_are_refuted_completes():
    # CP-SAT 9.15 aborted the whole process on a refuted question that kept the model's hint with
    # interleaved workers.
    done = repeatable_solve_apart("generate_teleconference", ONE_DAY)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "True"
