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

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scheduler.solve.pipeline.level import Stop
    from scheduler.solve.pipeline.solver import planned, solve
    from scheduler.solve.result import Placement, Result, Status, Term, to_schedule
    from scheduler.solve.searches.greedy import greedy

# Where each name is, imported when first asked for: a process spawned to search a part of the
# work (a SAT solver beside a brokerage day, a part of the days, HiGHS) imports the modules it
# needs, not the whole solver with CP-SAT and pandas (benchmarks/README.md, "Processes of their
# own").
_WHERE = {"Stop": "pipeline.level", "planned": "pipeline.solver", "solve": "pipeline.solver",
          "Placement": "result", "Result": "result", "Status": "result", "Term": "result",
          "to_schedule": "result", "greedy": "searches.greedy"}

__all__ = ["Placement", "Result", "Status", "Stop", "Term", "greedy", "planned", "solve", "to_schedule"]


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_WHERE[name]}"), name)
