"""Input errors that say which file, where in it, and what is wrong."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, e.g. ``requests[12].buyer: no buyer 'B999'``."""

    file: str
    where: str
    message: str

    def __str__(self) -> str:
        place = f"{self.where}: " if self.where else ""
        return _visible(f"{self.file}: {place}{self.message}")


def _visible(text: str) -> str:
    """One line, every character seen: a control or invisible character (a stray carriage return, a
    zero-width space in an id) is written as its escape."""
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


class EventError(Exception):
    """Raised with every problem found, so a coordinator can fix them in one pass."""

    def __init__(self, problems: list[Problem]):
        self.problems = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in problems))


def where(loc: tuple[object, ...] | list[object]) -> str:
    """``("requests", 12, "buyer")`` -> ``"requests[12].buyer"``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


@dataclass
class Locator:
    """Turns a place in the merged event data back into a file and a place in it."""

    event_file: str
    csv_files: dict[str, str] = field(default_factory=dict)

    def problem(self, loc: tuple[Any, ...] | list[Any], message: str) -> Problem:
        loc = tuple(loc)
        if loc and loc[0] in self.csv_files:
            name = self.csv_files[loc[0]]
            if len(loc) >= 2 and isinstance(loc[1], int):
                place = f"row {loc[1] + 2}"
                if len(loc) >= 3:
                    place += f", column {where(loc[2:])}"
                return Problem(name, place, message)
            return Problem(name, "", message)
        return Problem(self.event_file, where(loc), message)

    def place(self, loc: tuple[Any, ...] | list[Any]) -> str:
        """Where ``loc`` is, for naming it inside another problem's message (the file only if not the event's)."""
        problem = self.problem(loc, "")
        if problem.file == self.event_file:
            return problem.where
        return f"{problem.file} {problem.where}".strip()
