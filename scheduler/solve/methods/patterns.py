"""A brokerage day at its participants' own bounds, by choosing each one's busy pattern
(patterns.py in searches/): a day at the floor is optimal; a proof that there is none raises it.
Then the patterns' relaxation may raise it further, and the question is asked again at the new
floor, a run above the own bounds, then two, and so on: a day found at the floor is optimal, and
each proof that there is none raises it by one. From that first question a run above, a SAT
solver climbs from the floor beside them in a process of its own (methods/kempe.py): each floor it
proves raises the one asked at, and a day it finds is the optimum."""

from __future__ import annotations

from functools import partial

from scheduler.solve.methods.kempe import climb_early, heard_from_climb
from scheduler.solve.methods.relaxation import LP_ITERATIONS
from scheduler.solve.pipeline.level import Found, LevelRun, Method
from scheduler.solve.searches.patterns import Outcome, relaxed_floor, search as search_patterns

# Share of a brokerage idle-gap level for this search, before anything else; what is left goes to
# the annealed search and CP-SAT (benchmarks/README.md, "How the solver chooses": busy patterns).
PATTERN_SHARE = 0.8
# Where no day is at the floor, the most of the level for each question a run higher (same section).
ONE_RUN_SHARE = 0.4
# Two or more runs above the own bounds, the most patterns worth asking about: with fewer the
# search answered in a second, with more it did not answer in its time (same section).
LATER_PATTERNS = 5_000
# And the most for each relaxation of the patterns with more slack, asked first (same section).
RELAXED_SHARE = 0.1


def _run(run: LevelRun) -> Found | None:
    budget = run.budget
    began = budget.spent()
    outcome = search_patterns(run.problem, run.model, budget, run.share * PATTERN_SHARE,
                              workers=run.stop.workers, seed=run.stop.seed)
    if outcome is None:
        return None
    _take(run, outcome)
    if not outcome.refuted:
        return Found(note=f"{run.name}: " + ("a day at the participants' own bounds" if run.settled
                                             else f"no day at the participants' own bounds found; bound {run.floor:,}"))
    run.note(f"{run.name}: no day at the participants' own bounds; bound {run.floor:,}")

    def left() -> float:
        return run.share * PATTERN_SHARE - (budget.spent() - began)
    _relaxed(run, left)
    if run.settled:
        return None
    # The SAT solver's climb from the floor goes on beside the questions below, on a core of its
    # own (methods/kempe.py): they keep the other.
    climb_early(run)
    try:
        return _asked_higher(run, outcome.floor - 1, left)
    finally:
        heard_from_climb(run)


def _asked_higher(run: LevelRun, own: int, left) -> Found | None:
    """The question asked at the floor a run above the participants' own bounds (``own``, summed),
    then higher after each no, while the patterns' share lasts (``left()``)."""
    climbing = run.climbing
    workers = run.stop.workers - (climbing is not None)
    while True:
        heard_from_climb(run)
        if run.settled:
            return None
        # Asked at the floor: a day there is optimal; a proof that there is none raises the floor.
        extra = run.floor - own
        amount = min(run.share * ONE_RUN_SHARE, left())
        if amount <= 0:
            return None
        asked = run.floor
        above = search_patterns(run.problem, run.model, run.budget, amount, extra=extra, workers=workers,
                                seed=run.stop.seed, most=None if extra == 1 else LATER_PATTERNS,
                                until=None if climbing is None else partial(_answered, climbing, asked))
        if above is None:
            return Found(note=f"{run.name}: too many patterns {_runs(extra)} above the participants' own bounds "
                              "to ask in time")
        _take(run, above)
        if not above.refuted and climbing is not None and _answered(climbing, asked):
            continue  # the climb found the day or proved more than was asked (heard above)
        if not above.refuted:
            return Found(note=f"{run.name}: " + (f"a day {_runs(extra)} above the participants' own bounds, the fewest"
                                                 if run.settled
                                                 else f"no day {_runs(extra)} above the participants' own bounds found"))
        run.note(f"{run.name}: no day {_runs(extra)} above the participants' own bounds; bound {run.floor:,}")


def _answered(climbing, floor: int) -> bool:
    """Whether the climb beside has answered the question at ``floor``: a floor above it proven,
    or a day found (the flag it sets; a climb that ended otherwise answers nothing)."""
    return climbing.marking.value > floor or climbing.settled.is_set()


def _runs(extra: int) -> str:
    return "a run" if extra == 1 else f"{extra} runs"


def _relaxed(run: LevelRun, left) -> None:
    """The floor raised to what the patterns' relaxation proves, with a run of slack each, then
    two, and so on while it proves more than the slack (each within RELAXED_SHARE of the level
    and what ``left()`` says is left of the patterns' share)."""
    budget, stop = run.budget, run.stop
    extra = 1
    while (amount := min(run.share * RELAXED_SHARE, left())) > 0:
        relaxed = relaxed_floor(run.problem, run.model, budget, amount, extra,
                                seconds=budget.wall_left() if stop.deterministic else amount,
                                iterations=LP_ITERATIONS if stop.deterministic else None)
        if relaxed is None:
            return
        if relaxed.floor > run.floor:
            _take(run, Outcome(None, None, relaxed.floor))
            run.note(f"{run.name}: bound {run.floor:,} from the patterns' relaxation, {extra} run(s) of slack each")
        if not relaxed.more:
            return
        extra += 1


def _take(run: LevelRun, outcome: Outcome) -> None:
    """A pattern search's floor, and its day where it keeps the settled levels and is no worse."""
    run.floor = max(run.floor or 0, outcome.floor)
    run.reporter.proven = run.floor
    if (outcome.placements is not None and run.keeps_levels(outcome.placements)
            and (run.placements is None or run.value(outcome.placements) <= run.value())):
        run.adopt(outcome.placements, hint=False)
        run.reporter.on_value(run.value())
    run.settled = run.placements is not None and run.value() <= run.floor


PATTERNS = Method("busy patterns", _run)
