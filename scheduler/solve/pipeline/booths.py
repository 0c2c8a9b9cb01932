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
    return named + _pools_named(problem, by_pool, published=bool(problem.published))


def _pools_named(problem: Problem, by_pool: dict[int, list[Placement]], published: bool) -> list[Placement]:
    """Each pool's meetings with their booths, the classes first.

    ``published`` (a replan): every meeting at its published time takes its published booth back
    first, whatever its pool (a booth another pool's meeting took first would be a change for it).
    Such a claim can take a booth of a class inside the meeting's own pool, which the solver
    counted as the class's; when that leaves the class short even coloured afresh, those claims
    are let go, and the class is coloured as in a first solve."""
    pools = problem.booth_classes
    taken: dict[int, set[str]] = {}  # slot -> booths in use
    claimed = _published_booths(problem, by_pool, taken) if published else {}
    named: list[Placement] = []

    def hold(placements: list[Placement]) -> None:
        for placement in placements:
            for t in _span(problem, placement):
                taken.setdefault(t, set()).add(placement.booth)

    def release(placements: list[Placement]) -> None:
        for placement in placements:
            for t in _span(problem, placement):
                taken[t].discard(placement.booth)

    def attempt(index: int) -> tuple[list[Placement], list[Placement] | None]:
        kept = claimed.get(index, [])
        rest = [p for p in by_pool[index] if p.task not in {k.task for k in kept}]
        # Then the others, the moved ones in their old booths where free; should that leave a
        # meeting without a booth, the rest is coloured as usual, and should even that fail
        # (the claimed booths cut a long meeting's time short), the whole class afresh.
        found = ((_coloured(problem, pools[index], rest, taken, keep=True) if published else None)
                 or _coloured(problem, pools[index], rest, taken, keep=False))
        if found is None:
            release(kept)
            kept, found = [], _coloured(problem, pools[index], by_pool[index], taken, keep=False)
            if found is None:  # as they were, for another attempt
                hold(claimed.get(index, []))
        return kept, found

    for index in sorted(by_pool, key=lambda i: pools[i].kind != "class"):
        kept, found = attempt(index)
        if found is None and published:
            # Meetings of the pools around this class that took its booths back go to be
            # coloured with their own pools, later.
            booths = set(pools[index].booths)
            for other, held in claimed.items():
                if other != index:
                    release([p for p in held if p.booth in booths])
                    claimed[other] = [p for p in held if p.booth not in booths]
            kept, found = attempt(index)
        if found is None:  # the solver's counts guarantee a colouring when nothing else holds the booths
            raise AssertionError(f"no booth for a meeting of {pools[index].kind} {pools[index].booths}")
        hold(found)
        named.extend(kept + found)
    return named


def _span(problem: Problem, placement: Placement) -> range:
    return range(placement.start, placement.start + problem.tasks[placement.task].length)


def _published_booths(problem: Problem, by_pool: dict[int, list[Placement]],
                      taken: dict[int, set[str]]) -> dict[int, list[Placement]]:
    """Per pool, its meetings at their published time in their published booth, where it is in
    the pool and free (marked taken)."""
    pools = problem.booth_classes
    claimed: dict[int, list[Placement]] = {}
    for index, group in by_pool.items():
        for placement in group:
            meeting = problem.published.get(placement.task)
            span = _span(problem, placement)
            if (meeting is not None and meeting.start == placement.start and meeting.booth in pools[index].booths
                    and not any(t in pools[index].blocked[meeting.booth] or meeting.booth in taken.get(t, ())
                                for t in span)):
                for t in span:
                    taken.setdefault(t, set()).add(meeting.booth)
                claimed.setdefault(index, []).append(replace(placement, booth=meeting.booth))
    return claimed


def _coloured(problem: Problem, pool, placements: list[Placement], taken: dict[int, set[str]],
              keep: bool) -> list[Placement] | None:
    """The pool's booths named, or None when a meeting finds no booth free over its time.

    Meetings longer than a slot go first, by earliest start into the booth free longest (interval
    colouring); then each one-slot meeting takes any booth free at its slot, which the pool's
    count per slot guarantees. ``keep`` (a replan, whose meetings at their published time have
    their booths already, :func:`_published_booths`): before each of the two, the moved meetings
    take their old booth where it is still free."""
    free_from = {booth: -1 for booth in pool.booths}
    mine: dict[int, set[str]] = {}
    named: dict[int, Placement] = {}

    def free(booth: str, span: range) -> bool:
        return not any(t in pool.blocked[booth] or booth in taken.get(t, ()) or booth in mine.get(t, ())
                       for t in span)

    def take(index: int, placement: Placement, booth: str) -> None:
        span = _span(problem, placement)
        free_from[booth] = max(free_from[booth], span.stop)
        for t in span:
            mine.setdefault(t, set()).add(booth)
        named[index] = replace(placement, booth=booth)

    def moved_back(group) -> None:
        for index, placement in group:
            published = problem.published.get(placement.task)
            if (published is not None and published.booth in free_from
                    and free(published.booth, _span(problem, placement))):
                take(index, placement, published.booth)

    ordered = sorted(enumerate(placements), key=lambda item: (item[1].start, item[1].task))
    longer = [(i, p) for i, p in ordered if problem.tasks[p.task].length > 1]
    one_slot = [(i, p) for i, p in ordered if problem.tasks[p.task].length == 1]
    for group in (longer, one_slot):
        if keep:
            moved_back(group)
        for index, placement in group:
            if index in named:
                continue
            span = _span(problem, placement)
            # Interval colouring needs a booth free from the start on; a booth kept back for a
            # later meeting, or a one-slot meeting, needs it free over its own time only.
            ready = [b for b in pool.booths if free(b, span)
                     and (keep or group is one_slot or free_from[b] <= placement.start)]
            if not ready:
                return None
            take(index, placement, min(ready, key=lambda b: (free_from[b], b)))
    return [named[index] for index in range(len(placements))]
