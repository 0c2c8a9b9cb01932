"""The same meetings, only their times (and seats) to choose: a far smaller CP-SAT search of an
idle-gap level, which keeps every earlier level that counts meetings."""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.solve.methods.engines import search
from scheduler.solve.pipeline.level import Found, LevelRun, Method

# Share of the level: it stops at the level's floor, so a larger share costs nothing where it
# gets there.
SAME_MEETINGS_SHARE = 0.75


def _run(run: LevelRun) -> Found:
    budget = run.budget
    amount = max(budget.units(0.5), min(run.share * SAME_MEETINGS_SHARE, run.left()))
    status, solver = search(run, amount, later=True, only=frozenset(p.task for p in run.placements))
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        run.adopt(run.model.placements(solver.value), run.model.tables(solver.value))
    run.status, run.solver = None, None  # what it proved holds for these meetings only
    value = run.value()
    run.settled = run.known is not None and value == run.known
    return Found(note=f"{run.name}: {value:,} with the same meetings" + (" (the level's bound)" if run.settled
                                                                         else ""))


SAME_MEETINGS = Method("CP-SAT, same meetings", _run,
                       ready=lambda run: run.placements is not None and not run.settled)
