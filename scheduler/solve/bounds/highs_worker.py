"""HiGHS in a process of its own, which the solver can stop from outside.

HiGHS's time limit and its interrupt callbacks are not heard everywhere: a
part of a 500-buyer expo stayed at its root many times its limit, with no
callback called in between (benchmarks/README.md, "How the solver chooses":
HiGHS on a level). A process can always be stopped. The
solver's side (``Worker``) sends the program and its settings; this module,
run as a script (``python -P highs_worker.py``: it imports HiGHS and numpy
only, not the rest of the package), solves it and sends back each better
solution, each better bound and the end. When the answer is late the solver
kills the process, keeps what it heard, and starts another for the next
program. Messages are pickled ``multiprocessing`` connection frames over the
child's standard input and output, holding plain dicts and arrays (the two
sides know these classes under different module names); HiGHS's own output
goes to /dev/null.

Only numpy and highspy here: the program arrives as plain arrays.
"""

from __future__ import annotations

import atexit
import math
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait

import numpy as np

# Beyond its ``seconds``, how long a solve may take before its process is killed: HiGHS stops
# itself at its next callback, usually within a tenth of a second.
GRACE_SECONDS = 0.5
GRACE_SHARE = 0.1
# Sifting (:func:`_sifted`): a column prices in below this reduced cost (HiGHS's own dual
# tolerance); at most SIFT_GROWTH times the columns taken so far enter at once, and at least
# SIFT_FEWEST (benchmarks/README.md, "How the solver chooses": HiGHS on a level).
SIFT_TOLERANCE = 1e-7
SIFT_GROWTH = 0.5
SIFT_FEWEST = 200
# Diving (:func:`_dived`): every fractional column at least this far above its floor is raised at
# once; the first dive takes the column furthest up, later ones draw a column with odds rising as
# its fraction to DIVE_SHARPNESS (a fixed seed: each run draws the same).
DIVE_BATCH = 0.8
DIVE_SHARPNESS = 4


def own_limit(seconds: float) -> float:
    """HiGHS's own time limit for a run that must be over, grace included, within ``seconds``
    (a worker is killed GRACE after its limit)."""
    return (seconds - GRACE_SECONDS) / (1 + GRACE_SHARE)


@dataclass
class Program:
    """A 0-1 (integer) program as HiGHS takes it: columns with bounds and costs (minimised),
    rows in compressed form, and a start when there is one."""

    lower: np.ndarray
    upper: np.ndarray
    cost: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray
    starts: np.ndarray
    indices: np.ndarray
    values: np.ndarray
    start: np.ndarray | None = None
    integer: np.ndarray | None = None  # the columns that must take whole values; None: every one

    @classmethod
    def of_rows(cls, rows, lower: np.ndarray, upper: np.ndarray, cost: np.ndarray,
                start: np.ndarray | None = None, integer: np.ndarray | None = None) -> Program:
        """The program of ``rows``, each (columns, coefficients, low, high) with None for a side
        without a limit, in compressed form."""
        return cls(lower=lower, upper=upper, cost=cost,
                   row_lower=np.array([-np.inf if low is None else low for _, _, low, _ in rows], dtype=np.float64),
                   row_upper=np.array([np.inf if high is None else high for _, _, _, high in rows], dtype=np.float64),
                   starts=np.cumsum([0] + [len(r[0]) for r in rows], dtype=np.int32)[:len(rows)],
                   indices=np.array([v for r in rows for v in r[0]], dtype=np.int32),
                   values=np.array([c for r in rows for c in r[1]], dtype=np.float64),
                   start=start, integer=integer)


@dataclass
class Settings:
    seconds: float
    gap: float = 0.0
    threads: int | None = None
    nodes: int | None = None
    options: dict | None = None  # more HiGHS options by name
    # A linear program solved by sifting (:func:`_sifted`) from these columns; None: whole.
    columns: np.ndarray | None = None
    # Whole values sought by diving through the linear relaxation (:func:`_dived`), not by HiGHS's
    # MIP: no bound, and no proof that there are none.
    dive: bool = False


@dataclass
class Report:
    """How a run ended: the best solution's column values (None when there is none), the dual
    bound (HiGHS's sense, minimised), its counts, and whether the clock stopped it."""

    solution: np.ndarray | None
    dual_bound: float
    simplex_iterations: int = 0
    nodes: int = 0
    clock_stopped: bool = False
    killed: bool = False
    seconds: float = 0.0
    source: int = 0  # in a race, the entrant whose solution this is
    duals: np.ndarray | None = None  # a linear program's row duals, as HiGHS gave them
    columns: np.ndarray | None = None  # a sifted program's columns when it ended (the others at 0)
    infeasible: bool = False  # HiGHS proved that the program has no solution (none within its objective_bound)


# Non-zeros x simplex iterations per second of HiGHS on the 2-core machines (see :func:`work`).
WORK_SCALE = 3e8


def work(nonzeros: int, report: Report) -> float:
    """A run's work as a count, not a time: the program's ``nonzeros`` times its simplex iterations
    (and a thousand for each node), scaled to about seconds on the benchmark's 2 cores, so that the
    same run is charged the same on any machine (WORK_SCALE: benchmarks/README.md, "How the solver
    chooses": HiGHS on a level). A killed run is charged its seconds."""
    if report.killed:
        return report.seconds
    return nonzeros * (report.simplex_iterations + 1000 * report.nodes) / WORK_SCALE


def run(program: Program, settings: Settings, tell: Callable[[str, object], None]) -> Report:
    """``program`` solved by HiGHS in this process; ``tell("value", (objective, solution))`` and
    ``tell("bound", dual bound)`` as they improve."""
    import highspy

    began = time.perf_counter()
    if settings.threads is not None:
        highspy.Highs.resetGlobalScheduler(True)  # else a second thread count fails to run at all
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    if settings.threads is not None:
        highs.setOptionValue("threads", settings.threads)
    if settings.nodes is not None:
        highs.setOptionValue("mip_max_nodes", settings.nodes)
    highs.setOptionValue("time_limit", max(0.1, settings.seconds))
    highs.setOptionValue("mip_rel_gap", settings.gap)  # HiGHS stops within 0.01 % otherwise
    for name, value in (settings.options or {}).items():
        highs.setOptionValue(name, value)
    count = len(program.lower)
    every = np.arange(count, dtype=np.int32)
    whole = every if program.integer is None else np.asarray(program.integer, dtype=np.int32)
    if settings.columns is not None and len(whole) == 0:
        return _sifted(highs, program, settings, began)
    _loaded(highs, program)
    if settings.dive:
        return _dived(highs, program, whole, settings, began)
    highs.changeColsIntegrality(len(whole), whole, np.full(len(whole), highspy.HighsVarType.kInteger.value,
                                                           dtype=np.uint8))
    if program.start is not None:
        solution = highspy.HighsSolution()
        solution.col_value = program.start.tolist()
        highs.setSolution(solution)

    def improved(event) -> None:
        tell("value", (event.data_out.objective_function_value, np.asarray(event.data_out.mip_solution)))
    highs.cbMipImprovingSolution.subscribe(improved)
    reported: list[float] = []

    def interrupt(event) -> None:
        dual = getattr(event.data_out, "mip_dual_bound", None)
        if dual is not None and math.isfinite(dual) and (not reported or dual != reported[-1]):
            reported.append(dual)
            tell("bound", dual)
    interrupted = _interrupted_after(highs, began, settings.seconds, heard=interrupt)
    highs.run()
    info = highs.getInfo()
    found = info.primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible.value
    dual = info.mip_dual_bound
    duals = None
    if len(whole) == 0:  # a linear program: HiGHS states no MIP bound; its row duals give one
        duals = np.asarray(highs.getSolution().row_dual)
        if len(duals) != len(program.row_lower):
            duals = None
        dual = lagrangian(program, duals) if duals is not None else -math.inf
    return Report(np.asarray(highs.getSolution().col_value) if found else None, dual,
                  max(0, info.simplex_iteration_count), max(0, info.mip_node_count),
                  bool(interrupted) or highs.getModelStatus() == highspy.HighsModelStatus.kTimeLimit,
                  seconds=time.perf_counter() - began, duals=duals,
                  infeasible=not interrupted and highs.getModelStatus() == highspy.HighsModelStatus.kInfeasible)


def _loaded(highs, program: Program) -> None:
    """``program``'s columns (as real numbers), costs and rows given to ``highs``."""
    import highspy

    count = len(program.lower)
    highs.addVars(count, program.lower, program.upper)
    highs.changeColsCost(count, np.arange(count, dtype=np.int32), program.cost)
    infinity = highspy.kHighsInf
    highs.addRows(len(program.row_lower), np.nan_to_num(program.row_lower, neginf=-infinity),
                  np.nan_to_num(program.row_upper, posinf=infinity), len(program.indices), program.starts,
                  program.indices, program.values)


def _interrupted_after(highs, began: float, seconds: float, heard: Callable | None = None) -> list[bool]:
    """HiGHS's callbacks told to stop the run ``seconds`` after ``began``, and to pass each event
    on to ``heard``; the list returned gets an entry once they have stopped it."""
    interrupted: list[bool] = []

    def interrupt(event) -> None:
        # HiGHS's own time limit is not checked inside its LP solves: a 500-buyer expo ran on
        # for minutes past it. Its callbacks are, often.
        if time.perf_counter() - began > seconds:
            event.interrupt()
            interrupted.append(True)
        if heard is not None:
            heard(event)
    for callbacks in (highs.cbMipInterrupt, highs.cbSimplexInterrupt, highs.cbIpmInterrupt):
        callbacks.subscribe(interrupt)
    return interrupted


def _sifted(highs, program: Program, settings: Settings, began: float) -> Report:
    """The linear ``program`` solved by sifting: first with ``settings.columns`` (and any column
    whose lower end is not 0) alone, then again with the columns the restricted program's row
    duals price in added, the most attractive first, until none prices in. The answer is the whole
    program's: its solution is the restricted one with every column left out at 0, and its bound
    is the Lagrangian of the whole program at the last duals, which holds at any tolerance. A
    teleconference week's relaxation has tens of thousands of columns and a few hundred above 0 at
    a vertex: the restricted programs take a fraction of its time (benchmarks/README.md, "How the
    solver chooses": HiGHS on a level)."""
    import highspy

    count = len(program.lower)
    infinity = highspy.kHighsInf
    highs.addRows(len(program.row_lower), np.nan_to_num(program.row_lower, neginf=-infinity),
                  np.nan_to_num(program.row_upper, posinf=infinity), 0, np.zeros(len(program.row_lower), np.int32),
                  np.zeros(0, np.int32), np.zeros(0))
    by_column = _by_column(program)
    chosen = np.zeros(count, dtype=bool)
    chosen[np.asarray(settings.columns, dtype=np.int64)] = True
    chosen |= program.lower != 0  # a column left out is at 0, which must be in its box, at its end
    # Every column of a row that must count something (a required request): with those, and
    # counting rows, the restricted program is feasible wherever the whole one is.
    first, rows, _ = by_column
    needed = np.flatnonzero(program.row_lower > 0)
    chosen[np.repeat(np.arange(count), np.diff(first))[np.isin(rows, needed)]] = True
    order = np.flatnonzero(chosen)
    _add_columns(highs, program, by_column, order)
    interrupted = _interrupted_after(highs, began, settings.seconds)
    iterations = 0
    duals = None
    while True:
        highs.run()
        iterations += max(0, highs.getInfo().simplex_iteration_count)
        status = highs.getModelStatus()
        if status == highspy.HighsModelStatus.kInfeasible and not interrupted and not chosen.all():
            entering = np.flatnonzero(~chosen)  # not a counting program after all: the whole of it
        elif interrupted or status != highspy.HighsModelStatus.kOptimal:
            break
        else:
            duals = np.asarray(highs.getSolution().row_dual)
            _, _, reduced = multipliers(program, duals)
            entering = np.flatnonzero(~chosen & (reduced < -SIFT_TOLERANCE) & (program.upper > program.lower))
            if not entering.size:
                break
            most = max(SIFT_FEWEST, int(SIFT_GROWTH * len(order)))
            if len(entering) > most:
                entering = entering[np.argsort(reduced[entering], kind="stable")[:most]]
        chosen[entering] = True
        order = np.concatenate([order, entering])
        _add_columns(highs, program, by_column, entering)
    solution = None
    if highs.getInfo().primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible.value:
        solution = np.zeros(count)
        solution[order] = highs.getSolution().col_value
    stopped = bool(interrupted) or highs.getModelStatus() != highspy.HighsModelStatus.kOptimal
    return Report(solution, lagrangian(program, duals) if duals is not None else -math.inf, iterations,
                  clock_stopped=stopped, seconds=time.perf_counter() - began, duals=duals, columns=np.sort(order))


def _dived(highs, program: Program, whole: np.ndarray, settings: Settings, began: float) -> Report:
    """Whole values for ``program``'s ``whole`` columns (given to ``highs`` as real numbers) sought
    by diving: its linear relaxation solved, then again with each fractional column's lower end
    raised to its ceiling (every one at least DIVE_BATCH above its floor at once, else the one
    furthest up), and where that leaves no solution, that column's upper end lowered to its floor
    instead; where neither has one, the dive starts again from the top and draws its columns at
    random. Each solve starts from the last one's basis, and the program is small (a racer's
    columns after sifting): a dive takes tens of solves of a few milliseconds each. On questions of a schedule at a bound that HiGHS's MIP
    answered in 0.4-4.5 s, a dive found one in a median 0.4 s (benchmarks/README.md, "How the
    solver chooses": HiGHS on a level). Only a solution is reported, never a bound: the dive proves
    nothing."""
    import highspy

    count = len(program.lower)
    highs.setOptionValue("presolve", "off")  # each solve changes a bound or two: warm starts
    every = np.arange(count, dtype=np.int32)
    interrupted = _interrupted_after(highs, began, settings.seconds)
    draw = np.random.default_rng(0)

    def solved() -> np.ndarray | None:
        highs.run()
        if interrupted or highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        return np.asarray(highs.getSolution().col_value)

    def ended(solution: np.ndarray | None) -> Report:
        return Report(solution, -math.inf, max(0, highs.getInfo().simplex_iteration_count),
                      clock_stopped=solution is None, seconds=time.perf_counter() - began)

    dives = 0
    while not interrupted and time.perf_counter() - began < settings.seconds:
        dives += 1
        lower, upper = program.lower.copy(), program.upper.copy()
        highs.changeColsBounds(count, every, lower, upper)
        values = solved()
        if values is None and dives == 1:
            break  # no solution to the relaxation itself
        while values is not None and time.perf_counter() - began < settings.seconds:
            part = values[whole] - np.floor(values[whole] + 1e-6)
            fractional = np.flatnonzero(part > 1e-6)
            if not fractional.size:
                solution = values.copy()
                solution[whole] = np.round(values[whole])
                return ended(solution)
            up = whole[fractional]
            if dives == 1:
                first = up[np.argmax(part[fractional])]
            else:
                odds = part[fractional] ** DIVE_SHARPNESS
                first = draw.choice(up, p=odds / odds.sum())
            raised = np.union1d([first], up[part[fractional] >= DIVE_BATCH]).astype(np.int32)
            ceiling = np.ceil(values[raised] - 1e-6)
            highs.changeColsBounds(len(raised), raised, ceiling, upper[raised])
            after = solved()
            if after is None and not interrupted:
                # Not raised: the others back as they were, this one lowered to its floor.
                highs.changeColsBounds(len(raised), raised, lower[raised], upper[raised])
                upper[first] = np.floor(values[first] + 1e-6)
                highs.changeColsBounds(1, np.array([first], dtype=np.int32), lower[[first]], upper[[first]])
                after = solved()
            else:
                lower[raised] = ceiling
            values = after
    return ended(None)


def _by_column(program: Program) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``program``'s rows in compressed column form: each column's first entry, rows, values."""
    lengths = np.diff(np.append(program.starts, len(program.indices)))
    rows = np.repeat(np.arange(len(program.row_lower), dtype=np.int32), lengths)
    order = np.argsort(program.indices, kind="stable")
    first = np.zeros(len(program.lower) + 1, dtype=np.int64)
    first[1:] = np.cumsum(np.bincount(program.indices, minlength=len(program.lower)))
    return first, rows[order], program.values[order]


def _add_columns(highs, program: Program, by_column, columns: np.ndarray) -> None:
    first, rows, values = by_column
    lengths = first[columns + 1] - first[columns]
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int32)
    take = np.repeat(first[columns] - starts, lengths) + np.arange(lengths.sum())
    highs.addCols(len(columns), program.cost[columns], program.lower[columns], program.upper[columns],
                  int(lengths.sum()), starts, rows[take], values[take])


def lagrangian(program: Program, duals: np.ndarray) -> float:
    """A lower bound on the minimum of ``program`` with its columns taken as real numbers, from any
    row multipliers ``duals``: a row with y > 0 is taken at its low side, y < 0 at its high side
    (a side without a limit: y = 0), and each column at the end of its box its reduced cost
    prefers. It holds whatever solver, tolerance or convergence gave the multipliers
    (bounds/relaxation.py takes it for the relaxation of CP-SAT's models too)."""
    y, side, reduced = multipliers(program, duals)
    at = np.where(reduced > 0, program.lower, program.upper)
    return math.fsum(np.concatenate([y * side, np.where(reduced != 0, reduced * at, 0.0)]))


def multipliers(program: Program, duals: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """What :func:`lagrangian` takes of row multipliers ``duals``: each row's multiplier (0 where
    the side it points to has no limit), that side's limit, and each column's reduced cost."""
    y = np.where(((duals > 0) & np.isfinite(program.row_lower)) | ((duals < 0) & np.isfinite(program.row_upper)),
                 duals, 0.0)
    side = np.where(y > 0, np.nan_to_num(program.row_lower), np.nan_to_num(program.row_upper))
    lengths = np.diff(np.append(program.starts, len(program.indices)))
    reduced = program.cost.astype(float)
    np.subtract.at(reduced, program.indices, program.values * np.repeat(y, lengths))
    return y, side, reduced


class Worker:
    """The solver's handle on one HiGHS process, started when first needed and again after a kill."""

    def __init__(self) -> None:
        self._process: subprocess.Popen | None = None
        self._send: Connection | None = None
        self._receive: Connection | None = None
        self.kills = 0
        self._stopped: subprocess.Popen | None = None

    def solve(self, program: Program, settings: Settings, on_value: Callable[[float], None],
              on_bound: Callable[[float], None]) -> Report:
        """``program`` solved in the worker process; the process is killed when it has not
        answered GRACE after ``settings.seconds``, and the report then holds the best solution
        and bound it had sent."""
        return race(program, [Entrant(self, settings)], on_value, on_bound)

    def spent_since(self, began: float) -> float:
        """The seconds of an allowance spent since ``began`` (a ``time.perf_counter()`` reading):
        the clock's, since a run stops on it (not so a counted worker's: searches/ones_fixed.py)."""
        return time.perf_counter() - began

    def start(self) -> None:
        """The process started, unless it runs already (it then imports HiGHS while the caller
        goes on)."""
        if self._process is not None:
            # A process stopped while idle may not have died yet (its exit is not seen at once):
            # it is not taken for a live one, or the next program would be sent to it and lost.
            if self._process.poll() is None and self._process is not self._stopped:
                return
            self.close(kill=True)
        # -P: the script's folder (scheduler/solve) is not put on the path, so none of its
        # modules can shadow a library's.
        self._process = subprocess.Popen([sys.executable, "-P", __file__], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE)
        self._send = Connection(os.dup(self._process.stdin.fileno()), readable=False)
        self._receive = Connection(os.dup(self._process.stdout.fileno()), writable=False)

    def stop(self) -> None:
        """The process killed from another thread than the one waiting on it: that one hears its
        end (as of a process that died), closes it, and returns what it had heard. One stopped while
        idle is started anew for the next program."""
        process = self._process
        if process is not None:
            self._stopped = process
            process.kill()

    def close(self, kill: bool = False) -> None:
        """The process ended: asked to (its input closed), or killed."""
        if self._process is None:
            return
        for connection in (self._send, self._receive):
            connection.close()
        self._process.stdin.close()
        if kill:
            self._process.kill()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process.stdout.close()
        self._process = self._send = self._receive = self._stopped = None


@dataclass
class Entrant:
    """One runner of a race: a worker, its settings, and the program it solves when not the
    race's own. Another program must state the same problem, or a relaxation of it, with an
    objective that is the race's plus ``shift`` removed: its solutions are reported as they are
    (the report's ``source`` says whose), its bounds and values after adding ``shift``."""

    worker: Worker
    settings: Settings
    program: Program | None = None
    shift: float = 0.0


def race(program: Program, entrants: Sequence[Entrant], on_value: Callable[[float], None],
         on_bound: Callable[[float], None]) -> Report:
    """``program`` (or an entrant's own) solved by each worker under its own settings at once; the
    first to end on its own (a proof, or a proof that there is nothing to find) wins and the others
    are stopped. Every worker that has not answered GRACE after its ``seconds`` is killed. The
    report holds the best solution and the best bound heard from any of them (HiGHS's sense:
    minimised); ``killed`` only when none ended on its own. ``on_value`` and ``on_bound`` hear each
    better one. In a race of two or more, where every column is whole and so are the costs, the
    best value heard is proven as soon as a bound heard, rounded up, reaches it: the race ends
    then, without waiting for the winner to finish its run (a lone worker is waited for, so that
    its counts are known)."""
    began = time.perf_counter()
    programs = [e.program or program for e in entrants]
    integral = (len(entrants) > 1 and all(p.integer is None and bool(np.all(p.cost == np.round(p.cost)))
                                          for p in programs)
                and all(e.shift == round(e.shift) for e in entrants))
    deadline = {e.worker: began + e.settings.seconds + GRACE_SECONDS + GRACE_SHARE * e.settings.seconds
                for e in entrants}
    best: tuple[float, np.ndarray, int] | None = None
    dual = -math.inf
    running: dict[Connection, int] = {}
    ended: Report | None = None
    counts = [0, 0]  # simplex iterations, nodes

    def heard_value(objective: float, solution: np.ndarray, source: int) -> None:
        nonlocal best
        if best is None or objective < best[0]:
            best = (objective, solution, source)
            on_value(objective)

    def heard_bound(bound: float) -> None:
        nonlocal dual
        if math.isfinite(bound) and bound > dual:
            dual = bound
            on_bound(bound)

    for index, entrant in enumerate(entrants):
        worker = entrant.worker
        try:
            worker.start()
            worker._send.send((vars(programs[index]), vars(entrant.settings)))
            running[worker._receive] = index
        except OSError:  # a broken pipe: the process died at once
            worker.close(kill=True)
            worker.kills += 1
    while running and ended is None:
        left = min(deadline[entrants[i].worker] for i in running.values()) - time.perf_counter()
        if left <= 0:
            break
        for connection in wait(list(running), left):
            index = running[connection]
            worker, shift = entrants[index].worker, entrants[index].shift
            try:
                kind, payload = connection.recv()
            except (EOFError, OSError):  # the process died (out of memory, say): as good as killed
                del running[connection]
                worker.close(kill=True)
                worker.kills += 1
                continue
            if kind == "value":
                objective, solution = payload
                heard_value(objective + shift, solution, index)
            elif kind == "bound":
                heard_bound(payload + shift)
            if (kind in ("value", "bound") and integral and best is not None and math.isfinite(dual)
                    and math.ceil(dual - 1e-6) >= best[0]):
                ended = Report(best[1], dual)  # proven from what was heard; the racers are stopped below
                break
            if kind == "done":
                del running[connection]
                report = Report(**payload)
                counts[0] += report.simplex_iterations
                counts[1] += report.nodes
                if report.solution is not None:
                    heard_value(float(programs[index].cost @ report.solution) + shift, report.solution, index)
                heard_bound(report.dual_bound + shift)
                if not report.clock_stopped:
                    ended = report
                    break
    for index in running.values():  # out of time, or beaten: stopped, and ready for the next program
        worker = entrants[index].worker
        worker.close(kill=True)
        worker.kills += 1
        if ended is not None:
            worker.start()
    return Report(best[1] if best else None, dual if math.isfinite(dual) else math.nan, counts[0], counts[1],
                  clock_stopped=ended is None, killed=ended is None and bool(running),
                  seconds=time.perf_counter() - began, source=best[2] if best else 0,
                  duals=ended.duals if ended is not None else None,
                  columns=ended.columns if ended is not None else None,
                  infeasible=ended is not None and ended.infeasible and best is None)


_workers: list[Worker] = []


def worker() -> Worker:
    """The first worker of this process (closed when the process exits)."""
    return workers(1)[0]


def workers(count: int) -> list[Worker]:
    """This process's first ``count`` workers, for a race (each closed when the process exits)."""
    while len(_workers) < count:
        _workers.append(Worker())
        atexit.register(_workers[-1].close)
    return _workers[:count]


def shutdown() -> None:
    """The workers' processes ended now (so that their peak memory is counted among the children's)."""
    for each in _workers:
        each.close()


def _serve() -> None:
    """The worker's loop: a program in, messages out, until its input closes."""
    # Ctrl-C reaches the whole process group: the solver ends this process (no second traceback).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    receive = Connection(os.dup(0), writable=False)
    send = Connection(os.dup(1), readable=False)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)  # HiGHS prints its banner from C++ before any option can be set
    os.close(null)
    while True:
        try:
            program, settings = receive.recv()
        except EOFError:
            return
        report = run(Program(**program), Settings(**settings), lambda kind, payload: send.send((kind, payload)))
        send.send(("done", vars(report)))


if __name__ == "__main__":
    _serve()
