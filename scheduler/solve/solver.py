"""``solve(problem, stop)``: greedy start, CP-SAT term by term, booths, reasons."""

from __future__ import annotations

import math
from collections import Counter
from contextlib import contextmanager, nullcontext
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from functools import cache

from ortools.sat.python import cp_model

from scheduler.model.problem import Problem
from scheduler.solve.bounds.folding import Folded, alike_days
from scheduler.solve.pipeline.booths import assign_booths
from scheduler.solve.pipeline.budget import KEMPE_STEPS_PER_UNIT, SAFETY, WORK_PER_SECOND, Budget
from scheduler.solve.searches.kempe import applies as compact_applies
from scheduler.solve.bounds.comfort import applies as comfort_applies
from scheduler.solve.bounds.comfort import by_day as comfort_by_day
from scheduler.solve.searches.kempe import compact, compact_in_parallel
from scheduler.solve.model.meetings import MeetingModel
from scheduler.solve.searches.days import applies as retime_applies
from scheduler.solve.searches.days import retime_days
from scheduler.solve.searches.greedy import greedy
from scheduler.solve.bounds.relaxation import integral_bound, lp_backend, relaxation_bound, relaxation_bound_beside
from scheduler.solve.model.measure import MEASURES, measure, measure_all, meetings_to_keep
from scheduler.solve.bounds.mip import prepare as prepare_mip
from scheduler.solve.bounds.mip import solve_mip
from scheduler.solve.searches.parts import improve_priority, raise_least_served
from scheduler.solve.model.objective import (INTERPRETER_TERMS, MEETING_COUNTS, build_level, counts_only, idle_gap_floor,
                                       level_name, level_sense, level_weights, obvious_bound, sense_of)
from scheduler.solve.model.occupancy import Occupancy
from scheduler.solve.bounds.pairing import best_pairing
from scheduler.solve.searches.patterns import applies as patterns_apply
from scheduler.solve.searches.patterns import search as search_patterns
from scheduler.solve.searches.polish import reduce_floor_changes, reduce_idle_gaps, reduce_interpreter_moves
from scheduler.solve.pipeline.reasons import explain, never_fits
from scheduler.solve.result import Placement, Result, Status, Term

# Above this many placement choices, the first level also gets the linear relaxation's bound.
LP_BOUND_FROM = 2000
# Deterministic mode: the relaxation stops after this many iterations instead of on the clock
# (GLOP's simplex; PDLP's first-order method needed 512-896 on the expo and the month).
LP_ITERATIONS = {"GLOP": 200_000, "PDLP": 5_000}
# Up to this many placement choices, CP-SAT searches the whole model; beyond, its presolve alone
# outlasts a minute on two workers (a 500-buyer expo: 231,532 choices), and only parts are solved.
WHOLE_MODEL_UP_TO = 100_000

# Share of a brokerage idle-gap level for looking for a day at the participants' own bounds
# (patterns.py) before anything else. The 66-participant day needed 0.8-5.8 s over six seeds
# (median 3.0; 0.8-10.9 s, median 4.5, with another job on the machine), of about 9 s at the 10-s
# limit; what is left goes to the annealed search and CP-SAT.
PATTERN_SHARE = 0.8

# After the objective levels: fill-in, interpreter polish, reasons and booths. Their share of the
# time limit is kept back from the last level, so the whole solve keeps to the limit (with 5 %,
# a 20-day teleconference month took 124 s of 120).
AFTER_LEVELS_SHARE = 0.10

# HiGHS (mip.py) takes a level that only says which meetings take place when, on the model with
# counted interpreters, up to this many of its variables: the KOTRA week's 37,412 are proven in
# about 7 s; a 500-buyer expo's (over 200,000) ran minutes past its limit in HiGHS's presolve.
MIP_UP_TO = 60_000
# The terms it takes. Not idle gaps: on the Daegu plaza HiGHS's bound for them stayed at -24
# after 8 s (CP-SAT's searches found 153 in that time, HiGHS 156). Nor the least-served firm, yet:
# given 90 s in all, HiGHS proves 2 on the Daegu plaza in about 18 s, where CP-SAT ends at 1 (bound
# 4), but in a 60-s run its share is 9 s, it ends with bound 14, and the level still ends at 1; on
# the KOTRA week it needs 21 s for the 3 CP-SAT proves in about 4 s.
MIP_TERMS = frozenset({"priority", "firms met"})
# Deterministic mode: HiGHS's branch-and-bound nodes per second of its share (Daegu and the KOTRA
# week are proven at the root, node 1).
MIP_NODES_PER_SECOND = 20
# Its share of such a level's time: what it does not prove is left to CP-SAT and the parts.
MIP_SHARE = 0.6
# Of the first level on an event too large to search whole whose days repeat: the most the folded
# model (alike_days.py) and the spreading of its meetings may take. The month's needs about 4 s
# of 100; what it leaves goes to the parts.
FOLDED_SHARE = 0.4
# HiGHS on a level's model (whole or folded) without its presolve, as on the parts (neighbourhood.py).
# The folded month's priority optimum (4,518) in 1.5 s from the greedy start; with presolve, 4,503
# at the root after 3.5 s and 4,518 only at 26 s. Daegu's priority, whole, four seeds: 1.35-1.96 s
# to the proof against 1.68-2.36 s; the week's 3.3-4.1 s against 6.8-9.2 s. Not for the
# least-served firm's tests: without presolve one of Daegu's was not answered in its time.
LEVEL_MIP_OPTIONS = {"presolve": "off"}
# The levels decided on the folded model: those HiGHS takes (MIP_TERMS), after levels it keeps.
# Not the least-served firm: a max-min that HiGHS left unproven on the folded month in 20 s.
FOLDED_LEVELS = MIP_TERMS

# A priority level first asks the pairing bound (pairing.py): with the schedule so far within
# this fraction of it, a schedule of the pairing's meetings is looked for before anything else.
# The KOTRA week's greedy start is 0.24 % below its bound, which is the optimum (proven in 0.6 s
# this way, where HiGHS took 6.6 s); the plazas' and the month's are 7-19 % below, and there
# the bound, which leaves time out, is far from the optimum (Daegu: 1,972 for 1,612).
PAIRING_WITHIN = 0.01
# The most either search of that step may take (a week's fit: 0.6 s).
PAIRING_SECONDS = 2.0

# Share of a plaza's idle-gap level for the Kempe-chain search, where the whole model is searched
# after it. It cools over its allowance and trades interpreters and requests (compact.py), so it
# keeps finding: from Daegu's polished day, 25-34 idle gaps after 15 s (seeds 0-5), and, before it
# looked at 2.6 times the moves a second, 40-46 after 15 s, 27-32 after 60 s, 18 after 180 s.
KEMPE_SHARE = 0.9
# The least it gets (where the whole model is not searched, it has the rest of the level).
KEMPE_SECONDS = 3.0

# Share of a later idle-gap level for re-timing the same meetings (before the whole model).
SAME_MEETINGS_SHARE = 0.75


# progress(term, seconds since start, best value found, proven bound)
Progress = Callable[[str, float, float | None, float | None], None]
# log(seconds since start, what was done): one line per phase, for people watching a long solve
Log = Callable[[float, str], None]


@dataclass(frozen=True)
class Stop:
    """When to stop: wall-clock seconds over all terms (turned into work units at a fixed rate
    when ``deterministic``, see budget.py), and a relative gap that is good enough."""

    time_limit: float = 60.0
    gap: float = 0.0
    seed: int = 0
    workers: int = 2
    deterministic: bool = False


class _Reporter(cp_model.CpSolverSolutionCallback):
    def __init__(self, term: str, budget: Budget, progress: Progress | None, proven: int | None, sense: str):
        super().__init__()
        self.term, self.budget, self.progress = term, budget, progress
        self.proven, self.sense = proven, sense  # a bound already proven (the relaxation, or 0 for counts)
        self.bound: float | None = None
        self.best: float | None = None
        self.narrowed = False  # a search with fewer choices than the level's: its bound is not the level's

    def on_solution_callback(self) -> None:
        self.best = self.objective_value
        if not self.narrowed:
            self.bound = self.best_objective_bound
        self._report()
        if self.proven is not None and round(self.best) == self.proven and not self.budget.deterministic:
            # It meets a bound CP-SAT may not know (the relaxation's, or 0 for counts): proven.
            # Not with interleaved workers: stopped so, CP-SAT kept no schedule to read.
            self.stop_search()

    @contextmanager
    def narrowed_search(self):
        """Within: a search with fewer choices than the level's (the same meetings, or the same
        times), whose bound is not the level's and is not shown."""
        self.narrowed = True
        try:
            yield
        finally:
            self.narrowed = False

    def on_value(self, value: float) -> None:
        """A better schedule found outside CP-SAT (by re-solving parts)."""
        self.best = value
        self._report()

    def on_bound(self, bound: float) -> None:
        self.bound = bound
        self._report()

    def _report(self) -> None:
        if self.progress is None:
            return
        bound = self.bound if self.bound is not None else self.proven
        if self.proven is not None and bound is not None:
            bound = min(bound, self.proven) if self.sense == "max" else max(bound, self.proven)
        self.progress(self.term, self.budget.elapsed(), self.best, bound)


def solve(problem: Problem, stop: Stop = Stop(), progress: Progress | None = None,
          levels: Sequence[str | Mapping[str, int]] | None = None, log: Log | None = None) -> Result:
    """Optimise the event's objective levels in order (or ``levels`` when given), within
    ``stop.time_limit`` seconds in all (model building and the work after the search included),
    or within the work units they are worth when ``stop.deterministic`` (budget.py)."""
    budget = Budget(stop.time_limit, deterministic=stop.deterministic)

    def note(message: str) -> None:
        if log is not None:
            log(budget.elapsed(), message)

    order = tuple(levels if levels is not None else problem.event.objective_levels)
    alike = cache(lambda: alike_days(problem))  # the event's alike days, found when first asked
    repeats = cache(lambda: any(len(days) > 1 for days in alike()))  # some days alike
    early_comfort: dict[int, Future] = {}  # comfort levels' bounds begun before the level
    impossible = {t.index: f"required, but {never_fits(problem, t)}"
                  for t in problem.tasks if t.required and not t.placements()}
    if impossible:
        return _infeasible(problem, impossible, budget)

    prepare_mip()  # HiGHS's process starts while greedy and the model are built
    start_placements, start_tables = greedy(problem)
    note(f"greedy start: {len(start_placements):,} meetings, priority "
         f"{sum(problem.tasks[p.task].priority for p in start_placements):,}")
    greedy_complete = all(any(p.task == t.index for p in start_placements) for t in problem.tasks if t.required)
    # Interpreters are counted, not seated, until a level weighs where they sit: the counted model
    # is exact for which meetings take place when, and far easier to search (a 6-buyer plaza with 3
    # interpreters: proven in 0.04 s, where the seated model had no proof after 10 s).
    meeting_model = MeetingModel(problem, seating=_needs_seats(order[0]))
    _note_model(meeting_model, note)
    placements: list[Placement] | None = start_placements if greedy_complete else None
    tables = start_tables
    if not greedy_complete:
        # Greedy left a required meeting out: ask CP-SAT for any schedule with all of them, so
        # that the polish and every level start from a complete one.
        found = _any_schedule(meeting_model, stop, budget, budget.units(min(10.0, stop.time_limit / 5)))
        if found is not None:
            placements, tables = found
    if placements is not None:
        meeting_model.hint(placements, tables)
    terms: list[Term] = []
    for position, level in enumerate(order):
        name = level_name(level)
        earlier = {term for lv in order[:position] for term in level_weights(lv)}
        counted_before = earlier <= MEETING_COUNTS  # every earlier level only counts meetings
        if (_needs_seats(level) and not meeting_model.seating and len(meeting_model.choices) < WHOLE_MODEL_UP_TO
                and not _nothing_to_search(problem, level)):
            meeting_model = _seated_model(problem, order, terms)
            _note_model(meeting_model, note)
            if placements is not None:
                meeting_model.hint(placements, tables)
        # Too large to search whole, with interpreters counted: only the re-seat below serves this level.
        searchable = meeting_model.seating or not _needs_seats(level)
        polish = "idle gaps" in level_weights(level)
        # A brokerage day with every meeting placed: CP-SAT takes a first look (it proves the
        # small days at once), then annealed Kempe-chain moves (compact.py) find the compact days
        # CP-SAT's own search does not (78 participants: 16 idle gaps in 5 s against CP-SAT's 63
        # in 10 s), and CP-SAT goes on from there to close the proof.
        by_compact = (polish and placements is not None and len(placements) == len(problem.tasks)
                      and compact_applies(problem))
        whole = len(meeting_model.choices) < WHOLE_MODEL_UP_TO
        # At a plaza the idle-gap level re-times the same meetings by Kempe chains (below). Where
        # the whole model is not searched after them, they take the polish's time too: from the
        # expo's greedy day, 14 s of them leave 1,616 idle gaps, 5 s of polish and 8 of them 1,720.
        by_kempe = level == "idle gaps" and problem.kind == "plaza" and position > 0 and placements is not None
        if polish and placements is not None and not by_compact and (whole or not by_kempe):
            placements = _polished(problem, placements, tables, budget, budget.units(min(5.0, stop.time_limit / 10)))
            meeting_model.hint(placements, tables)
            note(f"idle-gap polish: {_level_value(problem, placements, 'idle gaps', 'min'):,} idle gaps to start from")
        expression, sense = build_level(meeting_model, level) if searchable else (None, level_sense(level))
        if expression is not None:
            meeting_model.optimise(expression, sense)
        by_patterns = by_compact and level == "idle gaps" and patterns_apply(problem)
        floor = 0 if counts_only(level) else None  # a count is never below 0, whatever CP-SAT's bound
        if level == "idle gaps":
            # The participants' own bounds, summed: proven for the idle-gap level of the whole
            # event (objective.idle_gap_floor); CP-SAT's core search reaches it only if given the time.
            floor = max(0, idle_gap_floor(meeting_model))
        reporter = _Reporter(name, budget, progress, floor, sense)
        # Later levels share what is left evenly, but a level of interpreter terms at an event
        # without interpreters is nothing to search (brokerage: the 150-participant day's idle
        # gaps got half of what the earlier levels left, and the other half went to that level),
        # and one where the whole model is not searched counts half: it only re-seats and
        # re-solves days (a month's comfort level used 5 s of its 15, while its idle gaps, re-solved
        # day by day in 13 s, kept 5 that they reach 0 from in about 15). At a plaza it counts half
        # too: the idle-gap level before it keeps finding with more time (KEMPE_SHARE), where the
        # comfort level settles early (Daegu: 529 after 10 s of its 22, no better after). Daegu, 60 s,
        # seeds 0-2: idle gaps 22, 27, 24 and comfort 521 against 34, 36, 28 and 529 at an even split.
        live = sum(0 if _nothing_to_search(problem, later)
                   else 0.5 if (not whole or problem.kind == "plaza") and _about_seating(later) else 1
                   for later in order[position:])
        relaxed = None
        if placements is not None and level_weights(level).keys() == {"priority"}:
            fitted = _at_pairing_bound(problem, meeting_model, placements, tables, stop, budget)
            if fitted is not None:
                placements, tables, relaxed = fitted
                meeting_model.hint(placements, tables)
                reporter.on_value(relaxed)
                note(f"{name}: {relaxed:,}, the most the requests' caps allow")
        obvious = obvious_bound(meeting_model, level) if searchable else None
        if relaxed is None and placements is not None and obvious == _level_value(problem, placements, level, sense):
            relaxed = obvious  # already at a bound that needs no search (firms met, at the week: 73 of 73)
        by_mip = (placements is not None and relaxed is None and level_weights(level).keys() <= MIP_TERMS
                  and not meeting_model.seating and len(meeting_model.model.proto.variables) <= MIP_UP_TO)
        if by_mip:
            # Which meetings take place when, as a MIP (HiGHS): it proves a plaza's or a week's
            # priority where CP-SAT's bound stalls. What it leaves open goes on as below.
            amount = ((budget.limit * (1 - AFTER_LEVELS_SHARE) - budget.spent())
                      * (0.75 if position == 0 else 1.0 / max(1, live)) * MIP_SHARE)
            found = _by_mip(problem, meeting_model, level, sense, placements, tables, budget, amount, reporter,
                            stop)
            if found is not None:
                placements, tables, relaxed = found
                meeting_model.hint(placements, tables)
                if relaxed is not None:
                    meeting_model.no_better(expression, sense, relaxed)
                note(f"{name}: {_level_value(problem, placements, level, sense):,} by HiGHS"
                     + (f", bound {relaxed:,}" if relaxed is not None else ""))
        by_tests = (level == "least-served firm" and placements is not None and relaxed is None
                    and not meeting_model.seating and any(lv == "priority" for lv in order[:position]))
        small = len(meeting_model.model.proto.variables) <= MIP_UP_TO
        # Folded, the model must be as small as HiGHS takes whole (about the variables' share of
        # the kinds of days): on the expo's (116,000 variables) a test was not answered in 36 s.
        folded_tests = (by_tests and not small
                        and counted_before and repeats()
                        and len(meeting_model.model.proto.variables) * len(alike())
                        <= MIP_UP_TO * len(problem.grid.days))
        if by_tests and (small or folded_tests):
            # HiGHS proves the Daegu plaza's least-served firm (2) in about 5 s this way, where
            # CP-SAT's search of the max-min level ended at 1 (bound 4) after 17 s.
            amount = (budget.limit * (1 - AFTER_LEVELS_SHARE) - budget.spent()) / max(1, live)
            # On alike days folded (alike_days.py) where the model is too large: the month's 2 is
            # proven so in about 8 s (every firm at 3 costs priority, 4,517 against 4,518).
            placements, tables, relaxed = _least_served_by_tests(
                problem, order, terms, placements, tables, obvious, budget, budget.spent() + amount, reporter, stop,
                folded=Folded(problem, alike()) if folded_tests else None)
            meeting_model.hint(placements, tables)
            if relaxed is not None:
                meeting_model.no_better(expression, sense, relaxed)
            note(f"{name}: {_level_value(problem, placements, level, sense):,} by HiGHS, raised a meeting at a time"
                 + (f", bound {relaxed:,}" if relaxed is not None else ""))
        elif by_tests and counted_before:
            # Too large for HiGHS's tests: parts re-solved around the firms at the fewest meetings
            # (neighbourhood.py). The expo's least-served firm, left at 1 before, reaches 2 in about
            # 23 s of a 120-s solve; its idle gaps then had that much less (570, against 507-534).
            amount = (budget.limit * (1 - AFTER_LEVELS_SHARE) - budget.spent()) / max(1, live)
            placements = raise_least_served(problem, placements, tables, budget, budget.spent() + amount,
                                            most=obvious, seed=stop.seed, workers=stop.workers,
                                            report=reporter.on_value)
            meeting_model.hint(placements, tables)
            note(f"{name}: {_level_value(problem, placements, level, sense):,} after re-solving parts around the "
                 "least-served firms")
        if (placements is not None and relaxed is None and not whole and level_weights(level).keys() <= FOLDED_LEVELS
                and counted_before and repeats()):
            # Too large to prove whole, but its days repeat: decided on one day of each kind, with
            # capacities multiplied (alike_days.py). HiGHS proves the month's priority there in
            # about 2 s, and its meetings spread over the days they stand for in under 1 s.
            amount = ((budget.limit * (1 - AFTER_LEVELS_SHARE) - budget.spent()) * FOLDED_SHARE
                      / (1 if position == 0 else max(1, live)))
            placements, tables, relaxed = _by_folding(problem, alike(), level, sense, placements, tables, budget,
                                                      amount, reporter, stop, order, terms)
            meeting_model.hint(placements, tables)
            note(f"{name}: {_level_value(problem, placements, level, sense):,} from alike days folded"
                 + (f", bound {relaxed:,}" if relaxed is not None else " (no proof)"))
        # The relaxation's bound on a brokerage idle-gap level is the participants' own bounds,
        # which the patterns' floor has anyway (66 participants: 4 after 1.0 s of the limit).
        pending: Future | None = None  # the relaxation, solved beside the parts
        if relaxed is None and position == 0 and len(meeting_model.choices) >= LP_BOUND_FROM and not by_patterns:
            seconds = budget.left() / 4
            if not whole and level == "priority" and placements is not None and not stop.deterministic:
                # Only parts will be searched, and they need no bound to begin: the relaxation is
                # solved in a thread beside them (the expo's parts began at 22 s, after 16 s of PDLP).
                pending = relaxation_bound_beside(meeting_model.model, time_limit=seconds)
            else:
                relaxed = (relaxation_bound(meeting_model.model, iteration_limit=LP_ITERATIONS[lp_backend(meeting_model.model)])
                           if stop.deterministic else relaxation_bound(meeting_model.model, time_limit=seconds))
                relaxed = _with_relaxation(meeting_model, expression, sense, relaxed, name, note)
        if obvious is not None:  # counts of firms: maximised
            relaxed = obvious if relaxed is None else min(relaxed, obvious)
        remaining = budget.limit * (1 - AFTER_LEVELS_SHARE) - budget.spent()
        # Parts are a plaza's buyers (tables) with the buyers wishing the same firms: there they
        # beat the whole model (Daegu: 1,609-1,612 against 1,597-1,602 of 1,613 in 60 s); in a
        # teleconference week a buyer has two or three wishes over five days and the whole model
        # does better (1,247 against 1,245), unless it is too large to search at all.
        by_parts = (level == "priority" and placements is not None and (relaxed is not None or pending is not None)
                    and (problem.kind == "plaza" or not whole))
        # Too large to search whole: the parts get 70 % (a month ended at 92 s of 120 with them at
        # 50 %; at 80 % its idle gaps, re-solved day by day after them, had 8 s and kept 9 of 12,
        # at 70 % they had 15 s and reached 0).
        share = ((0.5 if whole else 0.7) if by_parts else 0.75) if position == 0 else 1.0 / max(1, live)
        share_of_level = (max(budget.units(0.5), remaining * share) if position < len(order) - 1
                          else max(budget.units(0.5), remaining))
        level_end = budget.spent() + share_of_level
        known = relaxed if floor is None else floor if relaxed is None else max(relaxed, floor)
        reporter.proven = known
        status, solver = None, None
        # A schedule at a proven bound needs no search (HiGHS proves the smaller events whole).
        settled = placements is not None and known is not None and _level_value(problem, placements, level, sense) == known
        # The comfort level's bound, solved beside its search. It only needs the levels that
        # count meetings, so it starts as soon as they are settled, during the levels between
        # (on a month, given only the comfort level's own time, it was often not solved in it).
        if not stop.deterministic:
            ahead = next((q for q in range(max(1, position), len(order))
                          if counts_only(order[q]) and comfort_applies(level_weights(order[q]))), None)
            if (ahead is not None and ahead not in early_comfort
                    and not any(level_weights(lv).keys() & MEETING_COUNTS for lv in order[position:ahead])):
                early_comfort[ahead] = relaxation_bound_beside(
                    comfort_by_day(meeting_model, level_weights(order[ahead]), _settled_counts(order, terms)),
                    time_limit=budget.left())
        comfort: Future | None = early_comfort.pop(position, None)
        if comfort is None and position > 0 and counts_only(level) and comfort_applies(level_weights(level)):
            # Deterministic: solved now, stopped by iterations: the same bound on any machine.
            relaxation = comfort_by_day(meeting_model, level_weights(level), _settled_counts(order, terms))
            comfort = Future()
            comfort.set_result(relaxation_bound(relaxation, iteration_limit=LP_ITERATIONS[lp_backend(relaxation)]))
        if position > 0 and placements is not None and _about_seating(level):
            # Who interprets and on which floor, with every meeting kept at its time: a model a
            # few percent of the whole one's size, so even a month gets a real search (before,
            # a month too large to search kept 62 floor changes where greedy had 4).
            # It gets 2 s even when the levels before took all of theirs (on the month they left it
            # 0.5 s, too little to improve on 1,584; given 3 s it proved 1,135, no floor changes).
            amount = max(share_of_level / 2 if whole else share_of_level, budget.units(2.0))
            placements, tables, best_for_times = _reseated(problem, placements, tables, order, terms, stop, budget,
                                                    amount, reporter)
            meeting_model.hint(placements, tables)
            note(f"{name}: {_level_value(problem, placements, level, sense):,} with every meeting kept at its time"
                 + (" (the best there is for those times)" if best_for_times else ""))
        if (position > 0 and placements is not None and not settled and counts_only(level)
                and comfort_applies(level_weights(level)) and repeats()):
            # The level's seats and busiest interpreter with alike days folded (alike_days.py) and
            # the levels that count meetings kept: HiGHS proves the month's 1,145 there in 6 s, the
            # schedule's own value after the re-seat, where the relaxation by day's bound is 1,069.
            amount = min(level_end - budget.spent(), max(budget.units(2.0), share_of_level * FOLDED_SHARE))
            folded_bound = _folded_comfort_bound(problem, alike(), level, order, terms, placements, budget, amount,
                                                 stop)
            if folded_bound is not None:
                floor = known = reporter.proven = _at_least(folded_bound, known)
                settled = _level_value(problem, placements, level, sense) == known
                note(f"{name}: bound {folded_bound:,} from alike days folded")
        if (position > 0 and placements is not None and not settled and (_about_seating(level) or not whole)
                and retime_applies(problem, level, order[:position])):
            # Each day re-solved alone, its meetings free to change times (days.py): the KOTRA
            # week's comfort went from 366 to 364 in 12 s, where the whole model took 37 s to 365;
            # a month's idle gaps from 13 to 0 in 12 s (it had only the polish). It stops once
            # every day is proven; the whole model goes on from there. Not for the week's idle
            # gaps: its days alone kept 4, where the same meetings free to change days reach 0.
            # The comfort level's bound, solved beside, keeps a quarter of the level (on a month
            # given only what the earlier levels left, it was not solved when the days took all).
            before = _level_value(problem, placements, level, sense)
            placements = retime_days(
                problem, placements, level, order[:position],
                lambda chosen, lv: _level_value(problem, chosen, lv, level_sense(lv)), budget,
                until=level_end - (share_of_level / 4 if whole or comfort is not None else 0),
                workers=stop.workers, seed=stop.seed,
                report=lambda chosen: reporter.on_value(_level_value(problem, chosen, level, sense)))
            meeting_model.hint(placements, tables)
            value = _level_value(problem, placements, level, sense)
            note(f"{name}: {value:,} with each day re-solved" + ("" if value < before else " (no better)"))
        if comfort is not None and comfort.done():
            floor = known = reporter.proven = _at_least(_comfort_result(comfort, name, note), known)
            comfort = None
            settled = placements is not None and known is not None and _level_value(problem, placements, level,
                                                                                      sense) == known
        if by_patterns:
            # A day at the floor is optimal; a proof that there is none raises the floor by one.
            outcome = search_patterns(problem, meeting_model, budget, share_of_level * PATTERN_SHARE,
                                      workers=stop.workers, seed=stop.seed)
            if outcome is not None:
                floor = max(floor, outcome.floor)
                reporter.proven = floor
                if outcome.placements is not None and _keeps_levels(problem, outcome.placements, order, terms):
                    placements = outcome.placements
                    settled = True
                    reporter.on_value(_level_value(problem, placements, level, sense))
                note(f"{name}: " + ("a day at the participants' own bounds" if settled
                                    else f"no day at the participants' own bounds found; bound {floor:,}"))
        # Where the patterns apply, CP-SAT's first look is left out: its bound is the floor, and
        # if the patterns found no day, the annealed search needs the time more (the 100-
        # participant day ended at 145 idle gaps, greedy's 144, after a slow pattern search and a
        # first look left it 0.5 s).
        if by_kempe and not settled:
            # The same meetings re-timed by Kempe chains under annealing (compact.py), each with its
            # own interpreters: Daegu's idle gaps went from 304 to 84 in 2 s, where CP-SAT's
            # searches ended at 137-139 after 17 s. Where the whole model is not searched after
            # it (the expo), it has the rest of the level.
            amount = max(budget.units(KEMPE_SECONDS),
                         share_of_level * KEMPE_SHARE if whole else level_end - budget.spent())
            # Where the earlier levels only count meetings, a meeting may also give way to a request of
            # the same priority that keeps every firm's meetings as those levels need them.
            keep = meetings_to_keep(problem, placements, earlier) if counted_before else None
            # An event of several days has them dealt between the workers, each part searched in a
            # process of its own (the expo, 120 s: 543 idle gaps, where one search of both days
            # ended at 1,022); one day is searched from as many seeds as there are workers.
            found = compact_in_parallel(problem, placements, budget.deadline(amount, KEMPE_STEPS_PER_UNIT),
                                        seed=stop.seed, floor=known or 0, tables=tables, keep=keep,
                                        workers=stop.workers)
            value = _level_value(problem, placements, level, sense)
            if _keeps_levels(problem, found, order, terms) and _level_value(problem, found, level, sense) < value:
                placements = found
                value = _level_value(problem, placements, level, sense)
                meeting_model.hint(placements, tables)
                reporter.on_value(value)
            settled = known is not None and value == known
            note(f"{name}: {value:,} after the idle-gap search")
        if (position > 0 and whole and searchable and not settled and not by_patterns and not by_compact
                and not by_kempe and placements is not None and polish):
            # The same meetings, only their times (and seats) to choose: a far smaller search, which
            # keeps every earlier level that counts meetings. The KOTRA week's idle gaps: 0, the
            # level's floor, in 4.3 s, where the whole model stayed at 20-22 for 26 s from the same start.
            # Not for comfort, whose re-seat above already keeps the times: on Daegu this search found
            # nothing in 7 s and left the whole model no time for its bound (295). Not after a
            # plaza's Kempe search either: on Daegu it kept that search's 41 (5.7 s) and 40 (8 s).
            # It stops at the floor, so a larger share costs nothing where it gets there: from the
            # week's polished day it needed 11.3-14.7 s (seeds 0-3), more than half its level's 25 s.
            amount = max(budget.units(0.5), min(share_of_level * SAME_MEETINGS_SHARE, level_end - budget.spent()))
            status, solver = _search(meeting_model, level, amount, stop, budget, reporter, later=True,
                                     only=frozenset(p.task for p in placements))
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                placements = meeting_model.placements(solver.value)
                tables = meeting_model.tables(solver.value)
                meeting_model.hint(placements, tables)
            status, solver = None, None  # what it proved holds for these meetings only
            value = _level_value(problem, placements, level, sense)
            settled = known is not None and value == known
            note(f"{name}: {value:,} with the same meetings" + (" (the level's bound)" if settled else ""))
        if whole and not settled and not by_patterns:
            # Small events are proven here at once; larger ones get a first look before the parts.
            amount = (min(share_of_level / 10, budget.units(3.0)) if by_parts
                      else min(share_of_level / 4, budget.units(2.0)) if by_compact else share_of_level)
            # Within the level's share, whatever the re-seat took (the Daegu plaza ended at 61.9 s
            # of 60 when the comfort level's search got its whole share after the re-seat).
            amount = max(budget.units(0.5), min(amount, level_end - budget.spent()))
            if by_compact and position > 0:
                # Presolve stays on: without it the core search's bound on a 78-participant day
                # after the priority levels was -43 instead of 3. The model is small.
                _complete_hint(meeting_model.model, budget, amount / 4)
            status, solver = _search(meeting_model, level, amount, stop, budget, reporter,
                                     later=position > 0 and not by_compact)
            if status == cp_model.INFEASIBLE:
                if position == 0:
                    return _infeasible(problem, _diagnose(problem), budget)
                break  # cannot happen: the previous solution satisfies every fixed term
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                placements = meeting_model.placements(solver.value)
                tables = meeting_model.tables(solver.value)
        if (by_parts and status != cp_model.OPTIMAL
                and (relaxed is None or _level_value(problem, placements, level, sense) < relaxed)):
            # Too large to prove in one piece: re-solve parts exactly (neighbourhood.py), then let
            # the whole model try to close the proof from there.

            def bound_now() -> int | None:  # the relaxation's, once solved
                if relaxed is None and pending is not None and pending.done() and pending.result() is not None:
                    reporter.proven = integral_bound(pending.result(), sense)
                return relaxed if relaxed is not None else reporter.proven
            placements = improve_priority(
                problem, placements, tables, budget, until=level_end - (share_of_level / 5 if whole else 0),
                seed=stop.seed, workers=stop.workers, bound=bound_now,
                report=lambda value: reporter.on_value(value))
            note(f"{name}: {_level_value(problem, placements, level, sense):,} after re-solving parts")
            if pending is not None:
                relaxed = _with_relaxation(meeting_model, expression, sense, pending.result(), name, note)
                reporter.proven = known = relaxed
            meeting_model.hint(placements, tables)
            status, solver = None, None
            if whole and _level_value(problem, placements, level, sense) < relaxed:
                status, solver = _search(meeting_model, level, level_end - budget.spent(), stop, budget, reporter)
                if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                    placements = meeting_model.placements(solver.value)
                    tables = meeting_model.tables(solver.value)
        first_bound = floor
        if by_compact and status != cp_model.OPTIMAL and not settled:
            if status == cp_model.FEASIBLE:
                first_bound = max(first_bound or 0, math.ceil(solver.best_objective_bound - 1e-6))
            allowance = budget.deadline((level_end - budget.spent()) / 2, KEMPE_STEPS_PER_UNIT)
            placements = compact(problem, placements, allowance, seed=stop.seed, floor=first_bound or 0)
            value = _level_value(problem, placements, level, sense)
            reporter.on_value(value)
            note(f"{name}: {value:,} after the idle-gap search")
            meeting_model.hint(placements, tables)
            _complete_hint(meeting_model.model, budget, budget.units(1.0))  # start CP-SAT at that day
            status, solver = None, None
            if first_bound is None or value > first_bound:
                status, solver = _search(meeting_model, level, level_end - budget.spent(), stop, budget, reporter)
                if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                    placements = meeting_model.placements(solver.value)
                    tables = meeting_model.tables(solver.value)
        if placements is None:
            return _infeasible(problem, {
                t.index: f"required, but no schedule placing every required meeting was found "
                         f"within {stop.time_limit:g} s (not proven impossible)"
                for t in problem.tasks if t.required}, budget)
        if comfort is not None:  # solved by now, or given until the level's end
            floor = _at_least(_comfort_result(comfort, name, note, max(0.0, level_end - budget.spent())), floor)
        value = _level_value(problem, placements, level, sense)
        bound = None
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            value = round(solver.objective_value)  # what was proven; _recount compares the schedule
            bound = solver.best_objective_bound
            bound = math.floor(bound + 1e-6) if sense == "max" else math.ceil(bound - 1e-6)
        for known in (relaxed, first_bound, floor):
            if known is not None:
                bound = known if bound is None else min(bound, known) if sense == "max" else max(bound, known)
        # A search that found nothing better keeps the current schedule: its value is attainable.
        proven = status == cp_model.OPTIMAL or value == bound
        terms.append(Term(name, sense, value, bound, proven, budget.elapsed()))
        note(f"{name}: {value:,} " + ("(proven best)" if proven else f"(bound {bound:,})" if bound is not None
                                       else "(no bound)"))
        if position < len(order) - 1 and expression is not None:
            meeting_model.no_worse(expression, sense, value)
            meeting_model.hint(placements, tables)
    assert placements is not None
    occupancy = Occupancy(problem, tables)
    for placement in placements:
        occupancy.place(placement)
    proven = len(terms) == len(order) and all(t.proven for t in terms)
    if not proven:
        _fill_in(problem, occupancy)  # a stopped search may leave a request that still fits
        if any(not t.proven and "interpreter changes" in t.name for t in terms):
            amount = max(0.0, min(budget.units(3.0), budget.limit / 20, budget.left() / 2))
            reduce_floor_changes(problem, occupancy, budget.deadline(amount / 2))
            reduce_interpreter_moves(problem, occupancy, budget.deadline(amount / 2))
    placed = {p.task for p in occupancy.placements}
    reasons = explain(problem, occupancy, [t for t in problem.tasks if t.index not in placed])
    final = tuple(assign_booths(problem, occupancy.placements, occupancy.tables))
    terms = _recount(problem, final, order, terms)
    proven = len(terms) == len(order) and all(t.proven for t in terms)
    return Result(
        status=Status.OPTIMAL if proven else Status.FEASIBLE,
        placements=final, reasons=reasons, terms=tuple(terms), seconds=budget.elapsed(),
        figures=_figures(problem, final, terms, budget), work=budget.work, wall_stopped=budget.wall_stopped,
    )


def _search(meeting_model: MeetingModel, level, amount: float, stop: Stop, budget: Budget, reporter: _Reporter,
            later: bool = False, only: frozenset[int] | None = None):
    """One CP-SAT run on the whole model for a level, allowed ``amount`` of the budget:
    (status, solver). ``later``: an earlier level was settled, so the hint is a complete schedule.
    ``only``: exactly these meetings take place (:meth:`MeetingModel.with_only`); the status and
    bound are then those of that narrower search, not of the level."""
    model = meeting_model.model if only is None else meeting_model.with_only(only)
    solver = cp_model.CpSolver()
    if stop.gap > 0:
        solver.parameters.relative_gap_limit = stop.gap
    idle = level in ("idle gaps", "idle gaps (plain model)")
    if idle and stop.workers <= 2:
        # A sum of run-start literals: the core-based search bounds it as MaxSAT solvers do
        # and an LP-free worker finds schedules; the default two-worker portfolio runs
        # neither, and its bound stays below zero (measured in benchmarks/README.md).
        solver.parameters.subsolvers.extend(["core", "no_lp"])
    if later:
        # Presolving the whole model again takes longer than a later level's share on the KOTRA
        # week (every later level ended with nothing found); without it, from the complete hint,
        # "firms met" is proven (73 of 73) and "least-served firm" found in about 3 s each.
        solver.parameters.cp_model_presolve = False
        spent = budget.spent()
        _complete_hint(model, budget, amount / 2)
        amount -= budget.spent() - spent
    if only is None:
        solver.best_bound_callback = reporter.on_bound
    with reporter.narrowed_search() if only is not None else nullcontext():
        return budget.run(solver, model, amount, stop.workers, stop.seed, reporter), solver


def _needs_seats(level) -> bool:
    """Whether the level weighs where interpreters sit (only the seated model states it)."""
    return "interpreter changes" in level_weights(level)


def _worse(value: int, than: int, sense: str) -> bool:
    return value < than if sense == "max" else value > than


def _about_seating(level) -> bool:
    """Whether the level weighs who interprets and where (what :func:`_reseated` changes)."""
    return bool(INTERPRETER_TERMS & level_weights(level).keys())


def _reseated(problem: Problem, placements: list[Placement], tables: dict[int, str], order, terms: list[Term],
              stop: Stop, budget: Budget, amount: float, reporter: _Reporter):
    """The current level re-solved with every meeting kept at its time, so that only the
    interpreters and the booths' floors change (every earlier level that weighs them keeps its
    value; the others cannot change): (placements, tables, whether that is proven best)."""
    part = MeetingModel(problem, kept_times={p.task: p.start for p in placements})
    position = len(terms)
    for level, term in zip(order[:position], terms):
        if _about_seating(level):
            _keep_level(part, level, term)
    expression, sense = build_level(part, order[position])
    part.optimise(expression, sense)
    part.hint(placements, tables)
    solver = cp_model.CpSolver()
    with reporter.narrowed_search():
        status = budget.run(solver, part.model, amount, stop.workers, stop.seed, reporter)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return placements, tables, False
    found = part.placements(solver.value)
    level = order[position]
    before, after = (_level_value(problem, p, level, sense) for p in (placements, found))
    if _worse(after, before, sense):
        # Stopped before it repaired the hint (a search's first schedule need not be the hint).
        return placements, tables, False
    return found, part.tables(solver.value), status == cp_model.OPTIMAL


def _with_relaxation(model: MeetingModel, expression, sense: str, relaxed: float | None, name: str,
                     note: Callable[[str], None]) -> int | None:
    """The relaxation's bound, rounded to the level's integers and handed to ``model`` as a cut."""
    if relaxed is None:
        note(f"{name}: no linear relaxation bound in its share of the limit; CP-SAT's own bound stands")
        return None
    relaxed = integral_bound(relaxed, sense)
    model.no_better(expression, sense, relaxed)
    note(f"{name}: linear relaxation bound {relaxed:,}")
    return relaxed


def _at_least(bound: int | None, known: int | None) -> int | None:
    """The stronger of two lower bounds, either of which may be missing."""
    return known if bound is None else bound if known is None else max(bound, known)


def _settled_counts(order, terms: list[Term]) -> list[tuple[str, int]]:
    """The settled plain levels and their values, for the comfort bound (it keeps those that
    count meetings)."""
    return [(lv, t.value) for lv, t in zip(order, terms) if isinstance(lv, str)]


def _comfort_result(comfort: Future, name: str, note: Callable[[str], None], timeout: float = 0.0) -> int | None:
    """The comfort level's bound (comfort_bound.py), once its relaxation is solved."""
    try:
        relaxed = comfort.result(timeout=timeout)
    except TimeoutError:
        note(f"{name}: the relaxation by day was not solved in the level's time")
        return None
    if relaxed is None:
        return None
    bound = integral_bound(relaxed, "min")
    note(f"{name}: bound {bound:,} from the relaxation by day")
    return bound


def _keep_level(model: MeetingModel, level, term: Term) -> None:
    """A settled level stays at its value (or better) in another model of the event."""
    model.no_worse(*build_level(model, level), term.value)


def _seated_model(problem: Problem, order, terms: list[Term]) -> MeetingModel:
    """The event with interpreters seated, and every settled level kept."""
    seated = MeetingModel(problem)
    for level, term in zip(order, terms):
        _keep_level(seated, level, term)
    return seated


def _note_model(model: MeetingModel, note: Callable[[str], None]) -> None:
    pooled = sum(1 for members in model.pools if len(members) > 1)
    interpreters = (f"{len(model.seat):,} interpreter seats" if model.seating
                    else f"{len(model.flow):,} interpreter counts")
    note(f"model: {len(model.choices):,} placement choices, {interpreters}"
         + (f" ({pooled} pools of interchangeable interpreters)" if pooled else ""))


def _by_mip(problem: Problem, counted: MeetingModel, level, sense: str, placements: list[Placement],
            tables: dict[int, str], budget: Budget, amount: float, reporter: _Reporter, stop: Stop):
    """The level, as ``counted`` states it (objective and hint set), solved by HiGHS: (placements,
    tables, proven bound or None) with the better schedule of the two, or None when HiGHS cannot
    take the model."""
    outcome = _run_mip(counted.model, budget, amount, stop, on_value=reporter.on_value, on_bound=reporter.on_bound,
                       options=LEVEL_MIP_OPTIONS)
    if outcome is None:
        return None
    if outcome.values is not None:
        found = counted.placements(lambda v: outcome.values[v.index])
        before, after = (_level_value(problem, p, level, sense) for p in (placements, found))
        if not _worse(after, before, sense):
            placements, tables = found, counted.tables(lambda v: outcome.values[v.index])
    return placements, tables, outcome.bound


def _by_folding(problem: Problem, alike, level, sense: str, placements: list[Placement], tables: dict[int, str],
                budget: Budget, amount: float, reporter: _Reporter, stop: Stop, order, terms: list[Term]):
    """The level on the event with alike days folded (alike_days.py), the levels settled before
    it kept, solved by HiGHS and spread back over the days: (placements, tables, the folded
    optimum if HiGHS proved it, else None), with the better schedule of the spread one (if it
    keeps the settled levels) and ``placements``."""
    folded = Folded(problem, alike)
    folded.keep(_settled_counts(order, terms))
    folded.model.optimise(build_level(folded.model, level)[0], sense)
    folded.model.hint(folded.fold(placements), tables)
    start = budget.spent()
    outcome = _run_mip(folded.model.model, budget, amount, stop, on_bound=reporter.on_bound,
                       options=LEVEL_MIP_OPTIONS)
    if outcome is None or outcome.values is None:
        return placements, tables, None
    chosen = folded.chosen(lambda v: outcome.values[v.index])
    spread = folded.spread(chosen, level, budget, max(budget.units(1.0), start + amount - budget.spent()),
                           stop.workers, stop.seed)
    if spread is not None:
        found, found_tables, _ = spread
        if (_worse(_level_value(problem, placements, level, sense), _level_value(problem, found, level, sense), sense)
                and _keeps_levels(problem, found, order, terms)):
            placements, tables = found, found_tables
            reporter.on_value(_level_value(problem, placements, level, sense))
    return placements, tables, outcome.bound if outcome.proven else None


def _folded_comfort_bound(problem: Problem, alike, level, order, terms: list[Term], placements: list[Placement],
                          budget: Budget, amount: float, stop: Stop) -> int | None:
    """A lower bound on a comfort level from the event with alike days folded (Folded.comfort),
    HiGHS's bound within ``amount``, starting from ``placements`` folded; or None."""
    folded = Folded(problem, alike)
    folded.comfort(level_weights(level), _settled_counts(order, terms))
    folded.model.hint(folded.fold(placements), {})
    outcome = _run_mip(folded.model.model, budget, amount, stop, options=LEVEL_MIP_OPTIONS)
    return None if outcome is None else outcome.bound


def _run_mip(model: cp_model.CpModel, budget: Budget, amount: float, stop: Stop, on_value=None, on_bound=None,
             complete: bool = True, options: dict | None = None):
    """``model`` solved by HiGHS (mip.py) within ``amount`` of the budget: its outcome, or None.
    ``complete``: first complete a partial hint (HiGHS starts only from a complete one). A
    deterministic budget stops HiGHS by its node count (the clock only as the safety) and is
    charged HiGHS's counted work."""
    if complete and len(model.proto.solution_hint.vars) < len(model.proto.variables):
        _complete_hint(model, budget, budget.units(1.0))  # HiGHS starts only from a complete one
    if budget.deterministic:
        seconds = amount / WORK_PER_SECOND  # the seconds the work stands for
        outcome = solve_mip(model, max(1.0, SAFETY * budget.seconds - budget.elapsed()),
                            on_value=on_value, on_bound=on_bound, gap=stop.gap,
                            threads=stop.workers, nodes=max(1, int(MIP_NODES_PER_SECOND * seconds)),
                            options=options)
        budget.charge_mip(outcome)
        return outcome
    return solve_mip(model, max(0.5, amount - budget.units(1.0)), on_value=on_value, on_bound=on_bound,
                     gap=stop.gap, threads=stop.workers, options=options)


def _least_served_by_tests(problem: Problem, order, terms: list[Term], placements: list[Placement],
                           tables: dict[int, str], most: int | None, budget: Budget, level_end: float,
                           reporter: _Reporter, stop: Stop, folded: Folded | None = None):
    """The least-served firm raised one meeting at a time: "at least k meetings each" holds at the
    settled priority if HiGHS, maximising priority with every firm at k or more (and the other
    settled levels kept), reaches it, and is proven impossible if its bound falls short.
    (placements, tables, proven bound or None). The tests share a model of their own: with
    priority also kept as a row, HiGHS took 9.5 s for what it otherwise does in 2. With
    ``folded``, the tests are asked of the event with alike days folded (a relaxation: a test it
    fails, the event fails), and a test it passes is taken only if its meetings spread over
    their days."""
    priority = next(t.value for level, t in zip(order, terms) if level == "priority")
    value = measure(problem, placements, "least-served firm")
    base = MeetingModel(problem, seating=False) if folded is None else folded.model
    for level, term in zip(order, terms):
        if level != "priority":
            _keep_level(base, level, term)
    least = build_level(base, "least-served firm")[0]
    base.model.maximize(build_level(base, "priority")[0])
    bound = None
    while most is None or value < most:
        if level_end - budget.spent() < budget.units(1.0):
            break
        test = base.model.clone()
        test.add(least >= value + 1)
        outcome = _run_mip(test, budget, level_end - budget.spent(), stop, complete=False)
        if outcome is None:
            break
        if outcome.value is not None and outcome.value >= priority:
            if folded is None:
                placements = base.placements(lambda v: outcome.values[v.index])
                tables = base.tables(lambda v: outcome.values[v.index])
            else:
                spread = folded.spread(folded.chosen(lambda v: outcome.values[v.index]), "priority", budget,
                                       max(budget.units(1.0), level_end - budget.spent()), stop.workers, stop.seed)
                if spread is None or not spread[2]:
                    break  # it holds folded, but not every meeting found a day: neither way proven
                placements, tables, _ = spread
            value = measure(problem, placements, "least-served firm")
            reporter.on_value(value)
            continue
        if outcome.bound is not None and outcome.bound < priority:
            bound = value  # one more each would cost priority
        break
    return placements, tables, bound


def _at_pairing_bound(problem: Problem, meeting_model: MeetingModel, placements: list[Placement],
                      tables: dict[int, str], stop: Stop, budget: Budget):
    """(placements, tables, bound): a schedule at the pairing bound, found with every choice of
    which meetings fixed, or None when the schedule so far is not within ``PAIRING_WITHIN`` of the
    bound or none was found in time."""
    pairing = best_pairing(meeting_model, {p.task for p in placements}, budget, budget.units(PAIRING_SECONDS))
    value = _level_value(problem, placements, "priority", "max")
    if pairing is None or value < pairing.bound * (1 - PAIRING_WITHIN):
        return None
    if value == pairing.bound:
        return placements, tables, pairing.bound
    solver = cp_model.CpSolver()
    # Only times are left to choose, from a schedule that has nearly all these meetings, and no
    # objective: local search alone finds it. On the KOTRA week: 0.12-0.2 s on one or two workers,
    # interleaved (deterministic) or not. The default portfolio took 5.2 s of presolve, then 0.3 s;
    # without presolve 0.5-0.6 s on two workers, but 30 s on one or interleaved.
    solver.parameters.cp_model_presolve = False
    solver.parameters.use_ls_only = True
    model = meeting_model.with_only(pairing.tasks, objective=False)
    if budget.run(solver, model, budget.units(PAIRING_SECONDS), stop.workers, stop.seed) not in (
            cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return meeting_model.placements(solver.value), meeting_model.tables(solver.value), pairing.bound


def _complete_hint(model: cp_model.CpModel, budget: Budget, amount: float) -> None:
    """Hint every variable, the level's own included: the hint names the meetings and seats
    only, and from that partial hint CP-SAT found no schedule at all for the idle-gap level in
    10 s (KOTRA week), though fixing the hinted variables completes it at once."""
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.cp_model_presolve = False  # the fixed meetings decide the rest by propagation
    if budget.run(solver, model, amount) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return  # keep the partial hint
    values = [solver.value(model.get_int_var_from_proto_index(i)) for i in range(len(model.proto.variables))]
    model.clear_hints()
    for i, value in enumerate(values):
        model.add_hint(model.get_int_var_from_proto_index(i), value)


def _any_schedule(meeting_model: MeetingModel, stop: Stop, budget: Budget, amount: float):
    solver = cp_model.CpSolver()
    solver.parameters.stop_after_first_solution = True
    if budget.run(solver, meeting_model.model, amount, stop.workers, stop.seed) not in (cp_model.OPTIMAL,
                                                                                      cp_model.FEASIBLE):
        return None
    return meeting_model.placements(solver.value), meeting_model.tables(solver.value)


def _polished(problem: Problem, placements: list[Placement], tables: dict[int, str], budget: Budget,
              amount: float) -> list[Placement]:
    occupancy = Occupancy(problem, tables)
    for placement in placements:
        occupancy.place(placement)
    reduce_idle_gaps(problem, occupancy, budget.deadline(amount))
    return list(occupancy.placements)


def _fill_in(problem: Problem, occupancy: Occupancy) -> None:
    placed = {p.task for p in occupancy.placements}
    for task in sorted(problem.tasks, key=lambda t: (-t.priority, t.index)):
        if task.index not in placed:
            placement = occupancy.first_fit(task)
            if placement is not None:
                occupancy.place(placement)


def _nothing_to_search(problem: Problem, level) -> bool:
    """A level of interpreter terms only, at an event without interpreters: always 0."""
    return not problem.linguists and level_weights(level).keys() <= INTERPRETER_TERMS


def _keeps_levels(problem: Problem, placements, order, terms: list[Term]) -> bool:
    """Whether a schedule keeps every settled level at its value (or better)."""
    for level, term in zip(order, terms):
        if _worse(_level_value(problem, placements, level, term.sense), term.value, term.sense):
            return False
    return True


def _level_value(problem: Problem, placements, level, sense: str) -> int:
    if isinstance(level, str):
        return measure(problem, placements, level)
    return sum((1 if sense_of(name) == sense else -1) * weight * measure(problem, placements, name)
               for name, weight in level.items())


def _recount(problem: Problem, placements: tuple[Placement, ...], order, terms: list[Term]) -> list[Term]:
    """Level values measured on the final schedule (the fill-in pass may have added meetings, and
    naming pool members may walk more than the fewest moves counted): a level stays proven only
    where the schedule has the very value that was proven."""
    recounted = []
    for level, t in zip(order, terms):
        value = _level_value(problem, placements, level, t.sense)
        proven = (t.proven and value == t.value) or value == t.bound  # a value at its bound is proven too
        recounted.append(Term(t.name, t.sense, value, t.bound, proven, t.seconds))
    return recounted


def _figures(problem: Problem, placements: tuple[Placement, ...], terms: list[Term], budget: Budget) -> dict:
    measured = measure_all(problem, placements)
    figures: dict = {
        "idle_gaps": measured["idle gaps"],
        "relays": sum(1 for p in placements if len(p.interpreters) == 2),
        "terms": {name.replace(" ", "_").replace("-", "_"): value for name, value in measured.items()
                  if name in MEASURES},
        "objective": [{"level": t.name, "sense": t.sense, "value": t.value, "bound": t.bound, "proven": t.proven,
                       "seconds": round(t.seconds, 2) if t.seconds is not None else None} for t in terms],
    }
    if budget.deterministic:
        # The work spent is part of what repeats; a run cut by the wall clock may not repeat.
        figures["work_units"] = round(budget.work, 3)
        figures["deterministic"] = not budget.wall_stopped
    priority = next((t for t in terms if t.name == "priority"), None)
    if priority is not None and priority.gap is not None:
        figures["priority_gap"] = round(priority.gap, 6)
    return figures


def _infeasible(problem: Problem, reasons: dict[int, str], budget: Budget) -> Result:
    others = {t.index: "not attempted: the required meetings cannot all be placed (see the required ones)"
              for t in problem.tasks if t.index not in reasons}
    return Result(Status.INFEASIBLE, (), {**others, **reasons}, (), budget.elapsed(), work=budget.work,
                  wall_stopped=budget.wall_stopped)


def _diagnose(problem: Problem) -> dict[int, str]:
    """Find a small set of required meetings that cannot all take place, and say what they share."""
    model = MeetingModel(problem, required_as_assumptions=True)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = 30  # work, not seconds: the same answer on any machine
    solver.parameters.max_time_in_seconds = 120  # a safety only
    solver.solve(model.model)
    core = [model.assumption_of[i] for i in solver.sufficient_assumptions_for_infeasibility()
            if i in model.assumption_of]
    if not core:
        core = [t.index for t in problem.tasks if t.required]
    names = [problem.tasks[i] for i in core]
    shared = _shared_resources(problem, names)
    reasons = {}
    for task in names:
        others = [_title(problem, t) for t in names if t.index != task.index]
        if others:
            reasons[task.index] = (f"required, but it cannot take place together with the required meetings "
                                   f"{', '.join(others)}{shared}")
        else:
            reasons[task.index] = f"required, but it cannot take place with the other constraints{shared}"
    return reasons


def _title(problem: Problem, task) -> str:
    a, b = (problem.people[p].id for p in task.people)
    return f"{b}-{a}" if problem.kind != "brokerage" else f"{a}-{b}"


def _shared_resources(problem: Problem, tasks) -> str:
    people = Counter(p for t in tasks for p in t.people)
    busy = [problem.people[p].id for p, n in people.items() if n > 1]
    linguists = None
    for task in tasks:
        used = {i for o in task.options for i in o}
        if used:
            linguists = used if linguists is None else linguists & used
    parts = []
    if busy:
        parts.append(f"{', '.join(sorted(busy))} cannot be in all of them in the time available")
    if linguists:
        parts.append(f"they need the same interpreters ({', '.join(sorted(problem.linguists[i].id for i in linguists))})")
    return (": " + "; ".join(parts)) if parts else ""
