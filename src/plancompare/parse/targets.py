"""Quantified targets in running text: one indicator item per committed number.

Only content lines in ``sections.TARGET_PARTS`` (goals, tasks, implementation, annex) are read,
minus ``skip_lines`` (the orchestrator passes the indicator-table lines). Each line is split into
sentences on 。；; and every number :func:`plancompare.parse.numbers.scan` calls a quantity becomes an
item, unless the sentence context says otherwise.

Numbers that are **not** targets:

* years and dates (``2025年``, ``2021-2025年``, ``2022年北京冬奥会``, ``2025年底``);
* list numbers at the start of a line (``1.``, ``2.`` of ``2.2022年，设立5所``) and ``(1)``;
* version numbers (``2.0``, ``3.0版``, ``学科建设2.0``);
* technology names and formulas (``5G``, ``IPV6``, ``Wi-Fi6``, ``1+X``, ``3+2``);
* anything inside 《》 / 〈〉 titles or “” ‘’ 「」 names (``“1+2+N”``, ``“1510”工程``,
  ``《3-6岁儿童学习与发展指南》``);
* anniversaries (``建党100周年``), ordinals (``第1``; Chinese numerals such as 第六周期, 两个,
  三级 are never read: only Arabic digits count);
* phone numbers (7 or more digits) and, through the noise flags of ingest, web boilerplate prices;
* per-unit bases (``每10所``), enumeration totals (``…等5大专业群``, ``…等4个优势专业``),
  labels (``10大工程``) and references to numbers set elsewhere (``按5个试点校的…方案``);
* the "from" value of a change (``从“十三五”末期的50%提高到100%``: 50% is the past);
* whole sentences about the previous plan period: they mention 十三五 and not 十四五 / a year.

The item's year is the last year the sentence states before the number (``到2025年`` -> 2025,
``2022年，设立5所`` -> 2022, ``2023年至2025年`` -> 2025; ``在2025年的基础上`` is a base year and
ignored), otherwise ``end_year``. ``name_raw`` is the subject phrase before the comparator, from
the previous ，、：；。 (outside brackets) with framing words (确保, 力争, 全区, 到2025年 ...) cut;
when that phrase is empty or does not end in an indicator noun (率, 比例, 标准, 学位 ...), the
whole clause as printed is used instead (``高水平建设17个骨干专业与职业技能培训项目``).
"""

from __future__ import annotations

import re

from ..model import Item
from .ingest import Document, Line
from .numbers import Quantity, scan
from .sections import TARGET_PARTS
from .text import fold

SENTENCE_END = "。;!?"
CLAUSE_DELIMS = "，：；。,;:"
NAME_DELIMS = CLAUSE_DELIMS + "、"
OPEN_BRACKETS = {"《": "》", "〈": "〉", "“": "”", "‘": "’", "「": "」", "『": "』"}
PARENS = {"(": ")", "（": "）"}
YEAR_RE = re.compile(r"((?:19|20)\d\d)\s*年(?!的基础|基础)")
YEAR_RANGE_RE = re.compile(r"(?:19|20)\d\d\s*年?\s*[-~—–至到]\s*((?:19|20)\d\d)\s*年")
PAST_PERIOD_RE = re.compile(r"十三五")
CURRENT_PERIOD_RE = re.compile(r"十四五|(?:19|20)\d\d年|将|力争|确保")
FROM_RE = re.compile(r"从[^，,;。]*$")
FROM_TAIL_RE = re.compile(r"从[^，,;。]*$")
TO_AFTER_RE = re.compile(r"^[^，,;。]{0,4}(?:提高|提升|增加|增长|扩大|降低|下降|减少)(?:到|至)")
REFERENCE_RE = re.compile(r"(?:按|按照|根据|依据)$")
LEVERAGE_RE = re.compile(r"发挥[^。;]*$")
LINE_YEAR_RE = re.compile(r"^\s*(?:\d{1,2}\.)?((?:19|20)\d\d)年(?:至((?:19|20)\d\d)年)?[，,]")
FRAMING_RE = re.compile(
    r"(?:\s|确保|力争|争取|努力|要求|其中|同时|并且|并|实现|全区|全市|我区|到(?=\d|“)|"
    r"“十四五”(?:时期|末期|末)?|(?:19|20)\d\d年(?:底|末)?(?:至(?:19|20)\d\d年)?|\d{1,2}[.、](?!\d))+"
)
_DIGIT_RE = re.compile(r"\d")  # the digits numbers.scan reads
_CLOSERS = {v: k for k, v in OPEN_BRACKETS.items()}
_BRACKET_RE = re.compile(f"[{re.escape(''.join(OPEN_BRACKETS) + ''.join(_CLOSERS))}]")
_SENTENCE_END_RE = re.compile(f"[{re.escape(SENTENCE_END)}]")
_SENTENCE_LEAD_RE = re.compile(r"(?:\s|\[bookmark:[^\]]*\])*")
INDICATOR_NOUN_RE = re.compile(
    r"(?:率|比例|比重|占比|年限|标准|经费|学位|人数|数量|面积|时间|规模|水平|指数|[）)])$"
)


def parse_text_targets(doc: Document, parts: dict[int, str], *, key_prefix: str, end_year: int,
                       skip_lines: frozenset[int] = frozenset()) -> list[Item]:
    """Find the quantified targets stated in running text.

    Parameters
    ----------
    doc
        The ingested document.
    parts
        ``sections.assign_parts(doc, ...)``; only goals, tasks, implementation and annex lines
        are read.
    key_prefix
        Prefix of the item keys: ``{key_prefix}:txt:{line}:{k}`` for the k-th target of a line.
    end_year
        The year of a target whose sentence states none.
    skip_lines
        Lines not to read (the indicator-table lines, already parsed as table items).

    Returns
    -------
    list of Item
        ``item_type="indicator"``, ``source="text"``, ``role="target"``, in line order.
    """
    items: list[Item] = []
    for line in doc.content_lines():
        part = parts.get(line.no)
        if part not in TARGET_PARTS or line.no in skip_lines:
            continue
        items.extend(_line_targets(doc, line, part, key_prefix=key_prefix, end_year=end_year))
    return items


def _line_targets(doc: Document, line: Line, part: str, *, key_prefix: str,
                  end_year: int) -> list[Item]:
    raw, folded = line.raw, fold(line.raw)
    if not _DIGIT_RE.search(folded):  # no number, no target (scan would find nothing)
        return []
    found = [q for q in scan(raw) if q.kind == "quantity" and not _bare(q)]
    if found:
        shielded = _shielded(folded)
        found = [q for q in found if not shielded[q.start]]
    if _is_heading(line):
        found = [q for q in found if q.comparator != "="]
    items = []
    for start, end in _sentences(folded):
        sentence = folded[start:end]
        if _is_past_sentence(sentence):
            continue
        for q in (q for q in found if start <= q.start < end):
            if (_is_past_value(folded, q) or REFERENCE_RE.search(folded[start:q.start])
                    or _is_enumeration_total(folded, q, start) or _is_leverage(folded, q, start)):
                continue
            items.append(_item(doc, line, part, q, (start, end), len(items) + 1,
                               key_prefix=key_prefix, end_year=_line_year(folded, end_year)))
    return items


def _item(doc: Document, line: Line, part: str, q: Quantity, span: tuple[int, int], k: int, *,
          key_prefix: str, end_year: int) -> Item:
    start, end = span
    return Item(
        item_type="indicator", item_key=f"{key_prefix}:txt:{line.no}:{k}",
        name_raw=_name(line.raw, q, start, end), source="text", source_file=doc.path,
        line=line.no, quote=line.raw[start:end], unit=q.unit,
        year=_year(fold(line.raw)[start:q.start], end_year), role="target",
        comparator=q.comparator, value=q.value, value_high=q.value_high,
        value_text=q.value_text, section=part,
    )


def _bare(q: Quantity) -> bool:
    """A number printed without unit and without comparator word (a row number, a code)."""
    return q.unit is None and bool(
        re.fullmatch(r"\d+(?:\.\d+)?(?:\s*[-~〜—–至]\s*\d+(?:\.\d+)?)?", fold(q.value_text)))


def _is_heading(line: Line) -> bool:
    """A short line without clause punctuation: a title such as ``重点项目(24项)``."""
    return len(line.text) <= 40 and not re.search(r"[，。；,;]", line.text)


def _is_enumeration_total(text: str, q: Quantity, s_start: int) -> bool:
    """``小学、初中、高中3个学段``: the count of the items just listed, not a target."""
    if q.comparator != "=" or not fold(q.value_text)[:1].isdigit():
        return False
    c_start = _clause_start(text, q.start, s_start)
    segment = text[_clause_start(text, q.start, s_start, NAME_DELIMS):q.start]
    followed_by_noun = bool(re.match(r"[\u4e00-\u9fff]", text[q.end:]))
    return ("、" in text[c_start:q.start] and 1 <= len(segment) <= 4 and followed_by_noun
            and not re.search(r"[配建设培引增开达办有实现新选]", segment))


def _shielded(text: str) -> list[bool]:
    """Per character: True inside a matched 《》 / “” / ‘’ / 「」 pair."""
    out = [False] * (len(text) + 1)
    stack: list[tuple[str, int]] = []
    for m in _BRACKET_RE.finditer(text):  # visits only the bracket characters
        ch, i = m.group(), m.start()
        if ch in OPEN_BRACKETS:
            stack.append((ch, i))
        else:
            opener = _CLOSERS[ch]
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == opener:
                    start = stack[depth][1]
                    out[start:i + 1] = [True] * (i + 1 - start)
                    del stack[depth:]
                    break
    return out


def _sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences of a line (ending punctuation kept, leading whitespace and
    Word bookmarks left out)."""
    spans, start = [], 0
    for m in _SENTENCE_END_RE.finditer(text):
        spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    out = []
    for s, e in spans:
        s = _SENTENCE_LEAD_RE.match(text, s, e).end()
        body = text[s:e]
        if body.strip():  # then rstrip stops inside the span: text[:e].rstrip() == s + ...
            out.append((s, s + len(body.rstrip())))
    return out


def _is_past_sentence(sentence: str) -> bool:
    return bool(PAST_PERIOD_RE.search(sentence)) and not CURRENT_PERIOD_RE.search(
        PAST_PERIOD_RE.sub("", sentence))


def _is_leverage(text: str, q: Quantity, s_start: int) -> bool:
    """``充分发挥…29个基地校的示范引领作用``: existing resources put to use, not a target."""
    return bool(LEVERAGE_RE.search(text[s_start:q.start])) and "作用" in text[q.end:]


def _line_year(text: str, end_year: int) -> int:
    """A list item that opens with its year (``2.2022年，``) dates all of its sentences."""
    m = LINE_YEAR_RE.match(text)
    return int(m.group(2) or m.group(1)) if m else end_year


def _is_past_value(text: str, q: Quantity) -> bool:
    """The 'from' value of 从…X提高到Y."""
    return bool(FROM_RE.search(text[: q.start]) and TO_AFTER_RE.match(text[q.end:]))


def _year(before: str, end_year: int) -> int:
    years = [(m.start(), int(m.group(1))) for m in YEAR_RANGE_RE.finditer(before)]
    years += [(m.start(), int(m.group(1))) for m in YEAR_RE.finditer(before)]
    years = [(pos, y) for pos, y in years if not _in_title(before, pos)]
    return max(years)[1] if years else end_year


def _in_title(text: str, pos: int) -> bool:
    return _shielded(text)[pos] or text[:pos].count("（") > text[:pos].count("）") \
        or text[:pos].count("(") > text[:pos].count(")")


def _clause_start(text: str, start: int, limit: int, delims: str = CLAUSE_DELIMS) -> int:
    depth = 0
    for i in range(start - 1, limit - 1, -1):
        ch = text[i]
        if ch in "）)》”":
            depth += 1
        elif ch in "（(《“":
            depth = max(depth - 1, 0)
        elif depth == 0 and ch in delims:
            return i + 1
    return limit


def _clause_end(text: str, end: int, limit: int) -> int:
    depth = 0
    for i in range(end, limit):
        ch = text[i]
        if ch in "（(《“":
            depth += 1
        elif ch in "）)》”":
            depth = max(depth - 1, 0)
        elif depth == 0 and (ch in CLAUSE_DELIMS or ch in SENTENCE_END):
            return i
    return limit


def _name(raw: str, q: Quantity, s_start: int, s_end: int) -> str:
    folded = fold(raw)
    n_start = _skip_framing(folded, _clause_start(folded, q.start, s_start, NAME_DELIMS), q.start)
    before = FROM_TAIL_RE.sub("", raw[n_start:q.start]).strip()
    if before and INDICATOR_NOUN_RE.search(fold(before)):
        return before
    c_start = _skip_framing(folded, _clause_start(folded, q.start, s_start), q.start)
    return raw[c_start:_clause_end(folded, q.end, s_end)].strip()


def _skip_framing(text: str, start: int, limit: int) -> int:
    m = FRAMING_RE.match(text, start)
    return m.end() if m and m.end() <= limit else start
