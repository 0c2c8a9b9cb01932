"""A replan's agendas say what changed since the published one: a cancelled meeting struck through
in its published slot with why, a moved one with where it was; in the reader's language, on the
page and in its PDF. And the calendars' DTSTAMP is when the schedule was produced.

The new schedules are written by hand (no solve), so each change is known: the replan plaza of
``replan_case``, marked against its baseline by ``scheduler.changes`` as ``schedule solve
--baseline`` marks it.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from scheduler.changes import compare, marked
from scheduler.model.load import event_from_data
from scheduler.model.schedule_file import ScheduleFile
from scheduler.render import render_documents

from replan_case import BASELINE, EVENT, meeting

MOVED_AND_CANCELLED = {
    # B1-F2 is withdrawn (its 09:30 meeting at T02 cancelled); B2-F2 moves from 09:00 to 10:00
    # (F2 now arrives late), at the same table T01. F2 has one of each.
    "requests": [{"buyer": "B1", "firm": "F1"}, {"buyer": "B2", "firm": "F2"}, {"buyer": "B2", "firm": "F3"}],
    "meetings": [meeting("B1", "F1", "T02", "09:00"), meeting("B2", "F3", "T01", "09:30"),
                 meeting("B2", "F2", "T01", "10:00")],
}


def text_of(html: str) -> str:
    html = re.sub(r"<(style|script)\b.*?</\1>", "", html, flags=re.S)
    html = re.sub(r"</?(span|del)[^>]*>", "", html)  # inline: no space in its place
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _event(edits: dict | None = None, **changes) -> dict:
    event = copy.deepcopy(EVENT)
    event.update(changes)
    for firm in event["firms"]:
        firm.update((edits or {}).get(firm["id"], {}))
    return event


def _replanned(event_data: dict, meetings: list[dict], unscheduled: tuple = (), baseline: dict = BASELINE,
               pdfs: bool = False, **stats) -> dict:
    """The documents of ``meetings`` as a replan of ``baseline`` writes them."""
    event = event_from_data(copy.deepcopy(event_data)).event
    schedule = ScheduleFile.model_validate({
        "event": event.event.name, "status": "feasible", "meetings": meetings, "unscheduled": list(unscheduled),
        "stats": {"requested": len(event.requests), "scheduled": len(meetings), "priority_requested": 0,
                  "priority_scheduled": 0, "solve_seconds": 0.0, **stats}})
    published = ScheduleFile.model_validate(baseline)
    return render_documents(event, marked(schedule, compare(event, published, schedule)), pdfs=pdfs)


def _pdf_text(data: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


# What F2's agenda says, in English and in Korean (a firm that speaks Korean reads Korean).
F2_SAYS = {
    "en": ["changed: moved from 09:00–09:30, table T01", "cancelled: request withdrawn",
           "This agenda replaces the one published earlier"],
    "ko": ["변경: 09:00–09:30, 테이블 T01에서 옮김", "취소: 상담 신청 철회",
           "이 일정표는 이전에 배포된 일정표를 대신합니다"],
}


@pytest.mark.parametrize("language", ["en", "ko"])
def test_an_agenda_shows_its_moved_meeting_and_its_cancelled_one_struck_through(language):
    event = _event({"F2": {"languages": ["ko", "en"]}} if language == "ko" else None,
                   requests=MOVED_AND_CANCELLED["requests"])
    files = _replanned(event, MOVED_AND_CANCELLED["meetings"])
    page = files["agendas/firm-F2.html"]
    text = text_of(page)
    for said in F2_SAYS[language]:
        assert said in text
    # The cancelled meeting stays in its published slot (09:30, B1's table T02), struck through,
    # between the 09:00 slot it no longer has and the moved meeting at 10:00.
    rows = re.findall(r"<tr( class=\"\w+\")?>(.*?)</tr>", page, flags=re.S)[1:]
    assert [(kind, text_of(cells).split()[0]) for kind, cells in rows] == [
        (' class="cancelled"', "09:30–10:00"), (' class="moved"', "10:00–10:30")]
    assert "<del>09:30–10:00</del>" in page and "<del>T02</del>" in page and "<del>B One</del>" in page
    assert "1 meeting." in text or "상담 1건." in text  # the cancelled one is not counted
    # Its buyer sees the same cancellation; the moved meeting's buyer sees where it was.
    assert "cancelled: request withdrawn" in text_of(files["agendas/buyer-B1.html"])
    assert "changed: moved from 09:00–09:30, table T01" in text_of(files["agendas/buyer-B2.html"])
    # Nothing changed for F1 and F3: nothing is said.
    for kept in ("agendas/firm-F1.html", "agendas/firm-F3.html"):
        assert "changed" not in files[kept] and "<del>" not in files[kept]


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_agendas_pdf_says_it_too(language):
    event = _event({"F2": {"languages": ["ko", "en"]}} if language == "ko" else None,
                   requests=MOVED_AND_CANCELLED["requests"])
    files = _replanned(event, MOVED_AND_CANCELLED["meetings"], pdfs=True)
    text = _pdf_text(files["agendas/firm-F2.pdf"])
    for said in F2_SAYS[language]:
        assert said in text


def test_a_schedule_that_is_no_replan_marks_nothing():
    event = event_from_data(copy.deepcopy(EVENT)).event
    files = render_documents(event, ScheduleFile.model_validate(BASELINE))
    for path, content in files.items():
        if path.startswith("agendas/"):
            assert 'class="change"' not in content and "<del>" not in content and "changed" not in content
            assert "p.changed" not in content  # not even the marks' styles


@pytest.mark.parametrize("language", ["en", "ko"])
def test_each_reason_is_said_in_the_readers_language(language):
    # F1 withdraws from the event (B1-F1 cancelled), and B2-F3 no longer fits (F3 now arrives at
    # 10:30, when B2 is fully booked): B1 and B2 each see theirs, in the reader's language.
    reader = {"languages": ["ko", "en"]} if language == "ko" else {}
    event = _event(requests=[{"buyer": "B1", "firm": "F2"}, {"buyer": "B2", "firm": "F2"},
                             {"buyer": "B2", "firm": "F3"}],
                   firms=[firm for firm in EVENT["firms"] if firm["id"] != "F1"])
    event["buyers"] = [{**buyer, **reader} for buyer in event["buyers"]]
    if language == "ko":
        event["buyers"] = [{**buyer, "agenda_language": "ko"} for buyer in event["buyers"]]
    meetings = [meeting("B1", "F2", "T02", "09:30"), meeting("B2", "F2", "T01", "09:00")]
    unscheduled = [{"buyer": "B2", "firm": "F3", "reason": "B2 is fully booked in every slot F3 is available"}]
    files = _replanned(event, meetings, unscheduled)
    b1, b2 = text_of(files["agendas/buyer-B1.html"]), text_of(files["agendas/buyer-B2.html"])
    if language == "en":
        assert "cancelled: person withdrawn: F1 is no longer in the event" in b1
        assert "cancelled: no longer fits: B2 is fully booked in every slot F3 is available" in b2
    else:
        assert "취소: 참가 철회: F1 님이 행사에 더 이상 참가하지 않음" in b1
        # The solver's explanation is written in English only; the words around it are Korean.
        assert "취소: 더 이상 일정에 넣을 수 없음: B2 is fully booked in every slot F3 is available" in b2
    # F1 has left: B1's cancelled meeting names it by its id, on the agenda and in the calendar.
    assert "<del>F1</del>" in files["agendas/buyer-B1.html"]
    (item,) = [i for i in Calendar.from_ical(files["calendars/buyer-B1-cancelled.ics"]).walk("VEVENT")]
    assert str(item["status"]) == "CANCELLED" and "F1" in str(item["summary"])


def test_an_interpreter_taken_off_a_meeting_sees_it_struck_and_the_new_one_sees_who_had_it():
    event = _event(interpreters=[{"id": "I1", "name": "Ann Interpreter", "languages": ["en", "de"]},
                                 {"id": "I2", "name": "Ben Interpreter", "languages": ["en", "zh"]}])
    baseline = copy.deepcopy(BASELINE)
    baseline["meetings"][3]["interpreters"] = ["I1"]  # B2-F3 at 09:30, T01
    meetings = copy.deepcopy(BASELINE["meetings"])
    meetings[3]["interpreters"] = ["I2"]
    files = _replanned(event, meetings, baseline=baseline)
    assert "changed: another interpreter (was Ann Interpreter)" in text_of(files["agendas/interpreter-I2.html"])
    assert "changed: another interpreter (was Ann Interpreter)" in text_of(files["agendas/firm-F3.html"])
    first = text_of(files["agendas/interpreter-I1.html"])
    assert "no longer yours: another interpreter takes it" in first and "No meetings are scheduled for you." in first
    (item,) = Calendar.from_ical(files["calendars/interpreter-I1-cancelled.ics"]).walk("VEVENT")
    assert (str(item["status"]), int(item["sequence"])) == ("CANCELLED", 1)


def test_a_meeting_moved_to_another_day_says_the_day_and_a_table_change_says_which_table():
    # A second day: B2-F2 moves from the first day's 09:00 to the second's 10:00; B1-F1 stays at
    # 09:00 but at table T01 instead of T02.
    event = _event()
    event["event"]["days"].append({"date": "2026-06-19", "open": "09:00", "close": "11:00"})
    meetings = copy.deepcopy(BASELINE["meetings"])
    meetings[0]["booth"] = "T01"
    meetings[2].update(start="2026-06-19T10:00:00+09:00", end="2026-06-19T10:30:00+09:00")
    files = _replanned(event, meetings)
    assert "changed: moved from Thu 18 Jun 2026 09:00–09:30, table T01" in text_of(files["agendas/firm-F2.html"])
    assert "changed: another table (was T02)" in text_of(files["agendas/firm-F1.html"])


# --- DTSTAMP ------------------------------------------------------------------------------------

def _stamps(files) -> set[dt.datetime]:
    return {item.decoded("dtstamp") for path, content in files.items() if path.endswith(".ics")
            for item in Calendar.from_ical(content).walk("VEVENT")}


def test_every_calendar_entry_is_stamped_when_the_schedule_was_produced():
    event = event_from_data(copy.deepcopy(EVENT)).event
    produced = {**BASELINE, "stats": {**BASELINE["stats"], "generated": "2026-06-10T07:45:12Z"}}
    files = render_documents(event, ScheduleFile.model_validate(produced))
    assert _stamps(files) == {dt.datetime(2026, 6, 10, 7, 45, 12, tzinfo=dt.timezone.utc)}
    assert b"DTSTAMP:20260610T074512Z" in files["calendars/buyer-B1.ics"]
    # A replan's calendars, cancelled entries included, carry the replan's own time.
    replanned = _replanned(_event(requests=MOVED_AND_CANCELLED["requests"]), MOVED_AND_CANCELLED["meetings"],
                           generated="2026-06-17T22:00:00Z")
    assert _stamps(replanned) == {dt.datetime(2026, 6, 17, 22, 0, tzinfo=dt.timezone.utc)}


def test_a_schedule_file_without_its_time_is_stamped_at_the_events_first_opening():
    # 2026-06-18 09:00 in Seoul: 00:00 UTC. The same file gives the same calendars, every time.
    event = event_from_data(copy.deepcopy(EVENT)).event
    files = render_documents(event, ScheduleFile.model_validate(BASELINE))
    assert _stamps(files) == {dt.datetime(2026, 6, 18, 0, 0, tzinfo=dt.timezone.utc)}
    again = render_documents(event, ScheduleFile.model_validate(BASELINE))
    assert all(files[path] == again[path] for path in files if path.endswith(".ics"))
