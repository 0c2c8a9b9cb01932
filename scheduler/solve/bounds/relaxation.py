"""A proven bound from the model's linear relaxation.

With two workers CP-SAT's own LP closes slowly on the larger events (on the
Daegu plaza its bound stays far above the best schedule; on a 500-buyer expo
CP-SAT is still presolving when a level's share is spent), yet the relaxation
itself is tight. The relaxation is solved by GLOP (simplex) on smaller models
and by PDLP (first-order, many times faster on large ones) on larger ones
(benchmarks/README.md, "How the solver chooses": linear relaxation), and the
bound is then *recomputed* from the dual
values as a Lagrangian bound: for any multipliers y, every variable being
boxed, ``sum(y_i * side_i) + sum_j min over the box of (c - A'y)_j x_j`` is a
valid bound whatever solver, tolerance or convergence produced y. The rounded
bound is handed back to CP-SAT as a cut.
"""

from __future__ import annotations

import math
import os
import tempfile
import time
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
from ortools.linear_solver import linear_solver_pb2, pywraplp
from ortools.sat import cp_model_pb2
from ortools.sat.python import cp_model

from scheduler.solve.bounds.highs_worker import Program, lagrangian

# From this many variables on, PDLP instead of GLOP.
PDLP_FROM = 10_000
# Rows written between two looks at the clock.
ROWS_PER_LOOK = 1_000
_INFINITE = 2**62


def proto_of(model: cp_model.CpModel) -> cp_model_pb2.CpModelProto:
    handle, path = tempfile.mkstemp(suffix=".pb")
    os.close(handle)
    try:
        model.export_to_file(path)
        proto = cp_model_pb2.CpModelProto()
        with open(path, "rb") as stream:
            proto.ParseFromString(stream.read())
        return proto
    finally:
        os.unlink(path)


def _backend(variables: int) -> str:
    return "PDLP" if variables >= PDLP_FROM else "GLOP"


def lp_backend(model: cp_model.CpModel) -> str:
    """The linear solver :func:`relaxation_bound` uses for ``model``."""
    return _backend(len(model.proto.variables))


def linear_rows(proto: cp_model_pb2.CpModelProto, exact: bool = False):
    """The relaxation's rows as (variable indices, coefficients, low, high), from the
    constraints without enforcement literals (leaving the others out only loosens it). A negated
    literal ``not x`` is ``1 - x``: coefficient -1 and the constant 1 moved into the sides.
    ``exact``: raise :class:`NotLinear` instead of leaving a constraint out."""
    for constraint in proto.constraints:
        kind = constraint.WhichOneof("constraint")
        if constraint.enforcement_literal or kind not in ("linear", "at_most_one", "exactly_one", "bool_or"):
            if exact:
                raise NotLinear(kind)
            continue
        if kind == "linear":
            if exact and len(constraint.linear.domain) > 2:
                raise NotLinear("a linear constraint with holes in its domain")
            low, high = constraint.linear.domain[0], constraint.linear.domain[-1]
            yield (list(constraint.linear.vars), list(constraint.linear.coeffs),
                   low if low > -_INFINITE else None, high if high < _INFINITE else None)
        elif kind in ("at_most_one", "exactly_one", "bool_or"):
            literals = getattr(constraint, kind).literals
            variables = [i if i >= 0 else -i - 1 for i in literals]
            coefficients = [1 if i >= 0 else -1 for i in literals]
            negated = sum(1 for i in literals if i < 0)
            low = {"at_most_one": None, "exactly_one": 1, "bool_or": 1}[kind]
            high = {"at_most_one": 1, "exactly_one": 1, "bool_or": None}[kind]
            yield (variables, coefficients, None if low is None else low - negated,
                   None if high is None else high - negated)


class NotLinear(ValueError):
    """A model with a constraint that is not a plain linear row."""


def relaxation_bound(model: cp_model.CpModel | cp_model_pb2.CpModelProto, time_limit: float | None = None,
                     iteration_limit: int | None = None) -> float | None:
    """A proven bound on ``model``'s objective from its linear relaxation, in the model's own
    sense (an upper bound when maximising, a lower bound when minimising), or None. Stopped by
    ``time_limit`` seconds, writing the program included, or by ``iteration_limit`` for a bound
    that does not depend on the machine's speed (the bound is valid wherever the solver stopped)."""
    ends = None if time_limit is None else time.perf_counter() + time_limit
    proto = model if isinstance(model, cp_model_pb2.CpModelProto) else proto_of(model)
    objective = proto.objective
    if not objective.vars:
        return None
    backend = _backend(len(proto.variables))
    solver = pywraplp.Solver.CreateSolver(backend)
    if solver is None:
        return None
    low = [float(v.domain[0]) for v in proto.variables]
    high = [float(v.domain[-1]) for v in proto.variables]
    # CP-SAT stores every objective as a minimisation; scaling_factor -1 marks a maximisation.
    cost = [0.0] * len(low)
    for v, c in zip(objective.vars, objective.coeffs):
        cost[v] += c
    # Written as a protocol buffer, a row at a time: a coefficient at a time through the solver's
    # own calls, a million-choice program took 13 s to write (benchmarks/README.md, "How the
    # solver chooses": linear relaxation).
    program_proto = linear_solver_pb2.MPModelProto()
    add_variable = program_proto.variable.add
    for a, b, c in zip(low, high, cost):
        add_variable(lower_bound=a, upper_bound=b, objective_coefficient=c)
    rows = []
    for variables, coefficients, row_low, row_high in linear_rows(proto):
        if ends is not None and len(rows) % ROWS_PER_LOOK == 0 and time.perf_counter() >= ends:
            return None
        if len(set(variables)) < len(variables):  # a variable twice in a row: its terms summed
            merged: dict[int, float] = {}
            for v, c in zip(variables, coefficients):
                merged[v] = merged.get(v, 0) + c
            variables, coefficients = list(merged), list(merged.values())
        row = program_proto.constraint.add(lower_bound=-math.inf if row_low is None else row_low,
                                           upper_bound=math.inf if row_high is None else row_high)
        row.var_index.extend(variables)
        row.coefficient.extend(coefficients)
        rows.append((variables, coefficients, row_low, row_high))
    if solver.LoadModelFromProto(program_proto):
        return None  # not a program the solver takes (it says why): no bound
    if iteration_limit is not None:
        solver.SetSolverSpecificParametersAsString(
            f"termination_criteria {{ iteration_limit: {iteration_limit} }}" if backend == "PDLP"
            else f"max_number_of_iterations: {iteration_limit}")
    solver.Objective().SetMinimization()
    if ends is not None:
        if time.perf_counter() >= ends:
            return None
        solver.SetTimeLimit(int(max(0.1, ends - time.perf_counter()) * 1000))
    if solver.Solve() not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        return None
    program = Program.of_rows(rows, lower=np.array(low), upper=np.array(high), cost=np.array(cost))
    bound = lagrangian(program, np.array([row.dual_value() for row in solver.constraints()], dtype=np.float64))
    scale = objective.scaling_factor or 1.0
    return (bound + objective.offset) * scale


def relaxation_bound_beside(model: cp_model.CpModel, time_limit: float) -> Future:
    """:func:`relaxation_bound` of ``model`` as it is now, solved in a thread while the caller
    goes on (the linear solvers let go of Python's lock, so the caller's thread waits only
    briefly at a time)."""
    proto = proto_of(model)  # the caller may change the model meanwhile
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="relaxation")
    future = executor.submit(relaxation_bound, proto, time_limit)
    executor.shutdown(wait=False)  # the thread ends with the solve
    return future


def integral_bound(value: float, sense: str) -> int:
    """Round a relaxation bound to the integer bound it proves (the objective is integral);
    the tiny slack absorbs floating-point error in the sums."""
    return math.floor(value + 1e-6) if sense == "max" else math.ceil(value - 1e-6)
