"""Map an indicator name as printed to the codebook: reviews, aliases, patterns, then similarity.

The order is the order of trust. A reviewed decision (``reference/indicator_reviews.csv``) is
final; an exact alias is the codebook's own word; an alias at the end (or, before a verb or
number, the start) of a longer text name and a pattern are rules stated in the codebook; a
similarity match (rapidfuzz ``fuzz.ratio`` on the normalised name against every alias) is taken
only at :data:`FUZZY_THRESHOLD` or above, and everything below is listed for review with its best
candidate and score. A candidate whose unit kinds (codebook ``unit_kinds``) exclude the kind of
the row's unit (``units.csv``: ``%`` percent, ``所`` count ...) is never chosen, so 85% cannot
become a count of schools.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from . import reference

#: Similarity (0-100, ``rapidfuzz.fuzz.ratio``) from which a fuzzy match is taken.
FUZZY_THRESHOLD = 80.0
#: Aliases shorter than this never match a text name by prefix or suffix.
MIN_AFFIX_LEN = 4
#: A text name "<alias><verb> ..." (市级骨干校长达到6人以上) matches by prefix.
VERB_RE = re.compile(r"达到|超过|高于|不低于|保持|提高|提升|增加|至少|\d")
#: A text name this short that maps to nothing may continue the clause before it
#: (``harmonise.continue_lists``).
CONTINUE_MAX_CHARS = 8
#: Where a text name that lists several items is split (:func:`_list_item`).
LIST_SEPARATORS = re.compile(r"[、，,；;和]")
#: A continuing clause opens after one of these (:func:`continues`).
CONTINUE_SEPARATORS = re.compile(r"[、，,；;和及与]")
#: Clauses of a quote (:func:`map_clause`).
CLAUSE_SEPARATORS = re.compile(r"[，,。；;！？!?]")
#: Rule names written to ``indicator_rule`` (prefixes; the rest names the alias or pattern).
RULES = ("review", "list item", "alias", "alias:suffix", "alias:prefix", "pattern", "fuzzy",
         "continues", "pattern in clause", "unmapped")


@dataclass(frozen=True)
class Mapping:
    """The codebook indicator of one name and why.

    ``indicator_id`` is None when unmapped; ``rule`` is the ``indicator_rule`` column
    (``alias``, ``alias:suffix 三年学前教育毛入园率``, ``pattern 近视率``, ``fuzzy 普惠园覆盖率``,
    ``review accepted: <reason>``, ``unmapped (best: <id> via <alias>)``); ``score`` is the
    similarity of the best alias (fuzzy and unmapped rows), else None.
    """

    indicator_id: str | None
    rule: str
    score: float | None = None
    candidate: str | None = None


def map_name(name: str, *, source: str = "text", unit: str | None = None,
             value_text: str | None = None) -> Mapping:
    """The codebook mapping of an indicator name.

    Parameters
    ----------
    name : str
        ``name_raw`` as printed.
    source : str
        ``table`` rows match reviewed names and exact aliases only (a table row that does not
        match stops the build); every other source goes through all rules.
    unit : str, optional
        The row's unit as printed; candidates that do not accept its kind are skipped.
    value_text : str, optional
        The value as printed. When a text name lists several items (``培养10个名校长、10名名
        教师``) and the value occurs in exactly one of them, that item is mapped first
        (rule prefix ``list item <item>;``); the whole name when the item maps to nothing.

    Returns
    -------
    Mapping
    """
    kind = reference.unit_kind(unit)
    item = _list_item(name, value_text) if source != "table" else None
    if item is not None:   # the other items name other values: never the whole name
        hit = _map(reference.normalise_name(item), False, kind)
        return Mapping(hit.indicator_id, f"list item {item}; {hit.rule}", hit.score,
                       hit.candidate)
    return _map(reference.normalise_name(name), source == "table", kind)


def map_clause(quote: str, value_text: str | None, unit: str | None = None) -> Mapping | None:
    """The indicator whose pattern is the only one found in the clause that holds the value.

    For a text row whose own name maps to nothing (``中小学各学科`` of
    ``…不低于8%的课时用于开展劳动实践活动``): the clause of ``quote`` between
    :data:`CLAUSE_SEPARATORS` that contains ``value_text`` is searched, from the value on, with
    every pattern of an indicator accepting the unit's kind; exactly one indicator must match.
    (``市区名校与新城12所中学结成…帮扶关系`` finds nothing: the 优质 phrase
    stands before the value and names other schools.)
    """
    if not value_text or not quote:
        return None
    clauses = [c for c in CLAUSE_SEPARATORS.split(quote) if value_text in c]
    if len(clauses) != 1:
        return None
    # what a value quantifies follows it (10%的课时用于…综合实践活动, 10-15所高校…合作办学)
    after = clauses[0].split(value_text, 1)[1]
    if not after or LIST_SEPARATORS.match(after):   # the value closes its list item
        return None
    key = reference.normalise_name(after)
    allowed = _allowed(reference.unit_kind(unit), frozenset())
    hits = {ind: regex.pattern for regex, ind in reference.indicator_patterns()
            if ind in allowed and regex.search(key)}
    if len(hits) != 1:
        return None
    (ind, pattern), = hits.items()
    return Mapping(ind, f"pattern in clause {pattern}")


def continues(name: str, value_text: str | None, quote: str) -> bool:
    """True when the clause of ``name`` opens right after a separator in ``quote``.

    ``…每天开设1节美育课，小学每周不少于3节`` and ``新建2所完全中学、4所小学和9所幼儿园``
    (the value may stand before the name) continue the clause before them; ``重点建设10个以上
    资源共享`` does not (a verb of its own stands before it).
    """
    start = quote.find(name) if name else -1
    while start >= 0:
        before = quote[:start]
        if value_text and before.endswith(value_text):
            before = before[: -len(value_text)]
        if before[-1:] and CONTINUE_SEPARATORS.fullmatch(before[-1:]):
            return True
        start = quote.find(name, start + 1)
    return False


def _list_item(name: str, value_text: str | None) -> str | None:
    """The one item of a listed name (split at :data:`LIST_SEPARATORS`) holding the value."""
    if not value_text or not isinstance(name, str):
        return None
    items = [p for p in LIST_SEPARATORS.split(name) if p]
    holding = [p for p in items if value_text in p]
    return holding[0] if len(items) > 1 and len(holding) == 1 else None


@cache
def _map(key: str, exact_only: bool, kind: str | None) -> Mapping:
    excluded: set[str] = set()
    for ind, decision, reason in reference.review_index().get(key, ()):
        if decision == "accepted":
            return Mapping(ind, f"review accepted: {reason}")
        excluded.add(ind)
    allowed = _allowed(kind, frozenset(excluded))
    index = reference.raw_name_index()
    if index.get(key) in allowed:
        return Mapping(index[key], "alias")
    if exact_only:
        return Mapping(None, "unmapped (table name not in the codebook)")
    for rule in (_affix, _pattern):
        hit = rule(key, allowed)
        if hit is not None:
            return hit
    return _fuzzy(key, allowed)


@cache
def _allowed(kind: str | None, excluded: frozenset[str]) -> frozenset[str]:
    kinds = reference.accepted_kinds()
    return frozenset(i for i, k in kinds.items()
                     if i not in excluded and (kind is None or kind in k))


def _affix(key: str, allowed: frozenset[str]) -> Mapping | None:
    """The longest alias the name ends with, or starts with right before a verb or number."""
    best: tuple[int, str, str] | None = None
    for alias, ind in reference.raw_name_index().items():
        if len(alias) < MIN_AFFIX_LEN or ind not in allowed or alias == key:
            continue
        how = ("suffix" if key.endswith(alias) else
               "prefix" if key.startswith(alias) and VERB_RE.match(key, len(alias)) else None)
        if how and (best is None or len(alias) > best[0]):
            best = (len(alias), how, alias)
    if best is None:
        return None
    return Mapping(reference.raw_name_index()[best[2]], f"alias:{best[1]} {best[2]}")


def _pattern(key: str, allowed: frozenset[str]) -> Mapping | None:
    """The codebook pattern with the longest match in the name (first in codebook order)."""
    best: tuple[int, str, str] | None = None
    for regex, ind in reference.indicator_patterns():
        if ind not in allowed:
            continue
        m = regex.search(key)
        if m and (best is None or len(m.group()) > best[0]):
            best = (len(m.group()), ind, regex.pattern)
    return None if best is None else Mapping(best[1], f"pattern {best[2]}")


def _fuzzy(key: str, allowed: frozenset[str]) -> Mapping:
    ind, score, alias = best_candidate(key, allowed)
    if ind is not None and score >= FUZZY_THRESHOLD:
        return Mapping(ind, f"fuzzy {alias}", round(score, 1), ind)
    best = f" (best: {ind} via {alias})" if ind else ""
    return Mapping(None, f"unmapped{best}", round(score, 1) if ind else None, ind)


def best_candidate(key: str, allowed: frozenset[str] | None = None
                   ) -> tuple[str | None, float, str | None]:
    """The most similar alias of the codebook to a normalised name.

    Parameters
    ----------
    key : str
        A name normalised with :func:`reference.normalise_name`.
    allowed : frozenset of str, optional
        Indicator ids to consider (default: all).

    Returns
    -------
    tuple
        (indicator_id, score 0-100, alias), or (None, 0.0, None) when nothing is allowed.
    """
    from rapidfuzz import fuzz, process

    aliases = [(a, i) for a, i in reference.raw_name_index().items()
               if allowed is None or i in allowed]
    if not aliases or not key:
        return None, 0.0, None
    hit = process.extractOne(key, [a for a, _ in aliases], scorer=fuzz.ratio)
    alias, score, pos = hit
    return aliases[pos][1], float(score), alias


def clear_cache() -> None:
    """Forget memoised mappings (after the reference tables changed)."""
    _map.cache_clear()
    _allowed.cache_clear()
