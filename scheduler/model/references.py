"""Checks across records, in one place: ids, references, tables, pins, windows.

Each check returns located problems such as
``requests[12].buyer: no buyer 'B999'``; the loader raises them together.
One mistake gives one problem: an unknown id is named once however many
requests use it, a record whose id is taken twice is not checked again as if
it were another person, and a date that is not a day of the event is named
once with every place that uses it.
"""

from __future__ import annotations

import importlib.resources
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from scheduler.model.availability import is_remote, windows_in_zone
from scheduler.model.errors import Locator, Problem
from scheduler.model.event import Event, Participant
from scheduler.model.grid import Grid, venue_instant
from scheduler.model.languages import bridges, share_language
from scheduler.model.times import format_clock

PEOPLE_LISTS = ("buyers", "firms", "participants", "interpreters")


def check_references(event: Event, locator: Locator) -> list[Problem]:
    checks = (
        _lists_fit_the_kind,
        _ids_and_references,
        _tables,
        _time_zones_where_needed,
        _dates_inside_the_event,
        _requests,
    )
    ids = _Ids.of(event, locator.place)
    problems: list[Problem] = []
    for check in checks:
        found = list(check(event, ids))
        problems.extend(locator.problem(loc, message) for loc, message in found)
        if any(loc == ("event", "kind") for loc, _ in found):
            break  # a file of another kind: every later check would only repeat it
    return problems


Found = Iterator[tuple[tuple, str]]

# What each kind of reference names, and how a message calls it.
_TARGETS = {"booths": "booth", "buyers": "buyer", "firms": "firm", "participants": "participant",
            "interpreters": "interpreter"}


@dataclass
class _Ids:
    """The ids of each list, the records whose id an earlier record already has, and every place that
    names an id no record has (list -> id -> places)."""

    place: Callable[[tuple], str]
    known: dict[str, set[str]] = field(default_factory=dict)
    repeats: dict[str, dict[int, int]] = field(default_factory=dict)  # list -> index -> first index
    unknown: dict[str, dict[str, list[tuple]]] = field(default_factory=dict)

    @classmethod
    def of(cls, event: Event, place: Callable[[tuple], str]) -> _Ids:
        ids = cls(place)
        for name in _TARGETS:
            first: dict[str, int] = {}
            ids.repeats[name] = {}
            for index, record in enumerate(getattr(event, name)):
                if record.id in first:
                    ids.repeats[name][index] = first[record.id]
                else:
                    first[record.id] = index
            ids.known[name] = set(first)
            ids.unknown[name] = {}
        for name, loc, value in _references(event):
            if value not in ids.known[name]:
                ids.unknown[name].setdefault(value, []).append(loc)
        return ids

    def names(self, name: str, value: str | None) -> bool:
        """True when ``value`` is an id of list ``name`` (an unknown one is reported once, elsewhere)."""
        return value in self.known[name]

    def is_repeat(self, name: str, index: int) -> bool:
        return index in self.repeats[name]

    def places(self, locs: list[tuple]) -> str:
        """``a``, ``a and b``, ``a, b and c``, or the first five ``and 7 more``."""
        shown = [self.place(loc) for loc in locs[:5]]
        if len(locs) > 5:
            return f"{', '.join(shown)} and {len(locs) - 5} more"
        return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"


def _references(event: Event) -> Iterator[tuple[str, tuple, str]]:
    """Every id that one record names in another list: (list, place, id)."""
    for index, buyer in enumerate(event.buyers):
        if buyer.booth is not None and event.kind == "plaza":
            yield "booths", ("buyers", index, "booth"), buyer.booth
    for index, reservation in enumerate(event.reservations):
        yield "booths", ("reservations", index, "booth"), reservation.booth
    for index, request in enumerate(event.requests):
        loc = ("requests", index)
        if event.kind == "brokerage" and request.between is not None:
            for side, person_id in enumerate(request.between):
                yield "participants", (*loc, "between", side), person_id
        elif event.kind != "brokerage" and request.between is None:
            for role in ("buyer", "firm"):
                yield f"{role}s", (*loc, role), getattr(request, role)
        if request.interpreter not in ("auto", "none"):
            yield "interpreters", (*loc, "interpreter"), request.interpreter
        if request.pinned is not None and request.pinned.booth is not None:
            yield "booths", (*loc, "pinned", "booth"), request.pinned.booth


def _lists_fit_the_kind(event: Event, ids: _Ids) -> Found:
    brokerage = event.kind == "brokerage"
    expected = ("participants",) if brokerage else ("buyers", "firms")
    foreign = [name for name in (("buyers", "firms") if brokerage else ("participants",)) if getattr(event, name)]
    if not foreign:
        return
    if any(getattr(event, name) for name in expected):
        for name in foreign:  # a stray list beside the right ones
            yield (name,), (f"a brokerage event lists `participants`, not `{name}`" if brokerage else
                            f"a {event.kind} lists `buyers` and `firms`; `participants` is for brokerage events")
        return
    # Only the other kind's lists: the kind is likely wrong, and every request would say so again.
    other_shape = sum((request.between is None) == brokerage for request in event.requests)
    requests = (f", and {other_shape} of its {len(event.requests)} requests name "
                f"{'a buyer and a firm' if brokerage else '`between`'}") if other_shape else ""
    yield ("event", "kind"), (
        f"a {'brokerage event' if brokerage else event.kind} lists {' and '.join(f'`{name}`' for name in expected)}, but this file lists "
        f"{' and '.join(f'`{name}`' for name in foreign)}{requests}: is it "
        f"{'a plaza or a teleconference' if brokerage else 'a brokerage event'}?"
    )


def _ids_and_references(event: Event, ids: _Ids) -> Found:
    """Each id once per list, and each id named elsewhere defined. Where a list repeats an id, the ids
    its records were meant to have are likely the unknown ones, so those are said with the repeat."""
    for name, role in _TARGETS.items():
        unknown = ids.unknown[name]
        records = getattr(event, name)
        if not records and unknown:
            values = sorted(unknown)
            shown = ", ".join(values[:5]) + (f" and {len(values) - 5} more" if len(values) > 5 else "")
            named = f"{len(values)} {'id is' if len(values) == 1 else 'ids are'} named as {role}s"
            yield (name,), f"lists no {role}, yet {named} ({shown})"
            continue
        for number, (index, first) in enumerate(ids.repeats[name].items()):
            message = f"duplicate id {records[index].id!r} (also {ids.place((name, first))})"
            if number == 0 and unknown:
                values = " or ".join(repr(value) for value in unknown)
                locs = [loc for value_locs in unknown.values() for loc in value_locs]
                message += (f"; no {role} is {values}, which {ids.places(locs)} name{'s' if len(locs) == 1 else ''}: "
                            f"is this record {'one of them' if len(unknown) > 1 else 'it'}?")
            yield (name, index, "id"), message
        if ids.repeats[name] or (name == "booths" and _too_few_tables(event)):
            continue  # said with the repeated id, or with the missing tables
        for value, locs in unknown.items():
            also = f"; {ids.places(locs[1:])} name{'s' if len(locs) == 2 else ''} it too" if len(locs) > 1 else ""
            hint = " (or write auto or none)" if name == "interpreters" else ""
            yield locs[0], f"no {role} {value!r}{hint}{also}"


def _tables(event: Event, ids: _Ids) -> Found:
    owner: dict[str, int] = {}
    for index, buyer in enumerate(event.buyers):
        if buyer.booth is None or ids.is_repeat("buyers", index):
            continue
        if event.kind != "plaza":
            yield ("buyers", index, "booth"), (
                f"only on a plaza does a buyer keep a table; in a {event.kind} every meeting takes any free booth"
            )
        elif not ids.names("booths", buyer.booth):
            continue
        elif buyer.booth in owner:
            other = owner[buyer.booth]
            yield ("buyers", index, "booth"), (
                f"table {buyer.booth} is already kept by {event.buyers[other].id} (buyers[{other}]); "
                "a table belongs to one buyer"
            )
        else:
            owner[buyer.booth] = index
    for name in ("firms", "participants"):
        for index, person in enumerate(getattr(event, name)):
            if person.booth is not None:
                yield (name, index, "booth"), "only buyers on a plaza keep a table"
    if _too_few_tables(event):
        unknown = ids.unknown["booths"]
        named = ""
        if unknown:
            locs = [loc for value_locs in unknown.values() for loc in value_locs]
            named = (f"; {ids.places(locs)} name{'s' if len(locs) == 1 else ''} "
                     f"{' and '.join(map(repr, unknown))}, which {'is' if len(unknown) == 1 else 'are'} not among them")
        tables, buyers = len({booth.id for booth in event.booths}), len({buyer.id for buyer in event.buyers})
        yield ("booths",), f"{tables} tables for {buyers} buyers: on a plaza every buyer keeps a table{named}"


def _too_few_tables(event: Event) -> bool:
    return event.kind == "plaza" and len({booth.id for booth in event.booths}) < len({b.id for b in event.buyers})


@lru_cache(maxsize=1)
def _zones_by_country() -> dict[str, set[str]]:
    text = importlib.resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    zones: dict[str, set[str]] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            parts = line.split("\t")
            zones.setdefault(parts[0], set()).add(parts[2])
    return zones


def _time_zones_where_needed(event: Event, ids: _Ids) -> Found:
    """A remote person with no zone of its own would be read in the venue's zone; refuse that
    when nothing says the venue's zone is right."""
    roles = (("buyers", "buyer"), ("firms", "firm"), ("participants", "participant"),
             ("interpreters", "interpreter"))
    venue = event.event.timezone
    for name, role in roles:
        for index, person in enumerate(getattr(event, name)):
            if ids.is_repeat(name, index):
                continue
            if person.timezone is not None or not is_remote(person, role, event.kind):
                continue
            if person.available is not None:
                continue
            zones = _zones_by_country().get(person.country or "", set())
            if venue in zones:
                continue
            hint = f" (e.g. {sorted(zones)[0]})" if zones else ""
            yield (name, index, "timezone"), (
                f"{person.id} joins remotely but has no `timezone`{hint}; its hours cannot be placed "
                f"in the venue's zone {venue} without one"
            )


def check_warnings(event: Event, locator: Locator) -> list[Problem]:
    """What the event says that is no error but will not be used, each located; the loader returns
    them beside the event so the command line can print them."""
    return [locator.problem(loc, message) for loc, message in _windows_missing_the_room(event)]


def _event_span(event: Event) -> list[tuple]:
    zone = event.event.timezone
    return [(venue_instant(zone, d.date, d.open), venue_instant(zone, d.date, d.close)) for d in event.event.days]


def _event_dates(event: Event, zone: str, span: list[tuple]) -> set:
    """The dates of the event in the venue's calendar and in ``zone``'s: a window on any of them
    was meant for the event."""
    dates = {d.date for d in event.event.days}
    for open_, close in span:
        dates.update((open_.in_timezone(zone).date(), close.in_timezone(zone).date()))
    return dates


def _windows_off_the_room(event: Event) -> Iterator[tuple[tuple, str, str, bool]]:
    """(place, the window, the event's days, near) for each person's window that overlaps no
    opening hours; ``near`` when its date is a day of the event in the venue's or the person's own
    calendar."""
    span = _event_span(event)
    days = _room_hours(event.event.days)
    venue = event.event.timezone
    for name in PEOPLE_LISTS:
        for index, person in enumerate(getattr(event, name)):
            zone = person.timezone or venue
            dates = None
            for w_index, window in enumerate(person.available or ()):
                (start, end), = windows_in_zone([window], zone)
                if any(start < close and open_ < end for open_, close in span):
                    continue
                dates = dates if dates is not None else _event_dates(event, zone, span)
                text = f"{window.date} {window.start:%H:%M}-{window.end:%H:%M} ({zone})"
                if zone != venue:
                    local_start, local_end = start.in_timezone(venue), end.in_timezone(venue)
                    text += f", {local_start:%Y-%m-%d %H:%M}-{local_end:%Y-%m-%d %H:%M} in {venue},"
                yield (name, index, "available", w_index), text, f"({days}, {venue})", window.date in dates


def _room_hours(days) -> str:
    """The room's hours, day by day; on a longer event whose days all keep the same hours, those
    hours once with its first and last day (a warning on a month would list twenty days)."""
    hours = {(d.open, d.close) for d in days}
    if len(days) > 3 and len(hours) == 1:
        first, last = days[0], days[-1]
        return f"{first.open:%H:%M}-{first.close:%H:%M} on each of the {len(days)} days from {first.date} to {last.date}"
    return ", ".join(f"{d.date} {d.open:%H:%M}-{d.close:%H:%M}" for d in days)


# A person's windows named in one warning, at most; the others are counted.
WINDOWS_NAMED = 2


def _windows_missing_the_room(event: Event) -> Found:
    """One warning per person: a remote buyer whose office hours fall in the room's night on
    every day of a month is one thing the person said, not twenty."""
    missing: dict[tuple, list[tuple[tuple, str, str]]] = {}
    for loc, window, days, near in _windows_off_the_room(event):
        if near:
            missing.setdefault(loc[:2], []).append((loc, window, days))
    for (name, index), found in missing.items():
        loc, window, days = found[0]
        if len(found) == 1:
            yield loc, f"{window} misses the room's hours {days}; ignored"
            continue
        named = "; ".join(window.rstrip(",") for _, window, _ in found[:WINDOWS_NAMED])
        more = f"; and {len(found) - WINDOWS_NAMED} more" if len(found) > WINDOWS_NAMED else ""
        total = len(getattr(event, name)[index].available)
        yield ((name, index, "available"),
               f"{len(found)} of its {total} windows miss the room's hours {days}: {named}{more}; ignored")


def _dates_inside_the_event(event: Event, ids: _Ids) -> Found:
    """Windows, reservations and pins on the event's days. A person's window on a date that is no day
    of the event, in either calendar, is a mistake (a typo in the date, or the wrong event's file); one
    on a day of the event that misses the room's hours is what the person said (a remote buyer's office
    hours fall in the venue's night): a warning, not checked here. A date that is not a day of the event
    and is named in several places (a day's date mistyped) is one problem, said once."""
    days = ", ".join(f"{d.date} {format_clock(d.open)}-{format_clock(d.close)}" for d in event.event.days)
    dates = {d.date for d in event.event.days}
    elsewhere: dict[object, list[tuple[tuple, str]]] = {}  # a date not of the event -> (place, message)

    def outside(loc: tuple, date, message: str) -> None:
        elsewhere.setdefault(date, []).append((loc, message))

    for loc, window, days_text, near in _windows_off_the_room(event):
        if not near and not ids.is_repeat(loc[0], loc[1]):
            person = getattr(event, loc[0])[loc[1]]
            outside(loc, person.available[loc[3]].date, f"{window} lies outside the event {days_text}")
    for index, request in enumerate(event.requests):
        for w_index, window in enumerate(request.available or ()):
            if window.date not in dates:
                outside(("requests", index, "available", w_index), window.date,
                        f"{window.date} is not a day of the event")
        if request.pinned is not None and request.pinned.start.date() not in dates:
            outside(("requests", index, "pinned", "start"), request.pinned.start.date(),
                    f"{request.pinned.start:%Y-%m-%d} is not a day of the event")
    for index, reservation in enumerate(event.reservations):
        if reservation.date not in dates:
            outside(("reservations", index, "date"), reservation.date, f"{reservation.date} is not a day of the event")
    for date, found in elsewhere.items():
        if len(found) == 1:
            yield from found
            continue
        loc = found[0][0]
        others = ids.places([other for other, _ in found[1:]])
        yield loc, (f"{date} is not a day of the event ({days}, {event.event.timezone}); "
                    f"{others} name{'s' if len(found) == 2 else ''} it too")


def _requests(event: Event, ids: _Ids) -> Found:
    grid = Grid(event.event)
    if event.kind == "brokerage":
        sides = {"between": _first_of_each_id(event.participants)}
    else:
        sides = {"buyer": _first_of_each_id(event.buyers), "firm": _first_of_each_id(event.firms)}
    interpreters = _first_of_each_id(event.interpreters)
    buyer_table = {b.id: b.booth for b in event.buyers}
    seen_pairs: dict[tuple, int] = {}
    pinned_tables: dict[str, tuple[str, int]] = {}
    pinned_booth_use: list[tuple[str, object, object, int]] = []
    for index, request in enumerate(event.requests):
        loc = ("requests", index)
        if event.kind == "brokerage":
            if request.between is None:
                yield loc, "at a brokerage event a request names `between: [A, B]`, not a buyer and a firm"
                continue
            people: list[Participant | None] = []
            for side, person_id in enumerate(request.between):
                people.append(sides["between"].get(person_id))
            # Ordered: [A, B] and [B, A] are two meetings, each asked for by one of them (FORMAT.md).
            key = ("between", *request.between)
        else:
            if request.between is not None:
                yield (*loc, "between"), f"a {event.kind} request names a `buyer` and a `firm`"
                continue
            people = []
            for role in ("firm", "buyer"):
                people.append(sides[role].get(getattr(request, role)))
            key = ("pair", request.buyer, request.firm)
        if key in seen_pairs:
            yield loc, f"{_pair_text(request)} is already requested in requests[{seen_pairs[key]}]"
        else:
            seen_pairs[key] = index
        if request.interpreter not in ("auto", "none"):
            interpreter = interpreters.get(request.interpreter)
            if interpreter is not None and all(people) and not share_language(
                people[0].languages, people[1].languages
            ) and not bridges(interpreter.languages, people[0].languages, people[1].languages):
                yield (*loc, "interpreter"), (
                    f"{interpreter.id} speaks {', '.join(interpreter.languages)} and cannot bridge "
                    f"{people[0].id} ({', '.join(people[0].languages)}) and "
                    f"{people[1].id} ({', '.join(people[1].languages)})"
                )
        if request.pinned is not None:
            yield from _pinned(event, grid, request, index, buyer_table, pinned_tables, pinned_booth_use)


def _first_of_each_id(records):
    first = {}
    for record in records:
        first.setdefault(record.id, record)
    return first


def _pair_text(request) -> str:
    if request.between is not None:
        return f"the meeting of {request.between[0]} with {request.between[1]} (in this order)"
    return f"the pair {request.buyer}-{request.firm}"


def _pinned(event, grid, request, index, buyer_table, pinned_tables, pinned_booth_use) -> Found:
    loc = ("requests", index, "pinned")
    zone = event.event.timezone
    start = venue_instant(zone, request.pinned.start.date(), request.pinned.start.time())
    first = grid.slot_starting_at(start)
    if first is None:
        day = grid.day_of(request.pinned.start.date())
        if day is not None:  # a date that is not a day of the event is said by _dates_inside_the_event
            starts = ", ".join(f"{grid.slots[s].start:%H:%M}" for s in grid.slots_by_day[day])
            yield (*loc, "start"), (
                f"{request.pinned.start:%Y-%m-%d %H:%M} is off the slot grid; slots that day start at {starts}"
                if starts else
                f"no {event.event.meeting_minutes}-minute slot fits in the hours of {request.pinned.start:%Y-%m-%d}"
            )
        return
    span = grid.span(first, request.slots)
    if span is None:
        yield (*loc, "start"), (
            f"a {request.slots}-slot meeting starting {request.pinned.start:%Y-%m-%d %H:%M} runs into a break "
            "or past closing time"
        )
        return
    booth = request.pinned.booth
    if booth is None:
        return
    if booth not in {b.id for b in event.booths}:
        return  # said by _ids_and_references
    begin, end = grid.slots[span[0]].start, grid.slots[span[-1]].end
    for reservation in event.reservations:
        r_start = venue_instant(zone, reservation.date, reservation.start)
        r_end = venue_instant(zone, reservation.date, reservation.end)
        if reservation.booth == booth and r_start < end and begin < r_end:
            label = f" ({reservation.label})" if reservation.label else ""
            yield (*loc, "booth"), (
                f"{booth} is reserved {reservation.date} {reservation.start:%H:%M}-{reservation.end:%H:%M}{label}"
            )
            return
    if event.kind == "plaza":
        own = buyer_table.get(request.buyer)
        if own is not None and own != booth:
            yield (*loc, "booth"), f"{request.buyer} keeps table {own} all day; a pinned meeting sits at its table"
            return
        if own is None:
            holders = [b.id for b in event.buyers if b.booth == booth]
            if holders:
                yield (*loc, "booth"), f"table {booth} is kept by {holders[0]}, not {request.buyer}"
                return
            claimed = pinned_tables.get(request.buyer)
            if claimed is not None and claimed[0] != booth:
                yield (*loc, "booth"), (
                    f"requests[{claimed[1]}] already pins {request.buyer} to table {claimed[0]}; "
                    "a buyer keeps one table"
                )
                return
            other = [b for b, (t, _) in pinned_tables.items() if t == booth and b != request.buyer]
            if other:
                yield (*loc, "booth"), f"table {booth} is already pinned to buyer {other[0]}"
                return
            pinned_tables[request.buyer] = (booth, index)
    else:
        for other_booth, o_begin, o_end, other_index in pinned_booth_use:
            if other_booth == booth and o_begin < end and begin < o_end:
                yield (*loc, "booth"), f"booth {booth} is already pinned to requests[{other_index}] at that time"
                return
        pinned_booth_use.append((booth, begin, end, index))
