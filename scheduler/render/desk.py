"""The desk grid: booths (or tables) × slots for every day, on one page that follows the day.

The page carries its own data: every time as an instant (milliseconds since
1970, UTC), so its script compares them with the browser's clock and never
needs the viewer's time zone; labels are written here in the venue's zone.
It reads ``published.js`` beside it to notice a replan: a script element
loads from a page opened as a file, where ``fetch`` is refused, and from a
web server alike.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pendulum

from scheduler.model.event import Event
from scheduler.model.grid import venue_instant
from scheduler.model.schedule_file import ScheduleFile

if TYPE_CHECKING:
    from scheduler.render.documents import _Context

PAGE = "grid.html"
VERSION_JSON = "published.json"  # for tools that watch the folder
VERSION_SCRIPT = "published.js"  # for the page itself
CHECK_SECONDS = 30  # how often an open page looks for a replan


def publication_version(event: Event, schedule: ScheduleFile) -> str:
    """A digest of the event and the schedule: a replan or an edited event changes it, a re-render does not."""
    digest = hashlib.sha256(event.model_dump_json().encode("utf-8"))
    digest.update(schedule.to_json().encode("utf-8"))
    return digest.hexdigest()[:16]


def version_files(event: Event, version: str) -> dict[str, str]:
    record = {"version": version, "event": event.event.name}
    return {
        VERSION_JSON: json.dumps(record, ensure_ascii=False, indent=2) + "\n",
        VERSION_SCRIPT: f"window.schedulePublished = {json.dumps(record, ensure_ascii=False)};\n",
    }


@dataclass(frozen=True)
class Stay:
    """What holds a booth for a while: a meeting or a reservation."""

    kind: str  # meeting | reserved
    start: dt.datetime
    end: dt.datetime
    lines: tuple[str, ...]
    summary: str  # one line for "now" and "next"


@dataclass
class DeskDay:
    id: str  # ISO date
    title: str
    slots: list[dict]
    floors: list[tuple[str | None, str, list[dict]]]  # (heading, filter key, rows)
    breaks: list[str]  # "Networking lunch 12:00–13:00"


@dataclass
class DeskView:
    days: list[DeskDay]
    floors: list[tuple[str, str]]  # (filter key, label); empty when the event has one floor or none
    data: dict  # for the page's script
    links: list[dict] = field(default_factory=list)  # for the index: path and title, the page that follows the day first


def _ms(instant: dt.datetime) -> int:
    return int(instant.timestamp() * 1000)


def _floor_key(floor: int | None) -> str:
    return "none" if floor is None else str(floor)


def desk_view(context: _Context, version: str) -> DeskView:
    event = context.event
    grid = context.grid
    stays = {booth.id: _stays(context, booth.id) for booth in event.booths}
    headers = _headers(context)
    days: list[DeskDay] = []
    day_data = []
    for index, day in enumerate(event.event.days):
        midnight = pendulum.datetime(day.date.year, day.date.month, day.date.day, tz=context.venue)
        slots = [grid.slots[s] for s in grid.slots_by_day[index]]
        floors: dict[int | None, list[dict]] = {}
        for booth in event.booths:
            floors.setdefault(booth.floor, []).append({
                "booth": booth.id, "floor": _floor_key(booth.floor), "header": headers[booth.id],
                "cells": _cells(stays[booth.id], slots, grid.breaks),
            })
        days.append(DeskDay(
            id=day.date.isoformat(),
            title=midnight.format("ddd D MMM YYYY"),
            slots=[{"label": s.start.format("HH:mm"), "start": _ms(s.start), "end": _ms(s.end),
                    "after_break": _after_break(slots, i, grid.breaks)} for i, s in enumerate(slots)],
            floors=[(f"Floor {floor}" if floor is not None else None, _floor_key(floor), rows)
                    for floor, rows in sorted(floors.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))],
            breaks=[f"{b.label or 'Break'} {_span(b.start, b.end)}" for b in grid.breaks if b.day == index],
        ))
        day_data.append({"id": day.date.isoformat(), "short": midnight.format("ddd D MMM"),
                         "from": _ms(midnight), "to": _ms(midnight.add(days=1))})
    breaks = [{"start": _ms(b.start), "end": _ms(b.end), "label": b.label or "Break", "time": _span(b.start, b.end)}
              for b in grid.breaks]
    floor_keys = sorted({b.floor for b in event.booths}, key=lambda f: (f is None, f or 0))
    data = {
        "version": version,
        "zone": context.venue,
        "check_seconds": CHECK_SECONDS,
        "version_script": VERSION_SCRIPT,
        "days": day_data,
        "breaks": breaks,
        "slots": [{"start": _ms(s.start), "end": _ms(s.end), "time": _span(s.start, s.end)} for s in grid.slots],
        "booths": {booth: [{"start": _ms(s.start), "end": _ms(s.end), "what": s.summary,
                            "day": pendulum.instance(s.start).in_timezone(context.venue).format("ddd D MMM"),
                            "time": _span(s.start, s.end, context.venue)} for s in booth_stays]
                   for booth, booth_stays in stays.items()},
    }
    multi = len(days) > 1
    return DeskView(
        days=days,
        floors=[(_floor_key(f), f"Floor {f}") for f in floor_keys if f is not None] if len(floor_keys) > 1 else [],
        data=data,
        links=([{"path": PAGE, "title": "Today (follows the venue's day)"}] if multi else [])
        + [{"path": f"{PAGE}#day={d.id}" if multi else PAGE, "title": d.title} for d in days],
    )


def _after_break(slots, index: int, breaks) -> bool:
    """A slot with a break between it and the slot before it gets a thick edge on the grid."""
    return index > 0 and any(slots[index - 1].end <= b.start < slots[index].start for b in breaks)


def _span(start: dt.datetime, end: dt.datetime, zone: str | None = None) -> str:
    start, end = pendulum.instance(start), pendulum.instance(end)
    if zone:
        start, end = start.in_timezone(zone), end.in_timezone(zone)
    return f"{start.format('HH:mm')}–{end.format('HH:mm')}"


def _headers(context: _Context) -> dict[str, str]:
    """Each booth's row heading; at a plaza, the buyer who keeps the table."""
    event = context.event
    owners = {b.booth: b.id for b in event.buyers if b.booth}
    if event.kind == "plaza":
        for meeting in context.schedule.meetings:
            owners.setdefault(meeting.booth, meeting.buyer)
    headers = {}
    for booth in event.booths:
        buyer_id = owners.get(booth.id)
        if buyer_id:
            buyer = context.people[("buyer", buyer_id)]
            headers[booth.id] = f"{booth.id} · {buyer.record.name} ({buyer.record.company or buyer.country})"
        else:
            headers[booth.id] = context.booth_names.get(booth.id, booth.id)
    return headers


def _stays(context: _Context, booth: str) -> list[Stay]:
    stays = []
    for reservation in context.event.reservations:
        if reservation.booth == booth:
            label = reservation.label or "Reserved"
            stays.append(Stay("reserved", venue_instant(context.venue, reservation.date, reservation.start),
                              venue_instant(context.venue, reservation.date, reservation.end),
                              (label,), f"{label} (reserved)"))
    for meeting in context.meetings_at.get(booth, ()):
        first, second = context.sides(meeting)
        kind = context.event.kind
        if kind == "plaza":
            lines = [first.record.company or first.record.name]
            summary = lines[0]
        elif kind == "teleconference":
            own = context.local(meeting.start, second.zone)
            lines = [first.record.company or first.record.name, f"{second.record.name} ({own.format('ddd HH:mm')} local)"]
            summary = f"{lines[0]} with {second.record.name}"
        else:
            lines = [first.record.name, second.record.name]
            summary = f"{first.record.name} with {second.record.name}"
        if meeting.interpreters:
            lines.append(" → ".join(context.interpreters[i].record.name for i in meeting.interpreters))
        stays.append(Stay("meeting", meeting.start, meeting.end, tuple(lines), summary))
    stays.sort(key=lambda s: (s.start, s.kind != "reserved"))
    return stays


def _cells(stays: list[Stay], slots, breaks) -> list[dict]:
    """One cell per slot, a stay over several consecutive slots as one cell spanning them."""
    cells: list[dict] = []
    previous: Stay | None = None
    for position, slot in enumerate(slots):
        stay = next((s for s in stays if s.start < slot.end and slot.start < s.end), None)
        if stay is not None and stay is previous:
            cells[-1]["span"] += 1
            cells[-1]["end"] = _ms(slot.end)
            continue
        cells.append({"kind": stay.kind if stay else "free", "lines": list(stay.lines) if stay else [],
                      "span": 1, "start": _ms(slot.start), "end": _ms(slot.end),
                      "after_break": _after_break(slots, position, breaks)})
        previous = stay
    return cells
