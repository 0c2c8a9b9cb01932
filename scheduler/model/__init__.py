"""Input model: the event file, its time grid and languages. Knows nothing of solving."""

from scheduler.model.errors import EventError, Problem
from scheduler.model.event import Event
from scheduler.model.load import LoadedEvent, load_event
from scheduler.model.schedule_file import ScheduleFile, load_schedule

__all__ = ["Event", "EventError", "LoadedEvent", "Problem", "ScheduleFile", "load_event", "load_schedule"]
