"""Comparator / number / unit parser for indicator-table cells and running text.

Pure functions, no document context. Matching runs on ``to_simplified(fold(text))``: full-width
ASCII forms (``０-９``, ``％``, ``＞``, ``～``, ``（）``, ``，``) become half-width and Traditional
characters Simplified, one character for one, so every offset found in the matched text is the
same offset in the raw text and ``value_text`` is always cut from the text *as printed*.

The words (``words/numbers.toml``): comparators before the number (超过 突破 超 > …, 不低于 至少
≥ …, 达到 保持在 提高到 …, 不超过 ≤ …, 低于 少于 < …) and after it (以上 及以上 → ``>=``;
以下 以内 → ``<=``; an after-word wins: 达到90%以上 is ``>=``); approximation words (约 大约 近 …;
after: 左右) give ``=`` with ``approximate=True``; units (longest first; 万 / 亿 stay in the unit
as printed). Ranges ``2-4``, ``2至4``, ``2～4``, ``2到4`` give ``value`` / ``value_high`` with
``>=`` (at least the lower bound, at most ``value_high``). Chinese numerals (两项, 十所, 三十万人,
百分之九十) are converted by cn2an; ``value_text`` stays as printed.

:func:`scan` also tells numbers that are not quantities apart (``Quantity.kind``): years
(``2025年``, ``2021-2025年``), dates and times (``3月``, ``06:05``), list numbers at the start
of the text (``1.``, ``(1)``), versions (``2.0``, ``3.0版``, ``2版``), technology names (``5G``),
formulas (``1+X``), ordinals (``第1``), anniversaries (``100周年``), per-unit bases (``每10所``),
enumeration totals (``等5大``, ``这6个``), labels (``10大``), time spans (``近3年``), phone
numbers (7 or more digits) and Chinese numerals used as count words (``两个``, ``一项`` without a
comparator: ``count_word``). Context that needs the sentence is judged in
:mod:`plancompare.parse.targets`.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from dataclasses import dataclass

from ..errors import InputError
from . import vocabulary as vocab
from .text import BOOKMARK_RE, WIDE_SPACES, fold, to_simplified

_W = "numbers"


def _table(key: str) -> dict[str, str]:
    """``{word: comparator}`` from a ``[comparators.*]`` table of numbers.toml."""
    return {w: comp for comp, ws in vocab.get(_W, key).items() for w in ws}


COMPARATOR_WORDS: dict[str, str] = _table("comparators.before")
POST_WORDS: dict[str, str] = _table("comparators.after")
APPROX_WORDS: tuple[str, ...] = vocab.words(_W, "approximate.before")
APPROX_POST_WORDS: tuple[str, ...] = vocab.words(_W, "approximate.after")
_TEXT_PRE_WORDS = {**COMPARATOR_WORDS, **dict.fromkeys(APPROX_WORDS, "=")}
_TEXT_POST_WORDS = {**POST_WORDS, **dict.fromkeys(APPROX_POST_WORDS, "=")}
#: Units recognised right after a number, longest first. Printed units are kept, never rescaled.
UNITS: tuple[str, ...] = tuple(sorted(vocab.words(_W, "units"), key=len, reverse=True))
QUALIFIER_UNITS = frozenset(vocab.words(_W, "qualifier_units"))
BRIDGE_VERBS: tuple[str, ...] = vocab.words(_W, "bridge_verbs")
#: Cells that mean "no value" in a table.
EMPTY_CELLS = frozenset(vocab.words(_W, "empty_cells"))
CN_DIGITS = vocab.get(_W, "chinese.digits")
CN_PERCENT = vocab.get(_W, "chinese.percent_prefix")

_NUM = r"\d+(?:\.\d+)?"
_RANGE_SEP = f"(?:{vocab.alternation(_W, 'range_separators')})"
_CN = f"[{CN_DIGITS}]+"


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_PRE = rf"(?P<pre>(?:{_alternation(_TEXT_PRE_WORDS)})\s*(?:{_alternation(BRIDGE_VERBS)})?)?\s*"
_TAIL = rf"(?P<unit>{_alternation(UNITS)})?(?P<post>{_alternation(_TEXT_POST_WORDS)})?"
QUANTITY_RE = re.compile(
    rf"{_PRE}(?<![\d.])(?P<num>{_NUM})(?:\s*{_RANGE_SEP}\s*(?P<high>{_NUM}))?{_TAIL}")
#: Chinese numerals: with a unit (两项, 三十万人) or as a percentage (百分之九十).
CN_QUANTITY_RE = re.compile(
    rf"{_PRE}(?:(?P<pct>{re.escape(CN_PERCENT)})(?P<pnum>{_CN})"
    rf"|(?<![{CN_DIGITS}第])(?P<num>{_CN})(?:{_RANGE_SEP}(?P<high>{_CN}))?"
    rf"(?P<unit>{_alternation(UNITS)}))(?P<post>{_alternation(_TEXT_POST_WORDS)})?")
CELL_RE = re.compile(
    rf"^(?P<pre>{_alternation(COMPARATOR_WORDS)})?\s*(?P<num>{_NUM})"
    rf"(?:\s*{_RANGE_SEP}\s*(?P<high>{_NUM}))?\s*(?P<unit>{_alternation(UNITS)})?"
    rf"(?P<post>{_alternation(POST_WORDS)})?$"
)
LIST_NUMBER_RE = re.compile(
    r"^\s*(?P<num>\d{1,3})(?:[.、](?!\d)|\.(?=20\d\d年)|\s+(?=\D))"
)
PAREN_LIST_RE = re.compile(r"\(\d{1,2}\)")
_LABEL_BEFORE_RE = re.compile(r"(?:表|附件|附表|图|专栏)[:\s]*$")
_SPAN_BEFORE = ("近", "过去", "最近", "这", "前", "未来", "今后")


@dataclass(frozen=True)
class Quantity:
    """One number as printed, with the comparator and unit that go with it.

    ``start``/``end`` are offsets in the text that was scanned (raw and matched text agree);
    ``value_text`` is ``text[start:end]``. ``kind`` is ``"quantity"`` for a measurable amount,
    otherwise why the number is not one (``"year"``, ``"list"``, ``"version"`` ...).
    ``approximate`` is True for 约 / 左右 …; ``chinese`` for a Chinese numeral.
    """

    comparator: str | None
    value: float | None
    value_high: float | None
    unit: str | None
    value_text: str
    start: int
    end: int
    kind: str = "quantity"
    approximate: bool = False
    chinese: bool = False


def _number(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        err = InputError(f"the number {text[:20]!r}... is too large to be a value",
                         fix="check the number as printed")
        err.needle = text  # parse_document adds the file and the line holding it
        raise err
    return value


@functools.lru_cache(maxsize=4096)
def _cn_number(text: str) -> float | None:
    """A Chinese numeral as a number (cn2an), None when it is not one (十四五)."""
    import cn2an  # imported on the first Chinese numeral only

    try:
        return float(cn2an.cn2an(text, "normal"))
    except (ValueError, KeyError, IndexError, TypeError):
        return None


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


def _is_approximate(pre: str | None, post: str | None) -> bool:
    return bool((post and post in APPROX_POST_WORDS) or (pre and pre.strip() in APPROX_WORDS))


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
    m = CELL_RE.match(to_simplified(fold(raw)))
    if not m:
        where = f"check the table row at line {line}" if line else "check the table cell"
        approx = [w for w in (*APPROX_WORDS, *APPROX_POST_WORDS) if w in raw]
        if approx:
            raise InputError(
                f"cannot read the table value {raw!r}: {approx[0]!r} marks an approximate value "
                "and a table cell has no comparator for 'about'",
                path=path, line=line,
                fix=f"{where}; raw files are never edited: if the plan prints it so, decide how "
                    "to read it in parse/words/numbers.toml ([comparators]) and rebuild")
        raise InputError(
            f"cannot read the table value {raw!r}: expected a number with an optional "
            "comparator (>, ≥, <, ≤, 以上 ...) and unit, or '-' for no value",
            path=path, line=line,
            fix=f"{where}; raw files are never edited: if the plan prints it so, add the word to "
                "parse/words/numbers.toml ([comparators] / units) and rebuild",
        )
    high = _number(m["high"]) if m["high"] else None
    comparator = ">=" if high is not None and not (m["pre"] or m["post"]) else _comparator(
        m["pre"], m["post"])
    return Quantity(comparator, _number(m["num"]), high, m["unit"] or None,
                    raw, offset, offset + len(raw))


def is_value_cell(text: str) -> bool:
    """True when :func:`parse_cell` would read ``text`` (a number cell or an empty cell)."""
    raw = fold(text.strip(" \t" + WIDE_SPACES))
    return raw in EMPTY_CELLS or bool(CELL_RE.match(to_simplified(raw)))


def matching_text(text: str) -> str:
    """The text every rule matches on: folded, Simplified, Word bookmarks blanked (same length)."""
    return BOOKMARK_RE.sub(lambda m: " " * len(m.group()), to_simplified(fold(text)))


def scan(text: str, matched: str | None = None, *, bare: bool = True) -> list[Quantity]:
    """Find every number in ``text`` (Arabic or Chinese) with its comparator, unit and kind.

    Parameters
    ----------
    text
        A line or sentence as printed (full-width or half-width, Simplified or Traditional).
    matched
        ``matching_text(text)`` when the caller has it already (it is computed otherwise).
    bare
        False: leave out Arabic numbers printed without comparator word, unit or after-word
        (row numbers, codes, dates: never a target), which saves most of the work on a line of
        numbers.

    Returns
    -------
    list of Quantity
        In order of appearance; ``kind`` says whether each is a quantity.
    """
    return scan_counted(text, matched, bare=bare)[0]


def scan_counted(text: str, matched: str | None = None, *, bare: bool = True,
                 limit: int | None = None) -> tuple[list[Quantity], int]:
    """:func:`scan` reading at most the first ``limit`` numbers, and how many the text holds.

    The numbers after the first ``limit`` are only counted (one regular-expression pass, no
    list of them is kept), so a line of any length costs time linear in its length and memory
    proportional to ``limit``.

    Parameters
    ----------
    text, matched, bare
        As for :func:`scan`.
    limit
        The most numbers returned (None: all).

    Returns
    -------
    (list of Quantity, int)
        The first ``limit`` numbers in order of appearance, and the number of numbers in all
        (equal to the length of the list when nothing was left out).

    Examples
    --------
    >>> found, held = scan_counted("新增学位100个、200个、300个", limit=2)
    >>> [q.value_text for q in found], held
    (['100个', '200个'], 3)
    """
    folded = matching_text(text) if matched is None else matched
    out: list[Quantity] = []
    list_m = LIST_NUMBER_RE.match(folded)
    if list_m:
        start, end = list_m.start("num"), list_m.end("num")
        out.append(Quantity(None, float(list_m["num"]), None, None, text[start:end], start, end,
                            "list"))
        folded = folded[:start] + " " * (end + 1 - start) + folded[end + 1:]
    arabic = (m for m in QUANTITY_RE.finditer(folded)
              if bare or m["unit"] or m["pre"] or m["post"])
    chinese = (q for m in CN_QUANTITY_RE.finditer(folded)
               if (q := _cn_quantity(text, folded, m)) is not None) \
        if any(ch in folded for ch in CN_DIGITS) else iter(())
    out.extend(_quantity(text, folded, m) for m in itertools.islice(arabic, limit))
    out.extend(itertools.islice(chinese, limit))
    out.sort(key=lambda q: q.start)
    held = len(out) + sum(1 for _ in arabic) + sum(1 for _ in chinese)
    return (out if limit is None else out[:limit]), held


def _quantity(text: str, folded: str, m: re.Match) -> Quantity:
    start = m.start("pre") if m["pre"] else m.start("num")
    end = m.end()
    try:
        value = _number(m["num"])
        high = _number(m["high"]) if m["high"] else None
    except InputError:
        return Quantity(None, None, None, None, text[start:end], start, end, "overflow")
    kind = _kind(folded, m)
    comparator = _text_comparator(m, high) if kind == "quantity" else None
    return Quantity(comparator, value, high, _unit(text, m), text[start:end], start, end, kind,
                    _is_approximate(m["pre"], m["post"]))


def _unit(text: str, m: re.Match) -> str | None:
    """The unit as matched: half-width and Simplified (％ -> %, 萬人 -> 万人), never rescaled.

    One spelling per unit, so that units compare across documents; value_text keeps the print.
    """
    return m["unit"] or None


def _text_comparator(m: re.Match, high: float | None) -> str:
    """A range without a comparator word reads as 'at least value, at most value_high'."""
    if high is not None and not (m["post"] or (m["pre"] and m["pre"].strip() in COMPARATOR_WORDS
                                               and COMPARATOR_WORDS[m["pre"].strip()] != "=")):
        return ">="
    return _comparator(m["pre"], m["post"])


def _cn_quantity(text: str, folded: str, m: re.Match) -> Quantity | None:
    digits = m["pnum"] or m["num"]
    value = _cn_number(digits)
    high = _cn_number(m["high"]) if m["high"] else None
    if value is None or (m["high"] and high is None):
        return None
    start = m.start("pre") if m["pre"] else m.start("pct") if m["pct"] else m.start("num")
    unit = "%" if m["pct"] else _unit(text, m)
    if not m["pct"] and folded.startswith(("周年", "年级"), m.end("num")):
        return None
    counted = bool(m["pct"] or (m["pre"] and m["pre"].strip() in COMPARATOR_WORDS)
                   or m["unit"].startswith(("万", "亿")))
    kind = "quantity" if counted else "count_word"
    comparator = _text_comparator(m, high) if kind == "quantity" else None
    return Quantity(comparator, value, high, unit, text[start:m.end()], start, m.end(), kind,
                    _is_approximate(m["pre"], m["post"]), chinese=True)


def _kind(folded: str, m: re.Match) -> str:
    num, high, unit = m["num"], m["high"], m["unit"]
    s, e, end = m.start("num"), m.end("num"), m.end()
    prev = folded[s - 1] if s else ""
    digits = len(num.replace(".", ""))
    if digits >= 7 or (high and len(high) >= 7):
        return "phone"
    if len(num) == 4 and _is_year(num) and (unit == "年" or (high and _is_year(high) and unit == "年")
                          or folded.startswith(("年", "-", "—", "–", "至"), e)):
        return "year"
    if not unit and (folded.startswith(("月", "日", "号", "时"), end)
                     or (prev == ":" and folded[s - 2:s - 1].isdigit())
                     or (folded.startswith(":", e) and folded[e + 1:e + 2].isdigit())):
        return "date"
    if prev.isascii() and prev.isalpha() or (not unit and folded[e:e + 1].isascii()
                                             and folded[e:e + 1].isalpha()):
        return "tech"
    if prev == "+" or folded.startswith("+", e) or (not unit and folded.startswith("+", end)):
        return "formula"
    if prev == "(" and PAREN_LIST_RE.match(folded, s - 1):
        return "list"
    if prev == "第":
        return "ordinal"
    if (unit == "周" and folded.startswith("年", end)) or folded.startswith("周年", e):
        return "anniversary"
    if folded.startswith("版", e) or folded.startswith("版", end) or (
            not unit and num.endswith(".0")):
        return "version"
    if prev == "每" and not m["pre"]:
        return "per"
    if prev in ("等", "这") and not m["pre"]:
        return "enumeration"
    if unit == "年" and (m["pre"] or "").strip() in _SPAN_BEFORE or (
            unit == "年" and folded.endswith(_SPAN_BEFORE, max(s - 2, 0), s)):
        return "span"
    if (not unit and folded.startswith("大", e)) or _LABEL_BEFORE_RE.search(
            folded, max(s - 8, 0), s):
        return "label"
    return "quantity"


_YEAR_NUM_RE = re.compile(r"(19|20)\d\d")


def _is_year(num: str) -> bool:
    return bool(_YEAR_NUM_RE.fullmatch(num))
