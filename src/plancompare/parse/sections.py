"""Sections: the parts of a plan, its headings and their levels, as evidence (not a gate).

Parts: ``front`` (title, notice, preamble), ``background`` (review, situation), ``guiding``
(guiding ideology, principles), ``goals``, ``tasks``, ``implementation`` (safeguards), ``annex``
(key-project tables, task lists), and ``unknown`` (a title that names no part, or a document
without any recognised part: a news report, an excerpt, one chapter).

Rules (vocabulary in ``words/sections.toml`` and ``words/headings.toml``):

- The part headings are the lines of the outermost heading form that names a part: of the forms
  in the order they first appear (第X部分, 第X章, 一、 ...), the first with a title matching the
  section vocabulary. Every line of that form is a part heading; a title matching nothing is
  ``unknown``, except that an unknown heading after the goals or tasks part and before
  implementation is a task chapter (part ``tasks``, the heading itself a level-1 task).
- A document without a numbered part form may title its parts with short unnumbered lines
  (``发展思路与主要目标``): isolated short lines followed by prose, when at least one of them names
  a part.
- Within a part, a heading's level is the rank of its form in the order the forms first appear in
  that part (a chapter plan's 第一节 under 第四章 主要任务 is level 1, its 一、 level 2).
- A second document title after the parts began (two plans in one file) restarts the parts and
  the form ranks.
- Table-of-contents entries (flagged noise by ingest) are read the same way, page numbers cut,
  so a document whose body lacks the headings its TOC lists still shows them.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field

from . import vocabulary
from .headings import Heading, heading_form, is_plain_heading, limit, plain_heading
from .ingest import Document, Line
from .noise import toc_page

PARTS = ("front", "background", "guiding", "goals", "tasks", "implementation", "annex",
         "unknown")
TARGET_PARTS = frozenset({"goals", "tasks", "implementation", "annex"})
_W = "sections"
#: Forms that never title a part (they number items inside one): words/headings.toml [roles].
_ITEM_FORMS = frozenset(vocabulary.words("headings", "roles.item_forms"))
PART_TITLE_MAX = 40


@dataclass(frozen=True)
class TopHeading:
    """A part heading."""

    line: int
    form: str
    title: str
    part: str
    inferred: bool = False   # part ``tasks`` inferred from position (an unknown title)
    numeral: str = ""


@dataclass(frozen=True)
class HeadingLine:
    """A heading inside a part, with its level there."""

    line: Line
    heading: Heading
    part: str
    level: int
    toc: bool = False        # a table-of-contents entry (its title has the page number cut)

    @property
    def title(self) -> str:
        return self.heading.title


@dataclass
class Structure:
    """What :func:`structure` found in a document."""

    parts: dict[int, str]
    part_form: str | None
    top: list[TopHeading]
    headings: list[HeadingLine]
    toc: list[HeadingLine]
    documents: list[int] = field(default_factory=list)  # first line of each document in the file

    @property
    def recognised(self) -> bool:
        """True when at least one part heading named a known part."""
        return any(h.part != "unknown" for h in self.top)


@functools.cache
def _part_words() -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((part, tuple(ws)) for part, ws in vocabulary.get(_W, "parts").items())


def classify_heading(title: str) -> str:
    """The part a heading title names (``words/sections.toml``), ``unknown`` when none.

    Parameters
    ----------
    title : str
        The title after its numbering, e.g. ``"主要任务"`` or ``"發展願景"`` (matched Simplified).

    Returns
    -------
    str
        One of :data:`PARTS`.
    """
    from .text import fold, to_simplified

    text = fold(to_simplified(title))
    for part, words in _part_words():
        if any(w in text for w in words):
            return part
    return "unknown"


def is_annex_title(line: Line) -> bool:
    """A short line without sentence punctuation that names an annex table."""
    text = line.norm.strip()
    return (len(text) <= 45 and not re.search(r"[。；，,;]", text)
            and bool(vocabulary.pattern(_W, "annex.title").search(text)))


def is_title(line: Line) -> bool:
    """A document title: a short line without sentence punctuation that ends with the kind of
    document (…规划, …实施方案, optionally a bracketed period after it) and names its period
    (十四五, 2021-2025年)."""
    text = line.match
    if (len(text) > int(vocabulary.get(_W, "title.max_chars")) or heading_form(line) is not None
            or re.search(r"[。；，,;：:]", text)):
        return False
    return bool(_title_end_re().search(text)) and _names_period(line.norm)


@functools.cache
def _title_end_re() -> re.Pattern[str]:
    kinds = vocabulary.alternation(_W, "title.words")
    return re.compile(rf"(?:{kinds})[”」》\"')）]*\s*(?:[(（][^()（）]*[)）])?$")


def _names_period(norm: str) -> bool:
    return (any(w in norm for w in vocabulary.get(_W, "periods"))
            or bool(re.search(vocabulary.get(_W, "period_span.pattern"), norm)))


def _toc_line(line: Line) -> Line:
    """A TOC entry as a heading line: the page number (and the leader before it) cut off."""
    from .ingest import make_line

    page = toc_page(line.raw.rstrip())
    raw = line.raw.rstrip()[: page.start()] if page else line.raw
    return make_line(line.no, raw.rstrip(" \t.…·・-_"))


def _candidates(lines: list[Line]) -> list[tuple[Line, Heading]]:
    out = []
    for ln in lines:
        h = heading_form(ln)
        if h is not None:
            out.append((ln, h))
    return out


def _part_form(cands: list[tuple[Line, Heading]]) -> str | None:
    """The outermost form that names a part: first in order of appearance with a match."""
    seen: list[str] = []
    for _, h in cands:
        if h.form not in seen and h.form not in _ITEM_FORMS:
            seen.append(h.form)
    for form in seen:
        if any(h.form == form and _is_part_title(ln, h) and classify_heading(h.title) != "unknown"
               for ln, h in cands):
            return form
    return None


def _is_part_title(line: Line, h: Heading) -> bool:
    return not h.inline and len(line.text) <= PART_TITLE_MAX and "。" not in line.text


def _plain_tops(lines: list[Line]) -> list[Line]:
    """Isolated short unnumbered lines followed by prose, if one of them names a part."""
    out = []
    for k, ln in enumerate(lines):
        if not is_plain_heading(ln) or is_title(ln) or is_annex_title(ln):
            continue
        prev_plain = k > 0 and is_plain_heading(lines[k - 1])
        nxt = lines[k + 1] if k + 1 < len(lines) else None
        if prev_plain or nxt is None or len(nxt.text) <= limit("plain_max_chars"):
            continue
        out.append(ln)
    if not any(classify_heading(ln.text) != "unknown" for ln in out):
        return []
    return out


def _top_part(title: str, seen: list[str]) -> tuple[str, bool]:
    part = classify_heading(title)
    if part == "unknown" and seen and seen[-1] in ("goals", "tasks") and \
            "implementation" not in seen:
        return "tasks", True
    return part, False


def _tops(lines: list[Line], cands) -> tuple[str | None, list[TopHeading]]:
    form = _part_form(cands)
    seen: list[str] = []
    tops: list[TopHeading] = []
    if form is not None:
        heads = [(ln, h) for ln, h in cands if h.form == form and _is_part_title(ln, h)]
    else:
        heads = [(ln, plain_heading(ln)) for ln in _plain_tops(lines)]
        form = "plain" if heads else None
    for ln, h in heads:
        part, inferred = _top_part(h.title, seen)
        seen.append(part)
        tops.append(TopHeading(ln.no, h.form, h.title.strip(), part, inferred))
    return form, tops


def _levels(lines: list[Line], cands, tops: list[TopHeading], start: str,
            toc: bool = False) -> tuple[dict[int, str], list[HeadingLine]]:
    """Walk the lines: part of each line, and the level of each heading within its part."""
    top_at = {t.line: t for t in tops}
    by_line = {ln.no: h for ln, h in cands}
    part, ranks = start, {}
    parts: dict[int, str] = {}
    out: list[HeadingLine] = []
    began = False
    prev: Line | None = None
    for ln in lines:
        if ln.no in top_at:
            part, ranks, began = top_at[ln.no].part, {}, True
            if top_at[ln.no].inferred:  # a task chapter: its own heading is a level-1 task
                ranks = {"plain": 1} if top_at[ln.no].form == "plain" else {
                    top_at[ln.no].form: 1}
                out.append(HeadingLine(ln, by_line.get(ln.no) or plain_heading(ln), part, 1,
                                       toc))
        elif part != "annex" and is_annex_title(ln):
            part, ranks = "annex", {}
        elif began and not toc and is_title(ln):
            part, ranks = "front", {}
            if prev is not None and _title_head(prev):  # a title printed on two lines
                parts[prev.no] = "front"
        elif ln.no in by_line:
            h = by_line[ln.no]
            level = ranks.setdefault(h.form, len(ranks) + 1)
            out.append(HeadingLine(ln, h, part, level, toc))
        parts[ln.no] = part
        prev = ln
    return parts, out


def _title_head(line: Line) -> bool:
    """The first line of a title printed on two lines: short, no punctuation, no heading."""
    return (len(line.text) <= PART_TITLE_MAX and heading_form(line) is None
            and not re.search(r"[。；，,;：:]", line.match) and not line.raw.startswith("\t"))


def structure(doc: Document, start_section: str | None = None) -> Structure:
    """Parts, part headings and levelled headings of a document (computed once per call).

    Parameters
    ----------
    doc : Document
    start_section : str, optional
        The part the file opens in (an override for excerpts); by default ``front`` when the
        document has part headings, ``unknown`` when it has none.

    Returns
    -------
    Structure
    """
    if start_section is not None and start_section not in PARTS:
        raise ValueError(f"unknown start_section {start_section!r}; known: {', '.join(PARTS)}")
    cache = doc.__dict__.setdefault("_structure", {})
    if start_section in cache:
        return cache[start_section]
    lines = doc.content_lines()
    cands = _candidates(lines)
    form, tops = _tops(lines, cands)
    start = start_section or ("front" if tops else "unknown")
    parts, heads = _levels(lines, cands, tops, start)
    docs = [lines[0].no] if lines else []
    docs += [ln.no for ln in lines if parts.get(ln.no) == "front" and is_title(ln)
             and any(t.line < ln.no for t in tops)][:1]
    result = Structure(parts, form, tops, heads, _toc_structure(doc), docs)
    cache[start_section] = result
    return result


def _toc_structure(doc: Document) -> list[HeadingLine]:
    lines = [_toc_line(ln) for ln in doc.lines if ln.noise == "toc" and ln.text]
    lines = [ln for ln in lines if ln.text]
    cands = _candidates(lines)
    _, tops = _tops(lines, cands)
    if not tops:
        return []
    _, heads = _levels(lines, cands, tops, "front", toc=True)
    return heads


def top_headings(doc: Document) -> list[TopHeading]:
    """The part headings of a document (see :func:`structure`)."""
    return structure(doc).top


def assign_parts(doc: Document, start_section: str | None = None) -> dict[int, str]:
    """Return ``{line_no: part}`` for every content line (see :func:`structure`).

    ``start_section`` is the part the file opens in (for excerpts of a longer plan, declared in
    the manifest); by default a file opens in ``front`` (``unknown`` without part headings).
    """
    return structure(doc, start_section).parts


def period_end(doc: Document) -> int | None:
    """The plan's final year from its text, or None.

    A title line's year span (``2021-2025``) or period word (``十四五``) wins; otherwise the
    latest period word (``words/sections.toml`` [periods]) the document names (a plan looks back
    at earlier periods, not beyond its own); otherwise the first year span.

    Parameters
    ----------
    doc : Document

    Returns
    -------
    int or None
    """
    span = re.compile(vocabulary.get(_W, "period_span.pattern"))
    lines = doc.content_lines()
    periods = vocabulary.get(_W, "periods")
    for ln in lines[:15]:
        if not is_title(ln):
            continue
        m = span.search(ln.norm)
        if m:
            return int(m.group(2))
        for word, years in periods.items():
            if word in ln.norm:
                return int(years.split("-")[1])
    named = [int(y.split("-")[1]) for w, y in periods.items()
             if any(w in ln.norm for ln in lines)]
    if named:
        return max(named)
    for ln in lines[:15]:
        m = span.search(ln.norm)
        if m:
            return int(m.group(2))
    return None


def commitment_year(doc: Document) -> int | None:
    """The year the text's commitments are most often stated for (``到2025年``), or None.

    For a text that names no plan period (an excerpt, a news report): the earliest year wins a
    tie, and a past date (``截至2023年``) is no commitment (``words/sections.toml`` [horizon]).
    """
    horizon = vocabulary.pattern(_W, "horizon.pattern")
    counts = Counter(int(m.group(1)) for ln in doc.content_lines()
                     for m in horizon.finditer(ln.norm))
    if not counts:
        return None
    return min(counts, key=lambda y: (-counts[y], y))


def period_words(end_year: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The period words of the plan ending in ``end_year`` and those of earlier periods.

    >>> period_words(2025)
    (('十四五',), ('十一五', '十二五', '十三五'))
    """
    periods = {w: int(y.split("-")[1]) for w, y in vocabulary.get(_W, "periods").items()}
    return (tuple(w for w, y in periods.items() if y == end_year),
            tuple(w for w, y in periods.items() if y < end_year))
