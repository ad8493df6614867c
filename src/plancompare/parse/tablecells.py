"""Indicator tables printed one cell per line, or one column after the other (see :mod:`.tables`).

``seq`` is ``Document.content_lines()``: every element is one cell. A row is read in header
order; the row number, a 类别 cell that spans rows, the 单位 cell and read-past cells may be
missing. A value cell that is missing (the next row, a heading or a long name comes first) or
cannot be read raises :class:`~plancompare.errors.InputError` naming the row's first line.
"""

from __future__ import annotations

from .ingest import Document, Line
from .numbers import parse_cell
from .tableheader import Cell, separator
from .tablerows import (
    Header,
    Row,
    _check_not_orphan,
    _fit,
    _group_like,
    _is_attribute,
    _is_name,
    _is_number,
    _line_rows,
    _make_row,
    _State,
    _unit_like,
    _value_ok,
    _vocab,
    _wrap_head,
    empty_cell,
    row_error,
    split_cells,
)
from .text import fold


def read_rows(doc: Document, seq: list[Line], p: int, header: Header) -> tuple[list[Row], int]:
    """The rows after ``header`` (which ends just before ``seq[p]``) and the index after them."""
    state = _State()
    if _layout(seq, p, header) == "line":
        return _line_rows(doc, seq, p, header, state)
    rows, end = _cell_rows(doc, seq, p, header, state)
    if not rows:
        cm = _column_major(seq, p, header)
        if cm is not None:
            return cm
    return rows, end


def _layout(seq: list[Line], p: int, header: Header) -> str:
    for q, line in enumerate(seq[p: p + 4], start=p):
        if _vocab()["rule"].match(line.text):
            continue
        cells = [c for c in split_cells(line) if c.text]
        if len({c.text for c in cells}) < 2:  # one cell (a merged cell repeated counts once)
            one = cells[0].text if cells else ""
            nxt = len([c for c in split_cells(seq[q + 1]) if c.text]) if q + 1 < len(seq) else 0
            if _vocab()["group"].match(fold(one)) or _vocab()["sub"].fullmatch(one) or nxt > 1:
                continue  # a group row, 其中, or the first half of a wrapped row
            return "cell"
        if _fit(split_cells(line), header, separator(line) == "space") is not None:
            return "line"
        return "line" if _is_number(cells[0].text) and _is_name(cells[1].text) else "cell"
    return "cell"


def _text(seq: list[Line], q: int) -> str:
    return seq[q].text if q < len(seq) else ""


def _after_name_ok(seq: list[Line], q: int, header: Header) -> bool:
    """Whether ``seq[q]`` can be the cell after the name (the next printed column)."""
    k = header.index("name") + 1
    cols = header.columns
    while k < len(cols) and cols[k].kind in ("ignore",):
        k += 1
    t = _text(seq, q)
    kind = cols[k].kind if k < len(cols) else "value"
    if kind == "unit":
        return _unit_like(t) or _value_ok(t)
    if kind == "attribute":
        return _is_attribute(t)
    return _value_ok(t)


def _starts_row(seq: list[Line], p: int, header: Header, state: _State) -> bool:
    leads = (0, 1) if header.index("group") is not None else (0,)
    for g in leads:
        q = p + g
        if g and not _group_like(_text(seq, p)):
            continue
        if _is_number(_text(seq, q)) and _is_name(_text(seq, q + 1)):
            return True
        t = _text(seq, q)
        unnumbered_ok = (not state.numbered or state.in_sub or state.sub_next
                         or _vocab()["sub"].match(t))
        next_row = _is_number(_text(seq, q + 1)) and _is_name(_text(seq, q + 2))
        if unnumbered_ok and _is_name(t) and not next_row and _after_name_ok(seq, q + 1, header):
            return True
    return False


def _cell_rows(doc: Document, seq: list[Line], p: int, header: Header,
               state: _State) -> tuple[list[Row], int]:
    rows: list[Row] = []
    while p < len(seq):
        if _starts_row(seq, p, header, state):
            row, p = _cell_row(doc, seq, p, header, state)
            rows.append(row)
            continue
        t = seq[p].text
        if _vocab()["sub"].fullmatch(t) and rows:
            state.sub_next, p = True, p + 1
            continue
        if _group_like(t) and not _is_number(t) and _starts_row(seq, p + 1, header, state):
            state.group, p = t, p + 1
            continue
        _check_not_orphan(doc, seq[p])
        break
    return rows, p


def _cell(line: Line) -> Cell:
    return Cell(line, line.text, line.raw.find(line.text))


def _cell_row(doc: Document, seq: list[Line], p: int, header: Header,
              state: _State) -> tuple[Row, int]:
    start = seq[p].no
    got: dict[int, Cell] = {}
    extra = None
    next_number = None
    for k, col in enumerate(header.columns):
        t = _text(seq, p)
        kind = col.kind
        if kind == "group":
            numbered_next = _is_number(_text(seq, p + 1)) and _is_name(_text(seq, p + 2))
            if not _is_number(t) and (numbered_next or not _after_name_ok(seq, p + 1, header)):
                got[k], p = _cell(seq[p]), p + 1
        elif kind == "number":
            if _is_number(t):
                got[k], p = _cell(seq[p]), p + 1
                next_number = str(int(fold(t).strip().rstrip(".、")) + 1)
        elif kind == "name":
            got[k], p = _cell(seq[p]), p + 1
            if (not _after_name_ok(seq, p, header) and _wrap_head(seq[p - 1].text)
                    and _is_name(_text(seq, p))
                    and _after_name_ok(seq, p + 1, header) and not _is_number(_text(seq, p))):
                got[k] = Cell(seq[p - 1], seq[p - 1].text + seq[p].text, got[k].start)
                extra, p = seq[p].no, p + 1
        elif kind == "unit":
            if p < len(seq) and _unit_like(t) and not _value_ok(t):
                got[k], p = _cell(seq[p]), p + 1
        elif kind == "value":
            if p >= len(seq) or not _plausible_value(seq, p, header, state, next_number):
                n_val = sum(c.kind == "value" for c in header.columns)
                have = sum(header.columns[j].kind == "value" for j in got)
                row_error(doc, start, f"the row has {have} value cell(s) but the header has "
                          f"{n_val} value column(s)")
            if not empty_cell(t):
                parse_cell(t, path=doc.path, line=seq[p].no)
            got[k], p = _cell(seq[p]), p + 1
        elif kind == "attribute":
            if p >= len(seq) or not _is_attribute(t):
                row_error(doc, start, "the row has no 属性 cell (预期性 / 约束性)")
            got[k], p = _cell(seq[p]), p + 1
        elif p < len(seq) and not _starts_row(seq, p, header, state):  # a read-past column
            got[k], p = _cell(seq[p]), p + 1
    return _make_row(header, got, state, extra_line=extra), p


def _plausible_value(seq: list[Line], p: int, header: Header, state: _State,
                     next_number: str | None) -> bool:
    """A value cell, or at least not the start of the next row / the end of the table."""
    t = fold(seq[p].text).strip()
    if next_number is not None and t == next_number and _starts_row(seq, p, header, state):
        return False
    if _vocab()["group"].match(fold(seq[p].norm)):
        return False
    if _value_ok(seq[p].text):
        return True
    return not (_starts_row(seq, p, header, state) or _is_name(t) and len(t) > 12)


def _column_major(seq: list[Line], p: int, header: Header) -> tuple[list[Row], int] | None:
    """Rows printed one column after the other; None when the cells do not form such a table."""
    cols = list(range(len(header.columns)))
    if _is_number(_text(seq, p)) and fold(_text(seq, p)).strip().rstrip(".、") == "1":
        n = 0
        while _is_number(_text(seq, p + n)) and \
                fold(_text(seq, p + n)).strip().rstrip(".、") == str(n + 1):
            n += 1
    else:
        if header.implicit_number:
            cols = cols[1:]
        n = 0
        while _is_name(_text(seq, p + n)) and not _value_ok(_text(seq, p + n)):
            n += 1
    if n < 2 or p + n * len(cols) > len(seq):
        return None
    blocks = {}
    for b, k in enumerate(cols):
        block = seq[p + b * n: p + (b + 1) * n]
        kind = header.columns[k].kind
        if kind == "value" and not all(_value_ok(c.text) for c in block):
            return None
        if kind == "name" and not all(_is_name(c.text) for c in block):
            return None
        blocks[k] = block
    state = _State()
    rows = [_make_row(header, {k: _cell(blocks[k][r]) for k in cols}, state, column_major=True)
            for r in range(n)]
    return rows, p + n * len(cols)


#: Most rows read from a table printed column by column with a header cell before each column.
MAX_INTERLEAVED_ROWS = 200


def interleaved(seq: list[Line], i: int, words) -> tuple[Header, list[Row], int] | None:
    """A table printed column by column, each column after its own header cell (``指标`` / the
    names / ``2025年`` / the values ...); None when ``seq[i]`` does not start one."""
    blocks: list[tuple] = []
    k = i
    while k < len(seq) and len(seq[k].text) <= 20:
        col = words.cell(seq[k].match)
        if col is None:
            break
        n = len(blocks[0][1]) if blocks else MAX_INTERLEAVED_ROWS
        cells, k = [], k + 1
        while k < len(seq) and len(cells) < n and words.cell(seq[k].match) is None:
            cells.append(seq[k])
            k += 1
        if not cells or (blocks and len(cells) != n):
            return None
        blocks.append((col, cells))
    kinds = [c.kind for c, _ in blocks]
    if "name" not in kinds or "value" not in kinds or len(blocks[0][1]) < 2:
        return None
    ok = {"name": _is_name, "value": _value_ok, "number": _is_number}
    for col, cells in blocks:
        test = ok.get(col.kind)
        if test is not None and not all(test(c.text) for c in cells):
            return None
    header = Header(seq[i].no, blocks[-1][1][-1].no, [c for c, _ in blocks])
    state = _State()
    rows = [_make_row(header, {b: _cell(cells[r]) for b, (_, cells) in enumerate(blocks)},
                      state, column_major=True) for r in range(len(blocks[0][1]))]
    return header, rows, k
