"""Fewer changes to the published meetings on events too large for CP-SAT whole: parts around
the changed meetings re-solved (searches/changes.py), after the linear relaxation's bound (solved
first, not beside the parts: on two cores each slowed the other, and the parts ran without the
bound that ends them)."""

from __future__ import annotations

from scheduler.solve.pipeline.level import Found, LevelRun, Method
from scheduler.solve.searches.changes import reduce_changes


def _best_bound(run: LevelRun) -> int | None:
    known = [b for b in (run.obvious, run.relaxed, run.known) if b is not None]
    return max(known) if known else None


def _run(run: LevelRun) -> Found:
    stop = run.stop
    placements = reduce_changes(run.problem, run.placements, run.tables, run.budget, until=run.end,
                                seed=stop.seed, workers=stop.workers, bound=lambda: _best_bound(run),
                                value_of=run.value, report=run.reporter.on_value)
    return Found(placements, note=f"{run.name}: {run.value(placements):,} after re-solving parts around the changes")


def _ready(run: LevelRun) -> bool:
    bound = _best_bound(run)
    return run.placements is not None and (bound is None or run.value() > bound)


CHANGES_PARTS = Method("parts around the changes", _run, ready=_ready)
