"""The slot grid: each venue day cut into meeting slots (FORMAT.md, "Slots")."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import pendulum
from pendulum import DateTime

from scheduler.model.event import Day, EventInfo


def venue_instant(zone: str, date: dt.date, clock: dt.time) -> DateTime:
    """A wall-clock time on a date in a zone; 24:00 (stored as 23:59:59.999999) is next midnight."""
    if clock == dt.time(23, 59, 59, 999999):
        return pendulum.datetime(date.year, date.month, date.day, tz=zone).add(days=1)
    return pendulum.datetime(date.year, date.month, date.day, clock.hour, clock.minute, tz=zone)


@dataclass(frozen=True)
class Slot:
    index: int  # position in the whole event, 0-based
    day: int  # index into ``event.days``
    start: DateTime
    end: DateTime

    @property
    def label(self) -> str:
        return f"{self.start:%Y-%m-%d %H:%M}-{self.end:%H:%M}"


@dataclass(frozen=True)
class Break:
    day: int
    start: DateTime
    end: DateTime
    label: str | None


class Grid:
    """Slots of every venue day, in the venue's zone."""

    def __init__(self, info: EventInfo):
        self.zone = info.timezone
        self.meeting = dt.timedelta(minutes=info.meeting_minutes)
        self.changeover = dt.timedelta(minutes=info.changeover_minutes)
        self.days: tuple[Day, ...] = info.days
        slots: list[Slot] = []
        breaks: list[Break] = []
        by_day: list[tuple[int, ...]] = []
        for day_index, day in enumerate(info.days):
            day_breaks = [
                Break(day_index, venue_instant(self.zone, day.date, b.start),
                      venue_instant(self.zone, day.date, b.end), b.label)
                for b in day.breaks
            ]
            breaks.extend(day_breaks)
            first = len(slots)
            for start, end in _cut_day(
                venue_instant(self.zone, day.date, day.open),
                venue_instant(self.zone, day.date, day.close),
                self.meeting, self.changeover, day_breaks,
            ):
                slots.append(Slot(len(slots), day_index, start, end))
            by_day.append(tuple(range(first, len(slots))))
        self.slots: tuple[Slot, ...] = tuple(slots)
        self.breaks: tuple[Break, ...] = tuple(breaks)
        self.slots_by_day: tuple[tuple[int, ...], ...] = tuple(by_day)

    def __len__(self) -> int:
        return len(self.slots)

    def day_of(self, date: dt.date) -> int | None:
        for index, day in enumerate(self.days):
            if day.date == date:
                return index
        return None

    def span(self, first: int, count: int) -> tuple[int, ...] | None:
        """Slots a meeting of ``count`` slots starting at ``first`` takes, or None.

        The slots must be back to back on one day (each starts one changeover
        after the previous ends), and no break may fall inside the meeting.
        """
        last = first + count - 1
        if first < 0 or last >= len(self.slots):
            return None
        run = self.slots[first:last + 1]
        if any(s.day != run[0].day for s in run):
            return None
        for before, after in zip(run, run[1:]):
            if after.start != before.end + self.changeover:
                return None
        start, end = run[0].start, run[-1].end
        if any(b.start < end and start < b.end for b in self.breaks):
            return None
        return tuple(range(first, last + 1))

    @cached_property
    def _by_start(self) -> dict[DateTime, int]:
        return {slot.start: slot.index for slot in self.slots}

    def slot_starting_at(self, instant: DateTime) -> int | None:
        return self._by_start.get(instant)

    def overlapping(self, start: DateTime, end: DateTime) -> tuple[int, ...]:
        """Slots whose meeting time overlaps ``[start, end)``."""
        return tuple(s.index for s in self.slots if s.start < end and start < s.end)


class SlotFit:
    """Which start slots a set of windows allows for a meeting of a given length.

    Computed once per distinct set of windows and length, on POSIX timestamps: compiling a
    month of the teleconference room asks "is this meeting inside these windows?" millions of
    times, and comparing time-zone-aware datetimes each time took most of a minute.
    """

    def __init__(self, grid: Grid):
        self.grid = grid
        self._begin = [slot.start.timestamp() for slot in grid.slots]
        self._end = [slot.end.timestamp() for slot in grid.slots]
        self._starts: dict[int, tuple[int, ...]] = {}
        self._allowed: dict[tuple, frozenset[int]] = {}

    def starts(self, length: int) -> tuple[int, ...]:
        """Every start slot of the grid where a meeting of ``length`` slots fits (:meth:`Grid.span`)."""
        if length not in self._starts:
            self._starts[length] = tuple(s for s in range(len(self.grid)) if self.grid.span(s, length) is not None)
        return self._starts[length]

    def allowed(self, windows: Sequence[tuple[DateTime, DateTime]] | None, length: int) -> frozenset[int] | None:
        """Starts whose meeting lies wholly inside one of ``windows`` (merged, sorted); None: any."""
        if windows is None:
            return None
        key = (tuple(windows), length)
        if key not in self._allowed:
            opens = [start.timestamp() for start, _ in windows]
            closes = [end.timestamp() for _, end in windows]
            inside = set()
            for start in self.starts(length):
                begin, end = self._begin[start], self._end[start + length - 1]
                window = bisect_right(opens, begin) - 1
                if window >= 0 and end <= closes[window]:
                    inside.add(start)
            self._allowed[key] = frozenset(inside)
        return self._allowed[key]


def _cut_day(open_: DateTime, close: DateTime, meeting: dt.timedelta, changeover: dt.timedelta,
             breaks: list[Break]) -> list[tuple[DateTime, DateTime]]:
    slots = []
    start = open_
    while start + meeting <= close:
        end = start + meeting
        clash = [b for b in breaks if b.start < end and start < b.end]
        if clash:
            start = max(start, min(b.end for b in clash))
            continue
        slots.append((start, end))
        start = end + changeover
    return slots
