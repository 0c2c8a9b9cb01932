"""The ``schedule`` command end to end: the contract examples solve, check and render."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from scheduler.cli import main

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


def test_deterministic_solve_says_what_it_spent(tmp_path):
    out = tmp_path / "out"
    solved = CliRunner().invoke(main, ["solve", str(EXAMPLES / "mini-teleconference.yaml"), "--out", str(out),
                                       "--deterministic", "--quiet"])
    assert solved.exit_code == 0, solved.output
    assert "work units; repeatable with the same --seed, --workers and --time-limit" in solved.output
    stats = json.loads((out / "schedule.json").read_text())["stats"]
    assert stats["deterministic"] is True and stats["work_units"] >= 0
