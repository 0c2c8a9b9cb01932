"""The linear relaxation's bound on the first level, solved in a thread beside the parts where
only parts will be searched."""

from __future__ import annotations

from scheduler.solve.bounds.relaxation import integral_bound, lp_backend, relaxation_bound, relaxation_bound_beside
from scheduler.solve.pipeline.level import Found, LevelRun, Method

# Deterministic mode: the relaxation stops after this many iterations instead of on the clock
# (GLOP's simplex; PDLP's first-order method needs far fewer, each far longer).
LP_ITERATIONS = {"GLOP": 200_000, "PDLP": 5_000}


def _run(run: LevelRun) -> Found | None:
    model, stop = run.model.model, run.stop
    seconds = run.budget.left() / 4
    if not run.whole and run.level == "priority" and run.placements is not None and not stop.deterministic:
        # Only parts will be searched, and they need no bound to begin.
        run.pending = relaxation_bound_beside(model, time_limit=seconds)
        return None
    # A repeatable run's relaxation stops on its iterations, and on the hard end only as a safety:
    # writing and freeing a program of the model's size take about as long as building the model,
    # and no clock stops them (benchmarks/README.md, "The time limit kept").
    relaxed = (relaxation_bound(model, iteration_limit=LP_ITERATIONS[lp_backend(model)],
                                time_limit=max(0.0, run.budget.wall_left() - run.solving.build_seconds))
               if stop.deterministic else relaxation_bound(model, time_limit=seconds))
    return with_relaxation(run, relaxed)


def with_relaxation(run: LevelRun, relaxed: float | None) -> Found:
    """The relaxation's bound, rounded to the level's integers and handed to the model as a cut."""
    if relaxed is None:
        return Found(note=f"{run.name}: no linear relaxation bound in its share of the limit; "
                          "CP-SAT's own bound stands")
    bound = integral_bound(relaxed, run.sense)
    return Found(bound=bound, cut=True, note=f"{run.name}: linear relaxation bound {bound:,}")


RELAXATION = Method("linear relaxation", _run, ready=lambda run: run.relaxed is None)
