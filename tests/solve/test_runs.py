"""Busy patterns of a person's day: listing them, counting their runs, fitting meetings to them."""

from __future__ import annotations

import random
from itertools import combinations

from scheduler.solve.model.runs import fits, patterns, runs_of


def test_patterns_are_every_set_of_slots_in_few_enough_runs():
    rng = random.Random(7)
    day = tuple(range(3, 17))
    for _ in range(200):
        allowed = {t for t in day if rng.random() < 0.75}
        busy = rng.randint(1, max(1, len(allowed)))
        most = rng.randint(1, 4)
        wanted = sorted(c for c in combinations(sorted(allowed), busy) if runs_of(day, c) <= most)
        assert sorted(patterns(day, allowed, busy, most)) == wanted


def test_too_many_patterns_are_refused():
    day = tuple(range(20))
    assert patterns(day, set(day), 10, 3, limit=100) is None


def test_runs_follow_the_days_slots_not_their_numbers():
    # Slots 4 and 7 are back to back when the day has no slot between them (as across a break).
    assert runs_of((0, 1, 4, 7, 8), (1, 4, 7)) == 1
    assert runs_of((0, 1, 4, 7, 8), (0, 4, 8)) == 3


def test_meetings_fit_a_pattern_only_one_per_slot():
    # Two meetings both allowed only at slot 0 cannot fill slots 0 and 1; moving one to slot 1 can.
    assert not fits([[0], [0]], (0, 1))
    assert fits([[0], [0, 1]], (0, 1))
    # A chain that needs an augmenting path: the first meeting must give up slot 1.
    assert fits([[1, 2], [1]], (1, 2))
    assert not fits([[5], [1]], (1, 2))
