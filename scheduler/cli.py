"""The ``schedule`` command: load, solve, check, render, write, report. Nothing else lives here."""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

import click

from scheduler.changes import compare, figures_agree, marked, past_kept
from scheduler.check import Violation, breaks_together, check_schedule
from scheduler.model import EventError, load_event, load_schedule
from scheduler.model.baseline import parse_now, replan
from scheduler.model.errors import Problem as InputProblem
from scheduler.model.problem import compile_problem
from scheduler.output import MARKERS, NotOurFolder, check_replaceable, write_atomically
from scheduler.render import render_documents
from scheduler.solve import Stop, planned, solve, to_schedule

EXIT_INPUT = 2  # bad input: the file and place are printed
EXIT_NOT_DONE = 1  # infeasible, or a schedule that fails its check


@click.group()
@click.version_option(package_name="schedule")
def main() -> None:
    """Plan one-on-one business meetings for export promotion events."""


def _input_errors(error: EventError) -> None:
    for problem in error.problems:
        click.secho(str(problem), fg="red", err=True)
    count = len(error.problems)
    click.echo(f"{count} problem{'s' if count != 1 else ''} in the input; nothing was written.", err=True)
    sys.exit(EXIT_INPUT)


def _warnings(loaded) -> None:
    for warning in loaded.warnings:
        click.secho(f"warning: {warning}", fg="yellow", err=True)


class _ProgressLine:
    """Prints the search's progress to stderr at most twice a second, and each phase as it ends."""

    def __init__(self, quiet: bool):
        self.quiet = quiet
        self.last = 0.0
        self.last_term = ""

    def note(self, seconds: float, message: str) -> None:
        """A phase done: always printed (unless quiet), and the next progress line is not held back."""
        if not self.quiet:
            click.echo(f"  {seconds:6.1f}s  {message}", err=True)
            self.last_term = ""

    def __call__(self, term: str, seconds: float, best: float | None, bound: float | None) -> None:
        if self.quiet or best is None:
            return
        now = time.perf_counter()
        if term == self.last_term and now - self.last < 0.5:
            return
        self.last, self.last_term = now, term
        gap = ""
        if bound is not None and bound != 0 and abs(bound - best) < abs(bound):
            gap = f"  gap {abs(bound - best) / abs(bound):.2%}"  # above 100 % it says nothing
        bound_text = f"  bound {round(bound):,}" if bound is not None else ""  # none known yet
        click.echo(f"  {seconds:6.1f}s  {term[:28]:<28} best {round(best):,}{bound_text}{gap}", err=True)


_BASELINE = click.option("--baseline", type=click.Path(dir_okay=False, path_type=Path),
                         help="An earlier schedule.json of this event: replan it, changing its meetings as little "
                              "as the edited event allows.")
_NOW = click.option("--now", metavar="DATETIME",
                    help="With --baseline, venue time such as 2026-06-18T13:00: meetings that started before are "
                         "kept exactly, and nothing new is placed before it.")


@main.command("solve")
@click.argument("event_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: a folder named after the event file, in the current directory).")
@click.option("--time-limit", type=click.FloatRange(min=0.1), default=60.0, show_default=True,
              help="Seconds the solver may take in all.")
@click.option("--gap", type=click.FloatRange(min=0.0, max=1.0), default=0.0, show_default=True,
              help="Stop a term once within this relative gap of its bound (0.01 = 1%).")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed of the solver.")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="Solver threads.")
@click.option("--deterministic", is_flag=True,
              help="Repeatable: the same event, --seed, --workers and --time-limit give the same schedule on any "
                   "machine. The limit is turned into solver work at a fixed rate (about as long as asked on 2 "
                   "cores, longer on slower machines) and the workers search in lock-step, which finds a little "
                   "less in the same time.")
@click.option("--quiet", is_flag=True, help="No progress lines while solving.")
@_BASELINE
@_NOW
def solve_command(event_file: Path, out: Path | None, time_limit: float, gap: float, seed: int,
                  workers: int, deterministic: bool, quiet: bool, baseline: Path | None, now: str | None) -> None:
    """Solve EVENT_FILE and write the schedule, agendas and grids."""
    started = time.perf_counter()  # the time limit counts reading the event too
    try:
        loaded = load_event(event_file)
        replanned = _replan(loaded.event, baseline, now)
    except EventError as error:
        _input_errors(error)
    _warnings(loaded)
    event = loaded.event
    out = out or Path.cwd() / event_file.stem
    _refuse_foreign(out)
    problem = compile_problem(event) if replanned is None else replanned.problem
    click.echo(f"{event.event.name}: {event.kind}, {len(event.event.days)} day(s), {len(problem.grid)} slots, "
               f"{len(event.booths)} {'tables' if event.kind == 'plaza' else 'booths'}, "
               f"{len(problem.tasks)} requests", err=True)
    line = _ProgressLine(quiet)
    result = solve(problem, Stop(time_limit=time_limit, gap=gap, seed=seed, workers=workers,
                                 deterministic=deterministic, started=started),
                   progress=line, log=line.note)
    # When the schedule was produced: the calendars' DTSTAMP, read from the file at every render.
    schedule = to_schedule(problem, result, generated=dt.datetime.now(dt.timezone.utc).replace(microsecond=0))
    violations = check_schedule(event, schedule)
    if violations:
        for violation in violations:
            click.secho(f"  {violation}", fg="red", err=True)
        click.secho("The solver's schedule failed the independent check; nothing was written. "
                    "Please report this as a bug.", fg="red", err=True)
        sys.exit(EXIT_NOT_DONE)
    changes = None
    if replanned is not None:
        changes = compare(event, replanned.baseline, schedule)
        schedule = marked(schedule, changes)
    rendering = time.perf_counter()
    files: dict[str, str | bytes] = dict(render_documents(
        event, schedule, pdfs=True, workers=workers,
        progress=lambda message: line.note(time.perf_counter() - started, message)))
    files["schedule.json"] = schedule.to_json()
    if changes is not None:
        files["changes.json"] = changes.to_json(str(baseline), replanned.now)
    _publish(out, files)
    _summary(event, schedule, result, time_limit, out, files, time.perf_counter() - rendering)
    if changes is not None:
        _changes_summary(changes)
    if schedule.status == "infeasible":
        sys.exit(EXIT_NOT_DONE)


def _publish(out: Path, files) -> None:
    """The folder written whole, or one plain line and exit 2."""
    try:
        write_atomically(out, files)
    except NotOurFolder as error:  # filled by someone else meanwhile
        _refuse_foreign(out, error)
    except OSError as error:
        where = f": {error.filename}" if error.filename else ""
        click.secho(f"{out}: could not be written ({error.strerror or error}{where}); "
                    "a folder already there is as it was.", fg="red", err=True)
        sys.exit(EXIT_INPUT)


def _replan(event, baseline: Path | None, now: str | None):
    """The event compiled against its baseline (None without one)."""
    if baseline is None:
        if now is not None:
            raise EventError([InputProblem("--now", "", "needs --baseline (the schedule whose past it keeps)")])
        return None
    earlier = load_schedule(baseline)
    replanned = replan(event, earlier, parse_now(now, event) if now is not None else None, baseline_name=str(baseline))
    # The past is kept as it took place: a baseline that breaks a rule there cannot be replanned.
    broken = breaks_together(event, replanned.held)
    if broken:
        raise EventError([InputProblem(str(baseline), "meetings", f"before --now, {violation}; that cannot be undone")
                          for violation in broken])
    return replanned


def _changes_summary(changes) -> None:
    counts = changes.counts()
    click.echo()
    click.echo("Changes since the baseline: " + ", ".join(f"{counts[fate]} {fate}" for fate in (
        "kept", "moved", "interpreter", "booth", "cancelled", "added"))
               + f" (interpreter, booth: the same time, another interpreter or booth); disruption {changes.disruption}")
    told = changes.to_tell()
    if told:
        shown = ", ".join(person for _, person in told[:30])
        click.echo(f"  to tell ({len(told)}): {shown}" + (f" and {len(told) - 30} more" if len(told) > 30 else "")
                   + " (see changes.json)")
    for change in changes.changes:
        if change.fate == "cancelled":
            click.echo(f"  cancelled {change.meeting.title}: {change.reason}")


def _refuse_foreign(out: Path, error: NotOurFolder | None = None) -> None:
    """The output folder is replaced whole, so a folder that is not ours stops the run first."""
    if error is None:
        try:
            check_replaceable(out)
            return
        except NotOurFolder as found:
            error = found
    click.secho(f"{error}; nothing was written.", fg="red", err=True)
    sys.exit(EXIT_INPUT)


def _summary(event, schedule, result, time_limit: float, out: Path, files, documents_seconds: float) -> None:
    stats = schedule.stats
    status = {"optimal": "proven optimal", "feasible": "feasible (not proven optimal)",
              "infeasible": "INFEASIBLE"}[schedule.status]
    click.echo()
    click.secho(f"{schedule.event}: {status}", bold=True, fg="red" if schedule.status == "infeasible" else None)
    click.echo(f"  requests     {stats.requested:>6}   priority {stats.priority_requested}")
    if schedule.status != "infeasible":
        bound = stats.priority_bound
        gap = "" if bound is None else f", gap {(bound - stats.priority_scheduled) / max(1, bound):.2%}"
        click.echo(f"  scheduled    {stats.scheduled:>6}   priority {stats.priority_scheduled} "
                   f"(bound {bound if bound is not None else '?'}{gap})")
        for term in result.terms:
            if term.name == "priority":
                continue
            proof = "proven best" if term.proven else (f"bound {term.bound}" if term.bound is not None else "not proven")
            value = term.value if term.value is not None else "?"
            click.echo(f"  {term.name}: {value} ({proof})")
    click.echo(f"  unscheduled  {len(schedule.unscheduled):>6}")
    work = getattr(stats, "work_units", None)
    click.echo(f"  time         {stats.solve_seconds:>6.1f} s"
               + (f"   ({work:.1f} work units; repeatable with the same --seed, --workers and --time-limit)"
                  if work is not None and not result.wall_stopped else ""))
    if result.timed_out:
        click.secho(f"  No schedule placing every required meeting was found within {time_limit:g} s, and none "
                    "is proven impossible: a longer --time-limit may find one.", fg="yellow")
    if result.wall_stopped:
        click.secho("  The time limit's clock cut a search short before its work was done (a slow or busy "
                    "machine): this run may not repeat exactly. A longer --time-limit leaves more room.",
                    fg="yellow")
    click.echo(f"  documents    {documents_seconds:>6.1f} s   (after the solve; not counted in its time)")
    click.echo(f"  files        {out}/  ({_files_text(files)})")
    if schedule.unscheduled:
        click.echo()
        click.echo("Not scheduled:")
        required = {_request_pair(request) for request in event.requests if request.is_required}
        not_attempted = [entry for entry in schedule.unscheduled if entry.reason.startswith(_NOT_ATTEMPTED)]
        # The causes first: a required meeting that cannot be placed is why the rest was not attempted.
        explained = sorted((entry for entry in schedule.unscheduled if not entry.reason.startswith(_NOT_ATTEMPTED)),
                           key=lambda entry: entry.pair not in required)
        # Requests with the same reason (all of them, when no schedule was found in time) on one line.
        by_reason: dict[str, list[str]] = {}
        for entry in explained:
            by_reason.setdefault(entry.reason, []).append(entry.title)
        groups = list(by_reason.items())
        for reason, titles in groups[:SHOWN_REASONS]:
            click.echo(f"  {_some_of(titles)}: {reason}")
        hidden = sum(len(titles) for _, titles in groups[SHOWN_REASONS:])
        if hidden:
            click.echo(f"  ... and {hidden} more (see {out / 'index.html'})")
        if not_attempted:
            count = len(not_attempted)
            click.echo(f"  {count} other request{'s were' if count != 1 else ' was'} not attempted: the required "
                       "meetings above cannot all be placed")


# Reasons listed on the console; the rest are in the documents.
SHOWN_REASONS = 12


def _some_of(titles: list[str], shown: int = 3) -> str:
    """``titles`` for one line: the first few, then how many more."""
    if len(titles) <= shown + 1:
        return ", ".join(titles)
    return f"{', '.join(titles[:shown])} and {len(titles) - shown} more"


# How the solver marks a request it did not try to place because the required ones cannot all be.
_NOT_ATTEMPTED = "not attempted"


def _request_pair(request) -> tuple[str, str]:
    """A request's two people as its schedule entry names them: (buyer, firm) or ``between``."""
    return tuple(request.between) if request.between is not None else (request.buyer, request.firm)


@main.command("plan")
@click.argument("event_file", type=click.Path(dir_okay=False, path_type=Path))
def plan_command(event_file: Path) -> None:
    """Which methods serve each objective level of EVENT_FILE, in order, without solving."""
    try:
        loaded = load_event(event_file)
    except EventError as error:
        _input_errors(error)
    event = loaded.event
    problem = compile_problem(event)
    click.echo(f"{event.event.name}: {event.kind}, {len(event.event.days)} day(s), {len(problem.tasks)} requests")
    for level, methods in planned(problem):
        click.echo(f"  {level}: {' → '.join(methods)}")


@main.command("capacity")
@click.argument("event_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--target", default="all-placed", show_default=True,
              help="What must still be placed: all-placed (every request today's roster places), "
                   "priority>=P, or share=S of the priority requested (e.g. share=0.95).")
@click.option("--profile", "profiles", multiple=True, metavar="LANGS[,HH:MM-HH:MM][,CAP]",
              help="A kind of interpreter that could be hired, e.g. ko+ru or ko+ru,09:00-13:00,8 "
                   "(repeatable); the roster's own kinds are always candidates.")
@click.option("--time-limit", type=click.FloatRange(min=0.5), default=20.0, show_default=True,
              help="Seconds for each solve: today's roster, the fewest interpreters, each re-solve.")
@click.option("--no-marginal", is_flag=True, help="Skip the re-solves with one more or one fewer of each kind.")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for capacity.html (default: the event's published folder, named after the event "
                   "file, where a solve has written one; else that name with -capacity). A later solve "
                   "into the same folder replaces it whole, this page included.")
def capacity_command(event_file: Path, target: str, profiles: tuple[str, ...], time_limit: float,
                     no_marginal: bool, out: Path | None) -> None:
    """How many interpreters of each kind EVENT_FILE needs, proven, and what one more is worth."""
    from scheduler.capacity.hiring import Target
    from scheduler.capacity.page import console, page, write_page
    from scheduler.capacity.study import capacity, checked_profiles

    try:
        goal = Target.parse(target)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--target") from None
    try:
        loaded = load_event(event_file)
        kinds, given = checked_profiles(loaded.event, profiles, str(event_file))
    except EventError as error:
        _input_errors(error)
    _warnings(loaded)
    study = capacity(loaded.event, goal, kinds, given, time_limit, marginal=not no_marginal)
    click.echo(console(study))
    if out is None:
        published = Path.cwd() / event_file.stem
        # Not a new folder under the schedule's name: solve would then refuse it as not its own.
        out = published if any((published / marker).is_file() for marker in MARKERS) \
            else Path.cwd() / f"{event_file.stem}-capacity"
    try:
        written = write_page(out, page(study))
    except OSError as error:
        click.secho(f"{out}: could not be written ({error.strerror or error})", fg="red", err=True)
        sys.exit(EXIT_INPUT)
    click.echo(f"\nPage: {written}")


def _files_text(files) -> str:
    agendas = sum(1 for name in files if name.startswith("agendas/") and name.endswith(".html"))
    grids = sum(1 for name in files if name.startswith("grid"))
    pdfs = sum(1 for name in files if name.endswith(".pdf"))
    return (f"index.html, schedule.json, {agendas} agendas, {grids} grid page(s), {pdfs} PDFs: "
            f"one per person, print/ has one per role and the desk grid")


@main.command("render")
@click.argument("event_file", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("schedule_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: the schedule file's folder).")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="Processes laying out the PDFs.")
def render_command(event_file: Path, schedule_file: Path, out: Path | None, workers: int) -> None:
    """Write the agendas, calendars, desk grid and PDFs of SCHEDULE_FILE again, without solving
    (after a change of names, languages or video calls in EVENT_FILE)."""
    try:
        event = load_event(event_file).event
        schedule = load_schedule(schedule_file)
    except EventError as error:
        _input_errors(error)
    # The event renamed since the solve (a name is what this command is for): the schedule is
    # checked, and written again, under the new name.
    was = schedule.event
    if was != event.event.name:
        schedule = schedule.model_copy(update={"event": event.event.name})
    violations = check_schedule(event, schedule)
    if violations:
        for violation in violations:
            click.secho(str(violation), fg="red", err=True)
        click.echo(f"{schedule_file} does not keep the rules of {event_file}; nothing was written.", err=True)
        sys.exit(EXIT_NOT_DONE)
    out = out or schedule_file.parent
    started = time.perf_counter()
    line = _ProgressLine(quiet=False)
    files: dict[str, str | bytes] = dict(render_documents(
        event, schedule, pdfs=True, workers=workers,
        progress=lambda message: line.note(time.perf_counter() - started, message)))
    files["schedule.json"] = schedule.to_json() if was != schedule.event else schedule_file.read_bytes()
    seconds = time.perf_counter() - started
    _publish(out, files)
    if was != schedule.event:
        click.echo(f"The event is now named {schedule.event!r}; the schedule was written for {was!r}. The documents "
                   "and schedule.json carry the new name.")
    click.echo(f"{schedule.event}: rendered in {seconds:.1f} s")
    click.echo(f"  files        {out}/  ({_files_text(files)})")


@main.command("check")
@click.argument("event_file", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("schedule_file", type=click.Path(dir_okay=False, path_type=Path))
@_BASELINE
@_NOW
def check_command(event_file: Path, schedule_file: Path, baseline: Path | None, now: str | None) -> None:
    """Re-verify SCHEDULE_FILE against EVENT_FILE, rule by rule (with --baseline: also that nothing
    before --now changed, and how much changed)."""
    try:
        loaded = load_event(event_file)
        schedule = load_schedule(schedule_file)
        replanned = _replan(loaded.event, baseline, now)
    except EventError as error:
        _input_errors(error)
    _warnings(loaded)
    event = loaded.event
    violations = check_schedule(event, schedule)
    if replanned is not None:
        changes = compare(event, replanned.baseline, schedule)
        violations += [Violation("changes add up", problem) for problem in figures_agree(schedule, changes)]
        if replanned.now is not None:
            violations += [Violation("nothing before --now changed", problem)
                           for problem in past_kept(event, replanned.baseline, schedule, replanned.now)]
        if not violations:
            _changes_summary(changes)
    if violations:
        for violation in violations:
            click.secho(str(violation), fg="red")
        click.echo(f"{len(violations)} violation{'s' if len(violations) != 1 else ''}.")
        sys.exit(EXIT_NOT_DONE)
    click.echo(f"ok: {len(schedule.meetings)} meetings and {len(schedule.unscheduled)} unscheduled requests "
               f"keep every rule.")


@main.group("generate")
def generate_group() -> None:
    """Write a realistic synthetic event file (seeded) to try the tool at any size."""


def _write_generated(data: dict, out: Path, what: str) -> None:
    from scheduler.generate import write_event

    write_event(data, out, header=f"Made by `schedule generate {what}`.")
    click.echo(f"{out}: {len(data['requests'])} requests")


_OUT = click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
                    help="The event file to write (YAML).")
_SEED = click.option("--seed", type=int, default=0, show_default=True)


def _traits(kind: str):
    from scheduler.generate import TRAITS

    def parse(context, parameter, value):
        from scheduler.generate import parse_traits

        try:
            return parse_traits(kind, value)
        except ValueError as error:
            raise click.BadParameter(str(error)) from None

    return click.option("--traits", callback=parse, default="none", show_default=True,
                        help=f"Comma-separated, or all: {', '.join(TRAITS[kind])}.")


def _traits_text(traits: frozenset[str], kind: str) -> str:
    from scheduler.generate import TRAITS

    return f" --traits {','.join(t for t in TRAITS[kind] if t in traits)}" if traits else ""


@generate_group.command("plaza")
@click.option("--buyers", type=click.IntRange(min=1), default=47, show_default=True)
@click.option("--firms", type=click.IntRange(min=1), default=115, show_default=True)
@click.option("--days", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--interpreters", type=click.IntRange(min=0), default=None, help="Default: half the buyers.")
@_traits("plaza")
@_SEED
@_OUT
def generate_plaza_command(buyers, firms, days, interpreters, traits, seed, out) -> None:
    """A business plaza (buyers keep tables, firms rotate)."""
    from scheduler.generate import generate_plaza

    _write_generated(generate_plaza(buyers=buyers, firms=firms, days=days, interpreters=interpreters, seed=seed,
                                    traits=traits),
                     out, f"plaza --buyers {buyers} --firms {firms} --days {days} --seed {seed}"
                          f"{_traits_text(traits, 'plaza')}")


@generate_group.command("teleconference")
@click.option("--days", type=click.IntRange(min=1), default=5, show_default=True)
@click.option("--booths", type=click.IntRange(min=1), default=15, show_default=True)
@click.option("--requests-per-day", type=click.IntRange(min=1), default=80, show_default=True)
@_traits("teleconference")
@_SEED
@_OUT
def generate_teleconference_command(days, booths, requests_per_day, traits, seed, out) -> None:
    """The teleconference room (remote buyers in their own zones, relays)."""
    from scheduler.generate import generate_teleconference

    _write_generated(generate_teleconference(days=days, booths=booths, requests_per_day=requests_per_day, seed=seed,
                                             traits=traits),
                     out, f"teleconference --days {days} --booths {booths} --seed {seed}"
                          f"{_traits_text(traits, 'teleconference')}")


@generate_group.command("brokerage")
@click.option("--participants", type=click.IntRange(min=2), default=60, show_default=True)
@click.option("--meetings", type=click.IntRange(min=1), default=200, show_default=True)
@click.option("--slots", type=click.IntRange(min=2), default=16, show_default=True)
@click.option("--tables", type=click.IntRange(min=1), default=20, show_default=True)
@_traits("brokerage")
@_SEED
@_OUT
def generate_brokerage_command(participants, meetings, slots, tables, traits, seed, out) -> None:
    """An any-to-any brokerage day of the research benchmarks' shape (all meetings required)."""
    from scheduler.generate import brokerage_shortfall, generate_brokerage

    data = generate_brokerage(participants=participants, meetings=meetings, slots=slots, tables=tables, seed=seed,
                              traits=traits)
    _write_generated(data, out, f"brokerage --participants {participants} --meetings {meetings} --slots {slots} "
                                f"--tables {tables} --seed {seed}{_traits_text(traits, 'brokerage')}")
    shortfall = brokerage_shortfall(data, meetings, slots, tables)
    if shortfall:
        click.secho(shortfall, fg="yellow", err=True)


if __name__ == "__main__":
    main()
