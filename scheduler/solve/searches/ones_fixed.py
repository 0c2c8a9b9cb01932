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
from dataclasses import dataclass, replace

import numpy as np

from scheduler.solve.bounds.highs_worker import Settings, Worker, own_limit
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


def ones_fixed(plain: TimeIndexed, worker: Worker, until: float) -> OnesFixed:
    """The relaxation of ``plain`` solved, then the program with the relaxation's ones fixed at 1,
    by ``worker``, both over by ``until`` (``time.perf_counter()``)."""
    seconds = own_limit(until - time.perf_counter())
    if seconds <= 0.1:
        return OnesFixed(None, None)
    relaxed = worker.solve(plain.relaxed(), Settings(seconds, threads=1), lambda _: None, lambda _: None)
    if relaxed.solution is None or relaxed.clock_stopped or not math.isfinite(relaxed.dual_bound):
        return OnesFixed(None, None)
    # The program is minimised (costs negated): its bound, negated, bounds the priority from above.
    bound = math.floor(-relaxed.dual_bound + 1e-6)
    seconds = min(FIXED_SECONDS, own_limit(until - time.perf_counter()))
    if seconds <= 0.1:
        return OnesFixed(bound, None)
    minimised = plain.minimised()
    fixed = replace(minimised, lower=np.maximum(minimised.lower, relaxed.solution >= WHOLE), start=None)
    report = worker.solve(fixed, Settings(seconds, threads=1), lambda _: None, lambda _: None)
    return OnesFixed(bound, None if report.solution is None else np.round(report.solution))
