"""Comparator / number / unit parser for indicator-table cells and running text.

Pure functions, no document context. Matching runs on :func:`fold` of the text: full-width ASCII
forms (``０-９``, ``％``, ``＞``, ``～``, ``（）``, ``，``, ``；``) become half-width one character
for one character, exactly as NFKC maps them, so every offset found in the folded text is the same
offset in the raw text and ``value_text`` is always cut from the text *as printed*.

Comparators (words before or after the number; an "after" word wins over a "before" word)::

    >   超过 高于 大于 多于 逾 > ＞
    >=  不低于 不少于 不小于 至少 ≥ ≧ >= ; after: 以上 及以上
    =   达到 达 为 保持在 稳定在 提高到 提升到 增加到 增至 降至 降低到 控制在 ; a bare number
    <=  不超过 不高于 不大于 不多于 最多 ≤ ≦ <= ; after: 以下 及以下 以内
    <   低于 少于 小于 不足 不到 < ＜
    =   running text only, approximations kept in value_text: 约 大约 将近 接近 近 ≈ ;
        after: 左右 (in a table cell they are an error: the contract has no "about")

:func:`scan` also tells numbers that are not quantities apart (``Quantity.kind``): years
(``2025年``, ``2021-2025年``), dates (``3月``), list numbers at the start of the text (``1.``,
``2.`` in ``2.2022年``, ``(1)``), version numbers (``2.0``, ``3.0版``), technology names (``5G``,
``IPV6``, ``Wi-Fi6``), formulas (``1+X``, ``3+2``), ordinals (``第1``), anniversaries
(``100周年``), per-unit bases (``每10所``), enumeration totals (``等5大``), labels (``10大``)
and phone numbers (7 or more digits). Context that needs the whole sentence (quotes, titles, the
previous plan period) is judged in :mod:`plancompare.parse.targets`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ..errors import InputError
from .text import BOOKMARK_RE, WIDE_SPACES, fold

COMPARATOR_WORDS: dict[str, str] = {
    "不低于": ">=", "不少于": ">=", "不小于": ">=", "至少": ">=", "≥": ">=", "≧": ">=",
    ">=": ">=",
    "不超过": "<=", "不高于": "<=", "不大于": "<=", "不多于": "<=", "最多": "<=", "≤": "<=",
    "≦": "<=", "<=": "<=",
    "超过": ">", "高于": ">", "大于": ">", "多于": ">", ">": ">",
    "低于": "<", "少于": "<", "小于": "<", "<": "<", "不足": "<", "不到": "<", "逾": ">",
    "达到": "=", "保持在": "=", "保持": "=", "继续保持": "=", "继续保持在": "=", "稳定在": "=", "提高到": "=", "提升到": "=", "提高至": "=",
    "提升至": "=", "增加到": "=", "增至": "=", "降至": "=", "降低到": "=", "控制在": "=",
    "达": "=", "为": "=",
}
POST_WORDS: dict[str, str] = {
    "及以上": ">=", "以上": ">=", "及以下": "<=", "以下": "<=", "以内": "<=",
}
#: Approximation words (running text only). The data contract has no "about" comparator: the
#: number is read with ``=`` and ``value_text`` keeps the word (``约90%``, ``90%左右``), so the
#: approximation stays visible. In a table cell they are an error (see :func:`parse_cell`).
APPROX_WORDS: dict[str, str] = {"大约": "=", "约": "=", "将近": "=", "接近": "=", "近": "=",
                                "≈": "="}
APPROX_POST_WORDS: dict[str, str] = {"左右": "="}
_TEXT_PRE_WORDS = {**COMPARATOR_WORDS, **APPROX_WORDS}
_TEXT_POST_WORDS = {**POST_WORDS, **APPROX_POST_WORDS}
#: Units recognised right after a number, longest first. Printed units are kept, never rescaled.
UNITS: tuple[str, ...] = (
    "个百分点", "百分点", "万平方米", "平方米", "万人次", "人次", "万个", "万所", "万名", "万人",
    "万元", "亿元", "平方公里", "公顷", "公里", "千米", "亩", "小时", "课时", "学时", "学分", "分钟", "%", "‰", "万", "亿", "个", "所",
    "人", "名", "项", "年", "节", "元", "门", "家", "次", "支", "批", "类", "种", "座", "间",
    "套", "场", "天", "倍", "级", "岁", "件", "篇", "部", "台", "位", "条", "本", "处", "周",
    "对", "张", "册", "班",
)
#: Verbs allowed between a comparator word and its number ("至少配备1名", "至少掌握2项").
BRIDGE_VERBS = ("配备", "掌握", "开设", "安排", "参加", "达到", "建设", "培养", "引进")
#: Cells that mean "no value" in a table.
EMPTY_CELLS = frozenset({"", "-", "—", "–", "－", "--", "——", "/", "／", "－－"})

_NUM = r"\d+(?:\.\d+)?"
_RANGE_SEP = r"[-~〜～—–‐‑−至]"


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


QUANTITY_RE = re.compile(
    rf"(?P<pre>(?:{_alternation(_TEXT_PRE_WORDS)})\s*(?:{_alternation(BRIDGE_VERBS)})?)?\s*"
    rf"(?<![\d.])(?P<num>{_NUM})"
    rf"(?:\s*{_RANGE_SEP}\s*(?P<high>{_NUM}))?"
    rf"(?P<unit>{_alternation(UNITS)})?"
    rf"(?P<post>{_alternation(_TEXT_POST_WORDS)})?"
)
CELL_RE = re.compile(
    rf"^(?P<pre>{_alternation(COMPARATOR_WORDS)})?\s*(?P<num>{_NUM})"
    rf"(?:\s*{_RANGE_SEP}\s*(?P<high>{_NUM}))?\s*(?P<unit>{_alternation(UNITS)})?"
    rf"(?P<post>{_alternation(POST_WORDS)})?$"
)
LIST_NUMBER_RE = re.compile(
    r"^\s*(?P<num>\d{1,3})(?:[.、](?!\d)|\.(?=20\d\d年)|\s+(?=\D))"
)
PAREN_LIST_RE = re.compile(r"\(\d{1,2}\)")


@dataclass(frozen=True)
class Quantity:
    """One number as printed, with the comparator and unit that go with it.

    ``start``/``end`` are offsets in the text that was scanned (raw and folded agree);
    ``value_text`` is ``text[start:end]``. ``kind`` is ``"quantity"`` for a measurable amount,
    otherwise why the number is not one (``"year"``, ``"list"``, ``"version"`` ...).
    """

    comparator: str | None
    value: float | None
    value_high: float | None
    unit: str | None
    value_text: str
    start: int
    end: int
    kind: str = "quantity"


def _number(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        err = InputError(f"the number {text[:20]!r}... is too large to be a value",
                         fix="check the number as printed")
        err.needle = text  # parse_document adds the file and the line holding it
        raise err
    return value


def _comparator(pre: str | None, post: str | None) -> str:
    if post:
        return _TEXT_POST_WORDS[post]
    if pre:
        word = pre.strip()
        for verb in BRIDGE_VERBS:
            if word.endswith(verb) and word != verb and word[: -len(verb)] in _TEXT_PRE_WORDS:
                word = word[: -len(verb)].strip()
                break
        return _TEXT_PRE_WORDS[word]
    return "="


def _unit(unit: str | None) -> str | None:
    return unit or None


def parse_cell(text: str, *, path: str | None = None, line: int | None = None) -> Quantity:
    """Parse one indicator-table value cell: ``">90"``, ``"＞99"``, ``"≥92"``, ``"16.1"``, ``"-"``.

    Parameters
    ----------
    text
        The cell as printed (surrounding whitespace is ignored).
    path, line
        Where the cell is, for the error message.

    Returns
    -------
    Quantity
        ``value=None`` and ``comparator=None`` for an empty cell (``-``, ``—``, ``""``), never 0.

    Raises
    ------
    InputError
        When the cell is neither empty nor a number with a known comparator and unit.
    """
    raw = text.strip(" \t" + WIDE_SPACES)
    offset = text.find(raw) if raw else 0
    if fold(raw) in EMPTY_CELLS or raw in EMPTY_CELLS:
        return Quantity(None, None, None, None, raw, offset, offset + len(raw), kind="empty")
    m = CELL_RE.match(fold(raw))
    if not m:
        where = f"check the table row at line {line}" if line else "check the table cell"
        approx = [w for w in (*APPROX_WORDS, *APPROX_POST_WORDS) if w in raw]
        if approx:
            raise InputError(
                f"cannot read the table value {raw!r}: {approx[0]!r} marks an approximate value "
                "and the data contract has no comparator for 'about'",
                path=path, line=line,
                fix=f"{where}; raw files are never edited: if the plan prints it so, decide how "
                    "to read it in plancompare.parse.numbers (COMPARATOR_WORDS) and rebuild")
        raise InputError(
            f"cannot read the table value {raw!r}: expected a number with an optional "
            "comparator (>, ≥, <, ≤, 以上 ...) and unit, or '-' for no value",
            path=path, line=line,
            fix=f"{where}; raw files are never edited: if the plan prints it so, add the word to "
                "plancompare.parse.numbers (COMPARATOR_WORDS / POST_WORDS) and rebuild",
        )
    high = _number(m["high"]) if m["high"] else None
    return Quantity(_comparator(m["pre"], m["post"]), _number(m["num"]), high, _unit(m["unit"]),
                    raw, offset, offset + len(raw))


def is_value_cell(text: str) -> bool:
    """True when :func:`parse_cell` would read ``text`` (a number cell or an empty cell)."""
    raw = fold(text.strip(" \t" + WIDE_SPACES))
    return raw in EMPTY_CELLS or bool(CELL_RE.match(raw))


def scan(text: str) -> list[Quantity]:
    """Find every Arabic number in ``text`` with its comparator, unit and kind.

    Parameters
    ----------
    text
        A line or sentence as printed (full-width or half-width).

    Returns
    -------
    list of Quantity
        In order of appearance; ``kind`` says whether each is a quantity.
    """
    folded = BOOKMARK_RE.sub(lambda m: " " * len(m.group()), fold(text))
    out: list[Quantity] = []
    list_m = LIST_NUMBER_RE.match(folded)
    if list_m:
        start, end = list_m.start("num"), list_m.end("num")
        out.append(Quantity(None, float(list_m["num"]), None, None, text[start:end], start, end,
                            "list"))
        folded = folded[:start] + " " * (end + 1 - start) + folded[end + 1:]
    for m in QUANTITY_RE.finditer(folded):
        out.append(_quantity(text, folded, m))
    return out


def _quantity(text: str, folded: str, m: re.Match) -> Quantity:
    start = m.start("pre") if m["pre"] else m.start("num")
    end = m.end()
    try:
        value = _number(m["num"])
        high = _number(m["high"]) if m["high"] else None
    except InputError:
        return Quantity(None, None, None, None, text[start:end], start, end, "overflow")
    kind = _kind(folded, m)
    comparator = _comparator(m["pre"], m["post"]) if kind == "quantity" else None
    return Quantity(comparator, value, high, _unit(m["unit"]), text[start:end], start, end, kind)


def _kind(folded: str, m: re.Match) -> str:
    num, high, unit = m["num"], m["high"], m["unit"]
    before = folded[: m.start("num")]
    after = folded[m.end():]
    after_num = folded[m.end("num"):]
    digits = len(num.replace(".", ""))
    if digits >= 7 or (high and len(high) >= 7):
        return "phone"
    if _is_year(num) and (unit == "年" or (high and _is_year(high) and unit == "年")
                          or after_num.startswith(("年", "-", "—", "–", "至"))):
        return "year"
    if not unit and after.startswith(("月", "日", "号")):
        return "date"
    if re.search(r"[A-Za-z]$", before) or (not unit and re.match(r"[A-Za-z]", after_num)):
        return "tech"
    if before.endswith("+") or after_num.startswith("+") or (not unit and after.startswith("+")):
        return "formula"
    if PAREN_LIST_RE.match(folded, max(m.start("num") - 1, 0)) and before.endswith("("):
        return "list"
    if before.endswith("第"):
        return "ordinal"
    if (unit == "周" and after.startswith("年")) or after_num.startswith("周年"):
        return "anniversary"
    if after_num.startswith("版") or (not unit and re.fullmatch(r"\d+\.0", num)):
        return "version"
    if before.endswith("每") and not m["pre"]:
        return "per"
    if before.endswith("等") and not m["pre"]:
        return "enumeration"
    if (not unit and after_num.startswith("大")) or re.search(r"(?:表|附件|附表|图|专栏)[:\s]*$",
                                                                  before):
        return "label"
    return "quantity"


def _is_year(num: str) -> bool:
    return bool(re.fullmatch(r"(19|20)\d\d", num))
