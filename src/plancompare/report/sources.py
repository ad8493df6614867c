"""Source pages: one HTML page per raw document, every line numbered and anchored (``#L144``).

A reader of a report follows ``file:line`` to ``reports/sources/<file>.html#L144`` and sees the
line as printed, marked by ``:target`` CSS (no script): noise lines dimmed with their reason, the
lines that feed a dataset row highlighted, and the rows each line produced listed beside it. For a
multi-line quote the link is ``#L144-L146``: an empty anchor before line 144 whose ``:target``
marks lines 144 to 146 (one CSS rule per range, written into the page).

A page is a function of (lines, rows, locators); :func:`page_html` works for a plain-text
document (``parse.ingest.Line`` objects) and for a rendition of a docx/pdf/html original (its
lines plus a locator per line, shown in their own column).
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

#: Directory of the source pages, relative to reports/.
SOURCES_DIR = "sources"


@dataclass(frozen=True)
class SourceLine:
    """One line of a source page: its number, its text as printed, why it is noise (or None)."""

    no: int
    raw: str
    noise: str | None = None


@dataclass(frozen=True)
class RowRef:
    """One dataset row as listed beside the line(s) it was read from."""

    line: int
    line_end: int
    label: str


def page_path(source_file: str) -> str:
    """``sources/<file>.html``: the page of ``source_file`` relative to reports/ (not URL-quoted)."""
    return f"{SOURCES_DIR}/{source_file}.html"


def anchor(line: int, line_end: int | None = None) -> str:
    """``L144`` for one line, ``L144-L146`` for a range (the ids :func:`page_html` writes)."""
    if line_end is None or line_end <= line:
        return f"L{line}"
    return f"L{line}-L{line_end}"


def source_href(source_file: str, line: int | None = None, line_end: int | None = None,
                prefix: str = "") -> str:
    """The link from a report to a line of a source page, URL-quoted.

    Parameters
    ----------
    source_file : str
        Path relative to data/raw, as in the ``source_file`` column.
    line, line_end : int, optional
        The first and last line; a range links to ``#L<line>-L<line_end>``.
    prefix : str
        Prepended to the path (``"../"`` for a page one directory below reports/).
    """
    target = prefix + quote(page_path(source_file))
    return target if line is None else f"{target}#{anchor(line, line_end)}"


def _label(row: Mapping[str, Any]) -> str:
    """``indicator target 2025 · 幼儿园普惠率 · ≥86%`` for one row (document text, unescaped)."""
    kind = " ".join(str(row[k]) for k in ("item_type", "role", "year") if _present(row.get(k)))
    parts = [kind] + [str(row[k]) for k in ("name_raw", "value_text", "unit")
                      if _present(row.get(k))]
    return " · ".join(p for p in parts if p)


def _present(value: Any) -> bool:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return False
    return str(value) != ""


def row_refs(records: Iterable[Mapping[str, Any]]) -> dict[str, list[RowRef]]:
    """Group curated rows (dicts with source_file, line, line_end, ...) by source file."""
    out: dict[str, list[RowRef]] = {}
    for r in records:
        if not _present(r.get("source_file")) or not _present(r.get("line")):
            continue
        line = int(r["line"])
        end = int(r["line_end"]) if _present(r.get("line_end")) else line
        out.setdefault(str(r["source_file"]), []).append(RowRef(line, max(end, line), _label(r)))
    return out


def range_css(rows: Sequence[RowRef]) -> str:
    """One ``:target`` rule per multi-line range: the range anchor marks every line it covers."""
    rules = []
    for a, b in sorted({(r.line, r.line_end) for r in rows if r.line_end > r.line}):
        lines = ",".join(f"#L{n}" for n in range(a, b + 1))
        rules.append(f"#L{a}-L{b}:target~:is({lines})")
    if not rules:
        return ""
    return ",\n".join(rules) + " { background: var(--pc-target); outline: 2px solid #d08c00; }\n"


def _line_html(ln: SourceLine, fed: bool, produced: list[RowRef], locator: str | None,
               with_locators: bool) -> str:
    esc = html.escape
    cls = ["ln"] + (["noise"] if ln.noise else []) + (["fed"] if fed else [])
    why = f'<span class="why">{esc(ln.noise)}</span>' if ln.noise else ""
    rows = ""
    if produced:
        rows = "<ul>" + "".join(
            f"<li>{esc(r.label)}" + (f" <small>(L{r.line}-L{r.line_end})</small>"
                                     if r.line_end > r.line else "") + "</li>"
            for r in produced) + "</ul>"
    loc = f'<span class="loc">{esc(locator or "")}</span>' if with_locators else ""
    return (f'<div class="{" ".join(cls)}" id="L{ln.no}"><a class="no" href="#L{ln.no}">{ln.no}</a>'
            f'{loc}<span class="tx">{esc(ln.raw)}{why}</span><span class="rows">{rows}</span></div>')


def page_html(source_file: str, lines: Sequence[SourceLine], rows: Sequence[RowRef], *,
              locators: Mapping[int, str] | None = None, meta: Sequence[tuple[str, str]] = (),
              css: str = "", font_face: str = "") -> str:
    """The source page of one document; every document character is HTML-escaped.

    Parameters
    ----------
    source_file : str
        The file's path relative to data/raw (the page title).
    lines : sequence of SourceLine
        Every line of the document (or of its text rendition), in order.
    rows : sequence of RowRef
        The dataset rows read from this file.
    locators : mapping, optional
        Line number -> where the line is in the original (``p. 12``); adds a locator column.
    meta : sequence of (label, value)
        Shown in the page header (district, document, sha256, data version, ...).
    css, font_face : str
        The shared stylesheet and the embedded font's ``@font-face`` rule.
    """
    esc = html.escape
    starts: dict[int, list[RowRef]] = {}
    fed: set[int] = set()
    for r in rows:
        starts.setdefault(r.line, []).append(r)
        fed.update(range(r.line, r.line_end + 1))
    ranges: dict[int, list[str]] = {}
    for a, b in sorted({(r.line, r.line_end) for r in rows if r.line_end > r.line}):
        ranges.setdefault(a, []).append(f'<span class="rng" id="{anchor(a, b)}"></span>')
    body = []
    for ln in lines:
        body += ranges.get(ln.no, [])
        body.append(_line_html(ln, ln.no in fed, starts.get(ln.no, []),
                               (locators or {}).get(ln.no), locators is not None))
    items = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in meta)
    n_noise = sum(1 for ln in lines if ln.noise)
    legend = (f"{len(lines)} lines; {len(fed)} feed {len(rows)} dataset rows (highlighted); "
              f"{n_noise} noise lines (dimmed, reason shown) / 共 {len(lines)} 行，"
              f"{len(fed)} 行被数据引用（高亮），{n_noise} 行噪声（淡色）")
    grid = " with-loc" if locators is not None else ""
    up = "../" * (1 + source_file.count("/"))
    return ("<!DOCTYPE html>\n<html lang=\"zh\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1.0\">\n"
            f"<title>{esc(source_file)}</title>\n<style>{font_face}\n{css}\n"
            f"{range_css(rows)}</style>\n</head>\n<body class=\"pc-source\">\n"
            f'<header class="pc-header"><h1>{esc(source_file)}</h1><dl>{items}</dl>'
            f'<p>{esc(legend)} · <a href="{up}index.html">index</a></p></header>\n'
            f'<main class="src{grid}">\n' + "\n".join(body) + "\n</main>\n</body>\n</html>\n")


__all__ = ["SOURCES_DIR", "RowRef", "SourceLine", "anchor", "page_html", "page_path",
           "range_css", "row_refs", "source_href"]
