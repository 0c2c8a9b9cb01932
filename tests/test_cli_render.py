"""``schedule solve`` writes the PDFs; ``schedule render`` writes the documents of an existing
schedule again without solving."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from click.testing import CliRunner

from scheduler.cli import main

EVENT = Path(__file__).parent / "render" / "events" / "scripts-plaza.yaml"


def test_solve_writes_the_pdfs_and_reports_render_time_apart(tmp_path):
    out = tmp_path / "plaza"
    result = CliRunner().invoke(main, ["solve", str(EVENT), "--out", str(out), "--time-limit", "5", "--quiet"])
    assert result.exit_code == 0, result.output
    assert "  documents " in result.output and "  time " in result.output
    for bundle in ("buyers", "firms", "interpreters", "desk-grid"):
        assert (out / "print" / f"{bundle}.pdf").read_bytes().startswith(b"%PDF")
    assert (out / "agendas" / "firm-F1.pdf").exists() and (out / "agendas" / "interpreter-I3.pdf").exists()
    assert 'href="print/firms.pdf"' in (out / "index.html").read_text()
    assert 'href="firm-F1.pdf">인쇄용 PDF</a>' in (out / "agendas" / "firm-F1.html").read_text()


def test_render_rewrites_the_documents_without_solving(tmp_path):
    out = tmp_path / "plaza"
    runner = CliRunner()
    assert runner.invoke(main, ["solve", str(EVENT), "--out", str(out), "--time-limit", "5", "--quiet"]).exit_code == 0
    schedule = (out / "schedule.json").read_bytes()
    # A firm asks for its agenda in English: render again, into another folder.
    changed = tmp_path / "scripts-plaza.yaml"
    changed.write_text(EVENT.read_text(encoding="utf-8").replace(
        "languages: [ko, en]}", "languages: [ko, en], agenda_language: en}"), encoding="utf-8")
    again = tmp_path / "again"
    result = runner.invoke(main, ["render", str(changed), str(out / "schedule.json"), "--out", str(again),
                                  "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "rendered in" in result.output
    # The PDFs take most of the time: each bundle is told as it is laid out, counted.
    told = sorted(re.findall(r"PDFs: ([a-z ]+) laid out \((\d) of 4\)", result.output))
    assert [name for name, _ in told] == ["buyers", "desk grid", "firms", "interpreters"]
    assert sorted(count for _, count in told) == ["1", "2", "3", "4"]
    assert (again / "schedule.json").read_bytes() == schedule
    assert "Thu 18 Jun 2026" in (again / "agendas" / "firm-F1.html").read_text()
    assert "2026년 6월 18일 (목)" in (out / "agendas" / "firm-F1.html").read_text()
    assert (again / "print" / "firms.pdf").exists()
    # The calendars are stamped with the time the solve wrote into the file (DTSTAMP, RFC 5545),
    # not the time of rendering: the buyers' (in English both times) are the same again.
    generated = json.loads(schedule)["stats"]["generated"]
    stamp = dt.datetime.fromisoformat(generated).strftime("DTSTAMP:%Y%m%dT%H%M%SZ").encode()
    calendar = (out / "calendars" / "buyer-B1.ics").read_bytes()
    assert stamp in calendar and (again / "calendars" / "buyer-B1.ics").read_bytes() == calendar


def test_render_refuses_a_schedule_that_breaks_the_rules(tmp_path):
    out = tmp_path / "plaza"
    runner = CliRunner()
    assert runner.invoke(main, ["solve", str(EVENT), "--out", str(out), "--time-limit", "5", "--quiet"]).exit_code == 0
    data = json.loads((out / "schedule.json").read_text())
    first, second = data["meetings"][0], data["meetings"][1]
    second["start"], second["end"], second["firm"] = first["start"], first["end"], first["firm"]
    (tmp_path / "bad.json").write_text(json.dumps(data))
    result = runner.invoke(main, ["render", str(EVENT), str(tmp_path / "bad.json"), "--out", str(tmp_path / "x")])
    assert result.exit_code == 1
    assert "nothing was written" in result.output
    assert not (tmp_path / "x").exists()


def test_render_with_bad_input_exits_2(tmp_path):
    result = CliRunner().invoke(main, ["render", str(EVENT), str(tmp_path / "missing.json")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_render_takes_a_renamed_event_and_writes_the_new_name(tmp_path):
    out = tmp_path / "plaza"
    runner = CliRunner()
    assert runner.invoke(main, ["solve", str(EVENT), "--out", str(out), "--time-limit", "5", "--quiet"]).exit_code == 0
    old = json.loads((out / "schedule.json").read_text())["event"]
    renamed = tmp_path / "scripts-plaza.yaml"
    renamed.write_text(EVENT.read_text(encoding="utf-8").replace(old, "Busan Business Plaza 2026", 1), encoding="utf-8")
    again = tmp_path / "again"
    result = runner.invoke(main, ["render", str(renamed), str(out / "schedule.json"), "--out", str(again),
                                  "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert f"the schedule was written for {old!r}" in result.output
    written = json.loads((again / "schedule.json").read_text())
    assert written["event"] == "Busan Business Plaza 2026"
    assert {k: v for k, v in written.items() if k != "event"} == {
        k: v for k, v in json.loads((out / "schedule.json").read_text()).items() if k != "event"}
    assert "Busan Business Plaza 2026" in (again / "index.html").read_text()
    checked = runner.invoke(main, ["check", str(renamed), str(again / "schedule.json")])
    assert checked.exit_code == 0, checked.output
    # A replan of the renamed event takes the schedule written under the new name as its baseline,
    # and refuses the one written under the old name, saying what to do.
    refused = runner.invoke(main, ["solve", str(renamed), "--baseline", str(out / "schedule.json"),
                                   "--out", str(tmp_path / "replan"), "--quiet"])
    assert refused.exit_code == 2 and "`schedule render` this event with the baseline first" in refused.output
    replanned = runner.invoke(main, ["solve", str(renamed), "--baseline", str(again / "schedule.json"),
                                     "--out", str(tmp_path / "replan"), "--time-limit", "5", "--quiet"])
    assert replanned.exit_code == 0, replanned.output
