"""The ``schedule`` command's entry point, apart from the command itself (``cli.py``).

The solver and the PDF layout start processes of their own by spawning them, and a spawned process
first runs the script that started its parent again (``multiprocessing``'s spawn start method).
The script imports only this module; the command, with the whole solver and the renderer, is
imported when it runs: imported again in each spawned process, it made each start seconds later
(benchmarks/README.md, "Processes of their own").
"""

from __future__ import annotations


def main() -> None:
    from scheduler.cli import main as command

    command()
