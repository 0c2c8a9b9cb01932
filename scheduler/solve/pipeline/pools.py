"""Naming the members of an interpreter pool once the solver has counted seats per pool.

The model knows, per slot, which meetings draw a seat from each pool, never
more than the pool has members, and per day never more than members x cap.
Naming is then always possible: at every slot, give the seats to the members
with the fewest meetings so far that day. Loads then never differ by more
than one, so nobody exceeds ceil(seats / members) <= cap (the classic argument
for unit jobs on identical machines), and the busiest member has exactly
that many, as the "busiest interpreter" term counts. Among members equally
loaded, whoever was at the same table or floor in the slot before keeps it,
then someone who was idle: fewer interpreters walk. In a replan, a meeting kept at its published
time keeps its published interpreter where the pool seats one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from scheduler.model.problem import Problem
from scheduler.solve.model.measure import interpreter_place
from scheduler.solve.result import Placement


def name_members(problem: Problem, pools: Sequence[tuple[int, ...]],
                 pooled: list[tuple[Placement, tuple[int, ...]]]) -> list[Placement]:
    """``pooled``: one-slot placements without interpreters, each with the pool of each seat
    (firm side first). Returns them with every seat's interpreter named."""
    named: dict[int, list[int | None]] = {i: [None] * len(seats) for i, (_, seats) in enumerate(pooled)}
    wants: dict[int, dict[int, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    for item, (placement, seats) in enumerate(pooled):
        for position, pool in enumerate(seats):
            wants[pool][placement.start].append((item, position))
    for pool, by_slot in wants.items():
        members = pools[pool]
        if len(members) == 1:
            for seats in by_slot.values():
                for item, position in seats:
                    named[item][position] = members[0]
            continue
        load: dict[int, int] = defaultdict(int)  # (member) meetings today
        where: dict[int, object] = {}  # member -> place in the slot before, if back to back
        day = None
        for slot in sorted(by_slot):
            if problem.slot_day(slot) != day:
                day, where = problem.slot_day(slot), {}
                load.clear()
            elif problem.grid.span(slot - 1, 2) is None:
                where = {}
            seats = by_slot[slot]
            places = {(item, position): interpreter_place(problem, pooled[item][0]) for item, position in seats}
            wanted_places = set(places.values())

            def rank(member: int) -> tuple:
                stays = where.get(member) in wanted_places
                idle = member not in where
                return (load[member], not stays, not idle, member)

            # A replan: whoever interprets a meeting kept at its published time stays on it.
            kept = _published_members(problem, pooled, seats, members)
            chosen = sorted((m for m in members if m not in kept.values()), key=rank)[:len(seats) - len(kept)]
            free = list(chosen)
            now: dict[int, object] = {}
            for seat, member in kept.items():
                named[seat[0]][seat[1]] = member
                now[member] = places[seat]
                load[member] += 1
            for seat in sorted((s for s in seats if s not in kept), key=lambda s: (str(places[s]), s)):
                member = next((m for m in free if where.get(m) == places[seat]), None)
                if member is None:
                    member = next((m for m in free if m not in where), free[0])
                free.remove(member)
                named[seat[0]][seat[1]] = member
                now[member] = places[seat]
                load[member] += 1
            where = now
    return [replace(placement, interpreters=tuple(named[item])) for item, (placement, _) in enumerate(pooled)]


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
