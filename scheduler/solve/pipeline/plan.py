"""Which methods serve a level, and in what order: the one table that decides it.

Each row is a method (scheduler/solve/methods/) and the events and levels it serves, stated on
the level's :class:`Shape`. A level runs the rows whose condition holds, in the table's order;
when its turn comes, a method still checks that it has something to do (its ``ready``: the
level not yet at a proven bound, no bound found yet where it would find one). Rows in
``OPENING`` run before the level's share of the time is set (a quick start and bounds that may
settle it at once); rows in ``SEARCH`` run within that share. Adding a method, or a level such as
fewest changes to a published schedule, is one module in methods/ and one row here.

The figures behind each threshold are in benchmarks/README.md ("How the solver chooses").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from scheduler.model.problem import Problem
from scheduler.solve.bounds.comfort import applies as comfort_applies
from scheduler.solve.methods.changes_parts import CHANGES_PARTS
from scheduler.solve.methods.comfort import COMFORT_COLLECTED, COMFORT_RELAXATION
from scheduler.solve.methods.cpsat import CPSAT
from scheduler.solve.methods.folding import FOLDED_COMFORT_BOUND, FOLDED_HIGHS
from scheduler.solve.methods.highs import HIGHS, RELAXATION_ONES
from scheduler.solve.methods.kempe import KEMPE, KEMPE_DAY
from scheduler.solve.methods.least_served import HIGHS_TESTS_FOLDED, HIGHS_TESTS_WHOLE, LEAST_SERVED_PARTS
from scheduler.solve.methods.obvious import OBVIOUS_BOUND
from scheduler.solve.methods.pairing import PAIRING_BOUND
from scheduler.solve.methods.parts import PARTS
from scheduler.solve.methods.patterns import PATTERNS
from scheduler.solve.methods.polish import IDLE_GAP_POLISH
from scheduler.solve.methods.questions import QUESTIONS
from scheduler.solve.methods.relaxation import RELAXATION
from scheduler.solve.methods.reseat import RESEAT
from scheduler.solve.methods.retime import RETIME_DAYS
from scheduler.solve.methods.same_meetings import SAME_MEETINGS
from scheduler.solve.model.objective import CHANGES, MEETING_COUNTS, PARTLY_MODELLED, counts_only, level_weights
from scheduler.solve.pipeline.level import Method, about_seating, needs_seats
from scheduler.solve.searches.days import applies as retime_applies
from scheduler.solve.searches.kempe import applies as brokerage_day_applies
from scheduler.solve.searches.patterns import applies as patterns_apply

# Up to this many placement choices, CP-SAT searches the whole model; beyond, its presolve alone
# outlasts a minute on two workers, and only parts are solved.
WHOLE_MODEL_UP_TO = 100_000
# From this many placement choices, the first level also gets the linear relaxation's bound.
LP_BOUND_FROM = 2000
# Up to this many placement choices, a count to make fewer is asked at its bound before it is
# searched: on generated events of up to about a thousand the questions proved what minimising did
# not; on rooms and plazas of 2,400 and more the first was not answered in a second or two.
QUESTIONS_UP_TO = 2000
# HiGHS takes a level that only says which meetings take place when, on the model with counted
# interpreters, up to this many of its variables: beyond, its presolve alone runs past the limit
# on the months and expos; below, it proved the ten-day rooms' priority where CP-SAT's search
# ended short (benchmarks/README.md, "How the solver chooses": HiGHS on a level).
MIP_UP_TO = 100_000
# The levels HiGHS takes. Not idle gaps (its bound stays below zero), nor the least-served firm
# as a level (its tests below prove it where the max-min level does not). A replan's fewest
# changes, which only asks which meetings take place when, too.
MIP_TERMS = frozenset({"priority", "firms met", "fewest changes"})
# The levels decided on the folded model. Not the least-served firm: a max-min that HiGHS leaves
# unproven on a folded month; nor fewest changes, which asks for particular days.
FOLDED_LEVELS = frozenset({"priority", "firms met"})


@dataclass(frozen=True)
class Shape:
    """What the plan knows of an event and a level when the level starts."""

    kind: str  # plaza | teleconference | brokerage
    level: str | Mapping[str, int]
    position: int  # 0 for the first level
    choices: int  # placement choices in the meeting model
    variables: int  # the meeting model's variables, the level's own included
    seated: bool  # the model seats interpreters (else it counts them)
    searchable: bool  # the model states the level (a level about seats needs the seated model)
    have_schedule: bool  # a schedule with every required meeting is known
    all_placed: bool  # and it places every request
    counted_before: bool  # every earlier level only counts meetings
    priority_before: bool  # priority is an earlier level
    days: int
    brokerage_day_fits: bool  # the brokerage day's Kempe search applies (kempe.applies)
    patterns_fit: bool  # the busy-pattern search applies (patterns.applies)
    retime_fits: bool  # days re-solved alone apply (days.applies)
    kinds_of_days: Callable[[], int]  # how many kinds of days, alike ones counted once (found when asked)
    after_changes: bool = False  # a replan's fewest changes is an earlier level

    @property
    def terms(self) -> frozenset[str]:
        return frozenset(level_weights(self.level))

    @property
    def later(self) -> bool:
        return self.position > 0

    @property
    def whole(self) -> bool:
        """Small enough for CP-SAT to search the whole model."""
        return self.choices < WHOLE_MODEL_UP_TO

    def repeats(self) -> bool:
        """Some days are alike, so the event folds."""
        return self.kinds_of_days() < self.days

    @property
    def brokerage_day(self) -> bool:
        """A brokerage day's idle gaps with every meeting placed: CP-SAT, then Kempe chains."""
        return "idle gaps" in self.terms and self.have_schedule and self.all_placed and self.brokerage_day_fits

    @property
    def by_patterns(self) -> bool:
        return self.brokerage_day and self.level == "idle gaps" and self.patterns_fit

    @property
    def idle_gaps_retimed(self) -> bool:
        """A plaza's or teleconference room's idle gaps after the levels that place meetings: Kempe
        chains re-time them."""
        return (self.level == "idle gaps" and self.kind in ("plaza", "teleconference") and self.later
                and self.have_schedule)

    @property
    def plaza_idle_gaps(self) -> bool:
        return self.idle_gaps_retimed and self.kind == "plaza"

    @property
    def comfort(self) -> bool:
        """A later level of interpreter comfort terms, whose relaxation by day bounds it."""
        return self.later and counts_only(self.level) and comfort_applies(level_weights(self.level))

    @property
    def least_served_tests(self) -> bool:
        return self.level == "least-served firm" and not self.seated and self.priority_before

    @property
    def small(self) -> bool:
        """HiGHS takes the model whole."""
        return self.variables <= MIP_UP_TO

    def folds_small(self) -> bool:
        """Folded, the model is about as small as HiGHS takes whole (the variables' share of the
        kinds of days); larger, a test may not be answered in its time."""
        return (not self.small and self.counted_before and self.repeats()
                and self.variables * self.kinds_of_days() <= MIP_UP_TO * self.days)


def searched_whole(model) -> bool:
    """Whether CP-SAT searches the whole meeting model (else only parts of it)."""
    return len(model.choices) < WHOLE_MODEL_UP_TO


Row = tuple[Method, Callable[[Shape], bool]]

OPENING: tuple[Row, ...] = (
    (IDLE_GAP_POLISH, lambda s: "idle gaps" in s.terms and s.have_schedule and not s.brokerage_day
     # The Kempe search takes the polish's time too where the whole model is not searched.
     and (s.whole or not s.idle_gaps_retimed)),
    (PAIRING_BOUND, lambda s: s.terms == {"priority"}),
    (OBVIOUS_BOUND, lambda s: s.searchable),
    (HIGHS, lambda s: s.terms <= MIP_TERMS and not s.seated and s.small),
    # Beyond that, priority still gets the race of the relaxations and their ones fixed (the model's
    # own program at a plaza, the plain program in a teleconference room): the simplex and the small
    # program left with the ones fixed end where the whole MIP, or the folded one, would not.
    (RELAXATION_ONES, lambda s: s.level == "priority" and s.position == 0 and s.kind != "brokerage"
     and not s.seated and not s.small),
    (HIGHS_TESTS_WHOLE, lambda s: s.least_served_tests and s.small),
    (HIGHS_TESTS_FOLDED, lambda s: s.least_served_tests and s.folds_small()),
    (LEAST_SERVED_PARTS, lambda s: s.least_served_tests and not s.small and not s.folds_small()
     and s.counted_before),
    (FOLDED_HIGHS, lambda s: not s.whole and s.terms <= FOLDED_LEVELS and s.counted_before and s.repeats()),
    # On a brokerage day the patterns' floor is the relaxation's bound anyway.
    (RELAXATION, lambda s: s.position == 0 and s.choices >= LP_BOUND_FROM and not s.by_patterns),
)

SEARCH: tuple[Row, ...] = (
    (COMFORT_RELAXATION, lambda s: s.comfort),
    (RESEAT, lambda s: s.later and s.have_schedule and about_seating(s.level)),
    (FOLDED_COMFORT_BOUND, lambda s: s.comfort and s.have_schedule and s.repeats()),
    # Not after fewest changes: a day re-solved alone would not see the published meetings of the others.
    (RETIME_DAYS, lambda s: s.later and (about_seating(s.level) or not s.whole) and s.retime_fits
     and not s.after_changes),
    (COMFORT_COLLECTED, lambda s: s.comfort),
    (PATTERNS, lambda s: s.by_patterns),
    # A count to make fewer asked at its bound before it is searched, on a small model. Not a
    # brokerage day, which has its own questions (the patterns and a SAT solver).
    (QUESTIONS, lambda s: s.choices <= QUESTIONS_UP_TO and s.searchable and s.have_schedule and counts_only(s.level)
     and not s.brokerage_day and not PARTLY_MODELLED & s.terms),
    # In a teleconference room CP-SAT with the same meetings goes on from the chains' day.
    (KEMPE, lambda s: s.idle_gaps_retimed),
    # Not for comfort, whose re-seat keeps the times already, nor after a plaza's Kempe search.
    (SAME_MEETINGS, lambda s: s.later and s.whole and s.searchable and "idle gaps" in s.terms
     and not s.brokerage_day and not s.plaza_idle_gaps),
    (CPSAT, lambda s: s.whole and not s.by_patterns),
    # Parts are a plaza's buyers with the buyers wishing the same firms: there they beat the
    # whole model; elsewhere the whole model does better, unless it is too large to search.
    (PARTS, lambda s: s.level == "priority" and (s.kind == "plaza" or not s.whole)),
    (CHANGES_PARTS, lambda s: s.level == CHANGES and not s.whole and s.have_schedule),
    (KEMPE_DAY, lambda s: s.brokerage_day),
)


def plan(shape: Shape) -> tuple[tuple[Method, ...], tuple[Method, ...]]:
    """The methods that serve a level of this shape: (opening, search), each in order."""
    return (tuple(method for method, serves in OPENING if serves(shape)),
            tuple(method for method, serves in SEARCH if serves(shape)))


def shape_of(problem: Problem, model, level, position: int, order, placements, kinds_of_days) -> Shape:
    """The level's shape, read off the event, the meeting model and the schedule so far."""
    earlier = {term for lv in order[:position] for term in level_weights(lv)}
    return Shape(
        kind=problem.kind, level=level, position=position, choices=len(model.choices),
        variables=len(model.model.proto.variables), seated=model.seating,
        searchable=model.seating or not needs_seats(level),
        have_schedule=placements is not None,
        all_placed=placements is not None and len(placements) == len(problem.tasks),
        counted_before=earlier <= MEETING_COUNTS,
        priority_before=any(lv == "priority" for lv in order[:position]),
        days=len(problem.grid.days),
        brokerage_day_fits=brokerage_day_applies(problem), patterns_fit=patterns_apply(problem),
        retime_fits=retime_applies(problem, level, order[:position]),
        kinds_of_days=kinds_of_days, after_changes=CHANGES in earlier)
