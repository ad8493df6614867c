"""The schema: a valid frame passes; every failure is listed at once with the failing row keys."""

from __future__ import annotations

import pickle

import pytest
from conftest import ROOT

from plancompare import schema
from plancompare.errors import SchemaError
from plancompare.model import ALL_COLUMNS, Item
from plancompare.parse import district_row, to_frame


def frame_of(*items: Item):
    return to_frame([district_row(it, "testqu", "测试区", "Test") for it in items])


def ind(key="plan:ind:1", **kw) -> Item:
    base = {"item_type": "indicator", "item_key": key, "name_raw": "指标", "source": "table",
                "source_file": "f.txt", "line": 3, "quote": "90", "doc_id": "plan", "role": "target",
                "year": 2025, "value": 90.0, "value_text": "90"}
    return Item(**{**base, **kw})


def task(key="plan:task:1", **kw) -> Item:
    base = {"item_type": "task", "item_key": key, "name_raw": "任务", "source": "heading",
                "source_file": "f.txt", "line": 5, "quote": "任务", "doc_id": "plan", "level": 1}
    return Item(**{**base, **kw})


def failures(frame) -> list[str]:
    with pytest.raises(SchemaError) as info:
        schema.validate(frame)
    return str(info.value).splitlines()


def test_valid_frame_passes_unchanged():
    frame = frame_of(ind(), ind("plan:ind:1", role="baseline", year=2020),
                     ind("plan:ind:2", value=None, value_text="-"), task(),
                     task("plan:task:1.1", level=2, parent_key="plan:task:1"))
    assert schema.validate(frame) is frame


def test_every_failure_reported_at_once():
    frame = frame_of(
        ind(),
        ind(),                                                  # duplicate key
        ind("plan:ind:2", value=None, value_text="约"),          # value missing
        ind("plan:ind:3", value=5.0, value_high=3.0, year=1800, comparator="≥"),
        task("plan:task:1", level=3, quote="", line=0),
        task("plan:task:2", source="somewhere", role="goal"),
    )
    lines = failures(frame)
    assert lines[0] == "the curated frame violates the schema (10 failures):"
    assert lines[1:-1] == [
        ("  - column (row): check indicator_value_present_unless_dash failed for 1 row(s): "
        "testqu/plan:ind:2"),
        ("  - column (row): check multiple_fields_uniqueness failed for 2 row(s): "
        "testqu/plan:ind:1, testqu/plan:ind:1"),
        "  - column (row): check task_level_is_1_or_2 failed for 1 row(s): testqu/plan:task:1",
        "  - column (row): check value_high_ge_value failed for 1 row(s): testqu/plan:ind:3",
        ("  - column comparator: check isin(('>', '>=', '=', '<', '<=')) failed for 1 row(s): "
        "testqu/plan:ind:3; values ['≥']"),
        ("  - column line: check greater_than_or_equal_to(1) failed for 1 row(s): "
        "testqu/plan:task:1; values ['0']"),
        ("  - column quote: check str_length(1, None) failed for 1 row(s): testqu/plan:task:1; "
        "values ['']"),
        ("  - column role: check isin(('baseline', 'target', 'achieved')) failed for 1 row(s): "
        "testqu/plan:task:2; values ['goal']"),
        ("  - column source: check isin(('table', 'text', 'heading', 'annex', 'task_list', 'toc')) "
        "failed for 1 row(s): testqu/plan:task:2; values ['somewhere']"),
        ("  - column year: check in_range(1990, 2100) failed for 1 row(s): testqu/plan:ind:3; "
        "values ['1800']"),
    ]
    assert lines[-1].startswith("  fix: the rows break the data contract")


def test_level_three_is_allowed_for_measures_only():
    frame = frame_of(Item("measure", "plan:measure:1.1", "措施", "task_list", "f.txt", 7, "措施",
                          doc_id="plan", level=3), task(level=3))
    assert failures(frame)[1:-1] == [
        "  - column (row): check task_level_is_1_or_2 failed for 1 row(s): testqu/plan:task:1"]


def test_missing_and_extra_columns_are_reported():
    frame = frame_of(task()).drop(columns=["quote"]).assign(extra=1)
    assert failures(frame)[1:-1] == [
        "  - column (row): check column_in_dataframe failed: values ['quote']",
        "  - column (row): check column_in_schema failed: values ['extra']"]


def test_wrong_dtype_is_reported():
    frame = frame_of(task())
    frame["line"] = frame["line"].astype("float64")
    assert failures(frame)[1] == "  - column line: check dtype('Int64') failed: values ['float64']"


def test_schema_error_survives_pickling():
    with pytest.raises(SchemaError) as info:
        schema.validate(frame_of(task(line=0)))
    assert str(pickle.loads(pickle.dumps(info.value))) == str(info.value)


def test_dictionary_covers_every_column_in_order():
    assert list(schema.DICTIONARY) == list(ALL_COLUMNS)
    assert all(t and m for t, m in schema.DICTIONARY.values())


def test_curated_readme_documents_every_column_with_the_same_text():
    text = (ROOT / "data" / "curated" / "README.md").read_text(encoding="utf-8")
    for column, (kind, meaning) in schema.DICTIONARY.items():
        assert f"| `{column}` | {kind} | {meaning} |" in text, column
