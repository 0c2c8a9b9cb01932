"""The desk grid's data without a browser: the published version, and stays spanning slots."""

from __future__ import annotations

import json
import re

from desk_room import PLAN, ROOM, meeting, schedule_of

from scheduler.model.load import load_event
from scheduler.render import render_documents


def rendered(tmp_path, meetings):
    source = tmp_path / "room.yaml"
    source.write_text(ROOM)
    event = load_event(source).event
    return render_documents(event, schedule_of(event, meetings))


def embedded(files) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="desk-data">(.*?)</script>',
                                files["grid.html"], re.S).group(1))


def test_the_version_names_the_plan_and_is_the_same_in_the_page_and_beside_it(tmp_path):
    first = rendered(tmp_path, PLAN)
    again = rendered(tmp_path, PLAN)
    replan = rendered(tmp_path, PLAN[:-1] + [meeting("BER1", "F1", "TC02", "2026-10-26", "09:00", "10:00")])
    version = json.loads(first["published.json"])["version"]
    assert first["published.js"] == f'window.schedulePublished = {{"version": "{version}", "event": "Desk Test Room"}};\n'
    assert embedded(first)["version"] == version
    assert json.loads(again["published.json"])["version"] == version  # writing the same plan reloads no page
    assert json.loads(replan["published.json"])["version"] != version


def test_a_meeting_over_two_slots_is_one_cell_and_times_are_instants(tmp_path):
    files = rendered(tmp_path, PLAN)
    row = re.search(r'<section class="day" data-day="2026-10-23".*?(<tr data-booth="TC11".*?</tr>)',
                    files["grid.html"], re.S).group(1)
    cells = re.findall(r'<td class="([\w -]+)"( colspan="\d")? data-start="(\d+)" data-end="(\d+)"', row)
    # 07:00 free; 08:00-10:00 the meeting; 10:30 free (the tea break is no slot); 11:30 the job fair.
    assert [(kind, span) for kind, span, *_ in cells] == [
        ("free", ""), ("meeting", ' colspan="2"'), ("free after-break", ""), ("reserved", "")]
    start, end = int(cells[1][2]), int(cells[1][3])
    assert (start, end - start) == (1792710000000, 2 * 3600 * 1000)  # 2026-10-23 08:00 Seoul = 23:00 UTC the day before
    assert embedded(files)["booths"]["TC11"][0]["what"] == "Hanbit Cosmetics with Jonas Weber"
