"""Priority from the plain program's relaxation: its bound is proven (never below the optimum the
meeting model's program proves, and one lower where no schedule reaches it), the schedule with its
ones fixed keeps the plain program's rows, and on a week-like event the level takes it, read back
into the meeting model."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import replace

import numpy as np
import pytest

from scheduler.generate import TRAITS, generate_plaza, generate_teleconference
from scheduler.model.load import event_from_data
from scheduler.model.problem import compile_problem
from scheduler.solve import Stop, greedy, solve
from scheduler.solve.bounds import highs_worker
from scheduler.solve.bounds.highs_worker import Program, Settings, multipliers, workers
from scheduler.solve.bounds.mip import holds, solve_mip
from scheduler.solve.bounds.time_indexed import time_indexed
from scheduler.solve.model.meetings import MeetingModel
from scheduler.solve.model.measure import priority as priority_of
from scheduler.solve.methods import highs as highs_module
from scheduler.solve.methods.highs import PLAIN_COLUMNS_PER_CHOICE, _plain_columns, begin_relaxation, let_go
from scheduler.solve.model.objective import build_level
from scheduler.solve.pipeline import plan
from scheduler.solve.pipeline.budget import Budget
from scheduler.solve.pipeline.level import Solving
from scheduler.solve.searches import ones_fixed as ones_fixed_module
from scheduler.solve.searches.ones_fixed import (RELAXATIONS, SIFT_SHARE, WHOLE, Counted, OnesFixed, OwnProgram, Race,
                                                 among, at_bound, first_columns, in_turn, ones_fixed, reaching,
                                                 relaxation, relaxations)


def _room(seed: int, days: int = 2):
    data = generate_teleconference(days=days, requests_per_day=60, seed=seed,
                                   traits=frozenset(TRAITS["teleconference"]))
    return compile_problem(event_from_data(data).event)


@pytest.mark.parametrize("seed", [1, 3])
def test_the_relaxation_s_bound_holds_and_the_schedule_keeps_its_ones(seed):
    problem = _room(seed)
    model = MeetingModel(problem, seating=False)
    model.optimise(*build_level(model, "priority"))
    placements, tables = greedy(problem)
    model.hint(placements, tables)
    proven = solve_mip(model.model, 30)
    assert proven.proven
    plain = time_indexed(problem)
    found = ones_fixed(plain, workers(1)[0], time.perf_counter() + 30)
    # The plain program is a relaxation of the meeting model, and its LP one of it: never lower.
    assert found.bound is not None and found.bound >= proven.value
    assert found.solution is not None and holds(plain.program, found.solution)
    assert priority_of(problem, plain.placements(found.solution)) <= proven.value
    relaxed = relaxation(plain, workers(1)[0], time.perf_counter() + 30)  # the same sifted vertex
    assert np.all(found.solution[relaxed.solution >= WHOLE] == 1)


@pytest.mark.parametrize("seed", [1, 3])
def test_the_sifted_relaxation_is_the_whole_program_s(seed):
    plain = time_indexed(_room(seed))
    program = plain.relaxed()
    first = first_columns(plain)
    sifted = relaxation(plain, workers(1)[0], time.perf_counter() + 30)
    whole = workers(1)[0].solve(program, Settings(30, threads=1), lambda _: None, lambda _: None)
    assert len(first) < len(program.cost) and not sifted.clock_stopped
    # The same optimum, and the sifted solution keeps the whole program's rows; its duals price
    # no column left at 0 in (the certificate that no column it left out would improve it).
    assert abs(sifted.dual_bound - whole.dual_bound) < 1e-6
    assert abs(float(program.cost @ sifted.solution) - whole.dual_bound) < 1e-6
    rows = np.add.reduceat(program.values * sifted.solution[program.indices], program.starts)
    assert np.all(rows <= program.row_upper + 1e-6) and np.all(rows >= program.row_lower - 1e-6)
    _, _, reduced = multipliers(program, sifted.duals)
    assert np.all(reduced[sifted.solution <= 1e-9] >= -1e-6)


def test_among_leaves_only_its_columns_free_and_keeps_the_rows():
    # Four 0-1 columns, costs -1, -2, -3, 0 (minimised); rows a + b + c <= 1 and c + d >= 1; d's
    # lower end is 1. Among a and b: c is held at 0 and d at 1, which meets the second row (dropped).
    program = Program(lower=np.array([0.0, 0, 0, 1]), upper=np.ones(4), cost=np.array([-1.0, -2, -3, 0]),
                      row_lower=np.array([-np.inf, 1.0]), row_upper=np.array([1.0, np.inf]),
                      starts=np.array([0, 3], dtype=np.int32), indices=np.array([0, 1, 2, 2, 3], dtype=np.int32),
                      values=np.ones(5))
    within = among(program, np.array([0, 1]))
    assert list(within.columns) == [0, 1] and len(within.program.row_lower) == 1
    answer = highs_worker.run(within.program, Settings(10), lambda *_: None)
    assert list(within.whole(np.round(answer.solution))) == [0, 1, 0, 1]  # b: the best of a and b
    # With d's lower end 0 it is held at 0 too, and c + d >= 1 cannot hold: no program.
    assert among(replace(program, lower=np.zeros(4)), np.array([0, 1])).program is None


def test_among_moves_only_the_held_columns_into_the_sides():
    # Columns a (0-1, cost -1) and e (an integer 1-2, cost 0), one row a + e <= 2, both left in:
    # e's lower end stays e's, so a can still be 1 (a side lowered by it would force a to 0).
    program = Program(lower=np.array([0.0, 1.0]), upper=np.array([1.0, 2.0]), cost=np.array([-1.0, 0.0]),
                      row_lower=np.array([-np.inf]), row_upper=np.array([2.0]), starts=np.array([0], dtype=np.int32),
                      indices=np.array([0, 1], dtype=np.int32), values=np.ones(2))
    within = among(program, np.array([0, 1]))
    assert list(within.program.row_upper) == [2.0]
    answer = highs_worker.run(within.program, Settings(10), lambda *_: None)
    assert list(within.whole(np.round(answer.solution))) == [1, 1]


def _plain_optimum(plain) -> int:
    """The plain program's optimum, as HiGHS proves it (no clock stop, gap 0)."""
    best = workers(1)[0].solve(plain.minimised(), Settings(30, threads=1), lambda _: None, lambda _: None)
    assert not best.clock_stopped
    return round(-float(plain.minimised().cost @ best.solution))


@pytest.mark.parametrize("seed", [1, 3])
def test_the_race_of_the_relaxations_ends_at_the_optimum_where_the_bound_is_reached(seed):
    problem = _room(seed)
    plain = time_indexed(problem)
    alone = [ones_fixed(plain, workers(1)[0], time.perf_counter() + 30, options=options) for options in RELAXATIONS]
    optimum = _plain_optimum(plain)
    # On these rooms the relaxation's bound, rounded down, is the optimum.
    assert min(each.bound for each in alone) == optimum
    found = Race(plain, workers(2), time.perf_counter() + 30).result()
    assert found.bound == optimum
    assert found.solution is not None and holds(plain.program, found.solution)
    assert float(plain.program.cost @ found.solution) == optimum


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("whole", [False, True])
def test_where_highs_answers_no_question_a_dive_among_the_sifted_columns_finds_the_schedule_at_the_bound(
        seed, whole, monkeypatch):
    # HiGHS's MIP answers nothing, so a schedule can come only from the dive (bounds/highs_worker.py
    # ``_dived``, which proves nothing), of either racer: after its question among all columns, or
    # at once; on these rooms the bound is the optimum, and the dive reaches it among the sifted
    # relaxation's columns.
    monkeypatch.setattr(ones_fixed_module, "_asked",
                        lambda worker, program, seconds, heard=None: highs_worker.Report(None, -math.inf,
                                                                                          clock_stopped=True))
    plain = time_indexed(_room(seed))
    found = ones_fixed(plain, workers(1)[0], time.perf_counter() + 30, whole=whole)
    assert found.bound == _plain_optimum(plain)
    assert found.solution is not None and holds(plain.program, found.solution)
    assert float(plain.program.cost @ found.solution) == found.bound
    assert found.unanswered is None  # answered, by the dive


@pytest.mark.parametrize("seed", [0, 10])
def test_where_no_schedule_reaches_the_relaxation_s_bound_the_question_with_no_column_fixed_proves_one_less(seed):
    # On these rooms the relaxation's bound, rounded down, is one above the plain program's optimum:
    # the questions with the ones fixed cannot tell, the one with no column fixed proves it.
    plain = time_indexed(_room(seed))
    optimum = _plain_optimum(plain)
    for options in RELAXATIONS:
        fixed = ones_fixed(plain, workers(1)[0], time.perf_counter() + 30, options=options)
        asked = ones_fixed(plain, workers(1)[0], time.perf_counter() + 30, options=options, whole=True)
        assert fixed.bound == optimum + 1 and asked.bound == optimum
    found = Race(plain, workers(2), time.perf_counter() + 30).result()
    assert found.bound == optimum and found.solution is not None and holds(plain.program, found.solution)
    assert float(plain.program.cost @ found.solution) == optimum


class _Recorded:
    """A worker that records the settings of each run it is given and hands the run to HiGHS."""

    def __init__(self) -> None:
        self.settings: list[Settings] = []
        self.worker = workers(1)[0]

    def solve(self, program, settings, on_value, on_bound):
        self.settings.append(settings)
        return self.worker.solve(program, settings, on_value, on_bound)

    def stop(self) -> None:
        self.worker.stop()


@pytest.mark.parametrize("seed", [1, 0])
def test_in_a_repeatable_solve_the_racers_run_in_turn_each_mip_stopped_by_its_nodes(seed):
    # Room 1's relaxation's bound is its optimum; room 0's is one above it, so there the first
    # racer cannot reach its bound and the second one's question with no column fixed proves one
    # less. In turn, each MIP is stopped by its nodes and only the hard end's clock (a minute
    # away), no dive is begun, the work is counted, and a second run gives the same schedule.
    plain = time_indexed(_room(seed))
    optimum = _plain_optimum(plain)
    found, recordings = [], []
    for _ in range(2):
        recorded = _Recorded()
        counted = Counted(recorded, 20, time.perf_counter() + 60, math.inf)
        found.append(in_turn(plain, counted))
        recordings.append(recorded.settings)
        assert counted.work > 0 and not counted.clock_stopped
    first = found[0]
    assert first.bound == optimum and first.solution is not None and holds(plain.program, first.solution)
    assert float(plain.program.cost @ first.solution) == optimum
    settings = recordings[0]
    relaxations_solved = [each for each in settings if each.columns is not None]
    if seed == 0:
        assert len(relaxations_solved) == 2  # the first racer's, then the second's
    assert all(each.nodes is None for each in relaxations_solved)
    mips = [each for each in settings if each.columns is None]
    assert mips and all(each.nodes is not None and each.nodes >= 1 for each in mips)
    assert all(each.seconds > 50 and not each.dive for each in settings)
    assert [each.nodes for each in recordings[1]] == [each.nodes for each in settings]
    assert np.array_equal(found[1].solution, first.solution) and found[1].bound == first.bound


class _Counting:
    """A stand-in worker: every run answers nothing after 1,000 simplex iterations and 2 nodes."""

    def __init__(self) -> None:
        self.settings: list[Settings] = []

    def solve(self, program, settings, on_value, on_bound):
        self.settings.append(settings)
        return highs_worker.Report(None, -math.inf, simplex_iterations=1000, nodes=2)

    def stop(self) -> None:
        pass


def test_a_counted_worker_gives_nodes_for_seconds_and_begins_no_dive_nor_a_run_past_its_allowance():
    program = Program(lower=np.zeros(2), upper=np.ones(2), cost=-np.ones(2), row_lower=np.array([-np.inf]),
                      row_upper=np.array([1.0]), starts=np.array([0], dtype=np.int32),
                      indices=np.arange(2, dtype=np.int32), values=np.ones(2))
    one = highs_worker.work(2, highs_worker.Report(None, -math.inf, simplex_iterations=1000, nodes=2))
    inner = _Counting()
    counted = Counted(inner, 20, time.perf_counter() + 60, allowance=1.5 * one)
    ignore = lambda _: None
    counted.solve(program, Settings(1.0, threads=1), ignore, ignore)
    assert inner.settings[0].nodes == 20 and inner.settings[0].seconds > 50
    assert counted.work == one
    counted.solve(program, Settings(0.25, threads=1, dive=True), ignore, ignore)  # a dive stops on the clock
    counted.solve(program, Settings(0.25, threads=1), ignore, ignore)
    counted.solve(program, Settings(0.25, threads=1), ignore, ignore)  # the allowance is spent
    assert [each.nodes for each in inner.settings] == [20, 5]
    assert counted.work == 2 * one and not counted.clock_stopped
    # A second left to the hard end: the run is given less than its second, so it may not repeat.
    near = Counted(inner, 20, time.perf_counter() + 1.0, math.inf)
    near.solve(program, Settings(1.0, threads=1), ignore, ignore)
    assert near.clock_stopped
    # A sifted relaxation is charged over the columns it took in: here one, with one non-zero.
    sifted = highs_worker.Report(None, -math.inf, simplex_iterations=1000, columns=np.array([0]))
    inner.solve = lambda *_: sifted
    relaxed = Counted(inner, 20, time.perf_counter() + 60, math.inf)
    relaxed.solve(replace(program, integer=np.zeros(0, dtype=np.int64)), Settings(30, threads=1, columns=np.array([0])),
                  ignore, ignore)
    assert relaxed.work == highs_worker.work(1, sifted) < highs_worker.work(len(program.indices), sifted)


def test_a_repeatable_solve_of_a_room_takes_its_priority_from_the_relaxations_in_turn(monkeypatch):
    # Room 0's relaxation's bound is one above the plain program's optimum (above): in turn, the
    # second racer proves it, and the level's priority is proven; two runs give the same schedule
    # and neither is cut by the clock.
    counted: list[Counted] = []
    real = highs_module.in_turn
    monkeypatch.setattr(highs_module, "in_turn", lambda plain, worker: counted.append(worker) or real(plain, worker))
    problem = _room(0)
    results = [solve(problem, Stop(time_limit=30, deterministic=True), levels=["priority"]) for _ in range(2)]
    assert len(counted) == 2 and all(each.work > 0 for each in counted)
    assert results[0].terms[0].proven
    assert not any(each.wall_stopped for each in results)
    assert results[0].placements == results[1].placements


def test_with_no_time_for_the_whole_program_the_ones_fixed_still_give_a_schedule_among_the_sifted_columns(monkeypatch):
    # The whole program with the ones fixed given no time: the schedule comes from the sifted
    # relaxation's columns alone, keeps the plain program's rows and every one of the ones, and is
    # no worse than greedy's.
    problem = _room(3)
    plain = time_indexed(problem)
    relaxed = relaxation(plain, workers(1)[0], time.perf_counter() + 30)
    minimised = plain.minimised()
    fixed = replace(minimised, lower=np.maximum(minimised.lower, relaxed.solution >= WHOLE), start=None)
    monkeypatch.setattr(ones_fixed_module, "FIXED_SECONDS", 0.0)
    found = ones_fixed_module._best_with_ones(fixed, relaxed.columns, workers(1)[0], time.perf_counter() + 30,
                                              None, threading.Event())
    assert len(found) == 1 and holds(plain.program, found[0])
    assert np.all(found[0][relaxed.solution >= WHOLE] == 1)
    assert float(plain.program.cost @ found[0]) >= priority_of(problem, greedy(problem)[0])


class _Held:
    """A stand-in worker whose run ends only once it is stopped."""

    def __init__(self) -> None:
        self.stopped = threading.Event()

    def stop(self) -> None:
        self.stopped.set()


def test_a_racer_that_told_of_a_schedule_at_the_lowest_bound_is_stopped_and_returns_it(monkeypatch):
    # The first racer tells of a schedule of priority 10 and runs on under its own bound of 11; the
    # other proves that none reaches 11. The race stops the first at once and ends with its schedule.
    def racer(plain, worker, until, options, stopped, columns, whole, heard, later, handing):
        if whole:
            time.sleep(0.1)
            return OnesFixed(10, None)
        heard(10.0)
        assert worker.stopped.wait(20)
        return OnesFixed(11, np.array([1.0, 1.0]))
    monkeypatch.setattr(ones_fixed_module, "ones_fixed", racer)
    program = Program(lower=np.zeros(2), upper=np.ones(2), cost=np.array([5.0, 5.0]), row_lower=np.array([0.0]),
                      row_upper=np.array([2.0]), starts=np.array([0], dtype=np.int32),
                      indices=np.arange(2, dtype=np.int32), values=np.ones(2))
    began = time.perf_counter()
    found = Race(OwnProgram(program), [_Held(), _Held()], time.perf_counter() + 30).result()
    assert found.bound == 10 and list(found.solution) == [1.0, 1.0]
    assert time.perf_counter() - began < 10


class _Asked:
    """A stand-in for a question still being answered: it records being stopped."""

    def __init__(self) -> None:
        self.worker = _Held()
        self.stopped = threading.Event()

    def stop(self) -> None:
        self.stopped.set()


def _two_racers(monkeypatch, first_value: float, asked: _Asked, later: float | None):
    """A race of two stand-in racers under a bound of 11: the first ends with a schedule of
    ``first_value`` after a moment; the one with no column fixed waits to be handed on (where
    ``later`` is set) and returns ``asked`` still being answered. The race's outcome and whether
    the second racer was told to hand on."""
    told = threading.Event()

    def racer(plain, worker, until, options, stopped, columns, whole, heard, later, handing):
        if not whole:
            time.sleep(0.2)
            return OnesFixed(11, np.array([first_value / 10, first_value / 10]))
        if handing.wait(20):
            told.set()
        return OnesFixed(11, None, asking=asked)
    monkeypatch.setattr(ones_fixed_module, "ones_fixed", racer)
    program = Program(lower=np.zeros(2), upper=np.full(2, 2.0), cost=np.array([5.0, 5.0]), row_lower=np.array([0.0]),
                      row_upper=np.array([4.0]), starts=np.array([0], dtype=np.int32),
                      indices=np.arange(2, dtype=np.int32), values=np.ones(2))
    race = Race(OwnProgram(program), [_Held(), _Held()], time.perf_counter() + 30)
    race.later = later
    return race.result(), told.is_set()


def test_a_question_still_being_answered_is_handed_on_once_the_first_racer_ends_short_of_the_bound(monkeypatch):
    # The first racer ends at 10 under the bound of 11: only the question with no column fixed
    # can settle the level, so the race tells it at once to hand on, and returns it unstopped.
    asked = _Asked()
    began = time.perf_counter()
    found, told = _two_racers(monkeypatch, 10.0, asked, later=time.perf_counter() + 60)
    assert told and time.perf_counter() - began < 10
    assert found.asking is asked and not asked.stopped.is_set()
    assert found.bound == 11 and found.unanswered is None


def test_a_question_still_being_answered_is_stopped_where_a_schedule_reaches_the_bound(monkeypatch):
    # The first racer's schedule is at the bound: the race is settled and nothing is handed on.
    asked = _Asked()
    found, _ = _two_racers(monkeypatch, 11.0, asked, later=time.perf_counter() + 60)
    assert found.asking is None and asked.stopped.is_set()


@pytest.mark.parametrize("seed", [1, 3])
def test_a_schedule_at_the_bound_keeps_what_the_relaxation_s_multipliers_rule_out(seed):
    plain = time_indexed(_room(seed))
    relaxed = workers(1)[0].solve(plain.relaxed(), Settings(30, threads=1, options=RELAXATIONS[0]),
                                  lambda _: None, lambda _: None)
    bound = math.floor(-relaxed.dual_bound + 1e-6)
    best = workers(1)[0].solve(plain.minimised(), Settings(30, threads=1), lambda _: None, lambda _: None)
    # HiGHS proves the plain program's optimum (no clock stop, gap 0); on these rooms it is at the
    # relaxation's bound, the case at_bound is for.
    assert not best.clock_stopped and round(-float(plain.minimised().cost @ best.solution)) == bound
    kept = at_bound(plain.minimised(), relaxed.duals, slack=max(0.0, -relaxed.dual_bound - bound))
    assert holds(kept, np.round(best.solution))
    # It rules out columns or meets rows at a side (which, depends on the multipliers HiGHS ends
    # with), and the optimum is still found within it.
    ruled_out = np.sum(kept.upper < plain.program.upper) + np.sum(kept.lower > plain.program.lower)
    met = np.sum(kept.row_lower == kept.row_upper) - np.sum(plain.program.row_lower == plain.program.row_upper)
    assert ruled_out + met > 0
    within = workers(1)[0].solve(kept, Settings(30, threads=1), lambda _: None, lambda _: None)
    assert within.solution is not None and round(-float(kept.cost @ within.solution)) == bound


@pytest.mark.parametrize("seed", [1, 3])
def test_a_schedule_at_a_priority_is_found_at_the_optimum_and_none_above_it(seed):
    plain = time_indexed(_room(seed))
    optimum = _plain_optimum(plain)
    question = reaching(plain.minimised(), optimum)
    assert not np.any(question.cost)
    at = workers(1)[0].solve(question, Settings(30, threads=1), lambda _: None, lambda _: None)
    assert at.solution is not None and holds(plain.program, np.round(at.solution)) and not at.infeasible
    assert float(plain.program.cost @ np.round(at.solution)) >= optimum
    # One more than the optimum: HiGHS proves there is no such schedule (no clock stop).
    above = workers(1)[0].solve(reaching(plain.minimised(), optimum + 1), Settings(30, threads=1),
                                lambda _: None, lambda _: None)
    assert above.solution is None and not above.clock_stopped and above.infeasible


def test_a_race_begins_with_the_primal_simplex_only_where_no_request_is_required():
    # The primal simplex starts at once from the empty schedule where that keeps every row; with a
    # required request it must first find a start, and the dual simplex begins.
    free = time_indexed(compile_problem(event_from_data(generate_teleconference(days=1, seed=2)).event))
    required = time_indexed(_room(1))
    assert np.all(free.program.row_lower <= 0) and np.any(required.program.row_lower > 0)
    assert relaxations(free) == RELAXATIONS and relaxations(free)[0]["simplex_strategy"] == 4
    assert relaxations(required)[0]["simplex_strategy"] == 1 and set(map(str, relaxations(required))) == set(
        map(str, RELAXATIONS))


def test_no_time_gives_neither_bound_nor_schedule():
    plain = time_indexed(_room(1))
    found = ones_fixed(plain, workers(1)[0], time.perf_counter())
    assert found.bound is None and found.solution is None


def _proven_by_the_relaxation_s_ones(problem, notes: list[str] | None = None, deterministic: bool = False) -> int:
    """The priority optimum solve_mip proves on the meeting model alone, once the solve's level has
    ended at it with the schedule of a relaxation's ones fixed (its progress notes added to ``notes``;
    a repeatable solve where ``deterministic``)."""
    model = MeetingModel(problem, seating=False)
    model.optimise(*build_level(model, "priority"))
    proven = solve_mip(model.model, 30)
    notes = [] if notes is None else notes
    result = solve(problem, Stop(time_limit=20, deterministic=deterministic), levels=["priority"],
                   log=lambda _, message: notes.append(message))
    priority = result.terms[0]
    assert proven.proven and priority.proven and priority.value == proven.value == priority.bound
    assert any("by HiGHS, relaxation's ones fixed" in note for note in notes), notes  # not only planned
    return proven.value


def test_a_week_like_event_s_priority_is_proven_and_checked():
    # Two days of a room: the plain program applies (few columns per choice), and the level ends
    # at the optimum solve_mip proves on the meeting model alone.
    _proven_by_the_relaxation_s_ones(_room(3))


def test_a_race_begun_early_and_not_taken_is_stopped_and_the_workers_serve_the_next_program():
    # A default-size week: its relaxations take about a second, so they are still running when let go.
    problem = compile_problem(event_from_data(generate_teleconference(days=5, seed=2)).event)
    solving = Solving(problem, Stop(time_limit=30), Budget(30.0), ("priority",), None, None, model=None,
                      placements=None, tables={})
    begin_relaxation(solving, [])
    early = solving.early_relaxation
    # One racer begun: the other core builds the meeting model.
    assert early is not None and len(early.runs) == 1 and not early.runs[0].done()
    let_go(solving)
    assert solving.early_relaxation is None
    assert early.runs[0].done() and early.runs[0].result() == OnesFixed(None, None)
    assert early.result() == OnesFixed(None, None)  # nothing more is begun once let go
    plain = time_indexed(_room(1, days=1))
    for worker in workers(len(RELAXATIONS)):
        report = worker.solve(plain.relaxed(), Settings(30, threads=1), lambda _: None, lambda _: None)
        assert report.solution is not None and not report.clock_stopped


def test_no_relaxation_is_begun_for_a_plaza_or_a_deterministic_solve():
    week = compile_problem(event_from_data(generate_teleconference(days=1, seed=2)).event)
    plaza = compile_problem(event_from_data(generate_plaza(buyers=6, firms=12, seed=2)).event)
    for problem, stop in ((plaza, Stop(time_limit=30)), (week, Stop(time_limit=30, deterministic=True)),
                          (week, Stop(time_limit=30, workers=1))):
        solving = Solving(problem, stop, Budget(30.0), ("priority",), None, None, model=None, placements=None,
                          tables={})
        begin_relaxation(solving, [])
        assert solving.early_relaxation is None


@pytest.mark.parametrize("buyers, firms, seed", [(20, 50, 2), (30, 70, 1)])
def test_a_plaza_s_priority_is_proven_from_its_own_program_s_relaxation(buyers, firms, seed):
    # Where the plain program would have more columns per placement choice than the level takes it
    # with, the meeting model's own program is relaxed and its ones fixed instead (OwnProgram),
    # and the level ends at the optimum solve_mip proves, above greedy's start.
    problem = compile_problem(event_from_data(generate_plaza(buyers=buyers, firms=firms, seed=seed)).event)
    assert _plain_columns(problem) > PLAIN_COLUMNS_PER_CHOICE * len(MeetingModel(problem, seating=False).choices)
    assert priority_of(problem, greedy(problem)[0]) < _proven_by_the_relaxation_s_ones(problem)


def test_a_plaza_too_large_for_highs_whole_is_proven_by_its_relaxation_s_ones_alone(monkeypatch):
    # Beyond plan.MIP_UP_TO (set here below this plaza's size) HiGHS does not take the model whole;
    # the race of the model's own relaxations and their ones fixed still ends at the optimum that
    # solve_mip proves, above greedy's start.
    monkeypatch.setattr(plan, "MIP_UP_TO", 0)
    problem = compile_problem(event_from_data(generate_plaza(buyers=20, firms=50, seed=2)).event)
    notes: list[str] = []
    assert priority_of(problem, greedy(problem)[0]) < _proven_by_the_relaxation_s_ones(problem, notes)
    planned_line = next(line for line in notes if "→" in line)
    assert "HiGHS, relaxation's ones fixed" in planned_line and "→ HiGHS →" not in planned_line


@pytest.mark.parametrize("deterministic", [False, True])
def test_a_room_too_large_for_highs_whole_is_proven_by_its_plain_program_s_relaxation_alone(monkeypatch,
                                                                                          deterministic):
    # The same in a teleconference room, where the plain program is the one relaxed: before, a
    # room beyond plan.MIP_UP_TO went to the folded model and CP-SAT's parts, and generated rooms
    # of ten to twenty days ended short of their optimum with no bound but the requests' own. So
    # did a repeatable solve's, before its racers ran in turn.
    monkeypatch.setattr(plan, "MIP_UP_TO", 0)
    problem = _room(3)
    notes: list[str] = []
    assert priority_of(problem, greedy(problem)[0]) < _proven_by_the_relaxation_s_ones(problem, notes, deterministic)
    planned_line = next(line for line in notes if "→" in line)
    assert "HiGHS, relaxation's ones fixed" in planned_line and "→ HiGHS →" not in planned_line


def test_where_the_race_is_all_highs_does_on_a_level_it_has_the_whole_run_s_share(monkeypatch):
    # Beyond plan.MIP_UP_TO the race is the level's only HiGHS run: it is given the share the whole
    # run would have (not MIP_SHARE of it), since an expo-size plaza's relaxation alone takes most of
    # MIP_SHARE. With that share set to 4 s, the race must be allowed past 4 s.
    monkeypatch.setattr(plan, "MIP_UP_TO", 0)
    monkeypatch.setattr(highs_module, "_amount", lambda *_: 4.0)
    allowed: list[float] = []

    class Timed(Race):
        def __init__(self, plain, racers, until):
            allowed.append(until - time.perf_counter())
            super().__init__(plain, racers, until)
    monkeypatch.setattr(highs_module, "Race", Timed)
    problem = compile_problem(event_from_data(generate_plaza(buyers=20, firms=50, seed=2)).event)
    solve(problem, Stop(time_limit=60), levels=["priority"])
    assert len(allowed) == 1 and 4.0 / highs_module.MIP_SHARE - 1.0 < allowed[0] <= 4.0 / highs_module.MIP_SHARE


def test_an_own_program_s_sifting_starts_from_the_start_and_a_share_of_its_columns():
    program = Program(lower=np.zeros(40), upper=np.ones(40), cost=np.ones(40), row_lower=np.array([-np.inf]),
                      row_upper=np.array([1.0]), starts=np.array([0], dtype=np.int32),
                      indices=np.arange(40, dtype=np.int32), values=np.ones(40), start=np.eye(40)[7])
    first = first_columns(OwnProgram(program))
    assert 7 in first and len(first) <= 1 + int(SIFT_SHARE * 40) and len(first) == len(set(first))
    assert np.array_equal(first, first_columns(OwnProgram(program)))  # the same draw every time
