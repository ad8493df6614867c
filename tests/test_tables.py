"""Indicator tables: exact rows from the documents and from purpose-built fixtures."""

from __future__ import annotations

import pytest
from conftest import fixture_path

from plancompare.errors import InputError
from plancompare.parse.ingest import read_document
from plancompare.parse.sections import assign_parts
from plancompare.parse.tables import item_lines, parse_indicator_tables, split_unit


def _parse(doc, parts, prefix="plan"):
    return parse_indicator_tables(doc, parts, key_prefix=prefix, end_year=2025)


def _fixture(name):
    doc = read_document(fixture_path(name), display_path=name)
    return doc, _parse(doc, assign_parts(doc))


def _quote_source(doc, item):
    return "\n".join(doc.line(n).raw for n in range(item.line, (item.line_end or item.line) + 1))


TONGZHOU_NAMES = [
    "学前教育入园率", "普惠性幼儿园覆盖率", "义务教育就近入学率",
    "学前教育专任教师接受专业教育比例", "义务教育专任教师中本科及以上学历人员比例",
    "职业教育“双师型”教师比例", "北京市特级校长人数", "公共财政教育支出占公共财政支出比例",
    "中小学生体质健康测试达标优良率", "国际学校数量", "智慧校园覆盖率", "绿色学校达标率",
    "平安校园达标率",
]


def test_tongzhou_table_exact(docs):
    doc, parts = docs["tongzhou"]
    items = _parse(doc, parts)
    assert [it.value_text for it in items] == [
        ">90", "90", "＞99", "85", "＞96", "85", "＞8", "16", "＞70", "10", "＞85", "＞70", "100"]
    assert [it.comparator for it in items] == [
        ">", "=", ">", "=", ">", "=", ">", "=", ">", "=", ">", ">", "="]
    assert [it.value for it in items] == [90, 90, 99, 85, 96, 85, 8, 16, 70, 10, 85, 70, 100]
    assert [it.unit for it in items] == ["%"] * 6 + ["人", "%", "%", "所", "%", "%", "%"]
    assert [it.name_raw for it in items] == TONGZHOU_NAMES
    assert {(it.role, it.year, it.source, it.section) for it in items} == {
        ("target", 2025, "table", "goals")}
    assert [it.item_key for it in items] == [f"plan:ind:{i}" for i in range(1, 14)]
    assert (items[0].line, items[0].line_end) == (144, 146)
    assert (items[-1].line, items[-1].line_end) == (192, 194)
    assert items[2].quote == "3\n\t义务教育就近入学率（%）\n\t＞99"


HAIDIAN_TARGETS = [">90", "≥92", "95", ">99", "≥98", "≥45", "82", "16.1", ">70", "95", ">80",
                   "100"]
HAIDIAN_BASELINES = ["90", "92", "85", ">99", "97", "43", "80", "16", "67", "85", "-", "100"]


def test_haidian_table_exact(docs):
    doc, parts = docs["haidian"]
    items = _parse(doc, parts)
    targets = [it for it in items if it.role == "target"]
    baselines = [it for it in items if it.role == "baseline"]
    assert [it.value_text for it in targets] == HAIDIAN_TARGETS
    assert [it.value_text for it in baselines] == HAIDIAN_BASELINES
    assert [it.comparator for it in targets] == [
        ">", ">=", "=", ">", ">=", ">=", "=", "=", ">", "=", ">", "="]
    assert [it.value for it in targets] == [90, 92, 95, 99, 98, 45, 82, 16.1, 70, 95, 80, 100]
    assert {(it.year, it.source) for it in targets} == {(2025, "table")}
    assert {it.year for it in baselines} == {2020}
    assert sum(it.value is not None for it in baselines) == 11
    assert [it.line for it in targets] == list(range(236, 259, 2))
    assert targets[7].name_raw == "新增劳动力平均受教育年限" and targets[7].unit == "年"
    assert targets[0].quote == "1 学前三年入园率(%) 90 >90"
    assert [it.item_key for it in baselines][:2] == ["plan:ind:1:base", "plan:ind:2:base"]


def test_haidian_dash_baseline_is_none_not_zero(docs):
    doc, parts = docs["haidian"]
    green = next(it for it in _parse(doc, parts) if it.item_key == "plan:ind:11:base")
    assert green.name_raw == "绿色校园达标率"
    assert (green.value, green.comparator, green.value_text, green.year) == (None, None, "-", 2020)


@pytest.mark.parametrize("name", ["tongzhou", "haidian", "daxing1", "daxing2", "anon1"])
def test_quotes_occur_at_their_lines(docs, name):
    doc, parts = docs[name]
    for it in _parse(doc, parts):
        assert it.quote in _quote_source(doc, it)
        assert it.source_file == doc.path


@pytest.mark.parametrize("name", ["daxing1", "daxing2", "anon1"])
def test_documents_without_indicator_table(docs, name):
    doc, parts = docs[name]
    assert _parse(doc, parts) == []


def test_generic_cell_layout_with_number_and_attribute_columns():
    doc, items = _fixture("table_generic.txt")
    rows = [(it.item_key, it.role, it.year, it.name_raw, it.unit, it.comparator, it.value,
             it.value_text, it.attribute, it.line, it.line_end) for it in items]
    assert rows == [
        ("plan:ind:1", "target", 2025, "学前三年入园率", "%", ">", 90.0, "＞90", "预期性", 10, 14),
        ("plan:ind:1:base", "baseline", 2020, "学前三年入园率", "%", "=", 90.0, "90", "预期性",
         10, 14),
        ("plan:ind:2", "target", 2025, "普惠性幼儿园覆盖率", "%", ">=", 92.0, "≥92", "约束性",
         16, 20),
        ("plan:ind:2:base", "baseline", 2020, "普惠性幼儿园覆盖率", "%", "=", 87.0, "87",
         "约束性", 16, 20),
        ("plan:ind:3", "target", 2025, "绿色校园达标率", "%", ">=", 80.0, "80以上", "预期性",
         22, 26),
        ("plan:ind:3:base", "baseline", 2020, "绿色校园达标率", "%", None, None, "-", "预期性",
         22, 26),
        ("plan:ind:4", "target", 2025, "新增劳动力平均受教育年限", "年", "=", 16.1, "16.1",
         "预期性", 28, 32),
        ("plan:ind:4:base", "baseline", 2020, "新增劳动力平均受教育年限", "年", "=", 15.8,
         "15.8", "预期性", 28, 32),
    ]
    for it in items:
        assert it.quote in _quote_source(doc, it)


def test_gb18030_copy_gives_identical_rows():
    utf8_doc, utf8_items = _fixture("table_generic.txt")
    gb_doc, gb_items = _fixture("table_generic_gb18030.txt")
    assert gb_doc.encoding == "gb18030" and utf8_doc.encoding == "utf-8"

    def strip(items):
        return [{k: v for k, v in vars(it).items() if k != "source_file"} for it in items]

    assert strip(gb_items) == strip(utf8_items)


def test_full_width_line_rows():
    doc, items = _fixture("table_fullwidth.txt")
    assert [(it.item_key, it.name_raw, it.unit, it.comparator, it.value, it.value_text)
            for it in items] == [
        ("plan:ind:1", "学前三年入园率", "%", ">", 90.0, "＞９０"),
        ("plan:ind:1:base", "学前三年入园率", "%", "=", 90.0, "９０"),
        ("plan:ind:2", "普惠性幼儿园覆盖率", "%", ">=", 92.0, "≥９２"),
        ("plan:ind:2:base", "普惠性幼儿园覆盖率", "%", "=", 87.0, "８７"),
        ("plan:ind:3", "国际学校数量", "所", "=", 10.0, "１０"),
        ("plan:ind:3:base", "国际学校数量", "所", None, None, "－"),
    ]
    assert all(it.quote == doc.line(it.line).raw for it in items)


def test_cells_without_blank_lines_between_rows():
    _, items = _fixture("table_no_blank.txt")
    assert [(it.item_key, it.value_text, it.attribute, it.line, it.line_end) for it in items] == [
        ("plan:ind:1", ">90", "预期性", 7, 11), ("plan:ind:1:base", "90", "预期性", 7, 11),
        ("plan:ind:2", ">99", "约束性", 12, 16), ("plan:ind:2:base", "99", "约束性", 12, 16),
    ]


def test_unreadable_value_cell_names_file_line_and_fix():
    with pytest.raises(InputError) as info:
        _fixture("table_bad_value.txt")
    err = info.value
    assert (err.path, err.line) == ("table_bad_value.txt", 2)
    assert "'约90'" in str(err) and "check the table row at line 2" in str(err)


def test_row_missing_its_value_cell_is_an_error():
    with pytest.raises(InputError) as info:
        _fixture("table_missing_cell.txt")
    assert (info.value.path, info.value.line) == ("table_missing_cell.txt", 4)
    assert "check the table row at line 4" in str(info.value)


def test_item_lines_cover_multi_line_rows(docs):
    doc, parts = docs["tongzhou"]
    lines = item_lines(_parse(doc, parts))
    assert {144, 145, 146, 192, 194} <= lines and 143 not in lines


@pytest.mark.parametrize(("name", "expected"), [
    ("学前教育入园率（%）", ("学前教育入园率", "%")),
    ("学前三年入园率(%)", ("学前三年入园率", "%")),
    ("北京市特级校长人数（人）", ("北京市特级校长人数", "人")),
    ("国际学校数量（所）", ("国际学校数量", "所")),
    ("入园率（％）", ("入园率", "%")),
    ("覆盖率（公办园和普惠性民办园在园幼儿占比）", ("覆盖率（公办园和普惠性民办园在园幼儿占比）", None)),
    ("智慧校园覆盖率", ("智慧校园覆盖率", None)),
])
def test_split_unit(name, expected):
    assert split_unit(name) == expected
