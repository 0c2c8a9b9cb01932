"""A replan's documents: calendars update the published entries instead of adding second ones
(RFC 5545: the same UID per meeting, SEQUENCE raised on a change, a cancelled meeting sent as
cancelled), and agendas say what changed."""

from __future__ import annotations

import copy

from icalendar import Calendar

from scheduler.changes import compare, marked
from scheduler.model.baseline import replan
from scheduler.model.load import load_event
from scheduler.model.schedule_file import load_schedule
from scheduler.render import render_documents
from scheduler.solve import Stop, solve, to_schedule

from replan_case import DAY, EVENT, write_case


def _entries(files, person: str) -> dict[str, tuple]:
    calendar = Calendar.from_ical(files[f"calendars/{person}.ics"])
    return {str(item["summary"]): (str(item["uid"]), int(item.get("sequence", 0)), str(item.get("status", "")),
                                   item.decoded("dtstart"))
            for item in calendar.walk("VEVENT")}


def test_replanned_calendars_update_and_cancel_the_published_entries(tmp_path):
    # F2 now arrives at 09:30 (B2-F2 at 09:00 must move) and B1-F1 is withdrawn (cancelled).
    event = copy.deepcopy(EVENT)
    event["firms"][1]["available"] = [{"date": DAY, "start": "09:30", "end": "11:00"}]
    event["requests"] = event["requests"][1:]
    event_file, baseline_file = write_case(tmp_path, event)
    edited = load_event(event_file).event
    published = load_schedule(baseline_file)
    before = render_documents(edited, published)  # the published calendars (their people are all still in)
    replanned = replan(edited, published)
    schedule = to_schedule(replanned.problem, solve(replanned.problem, Stop(time_limit=5)))
    after = render_documents(edited, marked(schedule, compare(edited, published, schedule)))

    old, new = _entries(before, "buyer-B2"), _entries(after, "buyer-B2")
    moved = "Meeting with F Two"
    assert new[moved][0] == old[moved][0]  # the same UID
    assert (old[moved][1], new[moved][1]) == (0, 1) and new[moved][3] != old[moved][3]
    kept = "Meeting with F Three"
    assert new[kept][:2] == old[kept][:2]  # unchanged: the same UID and SEQUENCE
    old_b1, new_b1 = _entries(before, "buyer-B1"), _entries(after, "buyer-B1")
    cancelled = "Meeting with F One"
    assert new_b1[cancelled][0] == old_b1[cancelled][0]
    assert new_b1[cancelled][1:3] == (1, "CANCELLED")
    message = Calendar.from_ical(after["calendars/buyer-B1-cancelled.ics"])
    assert str(message["method"]) == "CANCEL"
    assert [str(item["uid"]) for item in message.walk("VEVENT")] == [old_b1[cancelled][0]]
    assert "calendars/buyer-B2-cancelled.ics" not in after  # B2 lost no meeting
    assert "changed: moved from 09:00–09:30, table T01" in after["agendas/buyer-B2.html"]
    assert "changed:" not in before["agendas/buyer-B2.html"]
    page = after["changes.html"]
    assert "changes.html" in after["index.html"] and "changes.html" not in before
    assert page.count("<h2>") == 4  # buyers B1 and B2, firms F1 and F2: F3's meeting is kept
    assert "request withdrawn" in page and "moved" in page
