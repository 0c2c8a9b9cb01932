"""A brokerage day with at most a given number of idle gaps, asked of a SAT solver.

The question is the day's own, in clauses: each meeting at one of its slots; nobody in two
meetings at once; no more meetings in a slot than tables free then; an idle gap ends at a
participant's busy slot whose slot before is free, with a meeting earlier that day; and at most
``gaps`` of those. What the question implies is stated too, for the solver to propagate: a
participant is busy in exactly as many slots of a day as it has meetings that can only be there,
and no more people are busy in a slot than its free tables seat.

Asked where the proven bound is below the best day known, the answer yes is a day at the bound:
the optimum. A no raises the bound by one, and the question is asked again there (:func:`climb`).
CaDiCaL (through PySAT) answers far sooner than CP-SAT's search on the same question
(benchmarks/README.md, "How the solver chooses": a SAT solver for a brokerage day). It starts
from the best day known: each literal's first phase is its value there.

It runs in a process of its own beside the annealed search, and stops at its deadline, at a count
of conflicts in a repeatable solve, or when the annealed search reaches the bound first. After
that search, the best day is brought down (:func:`descend`: one idle gap fewer, asked of a
neighbourhood of it at a time), in a process of its own too, beside the climb from the bound.
"""

from __future__ import annotations

import math
import random
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from pysat.card import CardEnc, EncType, ITotalizer
from pysat.formula import IDPool
from pysat.solvers import Solver

from scheduler.model.problem import Problem
from scheduler.solve.model.measure import measure
from scheduler.solve.result import Placement
from scheduler.solve.searches import sharing
from scheduler.solve.searches.kempe import table_capacity
from scheduler.solve.searches.sharing import Mark, Settled

SOLVER = "cadical195"
# How "at most k of n" is written: a sequential counter (n times k clauses) up to this n times k,
# the modular totalizer (far fewer clauses) beyond, as on the largest days' tables
# (benchmarks/README.md, "How the solver chooses": a SAT solver for a brokerage day).
COUNTER_UP_TO = 20_000
# Conflicts searched between two looks at the clock (a fraction of a second: same section). A
# timed search sizes each batch to about BATCH_TARGET seconds at the rate the batches before it
# ran, starting at FIRST_BATCH: on a 150-participant day 4,000 conflicts took 1-4 s.
CONFLICTS_PER_BATCH = 4000
FIRST_BATCH = 500
BATCH_TARGET = 0.2
BATCH_SECONDS = 0.5  # what the caller waits past the deadline for an answer, at most
# Clauses handed to the solver at a time, with a look at the clock in between.
CLAUSES_PER_LOAD = 50_000
# The descent's neighbourhoods (:func:`descend`): the share of the meetings let free at first, the
# factor it grows by after a refutation (and shrinks by after no answer), the least share, and
# the conflicts a neighbourhood is given at most (benchmarks/README.md, "How the solver chooses":
# a SAT solver for a brokerage day).
NEIGHBOURHOOD_SHARE = 0.25
GROW = 1.1
SMALLEST_SHARE = 0.05
NEIGHBOURHOOD_CONFLICTS = 3000


@dataclass(frozen=True)
class Answer:
    """``day``: a day with at most the gaps asked (every meeting placed); ``refuted``: proven that
    none exists; neither: no answer in the time given. ``conflicts``: the solver's work for it."""

    day: list[Placement] | None = None
    refuted: bool = False
    conflicts: int = 0


@dataclass(frozen=True)
class Climb:
    """Where :func:`climb` ended (a day at ``floor`` idle gaps, the optimum, or none found in the
    time) or :func:`descend` (the best day found); either way no day has fewer than ``floor``."""

    day: list[Placement] | None
    floor: int


class _Late(Exception):
    """The deadline came while the question was still being written."""


class _Clauses:
    """The question's clauses and what each variable stands for; writing them stops with
    :class:`_Late` at ``ends`` (a ``time.perf_counter()`` reading), as it may take a second or more
    on the largest days."""

    def __init__(self, problem: Problem, gaps: int, ends: float = math.inf):
        self.problem = problem
        self.ids = IDPool()
        self.clauses: list[list[int]] = []
        tasks = problem.tasks
        self.at: dict[tuple[int, int], int] = {}  # (meeting, slot) -> literal
        by_person: dict[tuple[int, int], list[int]] = defaultdict(list)
        by_slot: dict[int, list[int]] = defaultdict(list)
        for task in tasks:
            if time.perf_counter() >= ends:
                raise _Late
            literals = []
            for t in task.starts:
                literal = self.ids.id(("at", task.index, t))
                self.at[task.index, t] = literal
                literals.append(literal)
                by_slot[t].append(literal)
                for person in task.people:
                    by_person[person, t].append(literal)
            self._exactly(literals, 1)
        capacity = table_capacity(problem)
        for t, literals in by_slot.items():
            if time.perf_counter() >= ends:
                raise _Late
            if len(literals) > capacity[t]:
                self._at_most(literals, capacity[t])
        # Busy slots, and where an idle gap ends, per participant and day.
        self.busy: dict[tuple[int, int], int] = {}
        self.seen: dict[tuple[int, int], int] = {}  # a meeting before that slot of the day
        self.gap_at: dict[tuple[int, int], int] = {}  # a meeting there after a free slot and a meeting
        for person in sorted({p for p, _ in by_person}):
            if time.perf_counter() >= ends:
                raise _Late
            own = problem.tasks_of(person)
            for day_slots in problem.grid.slots_by_day:
                busy = []
                for t in day_slots:
                    literals = by_person.get((person, t))
                    if not literals:
                        busy.append(None)
                        continue
                    if len(literals) > 1:
                        self._at_most(literals, 1)
                    b = self.busy[person, t] = self.ids.id(("busy", person, t))
                    self.clauses.append([-b, *literals])
                    self.clauses.extend([-literal, b] for literal in literals)
                    busy.append(b)
                present = [b for b in busy if b is not None]
                if not present:
                    continue
                day = problem.slot_day(day_slots[0])
                # Meetings that can only be on this day: the day holds at least that many busy
                # slots, and exactly that many where none of its meetings may go to another day.
                here = sum(1 for task in own if all(problem.slot_day(t) == day for t in task.starts))
                anywhere = sum(1 for task in own if any(problem.slot_day(t) == day for t in task.starts))
                if here == anywhere:
                    self._exactly(present, here)
                else:
                    self._at_least(present, here)
                # A gap ends at a busy slot whose slot before is free, with a meeting earlier that
                # day. ``seen`` may only be forced up, never down, so a gap is never missed.
                seen = None
                for position, (t, b) in enumerate(zip(day_slots, busy)):
                    if b is None:
                        continue
                    if seen is not None:
                        before = busy[position - 1]
                        gap = self.gap_at[person, t] = self.ids.id(("gap", person, t))
                        self.clauses.append([-b, -seen, gap] + ([before] if before is not None else []))
                    after = self.seen[person, t] = self.ids.id(("seen", person, t))
                    self.clauses.append([-b, after])
                    if seen is not None:
                        self.clauses.append([-seen, after])
                    seen = after
        # No more people busy in a slot than its tables seat: implied by the tables' own count, but
        # stated on the busy literals it lets the solver weigh each person's day against the room's
        # (benchmarks/README.md, "How the solver chooses": a SAT solver for a brokerage day).
        seated = max((len(task.people) for task in tasks), default=0)
        busy_at: dict[int, list[int]] = defaultdict(list)
        for (person, t), b in self.busy.items():
            busy_at[t].append(b)
        for t, literals in busy_at.items():
            if time.perf_counter() >= ends:
                raise _Late
            self._at_most(literals, seated * capacity[t])
        self._at_most(list(self.gap_at.values()), gaps)

    def _at_most(self, literals: list[int], bound: int) -> None:
        if bound >= len(literals):
            return
        if bound < 0:
            self.clauses.append([])
            return
        encoding = (EncType.pairwise if bound == 1 and len(literals) <= 6
                    else EncType.seqcounter if len(literals) * bound <= COUNTER_UP_TO else EncType.kmtotalizer)
        self.clauses.extend(CardEnc.atmost(literals, bound, vpool=self.ids, encoding=encoding).clauses)

    def _at_least(self, literals: list[int], bound: int) -> None:
        if bound > 0:
            self.clauses.extend(CardEnc.atleast(literals, bound, vpool=self.ids, encoding=EncType.seqcounter).clauses)

    def _exactly(self, literals: list[int], bound: int) -> None:
        self._at_most(literals, bound)
        self._at_least(literals, bound)

    def phases(self, placements: Sequence[Placement]) -> list[int]:
        """Every meeting, busy, seen and gap literal set as in ``placements``."""
        problem = self.problem
        slot = {p.task: p.start for p in placements}
        busy = {(person, p.start) for p in placements for person in problem.tasks[p.task].people}
        phases = [literal if slot.get(task) == t else -literal for (task, t), literal in self.at.items()]
        phases += [b if key in busy else -b for key, b in self.busy.items()]
        grid = problem.grid
        for (person, t), literal in self.seen.items():
            day_slots = grid.slots_by_day[problem.slot_day(t)]
            phases.append(literal if any((person, u) in busy for u in day_slots[:day_slots.index(t) + 1]) else -literal)
        for (person, t), literal in self.gap_at.items():
            day_slots = grid.slots_by_day[problem.slot_day(t)]
            position = day_slots.index(t)
            ends = ((person, t) in busy and (person, day_slots[position - 1]) not in busy
                    and any((person, u) in busy for u in day_slots[:position]))
            phases.append(literal if ends else -literal)
        return phases

    def day(self, model: list[int]) -> list[Placement]:
        true = {literal for literal in model if literal > 0}
        return [Placement(task, t, (), self.problem.tasks[task].classes[0])
                for (task, t), literal in self.at.items() if literal in true]


def _loaded(solver: Solver, clauses: list[list[int]], ends: float) -> bool:
    """``clauses`` handed to ``solver`` a load at a time, with a look at the clock in between;
    False where ``ends`` came first (writing or loading the clauses took the time)."""
    for first in range(0, len(clauses), CLAUSES_PER_LOAD):
        if time.perf_counter() >= ends:
            return False
        solver.append_formula(clauses[first:first + CLAUSES_PER_LOAD])
    return time.perf_counter() < ends


def _batch(rate: float, most: int) -> int:
    """Conflicts for the next batch: about ``BATCH_TARGET`` seconds at ``rate`` (conflicts a
    second, measured on the batches before), at most ``most``."""
    return max(FIRST_BATCH // 5, min(most, round(rate * BATCH_TARGET)))


def ask(problem: Problem, gaps: int, start: Sequence[Placement], ends: float,
        conflicts: int | None = None, settled: Settled | None = None, found_settles: bool = True) -> Answer:
    """Is there a day of ``problem`` with at most ``gaps`` idle gaps? Searched from ``start`` until
    ``ends`` (a ``time.perf_counter()`` reading, the system's monotonic clock in every process), or
    ``conflicts`` where given (the same answer on every machine that answers in time), or until
    ``settled`` is set; a day found sets it (when ``found_settles``: a day at the bound)."""
    try:
        question = _Clauses(problem, gaps, ends)
    except _Late:
        return Answer()
    with Solver(name=SOLVER) as solver:
        if not _loaded(solver, question.clauses, ends):
            return Answer()
        solver.set_phases(question.phases(start))
        # CaDiCaL cannot be interrupted through PySAT: it searches a batch of conflicts at a time,
        # and between batches the clock and the other search are looked at. A repeatable search
        # keeps to fixed batches, whose answer does not depend on the clock.
        spent = 0
        batch = CONFLICTS_PER_BATCH if conflicts is not None else FIRST_BATCH
        while True:
            if conflicts is not None:
                batch = min(batch, conflicts - spent)
            if batch <= 0:
                return Answer(conflicts=spent)
            solver.conf_budget(batch)
            began = time.perf_counter()
            outcome = solver.solve_limited()
            spent += batch
            if outcome is not None:
                break
            now = time.perf_counter()
            if now >= ends or (settled is not None and settled.is_set()):
                return Answer(conflicts=spent)
            if conflicts is None:
                batch = _batch(batch / max(now - began, 1e-3), CONFLICTS_PER_BATCH)
        if outcome:
            if settled is not None and found_settles:
                settled.set()
            return Answer(day=question.day(solver.get_model()), conflicts=spent)
        return Answer(refuted=True, conflicts=spent)


def climb(problem: Problem, gaps: int, start: Sequence[Placement], ends: float,
          conflicts: int | None = None, settled: Settled | None = None,
          raised: Callable[[int], None] | None = None) -> Climb:
    """:func:`ask` from ``gaps`` up: after each no, once more with one gap more, until a day is
    found (the optimum) or the time or the ``conflicts`` are spent. ``raised`` is told each new
    floor as it is proven."""
    floor = gaps
    while True:
        answer = ask(problem, floor, start, ends, conflicts, settled)
        if not answer.refuted:
            return Climb(answer.day, floor)
        floor += 1
        if raised is not None:
            raised(floor)
        if conflicts is not None:
            conflicts -= answer.conflicts


def descend(problem: Problem, day: Sequence[Placement], floor: int, ends: float,
            settled: Settled | None = None, seed: int = 0, marking: Mark | None = None) -> Climb:
    """From ``day`` down, by neighbourhoods: the meetings of a few participants and their partners,
    or of a run of slots, are let free and the rest kept where they are (assumptions), and one SAT
    solver is asked for a day with one idle gap fewer than the best so far (the count's bound an
    assumption too, on PySAT's incremental totalizer), so what it learns carries from one
    neighbourhood to the next. A neighbourhood refuted grows the next, one not answered within its
    conflicts shrinks it; a refutation with every meeting free raises the floor. Until the best day
    is at the ``floor`` (or at the one a climb beside proves, read from ``marking``; either sets
    ``settled``), or the time is spent or ``settled`` is set. The :class:`Climb` holds the best day.
    Asked of the whole day, one gap fewer took longer than the level has where neighbourhoods came
    down several (benchmarks/README.md, "How the solver chooses": a SAT solver for a brokerage
    day)."""
    best, gaps = list(day), _gaps(problem, day)

    def reached() -> bool:
        known = max(floor, marking.value if marking is not None else -1)
        return gaps <= known

    if reached() or (settled is not None and settled.is_set()):
        if reached() and settled is not None:
            settled.set()
        return Climb(best, floor)
    try:
        question = _Clauses(problem, gaps, ends)
    except _Late:
        return Climb(best, floor)
    count = ITotalizer(lits=list(question.gap_at.values()), ubound=gaps, top_id=question.ids.top)
    rng = random.Random(seed)
    tasks = [task.index for task in problem.tasks]
    share, rate = NEIGHBOURHOOD_SHARE, None
    with Solver(name=SOLVER) as solver:
        if not _loaded(solver, question.clauses + count.cnf.clauses, ends):
            return Climb(best, floor)
        # The phases stay set until set again (CaDiCaL's own phases beneath them): set as the
        # best day changes, not for each of the thousands of neighbourhoods asked.
        slot = {p.task: p.start for p in best}
        solver.set_phases(question.phases(best))
        while not reached() and time.perf_counter() < ends and not (settled is not None and settled.is_set()):
            free = set(tasks) if share >= 1 else _neighbourhood(problem, slot, round(share * len(tasks)), rng)
            assumptions = [-count.rhs[gaps - 1]] + [question.at[task, t] for task, t in slot.items() if task not in free]
            budget = NEIGHBOURHOOD_CONFLICTS if rate is None else _batch(rate, NEIGHBOURHOOD_CONFLICTS)
            solver.conf_budget(budget)
            began, before = time.perf_counter(), solver.accum_stats().get("conflicts", 0)
            outcome = solver.solve_limited(assumptions=assumptions)
            spent = solver.accum_stats().get("conflicts", 0) - before
            if spent >= budget // 2:  # a rate from calls long enough to time
                rate = spent / max(time.perf_counter() - began, 1e-3)
            if outcome:
                best = question.day(solver.get_model())
                gaps = _gaps(problem, best)
                slot = {p.task: p.start for p in best}
                solver.set_phases(question.phases(best))
            elif outcome is False:
                if len(free) == len(tasks):
                    floor = gaps  # nothing fixed: no day has fewer
                share = min(1.0, share * GROW)
            else:
                share = max(SMALLEST_SHARE, share / GROW)
    if reached() and settled is not None:
        settled.set()
    return Climb(best, floor)


def _neighbourhood(problem: Problem, slot: dict[int, int], size: int, rng: random.Random) -> set[int]:
    """About ``size`` meetings to let free: half the time those of a participant with an idle gap
    and its partners, theirs in turn, and so on; else those of a run of slots from one drawn."""
    free: set[int] = set()
    if rng.random() < 0.5:
        gapped = _with_gaps(problem, slot)
        frontier = [rng.choice(gapped) if gapped else rng.randrange(len(problem.people))]
        seen: set[int] = set()
        while frontier and len(free) < size:
            person = frontier.pop(rng.randrange(len(frontier)))
            if person in seen:
                continue
            seen.add(person)
            for task in problem.tasks_of(person):
                free.add(task.index)
                frontier.extend(other for other in task.people if other not in seen)
    else:
        at: dict[int, list[int]] = defaultdict(list)
        for task, t in slot.items():
            at[t].append(task)
        slots = len(problem.grid.slots)
        first = rng.randrange(slots)
        for t in range(first, first + slots):
            if len(free) >= size:
                break
            free.update(at.get(t % slots, ()))
    return free


def _with_gaps(problem: Problem, slot: dict[int, int]) -> list[int]:
    """The participants with an idle gap in the day ``slot`` places."""
    busy: dict[tuple[int, int], list[int]] = defaultdict(list)
    for task, t in slot.items():
        for person in problem.tasks[task].people:
            busy[person, problem.slot_day(t)].append(t)
    people = set()
    for (person, _), slots in busy.items():
        slots.sort()
        if any(b - a > 1 for a, b in zip(slots, slots[1:])):
            people.add(person)
    return sorted(people)


def _gaps(problem: Problem, day: Sequence[Placement]) -> int:
    return measure(problem, list(day), "idle gaps")


def _climb_sharing(problem: bytes, gaps: int, start: list[Placement], ends: float,
                   conflicts: int | None) -> Climb:
    marking = sharing.marked()

    def raised(floor: int) -> None:
        if marking is not None:
            marking.value = floor
    return climb(sharing.unpacked(problem), gaps, start, ends, conflicts, settled=sharing.settled(), raised=raised)


def _descend_sharing(problem: bytes, day: list[Placement], floor: int, ends: float, seed: int) -> Climb:
    return descend(sharing.unpacked(problem), day, floor, ends, settled=sharing.settled(), seed=seed,
                   marking=sharing.marked())


def climb_beside(problem: Problem, gaps: int, start: list[Placement], ends: float,
                 conflicts: int | None, settled: Settled | None, marking: Mark | None = None) -> Future:
    """:func:`climb` in a process of its own; the future's :class:`Climb` comes a batch of
    conflicts after ``ends`` at the latest (see :func:`climbed_by`). ``settled`` is held until the
    process is done (``sharing.hold``): it takes the flag up as it starts, which may be after the
    caller has moved on. Each floor proven on the way is written to ``marking``, for a caller that
    stops waiting before the climb ends."""
    return _beside(_climb_sharing, settled, marking, sharing.packed(problem), gaps, start, ends, conflicts)


def descend_beside(problem: Problem, day: list[Placement], floor: int, ends: float, settled: Settled,
                   seed: int = 0, marking: Mark | None = None) -> Future:
    """:func:`descend` in a process of its own, as :func:`climb_beside`; ``marking``: the floors a
    climb beside proves. Not in the caller's: a batch of conflicts cannot be interrupted, and on
    the largest days one batch sized at the rate of the batches before it ran 5 s, past the
    level's end."""
    return _beside(_descend_sharing, settled, marking, sharing.packed(problem), day, floor, ends, seed)


def _beside(job, settled: Settled | None, marking: Mark | None, *args) -> Future:
    pool = sharing.pool(1, settled, marking)
    try:
        future = pool.submit(job, *args)
        sharing.hold(future, settled, marking)
        return future
    finally:
        pool.shutdown(wait=False)


def climbed_by(climbing: Future, gaps: int, ends: float) -> Climb:
    """Where the climb from ``gaps`` ended (or the descent), or no further (no day, the floor
    ``gaps``) where it has not ended by ``ends`` and a batch more (the process still starting or
    writing its clauses; it stops by itself at its next look at the clock)."""
    try:
        return climbing.result(timeout=max(0.0, ends + BATCH_SECONDS - time.perf_counter()))
    except (TimeoutError, BrokenProcessPool):  # late, or its process died (out of memory)
        return Climb(None, gaps)
