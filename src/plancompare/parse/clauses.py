"""The geometry of one line of running text: sentences, clauses, bracketed titles.

Everything is computed in one pass over the line and looked up by bisection, so a line of any
length costs time linear in its length (a 10 MB line dense with numbers included).

Sentences end at 。 ; ! ? and a bullet (``——``, ``◆``, ``●`` ... at the start or after
punctuation or a space, ``-`` at the start of the line) or an inline ``一是`` / ``二是`` item opens a
sentence of its own. A TAB separates table cells (a rendered Word / PDF / web table row), and a
sentence never runs from one cell into the next. Clauses end at ， : ; 。 (``CLAUSE_DELIMS``); name segments also at 、.
Delimiters inside brackets (（）()《》“”) do not count.
"""

from __future__ import annotations

import bisect
import itertools
import re

SENTENCE_END = "。;!?"
CLAUSE_DELIMS = "，：；。,;:"
NAME_DELIMS = CLAUSE_DELIMS + "、"
OPEN_BRACKETS = {"《": "》", "〈": "〉", "“": "”", "‘": "’", "「": "」", "『": "』"}
_CLOSERS = {v: k for k, v in OPEN_BRACKETS.items()}
_BRACKET_RE = re.compile(f"[{re.escape(''.join(OPEN_BRACKETS) + ''.join(_CLOSERS))}]")
_PAREN_RE = re.compile(r"[()（）]")
_SPLIT_RE = re.compile(
    r"[。;!?]"
    r"|(?:^|(?<=[\s。;!?:,]))(?:——|[◆●•■▲★◇□])+"
    r"|^\s*-(?=\s*\D)"
    r"|(?<=[,;:。])(?=[一二三四五六七八九十]是)"
    r"|\t"
)
_LEAD_RE = re.compile(r"(?:\s|\[bookmark:[^\]]*\])*")
_DEPTH_OPEN, _DEPTH_CLOSE = "（(《“", "）)》”"
_DEPTH_RE = re.compile(f"[{re.escape(_DEPTH_OPEN + _DEPTH_CLOSE)}]")
_NAME_DELIM_RE = re.compile(f"[{re.escape(NAME_DELIMS)}]")
_CLAUSE_DELIM_RE = re.compile(f"[{re.escape(CLAUSE_DELIMS)}]")


class Intervals:
    """Sorted, disjoint ``[start, end)`` intervals; ``covers(pos)`` by bisection."""

    def __init__(self, spans: list[tuple[int, int]]):
        merged: list[list[int]] = []
        for s, e in sorted(spans):
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        self.starts = [s for s, _ in merged]
        self.ends = [e for _, e in merged]

    def covers(self, pos: int) -> bool:
        i = bisect.bisect_right(self.starts, pos) - 1
        return i >= 0 and pos < self.ends[i]


def shielded(text: str) -> Intervals:
    """Spans inside a matched 《》 / “” / ‘’ / 「」 pair (names and titles, not statements)."""
    spans: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for m in _BRACKET_RE.finditer(text):  # visits only the bracket characters
        ch, i = m.group(), m.start()
        if ch in OPEN_BRACKETS:
            stack.append((ch, i))
            continue
        opener = _CLOSERS[ch]
        for depth in range(len(stack) - 1, max(len(stack) - 9, -1), -1):
            if stack[depth][0] == opener:
                spans.append((stack[depth][1], i + 1))
                del stack[depth:]
                break
    return Intervals(spans)


def in_parens(text: str) -> Intervals:
    """Spans inside （）/ () (an unclosed bracket runs to the end of the line)."""
    spans: list[tuple[int, int]] = []
    stack: list[int] = []
    for m in _PAREN_RE.finditer(text):
        if m.group() in "(（":
            stack.append(m.start())
        elif stack:
            spans.append((stack.pop(), m.start() + 1))
    spans.extend((s, len(text)) for s in stack)
    return Intervals(spans)


def sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences of a line (end punctuation kept, leading space left out)."""
    cuts = [0]
    for m in _SPLIT_RE.finditer(text):
        if m.group() and m.group()[0] in SENTENCE_END:
            cuts.append(m.end())
        else:
            cuts.append(m.start())
    cuts.append(len(text))
    out = []
    for s, e in itertools.pairwise(cuts):
        s = _LEAD_RE.match(text, s, e).end() if s < e else s
        body = text[s:e].rstrip()
        if body:
            out.append((s, s + len(body)))
    return out


class Delimiters:
    """Positions of the clause and name delimiters outside brackets, for bisection."""

    def __init__(self, text: str):
        self.clause: list[int] = []
        self.name: list[int] = []
        depth, pos = 0, 0
        for m in _DEPTH_RE.finditer(text):  # visits only the brackets
            if depth == 0:
                self._collect(text, pos, m.start())
            depth = depth + 1 if m.group() in _DEPTH_OPEN else max(depth - 1, 0)
            pos = m.end()
        if depth == 0:
            self._collect(text, pos, len(text))

    def _collect(self, text: str, lo: int, hi: int) -> None:
        """The delimiters of ``text[lo:hi]``, a stretch outside brackets."""
        self.name.extend(m.start() for m in _NAME_DELIM_RE.finditer(text, lo, hi))
        self.clause.extend(m.start() for m in _CLAUSE_DELIM_RE.finditer(text, lo, hi))

    @staticmethod
    def _before(positions: list[int], pos: int, lo: int) -> int:
        i = bisect.bisect_left(positions, pos) - 1
        return positions[i] + 1 if i >= 0 and positions[i] >= lo else lo

    @staticmethod
    def _after(positions: list[int], pos: int, hi: int) -> int:
        i = bisect.bisect_left(positions, pos)
        return positions[i] if i < len(positions) and positions[i] < hi else hi

    def clause_span(self, pos: int, sentence: tuple[int, int]) -> tuple[int, int]:
        """The clause around ``pos`` (delimiters excluded), within the sentence."""
        s, e = sentence
        return self._before(self.clause, pos, s), self._after(self.clause, pos, e)

    def name_start(self, pos: int, lo: int) -> int:
        """Start of the name segment (after the last 、，：； before ``pos``, not before lo)."""
        return self._before(self.name, pos, lo)

    def name_cuts(self, lo: int, hi: int) -> list[int]:
        """Name delimiters in ``[lo, hi)`` (where a list of names splits)."""
        i, j = bisect.bisect_left(self.name, lo), bisect.bisect_left(self.name, hi)
        return self.name[i:j]


def locate(spans: list[tuple[int, int]], pos: int) -> tuple[int, int] | None:
    """The span of ``spans`` (sorted, disjoint) that holds ``pos``."""
    i = bisect.bisect_right(spans, (pos, float("inf"))) - 1
    if i >= 0 and spans[i][0] <= pos < spans[i][1]:
        return spans[i]
    return None
