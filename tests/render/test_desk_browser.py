"""The desk grid in a real headless Chromium with a fixed clock, opened as a file and served over HTTP.

The browser is Debian's ``chromium`` (``.ci/run`` installs it), driven by
Playwright; nothing is downloaded at run time. The viewer's zone is Los
Angeles throughout, so a page that read the viewer's clock instead of the
venue's (Seoul, 16 hours ahead) would mark the wrong slot and day.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import itertools
import re
import shutil
import threading
from pathlib import Path

import pytest
from desk_room import FRI, PLAN, ROOM, meeting, publish, schedule_of

from scheduler.model.grid import Grid
from scheduler.model.load import load_event
from scheduler.render.desk import publication_version

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed: pip install -e '.[test]'")

CHROMIUM = shutil.which("chromium")
# As root and offline, Chromium needs these or it hangs on network lookups; Playwright gives it a fresh profile.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCENARIOS = Path(__file__).parents[2] / "scenarios"
SEOUL = dt.timezone(dt.timedelta(hours=9))

@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed: apt-get install chromium (Debian; .ci/run installs it)")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def room(tmp_path):
    source = tmp_path / "room.yaml"
    source.write_text(ROOM)
    event = load_event(source).event
    folder = tmp_path / "published"
    publish(folder, event, PLAN)
    return event, folder


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(params=["file", "http"])
def served(request, room):
    """The published folder's base address: as a file, or from a static server on a free port."""
    event, folder = room
    if request.param == "file":
        yield event, folder, folder.as_uri() + "/"
        return
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder.parent)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield event, folder, f"http://127.0.0.1:{server.server_address[1]}/{folder.name}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def open_desk(browser, url: str, venue_time: str, width: int = 1280):
    """A page at ``venue_time`` (Seoul) for a viewer in Los Angeles."""
    context = browser.new_context(viewport={"width": width, "height": 900}, timezone_id="America/Los_Angeles")
    page = context.new_page()
    page.clock.install(time=dt.datetime.fromisoformat(venue_time).replace(tzinfo=SEOUL))
    page.goto(url)
    return page


def visible_text(page, selector: str) -> list[str]:
    return [re.sub(r"\s+", " ", t).strip() for t in page.locator(selector).all_inner_texts()]


def booth_live(page, booth: str) -> tuple[str, str]:
    row = page.locator(f"section.day:not([hidden]) tr[data-booth='{booth}']")
    return row.locator(".live-now").inner_text(), row.locator(".live-next").inner_text()


def test_the_current_slot_and_who_is_in_each_booth_now_and_next(browser, served):
    _, _, base = served
    page = open_desk(browser, base + "grid.html", "2026-10-23T09:20")
    try:
        # Los Angeles reads Thu 17:20; the venue's Fri 09:20 is what counts.
        assert "Venue time Fri 23 Oct, 09:20 (Asia/Seoul) · current slot 09:00–10:00" in page.inner_text("#live")
        assert visible_text(page, "section.day:not([hidden]) h2 .title") == ["Fri 23 Oct 2026"]
        assert visible_text(page, "section.day:not([hidden]) thead th.now") == ["09:00"]
        assert visible_text(page, "section.day:not([hidden]) thead th.past") == ["07:00", "08:00"]
        assert booth_live(page, "TC01") == ("Now: Pohang Rice Noodle with Jonas Weber (until 10:00)",
                                            "Next: 10:30 Hanbit Cosmetics with Maria Gomez")
        assert booth_live(page, "TC02") == ("Now: free", "Next: Mon 26 Oct 08:00 Gyeongsan Precision Hydraulic "
                                                         "Pump Manufacturing Co., Ltd. with Jonas Weber")
        assert booth_live(page, "TC11") == ("Now: Hanbit Cosmetics with Jonas Weber (until 10:00)",
                                            "Next: 11:30 Online job fair (reserved)")
        # The two-slot meeting is one cell, marked as a whole.
        spanning = page.locator("section[data-day='2026-10-23'] tr[data-booth='TC11'] td.now")
        assert spanning.count() == 1 and spanning.get_attribute("colspan") == "2"
        assert "Jonas Weber" in spanning.inner_text()
    finally:
        page.context.close()


def test_a_break_marks_no_slot_and_names_the_break(browser, served):
    _, _, base = served
    page = open_desk(browser, base + "grid.html", "2026-10-23T10:10")
    try:
        assert "· Tea 10:00–10:30" in page.inner_text("#live")
        assert page.locator("section.day:not([hidden]) .now").count() == 0
        assert booth_live(page, "TC01") == ("Now: free", "Next: 10:30 Hanbit Cosmetics with Maria Gomez")
    finally:
        page.context.close()


def test_the_page_follows_the_day_until_one_is_chosen(browser, served):
    _, _, base = served
    page = open_desk(browser, base + "grid.html", "2026-10-26T08:30")
    try:
        assert visible_text(page, "section.day:not([hidden]) h2 .title") == ["Mon 26 Oct 2026"]
        assert booth_live(page, "TC02") == ("Now: Gyeongsan Precision Hydraulic Pump Manufacturing Co., Ltd. "
                                            "with Jonas Weber (until 09:00)", "Next: none")
        page.get_by_role("button", name="Fri 23 Oct 2026").click()
        assert visible_text(page, "section.day:not([hidden]) h2 .title") == ["Fri 23 Oct 2026"]
        assert page.evaluate("location.hash") == "#day=2026-10-23"
        # Another day is shown as planned: every slot in it is past, none is now.
        assert page.locator("section.day:not([hidden]) .now").count() == 0
        page.get_by_role("button", name="All days").click()
        assert visible_text(page, "section.day:not([hidden]) h2 .title") == ["Fri 23 Oct 2026", "Mon 26 Oct 2026"]
        page.get_by_role("button", name="Today").click()
        assert visible_text(page, "section.day:not([hidden]) h2 .title") == ["Mon 26 Oct 2026"]
        page.evaluate("location.hash = 'day=2025-01-01'")  # an old link: a day not in the event
        assert visible_text(page, "section.day:not([hidden]) h2 .title") == ["Mon 26 Oct 2026"]
    finally:
        page.context.close()


def test_on_a_day_off_the_page_shows_the_next_event_day(browser, served):
    _, _, base = served
    page = open_desk(browser, base + "grid.html", "2026-10-24T12:00")  # a Saturday
    try:
        assert "· next event day Mon 26 Oct" in page.inner_text("#live")
        assert visible_text(page, "section.day:not([hidden]) h2 .title") == ["Mon 26 Oct 2026"]
        assert booth_live(page, "TC01") == ("Now: free", "Next: none")
        assert booth_live(page, "TC02")[1] == ("Next: Mon 26 Oct 08:00 Gyeongsan Precision Hydraulic Pump "
                                               "Manufacturing Co., Ltd. with Jonas Weber")
        assert page.locator("section.day:not([hidden]) .now, section.day:not([hidden]) .past").count() == 0
    finally:
        page.context.close()


def visible_rows(page) -> list[str]:
    """Each shown row of the shown days: its booth, or its floor heading."""
    return page.evaluate("""() => [...document.querySelectorAll('section.day:not([hidden]) tbody tr')]
        .filter(row => !row.hidden).map(row => row.dataset.booth || row.textContent.trim())""")


def test_the_floor_filter_shows_only_that_floor(browser, served):
    _, _, base = served
    page = open_desk(browser, base + "grid.html", "2026-10-23T09:20")
    try:
        assert visible_rows(page) == ["Floor 1", "TC01", "TC02", "Floor 2", "TC11"]
        page.get_by_role("button", name="Floor 2").click()
        assert visible_rows(page) == ["Floor 2", "TC11"]
        assert page.evaluate("location.hash") == "#floor=2"
        page.reload()  # the choice is kept in the address
        assert visible_rows(page) == ["Floor 2", "TC11"]
        page.get_by_role("button", name="All floors").click()
        assert visible_rows(page) == ["Floor 1", "TC01", "TC02", "Floor 2", "TC11"]
    finally:
        page.context.close()


def test_a_replan_reloads_the_open_page_and_a_republished_same_plan_does_not(browser, served):
    event, folder, base = served
    page = open_desk(browser, base + "grid.html", "2026-10-23T09:20")
    try:
        page.evaluate("window.notReloaded = true")
        publish(folder, event, PLAN)  # the same plan again: the same version
        page.clock.run_for(31_000)
        assert page.evaluate("window.notReloaded === true")
        assert "This page reloads itself when a new plan is published" in page.inner_text("#published")

        replan = [m for m in PLAN if m["booth"] != "TC01"] + [meeting("LAX1", "F3", "TC01", FRI, "09:00", "10:00")]
        publish(folder, event, replan)
        with page.expect_navigation():
            page.clock.run_for(31_000)
        page.wait_for_load_state()
        assert page.evaluate("window.notReloaded === undefined")
        assert page.url.endswith("grid.html?v=" + publication_version(event, schedule_of(event, replan)))
        assert booth_live(page, "TC01") == ("Now: Hanbit Cosmetics with Maria Gomez (until 10:00)", "Next: none")
    finally:
        page.context.close()


def test_a_missing_version_file_is_reported_and_the_page_keeps_working(browser, room):
    _, folder = room
    (folder / "published.js").unlink()
    page = open_desk(browser, (folder / "grid.html").as_uri(), "2026-10-23T09:20")
    try:
        page.wait_for_function("document.getElementById('published').textContent.includes('Could not read')")
        assert "current slot 09:00–10:00" in page.inner_text("#live")
    finally:
        page.context.close()


def test_a_page_that_stays_old_after_reloading_says_so_instead_of_reloading_again(browser, room):
    _, folder = room
    (folder / "published.js").write_text('window.schedulePublished = {"version": "elsewhere"};\n')
    page = open_desk(browser, (folder / "grid.html").as_uri(), "2026-10-23T09:20")
    try:
        page.wait_for_url("**/grid.html?v=elsewhere")
        page.wait_for_function("document.getElementById('published').textContent.includes('could not be loaded')")
        page.evaluate("window.notReloaded = true")
        page.clock.run_for(61_000)
        assert page.evaluate("window.notReloaded === true")
    finally:
        page.context.close()


@pytest.mark.parametrize("days, sheets", [("all", 2), ("2026-10-26", 1)])
def test_printing_is_a3_landscape_one_sheet_per_day_shown(browser, room, days, sheets):
    _, folder = room
    page = open_desk(browser, (folder / "grid.html").as_uri() + f"#day={days}", "2026-10-23T09:20")
    try:
        pdf = page.pdf(prefer_css_page_size=True)
    finally:
        page.context.close()
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    # Each day of the test room fits on one sheet; a day printed alone starts on the first.
    assert len(boxes) == sheets
    assert {(round(float(w) / 72 * 25.4), round(float(h) / 72 * 25.4)) for w, h in boxes} == {(420, 297)}  # A3


def crowded(event) -> list[dict]:
    """Every booth in every slot, first come first placed, with the longest names and a relay in every other slot."""
    longest = [i.id for i in sorted(event.interpreters, key=lambda i: -len(i.name))[:2]]
    tables = {buyer.id: buyer.booth for buyer in event.buyers if buyer.booth}
    meetings, busy = [], set()
    requests = itertools.cycle(event.requests)
    for booth in event.booths:
        for slot in Grid(event.event).slots:
            for _ in range(len(event.requests)):
                request = next(requests)
                if event.kind == "plaza" and tables.get(request.buyer, booth.id) != booth.id:
                    continue
                if {(request.buyer, slot.index), (request.firm, slot.index)} & busy:
                    continue
                busy |= {(request.buyer, slot.index), (request.firm, slot.index)}
                meetings.append({"buyer": request.buyer, "firm": request.firm, "booth": booth.id,
                                 "start": slot.start.isoformat(), "end": slot.end.isoformat(),
                                 "interpreters": longest if slot.index % 2 else []})
                break
    return meetings


@pytest.mark.parametrize("scenario", ["kotra-teleconference-week.yaml", "daegu-plaza.yaml", None])
def test_nothing_overflows_at_1280_pixels(browser, tmp_path, room, scenario):
    if scenario is None:
        folder = room[1]
    else:
        event = load_event(SCENARIOS / scenario).event
        folder = tmp_path / "crowded"
        publish(folder, event, crowded(event))
    page = open_desk(browser, folder.as_uri() + "/grid.html#day=all", "2026-10-23T09:20")
    try:
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280
        clipped = page.evaluate("""() => [...document.querySelectorAll(
            'section.day:not([hidden]) th, section.day:not([hidden]) td, #live, #filters, h1, nav')]
            .filter(e => e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right > 1280)
            .map(e => e.tagName + ': ' + e.textContent.slice(0, 60))""")
        assert clipped == []
        assert page.locator("section.day:not([hidden]) td").count() > 0
    finally:
        page.context.close()
