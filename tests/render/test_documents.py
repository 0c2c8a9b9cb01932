"""Documents from hand-made schedules: golden agendas, links, time zones, calendars."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pendulum
import pytest
import yaml
from icalendar import Calendar

from scheduler.model.load import load_event
from scheduler.model.schedule_file import ScheduleFile
from scheduler.render import render_documents

EXAMPLES = Path(__file__).parents[2] / "examples"
REFERENCE = Path(__file__).parent / "reference"


def meeting(buyer, firm, booth, start, end, interpreters=()):
    return {"buyer": buyer, "firm": firm, "booth": booth, "start": start, "end": end,
            "interpreters": list(interpreters)}


def schedule(name: str, meetings: list[dict]) -> ScheduleFile:
    return ScheduleFile.model_validate({
        "event": name, "status": "feasible", "meetings": meetings, "unscheduled": [],
        "stats": {"requested": len(meetings), "scheduled": len(meetings), "priority_requested": 0,
                  "priority_scheduled": 0, "solve_seconds": 0.0},
    })


TELE = [
    meeting("BKK1", "F1", "TC01", "2026-10-23T09:00:00+09:00", "2026-10-23T10:00:00+09:00", ["I1", "BKK-KOTRA"]),
    meeting("LAX1", "F2", "TC02", "2026-10-23T07:00:00+09:00", "2026-10-23T08:00:00+09:00"),
    meeting("BER1", "F3", "TC03", "2026-10-23T16:00:00+09:00", "2026-10-23T17:00:00+09:00", ["I2"]),
    meeting("BER1", "F4", "TC03", "2026-10-26T16:00:00+09:00", "2026-10-26T18:00:00+09:00", ["I2"]),
]
PLAZA = [
    meeting("B1", "F1", "T01", "2026-06-18T09:30:00+09:00", "2026-06-18T10:00:00+09:00", ["I1"]),
    meeting("B1", "F2", "T01", "2026-06-18T10:00:00+09:00", "2026-06-18T10:30:00+09:00"),
    meeting("B1", "F3", "T01", "2026-06-18T11:15:00+09:00", "2026-06-18T11:45:00+09:00", ["I2"]),
]


def text_of(html: str) -> str:
    html = re.sub(r"<(style|script)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


@pytest.mark.parametrize("example, meetings, document, reference", [
    ("mini-plaza", PLAZA, "agendas/buyer-B1.html", "plaza-buyer-B1.html"),
    ("mini-teleconference", TELE, "agendas/interpreter-BKK-KOTRA.html", "tele-interpreter-BKK-KOTRA.html"),
])
def test_agenda_matches_the_reviewed_reference(example, meetings, document, reference):
    event = load_event(EXAMPLES / f"{example}.yaml").event
    agenda = render_documents(event, schedule(event.event.name, meetings))[document]
    if os.environ.get("UPDATE_REFERENCE"):
        (REFERENCE / reference).write_text(agenda)
    assert agenda == (REFERENCE / reference).read_text()


def test_every_document_linked_from_the_index_exists():
    event = load_event(EXAMPLES / "mini-teleconference.yaml").event
    files = render_documents(event, schedule(event.event.name, TELE))
    links = re.findall(r'href="([^"]+)"', files["index.html"])
    assert links and all(link.split("#")[0] in files for link in links)
    for person in [*event.buyers, *event.firms]:
        role = "buyer" if person in event.buyers else "firm"
        assert f"agendas/{role}-{person.id}.html" in files
    assert {"grid.html#day=2026-10-23", "grid.html#day=2026-10-26"} <= set(links)


def test_remote_agenda_shows_local_time_first_and_names_the_local_day():
    # Seoul Fri 23 Oct 07:00 is Thu 22 Oct 15:00 in Los Angeles (UTC-7).
    event = load_event(EXAMPLES / "mini-teleconference.yaml").event
    text = text_of(render_documents(event, schedule(event.event.name, TELE))["agendas/buyer-LAX1.html"])
    assert "Thu 22 Oct 2026" in text
    assert "15:00–16:00 Fri 23 Oct 07:00–08:00 Seoul" in text


def test_berlin_agenda_moves_with_summer_time():
    # Seoul 16:00 is 09:00 in Berlin on 23 Oct (UTC+2) and 08:00 on 26 Oct (UTC+1).
    event = load_event(EXAMPLES / "mini-teleconference.yaml").event
    text = text_of(render_documents(event, schedule(event.event.name, TELE))["agendas/buyer-BER1.html"])
    assert "Fri 23 Oct 2026 Time Booth With Languages Interpreter 09:00–10:00" in text
    assert "Mon 26 Oct 2026 Time Booth With Languages Interpreter 08:00–10:00" in text


def test_calendars_parse_back_to_the_same_instants():
    event = load_event(EXAMPLES / "mini-teleconference.yaml").event
    sched = schedule(event.event.name, TELE)
    files = render_documents(event, sched)
    calendar = Calendar.from_ical(files["calendars/buyer-BER1.ics"])
    found = sorted((e.decoded("dtstart"), e.decoded("dtend")) for e in calendar.walk("VEVENT"))
    expected = sorted((m.start, m.end) for m in sched.meetings if m.buyer == "BER1")
    assert [(pendulum.instance(a), pendulum.instance(b)) for a, b in found] == \
        [(pendulum.instance(a), pendulum.instance(b)) for a, b in expected]
    relay = Calendar.from_ical(files["calendars/interpreter-BKK-KOTRA.ics"])
    (only,) = relay.walk("VEVENT")
    assert pendulum.instance(only.decoded("dtstart")) == pendulum.parse("2026-10-23T00:00:00Z")


def test_a_name_with_a_line_break_and_separators_stays_one_calendar_name(tmp_path):
    # A CSV cell copied from a spreadsheet can hold a line break; RFC 5545 text escapes it, and
    # the comma, semicolon and backslash, in every property, the calendar's name included.
    name = "Kim, M.; A\\B\nSeoul"
    data = yaml.safe_load((EXAMPLES / "mini-plaza.yaml").read_text())
    data["buyers"][0]["name"] = name
    (tmp_path / "plaza.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    event = load_event(tmp_path / "plaza.yaml").event
    files = render_documents(event, schedule(event.event.name, PLAZA))
    calendar = Calendar.from_ical(files["calendars/buyer-B1.ics"])
    assert "X-WR-CALNAME:Mini Export Plaza: Kim\\, M.\\; A\\\\B\\nSeoul\r\n" in files["calendars/buyer-B1.ics"].decode()
    assert len(calendar.walk("VEVENT")) == 3


def test_grid_marks_reservations_and_names_buyer_local_time():
    event = load_event(EXAMPLES / "mini-teleconference.yaml").event
    grid = text_of(render_documents(event, schedule(event.event.name, TELE))["grid.html"])
    assert "Online job fair" in grid
    assert "Maria Gomez (Thu 15:00 local)" in grid
    assert "Floor 1" in grid and "Floor 2" in grid
