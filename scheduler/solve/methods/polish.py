"""Idle-gap polish: meetings re-timed one at a time to close idle gaps, before a level that counts them."""

from __future__ import annotations

from scheduler.solve.model.occupancy import Occupancy
from scheduler.solve.pipeline.level import Found, LevelRun, Method, level_value
from scheduler.solve.searches.polish import reduce_idle_gaps


def _run(run: LevelRun) -> Found:
    problem, budget = run.problem, run.budget
    occupancy = Occupancy(problem, run.tables)
    for placement in run.placements:
        occupancy.place(placement)
    with budget.counted(budget.units(min(5.0, run.stop.time_limit / 10))) as deadline:
        reduce_idle_gaps(problem, occupancy, deadline)
    placements = list(occupancy.placements)
    return Found(placements, note=f"idle-gap polish: {level_value(problem, placements, 'idle gaps', 'min'):,} "
                                  "idle gaps to start from")


IDLE_GAP_POLISH = Method("idle-gap polish", _run, ready=lambda run: run.placements is not None)
