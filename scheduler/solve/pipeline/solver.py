"""``solve(problem, stop)``: a greedy start, each objective level in turn by the methods its plan
names (plan.py), then the finishing passes, the reasons and the booths."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from functools import cache

from scheduler.model.problem import Problem
from scheduler.solve.bounds.folding import alike_days
from scheduler.solve.bounds.mip import prepare as prepare_mip
from scheduler.solve.methods.comfort import begin_ahead, comfort_result
from scheduler.solve.methods.engines import any_schedule, required_first
from scheduler.solve.methods.highs import HIGHS, begin_relaxation, let_go
from scheduler.solve.methods.parts import PARTS
from scheduler.solve.model.meetings import MeetingModel, OutOfTime
from scheduler.solve.model.objective import (build_level, counts_only, idle_gap_floor, level_name, level_sense,
                                             replan_levels)
from scheduler.solve.pipeline.budget import Budget
from scheduler.solve.pipeline.finish import finish
from scheduler.solve.pipeline.infeasible import diagnose, impossible_required, infeasible, not_found
from scheduler.solve.pipeline.level import (AFTER_LEVELS_SHARE, NOTHING_AFTER_SHARE, LevelRun, Log, NoSchedule,
                                            Progress, Reporter, Solving, Stop, about_seating, at_least, keep_level,
                                            level_value, needs_seats, nothing_to_search, reads_better, stronger)
from scheduler.solve.pipeline.plan import plan, searched_whole, shape_of
from scheduler.solve.result import Result, Term
from scheduler.solve.searches.greedy import from_published, greedy
from scheduler.solve.searches.repair import place_required

__all__ = ["Stop", "solve"]

# The finishing passes' time, kept back from the limit's hard end, as a multiple of greedy's.
FINISH_PER_GREEDY = 3.0
# What the levels must leave unused, past the finishing passes' share, for a level that ended
# unproven to be searched again (look_again): a share of the limit, and seconds (its units when
# deterministic), each at least.
AGAIN_SHARE = 0.15
AGAIN_SECONDS = 1.0
# A second look keeps, for the levels after the one searched again, this multiple of the time they
# took the first time.
AGAIN_AFTER = 2.0
# The most a timed solve spends moving meetings out of required ones' way (a tenth of the limit
# where that is less) before CP-SAT is asked for any schedule.
REPAIR_SECONDS = 1.0


def solve(problem: Problem, stop: Stop = Stop(), progress: Progress | None = None,
          levels: Sequence[str | Mapping[str, int]] | None = None, log: Log | None = None) -> Result:
    """Optimise the event's objective levels in order (or ``levels`` when given), within
    ``stop.time_limit`` seconds in all (model building and the work after the search included),
    or within the work units they are worth when ``stop.deterministic`` (budget.py)."""
    budget = Budget(stop.time_limit, deterministic=stop.deterministic,
                    **({"began": stop.started} if stop.started is not None else {}))
    impossible = impossible_required(problem)
    if impossible:
        return infeasible(problem, impossible, budget)
    order = replan_levels(levels if levels is not None else problem.event.objective_levels,
                          bool(problem.published or problem.withdrawn))
    solving = _start(problem, stop, budget, order, progress, log)
    try:
        for position, level in enumerate(solving.order):
            try:
                term = _solve_level(solving, position, level)
            except NoSchedule:
                if position == 0:
                    return infeasible(problem, diagnose(problem, budget), budget)
                break  # cannot happen: the previous level's schedule satisfies every settled level
            if term is None:
                return infeasible(problem, not_found(problem, stop), budget, timed_out=True)
            solving.terms.append(term)
            solving.settled_at.append(budget.spent())
        look_again(solving)
    finally:
        let_go(solving)
    return finish(solving)


def planned(problem: Problem, levels: Sequence[str | Mapping[str, int]] | None = None) -> list[tuple[str, list[str]]]:
    """Which methods would serve each level, from the greedy start, without solving: the level's
    name and its methods' names in order. A level's plan is read off the model as the solve
    builds it (the seated model once a level weighs seats), so it is the one a solve prints, but
    for what a method may change on the way (a brokerage day whose greedy start misses a meeting
    is planned as such)."""
    order = replan_levels(levels if levels is not None else problem.event.objective_levels,
                          bool(problem.published or problem.withdrawn))
    placements, _ = from_published(problem) if problem.published else greedy(problem)
    complete = all(any(p.task == t.index for p in placements) for t in problem.tasks if t.required)
    alike = cache(lambda: alike_days(problem))
    kinds_of_days = cache(lambda: len(alike()))
    model = MeetingModel(problem, seating=needs_seats(order[0]))
    plans = []
    for position, level in enumerate(order):
        if _wants_seats(problem, model, level):
            model = MeetingModel(problem)
        if model.seating or not needs_seats(level):
            build_level(model, level)
        shape = shape_of(problem, model, level, position, order, placements if complete else None,
                         kinds_of_days)
        opening, searches = plan(shape)
        plans.append((level_name(level), [m.name for m in opening + searches]))
    return plans


def _start(problem: Problem, stop: Stop, budget: Budget, order, progress, log) -> Solving:
    """The greedy start, and the meeting model the first level is searched on."""
    # HiGHS's processes (two where a level's run races another) start while greedy and the
    # model are built.
    prepare_mip(2 if stop.workers >= 2 and not stop.deterministic else 1)
    began = time.perf_counter()
    # A replan starts from the published meetings that still fit, not from greedy's.
    placements, tables = from_published(problem) if problem.published else greedy(problem)
    # The finishing passes (fill-in, reasons, booths, the recount) and the levels cut short take
    # up to about three times greedy's work.
    budget.reserve = FINISH_PER_GREEDY * (time.perf_counter() - began)
    alike = cache(lambda: alike_days(problem))
    solving = Solving(problem, stop, budget, order, progress, log, model=None, placements=None, tables=tables,
                      alike=alike, kinds_of_days=cache(lambda: len(alike())), start=(list(placements), dict(tables)))
    solving.note(f"{'published start' if problem.published else 'greedy start'}: {len(placements):,} meetings, priority "
                 f"{sum(problem.tasks[p.task].priority for p in placements):,}")
    solving.level_began = budget.elapsed()  # the first level's work begins with its model
    begin_relaxation(solving, placements)  # on HiGHS's first worker, while the model is built
    complete = all(any(p.task == t.index for p in placements) for t in problem.tasks if t.required)
    # Interpreters are counted, not seated, until a level weighs where they sit: the counted model
    # is exact for which meetings take place when, and far easier to search.
    began = time.perf_counter()
    try:
        solving.model = MeetingModel(problem, seating=needs_seats(order[0]), until=budget.wall_end())
        solving.build_seconds = time.perf_counter() - began
    except OutOfTime:
        solving.note("model: not built within the time limit; the greedy schedule stands")
        solving.placements = placements if complete else None
        return solving
    _note_model(solving)
    if not complete:
        # Greedy left a required meeting out: others are moved out of its way (counted steps; the
        # clock only as a safety in a repeatable solve), so that the polish and every level start
        # from a complete schedule.
        ends = (budget.wall_end() if budget.deterministic
                else time.perf_counter() + min(REPAIR_SECONDS, stop.time_limit / 10))
        placements, complete = place_required(problem, placements, tables, ends, stop.seed)
        if complete:
            solving.note("required meetings: all placed, others moved out of their way")
    if complete:
        solving.placements = placements
    else:
        # Still one left out: CP-SAT places the required meetings alone, greedy the others around
        # them; where none is found so in the time, CP-SAT is asked for any schedule of the whole
        # model.
        amount = budget.units(min(10.0, stop.time_limit / 5))
        found = required_first(problem, stop, budget, amount)
        if found is not None:
            solving.note("required meetings: all placed by CP-SAT, the others around them")
        else:
            found = any_schedule(solving.model, stop, budget, amount)
        if found is not None:
            solving.placements, solving.tables = found
    if solving.placements is not None:
        solving.model.hint(solving.placements, solving.tables)
    return solving


def look_again(solving: Solving) -> None:
    """Where a level ended unproven and the levels after it, settled early, left time unused, the
    first such level is searched again from the schedule so far with what is left (its searches
    only: its bounds stand), and the levels after it too; the schedule is kept where the levels
    then read better in order. The model is built afresh with only the levels before it kept:
    the old one holds the levels after it at values found with the first look's."""
    problem, budget, order, terms = solving.problem, solving.budget, solving.order, solving.terms
    position = next((i for i, t in enumerate(terms) if not t.proven), None)
    if (position is None or position == len(order) - 1 or len(terms) < len(order) or solving.placements is None
            or solving.model is None or problem.published or problem.withdrawn
            or any(needs_seats(level) for level in order[:position + 1])):
        return
    left = budget.left_before(AFTER_LEVELS_SHARE)
    # The model is built again before any search can stop (in wall-clock time, which a repeatable
    # solve may not weigh: it stops for the clock only at the hard end).
    if left < max(budget.units(AGAIN_SECONDS), AGAIN_SHARE * budget.limit,
                  0.0 if budget.deterministic else 4 * solving.build_seconds):
        return
    # A repeatable solve weighs work, not seconds; but past its hard end nothing could be searched.
    if not _time_left(solving):
        return
    first = (solving.model, solving.placements, solving.tables, list(terms))
    after = budget.spent() - solving.settled_at[position]  # what the levels after it took
    solving.note(f"{terms[position].name}: searched again with what the levels after it left")
    solving.terms, solving.level_began = terms[:position], budget.elapsed()
    again: list[Term] = []
    try:
        solving.model = MeetingModel(problem, seating=False, until=budget.wall_end())
        for level, term in zip(order, solving.terms):
            keep_level(solving.model, level, term)
        solving.model.hint(solving.placements, solving.tables)
        for later in range(position, len(order)):
            term = _solve_level(solving, later, order[later],
                                again=first[3][later] if later == position else None,
                                leave=AGAIN_AFTER * after if later == position else 0.0)
            if term is None:
                break
            solving.terms.append(term)
            again.append(term)
    except (OutOfTime, NoSchedule):
        pass
    model, placements, tables, terms = first
    if len(again) == len(order) - position and reads_better(problem, order, terms, solving.placements, placements):
        solving.note(f"{terms[position].name}: {terms[position].value:,} -> {again[0].value:,} when searched again")
        return
    # Not better: the first look's schedule stands, with the level's bound from both looks.
    solving.model, solving.placements, solving.tables = model, placements, tables
    if again and again[0].bound is not None:
        term = terms[position]
        bound = stronger(term.bound, again[0].bound, term.sense)
        terms[position] = Term(term.name, term.sense, term.value, bound, term.value == bound, term.seconds, term.began)
    solving.terms = terms


def _solve_level(solving: Solving, position: int, level, again: Term | None = None, leave: float = 0.0):
    """One level: its model, its plan, the opening methods, its share of the time, the searches,
    and the term it settles at (None when no schedule with every required meeting was found).
    ``again``: the level's term from a first look (look_again): its bound holds, its openings are
    not run again, and ``leave`` is kept for the levels after it."""
    problem, budget, order = solving.problem, solving.budget, solving.order
    if position > 0:
        solving.level_began = budget.elapsed()
    if solving.model is None or not _time_left(solving):
        return _cut_short(solving, level) if solving.placements is not None else None
    try:
        _model_for(solving, level)
        searchable = solving.model.seating or not needs_seats(level)
        expression, sense = build_level(solving.model, level) if searchable else (None, level_sense(level))
    except OutOfTime:  # the model, or the level's term on it, not built by the hard end
        return _cut_short(solving, level) if solving.placements is not None else None
    shape = shape_of(problem, solving.model, level, position, order, solving.placements, solving.kinds_of_days)
    opening, searches = plan(shape)
    if expression is not None:
        solving.model.optimise(expression, sense)
    floor = 0 if counts_only(level) else None  # a count is never below 0, whatever CP-SAT's bound
    if level == "idle gaps":
        # The participants' own bounds, summed: proven for the idle-gap level of the whole event.
        floor = max(0, idle_gap_floor(solving.model))
    name = level_name(level)
    run = LevelRun(solving, position, level, name, sense, expression,
                   Reporter(name, budget, solving.progress, floor, sense), shape, opening + searches, floor=floor)
    run.live = _live(solving, position)
    run.kept_back = _kept_back(solving, position)
    if again is not None:
        run.again, run.relaxed, opening = again, again.bound, ()
        run.methods = tuple(searches)
    solving.note(f"{name}: " + " → ".join(m.name for m in run.methods))
    # Relaxations begun early for the first level's HiGHS run are let go as soon as that run is
    # over or is not in the plan: other methods use the same HiGHS workers.
    if HIGHS not in opening:
        let_go(solving)
    for method in opening:
        if _time_left(solving) and method.ready(run):
            run.take(method.run(run))
        if method is HIGHS:
            let_go(solving)
    _share(run)
    if again is not None and position < len(order) - 1:
        run.share = max(run.share, run.for_levels() - leave)
        run.end = min(budget.spent() + run.share, budget.limit)
    begin_ahead(run)
    for method in searches:
        if _time_left(solving) and method.ready(run):
            run.take(method.run(run))
    if solving.placements is None:
        return None
    if run.comfort is not None:  # solved by now, or given until the level's end
        wait = max(0.0, min(run.left(), budget.wall_left()))
        run.floor = at_least(comfort_result(run, run.comfort, wait), run.floor)
    term = run.term()
    solving.note(f"{name}: {term.value:,} " + ("(proven best)" if term.proven else f"(bound {term.bound:,})"
                                              if term.bound is not None else "(no bound)"))
    # Kept for the levels after it, where any is still to be searched: on a model of a million
    # placement choices the bound and the hint took 1.4 s past the hard end for no later search.
    if position < len(order) - 1 and expression is not None and _time_left(solving):
        solving.model.no_worse(expression, sense, term.value)
        solving.model.hint(solving.placements, solving.tables)
    return term


def _time_left(solving: Solving) -> bool:
    """Whether anything is left of the limit, in the budget's units and on the wall clock, with
    at least the time the meeting model took to build still ahead: a method loads a model of
    about that size into CP-SAT or HiGHS before it can stop on its own clock. A deterministic run
    that stops for the clock says it may not repeat."""
    budget = solving.budget
    if budget.left() <= 0:
        return False
    if budget.wall_left() > solving.build_seconds:
        return True
    budget.wall_stopped = budget.wall_stopped or budget.deterministic
    return False


def _cut_short(solving: Solving, level) -> Term:
    """A level reached with nothing left of the limit: the schedule so far, measured, and only
    the bound that holds by construction (a count is never below 0, priority never above every
    request's)."""
    sense = level_sense(level)
    value = level_value(solving.problem, solving.placements, level, sense)
    bound = (0 if counts_only(level)
             else sum(t.priority for t in solving.problem.tasks) if level == "priority"  # every request placed
             else None)
    term = Term(level_name(level), sense, value, bound, value == bound, solving.budget.elapsed(), solving.level_began)
    solving.note(f"{term.name}: {value:,}, not searched: the time limit was reached")
    return term


def _model_for(solving: Solving, level) -> None:
    """The seated model, with every settled level kept, once a level weighs where interpreters
    sit (where the event is small enough to search whole; else the re-seat serves the level)."""
    model, problem = solving.model, solving.problem
    if _wants_seats(problem, model, level):
        seated = MeetingModel(problem, until=solving.budget.wall_end())
        for settled, term in zip(solving.order, solving.terms):
            keep_level(seated, settled, term)
        solving.model = seated
        _note_model(solving)
        if solving.placements is not None:
            seated.hint(solving.placements, solving.tables)


def _wants_seats(problem: Problem, model: MeetingModel, level) -> bool:
    """Whether the level needs the seated model where the current one counts interpreters (and
    the event is small enough to search whole, and has interpreters to seat)."""
    return (needs_seats(level) and not model.seating and searched_whole(model)
            and not nothing_to_search(problem, level))


def _live(solving: Solving, position: int) -> float:
    """The levels from this one on that share what is left, by weight: none for a level with
    nothing to search, half for one that only re-seats (its re-seat settles early, where the
    levels before it keep finding with more time)."""
    problem = solving.problem
    whole = searched_whole(solving.model)
    return sum(0 if nothing_to_search(problem, later)
               else 0.5 if (not whole or problem.kind == "plaza") and about_seating(later) else 1
               for later in solving.order[position:])


def _kept_back(solving: Solving, position: int) -> float:
    """The share of the limit the level keeps back for what follows the levels: less where later
    levels follow it and none of them has anything to search. The last level keeps the whole share:
    on an expo its search has run seconds past its end."""
    later = solving.order[position + 1:]
    if later and all(nothing_to_search(solving.problem, level) for level in later):
        return NOTHING_AFTER_SHARE
    return AFTER_LEVELS_SHARE


def _share(run: LevelRun) -> None:
    """The level's share of what is left: the first level most of it (less where parts will
    also need their turn), later levels by weight, the last one all of it."""
    budget = run.budget
    if run.obvious is not None:  # counts of firms (maximised), a replan's fewest changes (minimised)
        run.relaxed = stronger(run.relaxed, run.obvious, run.sense)
    remaining = run.for_levels()
    # Parts need no bound to begin: after a replan's fewest changes, priority has none, and its
    # parts are what places waiting requests in the time the changes freed.
    run.by_parts = run.plans(PARTS) and run.placements is not None
    # Where only parts are searched (too large to search whole), they get the larger part.
    share = (((0.5 if run.whole else 0.7) if run.by_parts else 0.75) if run.position == 0
             else 1.0 / max(1, run.live))
    run.share = (max(budget.units(0.5), remaining * share) if run.position < len(run.order) - 1
                 else max(budget.units(0.5), remaining))
    run.end = min(budget.spent() + run.share, budget.limit)
    run.known = run.relaxed if run.floor is None else run.floor if run.relaxed is None else max(run.relaxed,
                                                                                                 run.floor)
    run.reporter.proven = run.known
    run.status, run.solver = None, None
    # A schedule at a proven bound needs no search (HiGHS proves the smaller events whole).
    run.check_settled()


def _note_model(solving: Solving) -> None:
    """The model just built, said and charged (budget.py ``charge_build``)."""
    model = solving.model
    pooled = sum(1 for members in model.pools if len(members) > 1)
    interpreters = (f"{len(model.seat):,} interpreter seats" if model.seating
                    else f"{len(model.flow):,} interpreter counts")
    solving.budget.charge_build(len(model.choices) + len(model.seat if model.seating else model.flow))
    solving.note(f"model: {len(model.choices):,} placement choices, {interpreters}"
                 + (f" ({pooled} pools of interchangeable interpreters)" if pooled else ""))
