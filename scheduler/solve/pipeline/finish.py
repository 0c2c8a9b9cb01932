"""After the levels: requests that still fit filled in, interchangeable interpreters named again
and interpreters' moves polished where that level was not proven, the interpreters seated by name
where naming a pool's members fell short of what the level reached, the reasons for what is left
out, booths named, every level recounted."""

from __future__ import annotations

from scheduler.model.problem import Problem
from scheduler.solve.methods.reseat import reseated
from scheduler.solve.model.measure import MEASURES, measure_all
from scheduler.solve.model.objective import CHANGES, level_weights
from scheduler.solve.model.occupancy import Occupancy
from scheduler.solve.pipeline.booths import assign_booths
from scheduler.solve.pipeline.budget import Budget
from scheduler.solve.pipeline.level import (Reporter, Solving, about_seating, level_of, level_value, reads_better,
                                            worse)
from scheduler.solve.pipeline.pools import renamed
from scheduler.solve.pipeline.reasons import explain
from scheduler.solve.result import Placement, Result, Status, Term
from scheduler.solve.searches.polish import reduce_floor_changes, reduce_interpreter_moves

# What must be left of the limit (in seconds; its units when deterministic) for the interpreters to
# be seated by name after the levels (:func:`seat_by_name`): a model of the meetings at their times
# is a few percent of the whole one, but it is built and loaded before its search can stop. A level
# that runs to its end leaves the finishing passes a tenth of the limit (level.AFTER_LEVELS_SHARE).
BY_NAME_LEAST = 0.2


def finish(solving: Solving) -> Result:
    problem, budget, order, terms = solving.problem, solving.budget, solving.order, solving.terms
    assert solving.placements is not None
    occupancy = Occupancy(problem, solving.tables)
    for placement in solving.placements:
        occupancy.place(placement)
    proven = len(terms) == len(order) and all(t.proven for t in terms)
    if not proven:
        # A stopped search may leave a request that still fits. The start itself may not: it tried
        # every request it left out at its first fit, and a fuller schedule fits none of them.
        if (solving.placements, solving.tables) != solving.start:
            fill_in(problem, occupancy)
        # Not in a replan: the polish would swap published meetings' interpreters.
        if any(not t.proven and "interpreter changes" in t.name for t in terms) and not problem.published:
            amount = max(0.0, min(budget.units(3.0), budget.limit / 20, budget.left() / 2))
            for polish in (reduce_floor_changes, reduce_interpreter_moves):
                with budget.counted(amount / 2) as deadline:
                    polish(problem, occupancy, deadline)
            # After the polish, and kept only where better: the polish's swaps from a renamed
            # schedule can end worse than from the schedule as it was.
            rename_members(problem, occupancy, order, terms)
    seat_by_name(solving, occupancy)
    placed = {p.task for p in occupancy.placements}
    reasons = explain(problem, occupancy, [t for t in problem.tasks if t.index not in placed])
    final = tuple(assign_booths(problem, occupancy.placements, occupancy.tables))
    measured = measure_all(problem, final)
    recounted = recount(final, order, terms, measured)
    for before, after in zip(terms, recounted):
        # The progress said where each level ended; a reader comparing it with the summary is
        # told what the finishing passes changed.
        if after.value != before.value:
            solving.note(f"{after.name}: {before.value:,} -> {after.value:,} in the finishing passes")
    terms = recounted
    proven = len(terms) == len(order) and all(t.proven for t in terms)
    return Result(
        status=Status.OPTIMAL if proven else Status.FEASIBLE,
        placements=final, reasons=reasons, terms=tuple(terms), seconds=budget.elapsed(),
        figures=figures(final, terms, budget, measured), work=budget.work, wall_stopped=budget.cut_by_clock(),
    )


def rename_members(problem: Problem, occupancy: Occupancy, order, terms: list[Term]) -> None:
    """Pool members named again over the whole schedule (pools.renamed), kept where the levels
    read better in order: the same times and seats, so only the interpreters' terms can change,
    and a replan's published interpreters are kept where the pool seats them."""
    now = list(occupancy.placements)
    other = renamed(problem, now)
    if other is not None and reads_better(problem, order, terms, other, now):
        _replace(occupancy, now, other)


def seat_by_name(solving: Solving, occupancy: Occupancy) -> None:
    """Where the first level that weighs who interprets (interpreter comfort) reads worse on the
    schedule, its pools' members named, than the value the level reached counting each pool as one
    (the model counts a pool's moves between two slots as the fewest any naming allows, and those
    fewest need not all be had at once), that level is searched again with every meeting kept at its
    time and every interpreter seated by name (methods/reseat.py), in half of what is left of the
    limit where at least BY_NAME_LEAST is; kept where the levels read better in order. Not in a
    replan: the re-seat would move published meetings' interpreters."""
    problem, budget, order, terms = solving.problem, solving.budget, solving.order, solving.terms
    left = budget.left()
    position = _by_name_level(solving)
    if position is None or len(terms) < len(order) or left < budget.units(BY_NAME_LEAST):
        return
    level, term = order[position], terms[position]
    now = list(occupancy.placements)
    if not worse(level_value(problem, now, level, term.sense), term.value, term.sense):
        return
    reporter = Reporter(term.name, budget, None, term.bound, term.sense)
    found, tables, _ = reseated(problem, now, occupancy.tables, order, terms[:position], solving.stop, budget,
                                left / 2, reporter, named=True)
    if not reads_better(problem, order, terms, found, now):
        return
    solving.note(f"{term.name}: {level_value(problem, now, level, term.sense):,} with the pools' members named, "
                 f"{level_value(problem, found, level, term.sense):,} seated by name at the same times")
    occupancy.tables.update(tables)
    _replace(occupancy, now, found)


def _replace(occupancy: Occupancy, now: list[Placement], other: list[Placement]) -> None:
    for placement in now:
        occupancy.remove(placement)
    for placement in other:
        occupancy.place(placement)


def _by_name_level(solving: Solving) -> int | None:
    """The position of the level :func:`seat_by_name` would search again: the first that weighs
    who interprets, where a pool has more than one member; not in a replan. None where there is
    none."""
    problem = solving.problem
    if problem.published or all(len(members) == 1 for members in problem.interpreter_pools):
        return None
    return next((i for i, level in enumerate(solving.order) if about_seating(level) or CHANGES in level_weights(level)),
                None)


def fill_in(problem: Problem, occupancy: Occupancy) -> None:
    """Every request not placed, highest priority first, at its first fit if it has one."""
    placed = {p.task for p in occupancy.placements}
    for task in sorted(problem.tasks, key=lambda t: (-t.priority, t.index)):
        if task.index not in placed:
            placement = occupancy.first_fit(task)
            if placement is not None:
                occupancy.place(placement)


def recount(placements: tuple[Placement, ...], order, terms: list[Term], measured: dict[str, int]) -> list[Term]:
    """Level values measured on the final schedule (the fill-in pass may have added meetings, and
    naming pool members may walk more than the fewest moves counted): a level stays proven only
    where the schedule has the very value that was proven. ``measured``: every term of the
    schedule (measure_all)."""
    recounted = []
    for level, t in zip(order, terms):
        value = level_of(measured.__getitem__, level, t.sense)
        proven = (t.proven and value == t.value) or value == t.bound  # a value at its bound is proven too
        recounted.append(Term(t.name, t.sense, value, t.bound, proven, t.seconds, t.began))
    return recounted


def figures(placements: tuple[Placement, ...], terms: list[Term], budget: Budget, measured: dict[str, int]) -> dict:
    """The figures the schedule file carries beyond the meetings."""
    result: dict = {
        "idle_gaps": measured["idle gaps"],
        "relays": sum(1 for p in placements if len(p.interpreters) == 2),
        "terms": {name.replace(" ", "_").replace("-", "_"): value for name, value in measured.items()
                  if name in MEASURES},
        "objective": [{"level": t.name, "sense": t.sense, "value": t.value, "bound": t.bound, "proven": t.proven,
                       "seconds": round(t.seconds, 2) if t.seconds is not None else None,
                       "began": round(t.began, 2) if t.began is not None else None} for t in terms],
    }
    if budget.deterministic:
        # The work spent is part of what repeats; a run cut by the wall clock may not repeat.
        result["work_units"] = round(budget.work, 3)
        result["deterministic"] = not budget.cut_by_clock()
    priority = next((t for t in terms if t.name == "priority"), None)
    if priority is not None and priority.gap is not None:
        result["priority_gap"] = round(priority.gap, 6)
    return result
