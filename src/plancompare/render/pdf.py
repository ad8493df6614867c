"""PDF -> rendition with pdfplumber: ruled tables as TAB rows, the rest as joined paragraphs.

Per page: the table finder locates ruled tables; every cell covered by a merged cell gets that
cell's text. The remaining characters form text lines; a gap wider than
``render.toml [pdf] column_gap`` character widths inside a line is a column break (TAB), so
tables aligned with spaces instead of rules also reach the parsers as cells. Lines at the top or
bottom of a page that repeat on other pages (running headers and footers) or read as a page
number are page furniture and left out. A line that runs to the right margin, or stops short of
it by less than the width of the next line's first word (a number or Latin word that did not fit),
continues on the next line (also across a page break) unless that line is indented, set in
another font size, or stands after a paragraph gap: such lines are joined into one paragraph.
"""

from __future__ import annotations

import io
import re
import statistics
from collections import Counter
from dataclasses import dataclass

from ..errors import InputError
from .rendition import Builder, Rendition, join_wrapped

VERSION = 2


@dataclass
class _Line:
    page: int
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    lead: float = 0.0   # width of the first word (an ASCII run, else one character)


@dataclass
class _Table:
    page: int
    top: float
    rows: list[list[str]]


def renderer(fmt: str = "pdf") -> str:
    """Renderer name, version and library version (a change renders cached files again)."""
    import pdfplumber

    return f"pdf/{VERSION} pdfplumber {pdfplumber.__version__}"


def render(data: bytes, name: str, *, fmt: str = "pdf") -> Rendition:
    """Render the bytes of a PDF file.

    Parameters
    ----------
    data : bytes
    name : str
        The file as named in errors.
    fmt : str
        The format recorded in the rendition.

    Returns
    -------
    Rendition

    Raises
    ------
    InputError
        Encrypted, damaged, or without a text layer (a scan).
    """
    pages = _read_pages(data, name)
    if not any(isinstance(x, _Table) or x.text.strip() for page in pages for x in page):
        raise InputError("this PDF has no text layer: it is a scan", path=name,
                         fix="run OCR first (e.g. `ocrmypdf in.pdf out.pdf`, or save it as text "
                             "from the publisher's Word file) and register the OCR'd file")
    pages = _drop_furniture(pages)
    builder = Builder(fmt, renderer(fmt))
    _emit(pages, builder)
    return builder.build()


def _read_pages(data: bytes, name: str) -> list[list]:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.psparser import PSException
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return [_page_items(page, n) for n, page in enumerate(pdf.pages, 1)]
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect) or "password" in str(cause).lower():
            raise InputError("this PDF is encrypted (it needs a password to open)", path=name,
                             fix="open it with its password and save or print it to a PDF "
                                 "without a password, then register that file") from None
        raise _damaged(name, cause) from None
    except (PSException, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise _damaged(name, exc) from None


def _damaged(name: str, exc: object) -> InputError:
    return InputError(f"the PDF is damaged or incomplete ({type(exc).__name__}: "
                      f"{str(exc)[:80]})", path=name,
                      fix="download the file again, or open it and save it again as PDF")


def _page_items(page, number: int) -> list:
    """The page's text lines and tables, top to bottom."""
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]

    def outside(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    text_page = page.filter(outside) if boxes else page
    items: list = [_line(raw, number) for raw in text_page.extract_text_lines(return_chars=True)]
    items += [_Table(number, t.bbox[1], _table_rows(t)) for t in tables]
    return sorted((x for x in items if x is not None), key=lambda x: x.top)


def _line(raw: dict, page: int) -> _Line | None:
    chars = raw["chars"]
    ink = [c for c in chars if c["text"].strip()]
    if not ink:
        return None
    size = statistics.median(c["size"] for c in ink)
    return _Line(page=page, text=_chars_text(chars, size), x0=ink[0]["x0"], x1=ink[-1]["x1"],
                 top=raw["top"], bottom=raw["bottom"], size=round(size, 1), lead=_lead(ink))


def _lead(ink: list[dict]) -> float:
    """Width of the line's first word: a run of ASCII characters (``90%,``, ``STEM``) is not
    broken across lines; any other character is a word of its own."""
    end = ink[0]
    for char in ink[1:]:
        if not (end["text"].isascii() and char["text"].isascii()):
            break
        end = char
    return end["x1"] - ink[0]["x0"]


def _chars_text(chars: list[dict], size: float) -> str:
    """Characters left to right. A gap wider than ``column_gap`` character widths is a TAB;
    a space printed in the PDF, or a gap wider than ``word_gap`` between Latin letters or
    digits, is one space (justified Chinese lines spread their characters: no spaces there)."""
    column_gap = _setting("column_gap") * size
    word_gap = _setting("word_gap") * size
    out: list[str] = []
    prev = None
    spaced = False
    for char in chars:
        if not char["text"].strip():
            spaced = True
            continue
        if prev is not None:
            gap = char["x0"] - prev["x1"]
            if gap > column_gap:
                out.append("\t")
            elif spaced or (gap > word_gap and _latin(prev["text"]) and _latin(char["text"])):
                out.append(" ")
        out.append(char["text"])
        prev, spaced = char, False
    return "".join(out)


def _latin(text: str) -> bool:
    return text.isascii() and text.isalnum()


def _table_rows(table) -> list[list[str]]:
    """Rows of cell texts; a grid position covered by a merged cell repeats that cell's text.

    pdfplumber marks a position inside a merged cell as None. Its centre is found from the
    narrowest cell of its column and the lowest cell of its row (unmerged ones); the merged
    cell whose box holds that point gives the text.
    """
    texts = table.extract()
    grid = [row.cells for row in table.rows]
    origin = {bbox: texts[r][c] or "" for r, row in enumerate(grid)
              for c, bbox in enumerate(row) if bbox is not None}
    ncols = max(len(row) for row in grid)
    xs = [_centre([row[c] for row in grid if c < len(row)], 0) for c in range(ncols)]
    rows = []
    for row in grid:
        y = _centre(row, 1)
        cells = []
        for c, bbox in enumerate(row):
            if bbox is None and xs[c] is not None and y is not None:
                bbox = next((b for b in origin
                             if b[0] <= xs[c] <= b[2] and b[1] <= y <= b[3]), None)
            cells.append(_cell_text(origin[bbox]) if bbox else "")
        rows.append(cells)
    return rows


def _centre(boxes: list, axis: int) -> float | None:
    """Centre along ``axis`` (0: x, 1: y) of the smallest box (the unmerged cell)."""
    boxes = [b for b in boxes if b is not None]
    if not boxes:
        return None
    box = min(boxes, key=lambda b: b[axis + 2] - b[axis])
    return (box[axis] + box[axis + 2]) / 2


def _cell_text(text: str) -> str:
    parts = [p.strip() for p in text.split("\n") if p.strip()]
    out = parts[0] if parts else ""
    for part in parts[1:]:
        out = join_wrapped(out, part)
    return out


def _setting(key: str) -> float:
    from ..parse import vocabulary

    return float(vocabulary.get("render", f"pdf.{key}"))


# --- page furniture ------------------------------------------------------------------------


def _drop_furniture(pages: list[list]) -> list[list]:
    """Remove running headers/footers and page numbers from the top and bottom of each page."""
    from ..parse import vocabulary

    marked = vocabulary.pattern("noise", "page_number.marked")
    bare = vocabulary.pattern("noise", "page_number.bare")
    edges = [_edge_lines(page) for page in pages]
    masked = Counter(_mask(ln.text) for edge in edges for ln in edge)
    repeats = max(2, round(_setting("min_repeat_share") * len(pages)))
    out = []
    for page, edge in zip(pages, edges):
        drop = {id(ln) for ln in edge
                if masked[_mask(ln.text)] >= repeats
                or marked.fullmatch(ln.text.strip()) or bare.fullmatch(ln.text.strip())}
        out.append([x for x in page if id(x) not in drop])
    return out


def _edge_lines(page: list) -> list[_Line]:
    """The lines before the first and after the last body item of a page, at most two each."""
    lines = [x for x in page if isinstance(x, _Line)]
    if not lines:
        return []
    limit = int(_setting("edge_lines"))
    head = [x for x in page[:limit] if isinstance(x, _Line)]
    tail = [x for x in page[-limit:] if isinstance(x, _Line)]
    return list({id(x): x for x in head + tail}.values())


_DIGITS_RE = re.compile(r"\d+")


def _mask(text: str) -> str:
    """Text with numbers masked, so "— 3 —" and "— 4 —" (or a dated header) compare equal."""
    return _DIGITS_RE.sub("#", "".join(text.split()))


# --- paragraphs ----------------------------------------------------------------------------


def _emit(pages: list[list], builder: Builder) -> None:
    lines = [x for page in pages for x in page if isinstance(x, _Line)]
    if lines:
        left = Counter(round(ln.x0) for ln in lines).most_common(1)[0][0]
        right = sorted(ln.x1 for ln in lines)[int(0.95 * (len(lines) - 1))]
    else:
        left = right = 0
    para: list[_Line] = []
    table_no = 0
    row_no = 0
    last_table: _Table | None = None
    for item in (x for page in pages for x in page):
        if isinstance(item, _Table):
            _flush(para, builder)
            para = []
            if _continues(last_table, item):
                rows = item.rows[1:] if item.rows[:1] == last_table.rows[:1] else item.rows
            else:
                table_no = builder.start_table()
                row_no = 0
                rows = item.rows
            for cells in rows:
                row_no += 1
                builder.row(cells, f"p. {item.page}, table {table_no} row {row_no}")
            last_table = item
            continue
        if para and not _continues_paragraph(para[-1], item, left, right):
            _flush(para, builder)
            para = []
        if last_table is not None:
            builder.blank()
            last_table = None
        para.append(item)
    _flush(para, builder)


def _continues(last: _Table | None, table: _Table) -> bool:
    """A table at the top of the page after a table that ended the previous page, same width."""
    return (last is not None and table.page == last.page + 1
            and len(table.rows[0]) == len(last.rows[0]))


def _continues_paragraph(prev: _Line, line: _Line, left: float, right: float) -> bool:
    width = prev.size
    if "\t" in prev.text or "\t" in line.text or abs(prev.size - line.size) > 0.5:
        return False
    room = right - prev.x1  # a short line ends a paragraph, unless the next word did not fit
    if room > _setting("full_line") * width and room > line.lead:
        return False
    if line.x0 > left + 0.5 * width:                          # an indented line starts one
        return False
    if line.page == prev.page:
        return line.top - prev.bottom <= _setting("paragraph_gap") * width
    return line.page == prev.page + 1


def _flush(para: list[_Line], builder: Builder) -> None:
    if not para:
        return
    text = para[0].text
    for ln in para[1:]:
        text = join_wrapped(text, ln.text)
    first, last = para[0].page, para[-1].page
    locator = f"p. {first}" if first == last else f"p. {first}-{last}"
    if "\t" in text:                       # aligned columns: a table row without rules
        builder.row(text.split("\t"), locator)
    else:
        builder.paragraph(text, locator)
