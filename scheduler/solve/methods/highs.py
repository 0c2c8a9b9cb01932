"""HiGHS on the whole level: which meetings take place when, as a MIP, where CP-SAT's bound stalls."""

from __future__ import annotations

from scheduler.solve.methods.engines import LEVEL_MIP_OPTIONS, LEVEL_MIP_RIVALS, run_mip
from scheduler.solve.model.objective import CHANGES
from scheduler.solve.pipeline.level import AFTER_LEVELS_SHARE, Found, LevelRun, Method, worse

# Its share of the level's time: what it does not prove is left to CP-SAT and the parts.
MIP_SHARE = 0.6
# A replan's fewest changes starts from the published schedule, usually at or near its best:
# the proof is what is left to find, and HiGHS proves where CP-SAT does not (benchmarks/README.md,
# "Replan suite": the week with an interpreter leaving).
CHANGES_MIP_SHARE = 0.9


def _run(run: LevelRun) -> Found | None:
    budget = run.budget
    amount = ((budget.limit * (1 - AFTER_LEVELS_SHARE) - budget.spent())
              * (0.75 if run.position == 0 else 1.0 / max(1, run.live))
              * (CHANGES_MIP_SHARE if run.level == CHANGES else MIP_SHARE))
    outcome = run_mip(run.model.model, budget, amount, run.stop, on_value=run.reporter.on_value,
                      on_bound=run.reporter.on_bound, options=LEVEL_MIP_OPTIONS, rivals=LEVEL_MIP_RIVALS)
    if outcome is None:
        return None
    placements, tables = run.placements, run.tables
    if outcome.values is not None:
        found = run.model.placements(lambda v: outcome.values[v.index])
        if not worse(run.value(found), run.value(placements), run.sense):
            placements, tables = found, run.model.tables(lambda v: outcome.values[v.index])
    bound = outcome.bound
    return Found(placements, tables, bound=bound, cut=True,
                 note=f"{run.name}: {run.value(placements):,} by HiGHS"
                      + (f", bound {bound:,}" if bound is not None else ""))


HIGHS = Method("HiGHS", _run, ready=lambda run: run.placements is not None and run.relaxed is None)
