"""Each constraint family on a tiny event: one case where it binds, one where it does not.

Every asserted optimum is proven by CP-SAT (status optimal) and the comment
says why it is the optimum.
"""

from __future__ import annotations

import copy
from pathlib import Path

import yaml

from support import solve_checked

BASE = {
    "event": {
        "name": "Tiny", "kind": "plaza", "timezone": "Asia/Seoul", "meeting_minutes": 30,
        "days": [{"date": "2026-06-18", "open": "09:00", "close": "10:00"}],  # two slots: 09:00, 09:30
    },
    "booths": {"count": 4, "prefix": "T"},
    "buyers": [
        {"id": "B1", "name": "Buyer One", "languages": ["en"]},
        {"id": "B2", "name": "Buyer Two", "languages": ["en"]},
    ],
    "firms": [
        {"id": "F1", "name": "Firm One", "languages": ["ko", "en"]},
        {"id": "F2", "name": "Firm Two", "languages": ["ko", "en"]},
    ],
    "requests": [],
}


def run(tmp_path: Path, **changes):
    data = copy.deepcopy(BASE)
    for key, value in changes.items():
        if key == "event":
            data["event"].update(value)
        else:
            data[key] = value
    path = tmp_path / "event.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return solve_checked(path)


ONE_SLOT = {"days": [{"date": "2026-06-18", "open": "09:00", "close": "09:30"}]}


def test_a_request_is_scheduled_once_even_when_repeating_it_would_pay(tmp_path):
    # Two free slots, one request of priority 5: placing it twice would score 10, once is the rule.
    result, schedule = run(tmp_path, requests=[{"buyer": "B1", "firm": "F1", "priority": 5}])
    assert result.status == "optimal"
    assert len(schedule.meetings) == 1 and schedule.stats.priority_scheduled == 5


def test_nobody_double_booked_binds_with_one_slot(tmp_path):
    # B1 wants F1 (5) and F2 (3) but there is one slot: the best is the priority-5 meeting alone.
    result, schedule = run(tmp_path, event=ONE_SLOT, requests=[
        {"buyer": "B1", "firm": "F1", "priority": 5}, {"buyer": "B1", "firm": "F2", "priority": 3}])
    assert result.status == "optimal"
    assert schedule.stats.priority_scheduled == 5
    assert [u.firm for u in schedule.unscheduled] == ["F2"]
    assert "B1 is fully booked" in schedule.unscheduled[0].reason


def test_nobody_double_booked_does_not_bind_with_two_slots(tmp_path):
    # Two slots: B1 meets F1 and F2 one after the other, 5 + 3 = 8, everything requested.
    result, schedule = run(tmp_path, requests=[
        {"buyer": "B1", "firm": "F1", "priority": 5}, {"buyer": "B1", "firm": "F2", "priority": 3}])
    assert result.status == "optimal" and schedule.stats.priority_scheduled == 8
    assert schedule.meetings[0].start != schedule.meetings[1].start


def _need_interpreters(count: int) -> dict:
    return {
        "buyers": [{"id": "B1", "name": "Li Wei", "languages": ["zh"]},
                   {"id": "B2", "name": "Wang Fang", "languages": ["zh"]}],
        "firms": [{"id": "F1", "name": "Firm One", "languages": ["ko"]},
                  {"id": "F2", "name": "Firm Two", "languages": ["ko"]}],
        "interpreters": [{"id": f"I{n}", "name": f"Interpreter {n}", "languages": ["ko", "zh"]}
                         for n in range(1, count + 1)],
        "requests": [{"buyer": "B1", "firm": "F1", "priority": 4}, {"buyer": "B2", "firm": "F2", "priority": 2}],
    }


def test_interpreter_in_one_place_binds(tmp_path):
    # One slot, one ko-zh interpreter, two meetings that both need one: only the priority-4 one.
    result, schedule = run(tmp_path, event=ONE_SLOT, **_need_interpreters(1))
    assert result.status == "optimal" and schedule.stats.priority_scheduled == 4
    assert "interpreter" in schedule.unscheduled[0].reason


def test_interpreter_in_one_place_does_not_bind_with_two_interpreters(tmp_path):
    # Two interpreters: both meetings in the single slot, 4 + 2 = 6.
    result, schedule = run(tmp_path, event=ONE_SLOT, **_need_interpreters(2))
    assert result.status == "optimal" and schedule.stats.priority_scheduled == 6
    assert {m.interpreters for m in schedule.meetings} == {("I1",), ("I2",)}


def test_relay_when_no_single_interpreter_bridges(tmp_path):
    # Thai buyer, Korean-only firm: I1 (ko-en) then the Bangkok office (en-th), firm side first.
    result, schedule = run(
        tmp_path,
        buyers=[{"id": "B1", "name": "Somchai", "languages": ["th"]}],
        firms=[{"id": "F1", "name": "Firm One", "languages": ["ko"]}],
        interpreters=[{"id": "BKK", "name": "KOTRA Bangkok", "languages": ["en", "th"]},
                      {"id": "I1", "name": "Kim Minji", "languages": ["ko", "en"]}],
        requests=[{"buyer": "B1", "firm": "F1"}],
    )
    assert result.status == "optimal"
    assert schedule.meetings[0].interpreters == ("I1", "BKK")


def test_no_interpreter_when_they_share_a_language(tmp_path):
    result, schedule = run(
        tmp_path, interpreters=[{"id": "I1", "name": "Kim Minji", "languages": ["ko", "en"]}],
        requests=[{"buyer": "B1", "firm": "F1"}])
    assert schedule.meetings[0].interpreters == ()


def _teleconference(booths: int, reservations=()) -> dict:
    return {
        "event": {"kind": "teleconference", **ONE_SLOT},
        "booths": {"count": booths, "prefix": "TC"},
        "buyers": [{"id": "B1", "name": "Anna", "languages": ["en"], "timezone": "Asia/Seoul"},
                   {"id": "B2", "name": "Ben", "languages": ["en"], "timezone": "Asia/Seoul"}],
        "requests": [{"buyer": "B1", "firm": "F1", "priority": 5}, {"buyer": "B2", "firm": "F2", "priority": 1}],
        "reservations": list(reservations),
    }


def test_one_meeting_per_booth_binds(tmp_path):
    # Buyers keep local hours 09:00-18:00 Seoul = their own zone; one booth, one slot: the 5 wins.
    result, schedule = run(tmp_path, **_teleconference(1))
    assert result.status == "optimal" and schedule.stats.priority_scheduled == 5
    assert "booth" in schedule.unscheduled[0].reason


def test_one_meeting_per_booth_does_not_bind_with_two_booths(tmp_path):
    result, schedule = run(tmp_path, **_teleconference(2))
    assert result.status == "optimal" and schedule.stats.priority_scheduled == 6
    assert {m.booth for m in schedule.meetings} == {"TC01", "TC02"}


def test_a_reserved_booth_takes_no_meeting(tmp_path):
    # Two booths but TC02 is reserved through the only slot: one meeting, the priority-5 one.
    reservation = {"booth": "TC02", "date": "2026-06-18", "start": "09:00", "end": "09:30", "label": "Press"}
    result, schedule = run(tmp_path, **_teleconference(2, [reservation]))
    assert result.status == "optimal" and schedule.stats.priority_scheduled == 5
    assert schedule.meetings[0].booth == "TC01"


def test_reserved_table_goes_to_the_buyer_who_is_free_then(tmp_path):
    # Two tables for two buyers; T02 is reserved at 09:00. B1 meets at 09:00 and 09:30, B2 only
    # at 09:30 (its window), so B1 must keep T01 and B2 takes T02: all 4 meetings fit (8).
    result, schedule = run(
        tmp_path,
        booths={"count": 2, "prefix": "T"},
        buyers=[{"id": "B1", "name": "Buyer One", "languages": ["en"]},
                {"id": "B2", "name": "Buyer Two", "languages": ["en"],
                 "available": [{"date": "2026-06-18", "start": "09:30", "end": "10:00"}]}],
        reservations=[{"booth": "T02", "date": "2026-06-18", "start": "09:00", "end": "09:30"}],
        requests=[{"buyer": "B1", "firm": "F1"}, {"buyer": "B1", "firm": "F2"}, {"buyer": "B2", "firm": "F2"}],
    )
    assert result.status == "optimal"
    # B1-F1, B1-F2 at 09:00/09:30 and B2-F2 at 09:30 would double-book F2 at 09:30 unless B1-F2 is at
    # 09:00; either way all three fit: 3 * 3 = 9.
    assert schedule.stats.priority_scheduled == 9
    tables = {m.buyer: m.booth for m in schedule.meetings}
    assert tables == {"B1": "T01", "B2": "T02"}


def test_reserved_table_binds_when_both_buyers_need_the_reserved_slot(tmp_path):
    # Two buyers, two tables, one slot, T02 reserved then: only one buyer can meet (priority 5).
    result, schedule = run(
        tmp_path, event=ONE_SLOT, booths={"count": 2, "prefix": "T"},
        reservations=[{"booth": "T02", "date": "2026-06-18", "start": "09:00", "end": "09:30"}],
        requests=[{"buyer": "B1", "firm": "F1", "priority": 5}, {"buyer": "B2", "firm": "F2", "priority": 2}],
    )
    assert result.status == "optimal" and schedule.stats.priority_scheduled == 5


def test_firm_cap_binds(tmp_path):
    # F1 takes at most 1 meeting; it is wanted by B1 (2) and B2 (4): the 4 is kept.
    result, schedule = run(
        tmp_path,
        firms=[{"id": "F1", "name": "Firm One", "languages": ["en"], "max_meetings": 1}],
        requests=[{"buyer": "B1", "firm": "F1", "priority": 2}, {"buyer": "B2", "firm": "F1", "priority": 4}],
    )
    assert result.status == "optimal" and schedule.stats.priority_scheduled == 4
    assert "maximum of 1" in schedule.unscheduled[0].reason


def test_interpreter_daily_cap_binds(tmp_path):
    # I1 is the only interpreter and works at most one meeting a day: of two days' worth of two
    # slots, it does one meeting per day, so 2 of the 3 requests (the two 4s) take place.
    result, schedule = run(
        tmp_path,
        event={"days": [{"date": "2026-06-18", "open": "09:00", "close": "10:00"},
                        {"date": "2026-06-19", "open": "09:00", "close": "10:00"}]},
        buyers=[{"id": "B1", "name": "Li Wei", "languages": ["zh"]}],
        firms=[{"id": f"F{n}", "name": f"Firm {n}", "languages": ["ko"]} for n in (1, 2, 3)],
        interpreters=[{"id": "I1", "name": "Park Junho", "languages": ["ko", "zh"], "max_meetings": 1}],
        requests=[{"buyer": "B1", "firm": "F1", "priority": 4}, {"buyer": "B1", "firm": "F2", "priority": 4},
                  {"buyer": "B1", "firm": "F3", "priority": 1}],
    )
    assert result.status == "optimal" and schedule.stats.priority_scheduled == 8
    assert len({m.start.date() for m in schedule.meetings}) == 2


def test_availability_moves_a_meeting(tmp_path):
    # B1 arrives at 09:30, so its only meeting is at 09:30.
    result, schedule = run(
        tmp_path,
        buyers=[{"id": "B1", "name": "Buyer One", "languages": ["en"],
                 "available": [{"date": "2026-06-18", "start": "09:30", "end": "10:00"}]}],
        requests=[{"buyer": "B1", "firm": "F1"}],
    )
    assert schedule.meetings[0].start.strftime("%H:%M") == "09:30"


def test_never_together_gets_a_reason(tmp_path):
    result, schedule = run(
        tmp_path,
        buyers=[{"id": "B1", "name": "Buyer One", "languages": ["en"],
                 "available": [{"date": "2026-06-18", "start": "09:30", "end": "10:00"}]}],
        firms=[{"id": "F1", "name": "Firm One", "languages": ["en"],
                "available": [{"date": "2026-06-18", "start": "09:00", "end": "09:30"}]}],
        requests=[{"buyer": "B1", "firm": "F1"}],
    )
    assert schedule.unscheduled[0].reason == "F1 and B1 are never available at the same time"


def test_pinned_meeting_where_pinned(tmp_path):
    result, schedule = run(tmp_path, requests=[
        {"buyer": "B1", "firm": "F1", "pinned": {"start": "2026-06-18T09:30", "booth": "T03"}}])
    meeting = schedule.meetings[0]
    assert (meeting.start.strftime("%H:%M"), meeting.booth) == ("09:30", "T03")


def test_required_meeting_wins_over_priority(tmp_path):
    # One slot, F1 wanted by B1 (5) and B2 (1, required): the required one must take the slot.
    result, schedule = run(tmp_path, event=ONE_SLOT, requests=[
        {"buyer": "B1", "firm": "F1", "priority": 5}, {"buyer": "B2", "firm": "F1", "priority": 1, "required": True}])
    assert result.status == "optimal" and schedule.stats.priority_scheduled == 1
    assert schedule.meetings[0].buyer == "B2"


def test_required_meetings_that_cannot_all_happen_are_infeasible_with_reason(tmp_path):
    # One slot, F1 required with both buyers: impossible; the reason names the other meeting.
    result, schedule = run(tmp_path, event=ONE_SLOT, requests=[
        {"buyer": "B1", "firm": "F1", "required": True}, {"buyer": "B2", "firm": "F1", "required": True}])
    assert schedule.status == "infeasible"
    reasons = {u.buyer: u.reason for u in schedule.unscheduled}
    assert "B2-F1" in reasons["B1"] and "B1-F1" in reasons["B2"]
    assert "F1" in reasons["B1"]


def test_required_meeting_without_interpreter_is_infeasible_with_reason(tmp_path):
    result, schedule = run(
        tmp_path,
        buyers=[{"id": "B1", "name": "Bat", "languages": ["mn"]}],
        firms=[{"id": "F1", "name": "Firm One", "languages": ["ko"]}],
        requests=[{"buyer": "B1", "firm": "F1", "required": True}],
    )
    assert schedule.status == "infeasible"
    assert "no interpreter bridges" in schedule.unscheduled[0].reason
