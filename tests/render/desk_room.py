"""A small teleconference room over two days and two floors, and a plan for it, for the desk grid's tests."""

from __future__ import annotations

from pathlib import Path

from scheduler.model.schedule_file import ScheduleFile
from scheduler.output import write_atomically
from scheduler.render import render_documents

ROOM = """\
event:
  name: Desk Test Room
  kind: teleconference
  timezone: Asia/Seoul
  meeting_minutes: 60
  days:
    - {date: 2026-10-23, open: "07:00", close: "12:30", breaks: [{start: "10:00", end: "10:30", label: Tea}]}
    - {date: 2026-10-26, open: "07:00", close: "10:00"}
booths:
  - {id: TC01, name: Booth 1, floor: 1}
  - {id: TC02, name: Booth 2, floor: 1}
  - {id: TC11, name: Booth 11, floor: 2}
buyers:
  - {id: LAX1, name: Maria Gomez, company: Pacific Beauty, country: US, languages: [en], timezone: America/Los_Angeles}
  - {id: BER1, name: Jonas Weber, company: Berlin Haushalt, country: DE, languages: [en], timezone: Europe/Berlin}
firms:
  - {id: F1, name: "Gyeongsan Precision Hydraulic Pump Manufacturing Co., Ltd.", languages: [en]}
  - {id: F2, name: Pohang Rice Noodle, languages: [en]}
  - {id: F3, name: Hanbit Cosmetics, languages: [en]}
reservations:
  - {booth: TC11, date: 2026-10-23, start: "11:30", end: "12:30", label: Online job fair}
"""


def meeting(buyer, firm, booth, day, start, end):
    return {"buyer": buyer, "firm": firm, "booth": booth, "start": f"{day}T{start}:00+09:00",
            "end": f"{day}T{end}:00+09:00", "interpreters": []}


FRI, MON = "2026-10-23", "2026-10-26"
PLAN = [
    meeting("LAX1", "F1", "TC01", FRI, "07:00", "08:00"),
    meeting("LAX1", "F2", "TC02", FRI, "08:00", "09:00"),
    meeting("BER1", "F2", "TC01", FRI, "09:00", "10:00"),
    meeting("LAX1", "F3", "TC01", FRI, "10:30", "11:30"),
    meeting("BER1", "F3", "TC11", FRI, "08:00", "10:00"),  # two slots, one cell
    meeting("BER1", "F1", "TC02", MON, "08:00", "09:00"),
]


def schedule_of(event, meetings) -> ScheduleFile:
    return ScheduleFile.model_validate({
        "event": event.event.name, "status": "feasible", "meetings": meetings, "unscheduled": [],
        "stats": {"requested": len(meetings), "scheduled": len(meetings), "priority_requested": 0,
                  "priority_scheduled": 0, "solve_seconds": 0.0},
    })


def publish(folder: Path, event, meetings) -> None:
    files = dict(render_documents(event, schedule_of(event, meetings)))
    files["schedule.json"] = schedule_of(event, meetings).to_json()
    write_atomically(folder, files)
