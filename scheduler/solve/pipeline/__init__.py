"""``solve()``: the plan of methods per level, the budget, the levels in turn, and the finishing passes."""
