"""The study for people: a console table read at a glance, and ``capacity.html``, a page with
the chart of priority placed against interpreters added, drawn by matplotlib and embedded as
inline SVG so that it shows offline."""

from __future__ import annotations

import html
import io
import os
import tempfile
from pathlib import Path

from scheduler.capacity.marginal import in_words
from scheduler.capacity.study import Study
from scheduler.output import FILE_MODE


def _signed(value: int) -> str:
    return f"{value:+,}" if value else "0"


def _proof(study: Study) -> str:
    hiring = study.hiring
    if hiring.total is None:
        if hiring.feasible is False:
            return "the target cannot be met, even with every candidate hired (proven infeasible)"
        return "no roster found within the time limit"
    if hiring.proven:
        return (f"fewest in all proven ({hiring.engine}, {hiring.seconds:.1f} s); the split by profile is one "
                "roster of that size")
    if hiring.bound is None:
        return f"best found {hiring.total}, no bound proven ({hiring.engine}, {hiring.seconds:.1f} s)"
    return (f"best found {hiring.total}, proven bound {hiring.bound}, gap {hiring.gap:.1%} "
            f"({hiring.engine}, {hiring.seconds:.1f} s)")


def _change(outcome, base) -> str:
    """Priority (firms met) against today's, or why there is none."""
    if not outcome.feasible:
        return "a required meeting fails"
    return (f"{_signed(outcome.priority - base.priority)} ({_signed(outcome.firms_met - base.firms_met)})"
            + ("" if outcome.proven else "*"))


def rows(study: Study) -> list[list[str]]:
    """The table's rows: a profile, today's count, the fewest, the change, and the priority
    (firms met) gained with one more and lost with one fewer."""
    by_label = {m.profile.label: m for m in study.marginals}
    today, fewest = study.hiring.roster.today, study.hiring.fewest
    found = []
    for i, profile in enumerate(study.profiles):
        row = [profile.label, str(today[i]), str(fewest[i]) if fewest else "?",
               _signed(fewest[i] - today[i]) if fewest else "?"]
        marginal = by_label.get(profile.label)
        base = study.today
        if marginal is not None:
            row.append(_change(marginal.more, base))
            row.append("-" if marginal.fewer is None else _change(marginal.fewer, base))
        found.append(row)
    return found


def console(study: Study) -> str:
    today, hiring = study.today, study.hiring
    people, meetings = len(study.event.interpreters), len(today.placements)
    lines = [f"Today's roster: {people} interpreter{'s place' if people != 1 else ' places'} {meetings} "
             f"meeting{'s' if meetings != 1 else ''}, priority {today.priority:,}"
             + (" (proven best)" if today.proven else f" (bound {today.bound:,})" if today.bound is not None else ""),
             f"Target: {hiring.target.describe()}", ""]
    if not today.feasible:
        lines.insert(1, "  (today's roster cannot place every required or pinned meeting: `schedule solve` says why)")
    header = ["interpreters", "today", "fewest", "change"]
    if study.marginals:
        header += ["one more: priority (firms)", "one fewer: priority (firms)"]
    table = [header, *rows(study)]
    if hiring.fewest:
        table.append(["total", str(sum(hiring.roster.today)), str(hiring.total),
                      _signed(hiring.total - sum(hiring.roster.today))])
    widths = [max(len(r[c]) for r in table if c < len(r)) for c in range(len(header))]
    for r in table:
        lines.append("  " + "  ".join(cell.ljust(widths[c]) if c == 0 else cell.rjust(widths[c])
                                      for c, cell in enumerate(r)).rstrip())
    lines.append(f"  {_proof(study)}")
    if hiring.never:
        lines.append(f"  {len(hiring.never)} request(s) of the target can never take place whoever is hired "
                     "(left out of it)")
    if any(hiring.roster.candidates):
        lines.append("  candidates: up to " + ", ".join(f"{n} more {p.label}" for p, n in
                                                         zip(study.profiles, hiring.roster.candidates) if n))
    if study.marginals:
        lines.append(f"  One more / one fewer: priority re-solved with the roster changed by one "
                     f"(each within {study.seconds_each:g} s; * not proven best in that time).")
    if study.rooms is not None:
        lines += ["", *rooms_lines(study)]
    base = study.today
    for room in study.room_marginals:
        fewer = "-" if room.fewer is None else _change(room.fewer, base)
        lines.append(f"  one more {room.label} (of {room.today}): priority (firms) {_change(room.more, base)}; "
                     f"one fewer: {fewer}")
    if study.curve:
        top = study.scarcest.profile.label
        lines += ["", f"Scarcest profile {top}: priority placed with more of it (re-solved)"]
        lines += [f"  {p.interpreters:>3} {top}: {p.priority:,}" + ("" if p.proven else "*") for p in study.curve]
    if study.shortages:
        lines += ["", "Bottleneck:"]
        lines += [f"  {in_words(s)}" for s in study.shortages[:6]]
    return "\n".join(lines)


def _rooms_proof(rooms) -> str:
    if rooms.total is None:
        return ("the target cannot be met with every booth (proven infeasible)" if rooms.feasible is False
                else "none found within the time limit")
    if rooms.proven:
        return f"fewest proven ({rooms.engine}, {rooms.seconds:.1f} s)"
    bound = "no bound proven" if rooms.bound is None else f"proven bound {rooms.bound}"
    return f"best found {rooms.total}, {bound} ({rooms.engine}, {rooms.seconds:.1f} s)"


def rooms_lines(study: Study) -> list[str]:
    """Tables: the fewest on the busiest day. Booths: a row per floor, a column per day."""
    rooms = study.rooms
    if rooms.kind == "tables":
        have = max(rooms.have.values())
        fewest = "?" if rooms.total is None else f"{rooms.total} of {have}"
        return [f"Tables: fewest {fewest} (buyers with a meeting on the busiest day); {_rooms_proof(rooms)}"]
    days = study.event.event.days
    floors = sorted({floor for floor, _ in rooms.have}, key=lambda f: (f is None, f or 0))
    table = [["booths", *(f"{d.date:%a %d %b}" for d in days)]]
    for floor in floors:
        table.append([f"floor {floor}" if floor is not None else "no floor",
                      *(("?" if rooms.opened is None else str(rooms.opened[(floor, i)])) + f" of {rooms.have[(floor, i)]}"
                        for i in range(len(days)))])
    widths = [max(len(r[c]) for r in table) for c in range(len(table[0]))]
    lines = ["Booths per floor and day, fewest:"]
    lines += ["  " + "  ".join(cell.ljust(widths[c]) if c == 0 else cell.rjust(widths[c])
                               for c, cell in enumerate(r)) for r in table]
    total = "?" if rooms.total is None else str(rooms.total)
    lines.append(f"  {total} booth-days of {sum(rooms.have.values())}; {_rooms_proof(rooms)}")
    return lines


def chart_svg(study: Study) -> str:
    """Two charts as one inline SVG: left, priority placed against the number of interpreters of
    the scarcest profile (one fewer, today, +1..+5); right, the priority one more and one fewer
    of each profile gains or loses (hatched where a re-solve was not proven)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    base = study.today.priority
    marginals = sorted(study.marginals, key=lambda m: m.more.priority, reverse=True)
    figure, (left, right) = pyplot.subplots(1, 2, figsize=(11, max(4.0, 0.32 * len(marginals) + 1.5)),
                                            gridspec_kw={"width_ratios": [1, 1.2]})
    top = study.scarcest
    if top is not None:
        points = [(p.interpreters, p.priority, p.proven) for p in study.curve]
        if top.fewer is not None and top.fewer.feasible:
            points.insert(0, (top.today - 1, top.fewer.priority, top.fewer.proven))
        left.plot([x for x, _, _ in points], [y for _, y, _ in points], marker="o", linewidth=2)
        for x, y, proven in points:
            if not proven:
                left.annotate("not proven", (x, y), textcoords="offset points", xytext=(4, -12), fontsize="x-small")
        left.axvline(top.today, color="grey", linestyle=":", linewidth=1)
        left.set_xlabel(f"{top.profile.label} interpreters (today {top.today})")
        left.set_ylabel("priority placed")
        left.set_title(f"Scarcest profile: {top.profile.label}")
        left.grid(True, alpha=0.3)
        left.xaxis.get_major_locator().set_params(integer=True)
    labels = [m.profile.label for m in marginals]
    rows_at = range(len(marginals))
    gains = [m.more.priority - base for m in marginals]
    losses = [(m.fewer.priority - base) if m.fewer is not None and m.fewer.feasible else 0 for m in marginals]
    right.barh(rows_at, gains, color="tab:green", label="one more",
               hatch=["" if m.more.proven else "//" for m in marginals])
    right.barh(rows_at, losses, color="tab:red", label="one fewer",
               hatch=["" if m.fewer is None or m.fewer.proven else "//" for m in marginals])
    for row, m in zip(rows_at, marginals):
        if m.fewer is not None and not m.fewer.feasible:
            right.annotate("one fewer: a required meeting fails", (0, row), xytext=(-4, 0),
                           textcoords="offset points", ha="right", va="center", fontsize="x-small")
    right.set_yticks(list(rows_at), labels)
    right.invert_yaxis()
    right.axvline(0, color="black", linewidth=0.8)
    right.set_xlabel("priority against today's (re-solved)")
    right.set_title("One more or one fewer of each profile")
    right.grid(True, axis="x", alpha=0.3)
    right.legend(fontsize="small", loc="lower right")
    figure.tight_layout()
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    pyplot.close(figure)
    svg = buffer.getvalue()
    return svg[svg.index("<svg"):]


def page(study: Study) -> str:
    header = ["interpreters", "today", "fewest", "change"]
    if study.marginals:
        header += ["one more: priority (firms)", "one fewer: priority (firms)"]
    cells = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows(study))
    unchanged = [m.profile.label for m in study.marginals
                 if m.more.priority == study.today.priority
                 and (m.fewer is None or m.fewer.priority == study.today.priority) and m is not study.scarcest]
    console_text = html.escape(console(study))
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{html.escape(study.event.event.name)}: capacity</title>
<style>body{{font-family:sans-serif;margin:2em;max-width:72em}}figure{{margin:1em 0}}figure svg{{max-width:100%;height:auto}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:.25em .6em;text-align:right}}td:first-child{{text-align:left}}
pre{{background:#f6f6f6;padding:1em;overflow-x:auto}}</style></head><body>
<h1>{html.escape(study.event.event.name)}: how many interpreters</h1>
<p>Target: {html.escape(study.hiring.target.describe())}. {html.escape(_proof(study)[:1].upper() + _proof(study)[1:])}.</p>
<table><tr>{"".join(f"<th>{html.escape(h)}</th>" for h in header)}</tr>{cells}</table>
<figure>{chart_svg(study) if study.marginals else ""}
<figcaption>Each figure is priority re-solved with the roster changed (within {study.seconds_each:g} s each;
hatched or marked: not proven best in that time).
{html.escape("No change with one more or one fewer: " + ", ".join(unchanged) + ".") if unchanged else ""}</figcaption></figure>
<h2>The whole report</h2><pre>{console_text}</pre>
</body></html>
"""


def write_page(folder: Path, text: str) -> Path:
    """``capacity.html`` written beside whatever the folder holds (a published schedule stays),
    through a temporary file renamed in place, so a reader never sees half a page."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "capacity.html"
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".capacity-", suffix=".html")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, FILE_MODE)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
