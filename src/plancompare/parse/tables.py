"""Indicator tables (指标 × value columns), found by their header wherever they stand.

**Header.** A table starts at a header: one line (``指 标 2020年 2025年``, ``| 序号 | 指标 | 单位
| 2025年目标 |``, tab-separated cells) or consecutive lines of header cells (``指标`` / ``2025年``),
whose words are all in ``words/tables.toml`` ``[header]``: 序号 (number), 指标 (name), 类别
(group), 单位 (unit), 属性 (attribute), value columns (``2020年``, ``基期值``, ``2025年目标``,
``目标值``, ``基期值(2020年)`` ...) and columns read past (备注). Columns come in any order; a
header needs a name column and at least one value column. A leading row number is accepted even
when the header prints no 序号 (the seeds do so).

**Layouts** (:mod:`.tablerows`, :mod:`.tablecells`): one row per line (cells split by spaces,
TAB or ``|``/``｜``; markdown ``|---|`` rule rows are skipped), one cell per line, and one column
after the other (after the whole header, or each column after its own header cell).
Noise lines (``Line.noise``: page numbers, running headers) and blank lines are skipped inside a
table without ending it; a name hard-wrapped over two lines is joined.

**Rows -> items.** Per row one item per value column: role and year from the column (``2025年目标``
is a target of 2025, ``基期值`` a baseline without year, a year alone is decided by position: with
several year columns the first is the baseline, the last the target, a middle one a target keyed
``...:{year}``); a value column without a year that is a target takes ``end_year``. Keys count
rows across all tables of the document: ``{key_prefix}:ind:{n}`` (target), ``...:base``
(baseline). ``unit``: the 单位 cell, else the name's trailing bracket (``入园率（%）``), else the
value's own unit. ``attribute``: the 属性 cell (预期性 / 约束性). ``group``: the last group row
(``一、发展水平``, a lone name-like line before rows) or the row's 类别 cell (a 类别 cell printed
once for several rows carries over). A ``其中：`` sub-row keeps its parent: ``parent_key`` is the
key of the parent row's target (``plan:ind:3``), ``name_raw`` drops the ``其中：`` prefix.
Empty cells (``-``, ``—``, ``/``, ``无``, ``空``; ``words/tables.toml`` ``cells.empty``) give
``value=None``, never 0; a cell left blank in a tab or pipe row gives no item.

**Never silent.** A row that cannot be read raises :class:`~plancompare.errors.InputError`
naming the file, the line and "check the table row at line N". A header-like line that cannot be
read (an unknown column word next to 指标 and a year) and a header followed by no row are not
errors: they are appended to ``problems`` (a list the caller passes in) as :class:`Problem`
records, for the structure report.
"""

from __future__ import annotations

from ..model import Item
from . import tablecells, tablerows
from .ingest import Document
from .numbers import Quantity, parse_cell
from .tableheader import Problem, header_words
from .tablerows import Header, Row, empty_cell, row_error, split_unit  # noqa: F401 (re-exported)
from .text import fold

TOPIC = "tables"
_EMPTY = Quantity(None, None, None, None, "", 0, 0, kind="empty")


def parse_indicator_tables(doc: Document, parts: dict[int, str], *, key_prefix: str,
                           end_year: int, problems: list | None = None) -> list[Item]:
    """Parse every indicator table of ``doc`` into target and baseline items.

    Parameters
    ----------
    doc
        The ingested document.
    parts
        ``sections.assign_parts(doc, ...)``: used for ``Item.section`` only (no section gate).
    key_prefix
        Prefix of the item keys, e.g. ``"plan"``.
    end_year
        Year of a target column whose header prints no year (``目标值``).
    problems
        When given, headers that could not be read and headers without rows are appended as
        :class:`Problem` records.

    Returns
    -------
    list of Item
        Per row: the target item(s), then the baseline item(s).

    Raises
    ------
    InputError
        A row whose value cell cannot be parsed or that lacks cells.
    """
    seq = doc.content_lines()
    words = header_words(TOPIC)
    items: list[Item] = []
    found = problems if problems is not None else []
    i, row_no = 0, 0
    while i < len(seq):
        header, j, unknown = tablerows.read_header(seq, i, words)
        by_column = tablecells.interleaved(seq, i, words) if header is None else None
        if by_column is not None:
            header, rows, i = by_column
        elif header is None:
            if unknown:
                found.append(Problem(doc.path, seq[i].no, "tables", "table_header_unread",
                                     "a line that looks like an indicator-table header has "
                                     f"cells that are not header words: {'、'.join(unknown)}"))
            i = j
            continue
        else:
            rows, i = tablecells.read_rows(doc, seq, j, header)
        if not rows:
            found.append(Problem(doc.path, header.line, "tables", "table_without_rows",
                                 f"an indicator-table header ({header.describe()}) is followed "
                                 "by no row that could be read"))
        parent_key = None
        values = value_columns(header, end_year)
        for row in rows:
            row_no += 1
            key = f"{key_prefix}:ind:{row_no}"
            if not row.sub:
                parent_key = key
            items.extend(_row_items(doc, parts, row, values, key,
                                    parent_key if row.sub else None))
    return items


def item_lines(items: list[Item]) -> frozenset[int]:
    """All raw lines covered by table items (pass to ``targets.parse_text_targets(skip_lines=)``)."""
    out: set[int] = set()
    for item in items:
        out.update(range(item.line, (item.line_end or item.line) + 1))
    return frozenset(out)


def value_columns(header: Header, end_year: int) -> list[tuple[int, str, int | None, str]]:
    """(column index, role, year, key suffix) of each value column of ``header``.

    A column's own role (基期值 / 目标值 / 2025年目标) wins; otherwise, of several columns the
    earliest year (the first column when a year is missing) is the baseline, the others targets. The last target has no suffix, other targets
    ``:{year}``; the first baseline ``:base``, others ``:base:{year}``.
    """
    idx = [k for k, c in enumerate(header.columns) if c.kind == "value"]
    years = [header.columns[k].year for k in idx]
    by_year = None not in years and len(set(years)) == len(years)
    first = min(years) if by_year else None
    out = []
    for pos, k in enumerate(idx):
        col = header.columns[k]
        earliest = col.year == first if by_year else pos == 0
        role = col.role or ("baseline" if len(idx) > 1 and earliest else "target")
        year = col.year if col.year is not None else (end_year if role == "target" else None)
        out.append((k, role, year))
    targets = sorted((k for k, r, _ in out if r == "target"), key=_year_of(header))
    baselines = sorted((k for k, r, _ in out if r == "baseline"), key=_year_of(header))
    result = []
    for k, role, year in out:
        if role == "target":
            suffix = "" if k == targets[-1] else f":{year if year is not None else k}"
        else:
            suffix = ":base" if k == baselines[0] else f":base:{year if year is not None else k}"
        result.append((k, role, year, suffix))
    return result


def _year_of(header: Header):
    """Sort key of value columns: by year when every column has one, else by position."""
    def key(k: int):
        year = header.columns[k].year
        return (0, year, k) if year is not None else (1, 0, k)
    return key


def _row_items(doc: Document, parts: dict[int, str], row: Row, values: list, key: str,
               parent_key: str | None) -> list[Item]:
    name, unit = split_unit(row.name)
    unit_cell = row.cell("unit")
    if unit_cell is not None and not empty_cell(unit_cell.text):
        unit = fold(unit_cell.text).strip()
    attr = row.cell("attribute")
    first, last = row.first_line, row.last_line
    quote = _quote(doc, first, last)
    items = []
    for k, role, year, suffix in values:
        cell = row.cells.get(k)
        if cell is None or not cell.text:
            continue
        q = _EMPTY if empty_cell(cell.text) else parse_cell(cell.text, path=doc.path,
                                                             line=cell.line.no)
        line, line_end, q_text = (first, last if last != first else None, quote)
        if row.column_major:
            line, line_end, q_text = cell.line.no, None, cell.text
        items.append(Item(
            item_type="indicator", item_key=key + suffix, name_raw=name.strip(), source="table",
            source_file=doc.path, line=line, line_end=line_end, quote=q_text,
            unit=unit or q.unit, year=year, role=role, comparator=q.comparator,
            value=q.value, value_high=q.value_high, value_text=q.value_text or cell.text,
            section=parts.get(row.name_line), parent_key=parent_key, group=row.group,
            attribute=attr.text if attr is not None and attr.text else None,
        ))
    items.sort(key=lambda it: it.role != "target")
    return items


def _quote(doc: Document, first: int, last: int) -> str:
    text = "\n".join(doc.line(no).raw for no in range(first, last + 1))
    return text.strip(" \t\u00a0\u3000\n")
