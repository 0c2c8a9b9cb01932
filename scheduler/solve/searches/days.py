"""Comfort and idle gaps re-solved one day at a time.

Where an event is too large to search whole (a 20-day month), the comfort
level could only re-seat interpreters with every meeting kept at its time,
and the idle-gap level had only the polish; where it is searched whole (the
KOTRA week), CP-SAT spends most of the comfort level on a model of every day
at once. Yet nothing on one day touches another day's idle gaps or comfort:
idle gaps and interpreter changes are between meetings of a day, seats are
per meeting, caps are per day. So each day is re-solved alone: the same
meetings, each on its own day, with their times, interpreters and floors
free. Every settled level that weighs the day (idle gaps, an earlier comfort
level) stays at most what the day had; levels that count meetings cannot
change, the meetings being the same. The busiest interpreter (a maximum over
days) is kept at most the event's and left out of each day's objective: a day
below the event's busiest gains nothing by lowering its own. Interpreters are
seated only where the level weighs them (an idle-gap level counts them).

A day that stays above 0 alone (proven) is then re-solved with another day
its meetings may also take, each meeting free to take either: a gap that no
day closes alone may close when its meetings can move to another day, as on
a month whose days alone stayed above 0 and whose pairs of days reached 0
(benchmarks/README.md, "How the solver chooses": comfort and days re-solved).

It runs at teleconference and brokerage events of more than one day. A plaza
buyer keeps one table for the whole event, which a day alone cannot see (and
a one-day event is the whole model).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from ortools.sat.python import cp_model

from scheduler.model.problem import Problem
from scheduler.solve.pipeline.budget import Budget
from scheduler.solve.model.meetings import MeetingModel
from scheduler.solve.model.objective import (INTERPRETER_TERMS, MEETING_COUNTS, TERMS, build_level, counts_only,
                                       level_weights)
from scheduler.solve.result import Placement

BUSIEST = "busiest interpreter"
# Terms a day re-solved can lower. Interpreters are seated only where a term weighs them.
DAY_TERMS = INTERPRETER_TERMS | {"idle gaps"}
# The least a day's search is given (seconds, or their work units): enough to build and presolve
# a month's day model with time left to search it.
LEAST_PER_DAY = 1.0
PARTNERS = 3  # other days tried with a day still above 0 alone

Level = str | Mapping[str, int]
Measure = Callable[[Sequence[Placement], Level], int]  # a level's value on some placements


def applies(problem: Problem, level: Level, settled: Sequence[Level]) -> bool:
    """More than one day, not a plaza; a level of idle gaps and interpreter terms to make fewer,
    not the busiest interpreter alone; every settled level kept by re-timing a day."""
    weights = level_weights(level)
    return (problem.kind != "plaza" and len(problem.grid.slots_by_day) > 1 and counts_only(level)
            and weights.keys() <= DAY_TERMS and weights.keys() != {BUSIEST}
            and all(level_weights(lv).keys() <= MEETING_COUNTS or counts_only(lv) for lv in settled))


def retime_days(problem: Problem, placements: list[Placement], level: Level, settled: Sequence[Level],
                value: Measure, budget: Budget, until: float, workers: int = 1, seed: int = 0,
                report: Callable[[list[Placement]], None] | None = None) -> list[Placement]:
    """``placements`` with days re-solved for ``level`` (see the module's text) until the budget
    has spent ``until``: costliest day first, round after round until each day is proven; then,
    if the level weighs the busiest interpreter, one fewer on every day that has the most, at no
    cost to any. Only what lowers the level is taken; ``report`` hears of each schedule taken."""
    weights = level_weights(level)
    busiest = value(placements, BUSIEST) if BUSIEST in weights else None

    def on_day(day: int) -> list[Placement]:
        return [p for p in placements if problem.slot_day(p.start) == day]

    def with_days(days: set[int], found: list[Placement], base: list[Placement] | None = None) -> list[Placement]:
        """``base`` (the schedule) with ``found`` for its meetings on ``days``."""
        return [p for p in (placements if base is None else base) if problem.slot_day(p.start) not in days] + found

    def cost(day: int) -> int:
        return sum(w * value(on_day(day), name) for name, w in weights.items() if name != BUSIEST)

    def left() -> float:
        return until - budget.spent()

    # A day at 0 is as good as it gets (the terms are counts, weighed at least 0): on a month, most
    # days' idle gaps after the polish.
    open_days = sorted((d for d in range(len(problem.grid.slots_by_day)) if on_day(d) and cost(d) > 0),
                       key=cost, reverse=True)
    while open_days and left() > 0 and not budget.clock_ran_out():
        this_round = list(open_days)
        for position, day in enumerate(this_round):
            if left() <= 0:
                break
            amount = max(min(budget.units(LEAST_PER_DAY), left()), left() / (len(this_round) - position))
            found, proven = _day(problem, on_day(day), level, settled, value, busiest, None, budget, amount,
                                 workers, seed)
            if proven:
                open_days.remove(day)
            if found is not None and value(with_days({day}, found), level) < value(placements, level):
                placements = with_days({day}, found)
                if report is not None:
                    report(placements)
    if not open_days:
        # Each day is as good as it gets alone. A day still above 0 is re-solved with another day
        # its meetings may also take, each meeting free to take either (a month's idle gaps stay
        # on days proven above 0 alone).
        for day in sorted((d for d in range(len(problem.grid.slots_by_day)) if on_day(d) and cost(d) > 0),
                          key=cost, reverse=True):
            partners = _partners(problem, on_day(day), day)
            for count, other in enumerate(partners):
                if left() <= 0 or cost(day) == 0:
                    break
                both = on_day(day) + on_day(other)
                amount = max(min(budget.units(LEAST_PER_DAY), left()), left() / (len(partners) - count))
                found, _ = _day(problem, both, level, settled, value, busiest, None, budget, amount, workers, seed,
                                days=frozenset({day, other}))
                if found is None:
                    continue
                candidate = with_days({day, other}, found)
                if value(candidate, level) < value(placements, level):
                    placements = candidate
                    if report is not None:
                        report(placements)
    while busiest and not open_days and left() > 0 and not budget.clock_ran_out():
        # Every day is as good as it gets with the busiest interpreter at most ``busiest``.
        crowded = [d for d in range(len(problem.grid.slots_by_day))
                   if on_day(d) and value(on_day(d), BUSIEST) >= busiest]
        lowered = placements
        for position, day in enumerate(crowded):
            if left() <= 0:
                return placements
            found, _ = _day(problem, on_day(day), level, settled, value, busiest - 1, cost(day), budget,
                            left() / (len(crowded) - position), workers, seed)
            if found is None:
                return placements
            lowered = with_days({day}, found, lowered)
        if value(lowered, level) >= value(placements, level):
            return placements  # members named least-loaded first did not bring the busiest down
        placements, busiest = lowered, busiest - 1
        if report is not None:
            report(placements)
    return placements


def _partners(problem: Problem, day_placements: list[Placement], day: int) -> list[int]:
    """Up to PARTNERS other days the day's meetings may also take, those most of them may first."""
    reach = Counter(d for p in day_placements
                    for d in {problem.slot_day(s) for s in problem.tasks[p.task].starts} if d != day)
    return [d for d, _ in reach.most_common(PARTNERS)]


def _day(problem: Problem, day_placements: list[Placement], level: Level, settled: Sequence[Level],
         value: Measure, busiest: int | None, most: int | None, budget: Budget, amount: float, workers: int,
         seed: int, days: frozenset[int] | None = None):
    """The days of ``day_placements`` (or ``days``) re-solved, each meeting on any of them, their
    busiest interpreter at most ``busiest`` and (if given) the level's other terms at most
    ``most``: (their placements or None, whether they are proven best)."""
    days = days or frozenset(problem.slot_day(p.start) for p in day_placements)
    tasks = tuple(replace(problem.tasks[p.task],
                          starts=tuple(s for s in problem.tasks[p.task].starts if problem.slot_day(s) in days))
                  for p in day_placements)
    part = MeetingModel(problem, tasks=tasks, seating=bool(level_weights(level).keys() & INTERPRETER_TERMS))
    model = part.model
    for task in tasks:
        model.add_exactly_one(c.var for c in part.by_task[task.index])
    for kept in settled:
        if level_weights(kept).keys() <= MEETING_COUNTS:
            continue  # the same meetings: the same count
        expression, _ = build_level(part, kept)
        model.add(expression <= value(day_placements, kept))
    objective = 0
    for name, weight in level_weights(level).items():
        expression, _ = TERMS[name](part)
        if name == BUSIEST:
            model.add(expression <= busiest)
        else:
            objective += weight * expression
    if most is not None:
        model.add(objective <= most)
    model.minimize(objective)
    if busiest is None or value(day_placements, BUSIEST) <= busiest:
        # Not a start where the busiest interpreter is asked lower than it is: with a hint that
        # breaks the model, interleaved workers (a repeatable solve) made CP-SAT 9.15 abort the
        # process on a day it refuted ("heuristics.fixed_search != nullptr").
        part.hint(day_placements, {})
    solver = cp_model.CpSolver()
    status = budget.run(solver, model, amount, workers, seed)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, False
    return part.placements(solver.value), status == cp_model.OPTIMAL
