"""Input errors that say which file, where in it, and what is wrong."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, e.g. ``requests[12].buyer: no buyer 'B999'``."""

    file: str
    where: str
    message: str

    def __str__(self) -> str:
        place = f"{self.where}: " if self.where else ""
        return f"{self.file}: {place}{self.message}"


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
