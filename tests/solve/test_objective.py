"""Each objective term on a tiny event whose optimum is worked out in the comment.

Every assertion is on a proven optimum: the result's status is ``optimal``,
which means every level of the objective was proven best by CP-SAT.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from scheduler.model.errors import EventError
from scheduler.model.load import load_event
from support import solve_checked

THREE_SLOTS = {"date": "2026-06-18", "open": "09:00", "close": "10:30"}  # 09:00, 09:30, 10:00


def window(start: str, end: str) -> list[dict]:
    return [{"date": "2026-06-18", "start": start, "end": end}]


def event(**lists) -> dict:
    return {
        "event": {"name": "Tiny", "kind": "plaza", "timezone": "Asia/Seoul", "meeting_minutes": 30,
                  "days": [THREE_SLOTS]},
        "booths": {"count": 4, "prefix": "T"},
        **lists,
    }


def solved(tmp_path: Path, data: dict):
    path = tmp_path / "event.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    result, schedule = solve_checked(path)
    assert result.status == "optimal"
    return result, schedule


def buyer(id_, languages=("en",), **more):
    return {"id": id_, "name": f"Buyer {id_}", "languages": list(languages), **more}


def firm(id_, languages=("ko", "en"), **more):
    return {"id": id_, "name": f"Firm {id_}", "languages": list(languages), **more}


def test_firms_met_prefers_giving_every_firm_a_meeting(tmp_path):
    # B1 is free only at 09:00, B2 only at 10:00. F1 wants both, F2 wants B1. Priority is 6 either
    # with {B1-F1, B2-F1} or {B1-F2, B2-F1}; only the second meets both firms, so firms met = 2.
    _, schedule = solved(tmp_path, event(
        buyers=[buyer("B1", available=window("09:00", "09:30")), buyer("B2", available=window("10:00", "10:30"))],
        firms=[firm("F1"), firm("F2")],
        requests=[{"buyer": "B1", "firm": "F1"}, {"buyer": "B2", "firm": "F1"}, {"buyer": "B1", "firm": "F2"}],
    ))
    assert schedule.stats.priority_scheduled == 6
    assert schedule.stats.terms["firms_met"] == 2
    assert {(m.buyer, m.firm) for m in schedule.meetings} == {("B1", "F2"), ("B2", "F1")}


def test_least_served_firm_is_raised(tmp_path):
    # B1 is free only at 09:00, so it meets F1 or F2, not both; B2 meets F1 later. Priority 6
    # comes from {B1-F1, B2-F1} (F2 has 0) or {B1-F2, B2-F1} (each firm has 1). With the
    # least-served firm as the only tie-break the optimum is 1.
    _, schedule = solved(tmp_path, event(
        buyers=[buyer("B1", available=window("09:00", "09:30")), buyer("B2")], firms=[firm("F1"), firm("F2")],
        requests=[{"buyer": "B1", "firm": "F1"}, {"buyer": "B1", "firm": "F2"}, {"buyer": "B2", "firm": "F1"}],
        objective=["priority", "least-served firm"],
    ))
    assert schedule.stats.priority_scheduled == 6
    assert schedule.stats.terms["least_served_firm"] == 1


def test_idle_gaps_are_avoided_when_the_day_allows(tmp_path):
    # B1 meets F1 (free only at 09:00) and F2 (free all morning). F2 at 09:30 leaves no hole;
    # F2 at 10:00 would leave one. The optimum is 0 idle gaps.
    _, schedule = solved(tmp_path, event(
        buyers=[buyer("B1")],
        firms=[firm("F1", available=window("09:00", "09:30")), firm("F2")],
        requests=[{"buyer": "B1", "firm": "F1"}, {"buyer": "B1", "firm": "F2"}],
    ))
    assert schedule.stats.idle_gaps == 0
    assert sorted(m.start.strftime("%H:%M") for m in schedule.meetings) == ["09:00", "09:30"]


def test_an_idle_gap_that_cannot_be_avoided_is_counted_once(tmp_path):
    # F1 is free only at 09:00 and F2 only at 10:00: B1 has a hole at 09:30, one idle gap, and
    # no schedule with both meetings (priority 6) has fewer.
    result, schedule = solved(tmp_path, event(
        buyers=[buyer("B1")],
        firms=[firm("F1", available=window("09:00", "09:30")), firm("F2", available=window("10:00", "10:30"))],
        requests=[{"buyer": "B1", "firm": "F1"}, {"buyer": "B1", "firm": "F2"}],
    ))
    assert schedule.stats.priority_scheduled == 6
    assert schedule.stats.idle_gaps == 1
    assert result.term("idle gaps").bound == 1


def test_lunch_break_is_no_idle_gap(tmp_path):
    # Meetings at 11:30 and 13:00 around a lunch 12:00-13:00 are back to back on the grid.
    data = event(buyers=[buyer("B1")],
                 firms=[firm("F1", available=[{"date": "2026-06-18", "start": "11:30", "end": "12:00"}]),
                        firm("F2", available=[{"date": "2026-06-18", "start": "13:00", "end": "13:30"}])],
                 requests=[{"buyer": "B1", "firm": "F1"}, {"buyer": "B1", "firm": "F2"}])
    data["event"]["days"] = [{"date": "2026-06-18", "open": "11:30", "close": "13:30",
                              "breaks": [{"start": "12:00", "end": "13:00", "label": "Lunch"}]}]
    _, schedule = solved(tmp_path, data)
    assert len(schedule.meetings) == 2 and schedule.stats.idle_gaps == 0


def test_interpreter_stays_at_one_table(tmp_path):
    # One ko-zh interpreter, two Chinese buyers, two Korean firms, three slots but each firm is
    # free only at 09:00 and 09:30. Two meetings fit (I1 works one at a time): {B1-F1, B1-F2}
    # keeps I1 at B1's table; {B1-F1, B2-F2} moves it. Priority, firms met, idle gaps tie;
    # the fewest interpreter changes is 0.
    _, schedule = solved(tmp_path, event(
        buyers=[buyer("B1", ("zh",)), buyer("B2", ("zh",))],
        firms=[firm("F1", ("ko",), available=window("09:00", "10:00")),
               firm("F2", ("ko",), available=window("09:00", "10:00"))],
        interpreters=[{"id": "I1", "name": "Park Junho", "languages": ["ko", "zh"]}],
        requests=[{"buyer": "B1", "firm": "F1", "priority": 4}, {"buyer": "B1", "firm": "F2", "priority": 4},
                  {"buyer": "B2", "firm": "F2", "priority": 4}],
        objective=["priority", "interpreter changes"],
    ))
    assert schedule.stats.priority_scheduled == 8
    assert schedule.stats.terms["interpreter_changes"] == 0
    assert {m.buyer for m in schedule.meetings} == {"B1"}


def test_one_interpreter_rather_than_a_relay(tmp_path):
    # A Thai buyer and a Korean firm: I2 (ko-th) alone, or I1 (ko-en) with BKK (en-th) in relay.
    # One seat beats two.
    _, schedule = solved(tmp_path, event(
        buyers=[buyer("B1", ("th",))], firms=[firm("F1", ("ko",))],
        interpreters=[{"id": "I1", "name": "Kim Minji", "languages": ["ko", "en"]},
                      {"id": "BKK", "name": "KOTRA Bangkok", "languages": ["en", "th"]},
                      {"id": "I2", "name": "Lee Sora", "languages": ["ko", "th"]}],
        requests=[{"buyer": "B1", "firm": "F1"}],
    ))
    assert schedule.meetings[0].interpreters == ("I2",)
    assert schedule.stats.terms["interpreter_seats"] == 1


def test_busiest_interpreter_spreads_the_load(tmp_path):
    # Two identical ko-zh interpreters and two meetings of B1 at 09:00 and 09:30 (firms free
    # only then). One interpreter could take both (busiest = 2); one each gives busiest = 1.
    _, schedule = solved(tmp_path, event(
        buyers=[buyer("B1", ("zh",))],
        firms=[firm("F1", ("ko",), available=window("09:00", "09:30")),
               firm("F2", ("ko",), available=window("09:30", "10:00"))],
        interpreters=[{"id": "I1", "name": "Park Junho", "languages": ["ko", "zh"]},
                      {"id": "I2", "name": "Choi Hana", "languages": ["ko", "zh"]}],
        requests=[{"buyer": "B1", "firm": "F1"}, {"buyer": "B1", "firm": "F2"}],
        objective=["priority", "busiest interpreter"],
    ))
    assert schedule.stats.terms["busiest_interpreter"] == 1
    assert {m.interpreters for m in schedule.meetings} == {("I1",), ("I2",)}


def test_weighted_level_and_order_are_read_from_the_event(tmp_path):
    data = event(buyers=[buyer("B1")], firms=[firm("F1")], requests=[{"buyer": "B1", "firm": "F1"}],
                 objective=["priority", {"idle gaps": 3, "interpreter seats": 1}])
    result, schedule = solved(tmp_path, data)
    assert [t.name for t in result.terms] == ["priority", "3 x idle gaps + interpreter seats"]
    assert [level["level"] for level in schedule.stats.objective] == ["priority", "3 x idle gaps + interpreter seats"]


def test_unknown_objective_term_is_an_input_error(tmp_path):
    path = tmp_path / "event.yaml"
    path.write_text(yaml.safe_dump(event(buyers=[buyer("B1")], firms=[firm("F1")], requests=[],
                                         objective=["priority", "idle gapps"])))
    with pytest.raises(EventError) as error:
        load_event(path)
    assert any(p.where.startswith("objective[1]") for p in error.value.problems)


def test_the_firm_counts_have_bounds_without_a_search(tmp_path):
    # F1 wishes B1 and B2, F2 only B1, F3 only B2 but is never there when B2 is: F3 has no
    # placeable request, so at most 2 firms can be met, and the least-served firm (of F1, F2)
    # has at most 1 meeting (F2's one request). Both are what the schedule reaches.
    from scheduler.model.problem import compile_problem
    from scheduler.solve.model.meetings import MeetingModel
    from scheduler.solve.model.objective import obvious_bound

    data = event(
        buyers=[buyer("B1"), buyer("B2", available=window("09:00", "09:30"))],
        firms=[firm("F1"), firm("F2"), firm("F3", available=window("09:30", "10:30"))],
        requests=[{"buyer": "B1", "firm": "F1"}, {"buyer": "B2", "firm": "F1"},
                  {"buyer": "B1", "firm": "F2"}, {"buyer": "B2", "firm": "F3"}])
    path = tmp_path / "event.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    model = MeetingModel(compile_problem(load_event(path).event), seating=False)
    assert obvious_bound(model, "firms met") == 2
    assert obvious_bound(model, "least-served firm") == 1
    assert obvious_bound(model, "idle gaps") is None
    result, _ = solved(tmp_path, data)
    values = {t.name: t.value for t in result.terms}
    assert values["firms met"] == 2 and values["least-served firm"] == 1


def test_an_objective_without_priority_says_what_it_proved_about_it(tmp_path):
    # objective: [idle gaps] proves only the idle gaps. With every request placed nothing more can
    # be added, so the priority bound is what is scheduled and the file may say optimal; with a
    # request left out (B1 free only at 09:00, wished by F1 and F2), priority is not proven, so the
    # file says feasible (FORMAT.md: optimal means priority_bound equals priority_scheduled), and
    # the checker must accept both. The bound is still written: B1-F3 can never take place (F3 is
    # free only at 10:00), so no schedule places more than B1-F1 and B1-F2, 3 + 3 = 6 of the 9.
    every = event(buyers=[buyer("B1")], firms=[firm("F1"), firm("F2")],
                  requests=[{"buyer": "B1", "firm": "F1"}, {"buyer": "B1", "firm": "F2"}], objective=["idle gaps"])
    result, schedule = solved(tmp_path, every)
    assert schedule.status == "optimal" and schedule.stats.priority_bound == schedule.stats.priority_scheduled == 6
    short = event(buyers=[buyer("B1", available=window("09:00", "09:30"))],
                  firms=[firm("F1"), firm("F2"), firm("F3", available=window("10:00", "10:30"))],
                  requests=[{"buyer": "B1", "firm": "F1"}, {"buyer": "B1", "firm": "F2"},
                            {"buyer": "B1", "firm": "F3"}], objective=["idle gaps"])
    path = tmp_path / "short.yaml"
    path.write_text(yaml.safe_dump(short, sort_keys=False))
    result, schedule = solve_checked(path)
    assert result.status == "optimal"  # its one level, idle gaps, is proven
    assert schedule.status == "feasible" and schedule.stats.priority_scheduled == 3
    assert schedule.stats.priority_requested == 9 and schedule.stats.priority_bound == 6
