"""A brokerage day at a given number of idle gaps, asked of a SAT solver."""

from __future__ import annotations

import gc
import random
import threading
import time


from scheduler.generate import TRAITS, generate_brokerage
from scheduler.model.load import event_from_data, load_event
from scheduler.model.problem import compile_problem
from scheduler.solve import Stop, solve
from scheduler.solve.methods import kempe as kempe_method
from scheduler.solve.methods import patterns as patterns_method
from scheduler.solve.methods.patterns import PATTERNS
from scheduler.solve.model.measure import measure_all
from scheduler.solve.pipeline import plan
from scheduler.solve.searches.greedy import greedy
from scheduler.solve.searches import sharing
from scheduler.solve.searches.patterns import search as search_patterns
from pysat.solvers import Solver

from scheduler.solve.searches.sat_day import (_Clauses, _neighbourhood, _with_gaps, ask, climb, climb_beside,
                                              climbed_by, descend, descend_beside)
from test_brokerage import brokerage, person
from test_compact import _keeps_every_rule
from test_patterns import _blocked_day, _plain_optimum


def _in(seconds: float) -> float:
    return time.perf_counter() + seconds


def test_a_gap_forced_by_availability_is_proven_and_a_day_with_it_found(tmp_path):
    # Three slots. A meets B and C; B is there only in the first slot, C only in the third: A
    # waits through the second, one idle gap whatever happens. No day has none; a day has one.
    window = [{"date": "2026-05-12", "start": "09:00", "end": "09:20"}]
    later = [{"date": "2026-05-12", "start": "09:40", "end": "10:00"}]
    path = brokerage(tmp_path, [person("A"), person("B", available=window), person("C", available=later)],
                     [{"between": ["A", x], "required": True} for x in "BC"], tables=1, close="10:00")
    problem = compile_problem(load_event(path).event)
    start, _ = greedy(problem)
    assert ask(problem, 0, start, _in(10)).refuted
    answer = ask(problem, 1, start, _in(10))
    assert answer.day is not None and measure_all(problem, answer.day)["idle gaps"] == 1
    _keeps_every_rule(problem, answer.day)


def test_the_question_says_no_more_people_are_busy_in_a_slot_than_its_tables_seat(tmp_path):
    # One table, six slots, six meetings in a ring: A-B, B-E, E-F, F-C, C-D, D-A. A, B and E busy
    # in the first slot need two meetings there, which one table cannot hold. Said on the busy
    # literals, that is found by propagation alone (no search). From the tables' count of meetings
    # alone it is not: each of them has two meetings, and being busy names neither.
    ring = ("AB", "BE", "EF", "FC", "CD", "DA")
    path = brokerage(tmp_path, [person(x) for x in "ABCDEF"],
                     [{"between": [a, b], "required": True} for a, b in ring], tables=1, close="11:00")
    problem = compile_problem(load_event(path).event)
    question = _Clauses(problem, gaps=12)
    index = {p.id: p.index for p in problem.people}
    busy = [question.busy[index[x], 0] for x in "ABE"]
    with Solver(name="g4", bootstrap_with=question.clauses) as solver:
        assert solver.propagate(assumptions=busy)[0] is False
        assert solver.propagate(assumptions=busy[:2])[0] is True  # A and B: their meeting, at the table
    day = ask(problem, 12, [], _in(10)).day
    assert day is not None and sorted(p.start for p in day) == list(range(6))  # one meeting a slot


def test_the_answers_meet_at_the_optimum_cp_sat_proves():
    # CP-SAT on the plain run-start model (no patterns, no implied constraint) proves the day's
    # optimum; the SAT solver finds a day there and proves none has one fewer.
    event, problem = _blocked_day(2)
    optimum = _plain_optimum(problem)
    start, _ = greedy(problem)  # where the search starts from, whole or not
    assert ask(problem, optimum - 1, start, _in(30)).refuted
    answer = ask(problem, optimum, start, _in(30))
    assert answer.day is not None and measure_all(problem, answer.day)["idle gaps"] <= optimum
    _keeps_every_rule(problem, answer.day)
    # From below: a no at each count under the optimum, then a day at it.
    climbed = climb(problem, optimum - 2, start, _in(30))
    assert climbed.floor == optimum and climbed.day is not None
    assert measure_all(problem, climbed.day)["idle gaps"] == optimum


def test_from_a_day_down_the_answers_reach_the_optimum_and_prove_it():
    # From greedy's day, one gap fewer each time: the last yes is at the optimum CP-SAT proves, and
    # the no below it raises the floor to that optimum and tells the other search.
    event, problem = _blocked_day(2)
    optimum = _plain_optimum(problem)
    start, _ = greedy(problem)
    assert measure_all(problem, start)["idle gaps"] > optimum  # there is a way down
    settled = threading.Event()
    descended = descend(problem, start, 0, _in(30), settled)
    assert descended.floor == optimum and settled.is_set()
    assert measure_all(problem, descended.day)["idle gaps"] == optimum
    _keeps_every_rule(problem, descended.day)
    # With the floor already there, it stops at the first day that reaches it (the optimum, so the
    # other search is told too).
    settled.clear()
    known = descend(problem, start, optimum, _in(30), settled)
    assert known.floor == optimum and measure_all(problem, known.day)["idle gaps"] == optimum
    assert settled.is_set()
    # Told first, it asks nothing: the day it was given comes back.
    told = descend(problem, start, 0, _in(30), settled)
    assert told.day == list(start) and told.floor == 0


def test_a_descent_stops_at_the_floor_a_climb_beside_has_proven():
    # The climb beside has proven that no day has fewer idle gaps than the day the descent starts
    # from (its mark): that day is the optimum, and the descent says so without a question.
    event, problem = _blocked_day(2)
    start, _ = greedy(problem)
    marking = sharing.mark()
    marking.value = measure_all(problem, start)["idle gaps"]
    settled = threading.Event()
    told = descend(problem, start, 0, _in(30), settled, marking=marking)
    assert told.day == list(start) and settled.is_set()


def test_a_neighbourhood_is_a_gapped_participant_with_its_partners_or_a_run_of_slots():
    problem, _ = _open_day()
    start = ask(problem, len(problem.tasks) * 10, [], _in(30)).day  # every meeting placed, as a descent's day
    assert start is not None and len(start) == len(problem.tasks)
    slot = {p.task: p.start for p in start}
    gapped = set(_with_gaps(problem, slot))
    # The day has idle gaps, each a participant's.
    assert len(gapped) >= 1 and measure_all(problem, start)["idle gaps"] >= len(gapped)
    at = {}
    for task, t in slot.items():
        at.setdefault(t, set()).add(task)
    kinds = set()
    for seed in range(40):
        free = _neighbourhood(problem, slot, 30, random.Random(seed))
        assert len(free) >= 30
        # Every meeting of a participant with a gap, or every meeting of each slot of a run.
        whole_person = any(all(task.index in free for task in problem.tasks_of(p)) for p in gapped)
        slots = sorted({slot[task] for task in free})
        run = all(at[t] <= free for t in slots) and len(slots) < len(at)
        assert whole_person or run
        kinds.add("person" if whole_person else "slots")
    assert kinds == {"person", "slots"}


def test_where_the_annealed_search_leaves_a_day_the_sat_solvers_from_both_ends_prove_its_optimum(monkeypatch):
    # The busy patterns taken out of the plan and the annealed search (with its SAT solver beside)
    # made to find nothing: the rest of the level is the SAT solvers', from the bound up and from
    # the best day down, and they end at the optimum CP-SAT proves, proven.
    event, problem = _blocked_day(2)
    optimum = _plain_optimum(problem)
    monkeypatch.setattr(plan, "SEARCH", tuple(row for row in plan.SEARCH if row[0] is not PATTERNS))
    monkeypatch.setattr(kempe_method, "compact", lambda problem, placements, *args, **kwargs: list(placements))
    notes = []
    result = solve(problem, Stop(time_limit=30), log=lambda _, message: notes.append(message))
    idle = result.term("idle gaps")
    assert idle.value == optimum and idle.bound == optimum and idle.proven
    assert any("by a SAT solver" in note for note in notes), notes
    assert not any("busy patterns" in note for note in notes)
    _keeps_every_rule(problem, list(result.placements))


def test_the_climb_from_the_bound_goes_on_past_the_annealed_search_to_the_level_s_end(monkeypatch):
    # A climb cut when the annealed search ends, and started again, asks its question afresh: on
    # the robustness suite's days the question at the optimum was answered in 2-5 s, and the
    # halves left it neither. One climb is started, with the level's end as its own.
    event, problem = _blocked_day(2)
    annealed_until, climbs = [], []
    monkeypatch.setattr(plan, "SEARCH", tuple(row for row in plan.SEARCH if row[0] is not PATTERNS))

    def annealed(problem, placements, allowance, **kwargs):
        annealed_until.append(allowance.at)
        return list(placements)

    def climbing(problem, gaps, start, ends, conflicts, settled, marking=None):
        climbs.append(ends)
        return climb_beside(problem, gaps, start, ends, conflicts, settled, marking)
    monkeypatch.setattr(kempe_method, "compact", annealed)
    monkeypatch.setattr(kempe_method, "climb_beside", climbing)
    result = solve(problem, Stop(time_limit=30))
    assert len(annealed_until) == 1 and len(climbs) == 1
    assert climbs[0] > annealed_until[0] + 1.0
    idle = result.term("idle gaps")
    assert idle.proven and idle.value == _plain_optimum(problem)


def test_the_climb_begins_beside_the_patterns_questions_a_run_above_and_is_the_only_one(monkeypatch):
    # No day at the participants' own bounds, one a run above (test_patterns.py). Once the first
    # question is refuted, the climb from the floor begins in its own process and the questions a
    # run above get the other core (one CP-SAT worker); the annealed search would take the same
    # climb up, so one climb is begun in the whole level. The day ends at the optimum, proven.
    event, problem = _blocked_day(2)
    happened = []

    def asked(problem, bounds_model, budget, amount, extra=0, workers=2, **kwargs):
        happened.append(("question", extra, workers))
        return search_patterns(problem, bounds_model, budget, amount, extra=extra, workers=workers, **kwargs)

    def climbing(problem, gaps, start, ends, conflicts, settled, marking=None):
        happened.append(("climb", gaps, None))
        return climb_beside(problem, gaps, start, ends, conflicts, settled, marking)
    monkeypatch.setattr(patterns_method, "search_patterns", asked)
    monkeypatch.setattr(kempe_method, "climb_beside", climbing)
    result = solve(problem, Stop(time_limit=30, workers=2))
    assert happened[0] == ("question", 0, 2), happened
    assert [kind for kind, _, _ in happened].count("climb") == 1, happened
    begun = happened.index(next(each for each in happened if each[0] == "climb"))
    later = happened[begun + 1:]
    assert later and all(kind == "question" and extra >= 1 and workers == 1 for kind, extra, workers in later), happened
    idle = result.term("idle gaps")
    assert idle.proven and idle.value == _plain_optimum(problem)
    _keeps_every_rule(problem, list(result.placements))


def test_a_question_stops_when_the_other_search_reached_the_bound():
    # A day far below anything possible (no gap at all where CP-SAT proves some): the SAT solver
    # would search long; with the flag set it stops after a batch.
    _, problem = _blocked_day(2)
    start, _ = greedy(problem)
    settled = threading.Event()
    settled.set()
    began = time.perf_counter()
    answer = ask(problem, 0, start, _in(60), settled=settled)
    assert time.perf_counter() - began < 5
    assert answer.day is None


def _open_day():
    """The robustness suite's brokerage day of seed 19 (56 participants, 204 meetings, 21 slots, 13
    tables), whose optimum no solve has reached, and greedy's day of it."""
    data = generate_brokerage(participants=56, meetings=204, slots=21, tables=13, seed=19,
                              traits=frozenset({"unavailable-blocks", "both-orders"}))
    problem = compile_problem(event_from_data(data).event)
    start, _ = greedy(problem)
    return problem, start


def test_a_question_in_its_own_process_answers_by_its_deadline():
    problem, start = _open_day()
    ends = _in(2.0)
    # At most 9 idle gaps on this day: no answer either way within 10 s alone. Asked in a process of
    # its own with 2 s (its start counted), the caller has the answer, or none, by the deadline
    # and a batch.
    settled = sharing.flag()  # kept until the process has it
    climbed = climbed_by(climb_beside(problem, 9, start, ends, None, settled), 9, ends)
    assert time.perf_counter() - ends < 1.0
    assert climbed.floor >= 9
    assert climbed.day is None or measure_all(problem, climbed.day)["idle gaps"] <= climbed.floor


def test_a_climb_not_waited_for_to_its_end_has_written_the_floors_it_proved():
    # On this day at most 6, 7 and 8 idle gaps are refuted in seconds and at most 9 took 49 s. A
    # caller that waits 4 s for a climb given 30 (as one waits no longer than the level's end for
    # a batch that runs past it) has no result from it; the mark has the floors it proved.
    problem, start = _open_day()
    settled, marking = sharing.flag(), sharing.mark()
    climbing = climb_beside(problem, 6, start, _in(30.0), None, settled, marking)
    climbed = climbed_by(climbing, 6, _in(4.0))
    assert not climbing.done() and climbed.day is None and climbed.floor == 6
    assert marking.value >= 7
    settled.set()  # the climb stops at its next look
    assert climbing.result(timeout=30).floor >= marking.value


def test_a_descent_in_its_own_process_is_waited_for_no_longer_than_its_deadline_and_a_batch():
    # A batch of conflicts cannot be interrupted: in the caller's process, one batch on the largest
    # days ran 5 s past the level's end. In a process of its own the caller moves on in time, with
    # the best day the descent has reported (none, where it had not finished).
    problem, start = _open_day()
    ends = _in(2.0)
    settled = sharing.flag()
    descended = climbed_by(descend_beside(problem, start, 0, ends, settled), 0, ends)
    assert time.perf_counter() - ends < 1.0
    assert descended.day is None or measure_all(problem, descended.day)["idle gaps"] <= measure_all(problem, start)["idle gaps"]
    # Given the time, it comes down from greedy's day and says how far.
    done = descend_beside(problem, start, 0, _in(4.0), settled).result(timeout=60)
    assert measure_all(problem, done.day)["idle gaps"] < measure_all(problem, start)["idle gaps"]
    _keeps_every_rule(problem, done.day)


def test_a_climb_nobody_waits_for_still_starts():
    # The caller lets go of the flag at once, as one does that moves on before the process has
    # started (the annealed search ending first): the process must still read it as it starts,
    # and answer, rather than fail (a broken pool, and a traceback on the console).
    _, problem = _blocked_day(2)
    start, _ = greedy(problem)
    settled = sharing.flag()
    climbing = climb_beside(problem, 0, start, _in(0.5), None, settled)
    del settled
    gc.collect()
    assert climbing.result(timeout=60).floor >= 0


def test_a_question_on_a_large_day_stops_at_its_deadline_while_it_is_still_being_written():
    # 150 participants, 600 meetings, 24 slots: writing and loading the clauses took 1.3 s and
    # one batch of 4,000 conflicts 1-4 s more, none of it looking at the clock; a 3-s solve of this
    # day took 7.1 s. The question is given 0.05 s.
    problem = compile_problem(event_from_data(generate_brokerage(
        participants=150, meetings=600, slots=24, tables=40, seed=14, traits=frozenset(TRAITS["brokerage"]))).event)
    began = time.perf_counter()
    answer = ask(problem, 10, [], _in(0.05))
    assert time.perf_counter() - began < 1.0
    assert answer.day is None and not answer.refuted
