"""The event file, as ``docs/FORMAT.md`` section 1 defines it.

Every record is a frozen pydantic model with ``extra="forbid"`` so that a
typo in a field name is an error, not a silently ignored line. Checks that
involve one record only live here; checks across records (references,
duplicates, the slot grid) live in :mod:`scheduler.model.references`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, ClassVar, Literal

import pendulum
import pycountry
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from scheduler.model.languages import AGENDA_LANGUAGES
from scheduler.model.times import format_clock, parse_clock, parse_local_datetime

Kind = Literal["plaza", "teleconference", "brokerage"]


def _zone(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("expected an IANA time zone name such as \"Asia/Seoul\"")
    try:
        pendulum.timezone(value.strip())
    except Exception:  # pendulum raises InvalidTimezone, a ValueError
        raise ValueError(f"{value!r} is not a time zone of the IANA database (e.g. \"Asia/Bangkok\")") from None
    return value.strip()


def _language(value: object) -> str:
    code = str(value).strip().lower() if isinstance(value, str) else value
    if not isinstance(code, str) or len(code) != 2 or pycountry.languages.get(alpha_2=code) is None:
        raise ValueError(f"{value!r} is not an ISO 639-1 language code (e.g. \"en\", \"zh\", \"th\")")
    return code


def _agenda_language(value: object) -> str:
    code = _language(value)
    if code not in AGENDA_LANGUAGES:
        raise ValueError(f"agendas are written in {' or '.join(repr(c) for c in AGENDA_LANGUAGES)}, not {code!r}")
    return code


def _country(value: object) -> str:
    code = value.strip().upper() if isinstance(value, str) else value
    if not isinstance(code, str) or len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise ValueError(f"{value!r} is not an ISO 3166 alpha-2 country code (e.g. \"TH\")")
    return code


def _identifier(value: object) -> str:
    # YAML reads `id: 101` as a number; an id is a label, so keep it as text.
    if isinstance(value, bool) or value is None:
        raise ValueError("expected an id")
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise ValueError("expected a non-empty id")
    return value.strip()


def _two_people(value: object) -> object:
    if isinstance(value, (list, tuple)) and len(value) != 2:
        raise ValueError(f"`between` names exactly two people, got {len(value)}")
    return value


# Years the calendar arithmetic can always take a day (and a time zone) either side of.
FIRST_YEAR, LAST_YEAR = 1900, 9998


def _plausible_date(value: dt.date) -> dt.date:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"{value.isoformat()[:10]} is not a date between the years {FIRST_YEAR} and {LAST_YEAR}")
    return value


Clock = Annotated[dt.time, BeforeValidator(parse_clock)]
Date = Annotated[dt.date, AfterValidator(_plausible_date)]
LocalDateTime = Annotated[dt.datetime, BeforeValidator(parse_local_datetime), AfterValidator(_plausible_date)]
Zone = Annotated[str, BeforeValidator(_zone)]
Language = Annotated[str, BeforeValidator(_language)]
AgendaLanguage = Annotated[str, BeforeValidator(_agenda_language)]
Country = Annotated[str, BeforeValidator(_country)]
Id = Annotated[str, BeforeValidator(_identifier)]
Priority = Annotated[int, Field(ge=1, le=5)]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TimeRange(Record):
    start: Clock
    end: Clock

    @model_validator(mode="after")
    def _ordered(self) -> TimeRange:
        if self.end <= self.start:
            hint = self._past_midnight.format(start=format_clock(self.start), end=format_clock(self.end))
            raise ValueError(f"end {format_clock(self.end)} is not after start {format_clock(self.start)}"
                             f"{'; ' + hint if hint and self.end < self.start else ''}")
        return self

    # What to write instead when the hours were meant to run past midnight (remote_hours: one range a day).
    _past_midnight: ClassVar[str] = "remote hours end by midnight; give whoever meets later `available` windows"


class Break(TimeRange):
    label: str | None = None
    _past_midnight: ClassVar[str] = ""


class Window(TimeRange):
    """A stretch of one date, read in the zone of whoever it belongs to."""

    date: Date
    _past_midnight: ClassVar[str] = "hours past midnight are two windows: {start}-24:00, then 00:00-{end} the next day"


class Day(Record):
    date: Date
    open: Clock
    close: Clock
    breaks: tuple[Break, ...] = ()

    @model_validator(mode="after")
    def _hours(self) -> Day:
        if self.close <= self.open:
            raise ValueError(f"close {self.close:%H:%M} is not after open {self.open:%H:%M}")
        for index, pause in enumerate(self.breaks):
            if pause.start < self.open or pause.end > self.close:
                raise ValueError(
                    f"breaks[{index}] {pause.start:%H:%M}-{pause.end:%H:%M} lies outside "
                    f"opening hours {self.open:%H:%M}-{self.close:%H:%M}"
                )
        return self


class EventInfo(Record):
    name: str
    kind: Kind
    timezone: Zone
    meeting_minutes: Annotated[int, Field(gt=0, le=24 * 60)]
    changeover_minutes: Annotated[int, Field(ge=0, le=24 * 60)] = 0
    remote_hours: TimeRange = TimeRange(start=dt.time(9), end=dt.time(18))
    days: Annotated[tuple[Day, ...], Field(min_length=1)]

    @field_validator("days")
    @classmethod
    def _distinct_dates(cls, days: tuple[Day, ...]) -> tuple[Day, ...]:
        seen: set[dt.date] = set()
        for day in days:
            if day.date in seen:
                raise ValueError(f"{day.date} is listed twice")
            seen.add(day.date)
        return tuple(sorted(days, key=lambda day: day.date))


class VideoCall(Record):
    """How a remote participant joins a booth's calls (beyond the contract, see README)."""

    link: Annotated[str, Field(min_length=1)]
    meeting_id: str | None = None
    passcode: str | None = None

    @field_validator("meeting_id", "passcode", mode="before")
    @classmethod
    def _as_text(cls, value: object) -> object:
        # YAML reads `meeting_id: 8123456789` as a number; it is a label.
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class Booth(Record):
    id: Id
    name: str | None = None
    floor: int | None = None
    # Optional, beyond the contract: shown to remote participants for each meeting in this booth.
    video_call: VideoCall | None = None

    @property
    def label(self) -> str:
        return self.name or self.id


class BoothCount(Record):
    """The shorthand ``booths: {count: 47, prefix: T}``."""

    count: Annotated[int, Field(gt=0, le=100_000)]
    prefix: str = "T"
    floor: int | None = None

    def expand(self) -> tuple[Booth, ...]:
        width = max(2, len(str(self.count)))
        return tuple(
            Booth(id=f"{self.prefix}{n:0{width}d}", floor=self.floor) for n in range(1, self.count + 1)
        )


class Person(Record):
    """Fields shared by buyers, firms, brokerage participants and interpreters."""

    id: Id
    name: str
    company: str | None = None
    country: Country | None = None
    languages: Annotated[tuple[Language, ...], Field(min_length=1)]
    timezone: Zone | None = None
    remote: bool | None = None
    max_meetings: Annotated[int, Field(ge=0)] | None = None
    available: tuple[Window, ...] | None = None
    # Optional, beyond the contract (see README): the name in its own script (`name` stays the
    # romanised one), and the language of this person's agenda and calendar.
    name_local: str | None = None
    agenda_language: AgendaLanguage | None = None

    @field_validator("languages")
    @classmethod
    def _no_repeats(cls, languages: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(languages))


class Participant(Person):
    """A buyer, a firm or a brokerage participant."""

    booth: Id | None = None


class Interpreter(Person):
    languages: Annotated[tuple[Language, ...], Field(min_length=2)]
    remote: bool = False

    @field_validator("languages")
    @classmethod
    def _two_different(cls, languages: tuple[str, ...]) -> tuple[str, ...]:
        # Repeats are dropped (Person): [ko, ko] would leave an interpreter for nobody.
        if len(languages) < 2:
            raise ValueError(f"an interpreter needs two different languages, got only {languages[0]!r}")
        return languages


class Pinned(Record):
    start: LocalDateTime
    booth: Id | None = None


class Request(Record):
    buyer: Id | None = None
    firm: Id | None = None
    between: Annotated[tuple[Id, Id], BeforeValidator(_two_people)] | None = None
    priority: Priority = 3
    slots: Annotated[int, Field(gt=0, le=48)] = 1
    required: bool = False
    interpreter: Id = "auto"
    pinned: Pinned | None = None
    available: tuple[Window, ...] | None = None

    @model_validator(mode="after")
    def _two_sides(self) -> Request:
        if self.between is not None:
            if self.buyer is not None or self.firm is not None:
                raise ValueError("give either `between` or `buyer` and `firm`, not both")
            if self.between[0] == self.between[1]:
                raise ValueError(f"`between` names {self.between[0]} twice")
        elif self.buyer is None or self.firm is None:
            missing = "buyer" if self.buyer is None else "firm"
            raise ValueError(f"missing `{missing}` (or `between: [A, B]` at a brokerage event)")
        return self

    @property
    def is_required(self) -> bool:
        return self.required or self.pinned is not None


class Reservation(Record):
    booth: Id
    date: Date
    start: Clock
    end: Clock
    label: str | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Reservation:
        if self.end <= self.start:
            raise ValueError(f"end {self.end:%H:%M} is not after start {self.start:%H:%M}")
        return self


ObjectiveTerm = Literal[
    "priority",  # total priority of the scheduled requests (more is better)
    "firms met",  # firms (brokerage: participants) with at least one meeting (more)
    "least-served firm",  # meetings of the firm with fewest, among firms that can meet (more)
    "idle gaps",  # FORMAT.md's idle gaps of buyers, firms and participants (fewer)
    "interpreter changes",  # an interpreter moving table (plaza) or floor between back-to-back meetings (fewer)
    "interpreter seats",  # interpreters tied up; a relay takes two (fewer)
    "busiest interpreter",  # most meetings any interpreter has on one day (fewer)
    "fewest changes",  # changes to a published schedule's meetings, weighted (fewer; with --baseline)
]
_TERMS = ObjectiveTerm.__args__
_MAX_WEIGHT = 1000


def _objective_level(value: object) -> object:
    """A term, or {term: weight, ...}; checked here so that a wrong level is one message, not one per
    shape it might have had."""
    terms = ", ".join(repr(term) for term in _TERMS)
    if isinstance(value, str):
        if value not in _TERMS:
            raise ValueError(f"{value!r} is not an objective term; the terms are {terms}")
        return value
    if not isinstance(value, dict) or not value:
        raise ValueError(f"expected a term or {{term: weight, ...}}, got {value!r}")
    for term, weight in value.items():
        if term not in _TERMS:
            raise ValueError(f"{term!r} is not an objective term; the terms are {terms}")
        if isinstance(weight, bool) or not isinstance(weight, int) or not 0 < weight <= _MAX_WEIGHT:
            raise ValueError(f"the weight of {term!r} is a whole number from 1 to {_MAX_WEIGHT}, not {weight!r}")
    return value


# One level of the objective: a term, or terms with weights optimised together.
ObjectiveLevel = Annotated[
    ObjectiveTerm | dict[ObjectiveTerm, Annotated[int, Field(gt=0, le=_MAX_WEIGHT)]],
    BeforeValidator(_objective_level),
]

DEFAULT_OBJECTIVE: tuple[ObjectiveLevel, ...] = (
    "priority",
    "firms met",
    "least-served firm",
    "idle gaps",
    {"interpreter changes": 2, "interpreter seats": 1, "busiest interpreter": 1},
)


class Event(Record):
    """A whole event file, after CSV lists are read and the booth shorthand expanded."""

    event: EventInfo
    booths: Annotated[tuple[Booth, ...], Field(min_length=1)]
    buyers: tuple[Participant, ...] = ()
    firms: tuple[Participant, ...] = ()
    participants: tuple[Participant, ...] = ()
    interpreters: tuple[Interpreter, ...] = ()
    requests: tuple[Request, ...] = ()
    reservations: tuple[Reservation, ...] = ()
    # Optional, beyond the contract: objective levels in order of importance (see README).
    objective: Annotated[tuple[ObjectiveLevel, ...], Field(min_length=1)] | None = None

    @property
    def objective_levels(self) -> tuple[ObjectiveLevel, ...]:
        return self.objective if self.objective is not None else DEFAULT_OBJECTIVE

    @property
    def kind(self) -> Kind:
        return self.event.kind
