"""The model with counted interpreters (``seating=False``) against the seated one: the same
optima, schedules that keep every rule, and one-slot meetings on "any floor"."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import yaml
from ortools.sat.python import cp_model

from scheduler.generate import generate_plaza, generate_teleconference
from scheduler.model.load import load_event
from scheduler.model.problem import compile_problem
from scheduler.solve.model.meetings import ANY_FLOOR, MeetingModel
from scheduler.solve.model.measure import measure_all
from scheduler.solve.model.objective import build_level, level_sense

from support import solve_checked


def _problem(tmp_path, data):
    path = tmp_path / "event.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return compile_problem(load_event(path).event)


def _best_priority(problem, seating: bool):
    model = MeetingModel(problem, seating=seating)
    expression, _ = build_level(model, "priority")
    model.model.maximize(expression)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    solver.parameters.max_time_in_seconds = 60
    assert solver.solve(model.model) == cp_model.OPTIMAL
    found = model.placements(solver.value)
    assert measure_all(problem, found)["priority"] == round(solver.objective_value)
    return round(solver.objective_value), model, found


@pytest.mark.parametrize("size", [(5, 12, 2, 0), (6, 14, 2, 1), (6, 14, 3, 1)])
def test_counted_interpreters_give_the_seated_optimum_on_a_plaza(tmp_path, size):
    # Small plazas with scarce interpreters (2-3 for 5-6 buyers): both models are solved to proof,
    # so equal optima mean the counting is exact here. (Larger ones are not: the seated model of
    # 6 buyers, 14 firms, 3 interpreters, seed 0, has no proof after 10 s; counted, 0.04 s.)
    buyers, firms, interpreters, seed = size
    problem = _problem(tmp_path, generate_plaza(buyers=buyers, firms=firms, interpreters=interpreters, seed=seed))
    seated, _, _ = _best_priority(problem, seating=True)
    counted, model, found = _best_priority(problem, seating=False)
    assert counted == seated
    assert len(model.seat) == 0 and model.flow
    busy = [(i, p.start) for p in found for i in p.interpreters]
    assert len(busy) == len(set(busy))  # nobody interprets two meetings at once


def test_counted_interpreters_give_the_seated_optimum_in_the_teleconference_room(tmp_path):
    # Two days of the room (15 booths, two floors, relays through English): one-slot meetings
    # take "any floor" in the counted model, and every one gets a floor when it is read.
    problem = _problem(tmp_path, generate_teleconference(days=2, requests_per_day=30, seed=2))
    seated, _, _ = _best_priority(problem, seating=True)
    counted, model, found = _best_priority(problem, seating=False)
    assert counted == seated
    assert any(c.booth_class == ANY_FLOOR for c in model.choices)
    floors = {c.index for c in problem.booth_classes if c.kind == "floor"}
    assert all(p.booth_class in floors for p in found if problem.tasks[p.task].length == 1)


def test_interpreter_changes_need_the_seated_model(tmp_path):
    problem = _problem(tmp_path, generate_plaza(buyers=4, firms=8, interpreters=2, seed=0))
    with pytest.raises(ValueError, match="seat"):
        build_level(MeetingModel(problem, seating=False), "interpreter changes")


def test_three_meetings_one_slot_two_floors_of_one_booth(tmp_path):
    # One slot, booths TC01 (floor 1) and TC02 (floor 2), three meetings wished: two fit, one on
    # each floor; the priority-1 one is left out (5 + 3 = 8 is the best two).
    data = {
        "event": {"name": "Two floors", "kind": "teleconference", "timezone": "Asia/Seoul", "meeting_minutes": 30,
                  "days": [{"date": "2026-06-18", "open": "09:00", "close": "09:30"}]},
        "booths": [{"id": "TC01", "floor": 1}, {"id": "TC02", "floor": 2}],
        "buyers": [{"id": f"B{i}", "name": f"Buyer {i}", "languages": ["en"], "timezone": "Asia/Seoul"} for i in (1, 2, 3)],
        "firms": [{"id": f"F{i}", "name": f"Firm {i}", "languages": ["en"]} for i in (1, 2, 3)],
        "requests": [{"buyer": "B1", "firm": "F1", "priority": 5}, {"buyer": "B2", "firm": "F2", "priority": 3},
                     {"buyer": "B3", "firm": "F3", "priority": 1}],
    }
    path = tmp_path / "floors.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    result, schedule = solve_checked(path)
    assert result.status == "optimal" and schedule.stats.priority_scheduled == 8
    assert {m.booth for m in schedule.meetings} == {"TC01", "TC02"}


@pytest.mark.parametrize("level", ["priority", "firms met", "idle gaps", "least-served firm",
                                   {"interpreter changes": 2, "interpreter seats": 1, "busiest interpreter": 1},
                                   {"priority": 3, "idle gaps": 1}])
def test_the_objective_is_written_as_cp_sats_own_calls_write_it(tmp_path, level):
    # The model writes its objective into the protocol buffer in one go (meetings.py,
    # set_objective): the same terms, signs, constant and scaling as CP-SAT's maximize and minimize
    # give, for maximised levels, minimised ones, a weighted one and one that mixes senses, each
    # with a constant added.
    problem = _problem(tmp_path, generate_plaza(buyers=4, firms=8, interpreters=2, seed=0))
    ours, theirs = MeetingModel(problem), MeetingModel(problem)
    sense = level_sense(level)
    ours.optimise(build_level(ours, level)[0] + 7, sense)
    expression = build_level(theirs, level)[0] + 7
    (theirs.model.maximize if sense == "max" else theirs.model.minimize)(expression)
    mine, cp_sats = ours.model.proto.objective, theirs.model.proto.objective
    assert len(mine.vars) > 0 and cp_sats.offset != 0
    assert (list(mine.vars), list(mine.coeffs), mine.offset, mine.scaling_factor) == \
        (list(cp_sats.vars), list(cp_sats.coeffs), cp_sats.offset, cp_sats.scaling_factor)


_SEATED_MODEL = """
import hashlib
from scheduler.generate import generate_plaza
from scheduler.model.load import event_from_data
from scheduler.model.problem import compile_problem
from scheduler.solve.model.meetings import MeetingModel
from scheduler.solve.model.objective import build_level
problem = compile_problem(event_from_data(generate_plaza(buyers=10, firms=24, interpreters=10, seed=2)).event)
assert any(len(pool) > 1 for pool in problem.interpreter_pools)
model = MeetingModel(problem)
model.optimise(build_level(model, {"interpreter changes": 2, "interpreter seats": 1})[0], "min")
print(hashlib.md5(str(model.model.proto).encode()).hexdigest())
"""


def test_the_seated_model_is_the_same_in_every_process():
    # A repeatable solve needs the same model in every run. Places are (role, index) tuples, whose
    # hashes change with the process's hash seed: a set of them once ordered the variables of
    # "interpreter changes" differently from one run to the next, and two runs of
    # --deterministic ended at different interpreters.
    def built(hash_seed: str) -> str:
        done = subprocess.run([sys.executable, "-c", _SEATED_MODEL], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": hash_seed})
        return done.stdout.strip()

    assert built("1") == built("2") == built("3")

