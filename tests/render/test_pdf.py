"""PDFs: every script's glyphs embedded, one person per page and a day per page, the desk grid
on one landscape page per day."""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from pathlib import Path

import pytest
import yaml
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from scheduler.model.load import event_from_data, load_event
from scheduler.model.schedule_file import ScheduleFile
from scheduler.render import render_documents

EVENTS = Path(__file__).parent / "events"
EXAMPLES = Path(__file__).parents[2] / "examples"


def schedule(event, meetings: list[dict]) -> ScheduleFile:
    return ScheduleFile.model_validate({
        "event": event.event.name, "status": "feasible", "meetings": meetings, "unscheduled": [],
        "stats": {"requested": len(meetings), "scheduled": len(meetings), "priority_requested": 0,
                  "priority_scheduled": 0, "solve_seconds": 0.0},
    })


def meeting(buyer, firm, booth, start: dt.datetime, interpreters=(), minutes=30) -> dict:
    return {"buyer": buyer, "firm": firm, "booth": booth, "start": start.isoformat(),
            "end": (start + dt.timedelta(minutes=minutes)).isoformat(), "interpreters": list(interpreters)}


SEOUL = dt.timezone(dt.timedelta(hours=9))


def at(hour: int, minute: int = 0, day: int = 18) -> dt.datetime:
    return dt.datetime(2026, 6, day, hour, minute, tzinfo=SEOUL)


def pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


# --- Glyphs -------------------------------------------------------------------------------------

def _to_unicode(font) -> dict[int, str]:
    """The font's ToUnicode CMap: character code (here the glyph id) -> text."""
    text = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    found: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for code, target in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            found[int(code, 16)] = bytes.fromhex(target).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for low, high, target in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            start = int(target, 16)
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                found[code] = chr(start + offset)
    return found


def drawn_characters(data: bytes) -> set[str]:
    """Characters that a font embedded in the PDF draws with a real glyph (one with an outline,
    not .notdef): looked up in the embedded font program's own cmap, and through the PDF's
    ToUnicode map for glyphs reached only by shaping (Arabic joining forms, Thai marks)."""
    drawn: set[str] = set()
    seen = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for reference in page["/Resources"]["/Font"].values():
            font = reference.get_object()
            if font["/BaseFont"] in seen:
                continue
            seen.add(font["/BaseFont"])
            descendant = font["/DescendantFonts"][0].get_object()
            assert descendant.get("/CIDToGIDMap", "/Identity") == "/Identity"
            descriptor = descendant["/FontDescriptor"].get_object()
            (key,) = [k for k in descriptor if k.startswith("/FontFile")]
            program = TTFont(io.BytesIO(descriptor[key].get_object().get_data()))
            order = program.getGlyphOrder()
            glyphs = program.getGlyphSet()

            def has_outline(name: str) -> bool:
                if order.index(name) == 0:  # .notdef: the box
                    return False
                pen = BoundsPen(glyphs)
                glyphs[name].draw(pen)
                return pen.bounds is not None

            for codepoint, name in (program.getBestCmap() or {}).items():
                if has_outline(name):
                    drawn.add(chr(codepoint))
            for code, text in _to_unicode(font).items():
                if code < len(order) and has_outline(order[code]):
                    drawn.update(text)
    return drawn


@pytest.fixture(scope="module")
def scripts_pdfs() -> tuple:
    event = load_event(EVENTS / "scripts-plaza.yaml").event
    meetings = [
        meeting("B1", "F1", "T01", at(9), ["I1"]), meeting("B2", "F1", "T02", at(9, 30), ["I1"]),
        meeting("B3", "F1", "T03", at(10), ["I2"]), meeting("B4", "F1", "T04", at(10, 30), ["I2"]),
        meeting("B5", "F2", "T05", at(9), ["I3"]), meeting("B6", "F2", "T06", at(9, 30), ["I3"]),
        meeting("B7", "F2", "T07", at(10), ["I3"]),
    ]
    return event, render_documents(event, schedule(event, meetings), pdfs=True)


def test_every_character_of_every_name_is_drawn_by_an_embedded_font(scripts_pdfs):
    event, files = scripts_pdfs
    drawn = set()
    for path, data in files.items():
        if path.startswith("print/"):
            drawn |= drawn_characters(data)
    people = [*event.buyers, *event.firms, *event.interpreters]
    names = [text for p in people for text in (p.name, p.name_local, p.company) if text]
    scripts = {"Hangul": "앞", "Han": "王", "Kana": "ゆ", "Thai": "ส", "Arabic": "م", "Cyrillic": "И",
               "Mongolian Cyrillic": "Ө", "Vietnamese": "ễ"}
    assert all(any(sample in name for name in names) for sample in scripts.values())
    # A character may be drawn as its parts (Thai ำ as ํ and า): then each part must be.
    missing = {ch for name in names for ch in name
               if not ch.isspace() and ch not in drawn and not set(unicodedata.normalize("NFKD", ch)) <= drawn}
    assert not missing, f"drawn by no embedded font: {''.join(sorted(missing))}"


def test_names_read_back_from_the_pdfs(scripts_pdfs):
    _, files = scripts_pdfs
    firm = "\n".join(pages(files["agendas/firm-F1.pdf"]))
    assert "앞산뷰티 (Apsan Beauty)" in firm  # a Korean reader: the Hangul name first
    assert "2026년 6월 18일 (목)" in firm
    buyer = "\n".join(pages(files["agendas/buyer-B5.pdf"]))
    assert "Olga Ivanova (Ольга Иванова)" in buyer and "Thu 18 Jun 2026" in buyer


# --- Pages --------------------------------------------------------------------------------------

def _long_day_event() -> tuple:
    """16 slots (08:00-16:00), one interpreter in every one of them, on the first of two days.
    Names as long as the Daegu plaza's longest (a buyer's name and company: 52 characters, a
    firm's name 28, with its Hangul name beside)."""
    buyers = [{"id": f"B{n:02d}", "name": f"Nguyen Thi Huong {n}", "country": "TH",
               "company": f"Shenzhen Qianhai Cross-border Trade No. {n}",
               "languages": ["th"], "booth": f"T{n:02d}"} for n in range(1, 17)]
    firms = [{"id": f"F{n:02d}", "name": f"Daegu Apple Farm Cooperative {n}",
              "name_local": f"대구사과농장협동조합 {n}", "languages": ["ko"]} for n in range(1, 17)]
    data = {
        "event": {"name": "Long Day Plaza", "kind": "plaza", "timezone": "Asia/Seoul", "meeting_minutes": 30,
                  "days": [{"date": "2026-06-18", "open": "08:00", "close": "16:00"},
                           {"date": "2026-06-19", "open": "08:00", "close": "16:00"}]},
        "booths": {"count": 16, "prefix": "T"},
        "buyers": buyers, "firms": firms,
        "interpreters": [{"id": "I1", "name": "Shin Eunji", "name_local": "신은지", "languages": ["ko", "th"]},
                         {"id": "I2", "name": "Kwon Nayeon", "name_local": "권나연", "languages": ["ko", "th"]}],
        "requests": [{"buyer": b["id"], "firm": f["id"]} for b in buyers for f in firms],
    }
    event = event_from_data(data).event
    meetings = [meeting(f"B{n:02d}", f"F{n:02d}", f"T{n:02d}", at(8) + dt.timedelta(minutes=30 * (n - 1)), ["I1"])
                for n in range(1, 17)]
    meetings.append(meeting("B01", "F02", "T01", at(9, day=19), ["I2"]))
    return event, schedule(event, meetings)


def test_a_day_of_16_meetings_fits_one_page_and_each_person_starts_a_page():
    event, sched = _long_day_event()
    files = render_documents(event, sched, pdfs=True)
    interpreters = pages(files["print/interpreters.pdf"])
    # I1: 16 meetings on one day, one page; I2: one meeting on the second day, one page.
    assert len(interpreters) == 2
    assert "Shin Eunji" in interpreters[0] and interpreters[0].count("–") >= 16
    assert "Kwon Nayeon" in interpreters[1]
    assert pages(files["agendas/interpreter-I1.pdf"]) == interpreters[:1]
    # The running header names the event, the person and the day (I1 reads Korean).
    assert "Long Day Plaza" in interpreters[0] and "2026년 6월 18일 (목)" in interpreters[0]
    # B01 meets on both days: a page per day, each with its own day in the header.
    buyer = pages(files["agendas/buyer-B01.pdf"])
    assert len(buyer) == 2 and "Thu 18 Jun 2026" in buyer[0] and "Fri 19 Jun 2026" in buyer[1]
    # The bundle is every person's pages in order, one person from a new page.
    buyers = pages(files["print/buyers.pdf"])
    assert len(buyers) == sum(len(pages(files[f"agendas/buyer-{b.id}.pdf"])) for b in event.buyers)


def test_chunks_laid_out_apart_join_into_the_same_bundle(monkeypatch):
    # Three buyers to a chunk: the 16 buyers' agendas are laid out in 6 chunks, by 2 workers.
    # The joined bundle holds every buyer's pages in order, and each person's PDF is theirs.
    import scheduler.render.documents as documents

    event, sched = _long_day_event()
    whole = render_documents(event, sched, pdfs=True)
    monkeypatch.setattr(documents, "PEOPLE_PER_CHUNK", 3)
    chunked = render_documents(event, sched, pdfs=True, workers=2)
    assert pages(chunked["print/buyers.pdf"]) == pages(whole["print/buyers.pdf"])
    order = [re.search(r"Nguyen Thi Huong \d+", page).group() for page in pages(chunked["print/buyers.pdf"])]
    assert order[:3] == ["Nguyen Thi Huong 1", "Nguyen Thi Huong 1", "Nguyen Thi Huong 2"]  # B01 meets on two days
    for buyer in event.buyers:
        assert pages(chunked[f"agendas/buyer-{buyer.id}.pdf"]) == pages(whole[f"agendas/buyer-{buyer.id}.pdf"])
    # A person's PDF carries its chunk's font subsets, not the whole role's.
    assert len(chunked["agendas/buyer-B01.pdf"]) < len(whole["agendas/buyer-B01.pdf"])


def _full_grid(event) -> ScheduleFile:
    """Every table busy in every slot, each meeting with an interpreter: the tallest grid."""
    from scheduler.model.grid import Grid

    grid = Grid(event.event)
    firms = [f.id for f in event.firms]
    meetings = []
    for slot_index, slot in enumerate(grid.slots):
        for n, buyer in enumerate(event.buyers):
            meetings.append({"buyer": buyer.id, "firm": firms[(n + slot_index) % len(firms)], "booth": buyer.booth,
                             "start": slot.start.isoformat(), "end": slot.end.isoformat(),
                             "interpreters": [event.interpreters[n % len(event.interpreters)].id]})
    return schedule(event, meetings)


def test_the_daegu_desk_grid_is_one_landscape_page_even_when_full():
    event = load_event(Path(__file__).parents[2] / "scenarios" / "daegu-plaza.yaml").event
    event = event.model_copy(update={"buyers": tuple(b.model_copy(update={"booth": f"T{n:02d}"})
                                                     for n, b in enumerate(event.buyers, start=1))})
    files = render_documents(event, _full_grid(event), pdfs=True)
    reader = PdfReader(io.BytesIO(files["print/desk-grid.pdf"]))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert box.width > box.height  # landscape
    text = reader.pages[0].extract_text()
    assert "T01" in text and "T50" in text


def test_a_teleconference_day_too_big_for_a_page_is_printed_a_floor_per_page():
    booths = [{"id": f"TC{n:02d}", "name": f"Booth {n}", "floor": 1 if n <= 24 else 2} for n in range(1, 49)]
    data = {
        "event": {"name": "Big Teleconference Room", "kind": "teleconference", "timezone": "Asia/Seoul",
                  "meeting_minutes": 60, "days": [{"date": "2026-10-23", "open": "07:00", "close": "22:00"},
                                                  {"date": "2026-10-26", "open": "07:00", "close": "22:00"}]},
        "booths": booths,
        "buyers": [{"id": f"B{n:02d}", "name": f"Buyer {n}", "company": f"Company {n}", "languages": ["en"],
                    "timezone": "Europe/Berlin"} for n in range(1, 49)],
        "firms": [{"id": f"F{n:02d}", "name": f"Firm {n}", "languages": ["ko"]} for n in range(1, 49)],
        "interpreters": [{"id": "I1", "name": "Kim Minji", "languages": ["ko", "en"]}],
        "requests": [{"buyer": "B01", "firm": "F01"}],
    }
    event = event_from_data(data).event
    meetings = []
    for hour in range(7, 22):
        for n in range(1, 49):
            start = dt.datetime(2026, 10, 23, hour, tzinfo=SEOUL)
            meetings.append(meeting(f"B{n:02d}", f"F{(n + hour) % 48 + 1:02d}", f"TC{n:02d}", start, ["I1"],
                                    minutes=60))
    meetings.append(meeting("B48", "F48", "TC48", dt.datetime(2026, 10, 26, 9, tzinfo=SEOUL), minutes=60))
    files = render_documents(event, schedule(event, meetings), pdfs=True)
    grid = pages(files["print/desk-grid.pdf"])
    # The full Friday a floor per page; the Monday, one meeting, on one page in large type.
    assert len(grid) == 3
    assert "FLOOR 1" in grid[0] and "FLOOR 2" not in grid[0]  # floor rows are set in capitals
    assert "FLOOR 2" in grid[1] and "Booth 48" in grid[1]
    assert "Fri 23 Oct 2026" in grid[1] and "Mon 26 Oct 2026" in grid[2] and "Firm 48" in grid[2]
    assert "FLOOR 1" in grid[2] and "FLOOR 2" in grid[2]


# --- The desk grid is the desk page ---------------------------------------------------------------

def _plaza_over(days: int) -> tuple:
    """The mini plaza example over ``days`` days (Thursday, Friday, then Monday), each day with
    a meeting of its own firm: F1's on the first, F4's on the second, F5's on the third."""
    data = yaml.safe_load((EXAMPLES / "mini-plaza.yaml").read_text())
    first = data["event"]["days"][0]
    data["event"]["days"] = [{**first, "date": date} for date in ("2026-06-18", "2026-06-19", "2026-06-22")[:days]]
    event = event_from_data(data).event
    meetings = [meeting("B1", "F1", "T01", at(9, 30)), meeting("B2", "F4", "T02", at(10, day=19), ["I2"]),
                meeting("B3", "F5", "T03", at(11, 30, day=22))]
    return event, schedule(event, meetings[:days])


@pytest.mark.parametrize("days", [1, 3])
def test_the_grid_pdf_is_the_desk_page_a_day_a_page_without_its_controls(days):
    event, sched = _plaza_over(days)
    files = render_documents(event, sched, pdfs=True)
    grid = pages(files["print/desk-grid.pdf"])
    titles = ["Thu 18 Jun 2026", "Fri 19 Jun 2026", "Mon 22 Jun 2026"][:days]
    firms = ["Hanbit Cosmetics", "Gumi Electronics", "Andong Crafts"][:days]
    assert len(grid) == days
    for number, text in enumerate(grid):
        # Each day's page names its own day only, and shows its own meeting only.
        assert [title in text for title in titles] == [n == number for n in range(days)]
        assert [firm in text for firm in firms] == [n == number for n in range(days)]
        assert "Mini Export Plaza" in text and "Coffee 11:00–11:15" in text
    # The desk page's controls, live marks and script are on screen only.
    page = files["grid.html"]
    assert all(control in page for control in ("All documents", "Plan ", "desk-data", "reloads itself"))
    if days > 1:
        assert "All days" in page
    printed = "\n".join(grid)
    for control in ("All documents", "Today", "All days", "Day", "Plan ", "Venue time", "Now:", "Next:",
                    "reload", "schedulePublished", "check_seconds", "{"):
        assert control not in printed
