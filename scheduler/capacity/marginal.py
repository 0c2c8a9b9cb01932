"""What one more or one fewer interpreter of a profile is worth, and where the roster runs short.

The values come from re-solving priority (``solve(..., levels=["priority"])``) with the roster
changed by one, each within the same time limit; a re-solve not proven in its time says so, and
then a change by one is a difference between two schedules found, not between two optima. The
bottleneck is read off today's schedule: the requests left out that an interpreter of a profile
could take, and the hours at which every interpreter of it is already busy.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from scheduler.capacity.profiles import Profile, profile_of
from scheduler.model.availability import contains
from scheduler.model.event import Event
from scheduler.model.languages import language_name
from scheduler.model.problem import Problem, compile_problem
from scheduler.solve import Stop, solve
from scheduler.solve.model.measure import measure
from scheduler.solve.result import Placement, Status

# A booth or table added for a re-solve: no event file's id has the character.
CANDIDATE = "+"
# The curve of the scarcest profile: today's roster and up to this many more.
CURVE_MORE = 5


@dataclass(frozen=True)
class Outcome:
    """Priority solved for one roster: the priority placed, its proven bound, the firms met."""

    interpreters: int  # of the profile in question (all, for today's roster)
    priority: int
    bound: int | None
    proven: bool
    firms_met: int
    placements: tuple[Placement, ...] = ()
    feasible: bool = True  # every required and pinned meeting placed


def resolved(event: Event, seconds: float, count: int = 0) -> Outcome:
    """Priority, the first level alone, solved for ``event`` within ``seconds``."""
    problem = compile_problem(event)
    result = solve(problem, Stop(time_limit=seconds), levels=["priority"])
    term = result.term("priority")
    priority = measure(problem, result.placements, "priority")
    bound = term.bound if term is not None else None
    return Outcome(count, priority, bound, bound == priority, measure(problem, result.placements, "firms met"),
                   tuple(result.placements), result.status != Status.INFEASIBLE)


def one_more(event: Event, profile: Profile, more: int = 1) -> Event:
    return event.model_copy(update={"interpreters": (*event.interpreters,
                                                     *(profile.candidate(n + 1) for n in range(more)))})


def one_fewer(event: Event, profile: Profile) -> Event | None:
    """The roster without its last-listed interpreter of ``profile`` that no request names
    (None when there is none)."""
    named = {r.interpreter for r in event.requests}
    members = [i for i in event.interpreters if profile_of(i) == profile.key and i.id not in named]
    if not members:
        return None
    gone = members[-1]
    return event.model_copy(update={"interpreters": tuple(i for i in event.interpreters if i is not gone)})


@dataclass(frozen=True)
class Marginal:
    profile: Profile
    today: int
    more: Outcome
    fewer: Outcome | None  # None: nobody of the profile can be left out


def marginal_values(event: Event, profiles: Sequence[Profile], today: Outcome, seconds: float) -> list[Marginal]:
    found = []
    for profile in profiles:
        count = sum(1 for i in event.interpreters if profile_of(i) == profile.key)
        more = resolved(one_more(event, profile), seconds, count + 1)
        without = one_fewer(event, profile)
        fewer = resolved(without, seconds, count - 1) if without is not None else None
        found.append(Marginal(profile, count, more, fewer))
    return found


def scarcest(marginals: Sequence[Marginal], short: dict[str, int]) -> Marginal | None:
    """The profile whose next interpreter gains the most priority (then: the most requests left
    out that it could take)."""
    if not marginals:
        return None
    return max(marginals, key=lambda m: (m.more.priority, short.get(m.profile.label, 0)))


def curve(event: Event, marginal: Marginal, today: Outcome, seconds: float,
          most: int = CURVE_MORE) -> list[Outcome]:
    """Priority with today's roster and 1..``most`` more of the profile (the +1 re-solve reused)."""
    points = [Outcome(marginal.today, today.priority, today.bound, today.proven, today.firms_met),
              marginal.more]
    for more in range(2, most + 1):
        points.append(resolved(one_more(event, marginal.profile, more), seconds, marginal.today + more))
    return points


@dataclass(frozen=True)
class Shortage:
    """Requests left out today that an interpreter of a profile could take."""

    profile: Profile
    requests: int
    priorities: tuple[int, int]  # lowest, highest
    languages: str  # the profile's languages the left-out requests need, in words
    busy: str | None  # the hours at which every interpreter of the profile is busy, if any


def shortages(problem: Problem, profiles: Sequence[Profile], placements: Sequence[Placement]) -> list[Shortage]:
    """Per profile, the requests today's schedule leaves out that could take place (with some
    interpreter of the profile in their interpretation) and the hours its interpreters are all
    busy; the largest first."""
    placed = {p.task for p in placements}
    owner = {l.index: next((k for k, p in enumerate(profiles) if p.key == profile_of(l.record)), None)
             for l in problem.linguists}
    left: dict[int, list] = defaultdict(list)
    for task in problem.tasks:
        if task.index in placed or not task.placement_count:
            continue
        for k in sorted({owner[i] for option in task.options for i in option if owner[i] is not None}):
            left[k].append(task)
    seated: dict[tuple[int, int], int] = defaultdict(int)
    for placement in placements:
        for i in placement.interpreters:
            if owner[i] is not None:
                for t in problem.span(problem.tasks[placement.task], placement.start):
                    seated[(owner[i], t)] += 1
    found = []
    for k, tasks in left.items():
        profile = profiles[k]
        members = [l for l in problem.linguists if owner[l.index] == k]
        wanted = sorted({s for task in tasks for s in task.starts})
        full = [s for s in wanted if seated[(k, s)] >= sum(1 for l in members if _free(problem, l, s))]
        buyer_side = {code for task in tasks for code in problem.people[task.people[1]].record.languages}
        spoken = [c for c in profile.languages if c in buyer_side] or list(profile.languages)
        priorities = [t.priority for t in tasks]
        found.append(Shortage(profile, len(tasks), (min(priorities), max(priorities)),
                              "/".join(language_name(c) for c in spoken), _hours(problem, full)))
    return sorted(found, key=lambda s: (-s.requests, s.profile.label))


def _free(problem: Problem, linguist, slot: int) -> bool:
    return contains(linguist.windows, problem.grid.slots[slot].start, problem.grid.slots[slot].end)


def _hours(problem: Problem, slots: Sequence[int]) -> str | None:
    """The longest run of back-to-back slots, as ``10:00 and 12:00`` (with the date where the
    event has more than one day)."""
    if not slots:
        return None
    runs: list[list[int]] = []
    for slot in sorted(slots):
        if runs and slot == runs[-1][-1] + 1 and problem.grid.span(runs[-1][-1], 2) is not None:
            runs[-1].append(slot)
        else:
            runs.append([slot])
    run = max(runs, key=len)
    first, last = problem.grid.slots[run[0]], problem.grid.slots[run[-1]]
    day = f" on {first.start:%a %d %b}" if len(problem.grid.days) > 1 else ""
    return f"between {first.start:%H:%M} and {last.end:%H:%M}{day}"


def in_words(shortage: Shortage) -> str:
    low, high = shortage.priorities
    priority = f"priority {low}" if low == high else f"priority {low}-{high}"
    plural = ("request", "waits") if shortage.requests == 1 else ("requests", "wait")
    when = (f" {shortage.busy}" if shortage.busy
            else " (its interpreters are never all busy at once: their caps or the people's own times hold it back)")
    return f"{shortage.languages}: {shortage.requests} {plural[0]} of {priority} {plural[1]} for a {shortage.profile.label} interpreter{when}"


@dataclass(frozen=True)
class RoomMarginal:
    """One more or one fewer table (plaza) or booth on a floor, re-solved."""

    label: str  # "table", "booth on floor 2"
    today: int
    more: Outcome
    # None: every one of them is named by the event (a buyer's, pinned, reserved), or it is the event's
    # last booth (with none, no meeting takes place: an event needs one)
    fewer: Outcome | None


def room_marginals(event: Event, seconds: float) -> list[RoomMarginal]:
    """Per floor, one booth more and one fewer. Not on a plaza: there every buyer keeps a table
    (FORMAT.md), so one more is idle and one fewer turns a buyer away."""
    from scheduler.model.event import Booth

    if event.kind == "plaza":
        return []
    named = ({b.booth for b in (*event.buyers, *event.participants) if b.booth}
             | {r.pinned.booth for r in event.requests if r.pinned is not None and r.pinned.booth}
             | {r.booth for r in event.reservations})
    floors = sorted({b.floor for b in event.booths}, key=lambda f: (f is None, f or 0))
    found = []
    for floor in floors:
        on_floor = [b for b in event.booths if b.floor == floor]
        label = "booth" if floor is None else f"booth on floor {floor}"
        extra = Booth(id=f"{CANDIDATE}{floor if floor is not None else ''}", floor=floor)
        more = resolved(event.model_copy(update={"booths": (*event.booths, extra)}), seconds, len(on_floor) + 1)
        spare = [b for b in on_floor if b.id not in named]
        fewer = None
        if spare and len(event.booths) > 1:
            gone = spare[-1]
            fewer = resolved(event.model_copy(update={"booths": tuple(b for b in event.booths if b is not gone)}),
                             seconds, len(on_floor) - 1)
        found.append(RoomMarginal(label, len(on_floor), more, fewer))
    return found
