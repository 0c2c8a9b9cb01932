"""Priority from the plain program's linear relaxation: its bound, then a schedule with its ones kept.

On a teleconference week the plain time-indexed program's relaxation is solved in about a second,
and its bound, rounded down, has been the priority optimum on every week measured; what takes
HiGHS long is a schedule at it. Most columns the relaxation takes whole (at 1) belong to such a
schedule: with them fixed, the program left is small and HiGHS solves it in about half a second,
usually at the bound (benchmarks/README.md, "How the solver chooses": HiGHS on a level). When it
falls short the bound still holds, and the schedule is a start for what follows.
"""

from __future__ import annotations

import math
import time
from concurrent.futures import Future
from dataclasses import dataclass, replace

import numpy as np

from scheduler.solve.bounds.highs_worker import Report, Settings, Worker, own_limit
from scheduler.solve.bounds.time_indexed import TimeIndexed

# The most the program with the ones fixed is given: on weeks it ends in 0.1-1.7 s.
FIXED_SECONDS = 2.0
# A column the relaxation takes at least this high is one of its ones.
WHOLE = 1 - 1e-6


@dataclass(frozen=True)
class OnesFixed:
    """The relaxation's proven bound on the priority (None when it was not solved in time) and the
    best schedule found with its ones fixed (one value per column of the plain program, or None)."""

    bound: int | None
    solution: np.ndarray | None


def relaxation(plain: TimeIndexed, worker: Worker, until: float) -> Report | None:
    """The linear relaxation of ``plain`` solved by ``worker``, over by ``until``
    (``time.perf_counter()``); None when no time is left."""
    seconds = own_limit(until - time.perf_counter())
    if seconds <= 0.1:
        return None
    return worker.solve(plain.relaxed(), Settings(seconds, threads=1), lambda _: None, lambda _: None)


def ones_fixed(plain: TimeIndexed, worker: Worker, until: float, relaxed: Future | None = None) -> OnesFixed:
    """The relaxation of ``plain`` solved (or the one ``relaxed`` holds, begun earlier on the same
    worker), then the program with the relaxation's ones fixed at 1, by ``worker``, over by
    ``until`` (``time.perf_counter()``)."""
    report = relaxed.result() if relaxed is not None else relaxation(plain, worker, until)
    if report is None or report.solution is None or report.clock_stopped or not math.isfinite(report.dual_bound):
        return OnesFixed(None, None)
    # The program is minimised (costs negated): its bound, negated, bounds the priority from above.
    bound = math.floor(-report.dual_bound + 1e-6)
    seconds = min(FIXED_SECONDS, own_limit(until - time.perf_counter()))
    if seconds <= 0.1:
        return OnesFixed(bound, None)
    minimised = plain.minimised()
    fixed = replace(minimised, lower=np.maximum(minimised.lower, report.solution >= WHOLE), start=None)
    found = worker.solve(fixed, Settings(seconds, threads=1), lambda _: None, lambda _: None)
    return OnesFixed(bound, None if found.solution is None else np.round(found.solution))
