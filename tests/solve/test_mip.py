"""HiGHS on the CP-SAT model, row for row: proven optima on tiny models worked out by hand, a
start solution, a model it cannot take, and its own time limit kept."""

from __future__ import annotations

import random
import time

from ortools.sat.python import cp_model

from scheduler.solve.bounds.mip import holds, program_of, solve_mip
from scheduler.solve.bounds.relaxation import proto_of


def _triangle() -> tuple[cp_model.CpModel, list]:
    # Three meetings, any two of which clash: at most one can take place. The relaxation says
    # 1.5 (1/2 each), so the optimum 1 needs branching or a clique cut.
    model = cp_model.CpModel()
    literals = [model.new_bool_var(n) for n in "abc"]
    a, b, c = literals
    for x, y in ((a, b), (b, c), (a, c)):
        model.add_at_most_one(x, y)
    return model, literals


def test_a_triangle_of_conflicts_is_proven_at_one():
    model, literals = _triangle()
    model.maximize(sum(literals))
    outcome = solve_mip(model, 10)
    assert (outcome.value, outcome.bound, outcome.proven) == (1, 1, True)
    assert sum(outcome.values) == 1


def test_weights_pick_the_heavier_meeting_and_a_start_is_kept_or_bettered():
    # Weights 1, 2, 3 on the triangle: the optimum is c alone (3). Started from a alone (1).
    model, (a, b, c) = _triangle()
    model.maximize(a + 2 * b + 3 * c)
    for literal, value in ((a, 1), (b, 0), (c, 0)):
        model.add_hint(literal, value)
    outcome = solve_mip(model, 10)
    assert outcome.proven and outcome.value == 3 and outcome.values == [0, 0, 1]


def test_a_minimised_objective_with_negated_literals():
    # "Not both" and "at least one" of a, b: exactly one; minimising 2a + 3b + 1 gives 3 (a).
    model = cp_model.CpModel()
    a, b = model.new_bool_var("a"), model.new_bool_var("b")
    model.add_bool_or(~a, ~b)
    model.add_bool_or(a, b)
    model.minimize(2 * a + 3 * b + 1)
    outcome = solve_mip(model, 10)
    assert (outcome.value, outcome.bound, outcome.proven, outcome.values) == (3, 3, True, [1, 0])


def test_a_cutoff_keeps_a_schedule_at_it_and_proves_none_past_it():
    # Maximised, weights 1, 2, 3 on the triangle: the optimum is 3 (c alone). At least 3 is found;
    # at least 4 is proven out, the bound then 3. Minimised, 2a + 3b + 1 with exactly one of a,
    # b: the optimum is 3 (a). At most 3 is found; at most 2 is proven out, the bound then 3.
    model, (a, b, c) = _triangle()
    model.maximize(a + 2 * b + 3 * c)
    found = solve_mip(model, 10, cutoff=3)
    assert (found.value, found.bound, found.proven, found.values) == (3, 3, True, [0, 0, 1])
    none = solve_mip(model, 10, cutoff=4)
    assert (none.value, none.bound) == (None, 3)
    model = cp_model.CpModel()
    a, b = model.new_bool_var("a"), model.new_bool_var("b")
    model.add_bool_or(~a, ~b)
    model.add_bool_or(a, b)
    model.minimize(2 * a + 3 * b + 1)
    found = solve_mip(model, 10, cutoff=3)
    assert (found.value, found.bound, found.proven, found.values) == (3, 3, True, [1, 0])
    none = solve_mip(model, 10, cutoff=2)
    assert (none.value, none.bound) == (None, 3)


def test_a_constraint_with_an_enforcement_literal_is_left_to_cp_sat():
    model, (a, b, c) = _triangle()
    model.add(a + b >= 1).only_enforce_if(c)
    model.maximize(a + b + c)
    assert solve_mip(model, 10) is None


def test_values_that_break_a_row_or_a_domain_do_not_hold():
    model, literals = _triangle()
    model.add(literals[0] + 2 * literals[2] <= 2)  # coefficients other than one are counted too
    model.maximize(sum(literals))
    program = program_of(proto_of(model))
    assert holds(program, [1, 0, 0]) and holds(program, [0, 0, 1])
    assert not holds(program, [1, 1, 0])  # a and b clash
    assert not holds(program, [2, 0, 0])  # outside a's 0-1 domain


def test_a_race_is_won_by_a_proof_and_gives_the_same_optimum():
    # The knapsacks below, raced with HiGHS's presolve off against on: whichever proves first,
    # the optimum is the one a run alone proves.
    alone = solve_mip(_knapsacks(), 30.0)
    raced = solve_mip(_knapsacks(), 30.0, options={"presolve": "off"}, rivals=({"presolve": "on"},))
    assert alone.proven and raced.proven and raced.value == alone.value == raced.bound


def _market_split() -> cp_model.CpModel:
    # A market-split instance (Cornuejols and Dawande): equalities with random coefficients that
    # branch and bound cannot close quickly.
    rng = random.Random(3)
    model = cp_model.CpModel()
    x = [model.new_bool_var(f"x{j}") for j in range(40)]
    slacks = []
    for _ in range(5):
        coefficients = [rng.randrange(100) for _ in x]
        target = sum(coefficients) // 2
        over, under = model.new_int_var(0, 10_000, ""), model.new_int_var(0, 10_000, "")
        model.add(sum(c * v for c, v in zip(coefficients, x)) + under - over == target)
        slacks += [over, under]
    model.minimize(sum(slacks))
    return model


def test_its_time_limit_is_kept_on_a_hard_model():
    # HiGHS must stop near its limit with what it has.
    began = time.perf_counter()
    outcome = solve_mip(_market_split(), 1.0)
    assert time.perf_counter() - began < 6.0
    assert outcome is not None and not outcome.proven


def _knapsacks() -> cp_model.CpModel:
    # 80 items, 6 random knapsack rows, each half full at most: HiGHS proves it in a fraction of
    # a second, but not at the root.
    rng = random.Random(1)
    model = cp_model.CpModel()
    x = [model.new_bool_var(f"x{j}") for j in range(80)]
    for _ in range(6):
        weights = [rng.randrange(1, 1000) for _ in x]
        model.add(sum(w * v for w, v in zip(weights, x)) <= sum(weights) // 2)
    model.maximize(sum(rng.randrange(1, 1000) * v for v in x))
    return model


def test_a_gap_that_is_good_enough_is_kept_and_the_bound_stays_valid():
    best = solve_mip(_knapsacks(), 30.0)
    assert best.proven
    good_enough = solve_mip(_knapsacks(), 30.0, gap=0.05)
    assert good_enough.value >= 0.95 * good_enough.bound  # within 5 % of its own bound
    assert good_enough.value <= best.value <= good_enough.bound
