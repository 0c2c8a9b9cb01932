"""Synthetic events: valid, seeded, of the intended shape, and (brokerage) feasible."""

from __future__ import annotations

from click.testing import CliRunner

from scheduler.cli import main
from scheduler.generate import brokerage_shortfall, generate_brokerage, generate_plaza, generate_teleconference
from scheduler.model.load import event_from_data, load_event
from scheduler.model.problem import compile_problem
from scheduler.solve import Stop, solve


def test_same_seed_same_event_and_other_seed_another():
    assert generate_plaza(seed=3) == generate_plaza(seed=3)
    assert generate_plaza(seed=3) != generate_plaza(seed=4)


def test_plaza_has_popular_and_unpopular_buyers():
    event = event_from_data(generate_plaza(seed=1)).event
    demand = {b.id: 0 for b in event.buyers}
    for request in event.requests:
        demand[request.buyer] += 1
    assert 400 <= len(event.requests) <= 800
    assert max(demand.values()) > 1.5 * 14  # a popular buyer is wished for 1.5 times its 14 slots
    assert min(demand.values()) < 10


def test_teleconference_spans_time_zones_and_needs_relays():
    event = event_from_data(generate_teleconference(seed=2)).event
    assert len({b.timezone for b in event.buyers}) >= 12
    assert any(set(b.languages) & {"th", "ar", "mn"} for b in event.buyers)
    assert any(i.remote for i in event.interpreters)


def test_brokerage_instances_are_feasible_and_solve():
    data = generate_brokerage(participants=20, meetings=40, slots=10, tables=6, seed=5)
    problem = compile_problem(event_from_data(data).event)
    assert all(task.placements() for task in problem.tasks)
    assert all(task.required for task in problem.tasks)
    result = solve(problem, Stop(time_limit=10), levels=["idle gaps"])
    assert result.status != "infeasible" and len(result.placements) == len(problem.tasks)


def test_cli_writes_a_loadable_file(tmp_path):
    out = tmp_path / "forum.yaml"
    result = CliRunner().invoke(main, ["generate", "brokerage", "--participants", "30", "--meetings", "60",
                                       "--slots", "12", "--tables", "8", "--seed", "1", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("# Made by `schedule generate brokerage")
    assert len(load_event(out).event.requests) == 60


def test_brokerage_says_when_the_day_cannot_hold_the_meetings(tmp_path):
    # 8 slots x 14 tables hold 112 meetings, fewer than the 125 asked for; 10 slots hold them.
    data = generate_brokerage(participants=42, meetings=125, slots=8, tables=14, seed=0)
    assert brokerage_shortfall(data, 125, 8, 14) == (
        f"only {len(data['requests'])} of the 125 meetings asked for could be placed: "
        "8 slots x 14 tables hold at most 112")
    result = CliRunner().invoke(main, ["generate", "brokerage", "--participants", "42", "--meetings", "125",
                                       "--slots", "8", "--tables", "14", "-o", str(tmp_path / "forum.yaml")])
    assert f"only {len(data['requests'])} of the 125 meetings" in result.output
    assert brokerage_shortfall(generate_brokerage(participants=42, meetings=125, slots=10, tables=14), 125, 10, 14) is None
