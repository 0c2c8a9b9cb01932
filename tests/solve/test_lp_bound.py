"""The linear relaxation's bound, recomputed from the duals: valid and tight on tiny models
whose LP optimum is worked out by hand, through either LP solver."""

from __future__ import annotations

import time

import pytest
from ortools.sat.python import cp_model

from scheduler.solve.bounds import relaxation as lp_bound


@pytest.fixture(params=["GLOP", "PDLP"])
def backend(request, monkeypatch):
    monkeypatch.setattr(lp_bound, "PDLP_FROM", 0 if request.param == "PDLP" else 10**9)
    return request.param


def _triangle() -> tuple[cp_model.CpModel, list]:
    # Three meetings, any two of which clash: at most one can take place (integer optimum 1),
    # but the relaxation puts 1/2 on each (1.5).
    model = cp_model.CpModel()
    literals = [model.new_bool_var(n) for n in "abc"]
    a, b, c = literals
    for x, y in ((a, b), (b, c), (a, c)):
        model.add_at_most_one(x, y)
    model.maximize(a + b + c)
    return model, literals


def test_a_triangle_of_conflicts_bounds_at_one_and_a_half(backend):
    # The bound is 1.5; rounded, it proves 1.
    model, _ = _triangle()
    bound = lp_bound.relaxation_bound(model, time_limit=5)
    assert bound == pytest.approx(1.5, abs=1e-3)
    assert bound >= 1.5 - 1e-6  # a bound from the duals never undercuts the LP optimum
    assert lp_bound.integral_bound(bound, "max") == 1


def test_negated_literals_and_a_minimised_objective(backend):
    # "Not both a and b" is written bool_or(not a, not b): a + b <= 1. With "a or b" required
    # too, a + b = 1, so minimising 2a + 3b gives 2 (a alone); the LP optimum is 2 as well.
    model = cp_model.CpModel()
    a, b = model.new_bool_var("a"), model.new_bool_var("b")
    model.add_bool_or(~a, ~b)
    model.add_bool_or(a, b)
    model.minimize(2 * a + 3 * b)
    bound = lp_bound.relaxation_bound(model, time_limit=5)
    assert bound == pytest.approx(2.0, abs=1e-3)
    assert bound <= 2.0 + 1e-6
    assert lp_bound.integral_bound(bound, "min") == 2


def test_the_bound_solved_beside_is_that_of_the_model_when_asked(backend):
    # The triangle again (bound 1.5), handed to a thread; a constraint added to the model after
    # the call (a alone: bound 1) does not reach the bound being solved.
    model, (_, b, c) = _triangle()
    pending = lp_bound.relaxation_bound_beside(model, time_limit=5)
    model.add(b + c == 0)
    assert pending.result(timeout=30) == pytest.approx(1.5, abs=1e-3)
    assert lp_bound.relaxation_bound(model, time_limit=5) == pytest.approx(1.0, abs=1e-3)


def test_a_program_too_large_to_write_in_the_time_gives_no_bound_at_the_limit():
    # 200,000 rows take longer to write than the 0.2 s allowed: the writing stops at the limit
    # (it used to run to the end and only the solve was timed).
    model = cp_model.CpModel()
    literals = [model.new_bool_var("") for _ in range(100_001)]
    for x, y in zip(literals, literals[1:]):
        model.add_at_most_one(x, y)
        model.add_bool_or(x, y)
    model.maximize(sum(literals))
    proto = lp_bound.proto_of(model)
    began = time.perf_counter()
    assert lp_bound.relaxation_bound(proto, time_limit=0.2) is None
    assert time.perf_counter() - began < 1.0
