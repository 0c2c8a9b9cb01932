"""``capacity(event, ...)``: the whole study the ``schedule capacity`` command reports, in order:
today's roster solved for priority, the fewest interpreters that keep the target, the marginal
value of one more or one fewer of each profile, the curve of the scarcest, and the bottleneck."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scheduler.capacity.hiring import Hiring, Target, candidates_for, fewest_interpreters, with_candidates
from scheduler.capacity.marginal import (Marginal, Outcome, RoomMarginal, Shortage, curve, marginal_values, resolved,
                                         room_marginals, scarcest, shortages)
from scheduler.capacity.rooms import Rooms, fewest_rooms
from scheduler.capacity.profiles import Profile, parse_profile, roster_profiles, unneeded
from scheduler.model.errors import EventError, Problem as InputProblem
from scheduler.model.event import Event
from scheduler.model.problem import compile_problem


@dataclass(frozen=True)
class Study:
    event: Event
    target: Target
    profiles: tuple[Profile, ...]
    today: Outcome
    hiring: Hiring
    marginals: tuple[Marginal, ...]
    scarcest: Marginal | None
    curve: tuple[Outcome, ...]
    shortages: tuple[Shortage, ...]
    seconds_each: float
    rooms: Rooms | None = None
    room_marginals: tuple[RoomMarginal, ...] = ()


def checked_profiles(event: Event, given: Sequence[str], file: str) -> tuple[list[Profile], list[bool]]:
    """The roster's profiles and those given (``--profile``), each given one checked: one that
    no request could use is an input error, located at its option."""
    profiles = roster_profiles(event)
    flags = [False] * len(profiles)
    problems = []
    for text in given:
        try:
            profile = parse_profile(text, event, file)
        except EventError as error:
            problems.extend(error.problems)
            continue
        why = unneeded(profile, event)
        if why is not None:
            problems.append(InputProblem(file, f"--profile {text}", why))
            continue
        known = next((i for i, p in enumerate(profiles) if p.key == profile.key), None)
        if known is None:
            profiles.append(profile)
            flags.append(True)
        else:  # the coordinator's hours and cap for the candidates of a roster profile
            profiles[known] = profile
            flags[known] = True
    if problems:
        raise EventError(problems)
    return profiles, flags


def capacity(event: Event, target: Target, profiles: Sequence[Profile], given: Sequence[bool],
             seconds: float, marginal: bool = True) -> Study:
    """Each solve (today's, the hiring model, every re-solve) within ``seconds``."""
    today = resolved(event, seconds, len(event.interpreters))
    roster = with_candidates(event, profiles, candidates_for(event, profiles, target, given))
    hiring = fewest_interpreters(roster, target, today.placements, seconds)
    problem = compile_problem(event)
    rooms = fewest_rooms(problem, target, today.placements, seconds)
    short = tuple(shortages(problem, profiles, today.placements))
    marginals, top, points, rooms_more = (), None, (), ()
    if marginal and profiles:
        marginals = tuple(marginal_values(event, [p for p, g in zip(profiles, given) if not g] +
                                          [p for p, g in zip(profiles, given) if g], today, seconds))
        top = scarcest(marginals, {s.profile.label: s.requests for s in short})
        points = tuple(curve(event, top, today, seconds)) if top is not None else ()
    if marginal:
        rooms_more = tuple(room_marginals(event, seconds))
    return Study(event, target, tuple(profiles), today, hiring, marginals, top, points, short, seconds, rooms, rooms_more)
