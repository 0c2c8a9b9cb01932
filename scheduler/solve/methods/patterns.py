"""A brokerage day at its participants' own bounds, by choosing each one's busy pattern
(patterns.py in searches/): a day at the floor is optimal; a proof that there is none raises it,
and then a day a single run above is optimal in turn."""

from __future__ import annotations

from scheduler.solve.pipeline.level import Found, LevelRun, Method
from scheduler.solve.searches.patterns import search as search_patterns

# Share of a brokerage idle-gap level for this search, before anything else; what is left goes to
# the annealed search and CP-SAT (benchmarks/README.md, "How the solver chooses": busy patterns).
PATTERN_SHARE = 0.8
# Where no day is at the floor, the most of the level for asking whether one is a single run above
# it (same section).
ONE_RUN_SHARE = 0.4


def _run(run: LevelRun) -> Found | None:
    budget = run.budget
    began = budget.spent()
    outcome = search_patterns(run.problem, run.model, budget, run.share * PATTERN_SHARE,
                              workers=run.stop.workers, seed=run.stop.seed)
    if outcome is None:
        return None
    _take(run, outcome)
    if not outcome.refuted:
        return Found(note=f"{run.name}: " + ("a day at the participants' own bounds" if run.settled
                                             else f"no day at the participants' own bounds found; bound {run.floor:,}"))
    run.note(f"{run.name}: no day at the participants' own bounds; bound {run.floor:,}")
    # Once that is refuted, a day found a single run above is optimal, and a proof that there is
    # none raises the floor again.
    amount = min(run.share * ONE_RUN_SHARE, run.share * PATTERN_SHARE - (budget.spent() - began))
    if amount <= 0:
        return None
    above = search_patterns(run.problem, run.model, budget, amount, extra=1, workers=run.stop.workers,
                            seed=run.stop.seed)
    if above is None:
        return Found(note=f"{run.name}: too many patterns a run above the participants' own bounds to list in time")
    _take(run, above)
    return Found(note=f"{run.name}: " + ("a day a run above the participants' own bounds, the fewest" if run.settled
                                         else f"no day a run above the participants' own bounds; bound {run.floor:,}"
                                         if above.refuted else "no day a run above the participants' own bounds found"))


def _take(run: LevelRun, outcome) -> None:
    """A pattern search's floor, and its day where it keeps the settled levels and is no worse."""
    run.floor = max(run.floor or 0, outcome.floor)
    run.reporter.proven = run.floor
    if (outcome.placements is not None and run.keeps_levels(outcome.placements)
            and (run.placements is None or run.value(outcome.placements) <= run.value())):
        run.adopt(outcome.placements, hint=False)
        run.reporter.on_value(run.value())
    run.settled = run.placements is not None and run.value() <= run.floor


PATTERNS = Method("busy patterns", _run)
