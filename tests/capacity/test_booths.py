"""The fewest booths per floor and day on tiny two-day teleconference events, worked out by hand
in the comments: the relaxation's bound (booth_bound.py) and the proven fewest (rooms.py)."""

from __future__ import annotations

from scheduler.capacity.booth_bound import booth_bound
from scheduler.capacity.hiring import Target, kept_requests
from scheduler.capacity.marginal import resolved
from scheduler.capacity.rooms import fewest_rooms
from scheduler.model.load import event_from_data
from scheduler.model.problem import compile_problem
from scheduler.solve.model.meetings import MeetingModel

MON, TUE = "2026-06-15", "2026-06-16"


def person(id_, languages, **more):
    return {"id": id_, "name": id_, "languages": list(languages), "timezone": "Asia/Seoul", **more}


def on(*windows):
    return [{"date": day, "start": start, "end": end} for day, start, end in windows]


def two_days(buyers, requests, firms=3, interpreters=()):
    """Two days of two one-hour slots each (09:00, 10:00); three booths on floor 1."""
    data = {"event": {"name": "Two days", "kind": "teleconference", "timezone": "Asia/Seoul", "meeting_minutes": 60,
                      "days": [{"date": day, "open": "09:00", "close": "11:00"} for day in (MON, TUE)]},
            "booths": [{"id": f"A{n}", "floor": 1} for n in (1, 2, 3)], "buyers": buyers,
            "firms": [person(f"F{n}", ("ko",)) for n in range(1, firms + 1)], "interpreters": list(interpreters),
            "requests": requests, "objective": ["priority"]}
    return event_from_data(data, "event.yaml").event


def bound_of(ev):
    today = resolved(ev, 5)
    problem = compile_problem(ev)
    model = MeetingModel(problem, seating=False)
    return booth_bound(model, kept_requests(model, Target.parse("all-placed"), today.placements), None, 10)


def fewest(ev):
    today = resolved(ev, 5)
    assert today.proven
    return fewest_rooms(compile_problem(ev), Target.parse("all-placed"), today.placements, 10)


def crowded_days():
    # Three meetings (B1-B3 with F1-F3) can only be on Monday, three (B4-B6) only on Tuesday;
    # everyone speaks Korean, anyone may take either slot of their day.
    return two_days([person(f"B{n}", ("ko",), available=on((MON if n <= 3 else TUE, "09:00", "11:00")))
                     for n in range(1, 7)],
                    [{"buyer": f"B{n}", "firm": f"F{(n - 1) % 3 + 1}"} for n in range(1, 7)])


def test_the_bound_pays_each_day_for_its_busiest_slot():
    # Each day's three meetings share two slots: one slot holds two, so 2 booths each day, 4
    # in all. Spread as fractions over the slots of both days (the plain linear relaxation),
    # 6 meetings over 4 slots would need only 1.5 booths a day, 3 in all: whole counts per day
    # are what give 4.
    assert bound_of(crowded_days()) == 4


def test_crowded_days_need_two_booths_each():
    # The bound above is met: 2 booths each day (three meetings, two slots), proven.
    rooms = fewest(crowded_days())
    assert rooms.proven and rooms.total == 4 and rooms.bound == 4
    assert rooms.opened == {(1, 0): 2, (1, 1): 2}


def one_interpreter_for_two_meetings():
    # X1 and X2 (Korean, no interpreter) can only meet on Monday, either slot. Y1 and Y2
    # (Russian) can only meet at 09:00, on either day, and both need I1 (named on the request).
    buyers = [person(f"X{n}", ("ko",), available=on((MON, "09:00", "11:00"))) for n in (1, 2)]
    buyers += [person(f"Y{n}", ("ru",), available=on((MON, "09:00", "10:00"), (TUE, "09:00", "10:00")))
               for n in (1, 2)]
    requests = [{"buyer": "X1", "firm": "F1"}, {"buyer": "X2", "firm": "F2"},
                {"buyer": "Y1", "firm": "F3", "interpreter": "I1"}, {"buyer": "Y2", "firm": "F4", "interpreter": "I1"}]
    return two_days(buyers, requests, firms=4, interpreters=[person("I1", ("ko", "ru"))])


def test_an_interpreter_in_one_meeting_at_a_time_moves_a_meeting_to_tuesday():
    # Without I1 both Russian meetings would sit at Monday 09:00 beside nothing else, the
    # Korean ones at 10:00: 2 booths on Monday only. I1 takes one meeting at a time, so Y1 and
    # Y2 are at 09:00 on different days: Monday then holds three meetings in two slots (2
    # booths), Tuesday one (1 booth): 3. Fewer is impossible: Monday needs 2 (X1, X2 and a Y
    # in two slots), Tuesday 1. The bound sees it through its rows on interpreter sets.
    ev = one_interpreter_for_two_meetings()
    assert bound_of(ev) == 3
    rooms = fewest(ev)
    assert rooms.proven and rooms.total == 3 and rooms.opened == {(1, 0): 2, (1, 1): 1}
