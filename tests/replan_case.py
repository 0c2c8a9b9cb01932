"""The replan tests' hand-written case: a one-morning plaza (slots at 09:00, 09:30, 10:00 and
10:30) and a published baseline, shared by the solve, render and command-line tests.

The tables are swapped in the baseline (B1 at T02, B2 at T01) to show a buyer keeps its table.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

DAY = "2026-06-18"

EVENT = {
    "event": {"name": "Replan Plaza", "kind": "plaza", "timezone": "Asia/Seoul", "meeting_minutes": 30,
              "days": [{"date": DAY, "open": "09:00", "close": "11:00"}]},
    "booths": {"count": 2, "prefix": "T"},
    "buyers": [{"id": "B1", "name": "B One", "languages": ["en"]},
               {"id": "B2", "name": "B Two", "languages": ["en"]}],
    "firms": [{"id": "F1", "name": "F One", "languages": ["en"]},
              {"id": "F2", "name": "F Two", "languages": ["en"]},
              {"id": "F3", "name": "F Three", "languages": ["en"]}],
    "requests": [{"buyer": "B1", "firm": "F1"}, {"buyer": "B1", "firm": "F2"},
                 {"buyer": "B2", "firm": "F2"}, {"buyer": "B2", "firm": "F3"}],
}


def meeting(buyer, firm, booth, clock, interpreters=()):
    hour, minute = map(int, clock.split(":"))
    end_hour, end_minute = divmod(hour * 60 + minute + 30, 60)
    return {"buyer": buyer, "firm": firm, "booth": booth, "start": f"{DAY}T{clock}:00+09:00",
            "end": f"{DAY}T{end_hour:02d}:{end_minute:02d}:00+09:00", "interpreters": list(interpreters)}


BASELINE = {
    "event": "Replan Plaza", "status": "feasible",
    "meetings": [meeting("B1", "F1", "T02", "09:00"), meeting("B1", "F2", "T02", "09:30"),
                 meeting("B2", "F2", "T01", "09:00"), meeting("B2", "F3", "T01", "09:30")],
    "unscheduled": [],
    "stats": {"requested": 4, "scheduled": 4, "priority_requested": 12, "priority_scheduled": 12,
              "solve_seconds": 0.1},
}


def write_case(tmp_path: Path, event: dict, baseline: dict = BASELINE) -> tuple[Path, Path]:
    event_file, baseline_file = tmp_path / "event.yaml", tmp_path / "baseline.json"
    event_file.write_text(yaml.safe_dump(event, sort_keys=False), encoding="utf-8")
    baseline_file.write_text(json.dumps(baseline), encoding="utf-8")
    return event_file, baseline_file
