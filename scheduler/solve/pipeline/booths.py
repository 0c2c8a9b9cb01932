"""Naming the booth of each meeting once the solver has counted free booths per class."""

from __future__ import annotations

from dataclasses import replace

from scheduler.model.problem import Problem
from scheduler.solve.result import Placement


def assign_booths(problem: Problem, placements: list[Placement], tables: dict[int, str]) -> list[Placement]:
    """Plaza: the buyer's table. Elsewhere: pinned booths as pinned; then meetings longer than a
    slot, class by class, by earliest start into the booth free longest (interval colouring,
    which never fails while a class never holds more meetings than free booths); then one-slot
    meetings into any booth of their floor still free at their slot (the pool constraints leave
    enough)."""
    named: list[Placement] = []
    by_pool: dict[int, list[Placement]] = {}
    taken: dict[int, set[str]] = {}  # slot -> booths in use
    for placement in placements:
        task = problem.tasks[placement.task]
        if problem.kind == "plaza":
            table = next(tables[p] for p in task.people if p in tables)
            named.append(replace(placement, booth=table))
        elif task.pinned_booth is not None:
            named.append(replace(placement, booth=task.pinned_booth))
        else:
            assert placement.booth_class is not None
            by_pool.setdefault(placement.booth_class, []).append(placement)
    pools = problem.booth_classes
    for index in sorted(by_pool, key=lambda i: pools[i].kind != "class"):
        pool = pools[index]
        free_from = {booth: -1 for booth in pool.booths}
        for placement in sorted(by_pool[index], key=lambda p: (p.start, p.task)):
            span = range(placement.start, placement.start + problem.tasks[placement.task].length)
            ready = [b for b in pool.booths
                     if free_from[b] <= placement.start and not any(t in pool.blocked[b] for t in span)
                     and not any(b in taken.get(t, ()) for t in span)]
            booth = min(ready, key=lambda b: (free_from[b], b))
            published = problem.published.get(placement.task)
            if pool.kind == "floor" and published is not None and published.booth in ready:
                booth = published.booth  # a replan keeps a one-slot meeting's booth where it is free
            free_from[booth] = span.stop
            for t in span:
                taken.setdefault(t, set()).add(booth)
            named.append(replace(placement, booth=booth))
    return named
