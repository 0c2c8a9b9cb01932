"""More priority, and a better-served least-served firm, on events too large for one model:
re-solve small parts exactly (LNS).

On a 500-buyer expo, CP-SAT with two workers is still presolving the whole
model when a level's share is spent, and its own neighbourhood search never
completes a move.
Here a part is a handful of buyers (the tables of a plaza, the remote side of
a teleconference) freed together with the buyers who wished to meet the same
firms; every other meeting stays where it is. HiGHS (CP-SAT, with smaller
parts, when the run must repeat exactly) places the freed requests around what
the rest takes, proving the part's best quickly, and the schedule keeps the
result when it places more priority. Parts grow while they are
solved to proof and shrink when they are not, and the search stops at the
proven bound, the deadline, or after STALL_SECONDS and STALL_PARTS parts
without a gain (seconds, or work units when the budget is deterministic).
HiGHS runs in a process the search kills when a part overruns its seconds.

The least-served firm is raised the same way where HiGHS cannot take the whole event (the
expo): a part is grown from the buyers a firm at the fewest meetings wished to meet, and
re-solved for as many of its firms at the fewest as can have one meeting more, with the part's
priority kept and no firm falling to the fewest. When none is left there, the fewest is one
more. It gives up on the next step when the firms left at the fewest could not all be raised in
the time left at the pace so far, and the later levels get that time: the next step may have
far more firms to raise than the last (benchmarks/README.md, "How the solver chooses":
least-served firm).
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Callable

from ortools.sat.python import cp_model

from scheduler.model.problem import Problem
from scheduler.solve.pipeline.budget import Budget
from scheduler.solve.model.meetings import MeetingModel
from scheduler.solve.model.measure import meetings_per_served
from scheduler.solve.model.objective import total_priority
from scheduler.solve.bounds.mip import solve_mip
from scheduler.solve.model.occupancy import Occupancy
from scheduler.solve.result import Placement

PART_SECONDS = 2.0  # at most per part
# Stop when no part has gained anything for this long and in this many parts in a row: on the
# expo, the first few parts may all gain nothing and the next ones gain, so time alone stopped
# too early (benchmarks/README.md, "How the solver chooses": priority by parts).
STALL_SECONDS = 15.0
STALL_PARTS = 8
# Parts for HiGHS (mip.py) on a plaza, when the run need not repeat exactly: far larger ones, as a
# MIP proves them where CP-SAT does not. Smaller and larger parts gained less on the expo, and
# CP-SAT's parts least (benchmarks/README.md, "How the solver chooses": priority by parts).
MIP_PART_ANCHORS = 60
CP_PART_ANCHORS = 16  # buyers in a part for CP-SAT
# Without HiGHS's presolve, a part that it proves is proven sooner, one that stayed at its root
# with presolve is proven at once, and the parts reach more priority in the same time. A part it
# cannot prove in MIP_PART_SECONDS it seldom proves in twice that (benchmarks/README.md, "How the solver chooses":
# priority by parts).
MIP_PART_SECONDS = 5.0
MIP_PART_OPTIONS = {"presolve": "off"}
# Buyers in a part that raises the least-served firm, for HiGHS: parts this size are each proven
# in a few seconds, the model's building included (benchmarks/README.md, "How the solver chooses": least-served firm).
LEAST_PART_ANCHORS = 30
# Those parts stay with HiGHS when the run must repeat exactly (CP-SAT's did not even find the
# hinted schedule in a part's time on the expo), stopped by its nodes (they are proven at the
# root); a part still running at MIP_PART_SAFETY times its seconds is stopped by the clock.
MIP_PART_NODES = 100
MIP_PART_SAFETY = 4


def improve_priority(problem: Problem, placements: list[Placement], tables: dict[int, str], budget: Budget,
                     until: float, seed: int = 0, workers: int = 2,
                     bound: int | Callable[[], int | None] | None = None,
                     report: Callable[[int], None] | None = None) -> list[Placement]:
    """A schedule with every meeting of ``placements`` kept or bettered in total priority, by
    re-solving parts until ``budget.spent()`` reaches ``until`` or the schedule ``bound`` (or
    the bound ``bound()`` says when asked, which may come later): by
    HiGHS on a plaza, or by CP-SAT (in a teleconference room, where a buyer's two or three wishes
    spread over many days, CP-SAT's smaller parts gain more than HiGHS's on a month:
    benchmarks/README.md, "How the solver chooses": priority by parts; and when the budget is
    deterministic: HiGHS stops on the clock)."""
    by_mip = problem.kind == "plaza" and not budget.deterministic
    rng = random.Random(seed)
    anchors, tasks_of, wished_by = _anchors(problem)
    occupancy, current = _placed(problem, placements, tables)
    value = sum(problem.tasks[t].priority for t in current)
    size = min(len(anchors), MIP_PART_ANCHORS if by_mip else CP_PART_ANCHORS)
    gained, idle = budget.spent(), 0

    def below_bound() -> bool:
        known = bound() if callable(bound) else bound
        return known is None or value < known
    while (budget.spent() < until - budget.units(0.2) and not budget.clock_ran_out()
           and not _stalled(budget, gained, idle) and below_bound()):
        part = _part(problem, rng, anchors, tasks_of, wished_by, size)
        freed = [current[t] for t in part if t in current]
        for placement in freed:
            occupancy.remove(placement)
        sub = MeetingModel(problem, tasks=tuple(problem.tasks[t] for t in part), taken=occupancy, seating=False)
        sub.hint(freed, tables)
        expression = total_priority(sub)[0]
        before = sum(problem.tasks[p.task].priority for p in freed)
        sub.model.add(expression >= before)
        sub.optimise(expression, "max")
        chosen = freed
        found, proven = _solve_part(sub, budget, until, by_mip, workers, rng)
        if found is not None and found[0] > before:
            chosen = sub.placements(found[1])
            value += found[0] - before
            gained, idle = budget.spent(), 0
        else:
            idle += 1
        put_back(occupancy, current, freed, chosen)
        if chosen is not freed and report is not None:
            report(value)
        size = min(len(anchors), size + 2) if proven else max(2, size * 3 // 4)
    return list(current.values())


def raise_least_served(problem: Problem, placements: list[Placement], tables: dict[int, str], budget: Budget,
                       until: float, most: int | None = None, seed: int = 0, workers: int = 2,
                       report: Callable[[int], None] | None = None) -> list[Placement]:
    """A schedule whose least-served firm (brokerage: participant) has as many meetings as parts
    re-solved around the firms at the fewest can give it, every firm met kept met and the total
    priority kept: until ``budget.spent()`` reaches ``until``, the fewest reaches ``most``, the
    firms left at the fewest could not all be raised in the time left at the pace so far, or the
    parts stall. HiGHS solves the parts on a plaza (CP-SAT, with smaller parts, elsewhere)."""
    by_mip = problem.kind == "plaza"
    rng = random.Random(seed)
    anchors, tasks_of, wished_by = _anchors(problem)
    occupancy, current = _placed(problem, placements, tables)
    count = meetings_per_served(problem, placements)
    if not count:
        return placements
    value = min(count.values())
    size = min(len(anchors), LEAST_PART_ANCHORS if by_mip else CP_PART_ANCHORS)
    began, raised = budget.spent(), 0  # of the current fewest
    gained, idle = budget.spent(), 0
    while (budget.spent() < until - budget.units(0.2) and not budget.clock_ran_out()
           and (most is None or value < most)):
        low = [person for person, n in count.items() if n == value]
        if not low:
            value += 1
            began, raised = budget.spent(), 0
            if report is not None:
                report(value)
            continue
        spent = budget.spent() - began
        if (raised and spent * len(low) / raised > until - budget.spent()) or _stalled(budget, gained, idle):
            break  # the rest of this fewest is out of reach: the later levels get the time
        person = rng.choice(low)
        part = _part(problem, rng, anchors, tasks_of, wished_by, size,
                     first=sorted(set(wished_by[person]) | ({person} & tasks_of.keys())))
        freed = [current[t] for t in part if t in current]
        for placement in freed:
            occupancy.remove(placement)
        sub = MeetingModel(problem, tasks=tuple(problem.tasks[t] for t in part), taken=occupancy, seating=False)
        sub.hint(freed, tables)
        inside: dict[int, list] = defaultdict(list)  # a firm -> its choices in the part
        for choice in sub.choices:
            for firm in problem.tasks[choice.task].people:
                if firm in count:
                    inside[firm].append(choice.var)
        outside = Counter(count)
        for placement in freed:
            outside.subtract(p for p in problem.tasks[placement.task].people if p in count)
        sub.model.add(sum(problem.tasks[c.task].priority * c.var for c in sub.choices)
                      >= sum(problem.tasks[p.task].priority for p in freed))
        more = []  # firms at the fewest with one meeting more
        for firm, chosen in inside.items():
            sub.model.add(sum(chosen) >= (value if count[firm] == value else value + 1) - outside[firm])
            if count[firm] == value:
                up = sub.model.new_bool_var(f"more {firm}")
                sub.model.add(sum(chosen) >= (value + 1 - outside[firm]) * up)
                sub.model.add_hint(up, False)
                more.append(up)
        sub.model.maximize(sum(more))
        kept = freed
        found, _ = _solve_part(sub, budget, until, by_mip, workers, rng) if more else (None, False)
        if found is not None and found[0] > 0:
            kept = sub.placements(found[1])
            raised += found[0]
            gained, idle = budget.spent(), 0
        else:
            idle += 1
        put_back(occupancy, current, freed, kept)
        if kept is not freed:
            count = meetings_per_served(problem, current.values())
    return list(current.values())


def _stalled(budget: Budget, gained: float, idle: int) -> bool:
    """No part has gained anything for STALL_SECONDS (since ``gained``) and STALL_PARTS parts."""
    return budget.spent() >= gained + budget.units(STALL_SECONDS) and idle >= STALL_PARTS


def _anchors(problem: Problem) -> tuple[list[int], dict[int, list[int]], dict[int, list[int]]]:
    """The buyers (the second side), each buyer's requests, and the buyers each firm wished to meet."""
    anchors = sorted({t.people[1] for t in problem.tasks})
    tasks_of: dict[int, list[int]] = defaultdict(list)
    wished_by: dict[int, list[int]] = defaultdict(list)  # first side (firm) -> anchors
    for task in problem.tasks:
        tasks_of[task.people[1]].append(task.index)
        wished_by[task.people[0]].append(task.people[1])
    return anchors, tasks_of, wished_by


def _placed(problem: Problem, placements: list[Placement], tables: dict[int, str]):
    """The occupancy of ``placements`` and the placements by request."""
    occupancy = Occupancy(problem, tables)
    current: dict[int, Placement] = {}
    for placement in placements:
        occupancy.place(placement)
        current[placement.task] = placement
    return occupancy, current


def put_back(occupancy: Occupancy, current: dict[int, Placement], freed: list[Placement],
             chosen: list[Placement]) -> None:
    """A part re-solved: ``chosen`` (or ``freed`` again, where nothing better was found) takes the
    place of the part's ``freed`` meetings in the schedule and its occupancy."""
    for placement in freed:
        del current[placement.task]
    current.update((p.task, p) for p in chosen)
    for placement in chosen:
        occupancy.place(placement)


def _solve_part(sub: MeetingModel, budget: Budget, until: float, by_mip: bool, workers: int, rng: random.Random):
    """((value, reading of a variable's value) or None, whether proven best) for a part. HiGHS,
    when the budget is deterministic, stops on its count of nodes (the clock only as a safety)
    and is charged its counted work."""
    if by_mip:
        if budget.deterministic:
            outcome = solve_mip(sub.model, budget.mip_seconds(MIP_PART_SECONDS * MIP_PART_SAFETY), threads=workers,
                                nodes=MIP_PART_NODES, options=MIP_PART_OPTIONS)
            budget.charge_mip(outcome)
        else:
            outcome = solve_mip(sub.model, budget.mip_seconds(min(MIP_PART_SECONDS, until - budget.spent())),
                                options=MIP_PART_OPTIONS)
        if outcome is not None:
            if outcome.values is None:
                return None, False
            return (outcome.value, lambda v: outcome.values[v.index]), outcome.proven
    solver = cp_model.CpSolver()
    status = budget.run(solver, sub.model, min(budget.units(PART_SECONDS), until - budget.spent()), workers,
                        seed=rng.randrange(1 << 30))
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, False
    return (round(solver.objective_value), solver.value), status == cp_model.OPTIMAL


def _part(problem: Problem, rng: random.Random, anchors: list[int], tasks_of, wished_by, size: int,
          first: list[int] | None = None) -> list[int]:
    """The requests of ``size`` buyers: a random one (or ``first``, as many as fit), then buyers
    who wished to meet their firms."""
    chosen = [rng.choice(anchors)] if not first else rng.sample(first, min(size, len(first)))
    seen = set(chosen)
    frontier = list(chosen)
    while frontier and len(chosen) < size:
        anchor = frontier.pop(0)
        firms = [problem.tasks[t].people[0] for t in tasks_of[anchor]]
        rng.shuffle(firms)
        for firm in firms:
            for other in wished_by[firm]:
                if other not in seen and len(chosen) < size:
                    seen.add(other)
                    chosen.append(other)
                    frontier.append(other)
    if len(chosen) < size:  # a small island: top up at random
        rest = [a for a in anchors if a not in seen]
        chosen.extend(rng.sample(rest, min(len(rest), size - len(chosen))))
    return sorted(t for anchor in chosen for t in tasks_of[anchor])
