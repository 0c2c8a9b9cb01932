"""Priority re-solved a day, then two days, at a time, on the plain time-indexed program.

On a teleconference week HiGHS finds the priority bound at its root and may then search long for
a schedule at it, while the schedule it has is a meeting or two short. Those missing meetings
usually need only one day's meetings rearranged, or two days' (a request moved from one to the
other). So the schedule's meetings on every other day are fixed, and the day's requests, with
every request not yet placed, are solved exactly by HiGHS: a program of one day is proven in a
fraction of a second (benchmarks/README.md, "How the solver chooses": HiGHS on a level). A
request placed on a fixed day stays there; the caps over the event see the fixed days' meetings,
because the fixed columns stay in the program.

Where the bound itself is above the optimum (the relaxation's, rounded down, one meeting's priority
too high), no day finds the missing meeting and only a proof ends the level: the race's question
with no column fixed, still being answered, or the whole program, started from the schedule, is
then solved beside the days (:func:`days_beside_whole`), and HiGHS's cuts at its root close such a
gap in a few seconds.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from threading import Event, Thread

import numpy as np

from scheduler.model.problem import Problem
from scheduler.solve.bounds.highs_worker import GRACE_SECONDS, Program, Report, Settings, Worker, own_limit
from scheduler.solve.bounds.time_indexed import MIP_OPTIONS, TimeIndexed, priority_bound
from scheduler.solve.searches.ones_fixed import Asking

# The most one day's (or two days') program is given: a part that is not proven by then is left.
PART_SECONDS = 2.0
# The most a question left unanswered by the race (searches/ones_fixed.py) is given beside the
# days, before the whole program: on generated weeks such a question had a schedule at the bound
# every time, found in 2-5 s where the race gives it 1 s (benchmarks/README.md, "How the solver
# chooses": HiGHS on a level).
QUESTION_SECONDS = 6.0


def priority_days(problem: Problem, plain: TimeIndexed, start: np.ndarray, bound: int, until: float,
                  workers: Sequence[Worker], stopped: Event | None = None, lowered: Event | None = None) -> np.ndarray:
    """``start`` (one value per column of ``plain``) with its days re-solved, each alone and then
    in pairs, round after round while one improves, until the priority reaches ``bound`` (one less
    once ``lowered`` is set: a proof that none reaches it), the clock reaches ``until``
    (``time.perf_counter()``) or ``stopped`` is set (whoever sets it stops the workers too). Each
    worker takes a part at a time; of the parts solved together, the best is taken if it is better
    than the schedule."""
    days = np.array([problem.slot_day(c.start) for c in plain.columns])
    cost = plain.program.cost
    minimised = plain.minimised()
    best = np.round(start)
    value = float(cost @ best)
    parts = [set(part) for k in (1, 2) for part in itertools.combinations(sorted(set(days.tolist())), k)]

    def solved(part: set[int], seconds: float) -> np.ndarray | None:
        free = np.isin(days, list(part))
        program = replace(minimised, lower=np.where(free, 0.0, best), upper=np.where(free, 1.0, best),
                          start=best.copy())
        report = workers[parts.index(part) % len(workers)].solve(program, Settings(seconds, threads=1),
                                                                  lambda _: None, lambda _: None)
        return None if report.solution is None else np.round(report.solution)

    def reached() -> bool:
        return value >= bound - (1 if lowered is not None and lowered.is_set() else 0) - 0.5

    improved = True
    with ThreadPoolExecutor(len(workers)) as pool:
        while improved and not reached():
            improved = False
            for at in range(0, len(parts), len(workers)):
                # HiGHS's own limit, so that its process is stopped, grace included, by ``until``.
                seconds = min(PART_SECONDS, own_limit(until - time.perf_counter()))
                if seconds <= 0.1 or reached() or (stopped is not None and stopped.is_set()):
                    return best
                batch = parts[at:at + len(workers)]
                for found in pool.map(lambda part: solved(part, seconds), batch):
                    if found is not None and float(cost @ found) > value + 0.5:
                        best, value, improved = found, float(cost @ found), True
    return best


def days_beside_whole(problem: Problem, plain: TimeIndexed, start: np.ndarray, bound: int, until: float,
                      workers: Sequence[Worker], question: Program | None = None,
                      asking: Asking | None = None) -> tuple[list[np.ndarray], int]:
    """:func:`priority_days` on every worker but the last, while the last solves the whole plain
    program from ``start``; whichever ends first stops the other: the days at ``bound``, the whole
    program with a proof. Where a ``question`` is given (a program of the plain program's columns
    whose every schedule is at ``bound``), the last worker asks it first, for up to
    QUESTION_SECONDS: a schedule stops the days too, and days that end short of the bound sooner
    wait for its answer. Where the last worker is still answering a question with no column fixed
    (``asking``, searches/ones_fixed.py), its answer is waited for instead, and its proof that
    there is none lowers the bound by one (and the days stop once they are one below).
    Returns the schedules found, the best first (the caller reads the first that holds), and the
    bound: ``bound`` or the one proven, the lower. With one worker, the days alone."""
    if len(workers) < 2:
        return [priority_days(problem, plain, start, bound, until, workers)], bound
    stopped, asked = Event(), Event()  # asked: the question is answered, given up, or none was given
    heard: list[Report] = []
    answered: list[np.ndarray] = []
    lowered = Event()  # the question with no column fixed has no schedule: none is at the bound

    def stop_days() -> None:
        stopped.set()
        for worker in workers[:-1]:
            worker.stop()

    def ask() -> bool:
        """The question asked: whether the whole program is still to be solved after it."""
        try:
            if asking is not None:
                answer = asking.answer(max(0.0, until - time.perf_counter()) + GRACE_SECONDS)
                if answer is None:
                    return False
            else:
                seconds = min(QUESTION_SECONDS, own_limit(until - time.perf_counter()))
                answer = workers[-1].solve(question, Settings(seconds, threads=1), lambda _: None, lambda _: None)
            if answer.solution is not None:
                answered.append(np.round(answer.solution))
                stop_days()
            elif answer.infeasible and asking is not None:
                lowered.set()  # the days stop once they are one below
                if float(plain.program.cost @ start) >= bound - 1 - 1e-6:  # proven: nothing left to find
                    stop_days()
            return answer.solution is None and not stopped.is_set()
        finally:
            asked.set()

    def whole() -> None:
        if (question is not None or asking is not None) and not ask():
            return
        program = replace(plain.minimised(), start=np.round(start))
        report = workers[-1].solve(program, Settings(own_limit(until - time.perf_counter()), threads=1,
                                                     options=MIP_OPTIONS), lambda _: None, lambda _: None)
        heard.append(report)
        if not report.clock_stopped:  # proven (or nothing better exists): the days are stopped
            stop_days()

    if question is None and asking is None:
        asked.set()
    thread = Thread(target=whole, name="whole-plain-program")
    thread.start()
    found = [priority_days(problem, plain, start, bound, until, workers[:-1], stopped, lowered)]
    if float(plain.program.cost @ found[0]) < bound - 0.5:
        asked.wait(timeout=max(0.0, until - time.perf_counter()) + GRACE_SECONDS)
    if not stopped.is_set():  # the days reached the bound or ended: the whole program is stopped
        stopped.set()
        workers[-1].stop()
    thread.join()
    found += answered
    if lowered.is_set():
        bound -= 1
    for report in heard:
        if report.solution is not None:
            found.append(np.round(report.solution))
        if math.isfinite(report.dual_bound):
            bound = min(bound, priority_bound(report))
    cost = plain.program.cost
    return sorted(found, key=lambda x: -float(cost @ x)), bound
