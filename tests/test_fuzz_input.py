"""Fuzzed input: a mutated event file or CSV list ends in located errors (exit 2, nothing written) or in a
schedule the independent checker accepts, never in a traceback.

Mutations start from the shipped files: fields dropped, renamed and retyped, values swapped for other
values of the same files (so that many mutants stay valid and reach the solver), out of range, unicode
or huge. The mini examples are solved (a one-second limit); the large scenarios are only loaded and
compiled, which is where their input is read. The examples are drawn from a fixed seed, so a run
repeats; a failure prints the mutated file. To search further, set SCHEDULE_FUZZ_SCALE (e.g. 20): that
many times the examples, from a fresh seed each run.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import os
import re
import shutil
from pathlib import Path

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.cli import main
from scheduler.model.errors import EventError
from scheduler.model.load import load_event
from scheduler.model.problem import compile_problem

ROOT = Path(__file__).parents[1]
EXAMPLES = ROOT / "examples"
SCENARIOS = ROOT / "scenarios"
MINI = ("mini-plaza.yaml", "mini-teleconference.yaml", "mini-brokerage.yaml")
LARGE = ("daegu-plaza.yaml", "kotra-teleconference-week.yaml")
DAEGU_CSV = ("daegu-buyers.csv", "daegu-firms.csv", "daegu-requests.csv")

# Bounded so the fuzz stays a small part of the suite; each solving case has a one-second limit.
SCALE = float(os.environ.get("SCHEDULE_FUZZ_SCALE", "1"))
SOLVED_EXAMPLES = round(25 * SCALE)
LOADED_EXAMPLES = round(60 * SCALE)


def fuzz(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None, derandomize=SCALE == 1, database=None,
                    suppress_health_check=list(HealthCheck))


# Pydantic's own wording that a located message must never fall back to (a cascade or an unread error).
NOISE = ("after validation", "instance of", "Traceback", "[key]", "literal[", "function-")


def _document(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


DOCUMENTS = {name: _document(EXAMPLES / name) for name in MINI} | {name: _document(SCENARIOS / name) for name in LARGE}


def _leaves(value, found: list) -> list:
    if isinstance(value, dict):
        for item in value.values():
            _leaves(item, found)
    elif isinstance(value, list):
        for item in value:
            _leaves(item, found)
    else:
        found.append(value)
    return found


def _by_field(value, field: str | None, found: dict) -> dict:
    """The values each field takes in a document (a list's items count under the list's field)."""
    if isinstance(value, dict):
        for key, item in value.items():
            _by_field(item, key, found)
    elif isinstance(value, list):
        for item in value:
            _by_field(item, field, found)
    elif field is not None:
        found.setdefault(field, {})[repr(value)] = value
    return found


# Values of the same files: ids, times, dates, languages, priorities; swapped in, they keep a mutant plausible,
# and another value of the same field most often keeps it valid, so that many mutants reach the solver.
PLAUSIBLE = sorted({repr(v): v for name in MINI for v in _leaves(DOCUMENTS[name], [])}.values(), key=repr)
FIELD_VALUES = {field: sorted(values.values(), key=repr)
                for name in MINI for field, values in _by_field(DOCUMENTS[name], None, {}).items()
                if len(values) > 1}
ODD = st.one_of(
    st.none(), st.booleans(),
    st.integers(min_value=-10**30, max_value=10**30),
    st.sampled_from([0, -1, 1, 48, 49, 1440, 1441, 2**31, 2**63, 10**20]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["", " ", "24:00", "25:00", "9:30", "23:59", "00:00", "2026-02-30", "2026-06-18T09:30",
                     "2026-06-18T09:30 T01", "zz", "en", "ko", "xx", "Mars/Olympus", "UTC", "Pacific/Kiritimati",
                     "America/Los_Angeles", "\u200b", "Ким", "한국어", "B1;B2", "auto", "none", "csv"]),
    st.dates(min_value=dt.date(1, 1, 2), max_value=dt.date(9999, 12, 30)),
    st.lists(st.sampled_from(["en", "ko", "th", "zz", 1, None]), max_size=3),
    st.dictionaries(st.sampled_from(["start", "end", "date", "id", "csv", "count"]),
                    st.sampled_from(["09:30", "2026-06-18", "T01", 3, None]), max_size=2),
)
VALUES = st.one_of(st.sampled_from(PLAUSIBLE), ODD)


def _places(value, path=()) -> list[tuple]:
    """Every place in the document: (path to its container..., key or index)."""
    places = []
    if isinstance(value, dict):
        for key, item in value.items():
            places.append((*path, key))
            places.extend(_places(item, (*path, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            places.append((*path, index))
            places.extend(_places(item, (*path, index)))
    return places


def _container(document, place):
    for step in place[:-1]:
        document = document[step]
    return document


def _field(place: tuple) -> str | None:
    return next((step for step in reversed(place) if isinstance(step, str)), None)


def _mutate(data, document: dict, gentle: bool) -> None:
    """One change. A gentle one gives a value another record of the files has in the same field (the
    mutant is then most often valid, and solved); the others drop, rename, repeat or retype anything."""
    places = _places(document)
    if gentle:
        places = [place for place in places if _field(place) in FIELD_VALUES
                  and not isinstance(_container(document, place)[place[-1]], (dict, list))]
    if not places:
        return
    place = data.draw(st.sampled_from(places), label="place")
    parent, key = _container(document, place), place[-1]
    operation = "same field" if gentle else data.draw(
        st.sampled_from(["drop", "rename", "retype", "retype", "repeat"]), label="op")
    if operation == "same field":
        parent[key] = data.draw(st.sampled_from(FIELD_VALUES[_field(place)]), label="value of the field")
    elif operation == "drop":
        del parent[key]
    elif operation == "rename" and isinstance(parent, dict):
        new = data.draw(st.one_of(st.text(max_size=10), st.sampled_from(
            [str(key).upper(), f"{key}s", str(key)[:-1], "id", "name", "between", "booth", "slots"])), label="name")
        parent[new] = parent.pop(key)
    elif operation == "repeat" and isinstance(parent, list):
        parent.insert(key, copy.deepcopy(parent[key]))
    else:
        parent[key] = data.draw(VALUES, label="value")


def _mutant(data, name: str) -> dict:
    document = copy.deepcopy(DOCUMENTS[name])
    gentle = data.draw(st.booleans(), label="gentle")
    for _ in range(data.draw(st.integers(min_value=1, max_value=3), label="mutations")):
        _mutate(data, document, gentle)
    return document


def _write(document, path: Path) -> None:
    try:
        text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
    except (yaml.YAMLError, ValueError, OverflowError):
        text = repr(document)  # not YAML at all: the loader must say so
    path.write_text(text, encoding="utf-8")


def _assert_located(output: str, files: set[str]) -> None:
    """Exit 2's output: one `file: place: what` line per problem, then the count; no noise, no repeats."""
    lines = [line for line in output.splitlines() if line.strip()]
    footer = re.fullmatch(r"(\d+) problems? in the input; nothing was written\.", lines[-1])
    assert footer, output
    problems = lines[:-1]
    assert len(problems) == int(footer[1]) >= 1, output
    assert len(set(problems)) == len(problems), f"a problem said twice:\n{output}"
    for line in problems:
        file, _, rest = line.partition(": ")
        assert file in files and rest.strip(), f"not located in a known file ({files}):\n{line}"
        assert not any(noise in line for noise in NOISE), f"unread validation error:\n{line}"


def _solve_and_check(tmp_path: Path, event: Path, files: set[str]) -> None:
    out = tmp_path / "out"
    shutil.rmtree(out, ignore_errors=True)
    runner = CliRunner()
    solved = runner.invoke(main, ["solve", str(event), "--out", str(out), "--time-limit", "1", "--quiet"])
    assert solved.exception is None or isinstance(solved.exception, SystemExit), (
        f"{type(solved.exception).__name__}: {solved.exception}\n{event.read_text(encoding='utf-8')}"
    )
    assert solved.exit_code in (0, 1, 2), solved.output
    if solved.exit_code == 2:
        _assert_located(solved.output, files)
        assert not out.exists(), "bad input, yet something was written"
        return
    assert "failed the independent check" not in solved.output, solved.output
    checked = runner.invoke(main, ["check", str(event), str(out / "schedule.json")])
    assert checked.exit_code == 0, checked.output


def _load_and_compile(event: Path, files: set[str]) -> None:
    try:
        loaded = load_event(event)
    except EventError as error:
        lines = [str(problem) for problem in error.problems]
        count = len(lines)
        _assert_located("\n".join(lines) + f"\n{count} problem{'s' if count != 1 else ''} in the input; "
                        "nothing was written.", files)
        return
    compile_problem(loaded.event)


@fuzz(SOLVED_EXAMPLES)
@given(data=st.data(), name=st.sampled_from(MINI))
def test_mutated_mini_events_solve_or_say_where(tmp_path_factory, data, name):
    tmp_path = tmp_path_factory.mktemp("fuzz")
    event = tmp_path / name
    _write(_mutant(data, name), event)
    _solve_and_check(tmp_path, event, {name})


@fuzz(LOADED_EXAMPLES)
@given(data=st.data(), name=st.sampled_from(LARGE))
def test_mutated_large_events_load_or_say_where(tmp_path_factory, data, name):
    tmp_path = tmp_path_factory.mktemp("fuzz")
    for csv_name in DAEGU_CSV:
        shutil.copy(SCENARIOS / csv_name, tmp_path / csv_name)
    event = tmp_path / name
    _write(_mutant(data, name), event)
    _load_and_compile(event, {name, *DAEGU_CSV})


def _csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _csv_text(rows: list[list[str]], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


CELLS = st.one_of(st.sampled_from(["", "zz", "en;ko", "th;", ";", "true", "false", "maybe", "-1", "0", "99",
                                   "1e400", str(10**30), "2026-06-18 09:30-12:00", "2026-06-18 9-12",
                                   "2026-06-18T09:30", "2026-06-18T09:30 T01", "2026-06-18T09:31 T99", "T01",
                                   "B01", "F001", "I01", "Asia/Seoul", "Mars/Base", "\ufeff", "\u200b", "ㄱ", '"']),
                  st.text(max_size=10))


def _mutate_csv(data, text: str) -> str:
    rows = _csv_rows(text) or [[""]]
    operation = data.draw(st.sampled_from(["cell", "cell", "cell", "header", "drop column", "drop cell",
                                           "extra cell", "delimiter", "repeat row", "blank"]), label="csv op")
    row = data.draw(st.integers(min_value=1, max_value=len(rows) - 1), label="row") if len(rows) > 1 else 0
    column = data.draw(st.integers(min_value=0, max_value=max(0, len(rows[row]) - 1)), label="column")
    delimiter = ","
    if operation == "cell":
        rows[row][column] = data.draw(CELLS, label="cell")
    elif operation == "header":
        rows[0][column % len(rows[0])] = data.draw(st.one_of(CELLS, st.sampled_from(rows[0])), label="header")
    elif operation == "drop column":
        rows = [r[:column] + r[column + 1:] for r in rows]
    elif operation == "drop cell":
        rows[row] = rows[row][:-1]
    elif operation == "extra cell":
        rows[row] = [*rows[row], data.draw(CELLS, label="extra")]
    elif operation == "delimiter":
        delimiter = data.draw(st.sampled_from([";", "\t", "|"]), label="delimiter")
    elif operation == "repeat row":
        rows.insert(row, list(rows[row]))
    else:
        return ""
    return _csv_text(rows, delimiter)


@fuzz(LOADED_EXAMPLES)
@given(data=st.data(), csv_name=st.sampled_from(DAEGU_CSV))
def test_mutated_csv_lists_load_or_say_where(tmp_path_factory, data, csv_name):
    tmp_path = tmp_path_factory.mktemp("fuzz")
    for name in (*DAEGU_CSV, "daegu-plaza.yaml"):
        shutil.copy(SCENARIOS / name, tmp_path / name)
    text = (SCENARIOS / csv_name).read_text(encoding="utf-8")
    for _ in range(data.draw(st.integers(min_value=1, max_value=2), label="mutations")):
        text = _mutate_csv(data, text)
    (tmp_path / csv_name).write_text(text, encoding="utf-8")
    _load_and_compile(tmp_path / "daegu-plaza.yaml", {"daegu-plaza.yaml", *DAEGU_CSV})


def _mini_plaza_with_csv_lists(folder: Path) -> None:
    """The mini plaza with its buyers and requests in CSV files, as the contract allows."""
    document = copy.deepcopy(DOCUMENTS["mini-plaza.yaml"])
    columns = {"buyers": ["id", "name", "company", "country", "languages", "booth", "max_meetings", "available"],
               "requests": ["buyer", "firm", "priority", "slots", "required", "interpreter", "pinned"]}
    for name, header in columns.items():
        rows = [header]
        for record in document[name]:
            row = []
            for column in header:
                value = record.get(column)
                if isinstance(value, list) and value and isinstance(value[0], dict):
                    value = "; ".join(f"{w['date']} {w['start']}-{w['end']}" for w in value)
                elif isinstance(value, list):
                    value = ";".join(value)
                elif isinstance(value, dict):
                    value = f"{value['start']} {value.get('booth', '')}".strip()
                elif isinstance(value, bool):
                    value = str(value).lower()
                row.append("" if value is None else str(value))
            rows.append(row)
        (folder / f"{name}.csv").write_text(_csv_text(rows), encoding="utf-8")
        document[name] = {"csv": f"{name}.csv"}
    _write(document, folder / "event.yaml")


def test_the_mini_plaza_with_csv_lists_loads_like_the_yaml():
    # The fuzz below starts from this conversion; it must be faithful for its mutants to mean anything.
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        _mini_plaza_with_csv_lists(Path(folder))
        from_csv = load_event(Path(folder) / "event.yaml").event
    inline = load_event(EXAMPLES / "mini-plaza.yaml").event
    assert from_csv.buyers == inline.buyers and from_csv.requests == inline.requests


@fuzz(SOLVED_EXAMPLES // 2)
@given(data=st.data(), csv_name=st.sampled_from(["buyers.csv", "requests.csv"]))
def test_mutated_mini_csv_lists_solve_or_say_where(tmp_path_factory, data, csv_name):
    tmp_path = tmp_path_factory.mktemp("fuzz")
    _mini_plaza_with_csv_lists(tmp_path)
    path = tmp_path / csv_name
    path.write_text(_mutate_csv(data, path.read_text(encoding="utf-8")), encoding="utf-8")
    _solve_and_check(tmp_path, tmp_path / "event.yaml", {"event.yaml", "buyers.csv", "requests.csv"})
