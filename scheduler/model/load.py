"""Read an event file: YAML, CSV lists beside it, the booth shorthand.

Every problem is reported with its file and place, and all problems of one
kind are collected before raising, so a coordinator fixes them in one pass.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from scheduler.model.errors import EventError, Locator, Problem
from scheduler.model.event import Booth, BoothCount, Event, Interpreter, Participant, Request, Reservation
from scheduler.model.references import check_references, check_warnings

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
# The record each CSV list holds: its fields are the columns it may have.
_FIELDS = {"booths": Booth, "buyers": Participant, "firms": Participant, "participants": Participant,
           "interpreters": Interpreter, "requests": Request, "reservations": Reservation}
_WINDOW = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s+(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*$")


class _StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """SafeLoader that refuses a key given twice in one mapping. It parses with libyaml where
    PyYAML was built with it, several times faster than PyYAML's own parser, and an event is read
    at the start of every solve (benchmarks/README.md, "Model and greedy")."""


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


def _timestamp_or_text(loader: _StrictLoader, node: yaml.ScalarNode) -> Any:
    """A date YAML cannot build (2026-13-01) stays text, so validation names the field it is in."""
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates
)
_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


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
    path = Path(path)
    locator = Locator(path.name)
    raw = _read_csv_lists(raw, path, locator)
    raw = _expand_booths(raw, locator)
    try:
        event = Event.model_validate(raw)
    except ValidationError as error:
        raise EventError([_pydantic_problem(locator, item) for item in _root_causes(error.errors())]) from None
    problems = check_references(event, locator)
    if problems:
        raise EventError(problems)
    return LoadedEvent(event, path, locator, tuple(check_warnings(event, locator)))


def _read_yaml(path: Path) -> dict:
    try:
        data = path.read_bytes()
        text = data.decode("utf-8")
    except FileNotFoundError:
        raise EventError([Problem(str(path), "", "no such file")]) from None
    except UnicodeDecodeError as error:
        raise EventError([Problem(str(path), "", _not_utf8(data, error, "line"))]) from None
    except OSError as error:
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
        if not isinstance(value["csv"], str) or not value["csv"].strip():
            problems.append(locator.problem((name, "csv"), f"expected a file name, got {value['csv']!r}"))
            continue
        csv_path = path.parent / value["csv"].strip()
        if not csv_path.is_file():
            problems.append(locator.problem((name, "csv"), f"no such file {value['csv']!r} beside the event file"))
            continue
        locator.csv_files[name] = csv_path.name
        try:
            raw[name] = _read_csv(csv_path, name, raw, locator)
        except EventError as error:
            problems.extend(error.problems)
    if problems:
        raise EventError(problems)
    return raw


def _not_utf8(data: bytes, error: UnicodeDecodeError, line: str) -> str:
    """Where a file is not UTF-8, and what to do. A spreadsheet saves CSV in the system's own
    encoding unless asked (CP949 on a Korean Windows)."""
    where = data[:error.start].count(b"\n") + 1
    how = " (in Excel: Save As, then 'CSV UTF-8 (Comma delimited)')" if line == "row" else ""
    return f"{line} {where} is not UTF-8 (byte 0x{data[error.start]:02x}); save the file as UTF-8{how}"


def _read_csv(csv_path: Path, name: str, raw: dict, locator: Locator) -> list[dict]:
    try:
        data = csv_path.read_bytes()
        text = data.decode("utf-8-sig")
        reader = csv.DictReader(io.StringIO(text, newline=""))
        columns = [column.strip() for column in reader.fieldnames or []]
        rows = list(reader)
    except UnicodeDecodeError as error:
        raise EventError([locator.problem((name,), _not_utf8(data, error, "row"))]) from None
    except (OSError, csv.Error) as error:
        raise EventError([locator.problem((name,), f"cannot be read: {error}")]) from None
    required = list(_REQUIRED_COLUMNS.get(name, ()))
    if name == "requests":
        kind = raw.get("event", {}).get("kind") if isinstance(raw.get("event"), dict) else None
        required = ["between"] if kind == "brokerage" else ["buyer", "firm"]
    if not columns:
        raise EventError([locator.problem((name,), "is empty; its first line names the columns, separated by commas")])
    separator = next((mark for mark in (";", "\t", "|") if len(columns) == 1 and mark in columns[0]), None)
    if separator is not None:
        raise EventError([locator.problem((name,), (
            f"the first line {columns[0]!r} is one column: columns are separated by commas, "
            f"not {'tabs' if separator == chr(9) else repr(separator)}"
        ))])
    repeated = sorted({column for column in columns if columns.count(column) > 1})
    if repeated:
        raise EventError([locator.problem((name,), f"column {', '.join(map(repr, repeated))} is given twice")])
    missing = [column for column in required if column not in columns]
    problems = []
    for column in columns:
        if column not in _FIELDS[name].model_fields:
            close = difflib.get_close_matches(column, missing or list(_FIELDS[name].model_fields), n=1, cutoff=0.6)
            if close and close[0] in missing:
                missing.remove(close[0])
            hint = f"is it {close[0]!r}?" if close else f"the columns are {', '.join(_FIELDS[name].model_fields)}"
            problems.append(locator.problem((name,), f"unknown column {column!r}: {hint}"))
    if missing:
        problems.append(locator.problem((name,), f"missing column {', '.join(repr(c) for c in missing)}"))
    if problems:
        raise EventError(problems)
    records = []
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
                [locator.problem(("booths", *item["loc"]), validation_message(item)) for item in error.errors()]
            ) from None
        raw = dict(raw)
        raw["booths"] = [booth.model_dump() for booth in shorthand.expand()]
    return raw


def _root_causes(errors: list[dict]) -> list[dict]:
    """One error per mistake. A list's "too short" goes when an entry of it failed: the entry's own error
    is the cause (pydantic counts only the entries that passed, so one bad language also leaves
    `languages` "empty"). A missing field goes when an unknown field beside it looks like it misspelt, or
    is the only one there; an unknown field that looks like an optional field of its record asks if it is."""
    failed_inside = {tuple(item["loc"][:depth]) for item in errors for depth in range(len(item["loc"]))}
    missing = {tuple(item["loc"]): item for item in errors if item["type"] == "missing" and item["loc"]}
    unknown = [tuple(item["loc"]) for item in errors if item["type"] == "extra_forbidden" and item["loc"]]
    kept, misspelt = [], set()
    for item in errors:
        loc = tuple(item["loc"])
        if item["type"] == "too_short" and loc in failed_inside:
            continue
        if item["type"] == "extra_forbidden" and loc and isinstance(loc[-1], str):
            beside = [name[-1] for name in missing if name[:-1] == loc[:-1] and isinstance(name[-1], str)]
            close = difflib.get_close_matches(loc[-1], beside, n=1, cutoff=0.6)
            if not close and len(beside) == 1 and sum(other[:-1] == loc[:-1] for other in unknown) == 1:
                close = beside  # the one field missing where the one unknown field stands
            if close:
                misspelt.add((*loc[:-1], close[0]))
            else:  # nothing missing there: perhaps an optional field misspelt
                close = difflib.get_close_matches(loc[-1], _fields_at(loc[:-1]), n=1, cutoff=0.75)
            if close:
                item = {**item, "type": "misspelt", "msg": f"unknown field `{loc[-1]}`: is it `{close[0]}`?"}
        kept.append(item)
    return [item for item in kept if tuple(item["loc"]) not in misspelt]


def _fields_at(loc: tuple) -> list[str]:
    """The fields of the record at ``loc`` in the event (none if the place is not a record)."""
    model: type[BaseModel] | None = Event
    for step in loc:
        if isinstance(step, int):
            continue  # an entry of a list: the list's field already named its record
        if model is None or step not in model.model_fields:
            return []
        model = _record_in(model.model_fields[step].annotation)
    return list(model.model_fields) if model is not None else []


def _record_in(annotation: Any) -> type[BaseModel] | None:
    """The record a field holds, through Annotated, ``X | None`` and tuples of X."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in typing.get_args(annotation):
        record = _record_in(argument)
        if record is not None:
            return record
    return None


def _pydantic_problem(locator: Locator, item: dict) -> Problem:
    return locator.problem(item["loc"], validation_message(item))


def validation_message(item: dict) -> str:
    """One pydantic error, in a coordinator's words (without pydantic's own prefixes)."""
    kind = item["type"]
    loc = item["loc"]
    if kind == "extra_forbidden":
        return f"unknown field `{loc[-1]}` (is it a typo?)" if loc else "unknown field"
    if kind == "missing":
        return "missing, and it has no default"
    if kind in {"too_short", "too_long"}:
        limit = item["ctx"]["min_length" if kind == "too_short" else "max_length"]
        entries = "entry" if limit == 1 else "entries"
        bound = "at least" if kind == "too_short" else "at most"
        return f"needs {bound} {limit} {entries}, got {item['ctx']['actual_length']}"
    if kind in {"tuple_type", "list_type"}:
        return f"expected a list, got {item.get('input')!r}"
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return f"expected a mapping of fields, got {item.get('input')!r}"
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
