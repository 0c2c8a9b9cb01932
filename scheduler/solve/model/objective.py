"""Objective terms, each built from the meeting model under the name a coordinator reads.

The event's objective is a list of levels optimised one after another
(lexicographically): a later level is optimised only among schedules that
keep every earlier level at its best found value. A level is one term, or
several terms with weights optimised as one sum. Each builder returns the
linear expression and its sense; :mod:`scheduler.solve.model.measure` computes the
same quantities on a finished schedule in plain Python.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping

from ortools.sat.python import cp_model

from scheduler.model.baseline import CHANGE_WEIGHTS
from scheduler.solve.model.meetings import MeetingModel
from scheduler.solve.model.runs import fits, patterns

Built = tuple[cp_model.LinearExpr, str]

# Sets of slots listed per person and day before its own bound is left to a small CP-SAT search.
PATTERNS_LISTED = 2000


def total_priority(m: MeetingModel) -> Built:
    """Sum of the priorities of the scheduled requests."""
    tasks = m.problem.tasks
    if not m.choices:
        return 0, "max"
    # A weighted sum, built at once: far quicker than a sum of products on a large model
    # (benchmarks/README.md, "How the solver chooses": model and greedy).
    return cp_model.LinearExpr.weighted_sum([c.var for c in m.choices],
                                            [tasks[c.task].priority for c in m.choices]), "max"


def _served(m: MeetingModel) -> list[tuple[int, cp_model.LinearExpr]]:
    """(person, meetings) for every firm (brokerage: participant) that has a placeable request."""
    return served(m.problem, m.placed)


def served(problem, placed: Callable[[int], cp_model.LinearExpr]) -> list[tuple[int, cp_model.LinearExpr]]:
    """(person, meetings) for every firm (brokerage: participant) with a placeable request, in a
    model where ``placed(request)`` is 1 when the request takes place (0, a constant, when it
    cannot)."""
    role = "participant" if problem.kind == "brokerage" else "firm"
    found = []
    for person in problem.people:
        if person.role != role:
            continue
        meetings = sum(placed(t.index) for t in problem.tasks_of(person.index))
        if not isinstance(meetings, int):
            found.append((person.index, meetings))
    return found


def _most_meetings(m: MeetingModel, person: int, slots: int) -> int:
    """The most meetings a person could have: its placeable requests, within its cap and its
    ``slots`` (a count, not a search)."""
    problem = m.problem
    placeable = sum(1 for t in problem.tasks_of(person) if m.by_task[t.index])
    cap = problem.people[person].record.max_meetings
    return min(placeable, slots, cap if cap is not None else placeable)


def obvious_bound(m: MeetingModel, level) -> int | None:
    """A bound that needs no search, for the levels that count firms: every firm with a
    placeable request met; the least-served firm at most the meetings it could have; a replan's
    fewest changes at least what each published meeting's own choices force. CP-SAT's bound is only known
    where the whole model is searched (an event too large for that, such as a 20-day month, had
    no bound on firms met without this one)."""
    if level == "firms met":
        return len(_served(m))
    if level == "least-served firm":
        slots = Counter(person for (person, _), literals in m.by_person_slot.items() if literals)
        return min((_most_meetings(m, person, slots[person]) for person, _ in _served(m)), default=0)
    if level == "fewest changes":
        return fewest_changes_floor(m)
    return None


def firms_met(m: MeetingModel) -> Built:
    """Firms with at least one meeting: nobody travels to the plaza for nothing."""
    return count_met(m.model, _served(m)), "max"


def least_served_firm(m: MeetingModel) -> Built:
    """Meetings of the firm that has fewest, among firms that can have any."""
    return fewest_meetings(m.model, _served(m), len(m.problem.grid)), "max"


def count_met(model: cp_model.CpModel, served_by: list[tuple[int, cp_model.LinearExpr]]) -> cp_model.LinearExpr:
    """How many of :func:`served`'s firms have a meeting, in ``model``."""
    met = []
    for person, meetings in served_by:
        flag = model.new_bool_var(f"met_{person}")
        model.add(flag <= meetings)
        met.append(flag)
    return sum(met)


def fewest_meetings(model: cp_model.CpModel, served_by: list[tuple[int, cp_model.LinearExpr]], most: int):
    """The meetings of :func:`served`'s least-served firm, in ``model`` (0 when there is none)."""
    if not served_by:
        return 0
    floor = model.new_int_var(0, most, "least_served")
    for _, meetings in served_by:
        model.add(floor <= meetings)
    return floor


def idle_gaps(m: MeetingModel) -> Built:
    """FORMAT.md's idle gaps: per participant and venue day, runs of back-to-back meetings minus one.

    ``busy[t]`` is a literal equal to the person's meetings at slot t; ``run[t]`` marks the start
    of a run (busy at t, not at t-1 of the same day). Gaps = runs - 1 on a day with meetings.
    The objective is a sum of Booleans less a constant where the day's meetings are known, which
    suits CP-SAT's core-based search. Implied constraints tighten the bound: the busy slots of
    required meetings are counted exactly, and the runs are at least the number of stretches of
    the person's allowed slots needed to hold them (see :func:`_fewest_runs`).
    """
    problem = m.problem
    model = m.model
    terms: list = []
    for person in problem.people:
        tasks = problem.tasks_of(person.index)
        if not tasks:
            continue
        for day, day_slots in enumerate(problem.grid.slots_by_day):
            sums = [m.busy(person.index, t) for t in day_slots]
            if all(isinstance(total, int) for total in sums):
                continue  # no variable touches this person this day
            busy: list = []
            for t, total in zip(day_slots, sums):
                if isinstance(total, int):
                    busy.append(0)
                    continue
                literal = model.new_bool_var(f"busy_{person.index}_{t}")
                model.add(literal == total)
                busy.append(literal)
            runs = []
            for position, literal in enumerate(busy):
                if isinstance(literal, int):
                    continue
                run = model.new_bool_var(f"run_{person.index}_{day_slots[position]}")
                previous = busy[position - 1] if position > 0 else 0
                model.add(run >= literal - previous)
                model.add(run <= literal)
                if not isinstance(previous, int):
                    model.add(run <= 1 - previous)
                runs.append(run)
            required_slots, only_required = _required_slots(problem, tasks, day)
            if required_slots:
                total_busy = sum(b for b in busy if not isinstance(b, int))
                model.add(total_busy == required_slots if only_required else total_busy >= required_slots)
                fewest = fewest_runs(m, person.index, day)
                model.add(sum(runs) >= fewest)
                # The day certainly has a meeting: gaps = runs - 1, a sum of literals less a
                # constant, which CP-SAT's core-based search bounds well (as MaxSAT does).
                terms.extend(runs)
                terms.append(-1)
                continue
            else:
                has = model.new_bool_var(f"meets_{person.index}_{day}")
                for run in runs:
                    model.add(has >= run)
                gaps = model.new_int_var(0, len(runs), f"gaps_{person.index}_{day}")
                model.add(gaps == sum(runs) - has)
            terms.append(gaps)
    return sum(terms), "min"


def plain_idle_gaps(m: MeetingModel) -> Built:
    """The textbook time-indexed formulation, kept as the benchmarks' point of comparison:
    run starts from busy sums, runs minus "has a meeting", no implied constraints."""
    problem = m.problem
    model = m.model
    terms = []
    for person in problem.people:
        for day_slots in problem.grid.slots_by_day:
            busy = [m.busy(person.index, t) for t in day_slots]
            if all(isinstance(b, int) for b in busy):
                continue
            runs = []
            for position, t in enumerate(day_slots):
                run = model.new_bool_var(f"plain_run_{person.index}_{t}")
                model.add(run >= busy[position] - (busy[position - 1] if position else 0))
                runs.append(run)
            has = model.new_bool_var(f"plain_meets_{person.index}_{day_slots[0]}")
            model.add(has <= sum(busy))
            terms.append(sum(runs) - has)
    return sum(terms), "min"


def fewest_runs(m: MeetingModel, person: int, day: int) -> int:
    """A proven lower bound on a person's runs of busy slots on a venue day (0 when it has no
    required meeting that can only be that day): the fewest stretches of its allowed slots that
    hold its required meetings, and when every meeting it may have that day is required, the
    fewest runs its own meetings allow (:func:`_fewest_runs_alone`). Computed once per model."""
    key = (person, day)
    cache = m.__dict__.setdefault("_fewest_runs", {})
    if key not in cache:
        problem = m.problem
        day_slots = problem.grid.slots_by_day[day]
        required_slots, only_required = _required_slots(problem, problem.tasks_of(person), day)
        fewest = 0
        if required_slots:
            allowed = [bool(m.by_person_slot.get((person, t))) for t in day_slots]
            fewest = _fewest_runs(allowed, required_slots)
            if only_required:
                fewest = max(fewest, _fewest_runs_alone(m, person, day_slots))
        cache[key] = fewest
    return cache[key]


def idle_gap_floor(m: MeetingModel) -> int:
    """A proven lower bound on the idle gaps (the model's own implied constraints, summed): per
    person and day with a required meeting, its fewest runs less one."""
    problem = m.problem
    return sum(max(0, fewest_runs(m, person.index, day) - 1)
               for person in problem.people if problem.tasks_of(person.index)
               for day in range(len(problem.grid.slots_by_day)))


def _required_slots(problem, tasks, day: int) -> tuple[int, bool]:
    """Slots a person must spend in required meetings that can only be on ``day``, and whether
    every one of its meetings that could fall on that day is required."""
    total = 0
    only_required = True
    for task in tasks:
        days = {problem.slot_day(start) for start in task.starts if task.options_at.get(start)}
        if day not in days:
            continue
        if task.required and days == {day}:
            total += task.length
        else:
            only_required = False
    return total, only_required


def _fewest_runs_alone(m: MeetingModel, person: int, day_slots: tuple[int, ...]) -> int:
    """Fewest runs of one person's day if nobody else mattered: each of its meetings (all
    required) at a start its partner and interpreters allow. A lower bound for the whole event.
    With one-slot meetings, the fewest runs of a set of slots they can take one each (exact);
    else, or when such sets are too many to list, a tiny CP-SAT model's proven bound (used even
    if it stops early, when it may prove fewer runs than the meetings need; so the sets are
    listed wherever they can be, which is exact and far quicker than the small searches:
    benchmarks/README.md, "How the solver chooses": busy patterns)."""
    problem = m.problem
    day = set(day_slots)
    tasks = [task for task in problem.tasks_of(person) if any(c.start in day for c in m.by_task[task.index])]
    if tasks and all(task.length == 1 for task in tasks):
        starts = [sorted({c.start for c in m.by_task[task.index] if c.start in day}) for task in tasks]
        allowed = set().union(*map(set, starts))
        for most in range(1, len(tasks) + 1):
            found = patterns(day_slots, allowed, len(tasks), most, limit=PATTERNS_LISTED)
            if found is None:
                break  # too many: the CP-SAT model below
            if any(fits(starts, pattern) for pattern in found):
                return most
        else:
            return 0  # cannot even place this person's meetings: infeasible elsewhere, no claim here
    model = cp_model.CpModel()
    busy: dict[int, list] = defaultdict(list)
    for task in problem.tasks_of(person):
        starts = sorted({c.start for c in m.by_task[task.index] if c.start in day})
        if not starts:
            continue
        picks = [model.new_bool_var("") for _ in starts]
        model.add_exactly_one(picks)
        for start, pick in zip(starts, picks):
            for t in range(start, start + task.length):
                busy[t].append(pick)
    for literals in busy.values():
        model.add_at_most_one(literals)
    runs = []
    for position, t in enumerate(day_slots):
        if t not in busy:
            continue
        run = model.new_bool_var("")
        previous = day_slots[position - 1] if position else None
        model.add(run >= sum(busy[t]) - (sum(busy[previous]) if previous in busy else 0))
        runs.append(run)
    if not runs:
        return 0
    model.minimize(sum(runs))
    solver = cp_model.CpSolver()
    solver.parameters.max_deterministic_time = 1.0  # work, not seconds: the same bound on any machine
    solver.parameters.max_time_in_seconds = 5.0  # a safety only
    solver.parameters.num_workers = 1
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return 0  # cannot even place this person's meetings: infeasible elsewhere, no claim here
    return int(math.ceil(solver.best_objective_bound - 1e-6))


def _fewest_runs(allowed: list[bool], needed: int) -> int:
    """Fewest runs that can hold ``needed`` busy slots within the allowed stretches of a day."""
    stretches, length = [], 0
    for ok in allowed:
        if ok:
            length += 1
        elif length:
            stretches.append(length)
            length = 0
    if length:
        stretches.append(length)
    held = 0
    for count, stretch in enumerate(sorted(stretches, reverse=True), start=1):
        held += stretch
        if held >= needed:
            return count
    return 1  # cannot hold them at all: infeasible elsewhere; no extra claim here


def interpreter_changes(m: MeetingModel) -> Built:
    """An interpreter moving between back-to-back meetings: to another table on a plaza (another
    buyer), to another floor in a teleconference room or at a brokerage event with floors.

    For an interpreter (a pool of one), with ``at[l][t]`` the literals that put it at place l at
    slot t (at most one is true), a move from t to t+1 happens when it is at l at t and busy at
    t+1 elsewhere: ``move >= at[l][t] + busy[t+1] - at[l][t+1] - 1`` for every place l. For a
    pool of k interchangeable members, busy[t] + busy[t+1] - k of them are busy at both slots,
    and those who can stay put are at most, place by place, the fewer of its seats at t and at
    t+1: the moves counted are the fewest any naming of members allows, which
    :mod:`scheduler.solve.pipeline.pools` aims for.
    """
    if not m.seating:
        raise ValueError("interpreter changes need a model that seats interpreters (seating=True)")
    problem = m.problem
    model = m.model
    at: dict[tuple[int, int], dict[object, list]] = {}
    for key, entries in m.pool_place.items():
        places: dict[object, list] = defaultdict(list)
        for place, literal in entries:
            if place is not None:
                places[place].append(literal)
        at[key] = places
    moves = []
    for (pool, t), places in at.items():
        m.in_time()  # on an expo's seated model this term takes longer than the model itself
        following = at.get((pool, t + 1))
        if not places or not following or problem.grid.span(t, 2) is None:
            continue  # last slot of a day, or a break follows: no back-to-back move
        if len(places) == 1 and set(places) == set(following):
            continue  # only one place either side: nothing to move between
        busy_next = sum(v for literals in following.values() for v in literals)
        size = len(m.pools[pool])
        if size == 1:
            move = model.new_bool_var(f"move_{pool}_{t}")
            for place, literals in places.items():
                model.add(move >= sum(literals) + busy_next - sum(following.get(place, [])) - 1)
        else:
            move = model.new_int_var(0, size, f"moves_{pool}_{t}")
            stays = []
            # In the order of ``places``, not of a set: places hold strings, whose hashes differ
            # from one process to the next, and the model must be the same in every run.
            for place in (place for place in places if place in following):
                # Several members can stay on one floor (a table seats one of a pool).
                most = min(size, len(places[place]), len(following[place]))
                stay = model.new_int_var(0, most, f"stays_{pool}_{t}_{place}")
                model.add(stay <= sum(places[place]))
                model.add(stay <= sum(following[place]))
                stays.append(stay)
            busy_now = sum(v for literals in places.values() for v in literals)
            model.add(move >= busy_now + busy_next - size - sum(stays))
        moves.append(move)
    return sum(moves), "min"


def interpreter_seats(m: MeetingModel) -> Built:
    """Interpreters tied up: a relay takes two people where one interpreter would do."""
    return sum(len(c.mode.seats) * c.var for c in m.choices if c.mode.seats), "min"


def busiest_interpreter(m: MeetingModel) -> Built:
    """Most meetings any interpreter has on one day: spreads the load evenly. A pool's members
    are named least-loaded first, so its busiest member has ceil(seats / members)."""
    if not m.by_pool_day:
        return 0, "min"
    peak = m.model.new_int_var(0, len(m.problem.grid), "busiest_interpreter")
    for (pool, day), variables in m.by_pool_day.items():
        # Members share it evenly (pools.py); a day standing for n alike days (bounds/folding.py)
        # shares it over them too, which only bounds the busiest day from below.
        m.model.add(len(m.pools[pool]) * m.stands_for.get(day, 1) * peak >= sum(variables))
    return peak, "min"


def _published_choices(m: MeetingModel, task: int, meeting) -> tuple[list, list]:
    """The choices of a published meeting's request at its published start, and those of them
    that keep its published interpreters."""
    problem = m.problem
    ids = tuple(problem.linguist_by_id[i].index if i in problem.linguist_by_id else -1
                for i in meeting.interpreters)
    on_time = [c for c in m.by_task[task] if c.start == meeting.start]
    same = [c for c in on_time if (c.named if c.named is not None else () if not c.mode.seats else None) == ids]
    return on_time, same


def fewest_changes_floor(m: MeetingModel) -> int:
    """A lower bound on fewest changes that needs no search: each published meeting alone, at the
    least its own choices allow (kept, another interpreter, moved, or cancelled when its request
    has no choice left), and the withdrawn ones' cancellations."""
    total = CHANGE_WEIGHTS["cancelled"] * m.problem.withdrawn
    for task, meeting in m.problem.published.items():
        on_time, same = _published_choices(m, task, meeting)
        fate = "kept" if same else "interpreter" if on_time else "moved" if m.by_task[task] else "cancelled"
        total += CHANGE_WEIGHTS[fate]
    return total


def fewest_changes(m: MeetingModel) -> Built:
    """Changes to a replan's published meetings: a meeting not placed is cancelled, one placed at
    another start is moved, one at its start without the choice that names its published
    interpreters (meetings.py) has another interpreter, and one that keeps them in a class of
    booths (a floor) without its published booth has another booth. The booth itself is named
    after the search (a plaza buyer keeps its table; booths and a counted model's floors are named
    the published ones first), so this counts :func:`scheduler.solve.model.measure.fewest_changes`
    but for the booths the naming cannot give back: never more than the measure for the schedule
    the search reads, so its bound holds for it."""
    problem = m.problem
    cancelled, moved, other, booth = (CHANGE_WEIGHTS[fate] for fate in ("cancelled", "moved", "interpreter", "booth"))
    pools = problem.booth_classes
    terms: list = [cancelled * problem.withdrawn]  # their request or person left: cancelled anyway
    for task in m.tasks:
        meeting = problem.published.get(task.index)
        if meeting is None:
            continue
        placed = m.placed(task.index)
        on_time, same = _published_choices(m, task.index, meeting)
        # A class of booths (a floor) without the published booth: a booth change at the least.
        elsewhere = [c for c in same if c.booth_class is not None and c.booth_class >= 0
                     and meeting.booth not in pools[c.booth_class].booths]
        # cancelled x (1 - placed) + moved x (placed - on time) + other x (on time - same interpreters)
        # + booth x (same interpreters, on another floor)
        terms.append(cancelled - (cancelled - moved) * placed - (moved - other) * sum(c.var for c in on_time)
                     - other * sum(c.var for c in same) + booth * sum(c.var for c in elsewhere))
    return sum(terms), "min"


TERMS: dict[str, Callable[[MeetingModel], Built]] = {
    "priority": total_priority,
    "firms met": firms_met,
    "least-served firm": least_served_firm,
    "idle gaps": idle_gaps,
    "interpreter changes": interpreter_changes,
    "interpreter seats": interpreter_seats,
    "busiest interpreter": busiest_interpreter,
    "fewest changes": fewest_changes,
    # Not for event files: the benchmarks' plain formulation of the same idle gaps.
    "idle gaps (plain model)": plain_idle_gaps,
}


MAXIMISED = frozenset({"priority", "firms met", "least-served firm"})
# Terms whose value only depends on which meetings take place, not when or with whom.
MEETING_COUNTS = MAXIMISED
# Terms that weigh who interprets and where, not which meetings take place when.
INTERPRETER_TERMS = frozenset({"interpreter changes", "interpreter seats", "busiest interpreter"})


# Terms the meeting model states only in part (the rest is decided after the search): a level's
# value is measured on its schedule, and proven where it meets the model's bound.
PARTLY_MODELLED = frozenset({"fewest changes"})
CHANGES = "fewest changes"


def replan_levels(levels, replanning: bool) -> tuple:
    """The objective's levels for a solve: with a baseline, "fewest changes" first unless the
    event places it; without one, the term is left out (it is always 0)."""
    mentioned = any(CHANGES in level_weights(level) for level in levels)
    if replanning:
        return tuple(levels) if mentioned else (CHANGES, *levels)
    kept = []
    for level in levels:
        weights = {name: w for name, w in level_weights(level).items() if name != CHANGES}
        if weights:
            kept.append(level if isinstance(level, str) else weights)
    return tuple(kept)


def sense_of(name: str) -> str:
    return "max" if name in MAXIMISED else "min"


def level_name(level: str | Mapping[str, int]) -> str:
    if isinstance(level, str):
        return level
    return " + ".join(name if weight == 1 else f"{weight} x {name}" for name, weight in level.items())


def level_weights(level: str | Mapping[str, int]) -> Mapping[str, int]:
    """A level's terms and their weights (a plain term weighs 1)."""
    return {level: 1} if isinstance(level, str) else level


def counts_only(level: str | Mapping[str, int]) -> bool:
    """Whether the level only counts things to make fewer (idle gaps, moves, seats, a busiest
    day), with weights of at least 0: it is never below 0, whatever bound CP-SAT proved (its
    idle-gap bounds can be below zero)."""
    return all(sense_of(name) == "min" and weight >= 0 for name, weight in level_weights(level).items())


def level_sense(level: str | Mapping[str, int]) -> str:
    """A level's sense: its terms' own, or "min" for a level that mixes senses."""
    senses = {sense_of(name) for name in level_weights(level)}
    return senses.pop() if len(senses) == 1 else "min"


def build_level(m: MeetingModel, level: str | Mapping[str, int]) -> Built:
    """One level: a term as it is, or weighted terms summed (a maximised term counts negatively
    in a mixed level, which is then minimised)."""
    if isinstance(level, str):
        return TERMS[level](m)
    sense = level_sense(level)
    return sum((weight if sense_of(name) == sense else -weight) * TERMS[name](m)[0]
               for name, weight in level.items()), sense
