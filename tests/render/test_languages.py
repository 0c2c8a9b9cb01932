"""Agendas and calendars in the reader's language; names in their own script; video calls for
remote readers."""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from icalendar import Calendar

from scheduler.model.errors import EventError
from scheduler.model.languages import AGENDA_LANGUAGES
from scheduler.model.load import event_from_data
from scheduler.model.schedule_file import ScheduleFile
from scheduler.render import render_documents
from scheduler.render.i18n import LOCALE_DIR

SEOUL = dt.timezone(dt.timedelta(hours=9))


def text_of(html: str) -> str:
    html = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    html = re.sub(r"</?span[^>]*>", "", html)  # inline: no space in its place
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


EVENT = {
    "event": {"name": "Mini Plaza", "kind": "plaza", "timezone": "Asia/Seoul", "meeting_minutes": 30,
              "days": [{"date": "2026-06-18", "open": "09:30", "close": "12:00",
                        "breaks": [{"start": "11:00", "end": "11:15", "label": "Coffee"}]}]},
    "booths": [{"id": "T01", "video_call": {"link": "https://meet.example.org/t01", "meeting_id": 8123456789,
                                            "passcode": "plaza"}},
               {"id": "T02"}],
    "buyers": [
        {"id": "B1", "name": "Somchai Prasert", "company": "Siam Trading", "country": "TH", "languages": ["th", "en"],
         "booth": "T01", "remote": True, "timezone": "Asia/Bangkok"},
        {"id": "B2", "name": "Kim Jiho", "name_local": "김지호", "company": "Seoul Imports", "country": "KR",
         "languages": ["ko"], "booth": "T02", "agenda_language": "ko"},
    ],
    "firms": [
        {"id": "F1", "name": "Apsan Beauty", "name_local": "앞산뷰티", "country": "KR", "languages": ["ko", "en"]},
        {"id": "F2", "name": "Daegu Textile", "name_local": "대구텍스타일", "country": "KR", "languages": ["ko"],
         "agenda_language": "en"},
    ],
    "interpreters": [{"id": "I1", "name": "Kim Minji", "name_local": "김민지", "languages": ["ko", "th"]},
                     {"id": "I2", "name": "Aliya Kim", "languages": ["ru", "en", "th"]}],
    "requests": [{"buyer": "B1", "firm": "F1"}, {"buyer": "B2", "firm": "F2"}],
}


def rendered(data: dict = EVENT) -> dict:
    event = event_from_data(copy.deepcopy(data)).event
    meetings = [
        {"buyer": "B1", "firm": "F1", "booth": "T01", "start": "2026-06-18T09:30:00+09:00",
         "end": "2026-06-18T10:00:00+09:00", "interpreters": ["I1"]},
        {"buyer": "B2", "firm": "F2", "booth": "T02", "start": "2026-06-18T10:00:00+09:00",
         "end": "2026-06-18T10:30:00+09:00", "interpreters": []},
    ]
    return render_documents(event, ScheduleFile.model_validate({
        "event": event.event.name, "status": "feasible", "meetings": meetings, "unscheduled": [],
        "stats": {"requested": 2, "scheduled": 2, "priority_requested": 6, "priority_scheduled": 6,
                  "solve_seconds": 0.0}}))


def test_a_korean_firm_reads_korean_with_its_hangul_name_first():
    text = text_of(rendered()["agendas/firm-F1.html"])
    assert text.startswith("Apsan Beauty · Mini Plaza")  # the page title keeps the file's name
    assert "앞산뷰티 (Apsan Beauty)" in text
    assert "2026년 6월 18일 (목)" in text and "09:30–10:00" in text
    assert "시간 테이블 상담 상대 언어 통역사" in text
    assert "Somchai Prasert, Siam Trading 태국, 태국어, 영어" in text
    assert "한국어 ↔ 태국어 김민지 (Kim Minji)" in text
    assert "상담 1건." in text
    assert 'lang="ko"' in rendered()["agendas/firm-F1.html"][:60]


def test_buyers_read_english_with_the_firm_romanised_first():
    text = text_of(rendered()["agendas/buyer-B1.html"])
    assert "Thu 18 Jun 2026" in text
    assert "Apsan Beauty (앞산뷰티) South Korea, Korean, English" in text
    assert "Korean ↔ Thai Kim Minji (김민지)" in text


def test_agenda_language_chooses_another_language_either_way():
    files = rendered()
    firm = text_of(files["agendas/firm-F2.html"])  # a Korean firm that asked for English
    assert "Thu 18 Jun 2026" in firm and "1 meeting." in firm
    assert "Daegu Textile (대구텍스타일)" in firm  # its first language is not the reader's: romanised first
    buyer = text_of(files["agendas/buyer-B2.html"])  # a buyer who asked for Korean
    assert "2026년 6월 18일 (목)" in buyer and "김지호 (Kim Jiho)" in buyer


def test_korean_speaking_interpreters_read_korean_others_english():
    files = rendered()
    assert "2026년 6월 18일 (목)" in text_of(files["agendas/interpreter-I1.html"])
    assert "No meetings are scheduled for you." in text_of(files["agendas/interpreter-I2.html"])


def test_calendars_speak_the_readers_language():
    files = rendered()
    (firm,) = Calendar.from_ical(files["calendars/firm-F1.ics"]).walk("VEVENT")
    assert str(firm["summary"]) == "Somchai Prasert, Siam Trading 상담"
    (buyer,) = Calendar.from_ical(files["calendars/buyer-B1.ics"]).walk("VEVENT")
    assert str(buyer["summary"]) == "Meeting with Apsan Beauty (앞산뷰티)"


def test_an_agenda_language_without_a_catalog_is_an_input_error():
    data = copy.deepcopy(EVENT)
    data["buyers"][0]["agenda_language"] = "ja"
    with pytest.raises(EventError) as error:
        event_from_data(data)
    assert [str(p) for p in error.value.problems] == [
        "event.yaml: buyers[0].agenda_language: agendas are written in 'en' or 'ko', not 'ja'"]


@pytest.mark.parametrize("language", [code for code in AGENDA_LANGUAGES if code != "en"])
def test_each_catalog_is_complete_and_its_compiled_file_up_to_date(language):
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    with (folder / "messages.po").open("rb") as stream:
        source = read_po(stream)
    with (folder / "messages.mo").open("rb") as stream:
        compiled = read_mo(stream)
    def texts(catalog) -> dict:
        return {m.id if isinstance(m.id, str) else m.id[0]: m.string if isinstance(m.string, str) else tuple(m.string)
                for m in catalog if m.id}

    wanted, shipped = texts(source), texts(compiled)
    assert wanted == shipped, "run: pybabel compile -d scheduler/render/locale"
    assert all(wanted.values()), "untranslated messages"
    # Every message the templates and the code use is in the catalog.
    used = set()
    render = Path(__file__).parents[2] / "scheduler" / "render"
    for path in [*render.glob("*.py"), render / "templates" / "agenda-body.html.j2"]:
        used |= set(re.findall(r'(?:gettext|_)\(\s*"((?:[^"\\]|\\.)*)"', path.read_text(encoding="utf-8")))
    used |= {"%(count)s meeting."}
    assert used <= set(wanted), sorted(used - set(wanted))


# --- Video calls ---------------------------------------------------------------------------------

def test_a_remote_buyer_sees_the_booths_video_call_at_its_own_time():
    files = rendered()
    text = text_of(files["agendas/buyer-B1.html"])
    # Seoul 09:30 is 07:30 in Bangkok.
    assert "07:30–08:00 Thu 18 Jun 09:30–10:00 Seoul" in text
    assert "Join the video call https://meet.example.org/t01 · Meeting ID: 8123456789 · Passcode: plaza" in text
    (item,) = Calendar.from_ical(files["calendars/buyer-B1.ics"]).walk("VEVENT")
    assert str(item["url"]) == str(item["location"]) == "https://meet.example.org/t01"
    assert "Meeting ID: 8123456789" in str(item["description"])
    assert item["dtstart"].params["TZID"] == "Asia/Bangkok"
    assert item.decoded("dtstart").replace(tzinfo=None) == dt.datetime(2026, 6, 18, 7, 30)
    assert item.decoded("dtstart") == dt.datetime(2026, 6, 18, 9, 30, tzinfo=SEOUL)


def test_people_at_the_venue_get_no_video_call():
    files = rendered()
    assert "meet.example.org" not in files["agendas/firm-F1.html"]
    assert b"meet.example.org" not in files["calendars/firm-F1.ics"]
