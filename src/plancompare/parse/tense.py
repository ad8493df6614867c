"""Forward-looking or past: the words that decide whether a number is a target or a result.

The markers are regular expressions in ``words/targets.toml`` (``[commitment.*]``, ``[past.*]``),
named by their table key; ``YEAR`` in a pattern is a four-digit year. They are found once per
line (:func:`find_markers`, one pass per pattern) and looked up per number by position
(:func:`decide`, bisection), so the cost stays linear in the length of the line.

A year in a marker is checked against the plan period: ``到2025年`` commits when 2025 is after
the base year (``end_year - 5``), ``到2020年底`` reports a past result, and a clause that opens
with a past year (``2020年,``) is past.

A year that opens a sentence as its time frame (``2023年，``) followed by result words
(``[year_report]``: 取得新成效, 全年, 比上年, 实现了 ...) before the next commitment marker opens a
work summary of that year: a strong past marker ``past:year-report`` with that year, whatever the
plan period (a plan's own milestone, ``2023年，设立5所试点校``, states no result words).
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from . import vocabulary as vocab

_W = "targets"
YEAR_RE = r"(?P<year>(?:19|20)\d\d)"
#: What ``^`` in a marker pattern means: the start of the line or of a clause.
CLAUSE_START = r"(?:^|(?<=[,;:。!?\s\u3000]))"
COMMITMENT, PAST = "commitment", "past"
PLAN_YEARS = 5
#: Weak past markers of a change against an earlier year: in a goals context they state a target.
CHANGE_MARKERS = ("比YEAR", "比上年")


@dataclass(frozen=True)
class Marker:
    """One marker found in a line: where, what it says, and the rule name."""

    start: int
    end: int
    decision: str   # COMMITMENT or PAST
    strong: bool
    name: str
    year: int | None = None

    @property
    def rule(self) -> str:
        return f"{self.decision}:{self.name}"


FYP_RE = r"(?P<fyp>十[一二三四五六七八九])五"
_CN_ONES = "一二三四五六七八九"


def fyp_end(name: str) -> int:
    """The last year of a five-year plan named 十N五 (十三五 -> 2020, 十四五 -> 2025)."""
    return 1955 + 5 * (10 + _CN_ONES.index(name[1]) + 1)


def _compile(pattern: str) -> re.Pattern[str]:
    pattern = pattern.replace("FYP", FYP_RE, 1)
    pattern = pattern.replace("YEAR", YEAR_RE, 1).replace("YEAR", r"(?:19|20)\d\d")
    if pattern.startswith("^"):
        pattern = CLAUSE_START + pattern[1:]
    return re.compile(pattern)


@functools.cache
def _patterns() -> tuple[tuple[str, bool, str, re.Pattern[str]], ...]:
    out = []
    for decision in (COMMITMENT, PAST):
        for strength in ("strong", "weak"):
            table = vocab.get(_W, f"{decision}.{strength}")
            for name, pats in table.items():
                for p in (pats,) if isinstance(pats, str) else pats:
                    out.append((decision, strength == "strong", name, _compile(p)))
    return tuple(out)


def find_markers(text: str, *, end_year: int) -> list[Marker]:
    """Every commitment and past marker of ``text`` (a line as matched), sorted by position.

    A marker with a year is kept only when the year fits it: a commitment year after the base
    year, a past clause-opening year not after it; ``到2020年`` with a year not after the base
    year is a past marker (``past:到YEAR``).
    """
    base = end_year - PLAN_YEARS
    out: list[Marker] = []
    for decision, strong, name, pattern in _patterns():
        for m in pattern.finditer(text):
            year = int(m["year"]) if "year" in pattern.groupindex and m["year"] else None
            if "fyp" in pattern.groupindex:  # an earlier plan period only: 十三五 in a 2025 plan
                if fyp_end(m["fyp"]) > base:
                    continue
                out.append(Marker(m.start(), m.end(), decision, strong, m["fyp"] + "五"))
                continue
            d = decision
            if year is not None and decision == COMMITMENT and year <= base:
                if name != "到YEAR":
                    continue
                d = PAST
            if year is not None and decision == PAST and name == "YEAR年" and year > base:
                continue
            out.append(Marker(m.start(), m.end(), d, strong, name, year))
    out.sort(key=lambda mk: mk.start)
    return _year_reports(text, out, end_year)


@functools.cache
def _report_patterns() -> tuple[tuple[re.Pattern[str], ...], re.Pattern[str], re.Pattern[str]]:
    opener = tuple(_compile(p) for p in vocab.words(_W, "year_report.opener"))
    result = re.compile("|".join(vocab.words(_W, "year_report.result")))
    stop = re.compile("|".join(vocab.words(_W, "year_report.stop")))
    return opener, result, stop


def _year_reports(text: str, markers: list[Marker], end_year: int) -> list[Marker]:
    """Add a ``past:year-report`` marker at each year opener followed by result words."""
    opener, result, stop = _report_patterns()
    openers = sorted((m for p in opener for m in p.finditer(text)), key=lambda m: m.start())
    if not openers:
        return markers
    commits = [mk.start for mk in markers if mk.decision == COMMITMENT and mk.name != "YEAR年"]
    commits += [m.start() for m in stop.finditer(text)]
    commits.sort()
    added = []
    for k, m in enumerate(openers):
        year = int(m["year"])
        if year > end_year:
            continue
        hi = openers[k + 1].start() if k + 1 < len(openers) else len(text)
        i = bisect.bisect_left(commits, m.end())
        if i < len(commits):
            hi = min(hi, commits[i])
        if result.search(text, m.end(), hi):
            added.append(Marker(m.start(), m.end(), PAST, True, "year-report", year))
    if not added:
        return markers
    return sorted(markers + added, key=lambda mk: mk.start)


class _Sorted:
    """Markers sorted by start, with nearest-before / first-after lookups in O(log n)."""

    def __init__(self, markers: list[Marker]):
        self.markers = markers
        self.starts = [mk.start for mk in markers]

    def nearest(self, pos: int, lo: int, hi: int, *, after: bool = True) -> Marker | None:
        """The last marker starting in ``[lo, pos)``, else (``after``) the first in ``[pos, hi)``."""
        i = bisect.bisect_left(self.starts, pos)
        if i and self.starts[i - 1] >= lo:
            return self.markers[i - 1]
        if after and i < len(self.starts) and self.starts[i] < hi:
            return self.markers[i]
        return None


class MarkerIndex:
    """Markers of one line, searchable by position."""

    def __init__(self, markers: list[Marker]):
        self.strong = _Sorted([mk for mk in markers if mk.strong])
        self.weak = _Sorted([mk for mk in markers if not mk.strong])
        self.weak_past = _Sorted([mk for mk in markers if not mk.strong and mk.decision == PAST])
        self.weak_no_change = _Sorted([mk for mk in markers if not mk.strong
                                       and mk.name not in CHANGE_MARKERS])


def decide(index: MarkerIndex, pos: int, clause: tuple[int, int], sentence: tuple[int, int], *,
           past_context: bool = False, commitment_context: bool = False,
           skip: tuple[int, int] | None = None) -> Marker | None:
    """The marker that decides the number at ``pos``, or None when the sentence states none.

    Search order: strong markers of the number's own clause (the nearest before it, else the
    first after it), strong markers earlier in the sentence (the nearest), then the weak
    markers in the same order. A marker later in the sentence, outside the number's clause,
    does not decide (``五年资助学生7939.4万人次,确保…``: 确保 is about what follows). In a past context (a review section) weak commitment
    markers (将, a bare year) do not count: a review forecasts without committing; in a goals
    context a change against a year (比2020年提高2个百分点) is a target, not a past result. Markers
    in ``skip`` (the 从“十三五”末期的50% of a to-value) describe another number and are passed over.
    """
    weak = (index.weak_past if past_context
            else index.weak_no_change if commitment_context else index.weak)
    for group in (index.strong, weak):
        for (lo, hi), after in ((clause, True), (sentence, False)):
            mk = group.nearest(pos, lo, hi, after=after)
            if mk is not None and skip and skip[0] <= mk.start < skip[1]:
                mk = group.nearest(skip[0], lo, skip[0], after=False)
            if mk is not None:
                return mk
    return None


def change_after(index: MarkerIndex, clause_end: int, sentence_end: int) -> Marker | None:
    """A change on the year before that opens the clause after ``clause_end`` (…为89.6%，
    比上年提高1.2个百分点): it reports the value of the clause before as a year's statistic."""
    mk = index.weak_past.nearest(clause_end, clause_end, min(clause_end + 2, sentence_end))
    return mk if mk is not None and mk.name in CHANGE_MARKERS else None


def is_weak_rule(rule: str) -> bool:
    """True for the rule of a weak commitment marker (``commitment:YEAR年``, ``commitment:将``)."""
    decision, _, name = rule.partition(":")
    return name in vocab.get(_W, f"{decision}.weak")


def base_year(end_year: int) -> int:
    """The year before the plan period (2020 for a plan ending in 2025)."""
    return end_year - PLAN_YEARS
