"""Read an event file: YAML, CSV lists beside it, the booth shorthand.

Every problem is reported with its file and place, and all problems of one
kind are collected before raising, so a coordinator fixes them in one pass.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from scheduler.model.errors import EventError, Problem, where
from scheduler.model.event import Booth, BoothCount, Event

LISTS = ("booths", "buyers", "firms", "participants", "interpreters", "requests")

# Columns a CSV list must have (the fields with no default).
_REQUIRED_COLUMNS = {
    "booths": ("id",),
    "buyers": ("id", "name", "languages"),
    "firms": ("id", "name", "languages"),
    "participants": ("id", "name", "languages"),
    "interpreters": ("id", "name", "languages"),
    "requests": (),  # buyer+firm or between, checked by kind below
}
_LIST_CELLS = {"languages", "between"}
_WINDOW = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s+(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*$")


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key given twice in one mapping."""


def _mapping_without_duplicates(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, yaml.Node] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            mark = key_node.start_mark
            raise yaml.constructor.ConstructorError(
                None, None, f"`{key}` is given twice in one mapping", mark
            )
        seen[key] = key_node
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates
)


@dataclass
class Locator:
    """Turns a place in the merged event data back into a file and a place in it."""

    event_file: str
    csv_files: dict[str, str] = field(default_factory=dict)

    def problem(self, loc: tuple[Any, ...] | list[Any], message: str) -> Problem:
        loc = tuple(loc)
        if loc and loc[0] in self.csv_files:
            name = self.csv_files[loc[0]]
            if len(loc) >= 2 and isinstance(loc[1], int):
                place = f"row {loc[1] + 2}"
                if len(loc) >= 3:
                    place += f", column {where(loc[2:])}"
                return Problem(name, place, message)
            return Problem(name, "", message)
        return Problem(self.event_file, where(loc), message)


@dataclass(frozen=True)
class LoadedEvent:
    """A validated event, the means to point back into its files, and what in it will not be used
    (located warnings such as a remote window that misses the room's hours)."""

    event: Event
    path: Path
    locator: Locator
    warnings: tuple[Problem, ...] = ()


def load_event(path: str | Path) -> LoadedEvent:
    """Load, validate and cross-check an event file; raise :class:`EventError`."""
    path = Path(path)
    return event_from_data(_read_yaml(path), path)


def event_from_data(raw: dict, path: str | Path = "event.yaml") -> LoadedEvent:
    """Validate event data already read (e.g. made by ``schedule generate``); CSV lists are read
    beside ``path``."""
    from scheduler.model.references import check_references, check_warnings

    path = Path(path)
    locator = Locator(path.name)
    raw = _read_csv_lists(raw, path, locator)
    raw = _expand_booths(raw, locator)
    try:
        event = Event.model_validate(raw)
    except ValidationError as error:
        raise EventError([_pydantic_problem(locator, item) for item in error.errors()]) from None
    problems = check_references(event, locator)
    if problems:
        raise EventError(problems)
    return LoadedEvent(event, path, locator, tuple(check_warnings(event, locator)))


def _read_yaml(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise EventError([Problem(str(path), "", "no such file")]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise EventError([Problem(str(path), "", f"cannot be read: {error}")]) from None
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        place = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        detail = getattr(error, "problem", None) or str(error)
        raise EventError([Problem(path.name, place, f"malformed YAML: {detail}")]) from None
    if not isinstance(data, dict):
        raise EventError([Problem(path.name, "", "expected a mapping with `event:`, `booths:`, ... at the top")])
    return data


def _read_csv_lists(raw: dict, path: Path, locator: Locator) -> dict:
    raw = dict(raw)
    problems: list[Problem] = []
    for name in (*LISTS, "reservations"):
        value = raw.get(name)
        if not (isinstance(value, dict) and "csv" in value):
            continue
        if set(value) != {"csv"}:
            problems.append(locator.problem((name,), "a CSV list is written `{csv: FILE}` and nothing else"))
            continue
        csv_path = path.parent / str(value["csv"])
        locator.csv_files[name] = csv_path.name
        try:
            raw[name] = _read_csv(csv_path, name, raw, locator)
        except EventError as error:
            problems.extend(error.problems)
    if problems:
        raise EventError(problems)
    return raw


def _read_csv(csv_path: Path, name: str, raw: dict, locator: Locator) -> list[dict]:
    try:
        with csv_path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            columns = [column.strip() for column in reader.fieldnames or []]
            rows = list(reader)
    except FileNotFoundError:
        raise EventError([locator.problem((name,), f"no such file {csv_path.name} beside the event file")]) from None
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise EventError([locator.problem((name,), f"cannot be read: {error}")]) from None
    required = list(_REQUIRED_COLUMNS.get(name, ()))
    if name == "requests":
        kind = raw.get("event", {}).get("kind") if isinstance(raw.get("event"), dict) else None
        required = ["between"] if kind == "brokerage" else ["buyer", "firm"]
    missing = [column for column in required if column not in columns]
    if missing:
        raise EventError([locator.problem((name,), f"missing column {', '.join(repr(c) for c in missing)}")])
    records = []
    problems = []
    for index, row in enumerate(rows):
        record: dict[str, Any] = {}
        for column, cell in row.items():
            if column is None:
                problems.append(locator.problem((name, index), "more cells than columns"))
                continue
            column = column.strip()
            cell = (cell or "").strip()
            if cell == "":
                continue  # an empty cell means the default
            try:
                record[column] = _cell(column, cell)
            except ValueError as error:
                problems.append(locator.problem((name, index, column), str(error)))
        records.append(record)
    if problems:
        raise EventError(problems)
    return records


def _cell(column: str, cell: str) -> Any:
    if column in _LIST_CELLS:
        return [part.strip() for part in cell.split(";") if part.strip()]
    if column == "available":
        windows = []
        for part in cell.split(";"):
            if not part.strip():
                continue
            match = _WINDOW.match(part)
            if not match:
                raise ValueError(f"{part.strip()!r} is not a window like \"2026-06-18 09:30-12:00\"")
            windows.append({"date": match[1], "start": match[2], "end": match[3]})
        return windows
    if column == "pinned":
        start, _, booth = cell.partition(" ")
        return {"start": start, "booth": booth.strip()} if booth.strip() else {"start": start}
    return cell


def _expand_booths(raw: dict, locator: Locator) -> dict:
    booths = raw.get("booths")
    if isinstance(booths, dict) and "csv" not in booths:
        try:
            shorthand = BoothCount.model_validate(booths)
        except ValidationError as error:
            raise EventError(
                [locator.problem(("booths", *item["loc"]), _message(item)) for item in error.errors()]
            ) from None
        raw = dict(raw)
        raw["booths"] = [booth.model_dump() for booth in shorthand.expand()]
    return raw


def _pydantic_problem(locator: Locator, item: dict) -> Problem:
    return locator.problem(item["loc"], _message(item))


def _message(item: dict) -> str:
    kind = item["type"]
    loc = item["loc"]
    if kind == "extra_forbidden":
        return f"unknown field `{loc[-1]}` (is it a typo?)" if loc else "unknown field"
    if kind == "missing":
        return "missing, and it has no default"
    message = item["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            message = message[len(prefix):]
    value = item.get("input")
    if kind in {"int_parsing", "bool_parsing", "date_from_datetime_parsing", "date_parsing", "literal_error",
                "less_than_equal", "greater_than_equal", "greater_than", "less_than"}:
        message = f"{message} (got {value!r})"
    return message


__all__ = ["Booth", "LoadedEvent", "Locator", "load_event"]
