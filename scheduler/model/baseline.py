"""A replan's baseline: an earlier schedule of the same event, matched to the edited event.

The edited event file is the single source of truth; the baseline only says where each request's
meeting was published. A meeting is matched to the request with the same identity (FORMAT.md: a
buyer and a firm, or a brokerage ``between`` pair in its order). A meeting whose request or person
is gone from the event is cancelled with that reason, not an error. With ``now`` (venue time),
meetings that started before it are history: kept exactly (pinned, with their interpreters), and
no other meeting is placed before it. One that started but that the edited event no longer allows
where it took place (a person or an interpreter in it left during it) is not placed again: it is
cancelled, and says why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import pendulum
from pendulum import DateTime

from scheduler.model.errors import EventError, Problem as InputProblem
from scheduler.model.event import Event, Pinned, Request
from scheduler.model.grid import Grid, venue_instant
from scheduler.model.problem import Mode, Problem, Published, compile_problem
from scheduler.model.schedule_file import ScheduledMeeting, ScheduleFile
from scheduler.model.times import parse_local_datetime

# What one published meeting's fate costs in the "fewest changes" term: a meeting counts once, at
# its most disruptive change. A cancelled meeting loses the business itself and must be told to
# both sides and rebooked by hand (8); a move keeps the meeting but both sides, and its
# interpreters, must change their day (4); another interpreter concerns the interpreters only, the
# guests keep their time (2); another table or booth is a sign at the door (1). Each weighs twice
# the next, so a cancellation outweighs a move, and a move an interpreter swap, one for one.
CHANGE_WEIGHTS = {"cancelled": 8, "moved": 4, "interpreter": 2, "booth": 1, "kept": 0}

# How a cancelled meeting's reason begins (the agendas recognise these to say it in the reader's
# language): its request left the event, one of its people did, or it no longer fits.
REQUEST_WITHDRAWN = "request withdrawn"
PERSON_WITHDRAWN = "person withdrawn: "
NO_LONGER_FITS = "no longer fits: "


def request_key(entry: ScheduledMeeting | Request) -> tuple[str, ...]:
    """A request's identity: ("between", A, B) in its order, or (buyer, firm)."""
    if entry.between is not None:
        return ("between", *entry.between)
    return (entry.buyer or "", entry.firm or "")


def sides(entry: ScheduledMeeting | Request) -> tuple[tuple[str, str], ...]:
    """(role, id) of the two people an entry names."""
    if entry.between is not None:
        return tuple(("participant", person) for person in entry.between)
    return (("buyer", entry.buyer or ""), ("firm", entry.firm or ""))


def people_of(event: Event) -> set[tuple[str, str]]:
    return {(role, person.id) for role, records in (("buyer", event.buyers), ("firm", event.firms),
                                                    ("participant", event.participants))
            for person in records}


def gone_reason(event: Event, entry: ScheduledMeeting, people: set[tuple[str, str]] | None = None) -> str:
    """Why a published meeting has no request in the edited event."""
    people = people_of(event) if people is None else people
    missing = [person for role, person in sides(entry) if (role, person) not in people]
    if missing:
        return (f"{PERSON_WITHDRAWN}{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} "
                "no longer in the event")
    return REQUEST_WITHDRAWN


@dataclass(frozen=True)
class Replan:
    """The edited event compiled against its baseline."""

    problem: Problem
    baseline: ScheduleFile
    now: DateTime | None
    gone: tuple[tuple[ScheduledMeeting, str], ...]  # published meetings with no request left, and why
    held: tuple[ScheduledMeeting, ...] = ()  # the published meetings kept as they took place (before --now)


def parse_now(text: str, event: Event, where: str = "--now") -> DateTime:
    """``2026-06-18T13:00`` in venue time, inside the event (from its first opening to its last
    close); else an :class:`EventError` naming the option."""
    info = event.event
    try:
        local = parse_local_datetime(text)
    except ValueError as error:
        raise EventError([InputProblem(where, "", str(error))]) from None
    instant = venue_instant(info.timezone, local.date(), local.time())
    first = venue_instant(info.timezone, info.days[0].date, info.days[0].open)
    last = venue_instant(info.timezone, info.days[-1].date, info.days[-1].close)
    if not first <= instant <= last:
        raise EventError([InputProblem(where, "", f"{text} is outside the event, which runs from "
                                                  f"{first:%Y-%m-%d %H:%M} to {last:%Y-%m-%d %H:%M} venue time")])
    return instant


def replan(event: Event, baseline: ScheduleFile, now: DateTime | None = None,
           baseline_name: str = "baseline") -> Replan:
    """The edited event's problem with each request's published meeting (``Problem.published``),
    the past frozen and closed to new meetings. A baseline of another event is an input error."""
    if baseline.event != event.event.name:
        raise EventError([InputProblem(baseline_name, "event",
                                       f"the baseline is a schedule of {baseline.event!r}, "
                                       f"not of this event, {event.event.name!r} (if the event was "
                                       "renamed, `schedule render` this event with the baseline "
                                       "first: the schedule it writes carries the new name)")])
    zone = event.event.timezone
    grid = Grid(event.event)
    index = {request_key(r): i for i, r in enumerate(event.requests)}
    people = people_of(event)
    found: dict[int, ScheduledMeeting] = {}
    gone: list[tuple[ScheduledMeeting, str]] = []
    seen: dict[tuple[str, ...], int] = {}
    twice = []
    for position, entry in enumerate(baseline.meetings):
        key = request_key(entry)
        if key in seen:
            twice.append(InputProblem(baseline_name, f"meetings[{position}]",
                                      f"{entry.title} is listed twice (first at meetings[{seen[key]}])"))
            continue
        seen[key] = position
        request = index.get(key)
        if request is None:
            gone.append((entry, gone_reason(event, entry, people)))
        else:
            found[request] = entry
    if twice:
        raise EventError(twice)
    event = _keep_tables(event, found)
    problem = compile_problem(event)

    def start_of(entry: ScheduledMeeting) -> int | None:
        return grid.slot_starting_at(pendulum.instance(entry.start).in_timezone(zone))

    def option_of(entry: ScheduledMeeting) -> tuple[int, ...] | None:
        linguist = problem.linguist_by_id
        if any(i not in linguist for i in entry.interpreters):
            return None
        return tuple(linguist[i].index for i in entry.interpreters)

    frozen: dict[int, tuple[int, tuple[int, ...]]] = {}
    cut: set[int] = set()
    if now is not None:
        for request, entry in found.items():
            if pendulum.instance(entry.start) >= now:
                continue
            start, option, task = start_of(entry), option_of(entry), problem.tasks[request]
            # As it took place: its length too (a request made longer since cannot be kept as held).
            if (start is not None and option is not None and _ends_as_held(grid, start, task.length, entry)
                    and option in task.options and task.options.index(option) in task.options_at.get(start, ())):
                frozen[request] = (start, option)
            else:
                cut.add(request)
        held = {r: found[r] for r in frozen}
        undone = _past_over_caps(event, problem, held, now) + _past_booths_gone(event, held, now)
        if undone:
            raise EventError(undone)
        if frozen:
            event = _pinned(event, {r: found[r] for r in frozen}, zone)
            problem = compile_problem(event)
    published = {request: Published(start_of(entry), tuple(entry.interpreters), entry.booth, request in frozen,
                                    request in cut)
                 for request, entry in found.items()}
    tasks = tuple(_restricted(problem, task, frozen.get(task.index), now, task.index in cut) for task in problem.tasks)
    return Replan(replace(problem, tasks=tasks, published=published, opens_at=now, withdrawn=len(gone)),
                  baseline, now, tuple(gone), tuple(found[r] for r in sorted(frozen)))


def _past_over_caps(event: Event, problem: Problem, frozen: dict[int, ScheduledMeeting], now: DateTime) -> list:
    """A cap the edited event sets below the meetings someone already had before --now: the past
    cannot be undone, so the cap cannot be kept; one error per person (and interpreter and day)."""
    zone = event.event.timezone
    held: dict[tuple, list[ScheduledMeeting]] = {}
    for request, entry in sorted(frozen.items()):
        for person in problem.tasks[request].people:
            held.setdefault(("person", person), []).append(entry)
        day = pendulum.instance(entry.start).in_timezone(zone).date()
        for interpreter in entry.interpreters:
            held.setdefault(("interpreter", interpreter, day), []).append(entry)
    lists = {"buyer": event.buyers, "firm": event.firms, "participant": event.participants}
    problems = []
    for key, entries in held.items():
        if key[0] == "person":
            person = problem.people[key[1]]
            listed, record, name, per = person.role + "s", person.record, person.id, ""
            position = next(i for i, p in enumerate(lists[person.role]) if p.id == name)
        else:
            position, record = next((i, p) for i, p in enumerate(event.interpreters) if p.id == key[1])
            listed, name, per = "interpreters", key[1], f" on {key[2]}"
        if record.max_meetings is not None and len(entries) > record.max_meetings:
            started = ", ".join(f"{e.title} at {_venue(e.start, zone, 'HH:mm')}"
                                for e in sorted(entries, key=lambda e: e.start))
            problems.append(InputProblem(
                "--now", f"{listed}[{position}].max_meetings",
                f"{record.max_meetings} is below the {len(entries)} meetings {name} had{per} before "
                f"{_venue(now, zone, 'YYYY-MM-DD HH:mm')} ({started}), which cannot be undone; "
                f"to give {name} no more meetings, end its availability at --now"))
    return problems


def _past_booths_gone(event: Event, frozen: dict[int, ScheduledMeeting], now: DateTime) -> list:
    """Booths (teleconference) or tables (brokerage) the edited event no longer has, where
    meetings took place before --now: the past cannot be moved out of them. (A plaza buyer's table
    is checked with the buyers.)"""
    if event.kind == "plaza":
        return []
    zone, booths = event.event.timezone, {b.id for b in event.booths}
    gone: dict[str, list[ScheduledMeeting]] = {}
    for entry in frozen.values():
        if entry.booth not in booths:
            gone.setdefault(entry.booth, []).append(entry)
    if not gone:
        return []
    held = "; ".join(f"{booth}: {len(entries)} meeting{'' if len(entries) == 1 else 's'} from "
                     f"{_venue(min(e.start for e in entries), zone, 'HH:mm')}"
                     for booth, entries in sorted(gone.items()))
    return [InputProblem("--now", "booths",
                         f"{', '.join(sorted(gone))} {'is' if len(gone) == 1 else 'are'} no longer in the event, but "
                         f"meetings took place there before {_venue(now, zone, 'YYYY-MM-DD HH:mm')} "
                         f"({held}), which cannot be undone; to close {'it' if len(gone) == 1 else 'them'} from "
                         f"now on, keep {'it' if len(gone) == 1 else 'them'} and add a reservation from --now")]


def _venue(instant, zone: str, pattern: str) -> str:
    """An instant on the venue's clock, for a message."""
    return pendulum.instance(instant).in_timezone(zone).format(pattern)


def _ends_as_held(grid: Grid, start: int, length: int, entry: ScheduledMeeting) -> bool:
    span = grid.span(start, length)
    return span is not None and grid.slots[span[-1]].end == pendulum.instance(entry.end)


def _keep_tables(event: Event, found: dict[int, ScheduledMeeting]) -> Event:
    """Plaza: a buyer the file gives no table keeps its published one (a table change moves every
    meeting of that buyer), where that table still exists and nobody else holds it."""
    if event.kind != "plaza":
        return event
    held = {b.booth for b in event.buyers if b.booth is not None}
    held |= {r.pinned.booth for r in event.requests if r.pinned is not None and r.pinned.booth is not None}
    pinned_buyers = {r.buyer for r in event.requests if r.pinned is not None and r.pinned.booth is not None}
    booths = {b.id for b in event.booths}
    table_of: dict[str, str] = {}
    for request, entry in sorted(found.items()):
        table_of.setdefault(event.requests[request].buyer or "", entry.booth)
    buyers = []
    for buyer in event.buyers:
        table = table_of.get(buyer.id)
        if buyer.booth is None and buyer.id not in pinned_buyers and table in booths and table not in held:
            held.add(table)
            buyer = buyer.model_copy(update={"booth": table})
        buyers.append(buyer)
    return event.model_copy(update={"buyers": tuple(buyers)})


def _pinned(event: Event, frozen: dict[int, ScheduledMeeting], zone: str) -> Event:
    """The event with each frozen meeting pinned where it took place (a plaza's table is the
    buyer's, kept by :func:`_keep_tables`)."""
    booths = {b.id for b in event.booths}
    requests = list(event.requests)
    for request, entry in frozen.items():
        start = pendulum.instance(entry.start).in_timezone(zone)
        booth = entry.booth if event.kind != "plaza" and entry.booth in booths else None
        local = dt.datetime(start.year, start.month, start.day, start.hour, start.minute)
        requests[request] = requests[request].model_copy(update={"pinned": Pinned(start=local, booth=booth)})
    return event.model_copy(update={"requests": tuple(requests)})


def _restricted(problem: Problem, task, frozen: tuple[int, tuple[int, ...]] | None, now: DateTime | None,
                cut: bool = False):
    """A frozen task at its time with its interpreters only; a cut one nowhere (it took place, in
    part); any other starts at ``now`` or later."""
    if cut:
        return replace(task, starts=(), options_at={}, modes_at={})
    if frozen is not None:
        start, option = frozen
        return replace(task, starts=(start,), options=(option,), options_at={start: (0,)},
                       modes_at={start: (Mode(tuple(frozenset({i}) for i in option)),)})
    if now is None:
        return task
    starts = tuple(s for s in task.starts if problem.grid.slots[s].start >= now)
    return replace(task, starts=starts, options_at={s: o for s, o in task.options_at.items() if s in starts},
                   modes_at={s: m for s, m in task.modes_at.items() if s in starts})
