"""A level as a mixed-integer program, solved by HiGHS (``highspy``).

The levels that say which meetings take place when (priority, firms met, the
least-served firm, idle gaps) are, on the model with counted interpreters
(``MeetingModel(seating=False)``), plain 0-1 linear programs. There CP-SAT
finds good schedules but closes its bound slowly: on the Daegu plaza its
default two workers end a minute without a proof, and an LP-heavy worker
proves the optimum only late. HiGHS's branch and cut proves it at the root:
its cuts bring the bound down to the optimum, and from the greedy start it
finds a schedule there, in a small part of a level's share (benchmarks/README.md,
"How the solver chooses": HiGHS on a level). (The solver
hands it priority and firms met; see ``plan.MIP_TERMS`` for why not the
others.) The same CP-SAT model is handed
to HiGHS row for row (``relaxation.linear_rows``), so the two solve the same problem;
the answer is then checked on those rows in whole numbers (:func:`holds`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
from ortools.sat.python import cp_model

from scheduler.solve.bounds.highs_worker import Entrant, Program, Settings, own_limit, race, work, worker, workers
from scheduler.solve.bounds.relaxation import NotLinear, integral_bound, linear_rows, proto_of


@dataclass(frozen=True)
class MipOutcome:
    """What HiGHS found: the best value and each CP-SAT variable's value in it (by index), or
    None; the proven bound (in the model's own sense), or None; and whether the value is proven
    optimal."""

    value: int | None
    values: list[int] | None
    bound: int | None
    proven: bool
    work: float = 0.0  # what it did, in about seconds on 2 cores, counted the same on any machine
    clock_stopped: bool = False  # stopped by ``seconds``, not by its node limit or a proof
    rows: Program | None = None  # the model's program, to check other values on (:func:`holds`)


@dataclass(frozen=True)
class Beside:
    """Another program of the same level, raced beside the model's own: the same problem or a
    relaxation of it, its costs in the level's own terms (a schedule's value is ``cost @ x``, in
    the level's sense), solved under ``options``. ``read`` turns one of its solutions into a value
    for each of the model's variables (None when it cannot); those are then checked on the
    model's rows like HiGHS's own."""

    program: Program
    read: Callable[[np.ndarray], Sequence[int] | None]
    options: dict


def _box_bound(proto) -> float:
    """The objective (as CP-SAT stores it, minimised) with every variable at its best bound."""
    return sum(c * (v.domain[0] if c > 0 else v.domain[-1])
               for c, v in ((c, proto.variables[i]) for i, c in zip(proto.objective.vars, proto.objective.coeffs)))


def prepare(count: int = 1) -> None:
    """HiGHS's processes (``count``: as many as a race takes) started now, so that their start
    overlaps the caller's work (the model's build) instead of delaying the first solve."""
    for each in workers(count):
        each.start()


def program_of(proto, ends: float = math.inf) -> Program | None:
    """The CP-SAT model as HiGHS's program, row for row, with its hint as the start when the
    hint names every variable; None when the model is not a plain linear one with an objective,
    or when its rows are not built by ``ends`` (``time.perf_counter()``)."""
    if not proto.objective.vars or any(len(v.domain) != 2 for v in proto.variables):
        return None
    rows = []
    try:
        for row in linear_rows(proto, exact=True):
            rows.append(row)
            if len(rows) % 1000 == 0 and time.perf_counter() >= ends:
                return None  # the rows alone took the seconds: HiGHS would not start in time
    except NotLinear:
        return None
    count = len(proto.variables)
    cost = np.zeros(count)  # CP-SAT stores every objective as a minimisation
    np.add.at(cost, np.array(proto.objective.vars, dtype=np.int64), np.array(proto.objective.coeffs, dtype=np.float64))
    hint = proto.solution_hint
    start = None
    if len(hint.vars) == count:
        start = np.zeros(count)
        start[np.array(hint.vars, dtype=np.int64)] = np.array(hint.values, dtype=np.float64)
    return Program.of_rows(rows, lower=np.array([v.domain[0] for v in proto.variables], dtype=np.float64),
                           upper=np.array([v.domain[1] for v in proto.variables], dtype=np.float64),
                           cost=cost, start=start)


def solve_mip(model: cp_model.CpModel, seconds: float, on_value: Callable[[int], None] | None = None,
              on_bound: Callable[[int], None] | None = None, gap: float = 0.0, threads: int | None = None,
              nodes: int | None = None, options: dict | None = None,
              rivals: Sequence[dict] = (), beside: Sequence[Beside] = (),
              cutoff: int | None = None) -> MipOutcome | None:
    """``model``'s objective optimised by HiGHS within ``seconds`` (or until within ``gap`` of
    its bound, or after ``nodes`` branch-and-bound nodes), starting from the model's hint when it
    names every variable; None when the model is not a plain linear one. HiGHS's search does not
    depend on the clock: stopped by ``nodes`` with a fixed ``threads``, it repeats exactly.
    ``on_value`` and ``on_bound`` hear of each better schedule and bound, in the model's terms.
    HiGHS runs in a process of its own (``highs_worker``), killed when it overruns ``seconds``;
    the outcome then holds the best it had sent. ``rivals``: the same program is also solved under
    each of these option sets at once, one process and one thread each, and the first to prove
    wins (``highs_worker.race``); ``beside``: other programs of the level, raced the same way.
    ``cutoff``: only schedules of at least this value (at most, where the objective is minimised)
    are of use. HiGHS prunes every node whose bound falls short of it (its ``objective_bound``), so
    that a run asked whether such a schedule exists ends as soon as its bound says none does."""
    ends = time.perf_counter() + seconds  # building the rows counts against the seconds too
    proto = proto_of(model)
    program = program_of(proto, ends)
    if program is None:
        return None
    scale = proto.objective.scaling_factor or 1.0
    sense = "max" if scale < 0 else "min"
    offset = proto.objective.offset
    nonzeros = len(program.indices)
    reported: list[int] = []
    if cutoff is not None:
        # HiGHS minimises the objective, a value v being (objective + offset) * scale; half a unit
        # of v short of the cutoff, so that a schedule at the cutoff itself is kept.
        options = {**(options or {}), "objective_bound": (cutoff + (0.5 if sense == "min" else -0.5)) / scale - offset}

    def heard_value(objective: float) -> None:
        if on_value is not None:
            on_value(round((objective + offset) * scale))

    def heard_bound(dual: float) -> None:
        bound = integral_bound((dual + offset) * scale, sense)
        if on_bound is not None and (not reported or bound != reported[-1]):
            reported.append(bound)
            on_bound(bound)
    # HiGHS's own limit, so that its process is stopped, grace included, by the end of the seconds.
    seconds = max(0.1, own_limit(ends - time.perf_counter()))
    if rivals or beside:
        runners = workers(1 + len(rivals) + len(beside))
        entrants = [Entrant(each, Settings(seconds, gap, 1, nodes, {**(options or {}), **rival}))
                    for each, rival in zip(runners, [{}, *rivals])]
        # In CP-SAT's terms: a value v is (objective + offset) * scale.
        entrants += [Entrant(each, Settings(seconds, gap, 1, nodes, other.options),
                             replace(other.program, cost=other.program.cost / scale), -offset)
                     for each, other in zip(runners[len(entrants):], beside)]
        report = race(program, entrants, heard_value, heard_bound)
    else:
        report = worker().solve(program, Settings(seconds, gap, threads, nodes, options), heard_value, heard_bound)
    spent = work(nonzeros, report)
    bound = None
    if math.isfinite(report.dual_bound) and report.dual_bound > _box_bound(proto) + 1e-6:
        # Stopped before its root relaxation, HiGHS reports every variable at its best: no bound
        # worth the name, and one that would keep the relaxation's from being asked for.
        bound = integral_bound((report.dual_bound + offset) * scale, sense)
    if cutoff is not None and report.infeasible:
        # Every node was pruned short of the cutoff (or the model has no schedule at all): none
        # reaches it.
        bound = cutoff - 1 if sense == "max" else cutoff + 1
    if report.solution is None:
        return MipOutcome(None, None, bound, False, spent, report.clock_stopped, program)
    if report.source > len(rivals):
        read = beside[report.source - len(rivals) - 1].read(report.solution)
        values = None if read is None else list(read)
    else:
        values = [round(x) for x in report.solution]
    if values is None or not holds(program, values):
        # Within HiGHS's tolerances only: not taken.
        return MipOutcome(None, None, bound, False, spent, report.clock_stopped, program)
    value = round((sum(c * values[v] for v, c in zip(proto.objective.vars, proto.objective.coeffs)) + offset) * scale)
    if bound is not None and (value > bound if sense == "max" else value < bound):
        bound = value  # a bound within tolerance of the value it proves
    return MipOutcome(value, values, bound, bound == value, spent, report.clock_stopped, program)


def holds(program: Program, values: Sequence[int]) -> bool:
    """Whether whole ``values`` keep every bound and row of ``program`` exactly. The rows are
    the CP-SAT model's constraints one for one (``linear_rows(exact=True)``), so this is the
    model's own check, in exact integer arithmetic where HiGHS allows a tolerance."""
    x = np.asarray(values, dtype=np.int64)
    if np.any(x < program.lower) or np.any(x > program.upper):
        return False
    lengths = np.diff(np.append(program.starts, len(program.indices)))
    activity = np.zeros(len(program.row_lower), dtype=np.int64)
    np.add.at(activity, np.repeat(np.arange(len(lengths)), lengths),
              program.values.astype(np.int64) * x[program.indices])
    return bool(np.all(activity >= program.row_lower) and np.all(activity <= program.row_upper))
