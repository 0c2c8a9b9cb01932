"""The objective terms measured on a finished set of placements, in plain Python.

Reports and benchmarks use these figures for CP-SAT and greedy alike, so a
schedule that wins on priority but ruins the day shows it.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from scheduler.model.baseline import CHANGE_WEIGHTS
from scheduler.model.problem import Problem
from scheduler.solve.result import Placement


def priority(problem: Problem, placements) -> int:
    return sum(problem.tasks[p.task].priority for p in placements)


def meetings_per_served(problem: Problem, placements) -> dict[int, int]:
    """Meetings of each firm that can meet at all (brokerage: each participant)."""
    role = "participant" if problem.kind == "brokerage" else "firm"
    counts: Counter[int] = Counter()
    for placement in placements:
        for person in problem.tasks[placement.task].people:
            counts[person] += 1
    return {p.index: counts[p.index] for p in problem.people
            if p.role == role and p.index in problem.placeable_people}


def firms_met(problem: Problem, placements) -> int:
    return sum(1 for n in meetings_per_served(problem, placements).values() if n > 0)


def least_served_firm(problem: Problem, placements) -> int:
    served = meetings_per_served(problem, placements)
    return min(served.values()) if served else 0


def meetings_to_keep(problem: Problem, placements, terms) -> dict[int, int]:
    """The fewest meetings each firm (brokerage: participant) may have for ``terms`` ("firms met",
    "least-served firm") to be no worse than in ``placements``: every firm met stays met, and
    none falls below the least-served firm."""
    served = meetings_per_served(problem, placements)
    least = min(served.values(), default=0) if "least-served firm" in terms else 0
    met = 1 if "firms met" in terms else 0
    return {person: max(least, min(met, n)) for person, n in served.items() if max(least, min(met, n))}


def idle_gaps(problem: Problem, placements) -> int:
    """Per participant and venue day, consecutive meetings with at least one slot between."""
    runs: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for placement in placements:
        task = problem.tasks[placement.task]
        day = problem.slot_day(placement.start)
        for person in task.people:
            runs[(person, day)].append((placement.start, placement.start + task.length))
    gaps = 0
    for meetings in runs.values():
        meetings.sort()
        gaps += sum(1 for (_, end), (start, _) in zip(meetings, meetings[1:]) if start > end)
    return gaps


def interpreter_place(problem: Problem, placement: Placement) -> object:
    """Where an interpreter sits: the buyer's table on a plaza, else the booth's floor."""
    task = problem.tasks[placement.task]
    if problem.kind == "plaza":
        return task.people[1]
    if placement.booth_class is not None:
        return problem.booth_classes[placement.booth_class].floor
    return problem.booth_floor.get(task.pinned_booth)


def interpreter_changes(problem: Problem, placements) -> int:
    """Back-to-back meetings of one interpreter at different tables (plaza) or floors."""
    where: dict[tuple[int, int], object] = {}
    for placement in placements:
        task = problem.tasks[placement.task]
        for linguist in placement.interpreters:
            for t in range(placement.start, placement.start + task.length):
                where[(linguist, t)] = interpreter_place(problem, placement)
    return sum(
        1 for (linguist, t), place in where.items()
        if (linguist, t + 1) in where and problem.grid.span(t, 2) is not None
        and place is not None and where[(linguist, t + 1)] is not None and where[(linguist, t + 1)] != place
    )


def interpreter_seats(problem: Problem, placements) -> int:
    return sum(len(p.interpreters) for p in placements)


def busiest_interpreter(problem: Problem, placements) -> int:
    load: Counter[tuple[int, int]] = Counter()
    for placement in placements:
        for linguist in placement.interpreters:
            load[(linguist, problem.slot_day(placement.start))] += 1
    return max(load.values(), default=0)


def fate(problem: Problem, request: int, placement: Placement | None) -> str:
    """What became of a request's published meeting: cancelled, moved (another time), interpreter
    (the same time, another interpreter), booth (the same time and interpreters, another table or
    booth: once booths are named, or before, in a pool of booths without the published one, which
    no naming can give back; the model counts it so, objective.fewest_changes) or kept."""
    published = problem.published[request]
    if placement is None:
        return "cancelled"
    if placement.start != published.start:
        return "moved"
    if tuple(problem.linguists[i].id for i in placement.interpreters) != published.interpreters:
        return "interpreter"
    if placement.booth is not None and placement.booth != published.booth:
        return "booth"
    if (placement.booth is None and placement.booth_class is not None
            and published.booth not in problem.booth_classes[placement.booth_class].booths):
        return "booth"
    return "kept"


def fewest_changes(problem: Problem, placements) -> int:
    """The published meetings' changes, each weighted by its fate (CHANGE_WEIGHTS); those whose
    request or person left the event are cancelled whatever the schedule."""
    placed = {p.task: p for p in placements}
    return (CHANGE_WEIGHTS["cancelled"] * problem.withdrawn
            + sum(CHANGE_WEIGHTS[fate(problem, request, placed.get(request))] for request in problem.published))


MEASURES = {
    "priority": priority,
    "firms met": firms_met,
    "least-served firm": least_served_firm,
    "idle gaps": idle_gaps,
    "interpreter changes": interpreter_changes,
    "interpreter seats": interpreter_seats,
    "busiest interpreter": busiest_interpreter,
    "fewest changes": fewest_changes,
}


def measure(problem: Problem, placements, name: str) -> int:
    """One term by its level name (the plain model's idle gaps are the same count)."""
    return MEASURES["idle gaps" if name == "idle gaps (plain model)" else name](problem, placements)


def measure_all(problem: Problem, placements) -> dict[str, int]:
    measured = {name: function(problem, placements) for name, function in MEASURES.items()}
    measured["idle gaps (plain model)"] = measured["idle gaps"]
    return measured
