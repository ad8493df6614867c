"""Tables of a Word original, through the formats helper's rendition (TAB rows, merged cells
repeated), read by the indicator-table, task-list and project parsers; targets in table cells."""

from __future__ import annotations

import io

import pytest

from plancompare.parse.ingest import parse_text
from plancompare.parse.projects import parse_projects
from plancompare.parse.run import check_provenance
from plancompare.parse.sections import assign_parts
from plancompare.parse.tables import parse_indicator_tables
from plancompare.parse.targets import parse_text_targets
from plancompare.parse.tasklist import parse_task_list

docx = pytest.importorskip("docx")
from plancompare.render import docx as render_docx


def _docx(rows: list[list[str]], merge_rows: tuple[int, ...] = ()) -> bytes:
    document = docx.Document()
    document.add_paragraph("二、发展目标")
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    for r in merge_rows:  # a group row: one cell across the table
        merged = table.cell(r, 0).merge(table.cell(r, len(rows[0]) - 1))
        merged.text = rows[r][0]
    document.add_paragraph("三、主要任务")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _text(data: bytes) -> str:
    return render_docx.render(data, "plan.docx").text


def test_word_indicator_table_with_a_merged_group_row():
    rows = [["序号", "指标", "单位", "2020年", "2025年", "属性"],
            ["一、普及水平", "", "", "", "", ""],
            ["1", "学前教育毛入园率", "%", "90", ">92", "预期性"],
            ["2", "九年义务教育巩固率", "%", "99", "≥99.5", "约束性"]]
    text = _text(_docx(rows, merge_rows=(1,)))
    assert "一、普及水平\t一、普及水平" in text  # the rendition repeats a merged cell
    doc = parse_text(text, path="plan.docx")
    items = parse_indicator_tables(doc, {}, key_prefix="p", end_year=2025)
    assert [(it.item_key, it.name_raw, it.unit, it.year, it.value_text, it.attribute, it.group)
            for it in items] == [
        ("p:ind:1", "学前教育毛入园率", "%", 2025, ">92", "预期性", "一、普及水平"),
        ("p:ind:1:base", "学前教育毛入园率", "%", 2020, "90", "预期性", "一、普及水平"),
        ("p:ind:2", "九年义务教育巩固率", "%", 2025, "≥99.5", "约束性", "一、普及水平"),
        ("p:ind:2:base", "九年义务教育巩固率", "%", 2020, "99", "约束性", "一、普及水平")]


def test_word_task_list():
    rows = [["序号", "具体措施", "完成时限", "牵头单位", "配合单位"],
            ["1", "建设智慧校园。推进数字化转型。", "2023年底", "区教委", "区财政局、区科委"],
            ["2", "加强师德建设。完善考核机制。", "持续推进", "区教委", ""]]
    doc = parse_text(_text(_docx(rows)), path="plan.docx")
    items = parse_task_list(doc, {}, key_prefix="t", tasks=[])
    assert [(it.name_raw, it.schedule, it.lead_units, it.support_units) for it in items] == [
        ("建设智慧校园", "2023年底", ["区教委"], ["区财政局", "区科委"]),
        ("加强师德建设", "持续推进", ["区教委"], [])]


@pytest.mark.parametrize(("header", "row", "quote"), [
    # a 序号 cell: the quote runs from it to the title cell, as "1 名称" in a text copy
    ("序号\t项目名称\t主要内容", "1\t示范校建设项目\t新建示范校3所。", "1\t示范校建设项目"),
    ("| 序号 | 项目名称 | 主要内容 |", "| 2 | 示范校建设项目 | 新建示范校3所。 |",
     "2 | 示范校建设项目"),
    # the number printed in the title cell, no 序号 column: the title cell as "1.名称"
    ("项目名称\t主要内容", "3.示范校建设项目\t新建示范校3所。", "3.示范校建设项目"),
    # a 序号 column after the title is no part of the quote
    ("项目名称\t序号\t主要内容", "示范校建设项目\t4\t新建示范校3所。", "示范校建设项目"),
])
def test_project_row_quote_is_number_and_title(header, row, quote):
    doc = parse_text(f"附件 重点项目一览表\n{header}\n{row}\n", path="made_up.txt")
    [item] = parse_projects(doc, assign_parts(doc), key_prefix="t")
    check_provenance([item], doc)
    assert (item.name_raw, item.quote, item.body) == ("示范校建设项目", quote, "新建示范校3所。")


@pytest.mark.parametrize(("row", "quote"), [
    ("1.示范校建设项目\t到2025年，新建示范校30所。", "到2025年，新建示范校30所。"),
    ("1\t示范校建设项目\t加强管理。到2025年，新建示范校30所。\t区教委",
     "到2025年，新建示范校30所。"),
])
def test_a_target_in_a_table_cell_is_quoted_by_its_own_sentence(row, quote):
    doc = parse_text(f"三、主要任务\n{row}\n", path="made_up.txt")
    items = parse_text_targets(doc, assign_parts(doc), key_prefix="t", end_year=2025)
    check_provenance(items, doc)
    assert [(it.name_raw, it.value, it.year, it.quote) for it in items] == [
        ("新建示范校30所", 30.0, 2025, quote)]


def test_word_project_over_merged_rows_is_one_project():
    """序号 and 项目名称 merged over two content rows: the rendition repeats them, and the second
    row continues the project (no 'number appears twice')."""
    document = docx.Document()
    document.add_paragraph("附件 重点项目一览表")
    rows = [["序号", "项目名称", "主要内容", "责任单位", "建设周期"],
            ["1", "示范校建设项目", "新建示范校3所。", "区教委", "2021-2023年"],
            ["", "", "改扩建学校5所。", "区财政局、区教委", "2022-2025年"],
            ["2", "智慧校园项目", "建设数据中心。", "区科委", ""]]
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text:
                table.cell(r, c).text = text
    for c in (0, 1):
        table.cell(1, c).merge(table.cell(2, c))
    buf = io.BytesIO()
    document.save(buf)
    text = _text(buf.getvalue())
    assert "1\t示范校建设项目\t改扩建学校5所。" in text
    doc = parse_text(text, path="plan.docx")
    items = parse_projects(doc, assign_parts(doc), key_prefix="t")
    check_provenance(items, doc)
    assert [(it.item_key, it.name_raw, it.body, it.responsible_units, it.schedule, it.quote,
             it.line_end - it.line) for it in items] == [
        ("t:proj:key:1", "示范校建设项目", "新建示范校3所。\n改扩建学校5所。",
         ["区教委", "区财政局"], "2021-2023年", "1\t示范校建设项目", 1),
        ("t:proj:key:2", "智慧校园项目", "建设数据中心。", ["区科委"], None,
         "2\t智慧校园项目", 0)]
