"""Is a district's bar above, at or below its city's (its parent plan's) and its own baseline?

A target is read as a *bar*: a value with a comparator (``>90``, ``≥90``, ``90``, ``<=45``), a
range (``2-4``) or an approximate value (``90左右``). Two bars compare as follows (documented in
docs/codebook.md, section 4):

1. Lower bounds (``>``, ``>=``) and points (``=``, approximate) compare by value; at the same
   value ``>v`` is above ``>=v``, and ``>=v``, ``=v`` and ``≈v`` are the same bar (达到90% and
   保持在90%以上 both commit to at least 90). Upper bounds (``<``, ``<=``) compare by value;
   at the same value ``<v`` is below ``<=v``.
2. A range [lo, hi] against a value or range: higher when its lowest value is above the other's
   highest, lower when its highest is below the other's lowest, the same when both ends agree,
   else ``overlap``.
3. ``not comparable``: a lower bound against an upper bound (``>=90`` vs ``<=95``), different
   units or unit kinds (``个`` vs ``万个`` are not rescaled), a per-period rate against a level
   (每年降低1个百分点 vs 5%), and - for the parent - a count indicator (codebook scale
   ``count``: a district's total against its city's total).
4. ``only district`` / ``only parent``: one of the two sets no target for the indicator.

Verdicts are about the number; the codebook's ``direction`` (``down``: lower is better, e.g.
myopia) is carried in the ``direction`` column so a reader can tell a higher bar from a higher
number.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from . import analysis, reference

HIGHER, SAME, LOWER, OVERLAP = "higher", "same", "lower", "overlap"
NOT_COMPARABLE, ONLY_DISTRICT, ONLY_PARENT = "not comparable", "only district", "only parent"
VERDICTS = (HIGHER, SAME, LOWER, OVERLAP, NOT_COMPARABLE, ONLY_DISTRICT, ONLY_PARENT)
#: Tie-break at an equal value: a strict bound is a hair beyond the inclusive one.
_STRICT = {">": 1, "<": -1}
PARENT_COLUMNS = (
    "indicator_id", "indicator_name", "district_id", "district_name", "parent_id",
    "parent_name", "value_text", "comparator", "value", "value_high", "unit", "quote",
    "source_file", "line", "parent_value_text", "parent_comparator", "parent_value",
    "parent_value_high", "parent_unit", "parent_quote", "parent_file", "parent_line",
    "vs_parent", "baseline_text", "baseline_source", "baseline_quote", "vs_baseline",
    "direction", "scale",
)


@dataclass(frozen=True)
class Bar:
    """A target read as a bar: comparator, value, optional upper end, unit, period."""

    comparator: str
    value: float
    value_high: float | None = None
    unit: str | None = None
    rate_period: str | None = None

    @classmethod
    def of(cls, row: dict, prefix: str = "") -> Bar | None:
        """The bar of a row (``prefix`` "parent_" or "baseline_" for those columns), or None."""
        value = row.get(f"{prefix}value")
        if value is None or pd.isna(value):
            return None
        high = row.get(f"{prefix}value_high")
        comparator = row.get(f"{prefix}comparator")
        return cls(comparator if isinstance(comparator, str) else "=", float(value),
                   None if high is None or pd.isna(high) else float(high),
                   _text(row.get(f"{prefix}unit")), _text(row.get(f"{prefix}rate_period")))


def compare(a: Bar | None, b: Bar | None) -> str:
    """Where bar ``a`` stands against bar ``b``: one of :data:`VERDICTS`.

    Parameters
    ----------
    a, b : Bar or None
        The district's bar and the one it is set against (None: not set).

    Returns
    -------
    str
        ``higher``, ``same``, ``lower``, ``overlap``, ``not comparable``, ``only district``
        (``b`` is None) or ``only parent`` (``a`` is None).
    """
    if a is None or b is None:
        return ONLY_PARENT if a is None and b is not None else ONLY_DISTRICT
    if not _same_measure(a, b):
        return NOT_COMPARABLE
    if a.value_high is not None or b.value_high is not None:
        return _compare_ranges(a, b)
    if {_side(a), _side(b)} == {"lower", "upper"}:
        return NOT_COMPARABLE
    upper = a.comparator in ("<", "<=") or b.comparator in ("<", "<=")
    key_a = (a.value, _STRICT.get(a.comparator, 0) if upper or a.comparator == ">" else 0)
    key_b = (b.value, _STRICT.get(b.comparator, 0) if upper or b.comparator == ">" else 0)
    return HIGHER if key_a > key_b else LOWER if key_a < key_b else SAME


def _side(bar: Bar) -> str:
    """``lower`` for a floor (>, >=), ``upper`` for a ceiling (<, <=), ``point`` for =."""
    return "lower" if bar.comparator in (">", ">=") else (
        "upper" if bar.comparator in ("<", "<=") else "point")


def _same_measure(a: Bar, b: Bar) -> bool:
    units_agree = (a.unit == b.unit or a.unit is None or b.unit is None)
    return units_agree and (a.rate_period or None) == (b.rate_period or None)


def _compare_ranges(a: Bar, b: Bar) -> str:
    a_lo, a_hi = a.value, a.value_high if a.value_high is not None else a.value
    b_lo, b_hi = b.value, b.value_high if b.value_high is not None else b.value
    if a_lo > b_hi:
        return HIGHER
    if a_hi < b_lo:
        return LOWER
    return SAME if math.isclose(a_lo, b_lo) and math.isclose(a_hi, b_hi) else OVERLAP


def parent_comparison(frame: pd.DataFrame, *, districts: Iterable[str] | None = None,
                      indicators: Iterable[str] | None = None,
                      lang: str = "zh") -> pd.DataFrame:
    """Each district's target against its parent plan's target and its own baseline.

    One row per (indicator, district with a parent) where the district or its parent sets a
    target; districts without a parent in the manifest are left out. Indicators default to
    every indicator the districts or their parents set, in codebook order. The parent's value,
    quote, file and line come from the parent's own document.

    Parameters
    ----------
    frame : DataFrame
        The long-format dataset.
    districts, indicators : list of str, optional
        Ids to show (default: every district with a parent; every indicator set).
    lang : {"zh", "en"}
        Language of the names.

    Returns
    -------
    DataFrame
        Columns ``PARENT_COLUMNS``; ``vs_parent`` and ``vs_baseline`` are :data:`VERDICTS`
        (``vs_baseline`` empty when the target has no baseline).
    """
    chosen = analysis.check_districts(frame, districts)
    ups = analysis.parents(frame)
    chosen = [d for d in chosen if d in ups]
    tops = sorted({ups[d] for d in chosen})
    inds = _indicators(frame, chosen + tops, indicators)
    own = analysis.comparison_table(frame, districts=chosen, indicators=inds, lang=lang) \
        if chosen and inds else pd.DataFrame(columns=list(analysis.COMPARISON_COLUMNS))
    top = {(r["indicator_id"], r["district_id"]): r for r in
           analysis.best_targets(frame, tops).to_dict("records")}
    names = analysis.district_names(frame, lang)
    book = reference.crosswalk().set_index("indicator_id")
    rows = [_parent_row(r, ups[r["district_id"]], top, names, book)
            for r in own.to_dict("records")]
    rows = [r for r in rows if r["vs_parent"] != NOT_SET_BOTH]
    out = pd.DataFrame(rows, columns=list(PARENT_COLUMNS))
    return out.astype({"line": "Int64", "parent_line": "Int64", "value": "float64",
                       "value_high": "float64", "parent_value": "float64",
                       "parent_value_high": "float64"})


NOT_SET_BOTH = "neither"


def _parent_row(row: dict, parent: str, top: dict, names: dict, book: pd.DataFrame) -> dict:
    up = top.get((row["indicator_id"], parent))
    out = {c: row.get(c) for c in PARENT_COLUMNS if c in row}
    out.update(parent_id=parent, parent_name=names.get(parent, parent),
               direction=book.at[row["indicator_id"], "direction"] or None,
               scale=book.at[row["indicator_id"], "scale"])
    if up is not None:
        out.update(parent_value_text=up["value_text"], parent_comparator=up["comparator"],
                   parent_value=up["value"], parent_value_high=up["value_high"],
                   parent_unit=up["unit"], parent_quote=up["quote"],
                   parent_file=up["source_file"], parent_line=up["line"])
    mine = Bar.of(row)
    theirs = Bar.of(up) if up is not None else None
    if mine is None and theirs is None:
        out["vs_parent"] = NOT_SET_BOTH
    elif mine is not None and theirs is not None and out["scale"] == "count":
        out["vs_parent"] = NOT_COMPARABLE
    else:
        out["vs_parent"] = compare(mine, theirs)
    base = Bar.of({"value": row.get("baseline_value"), "comparator": "=",
                   "unit": row.get("unit")})
    out["vs_baseline"] = compare(mine, base) if mine is not None and base is not None else None
    return out


def above_below(frame: pd.DataFrame, district: str, *, lang: str = "zh") -> pd.DataFrame:
    """Where ``district`` sets its bar above or below its parent's (the profile's list).

    Returns
    -------
    DataFrame
        The rows of :func:`parent_comparison` for ``district`` whose ``vs_parent`` is higher,
        lower or overlap (higher first), columns as there.
    """
    got = parent_comparison(frame, districts=[district], lang=lang)
    order = {HIGHER: 0, LOWER: 1, OVERLAP: 2}
    keep = got[got["vs_parent"].isin(order)]
    return keep.sort_values("vs_parent", key=lambda s: s.map(order), kind="stable") \
        .reset_index(drop=True)


def _indicators(frame: pd.DataFrame, ids: list[str],
                indicators: Iterable[str] | None) -> list[str]:
    order = list(reference.crosswalk()["indicator_id"])
    if indicators is not None:
        return analysis.check_indicators(frame, indicators, ids)
    present = set(analysis.target_rows(frame, ids)["indicator_id"].dropna())
    return [i for i in order if i in present]


def _text(value) -> str | None:
    return value if isinstance(value, str) and value else None
