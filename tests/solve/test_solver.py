"""The solve's own steps, on tiny events whose best answer is worked out in the comment."""

from __future__ import annotations

import math
import time
from pathlib import Path
from types import SimpleNamespace

import yaml

from scheduler.generate import generate_plaza
from scheduler.model.load import event_from_data, load_event
from scheduler.model.problem import compile_problem
from scheduler.solve import Stop, solve
from scheduler.solve.pipeline.budget import Budget
from scheduler.solve.model.measure import interpreter_changes
from scheduler.solve.searches.polish import reduce_floor_changes, reduce_interpreter_moves
from scheduler.solve.model.occupancy import Occupancy
from scheduler.solve.result import Placement, Status, Term
from scheduler.solve.methods.least_served import least_served_by_tests
from scheduler.solve.methods.reseat import reseated
from scheduler.solve.pipeline.level import AFTER_LEVELS_SHARE, NOTHING_AFTER_SHARE, Reporter, nothing_to_search
from scheduler.solve.pipeline.solver import _kept_back

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

# One booth per floor, two slots; I1 speaks Chinese only, I2 Japanese only, so neither can take
# the other's meetings.
ROOM = {
    "event": {"name": "Tiny room", "kind": "teleconference", "timezone": "Asia/Seoul", "meeting_minutes": 60,
              "days": [{"date": "2026-06-18", "open": "09:00", "close": "11:00"}]},  # slots 0, 1
    "booths": [{"id": "A", "floor": 1}, {"id": "B", "floor": 2}],
    "buyers": [{"id": f"B{n}", "name": f"Buyer {n}", "languages": [language], "timezone": "Asia/Seoul"}
               for n, language in ((1, "zh"), (2, "ja"), (3, "zh"), (4, "ja"))],
    "firms": [{"id": f"F{n}", "name": f"Firm {n}", "languages": ["ko"]} for n in range(1, 5)],
    "interpreters": [{"id": "I1", "name": "Park Junho", "languages": ["ko", "zh"]},
                     {"id": "I2", "name": "Choi Hana", "languages": ["ko", "ja"]}],
    "requests": [{"buyer": f"B{n}", "firm": f"F{n}"} for n in range(1, 5)],
}


def test_reseating_swaps_two_floors_that_no_single_move_can(tmp_path):
    # At 09:00 I1 (B1-F1) is on floor 1 and I2 (B2-F2) on floor 2; at 10:00 I1 (B3-F3) is on
    # floor 2 and I2 (B4-F4) on floor 1: two floor changes. No meeting can move alone (the
    # other floor's only booth is taken) and the interpreters cannot swap (languages), but with
    # the four meetings kept at their times, swapping the floors of both 10:00 meetings moves
    # nobody: 0 is the fewest, and CP-SAT proves it.
    path = tmp_path / "room.yaml"
    path.write_text(yaml.safe_dump(ROOM, sort_keys=False))
    problem = compile_problem(load_event(path).event)
    floor = {c.floor: c.index for c in problem.booth_classes if c.kind == "floor"}
    placements = [Placement(0, 0, (0,), floor[1]), Placement(1, 0, (1,), floor[2]),
                  Placement(2, 1, (0,), floor[2]), Placement(3, 1, (1,), floor[1])]
    occupancy = Occupancy(problem)
    for placement in placements:
        occupancy.place(placement)
    assert interpreter_changes(problem, occupancy.placements) == 2
    assert reduce_floor_changes(problem, occupancy) == 0 and reduce_interpreter_moves(problem, occupancy) == 0

    budget = Budget(10.0)
    order = ("priority", "interpreter changes")
    done = [Term("priority", "max", 4, 4, True)]
    found, _, settled = reseated(problem, placements, {}, order, done, Stop(time_limit=10.0), budget,
                                  budget.units(5.0), Reporter("interpreter changes", budget, None, None, "min"))
    assert settled
    assert interpreter_changes(problem, found) == 0
    assert sorted((p.task, p.start, p.interpreters) for p in found) == [
        (0, 0, (0,)), (1, 0, (1,)), (2, 1, (0,)), (3, 1, (1,))]


def test_the_daegu_plazas_priority_is_proven_by_highs_in_seconds():
    # 1,612 is the optimum: HiGHS's bound (its root cuts) equals the schedule's value. The plain
    # relaxation says 1,613, which is what CP-SAT's searches never closed in a minute.
    problem = compile_problem(load_event(SCENARIOS / "daegu-plaza.yaml").event)
    result = solve(problem, Stop(time_limit=30), levels=["priority"])
    (term,) = result.terms
    assert (term.value, term.bound, term.proven) == (1612, 1612, True)
    assert term.seconds < 15  # about 1.5 s on 2 cores; generous for a loaded machine


def test_a_repeatable_run_with_highs_repeats():
    # --deterministic: HiGHS stops by its node count, with a fixed thread count, and is charged its
    # counted work, so two runs give the same schedule and the same work. Daegu's priority is
    # proven at the root there too (1,612; see the test above).
    problem = compile_problem(load_event(SCENARIOS / "daegu-plaza.yaml").event)
    runs = [solve(problem, Stop(time_limit=30, deterministic=True), levels=["priority"]) for _ in range(2)]
    first, second = runs
    assert (first.terms[0].value, first.terms[0].proven) == (1612, True)
    assert first.placements == second.placements and first.work == second.work
    assert not first.wall_stopped


# Three 30-minute slots; B2 is there at 09:00 only.
FAIRNESS = {
    "event": {"name": "Tiny plaza", "kind": "plaza", "timezone": "Asia/Seoul", "meeting_minutes": 30,
              "days": [{"date": "2026-06-18", "open": "09:00", "close": "10:30"}]},
    "booths": {"count": 4, "prefix": "T"},
    "buyers": [{"id": b, "name": b, "languages": ["en"]} for b in ("B1", "B3", "B4")]
    + [{"id": "B2", "name": "B2", "languages": ["en"],
        "available": [{"date": "2026-06-18", "start": "09:00", "end": "09:30"}]}],
    "firms": [{"id": f, "name": f, "languages": ["ko", "en"]} for f in ("F1", "F2")],
    "requests": [{"buyer": "B1", "firm": "F1"}, {"buyer": "B2", "firm": "F1"},
                 {"buyer": "B2", "firm": "F2", "priority": 5}, {"buyer": "B3", "firm": "F2"},
                 {"buyer": "B4", "firm": "F2"}],
}


def test_the_least_served_firm_is_proven_by_tests_at_the_settled_priority(tmp_path):
    # B2 meets one firm, at 09:00. The most priority is 14: F2-B2 (5), F2-B3, F2-B4 and F1-B1
    # (3 each), where F1 has 1 meeting. Two each means F1-B1 and F1-B2, F2 left with B3 and B4:
    # 12. So at priority 14 the least-served firm has 1, though each firm wishes 2 or more (the
    # obvious bound is 2): HiGHS's test "2 each" proves priority 12 at most, short of 14.
    path = tmp_path / "plaza.yaml"
    path.write_text(yaml.safe_dump(FAIRNESS, sort_keys=False))
    problem = compile_problem(load_event(path).event)
    order = ("priority", "least-served firm")
    result = solve(problem, Stop(time_limit=10), levels=order)
    assert [(t.value, t.bound, t.proven) for t in result.terms] == [(14, 14, True), (1, 1, True)]

    budget = Budget(10.0)
    placements = [p for p in result.placements]
    _, _, bound = least_served_by_tests(problem, order, [result.terms[0]], placements, {}, 2, budget,
                                         budget.units(8.0), Reporter("least-served firm", budget, None, None, "max"),
                                         Stop(time_limit=10.0))
    assert bound == 1


def test_the_least_served_tests_are_not_built_without_the_time_for_one(tmp_path, monkeypatch):
    # Less than a second left of the level: no test can run, so their model is not built either
    # (on a teleconference week its build took 0.5 s that no work unit of a repeatable run counts).
    from scheduler.solve.methods import least_served

    path = tmp_path / "plaza.yaml"
    path.write_text(yaml.safe_dump(FAIRNESS, sort_keys=False))
    problem = compile_problem(load_event(path).event)
    order = ("priority", "least-served firm")
    result = solve(problem, Stop(time_limit=10), levels=order[:1])

    def built(*_, **__):
        raise AssertionError("the tests' model was built")
    monkeypatch.setattr(least_served, "MeetingModel", built)
    budget = Budget(10.0)
    placements = list(result.placements)
    found = least_served_by_tests(problem, order, [result.terms[0]], placements, {}, 2, budget,
                                  budget.spent() + budget.units(0.5),
                                  Reporter("least-served firm", budget, None, None, "max"), Stop(time_limit=10.0))
    assert found == (placements, {}, None)


def test_highs_has_its_whole_amount_where_no_hint_is_completed(monkeypatch):
    # A timed HiGHS run with no hint to complete (the least-served firm's tests) is allowed all it
    # was given: a second kept back for a completion that did not happen left a test on a generated
    # plaza 0.4 s of its 1.4, and it ended in HiGHS's presolve.
    from ortools.sat.python import cp_model

    from scheduler.solve.methods import engines

    asked = []
    monkeypatch.setattr(engines, "solve_mip", lambda model, seconds, **_: asked.append(seconds))
    model = cp_model.CpModel()
    model.maximize(model.new_bool_var("x"))
    engines.run_mip(model, Budget(10.0), 3.0, Stop(time_limit=10.0), complete=False)
    assert len(asked) == 1 and 2.9 < asked[0] <= 3.0, asked


def test_without_highs_the_first_level_takes_the_linear_relaxations_bound(monkeypatch):
    # HiGHS kept out (its variable cap at 0, and one worker, which its relaxations' race needs two
    # of): the first level of a plaza with over LP_BOUND_FROM placement choices is bounded by the
    # linear relaxation, handed to CP-SAT as a cut; whatever CP-SAT then proves, the level's bound
    # can be no better than the relaxation's.
    from scheduler.generate import generate_plaza
    from scheduler.model.load import event_from_data
    from scheduler.solve.pipeline import plan

    monkeypatch.setattr(plan, "MIP_UP_TO", 0)
    problem = compile_problem(event_from_data(generate_plaza(buyers=20, firms=50, seed=2)).event)
    notes: list[str] = []
    result = solve(problem, Stop(time_limit=6, workers=1), levels=["priority"],
                   log=lambda _, line: notes.append(line))
    assert any("linear relaxation bound" in line for line in notes), notes
    (term,) = result.terms
    assert term.bound is not None and term.value <= term.bound


def test_any_schedule_in_a_repeatable_solve_is_the_one_a_single_worker_finds():
    # Stopped at the first schedule, two interleaved workers gave one schedule in some processes and
    # another in others (CP-SAT 9.15); a repeatable solve asks one worker, whatever it was given.
    from scheduler.generate import generate_brokerage
    from scheduler.model.load import event_from_data
    from scheduler.solve.methods.engines import any_schedule
    from scheduler.solve.model.meetings import MeetingModel
    from scheduler.solve.pipeline.budget import Budget

    problem = compile_problem(event_from_data(generate_brokerage(
        participants=16, meetings=22, slots=10, tables=2, seed=7, traits=frozenset({"both-orders", "popular"}))).event)

    def found(workers: int):
        budget = Budget(3.0, deterministic=True)
        placements, _ = any_schedule(MeetingModel(problem), Stop(time_limit=3, deterministic=True, workers=workers),
                                     budget, budget.units(0.6))
        return sorted((p.task, p.start) for p in placements)
    assert found(2) == found(1)


def test_a_level_stopped_within_the_gap_is_not_called_proven():
    # Given --gap, CP-SAT reports OPTIMAL as soon as it is within the gap. On this generated plaza
    # at --gap 0.9 the comfort level stopped two above its bound, and the solve said `optimal`.
    # Proven means at the bound; the status follows from the levels.
    problem = compile_problem(event_from_data(generate_plaza(buyers=8, firms=6, seed=3)).event)
    result = solve(problem, Stop(time_limit=2, gap=0.9, deterministic=True, workers=2))
    assert any(t.value != t.bound for t in result.terms)  # else the gap stopped nothing: no test
    assert all(t.value == t.bound for t in result.terms if t.proven)
    assert result.status is Status.FEASIBLE


def test_a_level_followed_only_by_levels_with_nothing_to_search_keeps_back_less_of_the_limit():
    # The mini forum has no interpreters, so its interpreter comfort, the level after idle gaps,
    # has nothing to search: the idle-gap level keeps back only what the finishing passes need.
    # Every other level keeps the whole share: priority (levels after it search), comfort (the last
    # level, whose own search may run past its end), and a plaza's idle gaps (comfort after it
    # searches its interpreters).
    forum = compile_problem(load_event(EXAMPLES / "mini-brokerage.yaml").event)
    order = forum.event.objective_levels
    assert not forum.linguists and nothing_to_search(forum, order[-1])
    shares = [_kept_back(SimpleNamespace(problem=forum, order=order), position) for position in range(len(order))]
    assert shares[order.index("idle gaps")] == NOTHING_AFTER_SHARE < AFTER_LEVELS_SHARE
    assert shares[:order.index("idle gaps")] == [AFTER_LEVELS_SHARE] * order.index("idle gaps")
    assert shares[-1] == AFTER_LEVELS_SHARE
    plaza = compile_problem(load_event(EXAMPLES / "mini-plaza.yaml").event)
    order = plaza.event.objective_levels
    assert plaza.linguists
    assert _kept_back(SimpleNamespace(problem=plaza, order=order), order.index("idle gaps")) == AFTER_LEVELS_SHARE


def test_a_level_left_unproven_is_searched_again_with_what_the_levels_after_it_left():
    # A one-day room whose idle-gap level ends unproven at its share of a repeatable 10-s solve,
    # and whose interpreter comfort then settles early: what comfort left is spent on the idle
    # gaps again, from the schedule the first look reached, and the fewer gaps it finds are kept.
    from scheduler.check import check_schedule
    from scheduler.generate import generate_teleconference
    from scheduler.solve import to_schedule

    event = event_from_data(generate_teleconference(days=1, requests_per_day=49, seed=4,
                                                    traits=frozenset({"named-interpreter"}))).event
    problem = compile_problem(event)
    lines: list[str] = []
    result = solve(problem, Stop(time_limit=10, deterministic=True), log=lambda seconds, line: lines.append(line))
    first = next(int(line.split()[2]) for line in lines if line.startswith("idle gaps: ") and "(bound" in line)
    assert "idle gaps: searched again with what the levels after it left" in lines
    assert result.term("idle gaps").value < first
    assert not result.wall_stopped
    assert check_schedule(event, to_schedule(problem, result)) == []


def test_a_repeatable_solve_past_its_hard_end_does_not_search_a_level_again(monkeypatch):
    # The same room, in a repeatable solve whose machine, busy elsewhere, reaches the hard end just
    # as the levels are over (its clock moved a minute on): its idle gaps are unproven and most of
    # its work units unspent, but nothing can be searched past the hard end, so no second look is
    # begun, and the run says it may not repeat.
    import scheduler.solve.pipeline.solver as pipeline
    from scheduler.generate import generate_teleconference

    event = event_from_data(generate_teleconference(days=1, requests_per_day=49, seed=4,
                                                    traits=frozenset({"named-interpreter"}))).event
    problem = compile_problem(event)
    levels, done = len(event.objective_levels), []
    solve_level = pipeline._solve_level

    def then_late(solving, position, level, **given):
        term = solve_level(solving, position, level, **given)
        done.append(position)
        if len(done) == levels:
            solving.budget.began -= 60
        return term
    monkeypatch.setattr(pipeline, "_solve_level", then_late)
    lines: list[str] = []
    result = solve(problem, Stop(time_limit=10, deterministic=True), log=lambda seconds, line: lines.append(line))
    assert len(done) == levels and not result.term("idle gaps").proven
    assert result.wall_stopped
    assert not any("searched again" in line for line in lines), lines


def test_a_later_levels_search_presolves_a_small_model_where_it_has_the_seconds(monkeypatch):
    # A five-day room of 50 requests: its interpreter comfort's bound (the relaxation by day) is met
    # by a schedule that spreads the meetings over the days, which the whole-model search from the
    # levels' schedule, without presolve, reached in 1 of 5 runs of its 4 s, and with it in 5 of 5
    # (benchmarks/README.md, "How the solver chooses": CP-SAT workers and presolve). Whether it is
    # found in a solve depends on the machine's load, so what is tested is the choice: the later
    # levels' searches of its small model presolve it at 15 s, and not at 2 s, where presolving
    # would take the search's time.
    import scheduler.solve.methods.cpsat as cpsat
    from scheduler.generate import generate_teleconference
    from scheduler.solve.methods.engines import PRESOLVE_UP_TO, PRESOLVE_VARIABLES_PER_SECOND

    searches = []

    def spied(run, amount, later=False, only=None):
        status, solver = search(run, amount, later=later, only=only)
        seconds = solver.parameters.max_time_in_seconds
        if later and math.isfinite(seconds):
            # Past the hard end a search is not configured and does not run: its time limit is
            # CP-SAT's default, infinity, and it decides nothing about presolve.
            searches.append((len(run.model.model.proto.variables), seconds, solver.parameters.cp_model_presolve))
        return status, solver

    search = cpsat.search
    monkeypatch.setattr(cpsat, "search", spied)
    problem = compile_problem(event_from_data(generate_teleconference(
        days=5, booths=15, requests_per_day=10, seed=15031, traits=frozenset({"half-day"}))).event)
    solve(problem, Stop(time_limit=15))
    assert searches and all(variables <= PRESOLVE_UP_TO for variables, _, _ in searches)
    assert any(presolved for _, _, presolved in searches)
    searches.clear()
    solve(problem, Stop(time_limit=2))  # where the levels before leave it any search at all
    assert not any(presolved for _, _, presolved in searches)
    assert all(variables > PRESOLVE_VARIABLES_PER_SECOND * seconds for variables, seconds, _ in searches)
