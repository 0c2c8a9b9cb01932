"""Checks across records, in one place: ids, references, tables, pins, windows.

Each check returns located problems such as
``requests[12].buyer: no buyer 'B999'``; the loader raises them together.
"""

from __future__ import annotations

import importlib.resources
from collections.abc import Iterator
from functools import lru_cache

from scheduler.model.availability import is_remote, windows_in_zone
from scheduler.model.errors import Problem
from scheduler.model.event import Event, Participant
from scheduler.model.grid import Grid, venue_instant
from scheduler.model.languages import bridges, share_language
from scheduler.model.load import Locator

PEOPLE_LISTS = ("buyers", "firms", "participants", "interpreters")


def check_references(event: Event, locator: Locator) -> list[Problem]:
    checks = (
        _lists_fit_the_kind,
        _ids_are_unique,
        _tables,
        _time_zones_where_needed,
        _windows_inside_the_event,
        _request_windows_on_event_days,
        _reservations,
        _requests,
    )
    problems: list[Problem] = []
    for check in checks:
        problems.extend(locator.problem(loc, message) for loc, message in check(event))
    return problems


Found = Iterator[tuple[tuple, str]]


def _lists_fit_the_kind(event: Event) -> Found:
    if event.kind == "brokerage":
        for name in ("buyers", "firms"):
            if getattr(event, name):
                yield (name,), f"a brokerage event lists `participants`, not `{name}`"
    elif event.participants:
        yield ("participants",), f"a {event.kind} lists `buyers` and `firms`; `participants` is for brokerage events"


def _ids_are_unique(event: Event) -> Found:
    for name in ("booths", *PEOPLE_LISTS):
        first: dict[str, int] = {}
        for index, record in enumerate(getattr(event, name)):
            if record.id in first:
                yield (name, index, "id"), f"duplicate id {record.id!r} (also {name}[{first[record.id]}])"
            else:
                first[record.id] = index


def _tables(event: Event) -> Found:
    booth_ids = {booth.id for booth in event.booths}
    owner: dict[str, int] = {}
    for index, buyer in enumerate(event.buyers):
        if buyer.booth is None:
            continue
        if event.kind != "plaza":
            yield ("buyers", index, "booth"), (
                f"only on a plaza does a buyer keep a table; in a {event.kind} every meeting takes any free booth"
            )
        elif buyer.booth not in booth_ids:
            yield ("buyers", index, "booth"), f"no booth {buyer.booth!r}"
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
    if event.kind == "plaza" and len(event.booths) < len(event.buyers):
        yield ("booths",), (
            f"{len(event.booths)} tables for {len(event.buyers)} buyers: on a plaza every buyer keeps a table"
        )


@lru_cache(maxsize=1)
def _zones_by_country() -> dict[str, set[str]]:
    text = importlib.resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    zones: dict[str, set[str]] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            parts = line.split("\t")
            zones.setdefault(parts[0], set()).add(parts[2])
    return zones


def _time_zones_where_needed(event: Event) -> Found:
    """A remote person with no zone of its own would be read in the venue's zone; refuse that
    when nothing says the venue's zone is right."""
    roles = (("buyers", "buyer"), ("firms", "firm"), ("participants", "participant"),
             ("interpreters", "interpreter"))
    venue = event.event.timezone
    for name, role in roles:
        for index, person in enumerate(getattr(event, name)):
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
    days = ", ".join(f"{d.date} {d.open:%H:%M}-{d.close:%H:%M}" for d in event.event.days)
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


def _windows_inside_the_event(event: Event) -> Found:
    """A window on a date that is no day of the event, in either calendar, is a mistake (a typo in
    the date, or the wrong event's file). One on a day of the event that misses the room's hours is
    what the person said (a remote buyer's office hours fall in the venue's night): a warning."""
    for loc, window, days, near in _windows_off_the_room(event):
        if not near:
            yield loc, f"{window} lies outside the event {days}"


def _windows_missing_the_room(event: Event) -> Found:
    for loc, window, days, near in _windows_off_the_room(event):
        if near:
            yield loc, f"{window} misses the room's hours {days}; ignored"


def _request_windows_on_event_days(event: Event) -> Found:
    dates = {d.date for d in event.event.days}
    for index, request in enumerate(event.requests):
        for w_index, window in enumerate(request.available or ()):
            if window.date not in dates:
                yield ("requests", index, "available", w_index), f"{window.date} is not a day of the event"


def _reservations(event: Event) -> Found:
    booth_ids = {booth.id for booth in event.booths}
    dates = {d.date for d in event.event.days}
    for index, reservation in enumerate(event.reservations):
        if reservation.booth not in booth_ids:
            yield ("reservations", index, "booth"), f"no booth {reservation.booth!r}"
        if reservation.date not in dates:
            yield ("reservations", index, "date"), f"{reservation.date} is not a day of the event"


def _requests(event: Event) -> Found:
    grid = Grid(event.event)
    if event.kind == "brokerage":
        sides = {"between": {p.id: p for p in event.participants}}
    else:
        sides = {"buyer": {p.id: p for p in event.buyers}, "firm": {p.id: p for p in event.firms}}
    interpreters = {i.id: i for i in event.interpreters}
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
                person = sides["between"].get(person_id)
                if person is None:
                    yield (*loc, "between", side), f"no participant {person_id!r}"
                people.append(person)
            # Ordered: [A, B] and [B, A] are two meetings, each asked for by one of them (FORMAT.md).
            key = ("between", *request.between)
        else:
            if request.between is not None:
                yield (*loc, "between"), f"a {event.kind} request names a `buyer` and a `firm`"
                continue
            people = []
            for role in ("firm", "buyer"):
                person_id = getattr(request, role)
                person = sides[role].get(person_id)
                if person is None:
                    yield (*loc, role), f"no {role} {person_id!r}"
                people.append(person)
            key = ("pair", request.buyer, request.firm)
        if key in seen_pairs:
            yield loc, f"{_pair_text(request)} is already requested in requests[{seen_pairs[key]}]"
        else:
            seen_pairs[key] = index
        if request.interpreter not in ("auto", "none"):
            interpreter = interpreters.get(request.interpreter)
            if interpreter is None:
                yield (*loc, "interpreter"), f"no interpreter {request.interpreter!r} (or write auto or none)"
            elif all(people) and not share_language(people[0].languages, people[1].languages) and not bridges(
                interpreter.languages, people[0].languages, people[1].languages
            ):
                yield (*loc, "interpreter"), (
                    f"{interpreter.id} speaks {', '.join(interpreter.languages)} and cannot bridge "
                    f"{people[0].id} ({', '.join(people[0].languages)}) and "
                    f"{people[1].id} ({', '.join(people[1].languages)})"
                )
        if request.pinned is not None:
            yield from _pinned(event, grid, request, index, buyer_table, pinned_tables, pinned_booth_use)


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
        if day is None:
            yield (*loc, "start"), f"{request.pinned.start:%Y-%m-%d} is not a day of the event"
        else:
            starts = ", ".join(f"{grid.slots[s].start:%H:%M}" for s in grid.slots_by_day[day])
            yield (*loc, "start"), (
                f"{request.pinned.start:%Y-%m-%d %H:%M} is off the slot grid; slots that day start at {starts}"
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
        yield (*loc, "booth"), f"no booth {booth!r}"
        return
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
