"""Who can talk to whom, and which interpreters bridge a pair (FORMAT.md, "Languages")."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import pycountry

# The languages agendas and calendars are translated into (scheduler/render/locale has a catalog for each
# but English, the language of the templates).
AGENDA_LANGUAGES = ("en", "ko")


def share_language(a: Sequence[str], b: Sequence[str]) -> bool:
    return not set(a).isdisjoint(b)


def bridges(interpreter: Sequence[str], side_a: Sequence[str], side_b: Sequence[str]) -> bool:
    """One interpreter speaks a language of each side (two different languages)."""
    mine = set(interpreter)
    return any(x != y for x in mine.intersection(side_a) for y in mine.intersection(side_b))


def relay_pivots(first: Sequence[str], second: Sequence[str], firm_side: Sequence[str],
                 buyer_side: Sequence[str]) -> tuple[str, ...]:
    """Pivot languages for a relay: ``first`` takes the firm side into the pivot, ``second`` the pivot
    into the buyer side."""
    pivots = []
    for pivot in sorted(set(first).intersection(second)):
        from_firm = any(f != pivot for f in set(first).intersection(firm_side))
        to_buyer = any(b != pivot for b in set(second).intersection(buyer_side))
        if from_firm and to_buyer:
            pivots.append(pivot)
    return tuple(pivots)


@lru_cache(maxsize=None)
def language_name(code: str) -> str:
    language = pycountry.languages.get(alpha_2=code)
    return language.name if language is not None else code


@lru_cache(maxsize=None)
def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name
