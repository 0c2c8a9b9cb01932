"""Who and what is taken when, for a partial schedule: the greedy baseline, the fill-in pass
and the unscheduled-reason finder all ask the same question, "does this placement fit?"."""

from __future__ import annotations

from collections import Counter, defaultdict

from scheduler.model.problem import Problem, Task
from scheduler.solve.result import Placement


class Occupancy:
    def __init__(self, problem: Problem, tables: dict[int, str] | None = None):
        self.problem = problem
        self.person_busy: dict[int, set[int]] = defaultdict(set)
        self.person_count: Counter[int] = Counter()
        self.linguist_busy: dict[int, set[int]] = defaultdict(set)
        self.linguist_day_count: Counter[tuple[int, int]] = Counter()
        # Per booth pool and slot, the meetings in its booths (in a pool inside it included):
        # counted as placed, since asking each pool's sum at every step was most of greedy's time
        # on a month.
        self.pool_use: Counter[tuple[int, int]] = Counter()
        # Plaza: the table of each buyer (person index), fixed or chosen.
        self.tables: dict[int, str] = dict(problem.fixed_tables if tables is None else tables)
        self._placed: dict[Placement, None] = {}  # in the order placed; removal is O(1)

    @property
    def placements(self):
        """What is placed, in the order it was placed (a live view: copy it to change the
        occupancy while going through it)."""
        return self._placed.keys()

    def table_of(self, task: Task) -> str | None:
        return next((self.tables[p] for p in task.people if p in self.tables), None)

    def _at_cap(self, person: int) -> bool:
        cap = self.problem.people[person].record.max_meetings
        return cap is not None and self.person_count[person] >= cap

    def linguist_at_cap(self, linguist: int, day: int) -> bool:
        cap = self.problem.linguists[linguist].record.max_meetings
        return cap is not None and self.linguist_day_count[(linguist, day)] >= cap

    def linguist_taken(self, linguist: int, day: int, span: range) -> bool:
        """Whether the interpreter is at its cap on ``day`` or busy at some slot of ``span``."""
        return self.linguist_at_cap(linguist, day) or bool(self.linguist_busy[linguist].intersection(span))

    def interpreters_taken(self, linguists: tuple[int, ...], span: range) -> bool:
        """Whether one of ``linguists`` is busy at some slot of ``span`` or at its daily cap."""
        day = self.problem.slot_day(span.start)
        return any(self.linguist_taken(i, day, span) for i in linguists)

    def linguists_unavailable(self, span: range) -> frozenset[int]:
        """Interpreters busy at some slot of ``span``, or at their daily cap on its day."""
        day = self.problem.slot_day(span.start)
        return frozenset(i for i in range(len(self.problem.linguists)) if self.linguist_taken(i, day, span))

    def booths_full(self, booth_class: int, span: range) -> bool:
        problem, use = self.problem, self.pool_use
        for pool in problem.booth_pools_around[booth_class]:
            capacity = problem.booth_classes[pool].capacity
            if any(use[(pool, t)] >= capacity(t) for t in span):
                return True
        return False

    def reserved_table(self, task: Task, span: range) -> str | None:
        if not self.problem.table_blocked:
            return None
        table = self.table_of(task)
        if table is not None and self.problem.table_blocked.get(table, frozenset()).intersection(span):
            return table
        return None

    def fits(self, task: Task, start: int, option: int, booth_class: int | None) -> bool:
        span = range(start, start + task.length)
        return not (any(self._at_cap(p) or self.person_busy[p].intersection(span) for p in task.people)
                    or self.interpreters_taken(task.options[option], span)
                    or (booth_class is not None and self.booths_full(booth_class, span))
                    or self.reserved_table(task, span) is not None)

    def place(self, placement: Placement) -> None:
        task = self.problem.tasks[placement.task]
        span = range(placement.start, placement.start + task.length)
        for person in task.people:
            self.person_busy[person].update(span)
            self.person_count[person] += 1
        day = self.problem.slot_day(placement.start)
        for linguist in placement.interpreters:
            self.linguist_busy[linguist].update(span)
            self.linguist_day_count[(linguist, day)] += 1
        if placement.booth_class is not None:
            for t in span:
                for pool in self.problem.booth_pools_around[placement.booth_class]:
                    self.pool_use[(pool, t)] += 1
        self._placed[placement] = None

    def remove(self, placement: Placement) -> None:
        task = self.problem.tasks[placement.task]
        span = range(placement.start, placement.start + task.length)
        for person in task.people:
            self.person_busy[person].difference_update(span)
            self.person_count[person] -= 1
        day = self.problem.slot_day(placement.start)
        for linguist in placement.interpreters:
            self.linguist_busy[linguist].difference_update(span)
            self.linguist_day_count[(linguist, day)] -= 1
        if placement.booth_class is not None:
            for t in span:
                for pool in self.problem.booth_pools_around[placement.booth_class]:
                    self.pool_use[(pool, t)] -= 1
        del self._placed[placement]

    def first_fit(self, task: Task) -> Placement | None:
        """The earliest start, then the cheapest interpreter option, then the first booth class.
        The same answer as trying :meth:`fits` on each in turn, with each rule asked once where
        it does not depend on the later choices (this is the greedy baseline's hot path)."""
        if any(self._at_cap(person) for person in task.people):
            return None
        for start in task.starts:
            span = range(start, start + task.length)
            if any(self.person_busy[p].intersection(span) for p in task.people) or self.reserved_table(task, span):
                continue
            booth_class = next((c for c in task.classes if not self.booths_full(c, span)), None)
            if task.classes and booth_class is None:
                continue
            # Each interpreter asked once per start: a relay's options pair the same few people
            # many times over (interpreters_taken, one interpreter at a time).
            day = self.problem.slot_day(start)
            taken: dict[int, bool] = {}
            for option in task.options_at.get(start, ()):
                for i in task.options[option]:
                    if i not in taken:
                        taken[i] = self.linguist_taken(i, day, span)
                    if taken[i]:
                        break
                else:
                    return Placement(task.index, start, task.options[option], booth_class)
        return None


def greedy_tables(problem: Problem) -> dict[int, str]:
    """Plaza tables for buyers the file leaves free: unreserved tables first, so a reserved table
    goes to whoever is left."""
    if problem.kind != "plaza":
        return {}
    tables = dict(problem.fixed_tables)
    free = sorted(problem.free_tables, key=lambda t: (len(problem.table_blocked.get(t, ())), t))
    for person in problem.people:
        if person.role == "buyer" and person.index not in tables:
            tables[person.index] = free.pop(0)
    return tables
