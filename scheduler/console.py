"""The ``schedule`` command's entry point, apart from the command itself (``cli.py``).

The solver and the PDF layout start processes of their own by spawning them, and a spawned process
first runs the script that started its parent again (``multiprocessing``'s spawn start method).
The script imports only this module; the command, with the whole solver and the renderer, is
imported when it runs: each spawned process started 1.2-1.9 s later with it imported there, on a
solve whose other core was busy (benchmarks/README.md, "Processes of their own").
"""

from __future__ import annotations


def main() -> None:
    from scheduler.cli import main as command

    command()
