"""Solving: CP-SAT over the compiled problem, a greedy baseline, and a solver-neutral result.

Knows the model layer, nothing of rendering.
"""

from scheduler.solve.searches.greedy import greedy
from scheduler.solve.result import Placement, Result, Status, Term, to_schedule
from scheduler.solve.solver import Stop, solve

__all__ = ["Placement", "Result", "Status", "Stop", "Term", "greedy", "solve", "to_schedule"]
