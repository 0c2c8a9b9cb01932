"""When each person can meet, as intervals of real time (FORMAT.md, "Availability")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import pendulum
from pendulum import DateTime

from scheduler.model.event import Event, EventInfo, Interpreter, Participant, TimeRange, Window
from scheduler.model.grid import venue_instant

Interval = tuple[DateTime, DateTime]


def merge(intervals: Iterable[Interval]) -> tuple[Interval, ...]:
    """Merge windows that touch or overlap: they count as one."""
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return tuple(merged)


def contains(windows: Sequence[Interval] | None, start: DateTime, end: DateTime) -> bool:
    """True when ``[start, end]`` lies wholly inside one window (None: always)."""
    if windows is None:
        return True
    return any(w_start <= start and end <= w_end for w_start, w_end in windows)


def windows_in_zone(windows: Iterable[Window], zone: str) -> tuple[Interval, ...]:
    return merge((venue_instant(zone, w.date, w.start), venue_instant(zone, w.date, w.end)) for w in windows)


def is_remote(person: Participant | Interpreter, role: str, kind: str) -> bool:
    """Buyers are remote by default in a teleconference; everyone else is on site."""
    if person.remote is not None:
        return person.remote
    return role == "buyer" and kind == "teleconference"


def zone_of(person: Participant | Interpreter, info: EventInfo) -> str:
    return person.timezone or info.timezone


def person_windows(person: Participant | Interpreter, role: str, event: Event) -> tuple[Interval, ...] | None:
    """A person's windows in real time, or None for "whenever the venue is open"."""
    info = event.event
    zone = zone_of(person, info)
    if person.available is not None:
        return windows_in_zone(person.available, zone)
    if is_remote(person, role, info.kind):
        return remote_hours(info, zone, info.remote_hours)
    return None


def remote_hours(info: EventInfo, zone: str, hours: TimeRange) -> tuple[Interval, ...]:
    """``hours`` on each of the person's own local days that touch the event."""
    first = venue_instant(info.timezone, info.days[0].date, info.days[0].open).in_timezone(zone).date()
    last = venue_instant(info.timezone, info.days[-1].date, info.days[-1].close).in_timezone(zone).date()
    days = []
    date = first - dt.timedelta(days=1)
    while date <= last + dt.timedelta(days=1):
        days.append(Window(date=date, start=hours.start, end=hours.end))
        date += dt.timedelta(days=1)
    return windows_in_zone(days, zone)


def local(instant: DateTime, zone: str) -> DateTime:
    return pendulum.instance(instant).in_timezone(zone)
