"""Solving: the compiled problem to a solver-neutral result.

Knows the model layer, nothing of rendering. Grouped by role:

- ``model/``: the meeting model (CP-SAT's time-indexed model), the objective terms built on it
  and measured in plain Python, and who is taken when (occupancy);
- ``bounds/``: proven bounds (the pairing bound, the linear relaxation, the comfort relaxation by
  day, alike days folded, HiGHS);
- ``searches/``: schedules found (greedy, polish, Kempe chains, busy patterns, parts, days);
- ``methods/``: each of those in the one shape a level's plan calls;
- ``pipeline/``: ``solve()``, the plan that says which method serves which level, the budget,
  and the finishing passes (reasons, booths).
"""

from scheduler.solve.pipeline.level import Stop
from scheduler.solve.pipeline.solver import planned, solve
from scheduler.solve.result import Placement, Result, Status, Term, to_schedule
from scheduler.solve.searches.greedy import greedy

__all__ = ["Placement", "Result", "Status", "Stop", "Term", "greedy", "planned", "solve", "to_schedule"]
