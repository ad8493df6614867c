"""Indicator tables (指标 × 20xx年 columns) in every flattened layout the documents use.

A table starts at its header: one line such as ``指 标 2020年 2025年`` (Haidian) or consecutive
header cells, one per line, such as ``指标`` / ``2025年`` (Tongzhou) or ``序号`` / ``指标`` /
``2020年`` / ``2025年`` / ``属性``. Blank lines between header cells are allowed. Rows follow in
one of two layouts, chosen from the first row:

* **line rows**: one row per line, cells separated by spaces, tabs, NBSP or U+3000
  (``1 学前三年入园率(%) 90 >90``);
* **cell rows**: one cell per line (``1`` / ``学前教育入园率（%）`` / ``>90``), indented or not,
  with or without blank lines between rows.

A row is an optional row number, the indicator name (``学前教育入园率（%）``: the unit in the
trailing bracket goes to ``Item.unit``, the rest to ``name_raw``), one value per year column and,
when the header has one, the 属性 cell (``Item.attribute``). The table ends at the first line that
does not start a row. Year columns: with one year it is the target; with several, the first is the
baseline (role ``baseline``, key ``...:base``), the last the target, any middle year a target keyed
``...:{year}``. Row keys count rows across all tables of the document (``{key_prefix}:ind:1`` ...).

Decisions on bad rows: a value cell that cannot be parsed, or a row that ends before all its
cells (a missing value, a missing 属性 cell, a blank-line group of the wrong size) raises
:class:`~plancompare.errors.InputError` naming the file, the line and "check the table row at line
N". A value cell of ``-`` / ``—`` is not an error: it becomes a row with ``value=None``,
``comparator=None``, ``value_text="-"`` (never 0).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import InputError
from ..model import Item
from .ingest import Document, Line
from .numbers import UNITS, is_value_cell, parse_cell
from .text import fold

YEAR_CELL_RE = re.compile(r"^((?:19|20)\d\d)年$")
NAME_CELLS = frozenset({"指标", "指标名称", "主要指标"})
NUMBER_CELLS = frozenset({"序号", "编号"})
ATTRIBUTE_CELLS = frozenset({"属性", "指标属性", "性质"})
HEADER_LINE_RE = re.compile(
    r"^(?P<no>序号|编号)?(?:指标名称|主要指标|指标)(?P<years>(?:(?:19|20)\d\d年)+)"
    r"(?P<attr>属性|指标属性|性质)?$"
)
UNIT_BRACKET_RE = re.compile(r"\s*[（(]\s*(?P<unit>[^（）()]{1,6}?)\s*[）)]\s*$")
UNIT_WORDS = frozenset(UNITS)  # one unit list: parse/words/numbers.toml
CELL_SPLIT_RE = re.compile(r"[ \t\u00a0\u3000]+")
ROW_NUMBER_RE = re.compile(r"^\d{1,3}$")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_HEADING_RE = re.compile(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\))")
#: First characters of every header (line or first cell): 序号 编号 指标 主要指标. ``Line.text``
#: starts with a non-space character that :func:`fold` leaves alone, so a line starting with
#: anything else cannot open a table and is rejected before the squash.
_HEADER_FIRST_CHARS = frozenset(c[0] for c in NAME_CELLS | NUMBER_CELLS)


@dataclass
class Header:
    """Columns of one indicator table."""

    line: int
    end_line: int
    years: list[int]
    has_number: bool = False
    has_attribute: bool = False


@dataclass
class Cell:
    """One table cell: its text as printed and where it sits."""

    line: Line
    text: str
    start: int = 0  # offset of the cell text in line.raw


@dataclass
class Row:
    """The cells of one table row."""

    number: Cell | None
    name: Cell
    values: list[Cell]
    attribute: Cell | None = None


def parse_indicator_tables(doc: Document, parts: dict[int, str], *, key_prefix: str,
                           end_year: int) -> list[Item]:
    """Parse every indicator table of ``doc`` into target and baseline items.

    Parameters
    ----------
    doc
        The ingested document.
    parts
        ``sections.assign_parts(doc, ...)``: tables are looked for on content lines in any part.
    key_prefix
        Prefix of the item keys, e.g. ``"plan"``.
    end_year
        Unused for tables (years come from the header); kept for the common parser interface.

    Returns
    -------
    list of Item
        Per row: the target item, then the baseline item when the table has a baseline column.

    Raises
    ------
    InputError
        A row whose value cell cannot be parsed or that lacks cells (see the module docstring).
    """
    del end_year  # years are read from the header
    lines = [ln for ln in doc.lines if not ln.noise]
    items: list[Item] = []
    i, row_no = 0, 0
    while i < len(lines):
        header = _header_at(lines, i)
        if header is None:
            i += 1
            continue
        rows, i = _read_rows(doc, lines, _index_after(lines, header.end_line), header)
        for row in rows:
            row_no += 1
            items.extend(_row_items(doc, parts, row, header, f"{key_prefix}:ind:{row_no}"))
    return items


def item_lines(items: list[Item]) -> frozenset[int]:
    """All raw lines covered by table items (pass to ``targets.parse_text_targets(skip_lines=)``)."""
    out: set[int] = set()
    for item in items:
        out.update(range(item.line, (item.line_end or item.line) + 1))
    return frozenset(out)


def _index_after(lines: list[Line], line_no: int) -> int:
    return next((k for k, ln in enumerate(lines) if ln.no > line_no), len(lines))


def _squash(text: str) -> str:
    return CELL_SPLIT_RE.sub("", fold(text))


def _header_at(lines: list[Line], i: int) -> Header | None:
    line = lines[i]
    if line.blank or line.text[0] not in _HEADER_FIRST_CHARS:
        return None
    m = HEADER_LINE_RE.match(_squash(line.text))
    if m:
        years = [int(y) for y in re.findall(r"(\d{4})年", m["years"])]
        return Header(line.no, line.no, years, bool(m["no"]), bool(m["attr"]))
    return _cell_header_at(lines, i)


def _cell_header_at(lines: list[Line], i: int) -> Header | None:
    cells = []
    for ln in lines[i:]:
        if ln.blank:
            continue
        cell = _squash(ln.text)
        if not (cell in NAME_CELLS | NUMBER_CELLS | ATTRIBUTE_CELLS or YEAR_CELL_RE.match(cell)):
            break
        cells.append((ln, cell))
    names = [c for _, c in cells]
    if not cells or names[0] not in NAME_CELLS | NUMBER_CELLS:
        return None
    if not any(c in NAME_CELLS for c in names) or not any(YEAR_CELL_RE.match(c) for c in names):
        return None
    years = [int(YEAR_CELL_RE.match(c).group(1)) for c in names if YEAR_CELL_RE.match(c)]
    return Header(cells[0][0].no, cells[-1][0].no, years, names[0] in NUMBER_CELLS,
                  any(c in ATTRIBUTE_CELLS for c in names))


def _read_rows(doc: Document, lines: list[Line], i: int,
               header: Header) -> tuple[list[Row], int]:
    while i < len(lines) and lines[i].blank:
        i += 1
    if i < len(lines) and (len(_split_cells(lines[i])) >= len(header.years) + 2
                           or _line_row(doc, lines[i], header, strict=False) is not None):
        return _read_line_rows(doc, lines, i, header)  # numbered, or unnumbered line rows
    return _read_cell_rows(doc, lines, i, header)


# ---- one row per line ---------------------------------------------------------------------


def _split_cells(line: Line) -> list[Cell]:
    cells, raw = [], line.raw
    for m in re.finditer(r"[^ \t\u00a0\u3000]+", raw):
        cells.append(Cell(line, m.group(), m.start()))
    return cells


def _line_row(doc: Document, line: Line, header: Header, *, strict: bool) -> Row | None:
    """Read a one-line row; ``None`` when the line is not a row (the table has ended)."""
    cells = _split_cells(line)
    n_values = len(header.years)
    tail = n_values + int(header.has_attribute)
    number = cells[0] if cells and ROW_NUMBER_RE.match(fold(cells[0].text)) else None
    head = cells[1:] if number else cells
    if len(head) < tail + 1 or not _is_name(head[0].text):
        if strict and number:
            _row_error(doc, line.no, "the row has fewer cells than the header")
        return None
    values = head[len(head) - tail: len(head) - tail + n_values]
    if not all(is_value_cell(c.text) for c in values):
        if strict and number:
            bad = next(c.text for c in values if not is_value_cell(c.text))
            parse_cell(bad, path=doc.path, line=line.no)
        return None
    name_cells = head[: len(head) - tail]
    name = Cell(line, line.raw[name_cells[0].start: name_cells[-1].start + len(name_cells[-1].text)],
                name_cells[0].start)
    attribute = head[-1] if header.has_attribute else None
    return Row(number, name, values, attribute)


def _read_line_rows(doc: Document, lines: list[Line], i: int,
                    header: Header) -> tuple[list[Row], int]:
    rows = []
    while i < len(lines):
        if lines[i].blank:
            i += 1
            continue
        row = _line_row(doc, lines[i], header, strict=True)
        if row is None:
            _check_not_orphan(doc, lines[i])
            break
        rows.append(row)
        i += 1
    return rows, i


# ---- one cell per line --------------------------------------------------------------------


def _read_cell_rows(doc: Document, lines: list[Line], i: int,
                    header: Header) -> tuple[list[Row], int]:
    rows = []
    while True:
        while i < len(lines) and lines[i].blank:
            i += 1
        if i >= len(lines) or not _starts_row(lines, i, header):
            if i < len(lines):
                _check_not_orphan(doc, lines[i])
            return rows, i
        row, i = _cell_row(doc, lines, i, header)
        rows.append(row)


def _next_cells(lines: list[Line], i: int, n: int) -> list[Line]:
    out = []
    while i < len(lines) and len(out) < n:
        if not lines[i].blank:
            out.append(lines[i])
        i += 1
    return out


def _starts_row(lines: list[Line], i: int, header: Header) -> bool:
    first, *rest = _next_cells(lines, i, 2) or [None]
    if first is None:
        return False
    if ROW_NUMBER_RE.match(fold(first.text)):
        return bool(rest) and _is_name(rest[0].text)
    if header.has_number:
        return False
    nxt = rest[0].text if rest else ""
    return _is_name(first.text) and is_value_cell(nxt) and nxt.strip() != ""


def _cell_row(doc: Document, lines: list[Line], i: int, header: Header) -> tuple[Row, int]:
    start_line = lines[i].no
    number, next_number = None, None
    if ROW_NUMBER_RE.match(fold(lines[i].text)):
        number = _cell(lines[i])
        next_number = str(int(fold(lines[i].text)) + 1)
        i = _skip_blank(lines, i + 1)
    name = _cell(lines[i])
    i += 1
    values = []
    for _ in header.years:
        i = _skip_blank(lines, i)
        if i >= len(lines) or not _plausible_value(lines, i, header, next_number):
            _row_error(doc, start_line, f"the row has {len(values)} value cell(s) but the header "
                       f"has {len(header.years)} year column(s)")
        parse_cell(lines[i].text, path=doc.path, line=lines[i].no)
        values.append(_cell(lines[i]))
        i += 1
    attribute = None
    if header.has_attribute:
        i = _skip_blank(lines, i)
        if i >= len(lines) or not _is_attribute(lines[i].text):
            _row_error(doc, start_line, "the row has no 属性 cell (预期性 / 约束性)")
        attribute = _cell(lines[i])
        i += 1
    return Row(number, name, values, attribute), i


def _plausible_value(lines: list[Line], i: int, header: Header, next_number: str | None) -> bool:
    """A value cell, or at least not the start of the next row / the end of the table.

    With numbered rows, the next row's number followed by a name is not a value: the current
    row lacks a cell.
    """
    text = fold(lines[i].text)
    if next_number is not None and text == next_number and _starts_row(lines, i, header):
        return False
    if _HEADING_RE.match(lines[i].norm):  # the next section: the row lacks its cells
        return False
    if is_value_cell(lines[i].text):
        return True
    return not (_starts_row(lines, i, header) or _is_name(lines[i].text) and len(
        lines[i].text) > 12)


def _check_not_orphan(doc: Document, line: Line) -> None:
    """Raise when the line that ends a table is an indicator name with a unit bracket and
    nothing but value cells after it (``普惠性幼儿园覆盖率（%）``, ``覆盖率(%) 92``): a row that
    lacks value cells, which would otherwise be dropped silently with the rows after it."""
    cells = _split_cells(line)
    if cells and ROW_NUMBER_RE.match(fold(cells[0].text)):
        cells = cells[1:]
    if not cells or not all(is_value_cell(c.text) for c in cells[1:]):
        return
    name = cells[0].text
    if _is_name(name) and split_unit(name)[1] and not re.search(r"[：:，,、]", name):
        _row_error(doc, line.no, "the row has a name but fewer value cells than the header "
                   "has year columns")


def _skip_blank(lines: list[Line], i: int) -> int:
    while i < len(lines) and lines[i].blank:
        i += 1
    return i


def _cell(line: Line) -> Cell:
    return Cell(line, line.text, line.raw.find(line.text))


def _is_name(text: str) -> bool:
    t = text.strip()
    return bool(_CJK_RE.search(t)) and len(t) <= 60 and not re.search(r"[。；;]", t) \
        and not is_value_cell(t)


def _is_attribute(text: str) -> bool:
    t = text.strip()
    return bool(_CJK_RE.fullmatch(t[:1] or "x")) and len(t) <= 6


def _row_error(doc: Document, line: int, message: str) -> None:
    raise InputError(f"indicator table: {message}", path=doc.path, line=line,
                     fix=f"check the table row at line {line}: each row needs a name and one value "
                     "cell per year column ('-' is read as no value). Raw files are never edited: "
                     "if the document really prints the row this way, the parser has to learn the "
                     "layout (plancompare.parse.tables) -- report the file and line")


# ---- rows -> items ------------------------------------------------------------------------


def split_unit(name: str) -> tuple[str, str | None]:
    """Split ``"学前教育入园率（%）"`` into ``("学前教育入园率", "%")``; other brackets stay."""
    m = UNIT_BRACKET_RE.search(name)
    if m:
        unit = fold(m["unit"]).strip()
        if unit in UNIT_WORDS:
            return name[: m.start()], unit
    return name, None


def _row_items(doc: Document, parts: dict[int, str], row: Row, header: Header,
               key: str) -> list[Item]:
    name, unit = split_unit(row.name.text)
    all_cells = [c for c in (row.number, row.name, *row.values, row.attribute) if c is not None]
    first, last = min(c.line.no for c in all_cells), max(c.line.no for c in all_cells)
    quote = _quote(doc, first, last)
    items = []
    n = len(header.years)
    for pos, (year, cell) in enumerate(zip(header.years, row.values)):
        role = "baseline" if n > 1 and pos == 0 else "target"
        suffix = ":base" if role == "baseline" else ("" if pos == n - 1 else f":{year}")
        q = parse_cell(cell.text, path=doc.path, line=cell.line.no)
        items.append(Item(
            item_type="indicator", item_key=key + suffix, name_raw=name.strip(), source="table",
            source_file=doc.path, line=first, line_end=last if last != first else None,
            quote=quote, unit=unit or q.unit, year=year, role=role, comparator=q.comparator,
            value=q.value, value_high=q.value_high, value_text=q.value_text,
            section=parts.get(row.name.line.no),
            attribute=row.attribute.text if row.attribute else None,
        ))
    items.sort(key=lambda it: it.role != "target")
    return items


def _quote(doc: Document, first: int, last: int) -> str:
    text = "\n".join(doc.line(no).raw for no in range(first, last + 1))
    return text.strip(" \t\u00a0\u3000\n")
