"""The rules of :mod:`plancompare.parse.targets`: names, lists, exclusions, years, rates.

Each exclusion is a named rule about plans in general (``EXCLUSIONS``), tested with made-up
sentences in ``tests/test_target_rules.py``; its words are in ``words/targets.toml``.
Lookups use positions found once per line (:class:`Positions`), so the cost is linear.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from . import vocabulary as vocab
from .numbers import (
    BRIDGE_VERBS,
    CN_DIGITS,
    CN_PERCENT,
    POST_WORDS,
    QUALIFIER_UNITS,
    Quantity,
    matching_text,
)
from .text import fold

if TYPE_CHECKING:
    from .targets import _Line

_W = "targets"
COMMITMENT_PARTS = frozenset(vocab.words(_W, "parts.commitment"))
PAST_PARTS = frozenset(vocab.words(_W, "parts.past"))
_PLAN_PART_UNITS = frozenset(vocab.words(_W, "exclude.plan_part_units"))
MAX_NOUN = 16        # longest noun phrase after a count taken as its name
MAX_NAME = 200       # longest clause taken as a name
_CJK = r"\u4e00-\u9fff"
_YEAR_RE = re.compile(r"((?:19|20)\d\d)\s*年(?!的基础|基础)")
_YEAR_RANGE_RE = re.compile(r"(?:19|20)\d\d\s*年?\s*[-~—–至到]\s*((?:19|20)\d\d)\s*年")
_LINE_YEAR_RE = re.compile(r"^\s*(?:\d{1,2}\.)?((?:19|20)\d\d)年(?:至((?:19|20)\d\d)年)?[，,]")
_TO_YEAR_RE = re.compile(r"(?:到|至)\s*((?:19|20)\d\d)\s*年")
_FROM_RE = re.compile(r"[从由]")
_TO_RE = re.compile(r"(?:提高|提升|增加|增长|扩大|降低|下降|减少|上升|提|升|增|降)(?:到|至)")
_BARE_RE = re.compile(r"\d+(?:\.\d+)?(?:\s*[-~〜—–至]\s*\d+(?:\.\d+)?)?")
_HEADING_PUNCT_RE = re.compile(r"[，。；,;]")
_CHANGE_RE = re.compile(r"(?:比\s*(?:19|20)\d\d\s*年?(?:末|底)?|(?:比|较)上年|同比)\s*"
                        r"(?:增长|提高|增加|提升|下降|降低|减少|扩大)(?:了)?$")
POST_WORDS_LONGEST = tuple(sorted(POST_WORDS, key=len, reverse=True))
_HAS_CN_DIGIT_RE = re.compile(f"[{CN_DIGITS}]|{CN_PERCENT}")


def _alt(key: str) -> str:
    return vocab.alternation(_W, key)


@functools.cache
def _res() -> dict[str, re.Pattern[str]]:
    """Compiled patterns from targets.toml (compiled on first use)."""
    return {
        "framing": re.compile("(?:" + "|".join(vocab.words(_W, "names.framing")) + ")+"),
        "trailing": re.compile("(?:" + "|".join(vocab.words(_W, "names.trailing")) + ")+$"),
        "noun": re.compile("(?:" + "|".join(vocab.words(_W, "names.indicator_nouns")) + ")$"),
        "joiner": re.compile(f"(?:{_alt('names.shared_joiners')})"),
        "list_joiner": re.compile(f"\\s*(?:{_alt('names.value_joiners')})\\s*"),
        "joiner_end": re.compile(f"(?:{_alt('names.shared_joiners')})$"),
        "respectively": re.compile(_alt("names.respectively")),
        "plan_part": re.compile(f"[{_CJK}]{{0,4}}?(?:{_alt('exclude.plan_part_nouns')})"),
        "plan_part_end": re.compile(f"(?:{_alt('exclude.plan_part_nouns')})\\s*$"),
        "plan_word": re.compile("|".join(vocab.words(_W, "exclude.plan_words"))),
        "plan_verb": re.compile(f"(?:{_alt('exclude.plan_part_verbs')})\\s*$"),
        "meeting": re.compile("|".join(vocab.words(_W, "exclude.meeting"))),
        "reference": re.compile(f"(?:{_alt('exclude.reference')})\\s*$"),
        "duration": re.compile(f"[{_CJK}]{{0,2}}?(?:{_alt('exclude.duration_label')})"),
        "rate": re.compile("|".join(
            f"(?P<r{i}>{'|'.join(ws)})" for i, ws in enumerate(vocab.get(_W, "rate").values()))),
    }


def _rate_periods() -> list[str]:
    return list(vocab.get(_W, "rate"))


class Positions:
    """Start positions of a pattern's matches in one line, searchable by range."""

    def __init__(self, pattern: re.Pattern[str], text: str):
        self.starts = [m.start() for m in pattern.finditer(text)]

    def last_in(self, lo: int, hi: int) -> int | None:
        i = bisect.bisect_left(self.starts, hi) - 1
        return self.starts[i] if i >= 0 and self.starts[i] >= lo else None

    def first_in(self, lo: int, hi: int) -> int | None:
        i = bisect.bisect_left(self.starts, lo)
        return self.starts[i] if i < len(self.starts) and self.starts[i] < hi else None


def has_cn_digit(raw: str) -> bool:
    return bool(_HAS_CN_DIGIT_RE.search(raw))


def is_bare(q: Quantity) -> bool:
    """not:bare — a number printed without unit and comparator word (a row number, a code)."""
    return q.unit is None and not q.chinese and bool(_BARE_RE.fullmatch(fold(q.value_text)))


def is_heading_count(text: str, q: Quantity, parens) -> bool:
    """not:heading-count — a count in brackets on a title line: ``重点项目(24项)``."""
    return (len(text) <= 40 and not _HEADING_PUNCT_RE.search(text) and q.comparator == "="
            and parens.covers(q.start))


def context_heading(text: str) -> str | None:
    """A short line without sentence punctuation naming a review or a goals section."""
    body = text.strip()
    if not body or len(body) > 30 or _HEADING_PUNCT_RE.search(fold(body)):
        return None
    for decision in ("past", "commitment"):
        for word in vocab.words(_W, f"context_headings.{decision}"):
            if word in body:
                return f"heading:{decision}:{word}"
    return None


# ---- names and lists --------------------------------------------------------------------


def _has_word(q: Quantity) -> bool:
    """The quantity is introduced by a comparator word (达到, 超过 ...), not a bare count."""
    return _starts_with_word(q.value_text[:4])


@functools.lru_cache(maxsize=1024)
def _starts_with_word(head: str) -> bool:
    first = fold(head)[:1]
    return not (first.isdigit() or first in CN_DIGITS or head.startswith(CN_PERCENT))


def from_phrase(ln: _Line, q: Quantity, clause: tuple[int, int]) -> tuple[int, int] | None:
    """For the Y of 从X提高到Y: the span 从…提高到 (its markers are about X, not Y)."""
    f = ln.positions(_FROM_RE).last_in(clause[0], q.start)
    if f is None:
        return None
    t = ln.positions(_TO_RE).first_in(f, q.end)
    return (f, t) if t is not None else None


def from_values(ln: _Line, found: list[Quantity], span: tuple[int, int]) -> set[int]:
    """Starts of the 'from' values of 从X提高到Y / 由X、Y提升至Z、W (the past, no rows)."""
    froms, tos = ln.positions(_FROM_RE), ln.positions(_TO_RE)
    out = set()
    for q in found:
        c_start, c_end = ln.delims.clause_span(q.start, span)
        f = froms.last_in(c_start, q.start)
        if f is None:
            continue
        t = tos.first_in(f, c_end)
        if t is not None and t >= q.end:
            out.add(q.start)
    return out


def from_year(ln: _Line, q: Quantity, clause: tuple[int, int], end_year: int) -> int:
    """The year of the 'from' value of 由2020年的8%提高到15%: a year stated between 从 / 由 and
    the value, else the plan's base year (the value is where the measure starts)."""
    f = ln.positions(_FROM_RE).last_in(clause[0], q.start)
    years = [y for y in _years_before(ln, f if f is not None else q.start, q.start)
             if y[1] <= end_year]
    return max(years)[1] if years else end_year - 5


def named_quantities(ln: _Line, found: list[Quantity],
                     span: tuple[int, int]) -> Iterator[tuple[Quantity, str]]:
    """Every quantity of a sentence with its name (several rows for lists and shared values)."""
    skip = from_values(ln, found, span)
    kept = [q for q in found if q.start not in skip]
    paired, shared = _respectively(ln, kept, span)
    for q_list, names in _value_lists(ln, kept, span, paired):
        first = q_list[0].comparator
        shared.update((q.start, dataclasses.replace(q, comparator=first)) for q in q_list[1:]
                      if q.comparator == "=" and first != "=")
        paired.update((q.start, name) for q, name in zip(q_list, names))
    prev_end, carried = span[0], None
    for i, q in enumerate(kept):
        if q.start in paired:
            yield shared.get(q.start, q), paired[q.start]
        else:
            nxt = kept[i + 1].start if i + 1 < len(kept) else span[1]
            names = _names(ln, q, span, prev_end, nxt, carried)
            carried = names[0] if _named(ln, q, names[0]) else carried
            for name in names:
                yield q, name
        prev_end = q.end


def _value_lists(ln: _Line, found: list[Quantity], span: tuple[int, int],
                 paired: dict[int, str]) -> Iterator[tuple[list[Quantity], list[str]]]:
    """``A、B达到95%、93%`` (no 分别): n names and n values joined by 、/和/及, by position.

    The comparator word of the first value holds for all; a name without an indicator noun
    takes the head noun of the last name (``义务教育、高中阶段教育巩固率`` -> 义务教育巩固率).
    """
    i = 0
    while i < len(found):
        j = i
        while (j + 1 < len(found) and found[j + 1].start not in paired
               and _res()["list_joiner"].fullmatch(ln.text, found[j].end, found[j + 1].start)):
            j += 1
        run, i = found[i:j + 1], j + 1
        if len(run) < 2 or run[0].start in paired or not _has_word(run[0]):
            continue
        c_start, _ = ln.delims.clause_span(run[0].start, span)
        subject = _subject(ln, c_start, run[0].start)
        if subject is None:
            continue
        names = _split_names(ln, subject[0], subject[1], len(run))
        if names:
            yield run, _complete_heads(names)


def _complete_heads(names: list[str]) -> list[str]:
    """Give a name without an indicator noun the head noun the last name ends in."""
    last, out = names[-1], []
    for name in names:
        if name is last or _res()["noun"].search(name) or len(name) < 2:
            out.append(name)
            continue
        k = last.rfind(name[-2:])
        head = last[k + 2:] if k >= 0 else ""
        out.append(name + head if head and _res()["noun"].search(head) else name)
    return out


def _named(ln: _Line, q: Quantity, name: str) -> bool:
    """A real subject was found for ``q`` (not the clause text around the number)."""
    return bool(name) and q.value_text not in name


def _respectively(ln: _Line, found: list[Quantity],
                  span: tuple[int, int]) -> tuple[dict[int, str], dict[int, Quantity]]:
    """``A、B分别达到x、y``: names paired with the values after 分别 by position.

    Returns the name of each paired value and, by start, the values whose comparator the list
    shares (:func:`shared_comparator`).
    """
    out: dict[int, str] = {}
    shared: dict[int, Quantity] = {}
    for m in ln.positions_iter(_res()["respectively"], *span):
        c_start, c_end = ln.delims.clause_span(m, span)
        values = [q for q in found if m < q.start < c_end]
        n_start = _skip_framing(ln.text, c_start, m)
        if len(values) < 2:
            continue
        names = _split_names(ln, n_start, m, len(values))
        if names:
            out.update((q.start, name) for q, name in zip(values, _shared_tail(names)))
        elif (subject := _subject(ln, n_start, m)) is not None:  # A分别达到x和y: one name
            out.update((q.start, ln.raw[subject[0]:subject[1]].strip()) for q in values)
        else:
            continue
        shared.update((q.start, q) for q in shared_comparator(values))
    return out, shared


def _shared_tail(names: list[str]) -> list[str]:
    """``小学、初中平均班额``: the indicator noun phrase after the last name's first words applies
    to every name printed without one (小学平均班额, 初中平均班额)."""
    last, first = names[-1], names[0]
    tail = last[len(first):]
    noun = _res()["noun"]
    if len(last) <= len(first) or len(tail) < 2 or not noun.search(tail) or any(
            noun.search(n) for n in names[:-1]):
        return names
    return [n + tail for n in names[:-1]] + [last]


def _post_word(q: Quantity) -> str | None:
    """The after-word printed with ``q`` (以上, 以内 ...), or None."""
    text = matching_text(q.value_text)
    return next((w for w in POST_WORDS_LONGEST if text.endswith(w)), None)


def shared_comparator(values: list[Quantity]) -> list[Quantity]:
    """The values of a ``分别`` list with the comparator the list states once.

    An after-word on the last value applies to every value without one (``分别达到90%和95%以上``:
    both ``>=``); else a comparator word before the first value applies to every value printed
    without a word of its own (``分别不超过45人和50人``: both ``<=``).
    """
    last, first = values[-1], values[0]
    if _post_word(last) is not None:
        return [replace(q, comparator=last.comparator) for q in values[:-1]
                if _post_word(q) is None]
    if _has_word(first) and first.comparator != "=" and first.value_high is None:
        return [replace(q, comparator=first.comparator) for q in values[1:]
                if not _has_word(q) and _post_word(q) is None and q.value_high is None]
    return []


def _split_names(ln: _Line, start: int, end: int, count: int) -> list[str] | None:
    cuts = [c for c in ln.delims.name_cuts(start, end)]
    bounds = [start, *[c + 1 for c in cuts]]
    parts = [(s, (cuts[i] if i < len(cuts) else end)) for i, s in enumerate(bounds)]
    if len(parts) != count:
        parts = _joined_parts(ln.text, start, end, count)
    names = [ln.raw[s:e].strip() for s, e in parts]
    return names if len(names) == count and all(names) else None


def _joined_parts(text: str, start: int, end: int, count: int) -> list[tuple[int, int]]:
    """Split ``[start, end)`` at the joiners 和/及/与/、; when that gives too many parts (及 inside
    普及率), only at joiners that follow an indicator noun (A率及B率)."""
    pieces = [m.start() for m in _res()["joiner"].finditer(text, start, end)]
    if len(pieces) + 1 > count:
        pieces = [p for p in pieces if _res()["noun"].search(text, start, p)]
    return list(zip([start, *[p + 1 for p in pieces]], [*pieces, end]))


def _names(ln: _Line, q: Quantity, span: tuple[int, int], prev_end: int,
           next_start: int, carried: str | None = None) -> list[str]:
    c_start, c_end = ln.delims.clause_span(q.start, span)
    seg = max(c_start, prev_end) if _has_word(q) else ln.delims.name_start(
        q.start, max(c_start, prev_end))
    bridged = _bridged(q)
    subject = None if bridged else _subject(ln, seg, q.start)
    if subject is None and carried and _has_word(q) and c_start > span[0]:
        return [carried]  # 到2025年提高到96%: a clause without a subject keeps the last one
    if subject is not None:
        s, e = subject
        name = ln.raw[s:e].strip()
        if name and (_has_word(q) or _res()["noun"].search(ln.text, s, e)):
            return _shared(ln, s, e, q) or [name]
    if subject is not None and ln.text.startswith("的", q.end):  # A 5324人的梯队: A is counted
        return [ln.raw[subject[0]:subject[1]].strip()]
    noun = _noun_after(ln, q, c_end, force=bridged, next_start=next_start)
    if noun:
        return [noun]
    n_start = _skip_framing(ln.text, c_start, q.start)
    return [ln.raw[n_start:min(c_end, n_start + MAX_NAME)].strip()]


_BRIDGED_RE = re.compile("(?:至少|不少于|不低于|最多)\\s*(?:" + "|".join(BRIDGE_VERBS) + ")")


def _bridged(q: Quantity) -> bool:
    """至少配备1名 / 至少掌握2项: the comparator word ends in a verb, the object is the name."""
    return _starts_with_word(q.value_text[:4]) and bool(_BRIDGED_RE.match(q.value_text))


def _subject(ln: _Line, start: int, end: int) -> tuple[int, int] | None:
    """The phrase before a number: framing words, a 从… tail and trailing verbs cut."""
    while start < end and ln.text[start] in "、，,；;：: ":
        start += 1
    s = _skip_framing(ln.text, start, end)
    f = ln.positions(_FROM_RE).last_in(s, end)
    if f is not None:
        end = f
    m = _res()["trailing"].search(ln.text, s, end)
    if m and m.start() > s:
        end = m.start()
    return (s, end) if end > s else None


def _shared(ln: _Line, s: int, e: int, q: Quantity) -> list[str] | None:
    """``A和B保持50%以上``: one value for several indicator names (each ends in a noun)."""
    if not _has_word(q):
        return None
    text = ln.text[s:e]
    cuts = [m for m in _res()["joiner"].finditer(text)]
    if not cuts:
        return None
    bounds = list(zip([0, *[m.end() for m in cuts]], [m.start() for m in cuts] + [len(text)]))
    if not all(_res()["noun"].search(text, a, b) and b - a >= 2 for a, b in bounds):
        return None
    return [ln.raw[s + a:s + b].strip() for a, b in bounds]


def _noun_after(ln: _Line, q: Quantity, c_end: int, *, force: bool = False,
                next_start: int = 1 << 62) -> str | None:
    """``8所示范性职业院校``: the noun a bare count counts (up to the next 、 or clause end);
    ``30个优势互补、…、示范带动的教育联盟``: the noun after the last 的 of the clause."""
    if (_has_word(q) and not force) or not re.match(f"[{_CJK}]", ln.text[q.end:q.end + 1]):
        return None
    hi = min(c_end, q.end + 4 * MAX_NOUN, next_start)
    first = ln.delims._after(ln.delims.name, q.end, hi)
    de = ln.text.rfind("的", q.end, hi) if first - q.end <= 6 else -1
    start = de + 1 if de >= 0 else q.end
    end = ln.delims._after(ln.delims.name, start, hi)
    j = _res()["joiner_end"].search(ln.text, start, end)
    if j and end == next_start:
        end = j.start()
    if end - start > MAX_NOUN or end <= start:
        return None
    return ln.raw[start:end].strip() or None


def _skip_framing(text: str, start: int, limit: int) -> int:
    m = _res()["framing"].match(text, start, limit)
    return m.end() if m else start


# ---- exclusions -------------------------------------------------------------------------


def excluded(ln: _Line, q: Quantity, clause: tuple[int, int], span: tuple[int, int],
             decision: str) -> str | None:
    """The name of the rule that makes ``q`` no target, or None."""
    for name, rule in EXCLUSIONS:
        if rule(ln, q, clause, span) and (name != "not:change" or decision == "past"):
            return name
    return None


def _plan_part(ln, q, clause, span) -> bool:
    """Counts of the plan's own parts: 设置12项主要指标, 31个专项规划, 10个方面, 共18章."""
    if _has_word(q) or not _res()["plan_part"].match(ln.text, q.end, q.end + 12):
        return False
    if _res()["plan_verb"].search(ln.text, max(q.start - 4, span[0]), q.start):
        return True
    return _res()["plan_word"].search(ln.text, span[0], span[1]) is not None


def _plan_part_before(ln, q, clause, span) -> bool:
    """A count after its noun in a sentence about the plan: 本规划…其中约束性指标6项."""
    if _has_word(q) or q.unit not in _PLAN_PART_UNITS:
        return False
    if not _res()["plan_part_end"].search(ln.text, max(q.start - 8, clause[0]), q.start):
        return False
    return _res()["plan_word"].search(ln.text, span[0], span[1]) is not None


def _meeting(ln, q, clause, span) -> bool:
    """Meeting and session numbers: 常委会9次会议."""
    digits_end = q.end - len(q.unit or "") if q.unit == "次" else q.end
    return bool(_res()["meeting"].match(ln.text, digits_end, q.end + 8))


def _qualifier(ln, q, clause, span) -> bool:
    """A size or price inside a description: 占地超过200亩的校园."""
    return q.unit in QUALIFIER_UNITS and ln.text.startswith("的", q.end)


def _duration_label(ln, q, clause, span) -> bool:
    """A duration naming a programme: 15年基本公共教育, 12年免费教育."""
    return q.unit == "年" and not _has_word(q) and bool(
        _res()["duration"].match(ln.text, q.end, q.end + 10))


def _reference(ln, q, clause, span) -> bool:
    """A number set elsewhere: 按5个试点校的方案."""
    return bool(_res()["reference"].search(ln.text, max(q.start - 4, clause[0]), q.start))


def _enumeration_total(ln, q, clause, span) -> bool:
    """``幼儿园、小学、初中3个学段``: the count of the items just listed."""
    if _has_word(q) or not ln.text[q.end:q.end + 1] or not re.match(f"[{_CJK}]",
                                                                     ln.text[q.end]):
        return False
    seg = ln.delims.name_start(q.start, clause[0])
    segment = ln.text[seg:q.start]
    listed = ln.delims.name_cuts(clause[0], q.start)
    return (any(ln.text[c] == "、" for c in listed) and 1 <= len(segment) <= 4
            and not re.search(r"[配建设培引增开达办有实现新选]", segment))


def _leverage(ln, q, clause, span) -> bool:
    """``发挥…29个基地校的示范作用``: existing resources put to use."""
    p = ln.positions(re.compile("发挥")).last_in(span[0], q.start)
    return p is not None and ln.positions(re.compile("作用")).first_in(q.end, span[1]) is not None


def _change(ln, q, clause, span) -> bool:
    """A past change, not a level: 比2015年提高14.1个百分点, 比上年增加2所, 同比增长3% (only for
    achieved rows)."""
    return bool(_CHANGE_RE.search(ln.text, max(q.start - 14, clause[0]), q.start))


EXCLUSIONS = (
    ("not:plan-part", _plan_part), ("not:plan-part-before", _plan_part_before),
    ("not:meeting", _meeting), ("not:qualifier", _qualifier),
    ("not:duration-label", _duration_label), ("not:reference", _reference),
    ("not:enumeration-total", _enumeration_total), ("not:leverage", _leverage),
    ("not:change", _change),
)


# ---- years and rates --------------------------------------------------------------------


def _years_before(ln: _Line, lo: int, hi: int) -> list[tuple[int, int]]:
    out = []
    for pattern in (_YEAR_RANGE_RE, _YEAR_RE):
        pos = ln.positions(pattern)
        p = pos.last_in(lo, hi)
        while p is not None and ln.in_title(p):
            p = pos.last_in(lo, p)
        if p is not None:
            out.append((p, int(pattern.match(ln.text, p).group(1))))
    return out


def target_year(ln: _Line, q: Quantity, span: tuple[int, int], end_year: int) -> int:
    """The last year stated before the number in its sentence, else the line's or end_year."""
    m = _LINE_YEAR_RE.match(ln.text)
    default = int(m.group(2) or m.group(1)) if m else end_year
    years = [y for y in _years_before(ln, span[0], q.start) if y[1] > end_year - 5]
    return max(years)[1] if years else default


_SINCE_RE = re.compile("以来")
_PERIOD_START_RE = re.compile(r"(?:19|20)\d\d\s*年?\s*(?:底|末)?\s*")


def _since_year(ln: _Line, since: int, span: tuple[int, int], end_year: int) -> int | None:
    """``“十四五”以来…``: the result is of the document's time, not the period start: the last
    year stated before the period (not the year it starts from), else none."""
    years = [(p, y) for p, y in _years_before(ln, span[0], since) if y <= end_year
             and not _PERIOD_START_RE.fullmatch(ln.text, p, since)]
    return max(years)[1] if years else None


def past_year(ln: _Line, q: Quantity, span: tuple[int, int], mk, end_year: int) -> int | None:
    """The year of a past result: the marker's, else the last one stated, else the base year."""
    if mk is not None and mk.year is not None and mk.year <= end_year:
        return mk.year
    since = ln.positions(_SINCE_RE).last_in(span[0], q.start)
    if since is not None:
        return _since_year(ln, since, span, end_year)
    years = [y for y in _years_before(ln, span[0], q.start) if y[1] <= end_year]
    return max(years)[1] if years else end_year - 5


def baseline_year(ln: _Line, q: Quantity, clause: tuple[int, int],
                  span: tuple[int, int]) -> int | None:
    """``2022年…为94.1%，到2025年提高到96%``: a value dated to an earlier year than the
    commitment later in its sentence is the baseline (a past result of that year)."""
    years = _years_before(ln, clause[0], q.start)
    if not years:
        return None
    y1 = max(years)[1]
    p = ln.positions(_TO_YEAR_RE).first_in(q.end, span[1])
    if p is None or int(_TO_YEAR_RE.match(ln.text, p).group(1)) <= y1:
        return None
    return y1


def rate_period(ln: _Line, q: Quantity, clause: tuple[int, int]) -> str | None:
    """每年降低1个百分点 -> 年: the period of a per-period rate (the clause before the number)."""
    p = ln.positions(_res()["rate"]).last_in(clause[0], q.start)
    if p is None:
        return None
    return _rate_periods()[int(_res()["rate"].match(ln.text, p).lastgroup[1:])]
