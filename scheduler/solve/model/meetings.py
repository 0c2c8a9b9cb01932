"""The time-indexed CP-SAT model.

One Boolean per (request, start slot, interpretation mode, booth class) that
the compiled problem allows: availability, request windows, pinned starts and
fixed tables are kept by construction, because a variable exists only where
they hold. A mode says how many interpreters sit in and from which sets, not
who: for a one-slot meeting, a seat literal ``seat[person, class, pool,
slot]`` says from which interpreter pool someone sits with that person (the
buyer side) then. A person is in one meeting at a time, so "the seats at this
person's table equal the seats its meeting needs, each drawn from the right
set" is exact, and the model does not multiply every meeting by every
interchangeable interpreter. A pool (:attr:`Problem.interpreter_pools`) is a
group of interchangeable interpreters, most often one person; its seats at a
slot never outnumber its members, and per day never exceed members x cap,
which is exact: members are named after solving, least-loaded first
(:mod:`scheduler.solve.pipeline.pools`). Meetings longer than one slot name their
interpreters directly (each a pool of one), so nobody changes seat mid-meeting. The remaining rules are constraint
families, one method each, applied in the order of :data:`MeetingModel.FAMILIES`.

With ``seating=False`` interpreters are *counted*, not seated: per slot and
seat set, the seats wanted equal those the pools fill (a transportation
flow), and a one-slot teleconference meeting takes a booth on any floor. That
is exact for which meetings take place when, and much easier to search; only
the "interpreter changes" term, which asks where each interpreter sits,
needs the seated model.
"""

from __future__ import annotations

import time

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model
from ortools.sat.python.cp_model_helper import FlatIntExpr

from scheduler.model.problem import Mode, Problem, Task
from scheduler.solve.model.occupancy import Occupancy
from scheduler.solve.pipeline.pools import name_members
from scheduler.solve.result import Placement


# Counted interpreters (``seating=False``): a one-slot meeting takes "a booth on any floor", and
# the floor is named when the solution is read (floors split the booths, so this is exact).
ANY_FLOOR = -1


def any_floor(task: Task) -> bool:
    """Whether the meeting may take a booth on any of several floors (one slot long, no booth pinned)."""
    return task.length == 1 and len(task.classes) > 1


def name_floors(problem: Problem, placements: list[Placement], free: Callable[[int, int], int]) -> list[Placement]:
    """Meetings on "any floor" get a floor with a booth free at their slot (``free(floor, slot)``:
    the floor's booths free then, before any of these meetings), a replan's published floor first."""
    if not any(p.booth_class == ANY_FLOOR for p in placements):
        return placements
    pools = problem.booth_classes
    floors = list(problem.floor_pools)
    used: dict[tuple[int, int], int] = defaultdict(int)  # (floor, slot) -> meetings there
    for placement in placements:
        if placement.booth_class not in (None, ANY_FLOOR):
            floor = next(f for f in floors if f.contains(pools[placement.booth_class]))
            for t in range(placement.start, placement.start + problem.tasks[placement.task].length):
                used[(floor.index, t)] += 1
    named = list(placements)
    floor_of = {booth: f for f in floors for booth in f.booths}
    published = problem.published

    def rank(index: int) -> int:
        """A replan's meetings at their published time first (another floor is a booth change
        for them), then the moved ones, then the others."""
        meeting = published.get(placements[index].task)
        return 2 if meeting is None else 0 if meeting.start == placements[index].start else 1

    for index in sorted(range(len(placements)), key=rank):
        placement = placements[index]
        if placement.booth_class == ANY_FLOOR:
            # A replan's published booth's floor first, where a booth is free there.
            meeting = published.get(placement.task)
            first = floor_of.get(meeting.booth) if meeting is not None else None
            floor = next(f for f in ([first] if first else []) + floors
                         if used[(f.index, placement.start)] < free(f.index, placement.start))
            used[(floor.index, placement.start)] += 1
            named[index] = replace(placement, booth_class=floor.index)
    return named


@dataclass(frozen=True)
class Choice:
    task: int
    start: int
    mode: Mode
    booth_class: int | None
    var: cp_model.IntVar
    named: tuple[int, ...] | None  # interpreters named outright (long meetings), else None

    @property
    def seated(self) -> bool:
        """Interpreters are chosen by seat literals."""
        return self.named is None and bool(self.mode.seats)


class OutOfTime(Exception):
    """The model was not built by the time it was needed."""


class MeetingModel:
    FAMILIES = (
        "each_request_at_most_once",
        "required_meetings_placed",
        "nobody_double_booked",
        "interpreters_seated",
        "interpreter_in_one_place",
        "one_meeting_per_booth",
        "reserved_tables_kept_free",
        "caps_kept",
    )

    def __init__(self, problem: Problem, required_as_assumptions: bool = False,
                 tasks: tuple[Task, ...] | None = None, taken: Occupancy | None = None,
                 kept_times: Mapping[int, int] | None = None, seating: bool = True,
                 stands_for: Mapping[int, int] | None = None, until: float | None = None, named: bool = False):
        """The whole event, or (``tasks``, ``taken``) a part of it: those requests placed around
        what the rest of the schedule already takes (people, interpreters, booths, caps, tables).
        A part names every interpreter (pools of one): fixed meetings make members differ.
        ``kept_times`` (request -> start): only those meetings, each at its start, all taking
        place; what is left to choose is who interprets, and the booths' floors.
        ``seating=False``: interpreters are counted, not seated (see :meth:`interpreters_counted`);
        exact for which meetings take place when, far smaller, but blind to where an interpreter
        sits, so the "interpreter changes" term needs the seated model.
        ``stands_for`` (day -> n): each such day stands for n alike days (bounds/folding.py). Every
        capacity of a slot or a day of it is n times its own; the tasks given should only start on
        such days. The model is then a relaxation of the event, not the event.
        ``until`` (a ``time.perf_counter()`` reading): building stops there with :class:`OutOfTime`,
        so that a time limit shorter than a large event's building is kept.
        ``named``: every interpreter seated by name (pools of one), as in a part: exact for the
        interpreters' terms, where a pool's are counted as the fewest any naming allows."""
        self.problem = problem
        self.stands_for = stands_for or {}
        assert not (self.stands_for and seating), "alike days count interpreters, they do not seat them"
        self.seating = seating
        self.kept_times = kept_times
        if kept_times is not None:
            tasks = tuple(problem.tasks[i] for i in sorted(kept_times))
        self.tasks = problem.tasks if tasks is None else tasks
        self.taken = taken
        self._linguists = frozenset(range(len(problem.linguists)))
        self._available: dict[tuple[int, int], frozenset[int]] = {}  # (start, length) -> interpreters free
        self._restricted: dict[tuple[Mode, tuple[int, int]], Mode | None] = {}  # the modes left at a span
        self._booths_free: dict[tuple[int, int], int] = {}
        self.model = cp_model.CpModel()
        self.required_as_assumptions = required_as_assumptions
        self.assumption_of: dict[int, int] = {}  # literal index -> task, for diagnosis
        self.choices: list[Choice] = []
        self.by_task: dict[int, list[Choice]] = defaultdict(list)
        self.by_person_slot: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
        self.by_class_slot: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
        self.pools = (problem.interpreter_pools if taken is None and not named
                      else tuple((i,) for i in range(len(problem.linguists))))
        self.pool_of = {linguist: q for q, members in enumerate(self.pools) for linguist in members}
        # Interpreter use: (pool, slot) -> literals that each put one of its members in a meeting
        # at that slot, and (pool, day) -> literals that each count one meeting.
        self.by_pool_slot: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
        self.by_pool_day: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
        # Seats: (person, class, pool, slot) -> literal, and the seated choices at a table.
        self.seat: dict[tuple[int, int | None, int, int], cp_model.IntVar] = {}
        self.seated_at: dict[tuple[int, int | None, int], list[Choice]] = defaultdict(list)
        # Where each literal puts a pool's member, for the comfort terms: (pool, slot) -> [(place, literal)].
        self.pool_place: dict[tuple[int, int], list[tuple[object, cp_model.IntVar]]] = defaultdict(list)
        self.table_choice: dict[tuple[int, str], cp_model.IntVar] = {}  # (buyer person, reserved table)
        self.plain_table: dict[int, cp_model.IntVar] = {}
        # Counted interpreters: (slot, seat set) -> literals of meetings that need a seat from it,
        # and (slot, seat set, pool) -> how many of those seats the pool fills.
        self.demand: dict[tuple[int, frozenset[int]], list[cp_model.IntVar]] = defaultdict(list)
        self.flow: dict[tuple[int, frozenset[int], int], cp_model.IntVar] = {}
        self.most_of: dict[int, int] = {}  # variable index -> its upper bound, where it is not 0/1
        self._until = until
        self._variables()
        self.in_time()
        if not seating:
            self._flows()
        for family in self.FAMILIES:
            self.in_time()
            getattr(self, family)()

    def in_time(self) -> None:
        """Raise :class:`OutOfTime` past ``until``: building the model, or a term on it, stops."""
        if self._until is not None and time.perf_counter() >= self._until:
            raise OutOfTime

    # -- variables -----------------------------------------------------------------------------

    def place_of(self, task: Task, booth_class: int | None) -> object:
        """Where an interpreter sits for this meeting: the buyer's table on a plaza, else the floor."""
        problem = self.problem
        if problem.kind == "plaza":
            return ("table", task.people[1])
        if booth_class is not None:
            return problem.booth_classes[booth_class].floor
        return problem.booth_floor.get(task.pinned_booth)

    def booths_free(self, pool: int, slot: int) -> int:
        """Booths of a pool free at a slot: not reserved, and not taken by the fixed rest."""
        found = self._booths_free.get((pool, slot))
        if found is not None:  # asked for every choice: once per pool and slot (what is fixed stays)
            return found
        pools = self.problem.booth_classes
        if pool == ANY_FLOOR:
            free = sum(self.booths_free(p.index, slot) for p in self.problem.floor_pools)
        else:
            free = pools[pool].capacity(slot)
            if self.taken is not None:
                free -= self.taken.pool_use[(pool, slot)]
        self._booths_free[(pool, slot)] = free
        return free

    def _free_modes(self, task: Task, start: int) -> tuple[Mode, ...] | None:
        """The task's modes at ``start`` with the interpreters the fixed rest leaves free, or None
        when a person or the table is taken then."""
        modes = task.modes_at.get(start, ())
        taken = self.taken
        if taken is None:
            return modes
        span = range(start, start + task.length)
        if any(taken.person_busy[p].intersection(span) for p in task.people) or taken.reserved_table(task, span):
            return None
        key = (start, task.length)
        if key not in self._available:  # the same for every request of the part at that span
            self._available[key] = self._linguists - taken.linguists_unavailable(span)
        for mode in modes:  # many requests share a mode: each is restricted once per span
            if (mode, key) not in self._restricted:
                self._restricted[(mode, key)] = mode.restricted(self._available[key])
        return tuple(m for m in (self._restricted[(mode, key)] for mode in modes) if m is not None)

    def _variables(self) -> None:
        for task in self.tasks:
            self.in_time()
            for start in task.starts if self.kept_times is None else (self.kept_times[task.index],):
                span = range(start, start + task.length)
                modes = self._free_modes(task, start)
                if not modes:
                    continue
                kept = self._published_option(task, start)
                for booth_class in self._classes(task):
                    if booth_class is not None and any(self.booths_free(booth_class, t) <= 0 for t in span):
                        continue
                    if kept:  # first, so a hint with those interpreters lands on it
                        self._choice(task, start, Mode(tuple(frozenset({i}) for i in kept)), booth_class, kept)
                    for mode in modes:
                        if task.length > 1 and mode.seats:
                            for option in mode.options():
                                self._choice(task, start, mode, booth_class, option)
                        else:
                            self._choice(task, start, mode, booth_class, None)

    def _published_option(self, task: Task, start: int) -> tuple[int, ...] | None:
        """A replan: the published interpreters of a one-slot meeting at its published start, as a
        choice that names them (each a pool of one, Problem.interpreter_pools), so the model
        knows when the meeting keeps them; None where there are none, where a part's fixed rest
        holds one of them, or elsewhere."""
        meeting = self.problem.published.get(task.index)
        if meeting is None or meeting.start != start or task.length > 1:
            return None
        linguist = self.problem.linguist_by_id
        option = tuple(linguist[i].index for i in meeting.interpreters if i in linguist)
        if not option or len(option) != len(meeting.interpreters) or option not in task.options:
            return None
        if self.taken is not None and not set(option) <= self._available[(start, task.length)]:
            return None  # a part: the fixed rest holds one of them then
        return option if task.options.index(option) in task.options_at.get(start, ()) else None

    def _classes(self, task: Task) -> tuple[int | None, ...]:
        if not self.seating and any_floor(task):
            return (ANY_FLOOR,)  # which floor only matters where interpreters sit
        return task.classes or (None,)

    def _choice(self, task: Task, start: int, mode: Mode, booth_class: int | None,
                named: tuple[int, ...] | None) -> None:
        problem = self.problem
        # Unnamed: nothing reads the names, and naming every variable of a month is a noticeable
        # part of its build (benchmarks/README.md, "How the solver chooses": model and greedy).
        var = self.model.new_bool_var("")
        choice = Choice(task.index, start, mode, booth_class, var, named)
        self.choices.append(choice)
        self.by_task[task.index].append(choice)
        span = range(start, start + task.length)
        for t in span:
            for person in task.people:
                self.by_person_slot[(person, t)].append(var)
            if booth_class is not None:
                self.by_class_slot[(booth_class, t)].append(var)
        place = self.place_of(task, booth_class)
        day = problem.slot_day(start)
        if named:
            for linguist in named:
                pool = self.pool_of[linguist]  # a pool of one
                self.by_pool_day[(pool, day)].append(var)
                for t in span:
                    self.by_pool_slot[(pool, t)].append(var)
                    self.pool_place[(pool, t)].append((place, var))
        elif choice.seated and not self.seating:
            for members in mode.seats:  # a relay's two sets never share anyone
                self.demand[(start, members)].append(var)
        elif choice.seated:
            person = task.people[1]
            self.seated_at[(person, booth_class, start)].append(choice)
            for pool in sorted({self.pool_of[i] for i in set().union(*mode.seats)}):
                key = (person, booth_class, pool, start)
                if key not in self.seat:
                    seat = self.model.new_bool_var(f"seat_p{person}_c{booth_class}_q{pool}_s{start}")
                    self.seat[key] = seat
                    self.by_pool_day[(pool, day)].append(seat)
                    self.by_pool_slot[(pool, start)].append(seat)
                    self.pool_place[(pool, start)].append((place, seat))

    def _flows(self) -> None:
        problem = self.problem
        for (slot, members), literals in self.demand.items():
            day = problem.slot_day(slot)
            for pool in self.pools_in(members):
                most = min(len(self.pools[pool]) * self.times(slot), len(literals))
                name = f"flow_s{slot}_q{pool}_{min(members)}_{len(members)}"
                flow = self.model.new_bool_var(name) if most == 1 else self.model.new_int_var(0, most, name)
                if most > 1:
                    self.most_of[flow.index] = most
                self.flow[(slot, members, pool)] = flow
                self.by_pool_slot[(pool, slot)].append(flow)
                self.by_pool_day[(pool, day)].append(flow)

    def optimise(self, expression, sense: str) -> None:
        """The model's objective: ``expression``, maximised or minimised as ``sense`` says
        (:func:`set_objective`)."""
        set_objective(self.model, expression, sense)

    def no_worse(self, expression, sense: str, value: int) -> None:
        """``expression`` kept at ``value`` or better (a settled level, in this model)."""
        self.model.add(expression >= value if sense == "max" else expression <= value)

    def no_better(self, expression, sense: str, bound: int) -> None:
        """``expression`` at most as good as a proven ``bound``: a cut that helps the search."""
        self.model.add(expression <= bound if sense == "max" else expression >= bound)

    def placed(self, task: int) -> cp_model.LinearExpr:
        return sum(c.var for c in self.by_task[task])

    def busy(self, person: int, slot: int) -> cp_model.LinearExpr:
        return sum(self.by_person_slot.get((person, slot), []))

    # -- constraint families --------------------------------------------------------------------

    def must_take_place(self, task: Task) -> bool:
        return task.required or self.kept_times is not None

    def each_request_at_most_once(self) -> None:
        for task in self.tasks:
            if not self.must_take_place(task):
                self.model.add_at_most_one(c.var for c in self.by_task[task.index])

    def required_meetings_placed(self) -> None:
        """Required (and pinned) requests take place exactly once, and so does every meeting
        whose time is kept."""
        for task in self.tasks:
            if not self.must_take_place(task):
                continue
            constraint = self.model.add_exactly_one(c.var for c in self.by_task[task.index])
            if self.required_as_assumptions:
                literal = self.model.new_bool_var(f"required_{task.index}")
                constraint.only_enforce_if(literal)
                self.model.add_at_most_one(c.var for c in self.by_task[task.index])
                self.assumption_of[literal.index] = task.index
                self.model.add_assumption(literal)

    def times(self, slot: int) -> int:
        """How many alike days the slot's day stands for (1 unless ``stands_for`` says)."""
        return self.stands_for.get(self.problem.slot_day(slot), 1) if self.stands_for else 1

    def nobody_double_booked(self) -> None:
        for (_, slot), variables in self.by_person_slot.items():
            times = self.times(slot)
            if len(variables) > times:
                if times == 1:
                    self.model.add_at_most_one(variables)
                else:
                    self.model.add(sum(variables) <= times)

    def _most(self, variables) -> int:
        """The most a sum of these variables can be (counted interpreters are not all 0/1). Read
        from the bounds kept at creation: reading the proto was a sizeable part of a week's build
        (benchmarks/README.md, "How the solver chooses": model and greedy), and OR-Tools 9.15's
        proto wrapper answers ``domain[-1]`` with 0."""
        most_of = self.most_of
        return sum(most_of.get(v.index, 1) for v in variables)

    def pools_in(self, members: frozenset[int]) -> list[int]:
        """The pools a seat set draws from (a pool lies wholly inside a set or outside it)."""
        return sorted({self.pool_of[i] for i in members})

    def interpreters_seated(self) -> None:
        """At a person's table at a slot, the interpreters seated equal the seats its meeting needs,
        and each seat of the mode is filled from its own set (exact: one meeting per person)."""
        if not self.seating:
            self.interpreters_counted()
            return
        for (person, booth_class, slot), choices in self.seated_at.items():
            seats = {q: self.seat[(person, booth_class, q, slot)]
                     for q in range(len(self.pools)) if (person, booth_class, q, slot) in self.seat}
            self.model.add(sum(seats.values()) == sum(len(c.mode.seats) * c.var for c in choices))
            for choice in choices:
                for members in choice.mode.seats:
                    self.model.add(sum(seats[q] for q in self.pools_in(members)) >= choice.var)

    def interpreters_counted(self) -> None:
        """Without seating: at every slot, the seats wanted from each interpreter set equal those
        its pools fill (a transportation flow). Exact: with every pool's seats within its members
        at each slot and its cap each day (the next families), an integral flow names a pool for
        every seat, and a relay's two seats come from disjoint sets, so from different people."""
        for (slot, members), literals in self.demand.items():
            self.model.add(sum(self.flow[(slot, members, q)] for q in self.pools_in(members)) == sum(literals))

    def interpreter_in_one_place(self) -> None:
        """An interpreter is in one meeting at a time: a pool's seats at a slot never outnumber its
        members (all of them share the same windows)."""
        for (pool, slot), variables in self.by_pool_slot.items():
            size = len(self.pools[pool]) * self.times(slot)
            if self._most(variables) > size:
                if size == 1:
                    self.model.add_at_most_one(variables)
                else:
                    self.model.add(sum(variables) <= size)

    def one_meeting_per_booth(self) -> None:
        """Teleconference and brokerage: at every slot, the meetings in a booth pool and in the
        pools inside it never outnumber its free booths (so every meeting gets a booth)."""
        pools = self.problem.booth_classes
        slots = {slot for (_, slot) in self.by_class_slot}
        if any(booth_class == ANY_FLOOR for (booth_class, _) in self.by_class_slot):
            # Any floor: every meeting at the slot within every free booth (the floors hold the rest).
            at_slot: dict[int, list[cp_model.IntVar]] = defaultdict(list)
            for (_, slot), found in self.by_class_slot.items():
                at_slot[slot].extend(found)
            for slot, variables in at_slot.items():
                capacity = self.booths_free(ANY_FLOOR, slot) * self.times(slot)
                if len(variables) > capacity:
                    self.model.add(sum(variables) <= capacity)
        for pool in pools:
            inside = self.problem.booth_pools_inside[pool.index]
            for slot in slots:
                variables = [v for q in inside for v in self.by_class_slot.get((q, slot), [])]
                capacity = self.booths_free(pool.index, slot) * self.times(slot)
                if len(variables) > capacity:
                    self.model.add(sum(variables) <= capacity)

    def reserved_tables_kept_free(self) -> None:
        """Plaza: a buyer whose table the file leaves open may get a table that is reserved at
        times; then it has no meeting at those times. Unreserved free tables are interchangeable."""
        problem = self.problem
        if problem.kind != "plaza" or self.taken is not None:
            return  # a part of the event keeps the tables the whole schedule has
        reserved = [t for t in problem.free_tables if problem.table_blocked.get(t)]
        open_buyers = [p.index for p in problem.people if p.role == "buyer" and p.index not in problem.fixed_tables]
        if not reserved or not open_buyers:
            return
        plain_count = len(problem.free_tables) - len(reserved)
        for buyer in open_buyers:
            self.plain_table[buyer] = self.model.new_bool_var(f"plain_table_{buyer}")
            for table in reserved:
                var = self.model.new_bool_var(f"table_{buyer}_{table}")
                self.table_choice[(buyer, table)] = var
                for slot in problem.table_blocked[table]:
                    times = self.times(slot)
                    self.model.add(self.busy(buyer, slot) + times * var <= times)
            self.model.add_exactly_one([self.plain_table[buyer], *(self.table_choice[(buyer, t)] for t in reserved)])
        for table in reserved:
            self.model.add_at_most_one(self.table_choice[(b, table)] for b in open_buyers)
        self.model.add(sum(self.plain_table.values()) <= plain_count)

    def caps_kept(self) -> None:
        """max_meetings: over the whole event for buyers, firms and participants; per venue day
        for interpreters (a relay counts for both)."""
        problem = self.problem
        taken = self.taken
        mine = {t.index for t in self.tasks}
        for person in problem.people:
            cap = person.record.max_meetings
            tasks = [t for t in problem.tasks_of(person.index) if t.index in mine]
            if cap is not None and taken is not None:
                cap -= taken.person_count[person.index]
            if cap is not None and len(tasks) > cap:
                self.model.add(sum(self.placed(t.index) for t in tasks) <= cap)
        for (pool, day), variables in self.by_pool_day.items():
            cap = problem.linguists[self.pools[pool][0]].record.max_meetings
            if cap is None:
                continue
            cap *= len(self.pools[pool]) * self.stands_for.get(day, 1)
            if taken is not None:
                cap -= taken.linguist_day_count[(self.pools[pool][0], day)]  # a pool of one
            if self._most(variables) > cap:
                self.model.add(sum(variables) <= cap)

    def with_only(self, tasks: frozenset[int], objective: bool = True) -> cp_model.CpModel:
        """A copy of the model (with its objective, or without) in which exactly ``tasks`` take
        place: only their times, interpreters and booths are left to choose. Its solutions read
        as this model's (the variables are the same)."""
        model = self.model.clone()
        if not objective:
            model.clear_objective()
        for task, choices in self.by_task.items():
            if task in tasks:
                model.add_exactly_one(c.var for c in choices)
            elif choices:
                model.add(sum(c.var for c in choices) == 0)
        return model

    # -- reading a solution ------------------------------------------------------------------

    def placements(self, value) -> list[Placement]:
        """``value`` maps a variable to its value (a solver's or a callback's ``value``)."""
        found, pooled = [], []
        for choice in self.choices:
            if not value(choice.var):
                continue
            if choice.seated and not self.seating:
                pooled.append((Placement(choice.task, choice.start, (), choice.booth_class), choice))
            elif choice.seated:
                person = self.problem.tasks[choice.task].people[1]
                seats = tuple(
                    next(q for q in self.pools_in(members) if value(self.seat[(person, choice.booth_class, q, choice.start)]))
                    for members in choice.mode.seats
                )
                pooled.append((Placement(choice.task, choice.start, (), choice.booth_class), seats))
            else:
                found.append(Placement(choice.task, choice.start, choice.named or (), choice.booth_class))
        if not self.seating:
            pooled = self._seats_from_flows(value, pooled)
        # Floors before members: naming members keeps interpreters on their floor where it can.
        placed = self._floors_named(found + [placement for placement, _ in pooled])
        found = placed[:len(found)]
        pooled = [(placement, seats) for placement, (_, seats) in zip(placed[len(found):], pooled)]
        return found + name_members(self.problem, self.pools, pooled, found)

    def classes_named(self, placements: list[Placement]) -> list[Placement] | None:
        """Meetings placed without a booth class (by another program) get the one this model
        would give them: "any floor" where it counts floors, the class itself where there is one,
        else the first of their classes with a booth free throughout, fewest classes first.
        None when a meeting finds none."""
        problem = self.problem
        around = problem.booth_pools_around
        used: dict[tuple[int, int], int] = defaultdict(int)  # (booth pool, slot) -> meetings there
        named = list(placements)
        order = sorted(range(len(placements)), key=lambda i: len(self._classes(problem.tasks[placements[i].task])))
        for index in order:
            placement = placements[index]
            task = problem.tasks[placement.task]
            classes = self._classes(task)
            if classes in ((None,), (ANY_FLOOR,)):
                named[index] = replace(placement, booth_class=classes[0])
                continue
            span = problem.span(task, placement.start)
            chosen = next((c for c in classes if all(used[(p, t)] < self.booths_free(p, t)
                                                     for p in around[c] for t in span)), None)
            if chosen is None:
                return None
            for p in around[chosen]:
                for t in span:
                    used[(p, t)] += 1
            named[index] = replace(placement, booth_class=chosen)
        return named

    def _floors_named(self, placements: list[Placement]) -> list[Placement]:
        return name_floors(self.problem, placements, self.booths_free)

    def _seats_from_flows(self, value, pooled: list[tuple[Placement, Choice]]):
        """Counted interpreters: each seat set's seats at a slot get the pools its flow names, in
        any order (the flows fill them exactly)."""
        units: dict[tuple[int, frozenset[int]], list[int]] = {
            key: [q for q in self.pools_in(key[1]) for _ in range(value(self.flow[(*key, q)]))]
            for key in self.demand}
        return [(placement, tuple(units[(choice.start, members)].pop() for members in choice.mode.seats))
                for placement, choice in pooled]

    def tables(self, value) -> dict[int, str]:
        """Plaza: the table each buyer keeps, given the solution's choice of reserved tables."""
        problem = self.problem
        if problem.kind != "plaza":
            return {}
        if self.taken is not None:
            return dict(self.taken.tables)
        tables = dict(problem.fixed_tables)
        for (buyer, table), var in self.table_choice.items():
            if value(var):
                tables[buyer] = table
        taken = set(tables.values())
        plain = [t for t in problem.free_tables if t not in taken and not problem.table_blocked.get(t)]
        rest = [t for t in problem.free_tables if t not in taken and problem.table_blocked.get(t)]
        spare = plain + rest
        for person in problem.people:
            if person.role == "buyer" and person.index not in tables:
                tables[person.index] = spare.pop(0)
        return tables

    def hint(self, placements: list[Placement], tables: dict[int, str]) -> None:
        """Start the search from a known schedule (the greedy one, or the previous level's)."""
        self.model.clear_hints()
        hinted = self._values_of(placements, tables)
        # Straight into the model's hint: one add_hint call per variable is several times slower,
        # at the start of every solve (benchmarks/README.md, "Model and greedy").
        hint = self.model.proto.solution_hint
        hint.vars.extend(var.index for var, _ in hinted)
        hint.values.extend(int(value) for _, value in hinted)

    def values(self, placements: list[Placement], tables: dict[int, str]) -> list[int] | None:
        """The value of every variable of the model in a known schedule, by index; None when the
        model has variables a schedule does not decide (a later level's own). Whether they keep
        the model's rows is for the caller to check."""
        hinted = self._values_of(placements, tables)
        if len(hinted) != len(self.model.proto.variables):
            return None
        values = [0] * len(hinted)
        for var, value in hinted:
            values[var.index] = int(value)
        return values

    def _values_of(self, placements: list[Placement], tables: dict[int, str]) -> list[tuple]:
        """(variable, value) for the meetings, seats, flows and tables of a schedule."""
        hinted: list[tuple] = []
        chosen: dict[tuple, tuple[int, ...]] = {
            (p.task, p.start, ANY_FLOOR if p.booth_class is not None
             and self._classes(self.problem.tasks[p.task]) == (ANY_FLOOR,) else p.booth_class): p.interpreters
            for p in placements}
        seated: set[tuple] = set()
        flows: dict[tuple, int] = defaultdict(int)
        for choice in self.choices:
            interpreters = chosen.get((choice.task, choice.start, choice.booth_class))
            on = interpreters is not None and _fits(choice, interpreters)
            if on and choice.seated and not self.seating:
                for members, interpreter in zip(choice.mode.seats, interpreters):
                    flows[(choice.start, members, self.pool_of[interpreter])] += 1
            elif on and choice.seated:
                person = self.problem.tasks[choice.task].people[1]
                seated.update((person, choice.booth_class, self.pool_of[i], choice.start) for i in interpreters)
            if on:
                chosen.pop((choice.task, choice.start, choice.booth_class))  # one choice per placement
            hinted.append((choice.var, on))
        for key, seat in self.seat.items():
            hinted.append((seat, key in seated))
        for key, flow in self.flow.items():
            hinted.append((flow, flows[key]))
        for (buyer, table), var in self.table_choice.items():
            hinted.append((var, tables.get(buyer) == table))
        chosen_tables = {t for (_, t) in self.table_choice}
        for buyer, var in self.plain_table.items():
            hinted.append((var, tables.get(buyer) not in chosen_tables))
        return hinted


def _fits(choice: Choice, interpreters: tuple[int, ...]) -> bool:
    if choice.named is not None:
        return choice.named == interpreters
    seats = choice.mode.seats
    return len(seats) == len(interpreters) and all(i in members for i, members in zip(interpreters, seats))


def set_objective(model: cp_model.CpModel, expression, sense: str) -> None:
    """``model``'s objective: ``expression``, maximised (``sense`` "max") or minimised, as CP-SAT's
    own ``maximize`` and ``minimize`` state it, but written into the model's protocol buffer a list
    at a time where they append a term at a time: on an expo-size plaza's priority that was most of
    the level's set-up (benchmarks/README.md, "How the solver chooses": model and greedy). The
    expression is flattened by CP-SAT's own helper, as its own calls do."""
    if isinstance(expression, int) or not expression.is_integer():
        (model.maximize if sense == "max" else model.minimize)(expression)
        return
    flat = FlatIntExpr(expression)
    sign = -1 if sense == "max" else 1
    model.clear_objective()
    objective = model.proto.objective
    objective.vars.extend([variable.index for variable in flat.vars])
    objective.coeffs.extend([sign * coefficient for coefficient in flat.coeffs])
    objective.offset = sign * flat.offset
    objective.scaling_factor = float(sign)
