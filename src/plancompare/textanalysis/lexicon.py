"""The one loader of the text-analysis data files in ``plancompare/reference/``.

Files (documented in docs/text-analysis.md): ``text_userdict.txt`` (segmenter terms),
``text_stopwords.txt`` (boilerplate stop list), ``instruments.csv`` (the instrument codebook),
``instrument_rules.csv`` (keyword rules), ``instrument_overrides.csv`` (researchers' decisions).
Every file is read once per process and validated as a whole: a problem is a ``MappingError``
naming the file, the line and the fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from .. import paths
from ..errors import MappingError

if TYPE_CHECKING:
    import pandas as pd

USERDICT = "text_userdict.txt"
STOPWORDS = "text_stopwords.txt"
INSTRUMENTS = "instruments.csv"
RULES = "instrument_rules.csv"
OVERRIDES = "instrument_overrides.csv"

COLUMNS: dict[str, tuple[str, ...]] = {
    INSTRUMENTS: ("instrument_id", "type", "label_zh", "label_en", "definition"),
    RULES: ("rule_id", "instrument_id", "pattern", "note"),
    OVERRIDES: ("district_id", "item_key", "sentence", "instruments", "reason"),
}
#: Rothwell and Zegveld's three instrument types, in display order.
TYPES = ("supply", "environment", "demand")
#: In the overrides file: a sentence that no instrument fits.
NO_INSTRUMENT = "-"
_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")


def _lines(name: str) -> list[tuple[int, str]]:
    """Non-comment, non-blank lines of a word list as (line number, text)."""
    path = paths.reference_file(name)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise MappingError(f"cannot read the word list ({exc})", path=str(path),
                           fix="restore the file from git") from None
    out = []
    for no, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if line:
            out.append((no, line))
    return out


@cache
def user_terms() -> tuple[tuple[str, int | None], ...]:
    """The segmenter's user dictionary: (term, frequency or None) in file order.

    Raises
    ------
    MappingError
        A line with more than a term and a frequency, or a frequency that is not a number.
    """
    out, problems = [], []
    for no, line in _lines(USERDICT):
        parts = line.split()
        if len(parts) > 2 or (len(parts) == 2 and not parts[1].isdigit()):
            problems.append(f"line {no}: `{line}` is not `term` or `term<TAB>frequency`")
            continue
        out.append((parts[0], int(parts[1]) if len(parts) == 2 else None))
    _fail(USERDICT, problems, "one term per line, optionally a tab and a whole number")
    return tuple(out)


@cache
def stopwords() -> frozenset[str]:
    """The boilerplate stop list (one word per line)."""
    words = [line for _no, line in _lines(STOPWORDS)]
    bad = [w for w in words if " " in w or "\t" in w]
    _fail(STOPWORDS, [f"`{w}` holds a space" for w in bad], "one word per line")
    return frozenset(words)


def _read(name: str) -> pd.DataFrame:
    import pandas as pd

    path = paths.reference_file(name)
    try:
        frame = pd.read_csv(path, dtype="str", keep_default_na=False, na_values=[],
                            encoding="utf-8")
    except (OSError, ValueError) as exc:
        raise MappingError(f"cannot read the table ({exc})", path=str(path),
                           fix="restore the file from git") from None
    if tuple(frame.columns) != COLUMNS[name]:
        raise MappingError(f"columns are {', '.join(frame.columns)}; expected "
                           f"{', '.join(COLUMNS[name])}", path=str(path),
                           fix="restore the header row")
    return frame


@cache
def _instruments() -> pd.DataFrame:
    frame = _read(INSTRUMENTS)
    ids = frame["instrument_id"]
    problems = [f"line {i}: bad instrument_id `{v}`" for i, v in enumerate(ids, 2)
                if not _ID_RE.match(v)]
    problems += [f"duplicate instrument_id `{v}`" for v in ids[ids.duplicated()]]
    problems += [f"line {i}: type `{t}` not in {', '.join(TYPES)}"
                 for i, t in enumerate(frame["type"], 2) if t not in TYPES]
    _fail(INSTRUMENTS, problems, "fix the codebook rows named above")
    return frame


def instruments() -> pd.DataFrame:
    """The instrument codebook in display order (a copy): instrument_id, type, labels, definition."""
    return _instruments().copy()


def instrument_labels(lang: str = "zh") -> dict[str, str]:
    """``{instrument_id: label}`` in ``lang``."""
    from ..reference import label_column

    frame = _instruments()
    return dict(zip(frame["instrument_id"], frame[label_column(lang)], strict=True))


def instrument_types() -> dict[str, str]:
    """``{instrument_id: type}`` (supply, environment, demand)."""
    frame = _instruments()
    return dict(zip(frame["instrument_id"], frame["type"], strict=True))


@cache
def instrument_rank() -> dict[str, int]:
    """``{instrument_id: position}`` in codebook order (read once: every coded sentence is
    sorted by it; do not modify the returned dict)."""
    return {inst: i for i, inst in enumerate(_instruments()["instrument_id"])}


@dataclass(frozen=True)
class Rule:
    """One coding rule: its id, the instrument it codes and its compiled keywords."""

    rule_id: str
    instrument_id: str
    regex: re.Pattern[str]


@cache
def rules() -> tuple[Rule, ...]:
    """The instrument rules in file order, compiled and validated.

    Raises
    ------
    MappingError
        Unknown instrument, duplicate rule id, a keyword that does not compile (all listed).
    """
    frame = _read(RULES)
    known = set(_instruments()["instrument_id"])
    out, problems = [], []
    seen: set[str] = set()
    for i, (rule_id, inst, pattern, _note) in enumerate(frame.itertuples(index=False), 2):
        if not _ID_RE.match(rule_id) or rule_id in seen:
            problems.append(f"line {i}: rule_id `{rule_id}` is not a new snake_case id")
        seen.add(rule_id)
        if inst not in known:
            problems.append(f"line {i}: unknown instrument_id `{inst}`")
        try:
            regex = re.compile(pattern)
        except re.error as exc:
            problems.append(f"line {i}: pattern does not compile ({exc})")
            continue
        if regex.search(""):
            problems.append(f"line {i}: pattern matches the empty text")
        out.append(Rule(rule_id, inst, regex))
    _fail(RULES, problems, "fix the rule rows named above")
    return tuple(out)


@cache
def _overrides() -> pd.DataFrame:
    frame = _read(OVERRIDES)
    known = set(_instruments()["instrument_id"]) | {NO_INSTRUMENT}
    problems = []
    for i, (_d, _k, sentence, insts, reason) in enumerate(frame.itertuples(index=False), 2):
        if sentence and not sentence.isdigit():
            problems.append(f"line {i}: sentence `{sentence}` is not empty or a number")
        bad = [v for v in insts.split("|") if v not in known]
        if bad:
            problems.append(f"line {i}: unknown instrument(s) {', '.join(bad)} (use ids "
                            f"joined by | or `{NO_INSTRUMENT}` for none)")
        if not reason.strip():
            problems.append(f"line {i}: empty reason")
    keys = frame[["district_id", "item_key", "sentence"]]
    problems += [f"duplicate override for {d} {k} sentence {s or '(all)'}"
                 for d, k, s in keys[keys.duplicated()].itertuples(index=False)]
    _fail(OVERRIDES, problems, "every override needs known instrument ids and a reason")
    return frame


def overrides() -> dict[tuple[str, str, int], tuple[list[str], str]]:
    """Researchers' decisions: (district_id, item_key, sentence or 0 for every sentence) ->
    (instrument ids, reason)."""
    out = {}
    for district, key, sentence, insts, reason in _overrides().itertuples(index=False):
        ids = [] if insts == NO_INSTRUMENT else insts.split("|")
        out[(district, key, int(sentence or 0))] = (ids, reason)
    return out


def _fail(name: str, problems: list[str], fix: str) -> None:
    if problems:
        raise MappingError("; ".join(problems), path=str(paths.reference_file(name)), fix=fix)


def clear_cache() -> None:
    """Forget the loaded files (for tests that patch them)."""
    for fn in (user_terms, stopwords, _instruments, rules, _overrides):
        fn.cache_clear()
