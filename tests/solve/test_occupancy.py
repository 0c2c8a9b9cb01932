"""What greedy, the fill-in pass and the reasons ask of a partial schedule: the fast answers
(first_fit, the booths counted per pool as placed) must be the ones of asking every placement."""

from __future__ import annotations

import random

import pytest

from scheduler.generate import TRAITS, generate_brokerage, generate_plaza, generate_teleconference
from scheduler.model.load import event_from_data
from scheduler.model.problem import compile_problem
from scheduler.solve.model.occupancy import Occupancy, greedy_tables
from scheduler.solve.result import Placement

EVENTS = {
    # Two floors, meetings of two slots (the pools inside and around a floor) and every trait.
    "teleconference": lambda: generate_teleconference(days=2, requests_per_day=60, seed=5,
                                                      traits=frozenset(TRAITS["teleconference"])),
    "plaza": lambda: generate_plaza(buyers=12, firms=30, seed=5, traits=frozenset(TRAITS["plaza"])),
    "brokerage": lambda: generate_brokerage(participants=30, meetings=90, slots=10, tables=8, seed=5,
                                            traits=frozenset(TRAITS["brokerage"])),
}


def _every_fit(occupancy: Occupancy, task) -> Placement | None:
    """The earliest start, then the cheapest option, then the first booth class, each asked whole."""
    for start in task.starts:
        for option in task.options_at.get(start, ()):
            for booth_class in task.classes or (None,):
                if occupancy.fits(task, start, option, booth_class):
                    return Placement(task.index, start, task.options[option], booth_class)
    return None


@pytest.mark.parametrize("kind", sorted(EVENTS))
def test_first_fit_is_the_first_placement_that_fits(kind):
    problem = compile_problem(event_from_data(EVENTS[kind]()).event)
    occupancy = Occupancy(problem, greedy_tables(problem))
    rng = random.Random(0)
    order = list(problem.tasks)
    rng.shuffle(order)
    placed = 0
    for task in order:
        found = occupancy.first_fit(task)
        assert found == _every_fit(occupancy, task), task.index
        if found is not None:
            occupancy.place(found)
            placed += 1
        if placed and rng.random() < 0.2:  # some taken out again, so that removal is asked too
            occupancy.remove(rng.choice(list(occupancy.placements)))
    assert placed > len(problem.tasks) // 2
    # Each pool's count is the meetings in its booths, pools inside it included.
    for pool, inside in enumerate(problem.booth_pools_inside):
        for slot in range(len(problem.grid.slots)):
            assert occupancy.pool_use[(pool, slot)] == sum(
                1 for p in occupancy.placements if p.booth_class in inside
                and p.start <= slot < p.start + problem.tasks[p.task].length)
