"""Comfort re-timed a day at a time: a meeting may change its time within its day."""

from __future__ import annotations

from scheduler.model.load import event_from_data
from scheduler.model.problem import compile_problem
from scheduler.solve.pipeline.budget import Budget
from scheduler.solve.searches.days import applies, retime_days
from scheduler.solve.model.measure import measure
from scheduler.solve.model.occupancy import Occupancy
from scheduler.solve.result import Placement

from support import repeatable_solve_apart


def _room() -> dict:
    # Two days of two hour-long slots (0, 1 on the first day; 2, 3 on the second), one floor.
    # The buyers are in Tokyo, at Seoul's time: free all day.
    day = {"open": "09:00", "close": "11:00"}
    return {
        "event": {"name": "Tiny room", "kind": "teleconference", "timezone": "Asia/Seoul", "meeting_minutes": 60,
                  "days": [{"date": "2026-06-18", **day}, {"date": "2026-06-19", **day}]},
        "booths": [{"id": "A", "floor": 1}, {"id": "B", "floor": 1}],
        "buyers": [{"id": "B1", "name": "Buyer 1", "languages": ["th"], "timezone": "Asia/Tokyo"},
                   {"id": "B2", "name": "Buyer 2", "languages": ["en"], "timezone": "Asia/Tokyo"},
                   {"id": "B3", "name": "Buyer 3", "languages": ["ko"], "timezone": "Asia/Seoul"},
                   {"id": "B4", "name": "Buyer 4", "languages": ["en"], "timezone": "Asia/Tokyo"}],
        "firms": [{"id": f"F{n}", "name": f"Firm {n}", "languages": ["ko"]} for n in (1, 2, 3, 4)],
        "interpreters": [
            {"id": "I1", "name": "Shin Eunji", "languages": ["ko", "th"],
             "available": [{"date": "2026-06-18", "start": "09:00", "end": "10:00"}]},
            {"id": "I2", "name": "Kim Minji", "languages": ["ko", "en"]},
            {"id": "I3", "name": "Somchai P.", "languages": ["en", "th"]},
            {"id": "I4", "name": "Lee Seoyeon", "languages": ["ko", "en"],
             "available": [{"date": "2026-06-18", "start": "10:00", "end": "11:00"}]},
        ],
        "requests": [{"buyer": f"B{n}", "firm": f"F{n}"} for n in (1, 2, 3, 4)],
    }


def _keeps_every_rule(problem, placements) -> None:
    replay = Occupancy(problem)
    for placement in placements:
        assert placement.start in problem.tasks[placement.task].starts
        option = problem.tasks[placement.task].options.index(placement.interpreters)
        assert replay.fits(problem.tasks[placement.task], placement.start, option, placement.booth_class)
        replay.place(placement)


def _retimed(problem, start, level):
    def value(chosen, lv):
        weights = {lv: 1} if isinstance(lv, str) else lv
        return sum(w * measure(problem, chosen, name) for name, w in weights.items())
    assert applies(problem, level, ["priority"])
    return retime_days(problem, start, level, ["priority"], value, Budget(20), until=10.0), value


def test_a_relay_becomes_one_interpreter_at_another_time():
    # B1 (Thai) meets F1 at 10:00 by relay (I2 Korean-English, I3 English-Thai): two seats. I1
    # speaks Korean and Thai but only at 9:00, when B2-F2 has I2. Keeping the times, the relay
    # stays; moving B1-F1 to 9:00 with I1 leaves 2 seats for the day's 2 interpreted meetings,
    # the fewest (each needs one). B4-F4 and B3-F3 stay on the second day.
    problem = compile_problem(event_from_data(_room()).event)
    floor = next(c.index for c in problem.booth_classes if c.kind == "floor")
    start = [Placement(0, 1, (1, 2), floor), Placement(1, 0, (1,), floor), Placement(2, 2, (), floor),
             Placement(3, 3, (1,), floor)]
    _keeps_every_rule(problem, start)
    assert measure(problem, start, "interpreter seats") == 4
    found, _ = _retimed(problem, start, "interpreter seats")
    _keeps_every_rule(problem, found)
    assert measure(problem, found, "interpreter seats") == 3
    assert {p.task: problem.slot_day(p.start) for p in found} == {0: 0, 1: 0, 2: 1, 3: 1}


def test_the_busiest_interpreter_is_lowered_on_every_day_that_has_it():
    # I2 interprets B2-F2 at 9:00 and B4-F4 at 10:00 on the first day: the busiest has 2. I4
    # (Korean-English, only at 10:00) can take B4-F4: 1 for everyone, at no extra seat. B1-F1 by
    # I1 at 9:00. Seats 3 (one per interpreted meeting) + busiest 1 = 4, the fewest there is.
    problem = compile_problem(event_from_data(_room()).event)
    floor = next(c.index for c in problem.booth_classes if c.kind == "floor")
    start = [Placement(0, 0, (0,), floor), Placement(1, 0, (1,), floor), Placement(3, 1, (1,), floor),
             Placement(2, 2, (), floor)]
    _keeps_every_rule(problem, start)
    level = {"interpreter seats": 1, "busiest interpreter": 1}
    found, value = _retimed(problem, start, level)
    _keeps_every_rule(problem, found)
    assert value(start, level) == 5
    assert value(found, level) == 4


def test_it_leaves_out_a_plaza_and_a_single_day():
    one_day = _room()
    one_day["event"]["days"] = one_day["event"]["days"][:1]
    problem = compile_problem(event_from_data(one_day).event)
    assert not applies(problem, "interpreter seats", ["priority"])
    two_days = compile_problem(event_from_data(_room()).event)
    assert applies(two_days, "interpreter changes", ["priority", "idle gaps"])
    assert not applies(two_days, "priority", [])  # a level that counts meetings: not re-timed


def _gap_on_the_first_day():
    """(problem, start): two days of three slots (0-2, 3-5); B3 meets F3 at 9:00 and F2 at 11:00
    on the first day, nobody needing an interpreter."""
    data = _room()
    for day in data["event"]["days"]:
        day["close"] = "12:00"
    data["requests"] = [{"buyer": "B3", "firm": "F3"}, {"buyer": "B3", "firm": "F2"}]
    problem = compile_problem(event_from_data(data).event)
    floor = next(c.index for c in problem.booth_classes if c.kind == "floor")
    return problem, [Placement(0, 0, (), floor), Placement(1, 2, (), floor)]


def test_an_idle_gap_closes_within_its_day():
    # Two days of three slots (0-2, 3-5). B3 meets F3 at 9:00 and F2 at 11:00 on the first day:
    # one idle gap, at 10:00, where both are free. Either meeting can move next to the other on
    # that day: 0 idle gaps, the fewest. Nobody needs an interpreter.
    problem, start = _gap_on_the_first_day()
    _keeps_every_rule(problem, start)
    assert measure(problem, start, "idle gaps") == 1
    found, _ = _retimed(problem, start, "idle gaps")
    _keeps_every_rule(problem, found)
    assert measure(problem, found, "idle gaps") == 0
    assert all(problem.slot_day(p.start) == 0 for p in found)


def test_a_gap_no_day_closes_alone_closes_with_another_day():
    # As above, but B3 can meet on the first day only at 9:00 and 11:00 (and all the second day):
    # on the first day alone its two meetings keep their gap (proven there). Re-solved with the
    # second day, one meeting moves to it: 0 idle gaps, the fewest.
    data = _room()
    for day in data["event"]["days"]:
        day["close"] = "12:00"
    b3 = next(b for b in data["buyers"] if b["id"] == "B3")
    b3["available"] = [{"date": "2026-06-18", "start": "09:00", "end": "10:00"},
                       {"date": "2026-06-18", "start": "11:00", "end": "12:00"},
                       {"date": "2026-06-19", "start": "09:00", "end": "12:00"}]
    data["requests"] = [{"buyer": "B3", "firm": "F3"}, {"buyer": "B3", "firm": "F2"}]
    problem = compile_problem(event_from_data(data).event)
    assert problem.tasks[0].starts == (0, 2, 3, 4, 5)
    floor = next(c.index for c in problem.booth_classes if c.kind == "floor")
    start = [Placement(0, 0, (), floor), Placement(1, 2, (), floor)]
    assert measure(problem, start, "idle gaps") == 1
    found, _ = _retimed(problem, start, "idle gaps")
    _keeps_every_rule(problem, found)
    assert measure(problem, found, "idle gaps") == 0
    assert {problem.slot_day(p.start) for p in found} == {0, 1}


def test_the_days_stop_at_the_hard_end_when_no_work_is_counted():
    # A deterministic budget counts CP-SAT's work, not seconds. Past the hard end every day's
    # search stops at once and adds no work, so a loop that waited for the work to reach
    # ``until`` never ended; it must end at the clock's hard end, saying the run was cut.
    import threading
    import time

    problem, start = _gap_on_the_first_day()
    budget = Budget(1, deterministic=True, began=time.perf_counter() - 60)  # the hard end long past

    def value(chosen, lv):
        return measure(problem, chosen, lv)

    done = []
    worker = threading.Thread(target=lambda: done.append(
        retime_days(problem, start, "idle gaps", ["priority"], value, budget, until=budget.limit)), daemon=True)
    worker.start()
    worker.join(timeout=20)
    assert done, "re-solving the days did not stop at the hard end"
    assert done[0] == start and budget.wall_stopped


def test_a_repeatable_solve_that_asks_a_day_with_a_less_busy_interpreter_completes():
    # Three one-request days, two booths: comfort re-solves a day with its busiest interpreter one
    # lower than the schedule's. Started from the schedule, which breaks that, interleaved workers
    # made CP-SAT 9.15 abort the whole process on the day it refuted.
    done = repeatable_solve_apart("generate_teleconference", dict(
        days=3, booths=2, requests_per_day=1, seed=14,
        traits=frozenset({"half-day", "interpreter-none", "remote-windows", "reservations"})))
    assert done.returncode == 0, done.stderr[-2000:]
