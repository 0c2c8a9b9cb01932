"""The time-indexed CP-SAT model.

One Boolean per (request, start slot, interpreter option, booth class) that
the compiled problem allows: availability, request windows, pinned starts and
fixed tables are kept by construction, because a variable exists only where
they hold. The remaining rules are constraint families, one method each,
applied in the order of :data:`MeetingModel.FAMILIES`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.model.problem import Problem
from scheduler.solve.result import Placement


@dataclass(frozen=True)
class Choice:
    task: int
    start: int
    option: int  # index into task.options
    booth_class: int | None
    var: cp_model.IntVar


class MeetingModel:
    FAMILIES = (
        "each_request_at_most_once",
        "required_meetings_placed",
        "nobody_double_booked",
        "interpreter_in_one_place",
        "one_meeting_per_booth",
        "reserved_tables_kept_free",
        "caps_kept",
    )

    def __init__(self, problem: Problem, required_as_assumptions: bool = False):
        self.problem = problem
        self.model = cp_model.CpModel()
        self.required_as_assumptions = required_as_assumptions
        self.assumption_of: dict[int, cp_model.IntVar] = {}  # literal -> task, for diagnosis
        self.choices: list[Choice] = []
        self.by_task: dict[int, list[Choice]] = defaultdict(list)
        self.by_person_slot: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
        self.by_linguist_slot: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
        self.by_linguist_day: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
        self.by_class_slot: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
        self.table_choice: dict[tuple[int, str], cp_model.IntVar] = {}  # (buyer person, reserved table)
        self.plain_table: dict[int, cp_model.IntVar] = {}
        self._variables()
        for family in self.FAMILIES:
            getattr(self, family)()

    # -- variables -----------------------------------------------------------------------------

    def _variables(self) -> None:
        problem = self.problem
        for task in problem.tasks:
            for start in task.starts:
                span = range(start, start + task.length)
                for option in task.options_at.get(start, ()):
                    for booth_class in task.classes or (None,):
                        if booth_class is not None:
                            cls = problem.booth_classes[booth_class]
                            if any(cls.capacity(t) == 0 for t in span):
                                continue
                        var = self.model.new_bool_var(f"m{task.index}_s{start}_o{option}_c{booth_class}")
                        choice = Choice(task.index, start, option, booth_class, var)
                        self.choices.append(choice)
                        self.by_task[task.index].append(choice)
                        day = problem.slot_day(start)
                        for t in span:
                            for person in task.people:
                                self.by_person_slot[(person, t)].append(var)
                            for linguist in task.options[option]:
                                self.by_linguist_slot[(linguist, t)].append(var)
                            if booth_class is not None:
                                self.by_class_slot[(booth_class, t)].append(var)
                        for linguist in task.options[option]:
                            self.by_linguist_day[(linguist, day)].append(var)

    def placed(self, task: int) -> cp_model.LinearExpr:
        return sum(c.var for c in self.by_task[task])

    def busy(self, person: int, slot: int) -> cp_model.LinearExpr:
        return sum(self.by_person_slot.get((person, slot), []))

    # -- constraint families --------------------------------------------------------------------

    def each_request_at_most_once(self) -> None:
        for task in self.problem.tasks:
            if not task.required:
                self.model.add_at_most_one(c.var for c in self.by_task[task.index])

    def required_meetings_placed(self) -> None:
        """Required (and pinned) requests take place exactly once."""
        for task in self.problem.tasks:
            if not task.required:
                continue
            constraint = self.model.add_exactly_one(c.var for c in self.by_task[task.index])
            if self.required_as_assumptions:
                literal = self.model.new_bool_var(f"required_{task.index}")
                constraint.only_enforce_if(literal)
                self.model.add_at_most_one(c.var for c in self.by_task[task.index])
                self.assumption_of[literal.index] = task.index
                self.model.add_assumption(literal)

    def nobody_double_booked(self) -> None:
        for variables in self.by_person_slot.values():
            if len(variables) > 1:
                self.model.add_at_most_one(variables)

    def interpreter_in_one_place(self) -> None:
        for variables in self.by_linguist_slot.values():
            if len(variables) > 1:
                self.model.add_at_most_one(variables)

    def one_meeting_per_booth(self) -> None:
        """Teleconference and brokerage: meetings in a booth class never outnumber its free booths."""
        for (booth_class, slot), variables in self.by_class_slot.items():
            capacity = self.problem.booth_classes[booth_class].capacity(slot)
            if len(variables) > capacity:
                self.model.add(sum(variables) <= capacity)

    def reserved_tables_kept_free(self) -> None:
        """Plaza: a buyer whose table the file leaves open may get a table that is reserved at
        times; then it has no meeting at those times. Unreserved free tables are interchangeable."""
        problem = self.problem
        if problem.kind != "plaza":
            return
        reserved = [t for t in problem.free_tables if problem.table_blocked.get(t)]
        open_buyers = [p.index for p in problem.people if p.role == "buyer" and p.index not in problem.fixed_tables]
        if not reserved or not open_buyers:
            return
        plain_count = len(problem.free_tables) - len(reserved)
        for buyer in open_buyers:
            self.plain_table[buyer] = self.model.new_bool_var(f"plain_table_{buyer}")
            for table in reserved:
                var = self.model.new_bool_var(f"table_{buyer}_{table}")
                self.table_choice[(buyer, table)] = var
                for slot in problem.table_blocked[table]:
                    self.model.add(self.busy(buyer, slot) + var <= 1)
            self.model.add_exactly_one([self.plain_table[buyer], *(self.table_choice[(buyer, t)] for t in reserved)])
        for table in reserved:
            self.model.add_at_most_one(self.table_choice[(b, table)] for b in open_buyers)
        self.model.add(sum(self.plain_table.values()) <= plain_count)

    def caps_kept(self) -> None:
        """max_meetings: over the whole event for buyers, firms and participants; per venue day
        for interpreters (a relay counts for both)."""
        problem = self.problem
        for person in problem.people:
            cap = person.record.max_meetings
            tasks = problem.tasks_of(person.index)
            if cap is not None and len(tasks) > cap:
                self.model.add(sum(self.placed(t.index) for t in tasks) <= cap)
        for (linguist, _day), variables in self.by_linguist_day.items():
            cap = problem.linguists[linguist].record.max_meetings
            if cap is not None and len(variables) > cap:
                self.model.add(sum(variables) <= cap)

    # -- reading a solution ------------------------------------------------------------------

    def placements(self, value) -> list[Placement]:
        """``value`` maps a variable to 0/1 (a solver or a callback's ``boolean_value``)."""
        found = []
        for choice in self.choices:
            if value(choice.var):
                task = self.problem.tasks[choice.task]
                found.append(Placement(choice.task, choice.start, task.options[choice.option], choice.booth_class))
        return found

    def tables(self, value) -> dict[int, str]:
        """Plaza: the table each buyer keeps, given the solution's choice of reserved tables."""
        problem = self.problem
        if problem.kind != "plaza":
            return {}
        tables = dict(problem.fixed_tables)
        for (buyer, table), var in self.table_choice.items():
            if value(var):
                tables[buyer] = table
        taken = set(tables.values())
        plain = [t for t in problem.free_tables if t not in taken and not problem.table_blocked.get(t)]
        rest = [t for t in problem.free_tables if t not in taken and problem.table_blocked.get(t)]
        spare = plain + rest
        for person in problem.people:
            if person.role == "buyer" and person.index not in tables:
                tables[person.index] = spare.pop(0)
        return tables

    def hint(self, placements: list[Placement], tables: dict[int, str]) -> None:
        chosen = {(p.task, p.start, p.interpreters, p.booth_class) for p in placements}
        self.model.clear_hints()
        for choice in self.choices:
            option = self.problem.tasks[choice.task].options[choice.option]
            self.model.add_hint(choice.var, (choice.task, choice.start, option, choice.booth_class) in chosen)
        for (buyer, table), var in self.table_choice.items():
            self.model.add_hint(var, tables.get(buyer) == table)
        for buyer, var in self.plain_table.items():
            self.model.add_hint(var, tables.get(buyer) not in {t for (_, t) in self.table_choice})
