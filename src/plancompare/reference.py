"""The one module that opens the reference tables (crosswalk, codebook, rules, overrides)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from . import paths
from .errors import MappingError
from .parse.text import to_simplified

if TYPE_CHECKING:
    import pandas as pd

#: Markers of the generated codebook table in docs/codebook.md (:func:`codebook_markdown`).
DOC_MARKERS = ("<!-- codebook:start (generated: python tests/regen_codebook_doc.py) -->",
               "<!-- codebook:end -->")
#: Declared columns of each reference table; every column is text except the rule weight.
COLUMNS: dict[str, tuple[str, ...]] = {
    "crosswalk.csv": ("indicator_id", "name_zh", "name_en", "unit", "unit_kinds",
                      "education_level", "scale", "direction", "theme_id", "definition",
                      "aliases", "patterns", "note"),
    "units.csv": ("unit", "kind", "note"),
    "indicator_reviews.csv": ("name_raw", "indicator_id", "decision", "reason"),
    "themes.csv": ("theme_id", "label_zh", "label_en", "definition"),
    "theme_rules.csv": ("theme_id", "weight", "pattern", "applies_to", "note"),
    "theme_overrides.csv": ("district_id", "item_key", "theme_id", "reason"),
    "baseline_words.csv": ("kind", "word", "note"),
}
INT_COLUMNS = {"weight"}
APPLIES_TO = ("name", "body", "both", "broad")
#: Allowed values of the codebook's education_level, scale and direction columns.
EDUCATION_LEVELS = ("preschool", "compulsory", "upper_secondary", "vocational", "higher",
                    "special", "lifelong", "basic", "all")
SCALES = ("rate", "count")
DIRECTIONS = ("up", "down", "")
DECISIONS = ("accepted", "rejected")
#: Kinds of ``baseline_words.csv``: stage words (a measure of kindergartens or of schools) and
#: words of an amount added over the period (``baseline.same_measure``).
BASELINE_WORD_KINDS = ("preschool", "school", "added")
CATCH_ALL = "other"
ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")

_QUOTES_RE = re.compile(r"[“”\"'‘’「」『』]")
_BRACKETS_RE = re.compile(r"\([^()]*\)|（[^（）]*）|\[[^\]]*\]")
_SPACE_RE = re.compile(r"\s+")
# Leading scope words and time phrases that do not change what is measured.
_SCOPE_RE = re.compile(r"^(?:确保|力争|到|至|\d{4}年(?:底|末)?|十[一二三四五六七八九]五(?:时期|期间|以来|期末|末)?"
                       r"|全区|全市|全县|区域|本区|我区|累计|[,，、])+")
# An amount "增加" over a period is the codebook's "新增" (累计增加中职学位 = 新增中职学位).
_ADDED_RE = re.compile(r"^增加(?!到|至)")


def normalise_name(text: str) -> str:
    """Normalise an indicator name for matching.

    NFKC (full-width brackets, digits and signs become half-width), Traditional characters as
    Simplified (``parse.text.to_simplified``), then remove quotes
    (“” ‘’ "" ''), bracketed asides such as units or definitions (``（%）``,
    ``（含民办园在园幼儿）``), whitespace and leading scope and period words
    (全区, 全市, 区域, 确保到2025年, 十三五时期, 累计 ...); a leading 增加 (an amount added)
    reads as the codebook's 新增.

    Parameters
    ----------
    text : str
        A name as printed.

    Returns
    -------
    str
        The matching key, e.g. ``职业教育双师型教师比例`` for ``职业教育“双师型”教师比例（%）``.
    """
    out = to_simplified(unicodedata.normalize("NFKC", text or ""))
    out = _QUOTES_RE.sub("", out)
    previous = None
    while previous != out:  # nested brackets
        previous, out = out, _BRACKETS_RE.sub("", out)
    out = _SPACE_RE.sub("", out)
    return _ADDED_RE.sub("新增", _SCOPE_RE.sub("", out))


def _read(name: str) -> pd.DataFrame:
    import pandas as pd

    path = paths.reference_file(name)
    expected = COLUMNS[name]
    dtypes = {c: ("Int64" if c in INT_COLUMNS else "str") for c in expected}
    try:
        frame = pd.read_csv(path, dtype=dtypes, keep_default_na=False, na_values=[],
                            encoding="utf-8")
    except (OSError, ValueError) as exc:
        raise MappingError(f"cannot read reference table ({exc})", path=str(path),
                           fix="restore the file from git") from None
    if tuple(frame.columns) != expected:
        raise MappingError(f"columns are {', '.join(frame.columns)}; expected "
                           f"{', '.join(expected)}", path=str(path),
                           fix="restore the header row")
    return frame


@cache
def _table(name: str) -> pd.DataFrame:
    frame = _read(name)
    _VALIDATORS[name](frame, str(paths.reference_file(name)))
    return frame


def crosswalk() -> pd.DataFrame:
    """The indicator crosswalk, one row per canonical indicator (a copy; safe to modify).

    Returns
    -------
    DataFrame
        Columns ``COLUMNS["crosswalk.csv"]``, all text; aliases and patterns are
        '|'-separated (docs/codebook.md).
    """
    return _table("crosswalk.csv").copy()


def units() -> pd.DataFrame:
    """The unit table: unit as printed (Simplified), kind, note."""
    return _table("units.csv").copy()


def indicator_reviews() -> pd.DataFrame:
    """Reviewed name -> indicator decisions: name_raw, indicator_id, decision, reason."""
    return _table("indicator_reviews.csv").copy()


@cache
def unit_kinds() -> dict[str, str]:
    """``{unit: kind}`` of the unit table (``%`` -> percent, ``所`` -> count ...)."""
    frame = _table("units.csv")
    return dict(zip(frame["unit"], frame["kind"], strict=True))


def unit_kind(unit: str | None) -> str | None:
    """The kind of a printed unit (Traditional forms too), or None when unknown or empty."""
    if not isinstance(unit, str) or not unit:
        return None
    return unit_kinds().get(to_simplified(unicodedata.normalize("NFKC", unit)))


@cache
def indicator_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Every codebook pattern compiled, as (regex, indicator_id), in codebook order."""
    frame = _table("crosswalk.csv")
    return tuple((re.compile(alt), ind) for ind, pattern in
                 frame[["indicator_id", "patterns"]].itertuples(index=False)
                 for alt in split_patterns(pattern))


def codebook_markdown() -> str:
    """The codebook as a markdown table: one row per indicator with its aliases and reasons.

    docs/codebook.md holds this text between :data:`DOC_MARKERS`; a test checks it is current.
    """
    header = ("| indicator_id | name_zh / name_en | unit | level | scale | aliases | patterns "
              "| why these aliases |")
    lines = [header, "|---|---|---|---|---|---|---|---|"]
    for row in _table("crosswalk.csv").to_dict("records"):
        cells = [f"`{row['indicator_id']}`", f"{row['name_zh']} / {row['name_en']}",
                 row["unit"], row["education_level"],
                 row["scale"] + (f", {row['direction']}" if row["direction"] else ""),
                 "; ".join(row["aliases"].split("|")),
                 "; ".join(f"`{p}`" for p in split_patterns(row["patterns"])),
                 row["note"] or row["definition"]]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"


def split_patterns(text: str) -> list[str]:
    """Split a patterns cell at its top-level ``|`` (alternatives inside brackets stay whole).

    >>> split_patterns("学前.{0,4}入园率|就近入学(率|比例)")
    ['学前.{0,4}入园率', '就近入学(率|比例)']
    """
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([" and (i == 0 or text[i - 1] != "\\"):
            depth += 1
        elif ch in ")]" and (i == 0 or text[i - 1] != "\\"):
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(text[start:i])
            start = i + 1
    out.append(text[start:])
    return [alt for alt in out if alt]


@cache
def accepted_kinds() -> dict[str, frozenset[str]]:
    """``{indicator_id: unit kinds its values may carry}`` (the codebook's unit_kinds)."""
    frame = _table("crosswalk.csv")
    return {ind: frozenset(kinds.split("|")) for ind, kinds in
            frame[["indicator_id", "unit_kinds"]].itertuples(index=False)}


@cache
def review_index() -> dict[str, tuple[tuple[str, str, str], ...]]:
    """``{normalised name: ((indicator_id, decision, reason), ...)}`` of the review file."""
    out: dict[str, list[tuple[str, str, str]]] = {}
    for name, ind, decision, reason in _table("indicator_reviews.csv").itertuples(index=False):
        out.setdefault(normalise_name(name), []).append((ind, decision, reason))
    return {k: tuple(v) for k, v in out.items()}


@cache
def baseline_words() -> dict[str, tuple[str, ...]]:
    """``{kind: words}`` of ``baseline_words.csv`` (preschool, school, added)."""
    frame = _table("baseline_words.csv")
    return {kind: tuple(frame.loc[frame["kind"].eq(kind), "word"])
            for kind in BASELINE_WORD_KINDS}


def themes() -> pd.DataFrame:
    """The theme codebook in codebook order: theme_id, label_zh, label_en, definition."""
    return _table("themes.csv").copy()


def theme_rules() -> pd.DataFrame:
    """The theming rules: theme_id, weight (int), pattern (regex), applies_to, note."""
    return _table("theme_rules.csv").copy()


def theme_overrides() -> pd.DataFrame:
    """Reviewed overrides: district_id, item_key, theme_id, reason."""
    return _table("theme_overrides.csv").copy()


@cache
def raw_name_index() -> dict[str, str]:
    """Map each normalised raw name of the crosswalk to its indicator_id."""
    index: dict[str, str] = {}
    for ind, names in _table("crosswalk.csv")[["indicator_id", "aliases"]].itertuples(
            index=False):
        for raw in filter(None, names.split("|")):
            index[normalise_name(raw)] = ind
    return index


def theme_labels(lang: str = "zh") -> dict[str, str]:
    """``{theme_id: label}`` in the language ``lang`` ("zh" or "en")."""
    frame = _table("themes.csv")
    return dict(zip(frame["theme_id"], frame[label_column(lang)], strict=True))


def indicator_names(lang: str = "zh") -> dict[str, str]:
    """``{indicator_id: name}`` in the language ``lang`` ("zh" or "en")."""
    frame = _table("crosswalk.csv")
    return dict(zip(frame["indicator_id"], frame[f"name_{_lang(lang)}"], strict=True))


def label_column(lang: str) -> str:
    """The label column of the codebook for ``lang``."""
    return f"label_{_lang(lang)}"


def _lang(lang: str) -> str:
    if lang not in ("zh", "en"):
        from .errors import ParameterError

        raise ParameterError(f"Unknown language `{lang}` in `lang`; known: en, zh")
    return lang


@dataclass(frozen=True)
class RuleSet:
    """The keywords of the rules that apply to one kind of text, as one regex.

    The regex is a plain alternation (no capture groups: ten times faster than named groups);
    :meth:`which` tells which rule a matched keyword belongs to, in rule order.
    """

    regex: re.Pattern[str]
    alternatives: tuple[tuple[re.Pattern[str], str, int], ...]   # (keyword, theme_id, weight)
    memo: dict[str, tuple[str, int]] = field(default_factory=dict, compare=False, repr=False)

    def scan(self, text: str) -> list[tuple[str, int, str, int]]:
        """Every keyword hit in ``text`` as (theme_id, weight, keyword, position)."""
        return [(*self.which(m.group()), m.group(), m.start()) for m in self.regex.finditer(text)]

    def which(self, word: str) -> tuple[str, int]:
        """(theme_id, weight) of the first rule whose keyword matches ``word``."""
        found = self.memo.get(word)
        if found is None:
            found = self.memo[word] = next((theme, weight) for alt, theme, weight
                                           in self.alternatives if alt.fullmatch(word))
        return found


@dataclass(frozen=True)
class CompiledRules:
    """The theming rules for headings (name), bodies and bundle ('broad') headings."""

    name: RuleSet
    body: RuleSet
    broad: RuleSet


@cache
def compiled_rules() -> CompiledRules:
    """Compile the rules: higher weights first, so a longer specific keyword wins a tie."""
    rules = _table("theme_rules.csv").sort_values("weight", ascending=False, kind="stable")
    alts: dict[str, list[tuple[str, str, int]]] = {"name": [], "body": [], "broad": []}
    for theme, weight, pattern, applies in rules[
            ["theme_id", "weight", "pattern", "applies_to"]].itertuples(index=False):
        for target in (("name", "body") if applies == "both" else (applies,)):
            alts[target] += [(alt, theme, int(weight)) for alt in pattern.split("|")]
    return CompiledRules(*(_rule_set(alts[k]) for k in ("name", "body", "broad")))


def _rule_set(alts: list[tuple[str, str, int]]) -> RuleSet:
    regex = re.compile("|".join(a for a, _, _ in alts) or r"(?!x)x")
    return RuleSet(regex, tuple((re.compile(a), t, w) for a, t, w in alts))


def clear_cache() -> None:
    """Forget the loaded tables (for tests that patch the reference files)."""
    from . import mapping

    for fn in (_table, raw_name_index, compiled_rules, unit_kinds, indicator_patterns,
               accepted_kinds, review_index):
        fn.cache_clear()
    mapping.clear_cache()


# --- validation -------------------------------------------------------------------------------

def _fail(path: str, problems: list[str], fix: str) -> None:
    if problems:
        raise MappingError("; ".join(problems), path=path, fix=fix)


def _theme_ids() -> set[str]:
    return set(_table("themes.csv")["theme_id"])


def _check_themes(frame: pd.DataFrame, path: str) -> None:
    ids = frame["theme_id"]
    problems = [f"bad theme_id `{t}` (use ascii snake_case)" for t in ids if not ID_RE.match(t)]
    problems += [f"duplicate theme_id `{t}`" for t in ids[ids.duplicated()]]
    problems += [f"theme `{t}` has no label or definition" for t, *rest in
                 frame.itertuples(index=False) if not all(rest)]
    if CATCH_ALL not in set(ids):
        problems.append(f"the catch-all theme `{CATCH_ALL}` is missing")
    _fail(path, problems, "fix the codebook rows named above")


def _check_crosswalk(frame: pd.DataFrame, path: str) -> None:
    known = _theme_ids()
    ids = frame["indicator_id"]
    problems = [f"bad indicator_id `{i}` (use ascii snake_case)" for i in ids
                if not ID_RE.match(i)]
    problems += [f"duplicate indicator_id `{i}`" for i in ids[ids.duplicated()]]
    problems += [f"unknown theme_id `{t}` for `{i}`" for i, t in
                 zip(ids, frame["theme_id"], strict=True) if t not in known]
    seen: dict[str, str] = {}
    for ind, names in zip(ids, frame["aliases"], strict=True):
        for raw in filter(None, names.split("|")):
            key = normalise_name(raw)
            if seen.get(key, ind) != ind:
                problems.append(f"alias `{raw}` is claimed by `{seen[key]}` and `{ind}`")
            seen[key] = ind
    problems += _codebook_values(frame)
    _fail(path, problems, "each alias belongs to exactly one indicator_id; columns take the "
                          "values listed in docs/codebook.md")


def _codebook_values(frame: pd.DataFrame) -> list[str]:
    """Problems with the controlled columns, unit kinds and patterns of the codebook."""
    kinds = set(_table("units.csv")["kind"])
    allowed = {"education_level": EDUCATION_LEVELS, "scale": SCALES, "direction": DIRECTIONS}
    problems = []
    for row in frame.to_dict("records"):
        ind = row["indicator_id"]
        problems += [f"`{ind}`: {col} `{row[col]}` not in {', '.join(v for v in values if v)}"
                     for col, values in allowed.items() if row[col] not in values]
        problems += [f"`{ind}`: unknown unit kind `{k}`" for k in row["unit_kinds"].split("|")
                     if k not in kinds]
        if unit_kind_of(row["unit"]) not in row["unit_kinds"].split("|"):
            problems.append(f"`{ind}`: unit `{row['unit']}` is not of a kind in unit_kinds")
        if not (row["name_zh"] and row["name_en"] and row["definition"] and row["aliases"]):
            problems.append(f"`{ind}`: name_zh, name_en, definition and aliases are required")
        for alt in split_patterns(row["patterns"]):
            try:
                re.compile(alt)
            except re.error as exc:
                problems.append(f"`{ind}`: bad pattern `{alt}` ({exc})")
    return problems


def unit_kind_of(unit: str) -> str | None:
    """Kind of a unit from the unit table as read (no cache; used while validating)."""
    frame = _table("units.csv")
    return dict(zip(frame["unit"], frame["kind"], strict=True)).get(unit)


def _check_units(frame: pd.DataFrame, path: str) -> None:
    units_ = frame["unit"]
    problems = [f"duplicate unit `{u}`" for u in units_[units_.duplicated()]]
    problems += [f"unit `{u}` has no kind" for u, k in zip(units_, frame["kind"], strict=True)
                 if not ID_RE.match(k)]
    _fail(path, problems, "one row per unit, with an ascii kind")


def _check_baseline_words(frame: pd.DataFrame, path: str) -> None:
    problems = [f"line {i}: kind `{k}` not in {', '.join(BASELINE_WORD_KINDS)}"
                for i, k in enumerate(frame["kind"], start=2) if k not in BASELINE_WORD_KINDS]
    problems += [f"line {i}: empty word" for i, w in enumerate(frame["word"], start=2)
                 if not w.strip()]
    _fail(path, problems, f"one row per word, kind one of {', '.join(BASELINE_WORD_KINDS)}")


def _check_reviews(frame: pd.DataFrame, path: str) -> None:
    known = set(_table("crosswalk.csv")["indicator_id"])
    problems = []
    for i, (name, ind, decision, reason) in enumerate(frame.itertuples(index=False), start=2):
        if decision not in DECISIONS:
            problems.append(f"line {i}: decision `{decision}` not in {', '.join(DECISIONS)}")
        if ind not in known:
            problems.append(f"line {i}: unknown indicator_id `{ind}` for `{name}`")
        if not name.strip() or not reason.strip():
            problems.append(f"line {i}: name_raw and reason are required")
    keys = frame[["name_raw", "indicator_id"]]
    problems += [f"`{n}` -> `{i}` is reviewed twice" for n, i in
                 keys[keys.duplicated()].itertuples(index=False)]
    _fail(path, problems, "each review names a codebook indicator_id, accepted or rejected, "
                          "and why")


def _check_rules(frame: pd.DataFrame, path: str) -> None:
    known = _theme_ids()
    problems = []
    for i, (theme, weight, pattern, applies, _note) in enumerate(
            frame.itertuples(index=False), start=2):
        if applies not in APPLIES_TO:
            problems.append(f"line {i}: applies_to `{applies}` not in {', '.join(APPLIES_TO)}")
        if applies != "broad" and theme not in known:
            problems.append(f"line {i}: unknown theme_id `{theme}`")
        if not 0 <= int(weight) <= 9:
            problems.append(f"line {i}: weight {weight} outside 0..9")
        for alt in pattern.split("|"):
            try:
                re.compile(alt)
            except re.error as exc:
                problems.append(f"line {i}: bad keyword `{alt}` in `{pattern}` ({exc}); "
                                "patterns are keywords joined by top-level |")
    _fail(path, problems, "fix the rule rows named above")


def _check_overrides(frame: pd.DataFrame, path: str) -> None:
    known = _theme_ids()
    problems = [f"line {i}: unknown theme_id `{t}`" for i, t in
                enumerate(frame["theme_id"], start=2) if t not in known]
    problems += [f"line {i}: empty reason" for i, r in enumerate(frame["reason"], start=2)
                 if not r.strip()]
    keys = frame[["district_id", "item_key"]]
    problems += [f"duplicate override for {d} {k}" for d, k in
                 keys[keys.duplicated()].itertuples(index=False)]
    _fail(path, problems, "every override needs a known theme_id and a reason")


_VALIDATORS = {
    "crosswalk.csv": _check_crosswalk,
    "themes.csv": _check_themes,
    "theme_rules.csv": _check_rules,
    "theme_overrides.csv": _check_overrides,
    "units.csv": _check_units,
    "indicator_reviews.csv": _check_reviews,
    "baseline_words.csv": _check_baseline_words,
}
