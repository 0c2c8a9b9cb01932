"""The schedule file, as ``docs/FORMAT.md`` section 2 defines it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from scheduler.model.errors import EventError, Problem, where

Status = Literal["optimal", "feasible", "infeasible"]


class _Entry(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    buyer: str | None = None
    firm: str | None = None
    between: tuple[str, str] | None = None

    @property
    def pair(self) -> tuple[str, str]:
        """(first, second) as the request names them: (buyer, firm) or ``between``."""
        if self.between is not None:
            return self.between
        return (self.buyer or "", self.firm or "")

    @property
    def title(self) -> str:
        a, b = self.pair
        return f"{a}-{b}"


class ScheduledMeeting(_Entry):
    booth: str
    start: dt.datetime
    end: dt.datetime
    interpreters: tuple[str, ...] = ()

    @field_validator("start", "end")
    @classmethod
    def _with_offset(cls, value: dt.datetime) -> dt.datetime:
        if value.tzinfo is None:
            raise ValueError("needs the venue's UTC offset, e.g. 2026-06-18T09:30:00+09:00")
        return value


class UnscheduledRequest(_Entry):
    reason: str


class Stats(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    requested: int
    scheduled: int
    priority_requested: int
    priority_scheduled: int
    priority_bound: int | None = None
    solve_seconds: float
    # When the solve produced the schedule (UTC): the calendars' DTSTAMP (RFC 5545), so documents
    # rendered again from the same file are the same.
    generated: dt.datetime | None = None

    @field_validator("generated")
    @classmethod
    def _in_utc(cls, value: dt.datetime | None) -> dt.datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("needs a UTC offset, e.g. 2026-06-18T09:30:00Z")
        return value


class ScheduleFile(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    event: str
    status: Status
    meetings: tuple[ScheduledMeeting, ...] = ()
    unscheduled: tuple[UnscheduledRequest, ...] = ()
    stats: Stats

    def to_json(self) -> str:
        return json.dumps(self.model_dump(mode="json", exclude_none=True), indent=2, ensure_ascii=False) + "\n"


def load_schedule(path: str | Path) -> ScheduleFile:
    """Read a schedule file; raise :class:`EventError` with located problems."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EventError([Problem(str(path), "", "no such file")]) from None
    except json.JSONDecodeError as error:
        raise EventError([Problem(path.name, f"line {error.lineno}, column {error.colno}",
                                  f"malformed JSON: {error.msg}")]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise EventError([Problem(str(path), "", f"cannot be read: {error}")]) from None
    try:
        return ScheduleFile.model_validate(data)
    except ValidationError as error:
        raise EventError([Problem(path.name, where(item["loc"]), item["msg"]) for item in error.errors()]) from None
