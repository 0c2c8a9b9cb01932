"""HiGHS on the whole level: which meetings take place when, as a MIP, where CP-SAT's bound stalls."""

from __future__ import annotations

import time
from dataclasses import replace

from scheduler.solve.bounds.highs_worker import Program, workers
from scheduler.solve.bounds.mip import Beside, holds, program_of
from scheduler.solve.bounds.relaxation import proto_of
from scheduler.solve.bounds.time_indexed import MIP_OPTIONS, TimeIndexed, time_indexed
from scheduler.solve.methods.engines import LEVEL_MIP_OPTIONS, LEVEL_MIP_RIVALS, MIP_NODES_PER_SECOND, run_mip
from scheduler.solve.model.objective import CHANGES
from scheduler.solve.pipeline.budget import WORK_PER_SECOND
from scheduler.solve.pipeline.level import AFTER_LEVELS_SHARE, Found, LevelRun, Method, Solving, worse
from scheduler.solve.result import Placement
from scheduler.solve.searches.ones_fixed import RELAXATIONS, Asking, Counted, OwnProgram, Race, in_turn
from scheduler.solve.searches.priority_days import days_beside_whole, priority_days

# Its share of the level's time: what it does not prove is left to CP-SAT and the parts.
MIP_SHARE = 0.6
# The plain time-indexed program (bounds/time_indexed.py) is used where it has at most this many
# columns per placement choice of the meeting model: first its relaxation (searches/ones_fixed.py),
# then, unless that proved the level, it races the meeting model's program. Teleconference weeks
# lie below: there it finds the optimum sooner on some weeks and costs little on the others.
# Plazas, where every interpreter of a language is a column of its own, lie above: there the
# presolved twin wins (benchmarks/README.md, "How the solver chooses": HiGHS on a level).
PLAIN_COLUMNS_PER_CHOICE = 2.5
# On an event of more than one day, where the plain program is used and a schedule ends below its
# bound (after the relaxation's ones fixed, and again after the race): the days re-solved on the
# plain program (searches/priority_days.py) are given this share of the race's amount more, taken
# from the CP-SAT search that follows (they stop once a round of parts finds nothing better).
DAYS_SHARE = 1.0
# The relaxations are begun before the first level (begin_relaxation) only where the plain program
# has at most this many columns: a week has about 29,000 and its relaxation takes about a second,
# and the model is built meanwhile; a 20-day month's (about 120,000) is folded and not taken.
EARLY_COLUMNS_UP_TO = 60_000
# A replan's fewest changes starts from the published schedule, usually at or near its best:
# the proof is what is left to find, and HiGHS proves where CP-SAT does not (benchmarks/README.md,
# "Replan suite": the week with an interpreter leaving).
CHANGES_MIP_SHARE = 0.9


def begin_relaxation(solving: Solving, placements: list[Placement]) -> None:
    """The race of the plain program's relaxations and the programs with their ones fixed
    (searches/ones_fixed.py, one per worker) begun on HiGHS's first worker while the first level's
    meeting model is built (the other racers join when the level asks), where that level may take
    it: priority in a timed teleconference solve on two workers or more, not a replan, the plain
    program no larger than HiGHS takes whole. The level's HiGHS run takes the race's outcome
    (:func:`_plain`); the level lets it go (:func:`let_go`) once that run is over, or at once when
    its plan has none (other methods use the same workers). The relaxations are sifted from the
    columns of ``placements``, the start, and more (searches/ones_fixed.py)."""
    problem, stop, budget = solving.problem, solving.stop, solving.budget
    if (stop.deterministic or stop.workers < 2 or problem.kind != "teleconference" or problem.published
            or problem.withdrawn or not solving.order or solving.order[0] != "priority"
            or _plain_columns(problem) > EARLY_COLUMNS_UP_TO):
        return
    plain = time_indexed(problem)
    if plain is None:
        return
    plain.program.start = plain.start(placements)
    ends = min(time.perf_counter() + _amount(budget, 0, 1, "priority"), budget.wall_end())
    # The first racer only (the primal simplex's where no request is required, else the dual's):
    # the meeting model's build takes the other core; the rest join at the level
    # (benchmarks/README.md, "How the solver chooses": HiGHS on a level).
    solving.early_relaxation = Race(plain, workers(len(RELAXATIONS)), ends).join(1)


def let_go(solving: Solving) -> None:
    """A race begun early and not taken: stopped, so that HiGHS's workers are free."""
    if solving.early_relaxation is not None:
        early, solving.early_relaxation = solving.early_relaxation, None
        early.stop()


def _amount(budget, position: int, live: float, level, kept_back: float = AFTER_LEVELS_SHARE) -> float:
    """The level's HiGHS run's share of what is left (in seconds where the clock rules), with
    ``kept_back`` of the limit kept for what follows the levels (``LevelRun.kept_back``)."""
    return (budget.left_before(kept_back)
            * (0.75 if position == 0 else 1.0 / max(1, live))
            * (CHANGES_MIP_SHARE if level == CHANGES else MIP_SHARE))


def _run(run: LevelRun) -> Found | None:
    budget = run.budget
    amount = _amount(budget, run.position, run.live, run.level, run.kept_back)
    plain, early = _plain_first(run)
    placements, tables, bound, how = run.placements, run.tables, None, "by HiGHS"
    spent, first = budget.spent(), None
    relaxed_first = plain is not None or _own_first_applies(run)
    if plain is not None:
        first = _relaxation_first(run, plain, amount, DAYS_SHARE * amount, early)
    elif relaxed_first:
        first = _own_relaxation_first(run, min(time.perf_counter() + amount, budget.wall_end()))
    if first is not None:
        (placements, tables), bound, how = first
        run.reporter.on_bound(bound)
        run.reporter.on_value(run.value(placements))
        if run.value(placements) >= bound:
            return _found(run, placements, tables, bound, how)
        run.model.hint(placements, tables)
        if plain is not None:
            plain.program.start = plain.start(placements)
    if relaxed_first:
        amount -= budget.spent() - spent
    beside = () if plain is None else (Beside(plain.program, _reader(run, plain, run.tables), MIP_OPTIONS),)
    outcome = run_mip(run.model.model, budget, amount, run.stop,
                      on_value=run.reporter.on_value, on_bound=run.reporter.on_bound, options=LEVEL_MIP_OPTIONS,
                      rivals=() if beside else LEVEL_MIP_RIVALS, beside=beside)
    if outcome is None:
        return None if bound is None else _found(run, placements, tables, bound, how)
    if outcome.values is not None:
        found = run.model.placements(lambda v: outcome.values[v.index])
        if not worse(run.value(found), run.value(placements), run.sense):
            placements, tables, how = found, run.model.tables(lambda v: outcome.values[v.index]), "by HiGHS"
    # The plain program serves priority only, maximised: the lower of two upper bounds.
    bound = outcome.bound if bound is None else bound if outcome.bound is None else min(bound, outcome.bound)
    if _by_days(run, plain) and bound is not None and run.value(placements) < bound and outcome.rows is not None:
        ends = min(time.perf_counter() + DAYS_SHARE * amount, budget.wall_end())
        better, _ = _days_resolved(run, plain, outcome.rows, placements, tables, bound, ends)
        if better is not None:
            (placements, tables), how = better, "by HiGHS, days re-solved"
    return _found(run, placements, tables, bound, how)


def _found(run: LevelRun, placements, tables, bound: int | None, how: str) -> Found:
    return Found(placements, tables, bound=bound, cut=True,
                 note=f"{run.name}: {run.value(placements):,} {how}"
                      + (f", bound {bound:,}" if bound is not None else ""))


def _by_days(run: LevelRun, plain: TimeIndexed | None) -> bool:
    """Whether the days are re-solved one or two at a time (searches/priority_days.py): on an
    event of several days, in a timed solve (their rounds stop on the clock)."""
    return plain is not None and len(run.problem.grid.days) > 1 and not run.stop.deterministic


def _relaxation_first(run: LevelRun, plain: TimeIndexed, amount: float, days_seconds: float, early: Race | None):
    """The priority from the plain program's relaxation (searches/ones_fixed.py), within ``amount``
    of the budget: ((placements, tables), bound, how) once the meeting model has read the schedule
    and every one of its rows holds, the days re-solved after it (up to ``days_seconds`` more) when
    it falls short on an event of several days; None when the relaxation is not solved in its time.
    ``early``: the race begun before the level (:func:`begin_relaxation`), or None. A repeatable
    solve runs the racers in turn, each MIP stopped by its nodes, and is charged their work. Only
    the priority level is maximised here (the bound is an upper one)."""
    budget = run.budget
    if budget.deterministic:
        counted = Counted(workers(1)[0], MIP_NODES_PER_SECOND, budget.wall_end(), amount / WORK_PER_SECOND)
        first = in_turn(plain, counted)
        budget.charge_mip(counted)
        rows = program_of(proto_of(run.model.model))
    else:
        race = early or Race(plain, workers(len(RELAXATIONS)), min(time.perf_counter() + amount, budget.wall_end()))
        if _by_days(run, plain):
            # The question with no column fixed may go on beside the days re-solved: where the
            # relaxation's bound is one above the optimum, HiGHS's proof of it took 3.5-4.7 s on a
            # week, longer than the race gives it (benchmarks/README.md, "How the solver chooses":
            # HiGHS on a level).
            race.later = min(race.until + days_seconds, budget.wall_end())
        race.join(len(RELAXATIONS))
        rows = program_of(proto_of(run.model.model))  # while HiGHS solves: the schedule's check
        first = race.result()
    try:
        if first.bound is None or rows is None:
            return None
        placements, tables, how = run.placements, run.tables, "by HiGHS"
        found = None if first.solution is None else _checked(run, plain, rows, first.solution, tables)
        if found is not None and not worse(run.value(found[0]), run.value(placements), run.sense):
            (placements, tables), how = found, "by HiGHS, relaxation's ones fixed"
        bound = first.bound
        if _by_days(run, plain) and run.value(placements) < bound:
            ends = min(time.perf_counter() + days_seconds, run.budget.wall_end())
            # The race's question left unanswered goes beside the days: on generated weeks the one
            # with the ones kept has held a schedule at the bound every time.
            better, bound = _days_resolved(run, plain, rows, placements, tables, bound, ends, beside_whole=True,
                                           question=first.unanswered, asking=first.asking)
            if better is not None:
                (placements, tables), how = better, how + ", days re-solved"
        return (placements, tables), bound, how
    finally:
        if first.asking is not None:
            first.asking.stop()


def _own_first_applies(run: LevelRun) -> bool:
    """Where the meeting model's own program is relaxed first (:func:`_own_relaxation_first`): as
    the plain program, priority in a timed solve on two workers or more, not a replan, nor a folded
    or seated model; at a plaza, where the plain program is not used."""
    model, problem = run.model, run.problem
    return (run.level == "priority" and run.position == 0 and run.stop.workers >= 2 and not run.stop.deterministic
            and problem.kind == "plaza" and not model.seating and not model.stands_for
            and not problem.published and not problem.withdrawn)


def _own_relaxation_first(run: LevelRun, ends: float):
    """The priority from the linear relaxation of the meeting model's own program, raced as the
    plain program's is (searches/ones_fixed.py, :class:`~scheduler.solve.searches.ones_fixed.OwnProgram`):
    ((placements, tables), bound, how), the schedule so far where none found is better and keeps
    every row of the model; None when the relaxation is not solved by ``ends``."""
    proto = proto_of(run.model.model)
    # The level's value is the objective negated, with nothing added (CP-SAT's maximisation).
    if proto.objective.scaling_factor != -1 or proto.objective.offset != 0:
        return None
    program = program_of(proto, ends)
    if program is None:
        return None
    first = Race(OwnProgram(replace(program, cost=-program.cost)), workers(len(RELAXATIONS)), ends).result()
    if first.bound is None:
        return None
    placements, tables, how = run.placements, run.tables, "by HiGHS"
    found = None if first.solution is None else _held(run, program, [round(x) for x in first.solution])
    if found is not None and not worse(run.value(found[0]), run.value(placements), run.sense):
        (placements, tables), how = found, "by HiGHS, relaxation's ones fixed"
    return (placements, tables), first.bound, how


def _plain(run: LevelRun) -> tuple[TimeIndexed | None, Race | None]:
    """The plain time-indexed program of the event's priority, started from the schedule so far,
    with the race of its relaxations when begun before the level (else None), where the plain
    program has at most PLAIN_COLUMNS_PER_CHOICE columns per placement choice of the model; (None,
    None) elsewhere. Not in a replan, nor on a folded model: it states neither."""
    model, problem = run.model, run.problem
    early, run.solving.early_relaxation = run.solving.early_relaxation, None
    if (run.level != "priority" or run.position != 0 or model.seating or model.stands_for
            or problem.published or problem.withdrawn
            or _plain_columns(problem) > PLAIN_COLUMNS_PER_CHOICE * len(model.choices)):
        if early is not None:
            early.stop()
        return None, None
    plain = early.plain if early is not None else time_indexed(problem)
    if plain is not None:
        plain.program.start = plain.start(run.placements)
    return plain, early


def _plain_first(run: LevelRun) -> tuple[TimeIndexed | None, Race | None]:
    """:func:`_plain` where its relaxations are used (before the MIP, or alone): raced in a timed
    solve on two workers or more, and in turn in a repeatable one (:func:`_relaxation_first`)."""
    return _plain(run) if run.stop.deterministic or run.stop.workers >= 2 else (None, None)


def _plain_columns(problem) -> int:
    """The plain program's columns, counted without building it."""
    return sum(task.placement_count for task in problem.tasks)


def _days_resolved(run: LevelRun, plain: TimeIndexed, rows, placements, tables, bound: int, ends: float,
                   beside_whole: bool = False, question: Program | None = None, asking: Asking | None = None):
    """The schedule with its days re-solved on the plain program (searches/priority_days.py), as
    (placements, tables) once the meeting model has read it and every one of its ``rows`` holds
    (None when it is no better or cannot be read), and the bound. ``beside_whole``: the whole plain
    program solved beside the days (:func:`~scheduler.solve.searches.priority_days.days_beside_whole`),
    whose proof may lower the bound, and a ``question`` asked before it there, or one still being
    answered (``asking``; see :func:`~scheduler.solve.searches.priority_days.days_beside_whole`)."""
    start = plain.start(placements)
    if start is None:
        return None, bound
    pool = workers(run.stop.workers)
    if asking is not None:  # its worker is the one beside the days
        pool = [each for each in pool if each is not asking.worker] + [asking.worker]
    if beside_whole:
        found, bound = days_beside_whole(run.problem, plain, start, bound, ends, pool, question, asking)
    else:
        found = [priority_days(run.problem, plain, start, bound, ends, pool)]
    better = next((each for each in (_checked(run, plain, rows, x, tables) for x in found) if each is not None), None)
    if better is None or not worse(run.value(placements), run.value(better[0]), run.sense):
        return None, bound
    return better, bound


def _checked(run: LevelRun, plain: TimeIndexed, rows, solution, tables: dict[int, str]):
    """A solution of the plain program as the meeting model's (placements, tables), once the
    model has read it and every one of its ``rows`` holds; else None."""
    return _held(run, rows, _reader(run, plain, tables)(solution))


def _held(run: LevelRun, rows, values):
    """Values of the meeting model's variables as its (placements, tables), once every one of its
    ``rows`` holds; else (or with no values) None."""
    if values is None or not holds(rows, values):
        return None
    return run.model.placements(lambda v: values[v.index]), run.model.tables(lambda v: values[v.index])


def _reader(run: LevelRun, plain: TimeIndexed, tables: dict[int, str]):
    """A schedule of the plain program as values of the meeting model's variables (None when the
    model cannot read it), the tables as ``tables`` keeps them."""
    model = run.model

    def read(solution):
        placements = model.classes_named(plain.placements(solution))
        return None if placements is None else model.values(placements, tables)
    return read


def _relaxed_alone(run: LevelRun) -> Found | None:
    """Where HiGHS does not take the model whole (priority beyond ``plan.MIP_UP_TO``): only the
    race of the relaxations and their ones fixed, within the share the whole run would have: at a
    plaza the meeting model's own program, in a teleconference room the plain program (with the
    days re-solved after it where it falls short), as below ``plan.MIP_UP_TO``. What it does not
    prove is left to the folded model, CP-SAT and the parts, started from its schedule."""
    budget = run.budget
    # The whole run's share, not MIP_SHARE of it: here the race is all HiGHS does, and on an
    # expo-size plaza its relaxation alone takes 11-13 s, so that at MIP_SHARE the clock cut it, or
    # the ones fixed after it, in some runs (benchmarks/README.md, "How the solver chooses": HiGHS
    # on a level).
    amount = _amount(budget, run.position, run.live, run.level, run.kept_back)
    if _own_first_applies(run):
        first = _own_relaxation_first(run, min(time.perf_counter() + amount / MIP_SHARE, budget.wall_end()))
    else:
        plain, early = _plain_first(run)
        first = None if plain is None else _relaxation_first(run, plain, amount / MIP_SHARE, DAYS_SHARE * amount, early)
    if first is None:
        return None
    (placements, tables), bound, how = first
    return _found(run, placements, tables, bound, how)


def _ready(run: LevelRun) -> bool:
    """A start to begin from, and no bound from a relaxation yet."""
    return run.placements is not None and run.relaxed is None


HIGHS = Method("HiGHS", _run, ready=_ready)
RELAXATION_ONES = Method("HiGHS, relaxation's ones fixed", _relaxed_alone, ready=_ready)
