"""A flag that searches in processes of their own share: the first to reach the proven bound sets
it, and the others stop at their next look (the Kempe-chain searches of one part from several
seeds; the SAT solver beside a brokerage day's annealed search).

A ``multiprocessing`` Event is handed to a process only as the process is made, so a pool made
here gives it to each of its processes as they start, where :func:`settled` reads it.
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


# Flags held for searches whose results nobody may wait for (:func:`hold`).
_held: set = set()


def hold(future: Future, shared: Settled | None) -> None:
    """Keep ``shared`` until ``future`` is done. A process reads its flag as it starts; a flag let
    go before that is gone (its semaphore unlinked), and the process fails on the console with a
    traceback. A caller that moves on without the result (a SAT solver that is still starting when
    the annealed search ends) would let it go."""
    if shared is None:
        return
    _held.add(shared)
    future.add_done_callback(lambda _: _held.discard(shared))


def pool(workers: int, shared: Settled | None) -> ProcessPoolExecutor:
    """Processes whose searches see ``shared`` (or none) through :func:`settled`."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=_CONTEXT, initializer=_share, initargs=(shared,))


_settled: Settled | None = None  # in a pool's process: the flag it was given


def _share(shared: Settled | None) -> None:
    global _settled
    _settled = shared


def settled() -> Settled | None:
    """In a process of a :func:`pool`: its flag."""
    return _settled
