"""How much a solve may still spend: wall-clock seconds, or work units that make it repeatable.

By default every phase stops on the clock, which finds the most in the time
given but depends on how busy the machine is: two runs with the same seed
can differ. With ``deterministic``, every CP-SAT search runs its workers
interleaved in fixed batches (CP-SAT's deterministic parallel mode) and stops
on work done (CP-SAT's *deterministic time*) instead of on the clock; the
re-timing passes outside CP-SAT stop after a number of steps, the linear
relaxation after a number of iterations, and HiGHS (mip.py) after a number of
nodes, charged its counted work. The same event, seed and worker
count then give the same schedule on any machine. Seconds asked for are
turned into work at the fixed rate ``WORK_PER_SECOND``, measured on the
2-core machines of benchmarks/README.md, so a solve takes about as long as
asked there, or less. The limit's hard end still stops a run on a machine too
slow or busy for its work, and the result says so (``wall_stopped``): such a
run may not repeat exactly.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # Imported where a search runs, not with the module: a process spawned to search beside the
    # solve (Kempe chains, a SAT solver) takes ``Deadline`` from here, and CP-SAT's module brings
    # pandas and numpy with it (benchmarks/README.md, "Processes of their own").
    from ortools.sat.python import cp_model

# Deterministic mode: work units per second asked for. A search is charged at most its own limit
# (see Budget.charge), yet interleaved workers run whole batches past it, and the model building
# and passes outside the searches take wall time that no unit counts; the rate leaves a run some of
# its limit in hand on the benchmark's 2 cores, so that a busier machine still finishes the same
# work before the limit's hard end (benchmarks/README.md, "How the solver chooses": shares of the time).
WORK_PER_SECOND = 0.12
# What a limit allows past it: 10 % and 2 s, for the finishing passes (fill-in, reasons, booths)
# that run after every search has stopped at the hard end.
OVERRUN_SHARE = 1.1
OVERRUN_SECONDS = 2.0
# Of that overrun, what no search may take, for the clock's own jitter on a busy machine.
MARGIN_SECONDS = 1.0
# Deterministic mode: steps (candidate moves looked at) of a re-timing pass per work unit: as many
# as it looks at in a unit's seconds (1 / WORK_PER_SECOND), so that a pass takes about the wall
# time CP-SAT's searches take for the units it is charged (Budget.charge_steps). On six events
# (two plazas of Daegu's size, a room, two weeks, Daegu itself) the idle-gap polish looked at
# 10,600-26,100 steps a second, median 17,000; the Kempe-chain search (searches/kempe.py), whose
# steps are far cheaper, 91,400-152,900, median 120,000 (benchmarks/README.md, "How the solver
# chooses": shares of the time).
STEPS_PER_UNIT = round(17_000 / WORK_PER_SECOND)
KEMPE_STEPS_PER_UNIT = round(120_000 / WORK_PER_SECOND)
# Deterministic mode: the work a meeting model's build is charged, per placement choice and per
# interpreter seat or count (Budget.charge_build): the builds of the whole model took 11-23
# microseconds for each on Daegu and the KOTRA week, counted and seated, median 20
# (benchmarks/README.md, "How the solver chooses": shares of the time).
BUILD_UNITS_PER_ITEM = 20e-6 * WORK_PER_SECOND
# CP-SAT's symmetry handling (its ``symmetry_level``), off: in presolve, once it has found an
# orbitope, it works on it without looking at the time limit. On a generated two-day plaza (150
# buyers, 285 firms) the priority level's search, given 0.5 s, took 5.9 s there, and a 5-s solve
# ended at 9.8 s (benchmarks/README.md, "How the solver chooses": CP-SAT workers and presolve).
SYMMETRY_LEVEL = 0


class Deadline:
    """When a pass outside CP-SAT stops: ``expired()`` is asked once per step. Counted in
    ``steps`` (deterministic), ``per_unit`` of them to a work unit, it still stops at the wall
    clock's hard end ``wall``, and says so (``clock_stopped``)."""

    def __init__(self, at: float | None = None, steps: int | None = None, wall: float | None = None,
                 per_unit: int = STEPS_PER_UNIT):
        self.at, self.steps_left, self.wall = at, steps, wall
        self.began, self.steps = time.perf_counter(), steps
        self.per_unit = per_unit  # steps a work unit stands for (Budget.charge_steps)
        self.clock_stopped = False

    def used(self) -> int:
        """Steps taken so far (counted in steps only)."""
        return 0 if self.steps is None else self.steps - max(0, self.steps_left)

    def expired(self) -> bool:
        if self.clock_stopped:
            # Once past the hard end, every later question gets the same answer: the clock is
            # read only at every 256th step, and a pass that asks again after a ``True`` (a loop
            # of passes, then the pass inside it) ran on to the end of its steps.
            return True
        if self.steps_left is not None:
            self.steps_left -= 1
            if self.steps_left < 0:
                return True
            if self.wall is not None and self.steps_left % 256 == 0 and time.perf_counter() >= self.wall:
                self.clock_stopped = True
                return True
            return False
        return time.perf_counter() >= self.at

    def progress(self) -> float:
        """How much of the allowance is used, from 0 to 1 (steps, or seconds)."""
        if self.steps is not None:
            return min(1.0, 1 - self.steps_left / self.steps) if self.steps else 1.0
        length = self.at - self.began
        return min(1.0, (time.perf_counter() - self.began) / length) if length > 0 else 1.0


@dataclass
class Budget:
    """A solve's allowance of ``seconds`` and what has been spent of it, both in its own units:
    seconds, or work units when ``deterministic``."""

    seconds: float
    deterministic: bool = False
    began: float = field(default_factory=time.perf_counter)  # when the clock started (loading counts)
    work: float = 0.0  # CP-SAT's deterministic time, summed over every search so far
    reserve: float = 0.0  # wall-clock seconds kept back from the hard end for the finishing passes
    wall_stopped: bool = False  # deterministic mode: the wall-clock safety cut a search short

    @property
    def limit(self) -> float:
        return self.units(self.seconds)

    def units(self, seconds: float) -> float:
        """``seconds`` in the budget's units."""
        return seconds * WORK_PER_SECOND if self.deterministic else seconds

    def elapsed(self) -> float:
        """Wall-clock seconds since the solve began (for people; never for decisions when
        deterministic)."""
        return time.perf_counter() - self.began

    def wall_left(self) -> float:
        """Wall-clock seconds to the hard end, in either mode."""
        return max(0.0, self.wall_end() - time.perf_counter())

    def wall_end(self) -> float:
        """The hard end, as a ``time.perf_counter()`` reading: where the allowed overrun, less the
        finishing passes' reserve, ends; and no later than the limit itself when the clock rules
        (the levels leave the finishing passes their share). A deterministic run may use the
        overrun, so that work which fits its limit on a busy machine is not cut and repeats."""
        end = OVERRUN_SHARE * self.seconds + OVERRUN_SECONDS - MARGIN_SECONDS - self.reserve
        return self.began + (end if self.deterministic else min(self.seconds, end))

    def spent(self) -> float:
        return self.work if self.deterministic else self.elapsed()

    def left(self) -> float:
        return max(0.0, self.limit - self.spent())

    def left_before(self, kept_back: float) -> float:
        """What is left of the limit with a share ``kept_back`` of it kept for what follows."""
        return self.limit * (1 - kept_back) - self.spent()

    def configure(self, solver: cp_model.CpSolver, amount: float, workers: int = 1, seed: int = 0) -> None:
        """Let one CP-SAT search spend ``amount`` (seconds or work units)."""
        parameters = solver.parameters
        parameters.num_workers = workers
        parameters.random_seed = seed
        parameters.symmetry_level = SYMMETRY_LEVEL
        if self.deterministic:
            parameters.max_deterministic_time = max(0.05, min(amount, self.left()))
            parameters.max_time_in_seconds = max(0.01, self.wall_left())
            parameters.interleave_search = workers > 1
        else:
            parameters.max_time_in_seconds = max(0.01, min(amount, self.wall_left()))

    def run(self, solver: cp_model.CpSolver, model: cp_model.CpModel, amount: float, workers: int = 1,
            seed: int = 0, callback: cp_model.CpSolverSolutionCallback | None = None):
        """Configure, solve and charge: the status (UNKNOWN, without a search, past the hard end)."""
        from ortools.sat.python import cp_model  # not at the top: see the note there

        if self.wall_left() <= 0:
            self.wall_stopped = self.wall_stopped or self.deterministic
            return cp_model.UNKNOWN
        self.configure(solver, amount, workers, seed)
        status = solver.solve(model, callback) if callback is not None else solver.solve(model)
        self.charge(solver)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) and model.proto.variables and not solver.response_proto.solution:
            # Stopped from a callback with interleaved workers, CP-SAT answered FEASIBLE with no
            # schedule to read: nothing was found, as far as anyone can use it.
            return cp_model.UNKNOWN
        return status

    def charge(self, solver: cp_model.CpSolver) -> None:
        """Count a finished search's work. Interleaved workers overrun the limit by their last
        batch, and that overrun's count differs in the fourth digit between runs of the same
        search, so a search is charged at most its limit: what every later decision
        sees is then the same in every run."""
        used = solver.response_proto.deterministic_time
        if self.deterministic:
            used = round(min(used, solver.parameters.max_deterministic_time), 3)
            if self.wall_left() <= 0:
                self.wall_stopped = True
        self.work += used

    def charge_build(self, items: int) -> None:
        """Count a meeting model's build, of ``items`` placement choices and interpreter seats or
        counts, as work (deterministic mode; the clock counts it otherwise): uncounted, the seated
        model's 1.5 s on the KOTRA week pushed a 10-s repeatable solve into its hard end."""
        if self.deterministic:
            self.work += round(items * BUILD_UNITS_PER_ITEM, 3)

    def charge_mip(self, outcome) -> None:
        """Count a HiGHS solve's work (mip.MipOutcome, or None when it did not run), stopped by its
        nodes when the budget is deterministic; a clock that stopped it first is noted."""
        if outcome is not None:
            self.work += self.units(outcome.work)
            self.wall_stopped = self.wall_stopped or outcome.clock_stopped

    def deadline(self, amount: float, steps_per_unit: int = STEPS_PER_UNIT) -> Deadline:
        """A pass outside CP-SAT allowed ``amount`` (in the budget's units; when deterministic,
        ``steps_per_unit`` steps for each, charged once it is over: :meth:`charge_steps`), and no
        more than is left of the limit, as a CP-SAT search (:meth:`configure`). Counted in steps,
        a pass given a least allowance past the limit (the Kempe chains' 3 s in a 2-s solve) ran
        on into the hard end, and the run could not repeat (benchmarks/README.md, "How the solver
        chooses": shares of the time)."""
        if self.deterministic:
            return Deadline(steps=int(max(0.0, min(amount, self.left())) * steps_per_unit), wall=self.wall_end(),
                            per_unit=steps_per_unit)
        return Deadline(at=min(time.perf_counter() + amount, self.wall_end()))

    def charge_steps(self, deadline: Deadline) -> None:
        """Count a pass's steps as work (deterministic mode; the clock counts a timed pass): left
        uncounted, a level's CP-SAT search after it had the level's whole share again, and the
        solve ran past its limit's work into the hard end."""
        if self.deterministic and deadline.steps is not None:
            self.work += round(deadline.used() / deadline.per_unit, 3)
            self.wall_stopped = self.wall_stopped or deadline.clock_stopped

    @contextmanager
    def counted(self, amount: float, steps_per_unit: int = STEPS_PER_UNIT) -> Iterator[Deadline]:
        """A pass's :meth:`deadline`, charged its steps (:meth:`charge_steps`) once the pass is over."""
        deadline = self.deadline(amount, steps_per_unit)
        try:
            yield deadline
        finally:
            self.charge_steps(deadline)

    def mip_seconds(self, seconds: float) -> float:
        """HiGHS's wall-clock allowance: ``seconds``, within the hard end."""
        return min(seconds, self.wall_left())

    def clock_ran_out(self) -> bool:
        """Whether the hard end has passed: a loop of searches stops there, and a deterministic
        run stopped so says it may not repeat."""
        if self.wall_left() > 0:
            return False
        self.wall_stopped = self.wall_stopped or self.deterministic
        return True

    def cut_by_clock(self) -> bool:
        """Deterministic mode: whether the hard end cut anything short (a search, a pass counted
        in steps, HiGHS or the relaxation), so that the run may not repeat."""
        return self.deterministic and (self.wall_stopped or self.wall_left() <= 0)
