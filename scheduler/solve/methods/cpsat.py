"""CP-SAT on the whole level: small events are proven here at once; larger ones get a first look
before the parts or the brokerage day's Kempe search."""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.solve.methods.engines import complete_hint, search, take_search
from scheduler.solve.methods.kempe import KEMPE_DAY
from scheduler.solve.pipeline.level import Found, LevelRun, Method, NoSchedule


def _run(run: LevelRun) -> Found | None:
    budget = run.budget
    by_compact = run.plans(KEMPE_DAY)
    amount = (min(run.share / 10, budget.units(3.0)) if run.by_parts
              else min(run.share / 4, budget.units(2.0)) if by_compact else run.share)
    # Within the level's share, whatever the methods before it took.
    amount = max(budget.units(0.5), min(amount, run.left()))
    if by_compact and run.position > 0:
        # Presolve stays on: without it the core search's bound on a brokerage day after the
        # priority levels stays far below the floor. The model is small.
        complete_hint(run.model.model, budget, amount / 4)
    status, solver = search(run, amount, later=run.position > 0 and not by_compact)
    if status == cp_model.INFEASIBLE:
        raise NoSchedule
    take_search(run, status, solver)
    return None


CPSAT = Method("CP-SAT, whole model", _run, ready=lambda run: not run.settled)
