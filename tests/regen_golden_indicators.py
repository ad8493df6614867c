"""Regenerate the golden indicator files tests/golden/indicators_<name>.csv.

Run from the project root, then review the diff by eye (the golden files are the spec)::

    /work/venv/bin/python tests/regen_golden_indicators.py

Each file holds every indicator item (table targets and baselines, then text targets) parsed
from one raw document, with the orchestrator's skip rule: text targets are not read on table lines.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from conftest import GOLDEN, RAW, RAW_FILES, START_SECTION

COLUMNS = ("key", "source", "role", "line", "line_end", "name_raw", "comparator", "value",
           "value_high", "unit", "year", "attribute", "value_text", "quote")
END_YEAR = 2025


def parse_indicators(doc, parts, key_prefix: str) -> list:
    """Table items then text items, as the orchestrator combines them."""
    from plancompare.parse.tables import item_lines, parse_indicator_tables
    from plancompare.parse.targets import parse_text_targets

    table = parse_indicator_tables(doc, parts, key_prefix=key_prefix, end_year=END_YEAR)
    text = parse_text_targets(doc, parts, key_prefix=key_prefix, end_year=END_YEAR,
                              skip_lines=item_lines(table))
    return table + text


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def to_csv(items) -> str:
    """Serialise items to the golden CSV text (one row per item, fixed columns)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    for it in items:
        writer.writerow([_cell(v) for v in (
            it.item_key, it.source, it.role, it.line, it.line_end, it.name_raw, it.comparator,
            it.value, it.value_high, it.unit, it.year, it.attribute, it.value_text, it.quote)])
    return buf.getvalue()


def golden_path(name: str) -> Path:
    return GOLDEN / f"indicators_{name}.csv"


def render(name: str) -> str:
    """The golden CSV text for one raw document (``name`` is a key of ``RAW_FILES``)."""
    from plancompare.parse.ingest import read_document
    from plancompare.parse.sections import assign_parts

    doc = read_document(RAW / RAW_FILES[name], display_path=RAW_FILES[name])
    parts = assign_parts(doc, START_SECTION.get(name))
    return to_csv(parse_indicators(doc, parts, name))


def main() -> None:
    GOLDEN.mkdir(exist_ok=True)
    for name in RAW_FILES:
        text = render(name)
        golden_path(name).write_text(text, encoding="utf-8")
        rows = len(list(csv.reader(io.StringIO(text)))) - 1
        print(f"{golden_path(name).relative_to(HERE.parent)}: {rows} rows")


if __name__ == "__main__":
    main()
