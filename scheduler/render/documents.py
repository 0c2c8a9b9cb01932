"""Every document of the day, from a finished schedule file and its event.

Python builds plain view records (times already in each reader's zone);
Jinja templates lay them out. Nothing here solves or checks anything.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from functools import lru_cache

import pendulum
from icalendar import Calendar
from icalendar import Event as CalendarEvent
from icalendar import vText
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from scheduler.model.availability import is_remote, zone_of
from scheduler.model.baseline import NO_LONGER_FITS, PERSON_WITHDRAWN, REQUEST_WITHDRAWN
from scheduler.model.event import Event, Interpreter, Participant, VideoCall
from scheduler.model.grid import Grid, venue_instant
from scheduler.model.languages import country_name, relay_pivots, share_language
from scheduler.model.schedule_file import ScheduledMeeting, ScheduleFile
from scheduler.render.desk import PAGE as DESK_PAGE
from scheduler.render.desk import desk_view, publication_version, version_files
from scheduler.render.i18n import Reader, agenda_language, reader, shown_name
from scheduler.render.pdf import Bundle, render_pdfs


@lru_cache(maxsize=None)
def environment(language: str = "en") -> Environment:
    """The templates with one language's catalog installed (``_()`` and ``{% trans %}``)."""
    env = Environment(
        loader=PackageLoader("scheduler.render", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(reader(language).translations, newstyle=True)
    return env


_ENV = environment("en")


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
    def country(self) -> str:
        return country_name(self.record.country) if self.record.country else ""

    @property
    def language(self) -> str:
        """The language this person's agenda and calendar are written in."""
        return agenda_language(self.role, self.record)

    def name(self, reader: Reader) -> Markup:
        return shown_name(self.record.name, self.record.name_local, self.record.languages[0], reader.code)

    def label_for(self, reader: Reader) -> Markup:
        company = Markup(", {}").format(self.record.company) if self.record.company else ""
        return self.name(reader) + company

    def detail_for(self, reader: Reader, with_languages: bool = True) -> str:
        parts = [reader.country(self.record.country)] if self.record.country else []
        if with_languages:
            parts.append(reader.languages(self.record.languages))
        return ", ".join(parts)


@dataclass
class Row:
    """One line of an agenda: a meeting or a break."""

    sort_key: dt.datetime
    day: str
    time: str
    venue_time: str | None
    kind: str  # meeting | break
    booth: str = ""
    counterpart: Markup | str = ""
    counterpart_detail: str = ""
    languages: str = ""
    interpreters: Markup | str = ""
    extra: str = ""
    video_call: VideoCall | None = None  # for a reader who joins by video
    fate: str = ""  # a replan's mark: moved | interpreter | booth | added | cancelled (struck through)
    change: str = ""  # what changed since the published agenda, in the reader's words


@dataclass
class Agenda:
    who: Who
    path: str
    language: str = "en"
    days: list[tuple[str, list[Row]]] = field(default_factory=list)
    meetings: int = 0
    changed: bool = False  # a replan changed, added or cancelled one of its meetings

    @property
    def reader(self) -> Reader:
        return reader(self.language)

    @property
    def title(self) -> Markup:
        return self.who.name(self.reader)


@dataclass(frozen=True)
class Lost:
    """A published meeting a reader no longer has, shown struck through in its published slot:
    cancelled (``reason``: the schedule's), or, for an interpreter, handed to another (``reason``
    None). ``meeting`` is as it was published, with its raised calendar ``sequence``."""

    meeting: ScheduledMeeting
    reason: str | None


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
        self.video_calls = {b.id: b.video_call for b in event.booths if b.video_call is not None}
        # Each person's and each booth's meetings by start, found once (an expo has thousands).
        self.meetings_of: dict[str, list[ScheduledMeeting]] = {}
        self.meetings_at: dict[str, list[ScheduledMeeting]] = {}
        for meeting in sorted(schedule.meetings, key=lambda m: m.start):
            keys = [who.key for who in self.sides(meeting)] + [f"interpreter-{i}" for i in meeting.interpreters]
            for key in dict.fromkeys(keys):
                self.meetings_of.setdefault(key, []).append(meeting)
            self.meetings_at.setdefault(meeting.booth, []).append(meeting)
        self.lost_of = self._lost(schedule)
        self.stamp = _stamp(event, schedule)

    def _lost(self, schedule: ScheduleFile) -> dict[str, list[Lost]]:
        """A replan's lost meetings by reader: each cancelled one (the schedule's optional
        ``cancelled``) for its people and interpreters still in the event, and each meeting an
        interpreter was taken off (its ``was``) for that interpreter."""
        found: dict[str, list[Lost]] = {}

        def lose(lost: Lost, keys) -> None:
            for key in dict.fromkeys(keys):
                found.setdefault(key, []).append(lost)

        for entry in (schedule.model_extra or {}).get("cancelled", ()):
            lost = Lost(ScheduledMeeting.model_validate({k: v for k, v in entry.items() if k != "reason"}),
                        entry.get("reason") or "")
            lose(lost, [who.key for _, who in self.parties(lost.meeting) if who is not None]
                 + [f"interpreter-{i}" for i in lost.meeting.interpreters if i in self.interpreters])
        for meeting in schedule.meetings:
            extra = meeting.model_extra or {}
            was = extra.get("was") or {}
            dropped = [i for i in was.get("interpreters", ())
                       if i not in meeting.interpreters and i in self.interpreters]
            if dropped:
                published = ScheduledMeeting.model_validate({
                    **meeting.model_dump(include={"buyer", "firm", "between"}, exclude_none=True),
                    **{k: was[k] for k in ("booth", "start", "end", "interpreters")},
                    "sequence": extra.get("sequence", 0)})
                lose(Lost(published, None), [f"interpreter-{i}" for i in dropped])
        for lost in found.values():
            lost.sort(key=lambda item: item.meeting.start)
        return found

    def parties(self, meeting: ScheduledMeeting) -> tuple[tuple[str, Who | None], tuple[str, Who | None]]:
        """(id, person) of both sides in the order of :meth:`sides`; the person None for one who
        has left the event (a cancelled meeting's)."""
        keys = ([("participant", p) for p in meeting.between] if meeting.between is not None
                else [("firm", meeting.firm or ""), ("buyer", meeting.buyer or "")])
        first, second = ((person, self.people.get((role, person))) for role, person in keys)
        return first, second

    def known(self, meeting: ScheduledMeeting) -> bool:
        """Everyone the meeting names is still in the event."""
        return (all(who is not None for _, who in self.parties(meeting))
                and all(i in self.interpreters for i in meeting.interpreters))

    def party_label(self, party: tuple[str, Who | None], reader: Reader) -> Markup:
        person, who = party
        return who.label_for(reader) if who is not None else Markup("{}").format(person)

    def interpreter_name(self, interpreter: str, reader: Reader) -> Markup:
        who = self.interpreters.get(interpreter)
        return who.name(reader) if who is not None else Markup("{}").format(interpreter)

    def place(self, booth: str, reader: Reader) -> str:
        """\"table T03\" (a plaza, a brokerage forum) or \"booth TC03\" (the teleconference room)."""
        text = self.booth_text(booth, reader)
        if self.event.kind == "teleconference":
            return reader.gettext("booth %(booth)s", booth=text)
        return reader.gettext("table %(booth)s", booth=text)

    def sides(self, meeting: ScheduledMeeting) -> tuple[Who, Who]:
        """(firm side, buyer side); at a brokerage event, (between[0], between[1])."""
        if meeting.between is not None:
            return self.people[("participant", meeting.between[0])], self.people[("participant", meeting.between[1])]
        return self.people[("firm", meeting.firm)], self.people[("buyer", meeting.buyer)]

    def booth_text(self, booth: str, reader: Reader) -> str:
        floor = self.floors.get(booth)
        name = self.booth_names.get(booth, booth)
        return reader.gettext("%(booth)s (floor %(floor)s)", booth=name, floor=floor) if floor is not None else name

    def language_pair(self, meeting: ScheduledMeeting, reader: Reader) -> str:
        first, second = self.sides(meeting)
        a, b = first.record.languages, second.record.languages
        shared = [code for code in a if code in b]
        if shared and not meeting.interpreters:
            return reader.language(shared[0])
        if meeting.interpreters:
            head = self.interpreters[meeting.interpreters[0]].record.languages
            tail = self.interpreters[meeting.interpreters[-1]].record.languages
            left = next((c for c in a if c in head), a[0])
            right = next((c for c in b if c in tail and c != left), b[0])
            return f"{reader.language(left)} ↔ {reader.language(right)}"
        return f"{reader.language(a[0])} ↔ {reader.language(b[0])}"

    def interpreter_text(self, meeting: ScheduledMeeting, reader: Reader) -> Markup | str:
        names = [self.interpreter_name(i, reader) for i in meeting.interpreters]
        if not self.known(meeting):  # a cancelled meeting of someone who has left: the names alone
            return Markup(" → ").join(names)
        if len(names) == 2:
            first, second = self.sides(meeting)
            pivots = relay_pivots(self.interpreters[meeting.interpreters[0]].record.languages,
                                  self.interpreters[meeting.interpreters[1]].record.languages,
                                  first.record.languages, second.record.languages)
            via = (reader.gettext("relay via %(language)s", language=reader.language(pivots[0])) if pivots
                   else reader.gettext("relay"))
            return Markup("{} → {} ({})").format(names[0], names[1], via)
        if names:
            return names[0]
        if share_language(*(s.record.languages for s in self.sides(meeting))):
            return reader.gettext("none needed")
        return reader.gettext("their own")

    def local(self, instant: dt.datetime, zone: str) -> pendulum.DateTime:
        return pendulum.instance(instant).in_timezone(zone)

    def times(self, who: Who, start: dt.datetime, end: dt.datetime,
              reader: Reader) -> tuple[str, str, str | None]:
        """(day heading, time, venue time beside it) in the reader's own zone."""
        own = self.local(start, who.zone)
        own_end = self.local(end, who.zone)
        if who.zone == self.venue:
            return reader.day(own.date()), _fmt_span(own, own_end), None
        venue = self.local(start, self.venue)
        venue_end = self.local(end, self.venue)
        beside = f"{reader.short_day(venue.date())} {_fmt_span(venue, venue_end)} {reader.city(self.venue)}"
        return reader.day(own.date()), _fmt_span(own, own_end), beside


# The PDF bundles: one per role, in this order, and the desk grid.
_BUNDLES = (("buyer", "print/buyers.pdf", "Buyers"), ("firm", "print/firms.pdf", "Firms"),
            ("participant", "print/participants.pdf", "Participants"),
            ("interpreter", "print/interpreters.pdf", "Interpreters"))
GRID_PDF = "print/desk-grid.pdf"
_PRINTED = (*_BUNDLES, ("", GRID_PDF, "Desk grid"))  # every PDF of print/: (role, path, title)
# People of a role laid out together (pdf.py): enough that WeasyPrint's work per document is
# shared, few enough that the workers stay evenly busy and a person's PDF stays small.
PEOPLE_PER_CHUNK = 100


def _counted(progress: Callable[[str], None], bundles: list[Bundle]) -> Callable[[str], None]:
    """Tells ``progress`` of each bundle laid out, and how many of them are."""
    titles = {path: title.lower() for _, path, title in _PRINTED}
    done: list[str] = []

    def laid_out(path: str) -> None:
        done.append(path)
        progress(f"PDFs: {titles[path]} laid out ({len(done)} of {len(bundles)})")
    return laid_out


def render_documents(event: Event, schedule: ScheduleFile, *, pdfs: bool = False, workers: int = 1,
                     progress: Callable[[str], None] | None = None) -> dict[str, str | bytes]:
    """Relative path in the output folder -> content. With ``pdfs``, also each role's agendas
    and the desk grid as PDF bundles (``print/``) and each person's agenda as a PDF beside its
    page, laid out by ``workers`` processes. ``progress`` is told, in words, what is done: the
    PDFs take most of the time."""
    context = _Context(event, schedule)
    files: dict[str, str | bytes] = {}
    agendas = _agendas(context)
    bodies = {}
    for agenda in agendas:
        bodies[agenda.path] = _agenda_body(event, context, agenda, pdfs)
        files[agenda.path] = _ENV.get_template("agenda.html.j2").render(
            event=event, agenda=agenda, lang=agenda.language, body=bodies[agenda.path])
        files[f"calendars/{agenda.who.key}.ics"] = _calendar(context, agenda.who, agenda.reader)
        if context.lost_of.get(agenda.who.key):
            files[f"calendars/{agenda.who.key}-cancelled.ics"] = _calendar(context, agenda.who, agenda.reader,
                                                                         cancellations=True)
    version = publication_version(event, schedule)
    desk = desk_view(context, version)
    files[DESK_PAGE] = _ENV.get_template("grid.html.j2").render(event=event, desk=desk)
    files.update(version_files(event, version))
    grids = desk.links
    printed: list[tuple[str, str]] = []
    if pdfs:
        bundles = []
        for role, path, title in _BUNDLES:
            group = [a for a in agendas if a.who.role == role]
            if group:
                chunks = [group[i:i + PEOPLE_PER_CHUNK] for i in range(0, len(group), PEOPLE_PER_CHUNK)]
                bundles.append(Bundle(path, "print-agenda.css", tuple(
                    _ENV.get_template("bundle.html.j2").render(
                        event=event, title=title, parts=[(a.who.key, a.language, bodies[a.path]) for a in chunk])
                    for chunk in chunks), parts=tuple((_pdf_path(a.path), a.who.key) for a in group)))
        bundles.append(Bundle(GRID_PDF, "print-grid.css", (files[DESK_PAGE],), fit_grid=event.kind))
        if progress is not None:
            progress(f"documents: {len(agendas):,} agendas and calendars written; laying out their PDFs and the "
                     f"desk grid's")
        files.update(render_pdfs(bundles, workers, None if progress is None else _counted(progress, bundles)))
        printed = [(title, path) for _, path, title in _PRINTED if path in files]
    changes = _changes(context)
    if changes is not None:
        files["changes.html"] = _ENV.get_template("changes.html.j2").render(event=event, **changes)
    files["index.html"] = _ENV.get_template("index.html.j2").render(
        event=event, schedule=schedule, agendas=agendas, grids=grids, printed=printed, changes=changes is not None,
        pdf_of={a.path: _pdf_path(a.path) for a in agendas if _pdf_path(a.path) in files},
        unscheduled=[(u.title, u.reason) for u in schedule.unscheduled],
        days=", ".join(_fmt_day(pendulum.datetime(d.date.year, d.date.month, d.date.day)) for d in event.event.days),
    )
    return files


def _pdf_path(html_path: str) -> str:
    return html_path.removesuffix(".html") + ".pdf"


def _agenda_body(event: Event, context: _Context, agenda: Agenda, pdf: bool) -> Markup:
    """One person's agenda, in that person's language: the body of its page and of its part of
    the role's PDF bundle."""
    return Markup(environment(agenda.language).get_template("agenda-body.html.j2").render(
        event=event, agenda=agenda, zone_note=_zone_note(context, agenda.who, agenda.reader),
        pdf=_pdf_path(agenda.path).removeprefix("agendas/") if pdf else None))


def _zone_note(context: _Context, who: Who, reader: Reader) -> str:
    if who.zone == context.venue:
        return ""
    return reader.gettext("Times in your own zone (%(zone)s); venue time (%(venue)s) beside.",
                          zone=who.zone, venue=context.venue)


def _agendas(context: _Context) -> list[Agenda]:
    agendas = []
    for who in [*context.people.values(), *context.interpreters.values()]:
        meetings = context.meetings_of.get(who.key, [])
        agenda = Agenda(who, f"agendas/{who.key}.html", language=who.language, meetings=len(meetings))
        reader = agenda.reader
        rows: list[Row] = []
        for meeting in meetings:
            day, time, beside = context.times(who, meeting.start, meeting.end, reader)
            first, second = context.sides(meeting)
            row = Row(meeting.start, day, time, beside, "meeting", booth=context.booth_text(meeting.booth, reader),
                      languages=context.language_pair(meeting, reader),
                      interpreters=context.interpreter_text(meeting, reader),
                      video_call=context.video_calls.get(meeting.booth) if who.remote else None)
            if who.role == "interpreter":
                # Both sides, a line each, the buyer's country on its line: a day of 16 meetings fits a page.
                country = second.detail_for(reader, with_languages=False)
                row.counterpart = Markup("{}<br>{}").format(first.label_for(reader), second.label_for(reader))
                if country:
                    row.counterpart += Markup(' <span class="muted">· {}</span>').format(country)
                partners = [context.interpreters[i].name(reader) for i in meeting.interpreters if i != who.id]
                row.extra = reader.gettext("relay with %(name)s", name=partners[0]) if partners else ""
                if second.remote:
                    own = context.local(meeting.start, second.zone)
                    local = reader.gettext("%(id)s local %(time)s", id=second.id,
                                           time=f"{reader.weekday(own.date())} {own.format('HH:mm')}")
                    row.extra = ", ".join(x for x in (row.extra, local) if x)
            else:
                other = second if who.key == first.key else first
                row.counterpart = other.label_for(reader)
                row.counterpart_detail = other.detail_for(reader)
            row.fate = (meeting.model_extra or {}).get("change") or ""
            row.change = _change_note(context, who, meeting, reader)
            rows.append(row)
        rows += [_lost_row(context, who, lost, reader) for lost in context.lost_of.get(who.key, ())]
        if who.role != "interpreter" and not who.remote and meetings:
            for index, day in enumerate(context.event.event.days):
                if not any(context.local(m.start, context.venue).date() == day.date for m in meetings):
                    continue
                for pause in day.breaks:
                    start = venue_instant(context.venue, day.date, pause.start)
                    end = venue_instant(context.venue, day.date, pause.end)
                    label, time, beside = context.times(who, start, end, reader)
                    rows.append(Row(start, label, time, beside, "break",
                                    counterpart=pause.label or reader.gettext("Break")))
        rows.sort(key=lambda r: (r.sort_key, r.fate == "cancelled"))  # a lost meeting after the one in its slot
        agenda.changed = any(row.change for row in rows)
        for row in rows:
            if not agenda.days or agenda.days[-1][0] != row.day:
                agenda.days.append((row.day, []))
            agenda.days[-1][1].append(row)
        agendas.append(agenda)
    return agendas


def _lost_row(context: _Context, who: Who, lost: Lost, reader: Reader) -> Row:
    """A lost meeting's line: as it was published, struck through, with why."""
    meeting = lost.meeting
    day, time, beside = context.times(who, meeting.start, meeting.end, reader)
    first, second = context.parties(meeting)
    if who.role == "interpreter":
        counterpart = Markup("{}<br>{}").format(context.party_label(first, reader), context.party_label(second, reader))
    else:
        counterpart = context.party_label(second if first[1] is not None and first[1].key == who.key else first, reader)
    if lost.reason is None:
        change = reader.gettext("no longer yours: another interpreter takes it")
    elif lost.reason:
        change = reader.gettext("cancelled: %(reason)s", reason=_reason_text(lost.reason, reader))
    else:
        change = reader.gettext("cancelled")
    return Row(meeting.start, day, time, beside, "meeting", booth=context.booth_text(meeting.booth, reader),
               counterpart=counterpart,
               languages=context.language_pair(meeting, reader) if context.known(meeting) else "",
               interpreters=context.interpreter_text(meeting, reader), fate="cancelled", change=change)


_PERSON_WITHDRAWN = re.compile(re.escape(PERSON_WITHDRAWN) + r"(.+?)(?: and (.+?))? (?:is|are) no longer in the event")


def _reason_text(reason: str, reader: Reader) -> str:
    """A cancellation's reason (scheduler/model/baseline.py's words) in the reader's language; a
    reason in other words as it is written."""
    if reason == REQUEST_WITHDRAWN:
        return reader.gettext("request withdrawn")
    withdrawn = _PERSON_WITHDRAWN.fullmatch(reason)
    if withdrawn and withdrawn[2] is None:
        return reader.gettext("person withdrawn: %(person)s is no longer in the event", person=withdrawn[1])
    if withdrawn:
        return reader.gettext("person withdrawn: %(first)s and %(second)s are no longer in the event",
                              first=withdrawn[1], second=withdrawn[2])
    if reason.startswith(NO_LONGER_FITS):
        # The solver's own explanation stays as it is written (it names people and counts).
        return reader.gettext("no longer fits: %(why)s", why=reason.removeprefix(NO_LONGER_FITS))
    return reason


def _stamp(event: Event, schedule: ScheduleFile) -> pendulum.DateTime:
    """The calendars' DTSTAMP: when the schedule was produced (``stats.generated``); for a file
    without it, the event's first opening, so the same file always gives the same calendars."""
    if schedule.stats.generated is not None:
        return pendulum.instance(schedule.stats.generated).in_timezone("UTC")
    first = event.event.days[0]
    return venue_instant(event.event.timezone, first.date, first.open).in_timezone("UTC")


def _calendar(context: _Context, who: Who, reader: Reader, cancellations: bool = False) -> bytes:
    """Each meeting at its instant, written in the reader's own zone (its calendar shows its own
    clock), with the booth's video call for a reader who joins by video; a replan's cancelled
    meetings included as cancelled. With ``cancellations``, those alone, as a cancellation message
    (RFC 5546 ``METHOD:CANCEL``) for calendar apps that import messages rather than follow a
    calendar."""
    calendar = Calendar()
    calendar.add("prodid", "-//schedule//export promotion meetings//EN")
    calendar.add("version", "2.0")
    if cancellations:
        calendar.add("method", "CANCEL")
    # An X- property is written as given unless typed: as text, a line break in a name (a CSV
    # cell copied from a spreadsheet) is escaped instead of breaking the file.
    calendar.add("x-wr-calname", vText(f"{context.event.event.name}: {who.record.name}"))
    zone = pendulum.timezone(who.zone)
    cancelled = [lost.meeting for lost in context.lost_of.get(who.key, ())]
    meetings = cancelled if cancellations else [*context.meetings_of.get(who.key, []), *cancelled]
    if meetings:
        calendar.add_component(_vtimezone(who.zone))
    for meeting in meetings:
        first, second = context.parties(meeting)
        item = CalendarEvent()
        title = meeting.title
        # One UID per request (a request has one meeting), so a replan's calendar updates the entry;
        # SEQUENCE rises with each change, and a cancelled meeting is sent as cancelled (RFC 5545).
        item.add("uid", hashlib.sha1(f"{context.event.event.name}|{title}".encode()).hexdigest() + "@schedule")
        item.add("sequence", (meeting.model_extra or {}).get("sequence", 0))
        if meeting in cancelled:
            item.add("status", "CANCELLED")
        if who.role == "interpreter":
            item.add("summary", reader.gettext("Interpreting: %(first)s — %(second)s",
                                               first=_name(first, reader), second=_name(second, reader)))
        else:
            other = second if first[1] is not None and who.key == first[1].key else first
            item.add("summary", reader.gettext("Meeting with %(name)s",
                                               name=context.party_label(other, reader).striptags()))
        item.add("dtstart", pendulum.instance(meeting.start).in_timezone(zone))
        item.add("dtend", pendulum.instance(meeting.end).in_timezone(zone))
        item.add("dtstamp", context.stamp)
        description = reader.gettext("Languages: %(languages)s. Interpreters: %(interpreters)s.",
                                     languages=context.language_pair(meeting, reader) if context.known(meeting) else "",
                                     interpreters=Markup(context.interpreter_text(meeting, reader)).striptags())
        call = context.video_calls.get(meeting.booth) if who.remote else None
        if call is None:
            item.add("location", f"{context.event.event.name}, {context.booth_text(meeting.booth, reader)}")
        else:
            item.add("location", call.link)
            item.add("url", call.link)
            description += "\n" + _video_call_text(call, reader)
        item.add("description", description)
        calendar.add_component(item)
    return calendar.to_ical()


def _name(party: tuple[str, Who | None], reader: Reader) -> str:
    person, who = party
    return who.name(reader).striptags() if who is not None else person


@lru_cache(maxsize=None)
def _vtimezone(zone: str):
    """The zone's VTIMEZONE, made once (icalendar derives it from the whole IANA history)."""
    calendar = Calendar()
    item = CalendarEvent()
    item.add("dtstart", pendulum.datetime(2026, 1, 1, tz=zone))
    calendar.add_component(item)
    calendar.add_missing_timezones()
    (timezone,) = calendar.walk("VTIMEZONE")
    return timezone


def _video_call_text(call: VideoCall, reader: Reader) -> str:
    lines = [reader.gettext("Video call: %(link)s", link=call.link)]
    if call.meeting_id:
        lines.append(reader.gettext("Meeting ID: %(id)s", id=call.meeting_id))
    if call.passcode:
        lines.append(reader.gettext("Passcode: %(code)s", code=call.passcode))
    return "\n".join(lines)


def _change_note(context: _Context, who: Who, meeting: ScheduledMeeting, reader: Reader) -> str:
    """A replanned schedule's mark (its optional ``change`` and ``was``), as the agenda says it:
    what the meeting was before, where that changed."""
    extra = meeting.model_extra or {}
    change, was = extra.get("change"), extra.get("was") or {}
    if change == "moved":
        day, time, _ = context.times(who, pendulum.parse(was["start"]), pendulum.parse(was["end"]), reader)
        if day != context.times(who, meeting.start, meeting.end, reader)[0]:  # the day only when it was another
            time = f"{day} {time}"
        return reader.gettext("changed: moved from %(time)s, %(place)s", time=time,
                              place=context.place(was["booth"], reader))
    if change == "interpreter":
        names = [context.interpreter_name(i, reader).striptags() for i in was.get("interpreters", ())]
        if not names:
            return reader.gettext("changed: another interpreter")
        return reader.gettext("changed: another interpreter (was %(names)s)", names=" → ".join(names))
    if change == "booth":
        if context.event.kind == "teleconference":
            return reader.gettext("changed: another booth (was %(booth)s)",
                                  booth=context.booth_text(was["booth"], reader))
        return reader.gettext("changed: another table (was %(booth)s)", booth=context.booth_text(was["booth"], reader))
    if change == "added":
        return reader.gettext("new since the last agenda")
    return ""


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
