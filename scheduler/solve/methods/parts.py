"""More priority on events too large to prove in one piece: parts re-solved exactly (parts.py in
searches/), then the whole model, where it is searched, tries to close the proof from there."""

from __future__ import annotations

from concurrent.futures import Future

from ortools.sat.python import cp_model

from scheduler.solve.bounds.relaxation import integral_bound
from scheduler.solve.methods.engines import search, take_search
from scheduler.solve.methods.relaxation import with_relaxation
from scheduler.solve.pipeline.level import Found, LevelRun, Method
from scheduler.solve.searches.parts import improve_priority


def _run(run: LevelRun) -> Found | None:
    reporter, pending = run.reporter, run.pending

    def bound_now() -> int | None:  # the relaxation's, once solved
        if run.relaxed is None and pending is not None and pending.done() and pending.result() is not None:
            reporter.proven = integral_bound(pending.result(), run.sense)
        return run.relaxed if run.relaxed is not None else reporter.proven

    placements = improve_priority(
        run.problem, run.placements, run.tables, run.budget, until=run.end - (run.share / 5 if run.whole else 0),
        seed=run.stop.seed, workers=run.stop.workers, bound=bound_now, report=lambda value: reporter.on_value(value))
    run.adopt(placements, hint=False)
    run.note(f"{run.name}: {run.value():,} after re-solving parts")
    if pending is not None:
        run.take(with_relaxation(run, _waited(pending, run.budget.wall_left())))
        reporter.proven = run.known = run.relaxed
    run.adopt(placements)
    run.status, run.solver = None, None
    if run.whole and run.relaxed is not None and run.value() < run.relaxed:
        take_search(run, *search(run, run.left()))
    return None


def _waited(pending: Future, seconds: float) -> float | None:
    """The relaxation's bound, waited for no longer than ``seconds`` (the level's hard end)."""
    try:
        return pending.result(timeout=seconds)
    except TimeoutError:
        return None


def _ready(run: LevelRun) -> bool:
    return (run.by_parts and run.status != cp_model.OPTIMAL
            and (run.relaxed is None or run.value() < run.relaxed))


PARTS = Method("parts re-solved", _run, ready=_ready)
