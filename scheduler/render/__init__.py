"""Rendering: agendas, desk grids, the index page and calendars from a finished schedule.

Reads the model and a schedule file; knows nothing of solving.
"""

from scheduler.render.documents import render_documents

__all__ = ["render_documents"]
