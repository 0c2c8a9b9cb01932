"""A brokerage day at its participants' own bounds, by choosing each one's busy pattern
(patterns.py in searches/): a day at the floor is optimal; a proof that there is none raises it.
Then the patterns' relaxation may raise it further, and a day a single run above the floor is
optimal in turn."""

from __future__ import annotations

from scheduler.solve.methods.relaxation import LP_ITERATIONS
from scheduler.solve.pipeline.level import Found, LevelRun, Method
from scheduler.solve.searches.patterns import Outcome, relaxed_floor, search as search_patterns

# Share of a brokerage idle-gap level for this search, before anything else; what is left goes to
# the annealed search and CP-SAT (benchmarks/README.md, "How the solver chooses": busy patterns).
PATTERN_SHARE = 0.8
# Where no day is at the floor, the most of the level for asking whether one is a single run above
# it (same section).
ONE_RUN_SHARE = 0.4
# And the most for each relaxation of the patterns with more slack, asked first (same section).
RELAXED_SHARE = 0.1


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

    def left() -> float:
        return run.share * PATTERN_SHARE - (budget.spent() - began)
    _relaxed(run, left)
    if run.settled or run.floor > outcome.floor:
        return None  # the relaxation proved more than a run above: no day a run above to look for
    # Once that is refuted, a day found a single run above is optimal, and a proof that there is
    # none raises the floor again.
    amount = min(run.share * ONE_RUN_SHARE, left())
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


def _relaxed(run: LevelRun, left) -> None:
    """The floor raised to what the patterns' relaxation proves, with a run of slack each, then
    two, and so on while it proves more than the slack (each within RELAXED_SHARE of the level
    and what ``left()`` says is left of the patterns' share)."""
    budget, stop = run.budget, run.stop
    extra = 1
    while (amount := min(run.share * RELAXED_SHARE, left())) > 0:
        relaxed = relaxed_floor(run.problem, run.model, budget, amount, extra,
                                seconds=budget.wall_left() if stop.deterministic else amount,
                                iterations=LP_ITERATIONS if stop.deterministic else None)
        if relaxed is None:
            return
        if relaxed.floor > run.floor:
            _take(run, Outcome(None, None, relaxed.floor))
            run.note(f"{run.name}: bound {run.floor:,} from the patterns' relaxation, {extra} run(s) of slack each")
        if not relaxed.more:
            return
        extra += 1


def _take(run: LevelRun, outcome: Outcome) -> None:
    """A pattern search's floor, and its day where it keeps the settled levels and is no worse."""
    run.floor = max(run.floor or 0, outcome.floor)
    run.reporter.proven = run.floor
    if (outcome.placements is not None and run.keeps_levels(outcome.placements)
            and (run.placements is None or run.value(outcome.placements) <= run.value())):
        run.adopt(outcome.placements, hint=False)
        run.reporter.on_value(run.value())
    run.settled = run.placements is not None and run.value() <= run.floor


PATTERNS = Method("busy patterns", _run)
