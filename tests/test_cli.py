"""The ``schedule`` command end to end: the contract examples solve, check and render."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from scheduler.cli import main

EXAMPLES = Path(__file__).parents[1].parent / "shared" / "spec" / "examples"


@pytest.mark.parametrize("name", ["mini-plaza", "mini-teleconference", "mini-brokerage"])
def test_contract_examples_solve_and_check(tmp_path, name):
    out = tmp_path / name
    runner = CliRunner()
    solved = runner.invoke(main, ["solve", str(EXAMPLES / f"{name}.yaml"), "--out", str(out), "--time-limit", "20"])
    assert solved.exit_code == 0, solved.output
    assert "proven optimal" in solved.output
    schedule = json.loads((out / "schedule.json").read_text())
    assert schedule["status"] == "optimal"
    assert schedule["stats"]["requested"] == len(schedule["meetings"]) + len(schedule["unscheduled"])
    assert (out / "index.html").exists()
    assert any((out / "agendas").iterdir())
    checked = runner.invoke(main, ["check", str(EXAMPLES / f"{name}.yaml"), str(out / "schedule.json")])
    assert checked.exit_code == 0, checked.output
    assert checked.output.startswith("ok:")


def test_check_finds_a_tampered_schedule(tmp_path):
    out = tmp_path / "plaza"
    runner = CliRunner()
    assert runner.invoke(main, ["solve", str(EXAMPLES / "mini-plaza.yaml"), "--out", str(out)]).exit_code == 0
    schedule = json.loads((out / "schedule.json").read_text())
    first, second = schedule["meetings"][0], schedule["meetings"][1]
    second["start"], second["end"] = first["start"], first["end"]
    second["firm"] = first["firm"]
    (out / "tampered.json").write_text(json.dumps(schedule))
    checked = runner.invoke(main, ["check", str(EXAMPLES / "mini-plaza.yaml"), str(out / "tampered.json")])
    assert checked.exit_code == 1
    assert "violation" in checked.output


def test_bad_input_leaves_earlier_output_untouched(tmp_path):
    out = tmp_path / "plaza"
    runner = CliRunner()
    assert runner.invoke(main, ["solve", str(EXAMPLES / "mini-plaza.yaml"), "--out", str(out)]).exit_code == 0
    before = (out / "schedule.json").read_bytes()
    broken = tmp_path / "mini-plaza.yaml"
    broken.write_text((EXAMPLES / "mini-plaza.yaml").read_text().replace("firm: F1, priority: 5", "firm: F99, priority: 5"))
    result = runner.invoke(main, ["solve", str(broken), "--out", str(out)])
    assert result.exit_code == 2
    assert "requests[0].firm: no firm 'F99'" in result.output
    assert "Traceback" not in result.output
    assert (out / "schedule.json").read_bytes() == before


def test_infeasible_event_exits_1_and_says_why(tmp_path):
    text = (EXAMPLES / "mini-plaza.yaml").read_text().replace(
        "{buyer: B4, firm: F5, priority: 5}", "{buyer: B4, firm: F5, priority: 5, pinned: {start: \"2026-06-18T09:30\"}}")
    event = tmp_path / "event.yaml"
    event.write_text(text)
    result = CliRunner().invoke(main, ["solve", str(event), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    schedule = json.loads((tmp_path / "out" / "schedule.json").read_text())
    assert schedule["status"] == "infeasible"
    reason = next(u["reason"] for u in schedule["unscheduled"] if u["buyer"] == "B4" and u["firm"] == "F5")
    assert "B4 is not available at its pinned time" in reason


def test_deterministic_solve_says_what_it_spent(tmp_path):
    out = tmp_path / "out"
    solved = CliRunner().invoke(main, ["solve", str(EXAMPLES / "mini-teleconference.yaml"), "--out", str(out),
                                       "--deterministic", "--quiet"])
    assert solved.exit_code == 0, solved.output
    assert "work units; repeatable with the same --seed, --workers and --time-limit" in solved.output
    stats = json.loads((out / "schedule.json").read_text())["stats"]
    assert stats["deterministic"] is True and stats["work_units"] >= 0


def test_plan_names_the_methods_of_each_level_without_solving(tmp_path):
    # The contract's brokerage example: every meeting required and placed by greedy, no
    # interpreters, so its idle gaps go to the busy patterns and the brokerage day's Kempe search.
    from click.testing import CliRunner

    from scheduler.cli import main
    example = Path(__file__).parent.parent / "examples" / "mini-brokerage.yaml"
    if not example.exists():  # before the examples moved into the repository
        example = Path(__file__).parent.parent.parent / "shared" / "spec" / "examples" / "mini-brokerage.yaml"
    result = CliRunner().invoke(main, ["plan", str(example)])
    assert result.exit_code == 0, result.output
    assert "idle gaps: obvious bound → busy patterns → Kempe chains, brokerage day" in result.output
    assert not (tmp_path / "mini-brokerage").exists()


CAPACITY_EVENT = """\
event: {name: Tiny, kind: plaza, timezone: Asia/Seoul, meeting_minutes: 30,
        days: [{date: 2026-06-18, open: "09:00", close: "10:30"}]}
booths: {count: 4, prefix: T}
buyers:
  - {id: B1, name: B1, languages: [ru], available: [{date: 2026-06-18, start: "09:00", end: "09:30"}]}
  - {id: B2, name: B2, languages: [ru], available: [{date: 2026-06-18, start: "09:00", end: "09:30"}]}
firms:
  - {id: F1, name: F1, languages: [ko]}
  - {id: F2, name: F2, languages: [ko]}
interpreters:
  - {id: I1, name: I1, languages: [ko, ru]}
requests:
  - {buyer: B1, firm: F1, priority: 5}
  - {buyer: B2, firm: F2, priority: 4}
"""


def test_capacity_reports_the_fewest_interpreters_and_writes_its_page(tmp_path):
    # One ko-ru interpreter; both Russian buyers are free only at 09:00: today B1-F1 (5) is
    # placed. Every request of priority 4 or more needs both at once: 2 ko-ru, one more (proven);
    # one more interpreter re-solved gains B2-F2 (+4), one fewer loses B1-F1 (-5).
    path = tmp_path / "event.yaml"
    path.write_text(CAPACITY_EVENT)
    out = tmp_path / "out"
    ran = CliRunner().invoke(main, ["capacity", str(path), "--target", "priority>=4", "--time-limit", "5",
                                    "--out", str(out)])
    assert ran.exit_code == 0, ran.output
    table = ran.output.splitlines()
    assert "Today's roster: 1 interpreter places 1 meeting, priority 5 (proven best)" in ran.output
    row = next(line.split() for line in table if line.strip().startswith("ko-ru "))
    assert row == ["ko-ru", "1", "2", "+1", "+4", "(+1)", "-5", "(-1)"]
    assert "fewest in all proven" in ran.output
    assert "Russian: 1 request of priority 4 waits for a ko-ru interpreter between 09:00 and 09:30" in ran.output
    page = (out / "capacity.html").read_text()
    assert "<svg" in page and not re.search(r'(src|href)="(https?:)?//', page)  # nothing loaded from outside


def test_capacity_rejects_a_profile_no_request_needs(tmp_path):
    path = tmp_path / "event.yaml"
    path.write_text(CAPACITY_EVENT)
    out = tmp_path / "out"
    ran = CliRunner().invoke(main, ["capacity", str(path), "--profile", "ko+fr", "--out", str(out)])
    assert ran.exit_code == 2
    assert (f"{path}: --profile ko+fr: nobody at the event speaks French: no request needs a ko-fr interpreter"
            in ran.output)
    assert not out.exists()


def test_capacity_writes_beside_a_published_schedule_or_in_a_folder_of_its_own(tmp_path, monkeypatch):
    # Without --out: a folder of its own (solve would refuse a new folder holding only the page
    # as not its own), or the published folder once a solve has written one.
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "event.yaml"
    path.write_text(CAPACITY_EVENT)
    runner = CliRunner()
    assert runner.invoke(main, ["capacity", str(path), "--time-limit", "2", "--no-marginal"]).exit_code == 0
    assert (tmp_path / "event-capacity" / "capacity.html").is_file()
    assert runner.invoke(main, ["solve", str(path), "--time-limit", "5"]).exit_code == 0
    assert runner.invoke(main, ["capacity", str(path), "--time-limit", "2", "--no-marginal"]).exit_code == 0
    assert (tmp_path / "event" / "capacity.html").is_file() and (tmp_path / "event" / "schedule.json").is_file()
