"""Interpreter pools: interchangeable interpreters counted together, named after solving.

Each event is solved to a proven optimum and re-verified by the independent
checker (caps, nobody in two places), so a wrong naming of members fails here.
"""

from __future__ import annotations

from collections import Counter

from scheduler.model.problem import compile_problem
from test_objective import buyer, event, firm, solved

ZH = ("ko", "zh")


def interpreter(id_, languages=ZH, **more):
    return {"id": id_, "name": f"Interpreter {id_}", "languages": list(languages), **more}


def test_identical_interpreters_share_one_pool_and_its_daily_cap(tmp_path):
    # Two ko-zh interpreters with a cap of 2 meetings each; three Chinese buyers each wish to
    # meet three Korean firms (9 requests, 3 slots). A slot holds at most 2 interpreted meetings
    # (2 interpreters) and the day at most 2 x 2 = 4, so 4 meetings (priority 12) is the most;
    # 4 fit (e.g. two at 09:00, two at 09:30). Each interpreter must end with exactly 2.
    data = event(
        buyers=[buyer(b, ("zh",)) for b in ("B1", "B2", "B3")],
        firms=[firm(f, ("ko",)) for f in ("F1", "F2", "F3")],
        interpreters=[interpreter("I1", max_meetings=2), interpreter("I2", max_meetings=2)],
        requests=[{"buyer": b, "firm": f} for b in ("B1", "B2", "B3") for f in ("F1", "F2", "F3")],
        objective=["priority"],
    )
    result, schedule = solved(tmp_path, data)
    assert schedule.stats.priority_scheduled == 12
    assert Counter(i for m in schedule.meetings for i in m.interpreters) == {"I1": 2, "I2": 2}


def test_an_interpreter_a_request_names_is_a_pool_of_its_own(tmp_path):
    # I1 and I2 speak the same languages, but one request asks for I2 by name: pooling them
    # would let the solver send I1, so each stays a pool of one.
    from scheduler.model.load import event_from_data

    data = event(buyers=[buyer("B1", ("zh",))], firms=[firm("F1", ("ko",)), firm("F2", ("ko",))],
                 interpreters=[interpreter("I1"), interpreter("I2"), interpreter("I3")],
                 requests=[{"buyer": "B1", "firm": "F1", "interpreter": "I2"}, {"buyer": "B1", "firm": "F2"}])
    problem = compile_problem(event_from_data(data, "event.yaml").event)
    assert problem.interpreter_pools == ((0, 2), (1,))
    _, schedule = solved(tmp_path, data)
    assert next(m for m in schedule.meetings if m.firm == "F1").interpreters == ("I2",)


def test_members_of_a_pool_stay_at_their_tables(tmp_path):
    # Two identical interpreters, two Chinese buyers, each meeting two Korean firms who are free
    # only at 09:00 and 09:30: both buyers' tables need an interpreter at both slots. Naming the
    # same member at the same table both times gives 0 interpreter changes, the proven optimum.
    data = event(
        buyers=[buyer("B1", ("zh",)), buyer("B2", ("zh",))],
        firms=[firm(f, ("ko",), available=[{"date": "2026-06-18", "start": "09:00", "end": "10:00"}])
               for f in ("F1", "F2", "F3", "F4")],
        interpreters=[interpreter("I1"), interpreter("I2")],
        requests=[{"buyer": "B1", "firm": "F1"}, {"buyer": "B1", "firm": "F2"},
                  {"buyer": "B2", "firm": "F3"}, {"buyer": "B2", "firm": "F4"}],
        objective=["priority", "interpreter changes"],
    )
    _, schedule = solved(tmp_path, data)
    assert schedule.stats.scheduled == 4
    assert schedule.stats.terms["interpreter_changes"] == 0
    by_table = {(m.booth, m.interpreters) for m in schedule.meetings}
    assert len(by_table) == 2  # one interpreter per table, all day


def _two_tables_around_a_break(cap=None):
    """Two ko-zh interpreters (one pool) and two Chinese buyers on a day of 09:00-13:30 with a
    break at 11:30: slots 0-4 before it, 5-7 after. B1 meets six firms at slots 0-5, B2 five at
    slots 3-7."""
    from scheduler.model.load import event_from_data

    firms = [f"F{i}" for i in range(1, 12)]
    data = event(
        buyers=[buyer("B1", ("zh",)), buyer("B2", ("zh",))],
        firms=[firm(f, ("ko",)) for f in firms],
        interpreters=[interpreter("I1", max_meetings=cap), interpreter("I2", max_meetings=cap)],
        requests=[{"buyer": "B1" if i < 6 else "B2", "firm": f} for i, f in enumerate(firms)],
    )
    data["event"]["days"] = [{"date": "2026-06-18", "open": "09:00", "close": "13:30",
                              "breaks": [{"start": "11:30", "end": "12:00"}]}]
    problem = compile_problem(event_from_data(data, "event.yaml").event)
    starts = [0, 1, 2, 3, 4, 5] + [3, 4, 5, 6, 7]
    return problem, starts


def test_members_keep_their_tables_across_a_break_within_the_busiest_load():
    # 11 seats for a pool of two: the busiest interpreter has at least 6. I1 at B1's table for
    # its six meetings and I2 at B2's for its five change tables 0 times, the fewest there is, and
    # nobody exceeds 6. Naming the least loaded first at every slot swapped them after the break
    # (both free to take either table there) and then sent one of them across at 12:30.
    from scheduler.solve.model.measure import busiest_interpreter, interpreter_changes
    from scheduler.solve.pipeline.pools import name_members
    from scheduler.solve.result import Placement

    problem, starts = _two_tables_around_a_break()
    (pool,) = [q for q, members in enumerate(problem.interpreter_pools) if len(members) == 2]
    pooled = [(Placement(task, start, ()), (pool,)) for task, start in enumerate(starts)]
    named = name_members(problem, problem.interpreter_pools, pooled)
    assert interpreter_changes(problem, named) == 0
    assert busiest_interpreter(problem, named) == 6


def test_a_members_cap_holds_when_staying_at_a_table_would_break_it():
    # The same day with a cap of 6 each and random seats: at every slot at most two meetings,
    # 12 a day at most. Staying where one sat must never push a member past the cap or past the
    # busiest load the seats force (ceil(seats / 2)), and nobody sits in two places at once.
    import math
    import random
    from collections import Counter

    from scheduler.solve.pipeline.pools import name_members
    from scheduler.solve.result import Placement

    problem, _ = _two_tables_around_a_break(cap=6)
    (pool,) = [q for q, members in enumerate(problem.interpreter_pools) if len(members) == 2]
    for seed in range(200):
        rng = random.Random(seed)
        seats = [(slot, table) for slot in range(8) for table in (0, 1) if rng.random() < 0.7]
        rng.shuffle(seats)
        seats = seats[:rng.randint(1, 12)]
        tasks = {0: iter(range(6)), 1: iter(range(6, 11))}  # B1's requests, B2's
        pooled = []
        for slot, table in seats:
            task = next(tasks[table], None)
            if task is not None:
                pooled.append((Placement(task, slot, ()), (pool,)))
        named = name_members(problem, problem.interpreter_pools, pooled)
        load = Counter(p.interpreters[0] for p in named)
        assert max(load.values()) <= min(6, math.ceil(len(named) / 2)), seed
        assert len({(p.interpreters[0], p.start) for p in named}) == len(named), seed


def test_members_of_a_pool_can_all_stay_on_one_floor(tmp_path):
    # A room with two booths on floor 1 and one on floor 2, reserved at 09:00; three identical
    # interpreters. B1 and B2 meet a firm each at 09:00 and at 09:30, B3 (free only at 09:30) one.
    # At 09:00 both meetings are on floor 1; at 09:30 two are there again and one on floor 2:
    # the two members on floor 1 stay and the third, idle at 09:00, goes up. The model's own
    # minimum with all five placed is then 0 changes; a count that let only one member stay
    # per floor claimed at least 1, above what the naming gives.
    from ortools.sat.python import cp_model

    from scheduler.model.load import event_from_data
    from scheduler.solve.model.measure import interpreter_changes
    from scheduler.solve.model.meetings import MeetingModel
    from scheduler.solve.model.objective import build_level

    seoul = {"timezone": "Asia/Seoul"}
    data = event(
        buyers=[buyer("B1", ("zh",), **seoul), buyer("B2", ("zh",), **seoul),
                buyer("B3", ("zh",), **seoul, available=[{"date": "2026-06-18", "start": "09:30", "end": "10:00"}])],
        firms=[firm(f, ("ko",)) for f in ("F1", "F2", "F3", "F4", "F5")],
        interpreters=[interpreter(i) for i in ("I1", "I2", "I3")],
        requests=[{"buyer": "B1", "firm": "F1"}, {"buyer": "B1", "firm": "F2"},
                  {"buyer": "B2", "firm": "F3"}, {"buyer": "B2", "firm": "F4"}, {"buyer": "B3", "firm": "F5"}],
        reservations=[{"booth": "TC3", "date": "2026-06-18", "start": "09:00", "end": "09:30", "label": "Press"}],
    )
    data["event"].update(kind="teleconference", days=[{"date": "2026-06-18", "open": "09:00", "close": "10:00"}])
    data["booths"] = [{"id": "TC1", "name": "Booth 1", "floor": 1}, {"id": "TC2", "name": "Booth 2", "floor": 1},
                      {"id": "TC3", "name": "Booth 3", "floor": 2}]
    problem = compile_problem(event_from_data(data, "event.yaml").event)
    assert problem.interpreter_pools == ((0, 1, 2),)
    model = MeetingModel(problem)
    for task in range(5):
        model.model.add(model.placed(task) == 1)
    changes, _ = build_level(model, "interpreter changes")
    model.model.minimize(changes)
    solver = cp_model.CpSolver()
    assert solver.solve(model.model) == cp_model.OPTIMAL
    assert round(solver.objective_value) == 0
    assert interpreter_changes(problem, model.placements(solver.value)) == 0
