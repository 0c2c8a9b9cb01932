"""Idle gaps by Kempe-chain moves under annealing (kempe.py in searches/): the same meetings
re-timed at a plaza or in a teleconference room, and a brokerage day's meetings beside a SAT
solver (sat_day.py in searches/)."""

from __future__ import annotations

import math
import time
from concurrent.futures import Future
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.solve.methods.engines import complete_hint, search, take_search
from scheduler.solve.model.measure import meetings_to_keep
from scheduler.solve.pipeline.budget import KEMPE_STEPS_PER_UNIT
from scheduler.solve.pipeline.level import Found, LevelRun, Method
from scheduler.solve.result import Placement
from scheduler.solve.searches.kempe import compact, compact_in_parallel
from scheduler.solve.searches import sharing
from scheduler.solve.searches.sat_day import (BATCH_SECONDS, Climb, climb_beside, climbed_by,
                                               descend_beside)
from scheduler.solve.searches.sharing import Mark, Settled

# Share of a plaza's idle-gap level for the search where the whole model is searched after it: it
# cools over its allowance and keeps finding with more time, where CP-SAT's searches stall
# (benchmarks/README.md, "How the solver chooses": Kempe-chain search).
KEMPE_SHARE = 0.9
# In a teleconference room, where CP-SAT with the same meetings goes on from its day: on small
# rooms CP-SAT reaches the bound the chains miss (benchmarks/README.md, "How the solver chooses":
# Kempe-chain search).
ROOM_KEMPE_SHARE = 0.5
# The least a first look gives it (where the whole model is not searched, it has the rest of the
# level).
KEMPE_SECONDS = 3.0
# Where the chains' allowance is below this, they search here, on one worker: a search in a process
# of its own starts about 0.7 s late (the process spawned, the package imported, the event sent),
# which two searches side by side win back only past about twice that (benchmarks/README.md, "How
# the solver chooses": Kempe-chain search).
PARALLEL_FROM_SECONDS = 1.5
# Deterministic mode: conflicts of the SAT solver beside a brokerage day's annealed search per work
# unit, about as many as it has in a unit's seconds (benchmarks/README.md, "How the solver
# chooses": a SAT solver for a brokerage day).
SAT_CONFLICTS_PER_UNIT = 150_000


def _retimed(run: LevelRun) -> Found | None:
    budget, stop, placements = run.budget, run.stop, run.placements
    share = KEMPE_SHARE if run.problem.kind == "plaza" else ROOM_KEMPE_SHARE
    amount = run.share * share if run.whole else run.left()
    if run.again is None:  # a second look starts from the chains' own day: its share only
        amount = max(budget.units(KEMPE_SECONDS), amount)
    # Where the earlier levels only count meetings, a meeting may also give way to a request of
    # the same priority that keeps every firm's meetings as those levels need them.
    keep = meetings_to_keep(run.problem, placements, run.earlier) if run.counted_before else None
    # An event of several days has them dealt between the workers, each part searched in a
    # process of its own; one day is searched from as many seeds as there are workers.
    workers = stop.workers if min(amount, budget.left()) >= budget.units(PARALLEL_FROM_SECONDS) else 1
    with budget.counted(amount, KEMPE_STEPS_PER_UNIT) as allowance:
        found = compact_in_parallel(run.problem, placements, allowance, seed=stop.seed, floor=run.known or 0,
                                    tables=run.tables, keep=keep, workers=workers)
    value = run.value()
    if run.keeps_levels(found) and run.value(found) < value:
        run.adopt(found)
        value = run.value()
        run.reporter.on_value(value)
    run.settled = run.known is not None and value == run.known
    return Found(note=f"{run.name}: {value:,} after the idle-gap search")


def _day(run: LevelRun) -> Found | None:
    """A brokerage day: CP-SAT's first look left its bound; the annealed search finds the compact
    days CP-SAT's own search does not, and a SAT solver beside it climbs from the bound. Then, on
    two workers or more in a timed solve, the climb goes on to the level's end while another SAT
    solver descends from the best day (:func:`_asked_both_ways`); else CP-SAT goes on from the
    best day."""
    budget = run.budget
    run.first_bound = run.floor
    if run.status == cp_model.FEASIBLE:
        run.first_bound = max(run.first_bound or 0, math.ceil(run.solver.best_objective_bound - 1e-6))
    level_ends = _level_ends(run)
    amount = run.left() / 2
    floor = run.first_bound or 0
    climbing = None
    with budget.counted(amount, KEMPE_STEPS_PER_UNIT) as allowance:
        if run.stop.workers >= 2 and run.value() > floor:
            placements, climbing = _asking_beside(run, floor, amount, allowance, level_ends)
        else:
            placements = compact(run.problem, run.placements, allowance, seed=run.stop.seed, floor=floor)
    # Not taken where it changes a replan's kept meeting (LevelRun.adopt): the value is the level's.
    run.adopt(placements)
    value = run.value()
    run.reporter.on_value(value)
    run.note(f"{run.name}: {value:,} after the idle-gap search")
    run.status, run.solver = None, None
    if climbing is not None:
        _asked_both_ways(run, floor, climbing, level_ends)
        return None
    complete_hint(run.model.model, budget, budget.units(1.0))  # start CP-SAT at that day
    if run.first_bound is None or value > run.first_bound:
        take_search(run, *search(run, run.left()))
    return None


def _level_ends(run: LevelRun) -> float:
    """Where the SAT solvers beside a brokerage day stop: each answers up to a batch of conflicts
    past its deadline (and writes a question's clauses before it looks at the clock), so that
    batch comes out of the level's time."""
    return run.budget.deadline(max(0.0, run.left() - BATCH_SECONDS)).at


def climb_early(run: LevelRun) -> None:
    """The SAT solver's climb from the level's floor begun now, in a process of its own, to go on
    beside the busy patterns' questions a run above the participants' own bounds and then beside
    the annealed search (:func:`_day` takes it up): on the days those questions do not answer they
    run out their share, and the climb waited for them (benchmarks/README.md, "How the solver
    chooses": a SAT solver for a brokerage day). Timed solves on two workers or more only: a
    repeatable climb is counted in conflicts beside the annealed search alone."""
    if run.budget.deterministic or run.stop.workers < 2 or run.climbing is not None or run.settled:
        return
    run.climbing = _begin_climb(run, run.floor or 0, _level_ends(run))


def heard_from_climb(run: LevelRun) -> None:
    """What a climb begun early has proven so far: each floor it marked raises the level's, and a
    day it found (at its floor: the optimum) is taken and settles the level."""
    climbing = run.climbing
    if climbing is None:
        return
    if climbing.marking.value > (run.floor or 0):
        _refuted_below(run, climbing.marking.value)
    if climbing.future.done() or climbing.settled.is_set():  # a day found: its process is ending
        day = _better(run, run.floor or 0, climbing.by(run.floor or 0, time.perf_counter()), run.placements)
        if day is not run.placements:
            run.adopt(day)
            run.reporter.on_value(run.value())
    run.settled = run.value() <= (run.floor or 0)
    if run.settled:
        climbing.settled.set()


def _begin_climb(run: LevelRun, floor: int, ends: float) -> _Climbing:
    settled, marking = sharing.flag(), sharing.mark()
    future = climb_beside(run.problem, floor, run.placements, ends=ends, conflicts=None, settled=settled,
                          marking=marking)
    return _Climbing(future, settled, marking)


@dataclass(frozen=True)
class _Climbing:
    """A SAT solver's climb from the bound, still going in its process, the flag it shares and
    where it writes each floor it proves (read even where its end is not waited for)."""

    future: Future
    settled: Settled
    marking: Mark

    def by(self, floor: int, ends: float) -> Climb:
        """Where the climb ended, or the day it found and the floor it proved by ``ends`` and a
        batch more."""
        climbed = climbed_by(self.future, floor, ends)
        return Climb(climbed.day, max(climbed.floor, self.marking.value))


def _asking_beside(run: LevelRun, floor: int, amount: float, allowance,
                   level_ends: float) -> tuple[list[Placement], _Climbing | None]:
    """The annealed search, and beside it a SAT solver asked for a day at the bound (sat_day.py):
    a day is the optimum, a no raises the bound and the question is asked there. The first to
    reach the bound stops the other. In a repeatable solve each runs its whole allowance
    (conflicts for the SAT solver) and the climb ends with the annealed search; in a timed one the
    climb goes on to ``level_ends``, and is returned while it does: a climb restarted after the
    annealed search loses the question it was half-way through (benchmarks/README.md, "How the
    solver chooses": a SAT solver for a brokerage day). There the climb is the one begun beside
    the busy patterns' questions, where they were asked (:func:`climb_early`)."""
    problem, budget = run.problem, run.budget
    if not budget.deterministic:
        early, run.climbing = run.climbing, None
        climbing = early or _begin_climb(run, floor, level_ends)
        placements = compact(problem, run.placements, allowance, seed=run.stop.seed, floor=floor,
                             settled=climbing.settled)
        return placements, climbing
    ends = budget.wall_end()
    climbing = climb_beside(problem, floor, run.placements, ends=ends,
                            conflicts=round(amount * SAT_CONFLICTS_PER_UNIT), settled=None)
    placements = compact(problem, run.placements, allowance, seed=run.stop.seed, floor=floor)
    climbed = climbed_by(climbing, floor, ends)
    if not climbing.done():  # cut by the clock: the run may not repeat
        budget.wall_stopped = True
    return _better(run, floor, climbed, placements), None


def _better(run: LevelRun, floor: int, climbed: Climb, placements: list[Placement]) -> list[Placement]:
    """The climb's bound taken, and its day where it has fewer idle gaps than ``placements``."""
    if climbed.floor > floor:
        _refuted_below(run, climbed.floor)
    if climbed.day is not None and run.value(climbed.day) < run.value(placements):
        run.note(f"{run.name}: a day at the bound {climbed.floor:,}, found by a SAT solver")
        return climbed.day
    return placements


def _asked_both_ways(run: LevelRun, floor: int, climbing: _Climbing, ends: float) -> None:
    """The rest of the level: the SAT solver beside goes on climbing from the bound, and another
    descends from the best day in a process of its own (sat_day.py), until one meets the other or
    the time is spent. Where CP-SAT took this half, it had found no better day and raised no bound
    on the generated days that reach it (benchmarks/README.md, "How the solver chooses": a SAT
    solver for a brokerage day)."""
    descending = None
    if run.value() > floor and not climbing.settled.is_set() and ends > time.perf_counter():
        descending = descend_beside(run.problem, run.placements, floor, ends, climbing.settled, run.stop.seed,
                                    climbing.marking)
    climbed = climbing.by(floor, ends)
    descended = climbed_by(descending, floor, ends) if descending is not None else Climb(None, floor)
    if max(climbed.floor, descended.floor) > floor:
        _refuted_below(run, max(climbed.floor, descended.floor))
    ways = [(day, how) for day, how in ((climbed.day, "from the bound up"), (descended.day, "from the best day down"))
            if day is not None]
    if ways:
        best, how = min(ways, key=lambda way: run.value(way[0]))
        if run.value(best) < run.value():
            run.adopt(best)
            run.reporter.on_value(run.value())
            run.note(f"{run.name}: {run.value():,} by a SAT solver, {how}")


def _refuted_below(run: LevelRun, bound: int) -> None:
    """A SAT solver proved no day has fewer than ``bound`` idle gaps: the level's bound."""
    run.floor = run.first_bound = bound
    run.reporter.proven = bound
    run.note(f"{run.name}: no day with fewer than {bound:,}, by a SAT solver; bound {bound:,}")


KEMPE = Method("Kempe chains", _retimed, ready=lambda run: not run.settled)
KEMPE_DAY = Method("Kempe chains beside a SAT solver, brokerage day", _day,
                   ready=lambda run: run.status != cp_model.OPTIMAL and not run.settled)
