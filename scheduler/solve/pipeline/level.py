"""One objective level being solved: the state its methods share, and the one shape of a method.

A level starts from the schedule so far and the bounds that hold by construction. The methods
the plan (plan.py) names for it run in turn; each gets the level (the problem, the schedule so
far, the level's expression and sense, the budget) and returns what it found: a better schedule,
a proven bound, or both (:class:`Found`). The level then settles into a :class:`Term`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from scheduler.model.problem import Problem
from scheduler.solve.model.meetings import MeetingModel
from scheduler.solve.model.measure import measure
from scheduler.solve.model.objective import (CHANGES, INTERPRETER_TERMS, PARTLY_MODELLED, build_level, level_weights,
                                             sense_of)
from scheduler.solve.pipeline.budget import Budget
from scheduler.solve.result import Placement, Term

# progress(term, seconds since start, best value found, proven bound)
Progress = Callable[[str, float, float | None, float | None], None]
# log(seconds since start, what was done): one line per phase, for people watching a long solve
Log = Callable[[float, str], None]

# After the objective levels: fill-in, interpreter polish, reasons and booths. Their share of the
# time limit is kept back from the levels, so the whole solve keeps to the limit.
AFTER_LEVELS_SHARE = 0.10
# Kept back instead by a level that is not the last where no level after it has anything to search
# (a brokerage day's interpreter comfort, with no interpreters): only those levels' quick look and
# the finishing passes follow it, and these took at most 0.3 s on every event measured, an expo of
# 8,232 requests included (benchmarks/README.md, "How the solver chooses": shares of the time).
NOTHING_AFTER_SHARE = 0.03


@dataclass(frozen=True)
class Stop:
    """When to stop: wall-clock seconds over all terms (turned into work units at a fixed rate
    when ``deterministic``, see budget.py), and a relative gap that is good enough."""

    time_limit: float = 60.0
    gap: float = 0.0
    seed: int = 0
    workers: int = 2
    deterministic: bool = False
    started: float | None = None  # time.perf_counter() when the clock started (reading the event counts)


class NoSchedule(Exception):
    """A level's model has no schedule at all (the required meetings cannot all take place)."""


@dataclass
class Found:
    """What a method hands back: a schedule (kept only if given), a proven bound on the level,
    a floor that holds for the level, and a line for the log."""

    placements: list[Placement] | None = None
    tables: dict[int, str] | None = None
    bound: int | None = None  # proven by the method (a relaxation, an exact search)
    cut: bool = False  # also state the bound in the meeting model, as a cut for later searches
    floor: int | None = None  # a lower bound on a level made smaller, raised to this
    report: float | None = None  # a value for the progress line
    hint: bool = True  # start the meeting model's next search at the schedule
    note: str | None = None


@dataclass(frozen=True)
class Method:
    """One way of serving a level: ``run`` returns what it found, or None; ``ready`` says whether
    it has anything to do given what the level holds when its turn comes."""

    name: str
    run: Callable[[LevelRun], Found | None]
    ready: Callable[[LevelRun], bool] = lambda level: True


class Reporter(cp_model.CpSolverSolutionCallback):
    """Progress of one level: every better schedule and bound, from CP-SAT or another method."""

    def __init__(self, term: str, budget: Budget, progress: Progress | None, proven: int | None, sense: str):
        super().__init__()
        self.term, self.budget, self.progress = term, budget, progress
        self.proven, self.sense = proven, sense  # a bound already proven (the relaxation, or 0 for counts)
        self.bound: float | None = None
        self.best: float | None = None
        self.narrowed = False  # a search with fewer choices than the level's: its bound is not the level's

    def on_solution_callback(self) -> None:
        self.best = self.objective_value
        if not self.narrowed:
            self.bound = self.best_objective_bound
        self._report()
        if self.proven is not None and round(self.best) == self.proven and not self.budget.deterministic:
            # It meets a bound CP-SAT may not know (the relaxation's, or 0 for counts): proven.
            # Not with interleaved workers: stopped so, CP-SAT kept no schedule to read.
            self.stop_search()

    @contextmanager
    def narrowed_search(self):
        """Within: a search with fewer choices than the level's (the same meetings, or the same
        times), whose bound is not the level's and is not shown."""
        self.narrowed = True
        try:
            yield
        finally:
            self.narrowed = False

    def on_value(self, value: float) -> None:
        """A better schedule found outside CP-SAT (by re-solving parts)."""
        self.best = value
        self._report()

    def on_bound(self, bound: float) -> None:
        self.bound = bound
        self._report()

    def _report(self) -> None:
        if self.progress is None:
            return
        bound = self.bound if self.bound is not None else self.proven
        if self.proven is not None and bound is not None:
            bound = min(bound, self.proven) if self.sense == "max" else max(bound, self.proven)
        self.progress(self.term, self.budget.elapsed(), self.best, bound)


@dataclass
class Solving:
    """What holds for the whole solve, across its levels."""

    problem: Problem
    stop: Stop
    budget: Budget
    order: tuple[str | Mapping[str, int], ...]
    progress: Progress | None
    log: Log | None
    model: MeetingModel | None
    placements: list[Placement] | None
    tables: dict[int, str]
    terms: list[Term] = field(default_factory=list)
    settled_at: list[float] = field(default_factory=list)  # budget.spent() as each level settled
    early_comfort: dict[int, Future] = field(default_factory=dict)  # comfort bounds begun before their level
    early_relaxation: Any = None  # searches/ones_fixed.Race: priority's relaxations raced, begun early (methods/highs.py)
    alike: Callable[[], Any] = lambda: ()  # the event's alike days, found when first asked
    kinds_of_days: Callable[[], int] = lambda: 0  # how many kinds of days (alike ones counted once)
    build_seconds: float = 0.0  # wall-clock seconds the first meeting model took to build
    level_began: float = 0.0  # budget.elapsed() when the current level's work began
    # The start (greedy's, or a replan's published meetings), as (placements, tables): every request
    # it leaves out was tried at its first fit against it, or against less.
    start: tuple[list[Placement], dict[int, str]] | None = None

    def note(self, message: str) -> None:
        if self.log is not None:
            self.log(self.budget.elapsed(), message)


@dataclass
class LevelRun:
    """One level as its methods see it. ``placements`` and ``tables`` are the schedule so far;
    ``relaxed`` a bound proven by a method, ``floor`` one that holds by construction, ``known``
    the better of the two once the level's share of time is set; ``settled`` once the schedule
    is at a proven bound."""

    solving: Solving
    position: int
    level: str | Mapping[str, int]
    name: str
    sense: str
    expression: Any  # the level's linear expression in the meeting model, or None
    reporter: Reporter
    shape: Any  # the level's shape (plan.Shape), as the plan read it
    methods: tuple[Method, ...] = ()  # the plan for this level
    floor: int | None = None
    relaxed: int | None = None
    obvious: int | None = None  # a bound that needs no search (firms met: the firms with a request)
    known: int | None = None
    settled: bool = False
    live: float = 1.0  # later levels sharing what is left, counted by weight
    kept_back: float = AFTER_LEVELS_SHARE  # the share of the limit kept back for what follows the levels
    by_parts: bool = False  # parts will be re-solved within the level's share
    share: float = 0.0  # the level's share of the budget, and when it ends
    end: float = 0.0
    status: int | None = None  # the last CP-SAT search of the whole level, and its solver
    solver: cp_model.CpSolver | None = None
    first_bound: int | None = None  # CP-SAT's bound before the brokerage day's Kempe search
    pending: Future | None = None  # the linear relaxation, solved beside the parts
    comfort: Future | None = None  # the comfort level's bound, solved beside its search
    climbing: Any = None  # a brokerage day's SAT climb from the bound, begun beside the busy patterns
    again: Term | None = None  # the level's term from a first look, where it is searched again (solver.look_again)

    # --- what the methods read
    @property
    def problem(self) -> Problem:
        return self.solving.problem

    @property
    def budget(self) -> Budget:
        return self.solving.budget

    @property
    def stop(self) -> Stop:
        return self.solving.stop

    @property
    def model(self) -> MeetingModel:
        return self.solving.model

    @property
    def placements(self) -> list[Placement] | None:
        return self.solving.placements

    @property
    def tables(self) -> dict[int, str]:
        return self.solving.tables

    @property
    def order(self):
        return self.solving.order

    @property
    def terms(self) -> list[Term]:
        return self.solving.terms

    @property
    def whole(self) -> bool:
        return self.shape.whole

    @property
    def counted_before(self) -> bool:
        return self.shape.counted_before

    @property
    def earlier(self) -> set[str]:
        return {term for lv in self.order[:self.position] for term in level_weights(lv)}

    def plans(self, method: Method) -> bool:
        """Whether the level's plan holds ``method``."""
        return method in self.methods

    def value(self, placements=None) -> int:
        """The level's value for ``placements`` (the schedule so far when not given)."""
        return level_value(self.problem, self.placements if placements is None else placements, self.level,
                           self.sense)

    def keeps_levels(self, placements) -> bool:
        """Whether a schedule keeps every settled level at its value (or better)."""
        return keeps_levels(self.problem, placements, self.order, self.terms)

    def keeps_changes(self, placements) -> bool:
        """Whether a schedule keeps a settled fewest-changes level at its value (or fewer)."""
        for level, term in zip(self.order, self.terms):
            if CHANGES in level_weights(level) and level_value(self.problem, placements, level, term.sense) > term.value:
                return False
        return True

    def left(self) -> float:
        """What is left of the level's share."""
        return self.end - self.budget.spent()

    def for_levels(self) -> float:
        """What is left of the limit for this level and the later ones."""
        return self.budget.left_before(self.kept_back)

    def check_settled(self) -> None:
        self.settled = self.placements is not None and self.known is not None and self.value() == self.known

    def note(self, message: str) -> None:
        self.solving.note(message)

    # --- what the methods change
    def adopt(self, placements: list[Placement], tables: dict[int, str] | None = None, hint: bool = True) -> None:
        if not self.keeps_changes(placements):
            # A later level's model keeps the published times, not who interprets them: a
            # schedule that would hand a kept meeting to another interpreter is not taken.
            self.status = None
            return
        self.solving.placements = placements
        if tables is not None:
            self.solving.tables = tables
        if hint:
            self.model.hint(self.solving.placements, self.solving.tables)

    def raise_floor(self, bound: int | None) -> None:
        """A lower bound on the level: the floor, what is known and what the progress line shows."""
        self.floor = self.known = self.reporter.proven = at_least(bound, self.known)

    def take(self, found: Found | None) -> None:
        if found is None:
            return
        if found.placements is not None:
            self.adopt(found.placements, found.tables, hint=found.hint)
        if found.bound is not None:
            self.relaxed = found.bound
            if found.cut:
                self.model.no_better(self.expression, self.sense, found.bound)
        if found.report is not None:
            self.reporter.on_value(found.report)
        if found.note is not None:
            self.note(found.note)

    def term(self) -> Term:
        """The level settled: its value, and the best bound any method proved."""
        sense, solver = self.sense, self.solver
        value = self.value()
        bound = None
        if self.status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            if not PARTLY_MODELLED & level_weights(self.level).keys():  # else the measure is the value
                value = round(solver.objective_value)  # what was proven; the final recount compares the schedule
            bound = solver.best_objective_bound
            bound = math.floor(bound + 1e-6) if sense == "max" else math.ceil(bound - 1e-6)
        if self.level == "priority":  # every request placed: a bound that holds whatever a method stopped at
            requested = sum(t.priority for t in self.problem.tasks)
            bound = requested if bound is None else min(bound, requested)
        for known in (self.relaxed, self.first_bound, self.floor):
            if known is not None:
                bound = known if bound is None else min(bound, known) if sense == "max" else max(bound, known)
        # A search that found nothing better keeps the current schedule: its value is attainable.
        # Given --gap, CP-SAT says OPTIMAL once within it: a proof only of the gap, not of the value.
        proven = (self.status == cp_model.OPTIMAL and not self.stop.gap
                  and not PARTLY_MODELLED & level_weights(self.level).keys() or value == bound)
        return Term(self.name, sense, value, bound, proven, self.budget.elapsed(), self.solving.level_began)


# --- level arithmetic shared by the pipeline and the methods

def level_value(problem: Problem, placements, level, sense: str) -> int:
    return level_of(lambda name: measure(problem, placements, name), level, sense)


def level_of(term: Callable[[str], int], level, sense: str) -> int:
    """A level's value from its terms' values: one term, or several weighted, each counted in the
    level's sense."""
    if isinstance(level, str):
        return term(level)
    return sum((1 if sense_of(name) == sense else -1) * weight * term(name) for name, weight in level.items())


def keeps_levels(problem: Problem, placements, order: Sequence, terms: Sequence[Term]) -> bool:
    """Whether a schedule keeps every settled level at its value (or better)."""
    for level, term in zip(order, terms):
        if worse(level_value(problem, placements, level, term.sense), term.value, term.sense):
            return False
    return True


def reads_better(problem: Problem, order, terms: Sequence[Term], other, now) -> bool:
    """Whether schedule ``other`` reads better than ``now`` in the levels' order."""
    for level, term in zip(order, terms):
        before, after = (level_value(problem, p, level, term.sense) for p in (now, other))
        if worse(after, before, term.sense):
            return False
        if worse(before, after, term.sense):
            return True
    return False


def worse(value: int, than: int, sense: str) -> bool:
    return value < than if sense == "max" else value > than


def at_least(bound: int | None, known: int | None) -> int | None:
    """The stronger of two lower bounds, either of which may be missing."""
    return stronger(bound, known, "min")


def stronger(bound: int | None, other: int | None, sense: str) -> int | None:
    """The stronger of two bounds on a level of ``sense`` (the lower on a maximised level, the
    higher on a minimised one), either of which may be missing."""
    if bound is None or other is None:
        return other if bound is None else bound
    return min(bound, other) if sense == "max" else max(bound, other)


def needs_seats(level) -> bool:
    """Whether the level weighs where interpreters sit (only the seated model states it)."""
    return "interpreter changes" in level_weights(level)


def about_seating(level) -> bool:
    """Whether the level weighs who interprets and where (what the re-seat changes)."""
    return bool(INTERPRETER_TERMS & level_weights(level).keys())


def nothing_to_search(problem: Problem, level) -> bool:
    """A level of interpreter terms only, at an event without interpreters: always 0."""
    return not problem.linguists and level_weights(level).keys() <= INTERPRETER_TERMS


def keep_level(model: MeetingModel, level, term: Term) -> None:
    """A settled level stays at its value (or better) in another model of the event."""
    model.no_worse(*build_level(model, level), term.value)


def settled_counts(order, terms: Sequence[Term]) -> list[tuple[str, int]]:
    """The settled plain levels and their values, for the comfort bound (it keeps those that
    count meetings)."""
    return [(lv, t.value) for lv, t in zip(order, terms) if isinstance(lv, str)]
