"""The priority-preserving polish: same meetings, fewer idle gaps and interpreter moves."""

from __future__ import annotations

import yaml

from scheduler.model.load import load_event
from scheduler.model.problem import compile_problem
from scheduler.solve.model.measure import idle_gaps, interpreter_changes
from scheduler.solve.model.occupancy import Occupancy
from scheduler.solve.searches.polish import reduce_floor_changes, reduce_idle_gaps, reduce_interpreter_moves
from scheduler.solve.result import Placement

EVENT = {
    "event": {"name": "Tiny", "kind": "plaza", "timezone": "Asia/Seoul", "meeting_minutes": 30,
              "days": [{"date": "2026-06-18", "open": "09:00", "close": "10:30"}]},  # slots 0, 1, 2
    "booths": {"count": 2, "prefix": "T"},
    "buyers": [{"id": "B1", "name": "Li Wei", "languages": ["zh"], "booth": "T01"},
               {"id": "B2", "name": "Wang Fang", "languages": ["zh"], "booth": "T02"}],
    "firms": [{"id": f"F{n}", "name": f"Firm {n}", "languages": ["ko"]} for n in range(1, 5)],
    "interpreters": [{"id": "I1", "name": "Park Junho", "languages": ["ko", "zh"]},
                     {"id": "I2", "name": "Choi Hana", "languages": ["ko", "zh"]}],
    "requests": [{"buyer": "B1", "firm": "F1"}, {"buyer": "B2", "firm": "F2"},
                 {"buyer": "B1", "firm": "F3"}, {"buyer": "B2", "firm": "F4"}],
}


def occupancy_with(tmp_path, placements):
    path = tmp_path / "event.yaml"
    path.write_text(yaml.safe_dump(EVENT, sort_keys=False))
    problem = compile_problem(load_event(path).event)
    occupancy = Occupancy(problem)
    for placement in placements:
        occupancy.place(placement)
    return problem, occupancy


def test_swapping_interpreters_keeps_each_at_one_table(tmp_path):
    # I1 is at B1's table at 09:00 and at B2's at 09:30, I2 the other way round: two moves.
    # Swapping the 09:30 interpreters leaves each at one table: no move, same meetings and times.
    problem, occupancy = occupancy_with(tmp_path, [
        Placement(0, 0, (0,)), Placement(1, 0, (1,)), Placement(2, 1, (1,)), Placement(3, 1, (0,))])
    assert interpreter_changes(problem, occupancy.placements) == 2
    reduce_interpreter_moves(problem, occupancy)
    assert interpreter_changes(problem, occupancy.placements) == 0
    assert sorted((p.task, p.start) for p in occupancy.placements) == [(0, 0), (1, 0), (2, 1), (3, 1)]


def test_retiming_closes_a_hole(tmp_path):
    # B1 meets F1 at 09:00 and F3 at 10:00: one idle gap. Moving B1-F3 to 09:30 closes it.
    problem, occupancy = occupancy_with(tmp_path, [Placement(0, 0, (0,)), Placement(2, 2, (0,))])
    assert idle_gaps(problem, occupancy.placements) == 1
    reduce_idle_gaps(problem, occupancy)
    assert idle_gaps(problem, occupancy.placements) == 0
    assert len(occupancy.placements) == 2


ROOM = {
    "event": {"name": "Tiny room", "kind": "teleconference", "timezone": "Asia/Seoul", "meeting_minutes": 60,
              "days": [{"date": "2026-06-18", "open": "09:00", "close": "11:00"}]},  # slots 0, 1
    "booths": [{"id": "A", "floor": 1}, {"id": "B", "floor": 2}],
    "buyers": [{"id": f"B{n}", "name": f"Buyer {n}", "languages": ["zh"], "timezone": "Asia/Shanghai"}
               for n in (1, 2)],
    "firms": [{"id": f"F{n}", "name": f"Firm {n}", "languages": ["ko"]} for n in (1, 2)],
    "interpreters": [{"id": "I1", "name": "Park Junho", "languages": ["ko", "zh"]}],
    "requests": [{"buyer": "B1", "firm": "F1"}, {"buyer": "B2", "firm": "F2"}],
}


def test_a_meeting_follows_its_interpreter_to_the_other_floor(tmp_path):
    # I1 interprets at 09:00 on floor 1 and at 10:00 on floor 2: one floor change. Each floor
    # has a free booth at 10:00, so the second meeting can take floor 1: no change, same times,
    # same interpreter.
    path = tmp_path / "room.yaml"
    path.write_text(yaml.safe_dump(ROOM, sort_keys=False))
    problem = compile_problem(load_event(path).event)
    floor = {c.floor: c.index for c in problem.booth_classes if c.kind == "floor"}
    occupancy = Occupancy(problem)
    occupancy.place(Placement(0, 0, (0,), floor[1]))
    occupancy.place(Placement(1, 1, (0,), floor[2]))
    assert interpreter_changes(problem, occupancy.placements) == 1
    assert reduce_floor_changes(problem, occupancy) == 1
    assert interpreter_changes(problem, occupancy.placements) == 0
    assert sorted((p.task, p.start, p.interpreters) for p in occupancy.placements) == [(0, 0, (0,)), (1, 1, (0,))]
