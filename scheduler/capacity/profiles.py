"""Language profiles: what kind of interpreter the coordinator may hire.

A profile is the set of languages an interpreter bridges, with the hours they work and their
daily cap. The roster's profiles are read off its interpreters (the hours and cap most of them
share); a coordinator may name another as ``ko+ru`` (or ``ko-ru``, as profiles are shown),
``ko+ru,09:00-13:00`` or ``ko+ru,09:00-13:00,8``. A profile that no request could use (a language nobody at the event
speaks, or a pair the others already bridge for free) is rejected: hiring it cannot help.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from pydantic import ValidationError

from scheduler.model.errors import EventError, Problem as InputProblem, where as field_path
from scheduler.model.event import Event, Interpreter, Window
from scheduler.model.languages import language_name
from scheduler.model.load import validation_message

# Candidate interpreters' ids: no event file uses the character, so they never clash.
CANDIDATE_MARK = "+"


@dataclass(frozen=True)
class Profile:
    """Interpreters alike for hiring: the same languages, hours and daily cap."""

    languages: tuple[str, ...]
    available: tuple[Window, ...] | None = None
    max_meetings: int | None = None

    @property
    def key(self) -> frozenset[str]:
        return frozenset(self.languages)

    @property
    def label(self) -> str:
        return "-".join(self.languages)

    @property
    def names(self) -> str:
        return "/".join(language_name(code) for code in self.languages)

    def candidate(self, number: int) -> Interpreter:
        """The ``number``-th candidate of this profile, as an interpreter of the event."""
        return Interpreter(id=f"{CANDIDATE_MARK}{self.label}{CANDIDATE_MARK}{number}",
                           name=f"candidate {self.label} {number}", languages=self.languages,
                           available=self.available, max_meetings=self.max_meetings)


def profile_of(interpreter: Interpreter) -> frozenset[str]:
    return frozenset(interpreter.languages)


def roster_profiles(event: Event) -> list[Profile]:
    """The roster's profiles, in the order their first interpreter is listed; each with the
    hours and cap most of its interpreters share (the first listed on a tie)."""
    groups: dict[frozenset[str], list[Interpreter]] = {}
    for interpreter in event.interpreters:
        groups.setdefault(profile_of(interpreter), []).append(interpreter)
    profiles = []
    for members in groups.values():
        terms = Counter((m.available, m.max_meetings) for m in members)
        available, cap = max(terms, key=lambda t: (terms[t], -next(i for i, m in enumerate(members)
                                                                  if (m.available, m.max_meetings) == t)))
        profiles.append(Profile(members[0].languages, available, cap))
    return profiles


def parse_profile(text: str, event: Event, file: str) -> Profile:
    """``ko+ru``, ``ko+ru,09:00-13:00`` or ``ko+ru,09:00-13:00,8`` (hours on every day of the
    event, a daily cap), checked as an interpreter of the event file would be."""
    where = f"--profile {text}"

    def bad(message: str) -> EventError:
        return EventError([InputProblem(file, where, message)])

    parts = [p.strip() for p in text.split(",")]
    if not 1 <= len(parts) <= 3:
        raise bad("give languages, then optionally hours and a daily cap: ko+ru,09:00-13:00,8")
    languages = tuple(code.strip() for code in re.split(r"[+-]", parts[0]) if code.strip())  # ko+ru or ko-ru
    twice = sorted({code for code in languages if languages.count(code) > 1})
    if twice:
        raise bad(f"{', '.join(map(repr, twice))} given twice: the languages of an interpreter differ")
    available, cap = None, None
    if len(parts) >= 2 and parts[1]:
        found = re.fullmatch(r"(\d{1,2}:\d{2})-(\d{1,2}:\d{2})", parts[1])
        if not found:
            raise bad(f"hours {parts[1]!r} are not HH:MM-HH:MM")
        try:
            start, end = (dt.time.fromisoformat(t.zfill(5)) for t in found.groups())
        except ValueError:
            raise bad(f"hours {parts[1]!r} are not HH:MM-HH:MM") from None
        try:
            available = tuple(Window(date=day.date, start=start, end=end) for day in event.event.days)
        except ValidationError as error:
            raise bad(f"hours {parts[1]}: {error.errors()[0]['msg']}") from None
    if len(parts) == 3:
        if not parts[2].isdigit():
            raise bad(f"daily cap {parts[2]!r} is not a whole number")
        cap = int(parts[2])
    try:
        Interpreter(id="profile", name="profile", languages=languages, available=available, max_meetings=cap)
    except ValidationError as error:
        detail = error.errors()[0]
        raise bad(f"{field_path(detail['loc'])}: {validation_message(detail)}") from None
    return Profile(languages, available, cap)


def usable(problem, interpreter: int) -> list[int]:
    """The requests an interpreter could take part in (alone or in a relay) at some start."""
    return [task.index for task in problem.tasks
            if any(interpreter in task.options[o] for options in task.options_at.values() for o in options)]


def unneeded(profile: Profile, event: Event) -> str | None:
    """Why no request could use an interpreter of ``profile`` (alone or in a relay), or None.
    Asked of the compiled event with one such interpreter added, so that it is exactly the
    solver's own rule of who may interpret whom, and when."""
    from scheduler.model.problem import compile_problem

    probe = event.model_copy(update={"interpreters": (*event.interpreters, profile.candidate(1))})
    problem = compile_problem(probe)
    index = len(event.interpreters)
    if usable(problem, index):
        return None
    spoken = {code for person in (*event.buyers, *event.firms, *event.participants) for code in person.languages}
    missing = [language_name(code) for code in profile.languages if code not in spoken]
    if missing:
        return f"nobody at the event speaks {' or '.join(missing)}: no request needs an interpreter for {profile.label}"
    if any(index in option for task in problem.tasks for option in task.options):
        return f"its hours meet no time at which a request it could interpret may take place"
    return (f"no request needs an interpreter for {profile.label}: every pair of those languages at the event "
            f"already shares a language, or is interpreted by one person where it would take a relay")
