"""Table headers and cells: read a header row into typed columns, split a line into cells.

Shared by the indicator tables (:mod:`.tables`), the task lists (:mod:`.tasklist`) and the key
projects (:mod:`.projects`). A header is read from its words, never from its position: each
header cell is looked up in a vocabulary (``words/<topic>.toml``, table ``[header]``: column kind
-> the words plans print), so columns may come in any order and a new synonym is a data change.

Cells of one line (:func:`split_cells`): a line holding ``|`` or ``｜`` is a pipe row (a row that
starts and ends with a pipe, as in markdown ``| a | b |``, has borders, which are dropped), a
line holding a TAB is a tab row (the rendering of Word / HTML / PDF tables: empty cells are kept
so columns stay aligned; trailing empty cells are lost with the line's trailing whitespace),
anything else is split on runs of spaces (ASCII, NBSP, U+3000). ``Line.raw`` offsets are kept.

Header lines are matched with every space removed and full-width forms folded (``指 标`` reads as
``指标``); a header printed without separators (``序号指标2020年2025年``) is cut into its words,
longest word first.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from . import vocabulary
from .ingest import Line
from .text import fold

_SPACE_RUN_RE = re.compile(r"[^ \t\u00a0\u3000]+")
_SQUASH_RE = re.compile(r"[ \t\u00a0\u3000]+")
PIPE_CHARS = "|｜"


@dataclass
class Cell:
    """One table cell: its text as printed (stripped) and where it sits."""

    line: Line
    text: str
    start: int = 0  # offset of the text in line.raw

    @property
    def match(self) -> str:
        """The cell in ``Line.match`` (half-width, Simplified; same length as the text)."""
        line = self.line
        view = getattr(line, "match", "") or line.text
        begin = line.raw.find(line.text) if line.text else 0
        at = self.start - begin
        if begin < 0 or at < 0 or at + len(self.text) > len(view):
            return self.text
        return view[at: at + len(self.text)]


def squash(text: str) -> str:
    """``text`` folded to half-width with every space removed (for matching header words)."""
    return _SQUASH_RE.sub("", fold(text))


def is_rule(line: Line) -> bool:
    """A markdown pipe-table rule row (``|---|:---:|``), skipped inside tables."""
    return bool(vocabulary.pattern("tables", "rows.rule").match(line.text))


def separator(line: Line) -> str:
    """How the cells of ``line`` are separated: ``"pipe"``, ``"tab"`` or ``"space"``."""
    text = line.text
    if any(c in text for c in PIPE_CHARS):
        return "pipe"
    if "\t" in text:
        return "tab"
    return "space"


def split_cells(line: Line) -> list[Cell]:
    """The cells of one line (see the module docstring); ``[]`` for a blank line.

    Parameters
    ----------
    line : Line

    Returns
    -------
    list of Cell
        Pipe and tab rows keep empty cells (text ``""``); space rows never have empty cells.
    """
    raw, kind = line.raw, separator(line)
    if kind == "space":
        return [Cell(line, m.group(), m.start()) for m in _SPACE_RUN_RE.finditer(raw)]
    begin = raw.find(line.text) if line.text else 0
    end = begin + len(line.text)
    pattern = "[|｜]" if kind == "pipe" else "\t"
    cells, pos = [], begin
    for m in [*re.finditer(pattern, raw[begin:end]), None]:
        stop = begin + m.start() if m else end
        piece = raw[pos:stop]
        text = piece.strip(" \t\u00a0\u3000")
        cells.append(Cell(line, text, pos + (piece.find(text) if text else 0)))
        pos = stop + 1
    if kind == "pipe" and line.text[0] in PIPE_CHARS and line.text[-1] in PIPE_CHARS:
        cells = cells[1:-1]  # a bordered row: | a | b |
    return cells


@dataclass(frozen=True)
class Problem:
    """Something a parser saw but could not read; shown by the structure report.

    ``kind`` is a short code (``table_header_unread``, ``table_without_rows`` ...), ``message``
    says what was not understood in words a researcher can act on.
    """

    path: str
    line: int
    parser: str
    kind: str
    message: str


@dataclass(frozen=True)
class Column:
    """One header cell read: its kind and, for a value column, its role and year."""

    kind: str              # a key of the [header] table, or "value"
    text: str              # the header cell as matched (spaces removed)
    role: str | None = None   # value columns: "baseline", "target" or None (decided by position)
    year: int | None = None


class HeaderWords:
    """The header vocabulary of one topic (``words/<topic>.toml``), compiled once.

    ``[header]`` maps a column kind to its words; in the ``tables`` topic the kinds ``baseline``
    and ``target`` are value columns (with or without a year, see ``header.year``).
    """

    def __init__(self, topic: str):
        header = vocabulary.get(topic, "header")
        self.topic = topic
        self.kind_of: dict[str, str] = {}
        for kind, words in header.items():
            if kind == "year":
                continue
            for word in (words,) if isinstance(words, str) else words:
                self.kind_of.setdefault(squash(word), kind)
        self.year = header.get("year")
        words_alt = "|".join(re.escape(w) for w in sorted(self.kind_of, key=len, reverse=True))
        parts = []
        if self.year:
            roles = "|".join(re.escape(w) for w, k in sorted(self.kind_of.items(),
                                                              key=lambda kv: -len(kv[0]))
                             if k in ("baseline", "target"))
            parts.append(rf"(?P<y1>{self.year})年(?:[(（]?(?P<r1>{roles})[)）]?)?"
                         rf"|(?P<r2>{roles})[(（](?P<y2>{self.year})年?[)）]")
        parts.append(rf"(?P<word>{words_alt})")
        self.token_re = re.compile("|".join(parts))
        self.bare_year_re = re.compile(rf"^(?P<y>{self.year})$") if self.year else None

    def column(self, m: re.Match) -> Column:
        text = m.group()
        if m.group("word"):
            kind = self.kind_of[text]
            if kind in ("baseline", "target"):
                return Column("value", text, kind, None)
            return Column(kind, text)
        year = int(m.group("y1") or m.group("y2"))
        role_word = m.group("r1") or m.group("r2")
        return Column("value", text, self.kind_of[role_word] if role_word else None, year)

    def tokens(self, text: str) -> list[Column] | None:
        """The columns spelled by ``text`` (spaces removed), or None when a part is unknown."""
        text = squash(text)
        out, pos = [], 0
        while pos < len(text):
            m = self.token_re.match(text, pos)
            if not m or not m.group():
                return None
            out.append(self.column(m))
            pos = m.end()
        return out or None

    def joined(self, text: str) -> list[Column] | None:
        """A cell that joins a header word with more (``建设内容及规模``): that word's column.

        The first token must be a header word (not a year) followed by a joining mark of
        ``tables.toml`` ``[joined_cells]``; the rest of the cell is read past.
        """
        text = squash(text)
        m = self.token_re.match(text)
        if not m or not m.group("word") or m.end() == len(text):
            return None
        return [self.column(m)] if text[m.end()] in _joiners() else None

    def cell(self, text: str) -> Column | None:
        """One header cell of a pipe / tab row (a bare ``2025`` is a year there), or None."""
        cols = self.tokens(text) or self.joined(text)
        if cols and len(cols) == 1:
            return cols[0]
        if self.bare_year_re and (m := self.bare_year_re.match(squash(text))):
            return Column("value", squash(text), None, int(m.group("y")))
        return None

    def line_columns(self, line: Line) -> tuple[list[Column] | None, list[str]]:
        """The columns of a header line and the header cells not understood.

        Returns
        -------
        tuple of (list of Column or None, list of str)
            ``(columns, [])`` when every cell is a header word; ``(None, unknown cells)`` when
            some are not; ``(None, [])`` when the line has no header word at all.
        """
        view = getattr(line, "match", "") or line.text
        if not self.token_re.match(squash(view.lstrip(PIPE_CHARS + " \t")[:24])):
            return None, []  # a header opens with a header word (fast rejection of most lines)
        if separator(line) == "space":
            cells = [c.match for c in split_cells(line)]
            known = [self.tokens(c) or self.joined(c) for c in cells]
            if all(known):
                return [col for cols in known for col in cols], []
            cols = self.tokens(getattr(line, "match", "") or line.text)  # spaced words: 指 标
            if cols:
                return cols, []
            return None, [c for c, k in zip(cells, known) if not k] if any(known) else []
        cols, unknown = [], []
        for cell in split_cells(line):
            col = Column("ignore", "") if not cell.text else self.cell(cell.match)
            if col is None:
                unknown.append(cell.text)
            cols.append(col)
        if unknown:
            return None, unknown if any(c for c in cols) else []
        return cols, []


@functools.cache
def _joiners() -> frozenset[str]:
    return frozenset(vocabulary.words("tables", "joined_cells.marks"))


@functools.cache
def header_words(topic: str) -> HeaderWords:
    """The compiled :class:`HeaderWords` of ``words/<topic>.toml`` (built once per process)."""
    return HeaderWords(topic)
