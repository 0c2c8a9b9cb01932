"""Priority from the plain program's linear relaxation: its bound, then a schedule with its ones kept.

On a teleconference week the plain time-indexed program's relaxation is solved in about a second,
and its bound, rounded down, has been the priority optimum on every week measured; what takes
HiGHS long is a schedule at it. Most columns the relaxation takes whole (at 1) belong to such a
schedule: with them fixed, and with what the relaxation's row multipliers rule out for a schedule
at the bound (:func:`at_bound`), the program left is small, and asked for any schedule at the bound
(:func:`reaching`) HiGHS usually finds one in under a second (benchmarks/README.md, "How the
solver chooses": HiGHS on a level). Where its MIP neither finds one nor proves there is none in
its first look, among the columns the sifted relaxation ended with, a dive through that
question's relaxation often finds one in a fraction of a second.
When it falls short the bound still holds, and the schedule is a start for what follows. Which
vertex the relaxation ends at decides whether its ones hold a schedule at the bound: on two
workers the primal and the dual simplex each give one, and each fixed program is solved in a
race (:class:`Race`, which a solve begins early with the primal's alone). Where no schedule at the
bound keeps the ones, the racers after the first ask for one with no column fixed: HiGHS then finds
one, or proves there is none, and the bound is one lower. On an event of several days that question
goes on beside the days re-solved after the race, where it is not answered by the time the race
would end (:class:`Asking`). A repeatable solve, where which racer answers first would depend on
the clock, runs the racers in turn on one worker, each MIP stopped by its nodes (:func:`in_turn`,
:class:`Counted`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from functools import partial
from threading import Event, Thread

import numpy as np

from scheduler.solve.bounds.highs_worker import Program, Report, Settings, Worker, multipliers, own_limit, work
from scheduler.solve.bounds.time_indexed import TimeIndexed, priority_bound

# The most the program with the ones fixed is given: on weeks it ends in 0.1-1.7 s. A larger program
# is given as much for every FIXED_COLUMNS of its columns: HiGHS reads and presolves it first, which
# took 1.9 s on an expo-size plaza's 584,000 (benchmarks/README.md, "How the solver chooses": HiGHS
# on a level).
FIXED_SECONDS = 2.0
FIXED_COLUMNS = 200_000
# The most the question of a schedule at the bound is given first (:func:`at_bound`, :func:`reaching`):
# where it finds none in that time (or there is none), the ones alone are solved as well.
KEPT_SECONDS = 1.0
# The most the same question is given first among the columns the sifted relaxation ended with
# (:func:`among`): on most generated weeks and rooms it finds a schedule well within this, and on
# most of those where it needs longer the question among all columns is as quick
# (benchmarks/README.md, "How the solver chooses": HiGHS on a level).
AMONG_SECONDS = 0.25
# The most a dive through the same question's relaxation among those columns is given, where HiGHS
# neither found a schedule nor proved there is none (bounds/highs_worker.py, ``_dived``): on 17 such
# questions from generated weeks, with a schedule HiGHS found in 0.4-4.5 s, it found one in a median
# 0.4 s, within 1 s in four runs of five; given half a second, weeks 5002 and 4018 with traits were no
# quicker than without it. Where there is none, its second is lost: hence the first racer's dive comes
# after its question among all columns (benchmarks/README.md, "How the solver chooses": HiGHS on a
# level).
DIVE_SECONDS = 1.0
# ... and only on a program of at most this many columns: each of a dive's solves grows with it. A
# week's are 1,400-2,700, a room of 20 days' 3,400-4,000; on an expo-size plaza's 66,439 it found
# nothing in 15 s, and its second in the race delayed the proof (benchmarks/README.md, same section).
DIVE_COLUMNS = 10_000
# The most the question of a schedule at the bound with no column fixed is given, or waited for in
# the race where it may be handed on (:func:`ones_fixed` with ``whole``, ``later``): what a racer
# spends on the questions with the ones fixed. On generated weeks it
# found one in 0.4-1.5 s where there is one (3.9 and 6.8 s on two), and proved in 2.2 s that there is
# none on the week whose relaxation's bound is one above the optimum (benchmarks/README.md, "How the
# solver chooses": HiGHS on a level).
WHOLE_SECONDS = KEPT_SECONDS + FIXED_SECONDS
# How often a race looks at what its racers have told so far (:meth:`Race.result`).
HEARD_EVERY = 0.05
# A column the relaxation takes at least this high is one of its ones.
WHOLE = 1 - 1e-6
# The relaxation by HiGHS's primal simplex, and by its dual, one per worker at once: the vertex
# each ends at decides whether the program with its ones fixed holds a schedule at the bound. Over
# 55 generated weeks each fell short on two or three, never on the same week, and the primal's is
# usually the sooner (benchmarks/README.md, "How the solver chooses": HiGHS on a level).
RELAXATIONS = ({"simplex_strategy": 4}, {"simplex_strategy": 1})
# Sifting's first columns (bounds/highs_worker.py): the schedule so far's, and this many of each
# request's drawn at random (with a fixed seed, so every run draws the same). Drawn, not spread
# evenly: a request's columns are listed by start, so evenly spread ones crowd the same slots
# and the restricted programs took several times as many rounds (benchmarks/README.md, "How the
# solver chooses": HiGHS on a level).
SIFT_PER_REQUEST = 3
# On the meeting model's own program, whose columns are not listed by request: the start's, and
# this share of all columns drawn at random (benchmarks/README.md, same section).
SIFT_SHARE = 0.1
# Rounding kept out of what the relaxation's multipliers rule out (their sums are of a few thousand
# terms of about 1; their error is far below this).
MARGIN = 1e-6


@dataclass(frozen=True)
class OnesFixed:
    """The relaxation's proven bound on the priority (None when it was not solved in time) and the
    best schedule found with its ones fixed (one value per column of the plain program, or None)."""

    bound: int | None
    solution: np.ndarray | None
    # The question of a schedule at the bound with the ones kept, where its time ran out before
    # HiGHS answered it either way; else None. Asked again beside the days re-solved
    # (searches/priority_days.py, :func:`~scheduler.solve.searches.priority_days.days_beside_whole`).
    unanswered: Program | None = None
    # The question of a schedule at the bound with no column fixed, still being answered where it
    # is handed on (:func:`ones_fixed` with ``later``); else None. Whoever holds it stops it.
    asking: Asking | None = None


def relaxation(plain: TimeIndexed | OwnProgram, worker: Worker, until: float, options: dict | None = None,
               columns: np.ndarray | None = None) -> Report | None:
    """The linear relaxation of ``plain`` solved by ``worker`` with HiGHS ``options`` (the first of
    RELAXATIONS when None), by sifting from ``columns`` (:func:`first_columns` when None), over by
    ``until`` (``time.perf_counter()``); None when no time is left."""
    seconds = own_limit(until - time.perf_counter())
    if seconds <= 0.1:
        return None
    columns = first_columns(plain) if columns is None else columns
    return worker.solve(plain.relaxed(), Settings(seconds, threads=1, options=options or RELAXATIONS[0],
                                                  columns=columns),
                        lambda _: None, lambda _: None)


@dataclass
class OwnProgram:
    """A maximised level's program as the meeting model states it (``program``: bounds/mip.py
    ``program_of``, its costs negated to each column's value), taken here as a :class:`TimeIndexed`
    is: at a plaza, where the plain program would have a column per interpreter, the model's own
    program has the relaxation and the schedule at its bound found the same way
    (benchmarks/README.md, "How the solver chooses": HiGHS on a level)."""

    program: Program

    def minimised(self) -> Program:
        return replace(self.program, cost=-self.program.cost)

    def relaxed(self) -> Program:
        return replace(self.minimised(), integer=np.zeros(0, dtype=np.int64), start=None)


def first_columns(plain: TimeIndexed | OwnProgram) -> np.ndarray:
    """The columns sifting starts from: the start's (``plain.program.start``, where set) and
    SIFT_PER_REQUEST of each request's, drawn at random with a fixed seed (on an
    :class:`OwnProgram`, SIFT_SHARE of all columns)."""
    chosen = set() if plain.program.start is None else set(np.flatnonzero(plain.program.start > 0.5).tolist())
    draw = np.random.default_rng(0)
    if isinstance(plain, OwnProgram):
        count = len(plain.program.cost)
        chosen.update(draw.choice(count, max(1, int(SIFT_SHARE * count)), replace=False).tolist())
        return np.array(sorted(chosen), dtype=np.int64)
    of_task: dict[int, list[int]] = {}
    for j, column in enumerate(plain.columns):
        of_task.setdefault(column.task, []).append(j)
    for columns in of_task.values():
        chosen.update(draw.choice(columns, min(SIFT_PER_REQUEST, len(columns)), replace=False).tolist())
    return np.array(sorted(chosen), dtype=np.int64)


def ones_fixed(plain: TimeIndexed | OwnProgram, worker: Worker | Counted, until: float, options: dict | None = None,
               stopped: Event | None = None, columns: np.ndarray | None = None, whole: bool = False,
               heard: Callable[[float], None] | None = None, later: float | None = None,
               handing: Event | None = None) -> OnesFixed:
    """The relaxation of ``plain`` solved (with ``options``), then the program with the
    relaxation's ones fixed at 1, asked for a schedule at the bound (:func:`at_bound`,
    :func:`reaching`): first among the columns the sifted relaxation ended with (:func:`among`,
    for at most AMONG_SECONDS), then among all (at most KEPT_SECONDS) and, where HiGHS answers
    neither, by a dive among the sifted columns (:func:`_dived_among`); where that finds none, the
    best with the ones alone, each better priority it finds told to ``heard``. With ``whole``, the
    dive follows the first question at once, the second question has no column fixed (at most
    WHOLE_SECONDS), and nothing follows it: where HiGHS proves that no schedule reaches the bound,
    the bound returned is one lower. Given ``later`` (when what takes the race's outcome on ends),
    HiGHS is given until then for that question; unanswered after WHOLE_SECONDS, or once
    ``handing`` is set, it is returned still being answered (``asking``). By ``worker``, over by
    ``until`` (``time.perf_counter()``).
    The relaxation is sifted from ``columns`` (see :func:`relaxation`). Once ``stopped`` is set,
    nothing more is begun."""
    stopped = stopped or Event()
    if stopped.is_set():
        return OnesFixed(None, None)
    report = relaxation(plain, worker, until, options, columns)
    if report is None or report.solution is None or report.clock_stopped or not math.isfinite(report.dual_bound):
        return OnesFixed(None, None)
    bound = priority_bound(report)
    seconds = min(FIXED_SECONDS, own_limit(until - time.perf_counter()))
    if seconds <= 0.1 or stopped.is_set():
        return OnesFixed(bound, None)
    minimised = plain.minimised()
    fixed = replace(minimised, lower=np.maximum(minimised.lower, report.solution >= WHOLE), start=None)
    found, unanswered = [], None
    if report.duals is not None:
        slack = max(0.0, -report.dual_bound - bound)
        kept = reaching(at_bound(fixed, report.duals, slack), bound)
        if report.columns is not None:
            # First among the columns sifting ended with, a few thousand: on most weeks a schedule
            # is there and found far sooner (benchmarks/README.md, "How the solver chooses": HiGHS
            # on a level). Where HiGHS leaves it unanswered, a racer that asks the question with no
            # column fixed next dives at once; the first racer only once the kept question among
            # all columns is unanswered too, which is often answered where the dive finds nothing.
            within = among(kept, report.columns)
            found += _solved_among(within, worker, min(AMONG_SECONDS, seconds),
                                   dive=(minimised.cost, until, stopped) if whole else None)
            seconds = min(FIXED_SECONDS, own_limit(until - time.perf_counter()))
        if whole and not any(_reaches(plain, x, bound) for x in found) and not stopped.is_set():
            seconds = min(WHOLE_SECONDS, own_limit(until - time.perf_counter()))
            if seconds > 0.1:
                # Every schedule at the bound keeps what the multipliers rule out (at_bound): none
                # there, none at all.
                question = replace(reaching(at_bound(minimised, report.duals, slack), bound), start=None)
                if later is None:
                    answer = _asked(worker, question, seconds)
                else:
                    asking = Asking(worker, question, own_limit(later - time.perf_counter()))
                    answer = asking.answer(seconds, handing)
                    if answer is None:
                        return OnesFixed(bound, _best(plain, found), asking=asking)
                found += _schedules(answer)
                if answer.infeasible:
                    bound -= 1
            return OnesFixed(bound, _best(plain, found))
        if not any(_reaches(plain, x, bound) for x in found) and seconds > 0.1 and not stopped.is_set():
            answer = _asked(worker, kept, min(KEPT_SECONDS, seconds))
            found += _schedules(answer)
            if answer.solution is None and not answer.infeasible:
                if report.columns is not None:
                    found += _dived_among(within, worker, minimised.cost, until, stopped)
                if not any(_reaches(plain, x, bound) for x in found):
                    unanswered = kept
            seconds = min(FIXED_SECONDS, own_limit(until - time.perf_counter()))
    if not any(_reaches(plain, x, bound) for x in found) and seconds > 0.1 and not stopped.is_set():
        # None at the bound in time, or none keeps these ones: the best with the ones alone.
        found += _best_with_ones(fixed, report.columns, worker, until, heard, stopped)
    return OnesFixed(bound, _best(plain, found), unanswered)


def _best_with_ones(fixed: Program, columns: np.ndarray | None, worker: Worker | Counted, until: float,
                    heard: Callable[[float], None] | None, stopped: Event) -> list[np.ndarray]:
    """The best schedules ``worker`` finds with the relaxation's ones fixed (``fixed``, minimised):
    first among the sifted relaxation's ``columns`` (where given, for at most AMONG_SECONDS), then
    among all (up to FIXED_SECONDS in all), each better priority told to ``heard``; both allowances
    grow with the program beyond FIXED_COLUMNS. On an expo-size plaza the program among all columns
    found nothing in 2 s, where the sifted columns gave a schedule near the bound in a fraction of a
    second. The second search does not start from the first's schedule: on a week HiGHS then ended
    lower (benchmarks/README.md, "How the solver chooses": HiGHS on a level)."""
    began, found = time.perf_counter(), []
    larger = max(1.0, len(fixed.cost) / FIXED_COLUMNS)
    seconds = min(AMONG_SECONDS * larger, own_limit(until - began))
    if columns is not None and seconds > 0.1:
        found += _solved_among(among(fixed, columns), worker, seconds)
    seconds = min(FIXED_SECONDS * larger - worker.spent_since(began), own_limit(until - time.perf_counter()))
    if seconds > 0.1 and not stopped.is_set():
        found += _schedules(_asked(worker, fixed, seconds, heard))
    return found


def _solved_among(within: Among, worker: Worker, seconds: float,
                  dive: tuple[np.ndarray, float, Event] | None = None) -> list[np.ndarray]:
    """The program ``within`` cuts down (:func:`among`) solved by ``worker`` for at most
    ``seconds``: its schedule as one of the whole program, or none. With ``dive`` (the whole
    program's costs, ``until``, ``stopped``): where HiGHS neither found a schedule nor proved there
    is none, :func:`_dived_among` may find one."""
    if within.program is None:
        return []
    answer = _asked(worker, within.program, seconds)
    if dive is not None and answer.solution is None and not answer.infeasible:
        return _dived_among(within, worker, *dive)
    return [within.whole(x) for x in _schedules(answer)]


def _dived_among(within: Among, worker: Worker, cost: np.ndarray, until: float, stopped: Event) -> list[np.ndarray]:
    """A schedule of the program ``within`` cuts down, sought by ``worker``'s dive through its
    relaxation with the whole program's ``cost`` minimised (bounds/highs_worker.py, ``_dived``), as
    one of the whole program; none found, or none sought: for at most DIVE_SECONDS, over by
    ``until``, not once ``stopped`` is set, nor beyond DIVE_COLUMNS columns."""
    seconds = min(DIVE_SECONDS, own_limit(until - time.perf_counter()))
    if within.program is None or seconds <= 0.1 or stopped.is_set() or len(within.columns) > DIVE_COLUMNS:
        return []
    answer = worker.solve(replace(within.program, cost=cost[within.columns]), Settings(seconds, threads=1, dive=True),
                          lambda _: None, lambda _: None)
    return [within.whole(x) for x in _schedules(answer)]


def _asked(worker: Worker, program: Program, seconds: float,
           heard: Callable[[float], None] | None = None) -> Report:
    """``program`` (minimised) solved by ``worker`` on one thread for at most ``seconds``, each
    better priority it finds told to ``heard``."""
    return worker.solve(program, Settings(seconds, threads=1),
                        (lambda _: None) if heard is None else (lambda objective: heard(-objective)), lambda _: None)


class Counted:
    """A HiGHS worker for a repeatable solve, where a run stopped by the clock would not repeat:
    each MIP it is given stops after ``nodes_per_second`` branch-and-bound nodes for every second
    it was given, and no run stops on the clock before ``until`` (the solve's hard end). A dive,
    which only the clock stops, is not begun, nor any run once the work of those before
    (highs_worker.work) has reached ``allowance``; such a run answers nothing. ``work`` and
    ``clock_stopped`` (a run cut by the hard end, or given less for being near it) are read as a
    MIP outcome's are (``Budget.charge_mip``)."""

    def __init__(self, worker: Worker, nodes_per_second: float, until: float, allowance: float) -> None:
        self.worker, self.nodes_per_second, self.until, self.allowance = worker, nodes_per_second, until, allowance
        self.work = 0.0
        self.clock_stopped = False

    def solve(self, program: Program, settings: Settings, on_value: Callable[[float], None],
              on_bound: Callable[[float], None]) -> Report:
        left = own_limit(self.until - time.perf_counter())
        if left <= 0.1:
            self.clock_stopped = True
            return Report(None, -math.inf)
        if settings.dive or self.work >= self.allowance:
            return Report(None, -math.inf)
        linear = program.integer is not None and len(program.integer) == 0
        if not linear and left < settings.seconds:
            self.clock_stopped = True  # its share was cut to the time left: its nodes too
        nodes = None if linear else max(1, round(self.nodes_per_second * settings.seconds))
        report = self.worker.solve(program, replace(settings, seconds=left, nodes=nodes), on_value, on_bound)
        self.work += work(_nonzeros(program, report.columns), report)
        self.clock_stopped = self.clock_stopped or report.clock_stopped
        return report

    def spent_since(self, began: float) -> float:
        """None of an allowance is spent by the clock: the runs stop on their nodes."""
        return 0.0

    def stop(self) -> None:
        self.worker.stop()


def _nonzeros(program: Program, columns: np.ndarray | None) -> int:
    """The non-zeros of ``program``'s ``columns`` (all where None): a sifted relaxation's simplex
    works on the columns it has taken in, a few thousand of a week's tens of thousands."""
    if columns is None:
        return len(program.indices)
    return int(np.bincount(program.indices, minlength=len(program.lower))[columns].sum())


def in_turn(plain: TimeIndexed | OwnProgram, worker: Counted) -> OnesFixed:
    """The race's racers (:class:`Race`) one after the other on one ``worker``, for a repeatable
    solve, where which racer answers first would depend on the clock: the first's relaxation and
    questions, then, where it found no schedule at its bound, the second's, which asks with no
    column fixed and may prove the bound one lower. The bound is the lower; the schedule the
    better."""
    options, columns = relaxations(plain), first_columns(plain)
    ended = [ones_fixed(plain, worker, worker.until, options[0], columns=columns)]
    if ended[0].bound is not None and not _settled(plain, ended):
        ended.append(ones_fixed(plain, worker, worker.until, options[1 % len(options)], columns=columns, whole=True))
    bounds = [each.bound for each in ended if each.bound is not None]
    return OnesFixed(min(bounds, default=None), _best(plain, [each.solution for each in ended
                                                               if each.solution is not None]))


class Asking:
    """``program`` solved by ``worker`` (as :func:`_asked`, for at most ``seconds``) in a thread
    of its own, so that its asker may move on and hand it to another: read with :meth:`answer`,
    ended with :meth:`stop`."""

    def __init__(self, worker: Worker, program: Program, seconds: float) -> None:
        self.worker = worker
        self._report: Future = Future()
        Thread(target=self._ask, args=(program, seconds), name="asking", daemon=True).start()

    def _ask(self, program: Program, seconds: float) -> None:
        try:
            self._report.set_result(_asked(self.worker, program, seconds))
        except BaseException as error:  # raised again to the reader
            self._report.set_exception(error)

    def answer(self, seconds: float, handing: Event | None = None) -> Report | None:
        """HiGHS's report, waited for up to ``seconds`` and not once ``handing`` is set; None while
        it is still answering."""
        ends = time.perf_counter() + seconds
        while True:
            try:
                return self._report.result(timeout=max(0.0, min(HEARD_EVERY, ends - time.perf_counter())))
            except TimeoutError:
                if time.perf_counter() >= ends or (handing is not None and handing.is_set()):
                    return None

    def stop(self) -> None:
        """The question given up, once its worker has let go of it."""
        while not self._report.done():
            self.worker.stop()
            wait([self._report], timeout=0.05)


def _schedules(answer: Report) -> list[np.ndarray]:
    """The schedule an answer holds, rounded, as a list of none or one."""
    return [] if answer.solution is None else [np.round(answer.solution)]


@dataclass(frozen=True)
class Among:
    """A program with every column but some held at its lower end: those taken out, their part
    moved into the rows' sides, and the rows left without a column dropped (``program``; None
    where what is held already breaks a row). HiGHS's presolve would do the same, but on a week it
    took many times as long as the solve of the program cut down (benchmarks/README.md, "How the
    solver chooses": HiGHS on a level)."""

    program: Program | None
    columns: np.ndarray  # the columns left in, in the order of the program's
    held: np.ndarray  # every column's value where held

    def whole(self, solution: np.ndarray) -> np.ndarray:
        """A solution of ``program`` as one of the whole program (the held columns at their ends)."""
        values = self.held.copy()
        values[self.columns] = solution
        return values


def among(program: Program, columns: np.ndarray) -> Among:
    """``program`` with only ``columns`` free (:class:`Among`); the others held at their lower end."""
    free = np.zeros(len(program.lower), dtype=bool)
    free[columns] = True
    free &= program.lower < program.upper
    held = program.lower.astype(float)
    count = len(program.row_lower)
    lengths = np.diff(np.append(program.starts, len(program.indices)))
    rows = np.repeat(np.arange(count), lengths)
    part = np.bincount(rows, weights=np.where(free[program.indices], 0.0, program.values * held[program.indices]),
                       minlength=count)
    row_lower, row_upper = program.row_lower - part, program.row_upper - part
    left = free[program.indices]
    live = np.bincount(rows[left], minlength=count) > 0
    kept = np.flatnonzero(free)
    if np.any(~live & ((row_lower > MARGIN) | (row_upper < -MARGIN))):
        return Among(None, kept, held)
    position = np.full(len(program.lower), -1)
    position[kept] = np.arange(len(kept))
    entries = left & live[rows]
    return Among(replace(program, lower=program.lower[kept], upper=program.upper[kept], cost=program.cost[kept],
                         row_lower=row_lower[live], row_upper=row_upper[live],
                         starts=np.concatenate([[0], np.cumsum(np.bincount(rows[entries], minlength=count)[live])[:-1]]
                                               ).astype(program.starts.dtype),
                         indices=position[program.indices[entries]].astype(program.indices.dtype),
                         values=program.values[entries], start=None, integer=None),
                 kept, held)


def relaxations(plain: TimeIndexed | OwnProgram) -> tuple[dict, ...]:
    """RELAXATIONS in the order a race begins them: the primal simplex first where the empty
    schedule keeps every row of ``plain`` (no request is required), since it starts from there at
    once; else the dual first: the primal would need a first phase to find a start. On the whole
    program that made it many times slower; sifted, both are quick and the dual is still a little
    sooner (benchmarks/README.md, "How the solver chooses": HiGHS on a level)."""
    return RELAXATIONS if np.all(plain.program.row_lower <= 0) else RELAXATIONS[::-1]


def at_bound(program: Program, duals: np.ndarray, slack: float) -> Program:
    """``program`` (the plain program minimised, columns 0-1, rows that count columns) kept to what a
    schedule can be within ``slack`` of the bound that the row multipliers ``duals`` prove.

    For any schedule x, its cost is that bound plus a sum of terms none below zero: each column's
    reduced cost where x leaves the end of its box the cost prefers, and each row's multiplier times
    how far x leaves the row's side that the multiplier points to (bounds/highs_worker.py,
    ``lagrangian``). A schedule at the priority ``bound`` has those terms sum to ``slack``; a column
    or a row that counts whole meetings adds at least one whole multiple of its term. So a column
    whose reduced cost is above ``slack`` stays at its end, and a row whose multiplier is above it
    is met at its side. With the relaxation's own multipliers HiGHS then finds the schedule at the
    bound sooner, and on more weeks, than with the ones fixed alone (benchmarks/README.md, "How
    the solver chooses": HiGHS on a level)."""
    y, side, reduced = multipliers(program, duals)
    above = slack + MARGIN
    lower = np.where(reduced < -above, program.upper, program.lower)
    upper = np.where(reduced > above, program.lower, program.upper)
    upper = np.maximum(upper, lower)  # a one the relaxation took is kept, whatever the rounding says
    row_lower = np.where(y < -above, side, program.row_lower)
    row_upper = np.where(y > above, side, program.row_upper)
    return replace(program, lower=lower, upper=upper, row_lower=row_lower, row_upper=row_upper)


def reaching(program: Program, priority: int) -> Program:
    """``program`` (the plain program minimised) as a question: any schedule of priority
    ``priority`` or more, with no cost to minimise. Asked so, HiGHS stops at the first schedule it
    finds; minimising, it first spent its root's rounds of cuts on a bound already at the priority,
    several times as long on some weeks (benchmarks/README.md, "How the solver chooses": HiGHS on
    a level)."""
    columns = np.flatnonzero(program.cost)
    return replace(program, cost=np.zeros_like(program.cost),
                   row_lower=np.append(program.row_lower, -np.inf),
                   row_upper=np.append(program.row_upper, -float(priority)),
                   starts=np.append(program.starts, len(program.indices)).astype(program.starts.dtype),
                   indices=np.append(program.indices, columns).astype(program.indices.dtype),
                   values=np.append(program.values, program.cost[columns]).astype(program.values.dtype))


class Race:
    """:func:`ones_fixed` on each of ``racers`` (with the relaxation of :func:`relaxations` at
    its position), each in a thread of its own, over by ``until``; every racer after the first asks
    its second question with no column fixed (``whole``). Racers join when asked (:meth:`join`), so
    that one may begin early and the others once there are cores for them. Where ``later`` is set
    before they join (when what takes the race's outcome on ends), that question may be handed on
    still being answered (:meth:`result`)."""

    def __init__(self, plain: TimeIndexed | OwnProgram, racers: Sequence[Worker], until: float) -> None:
        self.plain, self.racers, self.until = plain, list(racers), until
        self.later: float | None = None
        self.options = relaxations(plain)
        self.columns = first_columns(plain)
        self.stopped = Event()
        self.handing = Event()  # set once the first racer is done: a question still asked is handed on
        self.runs: list[Future] = []
        self.heard = [-math.inf] * len(self.racers)  # the best priority each racer has told of so far
        self._pool = ThreadPoolExecutor(len(self.racers), thread_name_prefix="ones-fixed")

    def join(self, count: int) -> Race:
        """Racers begun until ``count`` run (none once stopped)."""
        while len(self.runs) < min(count, len(self.racers)) and not self.stopped.is_set():
            i = len(self.runs)
            self.runs.append(self._pool.submit(ones_fixed, self.plain, self.racers[i], self.until,
                                               self.options[i % len(self.options)], self.stopped,
                                               self.columns, whole=i > 0, heard=partial(self._heard, i),
                                               later=self.later, handing=self.handing))
        return self

    def _heard(self, racer: int, priority: float) -> None:
        self.heard[racer] = max(self.heard[racer], priority)

    def result(self) -> OnesFixed:
        """Every racer joined, then the first schedule at the lowest bound found so far ends the
        race and the others are stopped; a racer that has told of a schedule at that bound is
        stopped at once, and returns with it. The bound is the lowest found; the schedule the best.
        Where ``later`` is set and the first racer is done short of the bound, the question with no
        column fixed is handed on at once, still being answered (``asking``): it may yet prove the
        bound one lower, and what follows the race need not wait for it."""
        self.join(len(self.racers))
        running = set(self.runs)
        ended: list[OnesFixed] = []
        while running and not _settled(self.plain, ended):
            done, running = wait(running, timeout=HEARD_EVERY, return_when=FIRST_COMPLETED)
            ended += [future.result() for future in done]
            bound = min((each.bound for each in ended if each.bound is not None), default=math.inf)
            for run, worker, told in zip(self.runs, self.racers, self.heard):
                if run in running and told >= bound - 1e-6:
                    worker.stop()
                    running.discard(run)
                    ended.append(run.result())
            if self.runs[0] not in running:
                self.handing.set()
        self._stop_runs()
        ended += [future.result() for future in running]
        bounds = [each.bound for each in ended if each.bound is not None]
        # Not where the bound has since been proven lower: none is at its bound.
        at_lowest = [each for each in ended if bounds and each.bound == min(bounds)]
        askings = [each.asking for each in at_lowest if each.asking is not None]
        asking = askings[0] if askings and not _settled(self.plain, ended) else None
        for each in ended:
            if each.asking is not None and each.asking is not asking:
                each.asking.stop()
        # The question still being answered goes on, with no column fixed: no other is asked afresh.
        left = [each.unanswered for each in at_lowest if each.unanswered is not None]
        unanswered = left[0] if left and asking is None else None
        return OnesFixed(min(bounds, default=None),
                         _best(self.plain, [each.solution for each in ended if each.solution is not None]),
                         unanswered, asking)

    def stop(self) -> None:
        """Nothing more begun, and what runs stopped, questions still being answered included,
        until every run is done (the workers are then free for the next program)."""
        self._stop_runs()
        for run in self.runs:
            if run.exception() is None and run.result().asking is not None:
                run.result().asking.stop()

    def _stop_runs(self) -> None:
        """Nothing more begun, and what runs stopped, until every run is done."""
        self.stopped.set()
        # A run's thread returns once it hears its worker's process end. Killed before that thread
        # began a solve, the process would be started anew for it: so again, until it is done.
        while not all(run.done() for run in self.runs):
            for run, worker in zip(self.runs, self.racers):
                if not run.done():
                    worker.stop()
            wait(self.runs, timeout=0.05)
        self._pool.shutdown(wait=False)


def _settled(plain: TimeIndexed | OwnProgram, ended: list[OnesFixed]) -> bool:
    """Whether a schedule among ``ended`` is at the lowest bound among them."""
    bounds = [each.bound for each in ended if each.bound is not None]
    return bool(bounds) and any(each.solution is not None and _reaches(plain, each.solution, min(bounds))
                                for each in ended)


def _reaches(plain: TimeIndexed | OwnProgram, solution: np.ndarray, bound: int) -> bool:
    """Whether a schedule of the plain program has a priority of ``bound`` or more."""
    return float(plain.program.cost @ solution) >= bound - 1e-6


def _best(plain: TimeIndexed | OwnProgram, solutions: list[np.ndarray]) -> np.ndarray | None:
    return max(solutions, key=lambda x: float(plain.program.cost @ x), default=None)
