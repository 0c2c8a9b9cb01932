"""Why a request is not scheduled, in words a coordinator can act on.

Two kinds of reason: the request could never fit (nobody's windows meet, no
interpreter bridges the languages, ...), found from the compiled problem
alone; or it lost out to other meetings, found by asking the finished
schedule what blocks each of its possible placements.
"""

from __future__ import annotations

from collections import Counter

from scheduler.model.availability import contains, windows_in_zone
from scheduler.model.languages import language_name
from scheduler.model.problem import Problem, Published, Task
from scheduler.solve.model.occupancy import Occupancy


def _langs(codes) -> str:
    return "/".join(language_name(c) for c in codes)


def _name(problem: Problem, person: int) -> str:
    return problem.people[person].id


def never_fits(problem: Problem, task: Task, inside: dict | None = None) -> str | None:
    """The reason a request has no possible placement at all, or None if it has some. ``inside``:
    a cache shared by the calls for one schedule, (person, length) -> the runs of slots inside the
    person's windows, ("runs", length) -> the runs the programme has, and ("times", length) -> each
    run's first and last instant as timestamps (on a 20-day event, reading the windows again for
    each request took seconds)."""
    if task.placement_count:
        return None
    published = problem.published.get(task.index)
    if published is not None and published.cut:
        return _cut(problem, task, published)
    grid = problem.grid
    first, second = (problem.people[p] for p in task.people)
    a, b = first.id, second.id
    length = task.length
    inside = {} if inside is None else inside
    if ("runs", length) not in inside:
        inside["runs", length] = [s for s in range(len(grid.slots)) if grid.span(s, length) is not None]
    every_run = runs = inside["runs", length]
    if task.pinned_start is not None:
        runs = [task.pinned_start] if task.pinned_start in runs else []
    if not runs:
        return f"no run of {length} back-to-back slots fits the day's programme"

    def ok(windows, start):
        begin, end = grid.slots[start].start, grid.slots[start + length - 1].end
        return contains(windows, begin, end)

    def free_runs(person) -> frozenset[int]:
        key = (person.index, length)
        if key not in inside:
            if ("times", length) not in inside:  # compared as numbers: pendulum's comparisons are slow
                inside["times", length] = [(s, grid.slots[s].start.timestamp(),
                                            grid.slots[s + length - 1].end.timestamp()) for s in every_run]
            spans = None if person.windows is None else [(w[0].timestamp(), w[1].timestamp())
                                                          for w in person.windows]
            inside[key] = frozenset(s for s, begin, end in inside["times", length]
                                    if spans is None or any(a <= begin and end <= b for a, b in spans))
        return inside[key]

    free_a = [s for s in runs if s in free_runs(first)]
    free_b = [s for s in runs if s in free_runs(second)]
    when = " at its pinned time" if task.pinned_start is not None else ""
    for person, free in ((first, free_a), (second, free_b)):
        if free:
            continue
        if _misses_the_room(problem, person.windows):
            return f"{person.id}'s hours ({person.zone}) miss the room's hours on every day of the event"
        return (f"{person.id} is not available{when}" if when
                else f"{person.id} is not available for any {length}-slot meeting")
    both = [s for s in free_a if s in free_runs(second)]
    if not both:
        return f"{a} and {b} are never available at the same time"
    if task.request.available is not None:
        zone = problem.event.event.timezone
        windows = windows_in_zone(task.request.available, zone)
        both = [s for s in both if ok(windows, s)]
        if not both:
            return f"the request's own time window has no slot when both {a} and {b} are available"
    now = problem.opens_at
    if now is not None and not task.starts and all(grid.slots[s].start < now for s in both):
        return f"{a} and {b} are only available together before {now:%Y-%m-%d %H:%M}, the replan's --now"
    if not task.starts:
        table = next((problem.fixed_tables[p] for p in task.people if p in problem.fixed_tables), None)
        return f"table {table} is reserved whenever both {a} and {b} are available"
    if not task.options:
        return (f"no interpreter bridges {a} ({_langs(first.record.languages)}) and {b} "
                f"({_langs(second.record.languages)}), alone or in relay")
    names = sorted({problem.linguists[i].id for option in task.options for i in option})
    return f"the interpreters who could bridge the languages ({', '.join(names)}) are not available while both {a} and {b} are"


def _cut(problem: Problem, task: Task, published: Published) -> str:
    """Why a meeting that had started before a replan's --now is not kept: who the edited event
    no longer has there for the whole of it."""
    if published.start is None or published.start + task.length > len(problem.grid.slots):
        return "it had started before the replan's --now, at a time no longer on the event's programme"
    begin, end = problem.interval(task, published.start)
    linguists = problem.linguist_by_id
    missing = [person.id for person in (problem.people[p] for p in task.people)
               if not contains(person.windows, begin, end)]
    missing += [f"interpreter {i}" for i in published.interpreters
                if i not in linguists or not contains(linguists[i].windows, begin, end)]
    why = (f"{' and '.join(missing)} no longer available for all of it" if missing
           else "the edited event no longer allowing it there")
    return f"it had started at {begin:%Y-%m-%d %H:%M}, before the replan's --now, with {why}"


def _misses_the_room(problem: Problem, windows) -> bool:
    """True when a person's windows overlap no slot at all (e.g. a remote buyer's office hours
    falling in the venue's night)."""
    slots = problem.grid.slots
    return windows is not None and not any(start < slot.end and slot.start < end
                                           for start, end in windows for slot in slots)


def lost_out(problem: Problem, task: Task, occupancy: Occupancy) -> str:
    """The reason a possible request did not make it into the finished schedule."""
    a, b = (_name(problem, p) for p in task.people)
    people_caps = [p for p in task.people if _at_cap(problem, occupancy, p)]
    if people_caps:
        person = problem.people[people_caps[0]]
        return f"{person.id} already has its maximum of {person.record.max_meetings} meetings"
    starts = [s for s in task.starts if task.options_at.get(s)]
    counts: Counter[str] = Counter()
    busy_in: Counter[int] = Counter()
    for start in starts:
        span = range(start, start + task.length)
        person_busy = [p for p in task.people if occupancy.person_busy[p].intersection(span)]
        for p in person_busy:
            busy_in[p] += 1
        if person_busy:
            counts["person"] += 1  # says it all for this start: its other blockers are not asked
            continue
        # No person is busy: what blocks an interpreter option, a booth class and the table are
        # apart, so each is asked once rather than for every option and class together.
        if all(occupancy.interpreters_taken(task.options[o], span) for o in task.options_at[start]):
            counts["interpreter"] += 1
        elif task.classes and all(occupancy.booths_full(c, span) for c in task.classes):
            counts["booths"] += 1
        elif occupancy.reserved_table(task, span) is not None:
            counts["table"] += 1
        else:
            counts["mixed"] += 1
    total = len(starts)
    first, second = task.people
    if busy_in[first] == total and total:
        return f"{a} is fully booked in every slot {b} is available"
    if busy_in[second] == total and total:
        return f"{b} is fully booked in every slot {a} is available"
    if counts["person"] == total and total:
        return (f"in every slot both are available, {a} or {b} already has another meeting "
                f"({a} in {busy_in[first]}, {b} in {busy_in[second]} of {total} slots)")
    parts = []
    if counts["person"]:
        parts.append(f"{a} or {b} already has a meeting in {counts['person']} of the {total} possible slots")
    if counts["interpreter"]:
        names = sorted({problem.linguists[i].id for o in task.options for i in o})
        parts.append(f"in {counts['interpreter']}, every interpreter who could bridge the languages "
                     f"({', '.join(names)}) is busy or at its daily maximum")
    if counts["booths"]:
        parts.append(f"in {counts['booths']}, every booth is taken")
    if counts["table"]:
        parts.append(f"in {counts['table']}, the table is reserved")
    if counts["mixed"]:
        parts.append(f"in {counts['mixed']}, a mix of the above")
    if not parts:
        return "it fits nowhere in the finished schedule"
    return "; ".join(parts)


def _at_cap(problem: Problem, occupancy: Occupancy, person: int) -> bool:
    cap = problem.people[person].record.max_meetings
    return cap is not None and occupancy.person_count[person] >= cap


def explain(problem: Problem, occupancy: Occupancy, unscheduled: list[Task]) -> dict[int, str]:
    reasons, inside = {}, {}
    for task in unscheduled:
        reasons[task.index] = never_fits(problem, task, inside) or lost_out(problem, task, occupancy)
    return reasons
