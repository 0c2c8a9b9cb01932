"""What changed between a published schedule and its replan, for whom: read off the two schedule
files and the edited event in plain Python, like the checker, never from the solver.

Each published meeting is matched to the new schedule by its request's identity (FORMAT.md: buyer
and firm, or a brokerage ``between`` pair in its order). Its fate is the most disruptive change:
cancelled, moved (another time), interpreter (the same time, another interpreter), booth (the same
time and interpreters, another table or booth), or kept; a meeting with no published one is added.
The disruption is the fates weighed as the "fewest changes" level weighs them (CHANGE_WEIGHTS).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass

import pendulum
from pendulum import DateTime

from scheduler.check import breaks_on_its_own
from scheduler.model.baseline import (CHANGE_WEIGHTS, NO_LONGER_FITS, gone_reason, people_of, request_key,
                                      sides)
from scheduler.model.event import Event
from scheduler.model.schedule_file import ScheduledMeeting, ScheduleFile

FATES = ("kept", "moved", "interpreter", "booth", "cancelled", "added")


@dataclass(frozen=True)
class Change:
    """One meeting's fate: ``meeting`` as it is now (a cancelled one: as it was published),
    ``was`` as it was published (None for an added one)."""

    fate: str
    meeting: ScheduledMeeting
    was: ScheduledMeeting | None = None
    reason: str | None = None

    @property
    def weight(self) -> int:
        return CHANGE_WEIGHTS.get(self.fate, 0)

    def people(self) -> list[tuple[str, str]]:
        """Everyone this change concerns: both sides, and the interpreters before and after."""
        interpreters = dict.fromkeys((*self.meeting.interpreters, *(self.was.interpreters if self.was else ())))
        return [*sides(self.meeting), *(("interpreter", i) for i in interpreters)]


@dataclass(frozen=True)
class Changes:
    changes: tuple[Change, ...]

    def counts(self) -> dict[str, int]:
        counted = Counter(c.fate for c in self.changes)
        return {fate: counted[fate] for fate in FATES}

    @property
    def disruption(self) -> int:
        return sum(c.weight for c in self.changes)

    def by_person(self) -> dict[tuple[str, str], list[Change]]:
        found: dict[tuple[str, str], list[Change]] = defaultdict(list)
        for change in self.changes:
            for person in change.people():
                found[person].append(change)
        return dict(sorted(found.items()))

    def to_tell(self) -> list[tuple[str, str]]:
        """People with any change but a kept meeting: those who must be told."""
        return [person for person, changes in self.by_person().items() if any(c.fate != "kept" for c in changes)]

    def to_json(self, baseline: str, now: DateTime | None) -> str:
        people = {}
        for (role, person), changes in self.by_person().items():
            entry: dict = {"role": role}
            for fate in FATES:
                listed = [_described(c) for c in changes if c.fate == fate]
                if listed:
                    entry[fate] = listed
            people[f"{role}:{person}"] = entry
        data = {"baseline": baseline, "now": now.isoformat() if now is not None else None,
                "counts": self.counts(), "disruption": self.disruption,
                "to_tell": [f"{role}:{person}" for role, person in self.to_tell()], "people": people}
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _when(meeting: ScheduledMeeting) -> dict:
    return {"start": meeting.start.isoformat(), "end": meeting.end.isoformat(), "booth": meeting.booth,
            "interpreters": list(meeting.interpreters)}


def _described(change: Change) -> dict:
    described = {"meeting": change.meeting.title}
    if change.was is not None and change.fate != "kept":
        described["from"] = _when(change.was)
    described[{"cancelled": "was", "kept": "at", "added": "at"}.get(change.fate, "to")] = _when(change.meeting)
    if change.reason is not None:
        described["reason"] = change.reason
    return described


def _fate(was: ScheduledMeeting, now: ScheduledMeeting) -> str:
    if was.start != now.start or was.end != now.end:
        return "moved"
    if tuple(was.interpreters) != tuple(now.interpreters):
        return "interpreter"
    if was.booth != now.booth:
        return "booth"
    return "kept"


def compare(event: Event, baseline: ScheduleFile, schedule: ScheduleFile) -> Changes:
    """Every published meeting's fate in ``schedule``, and every meeting added."""
    published: dict[tuple[str, ...], ScheduledMeeting] = {}
    for entry in baseline.meetings:
        published.setdefault(request_key(entry), entry)
    requests = {request_key(r) for r in event.requests}
    unscheduled = {request_key(u): u.reason for u in schedule.unscheduled}
    people = people_of(event)
    changes: list[Change] = []
    placed = set()
    for meeting in schedule.meetings:
        key = request_key(meeting)
        placed.add(key)
        was = published.get(key)
        changes.append(Change("added", meeting) if was is None else Change(_fate(was, meeting), meeting, was))
    for key, was in published.items():
        if key in placed:
            continue
        reason = (gone_reason(event, was, people) if key not in requests
                  else f"{NO_LONGER_FITS}{unscheduled.get(key, 'not scheduled')}")
        changes.append(Change("cancelled", was, was, reason))
    return Changes(tuple(changes))


def marked(schedule: ScheduleFile, changes: Changes) -> ScheduleFile:
    """The schedule file with each meeting's fate (``change``, and ``was`` where it moved or changed
    hands) and its calendar ``sequence``, the cancelled meetings (``cancelled``) and the counts
    (``stats.changes``): optional fields only (FORMAT.md)."""
    fates = {request_key(c.meeting): c for c in changes.changes if c.fate != "cancelled"}
    meetings = []
    for meeting in schedule.meetings:
        change = fates[request_key(meeting)]
        update: dict = {"change": change.fate, "sequence": _sequence(change)}
        if change.was is not None and change.fate != "kept":
            update["was"] = _when(change.was)
        meetings.append(meeting.model_copy(update=update))
    cancelled = [{**c.meeting.model_dump(mode="json", exclude_none=True), "sequence": _sequence(c),
                  "reason": c.reason} for c in changes.changes if c.fate == "cancelled"]
    stats = schedule.stats.model_copy(update={"changes": {**changes.counts(), "disruption": changes.disruption}})
    return schedule.model_copy(update={"meetings": tuple(meetings), "cancelled": cancelled, "stats": stats})


def figures_agree(schedule: ScheduleFile, changes: Changes) -> list[str]:
    """Where the schedule states its changes (``stats.changes``, each meeting's ``change``), they
    agree with the recount against the baseline."""
    problems = []
    stated = (schedule.stats.model_extra or {}).get("changes")
    if stated is not None:
        counted = {**changes.counts(), "disruption": changes.disruption}
        problems += [f"stats.changes.{name} is {stated.get(name)}, but the baseline gives {value}"
                     for name, value in counted.items() if stated.get(name) != value]
    fates = {request_key(c.meeting): c.fate for c in changes.changes if c.fate != "cancelled"}
    for meeting in schedule.meetings:
        mark = (meeting.model_extra or {}).get("change")
        if mark is not None and mark != fates[request_key(meeting)]:
            problems.append(f"{meeting.title} is marked {mark}, but against the baseline it is "
                            f"{fates[request_key(meeting)]}")
    return problems


def _sequence(change: Change) -> int:
    """The calendar entry's SEQUENCE (RFC 5545): the published one's, raised by any change."""
    published = (change.was.model_extra or {}).get("sequence", 0) if change.was is not None else 0
    return published + (change.fate not in ("kept", "added"))


def past_kept(event: Event, baseline: ScheduleFile, schedule: ScheduleFile, now: DateTime) -> list[str]:
    """What changed before ``now``: a published meeting that had started and is not kept exactly
    (unless its request left the event, or the edited event no longer allows it where it took
    place: then it is cancelled), or a meeting placed before ``now`` that was not published there."""
    zone = event.event.timezone
    requests = {request_key(r) for r in event.requests}

    def started(meeting: ScheduledMeeting) -> bool:
        return pendulum.instance(meeting.start) < now

    def at(meeting: ScheduledMeeting) -> str:
        start = pendulum.instance(meeting.start).in_timezone(zone)
        return f"{meeting.title} ({meeting.booth}, {start:%Y-%m-%d %H:%M})"

    problems = []
    for change in compare(event, baseline, schedule).changes:
        if change.fate == "added" and started(change.meeting):
            problems.append(f"{at(change.meeting)} is placed before --now and was not published there")
        elif (change.fate == "cancelled" and started(change.meeting) and request_key(change.meeting) in requests
              and not breaks_on_its_own(event, change.meeting)):
            problems.append(f"{at(change.meeting)} had started before --now, but is no longer scheduled")
        elif change.was is not None and change.fate not in ("kept", "cancelled") and (
                started(change.was) or started(change.meeting)):
            problems.append(f"{at(change.was)} is {_said(change)}, but "
                            + ("it had started before --now" if started(change.was) else "now starts before --now"))
    return problems


def _said(change: Change) -> str:
    return {"moved": "moved", "interpreter": "given another interpreter", "booth": "given another booth"}[change.fate]
