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
                             "requests[6].prioirty: unknown field `prioirty`: is it `priority`?"),
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
    # One mistake that used to be followed by others it caused.
    "bad language code, not also an empty list": (PLAZA, "languages: [zh]}", "languages: [cn]}",
                                                  "buyers[1].languages[0]: 'cn' is not an ISO 639-1 language code"),
    "interpreter's bad language, not also too few": (PLAZA, "name: Kim Minji, languages: [ko, en]",
                                                     "name: Kim Minji, languages: [ko, eng]",
                                                     "interpreters[0].languages[1]: 'eng' is not an ISO 639-1"),
    "an interpreter's language twice": (PLAZA, "name: Kim Minji, languages: [ko, en]",
                                        "name: Kim Minji, languages: [ko, ko]",
                                        "interpreters[0].languages: an interpreter needs two different languages, "
                                        "got only 'ko'"),
    "bad opening time, not also no days": (PLAZA, 'open: "09:30"', 'open: "9h30"',
                                           "event.days[0].open: '9h30' is not a time like \"09:30\""),
    "duplicate buyer id": (PLAZA, "{id: B2, name: Li Wei", "{id: B1, name: Li Wei",
                           "buyers[1].id: duplicate id 'B1' (also buyers[0]); no buyer is 'B2', which "
                           "requests[4].buyer, requests[5].buyer and requests[6].buyer name: is this record it?"),
    "duplicate firm id": (PLAZA, "{id: F2, name: Daegu Textile", "{id: F1, name: Daegu Textile",
                          "firms[1].id: duplicate id 'F1' (also firms[0]); no firm is 'F2', which requests[1].firm "
                          "and requests[7].firm name"),
    "duplicate interpreter id": (PLAZA, "{id: I2, name: Park Junho", "{id: I1, name: Park Junho",
                                 "interpreters[1].id: duplicate id 'I1' (also interpreters[0])"),
    "duplicate participant id": (BROKERAGE, "{id: P2, name: Karim Haddad", "{id: P1, name: Karim Haddad",
                                 "participants[1].id: duplicate id 'P1' (also participants[0]); no participant is "
                                 "'P2'"),
    "duplicate booth id": (TELE, "{id: TC02, name: Booth 2", "{id: TC01, name: Booth 2",
                           "booths[1].id: duplicate id 'TC01' (also booths[0]); no booth is 'TC02', which "
                           "requests[9].pinned.booth names"),
    "a buyer listed twice with its table": (PLAZA, "  - {id: B2, name: Li Wei",
                                            "  - {id: B1, name: Somchai Prasert, languages: [th], booth: T01}\n"
                                            "  - {id: B2, name: Li Wei",
                                            "buyers[1].id: duplicate id 'B1' (also buyers[0])"),
    "unknown id used by several requests": (PLAZA, "{id: F5, name: Andong Crafts", "{id: F55, name: Andong Crafts",
                                            "requests[8].firm: no firm 'F5'; requests[12].firm names it too"),
    "misspelt required field": (PLAZA, "  name: Mini Export Plaza", "  nmae: Mini Export Plaza",
                                "event.nmae: unknown field `nmae`: is it `name`?"),
    "a field renamed out of recognition": (PLAZA, "  name: Mini Export Plaza", '  "\\r": Mini Export Plaza',
                                           "event.\\r: unknown field `\\r`: is it `name`?"),
    "objective term that does not exist": (PLAZA, "reservations:", "objective: [priority, fun]\nreservations:",
                                           "objective[1]: 'fun' is not an objective term; the terms are 'priority'"),
    "objective weight out of range": (PLAZA, "reservations:", "objective: [{idle gaps: 0}]\nreservations:",
                                      "objective[0]: the weight of 'idle gaps' is a whole number from 1 to 1000"),
    "a day's date changed under its windows, pins and reservations": (
        PLAZA, "    - date: 2026-06-18", "    - date: 2026-06-19",
        "buyers[3].available[0]: 2026-06-18 is not a day of the event (2026-06-19 09:30-12:30, Asia/Seoul); "
        "interpreters[2].available[0], requests[9].pinned.start and reservations[0].date name it too"),
    "a date that does not exist": (PLAZA, "    - date: 2026-06-18", "    - date: 2026-06-31",
                                   "event.days[0].date: Input should be a valid date or datetime, day value is "
                                   "outside expected range"),
    "a date out of the calendar's reach": (PLAZA, "    - date: 2026-06-18", "    - date: 9999-12-31",
                                           "event.days[0].date: 9999-12-31 is not a date between the years 1900 "
                                           "and 9998"),
    "pinned on a day with no slot": (PLAZA, "meeting_minutes: 30", "meeting_minutes: 240",
                                     "requests[9].pinned.start: no 240-minute slot fits in the hours of 2026-06-18"),
    "a brokerage file called a plaza": (BROKERAGE, "kind: brokerage", "kind: plaza",
                                        "event.kind: a plaza lists `buyers` and `firms`, but this file lists "
                                        "`participants`, and 12 of its 12 requests name `between`: is it a brokerage "
                                        "event?"),
    "a plaza file called a brokerage event": (PLAZA, "kind: plaza", "kind: brokerage",
                                              "event.kind: a brokerage event lists `participants`, but this file lists "
                                              "`buyers` and `firms`, and 14 of its 14 requests name a buyer and a "
                                              "firm: is it a plaza or a teleconference?"),
    # Teleconference.
    "remote window across midnight in one": (TELE, "{id: I3, name: Choi Hana, languages: [ko, vi]}",
                                             '{id: I3, name: Choi Hana, languages: [ko, vi], '
                                             'available: [{date: 2026-10-22, start: "22:00", end: "02:00"}]}',
                                             "interpreters[2].available[0]: end 02:00 is not after start 22:00; "
                                             "hours past midnight are two windows: 22:00-24:00, then 00:00-02:00 "
                                             "the next day"),
    "remote hours across midnight": (TELE, 'remote_hours: {start: "08:00", end: "19:00"}',
                                     'remote_hours: {start: "20:00", end: "04:00"}',
                                     "event.remote_hours: end 04:00 is not after start 20:00; remote hours end by "
                                     "midnight; give whoever meets later `available` windows"),
    "relay office named for a pair it cannot bridge": (TELE, "{buyer: BKK1, firm: F1, priority: 5}",
                                                       "{buyer: BKK1, firm: F1, priority: 5, interpreter: BKK-KOTRA}",
                                                       "requests[0].interpreter: BKK-KOTRA speaks en, th and cannot "
                                                       "bridge F1 (ko) and BKK1 (th)"),
    # Brokerage.
    "between naming one person twice": (BROKERAGE, "{between: [P1, P2], required: true}",
                                        "{between: [P1, P1], required: true}", "requests[0]: `between` names P1 twice"),
    "between naming three people": (BROKERAGE, "{between: [P1, P2], required: true}",
                                    "{between: [P1, P2, P3], required: true}",
                                    "requests[0].between: `between` names exactly two people, got 3"),
    "between naming one person": (BROKERAGE, "{between: [P1, P2], required: true}", "{between: [P1], required: true}",
                                  "requests[0].between: `between` names exactly two people, got 1"),
    "a request names a brokerage participant twice over": (BROKERAGE, "{id: P4, name: Yusuf Demir",
                                                           "{id: P44, name: Yusuf Demir",
                                                           "requests[5].between[1]: no participant 'P4'; "
                                                           "requests[7].between[0] and requests[8].between[0] name it"),
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
    assert len(messages) == 1, messages  # one mistake, one message
    assert expected in messages[0], messages


@pytest.mark.parametrize("case", ["unknown buyer", "malformed YAML", "unknown field (typo)", "close before open",
                                  "duplicate buyer id", "bad language code, not also an empty list",
                                  "a date that does not exist", "remote window across midnight in one"])
def test_cli_exits_2_without_traceback_or_output(tmp_path, case):
    text, old, new, expected = CASES[case]
    path = write(tmp_path, edited(text, old, new))
    result = CliRunner().invoke(main, ["solve", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert expected in result.output
    assert result.output.rstrip().endswith("\n1 problem in the input; nothing was written.")
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


BUYERS = "id,name,company,country,languages,booth,max_meetings,available\n" \
         "B1,Somchai Prasert,Siam Trading,TH,th;en,T01,5,\n" \
         "B2,Li Wei,Shanghai Foods,CN,zh,,,\n" \
         "B3,Anna Novak,Praha Retail,CZ,en;cs,,,\n" \
         "B4,Nguyen Thi Lan,Saigon Home,VN,vi,,,2026-06-18 10:00-12:30\n"


def with_csv(name: str, reference: str = "") -> str:
    """The mini plaza with its list ``name`` read from a CSV file (``reference``: the YAML that names it)."""
    following = {"buyers": "firms:", "requests": "reservations:"}[name]
    reference = reference or f"{{csv: {name}.csv}}"
    return PLAZA[:PLAZA.index(f"{name}:")] + f"{name}: {reference}\n\n" + PLAZA[PLAZA.index(following):]


CSV_CASES = {
    "separated by semicolons": ("buyers", BUYERS.replace(",", ";"),
                                "buyers.csv: the first line 'id;name;company;country;languages;booth;max_meetings;"
                                "available' is one column: columns are separated by commas, not ';'"),
    "separated by tabs": ("buyers", BUYERS.replace(",", "\t"), "columns are separated by commas, not tabs"),
    "empty": ("buyers", "", "buyers.csv: is empty; its first line names the columns, separated by commas"),
    "the column names only": ("buyers", BUYERS.splitlines()[0] + "\n",
                              "buyers.csv: lists no buyer, yet 4 ids are named as buyers (B1, B2, B3, B4)"),
    "a column twice": ("buyers", BUYERS.replace("available\n", "name\n", 1),
                       "buyers.csv: column 'name' is given twice"),
    "not UTF-8": ("buyers", BUYERS.replace("Anna", "Ann\xe9").encode("latin-1"),
                  "buyers.csv: row 4 is not UTF-8 (byte 0xe9); save the file as UTF-8 (in Excel: Save As, then "
                  "'CSV UTF-8 (Comma delimited)')"),
    "Korean, as Excel saves it on a Korean Windows": (
        "buyers", BUYERS.replace("Li Wei", "\uae40\ubbfc\uc900").encode("cp949"),
        "buyers.csv: row 3 is not UTF-8 (byte 0xb1)"),
    "a duplicate id": ("buyers", BUYERS.replace("B2,Li Wei", "B1,Li Wei"),
                       "buyers.csv: row 3, column id: duplicate id 'B1' (also buyers.csv row 2); no buyer is 'B2', "
                       "which requests[4].buyer, requests[5].buyer and requests[6].buyer name: is this record it?"),
    "a misspelt column": ("buyers", BUYERS.replace("languages", "langauges", 1),
                          "buyers.csv: unknown column 'langauges': is it 'languages'?"),
    "an unknown column": ("buyers", BUYERS.replace("available\n", "shoe size\n", 1),
                          "buyers.csv: unknown column 'shoe size': the columns are id, name, company"),
    "a bad cell": ("buyers", BUYERS.replace(",zh,", ",zz,"),
                   "buyers.csv: row 3, column languages[0]: 'zz' is not an ISO 639-1 language code"),
    "more cells than columns": ("buyers", BUYERS.replace("Saigon Home,VN", "Saigon, Home,VN"),
                                "buyers.csv: row 5: more cells than columns"),
    "an unknown buyer in several rows": ("requests", "buyer,firm,priority\nB1,F1,5\nB9,F2,4\nB9,F3,2\n",
                                         "requests.csv: row 3, column buyer: no buyer 'B9'; requests.csv row 4, "
                                         "column buyer names it too"),
}


def test_an_event_file_not_in_utf8_says_which_line(tmp_path):
    path = tmp_path / "mini-plaza.yaml"
    text = PLAZA.replace("Anna Novak", "Anna Nov\xe1k")
    path.write_bytes(text.encode("latin-1"))
    line = text[:text.index("Nov\xe1k")].count("\n") + 1
    with pytest.raises(EventError) as error:
        load_event(path)
    assert [str(p) for p in error.value.problems] == [
        f"{path}: line {line} is not UTF-8 (byte 0xe1); save the file as UTF-8"]


@pytest.mark.parametrize("case", list(CSV_CASES))
def test_bad_csv_is_one_located_problem(tmp_path, case):
    name, content, expected = CSV_CASES[case]
    (tmp_path / f"{name}.csv").write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(EventError) as error:
        load_event(write(tmp_path, with_csv(name)))
    messages = [str(p) for p in error.value.problems]
    assert len(messages) == 1, messages
    assert expected in messages[0], messages


@pytest.mark.parametrize(("reference", "expected"), [
    ("{csv: nope.csv}", "mini-plaza.yaml: buyers.csv: no such file 'nope.csv' beside the event file"),
    ("{csv: null}", "mini-plaza.yaml: buyers.csv: expected a file name, got None"),
    ("{csv: buyers.csv, sep: ';'}", "mini-plaza.yaml: buyers: a CSV list is written `{csv: FILE}` and nothing else"),
])
def test_a_csv_reference_that_leads_nowhere_is_located_in_the_event_file(tmp_path, reference, expected):
    with pytest.raises(EventError) as error:
        load_event(write(tmp_path, with_csv("buyers", reference)))
    assert [str(p) for p in error.value.problems] == [expected]


def test_cli_on_a_csv_with_the_wrong_separator_exits_2_and_writes_nothing(tmp_path):
    (tmp_path / "buyers.csv").write_text(BUYERS.replace(",", ";"))
    result = CliRunner().invoke(main, ["solve", str(write(tmp_path, with_csv("buyers"))), "--out",
                                       str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.output.startswith("buyers.csv: the first line 'id;name;")
    assert result.output.rstrip().endswith("\n1 problem in the input; nothing was written.")
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
