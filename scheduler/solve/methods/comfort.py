"""A comfort level's bound from the relaxation by day (comfort.py in bounds/): begun beside the
levels before it where the clock rules, solved in place by iterations where the run must repeat,
and taken once solved."""

from __future__ import annotations

from concurrent.futures import Future

from scheduler.solve.bounds.comfort import applies as comfort_applies
from scheduler.solve.bounds.comfort import by_day as comfort_by_day
from scheduler.solve.bounds.relaxation import (integral_bound, lp_backend, relaxation_bound,
                                               relaxation_bound_beside)
from scheduler.solve.methods.relaxation import LP_ITERATIONS
from scheduler.solve.model.objective import MEETING_COUNTS, counts_only, level_weights
from scheduler.solve.pipeline.level import Found, LevelRun, Method, settled_counts


def begin_ahead(run: LevelRun) -> None:
    """The bound of the next comfort level, begun in a thread as soon as every level that
    counts meetings before it is settled: given only its own level's time it is often not
    solved in it."""
    solving, position, order = run.solving, run.position, run.order
    if run.stop.deterministic:
        return
    ahead = next((q for q in range(max(1, position), len(order))
                  if counts_only(order[q]) and comfort_applies(level_weights(order[q]))), None)
    if (ahead is not None and ahead not in solving.early_comfort
            and not any(level_weights(lv).keys() & MEETING_COUNTS for lv in order[position:ahead])):
        solving.early_comfort[ahead] = relaxation_bound_beside(
            comfort_by_day(run.model, level_weights(order[ahead]), settled_counts(order, run.terms)),
            time_limit=run.budget.left())


def _begin(run: LevelRun) -> None:
    run.comfort = run.solving.early_comfort.pop(run.position, None)
    if run.comfort is None:
        # Deterministic: solved now, stopped by iterations: the same bound on any machine.
        relaxation = comfort_by_day(run.model, level_weights(run.level), settled_counts(run.order, run.terms))
        run.comfort = Future()
        run.comfort.set_result(relaxation_bound(relaxation, iteration_limit=LP_ITERATIONS[lp_backend(relaxation)],
                                                time_limit=run.budget.wall_left()))
    return None


def _collect(run: LevelRun) -> Found | None:
    run.raise_floor(comfort_result(run, run.comfort))
    run.comfort = None
    run.check_settled()
    return None


def comfort_result(run: LevelRun, comfort: Future, timeout: float = 0.0) -> int | None:
    """The comfort level's bound, once its relaxation is solved."""
    try:
        relaxed = comfort.result(timeout=timeout)
    except TimeoutError:
        run.note(f"{run.name}: the relaxation by day was not solved in the level's time")
        return None
    if relaxed is None:
        return None
    bound = integral_bound(relaxed, "min")
    run.note(f"{run.name}: bound {bound:,} from the relaxation by day")
    return bound


COMFORT_RELAXATION = Method("comfort relaxation by day", _begin)
COMFORT_COLLECTED = Method("comfort relaxation, taken once solved", _collect,
                           ready=lambda run: run.comfort is not None and run.comfort.done())
