"""The event compiled into indexed facts a solver can use, knowing nothing of any solver.

For each request: the start slots where everyone in it is available (and its
table is free), and the ways it can be interpreted (none, one interpreter, or
a relay of two, firm side first). Booths that behave alike are grouped into
classes so a solver counts free booths instead of naming them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from pendulum import DateTime

from scheduler.model.availability import Interval, is_remote, person_windows, windows_in_zone, zone_of
from scheduler.model.event import Event, Interpreter, Participant, Request
from scheduler.model.grid import Grid, SlotFit, venue_instant
from scheduler.model.languages import bridges, share_language

Option = tuple[int, ...]  # interpreter indices, firm side first; () = no interpreter


@dataclass(frozen=True)
class Mode:
    """A way to interpret a meeting without naming the interpreters yet: one seat per set,
    firm side first. ``()`` needs nobody; ``(S,)`` one interpreter from S; ``(A, B)`` a relay of
    one from A (firm language to a pivot) and one from B (pivot to buyer language). A and B never
    share anyone: whoever speaks both sides' languages interprets alone."""

    seats: tuple[frozenset[int], ...]

    def options(self) -> list[Option]:
        if not self.seats:
            return [()]
        if len(self.seats) == 1:
            return [(i,) for i in sorted(self.seats[0])]
        first, second = self.seats
        return [(i, j) for i in sorted(first) for j in sorted(second)]

    def restricted(self, available: set[int]) -> Mode | None:
        seats = tuple(frozenset(s & available) for s in self.seats)
        return Mode(seats) if all(seats) else None


@dataclass(frozen=True)
class Person:
    index: int
    role: str  # buyer | firm | participant
    record: Participant
    windows: tuple[Interval, ...] | None
    remote: bool
    zone: str

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def key(self) -> str:
        return f"{self.role}:{self.record.id}"


@dataclass(frozen=True)
class Linguist:
    index: int
    record: Interpreter
    windows: tuple[Interval, ...] | None
    remote: bool
    zone: str

    @property
    def id(self) -> str:
        return self.record.id


@dataclass(frozen=True)
class BoothClass:
    """A pool of booths a meeting may take "any free one" of.

    ``kind == "class"``: booths that are interchangeable (same floor, free in the same slots);
    a meeting longer than one slot takes one of these, so it keeps its booth throughout.
    ``kind == "floor"``: every booth on a floor; a one-slot meeting takes any booth free at
    its slot. A pool's capacity at a slot bounds the meetings in it and in every pool inside it.
    """

    index: int
    kind: str  # class | floor
    booths: tuple[str, ...]
    floor: int | None
    blocked: dict[str, frozenset[int]]  # booth -> slots it is reserved or pinned to a meeting

    def capacity(self, slot: int) -> int:
        return len(self.booths) - self._blocked_at.get(slot, 0)

    def contains(self, other: BoothClass) -> bool:
        return other._booth_set <= self._booth_set

    # Asked for every choice of every model and every step of greedy: counted once (counted on
    # each question, it was most of a month's greedy; benchmarks/README.md, "How the solver
    # chooses": model and greedy).
    @cached_property
    def _blocked_at(self) -> Counter:
        return Counter(slot for booth in self.booths for slot in self.blocked[booth])

    @cached_property
    def _booth_set(self) -> frozenset[str]:
        return frozenset(self.booths)

    def __hash__(self) -> int:
        return hash(self.index)


@dataclass(frozen=True)
class Task:
    """One request, with everything a solver needs to place it."""

    index: int  # position in ``event.requests``
    request: Request
    people: tuple[int, int]  # person indices: firm side (or between[0]) first
    length: int  # slots
    starts: tuple[int, ...]  # start slots where people, request window and fixed table allow it
    options: tuple[Option, ...]  # interpretation options, cheapest first
    options_at: dict[int, tuple[int, ...]]  # start slot -> indices into ``options`` whose interpreters are free
    modes_at: dict[int, tuple[Mode, ...]]  # start slot -> the same options grouped into modes
    classes: tuple[int, ...]  # booth pools it may use (empty on a plaza or when pinned to a booth)
    pinned_start: int | None
    pinned_booth: str | None

    @property
    def priority(self) -> int:
        return self.request.priority

    @property
    def required(self) -> bool:
        return self.request.is_required

    def placements(self) -> list[tuple[int, int]]:
        """(start, option index) pairs that are possible before any other meeting is placed."""
        return [(start, o) for start in self.starts for o in self.options_at.get(start, ())]

    @cached_property
    def placement_count(self) -> int:
        """How many :meth:`placements` there are (asked of every request by greedy's order, the
        reasons and the bounds: counted once)."""
        return sum(len(self.options_at.get(start, ())) for start in self.starts)


@dataclass(frozen=True)
class Published:
    """A request's meeting in a published schedule (a replan's baseline, see baseline.py):
    its start slot (None: no longer on the grid), interpreters by id, booth or table."""

    start: int | None
    interpreters: tuple[str, ...]
    booth: str
    frozen: bool = False  # it started before --now: kept exactly
    # It started before --now, but the edited event no longer allows it where it took place (someone
    # in it left during it): history, not placed again, so cancelled.
    cut: bool = False


@dataclass
class Problem:
    event: Event
    grid: Grid
    people: tuple[Person, ...]
    linguists: tuple[Linguist, ...]
    tasks: tuple[Task, ...]
    booth_classes: tuple[BoothClass, ...]
    # Plaza tables: the table each buyer keeps when it is fixed by the file (booth: or a pinned booth).
    fixed_tables: dict[int, str] = field(default_factory=dict)
    # Plaza tables nobody keeps by name, and the slots each is reserved.
    free_tables: tuple[str, ...] = ()
    table_blocked: dict[str, frozenset[int]] = field(default_factory=dict)
    # A replan: request index -> its meeting in the published schedule (empty when planned afresh).
    published: dict[int, Published] = field(default_factory=dict)
    opens_at: DateTime | None = None  # a replan's --now: no new meeting starts before it
    withdrawn: int = 0  # a replan's published meetings whose request or person left the event (cancelled)

    @property
    def kind(self) -> str:
        return self.event.kind

    def span(self, task: Task, start: int) -> range:
        return range(start, start + task.length)

    def interval(self, task: Task, start: int) -> tuple[DateTime, DateTime]:
        return self.grid.slots[start].start, self.grid.slots[start + task.length - 1].end

    @cached_property
    def person_by_key(self) -> dict[str, Person]:
        return {p.key: p for p in self.people}

    @cached_property
    def linguist_by_id(self) -> dict[str, Linguist]:
        return {i.id: i for i in self.linguists}

    def tasks_of(self, person: int) -> list[Task]:
        return self._tasks_by_person[person]

    @cached_property
    def _tasks_by_person(self) -> dict[int, list[Task]]:
        by_person: dict[int, list[Task]] = defaultdict(list)
        for task in self.tasks:
            for person in task.people:
                by_person[person].append(task)
        return by_person

    @cached_property
    def placeable_people(self) -> frozenset[int]:
        """People with at least one request that could take place (before any other is placed)."""
        return frozenset(person for task in self.tasks if task.placement_count for person in task.people)

    @cached_property
    def floor_pools(self) -> tuple[BoothClass, ...]:
        """The booth pools that are whole floors (``kind == "floor"``): a one-slot meeting may take a
        booth on any of them."""
        return tuple(pool for pool in self.booth_classes if pool.kind == "floor")

    @cached_property
    def booth_pools_inside(self) -> tuple[tuple[int, ...], ...]:
        """Per booth pool, the pools inside it (itself included): its capacity bounds them all."""
        pools = self.booth_classes
        return tuple(tuple(q.index for q in pools if pool.contains(q)) for pool in pools)

    @cached_property
    def booth_pools_around(self) -> tuple[tuple[int, ...], ...]:
        """Per booth pool, the pools that hold it (itself included)."""
        inside = self.booth_pools_inside
        return tuple(tuple(p for p in range(len(inside)) if q in inside[p]) for q in range(len(inside)))

    @cached_property
    def interpreter_pools(self) -> tuple[tuple[int, ...], ...]:
        """Interpreters who are interchangeable, each group in one pool: the same languages,
        the same windows and the same daily cap, and none of them can be named for a
        particular meeting (by the request, as the one who sits through a meeting longer
        than a slot, or as a replan's published interpreter). Everyone else is a pool of one."""
        named = {self.linguist_by_id[i].index for meeting in self.published.values() for i in meeting.interpreters
                 if i in self.linguist_by_id}
        for task in self.tasks:
            if task.request.interpreter not in ("auto", "none") or task.length > 1:
                named.update(i for option in task.options for i in option)
        groups: dict[tuple, list[int]] = {}
        for linguist in self.linguists:
            record = linguist.record
            key = (frozenset(record.languages), linguist.windows, record.max_meetings) \
                if linguist.index not in named else ("named", linguist.index)
            groups.setdefault(key, []).append(linguist.index)
        return tuple(tuple(members) for members in sorted(groups.values()))

    @cached_property
    def booth_floor(self) -> dict[str, int | None]:
        return {booth.id: booth.floor for booth in self.event.booths}

    def slot_day(self, slot: int) -> int:
        return self.grid.slots[slot].day


def compile_problem(event: Event) -> Problem:
    """Turn a validated event into a :class:`Problem`."""
    grid = Grid(event.event)
    people = _people(event)
    linguists = tuple(
        Linguist(i, rec, person_windows(rec, "interpreter", event), is_remote(rec, "interpreter", event.kind),
                 zone_of(rec, event.event))
        for i, rec in enumerate(event.interpreters)
    )
    key_index = {p.key: p.index for p in people}
    reserved = _reserved_slots(event, grid)
    fixed_tables, free_tables, table_blocked = _plaza_tables(event, reserved) if event.kind == "plaza" else ({}, (), {})
    buyer_index = {p.id: p.index for p in people if p.role == "buyer"}
    fixed_by_person = {buyer_index[b]: t for b, t in fixed_tables.items()}
    pinned_blocks = _pinned_booth_slots(event, grid) if event.kind != "plaza" else {}
    classes = _booth_classes(event, reserved, pinned_blocks) if event.kind != "plaza" else ()
    fit = SlotFit(grid)
    modes: dict[tuple, tuple[Mode, ...]] = {}  # requests with the same languages are interpreted alike
    interpreting: dict[tuple, _Interpreting] = {}  # and, of the same length, fit the same interpreters
    tasks = []
    for index, request in enumerate(event.requests):
        if event.kind == "brokerage":
            assert request.between is not None
            pair = (key_index[f"participant:{request.between[0]}"], key_index[f"participant:{request.between[1]}"])
        else:
            pair = (key_index[f"firm:{request.firm}"], key_index[f"buyer:{request.buyer}"])
        first, second = people[pair[0]].record, people[pair[1]].record
        key = (request.interpreter, tuple(first.languages), tuple(second.languages))
        if key not in modes:
            modes[key] = _modes(request, first, second, linguists)
        if (key, request.slots) not in interpreting:
            interpreting[key, request.slots] = _Interpreting(modes[key], linguists, fit, request.slots)
        tasks.append(_task(event, grid, fit, people, interpreting[key, request.slots], index, request, pair,
                           fixed_by_person, table_blocked, classes))
    return Problem(
        event=event, grid=grid, people=people, linguists=linguists, tasks=tuple(tasks),
        booth_classes=classes, fixed_tables=fixed_by_person, free_tables=free_tables,
        table_blocked=table_blocked,
    )


def _people(event: Event) -> tuple[Person, ...]:
    roles = (("participant", event.participants),) if event.kind == "brokerage" else (
        ("buyer", event.buyers), ("firm", event.firms))
    people = []
    for role, records in roles:
        for record in records:
            people.append(Person(len(people), role, record, person_windows(record, role, event),
                                 is_remote(record, role, event.kind), zone_of(record, event.event)))
    return tuple(people)


def _reserved_slots(event: Event, grid: Grid) -> dict[str, set[int]]:
    reserved: dict[str, set[int]] = defaultdict(set)
    zone = event.event.timezone
    for reservation in event.reservations:
        start = venue_instant(zone, reservation.date, reservation.start)
        end = venue_instant(zone, reservation.date, reservation.end)
        reserved[reservation.booth].update(grid.overlapping(start, end))
    return reserved


def _plaza_tables(event: Event, reserved: dict[str, set[int]]):
    fixed = {b.id: b.booth for b in event.buyers if b.booth is not None}
    for request in event.requests:
        if request.pinned is not None and request.pinned.booth is not None and request.buyer not in fixed:
            fixed[request.buyer] = request.pinned.booth
    taken = set(fixed.values())
    free = tuple(b.id for b in event.booths if b.id not in taken)
    blocked = {booth.id: frozenset(reserved.get(booth.id, ())) for booth in event.booths}
    return fixed, free, blocked


def _pinned_booth_slots(event: Event, grid: Grid) -> dict[str, set[int]]:
    blocks: dict[str, set[int]] = defaultdict(set)
    zone = event.event.timezone
    for request in event.requests:
        if request.pinned is not None and request.pinned.booth is not None:
            first = grid.slot_starting_at(venue_instant(zone, request.pinned.start.date(), request.pinned.start.time()))
            assert first is not None  # checked when loading
            blocks[request.pinned.booth].update(range(first, first + request.slots))
    return blocks


def _booth_classes(event: Event, reserved: dict[str, set[int]], pinned: dict[str, set[int]]) -> tuple[BoothClass, ...]:
    """Classes of interchangeable booths, then one pool per floor."""
    blocked = {b.id: frozenset(reserved.get(b.id, set()) | pinned.get(b.id, set())) for b in event.booths}
    groups: dict[tuple, list[str]] = {}
    for booth in event.booths:
        groups.setdefault((booth.floor, blocked[booth.id]), []).append(booth.id)
    ordered = sorted(groups.items(), key=lambda kv: (kv[0][0] is None, kv[0][0] or 0, len(kv[0][1]), kv[1][0]))
    pools = [BoothClass(i, "class", tuple(booths), floor, {b: blocked[b] for b in booths})
             for i, ((floor, _), booths) in enumerate(ordered)]
    floors: dict[int | None, list[str]] = {}
    for booth in event.booths:
        floors.setdefault(booth.floor, []).append(booth.id)
    for floor, booths in sorted(floors.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)):
        pools.append(BoothClass(len(pools), "floor", tuple(booths), floor, {b: blocked[b] for b in booths}))
    return tuple(pools)


def _modes(request: Request, first: Participant, second: Participant,
           linguists: tuple[Linguist, ...]) -> tuple[Mode, ...]:
    """Ways to interpret a meeting; ``first`` is the firm side. A relay member who could bridge the
    pair alone is left out of relays: that member alone does the same with one person fewer."""
    if request.interpreter == "none":
        return (Mode(()),)
    if request.interpreter != "auto":
        return (Mode((frozenset({next(l.index for l in linguists if l.id == request.interpreter)}),)),)
    a, b = first.languages, second.languages
    if share_language(a, b):
        return (Mode(()),)
    alone = frozenset(l.index for l in linguists if bridges(l.record.languages, a, b))
    modes = [Mode((alone,))] if alone else []
    others = [l for l in linguists if l.index not in alone]
    relays = set()
    for pivot in sorted({code for l in others for code in l.record.languages}):
        from_firm = frozenset(l.index for l in others if _speaks_pivot_and(l, pivot, a))
        to_buyer = frozenset(l.index for l in others if _speaks_pivot_and(l, pivot, b))
        if from_firm and to_buyer and (from_firm, to_buyer) not in relays:
            relays.add((from_firm, to_buyer))
            modes.append(Mode((from_firm, to_buyer)))
    return tuple(modes)


def _speaks_pivot_and(linguist: Linguist, pivot: str, side: tuple[str, ...]) -> bool:
    spoken = linguist.record.languages
    return pivot in spoken and any(code != pivot and code in side for code in spoken)


def _options(modes: tuple[Mode, ...]) -> tuple[Option, ...]:
    return tuple(dict.fromkeys(option for mode in modes for option in mode.options()))


class _Interpreting:
    """The interpreter options and modes of the requests interpreted alike and as long, and which
    of them fit at a start, by the interpreters free then. Worked out once for all those requests:
    with relays an event of 13,000 requests spent most of its compile on it, request by request."""

    def __init__(self, modes: tuple[Mode, ...], linguists: tuple[Linguist, ...], fit: SlotFit, length: int):
        self.modes = modes
        self.options = _options(modes)
        wanted = {i for mode in modes for seat in mode.seats for i in seat}
        # Interpreters with windows of their own; the others are free at every start.
        self.limited = {i: fit.allowed(linguists[i].windows, length) for i in sorted(wanted) if linguists[i].windows}
        self.always = wanted - self.limited.keys()
        self.by_free: dict[tuple[int, ...], tuple] = {}  # the options and modes for each set of free interpreters

    def at(self, start: int) -> tuple[tuple[int, ...], tuple[Mode, ...]]:
        """The options (by index) and the modes whose interpreters are free at ``start``."""
        key = tuple(i for i, allowed in self.limited.items() if start in allowed)
        if key not in self.by_free:
            free = self.always.union(key)
            self.by_free[key] = (tuple(o for o, option in enumerate(self.options) if all(i in free for i in option)),
                                 tuple(m for m in (mode.restricted(free) for mode in self.modes) if m is not None))
        return self.by_free[key]


def _task(event, grid, fit, people, interpreting: _Interpreting, index, request, pair, fixed_by_person,
          table_blocked, classes) -> Task:
    first, second = people[pair[0]], people[pair[1]]
    zone = event.event.timezone
    length = request.slots
    request_windows = windows_in_zone(request.available, zone) if request.available is not None else None
    pinned_start = None
    if request.pinned is not None:
        pinned_start = grid.slot_starting_at(venue_instant(zone, request.pinned.start.date(), request.pinned.start.time()))
    # The table a plaza meeting uses is the buyer's; when that is known, its reservations rule slots out.
    table = next((fixed_by_person[p] for p in pair if p in fixed_by_person), None)
    blocked = table_blocked.get(table, frozenset()) if table else frozenset()
    candidates = fit.starts(length) if pinned_start is None else \
        [pinned_start] if pinned_start in fit.starts(length) else []
    windows = [w for w in (fit.allowed(first.windows, length), fit.allowed(second.windows, length),
                           fit.allowed(request_windows, length)) if w is not None]
    inside = frozenset(candidates).intersection(*windows)  # as sets: a month asks it a million times
    starts = [s for s in candidates if s in inside and not (blocked and blocked.intersection(range(s, s + length)))]
    options_at, modes_at = {}, {}
    for start in starts:
        fits, fitting_modes = interpreting.at(start)
        if fits:
            options_at[start] = fits
            modes_at[start] = fitting_modes
    pinned_booth = request.pinned.booth if request.pinned is not None else None
    kind = "class" if request.slots > 1 else "floor"
    task_classes = () if event.kind == "plaza" or pinned_booth is not None else tuple(
        c.index for c in classes if c.kind == kind)
    return Task(index=index, request=request, people=pair, length=request.slots, starts=tuple(starts),
                options=interpreting.options, options_at=options_at, modes_at=modes_at, classes=task_classes, pinned_start=pinned_start,
                pinned_booth=pinned_booth)
