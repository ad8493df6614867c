"""Indicator tables made up for every header synonym, group rows, 其中 sub-rows, empty cells and
headers the parser cannot read (table-driven)."""

from __future__ import annotations

import pytest

from plancompare.errors import InputError
from plancompare.parse import vocabulary
from plancompare.parse.ingest import parse_text
from plancompare.parse.tables import Problem, parse_indicator_tables


def _parse(text: str, problems: list | None = None):
    doc = parse_text(text, path="made_up.txt")
    return parse_indicator_tables(doc, {}, key_prefix="p", end_year=2025, problems=problems)


def _rows(items):
    return [(it.item_key, it.name_raw, it.unit, it.year, it.role, it.value_text, it.value,
             it.attribute, it.group, it.parent_key) for it in items]


def _header(kind: str) -> list[str]:
    return list(vocabulary.words("tables", f"header.{kind}"))


@pytest.mark.parametrize("word", _header("name"))
def test_every_name_header(word):
    items = _parse(f"{word}\t2020年\t2025年\n入园率（%）\t90\t>92\n")
    assert _rows(items) == [
        ("p:ind:1", "入园率", "%", 2025, "target", ">92", 92.0, None, None, None),
        ("p:ind:1:base", "入园率", "%", 2020, "baseline", "90", 90.0, None, None, None)]


@pytest.mark.parametrize("word", _header("number"))
def test_every_number_header(word):
    items = _parse(f"{word} 指标 2025年\n1 入园率(%) 95\n2 巩固率(%) 99\n")
    assert [(it.item_key, it.name_raw, it.value) for it in items] == [
        ("p:ind:1", "入园率", 95.0), ("p:ind:2", "巩固率", 99.0)]


@pytest.mark.parametrize("word", _header("unit"))
def test_every_unit_header(word):
    items = _parse(f"| 序号 | 指标 | {word} | 2025年 |\n|---|---|---|---|\n| 1 | 国际学校数量 | 所 | 10 |\n")
    assert [(it.name_raw, it.unit, it.value) for it in items] == [("国际学校数量", "所", 10.0)]


@pytest.mark.parametrize("word", _header("attribute"))
def test_every_attribute_header(word):
    items = _parse(f"序号\t指标\t2025年\t{word}\n1\t入园率（%）\t95\t约束性\n")
    assert [(it.name_raw, it.attribute) for it in items] == [("入园率", "约束性")]


@pytest.mark.parametrize("word", _header("group"))
def test_every_group_header_and_spanning_cell(word):
    text = (f"{word}\t序号\t指标\t2025年\n普及水平\t1\t入园率（%）\t95\n\t2\t巩固率（%）\t99\n"
            "质量\t3\t达标率（%）\t60\n")
    assert [(it.item_key, it.group) for it in _parse(text)] == [
        ("p:ind:1", "普及水平"), ("p:ind:2", "普及水平"), ("p:ind:3", "质量")]


@pytest.mark.parametrize("word", _header("baseline"))
def test_every_baseline_header(word):
    items = _parse(f"指标 {word} 2025年\n入园率(%) 90 95\n")
    assert [(it.role, it.year, it.value) for it in items] == [
        ("target", 2025, 95.0), ("baseline", None, 90.0)]


@pytest.mark.parametrize("word", _header("target"))
def test_every_target_header(word):
    items = _parse(f"指标\t2020年\t{word}\n入园率（%）\t90\t95\n")
    assert [(it.item_key, it.role, it.year, it.value) for it in items] == [
        ("p:ind:1", "target", 2025, 95.0), ("p:ind:1:base", "baseline", 2020, 90.0)]


@pytest.mark.parametrize(("cell", "year"), [
    ("2025年目标", 2025), ("2025年目标值", 2025), ("2025年预期值", 2025), ("目标值(2030年)", 2030),
    ("2035年（目标）", 2035),
])
def test_target_headers_with_years(cell, year):
    items = _parse(f"序号｜指标｜基期值（2020年）｜{cell}\n1｜入园率（%）｜90｜95\n")
    assert [(it.role, it.year) for it in items] == [("target", year), ("baseline", 2020)]


@pytest.mark.parametrize("word", _header("ignore"))
def test_read_past_columns(word):
    items = _parse(f"序号\t指标\t2025年\t{word}\n1\t入园率（%）\t95\t区教委\n")
    assert [(it.name_raw, it.value) for it in items] == [("入园率", 95.0)]


@pytest.mark.parametrize("mark", [*vocabulary.words("tables", "cells.empty"),
                                  *vocabulary.words("numbers", "empty_cells")[1:]])
def test_empty_marks_are_never_zero(mark):
    items = _parse(f"指标\t2020年\t2025年\n达标率（%）\t{mark}\t80\n")
    base = items[1]
    assert (base.role, base.value, base.comparator, base.value_text) == (
        "baseline", None, None, mark)


def test_blank_tab_cell_gives_no_item():
    items = _parse("指标\t2020年\t2025年\n达标率（%）\t\t80\n")
    assert [(it.role, it.value) for it in items] == [("target", 80.0)]


@pytest.mark.parametrize("text", [
    # group rows one per line, space rows
    "指标 2020年 2025年\n一、普及水平\n入园率(%) 90 95\n巩固率(%) 97 99\n二、质量\n达标率(%) 50 60\n",
    # cell per line
    ("序号\n指标\n2020年\n2025年\n一、普及水平\n1\n入园率（%）\n90\n95\n2\n巩固率（%）\n97\n99\n"
    "二、质量\n3\n达标率（%）\n50\n60\n"),
    # pipe rows, group row as a row of one cell
    ("| 序号 | 指标 | 2020年 | 2025年 |\n|---|---|---|---|\n| | 一、普及水平 | | |\n"
    "| 1 | 入园率(%) | 90 | 95 |\n| 2 | 巩固率(%) | 97 | 99 |\n| | 二、质量 | | |\n"
    "| 3 | 达标率(%) | 50 | 60 |\n"),
])
def test_group_rows(text):
    items = [it for it in _parse(text) if it.role == "target"]
    assert [(it.name_raw, it.group) for it in items] == [
        ("入园率", "一、普及水平"), ("巩固率", "一、普及水平"), ("达标率", "二、质量")]


@pytest.mark.parametrize("text", [
    ("序号 指标 2025年\n1 专任教师本科学历比例(%) 95\n其中：高中研究生学历比例(%) 30\n"
    "2 入园率(%) 90\n"),
    "序号 指标 2025年\n1 专任教师本科学历比例(%) 95\n其中:\n高中研究生学历比例(%) 30\n2 入园率(%) 90\n",
    "序号\n指标\n2025年\n1\n专任教师本科学历比例（%）\n95\n其中：高中研究生学历比例（%）\n30\n2\n入园率（%）\n90\n",
])
def test_sub_rows_keep_their_parent(text):
    assert [(it.item_key, it.name_raw, it.parent_key, it.value) for it in _parse(text)] == [
        ("p:ind:1", "专任教师本科学历比例", None, 95.0),
        ("p:ind:2", "高中研究生学历比例", "p:ind:1", 30.0),
        ("p:ind:3", "入园率", None, 90.0)]


def test_unreadable_header_is_a_problem_not_silence():
    problems: list[Problem] = []
    items = _parse("前言\n\n指标 2020年 2025年 完成情况说明书\n入园率(%) 90 95 良好\n", problems)
    assert items == []
    assert [(p.line, p.kind) for p in problems] == [(3, "table_header_unread")]
    assert "完成情况说明书" in problems[0].message


def test_header_without_rows_is_a_problem():
    problems: list[Problem] = []
    assert _parse("指标\t2020年\t2025年\n本表数据由区统计局提供。\n", problems) == []
    assert [(p.line, p.kind) for p in problems] == [(1, "table_without_rows")]


def test_prose_mentioning_indicators_is_no_problem():
    problems: list[Problem] = []
    _parse("到2025年，主要指标达到全市平均水平，2020年基础上提高。\n", problems)
    assert problems == []


def test_bad_value_in_a_tab_row_is_an_error():
    with pytest.raises(InputError) as info:
        _parse("序号\t指标\t2025年\n1\t入园率（%）\t90\n2\t巩固率（%）\t大约九成\n")
    assert info.value.line == 3


def test_traditional_header_and_rows():
    items = _parse("序號\t指標名稱\t2020年\t2025年目標\t屬性\n1\t學前教育入園率（%）\t90\t>92\t預期性\n")
    assert _rows(items) == [
        ("p:ind:1", "學前教育入園率", "%", 2025, "target", ">92", 92.0, "預期性", None, None),
        ("p:ind:1:base", "學前教育入園率", "%", 2020, "baseline", "90", 90.0, "預期性", None,
         None)]


@pytest.mark.parametrize("text", [
    "类别\n序号\n指标\n2025年\n普及水平\n1\n入园率（%）\n95\n2\n巩固率（%）\n99\n质量\n3\n达标率（%）\n60\n",
    "类别 序号 指标 2025年\n普及水平 1 入园率(%) 95\n2 巩固率(%) 99\n质量 3 达标率(%) 60\n",
])
def test_group_cell_printed_once_for_several_rows(text):
    assert [(it.item_key, it.name_raw, it.group, it.value) for it in _parse(text)] == [
        ("p:ind:1", "入园率", "普及水平", 95.0), ("p:ind:2", "巩固率", "普及水平", 99.0),
        ("p:ind:3", "达标率", "质量", 60.0)]


def test_first_tab_row_hard_wrapped():
    items = _parse("指标\t2020年\t2025年\n学前教育专任教师接受专业\n教育比例（%）\t85\t95\n")
    assert [(it.name_raw, it.unit, it.value, it.line, it.line_end) for it in items] == [
        ("学前教育专任教师接受专业教育比例", "%", 95.0, 2, 3),
        ("学前教育专任教师接受专业教育比例", "%", 85.0, 2, 3)]


# A header cell that joins its column's word with more names that column (all table topics).
@pytest.mark.parametrize(("topic", "cell", "kind"), [
    ("projects", "建设内容及规模", "content"),
    ("projects", "责任单位及责任人", "responsible"),
    ("projects", "实施年限/进度", "period"),
    ("projects", "项目名称（地点）", "title"),
    ("tables", "指标名称及口径", "name"),
    ("tables", "单位（%）", "unit"),
    ("projects", "建设内容规模", None),     # no joining mark: not understood
    ("projects", "及建设内容", None),       # the first word must be a header word
])
def test_joined_header_cells(topic, cell, kind):
    from plancompare.parse.tableheader import header_words

    got = header_words(topic).cell(cell)
    assert (got.kind if got else None) == kind


def test_project_table_with_joined_header_cells_is_read():
    from plancompare.parse.projects import parse_projects
    from plancompare.parse.sections import assign_parts

    text = ("某区教育发展规划（2021-2025年）\n四、重点项目\n"
            "序号\t项目名称\t建设内容及规模\t建设期限\t责任单位\n"
            "1\t某区第一小学新建工程\t新建24个班\t2021-2023年\t区教委、区发改委\n")
    doc = parse_text(text, path="t.txt")
    items = parse_projects(doc, assign_parts(doc), key_prefix="t")
    assert [(it.name_raw, it.schedule, it.responsible_units, it.quote) for it in items] == [
        ("某区第一小学新建工程", "2021-2023年", ["区教委", "区发改委"], "1\t某区第一小学新建工程")]


def test_project_header_with_an_unknown_cell_is_read_and_the_cell_named():
    from plancompare.parse.projects import parse_projects
    from plancompare.parse.sections import assign_parts

    text = ("某区教育发展规划（2021-2025年）\n四、重点项目\n"
            "序号\t项目名称\t建设内容\t投资主体\t建设期限\n"
            "1\t某区第一小学新建工程\t新建24个班\t区政府\t2021-2023年\n")
    doc = parse_text(text, path="t.txt")
    problems: list = []
    items = parse_projects(doc, assign_parts(doc), key_prefix="t", problems=problems)
    assert [(it.name_raw, it.body, it.schedule) for it in items] == [
        ("某区第一小学新建工程", "新建24个班", "2021-2023年")]
    assert [(p.line, p.kind) for p in problems] == [(3, "project_header_cells_unread")]
    assert "投资主体" in problems[0].message
    # a line with one project word among unknown cells is no header
    doc = parse_text("四、重点项目\n说明\t项目名称\t其他\n", path="t.txt")
    assert parse_projects(doc, assign_parts(doc), key_prefix="t", problems=problems) == []
