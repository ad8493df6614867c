"""Library functions the notebooks call; each takes the long-format frame first, never modifies it."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pandas as pd

from . import baseline, paths, reference
from .errors import ParameterError, PlanCompareError

NOT_SET = "not set"
#: Manifest levels whose plans are references (never shown as a district).
REFERENCE_LEVELS = ("national", "province", "city")
#: Preference of sources when a district states an indicator more than once.
SOURCE_RANK = {"table": 0, "text": 1}
COMPARISON_COLUMNS = (
    "indicator_id", "district_id", "indicator_name", "district_name", "value_text", "comparator",
    "value", "value_high", "unit", "year", "source", "baseline_text", "baseline_value",
    "baseline_year", "quote", "source_file", "line", "baseline_source", "baseline_quote",
    "baseline_file", "baseline_line", "rate_period", "approximate", "locator", "line_end",
)
#: A plan's base year is this many years before its target year (2025 -> 2020): an `achieved`
#: value of that year is the baseline of a target whose table prints none.
BASE_YEAR_OFFSET = 5
COMPARISON_DTYPES = {
    "indicator_id": "str", "district_id": "str", "indicator_name": "str", "district_name": "str",
    "value_text": "str", "comparator": "str", "value": "float64", "value_high": "float64",
    "unit": "str", "year": "Int64", "source": "str", "baseline_text": "str",
    "baseline_value": "float64", "baseline_year": "Int64", "quote": "str", "source_file": "str",
    "line": "Int64", "baseline_source": "str", "baseline_quote": "str", "baseline_file": "str",
    "baseline_line": "Int64", "rate_period": "str", "approximate": "boolean", "locator": "str",
    "line_end": "Int64",
}
EMPHASIS_COLUMNS = ("district_id", "theme_id", "theme_label", "text_share", "n_items",
                    "n_targets")
UNMAPPED_COLUMNS = ("district_id", "name_raw", "source", "role", "value_text", "unit", "year",
                    "theme_id", "source_file", "line", "quote", "indicator_rule",
                    "indicator_score")


def load_curated(root: Path | None = None) -> pd.DataFrame:
    """Load ``data/curated/plan_items.parquet``, the one call a notebook makes for data.

    Parameters
    ----------
    root : Path, optional
        Project root (default: :func:`paths.project_root`).

    Returns
    -------
    DataFrame
        The harmonised long-format dataset (``model.ALL_COLUMNS``).
    """
    path = paths.curated_file("parquet", root)
    if not path.is_file():
        raise PlanCompareError("no curated data (plan_items.parquet)", path=str(path),
                             fix="run `plancompare build` first")
    return pd.read_parquet(path)


def check_districts(frame: pd.DataFrame, districts: str | Iterable[str] | None, *,
                    param: str = "districts") -> list[str]:
    """Validate a ``districts`` parameter against the districts in ``frame``.

    Parameters
    ----------
    frame : DataFrame
        The long-format dataset.
    districts : str, list of str or None
        District ids; None means every district, in the order of the frame.
    param : str
        The parameter's name, for the error message (``"districts"`` or ``"district"``).

    Returns
    -------
    list of str
        The district ids, duplicates removed, in the order given.

    Raises
    ------
    ParameterError
        Naming the unknown id and the known ones.
    """
    refs = reference_plans(frame)
    known = [d for d in dict.fromkeys(frame["district_id"]) if d not in refs]
    if districts is None:
        return known
    wanted = [districts] if isinstance(districts, str) else list(dict.fromkeys(districts))
    if not wanted:
        raise ParameterError(f"`{param}` is empty; known ids: " + ", ".join(sorted(known)))
    empty = [d for d in wanted if d not in known and d in _manifest_ids()]
    for district in wanted:
        if district in refs:
            raise ParameterError(
                f"`{district}` in `{param}` is a reference plan ({refs[district]}), not a "
                "district: it is compared against in `parent_comparison`; known district ids: "
                + ", ".join(sorted(known)))
        if district not in known and district not in empty:
            raise ParameterError(f"Unknown district `{district}` in `{param}`; known ids: "
                                 + ", ".join(sorted(known)))
    if empty:
        _no_rows(empty, param, rest=[d for d in wanted if d not in empty])
    return [d for d in wanted if d not in empty]


def _manifest_ids() -> set[str]:
    """District ids registered in the project's manifest (empty when it cannot be read)."""
    from . import manifest

    try:
        return {d.id for d in manifest.load(verify=False).districts}
    except PlanCompareError:
        return set()


def _no_rows(empty: list[str], param: str, rest: list[str]) -> None:
    """A registered district without any row: left out with a warning, or (when nothing else
    is asked for) an error that says so instead of calling it unknown."""
    import warnings

    names = ", ".join(f"`{d}`" for d in empty)
    why = ("in the manifest, but its documents yielded no rows (the build warned which file); "
           "check it with `plancompare extract data/raw/FILE`")
    if not rest:
        raise ParameterError(f"No data for district {names}: "
                             f"{'it is' if len(empty) == 1 else 'they are'} {why}")
    warnings.warn(f"left out of `{param}`: district {names} is {why}", stacklevel=3)


def reference_plans(frame: pd.DataFrame) -> dict[str, str]:
    """``{district_id: level}`` of the reference plans in ``frame`` (city, province, national).

    Reference plans are parsed like any other (their rows are in the data) but are never listed
    as a district: :func:`check_districts` leaves them out of every default list and refuses
    them by name. A frame without the ``jurisdiction_level`` column has none.
    """
    if "jurisdiction_level" not in frame:
        return {}
    levels = frame.drop_duplicates("district_id").set_index("district_id")["jurisdiction_level"]
    return {d: str(lv) for d, lv in levels.items()
            if isinstance(lv, str) and lv in REFERENCE_LEVELS}


def parents(frame: pd.DataFrame) -> dict[str, str]:
    """``{district_id: parent district_id}`` for districts whose manifest names a parent."""
    if "jurisdiction_parent" not in frame:
        return {}
    pairs = frame.drop_duplicates("district_id").set_index("district_id")["jurisdiction_parent"]
    return {d: str(p) for d, p in pairs.items() if isinstance(p, str) and p}


def check_indicators(frame: pd.DataFrame, indicators: str | Iterable[str] | None,
                     districts: list[str]) -> list[str]:
    """Validate an ``indicators`` parameter; None means every indicator the districts state.

    Raises
    ------
    ParameterError
        Naming the unknown id and the known ones (the crosswalk).
    """
    order = list(reference.crosswalk()["indicator_id"])
    if indicators is None:
        present = set(target_rows(frame, districts)["indicator_id"].dropna())
        return [i for i in order if i in present]
    wanted = [indicators] if isinstance(indicators, str) else list(dict.fromkeys(indicators))
    for ind in wanted:
        if ind not in order:
            raise ParameterError(f"Unknown indicator `{ind}` in `indicators`; known ids: "
                                 + ", ".join(sorted(order)))
    return wanted


def default_indicators(frame: pd.DataFrame, districts: Iterable[str] | None, *,
                       min_districts: int = 2) -> list[str]:
    """Indicators with a target in at least ``min_districts`` of ``districts``.

    Parameters
    ----------
    frame : DataFrame
        The long-format dataset.
    districts : list of str or None
        District ids (None: all).
    min_districts : int
        How many of the districts must state a target.

    Returns
    -------
    list of str
        indicator_ids in crosswalk order.
    """
    chosen = check_districts(frame, districts)
    targets = target_rows(frame, chosen)
    counts = targets.groupby("indicator_id")["district_id"].nunique()
    keep = set(counts[counts >= min_districts].index)
    return [i for i in reference.crosswalk()["indicator_id"] if i in keep]


def coverage_matrix(frame: pd.DataFrame, *, districts: Iterable[str] | None = None,
                    indicators: Iterable[str] | None = None) -> pd.DataFrame:
    """Which district states which indicator's target, and where.

    Returns
    -------
    DataFrame
        Index indicator_id, one column per district; cells "table" (an indicator table row),
        "text" (running text only) or "not set".
    """
    chosen = check_districts(frame, districts)
    inds = check_indicators(frame, indicators, chosen)
    best = best_targets(frame, chosen)
    cells = {(r.indicator_id, r.district_id): r.source for r in best.itertuples()}
    data = {d: [cells.get((i, d), NOT_SET) for i in inds] for d in chosen}
    out = pd.DataFrame(data, index=pd.Index(inds, name="indicator_id"), columns=chosen)
    out.columns.name = "district_id"
    return out


def comparison_table(frame: pd.DataFrame, *, districts: Iterable[str] | None = None,
                     indicators: Iterable[str] | None = None, lang: str = "zh") -> pd.DataFrame:
    """One row per (indicator, district): the target as printed, its baseline and evidence.

    A table row is preferred over running text when a district states both (then the earliest
    line). Districts that set no target are present with empty values and source None.
    The baseline is the table's baseline of the chosen row (``baseline_source`` "table"); when
    the table prints none, the district's first ``achieved`` value of the same indicator in the
    plan's base year (target year - ``BASE_YEAR_OFFSET``, i.e. 2020 for 2025) with a unit of the
    same kind (``baseline_source`` "text"); ``baseline_quote``, ``baseline_file`` and
    ``baseline_line`` give its evidence either way.

    Parameters
    ----------
    frame : DataFrame
        The long-format dataset.
    districts, indicators : list of str, optional
        Ids to show (default: all districts; every indicator they state).
    lang : {"zh", "en"}
        Language of indicator_name and district_name.

    Returns
    -------
    DataFrame
        Columns ``COMPARISON_COLUMNS``.
    """
    names = reference.indicator_names(lang)
    chosen = check_districts(frame, districts)
    inds = check_indicators(frame, indicators, chosen)
    best = {(r["indicator_id"], r["district_id"]): r
            for r in best_targets(frame, chosen).to_dict("records")}
    base = _baselines(frame, chosen)
    label = district_names(frame, lang)
    rows = []
    for ind in inds:
        for district in chosen:
            hit = best.get((ind, district))
            rows.append(comparison_row(ind, district, hit, base, names[ind], label[district]))
    out = pd.DataFrame(rows, columns=list(COMPARISON_COLUMNS))
    return out.astype(COMPARISON_DTYPES)


def statement_baselines(frame: pd.DataFrame, districts: list[str], lang: str = "zh"
                        ) -> pd.DataFrame:
    """Every target statement of ``districts`` (each table row and each text sentence) with
    the baseline :func:`comparison_table` would give it, in file and line order.

    A plan often states one target twice, in its indicator table and in its goals text; both
    statements get the table's baseline of that row or, failing it, the review's 2020 value.

    Returns
    -------
    DataFrame
        Columns ``COMPARISON_COLUMNS``, one row per target row with a canonical indicator.
    """
    names = reference.indicator_names(lang)
    label = district_names(frame, lang)
    base = _baselines(frame, districts)
    targets = target_rows(frame, districts).sort_values(["district_id", "source_file", "line"],
                                                        kind="stable")
    rows = [comparison_row(r["indicator_id"], r["district_id"], r, base,
                           names[r["indicator_id"]], label[r["district_id"]])
            for r in targets.to_dict("records")]
    return pd.DataFrame(rows, columns=list(COMPARISON_COLUMNS)).astype(COMPARISON_DTYPES)


def comparison_row(ind: str, district: str, hit: dict | None, base: dict, name: str,
                   district_name: str) -> dict:
    """One row of :func:`comparison_table`: ``hit`` (a target row or None) and its baseline
    from ``base`` (:func:`_baselines`)."""
    row = {"indicator_id": ind, "district_id": district, "indicator_name": name,
           "district_name": district_name}
    if hit is None:
        return row
    row.update({c: hit.get(c) for c in ("value_text", "comparator", "value", "value_high",
                                        "unit", "year", "source", "quote", "source_file",
                                        "line", "rate_period", "approximate", "locator")})
    row["line_end"] = hit.get("line_end")  # the link to the source page covers every line
    b = base.get((ind, district, hit["source"], hit["item_key"]))
    source = "table"
    if b is None:
        b, source = _achieved_baseline(base, ind, district, hit), "text"
    if b is not None:
        row.update(baseline_text=b["value_text"], baseline_value=b["value"],
                   baseline_year=b["year"], baseline_source=source, baseline_quote=b["quote"],
                   baseline_file=b["source_file"], baseline_line=b["line"])
    return row


def _achieved_baseline(base: dict, ind: str, district: str, hit: dict) -> dict | None:
    """The first ``achieved`` row of the district and indicator in the plan's base year (the
    target year minus ``BASE_YEAR_OFFSET``) whose unit is of the same kind as the target's and
    that measures the same thing (``baseline.same_measure``: same stage, added against added)."""
    year = hit["year"]
    if pd.isna(year):
        return None
    kind = reference.unit_kind(hit["unit"])
    scale = _scales().get(ind)
    for row in base.get(("achieved", ind, district, int(year) - BASE_YEAR_OFFSET), []):
        other = reference.unit_kind(row["unit"])
        if (kind is None or other is None or other == kind) and baseline.same_measure(
                hit, row, scale):
            return row
    return None


@cache
def _scales() -> dict[str, str]:
    book = reference.crosswalk()
    return dict(zip(book["indicator_id"], book["scale"], strict=True))


def theme_emphasis(frame: pd.DataFrame, *, districts: Iterable[str] | None = None,
                   lang: str = "zh") -> pd.DataFrame:
    """How much each plan says about each theme.

    ``text_share`` is the theme's share of the district's main-task body text: characters of
    the finest-level tasks (a level-1 task with sub-tasks is not counted, its sub-tasks are),
    attributed by paragraph as the ``theme_text`` column records them - a paragraph opening
    with a lead sentence that the heading rules theme (Tongzhou 2.2's 全面加强学校体育和学生健康
    教育。…) counts for that theme, all other text for the task's ``theme_id``. The shares of a
    district sum to 1. A task row without ``theme_text`` (a frame built before the column
    existed) counts its whole ``body_chars`` for its ``theme_id``.
    ``n_items`` counts those tasks (by primary ``theme_id``) plus projects and task-list
    measures; ``n_targets`` counts quantified targets (one per canonical indicator, plus each
    unmapped text target).

    Returns
    -------
    DataFrame
        One row per (district_id, theme_id) of the codebook, columns ``EMPHASIS_COLUMNS``.
    """
    chosen = check_districts(frame, districts)
    labels = reference.theme_labels(lang)
    sub = frame[frame["district_id"].isin(chosen)]
    leaves = _leaf_tasks(sub)
    chars = _text_chars(leaves)
    totals = chars.groupby(level="district_id").sum()
    items = pd.concat([leaves, sub[sub["item_type"].isin(["project", "measure"])]])
    n_items = items.groupby(["district_id", "theme_id"]).size()
    n_targets = _distinct_targets(sub).groupby(["district_id", "theme_id"]).size()
    rows = []
    for district in chosen:
        total = int(totals.get(district, 0))
        for theme, label in labels.items():
            key = (district, theme)
            share = float(chars.get(key, 0)) / total if total else 0.0
            rows.append((district, theme, label, share, int(n_items.get(key, 0)),
                         int(n_targets.get(key, 0))))
    return pd.DataFrame(rows, columns=list(EMPHASIS_COLUMNS))


def unmapped_names(frame: pd.DataFrame) -> pd.DataFrame:
    """Indicator rows without a canonical indicator_id (text targets the crosswalk lacks).

    Returns
    -------
    DataFrame
        Columns ``UNMAPPED_COLUMNS``, sorted by district, file and line.
    """
    rows = frame[frame["item_type"].eq("indicator") & frame["indicator_id"].isna()]
    rows = rows.sort_values(["district_id", "source_file", "line"], kind="stable")
    return rows.loc[:, list(UNMAPPED_COLUMNS)].reset_index(drop=True)


# --- helpers -----------------------------------------------------------------------------------

def target_rows(frame: pd.DataFrame, districts: list[str]) -> pd.DataFrame:
    """Target rows with a canonical indicator of ``districts`` (references allowed)."""
    mask = (frame["item_type"].eq("indicator") & frame["role"].eq("target")
            & frame["indicator_id"].notna() & frame["district_id"].isin(districts))
    return frame[mask]


def best_targets(frame: pd.DataFrame, districts: list[str]) -> pd.DataFrame:
    """One target row per (indicator, district): table before text, then file and line."""
    targets = target_rows(frame, districts)
    rank = targets["source"].map(SOURCE_RANK).fillna(len(SOURCE_RANK))
    ordered = targets.assign(_rank=rank).sort_values(["_rank", "source_file", "line"],
                                                     kind="stable")
    return ordered.drop_duplicates(["indicator_id", "district_id"]).drop(columns="_rank")


def _baselines(frame: pd.DataFrame, districts: list[str]) -> dict:
    """Baseline rows keyed by (indicator, district, source, key of the matching target row),
    and lists of ``achieved`` rows keyed by ("achieved", indicator, district, year) in file
    and line order."""
    mask = (frame["item_type"].eq("indicator") & frame["indicator_id"].notna()
            & frame["district_id"].isin(districts)
            & (frame["role"].eq("baseline") | (frame["role"].eq("achieved")
                                               & frame["value"].notna())))
    rows = frame[mask].sort_values(
        ["source_file", "line"], kind="stable")
    out: dict = {}
    for r in rows.to_dict("records"):
        if r["role"] == "baseline":
            out[(r["indicator_id"], r["district_id"], r["source"],
                 _target_key(r["item_key"]))] = r
        elif pd.notna(r["year"]):
            out.setdefault(("achieved", r["indicator_id"], r["district_id"], int(r["year"])),
                           []).append(r)
    return out


def _target_key(baseline_key: str) -> str:
    return baseline_key.removesuffix(":base")


def district_names(frame: pd.DataFrame, lang: str = "zh") -> dict[str, str]:
    """``{district_id: name}`` in ``lang`` (zh or en; reference plans included)."""
    col = "district_zh" if reference.label_column(lang) == "label_zh" else "district_en"
    pairs = frame[["district_id", col]].drop_duplicates("district_id")
    return dict(zip(pairs["district_id"].astype(str), pairs[col].astype(str), strict=True))


def _leaf_tasks(frame: pd.DataFrame) -> pd.DataFrame:
    tasks = frame[frame["item_type"].eq("task")]
    kids = tasks[tasks["parent_key"].notna()]
    parents = set(zip(kids["district_id"], kids["parent_key"], strict=True))
    is_parent = [(d, k) in parents for d, k in zip(tasks["district_id"], tasks["item_key"],
                                                   strict=True)]
    return tasks[[not p for p in is_parent]]


def _text_chars(leaves: pd.DataFrame) -> pd.Series:
    """Body characters per (district_id, theme_id) from ``theme_text`` ("theme=chars;...");
    rows without it count ``body_chars`` for their ``theme_id``."""
    texts = leaves["theme_text"] if "theme_text" in leaves else [None] * len(leaves)
    counts: dict[tuple[str, str], int] = {}
    for district, theme, size, text in zip(leaves["district_id"], leaves["theme_id"],
                                           leaves["body_chars"], texts, strict=True):
        pairs = ([p.split("=") for p in text.split(";")] if isinstance(text, str) and text
                 else [(theme, size if pd.notna(size) else 0)])
        for part_theme, part_chars in pairs:
            key = (district, part_theme)
            counts[key] = counts.get(key, 0) + int(part_chars)
    index = pd.MultiIndex.from_tuples(list(counts), names=["district_id", "theme_id"])
    return pd.Series(list(counts.values()), index=index, dtype="int64")


def _distinct_targets(frame: pd.DataFrame) -> pd.DataFrame:
    targets = frame[frame["item_type"].eq("indicator") & frame["role"].eq("target")
                    & frame["value"].notna()]
    mapped = targets[targets["indicator_id"].notna()].drop_duplicates(
        ["district_id", "indicator_id"])
    unmapped = targets[targets["indicator_id"].isna()].drop_duplicates(
        ["district_id", "name_raw", "value_text"])
    return pd.concat([mapped, unmapped])
