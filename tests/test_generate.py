"""Synthetic events: valid, seeded, of the intended shape, and (brokerage) feasible."""

from __future__ import annotations

from collections import Counter

import pytest
from click.testing import CliRunner

from scheduler.cli import main
from scheduler.generate import (TRAITS, brokerage_shortfall, generate_brokerage, generate_plaza,
                                generate_teleconference, parse_traits)
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


# --- traits ---------------------------------------------------------------------------------------

def _windows_minutes(person: dict) -> int:
    return sum(_clock(w["end"]) - _clock(w["start"]) for w in person.get("available", ()))


def _clock(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _plaza_shows(trait: str, data: dict) -> bool:
    requests, buyers = data["requests"], data["buyers"]
    if trait == "popular":  # one buyer wished for by more than 40 % of the firms
        return max(Counter(r["buyer"] for r in requests).values()) > 0.4 * len(data["firms"])
    if trait == "two-days":
        return len(data["event"]["days"]) == 2
    if trait == "fixed-tables":
        return sum("booth" in b for b in buyers) == round(0.05 * len(buyers))
    if trait == "reservations":
        return len(data.get("reservations", ())) == 2
    if trait == "half-day":
        def halves(people):
            return [p for p in people if p.get("available")
                    and {(w["start"], w["end"]) for w in p["available"]} <= {("09:30", "12:00"), ("13:00", "17:30")}]
        return bool(halves(data["firms"])) and bool(halves(data["interpreters"]))
    if trait == "scarce-interpreters":  # 25 for 47 buyers (the plain plaza has 23), some ko+en+X
        return len(data["interpreters"]) == 25 and any(len(i["languages"]) == 3 for i in data["interpreters"])
    if trait == "two-slot":
        return any(r.get("slots") == 2 for r in requests)
    if trait == "interpreter-none":
        return any(r.get("interpreter") == "none" for r in requests)
    if trait == "named-interpreter":
        return any(r.get("interpreter", "auto") not in ("auto", "none") for r in requests)
    if trait == "required":
        return any(r.get("required") for r in requests)
    if trait == "pinned":
        return any("pinned" in r for r in requests)
    raise AssertionError(trait)


@pytest.mark.parametrize("trait", TRAITS["plaza"])
def test_each_plaza_trait_shows_when_asked_and_not_otherwise(trait):
    assert _plaza_shows(trait, generate_plaza(seed=2, traits=frozenset({trait})))
    assert not _plaza_shows(trait, generate_plaza(seed=2))
    event_from_data(generate_plaza(seed=2, traits=frozenset({trait})))  # loads


def test_scarce_interpreters_follow_the_demand():
    data = generate_plaza(seed=4, traits=frozenset({"scarce-interpreters"}))
    firms = {f["id"]: f for f in data["firms"]}
    demand = Counter()
    for request in data["requests"]:
        buyer = next(b for b in data["buyers"] if b["id"] == request["buyer"])
        if not set(buyer["languages"]) & set(firms[request["firm"]]["languages"]):
            demand["en" if "en" in buyer["languages"] else buyer["languages"][0]] += 1
    seats = Counter(i["languages"][1] for i in data["interpreters"])
    top = demand.most_common(1)[0][0]
    assert seats[top] == max(seats.values()) and set(seats) == set(demand)


def test_teleconference_traits_show():
    data = generate_teleconference(days=2, requests_per_day=40, seed=3, traits=frozenset(TRAITS["teleconference"]))
    assert any("available" in b for b in data["buyers"])  # remote-windows
    assert data.get("reservations") and any(r.get("required") for r in data["requests"])
    assert any("pinned" in r for r in data["requests"])
    assert any(f.get("available") for f in data["firms"])  # half-day
    event_from_data(data)


def test_brokerage_participants_come_late_leave_early_or_step_out():
    # The traits draw from their own stream, so each participant's session is the same with and
    # without them: any participant with less time lost it to a block.
    plain = generate_brokerage(participants=60, meetings=150, slots=16, tables=12, seed=6)
    blocked = generate_brokerage(participants=60, meetings=150, slots=16, tables=12, seed=6,
                                 traits=frozenset({"unavailable-blocks"}))
    shorter = [b for a, b in zip(plain["participants"], blocked["participants"])
               if _windows_minutes(b) < _windows_minutes(a)]
    assert len(shorter) >= 0.3 * 60
    assert any(len(p["available"]) > len(q["available"]) for p, q in zip(blocked["participants"],
                                                                         plain["participants"]))  # a middle block
    assert brokerage_shortfall(blocked, 150, 16, 12) is None


def test_brokerage_pairs_in_both_orders():
    data = generate_brokerage(participants=42, meetings=125, slots=10, tables=14, seed=1,
                              traits=frozenset({"both-orders"}))
    pairs = {tuple(r["between"]) for r in data["requests"]}
    assert any((b, a) in pairs for a, b in pairs)
    event_from_data(data)


def test_same_seed_and_traits_same_file():
    for kind, make in (("plaza", generate_plaza), ("teleconference", generate_teleconference),
                       ("brokerage", generate_brokerage)):
        traits = frozenset(TRAITS[kind])
        assert make(seed=5, traits=traits) == make(seed=5, traits=traits) != make(seed=6, traits=traits)


def test_an_unknown_trait_is_refused_with_the_list(tmp_path):
    with pytest.raises(ValueError, match="bogus: not a trait of a brokerage"):
        parse_traits("brokerage", "popular,bogus")
    assert parse_traits("plaza", "all") == frozenset(TRAITS["plaza"]) and parse_traits("plaza", "none") == frozenset()
    result = CliRunner().invoke(main, ["generate", "plaza", "--traits", "pinned,bogus", "-o", str(tmp_path / "x.yaml")])
    assert result.exit_code == 2 and "bogus: not a trait of a plaza" in result.output
    assert not (tmp_path / "x.yaml").exists()


@pytest.mark.parametrize("kind, options", [
    ("plaza", ["--buyers", "12", "--firms", "30"]),
    ("teleconference", ["--days", "2", "--requests-per-day", "30"]),
    ("brokerage", ["--participants", "42", "--meetings", "125", "--slots", "10", "--tables", "16"]),
])
def test_events_with_every_trait_load_solve_and_pass_the_check(tmp_path, kind, options):
    event = tmp_path / f"{kind}.yaml"
    made = CliRunner().invoke(main, ["generate", kind, *options, "--traits", "all", "--seed", "1", "-o", str(event)])
    assert made.exit_code == 0, made.output
    solved = CliRunner().invoke(main, ["solve", str(event), "--out", str(tmp_path / "out"), "--time-limit", "3",
                                       "--quiet"])
    assert solved.exit_code == 0, solved.output
    checked = CliRunner().invoke(main, ["check", str(event), str(tmp_path / "out" / "schedule.json")])
    assert checked.exit_code == 0 and checked.stdout.startswith("ok: "), checked.output
