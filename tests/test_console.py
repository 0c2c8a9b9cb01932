"""The ``schedule`` command's entry point stays light for the processes the solver spawns."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points

# What a spawned process does first (multiprocessing's spawn start method): it runs its parent's
# main module again, under the name ``__mp_main__``. For the installed ``schedule`` script that is
# an import of the entry point's module; for ``python -m scheduler``, ``scheduler.__main__``.
_SPAWNED_START = """
import runpy, sys
runpy.run_module(sys.argv[1], run_name="__mp_main__")
heavy = ("scheduler.cli", "scheduler.solve.pipeline.solver", "scheduler.render", "ortools", "weasyprint", "pandas")
print(" ".join(name for name in heavy if name in sys.modules))
"""


def _imported_by_a_spawned_start(module: str) -> str:
    done = subprocess.run([sys.executable, "-c", _SPAWNED_START, module], capture_output=True, text=True,
                          check=True, timeout=60)
    return done.stdout.strip()


def test_a_process_the_solver_spawns_does_not_import_the_command_again():
    # Importing the command (the solver, CP-SAT with pandas, the renderer) again made each spawned
    # process start seconds later (benchmarks/README.md, "Processes of their own"). Fails with the
    # entry point at scheduler.cli:main.
    (script,) = [entry for entry in entry_points(group="console_scripts") if entry.name == "schedule"]
    assert _imported_by_a_spawned_start(script.module) == ""
    assert _imported_by_a_spawned_start("scheduler.__main__") == ""
    # The harness sees the heavy modules where they are imported: the command run again.
    assert "scheduler.solve.pipeline.solver" in _imported_by_a_spawned_start("scheduler.cli").split()


def test_python_m_scheduler_is_the_command():
    done = subprocess.run([sys.executable, "-m", "scheduler", "--version"], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0 and "version" in done.stdout
