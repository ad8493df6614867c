"""Tables for reading: escaped HTML with links to the source pages, emphasis and a CSV download.

One display frame (every cell already a string) feeds both the HTML table and its CSV, so the
download is exactly the table. Text columns are left-aligned and wrap, number columns are
right-aligned, a ``file:line`` cell links to ``sources/<file>.html#L<line>`` and a quote shows the
number it was matched by (``value_text``) in ``<mark>``: the text is escaped first, the markup is
added around escaped pieces, so document text is never interpreted.
"""

from __future__ import annotations

import base64
import html
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .sources import source_href

#: ``file.txt:144`` or ``file.txt:144-146`` (a multi-line quote); the file has an extension.
WHERE_RE = re.compile(r"^(?P<file>[^\s:][^:\n]*\.[A-Za-z][A-Za-z0-9]{0,5}):(?P<line>\d+)(?:-(?P<end>\d+))?$")
#: ``file.txt:144`` inside a longer cell (``通州区 tongzhou.txt:206；tongzhou.txt:211``).
WHERE_IN_TEXT_RE = re.compile(r"(?P<file>[\w.\-/]*\w\.[A-Za-z][A-Za-z0-9]{0,5}):(?P<line>\d+)(?:-(?P<end>\d+))?")
#: A cell that reads as a number (``12``, ``-3.5``, ``95%``, ``≥ 1,200``): right-aligned.
NUMBER_RE = re.compile(r"^[<>≥≤=~约±+\-−\s]*\d[\d,.]*\s*%?$")
#: Text columns with a value this long get room to wrap (``td.long``).
LONG_TEXT = 40
#: Stand-ins for line breaks and tabs while escaping (restored as ``<br>`` / ``&emsp;``).
_NL, _TAB = "\ue000", "\ue001"
_NUMBER_CORE = re.compile(r"\d[\d,.]*%?")


def cell_text(value: Any) -> str:
    """The text a cell shows (and its CSV holds): ``""`` for missing, ``2025`` for 2025.0."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else f"{value:.6g}"
    if isinstance(value, (list, tuple)):
        return "；".join(cell_text(v) for v in value)
    try:
        import pandas as pd

        if pd.isna(value):
            return ""
    except (TypeError, ValueError, ImportError):
        pass
    return str(value)


def display_frame(df: Any, *, index: bool = False) -> Any:
    """``df`` with every cell as its display text (the index becomes columns when ``index``)."""
    out = df.reset_index() if index else df.reset_index(drop=True)
    out.columns = [cell_text(c) for c in out.columns]
    return out.map(cell_text)


def numeric_columns(shown: Any) -> set[str]:
    """Columns whose every non-empty cell reads as a number."""
    out = set()
    for col in shown.columns:
        values = [v for v in shown[col] if v != ""]
        if values and all(NUMBER_RE.match(v) for v in values):
            out.add(col)
    return out


def emphasis_spans(quote: str, values: Iterable[str]) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) of the first occurrence of each value in ``quote``.

    A value not found as printed is looked for by its number (``95%`` of ``≥95%``).
    """
    spans: list[tuple[int, int]] = []
    for value in values:
        value = value.strip()
        if not value or value == "-":
            continue
        start = quote.find(value)
        for alt in _cores(value) if start < 0 else ():
            start, value = quote.find(alt), alt
            if start >= 0:
                break
        end = start + len(value)
        if start >= 0 and not any(a < end and start < b for a, b in spans):
            spans.append((start, end))
    return sorted(spans)


def _cores(value: str) -> list[str]:
    """The number of a value as printed elsewhere: ``95%`` then ``95`` for ``≥95%``."""
    core = _NUMBER_CORE.search(value)
    if not core:
        return []
    return list(dict.fromkeys([core.group(0), core.group(0).rstrip("%")]))


def _escape(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\n", _NL).replace("\t", _TAB)
    return html.escape(text).replace(_NL, "<br>").replace(_TAB, "&emsp;")


def marked(quote: str, values: Iterable[str]) -> str:
    """``quote`` escaped, with each of ``values`` (escaped too) wrapped in ``<mark>``."""
    out, pos = [], 0
    for a, b in emphasis_spans(quote, values):
        out += [_escape(quote[pos:a]), "<mark>", _escape(quote[a:b]), "</mark>"]
        pos = b
    out.append(_escape(quote[pos:]))
    return "".join(out)


def where_link(text: str, prefix: str = "") -> str | None:
    """``<a href="sources/f.html#L144">f:144</a>`` for a ``file:line`` cell, else None."""
    m = WHERE_RE.match(text)
    if not m:
        return None
    end = int(m["end"]) if m["end"] else None
    href = source_href(m["file"], int(m["line"]), end, prefix)
    return f'<a class="pc-src" href="{html.escape(href, quote=True)}">{html.escape(text)}</a>'


def linked(text: str, prefix: str = "") -> str:
    """``text`` escaped, with every ``file:line`` in it a link to its source page."""
    out, pos = [], 0
    for m in WHERE_IN_TEXT_RE.finditer(text):
        end = int(m["end"]) if m["end"] else None
        href = html.escape(source_href(m["file"], int(m["line"]), end, prefix), quote=True)
        out += [_escape(text[pos:m.start()]),
                f'<a class="pc-src" href="{href}">{html.escape(m.group(0))}</a>']
        pos = m.end()
    out.append(_escape(text[pos:]))
    return "".join(out)


def csv_bytes(shown: Any) -> bytes:
    """The display frame as CSV, UTF-8 with a BOM (Excel reads it as UTF-8)."""
    return "\ufeff".encode() + shown.to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def csv_link(shown: Any, filename: str, label: str | None = None) -> str:
    """A ``data:text/csv`` download link of the display frame (no script)."""
    b64 = base64.b64encode(csv_bytes(shown)).decode("ascii")
    name = html.escape(re.sub(r"[^\w.-]+", "_", filename), quote=True)
    text = label or f"↓ CSV ({len(shown)} rows / 行)"
    return (f'<a class="pc-csv" download="{name}" '
            f'href="data:text/csv;charset=utf-8;base64,{b64}">{html.escape(text)}</a>')


def table_html(df: Any, *, index: bool = False, max_rows: int | None = None,
               emphasis: Mapping[str, Sequence[str]] | None = None, filename: str = "table.csv",
               link_prefix: str = "") -> str:
    """The reading table of ``df`` plus its CSV download link.

    Parameters
    ----------
    df : DataFrame
        The table as the notebook built it (headers already in the report's language).
    index : bool
        Show the index as the first column(s).
    max_rows : int, optional
        Show at most this many rows (the CSV holds all; a note says how many are left out).
    emphasis : mapping, optional
        Quote column -> the columns whose value is emphasised in it (e.g. ``{"quote": ["target"]}``).
    filename : str
        The CSV's download name.
    link_prefix : str
        Prepended to source-page links (``"../"`` for a page below reports/).
    """
    shown = display_frame(df, index=index)
    nums = numeric_columns(shown)
    emphasis = {q: [c for c in cols if c in shown.columns]
                for q, cols in (emphasis or {}).items() if q in shown.columns}
    long = {c for c in shown.columns if c not in nums and shown[c].str.len().max() > LONG_TEXT}
    head = "".join(f'<th{_cls(c, nums, set())}>{html.escape(c)}</th>' for c in shown.columns)
    body = []
    rows = shown if max_rows is None else shown.head(max_rows)
    for rec in rows.to_dict("records"):
        cells = []
        for c in shown.columns:
            text = rec[c]
            link = where_link(text, link_prefix) if text else None
            if link:
                cells.append(f'<td class="where">{link}</td>')
                continue
            inner = (marked(text, [rec[v] for v in emphasis[c]]) if c in emphasis
                     else linked(text, link_prefix))
            cells.append(f"<td{_cls(c, nums, long)}>{inner}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    more = len(shown) - len(rows)
    note = f'<p class="pc-more">… {more} more rows in the CSV / 其余 {more} 行见 CSV</p>' if more else ""
    return (f'<table class="plancompare-table">\n<thead><tr>{head}</tr></thead>\n<tbody>\n'
            + "\n".join(body) + f"\n</tbody>\n</table>\n{note}" + csv_link(shown, filename))


def _cls(col: str, nums: set[str], long: set[str]) -> str:
    if col in nums:
        return ' class="num"'
    return ' class="long"' if col in long else ""


__all__ = ["csv_bytes", "csv_link", "display_frame", "emphasis_spans", "linked", "marked",
           "table_html", "where_link"]
