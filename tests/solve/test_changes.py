"""Fewer changes by parts (searches/changes.py): parts around the changed meetings re-solved."""

from __future__ import annotations

import copy

from scheduler.model.baseline import replan
from scheduler.model.load import load_event
from scheduler.model.schedule_file import load_schedule
from scheduler.solve.pipeline.budget import Budget
from scheduler.solve.searches.changes import fate_weight, reduce_changes
from scheduler.solve.searches.greedy import from_published

from replan_case import DAY, EVENT, write_case


def test_a_cancelled_meeting_that_can_move_is_moved(tmp_path):
    # F2 now arrives at 09:30, so B2-F2 (published 09:00) cannot stay. Start from a schedule that
    # cancels it (8): a part around it finds B2 and F2 both free at 10:00 and 10:30, and moves it
    # there (4); the other three stay as published (0). 4 is the fewest: it cannot keep 09:00.
    event = copy.deepcopy(EVENT)
    event["firms"][1]["available"] = [{"date": DAY, "start": "09:30", "end": "11:00"}]
    event_file, baseline_file = write_case(tmp_path, event)
    problem = replan(load_event(event_file).event, load_schedule(baseline_file)).problem
    b2_f2 = next(t.index for t in problem.tasks if (t.request.buyer, t.request.firm) == ("B2", "F2"))
    placements, tables = from_published(problem)
    start = [p for p in placements if p.task != b2_f2]

    def total(chosen) -> int:
        by_task = {p.task: p for p in chosen}
        return sum(fate_weight(problem, t, by_task.get(t)) for t in problem.published)

    assert total(start) == 8
    found = reduce_changes(problem, start, tables, Budget(10), until=5.0, workers=1)
    assert total(found) == 4
    moved = next(p for p in found if p.task == b2_f2)
    assert f"{problem.grid.slots[moved.start].start:%H:%M}" in ("10:00", "10:30")
    assert {p for p in found if p.task != b2_f2} == set(start)
