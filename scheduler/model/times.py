"""Clock times as people write them in event files.

YAML 1.1 reads an unquoted ``10:30`` as the sexagesimal number 630; the
contract says that still means 10:30, so every time field goes through
:func:`parse_clock`.
"""

from __future__ import annotations

import datetime as dt
import re

_CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")


def parse_clock(value: object) -> dt.time:
    """Read ``"09:30"``, ``"9:30"``, a ``datetime.time`` or YAML's 570 as 09:30."""
    if isinstance(value, dt.time):
        return value
    if isinstance(value, bool):
        raise ValueError(f"expected a time like \"09:30\", got {value!r}")
    if isinstance(value, int):
        # YAML 1.1 sexagesimal: 10:30 -> 10 * 60 + 30.
        hours, minutes = divmod(value, 60)
        if 0 <= hours <= 23:
            return dt.time(hours, minutes)
        raise ValueError(f"{value} is not a time of day; write times quoted, like \"10:30\"")
    if isinstance(value, str):
        match = _CLOCK.match(value)
        if match:
            hours, minutes = int(match[1]), int(match[2])
            if hours == 24 and minutes == 0:
                return END_OF_DAY
            if hours <= 23 and minutes <= 59:
                return dt.time(hours, minutes)
        raise ValueError(f"{value!r} is not a time like \"09:30\"")
    raise ValueError(f"expected a time like \"09:30\", got {value!r}")


# "24:00" is accepted as the end of a day; it is stored as 23:59:59.999999 so
# comparisons stay within one date, and printed back as 24:00.
END_OF_DAY = dt.time(23, 59, 59, 999999)


def format_clock(value: dt.time) -> str:
    if value == END_OF_DAY:
        return "24:00"
    return value.strftime("%H:%M")


def parse_local_datetime(value: object) -> dt.datetime:
    """A naive venue-time instant such as ``"2026-06-18T10:00"``."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            raise ValueError("write the time without an offset; it is read in the venue's zone")
        return value
    if isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{value!r} is not a date and time like \"2026-06-18T10:00\"") from None
        if parsed.tzinfo is not None:
            raise ValueError("write the time without an offset; it is read in the venue's zone")
        return parsed
    raise ValueError(f"expected a date and time like \"2026-06-18T10:00\", got {value!r}")
