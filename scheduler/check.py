"""The independent checker: re-verify a finished schedule against its event, family by family.

It reads only the event and the schedule file (``scheduler.model``), never the
solver's candidate placements, so a mistake in how the solver enumerates
placements cannot hide from it. Each family is a plain function that yields
messages naming people, venue times and booths, so a coordinator can act on
them; :data:`FAMILIES` lists them in the order they are checked.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property

import pendulum
from pendulum import DateTime

from scheduler.model.availability import Interval, contains, person_windows, windows_in_zone, zone_of
from scheduler.model.event import Event, Interpreter, Participant, Request
from scheduler.model.grid import Grid, venue_instant
from scheduler.model.languages import bridges, relay_pivots, share_language
from scheduler.model.schedule_file import ScheduledMeeting, ScheduleFile, UnscheduledRequest


@dataclass(frozen=True)
class Violation:
    """One broken rule, e.g. ``nobody double-booked: F3 is in two meetings at ...``."""

    family: str
    message: str

    def __str__(self) -> str:
        return f"{self.family}: {self.message}"


Person = Participant | Interpreter
Entry = ScheduledMeeting | UnscheduledRequest
Role = str  # "buyer" | "firm" | "participant" | "interpreter"


def _at(instant: DateTime) -> str:
    return f"{instant:%Y-%m-%d %H:%M}"


def _span(start: DateTime, end: DateTime) -> str:
    if start.date() == end.date():
        return f"{start:%Y-%m-%d %H:%M}-{end:%H:%M}"
    return f"{_at(start)}-{_at(end)}"


def _and(items: Iterable[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _people_of(entry: Entry) -> tuple[tuple[Role, str], ...]:
    """The two sides an entry names, with their roles, as written."""
    named: list[tuple[Role, str]] = []
    if entry.buyer is not None:
        named.append(("buyer", entry.buyer))
    if entry.firm is not None:
        named.append(("firm", entry.firm))
    named.extend(("participant", person) for person in entry.between or ())
    return tuple(named)


@dataclass(frozen=True)
class Meeting:
    """A scheduled meeting in venue time, with the request it answers (None: nobody asked for it)."""

    entry: ScheduledMeeting
    start: DateTime
    end: DateTime
    request: int | None

    @property
    def title(self) -> str:
        return self.entry.title

    @property
    def booth(self) -> str:
        return self.entry.booth

    @property
    def people(self) -> tuple[tuple[Role, str], ...]:
        return _people_of(self.entry)

    @property
    def interpreters(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.entry.interpreters))

    def __str__(self) -> str:
        return f"{self.title} ({self.booth}, {_span(self.start, self.end)})"


def _pair_key(between, buyer, firm) -> object:
    return tuple(between) if between is not None else (buyer, firm)


class Facts:
    """What every family needs, worked out once: the grid, who is who, which request each entry answers."""

    def __init__(self, event: Event, schedule: ScheduleFile):
        self.event = event
        self.schedule = schedule
        self.zone = event.event.timezone
        self.grid = Grid(event.event)
        self.brokerage = event.kind == "brokerage"
        self._people: dict[tuple[Role, str], Person] = {}
        for role, records in (("buyer", event.buyers), ("firm", event.firms),
                              ("participant", event.participants), ("interpreter", event.interpreters)):
            for person in records:
                self._people.setdefault((role, person.id), person)
        self._request_by_key = {_pair_key(r.between, r.buyer, r.firm): i for i, r in enumerate(event.requests)}
        # A brokerage entry written in the other order than its request still finds the request, so a
        # reversed `between` is reported as such; unless the other order is a request of its own
        # (FORMAT.md: [A, B] and [B, A] are two meetings).
        for index, request in enumerate(event.requests):
            if request.between is not None:
                self._request_by_key.setdefault(tuple(reversed(request.between)), index)
        self._windows: dict[tuple[Role, str], tuple[Interval, ...] | None] = {}
        self.meetings = tuple(
            Meeting(entry, self.venue_time(entry.start), self.venue_time(entry.end), self.request_of(entry))
            for entry in schedule.meetings
        )
        self.unscheduled = tuple((entry, self.request_of(entry)) for entry in schedule.unscheduled)

    def form_problem(self, entry: Entry) -> str | None:
        """Why an entry is not written the way this kind of event writes it, or None."""
        if self.brokerage and (entry.buyer is not None or entry.firm is not None or entry.between is None):
            return "must name `between: [A, B]` at a brokerage event, not a buyer and a firm"
        if not self.brokerage and (entry.between is not None or entry.buyer is None or entry.firm is None):
            return f"must name a `buyer` and a `firm` at a {self.event.kind}" + (
                ", not `between`" if entry.between is not None else "")
        return None

    def request_of(self, entry: Entry) -> int | None:
        if self.form_problem(entry) is not None:
            return None
        return self._request_by_key.get(_pair_key(entry.between, entry.buyer, entry.firm))

    def request(self, index: int | None) -> Request | None:
        return None if index is None else self.event.requests[index]

    def person(self, role: Role, person_id: str) -> Person | None:
        return self._people.get((role, person_id))

    def windows(self, role: Role, person: Person) -> tuple[Interval, ...] | None:
        key = (role, person.id)
        if key not in self._windows:
            self._windows[key] = person_windows(person, role, self.event)
        return self._windows[key]

    def venue_time(self, instant) -> DateTime:
        return pendulum.instance(instant).in_timezone(self.zone)

    def label(self, request: Request) -> str:
        first, second = request.between if request.between is not None else (request.buyer, request.firm)
        return f"{first}-{second}"

    @cached_property
    def placed(self) -> dict[int, list[Meeting]]:
        placed: dict[int, list[Meeting]] = defaultdict(list)
        for meeting in self.meetings:
            if meeting.request is not None:
                placed[meeting.request].append(meeting)
        return placed


Family = Callable[[Facts], Iterator[str]]


def every_request_once(facts: Facts) -> Iterator[str]:
    """Each request is in meetings or unscheduled exactly once; nothing else is listed."""
    seen: dict[int, list[str]] = defaultdict(list)
    entries: list[tuple[Entry, int | None, str]] = [
        (m.entry, m.request, f"meeting at {m.booth}, {_span(m.start, m.end)}") for m in facts.meetings
    ] + [(entry, request, "unscheduled") for entry, request in facts.unscheduled]
    for entry, index, place in entries:
        problem = facts.form_problem(entry)
        if problem is not None:
            yield f"{entry.title} ({place}) {problem}"
            continue
        if index is None:
            yield f"{entry.title} ({place}) was never requested"
            continue
        seen[index].append(place)
        request = facts.event.requests[index]
        if request.between is not None and tuple(entry.between) != tuple(request.between):
            yield (f"{entry.title} ({place}) is written between [{', '.join(entry.between)}]; "
                   f"the request says [{', '.join(request.between)}], and entries keep the request's order")
    for index, request in enumerate(facts.event.requests):
        places = seen.get(index, [])
        if not places:
            yield f"{facts.label(request)} (requests[{index}]) is neither in meetings nor in unscheduled"
        elif len(places) > 1:
            yield f"{facts.label(request)} appears {len(places)} times ({_and(places)}); it belongs exactly once"


def on_the_slot_grid(facts: Facts) -> Iterator[str]:
    """A meeting starts at a slot start and ends with its last slot, with no break inside."""
    grid = facts.grid
    for meeting in facts.meetings:
        offset = meeting.entry.start.utcoffset()
        if offset != meeting.start.utcoffset():
            yield (f"{meeting} is written with UTC offset {_offset(offset)}, not the venue's "
                   f"{_offset(meeting.start.utcoffset())} ({facts.zone})")
        first = grid.slot_starting_at(meeting.start)
        if first is None:
            day = grid.day_of(meeting.start.date())
            if day is None:
                yield f"{meeting} is on {meeting.start:%Y-%m-%d}, which is not a day of the event"
            else:
                starts = ", ".join(f"{grid.slots[s].start:%H:%M}" for s in grid.slots_by_day[day])
                yield f"{meeting} starts at {meeting.start:%H:%M}, off the slot grid; slots that day start at {starts}"
            continue
        request = facts.request(meeting.request)
        if request is None:
            continue  # its length is unknown; every_request_once reports it
        span = grid.span(first, request.slots)
        if span is None:
            yield (f"{meeting} takes {request.slots} slots from {meeting.start:%H:%M}, "
                   f"{_why_no_span(grid, first, request.slots)}")
            continue
        end = grid.slots[span[-1]].end
        if meeting.end != end:
            slots = "slot" if request.slots == 1 else f"{request.slots} slots"
            yield (f"{meeting} ends at {meeting.end:%H:%M}, but its {slots} from {meeting.start:%H:%M} "
                   f"end at {end:%H:%M}")


def _offset(offset) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _why_no_span(grid: Grid, first: int, count: int) -> str:
    start = grid.slots[first].start
    end = start + count * grid.meeting + (count - 1) * grid.changeover
    pauses = [b for b in grid.breaks if b.start < end and start < b.end]
    if pauses:
        label = f" ({pauses[0].label})" if pauses[0].label else ""
        return f"which runs into the break {pauses[0].start:%H:%M}-{pauses[0].end:%H:%M}{label}"
    last = grid.slots[grid.slots_by_day[grid.slots[first].day][-1]]
    return f"which runs past the last slot of the day (ends {last.end:%H:%M})"


def tables_and_booths(facts: Facts) -> Iterator[str]:
    """The booth exists; on a plaza each buyer keeps one table and a table belongs to one buyer."""
    booth_ids = {booth.id for booth in facts.event.booths}
    for meeting in facts.meetings:
        if meeting.booth not in booth_ids:
            yield f"{meeting} is at booth {meeting.booth!r}, which the event does not have"
    if facts.event.kind != "plaza":
        return
    kept = {buyer.id: buyer.booth for buyer in facts.event.buyers if buyer.booth is not None}
    tables: dict[str, dict[str, list[Meeting]]] = defaultdict(lambda: defaultdict(list))
    users: dict[str, set[str]] = defaultdict(set)
    for buyer, booth in kept.items():
        users[booth].add(buyer)
    for meeting in facts.meetings:
        if meeting.entry.buyer is not None:
            tables[meeting.entry.buyer][meeting.booth].append(meeting)
            users[meeting.booth].add(meeting.entry.buyer)
    for buyer, used in tables.items():
        own = kept.get(buyer)
        if own is None:
            if len(used) > 1:
                yield f"{buyer} sits at tables {_and(sorted(used))}; a buyer keeps one table all event"
            continue
        for booth, meetings in sorted(used.items()):
            if booth != own:
                yield (f"{buyer} keeps table {own} but meets {_and(m.entry.firm or '?' for m in meetings)} at {booth} "
                       f"({_and(_span(m.start, m.end) for m in meetings)})")
    for booth, buyers in sorted(users.items()):
        if len(buyers) > 1:
            yield f"table {booth} is used by {_and(sorted(buyers))}; a table belongs to one buyer"


def booth_free(facts: Facts) -> Iterator[str]:
    """A booth holds one meeting at a time, and none while it is reserved."""
    by_booth: dict[str, list[Meeting]] = defaultdict(list)
    for meeting in facts.meetings:
        by_booth[meeting.booth].append(meeting)
    for booth, meetings in sorted(by_booth.items()):
        for a, b in _overlapping(meetings):
            yield (f"{booth} holds two meetings at once at {_at(max(a.start, b.start))}: "
                   f"{a.title} {_span(a.start, a.end)} and {b.title} {_span(b.start, b.end)}")
    for reservation in facts.event.reservations:
        begin = venue_instant(facts.zone, reservation.date, reservation.start)
        end = venue_instant(facts.zone, reservation.date, reservation.end)
        label = f" ({reservation.label})" if reservation.label else ""
        for meeting in by_booth.get(reservation.booth, ()):
            if meeting.start < end and begin < meeting.end:
                yield f"{meeting} overlaps the reservation of {reservation.booth} {_span(begin, end)}{label}"


def _overlapping(meetings: Sequence[Meeting]) -> Iterator[tuple[Meeting, Meeting]]:
    ordered = sorted(meetings, key=lambda m: (m.start, m.end))
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if b.start >= a.end:
                break
            yield a, b


def nobody_double_booked(facts: Facts) -> Iterator[str]:
    """Buyers, firms, participants and interpreters (relays too) are in one meeting at a time."""
    agenda: dict[tuple[Role, str], list[Meeting]] = defaultdict(list)
    for meeting in facts.meetings:
        for key in (*meeting.people, *(("interpreter", i) for i in meeting.interpreters)):
            agenda[key].append(meeting)
    for (role, person), meetings in agenda.items():
        for a, b in _overlapping(meetings):
            if role == "interpreter":
                with_ = f"{a.title} and {b.title}"
            else:
                with_ = f"with {_other(a, person)} and {_other(b, person)}"
            yield f"{person} is in two meetings at {_at(max(a.start, b.start))} ({with_})"


def _other(meeting: Meeting, person: str) -> str:
    others = [p for _, p in meeting.people if p != person]
    return others[0] if others else person


def everyone_available(facts: Facts) -> Iterator[str]:
    """A meeting lies inside a window of everyone in it, and inside the request's own windows."""
    for meeting in facts.meetings:
        people = (*meeting.people, *(("interpreter", i) for i in meeting.interpreters))
        for role, person_id in people:
            person = facts.person(role, person_id)
            if person is None:
                continue  # unknown people are reported by every_request_once and languages_covered
            windows = facts.windows(role, person)
            if contains(windows, meeting.start, meeting.end):
                continue
            zone = zone_of(person, facts.event.event)
            local_start, local_end = meeting.start.in_timezone(zone), meeting.end.in_timezone(zone)
            where = "" if zone == facts.zone else f", {_span(local_start, local_end)} in {zone}"
            yield (f"{person_id} is not available for {meeting}{where}; "
                   f"{person_id}'s hours on {local_start:%Y-%m-%d}: {_hours(windows, zone, local_start)}")
        request = facts.request(meeting.request)
        if request is not None and request.available is not None:
            windows = windows_in_zone(request.available, facts.zone)
            if not contains(windows, meeting.start, meeting.end):
                yield (f"{meeting} lies outside the request's own windows "
                       f"({', '.join(_span(start, end) for start, end in windows)})")


def _hours(windows: Sequence[Interval] | None, zone: str, local: DateTime) -> str:
    date = local.date()
    shown = []
    for start, end in windows or ():
        start, end = start.in_timezone(zone), end.in_timezone(zone)
        if start.date() <= date <= end.date():
            shown.append(f"{start:%H:%M}-{end:%H:%M}" if start.date() == end.date() else _span(start, end))
    return ", ".join(shown) or "none"


def languages_covered(facts: Facts) -> Iterator[str]:
    """The interpreters listed are the ones the request asks for, and they bridge the two sides."""
    for meeting in facts.meetings:
        listed = meeting.entry.interpreters
        unknown = [i for i in dict.fromkeys(listed) if facts.person("interpreter", i) is None]
        for interpreter in unknown:
            yield f"{meeting} lists interpreter {interpreter!r}, who is not in the event"
        repeated = sorted({i for i in listed if listed.count(i) > 1})
        for interpreter in repeated:
            yield f"{meeting} lists interpreter {interpreter} twice"
        if unknown or repeated:
            continue
        request = facts.request(meeting.request)
        mode = request.interpreter if request is not None else "auto"
        if mode == "none":
            if listed:
                yield f"{meeting} brings its own interpreter (interpreter: none) but lists {_and(listed)}"
            continue
        if mode != "auto":
            if tuple(listed) != (mode,):
                shown = _and(listed) if listed else "none"
                yield f"{meeting} asks for interpreter {mode} (interpreter: {mode}) but lists {shown}"
            continue
        sides = _relay_sides(facts, meeting, request)
        if sides is not None:
            yield from _auto_interpreters(facts, meeting, *sides)


def _relay_sides(facts: Facts, meeting: Meeting, request: Request | None) -> tuple[Person, Person] | None:
    """(firm side, buyer side): the firm, or at a brokerage event the first person the request names."""
    if facts.form_problem(meeting.entry) is not None:
        return None  # every_request_once reports it
    if facts.brokerage:
        first, second = request.between if request is not None else meeting.entry.between
        pair = (facts.person("participant", first), facts.person("participant", second))
    else:
        pair = (facts.person("firm", meeting.entry.firm), facts.person("buyer", meeting.entry.buyer))
    return pair if pair[0] is not None and pair[1] is not None else None


def _auto_interpreters(facts: Facts, meeting: Meeting, firm_side: Person, buyer_side: Person) -> Iterator[str]:
    listed = meeting.entry.interpreters
    first_side = firm_side.id if facts.brokerage else "the firm"

    def speaks(person: Person) -> str:
        return f"{person.id} ({', '.join(person.languages)})"

    if share_language(firm_side.languages, buyer_side.languages):
        if listed:
            common = sorted(set(firm_side.languages).intersection(buyer_side.languages))
            yield (f"{meeting}: {buyer_side.id} and {firm_side.id} share {', '.join(common)}; "
                   f"interpreter {_and(listed)} is not needed")
        return
    linguists = [facts.person("interpreter", i) for i in listed]
    if not listed:
        yield (f"{meeting}: {speaks(buyer_side)} and {speaks(firm_side)} share no language, "
               "and no interpreter is listed")
    elif len(listed) == 1:
        if not bridges(linguists[0].languages, firm_side.languages, buyer_side.languages):
            yield (f"{meeting}: interpreter {speaks(linguists[0])} cannot bridge "
                   f"{speaks(buyer_side)} and {speaks(firm_side)}")
    elif len(listed) == 2:
        first, second = linguists
        if relay_pivots(first.languages, second.languages, firm_side.languages, buyer_side.languages):
            return
        if relay_pivots(second.languages, first.languages, firm_side.languages, buyer_side.languages):
            yield (f"{meeting}: the relay is listed in the wrong order; {first_side}'s side comes first, "
                   f"so [{second.id}, {first.id}]")
        else:
            yield (f"{meeting}: {speaks(first)} then {speaks(second)} cannot relay between "
                   f"{speaks(firm_side)} and {speaks(buyer_side)}")
    else:
        yield f"{meeting} lists {len(listed)} interpreters ({_and(listed)}); a meeting takes one, or two in relay"


def caps_kept(facts: Facts) -> Iterator[str]:
    """``max_meetings``: over the event for buyers, firms and participants, per venue day for interpreters."""
    counts: dict[tuple[Role, str], list[Meeting]] = defaultdict(list)
    daily: dict[tuple[str, dt.date], list[Meeting]] = defaultdict(list)
    for meeting in facts.meetings:
        for key in meeting.people:
            counts[key].append(meeting)
        for interpreter in meeting.interpreters:
            daily[(interpreter, meeting.start.date())].append(meeting)
    for (role, person_id), meetings in counts.items():
        person = facts.person(role, person_id)
        if person is not None and person.max_meetings is not None and len(meetings) > person.max_meetings:
            yield (f"{person_id} has {len(meetings)} meetings ({_starts(meetings)}); "
                   f"max_meetings is {person.max_meetings}")
    for (interpreter, date), meetings in sorted(daily.items(), key=lambda item: item[0]):
        person = facts.person("interpreter", interpreter)
        if person is not None and person.max_meetings is not None and len(meetings) > person.max_meetings:
            yield (f"{interpreter} has {len(meetings)} meetings on {date} ({_starts(meetings)}); "
                   f"max_meetings is {person.max_meetings} a day")


def _starts(meetings: Sequence[Meeting]) -> str:
    return ", ".join(f"{m.start:%H:%M}" for m in sorted(meetings, key=lambda m: m.start))


def pinned_where_pinned(facts: Facts) -> Iterator[str]:
    """A pinned request takes place at its pinned start (venue time) and booth."""
    for meeting in facts.meetings:
        request = facts.request(meeting.request)
        if request is None or request.pinned is None:
            continue
        pinned = venue_instant(facts.zone, request.pinned.start.date(), request.pinned.start.time())
        if meeting.start != pinned:
            yield f"{meeting.title} is pinned at {_at(pinned)} but starts at {_at(meeting.start)} ({meeting.booth})"
        if request.pinned.booth is not None and meeting.booth != request.pinned.booth:
            yield (f"{meeting.title} is pinned to booth {request.pinned.booth} but sits at {meeting.booth} "
                   f"({_at(meeting.start)})")


def required_placed(facts: Facts) -> Iterator[str]:
    """Required and pinned requests are scheduled, unless the status is infeasible and says why."""
    status = facts.schedule.status
    reasons: dict[int, list[str]] = defaultdict(list)
    for entry, index in facts.unscheduled:
        if index is not None:
            reasons[index].append(entry.reason.strip())
    missing = 0
    for index, request in enumerate(facts.event.requests):
        if not request.is_required or index in facts.placed:
            continue
        missing += 1
        why = "pinned" if request.pinned is not None else "required"
        if status != "infeasible":
            yield (f"{facts.label(request)} is {why} but not scheduled, and the status is {status}, "
                   "not infeasible")
        elif not any(reasons.get(index, ())):
            yield f"{facts.label(request)} is {why} and not scheduled, but no reason is given"
    if status == "infeasible" and missing == 0:
        yield "the status is infeasible, yet every required request is scheduled"


def figures_add_up(facts: Facts) -> Iterator[str]:
    """The figures in ``stats`` agree with the meetings, the requests and the status."""
    schedule, requests = facts.schedule, facts.event.requests
    stats = schedule.stats
    if schedule.event != facts.event.event.name:
        yield f"the schedule is for {schedule.event!r}, not for this event, {facts.event.event.name!r}"
    scheduled_priority = sum(requests[index].priority for index in facts.placed)
    figures = (
        ("requested", stats.requested, len(requests), "the event has {} requests"),
        ("scheduled", stats.scheduled, len(schedule.meetings), "{} meetings are listed"),
        ("priority_requested", stats.priority_requested, sum(r.priority for r in requests),
         "the priorities of all requests add up to {}"),
        ("priority_scheduled", stats.priority_scheduled, scheduled_priority,
         "the priorities of the scheduled requests add up to {}"),
    )
    for name, given, counted, what in figures:
        if given != counted:
            yield f"stats.{name} is {given}, but {what.format(counted)}"
    bound = stats.priority_bound
    if bound is not None and bound < stats.priority_scheduled:
        yield f"stats.priority_bound {bound} is below priority_scheduled {stats.priority_scheduled}"
    if schedule.status == "optimal" and bound != stats.priority_scheduled:
        shown = "missing" if bound is None else str(bound)
        yield (f"the status is optimal, so priority_bound ({shown}) must equal "
               f"priority_scheduled ({stats.priority_scheduled})")
    given_gaps = (stats.model_extra or {}).get("idle_gaps")
    if given_gaps is not None:
        counted = count_idle_gaps(facts.event, schedule.meetings)
        if given_gaps != counted:
            yield f"stats.idle_gaps is {given_gaps}, but the meetings have {counted} idle gaps"
    yield from _levels_add_up(schedule.status, (stats.model_extra or {}).get("objective"))


def _levels_add_up(status: str, levels: object) -> Iterator[str]:
    """``stats.objective`` (beyond the contract; docs/formats.md) agrees with itself and with the
    status: a proven level is at its bound, no value lies beyond its bound, and ``optimal``
    means every level proven. Entries without these fields (written by hand) are not judged."""
    if not isinstance(levels, list):
        return
    for index, level in enumerate(levels):
        if not isinstance(level, dict):
            continue
        name, value, bound = level.get("level", "?"), level.get("value"), level.get("bound")
        where = f"stats.objective[{index}] ({name})"
        if level.get("proven") is True and value != bound:
            yield f"{where} is marked proven at {value}, but its bound is {bound}"
        elif status == "optimal" and level.get("proven") is False:
            yield f"the status is optimal, but {where} is not proven: {value}, bound {bound}"
        numbers = isinstance(value, int) and isinstance(bound, int)
        sense = level.get("sense")
        if numbers and (value > bound if sense == "max" else value < bound if sense == "min" else False):
            yield f"{where} is {value}, beyond its bound {bound}"


FAMILIES: tuple[tuple[str, Family], ...] = (
    ("every request once", every_request_once),
    ("on the slot grid", on_the_slot_grid),
    ("tables and booths", tables_and_booths),
    ("booth free", booth_free),
    ("nobody double-booked", nobody_double_booked),
    ("everyone available", everyone_available),
    ("languages covered", languages_covered),
    ("caps kept", caps_kept),
    ("pinned where pinned", pinned_where_pinned),
    ("required placed", required_placed),
    ("figures add up", figures_add_up),
)


def check_schedule(event: Event, schedule: ScheduleFile) -> list[Violation]:
    """Every violation of every family, in the order of :data:`FAMILIES`; empty when the schedule is valid."""
    facts = Facts(event, schedule)
    return [Violation(name, message) for name, family in FAMILIES for message in family(facts)]


# The families one meeting keeps or breaks on its own, whatever else is scheduled.
ON_ITS_OWN = ("on the slot grid", "everyone available", "languages covered")


def breaks_on_its_own(event: Event, meeting: ScheduledMeeting) -> list[Violation]:
    """What ``event`` rules out about ``meeting`` alone, where and when it is (families ON_ITS_OWN):
    a replan's meeting that had started may be cancelled only where the edited event no longer
    allows it there (changes.py, ``past_kept``)."""
    facts = Facts(event, ScheduleFile.model_construct(event=event.event.name, meetings=(meeting,), unscheduled=()))
    return [Violation(name, message) for name, family in FAMILIES if name in ON_ITS_OWN for message in family(facts)]


# The families meetings keep or break together, whatever else is scheduled.
TOGETHER = ("tables and booths", "booth free", "nobody double-booked", "caps kept")


def breaks_together(event: Event, meetings: Sequence[ScheduledMeeting]) -> list[Violation]:
    """What ``event`` rules out about ``meetings`` together (families TOGETHER): a replan's past,
    kept as it took place, must keep them, or no replan can (cli.py, before solving)."""
    facts = Facts(event, ScheduleFile.model_construct(event=event.event.name, meetings=tuple(meetings), unscheduled=()))
    return [Violation(name, message) for name, family in FAMILIES if name in TOGETHER for message in family(facts)]


def idle_gaps_by_person(event: Event, meetings: Iterable[ScheduledMeeting]) -> dict[tuple[Role, str], int]:
    """FORMAT.md "Idle gaps" per (role, id) of buyers, firms and participants (not interpreters).

    On one venue day, two consecutive meetings with at least one grid slot
    wholly between them count one gap, however many slots lie between; a
    break removes slots from the grid, so a break alone is no gap.
    """
    grid = Grid(event.event)
    zone = event.event.timezone
    agenda: dict[tuple[Role, str], list[tuple[DateTime, DateTime]]] = defaultdict(list)
    for meeting in meetings:
        start = pendulum.instance(meeting.start).in_timezone(zone)
        end = pendulum.instance(meeting.end).in_timezone(zone)
        for key in _people_of(meeting):
            agenda[key].append((start, end))
    gaps: dict[tuple[Role, str], int] = {}
    for key, times in agenda.items():
        times.sort()
        gaps[key] = 0
        for (_, before_end), (after_start, _) in zip(times, times[1:]):
            day = grid.day_of(after_start.date())
            if before_end.date() != after_start.date() or day is None:
                continue
            if any(before_end <= grid.slots[s].start and grid.slots[s].end <= after_start
                   for s in grid.slots_by_day[day]):
                gaps[key] += 1
    return gaps


def count_idle_gaps(event: Event, meetings: Iterable[ScheduledMeeting]) -> int:
    """The total of :func:`idle_gaps_by_person`, the figure ``stats.idle_gaps`` carries."""
    return sum(idle_gaps_by_person(event, meetings).values())


__all__ = ["FAMILIES", "ON_ITS_OWN", "TOGETHER", "Violation", "breaks_on_its_own", "breaks_together", "check_schedule",
           "count_idle_gaps", "idle_gaps_by_person"]
