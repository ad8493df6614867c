"""The one schema of the curated frame, its data dictionary, and validation with all failures."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import SchemaError
from .model import ALL_COLUMNS, COMPARATORS, ITEM_TYPES, ROLES

if TYPE_CHECKING:  # pandas and pandera are imported lazily (pandera costs ~0.35 s)
    import pandas as pd

#: How a fact was found (the ``source`` column).
SOURCES = ("table", "text", "heading", "annex", "task_list", "toc")
MIN_YEAR, MAX_YEAR = 1990, 2100
#: Values of ``jurisdiction_level`` (the manifest's levels, from the top).
JURISDICTION_LEVELS = ("national", "province", "city", "district")
ROW_KEYS = ("district_id", "item_type", "role", "item_key")
MAX_KEYS_SHOWN = 8

#: The data dictionary: column -> (type, meaning). Export writes it to the xlsx "dictionary"
#: sheet; data/curated/README.md carries the same text (a test keeps them in step).
DICTIONARY: dict[str, tuple[str, str]] = {
    "district_id": ("text", "stable ascii id of the district from data/raw/manifest.toml"),
    "district_zh": ("text", "district name in Chinese, from the manifest"),
    "district_en": ("text", "district name in English, from the manifest"),
    "doc_id": ("text", "id of the district's document (manifest document.id)"),
    "item_type": ("text", "indicator | task | project | measure (task-list measure)"),
    "item_key": ("text", "stable key, unique within (district_id, item_type, role)"),
    "parent_key": ("text", "item_key of the parent task (level-2 tasks, measures); empty otherwise"),
    "level": ("integer", "task level: 1 = （一） heading, 2 = numbered item or lead sentence; 3 = task-list measure"),
    "name_raw": ("text", "the name or heading as printed, export artefacts removed"),
    "indicator_id": ("text", "canonical indicator from the crosswalk; empty when unmapped"),
    "theme_id": ("text", "theme from the codebook"),
    "unit": ("text", "unit as printed (%, 人, 所, 个, 年, 元, ...); 万 is never rescaled"),
    "year": ("integer", "year the value refers to (baseline year or target year)"),
    "role": ("text", "baseline | target | achieved (a past value stated in the text; indicator rows only)"),
    "comparator": ("text", "one of >, >=, =, <, <= (how the value bounds the target)"),
    "value": ("number", "the number; empty when the document prints none (value_text is the empty mark as printed: -, —, / ...)"),
    "value_high": ("number", "upper end of a range such as 1-3; empty otherwise"),
    "value_text": ("text", "the value exactly as printed (＞99, ≥92, 保持在90%以上)"),
    "source": ("text", "how the fact was found: " + " | ".join(SOURCES)),
    "source_file": ("text", "the raw file, relative to data/raw/"),
    "line": ("integer", "1-based line in source_file where the quote starts"),
    "quote": ("text", "the exact source text that supports the row"),
    "line_end": ("integer", "last line of a multi-line item (table rows, split titles)"),
    "section": ("text", ("top-level part of the document: front, background, guiding, goals, "
                         "tasks, implementation, annex")),
    "body": ("text", "body text of a task, content of a project, text of a measure"),
    "body_chars": ("integer", "number of characters of body (0 when none)"),
    "attribute": ("text", "属性 of an indicator (预期性 / 约束性) when printed"),
    "schedule": ("text", "进度安排 of a task-list measure"),
    "responsible_units": ("list of text", "责任单位 as a list; in csv/xlsx joined with '；'"),
    "theme_rule": ("text", "the codebook rule / keyword that assigned theme_id"),
    "theme_secondary": ("text", "further themes whose rules fired, ';'-separated"),
    "theme_text": ("text", ("finest-level tasks: characters of body per theme, 'theme_id=chars' "
                            "pairs ';'-joined (sum = body_chars); a paragraph opening with a lead "
                            "sentence takes the theme its heading rules give, other text the "
                            "task's theme_id; empty otherwise")),
    "target_rule": ("text", ("text indicators: the named rule that decided the row is a target "
                             "(a commitment for the plan period) or an achieved value (a past "
                             "result); empty for table rows")),
    "approximate": ("boolean", "true when the value is printed as approximate (约, 大约, …左右)"),
    "rate_period": ("text", "for per-period rates (每年降低1个百分点): the period (年); empty otherwise"),
    "group": ("text", "indicator tables: the group row (一、发展水平) the indicator stands under"),
    "locator": ("text", ("where the line is in a non-text original (p. 12, paragraph 143, "
                         "table 2 row 5); empty for .txt files")),
    "lead_units": ("list of text", "牵头单位 as a list; in csv/xlsx joined with '；'"),
    "support_units": ("list of text", "配合单位 as a list; in csv/xlsx joined with '；'"),
    "indicator_rule": ("text", ("how indicator_id was assigned (docs/codebook.md): review, alias, "
                                "alias:suffix/prefix, pattern, fuzzy (with indicator_score), "
                                "continues; for an unmapped indicator row "
                                "`unmapped (best: <id> via <alias>)`")),
    "indicator_score": ("number", ("similarity 0-100 (rapidfuzz ratio) of a fuzzy mapping, or of "
                                   "the best candidate of an unmapped indicator row")),
    "instruments": ("list of text", ("policy instruments (supply / environment / demand "
                                     "sub-types) coded for a task or measure; in csv/xlsx joined "
                                     "with '；'")),
    "instrument_rule": ("text", "the coding rule(s) or override that set instruments, ';'-separated"),
    "jurisdiction_level": ("text", ("level of the row's plan from the manifest: district, or city / "
                                    "province / national for a reference plan (compared against, "
                                    "never shown as a district)")),
    "jurisdiction_parent": ("text", ("district_id of the plan one level up that this plan is "
                                     "written under (the city of a district); empty when none")),
}


def build_schema():
    """The pandera DataFrameSchema of the curated frame (all of ``model.ALL_COLUMNS``)."""
    import pandera.pandas as pa

    def col(dtype=None, *checks, nullable=True):
        return pa.Column(dtype, list(checks), nullable=nullable)

    columns = {name: col() for name in ALL_COLUMNS}
    columns.update(
        district_id=col(None, pa.Check.str_matches(r"^[a-z0-9_]+$"), nullable=False),
        doc_id=col(None, pa.Check.str_length(min_value=1), nullable=False),
        item_type=col(None, pa.Check.isin(ITEM_TYPES), nullable=False),
        item_key=col(None, pa.Check.str_length(min_value=1), nullable=False),
        role=col(None, pa.Check.isin(ROLES)),
        comparator=col(None, pa.Check.isin(COMPARATORS)),
        source=col(None, pa.Check.isin(SOURCES), nullable=False),
        source_file=col(None, pa.Check.str_length(min_value=1), nullable=False),
        quote=col(None, pa.Check.str_length(min_value=1), nullable=False),
        line=col("Int64", pa.Check.ge(1), nullable=False),
        line_end=col("Int64", pa.Check.ge(1)),
        level=col("Int64", pa.Check.in_range(1, 3)),
        year=col("Int64", pa.Check.in_range(MIN_YEAR, MAX_YEAR)),
        value=col("float64"),
        value_high=col("float64"),
        indicator_score=col("float64", pa.Check.in_range(0, 100)),
        approximate=col("boolean"),
        body_chars=col("Int64", pa.Check.ge(0), nullable=False),
        jurisdiction_level=col(None, pa.Check.isin(JURISDICTION_LEVELS)),
        theme_text=col("str", pa.Check.str_matches(r"^[a-z0-9_]+=\d+(;[a-z0-9_]+=\d+)*$")),
    )
    return pa.DataFrameSchema(columns, checks=_row_checks(pa), unique=list(ROW_KEYS),
                              report_duplicates="all", strict=True, ordered=True)


def _row_checks(pa) -> list:
    from .parse import vocabulary

    empty = list(vocabulary.words("numbers", "empty_cells"))  # the marks a table prints for none
    def check(fn, name):
        return pa.Check(fn, name=name, element_wise=False)

    return [
        check(lambda d: (d["item_type"] != "task") | d["level"].isin([1, 2]).fillna(False),
              "task_level_is_1_or_2"),
        check(lambda d: (d["item_type"] != "indicator") | d["value"].notna()
              | d["value_text"].isin(empty), "indicator_value_present_unless_dash"),
        check(lambda d: (d["item_type"] != "indicator") | d["role"].notna(),
              "indicator_role_present"),
        check(lambda d: d["value_high"].isna() | d["value"].isna()
              | (d["value_high"] >= d["value"]), "value_high_ge_value"),
        check(lambda d: d["line_end"].isna() | (d["line_end"] >= d["line"]).fillna(True),
              "line_end_ge_line"),
    ]


def validate(frame: pd.DataFrame) -> pd.DataFrame:
    """Validate ``frame`` against the schema, collecting every failure (``lazy=True``).

    Returns
    -------
    DataFrame
        ``frame`` unchanged when it is valid.

    Raises
    ------
    SchemaError
        One error listing every failed (column, check) with the keys of the failing rows.
    """
    import pandera.errors

    try:
        build_schema().validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        raise SchemaError(format_failures(exc.failure_cases, frame),
                          fix="the rows break the data contract (docs: data/curated/README.md); "
                              "fix the parser or reference data that produced them") from None
    return frame


def format_failures(cases: pd.DataFrame, frame: pd.DataFrame) -> str:
    """One line per failed (column, check), naming the failing rows by their keys."""
    cases = cases.copy()
    cases["column"] = cases["column"].where(cases["schema_context"] != "DataFrameSchema", "(row)")
    lines = []
    for (column, check), group in cases.groupby(["column", "check"], sort=True, dropna=False):
        keys = _row_keys(group["index"], frame)
        values = sorted({str(v) for v in group["failure_case"].dropna()})[:5]
        text = f"  - column {column}: check {check} failed"
        if keys:
            text += f" for {len(keys)} row(s): " + ", ".join(keys[:MAX_KEYS_SHOWN])
            text += " ..." if len(keys) > MAX_KEYS_SHOWN else ""
        if values and (column != "(row)" or not keys):
            text += f"{';' if keys else ':'} values {values}"
        lines.append(text)
    return f"the curated frame violates the schema ({len(lines)} failures):\n" + "\n".join(lines)


def _row_keys(index, frame: pd.DataFrame) -> list[str]:
    out: list[str] = []
    for idx in dict.fromkeys(index.dropna()):
        if idx in frame.index and "item_key" in frame:
            row = frame.loc[idx]
            out.append(f"{row.get('district_id')}/{row.get('item_key')}")
    return out
