"""The language a person's agenda and calendar are written in.

Words come from gettext catalogs (``locale/LANG/LC_MESSAGES/messages.po``, compiled to ``.mo``
beside it; the templates are written in English, which needs none); dates, and the names of
languages, countries and cities, from Babel's locale data. Nothing here decides who reads
which language but :func:`agenda_language`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.support import NullTranslations, Translations
from markupsafe import Markup

from scheduler.model.event import Interpreter, Participant

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"


def agenda_language(role: str, record: Participant | Interpreter) -> str:
    """Korean firms and Korean-speaking interpreters read Korean; everyone else English, unless
    the event file says otherwise (``agenda_language``)."""
    if record.agenda_language is not None:
        return record.agenda_language
    if role in ("firm", "interpreter") and "ko" in record.languages:
        return "ko"
    return "en"


@dataclass(frozen=True)
class Reader:
    """One agenda language: its catalog and its locale data."""

    code: str
    translations: NullTranslations
    locale: Locale

    def gettext(self, message: str, **values: object) -> str:
        text = self.translations.gettext(message)
        return text % values if values else text

    def day(self, date: dt.date) -> str:
        """A day heading: Thu 18 Jun 2026, 2026년 6월 18일 (목)."""
        return format_date(date, self.gettext("EEE d MMM y"), locale=self.locale)

    def short_day(self, date: dt.date) -> str:
        return format_date(date, self.gettext("EEE d MMM"), locale=self.locale)

    def weekday(self, date: dt.date) -> str:
        return format_date(date, "EEE", locale=self.locale)

    def language(self, code: str) -> str:
        return self.locale.languages.get(code) or code

    def languages(self, codes: tuple[str, ...]) -> str:
        return ", ".join(self.language(code) for code in codes)

    def country(self, code: str) -> str:
        return self.locale.territories.get(code) or code

    def city(self, zone: str) -> str:
        """The city a time zone is named after (Seoul, 서울)."""
        names = self.locale.time_zones.get(zone)
        city = names.get("city") if names else None
        return city or zone.split("/")[-1].replace("_", " ")


@lru_cache(maxsize=None)
def reader(code: str) -> Reader:
    translations = NullTranslations() if code == "en" else Translations.load(LOCALE_DIR, [code], DOMAIN)
    return Reader(code, translations, Locale.parse(code))


def shown_name(name: str, name_local: str | None, script_language: str, reader_language: str) -> Markup:
    """A name as this reader sees it: in its own script first when the reader's language is the
    person's first, the romanised name first otherwise; the other one beside in brackets."""
    if not name_local or name_local == name:
        return Markup("{}").format(name)
    local = Markup('<span lang="{}">{}</span>').format(script_language, name_local)
    if script_language == reader_language:
        return Markup("{} ({})").format(local, name)
    return Markup("{} ({})").format(name, local)
