"""Paragraphs: content lines, with hard-wrapped lines (PDF / fixed-width copies) re-joined.

A plan copied out of a PDF breaks every paragraph into lines of about the same width. Parsers
that read sentences (targets, tasks) iterate :func:`paragraphs` so that a sentence cut by the wrap
is read whole, while quotes and line numbers still point at the raw lines: ``Paragraph.text`` is
the lines' raw strings concatenated, and :meth:`Paragraph.quote` cuts the exact raw text of an
offset range, with ``"\\n"`` at each line boundary and any page furniture in between as printed.

A line is joined with the next content line when all of these hold:

- the document shows a wrap width: many lines of about the same display width (CJK characters
  count two columns), and few lines wider than it (:func:`wrap_width`);
- the line reaches that width (it was cut by the wrap, not ended by the writer);
- the line does not end a sentence (。！？； ...);
- the next line does not open a heading form, a list item or a table row, and is not indented
  further than the line (an indented line opens a paragraph);
- only page furniture (page numbers, running headers) and blank lines around it stand between the
  two; a blank line alone ends a paragraph.

Whatever the wrap width (also in a document without one), a line cut by a page break or a wrap
is joined with the next content line when it ends on a character, not on punctuation, the next
line opens no block and is not indented further, and either it holds sentence punctuation (it is
no heading) and page furniture follows it or it is longer than any unnumbered heading and opens
no numbered one (a sentence fragment), or a comparator word runs across the cut
(``…每年新增公办学位不`` / ``— 3 —`` / ``少于5000个。``: 不少于).

A document without a wrap width (one paragraph per line, as Word and web copies are) gives one
paragraph per content line, each behaving exactly like its line, but for the cuts above (a
writer ends each paragraph with punctuation, so a fragment is a cut, not a paragraph).
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field

from .headings import ends_sentence, has_sentence_punct, limit, opens_block
from .ingest import Document, Line
from .numbers import COMPARATOR_WORDS
from .text import fold, to_simplified

#: Noise kinds that are page furniture: a paragraph continues across them.
FURNITURE = frozenset({"page_number", "running_header"})
_WIDE_RE = re.compile("[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff"
                      "\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60"
                      "\uffe0-\uffe6]")
_FULLWIDTH_ASCII_RE = re.compile("[\uff01-\uff5e]")  # ０-９ ％ ＞ Ａ-Ｚ …: counted as one column
#: Narrowest wrap width taken as a prose wrap (display columns).
MIN_WRAP = 20
#: Widest wrap width looked for (display columns; a longer line is a whole paragraph).
MAX_WRAP = 400
#: Lines at the wrap width needed, absolute and as a share of the lines at least half as wide.
MIN_WRAPPED_LINES = 5
MIN_WRAPPED_SHARE = 0.4
#: Largest share of lines wider than the wrap width (a one-paragraph-per-line copy has many).
MAX_WIDER_SHARE = 0.1


@dataclass
class Paragraph:
    """One or more content lines read as one paragraph.

    ``text`` is the lines' raw strings concatenated with nothing between, so an offset in it maps
    to a (line, column) pair; ``joins[k]`` is what stands between ``lines[k]`` and ``lines[k+1]``
    in the raw file ("\\n", plus any noise line in between and its line break).
    """

    lines: tuple[Line, ...]
    text: str
    joins: tuple[str, ...] = ()
    continues: bool = False  # may be the rest of the paragraph before (see paragraphs())
    _starts: list[int] = field(default_factory=list, repr=False, compare=False)

    def __post_init__(self) -> None:
        pos, self._starts = 0, []
        for ln in self.lines:
            self._starts.append(pos)
            pos += len(ln.raw)

    @property
    def first(self) -> Line:
        return self.lines[0]

    @property
    def no(self) -> int:
        """Line number of the first line."""
        return self.lines[0].no

    @property
    def match(self) -> str:
        """``text`` folded to half-width and Simplified, same length (for matching)."""
        cached = self.__dict__.get("_match")
        if cached is None:
            cached = self.__dict__["_match"] = fold(to_simplified(self.text))
        return cached

    def _index(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self._starts, offset) - 1)

    def locate(self, offset: int) -> tuple[int, int]:
        """The raw line number and the column in that raw line of ``text[offset]``.

        Parameters
        ----------
        offset : int
            An offset into ``text`` (``len(text)`` maps to the end of the last line).

        Returns
        -------
        tuple of (int, int)
        """
        k = self._index(offset)
        return self.lines[k].no, offset - self._starts[k]

    def quote(self, start: int, end: int) -> tuple[int, int | None, str]:
        """The exact raw text of ``text[start:end]`` and the lines it spans.

        Parameters
        ----------
        start, end : int
            Offsets into ``text``, ``start < end``.

        Returns
        -------
        tuple of (int, int or None, str)
            ``(line, line_end, quote)``: ``line_end`` is None when the quote is on one line; the
            quote has "\\n" at each line boundary and any noise line in between as printed, so it
            is a substring of the raw lines ``line``..``line_end`` joined with "\\n".
        """
        k1, k2 = self._index(start), self._index(max(start, end - 1))
        if k1 == k2:
            return self.lines[k1].no, None, self.text[start:end]
        pieces = [self.lines[k1].raw[start - self._starts[k1]:]]
        for k in range(k1 + 1, k2 + 1):
            pieces.append(self.joins[k - 1])
            raw = self.lines[k].raw
            pieces.append(raw if k < k2 else raw[: end - self._starts[k]])
        return self.lines[k1].no, self.lines[k2].no, "".join(pieces)


def display_width(text: str) -> int:
    """Columns ``text`` takes in a fixed-width layout (CJK and full-width characters: two)."""
    return 2 * len(text) - len(_WIDE_RE.sub("", text))


def _width(line: Line) -> int:
    """The line's display width with full-width ASCII forms counted as their half-width forms,
    so that the same text printed with full-width digits wraps (and joins) the same way."""
    raw = line.raw.rstrip()
    if len(raw) > MAX_WRAP:
        return 2 * len(raw)
    return display_width(raw) - len(_FULLWIDTH_ASCII_RE.findall(raw))


def _slack(width: int) -> int:
    return max(4, width // 10)


def wrap_width(doc: Document) -> int | None:
    """The width the document was hard-wrapped at, or None when it shows none.

    Parameters
    ----------
    doc : Document

    Returns
    -------
    int or None
        The display width most lines reach (see the module docstring for the evidence needed).
    """
    cached = doc.__dict__.get("_wrap", False)
    if cached is not False:
        return cached
    widths = sorted(_width(ln) for ln in doc.content_lines() if not ln.raw.startswith("\t"))

    def between(lo: float, hi: float) -> int:
        return bisect.bisect_right(widths, hi) - bisect.bisect_left(widths, lo)

    best, best_count = None, 0
    for w in sorted({v for v in widths if MIN_WRAP <= v <= MAX_WRAP}, reverse=True):
        count = between(w - _slack(w), w)
        if count > best_count:
            best, best_count = w, count
    result = None
    if best is not None and best_count >= MIN_WRAPPED_LINES:
        half = between(best / 2, float("inf"))
        wider = between(best + _slack(best) + 1, float("inf"))
        if best_count >= MIN_WRAPPED_SHARE * half and wider <= MAX_WIDER_SHARE * half:
            result = best
    doc.__dict__["_wrap"] = result
    return result


def _between(doc: Document, a: Line, b: Line) -> str | None:
    """What stands between two content lines, if only page furniture (else None).

    Returns the text between ``a.raw`` and ``b.raw`` in the "\\n"-joined raw file.
    """
    gap = doc.lines[a.no: b.no - 1]
    if gap and not any(ln.noise in FURNITURE for ln in gap):
        return None  # blank lines only: a paragraph break
    if any(ln.noise is not None and ln.noise not in FURNITURE for ln in gap):
        return None
    return "\n" + "".join(ln.raw + "\n" for ln in gap)


def _full(line: Line, width: int) -> bool:
    return width - _slack(width) <= _width(line) <= width + _slack(width)


def _continues(a: Line, b: Line, width: int, indented: bool) -> bool:
    """True when ``b`` continues the hard-wrapped line ``a``.

    A line that reached the wrap width and ended a sentence is continued only in a document
    whose paragraphs open indented (then an unindented next line is a continuation).
    """
    if not _full(a, width) or a.raw.startswith("\t"):
        return False
    if b.indent > a.indent or opens_block(b):
        return False
    return not ends_sentence(a.text) or (indented and b.indent == 0)


def _cut_by_page(doc: Document, a: Line, b: Line) -> str | None:
    """What stands between ``a`` and ``b`` when a page break or a wrap cut a sentence there.

    Either page furniture follows ``a`` and ``a`` is a sentence fragment (sentence punctuation
    inside, none at its end), or a comparator word runs across the cut (``不`` / ``少于``).
    """
    if a.raw.startswith("\t") or b.indent > a.indent or opens_block(b):
        return None
    text = a.text.rstrip()
    if not text or not text[-1].isalnum():
        return None
    join = _between(doc, a, b) if b.no - a.no > 1 else "\n"
    if join is None:
        return None
    furniture = b.no - a.no > 1
    if has_sentence_punct(text) and (furniture or _fragment(a)):
        return join
    return join if _word_across(a.match.rstrip(), b.match.lstrip()) else None


def _fragment(line: Line) -> bool:
    """A sentence cut short: longer than any unnumbered heading, opening no numbered heading or
    item (they may hold commas), with sentence punctuation inside and none at its end (the
    caller checks the last two). A writer ends a paragraph with punctuation, so the text goes
    on in the next line even when the document is too short to show a wrap width."""
    return len(line.text.strip()) > limit("plain_max_chars") and not opens_block(line)


def _word_across(left: str, right: str) -> bool:
    """True when a comparator word starts in ``left`` and ends in ``right``."""
    longest = max(map(len, COMPARATOR_WORDS), default=0)
    tail, head = left[-(longest - 1):], right[:longest - 1]
    return any(_spans(tail + head, w, len(tail)) for w in COMPARATOR_WORDS if len(w) > 1)


def _spans(joined: str, word: str, cut: int) -> bool:
    start = joined.find(word, max(0, cut - len(word) + 1))
    return start != -1 and start < cut < start + len(word)


def _indented_starts(doc: Document) -> bool:
    """True when most paragraphs open with an indented first line (after a blank line or a
    sentence end): then indentation, not the sentence end, marks where a paragraph starts."""
    lines = [ln for ln in doc.content_lines() if not ln.raw.startswith("\t")]
    starts = [b for a, b in itertools.pairwise(lines) if b.no - a.no > 1 or ends_sentence(a.text)]
    return bool(starts) and sum(ln.indent > 0 for ln in starts) >= 0.8 * len(starts)


def paragraphs(doc: Document) -> list[Paragraph]:
    """The document's content lines grouped into paragraphs (computed once per document).

    Parameters
    ----------
    doc : Document

    Returns
    -------
    list of Paragraph
        In document order; every content line is in exactly one paragraph. ``continues`` marks
        a paragraph that may be the rest of the one before (its first line directly follows a
        line that reached the wrap width): a parser should not take its first sentence as a
        new title.
    """
    cached = doc.__dict__.get("_paragraphs")
    if cached is not None:
        return cached
    width = wrap_width(doc)
    indented = bool(width) and _indented_starts(doc)
    out: list[Paragraph] = []
    group: list[Line] = []
    joins: list[str] = []
    maybe = False
    for ln in doc.content_lines():
        if group:
            join = (_between(doc, group[-1], ln)
                    if width and _continues(group[-1], ln, width, indented)
                    else _cut_by_page(doc, group[-1], ln))
            if join is not None:
                group.append(ln)
                joins.append(join)
                continue
            out.append(_make(group, joins, maybe))
            maybe = bool(width) and _full(group[-1], width) and ln.no - group[-1].no == 1 \
                and not opens_block(ln) and ln.indent <= group[-1].indent
        group, joins = [ln], []
    if group:
        out.append(_make(group, joins, maybe))
    doc.__dict__["_paragraphs"] = out
    return out


def _make(lines: list[Line], joins: list[str], continues: bool = False) -> Paragraph:
    return Paragraph(tuple(lines), "".join(ln.raw for ln in lines), tuple(joins), continues)
