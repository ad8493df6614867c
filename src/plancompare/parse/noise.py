"""Noise flags: page furniture, the table of contents and web boilerplate (``words/noise.toml``).

Nothing is removed: a flagged line keeps its number and raw text, ``Line.noise`` says why it is
not plan text (``page_number``, ``running_header``, ``toc``, ``boilerplate``), and every parser
skips it. Page furniture is flagged wherever it falls, inside tables too.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import defaultdict
from typing import TYPE_CHECKING

from . import vocabulary

if TYPE_CHECKING:
    from .ingest import Line

_W = "noise"


@functools.cache
def _full(key: str) -> re.Pattern[str]:
    """Patterns of ``key`` that must match a whole line."""
    return re.compile(r"\s*(?:" + vocabulary.pattern(_W, key).pattern + r")\s*$")


@functools.cache
def _search(key: str) -> re.Pattern[str]:
    return vocabulary.pattern(_W, key)


@functools.cache
def _number(key: str) -> int:
    return int(vocabulary.get(_W, key))


def is_page_number(line: Line) -> bool:
    """A line that can only be a page number (``— 12 —``, ``第 3 页``, ``第3页 共20页``)."""
    return bool(_full("page_number.marked").match(line.norm))


def is_bare_number(line: Line) -> bool:
    """A bare number or Roman numeral alone on its line (a page number or a table cell)."""
    return bool(_full("page_number.bare").match(line.norm))


def toc_page(text: str) -> re.Match[str] | None:
    """The page number a TOC entry ends in (``…根本任务  17``), or None."""
    return _search("toc.page_suffix").search(text)


def flag_all(lines: list[Line]) -> None:
    """Flag boilerplate, the table of contents, page numbers and running headers in place."""
    _flag_boilerplate(lines)
    _flag_page_numbers(lines)
    _flag_running_headers(lines)
    _flag_toc(lines)


def _blank_or_noise(lines: list[Line], idx: int) -> bool:
    return idx < 0 or idx >= len(lines) or lines[idx].blank or lines[idx].noise is not None


def _flag_page_numbers(lines: list[Line]) -> None:
    # Marked page numbers anywhere; a bare number only unindented with blank lines around it
    # (table cells are tab-indented, a row number is followed by its name).
    for i, ln in enumerate(lines):
        if ln.noise or ln.blank:
            continue
        if is_page_number(ln) or (is_bare_number(ln) and not ln.raw.startswith("\t")
              and _blank_or_noise(lines, i - 1) and _blank_or_noise(lines, i + 1)):
            ln.noise = "page_number"


def _flag_running_headers(lines: list[Line]) -> None:
    """A short line repeated at least ``min_repeats_near_page`` times, each time next to a page
    number (within ``window`` lines), or ``min_repeats`` times at regular intervals in a file
    without page numbers."""
    max_chars, window = _number("running_header.max_chars"), _number("running_header.window")
    seen: dict[str, list[int]] = defaultdict(list)
    for i, ln in enumerate(lines):
        if ln.content and len(ln.text) <= max_chars and not _table_row(ln):
            seen[ln.norm].append(i)
    pages = [i for i, ln in enumerate(lines) if ln.noise == "page_number"]
    near_page = _number("running_header.min_repeats_near_page")
    for idxs in seen.values():
        if len(idxs) < near_page:
            continue
        near = [i for i in idxs if any(abs(i - p) <= window for p in pages)]
        if pages and len(near) >= near_page:
            for i in near:
                lines[i].noise = "running_header"
        elif not pages and len(idxs) >= _number("running_header.min_repeats") and _regular(idxs):
            for i in idxs:
                lines[i].noise = "running_header"


def _table_row(line: Line) -> bool:
    """A row of table cells (TAB- or bar-separated; a tab-indented cell line): a table repeats
    rows (合计, 同上) that are content, and a TOC entry has one cell and its page number."""
    raw = line.raw.strip()
    return line.raw.startswith("\t") or raw.count("\t") >= 2 or "|" in raw or "｜" in raw


def _regular(idxs: list[int]) -> bool:
    """Occurrences at about the same distance (a page length), at least 15 lines apart."""
    gaps = [b - a for a, b in itertools.pairwise(idxs)]
    return min(gaps) >= 15 and max(gaps) <= 1.3 * min(gaps)


def _is_toc_title(line: Line) -> bool:
    return bool(_full("toc.title").match(line.norm))


def _toc_entry(line: Line, after_title: bool) -> bool:
    """A TOC entry: heading-like text ending in a page number; right after a 目录 title also a
    heading-form line without one (``1.加强新时代教师队伍建设…``, ``附表 …``)."""
    from .headings import heading_form

    if len(line.text) > 60 or "。" in line.text or _table_row(line):
        return False
    page = toc_page(line.norm)
    if page is not None:
        head = line.norm[: page.start()].strip()
        return bool(re.search(r"[\u3400-\u9fff]{2}", head)) and not re.search(r"\d\s*$", head)
    return after_title and (heading_form(line) is not None
                            or bool(_search("toc.entry_start").match(line.norm)))


def _flag_toc(lines: list[Line]) -> None:
    """A 目录 block, or a run of at least three heading-like lines ending in rising page
    numbers (a table of contents without its title), wherever it stands."""
    i = 0
    while i < len(lines):
        ln = lines[i]
        if ln.noise is None and ln.text and _is_toc_title(ln):
            ln.noise = "toc"
            i = _take_toc(lines, i + 1, after_title=True)
        elif ln.content and toc_page(ln.norm) and _toc_entry(ln, False):
            run = _toc_run(lines, i)
            if len(run) >= 3:
                for j in run:
                    lines[j].noise = "toc"
                i = run[-1] + 1
            else:
                i += 1
        else:
            i += 1


def _take_toc(lines: list[Line], j: int, *, after_title: bool) -> int:
    while j < len(lines):
        ln = lines[j]
        if ln.blank or ln.noise:
            j += 1
            continue
        if not _toc_entry(ln, after_title):
            break
        ln.noise = "toc"
        j += 1
    return j


def _toc_run(lines: list[Line], i: int) -> list[int]:
    """Indexes of consecutive TOC entries from ``i`` whose page numbers do not fall (blank
    lines between allowed)."""
    run, last_page, j = [], -1, i
    while j < len(lines):
        ln = lines[j]
        if ln.blank or (ln.noise and ln.noise != "toc"):
            j += 1
            continue
        page = toc_page(ln.norm) if ln.noise is None else None
        if page is None or not _toc_entry(ln, False):
            break
        number = int(re.search(r"\d+$", page.group()).group())
        if number < last_page:
            break
        last_page = number
        run.append(j)
        j += 1
    return run


def _flag_boilerplate(lines: list[Line]) -> None:
    """Leading block: everything before the first title-like line, if it carries ad markers;
    trailing block: from a footer marker (相关链接 ...) that no long prose follows."""
    # The block is page chrome only if it holds no heading and no prose sentence.
    from .headings import heading_form

    title = _search("boilerplate.title_words")
    first_title = next((i for i, ln in enumerate(lines)
                        if ln.text and title.search(ln.text) and len(ln.text) <= 80), None)
    if first_title:
        head = lines[:first_title]
        chrome = not any(heading_form(ln) or "。" in ln.text for ln in head if ln.text)
        if chrome and any(_search("boilerplate.ad_marker").search(ln.text) for ln in head):
            for ln in head:
                if ln.text:
                    ln.noise = "boilerplate"
    # Trailing block: from the first footer marker that no long prose follows, to the end.
    prose_after = [False] * (len(lines) + 1)
    for i in range(len(lines) - 1, -1, -1):
        prose_after[i] = prose_after[i + 1] or len(lines[i].text) > 100
    start = re.compile(r"(?:" + _search("boilerplate.footer_start").pattern + ")")
    for i, ln in enumerate(lines):
        if start.match(ln.norm) and not prose_after[i + 1]:
            for tail in lines[i:]:
                if tail.text:
                    tail.noise = "boilerplate"
            break
