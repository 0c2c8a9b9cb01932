"""Bad input: each case names the file, the place and what is wrong; the CLI exits 2.

Each case starts from a contract example, changes one thing, and asserts the
located message (and, through the CLI, exit code 2, no traceback, nothing written).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from scheduler.cli import main
from scheduler.model.errors import EventError
from scheduler.model.load import load_event

EXAMPLES = Path(__file__).parents[2] / "examples"
PLAZA = (EXAMPLES / "mini-plaza.yaml").read_text()
TELE = (EXAMPLES / "mini-teleconference.yaml").read_text()
BROKERAGE = (EXAMPLES / "mini-brokerage.yaml").read_text()


def edited(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


CASES = {
    "unknown buyer": (PLAZA, "{buyer: B1, firm: F1, priority: 5}", "{buyer: B999, firm: F1, priority: 5}",
                      "mini-plaza.yaml: requests[0].buyer: no buyer 'B999'"),
    "unknown interpreter": (PLAZA, "{buyer: B1, firm: F6, priority: 3, interpreter: none}",
                            "{buyer: B1, firm: F6, priority: 3, interpreter: I9}",
                            "requests[3].interpreter: no interpreter 'I9'"),
    "duplicate id": (PLAZA, "{id: F2, name: Daegu Textile", "{id: F1, name: Daegu Textile",
                     "firms[1].id: duplicate id 'F1' (also firms[0])"),
    "pair requested twice": (PLAZA, "{buyer: B4, firm: F3, priority: 1}", "{buyer: B4, firm: F1, priority: 1}",
                             "requests[13]: the pair B4-F1 is already requested in requests[10]"),
    "time zone that does not exist": (PLAZA, "timezone: Asia/Seoul", "timezone: Asia/Daegu",
                                      "event.timezone: 'Asia/Daegu' is not a time zone of the IANA database"),
    "close before open": (PLAZA, 'close: "12:30"', 'close: "09:00"',
                          "event.days[0]: close 09:00 is not after open 09:30"),
    "window outside the event": (PLAZA, '{date: 2026-06-18, start: "10:00", end: "12:30"}\n\nfirms',
                                 '{date: 2026-06-19, start: "10:00", end: "12:30"}\n\nfirms',
                                 "buyers[3].available[0]: 2026-06-19 10:00-12:30 (Asia/Seoul) lies outside the event"),
    "pinned off the slot grid": (PLAZA, 'pinned: {start: "2026-06-18T09:30"}', 'pinned: {start: "2026-06-18T09:40"}',
                                 "requests[9].pinned.start: 2026-06-18 09:40 is off the slot grid; slots that day "
                                 "start at 09:30, 10:00, 10:30, 11:15, 11:45"),
    "pinned on a reserved table": (PLAZA, "{buyer: B4, firm: F5, priority: 5}",
                                   '{buyer: B4, firm: F5, priority: 5, pinned: {start: "2026-06-18T11:45", booth: T04}}',
                                   "requests[12].pinned.booth: T04 is reserved 2026-06-18 12:00-12:30 (Press interview)"),
    "booth given twice for one table": (PLAZA, "languages: [zh]}", "languages: [zh], booth: T01}",
                                        "buyers[1].booth: table T01 is already kept by B1 (buyers[0])"),
    "a key written twice": (PLAZA, "{id: F5, name: Andong Crafts, languages: [ko]}",
                            "{id: F5, name: Andong Crafts, languages: [ko], name: Andong}",
                            "`name` is given twice in one mapping"),
    "language code not ISO 639-1": (PLAZA, "languages: [vi]", "languages: [vn]",
                                    "buyers[3].languages[0]: 'vn' is not an ISO 639-1 language code"),
    "malformed YAML": (PLAZA, "requests:\n", "requests: [\n",
                       "mini-plaza.yaml: line "),
    "unknown field (typo)": (PLAZA, "{buyer: B2, firm: F4, priority: 4}", "{buyer: B2, firm: F4, prioirty: 4}",
                             "requests[6].prioirty: unknown field `prioirty` (is it a typo?)"),
    "fewer tables than buyers": (PLAZA, "booths: {count: 4, prefix: T}", "booths: {count: 3, prefix: T}",
                                 "booths: 3 tables for 4 buyers"),
    "pinned booth not the buyer's table": (PLAZA, 'pinned: {start: "2026-06-18T09:30"}',
                                           'pinned: {start: "2026-06-18T09:30", booth: T01}',
                                           "requests[9].pinned.booth: table T01 is kept by B1, not B3"),
    "booth on a teleconference buyer": (TELE, "timezone: Asia/Bangkok}", "timezone: Asia/Bangkok, booth: TC01}",
                                        "buyers[0].booth: only on a plaza does a buyer keep a table"),
    "remote buyer with no time zone": (TELE, "languages: [vi], timezone: Asia/Ho_Chi_Minh}", "languages: [vi]}",
                                       "buyers[4].timezone: HAN1 joins remotely but has no `timezone` "
                                       "(e.g. Asia/Ho_Chi_Minh)"),
    "between mixed with buyer and firm": (BROKERAGE, "{between: [P1, P2], required: true}",
                                          "{between: [P1, P2], buyer: P1, required: true}",
                                          "requests[0]: give either `between` or `buyer` and `firm`, not both"),
    "brokerage request naming a buyer": (BROKERAGE, "{between: [P1, P2], required: true}",
                                         "{buyer: P1, firm: P2, required: true}",
                                         "requests[0]: at a brokerage event a request names `between: [A, B]`"),
    "unknown participant": (BROKERAGE, "{between: [P1, P3], required: true}", "{between: [P1, P33], required: true}",
                            "requests[1].between[1]: no participant 'P33'"),
}


def write(tmp_path: Path, text: str, name: str = "mini-plaza.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_located(tmp_path, case):
    text, old, new, expected = CASES[case]
    path = write(tmp_path, edited(text, old, new))
    with pytest.raises(EventError) as error:
        load_event(path)
    messages = [str(p) for p in error.value.problems]
    assert any(expected in m for m in messages), messages


@pytest.mark.parametrize("case", ["unknown buyer", "malformed YAML", "unknown field (typo)", "close before open"])
def test_cli_exits_2_without_traceback_or_output(tmp_path, case):
    text, old, new, expected = CASES[case]
    path = write(tmp_path, edited(text, old, new))
    result = CliRunner().invoke(main, ["solve", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert expected in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_every_problem_is_reported_at_once(tmp_path):
    text = edited(PLAZA, "{buyer: B1, firm: F1, priority: 5}", "{buyer: B999, firm: F1, priority: 5}")
    text = edited(text, "{buyer: B2, firm: F1, priority: 3}", "{buyer: B2, firm: F77, priority: 3}")
    with pytest.raises(EventError) as error:
        load_event(write(tmp_path, text))
    wheres = {p.where for p in error.value.problems}
    assert {"requests[0].buyer", "requests[4].firm"} <= wheres


def test_csv_missing_column_names_the_csv_file(tmp_path):
    (tmp_path / "buyers.csv").write_text("id,name\nB1,Somchai\n")
    text = PLAZA[:PLAZA.index("buyers:")] + "buyers: {csv: buyers.csv}\n\n" + PLAZA[PLAZA.index("firms:"):]
    with pytest.raises(EventError) as error:
        load_event(write(tmp_path, text))
    assert str(error.value.problems[0]) == "buyers.csv: missing column 'languages'"


def test_csv_cell_error_names_row_and_column(tmp_path):
    (tmp_path / "buyers.csv").write_text("id,name,languages\nB1,Somchai,th;en\nB2,Li Wei,zz\n")
    text = PLAZA[:PLAZA.index("buyers:")] + "buyers: {csv: buyers.csv}\n\n" + PLAZA[PLAZA.index("firms:"):]
    with pytest.raises(EventError) as error:
        load_event(write(tmp_path, text))
    assert any(str(p).startswith("buyers.csv: row 3, column languages[0]: 'zz' is not an ISO 639-1")
               for p in error.value.problems)


def test_csv_list_loads_like_the_inline_list(tmp_path):
    (tmp_path / "buyers.csv").write_text(
        "id,name,company,country,languages,booth,max_meetings,available\n"
        "B1,Somchai Prasert,Siam Trading,TH,th;en,T01,5,\n"
        "B2,Li Wei,Shanghai Foods,CN,zh,,,\n"
        "B3,Anna Novak,Praha Retail,CZ,en;cs,,,\n"
        "B4,Nguyen Thi Lan,Saigon Home,VN,vi,,,2026-06-18 10:00-12:30\n")
    text = PLAZA[:PLAZA.index("buyers:")] + "buyers: {csv: buyers.csv}\n\n" + PLAZA[PLAZA.index("firms:"):]
    from_csv = load_event(write(tmp_path, text)).event
    inline = load_event(EXAMPLES / "mini-plaza.yaml").event
    assert from_csv.buyers == inline.buyers


def test_unquoted_time_means_what_it_says(tmp_path):
    # YAML 1.1 reads an unquoted 10:30 as the number 630; it still means 10:30.
    event = load_event(write(tmp_path, edited(PLAZA, 'close: "12:30"', "close: 12:30"))).event
    assert event.event.days[0].close.strftime("%H:%M") == "12:30"


def test_numeric_id_is_read_as_text(tmp_path):
    text = edited(PLAZA, "{id: F5, name: Andong Crafts", "{id: 105, name: Andong Crafts")
    text = edited(text, "{buyer: B3, firm: F5, priority: 2}", "{buyer: B3, firm: 105, priority: 2}")
    text = edited(text, "{buyer: B4, firm: F5, priority: 5}", "{buyer: B4, firm: 105, priority: 5}")
    event = load_event(write(tmp_path, text)).event
    assert any(f.id == "105" for f in event.firms)


@pytest.mark.parametrize("name", ["mini-plaza", "mini-teleconference", "mini-brokerage"])
def test_contract_examples_load_unchanged(name):
    assert load_event(EXAMPLES / f"{name}.yaml").event.event.name.startswith("Mini")
