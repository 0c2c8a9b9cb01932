"""Naming the members of an interpreter pool once the solver has counted seats per pool.

The model knows, per slot, which meetings draw a seat from each pool, never
more than the pool has members, and per day never more than members x cap.
It counts a pool's interpreter changes between two back-to-back slots as the
fewest any naming allows: members busy at both, less those who can stay at
their place. Naming goes slot by slot, so that every pair gets that fewest:
whoever can stay at their table or floor stays, the seats left go to members
who were idle, and only then to members who must walk.

Loads bound that choice. Nobody may exceed the day's limit: the pool's cap,
and no more than the busiest interpreter already has (at least
ceil(seats / members), which naming the least loaded at every slot always
keeps, the classic argument for unit jobs on identical machines). Before a
slot's members are taken, the seats left in the day must still fit the
members' remaining room (a bipartite degree test, below); where staying
would break that, the most loaded chosen member gives way to the least
loaded one, down to the least-loaded choice, which always fits. After a
break, members return to the place they had before it where they can: no
change is counted across a break, but the afternoon's stays depend on it.
In a replan, a meeting kept at its published time keeps its published
interpreter where the pool seats one.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace

from scheduler.model.problem import Problem
from scheduler.solve.model.measure import interpreter_place
from scheduler.solve.result import Placement


def name_members(problem: Problem, pools: Sequence[tuple[int, ...]],
                 pooled: list[tuple[Placement, tuple[int, ...]]], named: Sequence[Placement] = ()) -> list[Placement]:
    """``pooled``: one-slot placements without interpreters, each with the pool of each seat
    (firm side first). Returns them with every seat's interpreter named. ``named``: the rest of
    the schedule, whose interpreters are already named (their busiest day is a load members may
    reach)."""
    seated: dict[int, list[int | None]] = {i: [None] * len(seats) for i, (_, seats) in enumerate(pooled)}
    wants: dict[int, dict[int, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    for item, (placement, seats) in enumerate(pooled):
        for position, pool in enumerate(seats):
            wants[pool][placement.start].append((item, position))
    daily: Counter[tuple[int, int]] = Counter()
    for pool, by_slot in wants.items():
        for slot, seats in by_slot.items():
            daily[(pool, problem.slot_day(slot))] += len(seats)
    busiest = max((math.ceil(n / len(pools[pool])) for (pool, _), n in daily.items()), default=0)
    loads = Counter((linguist, problem.slot_day(p.start)) for p in named for linguist in p.interpreters)
    busiest = max(busiest, max(loads.values(), default=0))
    for pool, by_slot in wants.items():
        members = pools[pool]
        if len(members) == 1:
            for seats in by_slot.values():
                for item, position in seats:
                    seated[item][position] = members[0]
            continue
        cap = problem.linguists[members[0]].record.max_meetings
        days: dict[int, list[int]] = defaultdict(list)
        for slot in sorted(by_slot):
            days[problem.slot_day(slot)].append(slot)
        for day, slots in days.items():
            limit = max(busiest, math.ceil(daily[(pool, day)] / len(members)))
            _name_day(problem, members, limit if cap is None else min(cap, limit), slots, by_slot, pooled, seated)
    return [replace(placement, interpreters=tuple(seated[item])) for item, (placement, _) in enumerate(pooled)]


def renamed(problem: Problem, placements: Sequence[Placement]) -> list[Placement] | None:
    """``placements`` with every pool's members named again over the whole schedule, or None
    where no pool has two members. The searches that name interpreters one by one (greedy, the
    parts, the polish) leave a pool's members walking where this naming keeps them seated."""
    pools = problem.interpreter_pools
    if all(len(members) == 1 for members in pools):
        return None
    pool_of = {linguist: pool for pool, members in enumerate(pools) for linguist in members}
    pooled, named = [], []
    for placement in placements:
        if problem.tasks[placement.task].length == 1 and any(len(pools[pool_of[i]]) > 1 for i in placement.interpreters):
            pooled.append((replace(placement, interpreters=()), tuple(pool_of[i] for i in placement.interpreters)))
        else:
            named.append(placement)
    return named + name_members(problem, pools, pooled, named)


def _name_day(problem: Problem, members: tuple[int, ...], limit: int, slots: list[int],
              by_slot: dict[int, list[tuple[int, int]]], pooled, seated: dict[int, list[int | None]]) -> None:
    """Name one pool's members for one day's ``slots``, nobody above ``limit`` meetings where the
    seats allow."""
    load: Counter[int] = Counter()
    where: dict[int, object] = {}  # member -> place in the slot before, if back to back
    last: dict[int, object] = {}  # member -> place in their latest meeting today
    for index, slot in enumerate(slots):
        if index and (slots[index - 1] != slot - 1 or problem.grid.span(slot - 1, 2) is None):
            where = {}  # not back to back: nobody walks between the two
        seats = by_slot[slot]
        places = {(item, position): interpreter_place(problem, pooled[item][0]) for item, position in seats}
        # A replan: whoever interprets a meeting kept at its published time stays on it.
        kept = _published_members(problem, pooled, seats, members)
        free_members = [m for m in members if m not in kept.values()]
        wanted = Counter(places[s] for s in seats if s not in kept)
        # Where each member was last today: a member idle just before (or after a break) who
        # returns there walks no more than anyone, and keeps the place for the slots after.
        near = {**last, **where}
        staying: set[int] = set()
        for member in sorted(free_members, key=lambda m: (m not in where, load[m], m)):
            place = near.get(member)
            if place is not None and wanted[place] > sum(1 for m in staying if near[m] == place):
                staying.add(member)

        def preference(member: int) -> tuple:
            return (member not in staying, member in where, load[member], member)

        need = len(seats) - len(kept)
        ranked = sorted(free_members, key=preference)
        chosen, rest = ranked[:need], ranked[need:]
        later = [len(by_slot[s]) for s in slots[index + 1:]]
        while rest and not _fits(later, members, load, limit, chosen + list(kept.values())):
            out = max(chosen, key=lambda m: (load[m], preference(m)))
            into = min(rest, key=lambda m: (load[m], preference(m)))
            if load[into] >= load[out]:
                break  # the least-loaded choice: it fits whenever anything does
            chosen[chosen.index(out)] = into
            rest[rest.index(into)] = out
        now: dict[int, object] = {}
        for seat, member in kept.items():
            seated[seat[0]][seat[1]] = member
            now[member] = places[seat]
        free = sorted(chosen, key=preference)
        for seat in sorted((s for s in seats if s not in kept), key=lambda s: (str(places[s]), s)):
            member = next((m for m in free if near.get(m) == places[seat]), None)
            if member is None:
                member = next((m for m in free if m not in where), free[0])
            free.remove(member)
            seated[seat[0]][seat[1]] = member
            now[member] = places[seat]
        for member, place in now.items():
            load[member] += 1
            last[member] = place
        where = now


def _fits(later: list[int], members: tuple[int, ...], load: Counter[int], limit: int, chosen: list[int]) -> bool:
    """Whether the day's later slots, each wanting ``later[i]`` different members, can be named
    with nobody above ``limit`` once ``chosen`` take this slot. Gale and Ryser's test for a 0-1
    matrix with given row sums and bounded column sums: the k busiest slots want at most
    sum over members of min(room, k), for every k."""
    taken = set(chosen)
    room = [limit - load[m] - (m in taken) for m in members]
    if min(room) < 0:
        return False
    wanted = 0
    for k, seats in enumerate(sorted(later, reverse=True), start=1):
        wanted += seats
        if wanted > sum(min(r, k) for r in room):
            return False
    return True


def _published_members(problem: Problem, pooled, seats, members) -> dict[tuple[int, int], int]:
    """Seats of meetings at their published time whose published interpreter is a member: that
    member, each at most once."""
    kept: dict[tuple[int, int], int] = {}
    for item, position in seats:
        placement = pooled[item][0]
        meeting = problem.published.get(placement.task)
        if meeting is None or meeting.start != placement.start or position >= len(meeting.interpreters):
            continue
        linguist = problem.linguist_by_id.get(meeting.interpreters[position])
        if linguist is not None and linguist.index in members and linguist.index not in kept.values():
            kept[(item, position)] = linguist.index
    return kept
