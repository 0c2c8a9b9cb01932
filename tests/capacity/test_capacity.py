"""Capacity planning on tiny events whose answers are worked out by hand in the comments.

Every "fewest" asserted is proven (the hiring model's bound equals the roster it found), and
every marginal value comes from a re-solve proven best.
"""

from __future__ import annotations

import pytest

from scheduler.capacity.hiring import Target, candidates_for, fewest_interpreters, with_candidates
from scheduler.capacity.marginal import in_words, marginal_values, resolved, shortages
from scheduler.capacity.study import checked_profiles
from scheduler.model.errors import EventError
from scheduler.model.load import event_from_data
from scheduler.model.problem import compile_problem

DAY = "2026-06-18"
THREE_SLOTS = {"date": DAY, "open": "09:00", "close": "10:30"}  # 09:00, 09:30, 10:00


def at(start: str, end: str) -> list[dict]:
    return [{"date": DAY, "start": start, "end": end}]


def person(id_, languages, **more):
    return {"id": id_, "name": id_, "languages": list(languages), **more}


def event(buyers, firms, interpreters, requests):
    data = {"event": {"name": "Tiny", "kind": "plaza", "timezone": "Asia/Seoul", "meeting_minutes": 30,
                      "days": [THREE_SLOTS]},
            "booths": {"count": 4, "prefix": "T"}, "buyers": buyers, "firms": firms,
            "interpreters": interpreters, "requests": requests, "objective": ["priority"]}
    return event_from_data(data, "event.yaml").event


def fewest(ev, target="all-placed", given=()):
    profiles, flags = checked_profiles(ev, given, "event.yaml")
    target = Target.parse(target)
    today = resolved(ev, 5)
    assert today.proven
    roster = with_candidates(ev, profiles, candidates_for(ev, profiles, target, flags))
    hiring = fewest_interpreters(roster, target, today.placements, 10)
    return {p.label: n for p, n in zip(profiles, hiring.fewest or ())}, hiring


def three_ru_interpreters():
    return [person(f"I{n}", ("ko", "ru")) for n in (1, 2, 3)]


def test_two_russian_meetings_at_the_same_single_slot_need_two_interpreters():
    # B1 and B2 (Russian) are both free only at 09:00, each meeting a Korean firm: both
    # meetings are at 09:00 and each needs its own ko-ru interpreter, so 2 of the 3 are needed.
    ev = event([person("B1", ("ru",), available=at("09:00", "09:30")),
                person("B2", ("ru",), available=at("09:00", "09:30"))],
               [person("F1", ("ko",)), person("F2", ("ko",))], three_ru_interpreters(),
               [{"buyer": "B1", "firm": "F1"}, {"buyer": "B2", "firm": "F2"}])
    counts, hiring = fewest(ev)
    assert counts == {"ko-ru": 2}
    assert hiring.proven and hiring.bound == 2


def test_two_russian_meetings_at_different_slots_need_one_interpreter():
    # The same, but B2 is free only at 10:00: one interpreter takes both meetings.
    ev = event([person("B1", ("ru",), available=at("09:00", "09:30")),
                person("B2", ("ru",), available=at("10:00", "10:30"))],
               [person("F1", ("ko",)), person("F2", ("ko",))], three_ru_interpreters(),
               [{"buyer": "B1", "firm": "F1"}, {"buyer": "B2", "firm": "F2"}])
    counts, hiring = fewest(ev)
    assert counts == {"ko-ru": 1}
    assert hiring.proven and hiring.bound == 1


def test_a_daily_cap_counts_as_well_as_the_slots():
    # Three Russian meetings, one per slot (B1 at 09:00, B2 at 09:30, B3 at 10:00): one
    # interpreter could take all three, but each takes at most 2 a day, so 2 are needed.
    ev = event([person("B1", ("ru",), available=at("09:00", "09:30")),
                person("B2", ("ru",), available=at("09:30", "10:00")),
                person("B3", ("ru",), available=at("10:00", "10:30"))],
               [person("F1", ("ko",))], [person(f"I{n}", ("ko", "ru"), max_meetings=2) for n in (1, 2, 3)],
               [{"buyer": b, "firm": "F1"} for b in ("B1", "B2", "B3")])
    counts, hiring = fewest(ev)
    assert counts == {"ko-ru": 2}
    assert hiring.proven


def test_a_relay_counts_one_interpreter_of_each_side():
    # A Kazakh buyer meets a Korean firm; nobody bridges ko and kk alone: a ko-ru interpreter
    # and a ru-kk one relay through Russian. One meeting: one of each is needed, not zero.
    ev = event([person("B1", ("kk",))], [person("F1", ("ko",))],
               [person("I1", ("ko", "ru")), person("I2", ("ko", "ru")), person("I3", ("ru", "kk")),
                person("I4", ("ru", "kk"))],
               [{"buyer": "B1", "firm": "F1"}])
    counts, hiring = fewest(ev)
    assert counts == {"ko-ru": 1, "ru-kk": 1}
    assert hiring.proven


def test_a_higher_target_hires_candidates():
    # One ko-ru interpreter today; B1 and B2 (Russian) are free only at 09:00, each with a
    # priority-5 request: today one of them is placed. Every request of priority 5 placed
    # needs both at 09:00, so 2 ko-ru interpreters: one more than today.
    ev = event([person("B1", ("ru",), available=at("09:00", "09:30")),
                person("B2", ("ru",), available=at("09:00", "09:30"))],
               [person("F1", ("ko",)), person("F2", ("ko",))], [person("I1", ("ko", "ru"))],
               [{"buyer": "B1", "firm": "F1", "priority": 5}, {"buyer": "B2", "firm": "F2", "priority": 5}])
    counts, hiring = fewest(ev, "priority>=5")
    assert counts == {"ko-ru": 2}
    assert hiring.proven and hiring.roster.today == (1,)
    assert resolved(ev, 5).priority == 5


def test_a_target_no_roster_can_meet_is_proven_infeasible():
    # B1 and B2 are both free only at 09:00 and both want F1: F1 meets one of them, so no
    # number of interpreters places every request of priority 3 or more.
    ev = event([person("B1", ("ru",), available=at("09:00", "09:30")),
                person("B2", ("ru",), available=at("09:00", "09:30"))],
               [person("F1", ("ko",))], [person("I1", ("ko", "ru"))],
               [{"buyer": "B1", "firm": "F1"}, {"buyer": "B2", "firm": "F1"}])
    _, hiring = fewest(ev, "priority>=3")
    assert hiring.fewest is None and hiring.feasible is False


def tiny_plaza():
    # Two Russian buyers with three requests each, a Chinese buyer with one; one ko-ru and two
    # ko-zh interpreters, three slots.
    return event([person("B1", ("ru",)), person("B2", ("ru",)), person("B3", ("zh",))],
                 [person(f, ("ko",)) for f in ("F1", "F2", "F3")],
                 [person("I1", ("ko", "ru")), person("I2", ("ko", "zh")), person("I3", ("ko", "zh"))],
                 [{"buyer": "B1", "firm": "F1", "priority": 5}, {"buyer": "B1", "firm": "F2", "priority": 4},
                  {"buyer": "B1", "firm": "F3", "priority": 3}, {"buyer": "B2", "firm": "F1", "priority": 5},
                  {"buyer": "B2", "firm": "F2", "priority": 5}, {"buyer": "B2", "firm": "F3", "priority": 2},
                  {"buyer": "B3", "firm": "F1", "priority": 3}])


def test_marginal_values_of_one_more_and_one_fewer():
    # Today one ko-ru interpreter takes one Russian meeting per slot: the three best (5+5+5)
    # plus the Chinese one (3) = 18. A second ko-ru places all seven (e.g. 09:00 B1-F1, B2-F3;
    # 09:30 B2-F1, B1-F2; 10:00 B3-F1, B1-F3, B2-F2): 27, +9. Without any ko-ru only the
    # Chinese meeting is left: 3, -15. The ko-zh interpreters: one is idle, so one more or one
    # fewer changes nothing.
    ev = tiny_plaza()
    profiles, _ = checked_profiles(ev, (), "event.yaml")
    today = resolved(ev, 5)
    assert today.priority == 18 and today.proven
    found = {m.profile.label: m for m in marginal_values(ev, profiles, today, 5)}
    assert (found["ko-ru"].more.priority, found["ko-ru"].fewer.priority) == (27, 3)
    assert (found["ko-zh"].more.priority, found["ko-zh"].fewer.priority) == (18, 18)
    assert all(m.more.proven and m.fewer.proven for m in found.values())
    counts, hiring = fewest(ev)
    assert counts == {"ko-ru": 1, "ko-zh": 1} and hiring.proven


def test_the_bottleneck_in_words():
    # Today the three Russian requests left out (priority 4, 3 and 2) could take place at any
    # slot, and the one ko-ru interpreter is busy at all three.
    ev = tiny_plaza()
    profiles, _ = checked_profiles(ev, (), "event.yaml")
    today = resolved(ev, 5)
    words = [in_words(s) for s in shortages(compile_problem(ev), profiles, today.placements)]
    assert words == ["Russian: 3 requests of priority 2-4 wait for a ko-ru interpreter between 09:00 and 10:30"]


@pytest.mark.parametrize("given, message", [
    ("ko+fr", "--profile ko+fr: nobody at the event speaks French: no request needs an interpreter for ko-fr"),
    ("ko+ru+en", None),
    ("ko", "--profile ko: languages: needs at least 2 entries, got 1"),
    ("en+en", "--profile en+en: 'en' given twice: the languages of an interpreter differ"),
    ("ko+ru,9-13", "--profile ko+ru,9-13: hours '9-13' are not HH:MM-HH:MM"),
    ("ko+ru,11:00-12:00", "--profile ko+ru,11:00-12:00: its hours meet no time at which a request it could interpret"),
])
def test_a_profile_no_request_needs_is_rejected_where_it_is_given(given, message):
    ev = tiny_plaza()
    if message is None:
        profiles, flags = checked_profiles(ev, (given,), "event.yaml")
        assert [p.label for p, f in zip(profiles, flags) if f] == ["ko-ru-en"]
        return
    with pytest.raises(EventError) as raised:
        checked_profiles(ev, (given,), "event.yaml")
    (problem,) = raised.value.problems
    assert str(problem).startswith(f"event.yaml: {message}")


def teleconference(booths, buyers, requests):
    data = {"event": {"name": "Tiny room", "kind": "teleconference", "timezone": "Asia/Seoul",
                      "meeting_minutes": 60, "days": [{"date": DAY, "open": "09:00", "close": "11:00"}]},
            "booths": booths, "buyers": buyers,
            "firms": [person(f"F{n}", ("ko",)) for n in (1, 2, 3)], "requests": requests, "objective": ["priority"]}
    return event_from_data(data, "event.yaml").event


def rooms_for(ev, target="all-placed"):
    from scheduler.capacity.rooms import fewest_rooms

    today = resolved(ev, 5)
    assert today.proven
    return fewest_rooms(compile_problem(ev), Target.parse(target), today.placements, 10)


def test_booths_per_floor_and_day_fill_the_first_floor_first():
    # Two slots (09:00, 10:00). B1 and B2 are free only at 09:00, B3 only at 10:00, one meeting
    # each: at most 2 meetings at once, so 2 booths; the first floor has 2, so the second floor
    # is not needed that day.
    ev = teleconference([{"id": f"A{n}", "floor": 1} for n in (1, 2)] + [{"id": f"C{n}", "floor": 2} for n in (1, 2)],
                        [person("B1", ("ko",), timezone="Asia/Seoul", available=at("09:00", "10:00")),
                         person("B2", ("ko",), timezone="Asia/Seoul", available=at("09:00", "10:00")),
                         person("B3", ("ko",), timezone="Asia/Seoul", available=at("10:00", "11:00"))],
                        [{"buyer": "B1", "firm": "F1"}, {"buyer": "B2", "firm": "F2"}, {"buyer": "B3", "firm": "F3"}])
    rooms = rooms_for(ev)
    assert rooms.kind == "booths" and rooms.proven
    assert rooms.total == 2 and rooms.opened == {(1, 0): 2, (2, 0): 0}


def test_a_two_slot_meeting_keeps_its_floor():
    # One booth on each floor. B1 meets F1 for both slots (one booth, one floor, throughout);
    # B2 (09:00 only) and B3 (10:00 only) meet once each: at every slot two meetings, so both
    # floors open their booth.
    ev = teleconference([{"id": "A1", "floor": 1}, {"id": "C1", "floor": 2}],
                        [person("B1", ("ko",), timezone="Asia/Seoul"),
                         person("B2", ("ko",), timezone="Asia/Seoul", available=at("09:00", "10:00")),
                         person("B3", ("ko",), timezone="Asia/Seoul", available=at("10:00", "11:00"))],
                        [{"buyer": "B1", "firm": "F1", "slots": 2}, {"buyer": "B2", "firm": "F2"},
                         {"buyer": "B3", "firm": "F3"}])
    rooms = rooms_for(ev)
    assert rooms.proven and rooms.total == 2 and rooms.opened == {(1, 0): 1, (2, 0): 1}


def test_plaza_tables_are_the_buyers_meeting_on_the_busiest_day():
    # tiny_plaza: today's schedule meets all three buyers (B3's one request is placed), so the
    # three of them keep a table: 3 of the 4.
    rooms = rooms_for(tiny_plaza())
    assert rooms.kind == "tables" and rooms.proven and rooms.total == 3


def test_one_booth_more_or_fewer_is_re_solved_per_floor():
    # One booth on each floor, three buyers all free only at 09:00 (two slots, one meeting each):
    # today 2 of the 3 meetings take place (priority 3 + 3 = 6). A third booth on either floor
    # places the third (+3); without the booth of a floor only 1 meeting is left (-3).
    from scheduler.capacity.marginal import room_marginals

    ev = teleconference([{"id": "A1", "floor": 1}, {"id": "C1", "floor": 2}],
                        [person(f"B{n}", ("ko",), timezone="Asia/Seoul", available=at("09:00", "10:00"))
                         for n in (1, 2, 3)],
                        [{"buyer": f"B{n}", "firm": f"F{n}"} for n in (1, 2, 3)])
    assert resolved(ev, 5).priority == 6
    found = {m.label: m for m in room_marginals(ev, 5)}
    assert {label: (m.more.priority, m.fewer.priority) for label, m in found.items()} == {
        "booth on floor 1": (9, 3), "booth on floor 2": (9, 3)}
    assert all(m.more.proven and m.fewer.proven for m in found.values())


def test_the_events_last_booth_is_not_taken_away():
    # One booth in all: one more is re-solved (both buyers meet at 09:00: +3), one fewer is not
    # (no booth, no meeting: an event needs one, and the solver places meetings in booths).
    from scheduler.capacity.marginal import room_marginals

    ev = teleconference([{"id": "A1", "floor": 1}],
                        [person(f"B{n}", ("ko",), timezone="Asia/Seoul", available=at("09:00", "10:00"))
                         for n in (1, 2)],
                        [{"buyer": f"B{n}", "firm": f"F{n}"} for n in (1, 2)])
    (only,) = room_marginals(ev, 5)
    assert only.today == 1 and only.more.priority == 6 and only.fewer is None


def test_the_booths_a_day_needs_whatever_the_times():
    # B1 and B2 can only meet at 09:00: that slot holds 2 one-slot meetings, so 2 booths that
    # day; B3's meeting (10:00 only) alone needs 1. The bound is 2.
    from scheduler.capacity.rooms import _least_per_day
    from scheduler.solve.model.meetings import MeetingModel

    ev = teleconference([{"id": f"A{n}", "floor": 1} for n in (1, 2, 3)],
                        [person("B1", ("ko",), timezone="Asia/Seoul", available=at("09:00", "10:00")),
                         person("B2", ("ko",), timezone="Asia/Seoul", available=at("09:00", "10:00")),
                         person("B3", ("ko",), timezone="Asia/Seoul", available=at("10:00", "11:00"))],
                        [{"buyer": f"B{n}", "firm": f"F{n}"} for n in (1, 2, 3)])
    model = MeetingModel(compile_problem(ev), seating=False)
    assert _least_per_day(model, [0, 1, 2]) == [2]
    assert _least_per_day(model, [2]) == [1]
