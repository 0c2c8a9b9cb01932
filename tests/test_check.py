"""The independent checker: hand-made valid schedules pass, and each mutation breaks one family.

The valid schedules are worked out by hand from the example events, not by
the solver, so the checker is tested against the contract alone.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path

import pytest

from scheduler.check import FAMILIES, Violation, check_schedule, count_idle_gaps, idle_gaps_by_person
from scheduler.model import Event, ScheduleFile, load_event
from scheduler.model.event import Interpreter

EXAMPLES = Path(__file__).parents[1] / "examples"


@lru_cache(maxsize=None)
def example(name: str) -> Event:
    return load_event(EXAMPLES / f"{name}.yaml").event


def meeting(buyer, firm, booth, start, end, *interpreters, day="2026-06-18", offset="+09:00"):
    return {"buyer": buyer, "firm": firm, "booth": booth, "start": f"{day}T{start}:00{offset}",
            "end": f"{day}T{end}:00{offset}", "interpreters": list(interpreters)}


# mini-plaza, slots 09:30 10:00 10:30 | Coffee 11:00-11:15 | 11:15 11:45 (30 min each).
# Tables: B1 keeps T01; B2 T02, B3 T03, B4 T04 (T04 is reserved 12:00-12:30, so B4 stops
# before 11:45; B4 is only there from 10:00, so it has three slots and I3, who must
# interpret all of B4's meetings, has a cap of 3: B4-F3, priority 1, is left out).
# F3 (cap 2) meets B2 (required) and B1. Priority 50 requested, 49 scheduled: B4 can hold
# only three meetings, so dropping its lowest (1) is the proven best.
# Idle gaps: F1 09:30 and 10:30, F3 09:30 and 10:30, F5 10:00 and 11:15 -> 3; B1's
# 10:30 -> 11:15 spans only the coffee break, which is no gap.
PLAZA = {
    "event": "Mini Export Plaza",
    "status": "optimal",
    "meetings": [
        meeting("B1", "F1", "T01", "09:30", "10:00", "I1"),
        meeting("B2", "F3", "T02", "09:30", "10:00", "I2"),
        meeting("B3", "F6", "T03", "09:30", "10:00"),
        meeting("B1", "F6", "T01", "10:00", "10:30"),
        meeting("B2", "F4", "T02", "10:00", "10:30"),
        meeting("B3", "F2", "T03", "10:00", "11:00"),
        meeting("B4", "F5", "T04", "10:00", "10:30", "I3"),
        meeting("B1", "F3", "T01", "10:30", "11:00", "I1"),
        meeting("B2", "F1", "T02", "10:30", "11:00", "I2"),
        meeting("B4", "F4", "T04", "10:30", "11:00", "I3"),
        meeting("B1", "F2", "T01", "11:15", "11:45"),
        meeting("B3", "F5", "T03", "11:15", "11:45", "I1"),
        meeting("B4", "F1", "T04", "11:15", "11:45", "I3"),
    ],
    "unscheduled": [
        {"buyer": "B4", "firm": "F3", "reason": "B4 is fully booked in every slot F3 and I3 are available"},
    ],
    "stats": {"requested": 14, "scheduled": 13, "priority_requested": 50, "priority_scheduled": 49,
              "priority_bound": 49, "solve_seconds": 0.1, "idle_gaps": 3},
}

# mini-teleconference (60-minute slots from 07:00 Seoul). BKK1 (th) and F1 (ko) need a relay:
# I1 takes Korean into English, then BKK-KOTRA English into Thai; 10:00 Seoul is 08:00 in
# Bangkok, when both remote hours (08:00-19:00 Bangkok) and I1 (07:00-18:00) are on.
# LAX1 at 07:00 Seoul on 23 Oct is 15:00 on 22 Oct in Los Angeles. SAO1 at 20:00 Seoul is
# 08:00 in Sao Paulo, with I2 (es, from 15:00). HAN1-F3 is pinned 26 Oct 10:00 at TC02.
TELE = {
    "event": "Mini Teleconference Room",
    "status": "feasible",
    "meetings": [
        meeting("LAX1", "F2", "TC01", "07:00", "08:00", day="2026-10-23"),
        meeting("BKK1", "F1", "TC01", "10:00", "11:00", "I1", "BKK-KOTRA", day="2026-10-23"),
        meeting("SAO1", "F4", "TC02", "20:00", "21:00", "I2", day="2026-10-23"),
        meeting("HAN1", "F3", "TC02", "10:00", "11:00", "I3", day="2026-10-26"),
    ],
    "unscheduled": [
        {"buyer": b, "firm": f, "reason": "left out by hand"}
        for b, f in (("LAX1", "F3"), ("BER1", "F3"), ("BER1", "F4"), ("SAO1", "F1"), ("HAN1", "F5"),
                     ("HAN1", "F2"))
    ],
    "stats": {"requested": 10, "scheduled": 4, "priority_requested": 35, "priority_scheduled": 16,
              "priority_bound": 35, "solve_seconds": 0.1},
}


def talk(first, second, booth, start, end):
    return {"between": [first, second], "booth": booth, "start": f"2026-05-12T{start}:00+02:00",
            "end": f"2026-05-12T{end}:00+02:00", "interpreters": []}


# mini-brokerage: slots 09:00 09:25 09:50 10:15 10:40 | coffee | 11:30 11:55 ... (20 min, 5 min
# changeover), three tables, everyone shares a language. P6 leaves at 11:00, P7-P8 is an
# afternoon meeting, P5-P8 is pinned at 09:00. Idle gaps: P1 (09:25 -> 10:15), P3 (09:00 ->
# 09:50), P7 (09:50 -> 11:30, one gap however many slots), P8 (09:25 -> 10:15, 10:15 -> 11:30) = 5.
BROKERAGE = {
    "event": "Mini Brokerage Forum",
    "status": "optimal",
    "meetings": [
        talk("P5", "P8", "M01", "09:00", "09:20"),
        talk("P1", "P2", "M02", "09:00", "09:20"),
        talk("P3", "P4", "M03", "09:00", "09:20"),
        talk("P1", "P6", "M01", "09:25", "09:45"),
        talk("P2", "P5", "M02", "09:25", "09:45"),
        talk("P4", "P8", "M03", "09:25", "09:45"),
        talk("P3", "P6", "M01", "09:50", "10:10"),
        talk("P4", "P5", "M02", "09:50", "10:10"),
        talk("P2", "P7", "M03", "09:50", "10:10"),
        talk("P6", "P8", "M01", "10:15", "10:35"),
        talk("P1", "P3", "M02", "10:15", "10:35"),
        talk("P7", "P8", "M01", "11:30", "11:50"),
    ],
    "unscheduled": [],
    "stats": {"requested": 12, "scheduled": 12, "priority_requested": 36, "priority_scheduled": 36,
              "priority_bound": 36, "solve_seconds": 0.1, "idle_gaps": 5},
}


def check(event_name: str, data: dict) -> list[Violation]:
    return check_schedule(example(event_name), ScheduleFile.model_validate(data))


def plaza() -> dict:
    return copy.deepcopy(PLAZA)


def find(data: dict, first: str, second: str) -> dict:
    key = ("between",) if "between" in data["meetings"][0] else ("buyer", "firm")
    for entry in data["meetings"]:
        pair = tuple(entry["between"]) if key == ("between",) else (entry["buyer"], entry["firm"])
        if pair == (first, second):
            return entry
    raise KeyError((first, second))


def move(entry: dict, start: str, end: str) -> None:
    entry["start"] = entry["start"][:11] + start + entry["start"][16:]
    entry["end"] = entry["end"][:11] + end + entry["end"][16:]


def only(violations: list[Violation], family: str, phrase: str) -> None:
    """Every violation is of ``family``, and one of them says ``phrase``."""
    assert violations, "expected a violation"
    assert {v.family for v in violations} == {family}, [str(v) for v in violations]
    assert any(phrase in v.message for v in violations), [str(v) for v in violations]


def some(violations: list[Violation], family: str, phrase: str) -> None:
    """One violation of ``family`` says ``phrase`` (a mutation may break other families too)."""
    assert any(v.family == family and phrase in v.message for v in violations), [str(v) for v in violations]


# --- valid schedules ------------------------------------------------------------------------------

@pytest.mark.parametrize("name, data", [("mini-plaza", PLAZA), ("mini-teleconference", TELE),
                                        ("mini-brokerage", BROKERAGE)])
def test_a_valid_schedule_passes(name, data):
    assert check(name, data) == []


def test_families_are_listed_once_in_order():
    names = [name for name, _ in FAMILIES]
    assert names == ["every request once", "on the slot grid", "tables and booths", "booth free",
                     "nobody double-booked", "everyone available", "languages covered", "caps kept",
                     "pinned where pinned", "required placed", "figures add up"]


def test_a_violation_reads_family_then_message():
    data = plaza()
    move(find(data, "B2", "F4"), "10:30", "11:00")  # F4 also meets B4 at 10:30
    double = [v for v in check("mini-plaza", data) if v.family == "nobody double-booked"]
    assert "nobody double-booked: F4 is in two meetings at 2026-06-18 10:30 (with B2 and B4)" in map(str, double)


# --- every request once ---------------------------------------------------------------------------

def test_a_dropped_request():
    data = plaza()
    data["unscheduled"] = []
    only(check("mini-plaza", data), "every request once", "B4-F3 (requests[13]) is neither in meetings")


def test_a_request_listed_twice():
    data = plaza()
    data["unscheduled"].append({"buyer": "B1", "firm": "F2", "reason": "also here"})
    only(check("mini-plaza", data), "every request once", "B1-F2 appears 2 times")


def test_a_meeting_nobody_requested():
    data = plaza()
    data["meetings"].append(meeting("B1", "F4", "T01", "11:45", "12:15", "I2"))
    data["stats"].update(scheduled=14, idle_gaps=4)  # F4 waits through 11:15
    only(check("mini-plaza", data), "every request once",
         "B1-F4 (meeting at T01, 2026-06-18 11:45-12:15) was never requested")


def test_brokerage_entries_keep_the_request_order():
    data = copy.deepcopy(BROKERAGE)
    find(data, "P2", "P7")["between"] = ["P7", "P2"]
    only(check("mini-brokerage", data), "every request once", "the request says [P2, P7]")


def test_brokerage_entries_name_between():
    data = copy.deepcopy(BROKERAGE)
    entry = find(data, "P7", "P8")
    del entry["between"]
    entry.update(buyer="P7", firm="P8")
    some(check("mini-brokerage", data), "every request once", "must name `between: [A, B]` at a brokerage event")


# --- on the slot grid -----------------------------------------------------------------------------

def test_an_off_grid_start():
    data = plaza()
    move(find(data, "B1", "F2"), "11:20", "11:50")
    only(check("mini-plaza", data), "on the slot grid",
         "starts at 11:20, off the slot grid; slots that day start at 09:30")


def test_a_wrong_end():
    data = plaza()
    move(find(data, "B3", "F2"), "10:00", "10:30")  # takes two slots
    data["stats"]["idle_gaps"] = 5  # B3 and F2 seem to wait through 10:30
    only(check("mini-plaza", data), "on the slot grid", "its 2 slots from 10:00 end at 11:00")


def test_a_two_slot_meeting_over_the_coffee_break():
    data = plaza()
    move(find(data, "B3", "F2"), "10:30", "11:45")
    move(find(data, "B3", "F5"), "10:00", "10:30")  # which double-books F5 as well
    some(check("mini-plaza", data), "on the slot grid", "runs into the break 11:00-11:15 (Coffee)")


def test_a_start_written_with_another_offset():
    data = plaza()
    entry = find(data, "B1", "F2")  # 11:15 Seoul is 02:15 UTC: the same instant
    entry["start"], entry["end"] = "2026-06-18T02:15:00+00:00", "2026-06-18T02:45:00+00:00"
    only(check("mini-plaza", data), "on the slot grid", "UTC offset +00:00, not the venue's +09:00")


def test_a_day_the_event_does_not_have():
    data = plaza()
    entry = find(data, "B1", "F2")
    entry["start"], entry["end"] = "2026-06-19T11:15:00+09:00", "2026-06-19T11:45:00+09:00"
    some(check("mini-plaza", data), "on the slot grid", "on 2026-06-19, which is not a day of the event")


# --- tables and booths ----------------------------------------------------------------------------

def test_a_buyer_switching_tables():
    data = plaza()
    find(data, "B2", "F3")["booth"] = "T04"  # free at 09:30, before B4 arrives
    violations = check("mini-plaza", data)
    only(violations, "tables and booths", "B2 sits at tables T02 and T04; a buyer keeps one table all event")
    only(violations, "tables and booths", "table T04 is used by B2 and B4; a table belongs to one buyer")


def test_a_buyer_away_from_the_table_it_keeps():
    data = plaza()
    find(data, "B1", "F2")["booth"] = "T02"  # T02 is free at 11:15
    violations = check("mini-plaza", data)
    some(violations, "tables and booths", "B1 keeps table T01 but meets F2 at T02 (2026-06-18 11:15-11:45)")
    only(violations, "tables and booths", "table T02 is used by B1 and B2")


def test_a_booth_the_event_does_not_have():
    data = plaza()
    for entry in data["meetings"]:
        if entry["buyer"] == "B4":
            entry["booth"] = "T09"
    only(check("mini-plaza", data), "tables and booths", "is at booth 'T09', which the event does not have")


# --- booth free -----------------------------------------------------------------------------------

def test_two_meetings_at_one_booth():
    data = copy.deepcopy(BROKERAGE)
    find(data, "P1", "P3")["booth"] = "M01"  # P6-P8 sits there at 10:15
    only(check("mini-brokerage", data), "booth free",
         "M01 holds two meetings at once at 2026-05-12 10:15: P6-P8 2026-05-12 10:15-10:35 and P1-P3")


def test_a_meeting_at_a_reserved_booth():
    data = plaza()
    move(find(data, "B4", "F1"), "11:45", "12:15")  # I3 is free then too
    data["stats"]["idle_gaps"] = 5  # B4 and F1 now wait through 11:15
    only(check("mini-plaza", data), "booth free",
         "B4-F1 (T04, 2026-06-18 11:45-12:15) overlaps the reservation of T04 2026-06-18 12:00-12:30 (Press interview)")


# --- nobody double-booked -------------------------------------------------------------------------

def test_a_firm_in_two_meetings():
    data = plaza()
    move(find(data, "B2", "F1"), "11:15", "11:45")  # B2, T02 and I2 are free then; F1 meets B4
    data["stats"]["idle_gaps"] = 4  # B2 now waits through 10:30
    only(check("mini-plaza", data), "nobody double-booked",
         "F1 is in two meetings at 2026-06-18 11:15 (with B2 and B4)")


def test_an_interpreter_in_a_relay_counts():
    # LAX1-F3 (en, es / ko) with I1 at 10:00, while I1 relays BKK1-F1 with BKK-KOTRA.
    data = copy.deepcopy(TELE)
    data["unscheduled"] = [e for e in data["unscheduled"] if (e["buyer"], e["firm"]) != ("LAX1", "F3")]
    data["meetings"].append(meeting("LAX1", "F3", "TC02", "10:00", "11:00", "I1", day="2026-10-23"))
    data["stats"].update(scheduled=5, priority_scheduled=19)
    only(check("mini-teleconference", data), "nobody double-booked",
         "I1 is in two meetings at 2026-10-23 10:00 (BKK1-F1 and LAX1-F3)")


# --- everyone available ---------------------------------------------------------------------------

def test_a_participant_after_leaving():
    data = copy.deepcopy(BROKERAGE)
    move(find(data, "P1", "P6"), "11:55", "12:15")  # P6 leaves at 11:00
    data["stats"]["idle_gaps"] = 7  # P1 and P6 now wait before 11:55
    only(check("mini-brokerage", data), "everyone available",
         "P6 is not available for P1-P6 (M01, 2026-05-12 11:55-12:15); P6's hours on 2026-05-12: 09:00-11:00")


def test_an_interpreter_before_its_hours():
    data = plaza()
    # B2-F3 at 09:30 needs ko-zh; I3 speaks ko and vi and starts at 10:00.
    find(data, "B2", "F3")["interpreters"] = ["I3"]
    violations = check("mini-plaza", data)
    some(violations, "everyone available", "I3 is not available for B2-F3 (T02, 2026-06-18 09:30-10:00)")
    some(violations, "languages covered", "I3 (ko, vi) cannot bridge B2 (zh) and F3 (ko)")


def test_a_remote_buyer_in_the_evening_of_its_own_day():
    # 14:00 Seoul on 23 Oct is 22:00 on 22 Oct in Los Angeles, past 19:00.
    data = copy.deepcopy(TELE)
    move(find(data, "LAX1", "F2"), "14:00", "15:00")
    only(check("mini-teleconference", data), "everyone available",
         "LAX1 is not available for LAX1-F2 (TC01, 2026-10-23 14:00-15:00), 2026-10-22 22:00-23:00 in "
         "America/Los_Angeles; LAX1's hours on 2026-10-22: 08:00-19:00")


def test_a_request_outside_its_own_windows():
    data = copy.deepcopy(BROKERAGE)
    # P7-P8 is wished in the afternoon; swap it with P2-P7 at 09:50 (P8 is free then).
    find(data, "P7", "P8").update(booth="M03", start="2026-05-12T09:50:00+02:00", end="2026-05-12T10:10:00+02:00")
    find(data, "P2", "P7").update(booth="M01", start="2026-05-12T11:30:00+02:00", end="2026-05-12T11:50:00+02:00")
    data["stats"]["idle_gaps"] = 4  # P2 gains a gap, P8 loses both of its own
    only(check("mini-brokerage", data), "everyone available",
         "P7-P8 (M03, 2026-05-12 09:50-10:10) lies outside the request's own windows (2026-05-12 11:30-13:10)")


# --- languages covered ----------------------------------------------------------------------------

def test_a_needed_interpreter_removed():
    data = plaza()
    find(data, "B2", "F1")["interpreters"] = []
    only(check("mini-plaza", data), "languages covered",
         "B2 (zh) and F1 (ko) share no language, and no interpreter is listed")


def test_an_interpreter_not_needed():
    data = plaza()
    find(data, "B2", "F4")["interpreters"] = ["I2"]
    only(check("mini-plaza", data), "languages covered", "B2 and F4 share zh; interpreter I2 is not needed")


def test_interpreter_none_lists_nobody():
    data = plaza()
    find(data, "B1", "F6")["interpreters"] = ["I1"]  # I1 is free at 10:00
    only(check("mini-plaza", data), "languages covered", "brings its own interpreter (interpreter: none) but lists I1")


def test_an_unknown_and_a_repeated_interpreter():
    data = plaza()
    find(data, "B2", "F1")["interpreters"] = ["I9"]
    find(data, "B1", "F3")["interpreters"] = ["I1", "I1"]
    violations = check("mini-plaza", data)
    only(violations, "languages covered", "lists interpreter 'I9', who is not in the event")
    only(violations, "languages covered", "B1-F3 (T01, 2026-06-18 10:30-11:00) lists interpreter I1 twice")


def test_a_relay_in_the_wrong_order():
    data = copy.deepcopy(TELE)
    find(data, "BKK1", "F1")["interpreters"] = ["BKK-KOTRA", "I1"]
    only(check("mini-teleconference", data), "languages covered",
         "the relay is listed in the wrong order; the firm's side comes first, so [I1, BKK-KOTRA]")


def test_a_relay_that_cannot_relay():
    data = copy.deepcopy(TELE)
    find(data, "BKK1", "F1")["interpreters"] = ["I1", "I3"]  # nobody speaks Thai
    some(check("mini-teleconference", data), "languages covered", "I1 (ko, en) then I3 (ko, vi) cannot relay")


def test_a_relay_in_a_brokerage_event_starts_with_the_first_person():
    # P2 now speaks ko, es, fr (still meets P1 in Spanish, P5 in French) and P7 th, ca (still
    # meets P8 in Catalan). P2-P7 needs K1 (ko-en) then T1 (en-th): P2 is named first.
    base = example("mini-brokerage")
    people = {p.id: p for p in base.participants}
    event = base.model_copy(update={
        "participants": tuple(
            p.model_copy(update={"languages": {"P2": ("ko", "es", "fr"), "P7": ("th", "ca")}[p.id]})
            if p.id in ("P2", "P7") else p for p in people.values()),
        "interpreters": (Interpreter(id="K1", name="Kim", languages=("ko", "en")),
                         Interpreter(id="T1", name="Thanom", languages=("en", "th"))),
    })
    data = copy.deepcopy(BROKERAGE)
    find(data, "P2", "P7")["interpreters"] = ["K1", "T1"]
    assert check_schedule(event, ScheduleFile.model_validate(data)) == []
    find(data, "P2", "P7")["interpreters"] = ["T1", "K1"]
    only(check_schedule(event, ScheduleFile.model_validate(data)), "languages covered",
         "the relay is listed in the wrong order; P2's side comes first, so [K1, T1]")


# --- caps kept ------------------------------------------------------------------------------------

def test_a_firm_over_its_cap():
    data = plaza()
    # B4 meets F3 (cap 2, already meeting B2 and B1) at 11:15 instead of F1.
    find(data, "B4", "F1")["firm"] = "F3"
    data["unscheduled"] = [{"buyer": "B4", "firm": "F1", "reason": "swapped"}]
    data["stats"].update(priority_scheduled=46, priority_bound=46)
    only(check("mini-plaza", data), "caps kept", "F3 has 3 meetings (09:30, 10:30, 11:15); max_meetings is 2")


def test_an_interpreter_over_its_daily_cap():
    # The valid schedule gives I3 three meetings; the same schedule breaks a cap of 2.
    base = example("mini-plaza")
    event = base.model_copy(update={"interpreters": tuple(
        i.model_copy(update={"max_meetings": 2}) if i.id == "I3" else i for i in base.interpreters)})
    only(check_schedule(event, ScheduleFile.model_validate(PLAZA)), "caps kept",
         "I3 has 3 meetings on 2026-06-18 (10:00, 10:30, 11:15); max_meetings is 2 a day")


# --- pinned where pinned --------------------------------------------------------------------------

def test_a_pinned_meeting_moved():
    data = plaza()
    move(find(data, "B3", "F6"), "11:45", "12:15")  # F6 and B3 are free at 11:45
    data["stats"]["idle_gaps"] = 4  # F6 now waits between 10:00 and 11:45
    only(check("mini-plaza", data), "pinned where pinned",
         "B3-F6 is pinned at 2026-06-18 09:30 but starts at 2026-06-18 11:45 (T03)")


def test_a_pinned_booth_not_honoured():
    data = copy.deepcopy(TELE)
    find(data, "HAN1", "F3")["booth"] = "TC01"
    only(check("mini-teleconference", data), "pinned where pinned",
         "HAN1-F3 is pinned to booth TC02 but sits at TC01 (2026-10-26 10:00)")


# --- required placed ------------------------------------------------------------------------------

def test_a_required_request_missing():
    data = plaza()
    data["meetings"].remove(find(data, "B2", "F3"))
    data["unscheduled"].append({"buyer": "B2", "firm": "F3", "reason": "dropped"})
    data["stats"].update(scheduled=12, priority_scheduled=44, priority_bound=44, idle_gaps=2)
    only(check("mini-plaza", data), "required placed",
         "B2-F3 is required but not scheduled, and the status is optimal, not infeasible")


def test_an_infeasible_schedule_says_why():
    data = plaza()
    data["meetings"] = []
    data["unscheduled"] = [{"buyer": r.buyer, "firm": r.firm, "reason": "no room"}
                           for r in example("mini-plaza").requests]
    data["status"] = "infeasible"
    data["stats"] = {"requested": 14, "scheduled": 0, "priority_requested": 50, "priority_scheduled": 0,
                     "solve_seconds": 0.1}
    assert check("mini-plaza", data) == []
    next(e for e in data["unscheduled"] if e["firm"] == "F6" and e["buyer"] == "B3")["reason"] = " "
    only(check("mini-plaza", data), "required placed", "B3-F6 is pinned and not scheduled, but no reason is given")


def test_infeasible_with_every_required_request_placed():
    data = plaza()
    data["status"] = "infeasible"
    only(check("mini-plaza", data), "required placed",
         "the status is infeasible, yet every required request is scheduled")


# --- figures add up -------------------------------------------------------------------------------

@pytest.mark.parametrize("field, value, phrase", [
    ("requested", 13, "stats.requested is 13, but the event has 14 requests"),
    ("scheduled", 12, "stats.scheduled is 12, but 13 meetings are listed"),
    ("priority_requested", 49, "stats.priority_requested is 49"),
    ("priority_scheduled", 48,
     "stats.priority_scheduled is 48, but the priorities of the scheduled requests add up to 49"),
    ("priority_bound", 48, "stats.priority_bound 48 is below priority_scheduled 49"),
    ("idle_gaps", 0, "stats.idle_gaps is 0, but the meetings have 3 idle gaps"),
])
def test_wrong_stats(field, value, phrase):
    data = plaza()
    data["stats"][field] = value
    only(check("mini-plaza", data), "figures add up", phrase)


def test_optimal_means_the_bound_is_reached():
    data = plaza()
    data["stats"]["priority_bound"] = 50
    only(check("mini-plaza", data), "figures add up", "the status is optimal, so priority_bound (50) must equal")
    data["status"] = "feasible"
    assert check("mini-plaza", data) == []


def test_the_levels_agree_with_the_status():
    # stats.objective is the project's own (docs/formats.md): "optimal" means every level proven,
    # and a proven level sits at its bound.
    data = plaza()
    priority = {"level": "priority", "sense": "max", "value": 49, "bound": 49, "proven": True}
    gaps = {"level": "idle gaps", "sense": "min", "value": 3, "bound": 0, "proven": False}
    data["stats"]["objective"] = [priority, gaps]
    only(check("mini-plaza", data), "figures add up",
         "the status is optimal, but stats.objective[1] (idle gaps) is not proven: 3, bound 0")
    data["status"] = "feasible"
    assert check("mini-plaza", data) == []
    gaps["proven"] = True
    only(check("mini-plaza", data), "figures add up",
         "stats.objective[1] (idle gaps) is marked proven at 3, but its bound is 0")
    gaps.update(bound=4, proven=False)
    only(check("mini-plaza", data), "figures add up", "stats.objective[1] (idle gaps) is 3, beyond its bound 4")


def test_a_schedule_of_another_event():
    data = plaza()
    data["event"] = "Somewhere Else"
    only(check("mini-plaza", data), "figures add up", "the schedule is for 'Somewhere Else'")


# --- idle gaps ------------------------------------------------------------------------------------

def test_idle_gaps_per_person():
    # A break is no gap (B1 10:30 -> 11:15 across coffee); one gap however many slots lie
    # between (P7 09:50 -> 11:30 skips 10:15 and 10:40); interpreters are not counted.
    plaza_gaps = idle_gaps_by_person(example("mini-plaza"), ScheduleFile.model_validate(PLAZA).meetings)
    assert plaza_gaps[("buyer", "B1")] == 0
    assert {key: n for key, n in plaza_gaps.items() if n} == {("firm", "F1"): 1, ("firm", "F3"): 1, ("firm", "F5"): 1}
    talks = ScheduleFile.model_validate(BROKERAGE).meetings
    gaps = idle_gaps_by_person(example("mini-brokerage"), talks)
    assert gaps[("participant", "P7")] == 1
    assert gaps[("participant", "P8")] == 2
    assert count_idle_gaps(example("mini-brokerage"), talks) == 5



def test_opposite_order_requests_are_matched_each_by_its_own_order():
    # FORMAT.md: P7 may also ask to meet P2 ([P7, P2] beside [P2, P7]); the two are two requests,
    # and an entry written [P7, P2] answers the second one, not the first one reversed.
    event = example("mini-brokerage")
    asked = event.requests[0].model_copy(update={"between": ("P7", "P2"), "required": False})
    event = event.model_copy(update={"requests": (*event.requests, asked)})
    data = copy.deepcopy(BROKERAGE)
    data["unscheduled"] = [*data.get("unscheduled", []), {"between": ["P7", "P2"], "reason": "not scheduled"}]
    data["stats"]["requested"] += 1
    data["stats"]["priority_requested"] += asked.priority
    data["status"] = "feasible"
    assert check_schedule(event, ScheduleFile.model_validate(data)) == []
    find(data, "P2", "P7")["between"] = ["P7", "P2"]  # now [P7, P2] twice and [P2, P7] nowhere
    messages = [str(v) for v in check_schedule(event, ScheduleFile.model_validate(data))]
    assert any("P2-P7 (requests[" in m and "neither in meetings nor in unscheduled" in m for m in messages), messages
    assert any("P7-P2 appears 2 times" in m for m in messages), messages
    assert not any("the request says" in m for m in messages), messages
