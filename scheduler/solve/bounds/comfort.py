"""A proven lower bound on a level of interpreter comfort terms, from the event taken day by day.

CP-SAT's own bound on the comfort level stays far below the schedules it finds,
and the linear relaxation of the whole model takes long on a week and does not
finish in a minute on a 20-day month. Far smaller, and as tight on the week, is
a relaxation that forgets
*when* on a day a meeting takes place and keeps only *which day* and *how it
is interpreted*: per request a choice of (day, mode), at most one; per
participant and day no more meetings than slots it can meet in; per
interpreter pool and day no more seats than its members can fill (their cap,
the slots they are available); the levels already settled that count meetings
(priority, firms met, least-served firm) at their values. Any schedule gives a
solution of it (read off each meeting's day and mode), so its minimum of the
level's terms is a lower bound, and its linear relaxation's bound (made
valid whatever the solver's tolerance, :mod:`relaxation`) one too.

Terms it weighs: interpreter seats and the busiest interpreter exactly as the
schedule counts them; interpreter changes as 0 (a count, never below); idle
gaps as the participants' own bounds (objective.idle_gap_floor). It is solved
in well under a level's share (benchmarks/README.md, "How the solver chooses":
comfort and days re-solved).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from ortools.sat.python import cp_model

from scheduler.solve.model.meetings import MeetingModel
from scheduler.solve.model.objective import (MEETING_COUNTS, count_met, counts_only, fewest_meetings, idle_gap_floor,
                                       served)

# The terms of a level this bound weighs, and the settled levels it keeps.
WEIGHED = frozenset({"interpreter seats", "busiest interpreter", "interpreter changes", "idle gaps"})
KEPT = MEETING_COUNTS  # (objective.py)


def applies(weights: Mapping[str, int]) -> bool:
    """A level of comfort terms, all made fewer with weights of at least 0, one of them seats or
    the busiest interpreter (what the relaxation states)."""
    return (weights.keys() <= WEIGHED and counts_only(weights)
            and bool(weights.keys() & {"interpreter seats", "busiest interpreter"}))


def by_day(m: MeetingModel, weights: Mapping[str, int], settled: Sequence[tuple[str, int]]) -> cp_model.CpModel | None:
    """The relaxation (see the module's text) as a model whose objective is the level's, or None
    when the level has terms it does not weigh. ``settled`` levels it cannot state are left out,
    which only loosens it. ``m``: any model of the whole event, seated or not."""
    if not applies(weights):
        return None
    return _by_day(m, weights, [(name, value) for name, value in settled if name in KEPT])


def _by_day(m: MeetingModel, weights: Mapping[str, int], settled: Sequence[tuple[str, int]]) -> cp_model.CpModel:
    problem = m.problem
    model = cp_model.CpModel()
    pick: dict[tuple, cp_model.IntVar] = {}  # (request, day, mode) -> taken that way
    of_task: dict[int, list] = defaultdict(list)
    of_person_day: dict[tuple[int, int], list] = defaultdict(list)
    wanted: dict[tuple[int, frozenset[int]], list] = defaultdict(list)  # (day, seat set) -> picks
    for choice in m.choices:
        day = problem.slot_day(choice.start)
        key = (choice.task, day, choice.mode)
        if key in pick:
            continue
        var = pick[key] = model.new_bool_var("")
        of_task[choice.task].append(var)
        task = problem.tasks[choice.task]
        for person in task.people:
            of_person_day[(person, day)].append(task.length * var)
        for members in choice.mode.seats:
            wanted[(day, members)].append(var)
    for task, variables in of_task.items():
        if m.must_take_place(problem.tasks[task]):
            model.add_exactly_one(variables)
        else:
            model.add_at_most_one(variables)
    # Per participant and day: its meetings' slots within the slots it can meet in.
    slots: dict[tuple[int, int], set[int]] = defaultdict(set)
    for (person, slot), literals in m.by_person_slot.items():
        if literals:
            slots[(person, problem.slot_day(slot))].add(slot)
    for key, taken in of_person_day.items():
        model.add(sum(taken) <= len(slots[key]))
    for person in problem.people:
        cap = person.record.max_meetings
        variables = [v for t in problem.tasks_of(person.index) for v in of_task.get(t.index, ())]
        if cap is not None and len(variables) > cap:
            model.add(sum(variables) <= cap)
    # Interpreter seats: each seat filled by a pool within its set; a pool fills per day at most
    # its members x (their daily cap, the slots they can be in a meeting).
    pool_slots: dict[tuple[int, int], set[int]] = defaultdict(set)
    for (pool, slot), literals in m.by_pool_slot.items():
        if literals:
            pool_slots[(pool, problem.slot_day(slot))].add(slot)
    filled: dict[tuple[int, int], list] = defaultdict(list)
    for (day, members), variables in wanted.items():
        flows = []
        for pool in m.pools_in(members):
            flow = model.new_int_var(0, len(variables), "")
            flows.append(flow)
            filled[(pool, day)].append(flow)
        model.add(sum(flows) == sum(variables))
    busiest = model.new_int_var(0, len(problem.grid), "busiest")
    for (pool, day), flows in filled.items():
        size = len(m.pools[pool])
        cap = problem.linguists[m.pools[pool][0]].record.max_meetings
        most = size * min(len(pool_slots[(pool, day)]), cap if cap is not None else len(problem.grid))
        model.add(sum(flows) <= most)
        model.add(size * busiest >= sum(flows))
    _keep(model, problem, pick, of_task, settled)
    seats = sum(len(mode.seats) * var for (_, _, mode), var in pick.items() if mode.seats)
    idle = weights.get("idle gaps", 0) * max(0, idle_gap_floor(m)) if weights.get("idle gaps") else 0
    model.minimize(weights.get("interpreter seats", 0) * seats + weights.get("busiest interpreter", 0) * busiest
                   + idle)
    return model


def _keep(model: cp_model.CpModel, problem, pick: dict, of_task: dict, settled: Sequence[tuple[str, int]]) -> None:
    """The settled levels that count meetings, at their values (stated as objective.py states them)."""
    served_by = served(problem, lambda task: sum(of_task.get(task, ())))
    for name, value in settled:
        if name == "priority":
            model.add(sum(problem.tasks[task].priority * var for (task, _, _), var in pick.items()) >= value)
        elif name == "firms met":
            model.add(count_met(model, served_by) >= value)
        elif name == "least-served firm":
            model.add(fewest_meetings(model, served_by, len(problem.grid)) >= value)
