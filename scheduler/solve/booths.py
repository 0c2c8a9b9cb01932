"""Naming the booth of each meeting once the solver has counted free booths per class."""

from __future__ import annotations

from dataclasses import replace

from scheduler.model.problem import Problem
from scheduler.solve.result import Placement


def assign_booths(problem: Problem, placements: list[Placement], tables: dict[int, str]) -> list[Placement]:
    """Plaza: the buyer's table. Elsewhere: pinned booths as pinned; the rest of a class by
    earliest start into the booth that has been free longest (interval colouring, which never
    fails while a class never holds more meetings than free booths)."""
    named: list[Placement] = []
    by_class: dict[int, list[Placement]] = {}
    for placement in placements:
        task = problem.tasks[placement.task]
        if problem.kind == "plaza":
            table = next(tables[p] for p in task.people if p in tables)
            named.append(replace(placement, booth=table))
        elif task.pinned_booth is not None:
            named.append(replace(placement, booth=task.pinned_booth))
        else:
            assert placement.booth_class is not None
            by_class.setdefault(placement.booth_class, []).append(placement)
    for booth_class, members in by_class.items():
        free_from = {booth: -1 for booth in problem.booth_classes[booth_class].booths}
        for placement in sorted(members, key=lambda p: (p.start, p.task)):
            booth = min((b for b, t in free_from.items() if t <= placement.start), key=lambda b: (free_from[b], b))
            free_from[booth] = placement.start + problem.tasks[placement.task].length
            named.append(replace(placement, booth=booth))
    return named
