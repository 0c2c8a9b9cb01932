"""Every document of the day, from a finished schedule file and its event.

Python builds plain view records (times already in each reader's zone);
Jinja templates lay them out. Nothing here solves or checks anything.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

import pendulum
from icalendar import Calendar
from icalendar import Event as CalendarEvent
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from scheduler.model.availability import is_remote, zone_of
from scheduler.model.event import Event, Interpreter, Participant
from scheduler.model.grid import Grid, venue_instant
from scheduler.model.languages import country_name, language_name, relay_pivots, share_language
from scheduler.model.schedule_file import ScheduledMeeting, ScheduleFile
from scheduler.render.desk import PAGE as DESK_PAGE
from scheduler.render.desk import desk_view, publication_version, version_files

_ENV = Environment(
    loader=PackageLoader("scheduler.render", "templates"),
    autoescape=select_autoescape(["html", "j2"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class Who:
    role: str  # buyer | firm | participant | interpreter
    record: Participant | Interpreter
    remote: bool
    zone: str

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def key(self) -> str:
        return f"{self.role}-{self.record.id}"

    @property
    def label(self) -> str:
        company = f", {self.record.company}" if self.record.company else ""
        return f"{self.record.name}{company}"

    @property
    def languages(self) -> str:
        return ", ".join(language_name(code) for code in self.record.languages)

    @property
    def country(self) -> str:
        return country_name(self.record.country) if self.record.country else ""


@dataclass
class Row:
    """One line of an agenda: a meeting or a break."""

    sort_key: dt.datetime
    day: str
    time: str
    venue_time: str | None
    kind: str  # meeting | break
    booth: str = ""
    counterpart: str = ""
    counterpart_detail: str = ""
    languages: str = ""
    interpreters: str = ""
    extra: str = ""


@dataclass
class Agenda:
    who: Who
    path: str
    days: list[tuple[str, list[Row]]] = field(default_factory=list)
    meetings: int = 0


def _fmt_day(moment: pendulum.DateTime) -> str:
    return moment.format("ddd D MMM YYYY")


def _fmt_span(start: pendulum.DateTime, end: pendulum.DateTime) -> str:
    return f"{start.format('HH:mm')}–{end.format('HH:mm')}"


class _Context:
    def __init__(self, event: Event, schedule: ScheduleFile):
        self.event = event
        self.schedule = schedule
        self.venue = event.event.timezone
        self.grid = Grid(event.event)
        roles = [("participant", event.participants)] if event.kind == "brokerage" else [
            ("buyer", event.buyers), ("firm", event.firms)]
        self.people: dict[tuple[str, str], Who] = {}
        for role, records in roles:
            for record in records:
                self.people[(role, record.id)] = Who(role, record, is_remote(record, role, event.kind),
                                                     zone_of(record, event.event))
        self.interpreters = {i.id: Who("interpreter", i, is_remote(i, "interpreter", event.kind),
                                       zone_of(i, event.event)) for i in event.interpreters}
        self.floors = {b.id: b.floor for b in event.booths}
        self.booth_names = {b.id: b.label for b in event.booths}
        # Each person's and each booth's meetings by start, found once (an expo has thousands).
        self.meetings_of: dict[str, list[ScheduledMeeting]] = {}
        self.meetings_at: dict[str, list[ScheduledMeeting]] = {}
        for meeting in sorted(schedule.meetings, key=lambda m: m.start):
            keys = [who.key for who in self.sides(meeting)] + [f"interpreter-{i}" for i in meeting.interpreters]
            for key in dict.fromkeys(keys):
                self.meetings_of.setdefault(key, []).append(meeting)
            self.meetings_at.setdefault(meeting.booth, []).append(meeting)

    def sides(self, meeting: ScheduledMeeting) -> tuple[Who, Who]:
        """(firm side, buyer side); at a brokerage event, (between[0], between[1])."""
        if meeting.between is not None:
            return self.people[("participant", meeting.between[0])], self.people[("participant", meeting.between[1])]
        return self.people[("firm", meeting.firm)], self.people[("buyer", meeting.buyer)]

    def booth_text(self, booth: str) -> str:
        floor = self.floors.get(booth)
        name = self.booth_names.get(booth, booth)
        return f"{name} (floor {floor})" if floor is not None else name

    def language_pair(self, meeting: ScheduledMeeting) -> str:
        first, second = self.sides(meeting)
        a, b = first.record.languages, second.record.languages
        shared = [code for code in a if code in b]
        if shared and not meeting.interpreters:
            return language_name(shared[0])
        if meeting.interpreters:
            head = self.interpreters[meeting.interpreters[0]].record.languages
            tail = self.interpreters[meeting.interpreters[-1]].record.languages
            left = next((c for c in a if c in head), a[0])
            right = next((c for c in b if c in tail and c != left), b[0])
            return f"{language_name(left)} ↔ {language_name(right)}"
        return f"{language_name(a[0])} ↔ {language_name(b[0])}"

    def interpreter_text(self, meeting: ScheduledMeeting) -> str:
        names = [self.interpreters[i].record.name for i in meeting.interpreters]
        if len(names) == 2:
            first, second = self.sides(meeting)
            pivots = relay_pivots(self.interpreters[meeting.interpreters[0]].record.languages,
                                  self.interpreters[meeting.interpreters[1]].record.languages,
                                  first.record.languages, second.record.languages)
            via = f" (relay via {language_name(pivots[0])})" if pivots else " (relay)"
            return f"{names[0]} → {names[1]}{via}"
        return names[0] if names else ("none needed" if share_language(*(s.record.languages for s in self.sides(meeting)))
                                       else "their own")

    def local(self, instant: dt.datetime, zone: str) -> pendulum.DateTime:
        return pendulum.instance(instant).in_timezone(zone)

    def times(self, who: Who, start: dt.datetime, end: dt.datetime) -> tuple[str, str, str | None]:
        """(day heading, time, venue time beside it) in the reader's own zone."""
        own = self.local(start, who.zone)
        own_end = self.local(end, who.zone)
        if who.zone == self.venue:
            return _fmt_day(own), _fmt_span(own, own_end), None
        venue = self.local(start, self.venue)
        venue_end = self.local(end, self.venue)
        city = self.venue.split("/")[-1].replace("_", " ")
        beside = f"{venue.format('ddd D MMM')} {_fmt_span(venue, venue_end)} {city}"
        return _fmt_day(own), _fmt_span(own, own_end), beside


def render_documents(event: Event, schedule: ScheduleFile) -> dict[str, str | bytes]:
    """Relative path in the output folder -> content."""
    context = _Context(event, schedule)
    files: dict[str, str | bytes] = {}
    agendas = _agendas(context)
    for agenda in agendas:
        files[agenda.path] = _ENV.get_template("agenda.html.j2").render(
            event=event, agenda=agenda, zone_note=_zone_note(context, agenda.who))
        files[f"calendars/{agenda.who.key}.ics"] = _calendar(context, agenda.who)
        if _cancelled_of(context, agenda.who):
            files[f"calendars/{agenda.who.key}-cancelled.ics"] = _calendar(context, agenda.who, cancellations=True)
    version = publication_version(event, schedule)
    desk = desk_view(context, version)
    files[DESK_PAGE] = _ENV.get_template("grid.html.j2").render(event=event, desk=desk)
    files.update(version_files(event, version))
    grids = desk.links
    changes = _changes(context)
    if changes is not None:
        files["changes.html"] = _ENV.get_template("changes.html.j2").render(event=event, **changes)
    files["index.html"] = _ENV.get_template("index.html.j2").render(
        event=event, schedule=schedule, agendas=agendas, grids=grids, changes=changes is not None,
        unscheduled=[(u.title, u.reason) for u in schedule.unscheduled],
        days=", ".join(_fmt_day(pendulum.datetime(d.date.year, d.date.month, d.date.day)) for d in event.event.days),
    )
    return files


def _zone_note(context: _Context, who: Who) -> str:
    if who.zone == context.venue:
        return ""
    return f"Times in your own zone ({who.zone}); venue time ({context.venue}) beside."


def _agendas(context: _Context) -> list[Agenda]:
    agendas = []
    for who in [*context.people.values(), *context.interpreters.values()]:
        meetings = context.meetings_of.get(who.key, [])
        agenda = Agenda(who, f"agendas/{who.key}.html", meetings=len(meetings))
        rows: list[Row] = []
        for meeting in meetings:
            day, time, beside = context.times(who, meeting.start, meeting.end)
            first, second = context.sides(meeting)
            row = Row(meeting.start, day, time, beside, "meeting", booth=context.booth_text(meeting.booth),
                      languages=context.language_pair(meeting), interpreters=context.interpreter_text(meeting))
            if who.role == "interpreter":
                row.counterpart = f"{first.label} — {second.label}"
                row.counterpart_detail = ", ".join(x for x in (second.country,) if x)
                partners = [context.interpreters[i].record.name for i in meeting.interpreters if i != who.id]
                row.extra = f"relay with {partners[0]}" if partners else ""
                if second.remote:
                    own = context.local(meeting.start, second.zone)
                    row.extra = ", ".join(x for x in (row.extra, f"{second.id} local {own.format('ddd HH:mm')}") if x)
            else:
                other = second if who.key == first.key else first
                row.counterpart = other.label
                row.counterpart_detail = ", ".join(x for x in (other.country, other.languages) if x)
            row.extra = ", ".join(x for x in (row.extra, _change_note(context, who, meeting)) if x)
            rows.append(row)
        if who.role != "interpreter" and not who.remote and meetings:
            for index, day in enumerate(context.event.event.days):
                if not any(context.local(m.start, context.venue).date() == day.date for m in meetings):
                    continue
                for pause in day.breaks:
                    start = venue_instant(context.venue, day.date, pause.start)
                    end = venue_instant(context.venue, day.date, pause.end)
                    label, time, beside = context.times(who, start, end)
                    rows.append(Row(start, label, time, beside, "break", counterpart=pause.label or "Break"))
        rows.sort(key=lambda r: r.sort_key)
        for row in rows:
            if not agenda.days or agenda.days[-1][0] != row.day:
                agenda.days.append((row.day, []))
            agenda.days[-1][1].append(row)
        agendas.append(agenda)
    return agendas


def _calendar(context: _Context, who: Who, cancellations: bool = False) -> bytes:
    """Everyone's calendar, a replan's cancelled meetings included as cancelled; or with
    ``cancellations`` those alone, as a cancellation message (RFC 5546 ``METHOD:CANCEL``) for
    calendar apps that import messages rather than follow a calendar."""
    calendar = Calendar()
    calendar.add("prodid", "-//schedule//export promotion meetings//EN")
    calendar.add("version", "2.0")
    if cancellations:
        calendar.add("method", "CANCEL")
    calendar.add("x-wr-calname", f"{context.event.event.name}: {who.record.name}")
    cancelled = _cancelled_of(context, who)
    for meeting in cancelled if cancellations else [*context.meetings_of.get(who.key, []), *cancelled]:
        first, second = context.sides(meeting)
        item = CalendarEvent()
        title = meeting.title
        # One UID per request (a request has one meeting), so a replan's calendar updates the entry;
        # SEQUENCE rises with each change, and a cancelled meeting is sent as cancelled (RFC 5545).
        item.add("uid", hashlib.sha1(f"{context.event.event.name}|{title}".encode()).hexdigest() + "@schedule")
        item.add("sequence", (meeting.model_extra or {}).get("sequence", 0))
        if meeting in cancelled:
            item.add("status", "CANCELLED")
        if who.role == "interpreter":
            item.add("summary", f"Interpreting: {first.record.name} — {second.record.name}")
        else:
            other = second if who.key == first.key else first
            item.add("summary", f"Meeting with {other.record.name}"
                                + (f" ({other.record.company})" if other.record.company else ""))
        item.add("dtstart", pendulum.instance(meeting.start).in_timezone("UTC"))
        item.add("dtend", pendulum.instance(meeting.end).in_timezone("UTC"))
        item.add("dtstamp", pendulum.instance(meeting.start).in_timezone("UTC"))
        item.add("location", f"{context.event.event.name}, {context.booth_text(meeting.booth)}")
        item.add("description", f"Languages: {context.language_pair(meeting)}. "
                                f"Interpreters: {context.interpreter_text(meeting)}.")
        calendar.add_component(item)
    return calendar.to_ical()


def _change_note(context: _Context, who: Who, meeting: ScheduledMeeting) -> str:
    """A replanned schedule's mark (its optional ``change`` and ``was``), as the agenda says it."""
    extra = meeting.model_extra or {}
    change, was = extra.get("change"), extra.get("was") or {}
    if change == "moved":
        day, time, _ = context.times(who, pendulum.parse(was["start"]), pendulum.parse(was["end"]))
        return f"changed: moved from {day} {time}"
    return {"interpreter": "changed: another interpreter", "booth": "changed: another table or booth",
            "added": "new since the last agenda"}.get(change, "")


_FATES = {"moved": "moved", "interpreter": "another interpreter", "booth": "another table or booth",
          "added": "added", "cancelled": "cancelled"}


def _changes(context: _Context) -> dict | None:
    """A replanned schedule's changes (its optional marks) per person, for the changes page; None
    for a schedule that is no replan."""
    extra = context.schedule.model_extra or {}
    if "cancelled" not in extra:
        return None

    def span(start, end) -> str:
        start, end = (context.local(pendulum.parse(str(t)), context.venue) for t in (start, end))
        return f"{_fmt_day(start)} {_fmt_span(start, end)}"

    counts: dict[str, int] = {}
    people: dict[str, list[dict]] = {}
    changed = [(m, (m.model_extra or {}).get("change"), (m.model_extra or {}).get("was") or {}, "")
               for m in context.schedule.meetings]
    changed += [(ScheduledMeeting.model_validate({k: v for k, v in entry.items() if k != "reason"}), "cancelled",
                 {}, entry.get("reason", "")) for entry in extra["cancelled"]]
    for meeting, fate, was, reason in changed:
        counts[_FATES.get(fate, "kept")] = counts.get(_FATES.get(fate, "kept"), 0) + 1
        if fate not in _FATES:
            continue
        line = {"fate": _FATES[fate], "meeting": meeting.title, "reason": reason,
                "now": "" if fate == "cancelled" else f"{span(meeting.start, meeting.end)}, {meeting.booth}",
                "was": f"{span(meeting.start, meeting.end)}, {meeting.booth}" if fate == "cancelled"
                else f"{span(was['start'], was['end'])}, {was['booth']}" if was else ""}
        sides = [f"{role} {person}" for role, person in (
            [("participant", p) for p in meeting.between or ()] or [("buyer", meeting.buyer), ("firm", meeting.firm)])]
        interpreters = dict.fromkeys((*meeting.interpreters, *was.get("interpreters", ())))
        for who in [*sides, *(f"interpreter {i}" for i in interpreters)]:
            people.setdefault(who, []).append(line)
    return {"counts": sorted(counts.items()), "people": sorted(people.items())}


def _cancelled_of(context: _Context, who: Who) -> list[ScheduledMeeting]:
    """A replan's cancelled meetings (the schedule's optional ``cancelled`` list) that concern
    ``who``, each with its raised ``sequence``, among those whose people are still in the event."""
    found = []
    for entry in (context.schedule.model_extra or {}).get("cancelled", ()):
        meeting = ScheduledMeeting.model_validate({k: v for k, v in entry.items() if k != "reason"})
        keys = [("participant", p) for p in meeting.between or ()] or [("firm", meeting.firm), ("buyer", meeting.buyer)]
        if all(key in context.people for key in keys) and (
                who.key in {context.people[key].key for key in keys}
                or who.key in {f"interpreter-{i}" for i in meeting.interpreters}):
            found.append(meeting)
    return found
