"""Deterministic solving: the same event, seed and limit give the same schedule, whatever the
process (string hashing differs between processes) and however busy the machine is."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from scheduler.solve.pipeline.budget import BUILD_UNITS_PER_ITEM, STEPS_PER_UNIT, WORK_PER_SECOND, Budget, Deadline

# One worker: the run repeats across processes all the same, and needs one core, not two, to do
# its work before the limit's hard end while the tests beside it take the other. On this small
# plaza the passes outside CP-SAT take wall time no work unit counts, so a short limit leaves less
# in hand before its hard end than 8 s does.
_SOLVE = """
import json
from scheduler.generate import generate_plaza
from scheduler.model.load import event_from_data
from scheduler.model.problem import compile_problem
from scheduler.solve import Stop, solve
problem = compile_problem(event_from_data(generate_plaza(buyers=8, firms=20, seed=1)).event)
result = solve(problem, Stop(time_limit=8, seed=7, workers=1, deterministic=True))
print(json.dumps({"placements": [[p.task, p.start, list(p.interpreters), p.booth] for p in result.placements],
                  "terms": [[t.name, t.value, t.bound, t.proven] for t in result.terms],
                  "work": result.work, "wall_stopped": result.wall_stopped}))
"""


def _solve_in_a_fresh_process(hash_seed: str) -> dict:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run([sys.executable, "-c", _SOLVE], env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


ATTEMPTS = 3


def _two_runs_neither_cut_by_the_clock() -> tuple[dict, dict]:
    """Two runs in fresh processes. A run the limit's hard end cut short may not repeat (budget.py
    says so, and the run reports it): on a machine so busy that one is cut, the pair runs again.
    Where every pair is cut, the machine is too slow for the work the limit stands for (on a 2-core
    machine where the test suite took 430 s, not about 230 s, such a run took about 9 s of its
    10.8 s alone, and was cut beside the other tests): nothing here can be compared, and the test
    says so rather than fail on the machine."""
    for _ in range(ATTEMPTS):
        first, second = _solve_in_a_fresh_process("1"), _solve_in_a_fresh_process("2")
        if not first["wall_stopped"] and not second["wall_stopped"]:
            return first, second
    pytest.skip(f"the clock cut a run short in each of {ATTEMPTS} pairs: the machine is too slow or busy to "
                "compare two runs")


def test_the_same_seed_gives_the_same_schedule():
    first, second = _two_runs_neither_cut_by_the_clock()
    # The limit stopped the search (the idle-gap level is not proven in the work 8 s stand for), so the
    # schedule is where the work ran out, not an optimum any run would reach.
    assert not all(proven for *_, proven in first["terms"])
    assert first["work"] > 0
    assert first == second


def test_deterministic_budgets_count_work_and_steps():
    budget = Budget(10, deterministic=True)
    assert budget.limit == 10 * WORK_PER_SECOND and budget.spent() == 0.0
    deadline = budget.deadline(0.001)
    steps = int(0.001 * STEPS_PER_UNIT)
    assert [deadline.expired() for _ in range(steps + 1)] == [False] * steps + [True]
    assert Budget(10).limit == 10  # wall-clock seconds by default


def test_a_deterministic_pass_is_charged_the_steps_it_took():
    budget = Budget(10, deterministic=True)
    deadline = budget.deadline(0.01, steps_per_unit=1000)  # ten steps
    for _ in range(4):
        deadline.expired()
    budget.charge_steps(deadline)
    assert budget.work == pytest.approx(0.004)  # four steps of a thousand to the unit
    for _ in range(20):
        deadline.expired()
    budget.charge_steps(budget.deadline(0.0))  # no step taken, nothing charged
    budget.charge_steps(deadline)  # past its end: the ten steps it was allowed
    assert budget.work == pytest.approx(0.014)
    timed = Budget(10)
    clocked = timed.deadline(1.0)
    clocked.expired()
    timed.charge_steps(clocked)  # the clock counts a timed pass
    assert timed.work == 0.0


def test_a_deterministic_pass_is_allowed_no_more_than_is_left_of_the_limit():
    # As a CP-SAT search (Budget.configure): a pass asked for more than the limit has left, as
    # the Kempe chains' least allowance of 3 s in a 2-s solve, counts only what is left, and so
    # ends by its steps before the hard end instead of being cut there.
    budget = Budget(2, deterministic=True)
    budget.work = budget.limit - 0.01
    assert budget.deadline(1.0, steps_per_unit=1000).steps == 10
    assert budget.deadline(0.004, steps_per_unit=1000).steps == 4  # less than is left: as asked
    budget.work = budget.limit
    assert budget.deadline(1.0, steps_per_unit=1000).steps == 0


def test_a_deterministic_model_build_is_charged_by_its_size():
    budget, timed = Budget(10, deterministic=True), Budget(10)
    for each in (budget, timed):
        each.charge_build(50_000)
    assert budget.work == pytest.approx(round(50_000 * BUILD_UNITS_PER_ITEM, 3)) and budget.work > 0
    assert timed.work == 0.0  # the clock counts it


def test_a_step_deadline_reports_its_progress():
    # Ten steps: after four the pass has used 40 % of them; past the end it stays at 100 %.
    deadline = Deadline(steps=10)
    assert deadline.progress() == 0.0
    for _ in range(4):
        assert not deadline.expired()
    assert deadline.progress() == 0.4
    for _ in range(10):
        deadline.expired()
    assert deadline.expired() and deadline.progress() == 1.0


def test_a_step_deadline_past_the_hard_end_stays_expired():
    # The clock is read at every 256th step. A loop of passes asks once more after a pass has
    # stopped on the clock, and that question must not start the steps again: the idle-gap polish
    # of a repeatable 5-s solve, on a busy machine, ran 0.7 s past its hard end to the last step.
    deadline = Deadline(steps=10_000, wall=time.perf_counter() - 1.0)
    answers = [deadline.expired() for _ in range(1_000)]
    assert answers.index(True) < 256 and all(answers[answers.index(True):])
    assert deadline.clock_stopped and deadline.used() < 256
