"""Capacity planning: how many interpreters (and tables) an event needs, proven, before anyone is hired.

Sits beside the solver, above it: it reads the event (scheduler/model), extends it with candidate
interpreters, and asks the meeting model (scheduler/solve) for the fewest that keep a placement
target; the marginal values and the curve come from re-solving priority with the roster changed.

- ``profiles.py``: language profiles (the set of languages an interpreter bridges, hours, cap),
  read off the roster or given as ``ko+ru[,09:00-13:00][,8]``, and checked against the requests;
- ``hiring.py``: the targets, and the hiring model: one "hired members" count per interpreter
  pool, bounding its seats at every slot and its meetings every day, minimised;
- ``marginal.py``: priority and firms met with one more or one fewer of a profile (re-solves), the
  curve of the scarcest profile, and the bottleneck in words;
- ``rooms.py``: the fewest tables (plaza) or booths per floor and day that keep the target;
  ``booth_bound.py`` its proven bound for booths (a small relaxation HiGHS solves), and
  ``booth_days.py`` the booths a schedule with its times fixed needs per floor and day;
- ``page.py``: the console table and ``capacity.html`` (a matplotlib chart, inline).
"""
