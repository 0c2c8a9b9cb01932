"""Required meetings greedy left out, placed by moving others out of their way.

Each step takes the waiting required meeting with the fewest starts, puts it at the start where it
displaces the fewest meetings (those of its people at that time, and one meeting of a full booth
pool), and sends the displaced required ones back to wait; a displaced meeting that is not
required is left out (the levels place it again if it fits). Meetings placed in the last few steps
cost more to displace, so the search does not swap two meetings back and forth, and so do meetings
with few starts, which are the harder to put back. A person at a cap, or
interpreters busy at every start, leave the meeting waiting: CP-SAT then looks for the schedule.

On a 150-participant brokerage day greedy left 4 of 600 meetings out, and CP-SAT with one worker
or in a repeatable solve found no schedule in the 0.24-0.84 work units a 10-s limit gave it; here
21 steps placed them all (benchmarks/README.md, "How the solver chooses": required meetings
placed by moving others).
"""

from __future__ import annotations

import random
import time
from collections import defaultdict

from scheduler.model.problem import Problem
from scheduler.solve.model.occupancy import Occupancy
from scheduler.solve.result import Placement

# Steps per required meeting left out, at most (the days above needed 21-50 for 4-7; one that
# needed more was not done in 50,000), and how recent a placement must be to cost more to move.
STEPS_PER_MISSING = 50
RECENT = 3
# What displacing a meeting adds to a start's cost, divided by its number of starts (same section).
FEW_STARTS = 4.0


def place_required(problem: Problem, placements, tables: dict[int, str], ends: float,
                   seed: int = 0) -> tuple[list[Placement], bool]:
    """``placements`` with every required meeting placed where the steps find a way: (the
    placements, whether every required meeting is placed). Repeatable: the steps are counted and
    drawn from ``seed``; ``ends`` (a ``time.perf_counter()`` reading) only stops a search that
    would overrun the limit."""
    draw = random.Random(seed)
    tasks = problem.tasks
    occupancy = Occupancy(problem, tables)
    at: dict[tuple[int, int], Placement] = {}  # (person, slot) -> the meeting there
    pool_at: dict[tuple[int, int], list[Placement]] = defaultdict(list)  # (booth class, slot)

    def put(placement: Placement) -> None:
        occupancy.place(placement)
        for t in range(placement.start, placement.start + tasks[placement.task].length):
            for person in tasks[placement.task].people:
                at[person, t] = placement
            if placement.booth_class is not None:
                pool_at[placement.booth_class, t].append(placement)

    def take(placement: Placement) -> None:
        occupancy.remove(placement)
        for t in range(placement.start, placement.start + tasks[placement.task].length):
            for person in tasks[placement.task].people:
                del at[person, t]
            if placement.booth_class is not None:
                pool_at[placement.booth_class, t].remove(placement)

    for placement in placements:
        put(placement)
    placed = {p.task for p in placements}
    waiting = [t.index for t in tasks if t.required and t.index not in placed]
    moved: dict[int, int] = {}  # request -> the step it was last placed at
    steps = STEPS_PER_MISSING * len(waiting)
    for step in range(steps):
        if not waiting or time.perf_counter() >= ends:
            break
        # The most constrained first (ties drawn): a meeting with many starts finds room later.
        pick = min(range(len(waiting)), key=lambda i: (len(tasks[waiting[i]].starts), draw.random()))
        task = tasks[waiting.pop(pick)]
        best = None
        for start in task.starts:
            span = range(start, start + task.length)
            # In a fixed order, not a set's: a Placement's hash (hash(None) in it) differs from
            # process to process, and the order decides the draws.
            displaced = list(dict.fromkeys(at[person, t] for person in task.people for t in span if (person, t) in at))
            for placement in displaced:
                take(placement)
            fit = None
            for booth_class in task.classes or (None,):
                # A full booth pool: one of the meetings in it then, drawn, makes room.
                users = ([p for t in span for p in pool_at[booth_class, t]]
                         if booth_class is not None and occupancy.booths_full(booth_class, span) else [])
                crowd = [draw.choice(users)] if users else []
                for placement in crowd:
                    take(placement)
                option = next((o for o in task.options_at.get(start, ())
                               if occupancy.fits(task, start, o, booth_class)), None)
                for placement in crowd:
                    put(placement)
                if option is not None:
                    fit = (Placement(task.index, start, task.options[option], booth_class), displaced + crowd)
                    break
            for placement in displaced:
                put(placement)
            if fit is None:
                continue
            cost = sum(1 + 5 * (step - moved.get(p.task, -RECENT) < RECENT) + FEW_STARTS / len(tasks[p.task].starts)
                       for p in fit[1]) + draw.random()
            if best is None or cost < best[0]:
                best = (cost, fit)
        if best is None:
            waiting.append(task.index)
            continue
        placement, displaced = best[1]
        for other in displaced:
            take(other)
            if tasks[other.task].required:
                waiting.append(other.task)
        put(placement)
        moved[task.index] = step
    return list(occupancy.placements), not waiting
