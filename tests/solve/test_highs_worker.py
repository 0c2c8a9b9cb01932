"""HiGHS in its own process: an answer that comes too late is not waited for; the process is
killed, and the next program gets a new one."""

from __future__ import annotations

import numpy as np

from scheduler.solve.bounds import highs_worker
from scheduler.solve.bounds.highs_worker import Entrant, Program, Settings, Worker


def _pick_one_of_three() -> Program:
    # Three 0-1 columns, costs -1, -2, -3 (minimised), one row: a + b + c <= 1. The optimum is
    # c alone (-3): the single row is the whole conflict, so the LP already has it.
    return Program(lower=np.zeros(3), upper=np.ones(3), cost=np.array([-1.0, -2.0, -3.0]),
                   row_lower=np.array([-np.inf]), row_upper=np.array([1.0]), starts=np.array([0], dtype=np.int32),
                   indices=np.array([0, 1, 2], dtype=np.int32), values=np.ones(3))


def test_a_program_is_solved_in_the_worker_and_its_values_reported():
    worker = Worker()
    heard = []
    try:
        report = worker.solve(_pick_one_of_three(), Settings(seconds=10), heard.append,
                              lambda bound: None)
    finally:
        worker.close()
    assert not report.killed and list(report.solution) == [0, 0, 1] and report.dual_bound == -3
    assert heard and heard[-1] == -3


def test_a_late_answer_kills_the_process_and_the_next_program_gets_a_new_one(monkeypatch):
    # No grace at all: the deadline is the moment the program is sent, before the process can
    # have answered, so it is killed, and the report says so with nothing found.
    monkeypatch.setattr(highs_worker, "GRACE_SECONDS", -1.0)
    monkeypatch.setattr(highs_worker, "GRACE_SHARE", 0.0)
    worker = Worker()
    try:
        late = worker.solve(_pick_one_of_three(), Settings(seconds=1), lambda *_: None, lambda _: None)
        assert late.killed and late.clock_stopped and late.solution is None and worker.kills == 1
        monkeypatch.setattr(highs_worker, "GRACE_SECONDS", 1.0)
        again = worker.solve(_pick_one_of_three(), Settings(seconds=10), lambda *_: None, lambda _: None)
    finally:
        worker.close()
    assert not again.killed and list(again.solution) == [0, 0, 1]


def test_a_worker_stopped_while_idle_answers_the_next_program():
    # A race's stop can reach a worker just after its run ended. The killed process's exit is
    # not seen at once (poll() says it runs, as it may for a moment on a busy machine): the
    # next program must still go to a live process, not be lost with the dead one.
    worker = Worker()
    try:
        worker.solve(_pick_one_of_three(), Settings(seconds=10), lambda *_: None, lambda _: None)
        worker.stop()
        worker._process.poll = lambda: None
        again = worker.solve(_pick_one_of_three(), Settings(seconds=10), lambda *_: None, lambda _: None)
    finally:
        worker.close()
    assert not again.killed and list(again.solution) == [0, 0, 1] and again.dual_bound == -3


def test_a_race_returns_the_first_proof_and_leaves_both_workers_ready():
    # Two workers on the same program, presolve off against on: the first to end on its own
    # wins, the other is stopped (or has ended too), and both take the next program.
    first, second = Worker(), Worker()
    bounds = []
    try:
        entrants = [Entrant(first, Settings(seconds=10, threads=1, options={"presolve": "off"})),
                    Entrant(second, Settings(seconds=10, threads=1, options={"presolve": "on"}))]
        won = highs_worker.race(_pick_one_of_three(), entrants, lambda _: None, bounds.append)
        again = highs_worker.race(_pick_one_of_three(), entrants, lambda _: None, lambda _: None)
    finally:
        first.close()
        second.close()
    for report in (won, again):
        assert not report.killed and not report.clock_stopped
        assert list(report.solution) == [0, 0, 1] and report.dual_bound == -3
    assert bounds and bounds[-1] == -3 and bounds == sorted(bounds)  # heard rising, never falling


def test_an_entrant_with_a_program_of_its_own_is_heard_in_the_race_s_terms():
    # The race's program picks one of three (optimum -3); the other entrant solves a program of
    # its own whose objective is the race's less 10: one column of cost 7, forced to 1 (so its
    # optimum, 7, stands for -3). Each entrant's solution comes back with its source; values
    # and bounds are heard in the race's terms.
    own = Program(lower=np.ones(1), upper=np.ones(1), cost=np.array([7.0]), row_lower=np.array([-np.inf]),
                  row_upper=np.array([1.0]), starts=np.array([0], dtype=np.int32),
                  indices=np.array([0], dtype=np.int32), values=np.ones(1))
    worker = Worker()
    values, bounds = [], []
    try:
        report = highs_worker.race(_pick_one_of_three(), [Entrant(worker, Settings(seconds=10), own, -10.0)],
                                   values.append, bounds.append)
    finally:
        worker.close()
    assert report.source == 0 and list(report.solution) == [1] and report.dual_bound == -3
    assert values == [-3] and bounds[-1] == -3


def test_a_linear_program_s_bound_comes_from_its_row_duals():
    # Pick one of three, relaxed: the LP optimum is -3 (c whole). HiGHS states no MIP bound for an
    # LP; the worker's is the Lagrangian one from the row duals, here exactly the optimum.
    worker = Worker()
    try:
        relaxed = _pick_one_of_three()
        relaxed.integer = np.zeros(0, dtype=np.int64)
        report = worker.solve(relaxed, Settings(seconds=10), lambda *_: None, lambda _: None)
    finally:
        worker.close()
    assert abs(report.dual_bound - (-3)) < 1e-9


def test_the_lagrangian_bound_holds_for_any_multipliers():
    # Whatever the multiplier, the bound never passes the optimum -3 (it is a bound on the LP,
    # whose optimum is -3), and the right one (y = -3 on the row a + b + c <= 1) reaches it.
    program = _pick_one_of_three()
    for y in np.linspace(-6, 6, 49):
        assert highs_worker.lagrangian(program, np.array([y])) <= -3 + 1e-9
    assert highs_worker.lagrangian(program, np.array([-3.0])) == -3


def _relaxed(program: Program) -> Program:
    program.integer = np.zeros(0, dtype=np.int64)
    return program


def test_a_sifted_linear_program_prices_in_the_columns_its_optimum_needs():
    # Sifted from a alone: the restricted optimum is -1 (a whole), the row's dual -1 prices b and c
    # in (reduced costs -1 and -2), and the optimum of the whole program, c alone (-3), follows.
    report = highs_worker.run(_relaxed(_pick_one_of_three()), Settings(seconds=10, columns=np.array([0])),
                              lambda *_: None)
    assert list(report.solution) == [0, 0, 1] and abs(report.dual_bound - (-3)) < 1e-9
    assert not report.clock_stopped


def test_a_sifted_program_whose_first_columns_are_infeasible_is_solved_whole():
    # Two columns, costs 1 and 0 (minimised), one row -a <= -1 (a at least 1, not a counting row):
    # sifted from b alone the restricted program has no solution, so every column is taken.
    program = _relaxed(Program(lower=np.zeros(2), upper=np.ones(2), cost=np.array([1.0, 0.0]),
                               row_lower=np.array([-np.inf]), row_upper=np.array([-1.0]),
                               starts=np.array([0], dtype=np.int32), indices=np.array([0], dtype=np.int32),
                               values=np.array([-1.0])))
    report = highs_worker.run(program, Settings(seconds=10, columns=np.array([1])), lambda *_: None)
    assert list(report.solution) == [1, 0] and abs(report.dual_bound - 1) < 1e-9


def test_a_sifted_program_keeps_every_column_whose_box_does_not_end_at_0():
    # Columns a (0-1, cost -1) and e (-1 to 1, cost 1), one row a + e <= 1, sifted from a alone:
    # e left out would sit at 0 inside its box, where the duals price only a rise; the optimum
    # has e at -1 (a = 1, e = -1: -2).
    program = _relaxed(Program(lower=np.array([0.0, -1.0]), upper=np.ones(2), cost=np.array([-1.0, 1.0]),
                               row_lower=np.array([-np.inf]), row_upper=np.array([1.0]),
                               starts=np.array([0], dtype=np.int32), indices=np.array([0, 1], dtype=np.int32),
                               values=np.ones(2)))
    report = highs_worker.run(program, Settings(seconds=10, columns=np.array([0])), lambda *_: None)
    assert list(report.solution) == [1, -1] and abs(report.dual_bound - (-2)) < 1e-9


def _triangle(at_least: float) -> Program:
    # Three 0-1 columns, costs -1 each (minimised), no two together (a + b <= 1, a + c <= 1,
    # b + c <= 1), and a + b + c >= at_least. The relaxation's optimum is a half each (-1.5): no
    # column is whole there, so every whole solution is a dive's own.
    pairs = [(0, 1), (0, 2), (1, 2), (0, 1, 2)]
    return Program(lower=np.zeros(3), upper=np.ones(3), cost=-np.ones(3),
                   row_lower=np.array([-np.inf] * 3 + [at_least]), row_upper=np.array([1.0] * 3 + [np.inf]),
                   starts=np.cumsum([0] + [len(p) for p in pairs[:-1]]).astype(np.int32),
                   indices=np.array([j for p in pairs for j in p], dtype=np.int32), values=np.ones(9))


def test_a_dive_finds_whole_values_where_the_relaxation_has_none():
    report = highs_worker.run(_triangle(1.0), Settings(seconds=10, dive=True), lambda *_: None)
    assert report.solution is not None and sorted(report.solution) == [0, 0, 1] and not report.clock_stopped


def test_a_dive_lowers_a_column_to_its_floor_where_its_ceiling_leaves_no_solution():
    # One whole column in 0..3, cost -1 (minimised), 2x <= 5: the relaxation takes 2.5; 3 breaks
    # the row, so the dive lowers it to 2, which is whole.
    program = Program(lower=np.zeros(1), upper=np.array([3.0]), cost=np.array([-1.0]),
                      row_lower=np.array([-np.inf]), row_upper=np.array([5.0]), starts=np.array([0], dtype=np.int32),
                      indices=np.array([0], dtype=np.int32), values=np.array([2.0]))
    report = highs_worker.run(program, Settings(seconds=10, dive=True), lambda *_: None)
    assert list(report.solution) == [2.0]


def test_a_dive_that_finds_nothing_proves_nothing():
    # a + b + c >= 1.5: the relaxation has a half each, no whole values do. The dive runs out of
    # time, and says neither that there is no solution nor any bound.
    report = highs_worker.run(_triangle(1.5), Settings(seconds=0.3, dive=True), lambda *_: None)
    assert report.solution is None and report.clock_stopped and not report.infeasible
    assert report.dual_bound == -np.inf
