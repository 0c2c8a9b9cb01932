"""A level as a mixed-integer program, solved by HiGHS (``highspy``).

The levels that say which meetings take place when (priority, firms met, the
least-served firm, idle gaps) are, on the model with counted interpreters
(``MeetingModel(seating=False)``), plain 0-1 linear programs. There CP-SAT
finds good schedules but closes its bound slowly: on the Daegu plaza its
default two workers end a minute at 1,605-1,612 against a bound of 1,613, and
an LP-heavy worker proves 1,612 only after about 24 s. HiGHS's branch and
cut proves it at the root: its cuts bring the bound to 1,612, and from the
greedy start it finds a schedule there, in about 1.2 s in all. (The solver
hands it priority and firms met; see ``solver.MIP_TERMS`` for why not the
others.) The same CP-SAT model is handed
to HiGHS row for row (``lp_bound.linear_rows``), so the two solve the same problem;
the answer is then checked by CP-SAT itself with every variable fixed.
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

import highspy
import numpy as np
from ortools.sat.python import cp_model

from scheduler.solve.lp_bound import NotLinear, integral_bound, linear_rows, proto_of

# Non-zeros x simplex iterations per second of HiGHS on the 2-core machines (see solve_mip).
WORK_SCALE = 3e8


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


def solve_mip(model: cp_model.CpModel, seconds: float, on_value: Callable[[int], None] | None = None,
              on_bound: Callable[[int], None] | None = None, gap: float = 0.0, threads: int | None = None,
              nodes: int | None = None) -> MipOutcome | None:
    """``model``'s objective optimised by HiGHS within ``seconds`` (or until within ``gap`` of
    its bound, or after ``nodes`` branch-and-bound nodes), starting from the model's hint when it
    names every variable; None when the model is not a plain linear one. HiGHS's search does not
    depend on the clock: stopped by ``nodes`` with a fixed ``threads``, it repeats exactly.
    ``on_value`` and ``on_bound`` hear of each better schedule and bound, in the model's terms."""
    began = time.perf_counter()
    proto = proto_of(model)
    if not proto.objective.vars or any(len(v.domain) != 2 for v in proto.variables):
        return None
    try:
        rows = list(linear_rows(proto, exact=True))
    except NotLinear:
        return None
    count = len(proto.variables)
    scale = proto.objective.scaling_factor or 1.0
    sense = "max" if scale < 0 else "min"
    offset = proto.objective.offset
    if threads is not None:
        highspy.Highs.resetGlobalScheduler(True)  # else a second thread count fails to run at all
    with _quiet():
        highs = highspy.Highs()  # prints its banner on stdout before any option can be set
    highs.setOptionValue("output_flag", False)
    if threads is not None:
        highs.setOptionValue("threads", threads)
    if nodes is not None:
        highs.setOptionValue("mip_max_nodes", nodes)
    highs.setOptionValue("time_limit", max(0.1, seconds))
    highs.setOptionValue("mip_rel_gap", gap)  # HiGHS stops within 0.01 % otherwise
    highs.addVars(count, np.array([v.domain[0] for v in proto.variables], dtype=np.float64),
                  np.array([v.domain[1] for v in proto.variables], dtype=np.float64))
    every = np.arange(count, dtype=np.int32)
    highs.changeColsIntegrality(count, every, np.full(count, highspy.HighsVarType.kInteger.value, dtype=np.uint8))
    cost = np.zeros(count)
    np.add.at(cost, np.array(proto.objective.vars, dtype=np.int64), np.array(proto.objective.coeffs, dtype=np.float64))
    highs.changeColsCost(count, every, cost)  # CP-SAT stores every objective as a minimisation
    infinity = highspy.kHighsInf
    nonzeros = sum(len(r[0]) for r in rows)
    starts = np.cumsum([0] + [len(r[0]) for r in rows[:-1]], dtype=np.int32)
    highs.addRows(len(rows),
                  np.array([-infinity if low is None else low for _, _, low, _ in rows], dtype=np.float64),
                  np.array([infinity if high is None else high for _, _, _, high in rows], dtype=np.float64),
                  nonzeros, starts,
                  np.array([v for r in rows for v in r[0]], dtype=np.int32),
                  np.array([c for r in rows for c in r[1]], dtype=np.float64))
    hint = proto.solution_hint
    if len(hint.vars) == count:
        start = np.zeros(count)
        start[np.array(hint.vars, dtype=np.int64)] = np.array(hint.values, dtype=np.float64)
        solution = highspy.HighsSolution()
        solution.col_value = start.tolist()
        highs.setSolution(solution)
    if on_value is not None:
        def improved(event) -> None:
            on_value(round((event.data_out.objective_function_value + offset) * scale))
        highs.cbMipImprovingSolution.subscribe(improved)
    reported: list[int] = []
    interrupted: list[bool] = []

    def interrupt(event) -> None:
        # HiGHS's own time limit is not checked inside its LP solves: a 500-buyer expo ran on
        # for minutes past it. Its callbacks are, often.
        if time.perf_counter() - began > seconds:
            event.interrupt()
            interrupted.append(True)
        dual = getattr(event.data_out, "mip_dual_bound", None)
        if on_bound is not None and dual is not None and math.isfinite(dual):
            bound = integral_bound((dual + offset) * scale, sense)
            if not reported or bound != reported[-1]:
                reported.append(bound)
                on_bound(bound)
    for callbacks in (highs.cbMipInterrupt, highs.cbSimplexInterrupt, highs.cbIpmInterrupt):
        callbacks.subscribe(interrupt)
    highs.run()
    info = highs.getInfo()
    # Work as a count, not a time: non-zeros times simplex iterations (and nodes), scaled to about
    # seconds on these 2 cores (Daegu: 69,481 non-zeros, 5,101 iterations, 1.2 s; the week: 361,546,
    # 5,168, 6 s, of which presolve 3.3 s).
    work = nonzeros * (max(0, info.simplex_iteration_count) + 1000 * max(0, info.mip_node_count)) / WORK_SCALE
    clock_stopped = bool(interrupted) or highs.getModelStatus() == highspy.HighsModelStatus.kTimeLimit
    bound = None
    if math.isfinite(info.mip_dual_bound):
        bound = integral_bound((info.mip_dual_bound + offset) * scale, sense)
    if info.primal_solution_status != highspy.SolutionStatus.kSolutionStatusFeasible.value:
        return MipOutcome(None, None, bound, False, work, clock_stopped)
    values = [round(x) for x in highs.getSolution().col_value]
    if not _holds(model, values):
        # Within HiGHS's tolerances only: not taken.
        return MipOutcome(None, None, bound, False, work, clock_stopped)
    value = round((sum(c * values[v] for v, c in zip(proto.objective.vars, proto.objective.coeffs)) + offset) * scale)
    if bound is not None and (value > bound if sense == "max" else value < bound):
        bound = value  # a bound within tolerance of the value it proves
    return MipOutcome(value, values, bound, bound == value, work, clock_stopped)


@contextlib.contextmanager
def _quiet():
    """Standard output closed at the descriptor level (HiGHS writes there from C++)."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def _holds(model: cp_model.CpModel, values: list[int]) -> bool:
    """Whether ``values`` keep every constraint of ``model``: CP-SAT checks them with every
    variable fixed (propagation only)."""
    check = model.clone()
    check.clear_hints()
    check.clear_objective()
    for index, value in enumerate(values):
        variable = check.get_int_var_from_proto_index(index)
        check.add(variable == value)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 30.0
    return solver.solve(check) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
