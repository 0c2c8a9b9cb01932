"""CP-SAT and HiGHS runs within a level's budget, as the methods call them."""

from __future__ import annotations

from contextlib import nullcontext

from ortools.sat.python import cp_model

from scheduler.solve.bounds.mip import solve_mip
from scheduler.model.problem import Problem
from scheduler.solve.model.meetings import MeetingModel, OutOfTime
from scheduler.solve.pipeline.budget import WORK_PER_SECOND, Budget
from scheduler.solve.pipeline.level import LevelRun, Stop
from scheduler.solve.searches.greedy import around

# Deterministic mode: HiGHS's branch-and-bound nodes per second of its share (the one-day plazas
# and the teleconference weeks of the benchmark are proven at the root).
MIP_NODES_PER_SECOND = 20
# HiGHS on a level's model (whole or folded) without its presolve, as on the parts (parts.py):
# from a greedy start it proves the priority optimum sooner without it (benchmarks/README.md,
# "How the solver chooses": HiGHS on a level). Not for the least-served firm's tests, where
# without presolve a test may not be answered in its time.
LEVEL_MIP_OPTIONS = {"presolve": "off"}
# Timed, on two or more workers, those runs race the same program with HiGHS's presolve on, one
# thread each: which of the two proves sooner depends on the event, by up to five times either way
# (benchmarks/README.md, "How the solver chooses": HiGHS on a level).
LEVEL_MIP_RIVALS = ({"presolve": "on"},)


# A later level's CP-SAT search presolves its model where it has at most this many variables,
# and at most this many for each second the search is given: presolve took 0.1-0.7 s on models of
# 2,600-10,000 variables, and found nothing in 1-5 s on models of 18,000 and more
# (benchmarks/README.md, "How the solver chooses": CP-SAT workers and presolve).
PRESOLVE_UP_TO = 10_000
PRESOLVE_VARIABLES_PER_SECOND = 2_500


def search(run: LevelRun, amount: float, later: bool = False, only: frozenset[int] | None = None):
    """One CP-SAT run on the whole model for a level, allowed ``amount`` of the budget:
    (status, solver). ``later``: an earlier level was settled, so the hint is a complete schedule.
    ``only``: exactly these meetings take place (:meth:`MeetingModel.with_only`); the status and
    bound are then those of that narrower search, not of the level."""
    stop, budget, reporter = run.stop, run.budget, run.reporter
    model = run.model.model if only is None else run.model.with_only(only)
    solver = cp_model.CpSolver()
    if stop.gap > 0:
        solver.parameters.relative_gap_limit = stop.gap
    idle = run.level in ("idle gaps", "idle gaps (plain model)")
    if idle and stop.workers <= 2:
        # A sum of run-start literals: the core-based search bounds it as MaxSAT solvers do
        # and an LP-free worker finds schedules; the default two-worker portfolio runs
        # neither, and its bound stays below zero (benchmarks/README.md, "How the solver
        # chooses": CP-SAT workers and presolve).
        solver.parameters.subsolvers.extend(["core", "no_lp"])
    if later:
        # Presolving the whole model again takes longer than a later level's share on a
        # teleconference week; from the complete hint without it, the later levels find at once.
        spent = budget.spent()
        complete_hint(model, budget, amount / 2)
        amount -= budget.spent() - spent
        # A small model is presolved in a fraction of a second, and searched better so where the
        # search has seconds for it.
        solver.parameters.cp_model_presolve = len(model.proto.variables) <= min(
            PRESOLVE_UP_TO, PRESOLVE_VARIABLES_PER_SECOND * amount / budget.units(1.0))
    if only is None:
        solver.best_bound_callback = reporter.on_bound
    with reporter.narrowed_search() if only is not None else nullcontext():
        return budget.run(solver, model, amount, stop.workers, stop.seed, reporter), solver


def take_search(run: LevelRun, status, solver) -> None:
    """A whole-level search's outcome becomes the level's (its schedule, when it found one)."""
    run.status, run.solver = status, solver
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        run.adopt(run.model.placements(solver.value), run.model.tables(solver.value), hint=False)


def complete_hint(model: cp_model.CpModel, budget: Budget, amount: float) -> None:
    """Hint every variable, the level's own included: the hint names the meetings and seats
    only, and from that partial hint CP-SAT may find no schedule at all for an idle-gap level,
    though fixing the hinted variables completes it at once."""
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.cp_model_presolve = False  # the fixed meetings decide the rest by propagation
    if budget.run(solver, model, amount) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return  # keep the partial hint
    values = [solver.value(model.get_int_var_from_proto_index(i)) for i in range(len(model.proto.variables))]
    model.clear_hints()
    for i, value in enumerate(values):
        model.add_hint(model.get_int_var_from_proto_index(i), value)


def run_mip(model: cp_model.CpModel, budget: Budget, amount: float, stop: Stop, on_value=None, on_bound=None,
            complete: bool = True, options: dict | None = None, rivals=(), beside=(), cutoff: int | None = None):
    """``model`` solved by HiGHS (mip.py) within ``amount`` of the budget: its outcome, or None.
    ``complete``: first complete a partial hint (HiGHS starts only from a complete one). A
    deterministic budget stops HiGHS by its node count (the clock only as the safety) and is
    charged HiGHS's counted work. ``rivals``: option sets that race ``options`` where the run
    need not repeat and there are workers for it (a race's winner depends on the clock).
    ``cutoff``: the least value of use (the most, minimising): mip.solve_mip."""
    if complete and len(model.proto.solution_hint.vars) < len(model.proto.variables):
        spent = budget.spent()
        complete_hint(model, budget, budget.units(1.0))  # HiGHS starts only from a complete one
        amount -= budget.spent() - spent
    if budget.wall_left() <= 0:
        return None
    if budget.deterministic:
        seconds = amount / WORK_PER_SECOND  # the seconds the work stands for
        outcome = solve_mip(model, budget.wall_left(),
                            on_value=on_value, on_bound=on_bound, gap=stop.gap,
                            threads=stop.workers, nodes=max(1, int(MIP_NODES_PER_SECOND * seconds)),
                            options=options, cutoff=cutoff)
        budget.charge_mip(outcome)
        return outcome
    return solve_mip(model, budget.mip_seconds(max(0.5, amount)), on_value=on_value,
                     on_bound=on_bound, gap=stop.gap, threads=stop.workers, options=options,
                     rivals=rivals if stop.workers >= 2 else (), beside=beside if stop.workers >= 2 else (),
                     cutoff=cutoff)


def any_schedule(meeting_model: MeetingModel, stop: Stop, budget: Budget, amount: float):
    """Any schedule of the model (every required meeting placed): (placements, tables), or None."""
    solver = _first_found(meeting_model, stop, budget, amount)
    if solver is None:
        return None
    return meeting_model.placements(solver.value), meeting_model.tables(solver.value)


def required_first(problem: Problem, stop: Stop, budget: Budget, amount: float):
    """The required meetings alone placed by CP-SAT (with the buyers' tables), then every other
    request as greedy places them around those: (placements, tables), or None where CP-SAT finds
    no place for them in ``amount``. The other requests may all be left out, so this asks only
    what every schedule must answer, on a model far smaller than the whole one, which on the
    largest plazas found no schedule in its time (benchmarks/README.md, "How the solver chooses":
    required meetings placed by moving others). Where every request is required that is the
    whole model's question: None, for :func:`any_schedule`."""
    required = tuple(t for t in problem.tasks if t.required)
    if len(required) == len(problem.tasks):
        return None
    try:
        meeting_model = MeetingModel(problem, tasks=required, seating=False, until=budget.wall_end())
    except OutOfTime:
        return None
    solver = _first_found(meeting_model, stop, budget, amount)
    if solver is None:
        return None
    return around(problem, meeting_model.placements(solver.value), meeting_model.tables(solver.value))


def _first_found(meeting_model: MeetingModel, stop: Stop, budget: Budget, amount: float):
    """CP-SAT stopped at the model's first schedule: the solver that found it, or None."""
    solver = cp_model.CpSolver()
    solver.parameters.stop_after_first_solution = True
    # Interleaved workers (a repeatable solve) stopped at the first schedule do not give the same one
    # from run to run (CP-SAT 9.15): one worker does.
    workers = 1 if budget.deterministic else stop.workers
    if budget.run(solver, meeting_model.model, amount, workers, stop.seed) not in (cp_model.OPTIMAL,
                                                                                 cp_model.FEASIBLE):
        return None
    return solver
