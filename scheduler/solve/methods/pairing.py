"""The pairing bound: where the schedule so far is close to it, a schedule at it is looked for first."""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.solve.bounds.pairing import best_pairing
from scheduler.solve.pipeline.level import Found, LevelRun, Method

# With the schedule so far within this fraction of the pairing bound, a schedule of the pairing's
# meetings is looked for. A teleconference week's greedy start is usually that close to a bound
# that is its optimum; a plaza's is far below a bound that leaves time out (benchmarks/README.md,
# "How the solver chooses": pairing bound).
PAIRING_WITHIN = 0.01
# The most the pairing bound's search may take.
PAIRING_SECONDS = 2.0
# The most the search for a schedule of the pairing's meetings may take. Where the pairing bound
# is the optimum, local search finds one in a fraction of this; where it is not, none exists and
# the search runs to this limit, the level's proof waiting on it (benchmarks/README.md, "How the
# solver chooses": pairing bound).
PAIRING_FIT_SECONDS = 0.5


def _run(run: LevelRun) -> Found | None:
    budget, placements, meeting_model = run.budget, run.placements, run.model
    pairing = best_pairing(meeting_model, {p.task for p in placements}, budget, budget.units(PAIRING_SECONDS))
    value = run.value()
    if pairing is None or value < pairing.bound * (1 - PAIRING_WITHIN):
        return None
    if value == pairing.bound:
        found = placements, run.tables
    else:
        solver = cp_model.CpSolver()
        # Only times are left to choose, from a schedule that has nearly all these meetings, and
        # no objective: local search alone finds it, where the default portfolio spends long in
        # presolve first.
        solver.parameters.cp_model_presolve = False
        solver.parameters.use_ls_only = True
        model = meeting_model.with_only(pairing.tasks, objective=False)
        if budget.run(solver, model, budget.units(PAIRING_FIT_SECONDS), run.stop.workers, run.stop.seed) not in (
                cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        found = meeting_model.placements(solver.value), meeting_model.tables(solver.value)
    return Found(*found, bound=pairing.bound, report=pairing.bound,
                 note=f"{run.name}: {pairing.bound:,}, the most the requests' caps allow")


PAIRING_BOUND = Method("pairing bound", _run, ready=lambda run: run.placements is not None)
