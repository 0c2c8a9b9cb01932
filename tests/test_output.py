"""Publishing the output folder whole: replans, failures midway, permissions, folders that are not ours."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import scheduler.output as output
from scheduler.cli import main
from scheduler.output import NotOurFolder, write_atomically

FIRST = {
    "schedule.json": "{}\n",
    "index.html": "<p>first plan</p>",
    "agendas/buyer-B1.html": "B1, first plan",
    "agendas/buyer-B2.html": "B2, first plan",
    "calendars/buyer-B2.ics": b"BEGIN:VCALENDAR\r\n",
}


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.parent.iterdir() if p.name.startswith(f".{folder.name}.")]


def test_a_replan_that_drops_a_person_removes_their_agenda(tmp_path):
    out = tmp_path / "plaza"
    write_atomically(out, FIRST)
    replan = {"schedule.json": "{}\n", "index.html": "<p>replan</p>", "agendas/buyer-B1.html": "B1, replan"}
    write_atomically(out, replan)
    # B2 left the event: neither the agenda nor the calendar of the first plan survives.
    assert tree(out) == {name: content.encode() for name, content in replan.items()}
    assert leftovers(out) == []


def test_a_failure_while_writing_leaves_the_old_folder_intact(tmp_path, monkeypatch):
    out = tmp_path / "plaza"
    write_atomically(out, FIRST)
    before = tree(out)
    calls = []

    def disk_full_at_the_third_file(path, mode):
        calls.append(path)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return open(path, mode)

    monkeypatch.setattr(output, "open", disk_full_at_the_third_file, raising=False)
    with pytest.raises(OSError, match="No space"):
        write_atomically(out, {name: f"replan {name}" for name in FIRST})
    assert tree(out) == before
    assert leftovers(out) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the one-step exchange is Linux's renameat2")
def test_on_linux_the_folders_trade_places_in_one_step(tmp_path, monkeypatch):
    # With renames refused, only the exchange can publish over the old folder: the folder's
    # path is never missing, as it would be between two renames.
    out = tmp_path / "plaza"
    write_atomically(out, FIRST)

    def refuse(source, target):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(output.os, "rename", refuse)
    write_atomically(out, {"schedule.json": "{}\n", "index.html": "replan"})
    assert tree(out) == {"index.html": b"replan", "schedule.json": b"{}\n"}
    assert leftovers(out) == []


def test_a_failed_exchange_leaves_the_old_folder_in_place(tmp_path, monkeypatch):
    out = tmp_path / "plaza"
    write_atomically(out, FIRST)
    before = tree(out)

    def fail(first, second):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(output, "_exchange", fail)
    with pytest.raises(OSError, match="Input/output"):
        write_atomically(out, {"schedule.json": "{}\n", "index.html": "replan"})
    assert tree(out) == before
    assert leftovers(out) == []


@pytest.mark.parametrize("failing", ["plaza", ".plaza.new-"])  # renaming the old folder aside, the new one in
def test_without_the_exchange_a_failed_rename_leaves_the_old_folder_in_place(tmp_path, monkeypatch, failing):
    out = tmp_path / "plaza"
    write_atomically(out, FIRST)
    before = tree(out)
    monkeypatch.setattr(output, "_exchange", lambda first, second: False)  # as where renameat2 is missing
    real_rename = os.rename

    def refuse(source, target):
        if Path(source).name.startswith(failing):
            raise OSError(5, "Input/output error")
        real_rename(source, target)

    monkeypatch.setattr(output.os, "rename", refuse)
    with pytest.raises(OSError, match="Input/output"):
        write_atomically(out, {"schedule.json": "{}\n", "index.html": "replan"})
    assert tree(out) == before
    assert leftovers(out) == []


def test_files_are_0644_and_folders_0755_whatever_the_umask(tmp_path):
    out = tmp_path / "plaza"
    previous = os.umask(0o077)
    try:
        write_atomically(out, FIRST)
        write_atomically(out, FIRST)  # a replan too, not only a first publish
    finally:
        os.umask(previous)
    modes = {str(p.relative_to(tmp_path)): stat.S_IMODE(p.stat().st_mode) for p in [out, *out.rglob("*")]}
    assert modes == {
        "plaza": 0o755, "plaza/agendas": 0o755, "plaza/calendars": 0o755,
        **{f"plaza/{name}": 0o644 for name in FIRST},
    }


def test_an_empty_folder_is_used_and_a_folder_of_other_files_is_refused(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    write_atomically(empty, FIRST)
    assert tree(empty).keys() == FIRST.keys()

    foreign = tmp_path / "photos"
    foreign.mkdir()
    (foreign / "holiday.jpg").write_bytes(b"jpeg")
    with pytest.raises(NotOurFolder, match="holds other files and no schedule.json"):
        write_atomically(foreign, FIRST)
    assert tree(foreign) == {"holiday.jpg": b"jpeg"}
    assert leftovers(foreign) == []

    documents_only = tmp_path / "documents"  # published without the schedule file: still ours
    write_atomically(documents_only, {"published.json": "{}", "index.html": "<p>plan</p>"})
    write_atomically(documents_only, {"published.json": "{}", "index.html": "<p>replan</p>"})
    assert tree(documents_only)["index.html"] == b"<p>replan</p>"

    link = tmp_path / "link"
    link.symlink_to(empty)
    with pytest.raises(NotOurFolder, match="a file or a link"):
        write_atomically(link, FIRST)
    assert link.is_symlink() and tree(empty).keys() == FIRST.keys()


def test_a_path_outside_the_folder_is_refused_and_nothing_is_published(tmp_path):
    out = tmp_path / "plaza"
    write_atomically(out, FIRST)
    before = tree(out)
    with pytest.raises(ValueError, match="outside the output folder"):
        write_atomically(out, {"schedule.json": "{}", "../escaped.html": "x"})
    assert tree(out) == before
    assert leftovers(out) == []
    assert not (tmp_path / "escaped.html").exists()


MINI = """\
event:
  name: Two tables
  kind: plaza
  timezone: Asia/Seoul
  meeting_minutes: 30
  days: [{date: 2026-06-18, open: "09:30", close: "10:30"}]
booths: {count: 1, prefix: T}
buyers: [{id: B1, name: Somchai Prasert, languages: [en], booth: T01}]
firms: [{id: F1, name: Hanbit Cosmetics, languages: [en]}]
requests: [{buyer: B1, firm: F1, priority: 5}]
"""


def test_solve_refuses_an_out_folder_that_is_not_ours_before_solving(tmp_path):
    event = tmp_path / "mini.yaml"
    event.write_text(MINI)
    foreign = tmp_path / "home"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    result = CliRunner().invoke(main, ["solve", str(event), "--out", str(foreign), "--time-limit", "5"])
    assert result.exit_code == 2, result.output
    assert f"{foreign}: holds other files and no schedule.json" in result.output
    assert "nothing was written" in result.output
    assert "Traceback" not in result.output and "greedy start" not in result.output
    assert tree(foreign) == {"notes.txt": b"mine"}

    ours = tmp_path / "plan"
    solved = CliRunner().invoke(main, ["solve", str(event), "--out", str(ours), "--time-limit", "5"])
    assert solved.exit_code == 0, solved.output
    assert {"schedule.json", "grid.html", "published.json", "published.js"} <= set(tree(ours))


def test_solve_says_plainly_when_the_folder_cannot_be_written(tmp_path):
    event = tmp_path / "mini.yaml"
    event.write_text(MINI)
    (tmp_path / "a-file").write_text("not a folder")
    result = CliRunner().invoke(main, ["solve", str(event), "--out", str(tmp_path / "a-file" / "plan"),
                                       "--time-limit", "5"])
    assert result.exit_code == 2, result.output
    assert f"{tmp_path / 'a-file' / 'plan'}: could not be written" in result.output
    assert "Traceback" not in result.output


def test_solving_again_without_a_buyer_removes_their_agenda_and_calendar(tmp_path):
    two = MINI.replace("booths: {count: 1, prefix: T}", "booths: {count: 2, prefix: T}").replace(
        "buyers: [{id: B1, name: Somchai Prasert, languages: [en], booth: T01}]",
        "buyers: [{id: B1, name: Somchai Prasert, languages: [en], booth: T01},\n"
        "         {id: B2, name: Ana Souza, languages: [en], booth: T02}]").replace(
        "requests: [{buyer: B1, firm: F1, priority: 5}]",
        "requests: [{buyer: B1, firm: F1, priority: 5}, {buyer: B2, firm: F1, priority: 3}]")
    out = tmp_path / "plan"
    for text in (two, MINI):  # B2 leaves the event, and the plan is made again
        event = tmp_path / "event.yaml"
        event.write_text(text)
        solved = CliRunner().invoke(main, ["solve", str(event), "--out", str(out), "--time-limit", "5"])
        assert solved.exit_code == 0, solved.output
        if text is two:
            assert {"agendas/buyer-B2.html", "calendars/buyer-B2.ics"} <= set(tree(out))
    assert not any("B2" in name for name in tree(out))
    assert "agendas/buyer-B1.html" in tree(out)
