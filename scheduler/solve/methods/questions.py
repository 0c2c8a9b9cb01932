"""A level that counts things to make fewer, asked as a question at its bound: "a schedule with at
most that many?" A no raises the bound by one and the question is asked there; a yes is a schedule
at the bound, the optimum.

Minimising, CP-SAT raises the bound of an idle-gap or comfort level one conflict at a time, and on
small events it often never leaves the floor: a 20-request teleconference room ended its idle-gap
level at 2 against a bound of 0 after 27 s, where the questions "at most 0?" and "at most 1?" were
each refuted in about 0.1 s. Asked first, the questions settle such levels before the searches
begin; on larger events the first is not answered in its time and the searches have the rest
(benchmarks/README.md, "How the solver chooses": questions at the bound).
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.solve.pipeline.level import Found, LevelRun, Method

# Share of the level for the questions, all of them together, and the least they get (seconds, in
# the budget's units): on small events each is answered in about a tenth of a second, and at a
# short limit a tenth of the level is less than two answers.
QUESTIONS_SHARE = 0.1
QUESTIONS_LEAST = 0.5


def _run(run: LevelRun) -> Found | None:
    budget = run.budget
    allowance = min(max(run.share * QUESTIONS_SHARE, budget.units(QUESTIONS_LEAST)), run.left())
    began = budget.spent()
    refuted = 0
    while not run.settled:
        left = allowance - (budget.spent() - began)
        if left <= 0:
            break
        bound = run.known
        question = run.model.model.clone()
        question.clear_objective()
        # The schedule so far, the model's hint, is above the bound: no start for the question.
        # Kept, with interleaved workers (a repeatable solve) CP-SAT 9.15 aborts the process on a
        # question it refutes ("heuristics.fixed_search != nullptr").
        question.clear_hints()
        question.add(run.expression <= bound)
        solver = cp_model.CpSolver()
        status = budget.run(solver, question, left, run.stop.workers, run.stop.seed)
        if status == cp_model.INFEASIBLE:
            run.raise_floor(bound + 1)
            run.check_settled()
            refuted += 1
            continue
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            run.adopt(run.model.placements(solver.value), run.model.tables(solver.value))
            run.reporter.on_value(run.value())
            run.check_settled()
        break
    if run.settled:
        return Found(note=f"{run.name}: {run.value():,}, no schedule with fewer (asked at the bound)")
    if refuted:
        return Found(note=f"{run.name}: no schedule with fewer than {run.known:,} (asked at the bound)")
    return None


QUESTIONS = Method("questions at the bound", _run,
                   ready=lambda run: run.placements is not None and not run.settled and run.known is not None)
