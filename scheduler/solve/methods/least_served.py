"""The least-served firm raised one meeting at a time: by HiGHS's tests where the model is small
enough (whole, or with alike days folded), else by re-solving parts around the firms at the fewest."""

from __future__ import annotations

from scheduler.solve.bounds.folding import Folded
from scheduler.solve.methods.engines import run_mip
from scheduler.solve.model.meetings import MeetingModel
from scheduler.solve.model.measure import measure
from scheduler.solve.model.objective import build_level
from scheduler.solve.pipeline.level import Found, LevelRun, Method, keep_level
from scheduler.solve.searches.parts import raise_least_served


def _amount(run: LevelRun) -> float:
    return run.for_levels() / max(1, run.live)


def _by_tests(run: LevelRun) -> Found:
    budget = run.budget
    # On alike days folded where the model is too large to test whole (bounds/folding.py).
    folded = Folded(run.problem, run.solving.alike()) if not run.plans(HIGHS_TESTS_WHOLE) else None
    placements, tables, bound = least_served_by_tests(
        run.problem, run.order, run.terms, run.placements, run.tables, run.obvious, budget,
        budget.spent() + _amount(run), run.reporter, run.stop, folded=folded)
    return Found(placements, tables, bound=bound, cut=True,
                 note=f"{run.name}: {run.value(placements):,} by HiGHS, raised a meeting at a time"
                      + (f", bound {bound:,}" if bound is not None else ""))


def _by_parts(run: LevelRun) -> Found:
    budget, stop = run.budget, run.stop
    placements = raise_least_served(run.problem, run.placements, run.tables, budget, budget.spent() + _amount(run),
                                    most=run.obvious, seed=stop.seed, workers=stop.workers,
                                    report=run.reporter.on_value)
    return Found(placements, note=f"{run.name}: {run.value(placements):,} after re-solving parts around the "
                                  "least-served firms")


def least_served_by_tests(problem, order, terms, placements, tables, most: int | None, budget, level_end: float,
                          reporter, stop, folded: Folded | None = None):
    """"At least k meetings each" holds at the settled priority if HiGHS, maximising priority
    with every firm at k or more (and the other settled levels kept), reaches it, and is proven
    impossible if its bound falls short: (placements, tables, proven bound or None). The tests
    share a model of their own: with priority also kept as a row, HiGHS is far slower. With
    ``folded``, the tests are asked of the event with alike days folded (a relaxation: a test it
    fails, the event fails), and a test it passes is taken only if its meetings spread over
    their days."""
    priority = next(t.value for level, t in zip(order, terms) if level == "priority")
    value = measure(problem, placements, "least-served firm")

    def time_for_a_test() -> bool:
        return level_end - budget.spent() >= budget.units(1.0)

    if not time_for_a_test():
        # The tests' model is not built either: its build is no search's work, and in a
        # repeatable solve no unit counts it.
        return placements, tables, None
    base = MeetingModel(problem, seating=False) if folded is None else folded.model
    for level, term in zip(order, terms):
        if level != "priority":
            keep_level(base, level, term)
    least = build_level(base, "least-served firm")[0]
    base.optimise(build_level(base, "priority")[0], "max")
    bound = None
    while most is None or value < most:
        if not time_for_a_test():
            break
        test = base.model.clone()
        test.add(least >= value + 1)
        # Only a schedule at the settled priority passes: HiGHS stops once its bound falls short.
        outcome = run_mip(test, budget, level_end - budget.spent(), stop, complete=False, cutoff=priority)
        if outcome is None:
            break
        if outcome.value is not None and outcome.value >= priority:
            if folded is None:
                placements = base.placements(lambda v: outcome.values[v.index])
                tables = base.tables(lambda v: outcome.values[v.index])
            else:
                spread = folded.spread(folded.chosen(lambda v: outcome.values[v.index]), "priority", budget,
                                       max(budget.units(1.0), level_end - budget.spent()), stop.workers, stop.seed)
                if spread is None or not spread[2]:
                    break  # it holds folded, but not every meeting found a day: neither way proven
                placements, tables, _ = spread
            value = measure(problem, placements, "least-served firm")
            reporter.on_value(value)
            continue
        if outcome.bound is not None and outcome.bound < priority:
            bound = value  # one more each would cost priority
        break
    return placements, tables, bound


def _ready(run: LevelRun) -> bool:
    return run.placements is not None and run.relaxed is None


# HiGHS's tests on the whole model, or on the model with alike days folded: the plan chooses.
HIGHS_TESTS_WHOLE = Method("HiGHS tests", _by_tests, ready=_ready)
HIGHS_TESTS_FOLDED = Method("HiGHS tests, alike days folded", _by_tests, ready=_ready)
LEAST_SERVED_PARTS = Method("parts around the least-served", _by_parts, ready=_ready)
