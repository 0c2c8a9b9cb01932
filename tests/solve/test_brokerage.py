"""Brokerage events: every wished meeting must happen; fewest idle gaps, proven."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from scheduler.model.errors import EventError
from scheduler.model.load import load_event
from support import solve_checked

EXAMPLES = Path(__file__).parents[2] / "examples"


solved = solve_checked


def brokerage(tmp_path: Path, participants: list[dict], requests: list[dict], tables: int = 2,
              close: str = "10:40") -> Path:
    data = {
        "event": {"name": "Tiny forum", "kind": "brokerage", "timezone": "Europe/Madrid", "meeting_minutes": 20,
                  "days": [{"date": "2026-05-12", "open": "09:00", "close": close}]},
        "booths": {"count": tables, "prefix": "M"},
        "participants": participants,
        "requests": requests,
    }
    path = tmp_path / "forum.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def person(id_: str, **more) -> dict:
    return {"id": id_, "name": f"Person {id_}", "languages": ["en"], **more}


def test_mini_brokerage_has_exactly_one_idle_gap():
    # Slots: 09:00 09:25 09:50 10:15 10:40 | coffee | 11:30 11:55 12:20 12:45 (9 in all; the coffee
    # break removes no grid slot, so 10:40 and 11:30 are back to back). P8 has four meetings:
    # with P5 pinned at 09:00 (slot 1), with P7 only after the coffee (slot 6 or later). Four
    # meetings cannot cover slots 1..6 without a hole, so P8 has at least one idle gap; the solver
    # proves one is also enough for everybody together.
    result, schedule = solved(EXAMPLES / "mini-brokerage.yaml")
    assert result.status == "optimal"
    assert len(schedule.meetings) == 12 and not schedule.unscheduled
    assert schedule.stats.idle_gaps == 1
    assert result.term("idle gaps").bound == 1


def test_a_star_packs_without_gaps(tmp_path):
    # Five slots, A meets B, C, D, E: they fit back to back (4 consecutive slots), 0 idle gaps.
    path = brokerage(tmp_path, [person(x) for x in "ABCDE"],
                     [{"between": ["A", x], "required": True} for x in "BCDE"])
    result, schedule = solved(path)
    assert result.status == "optimal" and schedule.stats.idle_gaps == 0


def test_a_forbidden_slot_forces_one_gap(tmp_path):
    # Slots 09:00 09:20 09:40 10:00 10:20. A has three meetings and is away 09:45-10:10, so A can
    # use slots 1-2 and 5 only; three meetings need both stretches: exactly one idle gap.
    path = brokerage(tmp_path, [
        person("A", available=[{"date": "2026-05-12", "start": "09:00", "end": "09:45"},
                               {"date": "2026-05-12", "start": "10:10", "end": "10:40"}]),
        person("B"), person("C"), person("D")],
        [{"between": ["A", x], "required": True} for x in "BCD"])
    result, schedule = solved(path)
    assert result.status == "optimal" and schedule.stats.idle_gaps == 1


def test_two_gaps_from_pins_worked_out_by_hand(tmp_path):
    # Slots 09:00 09:20 09:40 10:00 10:20 10:40. A meets B pinned at 09:00 (slot 1) and C pinned
    # at 10:00 (slot 4); D is free only 10:20-10:40 (slot 5), so A has slots 1, 4, 5: one gap.
    # B is free only in slots 1-2 and slot 1 is A-B, so B-C is in slot 2; C then has slots 2
    # and 4: one gap. B and D have none. Total exactly 2.
    path = brokerage(tmp_path, [
        person("A"),
        person("B", available=[{"date": "2026-05-12", "start": "09:00", "end": "09:45"}]),
        person("C"),
        person("D", available=[{"date": "2026-05-12", "start": "10:20", "end": "10:40"}]),
    ], [
        {"between": ["A", "B"], "required": True, "pinned": {"start": "2026-05-12T09:00"}},
        {"between": ["A", "C"], "required": True, "pinned": {"start": "2026-05-12T10:00"}},
        {"between": ["A", "D"], "required": True},
        {"between": ["B", "C"], "required": True},
    ], close="11:00")
    result, schedule = solved(path)
    assert result.status == "optimal" and schedule.stats.idle_gaps == 2


def test_a_required_meeting_that_cannot_be_placed_is_infeasible_with_the_reason(tmp_path):
    # B and C have no common time: their required meeting can never take place.
    path = brokerage(tmp_path, [
        person("A"),
        person("B", available=[{"date": "2026-05-12", "start": "09:00", "end": "09:45"}]),
        person("C", available=[{"date": "2026-05-12", "start": "10:10", "end": "10:40"}]),
    ], [{"between": ["A", "B"], "required": True}, {"between": ["B", "C"], "required": True}])
    result, schedule = solved(path)
    assert schedule.status == "infeasible"
    reasons = {tuple(u.between): u.reason for u in schedule.unscheduled}
    assert reasons[("B", "C")] == "required, but B and C are never available at the same time"


def test_required_meetings_over_a_cap_are_infeasible_because_of_the_cap(tmp_path):
    # A may have one meeting and two are required; the day has time for both, so the reason is
    # the cap, not the time available; B's meeting with C is not attempted. Counted before any
    # search: a larger day took the whole limit to end with a list of 30 meetings.
    path = brokerage(tmp_path, [person("A", max_meetings=1), person("B"), person("C")],
                     [{"between": ["A", "B"], "required": True}, {"between": ["C", "A"], "required": True},
                      {"between": ["B", "C"]}])
    result, schedule = solved(path)
    assert schedule.status == "infeasible" and result.seconds < 1
    reasons = {tuple(u.between): u.reason for u in schedule.unscheduled}
    over = "required, but A may have at most 1 meeting (max_meetings), and 2 of its meetings are required"
    assert reasons[("A", "B")] == reasons[("C", "A")] == over
    assert reasons[("B", "C")].startswith("not attempted")


def test_two_people_asking_to_meet_each_other_meet_twice(tmp_path):
    # FORMAT.md: [A, B] and [B, A] are two meetings, each asked for by one of them. Slots 09:00
    # 09:20 09:40 10:00 10:20; A and B cannot meet twice at once, so the two take two slots, and
    # each schedule entry keeps its own request's order. Both fit back to back: 0 idle gaps.
    path = brokerage(tmp_path, [person("A"), person("B"), person("C")], [
        {"between": ["A", "B"], "required": True},
        {"between": ["B", "A"], "priority": 5},
        {"between": ["A", "C"], "required": True},
    ])
    result, schedule = solved(path)
    assert result.status == "optimal" and not schedule.unscheduled
    times = {tuple(m.between): m.start for m in schedule.meetings}
    assert set(times) == {("A", "B"), ("B", "A"), ("A", "C")}
    assert times[("A", "B")] != times[("B", "A")]
    assert schedule.stats.idle_gaps == 0


def test_the_same_order_twice_is_still_one_request_too_many(tmp_path):
    path = brokerage(tmp_path, [person("A"), person("B")],
                     [{"between": ["A", "B"]}, {"between": ["B", "A"]}, {"between": ["A", "B"]}])
    with pytest.raises(EventError) as error:
        load_event(path)
    assert [str(p) for p in error.value.problems] == [
        "forum.yaml: requests[2]: the meeting of A with B (in this order) is already requested in requests[0]"]
