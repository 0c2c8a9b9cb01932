"""Fewer idle gaps by Kempe-chain moves under annealing: a brokerage day, and a plaza's meetings re-timed.

A brokerage day where every meeting is required is an edge colouring: each
meeting (an edge between two participants) gets a slot (a colour) from those
both allow, no participant twice in a slot, at most as many meetings in a
slot as there are tables. Idle gaps are, per participant and day, the runs of
busy slots minus one. CP-SAT proves the fewest quickly (the core search
reaches the participants' own bounds) but finds compact days slowly; this
search finds them.

A move takes a meeting from slot a to slot b. The meetings it then clashes
with at b move to a, the meetings those clash with at a move to b, and so on:
the *Kempe chain* of a and b through the meeting. Swapping a whole chain keeps
every participant in at most one meeting per slot, so a move only has to
check the slots the chain's meetings allow and the tables free at a and b.
Moves that add gaps are taken with a probability that falls as the search
cools (simulated annealing); the best day seen is kept.

It runs where it is exact: a brokerage day of one-slot meetings with no
interpreter, all sharing one pool of tables (the days of the research
benchmarks), and the placed meetings of a plaza or a teleconference room. At a
plaza a buyer keeps its table, so tables never run short. In the room a
one-slot meeting may take a booth on any floor, as in the meeting model, and a
longer one keeps its class of booths; a chain is swapped only where the room and
every such class have the booths for it at both slots, and floors and booths are
named once the schedule is final. Each meeting's interpreters take part in the chains as
participants do (so nobody interprets twice at once) and move only within the
day (their caps are per day). A meeting only goes to a slot where its people
and its interpreters are free by their windows and its table is not reserved;
meetings longer than a slot, and pinned ones, stay where they are.

A second move changes who interprets a meeting, at its slot: an interpreter
of the meeting's options who is free then (and under the day's cap), or the
one interpreting another meeting then, the two trading places where both
meetings allow it. It changes no idle gap, but it changes the chains: at the
Daegu plaza every interpreter works every slot or up to the cap, so a
meeting's chains ran through the same interpreter's meetings all day, and the
search without the trades stalled far above what it reaches with them
(benchmarks/README.md, "How the solver chooses": Kempe-chain search).

A third move, at a plaza after levels that only count meetings (priority, firms met, the
least-served firm), changes which meetings take place: a meeting gives way to a request not placed,
of the same priority, that shares one of its people, at the meeting's slot or at another of its
starts (with the meeting's interpreters, or others free then). Priority stays as it is, and no firm
falls below the meetings those levels need (``keep``). The same meetings may leave a gap no
re-timing closes: a firm there only when the buyer is busy; the other request may not. Trades
close gaps the same meetings cannot, at the meeting's slot and at the request's other starts alike
(benchmarks/README.md, "How the solver chooses": Kempe-chain search).

The search cools geometrically from ``HOT`` to ``COLD`` over its allowance,
so a longer allowance searches longer before it settles; a fixed cooling went
cold early and wasted the rest of a longer allowance.

Nearly every move is refused, so a move is judged before it is made: a participant of one of the
chain's meetings trades a busy slot for a free one, so the change in energy is read off the busy
slots with the two slots swapped, and scores of busy patterns are kept once computed. A meeting's
allowed slots are kept by its interpreters and day. Making and undoing each move looked at far
fewer chains in the same time, and the search needs speed more than anything else: it keeps
finding with more time.

Where the solver has more workers than the event has days to deal out (a one-day plaza on two
cores), each part is also searched from other seeds at once, and the part keeps the search with the
fewest idle gaps: never worse than its first search alone, which runs as before. One search's
outcome depends on its seed far more than on anything tuned here, and two searches on two cores
run as fast as one, so the better of two is nearly free. Searches that start again from the
better day part-way through the cooling did no better, so each search runs through once; but once
one of them reaches the proven bound, the others stop (benchmarks/README.md, "How the solver
chooses": Kempe-chain search).
"""

from __future__ import annotations

import copy
import math
import random
from collections import Counter
from collections.abc import Collection, Mapping
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace

from scheduler.model.problem import Problem
from scheduler.solve.pipeline.budget import Deadline
from scheduler.solve.model.measure import idle_gaps
from scheduler.solve.model.meetings import ANY_FLOOR, any_floor, name_floors
from scheduler.solve.model.occupancy import Occupancy
from scheduler.solve.result import Placement
from scheduler.solve.searches import sharing
from scheduler.solve.searches.sharing import Settled

# The tuning below was measured on the brokerage days and the Daegu plaza of the benchmark; the
# seed moves the outcome more than any of these (benchmarks/README.md, "How the solver chooses":
# Kempe-chain search).
# Share of moves made on a meeting of someone with a gap: moves where the gaps are.
FOCUS = 0.8
# Energy of an idle slot, against 1 for an idle gap: a little pull towards short days.
IDLE_WEIGHT = 0.25
CHAIN_LIMIT = 16  # longer chains are skipped: they rarely help and cost the most to check
# Temperatures at the start and the end of the search (against 1 for an idle gap).
HOT, COLD = 0.6, 0.05
# Share of moves that change who interprets a meeting (more did no better).
REINTERPRET = 0.1
# Share of moves that trade a meeting for a request of the same priority (where allowed).
EXCHANGE = 0.2
# Share of those trades that put the request at the meeting's own slot (the others: at any of its starts).
SAME_SLOT = 0.5


def applies(problem: Problem) -> bool:
    """Whether the search is exact for this event (see the module's last paragraph)."""
    if problem.kind != "brokerage" or not problem.tasks:
        return False
    pool = problem.tasks[0].classes
    return len(pool) == 1 and all(t.length == 1 and t.options == ((),) and t.classes == pool
                                  and t.pinned_booth is None for t in problem.tasks)


def table_capacity(problem: Problem) -> list[int] | None:
    """A brokerage day's tables free in each slot. Its meetings share one pool of tables: every pool
    holding it bounds them (a floor around a class of tables). None where a buyer keeps its own
    table (a plaza): no bound."""
    tasks = problem.tasks
    if not tasks or not tasks[0].classes:
        return None
    pools = problem.booth_classes
    around = [pools[p] for p in problem.booth_pools_around[tasks[0].classes[0]]]
    return [min(p.capacity(t) for p in around) for t in range(len(problem.grid))]


class _Day:
    """Slots of the meetings, who is where, and each participant's idle gaps. Interpreters are
    parties of their meetings as participants are (after them in ``at``), with no gaps counted."""

    def __init__(self, problem: Problem, placements: list[Placement], tables: dict[int, str] | None = None,
                 caps: Mapping[int, int] | None = None, days: Collection[int] | None = None):
        self.problem = problem
        self.open_days = None if days is None else frozenset(days)  # the days meetings may go to (None: all)
        # The most meetings a person may have (its own cap, or what it may have in this part of the event).
        self.caps = {p.index: p.record.max_meetings for p in problem.people
                     if p.record.max_meetings is not None} if caps is None else caps
        tasks = problem.tasks
        self.people = len(problem.people)
        self.kept = {placement.task: placement for placement in placements}
        self.slot = [-1] * len(tasks)
        for placement in placements:
            self.slot[placement.task] = placement.start
        self.interpreters = [self.kept[x].interpreters if x in self.kept else () for x in range(len(tasks))]
        self.parties = [tasks[x].people + tuple(self.people + i for i in self.interpreters[x])
                        if x in self.kept else () for x in range(len(tasks))]
        self.fixed = [x in self.kept and (tasks[x].pinned_start is not None or tasks[x].length > 1)
                      for x in range(len(tasks))]
        slots = len(problem.grid)
        # The booth pools holding each meeting's booths (none at a plaza, where a buyer keeps its
        # table), and per pool and slot the meetings in its booths and the booths it has. A one-slot
        # meeting may take a booth on any floor: it counts against the room's booths alone, and its
        # floor is named once the day is final (:meth:`placements`). Every other meeting in a booth
        # counts against its own pools and the room's.
        around = problem.booth_pools_around
        self.floors = tuple(pool.index for pool in problem.floor_pools)
        on_any_floor = [x in self.kept and self.kept[x].booth_class is not None and any_floor(tasks[x])
                        for x in range(len(tasks))]
        self.floors_named = any(on_any_floor)  # floors are named again once the day is final
        room_wide = (ANY_FLOOR,) if self.floors_named else ()
        self.pools = [room_wide if on_any_floor[x] else
                      around[self.kept[x].booth_class] + room_wide
                      if x in self.kept and self.kept[x].booth_class is not None else () for x in range(len(tasks))]
        self.used = {pool: [0] * slots for pools in self.pools for pool in pools}
        self.room = {pool: [self._capacity(pool, t) for t in range(slots)] for pool in self.used}
        # A brokerage day's meetings all share the same pools: one count against the fewest booths
        # any of them has is then the whole check, and the search's moves are the faster for it.
        shared = {self.pools[x] for x in self.kept}
        self.shared = None
        if len(shared) == 1 and () not in shared:
            pools = shared.pop()
            self.shared = (self.used[pools[0]], [min(self.room[p][t] for p in pools) for t in range(slots)])
        self.at: list[dict[int, int]] = [{} for _ in range(self.people + len(problem.linguists))]  # party -> slot -> meeting
        for x, placement in self.kept.items():
            for t in problem.span(tasks[x], placement.start):
                for pool in self.pools[x]:
                    self.used[pool][t] += 1
                for party in self.parties[x]:
                    self.at[party][t] = x
        self.load: Counter[tuple[int, int]] = Counter()  # (interpreter, day) -> meetings
        for x, placement in self.kept.items():
            for i in placement.interpreters:
                self.load[(i, problem.slot_day(placement.start))] += 1
        self.occupancy = Occupancy(problem, tables) if problem.kind == "plaza" else None
        self.allowed_by: dict[tuple[int, tuple[int, ...], int], frozenset[int]] = {}
        self.open_starts: dict[int, frozenset[int]] = {}
        self.allowed = [self._allowed(x) if x in self.kept else frozenset() for x in range(len(tasks))]
        # A run starts at a busy slot whose previous slot is free or on another day.
        self.first_of_day = 0
        self.days: list[int] = []
        for day in sorted({problem.slot_day(t) for t in range(slots)}):
            mask = sum(1 << t for t in range(slots) if problem.slot_day(t) == day)
            self.days.append(mask)
            self.first_of_day |= mask & -mask
        self.meetings = Counter(p for x in self.kept for p in tasks[x].people)
        self.scores: dict[int, tuple[int, float]] = {}  # busy slots -> (idle gaps, energy)
        self.mask = [sum(1 << t for t in where) for where in self.at[:self.people]]
        self.gaps = [self._score(m)[0] for m in self.mask]
        self.energy = [self._score(m)[1] for m in self.mask]
        self.total = sum(self.gaps)

    def _capacity(self, pool: int, slot: int) -> int:
        pools = self.problem.booth_classes
        if pool == ANY_FLOOR:
            return sum(pools[floor].capacity(slot) for floor in self.floors)
        return pools[pool].capacity(slot)

    def _allowed(self, x: int) -> frozenset[int]:
        """The slots meeting ``x`` may take with its own interpreters and table (kept: tables and
        reservations do not change during the search, and a meeting's interpreters often come back)."""
        problem = self.problem
        interpreters = self.interpreters[x]
        day = problem.slot_day(self.slot[x])
        key = (x, interpreters, day)
        allowed = self.allowed_by.get(key)
        if allowed is None:
            allowed = self.allowed_by[key] = self._allowed_with(x, interpreters, day)
        return allowed

    def _allowed_with(self, x: int, interpreters: tuple[int, ...], day: int) -> frozenset[int]:
        task = self.problem.tasks[x]
        starts = self._open(x)
        if not interpreters:
            return starts
        option = task.options.index(interpreters) if interpreters in task.options else -1
        return frozenset(start for start in starts
                         if self.problem.slot_day(start) == day and option in task.options_at.get(start, ()))

    def _open(self, x: int) -> frozenset[int]:
        """The starts of request ``x`` on the search's days where its table is not reserved, whoever
        interprets (kept: tables stay put)."""
        found = self.open_starts.get(x)
        if found is None:
            problem, occupancy = self.problem, self.occupancy
            task = problem.tasks[x]
            found = self.open_starts[x] = frozenset(
                start for start in task.starts
                if (self.open_days is None or problem.slot_day(start) in self.open_days)
                and (occupancy is None or occupancy.reserved_table(task, problem.span(task, start)) is None))
        return found

    def _score(self, mask: int) -> tuple[int, float]:
        """A participant's idle gaps and energy (the gaps, and idle slots at IDLE_WEIGHT each: they
        tell a gap that is nearly closed from one that is not) when busy at the slots of ``mask``;
        kept, as the same few patterns come back all the time."""
        score = self.scores.get(mask)
        if score is None:
            gaps = idle = 0
            if mask:
                starts = (mask & ~((mask << 1) & ~self.first_of_day)).bit_count()
                gaps = starts - sum(1 for day in self.days if mask & day)
            for day in self.days:  # free slots between the first and the last meeting of each day
                busy = mask & day
                if busy:
                    idle += busy.bit_length() - (busy & -busy).bit_length() + 1 - busy.bit_count()
            score = self.scores[mask] = (gaps, gaps + IDLE_WEIGHT * idle)
        return score

    def chain(self, meeting: int, b: int) -> list[int] | None:
        """The Kempe chain of the meeting's slot and ``b`` through it, or None when it is longer
        than CHAIN_LIMIT, holds a pinned meeting or a meeting that may not take the other slot."""
        a = self.slot[meeting]
        found, frontier, seen = [], [meeting], {meeting}
        while frontier:
            x = frontier.pop()
            here = self.slot[x]
            there = b if here == a else a
            if there not in self.allowed[x] or self.fixed[x]:
                return None
            found.append(x)
            if len(found) > CHAIN_LIMIT:
                return None
            for party in self.parties[x]:
                y = self.at[party].get(there)
                if y is not None and y not in seen:
                    seen.add(y)
                    frontier.append(y)
        return found

    def change(self, chain: list[int], a: int, b: int) -> float | None:
        """The change in energy if the chain swapped slots a and b, or None if the tables do not
        allow it; nothing changes yet. A participant of one of the chain's meetings trades a busy
        slot for a free one; one of two (one at a, one at b) keeps both."""
        if self.shared is not None:
            used, room = self.shared
            net = 2 * sum(1 for x in chain if self.slot[x] == a) - len(chain)  # meetings gained at b
            if (net > 0 and used[b] + net > room[b]) or (net < 0 and used[a] - net > room[a]):
                return None
        elif self.used and not self._room_for(chain, a, b):
            return None
        flip = (1 << a) | (1 << b)
        once: dict[int, bool] = {}
        tasks = self.problem.tasks
        for x in chain:
            for person in tasks[x].people:
                once[person] = person not in once
        return sum(self._score(self.mask[p] ^ flip)[1] - self.energy[p] for p, alone in once.items() if alone)

    def _room_for(self, chain: list[int], a: int, b: int) -> bool:
        """Whether every booth pool has the booths for the chain swapped between slots a and b."""
        moved: dict[int, int] = {}  # pool -> meetings it gains at b (loses at a)
        for x in chain:
            step = 1 if self.slot[x] == a else -1
            for pool in self.pools[x]:
                moved[pool] = moved.get(pool, 0) + step
        for pool, net in moved.items():
            if (net > 0 and self.used[pool][b] + net > self.room[pool][b]) or (
                    net < 0 and self.used[pool][a] - net > self.room[pool][a]):
                return False
        return True

    def swap(self, chain: list[int], a: int, b: int) -> None:
        """Swap the chain between slots a and b (:meth:`change` says what it does to the energy)."""
        for x in chain:
            old = self.slot[x]
            new = b if old == a else a
            for pool in self.pools[x]:
                self.used[pool][old] -= 1
                self.used[pool][new] += 1
            for party in self.parties[x]:
                if self.at[party].get(old) == x:
                    del self.at[party][old]
        flip = (1 << a) | (1 << b)
        people = self.people
        for x in chain:
            new = b if self.slot[x] == a else a
            self.slot[x] = new
            for party in self.parties[x]:
                self.at[party][new] = x
                if party < people:
                    self.mask[party] ^= flip  # twice, and it is as it was, for one at a and at b
        for x in chain:
            for person in self.problem.tasks[x].people:
                gaps, energy = self._score(self.mask[person])
                self.total += gaps - self.gaps[person]
                self.gaps[person], self.energy[person] = gaps, energy

    def _rescored(self, people: set[int], before: int, energy: float) -> float:
        """The busy slots, gaps and energy of ``people`` read again after a change: the change in
        energy (``before`` and ``energy``: their gaps and energy before it)."""
        after = 0
        for person in people:
            self.mask[person] = sum(1 << t for t in self.at[person])
            self.gaps[person], self.energy[person] = self._score(self.mask[person])
            after += self.gaps[person]
            energy -= self.energy[person]
        self.total += after - before
        return -energy

    def reinterpret(self, x: int, rng: random.Random) -> tuple[int, ...]:
        """Give meeting ``x`` other interpreters of its options at its slot, free ones or one
        traded with the meeting that interpreter has then: the meetings changed (none if the
        pick does not fit). Idle gaps stay as they are."""
        problem = self.problem
        task = problem.tasks[x]
        start, current = self.slot[x], self.interpreters[x]
        options = [task.options[o] for o in task.options_at.get(start, ())]
        options = [o for o in options if o != current and len(o) == len(current)]  # a relay stays a relay
        if not current or self.fixed[x] or not options:
            return ()
        new = rng.choice(options)
        day = problem.slot_day(start)
        busy = [j for j in new if j not in current and start in self.at[self.people + j]]
        if not busy:
            if any(j not in current and _at_cap(problem, j, self.load[(j, day)]) for j in new):
                return ()
            for i in current:
                if i not in new:
                    self.load[(i, day)] -= 1
            for j in new:
                if j not in current:
                    self.load[(j, day)] += 1
            self._interpret(x, new)
            return (x,)
        # A trade: both meetings one slot long with one interpreter each, each allowed the other's.
        y = self.at[self.people + new[0]][start]
        other = problem.tasks[y]
        if (len(new) > 1 or self.fixed[y] or self.interpreters[y] != new
                or not any(other.options[o] == current for o in other.options_at.get(start, ()))):
            return ()
        self._interpret(x, ())
        self._interpret(y, current)
        self._interpret(x, new)
        return x, y

    def exchange(self, x: int, y: int, start: int, keep: Mapping[int, int]) -> int | None:
        """Put request ``y`` (not placed, of the same priority, sharing a person with meeting
        ``x``) at ``start`` in ``x``'s stead, with ``x``'s interpreters or others free then: the
        change in energy, or None when ``y`` does not fit there or a person would drop below
        the meetings ``keep`` says it must have."""
        problem = self.problem
        task = problem.tasks[y]
        if start not in self._open(y):
            return None
        day = problem.slot_day(start)
        current = self.interpreters[x]
        same_day = problem.slot_day(self.slot[x]) == day

        def free(interpreter: int) -> bool:
            return (self.at[self.people + interpreter].get(start, x) == x
                    and ((interpreter in current and same_day)
                         or not _at_cap(problem, interpreter, self.load[(interpreter, day)])))
        options = [task.options[o] for o in task.options_at.get(start, ())]
        interpreters = current if current in options and all(free(j) for j in current) else next(
            (o for o in options if all(free(j) for j in o)), None)
        if interpreters is None:
            return None
        for person in task.people:
            if self.at[person].get(start, x) != x:
                return None
            cap = self.caps.get(person)
            if person not in problem.tasks[x].people and cap is not None and self.meetings[person] >= cap:
                return None
        if any(self.meetings[p] - 1 < keep.get(p, 0) for p in problem.tasks[x].people if p not in task.people):
            return None
        booth_class = self.kept[x].booth_class
        if booth_class is not None and booth_class not in task.classes:
            return None  # it takes the meeting's booths
        if start != self.slot[x] and any(self.used[pool][start] >= self.room[pool][start] for pool in self.pools[x]):
            return None
        return self.trade(x, y, start, interpreters)

    def trade(self, x: int, y: int, start: int, interpreters: tuple[int, ...]) -> int:
        """Meeting ``x`` out, request ``y`` in at ``start`` with ``interpreters``: the change in
        energy (as :meth:`swap`). Undone by trading them back, ``x`` at its slot with its
        interpreters."""
        problem = self.problem
        people = set(problem.tasks[x].people) | set(problem.tasks[y].people)
        before = sum(self.gaps[p] for p in people)
        energy = sum(self.energy[p] for p in people)
        was = self.slot[x]
        for i in self.interpreters[x]:
            self.load[(i, problem.slot_day(was))] -= 1
        self._interpret(x, ())
        for person in problem.tasks[x].people:
            del self.at[person][was]
            self.meetings[person] -= 1
        self.slot[x], self.parties[x], self.allowed[x] = -1, (), frozenset()
        for pool in self.pools[x]:
            self.used[pool][was] -= 1
            self.used[pool][start] += 1
        self.pools[y], self.pools[x] = self.pools[x], ()
        # Booths (a plaza's tables) are assigned once the schedule is final.
        self.kept[y] = replace(self.kept.pop(x), task=y, start=start, interpreters=interpreters, booth=None)
        self.slot[y] = start
        for person in problem.tasks[y].people:
            self.at[person][start] = y
            self.meetings[person] += 1
        for j in interpreters:
            self.load[(j, problem.slot_day(start))] += 1
        self._interpret(y, interpreters)
        return self._rescored(people, before, energy)

    def _interpret(self, x: int, interpreters: tuple[int, ...]) -> None:
        """Make ``interpreters`` meeting ``x``'s, in the day's records (counts aside)."""
        start = self.slot[x]
        for i in self.interpreters[x]:
            if self.at[self.people + i].get(start) == x:
                del self.at[self.people + i][start]
        for j in interpreters:
            self.at[self.people + j][start] = x
        self.interpreters[x] = interpreters
        self.parties[x] = self.problem.tasks[x].people + tuple(self.people + j for j in interpreters)
        self.allowed[x] = self._allowed(x)

    def placements(self, slot: list[int] | None = None, interpreters: list[tuple[int, ...]] | None = None,
                   kept: dict[int, Placement] | None = None) -> list[Placement]:
        """The meetings at the day's starts with its interpreters, or at ``slot`` with
        ``interpreters`` (copies of them kept earlier)."""
        slot = self.slot if slot is None else slot
        interpreters = self.interpreters if interpreters is None else interpreters
        kept = self.kept if kept is None else kept
        found = [replace(kept[x], start=slot[x], interpreters=interpreters[x]) for x in sorted(kept)]
        if not self.floors_named:
            return found
        # Floors are named afresh: the room's count leaves enough, as every other meeting keeps its pools.
        tasks, pools = self.problem.tasks, self.problem.booth_classes
        return name_floors(self.problem, [replace(p, booth_class=ANY_FLOOR) if p.booth_class is not None
                                          and any_floor(tasks[p.task]) else p for p in found],
                           lambda floor, t: pools[floor].capacity(t))


def _at_cap(problem: Problem, linguist: int, meetings: int) -> bool:
    cap = problem.linguists[linguist].record.max_meetings
    return cap is not None and meetings >= cap


def compact(problem: Problem, placements: list[Placement], deadline: Deadline, seed: int = 0,
            floor: int = 0, tables: dict[int, str] | None = None, keep: Mapping[int, int] | None = None,
            caps: Mapping[int, int] | None = None, requests: Collection[int] | None = None,
            days: Collection[int] | None = None, settled: Settled | None = None) -> list[Placement]:
    """The meetings of ``placements`` with no more idle gaps, by annealed Kempe-chain moves until
    ``deadline`` or ``floor`` idle gaps (a proven bound). ``tables``: a plaza's buyers' tables.
    ``keep`` (person -> meetings), where given, lets a meeting give way to a request of the same
    priority that shares one of its people, as long as nobody drops below the meetings it says.
    A search of some days of the event (:func:`compact_in_parallel`) says the most meetings a person
    may have in them (``caps``), which requests not placed may come in (``requests``) and on which
    ``days``. ``settled``, shared by searches of the same days from other seeds: the first to reach
    ``floor`` sets it, and the others stop there."""
    day = _Day(problem, placements, tables, caps, days)
    rng = random.Random(seed)
    tasks = problem.tasks
    # The starts and interpreters; placements are built once, at the end.
    best, best_interpreters, best_kept, best_total = list(day.slot), list(day.interpreters), dict(day.kept), day.total
    # Requests that may take a meeting's place: by (person, priority).
    alike: dict[tuple[int, int], list[int]] = {}
    if keep is not None:
        eligible = None if requests is None else set(requests) | set(day.kept)
        for task in tasks:
            if eligible is not None and task.index not in eligible:
                continue
            if not task.required and task.pinned_start is None and task.length == 1 and task.starts:
                for person in task.people:
                    alike.setdefault((person, task.priority), []).append(task.index)
    # A meeting whose interpreters allow only its slot may move once they change.
    movable = [x for x in sorted(day.kept) if not day.fixed[x] and (
        len(day.allowed[x]) > 1 or (REINTERPRET and day.interpreters[x] and len(problem.tasks[x].starts) > 1)
        or (alike and not tasks[x].required))]
    if not movable:
        return day.placements()
    known = set(movable)
    starts = {x: sorted(day.allowed[x]) for x in movable}
    reinterpret = REINTERPRET if any(day.interpreters[x] for x in movable) else 0.0  # none at a brokerage day
    exchange = EXCHANGE if alike else 0.0
    temperature, steps = HOT, 0
    while best_total > floor and not deadline.expired():
        steps += 1
        if steps % 500 == 0:
            temperature = HOT * (COLD / HOT) ** deadline.progress()
            if settled is not None and settled.is_set():
                break
        meeting = rng.choice(movable)
        if FOCUS and rng.random() < FOCUS:
            # Mostly move the meetings of someone with a gap: elsewhere a move rarely helps.
            for _ in range(8):
                if meeting in day.kept and any(day.gaps[p] for p in tasks[meeting].people):
                    break
                meeting = rng.choice(movable)
        if meeting not in day.kept:
            continue  # it gave way to another request
        if reinterpret and rng.random() < reinterpret:
            for changed in day.reinterpret(meeting, rng):
                if changed in starts:
                    starts[changed] = sorted(day.allowed[changed])
            continue
        if exchange and rng.random() < exchange:
            if tasks[meeting].required:
                continue
            other = rng.choice(alike[(rng.choice(tasks[meeting].people), tasks[meeting].priority)])
            if other in day.kept:
                continue
            a, interpreters = day.slot[meeting], day.interpreters[meeting]
            # At the meeting's slot, or anywhere the other request may start.
            b = a if rng.random() < SAME_SLOT else rng.choice(tasks[other].starts)
            delta = day.exchange(meeting, other, b, keep)
            if delta is None:
                continue
            if delta > 0 and rng.random() >= math.exp(-delta / temperature):
                day.trade(other, meeting, a, interpreters)  # undo
                continue
            starts[other] = sorted(day.allowed[other])
            if other not in known:
                known.add(other)
                movable.append(other)
        else:
            a = day.slot[meeting]
            if not starts[meeting]:
                continue
            b = rng.choice(starts[meeting])
            if b == a:
                continue
            chain = day.chain(meeting, b)
            if chain is None:
                continue
            delta = day.change(chain, a, b)
            if delta is None or (delta > 0 and rng.random() >= math.exp(-delta / temperature)):
                continue
            day.swap(chain, a, b)
        if day.total < best_total:
            best, best_interpreters, best_kept, best_total = (list(day.slot), list(day.interpreters), dict(day.kept),
                                                              day.total)
    if settled is not None and best_total <= floor:
        settled.set()
    return day.placements(best, best_interpreters, best_kept)


def _compact_sharing(problem: bytes, placements: list[Placement], deadline: Deadline,
                     **job) -> tuple[list[Placement], int, bool]:
    """:func:`compact` in a process of its own: its schedule, and the steps it took and whether
    the clock stopped it (the caller's copy of ``deadline`` does not see them)."""
    found = compact(sharing.unpacked(problem), placements, deadline, settled=sharing.settled(), **job)
    return found, deadline.used(), deadline.clock_stopped


@dataclass
class Part:
    """Some days of an event, searched on their own: their meetings, the most meetings a person may
    have on them (``caps``), the least each must keep on them (``keep``, where trades are allowed)
    and the requests not placed that may come in on them."""

    days: frozenset[int]
    placements: list[Placement]
    caps: dict[int, int]
    keep: dict[int, int] | None
    requests: list[int]


def split_by_days(problem: Problem, placements: list[Placement], keep: Mapping[int, int] | None,
                  parts: int) -> list[Part]:
    """The event's days dealt into ``parts`` parts so that parts searched apart cannot overrun what
    is event-wide together: a person's spare meetings under its cap, and those it may lose above
    ``keep``, go to the part where it meets most (the others keep its count there); a request not
    placed may come in in one part only."""
    days = sorted({problem.slot_day(p.start) for p in placements})
    groups = [frozenset(days[i::parts]) for i in range(min(parts, len(days)))]
    chosen = [[p for p in placements if problem.slot_day(p.start) in group] for group in groups]
    counts = [Counter(person for p in part for person in problem.tasks[p.task].people) for part in chosen]
    total = sum(counts, Counter())
    home = {person: max(range(len(groups)), key=lambda g: (counts[g][person], -g)) for person in total}
    placed = {p.task for p in placements}
    requests: list[list[int]] = [[] for _ in groups]
    for task in problem.tasks:
        if task.index not in placed:
            where = [g for g, group in enumerate(groups) if any(problem.slot_day(t) in group for t in task.starts)]
            if where:
                requests[where[task.index % len(where)]].append(task.index)
    found = []
    for g, group in enumerate(groups):
        caps = {person.index: counts[g][person.index] + (max(0, cap - total[person.index])
                                                         if home.get(person.index, 0) == g else 0)
                for person in problem.people if (cap := person.record.max_meetings) is not None}
        kept = None if keep is None else {
            person: max(0, counts[g][person] - (max(0, total[person] - least) if home.get(person, 0) == g else 0))
            for person, least in keep.items()}
        found.append(Part(group, chosen[g], caps, kept, requests[g]))
    return found


def compact_in_parallel(problem: Problem, placements: list[Placement], deadline: Deadline, seed: int = 0,
                        floor: int = 0, tables: dict[int, str] | None = None,
                        keep: Mapping[int, int] | None = None, workers: int = 1) -> list[Placement]:
    """:func:`compact` on ``workers`` processes. The event's days are dealt between them as
    :func:`split_by_days` deals them, each part searched on its own days (its meetings stay on them;
    interpreters' caps are per day); workers left over search the same parts from other seeds, and
    each part keeps its search with the fewest idle gaps. One worker: :func:`compact` as it is."""
    if workers < 2 or not placements:
        return compact(problem, placements, deadline, seed=seed, floor=floor, tables=tables, keep=keep)
    days = {problem.slot_day(p.start) for p in placements}
    parts = split_by_days(problem, placements, keep, min(workers, len(days)))
    tries = workers // len(parts)  # searches of each part, from seeds a part apart
    floor = floor if len(parts) == 1 else 0  # the bound is the whole event's
    # Each search its own copy of the deadline: a count of steps is used up as the search runs.
    jobs = [(g, dict(deadline=copy.copy(deadline), seed=seed + g + len(parts) * r, floor=floor, tables=tables,
                     keep=part.keep, caps=part.caps, requests=part.requests, days=part.days))
            for r in range(tries) for g, part in enumerate(parts)]
    # The other searches in processes of their own (the deadline's clock is the system's monotonic
    # one, the same in every process); this one searches the first part meanwhile.
    # Searches of one part from several seeds stop once one of them reaches the floor, where it is
    # the event's proven bound. Not in a repeatable solve, where which search stopped first would
    # depend on the machine.
    settled = sharing.flag() if len(parts) == 1 and deadline.steps is None else None
    found: list[list[list[Placement]]] = [[] for _ in parts]
    pool = sharing.pool(len(jobs) - 1, settled)
    try:
        packed = sharing.packed(problem)  # once, and before this search below reads the problem
        futures = [(g, pool.submit(_compact_sharing, packed, parts[g].placements, **job)) for g, job in jobs[1:]]
        g, job = jobs[0]
        found[g].append(compact(problem, parts[g].placements, settled=settled, **job))
        used, stopped = job["deadline"].used(), job["deadline"].clock_stopped
        for g, future in futures:
            try:
                placed, steps, clock_stopped = future.result()
                found[g].append(placed)
                used, stopped = max(used, steps), stopped or clock_stopped
            except BrokenProcessPool:  # its process died (out of memory): its meetings stay as they were
                found[g].append(parts[g].placements)
        # The searches ran side by side: the caller is charged the longest one's steps (a part
        # with nothing left to better ends early while the others run on), and told where the
        # clock stopped any of them, so that a repeatable solve says it may not repeat.
        if deadline.steps is not None:
            deadline.steps_left = deadline.steps - used
        deadline.clock_stopped = deadline.clock_stopped or stopped
    finally:
        # Not waiting for the processes to wind down: their results are in, and the time limit
        # does not wait for an interpreter's exit.
        pool.shutdown(wait=False, cancel_futures=True)
    # The first of the fewest: the same seed picks the same search.
    return [p for searches in found for p in min(searches, key=lambda s: idle_gaps(problem, s))]
