"""Key projects from annex tables: exact counts, titles and contents from the documents."""

from __future__ import annotations

import pytest
from conftest import fixture_path

from plancompare.errors import InputError
from plancompare.parse.ingest import parse_text, read_document
from plancompare.parse.projects import parse_projects, table_group
from plancompare.parse.sections import assign_parts


def _projects(docs, name):
    doc, parts = docs[name]
    return {it.item_key: it for it in parse_projects(doc, parts, key_prefix=name)}


@pytest.mark.parametrize(("name", "groups"), [
    ("tongzhou", {"重点项目": 17}),
    ("haidian", {"大工程": 10, "重点项目": 24}),
    ("daxing1", {}),
    ("daxing2", {"重点项目": 8}),
    ("anon1", {}),
])
def test_project_counts(docs, name, groups):
    items = _projects(docs, name).values()
    counts: dict[str, int] = {}
    for it in items:
        counts[it.attribute] = counts.get(it.attribute, 0) + 1
    assert counts == groups
    assert all(it.item_type == "project" and it.source == "annex" for it in items)
    assert all(it.section == "annex" for it in items)


@pytest.mark.parametrize(("key", "line", "name_raw"), [
    ("tongzhou:proj:key:1", 286, "家校社协同育人项目"),
    ("tongzhou:proj:key:8", 307, "减轻义务教育阶段学生作业负担和校外负担项目"),
    ("tongzhou:proj:key:17", 334, "教育督导与评价专业化建设项目"),
    ("haidian:proj:major:1", 476, "深入推进全面育人工程"),
    ("haidian:proj:major:10", 494, "深化教育督导改革工程"),
    ("haidian:proj:key:1", 500, "大中小学思政课一体化建设"),
    ("haidian:proj:key:15", 528, "“大教研”海淀范式3.0建设"),
    ("haidian:proj:key:24", 546, "平安校园建设"),
    ("daxing2:proj:key:1", 9, "中小学生综合实践活动体系建设计划"),
    ("daxing2:proj:key:5", 47, "“三名工程”项目"),
    ("daxing2:proj:key:8", 66, "中国特色国际学校建设项目"),
])
def test_project_titles(docs, key, line, name_raw):
    item = _projects(docs, key.split(":")[0])[key]
    assert (item.line, item.name_raw) == (line, name_raw)


def test_daxing_split_title(docs):
    item = _projects(docs, "daxing2")["daxing2:proj:key:3"]
    assert item.name_raw == "深化集团化办学改革项目"
    assert (item.line, item.line_end) == (27, 28)
    assert item.quote == "深化集团化办学改革\n项目"
    assert item.body.splitlines()[0] == "1.总结“十三五”时期教育集团办学改革经验，引导、支持和加快教育集团的发展力度。"
    assert item.body.count("\n") == 3


def test_daxing_content_keeps_list_numbers_fused_with_years(docs):
    body = _projects(docs, "daxing2")["daxing2:proj:key:7"].body
    assert body.splitlines()[1].startswith("2.2022年，设立5所未来学校试点校")
    assert len(body.splitlines()) == 4


def test_tongzhou_project_content(docs):
    item = _projects(docs, "tongzhou")["tongzhou:proj:key:13"]
    assert item.name_raw == "绿色校园建设项目"
    assert item.quote == "13.绿色校园建设项目"
    assert item.body == ("实施绿色校园创建行动，加大经费投入和政策保障，优化绿色校园建设的途径和模式，"
                         "实现绿色校园建设达标率70%。")
    assert "达标率70%" in item.body


def test_haidian_annex_list_is_not_counted(docs):
    items = _projects(docs, "haidian")
    assert {it.line for it in items.values()}.isdisjoint({468, 470, 472, 496})
    assert all(it.body is None for it in items.values())


def test_split_title_fixture():
    doc = read_document(fixture_path("structure_split_title.txt"), display_path="f.txt")
    items = parse_projects(doc, assign_parts(doc, "implementation"), key_prefix="t")
    assert [(it.item_key, it.name_raw, it.line, it.line_end) for it in items] == [
        ("t:proj:key:1", "中小学生综合实践活动体系建设计划", 9, 9),
        ("t:proj:key:2", "深化集团化办学改革项目", 16, 17),
        ("t:proj:major:1", "深入推进全面育人工程", 26, 26),
        ("t:proj:major:2", "中小学教学质量提升工程", 27, 27),
    ]
    assert items[0].body == "1.统筹规划建设综合实践基地。\n2.2022年，启动“兴星”教育计划。"


def test_repeated_row_number_is_an_input_error():
    text = "规划\n 重点项目一览表\n序号 项目名称\n1 甲项目\n1 乙项目\n"
    doc = parse_text(text, path="dup.txt")
    with pytest.raises(InputError) as exc:
        parse_projects(doc, assign_parts(doc, "implementation"), key_prefix="t")
    assert exc.value.line == 5 and "dup.txt:5" in str(exc.value)


@pytest.mark.parametrize(("title", "group"), [
    ("附件:1.“十四五”时期海淀教育10大工程", "大工程"),
    ("附件2 “十四五”时期海淀教育重点项目(24项)", "重点项目"),
    ("大兴区“十四五”时期重点项目一览表", "重点项目"),
    ("附表 建设项目", "项目"),
])
def test_table_group(title, group):
    assert table_group(title) == group
