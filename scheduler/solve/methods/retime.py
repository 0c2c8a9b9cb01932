"""Each day re-solved alone, its meetings free to change times (days.py): for comfort, and for
idle gaps on events too large to search whole."""

from __future__ import annotations

from scheduler.solve.model.objective import level_sense
from scheduler.solve.pipeline.level import Found, LevelRun, Method, level_value
from scheduler.solve.searches.days import retime_days


def _run(run: LevelRun) -> Found:
    problem, level, sense, reporter = run.problem, run.level, run.sense, run.reporter
    before = run.value()
    # The comfort level's bound, solved beside, keeps a quarter of the level, as does the whole
    # model's search after the days.
    placements = retime_days(
        problem, run.placements, level, run.order[:run.position],
        lambda chosen, lv: level_value(problem, chosen, lv, level_sense(lv)), run.budget,
        until=run.end - (run.share / 4 if run.whole or run.comfort is not None else 0),
        workers=run.stop.workers, seed=run.stop.seed,
        report=lambda chosen: reporter.on_value(level_value(problem, chosen, level, sense)))
    value = run.value(placements)
    return Found(placements, note=f"{run.name}: {value:,} with each day re-solved"
                                  + ("" if value < before else " (no better)"))


RETIME_DAYS = Method("days re-solved alone", _run, ready=lambda run: run.placements is not None and not run.settled)
