"""Naming the members of an interpreter pool once the solver has counted seats per pool.

The model knows, per slot, which meetings draw a seat from each pool, never
more than the pool has members, and per day never more than members x cap.
Naming is then always possible: at every slot, give the seats to the members
with the fewest meetings so far that day. Loads then never differ by more
than one, so nobody exceeds ceil(seats / members) <= cap (the classic argument
for unit jobs on identical machines), and the busiest member has exactly
that many, as the "busiest interpreter" term counts. Among members equally
loaded, whoever was at the same table or floor in the slot before keeps it,
then someone who was idle: fewer interpreters walk.
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

            chosen = sorted(members, key=rank)[:len(seats)]
            free = list(chosen)
            now: dict[int, object] = {}
            for seat in sorted(seats, key=lambda s: (str(places[s]), s)):
                member = next((m for m in free if where.get(m) == places[seat]), None)
                if member is None:
                    member = next((m for m in free if m not in where), free[0])
                free.remove(member)
                named[seat[0]][seat[1]] = member
                now[member] = places[seat]
                load[member] += 1
            where = now
    return [replace(placement, interpreters=tuple(named[item])) for item, (placement, _) in enumerate(pooled)]
