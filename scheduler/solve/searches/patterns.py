"""Brokerage days at (or near) their participants' own bounds, by choosing each one's busy pattern.

Idle gaps have a lower bound per participant and day: the fewest runs of busy slots its own
meetings allow (:func:`scheduler.solve.model.objective.fewest_runs`); their sum, less one per
participant-day, is :func:`~scheduler.solve.model.objective.idle_gap_floor`. On the benchmark's
brokerage days that floor is the optimum far more often than not, and CP-SAT's core search proves
it at once, but the run-start model rarely finds such a day: it only learns that a participant's
slots must be contiguous one run literal at a time.

Here a participant's day is instead one *pattern*, chosen among all sets of its allowed slots
that hold its meetings in at most ``fewest + extra`` runs (enumerated in full, or not at all):
``busy[person, t] == sum of the patterns covering t``, and the runs above the participants' own
bounds (the *excess*) at most ``extra`` in all. Any day with at most ``extra`` excess has every
participant within ``extra`` of its own bound, so it is in the model: a model proven infeasible
proves at least ``extra + 1`` excess, and once ``extra - 1`` is so refuted, a day found is
optimal. With ``extra = 0`` a day found is at the floor.

The same model with its excess minimised has a linear relaxation that is often tight where
CP-SAT's searches are not: its optimum, rounded up, bounds the excess of every day within the
slack, and any other day has more than the slack (:func:`relaxed_floor`).

Two things make the search fast. A pattern is kept only if the person's own meetings can take
its slots one each (a bipartite matching, which drops many of them). And the people busy at a
slot, summed over the patterns, are even and at most two per table (benchmarks/README.md, "How the
solver chooses": busy patterns).

Exact only where every meeting is required, between two people, one slot long, may fall on one
venue day only and needs no interpreter (:func:`applies`): then each participant-day's busy slots are counted exactly.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.model.problem import Problem
from scheduler.solve.bounds.relaxation import integral_bound, lp_backend, relaxation_bound
from scheduler.solve.pipeline.budget import Budget
from scheduler.solve.searches.kempe import applies as compact_applies
from scheduler.solve.model.meetings import MeetingModel
from scheduler.solve.model.objective import fewest_runs
from scheduler.solve.model.runs import PATTERN_LIMIT, fits, patterns, runs_of
from scheduler.solve.result import Placement

# Patterns listed, matched and stated per second of the search's allowance at most: about two
# thirds of what 2 cores do, so listing never runs on unchecked past the allowance. A count, not
# a time, so that a deterministic solve repeats (benchmarks/README.md, "How the solver chooses":
# busy patterns).
PATTERNS_PER_SECOND = 20_000
# The most patterns whose relaxation is worth solving before the questions: GLOP solves fewer in
# a fraction of a second; on more it took seconds and proved nothing the questions do not (same
# section).
RELAXED_PATTERNS = 5_000
# How often a search that a search beside may answer first looks at it (seconds).
LOOK_EVERY = 0.1


def applies(problem: Problem) -> bool:
    """Whether choosing patterns is exact for this event (see the module's last paragraph)."""
    return (compact_applies(problem)
            and all(t.required and len(t.people) == 2 and len({problem.slot_day(s) for s in t.starts}) == 1
                    for t in problem.tasks))


@dataclass(frozen=True)
class Outcome:
    placements: list[Placement] | None  # a day with every meeting, or None when none was found
    excess: int | None  # its idle gaps above the floor
    floor: int  # a proven lower bound on the idle gaps
    refuted: bool = False  # proven: no day within ``extra`` of the floor


@dataclass
class _Model:
    """The patterns' model: each participant-day's patterns (up to ``extra`` runs above its own
    bound) chosen once, the busy slots they cover, and the people busy per slot."""

    meetings: MeetingModel
    days: list[tuple[int, int, list[tuple[int, ...]], list[int]]]  # person, fewest, patterns, their runs
    chosen: list[list]  # per day above, a literal per pattern
    excess: list  # the runs above each participant's own bound, as terms to sum
    floor: int  # the participants' own bounds, summed (less one per participant-day)


def _model(problem: Problem, bounds_model: MeetingModel, extra: int, most: int) -> _Model | None:
    """The patterns' model with ``extra`` runs of slack each; None when listing the patterns
    would take more than ``most`` of them, or when a participant's own meetings fit none (which
    cannot happen: they are placed in every schedule)."""
    model = MeetingModel(problem)
    cp = model.model
    days: list[tuple[int, int, list[tuple[int, ...]], list[int]]] = []
    allowed_of: list[set[int]] = []
    floor = 0
    listed = 0
    for person in problem.people:
        tasks = problem.tasks_of(person.index)
        for day, day_slots in enumerate(problem.grid.slots_by_day):
            mine = [t for t in tasks if problem.slot_day(t.starts[0]) == day]
            if not mine:
                continue
            allowed = {t for t in day_slots if model.by_person_slot.get((person.index, t))}
            # The person's own bound, made exact where the cached one is not (it comes from a small
            # search when there are too many patterns to list, and that search may stop early).
            fewest = fewest_runs(bounds_model, person.index, day)
            while True:
                found = patterns(day_slots, allowed, len(mine), fewest + extra,
                                 limit=min(PATTERN_LIMIT, most - listed))
                if found is None:
                    return None
                listed += len(found)
                found = [p for p in found if fits([t.starts for t in mine], p)]
                runs = [runs_of(day_slots, p) for p in found]
                if any(r <= fewest for r in runs) or fewest >= len(mine):
                    break
                fewest += 1
            if not found:
                return None
            floor += max(0, fewest - 1)
            days.append((person.index, fewest, found, runs))
            allowed_of.append(allowed)
    excess = []
    all_chosen = []
    for (person, fewest, found, runs), allowed in zip(days, allowed_of):
        chosen = [cp.new_bool_var(f"pattern_{person}_{i}") for i in range(len(found))]
        all_chosen.append(chosen)
        cp.add_exactly_one(chosen)
        for t in allowed:
            cp.add(model.busy(person, t) == sum(v for v, p in zip(chosen, found) if t in p))
        excess += [(r - fewest) * v for v, r in zip(chosen, runs) if r > fewest]
    # Implied: the people busy at a slot are two per meeting, so an even number, at most two per
    # table. Stated on the patterns, the search sees it before any meeting is placed: without
    # it the larger brokerage days' days at the floor are found late or not at all
    # (benchmarks/README.md, "How the solver chooses": busy patterns).
    load: dict[int, list] = {}
    for (_, _, found, _), chosen in zip(days, all_chosen):
        for v, p in zip(chosen, found):
            for t in p:
                load.setdefault(t, []).append(v)
    pool = problem.tasks[0].classes[0]
    for t, literals in load.items():
        pairs = cp.new_int_var(0, model.booths_free(pool, t), f"pairs_{t}")
        cp.add(sum(literals) == 2 * pairs)
    return _Model(model, days, all_chosen, excess, floor)


def _most(budget: Budget, amount: float) -> int:
    """The patterns an allowance of ``amount`` (the budget's units) may list."""
    return int(PATTERNS_PER_SECOND * amount / budget.units(1.0))


def search(problem: Problem, bounds_model: MeetingModel, budget: Budget, amount: float, extra: int = 0,
           workers: int = 2, seed: int = 0, most: int | None = None,
           until: Callable[[], bool] | None = None) -> Outcome | None:
    """A day whose idle gaps exceed the floor by at most ``extra`` in all (each participant's by
    at most ``extra``), within ``amount`` of the budget or until ``until()`` says a search beside
    has answered the question (looked at every :data:`LOOK_EVERY` seconds); None when the
    patterns are too many to enumerate in the allowance (:data:`PATTERNS_PER_SECOND`), or more
    than ``most``. ``bounds_model`` supplies the participants' own bounds (cached there by the
    idle-gap level)."""
    listed = _most(budget, amount)
    built = _model(problem, bounds_model, extra, listed if most is None else min(most, listed))
    if built is None:
        return None
    cp = built.meetings.model
    if built.excess:
        # A question, not an objective: asked "at most one in all", the search refutes a day
        # with unavailable blocks several times sooner than minimising the same excess
        # (benchmarks/README.md, "How the solver chooses": busy patterns).
        cp.add(sum(built.excess) <= extra)
    solver = cp_model.CpSolver()
    if workers <= 2:
        # As on the idle-gap level: the LP-free worker finds the days.
        solver.parameters.subsolvers.extend(["core", "no_lp"])
    with _stopped_when(solver, until):
        status = budget.run(solver, cp, amount, workers, seed)
    if status == cp_model.INFEASIBLE:
        return Outcome(None, None, built.floor + extra + 1, refuted=True)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Outcome(None, None, built.floor)
    excess = sum(r - fewest for (_, fewest, _, runs), chosen in zip(built.days, built.chosen)
                 for v, r in zip(chosen, runs) if solver.value(v))
    return Outcome(built.meetings.placements(solver.value), excess, built.floor)


@contextmanager
def _stopped_when(solver: cp_model.CpSolver, until: Callable[[], bool] | None) -> Iterator[None]:
    """``solver``'s search stopped from a thread of its own once ``until()`` is true."""
    if until is None:
        yield
        return
    over = threading.Event()

    def look() -> None:
        while not over.wait(LOOK_EVERY):
            if until():
                solver.stop_search()
                return
    watching = threading.Thread(target=look, name="patterns-until", daemon=True)
    watching.start()
    try:
        yield
    finally:
        over.set()
        watching.join()


@dataclass(frozen=True)
class Relaxed:
    floor: int  # a proven lower bound on the idle gaps
    more: bool  # whether more slack could prove more (the relaxation proved more than the slack)


def relaxed_floor(problem: Problem, bounds_model: MeetingModel, budget: Budget, amount: float, extra: int,
                  seconds: float, iterations: Mapping[str, int] | None = None) -> Relaxed | None:
    """A lower bound on the idle gaps from the linear relaxation of the patterns' model with
    ``extra`` runs of slack each, its excess minimised: a day with every participant within
    ``extra`` of its own bound has at least the relaxation's excess, rounded up, and any other
    has at least ``extra + 1``. None when the patterns are too many to list in ``amount`` (or
    more than :data:`RELAXED_PATTERNS`) or the relaxation is not solved in ``seconds`` (or
    ``iterations`` of its linear solver, by :func:`lp_backend`, for a repeatable run). Where
    minimising the same excess takes CP-SAT longer than a level has, the relaxation may prove
    it in a fraction of a second (benchmarks/README.md, "How the solver chooses": busy patterns)."""
    built = _model(problem, bounds_model, extra, min(RELAXED_PATTERNS, _most(budget, amount)))
    if built is None or not built.excess:
        return None
    built.meetings.model.minimize(sum(built.excess))
    model = built.meetings.model
    relaxed = relaxation_bound(model, time_limit=seconds,
                               iteration_limit=None if iterations is None else iterations[lp_backend(model)])
    if relaxed is None:
        return None
    excess = max(0, integral_bound(relaxed, "min"))
    return Relaxed(built.floor + min(excess, extra + 1), more=excess > extra + 1)
