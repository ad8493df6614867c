"""Indicator-table layouts: the header, then rows one per line, one cell per line, or by column.

Works on ``Document.content_lines()`` (blank and noise lines are not there, so a page number or a
running header inside a table neither ends it nor becomes a cell). See :mod:`.tables` for the
rules; this module only decides which cell belongs to which column.

* **line rows** (:func:`_line_rows`): the cells of a line (:func:`tableheader.split_cells`) are
  matched to the columns. Columns that a row may leave out: the row number (unnumbered rows,
  ``其中`` sub-rows), a 类别 cell printed once for several rows, 单位 and read-past columns. In a
  space-separated row the name is the one cell that may itself contain spaces. A line that is no
  row but joined with the next line gives one (a name hard-wrapped) is read as that row.
* **cell rows** (:func:`_cell_rows`): one cell per line in header order, optional cells as above;
  a name cell followed by a second name-like cell and then a value is a wrapped name (joined).
* **column by column** (:func:`_column_major`): after the header, all cells of the first column
  (row numbers ``1, 2, ...`` or names), then all cells of the next column, and so on.

A line with one name-like cell that a row follows is a group row (``一、发展水平``); ``其中：`` alone
on a line makes the next row a sub-row.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass, field

from ..errors import InputError
from . import vocabulary
from .ingest import Document, Line
from .numbers import EMPTY_CELLS, is_value_cell, parse_cell
from .tableheader import Cell, Column, HeaderWords, separator, split_cells
from .text import fold

TOPIC = "tables"
ROW_NUMBER_RE = re.compile(r"^\d{1,3}[.、]?$")
HEADER_MAX_CHARS = 80
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_BRACKET_RE = re.compile(r"\s*[（(]\s*(?P<unit>[^（）()]{1,6}?)\s*[）)]\s*$")
#: Optional columns a row may leave out, tried in this order (fewest left out first).
OPTIONAL_KINDS = ("number", "group", "ignore", "unit", "attribute")


@functools.cache
def _vocab() -> dict:
    return {
        "empty": frozenset(fold(w) for w in (*vocabulary.words(TOPIC, "cells.empty"),
                                             *EMPTY_CELLS)),
        "group": vocabulary.pattern(TOPIC, "rows.group"),
        "sub": vocabulary.pattern(TOPIC, "rows.sub"),
        "rule": vocabulary.pattern(TOPIC, "rows.rule"),
        "units": frozenset(vocabulary.words("numbers", "units")),  # the one unit list
    }


@functools.lru_cache(maxsize=1 << 16)
def empty_cell(text: str) -> bool:
    """True for a cell that marks "no value" (``-``, ``—``, ``/``, ``无``, ``空`` ...)."""
    return fold(text).strip() in _vocab()["empty"]


@functools.lru_cache(maxsize=1 << 16)
def split_unit(name: str) -> tuple[str, str | None]:
    """Split ``"学前教育入园率（%）"`` into ``("学前教育入园率", "%")``; other brackets stay."""
    m = _BRACKET_RE.search(name)
    if m:
        unit = fold(m["unit"]).strip()
        if unit in _vocab()["units"]:
            return name[: m.start()], unit
    return name, None


@dataclass
class Header:
    """Columns of one indicator table (``implicit_number``: 序号 not printed, rows may number)."""

    line: int
    end_line: int
    columns: list[Column]
    implicit_number: bool = False

    def __post_init__(self):
        self._index: dict[str, int] = {}
        for k, c in enumerate(self.columns):
            self._index.setdefault(c.kind, k)

    def index(self, kind: str) -> int | None:
        """Position of the first column of ``kind``, or None."""
        return self._index.get(kind)

    def describe(self) -> str:
        return " | ".join(c.text or c.kind for c in self.columns if c.text)


@dataclass
class Row:
    """The cells of one table row, by column index."""

    header: Header
    cells: dict[int, Cell]
    name: str
    name_line: int
    group: str | None = None
    sub: bool = False
    column_major: bool = False
    lines: list[int] = field(default_factory=list)

    def cell(self, kind: str) -> Cell | None:
        k = self.header.index(kind)
        return None if k is None else self.cells.get(k)

    @property
    def first_line(self) -> int:
        return min(self.lines)

    @property
    def last_line(self) -> int:
        return max(self.lines)


@dataclass
class _State:
    group: str | None = None
    numbered: bool | None = None
    sub_next: bool = False
    in_sub: bool = False


# ---- header ---------------------------------------------------------------------------------


def read_header(seq: list[Line], i: int, words: HeaderWords) -> tuple[Header | None, int, list]:
    """The header starting at ``seq[i]``, the index after it, and unknown header cells.

    Returns ``(None, next index to try, unknown cells)`` when no header starts here; the next
    index skips a whole run of header-word lines so the scan stays linear.
    """
    cols: list[Column] = []
    k, unknown = i, []
    while k < len(seq) and len(seq[k].text) <= HEADER_MAX_CHARS:
        found, unread = words.line_columns(seq[k])
        if found is None:
            if not cols and unread and _looks_like_header(seq[k], words):
                unknown = unread
            break
        single = {c.kind for c in cols} - {"value", "ignore"}
        if any(c.kind in single for c in found):
            break  # a kind printed twice: a new header starts here
        cols.extend(found)
        k += 1
    kinds = {c.kind for c in cols}
    if "name" not in kinds or "value" not in kinds:
        return None, max(k, i + 1), unknown
    implicit = "number" not in kinds
    if implicit:
        cols = [Column("number", ""), *cols]
    return Header(seq[i].no, seq[k - 1].no, cols, implicit), k, []


def _looks_like_header(line: Line, words: HeaderWords) -> bool:
    """A short line of several cells holding a name word and a value-column word."""
    if re.search(r"[。；;，,]", line.text) or len(split_cells(line)) < 2:
        return False
    kinds = set()
    for m in words.token_re.finditer(fold(line.text).replace(" ", "")):
        kinds.add(words.column(m).kind)
    return {"name", "value"} <= kinds


# ---- cell tests -----------------------------------------------------------------------------


@functools.lru_cache(maxsize=1 << 16)
def _is_name(text: str) -> bool:
    t = text.strip()
    return bool(_CJK_RE.search(t)) and len(t) <= 60 and not re.search(r"[。；;]", t) \
        and not is_value_cell(t) and not empty_cell(t)


@functools.lru_cache(maxsize=1 << 16)
def _is_number(text: str) -> bool:
    return bool(ROW_NUMBER_RE.match(fold(text).strip()))


@functools.lru_cache(maxsize=1 << 16)
def _value_ok(text: str) -> bool:
    return bool(text) and (empty_cell(text) or is_value_cell(text))


@functools.lru_cache(maxsize=1 << 16)
def _unit_like(text: str) -> bool:
    t = fold(text).strip()
    return t in _vocab()["units"] or empty_cell(t) or (0 < len(t) <= 4 and not is_value_cell(t)
                                                      and not _is_number(t))


@functools.lru_cache(maxsize=1 << 16)
def _is_attribute(text: str) -> bool:
    t = text.strip()
    return bool(_CJK_RE.fullmatch(t[:1] or "x")) and len(t) <= 6


@functools.lru_cache(maxsize=1 << 16)
def _group_like(text: str) -> bool:
    return (_is_name(text) and len(text) <= 30 and not _vocab()["sub"].match(text)
            and split_unit(text)[1] is None)


def _cell_fits(kind: str, text: str, spaced: bool) -> bool:
    if kind == "number":
        return _is_number(text) or (not text and not spaced)
    if kind == "name":
        return _is_name(text)
    if kind == "group":
        return not text or _group_like(text)
    if kind == "unit":
        return not text or _unit_like(text)
    if kind == "value":
        return (not text and not spaced) or _value_ok(text)
    if kind == "attribute":
        return not text or empty_cell(text) or _is_attribute(text)
    return True


# ---- one row per line -----------------------------------------------------------------------


def _fit(cells: list[Cell], header: Header, spaced: bool) -> dict[int, Cell] | None:
    """Match the cells of one line to the columns, leaving out optional columns if needed."""
    cols = header.columns
    optional = [k for kind in OPTIONAL_KINDS for k, c in enumerate(cols) if c.kind == kind]
    for size in range(len(optional) + 1):
        for left_out in itertools.combinations(optional, size):
            use = [k for k in range(len(cols)) if k not in left_out]
            got = _assign(cells, use, header, spaced)
            if got is not None:
                return got
    return None


def _assign(cells: list[Cell], use: list[int], header: Header,
            spaced: bool) -> dict[int, Cell] | None:
    extra = len(cells) - len(use)
    name_k = header.index("name")
    if extra < 0 or (extra and not (spaced and name_k in use)):
        return None
    out: dict[int, Cell] = {}
    pos = 0
    for k in use:
        take = 1 + (extra if k == name_k else 0)
        part = cells[pos: pos + take]
        pos += take
        cell = part[0] if take == 1 else _joined(part)
        if not _cell_fits(header.columns[k].kind, cell.text, spaced):
            return None
        out[k] = cell
    if not any(c.text for k, c in out.items() if header.columns[k].kind == "value"):
        return None  # no value at all: a group row or no row
    return out


def _joined(part: list[Cell]) -> Cell:
    """Cells of one line that are one name (a space-separated name): the raw text between."""
    first, last = part[0], part[-1]
    if first.line is last.line:
        return Cell(first.line, first.line.raw[first.start: last.start + len(last.text)],
                    first.start)
    return Cell(first.line, "".join(c.text for c in part), first.start)


def _single(line: Line) -> str | None:
    """The one text of a line of one cell (a cell merged across the row counts once)."""
    texts = {c.text for c in split_cells(line) if c.text}
    return texts.pop() if len(texts) == 1 else None


def _line_rows(doc: Document, seq: list[Line], p: int, header: Header,
               state: _State) -> tuple[list[Row], int]:
    rows: list[Row] = []
    n = len(seq)
    while p < n:
        line = seq[p]
        if _vocab()["rule"].match(line.text):
            p += 1
            continue
        spaced = separator(line) == "space"
        cells = split_cells(line)
        got = _fit(cells, header, spaced)
        if got is not None:
            rows.append(_make_row(header, got, state))
            p += 1
            continue
        nxt = seq[p + 1] if p + 1 < n else None
        single = _single(line)
        if single is not None and nxt is not None and _vocab()["sub"].fullmatch(single):
            state.sub_next = True
            p += 1
            continue
        nxt_cells = split_cells(nxt) if nxt is not None else []
        nxt_fits = nxt is not None and _fit(nxt_cells, header, separator(nxt) == "space")
        if single is not None and nxt_fits and (
                _vocab()["group"].match(fold(single)) or _is_number(nxt_cells[0].text)):
            state.group, p = single, p + 1
            continue
        if nxt is not None and _wrapped_start(cells) and nxt_cells:
            junction = Cell(line, cells[-1].text + nxt_cells[0].text, cells[-1].start)
            got = _fit([*cells[:-1], junction, *nxt_cells[1:]], header, spaced)
            if got is not None and got[header.index("name")] is junction:
                rows.append(_make_row(header, got, state, extra_line=nxt.no))
                p += 2
                continue
        if single is not None and nxt_fits and _group_like(single):
            state.group, p = single, p + 1
            continue
        _strict_line(doc, cells, header)
        _check_not_orphan(doc, line)
        break
    return rows, p


def _wrapped_start(cells: list[Cell]) -> bool:
    """A line that can be the first half of a hard-wrapped row: a name part, maybe numbered."""
    texts = [c.text for c in cells if c.text]
    if texts and _is_number(texts[0]):
        texts = texts[1:]
    return len(texts) == 1 and _wrap_head(texts[0])


def _wrap_head(text: str) -> bool:
    """A name cell that may continue on the next line: a name not closed by a bracket."""
    return _is_name(text) and not text.rstrip().endswith(("）", ")"))


def _strict_line(doc: Document, cells: list[Cell], header: Header) -> None:
    """A line that opens like a row (number, name) but is none: say what is wrong with it."""
    texts = [c for c in cells if c.text]
    if len(texts) < 2 or not _is_number(texts[0].text) or not _is_name(texts[1].text):
        return
    n_values = sum(c.kind == "value" for c in header.columns)
    tail = texts[2:]
    for cell in tail[-n_values:] if len(tail) >= n_values else []:
        if not empty_cell(cell.text):
            parse_cell(cell.text, path=doc.path, line=cell.line.no)
    row_error(doc, cells[0].line.no, "the row has fewer cells than the header")


def _make_row(header: Header, got: dict[int, Cell], state: _State, *,
              extra_line: int | None = None, column_major: bool = False) -> Row:
    name_cell = got[header.index("name")]
    name, sub = name_cell.text, False
    m = _vocab()["sub"].match(name)
    if m and m.end() < len(name):
        name, sub = name[m.end():], True
    number = got.get(header.index("number"))
    numbered = number is not None and bool(number.text)
    if state.numbered is None:
        state.numbered = numbered
    if numbered:
        state.in_sub = False
    elif state.sub_next or (state.in_sub and state.numbered):
        sub = True
    state.sub_next = False
    state.in_sub = state.in_sub or sub
    group_cell = got.get(header.index("group")) if header.index("group") is not None else None
    if group_cell is not None and group_cell.text:
        state.group = group_cell.text
    lines = sorted({c.line.no for c in got.values() if c.text} | (
        {extra_line} if extra_line else set()))
    return Row(header, got, name, name_cell.line.no, state.group, sub, column_major, lines)


def _check_not_orphan(doc: Document, line: Line) -> None:
    """Raise when the line that ends a table is a name with a unit bracket and nothing but value
    cells after it (``覆盖率(%) 92``): a row lacking cells, which would otherwise be dropped
    silently with the rows after it."""
    cells = [c for c in split_cells(line) if c.text]
    if cells and _is_number(cells[0].text):
        cells = cells[1:]
    if not cells or not all(_value_ok(c.text) for c in cells[1:]):
        return
    name = cells[0].text
    if _is_name(name) and split_unit(name)[1] and not re.search(r"[：:，,、]", name):
        row_error(doc, line.no, "the row has a name but fewer value cells than the header "
                  "has value columns")


def row_error(doc: Document, line: int, message: str) -> None:
    """Raise the InputError of an indicator-table row that cannot be read."""
    raise InputError(f"indicator table: {message}", path=doc.path, line=line,
                     fix=f"check the table row at line {line}: each row needs a name and one value "
                     "cell per value column ('-' is read as no value). Raw files are never edited: "
                     "if the document really prints the row this way, the parser has to learn the "
                     "layout (plancompare.parse.tables) -- report the file and line")
