"""Alike days folded (bounds/folding.py): a level decided by HiGHS on one day of each kind, then
spread back over the days; and a comfort level's bound from the same folding."""

from __future__ import annotations

from scheduler.solve.bounds.folding import Folded
from scheduler.solve.methods.engines import LEVEL_MIP_OPTIONS, LEVEL_MIP_RIVALS, run_mip
from scheduler.solve.model.objective import build_level, level_weights
from scheduler.solve.pipeline.level import Found, LevelRun, Method, settled_counts, worse

# Of the first level: the most the folded model and the spreading of its meetings may take; what
# it leaves goes to the parts.
FOLDED_SHARE = 0.4


def _level(run: LevelRun) -> Found:
    problem, budget, stop = run.problem, run.budget, run.stop
    amount = (run.for_levels() * FOLDED_SHARE
              / (1 if run.position == 0 else max(1, run.live)))
    placements, tables, bound = run.placements, run.tables, None
    folded = Folded(problem, run.solving.alike())
    folded.keep(settled_counts(run.order, run.terms))
    folded.model.optimise(build_level(folded.model, run.level)[0], run.sense)
    folded.model.hint(folded.fold(placements), tables)
    start = budget.spent()
    outcome = run_mip(folded.model.model, budget, amount, stop, on_bound=run.reporter.on_bound,
                      options=LEVEL_MIP_OPTIONS, rivals=LEVEL_MIP_RIVALS)
    if outcome is not None and outcome.values is not None:
        chosen = folded.chosen(lambda v: outcome.values[v.index])
        spread = folded.spread(chosen, run.level, budget, max(budget.units(1.0), start + amount - budget.spent()),
                               stop.workers, stop.seed)
        if spread is not None:
            found, found_tables, _ = spread
            if worse(run.value(placements), run.value(found), run.sense) and run.keeps_levels(found):
                placements, tables = found, found_tables
                run.reporter.on_value(run.value(placements))
        bound = outcome.bound if outcome.proven else None
    return Found(placements, tables, bound=bound,
                 note=f"{run.name}: {run.value(placements):,} from alike days folded"
                      + (f", bound {bound:,}" if bound is not None else " (no proof)"))


def _comfort_bound(run: LevelRun) -> Found | None:
    budget = run.budget
    amount = min(run.left(), max(budget.units(2.0), run.share * FOLDED_SHARE))
    folded = Folded(run.problem, run.solving.alike())
    folded.comfort(level_weights(run.level), settled_counts(run.order, run.terms))
    folded.model.hint(folded.fold(run.placements), {})
    # No race: the comfort relaxation by day may be solving beside it (methods/comfort.py).
    outcome = run_mip(folded.model.model, budget, amount, run.stop, options=LEVEL_MIP_OPTIONS)
    bound = None if outcome is None else outcome.bound
    if bound is not None:
        run.raise_floor(bound)
        run.check_settled()
        run.note(f"{run.name}: bound {bound:,} from alike days folded")
    return None


FOLDED_HIGHS = Method("HiGHS, alike days folded", _level,
                      ready=lambda run: run.placements is not None and run.relaxed is None)
FOLDED_COMFORT_BOUND = Method("comfort bound, alike days folded", _comfort_bound,
                              ready=lambda run: run.placements is not None and not run.settled)
