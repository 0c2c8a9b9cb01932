"""Remote participants' hours across a daylight-saving change (FORMAT.md, "Availability")."""

from __future__ import annotations

from pathlib import Path

import pendulum

from scheduler.model.availability import contains, person_windows
from scheduler.model.load import load_event
from scheduler.model.problem import compile_problem

EXAMPLE = Path(__file__).parents[2] / "examples" / "mini-teleconference.yaml"


def seoul(text: str) -> pendulum.DateTime:
    return pendulum.parse(text, tz="Asia/Seoul")


def test_berlin_hours_move_one_seoul_hour_when_europe_leaves_summer_time():
    # Berlin is UTC+2 until 25 Oct 2026 03:00 and UTC+1 after; Seoul is always UTC+9.
    # remote_hours 08:00-19:00 Berlin is therefore 15:00-02:00 Seoul on Fri 23 Oct
    # and 16:00-03:00 Seoul on Mon 26 Oct.
    event = load_event(EXAMPLE).event
    berlin = next(b for b in event.buyers if b.id == "BER1")
    windows = person_windows(berlin, "buyer", event)
    assert contains(windows, seoul("2026-10-23T15:00"), seoul("2026-10-23T16:00"))
    assert not contains(windows, seoul("2026-10-23T14:00"), seoul("2026-10-23T15:00"))
    assert not contains(windows, seoul("2026-10-26T15:00"), seoul("2026-10-26T16:00"))
    assert contains(windows, seoul("2026-10-26T16:00"), seoul("2026-10-26T17:00"))


def test_los_angeles_evening_reaches_the_next_seoul_morning():
    # Los Angeles is UTC-7 (PDT) in October: 08:00-19:00 there on Thu 22 Oct is 00:00-11:00
    # Seoul on Fri 23 Oct, so the room's 07:00 opening is 15:00 the day before in LA.
    event = load_event(EXAMPLE).event
    los_angeles = next(b for b in event.buyers if b.id == "LAX1")
    windows = person_windows(los_angeles, "buyer", event)
    assert contains(windows, seoul("2026-10-23T07:00"), seoul("2026-10-23T11:00"))
    assert not contains(windows, seoul("2026-10-23T11:00"), seoul("2026-10-23T12:00"))


def test_slots_open_to_the_berlin_buyer_differ_before_and_after_the_change():
    problem = compile_problem(load_event(EXAMPLE).event)
    task = next(t for t in problem.tasks if t.request.buyer == "BER1" and t.request.firm == "F3")
    hours = {(problem.grid.slots[s].start.date().isoformat(), problem.grid.slots[s].start.hour) for s in task.starts}
    assert ("2026-10-23", 15) in hours and ("2026-10-26", 15) not in hours
    assert ("2026-10-26", 16) in hours
