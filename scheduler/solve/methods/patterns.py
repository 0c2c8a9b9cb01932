"""A brokerage day at its participants' own bounds, by choosing each one's busy pattern
(patterns.py in searches/): a day at the floor is optimal; a proof that there is none raises it."""

from __future__ import annotations

from scheduler.solve.pipeline.level import Found, LevelRun, Method
from scheduler.solve.searches.patterns import search as search_patterns

# Share of a brokerage idle-gap level for this search, before anything else; what is left goes to
# the annealed search and CP-SAT (benchmarks/README.md, "How the solver chooses": busy patterns).
PATTERN_SHARE = 0.8


def _run(run: LevelRun) -> Found | None:
    outcome = search_patterns(run.problem, run.model, run.budget, run.share * PATTERN_SHARE,
                              workers=run.stop.workers, seed=run.stop.seed)
    if outcome is None:
        return None
    run.floor = max(run.floor, outcome.floor)
    run.reporter.proven = run.floor
    if outcome.placements is not None and run.keeps_levels(outcome.placements):
        run.adopt(outcome.placements, hint=False)
        run.settled = True
        run.reporter.on_value(run.value())
    return Found(note=f"{run.name}: " + ("a day at the participants' own bounds" if run.settled
                                         else f"no day at the participants' own bounds found; bound {run.floor:,}"))


PATTERNS = Method("busy patterns", _run)
