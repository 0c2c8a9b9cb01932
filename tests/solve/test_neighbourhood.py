"""Priority by parts (LNS): a part re-solved exactly never loses priority and repairs what the
greedy order gets wrong; parts around the least-served firms raise them at the same priority."""

from __future__ import annotations

from scheduler.model.load import event_from_data
from scheduler.model.problem import compile_problem
from scheduler.solve.pipeline.budget import Budget
from scheduler.solve.searches.greedy import greedy
from scheduler.solve.model.measure import measure_all
from scheduler.solve.searches.parts import improve_priority, raise_least_served
from scheduler.solve.model.occupancy import Occupancy
from test_objective import buyer, event, firm, window


def _two_wishes():
    """The event of the first test, with greedy's schedule (5) and tables."""
    data = event(buyers=[buyer("B1")],
                 firms=[firm("F1"), firm("F2", available=window("09:00", "09:30"))],
                 requests=[{"buyer": "B1", "firm": "F1", "priority": 5}, {"buyer": "B1", "firm": "F2", "priority": 4}])
    data["event"]["days"] = [{"date": "2026-06-18", "open": "09:00", "close": "10:00"}]
    problem = compile_problem(event_from_data(data, "event.yaml").event)
    return (problem, *greedy(problem))


def test_a_part_repairs_the_greedy_order():
    # Two slots (09:00, 09:30). B1 wishes F1 (priority 5, free both slots) and F2 (priority 4,
    # free at 09:00 only). Greedy places the higher priority first at its earliest slot, B1-F1 at
    # 09:00, and F2 then has no slot: 5. Both fit (F2 at 09:00, F1 at 09:30): 9, all that was
    # wished, so 9 is the optimum; the part (B1's requests) is solved exactly and finds it.
    problem, start, tables = _two_wishes()
    assert sum(problem.tasks[p.task].priority for p in start) == 5
    for budget in (Budget(10), Budget(10, deterministic=True)):
        better = improve_priority(problem, start, tables, budget, until=10, bound=9)
        assert sum(problem.tasks[p.task].priority for p in better) == 9
    _keeps_every_rule(problem, better, tables)


def _keeps_every_rule(problem, placements, tables) -> None:
    replay = Occupancy(problem, tables)
    for placement in sorted(placements, key=lambda p: p.start):
        option = problem.tasks[placement.task].options.index(placement.interpreters)
        assert replay.fits(problem.tasks[placement.task], placement.start, option, placement.booth_class)
        replay.place(placement)


def test_a_bound_heard_later_stops_the_parts_when_it_is_met():
    # The instance above: 9 is its optimum. The bound is not known at first (None), then 9; once
    # the part has found 9 the search stops there, not after STALL_SECONDS (15 s) of parts that
    # cannot gain anything.
    problem, start, tables = _two_wishes()
    asked = []

    def bound():
        asked.append(True)
        return None if len(asked) == 1 else 9
    budget = Budget(60)
    better = improve_priority(problem, start, tables, budget, until=60, bound=bound)
    assert sum(problem.tasks[p.task].priority for p in better) == 9
    assert len(asked) >= 2 and budget.spent() < 10


def test_parts_raise_the_least_served_firm_at_the_same_priority():
    # Two slots; B1 wishes F1 and F2, B2 wishes F1, F2 and F3, all at priority 3. Four meetings
    # fill both buyers' slots: 12 is the most priority. Greedy gives B2 F1 and F2 (F1 at 09:30,
    # after B1), so F3 has none: least-served 0. F3 wished one meeting, so 1 is the most it can
    # have (the bound a solve passes as ``most``), and 1 is reached at 12 with B2 meeting F3 in
    # place of F1 or F2: the optimum of the level. Parts (HiGHS, and CP-SAT when the run must
    # repeat exactly) find it without losing priority or breaking a rule.
    data = event(buyers=[buyer("B1"), buyer("B2")], firms=[firm("F1"), firm("F2"), firm("F3")],
                 requests=[{"buyer": b, "firm": f, "priority": 3}
                           for b, f in (("B1", "F1"), ("B1", "F2"), ("B2", "F1"), ("B2", "F2"), ("B2", "F3"))])
    data["event"]["days"] = [{"date": "2026-06-18", "open": "09:00", "close": "10:00"}]
    problem = compile_problem(event_from_data(data, "event.yaml").event)
    start, tables = greedy(problem)
    assert measure_all(problem, start)["least-served firm"] == 0
    assert measure_all(problem, start)["priority"] == 12
    for budget in (Budget(10), Budget(10, deterministic=True)):
        better = raise_least_served(problem, start, tables, budget, until=budget.units(10), most=1)
        assert measure_all(problem, better)["least-served firm"] == 1
        assert measure_all(problem, better)["priority"] == 12
        assert len({p.task for p in better}) == len(better)
        _keeps_every_rule(problem, better, tables)
