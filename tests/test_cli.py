"""The ``schedule`` command end to end: the contract examples solve, check and render."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from scheduler.cli import main
from scheduler.generate import generate_brokerage

from replan_case import BASELINE, EVENT, write_case

EXAMPLES = Path(__file__).parents[1] / "examples"
# The contract's own folder, laid beside the repository in CI; the copies in EXAMPLES stand in elsewhere.
CONTRACT_EXAMPLES = Path(__file__).resolve().parents[2] / "shared" / "spec" / "examples"


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


def test_the_contract_folder_examples_solve_and_check(tmp_path):
    """Every example in the contract's own folder, which may have grown beyond the copies here."""
    if not CONTRACT_EXAMPLES.is_dir():
        pytest.skip(f"no contract folder {CONTRACT_EXAMPLES} beside the repository; the copies in examples/ "
                    "are solved by test_contract_examples_solve_and_check")
    files = sorted(CONTRACT_EXAMPLES.glob("*.yaml"))
    assert files, f"no example events in {CONTRACT_EXAMPLES}"
    runner = CliRunner()
    for path in files:
        out = tmp_path / path.stem
        solved = runner.invoke(main, ["solve", str(path), "--out", str(out), "--time-limit", "20", "--quiet"])
        assert solved.exit_code == 0, (path.name, solved.output)
        checked = runner.invoke(main, ["check", str(path), str(out / "schedule.json")])
        assert checked.exit_code == 0, (path.name, checked.output)


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
    # The console opens with the cause, then counts what was not attempted in one line.
    listed = result.output[result.output.index("Not scheduled:"):].splitlines()[1:]
    assert listed == ["  B4-F5: required, but B4 is not available at its pinned time",
                      "  13 other requests were not attempted: the required meetings above cannot all be placed"]



def test_no_schedule_found_in_time_is_said_once_and_not_called_impossible(tmp_path):
    # A 65-participant day whose meetings are all required: greedy and the moves after it leave
    # some out, and CP-SAT needs more work to find any schedule than a repeatable half-second
    # gives (work, not the clock, so on any machine). Every request has the same reason.
    data = generate_brokerage(participants=65, meetings=230, slots=11, tables=25, seed=8,
                              traits=frozenset({"popular", "unavailable-blocks"}))
    event = tmp_path / "day.yaml"
    event.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    result = CliRunner().invoke(main, ["solve", str(event), "--out", str(tmp_path / "out"), "--quiet",
                                       "--deterministic", "--time-limit", "0.5"])
    assert result.exit_code == 1
    schedule = json.loads((tmp_path / "out" / "schedule.json").read_text())
    assert schedule["status"] == "infeasible" and len(schedule["unscheduled"]) == 230
    assert "none is proven impossible: a longer --time-limit may find one" in result.output
    listed = result.output[result.output.index("Not scheduled:"):].splitlines()[1:]
    assert len(listed) == 1
    assert re.fullmatch(r"  P\d+-P\d+, P\d+-P\d+, P\d+-P\d+ and 227 more: required, but no schedule placing every "
                        r"required meeting was found within 0\.5 s \(not proven impossible\)", listed[0])

TELE = EXAMPLES / "mini-teleconference.yaml"
LAX1 = "{id: LAX1, name: Maria Gomez, company: Pacific Beauty, country: US, languages: [en, es], " \
       "timezone: America/Los_Angeles}"


def _solve(tmp_path: Path, text: str) -> tuple[object, dict | None]:
    event = tmp_path / "event.yaml"
    event.write_text(text)
    out = tmp_path / "out"
    solved = CliRunner().invoke(main, ["solve", str(event), "--out", str(out), "--time-limit", "5", "--quiet"])
    assert "Traceback" not in solved.output
    schedule = json.loads((out / "schedule.json").read_text()) if (out / "schedule.json").exists() else None
    if schedule is not None:
        checked = CliRunner().invoke(main, ["check", str(event), str(out / "schedule.json")])
        assert checked.exit_code == 0, checked.output
    return solved, schedule


@pytest.mark.parametrize("windows, placed", [
    # 23:00-24:00 and 00:00-01:00 in Los Angeles touch, so they are one window across its midnight:
    # 2026-10-23 15:00-17:00 in Seoul (PDT is UTC-7, Seoul UTC+9), the only two hours LAX1 has.
    ('[{date: 2026-10-22, start: "23:00", end: "24:00"}, {date: 2026-10-23, start: "00:00", end: "01:00"}]', True),
    # Without the hour after midnight no two-hour stretch is left, and the meeting is required.
    ('[{date: 2026-10-22, start: "23:00", end: "24:00"}]', False),
])
def test_a_remote_window_across_its_own_midnight_is_one_window(tmp_path, windows, placed):
    text = TELE.read_text().replace(LAX1, LAX1[:-1] + f", available: {windows}}}")
    text = text.replace("{buyer: LAX1, firm: F2, priority: 4}", "{buyer: LAX1, firm: F2, priority: 4, slots: 2, "
                                                                  "required: true}")
    assert "slots: 2, required: true" in text and "available: [" in text
    solved, schedule = _solve(tmp_path, text)
    meeting = [m for m in schedule["meetings"] if m["buyer"] == "LAX1" and m["firm"] == "F2"]
    if placed:
        assert solved.exit_code == 0, solved.output
        assert [(m["start"], m["end"]) for m in meeting] == [("2026-10-23T15:00:00+09:00", "2026-10-23T17:00:00+09:00")]
    else:
        assert solved.exit_code == 1, solved.output
        assert schedule["status"] == "infeasible" and meeting == []


def test_a_relay_office_with_no_pivot_language_leaves_the_pair_unscheduled_with_the_reason(tmp_path):
    # The Bangkok office speaks Thai and French; no interpreter on the Korean side speaks either, so there is
    # no pivot for a relay, and nobody speaks Korean and Thai. (With English, as shipped, the pair meets in relay.)
    text = TELE.read_text().replace("languages: [en, th], remote: true", "languages: [th, fr], remote: true")
    assert "[th, fr]" in text
    solved, schedule = _solve(tmp_path, text)
    assert solved.exit_code == 0, solved.output
    assert not any(m["buyer"] == "BKK1" for m in schedule["meetings"])
    reason = next(u["reason"] for u in schedule["unscheduled"] if u["buyer"] == "BKK1" and u["firm"] == "F1")
    assert reason == "no interpreter bridges F1 (Korean) and BKK1 (Thai), alone or in relay"


def test_a_brokerage_request_naming_one_person_twice_exits_2(tmp_path):
    event = tmp_path / "event.yaml"
    event.write_text((EXAMPLES / "mini-brokerage.yaml").read_text().replace("{between: [P4, P8], required: true}",
                                                                            "{between: [P8, P8], required: true}"))
    result = CliRunner().invoke(main, ["solve", str(event), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.output.splitlines() == ["event.yaml: requests[8]: `between` names P8 twice",
                                          "1 problem in the input; nothing was written."]
    assert not (tmp_path / "out").exists()


def test_deterministic_solve_says_what_it_spent(tmp_path):
    out = tmp_path / "out"
    solved = CliRunner().invoke(main, ["solve", str(EXAMPLES / "mini-teleconference.yaml"), "--out", str(out),
                                       "--deterministic", "--quiet"])
    assert solved.exit_code == 0, solved.output
    assert "work units; repeatable with the same --seed, --workers and --time-limit" in solved.output
    stats = json.loads((out / "schedule.json").read_text())["stats"]
    assert stats["deterministic"] is True and stats["work_units"] >= 0


def _replan_files(tmp_path):
    """The replan tests' hand-written plaza and baseline (tests/solve/test_replan.py)."""
    event = dict(EVENT, requests=[*EVENT["requests"], {"buyer": "B1", "firm": "F3", "priority": 5}])
    return write_case(tmp_path, event, BASELINE)


def test_replan_writes_the_changes_and_check_knows_the_baseline(tmp_path):
    event_file, baseline = _replan_files(tmp_path)
    out = tmp_path / "replan"
    runner = CliRunner()
    solved = runner.invoke(main, ["solve", str(event_file), "--baseline", str(baseline), "--now", "2026-06-18T09:30",
                                  "--out", str(out), "--time-limit", "5", "--quiet"])
    assert solved.exit_code == 0, solved.output
    assert "fewest changes: 0 (proven best)" in solved.output
    assert "4 kept, 0 moved, 0 interpreter, 0 booth, 0 cancelled, 1 added" in solved.output
    schedule = json.loads((out / "schedule.json").read_text())
    assert sorted(m["change"] for m in schedule["meetings"]) == ["added", "kept", "kept", "kept", "kept"]
    assert schedule["cancelled"] == [] and schedule["stats"]["changes"]["disruption"] == 0
    changes = json.loads((out / "changes.json").read_text())
    assert changes["counts"]["added"] == 1 and changes["to_tell"] == ["buyer:B1", "firm:F3"]
    assert changes["people"]["firm:F3"]["added"][0]["meeting"] == "B1-F3"
    checked = runner.invoke(main, ["check", str(event_file), str(out / "schedule.json"),
                                   "--baseline", str(baseline), "--now", "2026-06-18T09:30"])
    assert checked.exit_code == 0, checked.output
    assert "disruption 0" in checked.output


def test_check_recounts_the_changes_a_schedule_states(tmp_path):
    event_file, baseline = _replan_files(tmp_path)
    out = tmp_path / "replan"
    runner = CliRunner()
    assert runner.invoke(main, ["solve", str(event_file), "--baseline", str(baseline), "--out", str(out),
                                "--time-limit", "5", "--quiet"]).exit_code == 0
    schedule = json.loads((out / "schedule.json").read_text())
    schedule["stats"]["changes"]["disruption"] = 3
    next(m for m in schedule["meetings"] if m["change"] == "kept")["change"] = "moved"
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(schedule))
    checked = runner.invoke(main, ["check", str(event_file), str(tampered), "--baseline", str(baseline)])
    assert checked.exit_code == 1, checked.output
    assert "changes add up: stats.changes.disruption is 3, but the baseline gives 0" in checked.output
    assert "is marked moved, but against the baseline it is kept" in checked.output


def test_check_finds_a_changed_past(tmp_path):
    # The baseline itself, with its 09:00 meeting of B1 and F1 moved to 10:30, checked at 09:30.
    event_file, baseline = _replan_files(tmp_path)
    edited = json.loads(baseline.read_text())
    edited["meetings"][0].update(start="2026-06-18T10:30:00+09:00", end="2026-06-18T11:00:00+09:00")
    edited["unscheduled"] = [{"buyer": "B1", "firm": "F3", "reason": "not scheduled"}]
    edited["stats"].update(requested=5, priority_requested=17)
    moved = tmp_path / "moved.json"
    moved.write_text(json.dumps(edited))
    checked = CliRunner().invoke(main, ["check", str(event_file), str(moved), "--baseline", str(baseline),
                                        "--now", "2026-06-18T09:30"])
    assert checked.exit_code == 1, checked.output
    assert "nothing before --now changed: B1-F1 (T02, 2026-06-18 09:00) is moved" in checked.output


@pytest.mark.parametrize("what, arguments, message", [
    ("another event", ["--baseline", "other.json"], "other.json: event: the baseline is a schedule of 'Another Plaza'"),
    ("malformed", ["--baseline", "broken.json"], "broken.json: line 1, column 2: malformed JSON"),
    ("missing", ["--baseline", "nowhere.json"], "nowhere.json: no such file"),
    ("not a schedule", ["--baseline", "list.json"], "list.json: "),
    ("now outside", ["--baseline", "baseline.json", "--now", "2026-06-19T10:00"], "--now: 2026-06-19T10:00 is outside"),
    ("now alone", ["--now", "2026-06-18T10:00"], "--now: needs --baseline"),
])
def test_replan_bad_input_exits_2_and_writes_nothing(tmp_path, monkeypatch, what, arguments, message):
    event_file, baseline = _replan_files(tmp_path)
    (tmp_path / "other.json").write_text(baseline.read_text().replace("Replan Plaza", "Another Plaza"))
    (tmp_path / "broken.json").write_text("{meetings: }")
    (tmp_path / "list.json").write_text("[1, 2]")
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    solved = CliRunner().invoke(main, ["solve", str(event_file), "--out", str(out), "--time-limit", "2", *arguments])
    assert solved.exit_code == 2, solved.output
    assert message in solved.output and "Traceback" not in solved.output
    assert not out.exists()


def test_plan_names_the_methods_of_each_level_without_solving(tmp_path):
    # The contract's brokerage example: every meeting required and placed by greedy, no
    # interpreters, so its idle gaps go to the busy patterns and the brokerage day's Kempe search.
    result = CliRunner().invoke(main, ["plan", str(EXAMPLES / "mini-brokerage.yaml")])
    assert result.exit_code == 0, result.output
    assert "idle gaps: obvious bound → busy patterns → Kempe chains beside a SAT solver, brokerage day" in result.output
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
    assert (f"{path}: --profile ko+fr: nobody at the event speaks French: no request needs an interpreter for ko-fr"
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


def test_a_baseline_that_breaks_a_rule_before_now_cannot_be_replanned_from_then(tmp_path):
    # B1-F2 written at 09:00 beside B1-F1 (by hand): kept as it took place, the past double-books
    # B1, F2 and table T02, and no replan can keep it. Before, the solve was infeasible and its own
    # check refused it as a bug. Without --now the replan may move it, so that one solves.
    baseline = json.loads(json.dumps(BASELINE))
    baseline["meetings"][1].update(start="2026-06-18T09:00:00+09:00", end="2026-06-18T09:30:00+09:00")
    event_file, baseline_file = write_case(tmp_path, EVENT, baseline)
    runner = CliRunner()
    result = runner.invoke(main, ["solve", str(event_file), "--baseline", str(baseline_file), "--now",
                                  "2026-06-18T10:00", "--out", str(tmp_path / "out"), "--quiet"])
    assert result.exit_code == 2 and not (tmp_path / "out").exists()
    assert (f"{baseline_file}: meetings: before --now, nobody double-booked: B1 is in two meetings at 2026-06-18 "
            "09:00 (with F1 and F2); that cannot be undone") in result.output
    checked = runner.invoke(main, ["check", str(event_file), str(baseline_file), "--baseline", str(baseline_file),
                                   "--now", "2026-06-18T10:00"])
    assert checked.exit_code == 2
    fresh = runner.invoke(main, ["solve", str(event_file), "--baseline", str(baseline_file), "--out",
                                 str(tmp_path / "fresh"), "--quiet", "--time-limit", "5"])
    assert fresh.exit_code == 0

