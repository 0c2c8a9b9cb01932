"""PDFs: the agendas and the desk grid as WeasyPrint lays out the same HTML pages.

A print stylesheet (``templates/print-*.css``) is added to each page; there is no second layout.
Each role's agendas are laid out once, in chunks of people (``bundle.html.j2``: one person from
a new page, one day per page), and each person's own PDF is cut from its chunk (pypdf copies the
pages and the fonts they use), which is far cheaper than laying a person out twice: WeasyPrint's
styles are computed once per document. The chunks are laid out, and cut, in parallel by spawned
workers, as the solver's parallel parts are, and joined into the role's PDF. Chunks keep the
workers evenly busy on a large event; each person's PDF carries the font subsets of its chunk,
not of every name of the role.

The fonts are the system's (Noto, from Debian's fonts-noto-core and fonts-noto-cjk; see README):
WeasyPrint embeds a subset of each font it uses, so the PDFs carry every glyph they show.
"""

from __future__ import annotations

import io
import multiprocessing
import re
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from importlib.resources import files

# The desk grid's type size: about the largest of these (points) at which a day fits its page.
GRID_SIZES = (8.0, 7.5, 7.0, 6.5, 6.0, 5.5, 5.0, 4.75, 4.5, 4.25, 4.0)
# Below this, a teleconference day is printed one floor per page instead (FORMAT.md's floors).
FLOOR_SPLIT_BELOW = 6.0
_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)


@dataclass(frozen=True)
class Bundle:
    """HTML documents to lay out, one after another, into one PDF. Each document of a bundle
    that is not the desk grid is laid out on its own (a chunk) and the PDFs joined."""

    path: str
    stylesheet: str  # a file of templates/
    documents: tuple[str, ...]
    # (path of a PDF of its own, id of the element its pages begin with), in page order
    parts: tuple[tuple[str, str], ...] = ()
    fit_grid: str | None = None  # the event's kind, for the desk grid: type size chosen to fit


def render_pdfs(bundles: list[Bundle], workers: int = 1,
                laid_out: Callable[[str], None] | None = None) -> dict[str, bytes]:
    """Relative path -> PDF: each bundle, and each document's own PDF where it names one.
    ``laid_out`` is told each bundle's path as its last chunk is done (for progress lines)."""
    pieces: dict[str, list[Bundle]] = {bundle.path: _chunks(bundle) for bundle in bundles if bundle.documents}
    jobs = sorted((piece for chunks in pieces.values() for piece in chunks), key=lambda b: -_cost(b))
    left = {path: len(chunks) for path, chunks in pieces.items()}

    def finished(piece: Bundle) -> None:
        left[piece.path] -= 1
        if laid_out is not None and left[piece.path] == 0:
            laid_out(piece.path)

    done: dict[tuple[str, int], dict[str, bytes]] = {}
    if min(workers, len(jobs)) > 1:
        # Largest first, each to the next free worker.
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs)),
                                 mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = {pool.submit(_render_bundle, piece): piece for piece in jobs}
            for future in as_completed(futures):
                piece = futures[future]
                done[(piece.path, id(piece))] = future.result()
                finished(piece)
    else:
        for piece in jobs:
            done[(piece.path, id(piece))] = _render_bundle(piece)
            finished(piece)
    out: dict[str, bytes] = {}
    for path, chunks in pieces.items():
        rendered = [done[(path, id(piece))] for piece in chunks]
        for piece in rendered:
            out.update(piece)
        if len(rendered) > 1:
            out[path] = _joined([piece[path] for piece in rendered])
    return out


def _chunks(bundle: Bundle) -> list[Bundle]:
    """The bundle as pieces laid out apart: one per document, each with its own parts (the
    desk grid is one piece: its type size is chosen across its days)."""
    if bundle.fit_grid or len(bundle.documents) == 1:
        return [bundle]
    # The parts are in page order, so each document's are the next ones whose element it holds:
    # one search a part, not one a part and document (a role of 1,500 in 15 chunks).
    pieces, parts, next_part = [], bundle.parts, 0
    for html in bundle.documents:
        first = next_part
        while next_part < len(parts) and f'id="{parts[next_part][1]}"' in html:
            next_part += 1
        pieces.append(Bundle(bundle.path, bundle.stylesheet, (html,), parts[first:next_part]))
    return pieces


def _joined(pdfs: list[bytes]) -> bytes:
    """PDFs one after another, as one."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for data in pdfs:
        writer.append(PdfReader(io.BytesIO(data)))
    stream = io.BytesIO()
    writer.write(stream)
    return stream.getvalue()


def _render_bundle(bundle: Bundle) -> dict[str, bytes]:
    """The bundle's PDF and each of its parts' own."""
    data, starts = _lay_out(bundle)
    return {bundle.path: data, **_cut(data, [path for path, _ in bundle.parts], starts)}


def _cost(bundle: Bundle) -> int:
    """About how long a bundle takes to lay out: its HTML's length but for scripts (the desk page
    carries its data in one, never laid out), the desk grid's thrice (it is laid out at several
    type sizes)."""
    length = sum(len(_SCRIPT.sub("", html)) for html in bundle.documents)
    return length * (3 if bundle.fit_grid else 1)


def _cut(data: bytes, paths: list[str], starts: list[int]) -> dict[str, bytes]:
    """Each part's pages of a bundle (from its first page to the next part's), as a PDF of its own."""
    from pypdf import PdfReader, PdfWriter

    out: dict[str, bytes] = {}
    if not paths:
        return out
    reader = PdfReader(io.BytesIO(data))
    for path, first, end in zip(paths, starts, [*starts[1:], len(reader.pages)], strict=True):
        writer = PdfWriter()
        for number in range(first, end):
            writer.add_page(reader.pages[number])
        stream = io.BytesIO()
        writer.write(stream)
        out[path] = stream.getvalue()
    return out


def _with_print_style(html: str, css: str) -> str:
    """The page with the print stylesheet last in its head: WeasyPrint gives stylesheets passed
    to it the user's origin, below the page's own styles, so it goes in as the author's."""
    return html.replace("</head>", f"<style>\n{css}\n</style>\n</head>", 1)


def _lay_out(bundle: Bundle) -> tuple[bytes, list[int]]:
    """(the bundle's PDF, the page each part begins on)."""
    from weasyprint import HTML

    css = files("scheduler.render").joinpath("templates", bundle.stylesheet).read_text(encoding="utf-8")
    documents = []
    for html in bundle.documents:
        if bundle.fit_grid:
            documents.append(_fit_grid(html, css, bundle.fit_grid))
        else:
            documents.append(HTML(string=_with_print_style(html, css)).render())
    pages = [page for document in documents for page in document.pages]
    first_page: dict[str, int] = {}
    for number, page in enumerate(pages):
        for anchor in page.anchors:
            first_page.setdefault(anchor, number)
    data = documents[0].copy(pages).write_pdf()
    return data, [first_page[anchor] for _, anchor in bundle.parts]


def _fit_grid(html: str, css: str, kind: str):
    """The desk page with each day on one landscape page, in the largest type that fits it; in
    the teleconference room, one page per floor when the day would need smaller type than
    ``FLOOR_SPLIT_BELOW``; at the smallest size, the pages it takes.

    The page is parsed once and laid out whole at each try, every day still searching at the
    size it asks for next: a day begins a new page, so its pages depend on its own size alone,
    and the tries of all days together take as many layouts as the day that needs most."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    # Its scripts (the page's data among them) are neither run nor laid out: not parsed either.
    page = HTML(string=_with_print_style(_SCRIPT.sub("", html), css))
    fonts = FontConfiguration()
    days = _grid_days(page.etree_element)
    searches = {day: _fit_day(kind, rows, floors) for day, rows, floors in days}
    trying = {day: next(search) for day, search in searches.items()}
    chosen: dict[str, tuple[float, bool]] = {}
    layouts = []
    while trying:
        settings = {**chosen, **trying}
        document = page.render(font_config=fonts, stylesheets=[CSS(string=_grid_settings(settings))])
        layouts.append((settings, document))
        taken = _pages_per_day(document, [day for day, _, _ in days])
        for day in list(trying):
            try:
                trying[day] = searches[day].send(taken[day])
            except StopIteration as done:
                chosen[day] = done.value
                del trying[day]
        # Only a layout with every settled day as settled may be the one to print.
        layouts = [(tried, laid_out) for tried, laid_out in layouts
                   if all(tried[day] == setting for day, setting in chosen.items())]
    for settings, document in layouts:
        if settings == chosen:
            return document
    return page.render(font_config=fonts, stylesheets=[CSS(string=_grid_settings(chosen))])


def _fit_day(kind: str, rows: int, floors: int):
    """One day's search for its type size: yields (size, a floor per page) to try, is sent the
    pages the day then took, and returns the setting to print it with."""

    def fitted(by_floor: bool, pages_wanted: int):
        # Start near the size that fits (about 30 rows of two lines fit at 8 pt), then step down:
        # the table's height shrinks about as the type does.
        guess = 8.0 * min(1.0, 30 / max(rows / pages_wanted, 1)) * 1.1
        if kind == "teleconference" and not by_floor:
            guess = max(guess, FLOOR_SPLIT_BELOW)  # a day of one-line rows may fit: tried before it is split
        index = next((i for i, size in enumerate(GRID_SIZES) if size <= guess), len(GRID_SIZES) - 1)
        fits, overflows = None, -1  # indexes of the smallest size known to fit, the largest known not to
        while True:
            size = GRID_SIZES[index]
            if kind == "teleconference" and not by_floor and size < FLOOR_SPLIT_BELOW:
                return None
            pages = yield size, by_floor
            if pages <= pages_wanted:
                fits = index
            elif index == len(GRID_SIZES) - 1:
                return size, by_floor
            else:
                overflows = index
            if fits is None:
                guess = size * pages_wanted / pages * 1.1
                index = next((i for i in range(index + 1, len(GRID_SIZES)) if GRID_SIZES[i] <= guess),
                             len(GRID_SIZES) - 1)
            elif fits - overflows == 1 or fits == 0:
                return GRID_SIZES[fits], by_floor
            elif overflows < 0:
                # The guess may be low (rows of one line): take larger type while it still fits.
                index = fits - 1
            else:
                index = (overflows + fits) // 2  # halve the sizes between one that fits and one that does not

    setting = yield from fitted(False, 1)
    if setting is None:
        setting = yield from fitted(True, max(floors, 1))
    return setting


def _grid_days(root) -> list[tuple[str, int, int]]:
    """(id, rows, floor heading rows) of each day of the desk page (grid.html.j2's sections)."""
    days = []
    for section in root.iter("section"):
        if "day" in section.get("class", "").split():
            rows = list(section.iter("tr"))
            floors = sum("floor" in row.get("class", "").split() for row in rows)
            days.append((section.get("data-day"), len(rows), floors))
    return days


def _grid_settings(settings: dict[str, tuple[float, bool]]) -> str:
    """Each day's type size, and its floors from new pages where asked. WeasyPrint gives this
    stylesheet the user's origin, so its declarations are important to win over the page's."""
    rules = []
    for day, (size, by_floor) in settings.items():
        section = f'section.day[data-day="{day}"]'
        rules.append(f"{section} table.grid {{ font-size: {size}pt !important; }}")
        if by_floor:
            rules.append(f"{section} tr.floor ~ tr.floor {{ break-before: page !important; }}")
    return "\n".join(rules)


def _pages_per_day(document, days: list[str]) -> dict[str, int]:
    """The pages each day's section takes in a laid-out desk page (each begins a new page)."""
    first: dict[str, int] = {}
    for number, page in enumerate(document.pages):
        for anchor in page.anchors:
            first.setdefault(anchor, number)
    starts = [first[f"day-{day}"] for day in days]
    return {day: end - start for day, start, end in zip(days, starts, [*starts[1:], len(document.pages)], strict=True)}
