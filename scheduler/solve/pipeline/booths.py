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
        # A replan keeps each meeting's published booth where it is free; should that leave a
        # meeting of the class without a booth, the class is coloured as usual instead.
        found = (_coloured(problem, pools[index], by_pool[index], taken, keep=True) if problem.published
                 else None) or _coloured(problem, pools[index], by_pool[index], taken, keep=False)
        for placement in found:
            for t in range(placement.start, placement.start + problem.tasks[placement.task].length):
                taken.setdefault(t, set()).add(placement.booth)
        named.extend(found)
    return named


def _coloured(problem: Problem, pool, placements: list[Placement], taken: dict[int, set[str]],
              keep: bool) -> list[Placement] | None:
    """The pool's meetings by earliest start into the booth free longest, or None when a meeting
    finds no booth. ``keep``: first every meeting whose published booth is free over its time
    gets it back (published meetings never overlap in a booth, so the kept ones rarely clash);
    then the rest go by earliest start into any booth free over their time."""
    free_from = {booth: -1 for booth in pool.booths}
    mine: dict[int, set[str]] = {}
    named: dict[int, Placement] = {}

    def span_of(placement: Placement) -> range:
        return range(placement.start, placement.start + problem.tasks[placement.task].length)

    def free(booth: str, span: range) -> bool:
        return not any(t in pool.blocked[booth] or booth in taken.get(t, ()) or booth in mine.get(t, ())
                       for t in span)

    def take(index: int, placement: Placement, booth: str) -> None:
        span = span_of(placement)
        free_from[booth] = max(free_from[booth], span.stop)
        for t in span:
            mine.setdefault(t, set()).add(booth)
        named[index] = replace(placement, booth=booth)

    ordered = sorted(enumerate(placements), key=lambda item: (item[1].start, item[1].task))
    if keep:
        for index, placement in ordered:
            published = problem.published.get(placement.task)
            if published is not None and published.booth in free_from and free(published.booth, span_of(placement)):
                take(index, placement, published.booth)
    for index, placement in ordered:
        if index in named:
            continue
        span = span_of(placement)
        # Without kept booths, free_from alone decides (interval colouring); with them, a booth
        # may be held later, so each booth is checked over the meeting's whole time.
        ready = [b for b in pool.booths if (keep or free_from[b] <= placement.start) and free(b, span)]
        if not ready:
            return None
        take(index, placement, min(ready, key=lambda b: (free_from[b], b)))
    return [named[index] for index in range(len(placements))]
