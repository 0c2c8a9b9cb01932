"""Who interprets and on which floor, with every meeting kept at its time: a model a few percent
of the whole one's size, so even an event too large to search whole gets a real search."""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.model.problem import Problem
from scheduler.solve.model.meetings import MeetingModel, OutOfTime
from scheduler.solve.model.objective import CHANGES, build_level, level_weights
from scheduler.solve.pipeline.budget import Budget
from scheduler.solve.pipeline.level import (Found, LevelRun, Method, Reporter, Stop, about_seating, keep_level,
                                            level_value, worse)
from scheduler.solve.result import Placement, Term


def _run(run: LevelRun) -> Found:
    # It gets 2 s even when the levels before took all of theirs: less is too little to improve.
    amount = max(run.share / 2 if run.whole else run.share, run.budget.units(2.0))
    placements, tables, best_for_times = reseated(run.problem, run.placements, run.tables, run.order, run.terms,
                                                  run.stop, run.budget, amount, run.reporter)
    return Found(placements, tables, note=f"{run.name}: {run.value(placements):,} with every meeting kept at its "
                                          "time" + (" (the best there is for those times)" if best_for_times else ""))


def reseated(problem: Problem, placements: list[Placement], tables: dict[int, str], order, terms: list[Term],
             stop: Stop, budget: Budget, amount: float, reporter: Reporter, named: bool = False):
    """The level after ``terms`` re-solved with every meeting kept at its time, so that only the
    interpreters and the booths' floors or classes change (every earlier level that weighs them
    keeps its value; the others cannot change): (placements, tables, whether that is proven
    best). ``named``: every interpreter seated by name, not counted by pool (MeetingModel)."""
    try:
        # Seated, on every meeting of an expo, the model and its level may outlast what is left.
        part = MeetingModel(problem, kept_times={p.task: p.start for p in placements}, until=budget.wall_end(),
                            named=named)
        position = len(terms)
        for level, term in zip(order[:position], terms):
            # A replan's fewest changes weighs who interprets and in which booths too.
            if about_seating(level) or CHANGES in level_weights(level):
                keep_level(part, level, term)
        level = order[position]
        expression, sense = build_level(part, level)
    except OutOfTime:
        return placements, tables, False
    part.optimise(expression, sense)
    part.hint(placements, tables)
    solver = cp_model.CpSolver()
    with reporter.narrowed_search():
        status = budget.run(solver, part.model, amount, stop.workers, stop.seed, reporter)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return placements, tables, False
    found = part.placements(solver.value)
    before, after = (level_value(problem, p, level, sense) for p in (placements, found))
    if worse(after, before, sense):
        # Stopped before it repaired the hint (a search's first schedule need not be the hint).
        return placements, tables, False
    return found, part.tables(solver.value), status == cp_model.OPTIMAL


RESEAT = Method("re-seat at the same times", _run, ready=lambda run: run.placements is not None)
