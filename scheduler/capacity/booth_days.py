"""Which floor a meeting's booth is on, and the fewest booths per floor and day a schedule with its times fixed needs."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from scheduler.model.problem import Problem
from scheduler.solve.model.meetings import ANY_FLOOR, Choice
from scheduler.solve.result import Placement


def floors_of(problem: Problem) -> list[int | None]:
    """The floors in the order the event lists them by number (booths without a floor last): the
    floors first in this order get the booths a day needs when either floor would do."""
    return sorted({b.floor for b in problem.event.booths}, key=lambda f: (f is None, f or 0))


def booths_on(problem: Problem) -> dict[int | None, int]:
    return Counter(b.floor for b in problem.event.booths)


def floor_of_choice(problem: Problem, choice: Choice) -> object:
    """The floor a choice's meeting is on, or ANY_FLOOR for a one-slot meeting that may take a
    booth on any floor (counted interpreters, ``MeetingModel(seating=False)``)."""
    if choice.booth_class == ANY_FLOOR:
        return ANY_FLOOR
    if choice.booth_class is not None:
        return problem.booth_classes[choice.booth_class].floor
    return problem.booth_floor.get(problem.tasks[choice.task].pinned_booth)


def floor_of_placement(problem: Problem, placement: Placement) -> object:
    """As :func:`floor_of_choice`, for a finished schedule's meeting: a one-slot meeting with a
    choice of floors is any floor's, whatever booth it was given."""
    task = problem.tasks[placement.task]
    if task.length == 1 and len(task.classes) > 1:
        return ANY_FLOOR
    if task.pinned_booth is not None:
        return problem.booth_floor.get(task.pinned_booth)
    return problem.booth_floor.get(placement.booth) if placement.booth else problem.booth_classes[
        placement.booth_class].floor


def opened_for(problem: Problem, meetings: Iterable[tuple[int, int, object]]) -> dict[tuple[object, int], int]:
    """``meetings``: (task, start, floor or ANY_FLOOR). Per floor and day, the fewest booths that
    hold them as the booth model counts them: each floor's own meetings at every slot within its
    booths, and all the meetings of a slot within the booths of every floor. Each floor starts
    from its own busiest slot; what the busiest slot of the day needs beyond that goes to the
    floors listed first, so that a floor nobody needs on a day shows as none."""
    floors, on_floor = floors_of(problem), booths_on(problem)
    own: Counter = Counter()  # (floor, slot) -> meetings there
    every: Counter = Counter()  # slot -> meetings
    for task, start, floor in meetings:
        for slot in problem.span(problem.tasks[task], start):
            every[slot] += 1
            if floor != ANY_FLOOR:
                own[(floor, slot)] += 1
    opened = {}
    for day in range(len(problem.grid.days)):
        slots = [s for s in range(len(problem.grid.slots)) if problem.slot_day(s) == day]
        need = {floor: max((own[(floor, s)] for s in slots), default=0) for floor in floors}
        short = max((every[s] for s in slots), default=0) - sum(need.values())
        for floor in floors:
            more = max(0, min(on_floor[floor] - need[floor], short))
            need[floor] += more
            short -= more
        opened.update({(floor, day): n for floor, n in need.items()})
    return opened
