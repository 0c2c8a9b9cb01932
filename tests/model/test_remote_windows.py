"""A remote window on a day of the event that misses the room's hours is a warning, not an error.

A New York buyer's office hours on the event's last day fall in Seoul's night, after the room
closes: that is what the buyer said, so the window is ignored with a located warning and the
buyer's requests get a reason. A window on a date that is no day of the event, in the venue's
calendar or the buyer's own, is still an input error (a typo in the date).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from scheduler.check import check_schedule
from scheduler.cli import main
from scheduler.model.errors import EventError
from scheduler.model.load import load_event
from scheduler.model.problem import compile_problem
from scheduler.solve import Stop, solve, to_schedule

# New York is UTC-4 (EDT) in October, Seoul UTC+9: 13 hours apart.
# 2026-10-22 19:00-21:00 New York is 2026-10-23 08:00-10:00 Seoul: the room's first hour on the 23rd.
# 2026-10-23 09:00-19:00 New York is 2026-10-23 22:00 - 2026-10-24 08:00 Seoul: the room is closed.
EVENING_BEFORE = {"date": "2026-10-22", "start": "19:00", "end": "21:00"}
LAST_DAY = {"date": "2026-10-23", "start": "09:00", "end": "19:00"}


def event(windows: dict[str, list[dict]]) -> dict:
    return {
        "event": {"name": "Tiny room", "kind": "teleconference", "timezone": "Asia/Seoul", "meeting_minutes": 60,
                  "days": [{"date": "2026-10-22", "open": "09:00", "close": "18:00"},
                           {"date": "2026-10-23", "open": "09:00", "close": "18:00"}]},
        "booths": {"count": 2, "prefix": "TC"},
        "buyers": [{"id": buyer, "name": f"Buyer {buyer}", "languages": ["en"], "timezone": "America/New_York",
                    "available": available} for buyer, available in windows.items()],
        "firms": [{"id": "F1", "name": "Firm F1", "languages": ["ko", "en"]}],
        "requests": [{"buyer": buyer, "firm": "F1"} for buyer in windows],
    }


def write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "event.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def test_a_window_in_the_rooms_night_is_a_located_warning(tmp_path):
    path = write(tmp_path, event({"NYC1": [EVENING_BEFORE, LAST_DAY], "NYC2": [LAST_DAY]}))
    loaded = load_event(path)
    assert [str(w) for w in loaded.warnings] == [
        f"event.yaml: buyers[{b}].available[{w}]: 2026-10-23 09:00-19:00 (America/New_York), "
        "2026-10-23 22:00-2026-10-24 08:00 in Asia/Seoul, misses the room's hours "
        "(2026-10-22 09:00-18:00, 2026-10-23 09:00-18:00, Asia/Seoul); ignored"
        for b, w in ((0, 1), (1, 0))]


def test_the_other_windows_still_count_and_the_rest_get_a_reason(tmp_path):
    # NYC1 can meet only at 09:00 Seoul on the 23rd (its evening before); NYC2 never.
    loaded = load_event(write(tmp_path, event({"NYC1": [EVENING_BEFORE, LAST_DAY], "NYC2": [LAST_DAY]})))
    problem = compile_problem(loaded.event)
    schedule = to_schedule(problem, solve(problem, Stop(time_limit=5)))
    assert check_schedule(loaded.event, schedule) == []
    assert [(m.buyer, m.start.isoformat()) for m in schedule.meetings] == [("NYC1", "2026-10-23T09:00:00+09:00")]
    assert [(u.buyer, u.reason) for u in schedule.unscheduled] == [
        ("NYC2", "NYC2's hours (America/New_York) miss the room's hours on every day of the event")]


def test_a_window_a_week_away_is_still_an_error(tmp_path):
    path = write(tmp_path, event({"NYC1": [EVENING_BEFORE, {"date": "2026-10-30", "start": "09:00", "end": "19:00"}]}))
    with pytest.raises(EventError) as error:
        load_event(path)
    assert [str(p) for p in error.value.problems] == [
        "event.yaml: buyers[0].available[1]: 2026-10-30 09:00-19:00 (America/New_York), "
        "2026-10-30 22:00-2026-10-31 08:00 in Asia/Seoul, lies outside the event "
        "(2026-10-22 09:00-18:00, 2026-10-23 09:00-18:00, Asia/Seoul)"]


def test_the_command_line_prints_the_warning_and_solves(tmp_path):
    path = write(tmp_path, event({"NYC1": [EVENING_BEFORE, LAST_DAY]}))
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["solve", str(path), "--out", str(out), "--time-limit", "5", "--quiet"])
    assert result.exit_code == 0, result.output
    assert ("warning: event.yaml: buyers[0].available[1]: 2026-10-23 09:00-19:00 (America/New_York)"
            in result.stderr)
    checked = CliRunner().invoke(main, ["check", str(path), str(out / "schedule.json")])
    assert checked.exit_code == 0 and checked.stdout.startswith("ok: 1 meetings")


def test_a_long_event_with_the_same_hours_every_day_names_them_once(tmp_path):
    # Five days of 09:00-18:00: the warning gives the hours once with the first and last day, not
    # a list of five.
    data = event({"NYC1": [EVENING_BEFORE, LAST_DAY]})
    first = data["event"]["days"][0]
    data["event"]["days"] = [dict(first, date=f"2026-10-{day}") for day in (19, 20, 21, 22, 23)]
    warnings = [str(w) for w in load_event(write(tmp_path, data)).warnings]
    assert len(warnings) == 1
    assert warnings[0].endswith("misses the room's hours "
                                "(09:00-18:00 on each of the 5 days from 2026-10-19 to 2026-10-23, Asia/Seoul); ignored")


def test_a_person_whose_windows_miss_the_room_on_several_days_gets_one_warning(tmp_path):
    # Five days; NYC1's office hours fall in the room's night on four of them: one warning at its
    # `available`, the first two windows named and the others counted.
    data = event({"NYC1": [EVENING_BEFORE, LAST_DAY]})
    first = data["event"]["days"][0]
    data["event"]["days"] = [dict(first, date=f"2026-10-{day}") for day in (19, 20, 21, 22, 23)]
    data["buyers"][0]["available"] = [EVENING_BEFORE] + [
        {"date": f"2026-10-{day}", "start": "09:00", "end": "19:00"} for day in (19, 20, 21, 23)]
    warnings = [str(w) for w in load_event(write(tmp_path, data)).warnings]
    assert warnings == [
        "event.yaml: buyers[0].available: 4 of its 5 windows miss the room's hours "
        "(09:00-18:00 on each of the 5 days from 2026-10-19 to 2026-10-23, Asia/Seoul): "
        "2026-10-19 09:00-19:00 (America/New_York), 2026-10-19 22:00-2026-10-20 08:00 in Asia/Seoul; "
        "2026-10-20 09:00-19:00 (America/New_York), 2026-10-20 22:00-2026-10-21 08:00 in Asia/Seoul; "
        "and 2 more; ignored"]
