"""Key projects and key engineering items (重点项目, 大工程) from their tables, wherever they stand.

A table starts at a header whose cells are all words of ``words/projects.toml`` ``[header]``
(序号, 项目名称 / 工程名称 / 重点项目 (title), 主要内容 / 建设内容 (content), 责任单位, 牵头单位,
配合单位, 建设周期 / 实施年限 (period), 备注 ...; one or several per line) and names a title
column; rows before a header (annex lists such as ``附件:1.…10大工程``) are never counted.

Layouts, chosen by the header and the first row:

- **line rows** (a one-line header split by TAB or ``|``: the rendering of Word / HTML / PDF
  tables): one row per line, cells matched to the columns in header order; the row number may
  be missing (rows are then counted). A row repeating the number and title of the row before
  (merged cells, repeated by the renderer) continues that project: its content and units are
  added. The table ends at a line that is not such a row.
- cell per line with the number fused to the title (Tongzhou): ``1.家校社协同育人项目`` followed
  by its 主要内容 line;
- one row per line, ``序号 名称`` separated by spaces (Haidian): ``1 校园安全提升工程``;
- cell per line with the number alone (Daxing): ``1`` / title (possibly split over lines, e.g.
  ``深化集团化办学改革`` + ``项目``) / numbered content lines ``1.…`` ``2.…`` until the next number.

The last three are read by one state machine over the lines after the header, which ends at a
change of part (the document's sections), an annex title or a new header. Noise lines (page
furniture) are skipped. The group is taken from the table's title line (``[groups]``: 大工程,
重点项目, 重点工程, or 项目 when the title names none); it is kept in ``Item.attribute`` and, as an
ASCII code, in the key ``{key_prefix}:proj:{code}:{n}`` where ``n`` is the row number as printed.
``line`` / ``line_end`` span the title; the quote is the row's number and title as printed
(``1.名称``, ``1 名称``; for a line row the cells from the 序号 cell to the title cell, so a
Word / PDF / web table gives the quote of its text copy, TAB for the space between the cells);
``body`` is the content cell, lines joined with ``\n`` (None without a content column); ``responsible_units``,
``lead_units``, ``support_units`` and ``schedule`` (the period) come from their columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import InputError
from ..model import Item
from . import vocabulary
from .ingest import Document, Line
from .sections import is_annex_title
from .tableheader import Column, Problem, header_words, is_rule, separator, split_cells
from .tasks import split_units

TOPIC = "projects"
NUMBER_ONLY_RE = re.compile(r"^(\d{1,3})$")
NUMBER_SPACE_RE = re.compile(r"^(\d{1,3})\s+(\S.*)$")
NUMBER_DOT_RE = re.compile(r"^(\d{1,3})[.、](?!\d)\s*(\S.*)$")
TITLE_MAX_CHARS = 40
_UNKNOWN = Column("unknown", "")


@dataclass
class _Row:
    """One project row being collected."""

    number: int
    title: list[Line] = field(default_factory=list)
    name: str = ""
    content: list[str] = field(default_factory=list)
    in_content: bool = False
    cells: dict[str, str] = field(default_factory=dict)  # line rows: the other columns
    quote: str | None = None   # line rows: the number and title cells as printed
    merged: list[dict[str, str]] = field(default_factory=list)  # the cells of continued rows


@dataclass
class _Table:
    """The table being read: its group, columns, layout and rows."""

    group: str
    columns: list[str]             # column kinds in header order
    layout: str | None = None      # "row", "cell", "space" or "dot", fixed by the first row
    rows: list[_Row] = field(default_factory=list)
    part: str | None = None

    @property
    def has_content(self) -> bool:
        return bool(set(self.columns) - {"title", "number"})


def table_group(title: str) -> str:
    """Group of a table from its title line: the first ``[groups]`` word it holds, else 项目.

    Parameters
    ----------
    title : str
        The title as printed, e.g. ``"附件:1.“十四五”时期海淀教育10大工程"``.

    Returns
    -------
    str
    """
    return next((g for g in _groups() if g in title), "项目")


def _groups() -> dict[str, str]:
    return vocabulary.get(TOPIC, "groups")


def _header_kinds(line: Line) -> tuple[list[str] | None, list[str]]:
    """The column kinds of a project-table header line and the cells read past.

    A TAB / pipe header with a 项目名称 column and at least one other known column is read even
    when some cells are no header word (投资主体): those columns are read past, and the caller
    reports them (``project_header_cells_unread``) so that the table is not lost silently.
    """
    words = header_words(TOPIC)
    cols, unknown = words.line_columns(line)
    if cols:
        return [c.kind for c in cols], []
    if not unknown or separator(line) == "space":
        return None, []
    kinds = [(words.cell(c.match) or _UNKNOWN).kind if c.text else "ignore"
             for c in split_cells(line)]
    known = [k for k in kinds if k not in ("ignore", _UNKNOWN.kind)]
    if "title" not in known or len(known) < 2:
        return None, []
    return [k if k != _UNKNOWN.kind else "ignore" for k in kinds], unknown


def _is_title_text(text: str) -> bool:
    return "。" not in text and "；" not in text and len(text) <= TITLE_MAX_CHARS


def _row_start(table: _Table, line: Line) -> tuple[str, int, str] | None:
    """(layout, number, title text) when ``line`` opens a new row of ``table``."""
    norm = line.norm
    m = NUMBER_ONLY_RE.match(norm)
    if m and table.layout in (None, "cell"):
        return "cell", int(m.group(1)), ""
    m = NUMBER_SPACE_RE.match(norm)
    if m and table.layout in (None, "space") and _is_title_text(m.group(2)):
        return "space", int(m.group(1)), m.group(2)
    m = NUMBER_DOT_RE.match(norm)
    if m and table.layout in (None, "dot") and _is_title_text(m.group(2)):
        return "dot", int(m.group(1)), m.group(2)
    return None


def _name_from(line: Line, layout: str) -> str:
    """The title as printed (``line.text``) without its row number."""
    if layout == "cell":
        return line.text
    pattern = NUMBER_SPACE_RE if layout == "space" else NUMBER_DOT_RE
    m = pattern.match(line.text)
    return m.group(2).strip() if m else line.text


def _continue_row(row: _Row, line: Line) -> None:
    """Add a line that is not a row start: more title (number-only layout) or content."""
    if not row.in_content and not row.content and _title_continues(row, line):
        row.title.append(line)
        row.name += line.text
        return
    row.in_content = True
    row.content.append(line.text)


def _title_continues(row: _Row, line: Line) -> bool:
    if row.name and NUMBER_DOT_RE.match(line.norm):
        return False
    return _is_title_text(line.text)


class _Reader:
    """State machine over the annex lines of one document."""

    def __init__(self, doc: Document, problems: list):
        self.doc = doc
        self.problems = problems
        self.group = "项目"
        self.table: _Table | None = None
        self.header_open = False
        self.tables: list[_Table] = []

    def feed(self, line: Line, part: str | None) -> None:
        kinds, unread = _header_kinds(line)
        if unread:
            self.problems.append(Problem(
                self.doc.path, line.no, TOPIC, "project_header_cells_unread",
                f"project-table header cells that are no header word, read past: "
                f"{'、'.join(unread)} (add them to words/projects.toml [header] to keep them)"))
        if kinds is not None:
            self._header(kinds, line, part)
            return
        self.header_open = False
        table = self.table
        if table is not None and table.part != part:
            self.table = table = None  # a new part of the document: the table has ended
        if table is not None and table.layout == "row":
            if self._line_row(table, line):
                return
            self.table = table = None
        start = _row_start(table, line) if table and "title" in table.columns else None
        if start:
            self._start_row(table, line, *start)
        elif is_annex_title(line):
            self.group, self.table = table_group(line.text), None
        elif table and table.rows:
            self._continue(table, line)

    def _header(self, kinds: list[str], line: Line, part: str | None) -> None:
        if self.header_open and self.table is not None and self.table.layout is None:
            self.table.columns.extend(kinds)
            return
        self.table = _Table(self.group, list(kinds), part=part)
        if len(kinds) > 1 and separator(line) != "space" and "title" in kinds:
            self.table.layout = "row"
        self.tables.append(self.table)
        self.header_open = True

    def _line_row(self, table: _Table, line: Line) -> bool:
        """Read one line row of a TAB / pipe table; False when the line is no such row."""
        if is_rule(line):
            return True
        found = split_cells(line)
        cells = [c.text for c in found]
        kinds = table.columns
        if separator(line) == "space" or len(cells) < 2:
            return False
        if len(cells) < len(kinds):
            cells += [""] * (len(kinds) - len(cells))
        if len(cells) > len(kinds):
            return False
        got = dict(zip(kinds, cells))
        title = got.get("title", "")
        number = got.get("number", "")
        if not number and (m := NUMBER_DOT_RE.match(title)):  # "1.名称" with no 序号 column
            number, title = m.group(1), m.group(2).strip()
        if not title or (number and not NUMBER_ONLY_RE.match(number)):
            return False
        if table.rows and _continues_merged(table.rows[-1], number, title):
            _add_merged(table.rows[-1], line, got)
            return True
        row = _Row(int(number) if number else len(table.rows) + 1, [line], title)
        row.content = [got["content"]] if got.get("content") else []
        row.cells = got
        row.quote = _row_quote(line, found, kinds)
        table.rows.append(row)
        return True

    def _start_row(self, table: _Table, line: Line, layout: str, number: int, title: str):
        table.layout = layout
        row = _Row(number)
        if title:
            row.title.append(line)
            row.name = _name_from(line, layout)
            row.in_content = True
        table.rows.append(row)

    def _continue(self, table: _Table, line: Line) -> None:
        row = table.rows[-1]
        if table.layout == "cell":
            _continue_row(row, line)
        elif table.has_content:
            row.content.append(line.text)
        else:  # a line that is no row after a table without a content column: the table ends
            self.table = None


def _continues_merged(prev: _Row, number: str, title: str) -> bool:
    """True when a line row repeats the number and title of the row before: the rendition of
    vertically merged 序号 / 名称 cells over several content rows (one project, continued)."""
    return bool(prev.quote) and title == prev.name and (not number or int(number) == prev.number)


def _add_merged(row: _Row, line: Line, got: dict[str, str]) -> None:
    """Add a continued row's line and cells to its project (content lines in order)."""
    row.title.append(line)
    if got.get("content") and got["content"] not in row.content:
        row.content.append(got["content"])
    row.merged.append(got)


def _units(row: _Row, kind: str) -> list[str]:
    """The units of column ``kind`` over the row and its continued rows, each once, in order."""
    units = [u for cells in (row.cells, *row.merged) for u in split_units(cells.get(kind, ""))]
    return list(dict.fromkeys(units))


def _row_quote(line: Line, cells: list, kinds: list[str]) -> str:
    """The number and title of a line row as printed: from the 序号 cell to the title cell.

    Without a number cell before the title (no 序号 column, an empty one, or one after the
    title), the title cell alone (which may hold the number: ``1.名称``).
    """
    title = cells[kinds.index("title")]
    number = cells[kinds.index("number")] if "number" in kinds[:kinds.index("title")] else None
    start = number.start if number is not None and number.text else title.start
    return line.raw[start:title.start + len(title.text)]


def span_quote(doc: Document, first: int, last: int) -> str:
    """The exact raw text from the first to the last non-blank character of lines first..last.

    Parameters
    ----------
    doc : Document
    first, last : int
        1-based line numbers.

    Returns
    -------
    str
        A substring of the raw lines ``first``..``last`` joined with ``"\\n"``.
    """
    if first == last and doc.line(first).text in doc.line(first).raw:
        return doc.line(first).text
    joined = "\n".join(doc.line(n).raw for n in range(first, last + 1))
    head, tail = doc.line(first).text, doc.line(last).text
    start = joined.find(head) if head in joined else 0
    end = joined.rfind(tail) + len(tail) if tail in joined else len(joined)
    return joined[start:end].strip()


def _check_row(doc: Document, table: _Table, row: _Row, seen: set[tuple[str, int]]) -> None:
    where = row.title[0].no if row.title else None
    if not row.name:
        raise InputError(f"project row {row.number} has no title", path=doc.path, line=where,
                         fix="check the annex table: each row needs a number and a title")
    if (table.group, row.number) in seen:
        raise InputError(f"project number {row.number} appears twice in the {table.group} table",
                         path=doc.path, line=where,
                         fix="check the row numbers of the annex table")
    seen.add((table.group, row.number))


def _to_item(doc: Document, parts: dict[int, str], table: _Table, row: _Row,
             key_prefix: str) -> Item:
    first, last = row.title[0].no, row.title[-1].no
    code = _groups().get(table.group, "item")
    lead, support = _units(row, "lead"), _units(row, "support")
    units = _units(row, "responsible") or lead + support
    period = next((c["period"] for c in (row.cells, *row.merged) if c.get("period")), None)
    return Item(
        item_type="project", item_key=f"{key_prefix}:proj:{code}:{row.number}",
        name_raw=row.name, source="annex", source_file=doc.path, line=first, line_end=last,
        quote=row.quote or span_quote(doc, first, last), section=parts.get(first),
        body="\n".join(row.content) or None, attribute=table.group,
        schedule=period, responsible_units=units, lead_units=lead,
        support_units=support,
    )


def parse_projects(doc: Document, parts: dict[int, str], *, key_prefix: str,
                   problems: list | None = None) -> list[Item]:
    """Parse the key-project / key-engineering tables of one plan's annex.

    Parameters
    ----------
    doc : Document
        The ingested plan.
    parts : dict of int to str
        ``sections.assign_parts(doc, start_section)``; a table ends where the part changes.
    key_prefix : str
        Prefix of the item keys: ``{key_prefix}:proj:{group code}:{n}``.
    problems : list, optional
        Receives a :class:`~plancompare.parse.tableheader.Problem` for each header whose
        cells were partly read past (``project_header_cells_unread``).

    Returns
    -------
    list of Item
        One ``project`` item per table row, in document order; [] without such a table.

    Raises
    ------
    InputError
        For a row without a title or a repeated row number.
    """
    reader = _Reader(doc, problems if problems is not None else [])
    for line in doc.content_lines():
        reader.feed(line, parts.get(line.no))
    items: list[Item] = []
    seen: set[tuple[str, int]] = set()
    for table in reader.tables:
        for row in table.rows:
            _check_row(doc, table, row, seen)
            items.append(_to_item(doc, parts, table, row, key_prefix))
    return items
