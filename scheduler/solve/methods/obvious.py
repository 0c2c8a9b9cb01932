"""A bound that needs no search (firms met: every firm with a request), taken as proven when the
schedule so far reaches it."""

from __future__ import annotations

from scheduler.solve.model.objective import obvious_bound
from scheduler.solve.pipeline.level import Found, LevelRun, Method


def _run(run: LevelRun) -> Found | None:
    run.obvious = obvious_bound(run.model, run.level)
    if run.relaxed is None and run.placements is not None and run.obvious == run.value():
        return Found(bound=run.obvious)
    return None


OBVIOUS_BOUND = Method("obvious bound", _run)
