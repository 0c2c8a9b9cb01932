"""The plan: which methods serve a level, read off the level's shape (pipeline/plan.py)."""

from __future__ import annotations

import dataclasses

from scheduler.solve.methods.cpsat import CPSAT
from scheduler.solve.methods.folding import FOLDED_HIGHS
from scheduler.solve.methods.highs import HIGHS, RELAXATION_ONES
from scheduler.solve.methods.kempe import KEMPE, KEMPE_DAY
from scheduler.solve.methods.least_served import HIGHS_TESTS_FOLDED, HIGHS_TESTS_WHOLE, LEAST_SERVED_PARTS
from scheduler.solve.methods.pairing import PAIRING_BOUND
from scheduler.solve.methods.parts import PARTS
from scheduler.solve.methods.patterns import PATTERNS
from scheduler.solve.methods.polish import IDLE_GAP_POLISH
from scheduler.solve.methods.questions import QUESTIONS
from scheduler.solve.methods.relaxation import RELAXATION
from scheduler.solve.methods.reseat import RESEAT
from scheduler.solve.methods.same_meetings import SAME_MEETINGS
from scheduler.solve.pipeline.plan import MIP_UP_TO, QUESTIONS_UP_TO, WHOLE_MODEL_UP_TO, Shape, plan

# A one-day plaza of Daegu's size, its first level: every figure a plaza of that size has.
PLAZA = Shape(kind="plaza", level="priority", position=0, choices=13_000, variables=14_000, seated=False,
              searchable=True, have_schedule=True, all_placed=False, counted_before=True, priority_before=False,
              days=1, brokerage_day_fits=False, patterns_fit=False, retime_fits=False, kinds_of_days=lambda: 1)


def _methods(shape: Shape) -> tuple:
    opening, search = plan(shape)
    return opening + search


def test_a_plazas_priority_goes_to_highs_then_cpsat_and_parts():
    methods = _methods(PLAZA)
    assert methods.index(PAIRING_BOUND) < methods.index(HIGHS) < methods.index(RELAXATION) < methods.index(CPSAT)
    assert methods.index(CPSAT) < methods.index(PARTS)
    assert KEMPE not in methods and FOLDED_HIGHS not in methods


def test_a_ten_day_teleconference_rooms_priority_goes_to_highs():
    # 798 requests over ten days, two booths: 71,802 placement choices, 72,722 variables. CP-SAT's
    # search ended at greedy's priority, 8 % short; HiGHS proved the optimum in 4.5 s.
    room = dataclasses.replace(PLAZA, kind="teleconference", choices=71_802, variables=72_722, days=10,
                               kinds_of_days=lambda: 10)
    assert HIGHS in _methods(room)


def test_a_plazas_priority_beyond_what_highs_takes_whole_still_gets_its_relaxations_ones_fixed():
    large = dataclasses.replace(PLAZA, choices=93_000, variables=MIP_UP_TO + 1, days=2, kinds_of_days=lambda: 2)
    methods = _methods(large)
    assert HIGHS not in methods
    assert (methods.index(PAIRING_BOUND) < methods.index(RELAXATION_ONES) < methods.index(RELAXATION)
            < methods.index(CPSAT) < methods.index(PARTS))
    # Where HiGHS takes the model whole its own run does this first; the later levels do without.
    assert RELAXATION_ONES not in _methods(PLAZA)
    assert RELAXATION_ONES not in _methods(dataclasses.replace(large, level="firms met", position=1,
                                                               priority_before=True))


def test_a_teleconference_month_s_priority_gets_the_relaxations_ones_fixed_before_the_folded_model():
    # Twenty days of a 15-booth room (a generated one has 314,000 variables): before, the folded
    # model ran first, and on most generated rooms of 10-20 days it ended short with no bound but
    # the requests' own, where the plain program's race proved the optimum in seconds.
    month = dataclasses.replace(PLAZA, kind="teleconference", choices=312_000, variables=314_000, days=20,
                                kinds_of_days=lambda: 3)
    methods = _methods(month)
    assert HIGHS not in methods
    assert methods.index(RELAXATION_ONES) < methods.index(FOLDED_HIGHS) < methods.index(RELAXATION)
    # A brokerage day is never that large, and has its own bounds.
    assert RELAXATION_ONES not in _methods(dataclasses.replace(month, kind="brokerage"))


def test_an_event_too_large_to_search_whole_is_solved_by_parts_and_folded_days():
    huge = dataclasses.replace(PLAZA, choices=WHOLE_MODEL_UP_TO, variables=MIP_UP_TO + 1, days=2,
                               kinds_of_days=lambda: 1)
    methods = _methods(huge)
    assert CPSAT not in methods and HIGHS not in methods
    assert FOLDED_HIGHS in methods and PARTS in methods
    # Days that are not alike do not fold.
    assert FOLDED_HIGHS not in _methods(dataclasses.replace(huge, kinds_of_days=lambda: 2))


def test_a_plazas_idle_gaps_after_priority_are_kempe_chains():
    idle = dataclasses.replace(PLAZA, level="idle gaps", position=3, priority_before=True)
    methods = _methods(idle)
    assert methods.index(IDLE_GAP_POLISH) < methods.index(KEMPE) < methods.index(CPSAT)
    assert SAME_MEETINGS not in methods and PARTS not in methods and QUESTIONS not in methods
    # A small plaza's is asked at its bound first.
    methods = _methods(dataclasses.replace(idle, choices=QUESTIONS_UP_TO))
    assert methods.index(IDLE_GAP_POLISH) < methods.index(QUESTIONS) < methods.index(KEMPE)


def test_a_teleconference_weeks_idle_gaps_are_kempe_chains_then_the_same_meetings_in_cp_sat():
    # Kempe chains first (far fewer idle gaps on most weeks), then CP-SAT from their best day with
    # the same meetings (on small rooms it reaches the bound the chains miss).
    week = dataclasses.replace(PLAZA, kind="teleconference", level="idle gaps", position=3, days=5,
                               kinds_of_days=lambda: 5)
    methods = _methods(week)
    assert methods.index(IDLE_GAP_POLISH) < methods.index(KEMPE) < methods.index(SAME_MEETINGS) < methods.index(CPSAT)


def test_questions_at_the_bound_serve_counts_to_make_fewer_on_a_small_model():
    small = dataclasses.replace(PLAZA, kind="teleconference", choices=QUESTIONS_UP_TO, variables=3000)
    idle = dataclasses.replace(small, level="idle gaps", position=3, priority_before=True)
    methods = _methods(idle)
    assert methods.index(QUESTIONS) < methods.index(SAME_MEETINGS)
    comfort = dataclasses.replace(idle, level={"interpreter changes": 2, "busiest interpreter": 1}, seated=True)
    assert QUESTIONS in _methods(comfort)
    # Not a count to make more, nor one the model states only in part, nor a larger model, nor a
    # level about seats on a model that does not seat interpreters.
    assert QUESTIONS not in _methods(small)
    assert QUESTIONS not in _methods(dataclasses.replace(idle, level="fewest changes"))
    assert QUESTIONS not in _methods(dataclasses.replace(idle, choices=QUESTIONS_UP_TO + 1))
    assert QUESTIONS not in _methods(dataclasses.replace(comfort, searchable=False))


def test_a_brokerage_day_with_every_meeting_placed_is_searched_by_patterns_not_by_cpsat():
    day = dataclasses.replace(PLAZA, kind="brokerage", level="idle gaps", position=0, all_placed=True,
                              brokerage_day_fits=True, patterns_fit=True)
    methods = _methods(day)
    assert PATTERNS in methods and KEMPE_DAY in methods
    assert CPSAT not in methods and RELAXATION not in methods
    # The patterns and the SAT solver ask the day's own questions, at any size.
    assert QUESTIONS not in _methods(dataclasses.replace(day, choices=QUESTIONS_UP_TO))
    # Without the patterns, CP-SAT takes a first look before the Kempe search.
    methods = _methods(dataclasses.replace(day, patterns_fit=False))
    assert methods.index(CPSAT) < methods.index(KEMPE_DAY)


def test_the_least_served_firm_is_raised_by_tests_or_by_parts_by_the_models_size():
    least = dataclasses.replace(PLAZA, level="least-served firm", position=2, priority_before=True)
    assert HIGHS_TESTS_WHOLE in _methods(least)
    large = dataclasses.replace(least, variables=MIP_UP_TO * 3, days=4, kinds_of_days=lambda: 1)
    assert HIGHS_TESTS_FOLDED in _methods(large)
    unfolded = dataclasses.replace(large, kinds_of_days=lambda: 4)
    assert LEAST_SERVED_PARTS in _methods(unfolded)
    for shape in (least, large, unfolded):  # one way at a time
        assert sum(m in _methods(shape) for m in (HIGHS_TESTS_WHOLE, HIGHS_TESTS_FOLDED, LEAST_SERVED_PARTS)) == 1


def test_comfort_is_reseated_at_the_same_times():
    comfort = dataclasses.replace(PLAZA, level={"interpreter changes": 2, "interpreter seats": 1}, position=4,
                                  seated=True)
    assert RESEAT in _methods(comfort)
    assert RESEAT not in _methods(dataclasses.replace(comfort, position=0))


def test_a_replans_fewest_changes_is_searched_whole_or_by_parts_around_the_changes():
    from scheduler.solve.methods.changes_parts import CHANGES_PARTS

    changes = dataclasses.replace(PLAZA, level="fewest changes")
    methods = _methods(changes)
    assert HIGHS in methods and CPSAT in methods and CHANGES_PARTS not in methods and PARTS not in methods
    expo = dataclasses.replace(changes, choices=WHOLE_MODEL_UP_TO, variables=MIP_UP_TO + 1, days=2)
    methods = _methods(expo)
    assert methods.index(RELAXATION) < methods.index(CHANGES_PARTS) and CPSAT not in methods
