"""Busy patterns of one person's day: which sets of slots hold its one-slot meetings, in how many runs.

A run is a stretch of back-to-back slots of one venue day (consecutive in the day's slots, so two
slots either side of a break with no slot in it are back to back, as in the idle-gap measure).
"""

from __future__ import annotations

# Past this many patterns, enumerating is given up (the callers then fall back or skip).
PATTERN_LIMIT = 30_000


def patterns(day_slots: tuple[int, ...], allowed: set[int], busy: int, most_runs: int,
             limit: int = PATTERN_LIMIT) -> list[tuple[int, ...]] | None:
    """Every set of ``busy`` slots of ``allowed`` (slots of one day, in order) in at most
    ``most_runs`` runs of consecutive slots, or None when there are more than ``limit``."""
    order = [t for t in day_slots if t in allowed]
    position = {t: i for i, t in enumerate(day_slots)}
    found: list[tuple[int, ...]] = []

    def extend(first: int, left: int, runs_left: int, taken: list[int]) -> bool:
        if left == 0:
            found.append(tuple(taken))
            return len(found) <= limit
        if runs_left == 0:
            return True
        for start in order:
            if position[start] < first:
                continue
            run = []
            t = start
            while len(run) < left and t in allowed:
                run.append(t)
                # A run of this length, then the next run at least one slot later.
                if not extend(position[t] + 2, left - len(run), runs_left - 1, taken + run):
                    return False
                following = position[t] + 1
                if following >= len(day_slots):
                    break
                t = day_slots[following]
        return True

    if not extend(0, busy, most_runs, []):
        return None
    return found


def fits(starts: list, pattern: tuple[int, ...]) -> bool:
    """Whether meetings with these allowed starts (one collection per meeting) can take the
    pattern's slots, one each (a bipartite matching by augmenting paths)."""
    slots = set(pattern)
    holder: dict[int, int] = {}

    def place(i: int, seen: set[int]) -> bool:
        for start in starts[i]:
            if start in slots and start not in seen:
                seen.add(start)
                if start not in holder or place(holder[start], seen):
                    holder[start] = i
                    return True
        return False

    return all(place(i, set()) for i in range(len(starts)))


def runs_of(day_slots: tuple[int, ...], pattern: tuple[int, ...]) -> int:
    """Runs of back-to-back slots in a pattern of one day."""
    position = {t: i for i, t in enumerate(day_slots)}
    places = sorted(position[t] for t in pattern)
    return sum(1 for i, p in enumerate(places) if i == 0 or places[i - 1] != p - 1)
