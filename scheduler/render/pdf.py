"""PDFs: the agendas and the desk grid as WeasyPrint lays out the same HTML pages.

A print stylesheet (``templates/print-*.css``) is added to each page; there is no second layout.
Each role's agendas are laid out once, in chunks of people (``bundle.html.j2``: one person from
a new page, one day per page), and each person's own PDF is cut from its chunk (pypdf copies the
pages and the fonts they use), which is far cheaper than laying a person out twice: WeasyPrint's
styles are computed once per document. The chunks are laid out, and cut, in parallel by spawned
workers, as the solver's parallel parts are, and joined into the role's PDF. Chunks keep the
workers evenly busy on a large event, and keep each person's PDF small: it carries the font
subsets of its chunk, not of every name of the role.

The fonts are the system's (Noto, from Debian's fonts-noto-core and fonts-noto-cjk; see README):
WeasyPrint embeds a subset of each font it uses, so the PDFs carry every glyph they show.
"""

from __future__ import annotations

import io
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib.resources import files

# The desk grid's type size: about the largest of these (points) at which a day fits its page.
GRID_SIZES = (8.0, 7.5, 7.0, 6.5, 6.0, 5.5, 5.0, 4.75, 4.5, 4.25, 4.0)
# Below this, a teleconference day is printed one floor per page instead (FORMAT.md's floors).
FLOOR_SPLIT_BELOW = 6.0


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


def render_pdfs(bundles: list[Bundle], workers: int = 1) -> dict[str, bytes]:
    """Relative path -> PDF: each bundle, and each document's own PDF where it names one."""
    pieces: dict[str, list[Bundle]] = {bundle.path: _chunks(bundle) for bundle in bundles if bundle.documents}
    jobs = sorted((piece for chunks in pieces.values() for piece in chunks), key=lambda b: -_cost(b))
    done: dict[tuple[str, int], dict[str, bytes]] = {}
    if min(workers, len(jobs)) > 1:
        # Largest first, each to the next free worker.
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs)),
                                 mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = {(piece.path, id(piece)): pool.submit(_render_bundle, piece) for piece in jobs}
            done = {key: future.result() for key, future in futures.items()}
    else:
        done = {(piece.path, id(piece)): _render_bundle(piece) for piece in jobs}
    out: dict[str, bytes] = {}
    for path, chunks in pieces.items():
        rendered = [done[(path, id(piece))] for piece in chunks]
        for files in rendered:
            out.update(files)
        if len(rendered) > 1:
            out[path] = _joined([files[path] for files in rendered])
    return out


def _chunks(bundle: Bundle) -> list[Bundle]:
    """The bundle as pieces laid out apart: one per document, each with its own parts (the
    desk grid is one piece: its type size is chosen across its days)."""
    if bundle.fit_grid or len(bundle.documents) == 1:
        return [bundle]
    return [Bundle(bundle.path, bundle.stylesheet, (html,),
                   tuple(part for part in bundle.parts if f'id="{part[1]}"' in html))
            for html in bundle.documents]


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
    """About how long a bundle takes to lay out: its HTML's length, the desk grid's thrice (it is
    laid out at two or three type sizes)."""
    return sum(len(html) for html in bundle.documents) * (3 if bundle.fit_grid else 1)


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
    """A day's desk grid on one landscape page, in the largest type that fits; in the
    teleconference room, one page per floor when the day would need smaller type than
    ``FLOOR_SPLIT_BELOW``; at the smallest size, the pages it takes."""
    from weasyprint import HTML

    def lay_out(size: float, by_floor: bool):
        extra = f"table.grid {{ font-size: {size}pt; }}"
        if by_floor:
            extra += " tr.floor:not(:first-child) { break-before: page; }"
        return HTML(string=_with_print_style(html, css + extra)).render()

    def fitted(by_floor: bool, pages_wanted: int):
        # Start near the size that fits (about 30 rows of two lines fit at 8 pt), then step down:
        # the table's height shrinks about as the type does.
        rows = html.count("<tr") / pages_wanted
        guess = 8.0 * min(1.0, 30 / max(rows, 1)) * 1.1
        index = next((i for i, size in enumerate(GRID_SIZES) if size <= guess), len(GRID_SIZES) - 1)
        while True:
            size = GRID_SIZES[index]
            if kind == "teleconference" and not by_floor and size < FLOOR_SPLIT_BELOW:
                return None
            document = lay_out(size, by_floor)
            pages = len(document.pages)
            if pages <= pages_wanted:
                # The guess may be low (rows of one line): take larger type while it still fits.
                while index > 0:
                    larger = lay_out(GRID_SIZES[index - 1], by_floor)
                    if len(larger.pages) > pages_wanted:
                        break
                    document, index = larger, index - 1
                return document
            if index == len(GRID_SIZES) - 1:
                return document
            guess = size * pages_wanted / pages * 1.1
            index = next((i for i in range(index + 1, len(GRID_SIZES)) if GRID_SIZES[i] <= guess),
                         len(GRID_SIZES) - 1)

    document = fitted(False, 1)
    if document is None:
        document = fitted(True, max(html.count('<tr class="floor">'), 1))  # the grid template's floor rows
    return document
