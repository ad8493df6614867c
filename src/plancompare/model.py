"""The data contract: column names of the long-format dataset and the record parsers emit."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

#: Columns required by the data contract (docs: ../shared/docs/design.md). Order is the export order.
CONTRACT_COLUMNS: tuple[str, ...] = (
    "district_id", "district_zh", "district_en", "doc_id",
    "item_type", "item_key", "parent_key", "level",
    "name_raw", "indicator_id", "theme_id", "unit",
    "year", "role", "comparator", "value", "value_high", "value_text",
    "source", "source_file", "line", "quote",
)

#: Columns this project adds to the contract (documented in the data dictionary).
EXTRA_COLUMNS: tuple[str, ...] = (
    "line_end",            # last source line of a multi-line item (table rows, split titles)
    "section",             # top-level part of the document: goals, tasks, implementation, annex ...
    "body",                # body text of a task / content of a project / text of a measure
    "body_chars",          # number of characters of body (for theme emphasis)
    "attribute",           # 属性 column of an indicator table (预期性 / 约束性) when printed
    "schedule",            # 进度安排 of a task-list measure
    "responsible_units",   # 责任单位 as a list of departments
    "theme_rule",          # the codebook rule / keyword that assigned theme_id
    "theme_secondary",     # further themes whose rules fired, ';'-separated
    "theme_text",          # finest-level tasks: body characters per theme, "theme=chars;..."
    "target_rule",         # text indicators: the rule that decided target / achieved
    "approximate",         # True for a value printed with 约 / 左右 / 大约 ...
    "rate_period",         # per-period rates (每年降低1个百分点): the period, e.g. 年
    "group",               # indicator tables: the group row the indicator stands under
    "locator",             # non-text originals: page / paragraph / table cell of the line
    "lead_units",          # 牵头单位 as a list (task lists, tasks)
    "support_units",       # 配合单位 as a list (task lists, tasks)
    "indicator_rule",      # how indicator_id was assigned: alias, pattern, fuzzy, review, ...
    "indicator_score",     # similarity score (0-100) of a fuzzy indicator mapping
    "instruments",         # policy instruments coded for a task / measure sentence (list)
    "instrument_rule",     # the rule(s) that coded instruments, ';'-separated
    "jurisdiction_level",  # manifest level of the row's plan: district, city, province, national
    "jurisdiction_parent", # manifest id of the plan one level up (Beijing's districts: beijing)
)

ALL_COLUMNS: tuple[str, ...] = CONTRACT_COLUMNS + EXTRA_COLUMNS

ITEM_TYPES = ("indicator", "task", "project", "measure")
ROLES = ("baseline", "target", "achieved")
COMPARATORS = (">", ">=", "=", "<", "<=")


@dataclass
class Item:
    """One fact parsed from a document, before district columns and harmonisation are added.

    Parsers fill what they know; ``build`` adds district_zh/en, indicator_id, theme_id.
    ``line`` is the 1-based line in ``source_file``; ``quote`` must occur on that line (or, for
    a multi-line item, on lines ``line``..``line_end``) exactly as in the raw file.
    """

    item_type: str
    item_key: str
    name_raw: str
    source: str
    source_file: str
    line: int
    quote: str
    doc_id: str = ""
    district_id: str = ""
    parent_key: str | None = None
    level: int | None = None
    unit: str | None = None
    year: int | None = None
    role: str | None = None
    comparator: str | None = None
    value: float | None = None
    value_high: float | None = None
    value_text: str | None = None
    line_end: int | None = None
    section: str | None = None
    body: str | None = None
    attribute: str | None = None
    schedule: str | None = None
    responsible_units: list[str] = field(default_factory=list)
    target_rule: str | None = None
    approximate: bool | None = None
    rate_period: str | None = None
    group: str | None = None
    locator: str | None = None
    lead_units: list[str] = field(default_factory=list)
    support_units: list[str] = field(default_factory=list)

    def to_row(self) -> dict:
        """The item as a row dict (the fields in order, plus ``body_chars``).

        Same result as ``dataclasses.asdict`` (the list is copied), without its recursive
        deep copy, which cost more than the parsing itself.

        Returns
        -------
        dict
            Field name -> value, then ``body_chars``.
        """
        row = {name: getattr(self, name) for name in _ITEM_FIELDS}
        for name in LIST_FIELDS:
            row[name] = list(getattr(self, name))
        row["body_chars"] = len(self.body) if self.body else 0
        return row


#: Item fields holding a list of text (joined with '；' in csv / xlsx).
LIST_FIELDS: tuple[str, ...] = ("responsible_units", "lead_units", "support_units")

#: Every list-of-text column of the frame: the Item list fields, then those harmonise adds.
LIST_COLUMNS: tuple[str, ...] = (*LIST_FIELDS, "instruments")

#: Field names of :class:`Item` in declaration order (the key order of ``Item.to_row``).
_ITEM_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Item))
