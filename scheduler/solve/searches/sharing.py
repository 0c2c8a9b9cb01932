"""A flag that searches in processes of their own share: the first to reach the proven bound sets
it, and the others stop at their next look (the Kempe-chain searches of one part from several
seeds; the SAT solver beside a brokerage day's annealed search). And a mark, where such a search
writes the bound it has proven so far, for a caller that cannot wait for its end.

A ``multiprocessing`` Event or shared value is handed to a process only as the process is made, so
a pool made here gives them to each of its processes as they start, where :func:`settled` and
:func:`marked` read them.
"""

from __future__ import annotations

import multiprocessing
import pickle
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Protocol

_CONTEXT = multiprocessing.get_context("spawn")


def packed(value) -> bytes:
    """``value`` pickled now, in the caller's thread, to be sent to a pool's process and read there
    by :func:`unpacked`. A pool pickles what it sends in a thread of its own while the caller goes
    on, and the caller's search may fill in a cached property of the same problem meanwhile: the
    pickling then fails ("dictionary changed size during iteration")."""
    return pickle.dumps(value)


def unpacked(data: bytes):
    return pickle.loads(data)


class Settled(Protocol):
    """A flag shared between processes (``multiprocessing.Event``)."""

    def is_set(self) -> bool: ...

    def set(self) -> None: ...


def flag() -> Settled:
    """A new flag, for :func:`pool`. It must outlive the start of the pool's processes: its maker
    keeps it while it waits for their results, or hands it to :func:`hold`."""
    return _CONTEXT.Event()


class Mark(Protocol):
    """A number shared between processes (``multiprocessing.RawValue``); -1 until written."""

    value: int


def mark() -> Mark:
    """A new mark, for :func:`pool`; kept as a flag is (:func:`flag`)."""
    return _CONTEXT.RawValue("q", -1)


# Flags and marks held for searches whose results nobody may wait for (:func:`hold`), by future.
_held: dict[int, list] = {}


def hold(future: Future, *shared: Settled | Mark | None) -> None:
    """Keep ``shared`` until ``future`` is done. A process reads its flag as it starts; a flag let
    go before that is gone (its semaphore unlinked), and the process fails on the console with a
    traceback. A caller that moves on without the result (a SAT solver that is still starting when
    the annealed search ends) would let it go."""
    kept = [value for value in shared if value is not None]
    if not kept:
        return
    _held[id(future)] = kept
    future.add_done_callback(lambda done: _held.pop(id(done), None))


def pool(workers: int, shared: Settled | None, marking: Mark | None = None) -> ProcessPoolExecutor:
    """Processes whose searches see ``shared`` (or none) through :func:`settled`, and ``marking``
    through :func:`marked`."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=_CONTEXT, initializer=_share,
                               initargs=(shared, marking))


_settled: Settled | None = None  # in a pool's process: the flag it was given
_marked: Mark | None = None  # and the mark


def _share(shared: Settled | None, marking: Mark | None) -> None:
    global _settled, _marked
    _settled, _marked = shared, marking


def settled() -> Settled | None:
    """In a process of a :func:`pool`: its flag."""
    return _settled


def marked() -> Mark | None:
    """In a process of a :func:`pool`: its mark."""
    return _marked
