"""The brokerage idle-gap search: Kempe-chain moves keep every rule and close idle gaps."""

from __future__ import annotations

import random
import threading
import time
from pathlib import Path

from scheduler.generate import TRAITS, generate_brokerage, generate_plaza, generate_teleconference
from scheduler.model.load import event_from_data, load_event
from scheduler.model.problem import compile_problem
from scheduler.solve.pipeline.budget import Budget, Deadline
from scheduler.solve.searches.kempe import _Day, applies, compact, compact_in_parallel, split_by_days
from scheduler.solve.searches.greedy import greedy
from scheduler.solve.model.measure import measure_all, meetings_to_keep
from scheduler.solve.model.occupancy import Occupancy
from scheduler.solve.result import Placement
from test_brokerage import brokerage, person

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def _keeps_every_rule(problem, placements, tables=None) -> None:
    assert sorted(p.task for p in placements) == [t.index for t in problem.tasks]
    replay = Occupancy(problem, tables)
    for placement in placements:
        option = problem.tasks[placement.task].options.index(placement.interpreters)
        assert replay.fits(problem.tasks[placement.task], placement.start, option, placement.booth_class)
        replay.place(placement)


def _traded_within_the_rules(problem, start, better, tables, keep) -> None:
    """After trades: requests did give way, each request is met at most once, idle gaps fell, the
    priority and the number of meetings are the same, every meeting fits around the ones before it
    (people and their caps, interpreters and their daily caps, reserved tables, booths), and nobody has
    fewer meetings than ``keep`` says."""
    before, after = measure_all(problem, start), measure_all(problem, better)
    assert {p.task for p in better} != {p.task for p in start}
    assert len({p.task for p in better}) == len(better)
    assert after["idle gaps"] < before["idle gaps"]
    assert after["priority"] == before["priority"] and len(better) == len(start)
    replay = Occupancy(problem, tables)
    for placement in better:
        task = problem.tasks[placement.task]
        assert replay.fits(task, placement.start, task.options.index(placement.interpreters), placement.booth_class)
        replay.place(placement)
    assert all(replay.person_count[person] >= least for person, least in keep.items())


def test_a_gap_in_a_star_is_closed(tmp_path):
    # Five slots, one table. A meets B, C, D and E, placed at slots 0, 1, 3 and 4: one idle gap
    # (slot 2). Moving any end meeting into slot 2 closes it; 0 is the fewest possible.
    problem = compile_problem(load_event(brokerage(tmp_path, [person(x) for x in "ABCDE"],
                                                   [{"between": ["A", x], "required": True} for x in "BCDE"],
                                                   tables=1)).event)
    assert applies(problem)
    pool = problem.tasks[0].classes[0]
    start = [Placement(task, slot, (), pool) for task, slot in zip(range(4), (0, 1, 3, 4))]
    assert measure_all(problem, start)["idle gaps"] == 1
    better = compact(problem, start, Budget(5).deadline(5))
    assert measure_all(problem, better)["idle gaps"] == 0
    _keeps_every_rule(problem, better)


def test_a_generated_day_keeps_every_rule_and_loses_gaps():
    data = generate_brokerage(participants=30, meetings=80, slots=12, tables=10, seed=3)
    problem = compile_problem(event_from_data(data).event)
    start, _ = greedy(problem)
    assert len(start) == len(problem.tasks)  # greedy places all here; the search needs a full day
    before = measure_all(problem, start)["idle gaps"]
    # A deterministic step budget: every run takes the same moves.
    better = compact(problem, start, Budget(10, deterministic=True).deadline(1.0), seed=0)
    _keeps_every_rule(problem, better)
    assert measure_all(problem, better)["idle gaps"] < before


def test_a_search_stops_once_another_search_of_the_day_reached_the_floor():
    # The flag is set before the search starts: it stops at its first look (every 500 moves),
    # long before its 30 s, with the day it has and every rule kept.
    data = generate_brokerage(participants=30, meetings=80, slots=12, tables=10, seed=3)
    problem = compile_problem(event_from_data(data).event)
    start, _ = greedy(problem)
    settled = threading.Event()
    settled.set()
    began = time.perf_counter()
    found = compact(problem, start, Budget(60).deadline(30), seed=0, floor=0, settled=settled)
    assert time.perf_counter() - began < 5
    _keeps_every_rule(problem, found)


def test_a_search_that_reaches_the_floor_tells_the_others():
    # A floor one below the greedy day's gaps: the search reaches it, stops and sets the flag the
    # searches from other seeds look at.
    data = generate_brokerage(participants=30, meetings=80, slots=12, tables=10, seed=3)
    problem = compile_problem(event_from_data(data).event)
    start, _ = greedy(problem)
    floor = measure_all(problem, start)["idle gaps"] - 1
    settled = threading.Event()
    found = compact(problem, start, Budget(60).deadline(30), seed=0, floor=floor, settled=settled)
    assert measure_all(problem, found)["idle gaps"] <= floor
    assert settled.is_set()


def test_a_plaza_gap_is_closed_with_the_interpreter_moving_along(tmp_path):
    # Three slots. B1 (Chinese) meets F1 at 0 and F2 at 2 through I1, the only Chinese
    # interpreter: one idle gap. At 1, I1 interprets B3-F3. B1-F2 can only go to 1 if B3-F3 takes
    # its place at 2 (the Kempe chain through I1): then nobody has a gap (0, the fewest), and I1
    # is never in two meetings at once.
    data = {
        "event": {"name": "Tiny plaza", "kind": "plaza", "timezone": "Asia/Seoul", "meeting_minutes": 30,
                  "days": [{"date": "2026-06-18", "open": "09:00", "close": "10:30"}]},
        "booths": {"count": 3, "prefix": "T"},
        "buyers": [{"id": f"B{n}", "name": f"Buyer {n}", "languages": ["zh"]} for n in (1, 3)],
        "firms": [{"id": f"F{n}", "name": f"Firm {n}", "languages": ["ko"]} for n in (1, 2, 3)],
        "interpreters": [{"id": "I1", "name": "Park Junho", "languages": ["ko", "zh"]}],
        "requests": [{"buyer": "B1", "firm": "F1"}, {"buyer": "B1", "firm": "F2"}, {"buyer": "B3", "firm": "F3"}],
    }
    problem = compile_problem(event_from_data(data).event)
    start = [Placement(0, 0, (0,), None), Placement(1, 2, (0,), None), Placement(2, 1, (0,), None)]
    tables = {problem.tasks[0].people[1]: "T01", problem.tasks[2].people[1]: "T02"}
    assert measure_all(problem, start)["idle gaps"] == 1
    better = compact(problem, start, Budget(5).deadline(5), tables=tables)
    assert measure_all(problem, better)["idle gaps"] == 0
    _keeps_every_rule(problem, better, tables)


def test_a_plaza_gap_that_only_other_interpreters_close(tmp_path):
    # Three slots. B1 (Chinese) meets F1 at 0 and F2 at 2 through I1: one idle gap. At 1, I1
    # interprets B3-F3, which cannot move (F3 is there only then), and I2, the other Chinese
    # interpreter, interprets B4-F4 and may take no other meeting (max_meetings 1). No Kempe
    # chain alone closes the gap: a B1 meeting at 1 needs I1 free then. Once B3-F3 and B4-F4
    # trade interpreters, B4-F4 (now with I1) can leave slot 1 for a B1 meeting: 0 idle gaps,
    # the fewest, with I2 still at one meeting.
    data = {
        "event": {"name": "Tiny plaza", "kind": "plaza", "timezone": "Asia/Seoul", "meeting_minutes": 30,
                  "days": [{"date": "2026-06-18", "open": "09:00", "close": "10:30"}]},
        "booths": {"count": 3, "prefix": "T"},
        "buyers": [{"id": f"B{n}", "name": f"Buyer {n}", "languages": ["zh"]} for n in (1, 3, 4)],
        "firms": [{"id": f"F{n}", "name": f"Firm {n}", "languages": ["ko"]} for n in (1, 2, 4)]
        + [{"id": "F3", "name": "Firm 3", "languages": ["ko"],
            "available": [{"date": "2026-06-18", "start": "09:30", "end": "10:00"}]}],
        "interpreters": [{"id": "I1", "name": "Park Junho", "languages": ["ko", "zh"]},
                         {"id": "I2", "name": "Choi Yuna", "languages": ["ko", "zh"], "max_meetings": 1}],
        "requests": [{"buyer": "B1", "firm": "F1"}, {"buyer": "B1", "firm": "F2"}, {"buyer": "B3", "firm": "F3"},
                     {"buyer": "B4", "firm": "F4"}],
    }
    problem = compile_problem(event_from_data(data).event)
    assert problem.tasks[2].starts == (1,)
    start = [Placement(0, 0, (0,), None), Placement(1, 2, (0,), None), Placement(2, 1, (0,), None),
             Placement(3, 1, (1,), None)]
    tables = {problem.tasks[t].people[1]: f"T0{n}" for n, t in enumerate((0, 2, 3), start=1)}
    assert measure_all(problem, start)["idle gaps"] == 1
    better = compact(problem, start, Budget(5).deadline(5), tables=tables)
    assert measure_all(problem, better)["idle gaps"] == 0
    _keeps_every_rule(problem, better, tables)


def test_a_plaza_gap_closed_by_a_request_of_the_same_priority(tmp_path):
    # Three slots; every request priority 3. B1 may have two meetings (max_meetings 2): F1, who
    # is there only at 0, and F2 at 2. F2 cannot come to B1 at 1: it meets B2 then, who is there
    # only at 1. So B1 has an idle gap whatever the times. B1-F3 (not placed, F3 free all day)
    # may take B1-F2's place: the same priority, F2 keeps its meeting with B2, and then B1-F3
    # moves to 1. 0 idle gaps, the fewest; without the trade the gap stays (1), and so it does
    # when F2 must keep both its meetings.
    def window(start, end):
        return [{"date": "2026-06-18", "start": start, "end": end}]

    data = {
        "event": {"name": "Tiny plaza", "kind": "plaza", "timezone": "Asia/Seoul", "meeting_minutes": 30,
                  "days": [{"date": "2026-06-18", "open": "09:00", "close": "10:30"}]},
        "booths": {"count": 2, "prefix": "T"},
        "buyers": [{"id": "B1", "name": "Buyer 1", "languages": ["ko"], "max_meetings": 2},
                   {"id": "B2", "name": "Buyer 2", "languages": ["ko"], "available": window("09:30", "10:00")}],
        "firms": [{"id": "F1", "name": "Firm 1", "languages": ["ko"], "available": window("09:00", "09:30")},
                  {"id": "F2", "name": "Firm 2", "languages": ["ko"]},
                  {"id": "F3", "name": "Firm 3", "languages": ["ko"]}],
        "requests": [{"buyer": "B1", "firm": "F1", "priority": 3}, {"buyer": "B1", "firm": "F2", "priority": 3},
                     {"buyer": "B2", "firm": "F2", "priority": 3}, {"buyer": "B1", "firm": "F3", "priority": 3}],
    }
    problem = compile_problem(event_from_data(data).event)
    start = [Placement(0, 0, (), None), Placement(1, 2, (), None), Placement(2, 1, (), None)]
    tables = {problem.tasks[0].people[1]: "T01", problem.tasks[2].people[1]: "T02"}
    assert measure_all(problem, start)["idle gaps"] == 1
    keep = meetings_to_keep(problem, start, {"priority", "firms met", "least-served firm"})
    firm2 = problem.tasks[1].people[0]
    assert keep[firm2] == 1  # the least-served firm (F3) has none
    better = compact(problem, start, Budget(5).deadline(2), tables=tables, keep=keep)
    assert measure_all(problem, better)["idle gaps"] == 0
    assert sorted(p.task for p in better) == [0, 2, 3]
    replay = Occupancy(problem, tables)
    for placement in better:
        assert replay.fits(problem.tasks[placement.task], placement.start, 0, None)
        replay.place(placement)
    for trade in (None, {**keep, firm2: 2}):
        same = compact(problem, start, Budget(5).deadline(0.5), tables=tables, keep=trade)
        assert measure_all(problem, same)["idle gaps"] == 1


def test_the_daegu_plaza_keeps_every_rule_and_its_levels_when_requests_give_way():
    # From greedy's day, with interpreters changing hands and requests of the same priority taking
    # meetings' places: every meeting still fits around the others (people, interpreters and their
    # daily caps, reserved tables), priority is the same, and no firm falls below what it keeps.
    problem = compile_problem(load_event(SCENARIOS / "daegu-plaza.yaml").event)
    start, tables = greedy(problem)
    keep = meetings_to_keep(problem, start, {"priority", "firms met", "least-served firm"})
    better = compact(problem, start, Budget(10, deterministic=True).deadline(2.0), seed=1, tables=tables, keep=keep)
    _traded_within_the_rules(problem, start, better, tables, keep)


def _one_morning_room(booths: int) -> dict:
    """Three one-hour slots (09:00-12:00) and ``booths`` booths on one floor. B1 meets F1 and F2;
    B2 meets F3 and is there only at 10:00."""
    def person(id_, **more):
        return {"id": id_, "name": id_, "languages": ["ko"], "timezone": "Asia/Seoul", **more}
    return {"event": {"name": "One morning", "kind": "teleconference", "timezone": "Asia/Seoul", "meeting_minutes": 60,
                      "days": [{"date": "2026-06-15", "open": "09:00", "close": "12:00"}]},
            "booths": [{"id": f"A{n}", "floor": 1} for n in range(1, booths + 1)],
            "buyers": [person("B1"),
                       person("B2", available=[{"date": "2026-06-15", "start": "10:00", "end": "11:00"}])],
            "firms": [person(f"F{n}") for n in (1, 2, 3)],
            "requests": [{"buyer": "B1", "firm": "F1"}, {"buyer": "B1", "firm": "F2"}, {"buyer": "B2", "firm": "F3"}]}


def test_a_room_gap_is_closed_only_where_a_booth_is_free():
    # B1 meets F1 at 09:00 and F2 at 11:00 (one idle gap); B2-F3 can only be at 10:00. With one
    # booth, 10:00 is taken by B2-F3, so B1's two meetings must be at 09:00 and 11:00: 1 is the
    # fewest, and the search must not squeeze a second meeting into the booth. With two booths,
    # B1-F2 moves to 10:00 beside it: 0.
    for booths, fewest in ((1, 1), (2, 0)):
        problem = compile_problem(event_from_data(_one_morning_room(booths)).event)
        floor = problem.tasks[0].classes[0]
        start = [Placement(0, 0, (), floor), Placement(1, 2, (), floor), Placement(2, 1, (), floor)]
        assert measure_all(problem, start)["idle gaps"] == 1
        better = compact(problem, start, Budget(5).deadline(0.5))
        assert measure_all(problem, better)["idle gaps"] == fewest
        _keeps_every_rule(problem, better)


def test_a_room_gap_is_closed_in_a_booth_on_another_floor():
    # One booth on each of two floors. B1 meets F1 at 09:00 and F2 at 11:00 (one idle gap) and
    # B2-F3 can only be at 10:00; all three start on floor 1. A one-slot meeting may take a booth on
    # any floor, so B1's meeting moves to 10:00 on floor 2: 0. With B3-F4 also only at 10:00, both
    # booths are taken then and the gap stays: 1.
    for crowded, fewest in ((False, 0), (True, 1)):
        data = _one_morning_room(2)
        data["booths"][1]["floor"] = 2
        if crowded:
            data["buyers"].append(dict(data["buyers"][1], id="B3", name="B3"))
            data["firms"].append(dict(data["firms"][0], id="F4", name="F4"))
            data["requests"].append({"buyer": "B3", "firm": "F4"})
        problem = compile_problem(event_from_data(data).event)
        first, second = (pool.index for pool in problem.booth_classes if pool.kind == "floor")
        start = [Placement(0, 0, (), first), Placement(1, 2, (), first), Placement(2, 1, (), first)]
        start += [Placement(3, 1, (), second)] if crowded else []
        assert measure_all(problem, start)["idle gaps"] == 1
        better = compact(problem, start, Budget(5).deadline(0.5))
        assert measure_all(problem, better)["idle gaps"] == fewest
        _keeps_every_rule(problem, better)


def test_a_teleconference_week_keeps_its_booths_and_every_rule_when_retimed():
    # Two days of a room with every trait (meetings longer than a slot, remote buyers' windows,
    # reserved booths, pinned and required requests), four booths on two floors so that they run
    # short: from greedy's schedule, re-timed
    # with interpreters changing hands and requests of the same priority taking meetings' places,
    # every meeting still fits around the others, booths per floor and class included.
    data = generate_teleconference(days=2, requests_per_day=70, seed=3, booths=4,
                                   traits=frozenset(TRAITS["teleconference"]))
    problem = compile_problem(event_from_data(data).event)
    start, tables = greedy(problem)
    assert any(problem.tasks[p.task].length > 1 for p in start)  # the classes' booths are counted too
    keep = meetings_to_keep(problem, start, {"priority", "firms met", "least-served firm"})
    better = compact(problem, start, Budget(10, deterministic=True).deadline(1.0), seed=1, tables=tables, keep=keep)
    _traded_within_the_rules(problem, start, better, tables, keep)


def test_a_move_changes_the_energy_by_what_it_announced():
    # A move is judged before it is made (_Day.change) and only made if taken (_Day.swap): every
    # taken move must change the day by exactly what was announced, and the day's records (busy
    # slots, gaps) must stay what they would be if read again from scratch.
    problem = compile_problem(load_event(SCENARIOS / "daegu-plaza.yaml").event)
    start, tables = greedy(problem)
    day = _Day(problem, start, tables)
    rng = random.Random(4)
    kept, swapped = sorted(day.kept), 0
    for _ in range(3000):
        meeting = rng.choice(kept)
        b = rng.choice(sorted(day.allowed[meeting]) or [day.slot[meeting]])
        a = day.slot[meeting]
        chain = day.chain(meeting, b) if b != a else None
        delta = day.change(chain, a, b) if chain else None
        if delta is None:
            continue
        energy = sum(day.energy)
        day.swap(chain, a, b)
        swapped += 1
        assert abs(sum(day.energy) - energy - delta) < 1e-9
    assert swapped > 500
    masks = [sum(1 << t for t in where) for where in day.at[:day.people]]
    assert day.mask == masks
    assert day.total == sum(day.gaps) == measure_all(problem, day.placements())["idle gaps"]


def _capped_plaza(days: int, seed: int, cap: int):
    """A generated plaza of 10 buyers and 30 firms, each firm at most ``cap`` meetings: the problem,
    greedy's day and tables, and the meetings each firm keeps after the meeting-count levels."""
    data = generate_plaza(buyers=10, firms=30, days=days, seed=seed)
    for firm in data["firms"]:
        firm["max_meetings"] = cap
    problem = compile_problem(event_from_data(data).event)
    start, tables = greedy(problem)
    return problem, start, tables, meetings_to_keep(problem, start, {"priority", "firms met", "least-served firm"})


def test_two_days_searched_apart_keep_every_event_wide_rule():
    # Two days, each searched in its own process: every firm may have at most 3 meetings over both
    # days and must keep what the levels need, and a request may come in on one day only. Together
    # the days must keep every rule (people's caps, interpreters' daily caps, nobody twice at once),
    # the same priority, every firm's meetings, and each request at most once.
    problem, start, tables, keep = _capped_plaza(days=2, seed=5, cap=3)
    assert {problem.slot_day(p.start) for p in start} == {0, 1}
    deadline = Budget(10, deterministic=True).deadline(2.0)
    better = compact_in_parallel(problem, start, deadline, seed=2, tables=tables, keep=keep, workers=2)
    _traded_within_the_rules(problem, start, better, tables, keep)
    # The steps the search here took are the caller's to charge (Budget.charge_steps).
    assert 0 < deadline.used() <= deadline.steps


def _two_day_forum():
    """A two-day forum of 20-minute meetings, three slots a day (09:00, 09:20, 09:40). On the first
    day A meets B and C back to back: no idle gap, nothing to search. On the second A meets D, who
    is there at 09:00 only, and E, who is away at 09:20: A's gap at 09:20 cannot be closed, and a
    search of that day runs to the end of its allowance. With the meetings as placed."""
    day = {"open": "09:00", "close": "10:00"}

    def at(date, *spans):
        return [{"date": date, "start": start, "end": end} for start, end in spans]
    first, second = "2026-05-12", "2026-05-13"
    people = [person("A"), person("B", available=at(first, ("09:00", "10:00"))),
              person("C", available=at(first, ("09:00", "10:00"))),
              person("D", available=at(second, ("09:00", "09:20"))),
              person("E", available=at(second, ("09:00", "09:20"), ("09:40", "10:00")))]
    data = {"event": {"name": "Two-day forum", "kind": "brokerage", "timezone": "Europe/Madrid",
                      "meeting_minutes": 20, "days": [{"date": first, **day}, {"date": second, **day}]},
            "booths": {"count": 2, "prefix": "M"}, "participants": people,
            "requests": [{"between": ["A", x], "required": True} for x in "BCDE"]}
    problem = compile_problem(event_from_data(data).event)
    pool = problem.tasks[0].classes[0]
    placed = [Placement(task, slot, (), pool) for task, slot in zip(range(4), (0, 1, 3, 5))]
    assert [problem.slot_day(p.start) for p in placed] == [0, 0, 1, 1]
    assert measure_all(problem, placed)["idle gaps"] == 1
    return problem, placed


def test_days_searched_apart_are_charged_the_longest_search_and_where_the_clock_stopped_it():
    # The first day is searched here and ends at once; the second, in a process of its own, runs
    # all its steps. They ran side by side: the caller must be charged the longer search's steps,
    # not this one's, and told where the clock stopped the other, or a repeatable solve would
    # count less work than it did and claim to repeat where the clock cut it.
    problem, placed = _two_day_forum()
    counted = Budget(10, deterministic=True).deadline(0.001)
    assert counted.steps > 0
    compact_in_parallel(problem, placed, counted, workers=2)
    assert counted.used() == counted.steps
    assert not counted.clock_stopped
    late = Deadline(steps=100_000, wall=time.perf_counter() - 1.0)  # the hard end has passed
    compact_in_parallel(problem, placed, late, workers=2)
    assert late.clock_stopped


def test_days_dealt_into_parts_cannot_overrun_a_cap_or_a_floor_together():
    # Three days dealt into 2 and 3 parts: whatever each part ends with between its floor and its
    # cap, a person's meetings over all parts stay within its own cap and at or above what it must
    # keep; each part starts within its own bounds; a request not placed may come in in one part.
    problem, start, _, keep = _capped_plaza(days=3, seed=6, cap=4)
    placed = {p.task for p in start}
    for count in (2, 3):
        parts = split_by_days(problem, start, keep, count)
        assert sorted(d for part in parts for d in part.days) == [0, 1, 2]
        assert sorted(p.task for part in parts for p in part.placements) == sorted(placed)
        for person in problem.people:
            cap = person.record.max_meetings
            mine = [sum(1 for p in part.placements if person.index in problem.tasks[p.task].people) for part in parts]
            if cap is not None:
                assert sum(part.caps[person.index] for part in parts) <= cap
                assert all(n <= part.caps[person.index] for n, part in zip(mine, parts))
            if person.index in keep:
                assert sum(part.keep[person.index] for part in parts) >= keep[person.index]
                assert all(part.keep[person.index] <= n for n, part in zip(mine, parts))
        requests = [r for part in parts for r in part.requests]
        assert len(requests) == len(set(requests)) and not placed & set(requests)
        assert any(sum(part.caps[f] for part in parts) == 4 > sum(1 for p in start if f in problem.tasks[p.task].people)
                   for f in (x.index for x in problem.people if x.record.max_meetings == 4))  # spare meetings exist


def test_one_day_on_two_workers_keeps_the_better_of_two_searches():
    # A day of one part and two workers: the day is searched from seeds 3 and 4 at once, with the
    # same count of steps each, and the day with fewer idle gaps is kept. Steps make each search
    # the same as alone, so the result must be exactly the better of the two searched alone.
    problem = compile_problem(load_event(SCENARIOS / "daegu-plaza.yaml").event)
    start, tables = greedy(problem)

    def deadline():
        return Budget(10, deterministic=True).deadline(0.5)
    alone = [compact(problem, start, deadline(), seed=seed, tables=tables) for seed in (3, 4)]
    gaps = [measure_all(problem, day)["idle gaps"] for day in alone]
    assert gaps[0] != gaps[1]
    both = compact_in_parallel(problem, start, deadline(), seed=3, tables=tables, workers=2)
    assert set(both) == set(alone[gaps.index(min(gaps))])


def test_a_short_allowance_is_searched_here_and_a_long_one_in_processes_too(monkeypatch):
    # A search in a process of its own starts about 0.7 s late, which searches side by side win
    # back only with more time than that: a repeatable solve of 1 s (0.12 work units in all) gives
    # the chains less than PARALLEL_FROM_SECONDS and searches here on one worker; one of 10 s gives
    # them more and deals the two days to two workers. Repeatable, so the choice is the same on
    # any machine; the hard end is moved out of reach, so that a busy machine running the other
    # tests does not stop the levels before the chains.
    import scheduler.solve.methods.kempe as methods
    import scheduler.solve.pipeline.budget as budget
    from scheduler.check import check_schedule
    from scheduler.solve import Stop, solve, to_schedule

    event = event_from_data(generate_plaza(buyers=10, firms=30, days=2, seed=5)).event
    problem = compile_problem(event)
    workers: list[int] = []

    def spied(problem, placements, deadline, **given):
        workers.append(given["workers"])
        return compact_in_parallel(problem, placements, deadline, **given)
    monkeypatch.setattr(methods, "compact_in_parallel", spied)
    monkeypatch.setattr(budget, "OVERRUN_SECONDS", 120.0)
    for limit, expected in ((1, [1]), (10, [2])):
        workers.clear()
        result = solve(problem, Stop(time_limit=limit, deterministic=True, workers=2))
        assert workers == expected, limit
        assert check_schedule(event, to_schedule(problem, result)) == []
