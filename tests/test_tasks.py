"""Main-task hierarchy: exact counts, headings and 责任单位 from the documents, golden files."""

from __future__ import annotations

import pytest
from conftest import RAW_FILES, fixture_path
from regen_golden_structure import golden_path, golden_text, structure_items

from plancompare.parse.ingest import parse_text, read_document
from plancompare.parse.sections import assign_parts
from plancompare.parse.tasks import cn_numeral, lead_sentence, parse_tasks, split_units, strip_units


def _tasks(docs, name):
    doc, parts = docs[name]
    return parse_tasks(doc, parts, key_prefix=name)


def _by_key(items):
    return {it.item_key: it for it in items}


def _fixture(name, start=None):
    doc = read_document(fixture_path(name), display_path=name)
    return doc, assign_parts(doc, start)


@pytest.mark.parametrize(("name", "level1", "level2"), [
    ("tongzhou", 4, 18),
    ("haidian", 15, 56),
    ("daxing1", 8, 28),
    ("daxing2", 0, 0),
    ("anon1", 8, 29),
])
def test_task_counts(docs, name, level1, level2):
    items = _tasks(docs, name)
    assert sum(it.level == 1 for it in items) == level1
    assert sum(it.level == 2 for it in items) == level2


@pytest.mark.parametrize(("key", "line", "name_raw"), [
    ("tongzhou:task:1", 198, "夯实基础，建设基础教育优质均衡示范区"),
    ("tongzhou:task:3", 246, "共建共享，建设教育开放融通先行区"),
    ("tongzhou:task:1.1", 199, "推动学前教育普及、普惠、安全、优质发展"),
    ("tongzhou:task:2.6", 243, "推进教育治理体系和治理能力现代化"),
    ("tongzhou:task:4.3", 268, "推进更大区域协同发展"),
    ("haidian:task:1", 262, "加强党对教育工作的全面领导"),
    ("haidian:task:15", 422, "深化新时代教育评价改革"),
    ("haidian:task:2.1", 276, "构建系统衔接的一体化德育体系"),
    ("haidian:task:14.7", 420, "持续推进跨区域教育帮扶与交流"),
    ("daxing1:task:5", 71, "全面深化新时代干部教师队伍建设"),
    ("daxing1:task:2.8", 36, "全面加强学校家庭政府社会协同育人工作机制"),
    ("daxing1:task:8.3", 98, "完善社会多元参与教育治理机制"),
    ("anon1:task:8", 38, "实施深化教育领域综合改革行动计划"),
    ("anon1:task:1.1", 7, "全面推动习近平新时代中国特色社会主义思想进教材进课堂进头脑"),
    ("anon1:task:2.4", 16, "保障特殊群体的平等受教育权利"),
])
def test_heading_text(docs, key, line, name_raw):
    item = _by_key(_tasks(docs, key.split(":")[0]))[key]
    assert (item.line, item.name_raw) == (line, name_raw)


def test_numbering_and_bookmarks_stay_out_of_names(docs):
    for name in RAW_FILES:
        for it in _tasks(docs, name):
            assert "bookmark" not in it.name_raw and "责任单位" not in it.name_raw
            assert not it.name_raw[0].isdigit() and it.name_raw[0] not in "(（"


def test_parents_and_sections(docs):
    for name in RAW_FILES:
        items = _tasks(docs, name)
        keys = _by_key(items)
        for it in items:
            assert it.section == "tasks" and it.item_type == "task" and it.source == "heading"
            if it.level == 2:
                assert keys[it.parent_key].level == 1
                assert it.item_key.startswith(it.parent_key + ".")
            else:
                assert it.parent_key is None


def test_daxing_five_has_no_subtasks_and_keeps_its_paragraphs(docs):
    items = _by_key(_tasks(docs, "daxing1"))
    assert not any(k.startswith("daxing1:task:5.") for k in items)
    body = items["daxing1:task:5"].body
    assert body.startswith("全面加强师德师风建设。") and body.count("\n") == 5


def test_haidian_intro_paragraph_is_level1_body(docs):
    items = _by_key(_tasks(docs, "haidian"))
    assert items["haidian:task:2"].body.startswith("全面贯彻立德树人根本任务,")
    assert items["haidian:task:2.1"].body.startswith("将立德树人融入教育教学各环节")
    assert [k for k in items if k.startswith("haidian:task:1.")] == [
        "haidian:task:1.1", "haidian:task:1.2", "haidian:task:1.3"]


def test_level1_body_is_its_own_intro_only(docs):
    items = _by_key(_tasks(docs, "tongzhou"))
    assert items["tongzhou:task:1"].body is None
    assert items["tongzhou:task:1.1"].body.startswith("优化学前教育资源供给。")
    assert items["tongzhou:task:1.1"].body.count("\n") == 3


def test_anon_inline_subtask_units(docs):
    items = _by_key(_tasks(docs, "anon1"))
    first = items["anon1:task:1.1"]
    assert first.responsible_units == ["区教育局", "区委宣传部", "区委组织部"]
    assert first.body.startswith("将习近平新时代中国特色社会主义思想纳入教育系统党员干部")
    assert "责任单位" not in first.body
    assert first.quote == "1.全面推动习近平新时代中国特色社会主义思想进教材进课堂进头脑。"
    assert items["anon1:task:2.4"].responsible_units == [
        "区教育局", "区卫生健康委", "区财政局", "区残联"]
    assert items["anon1:task:3.4"].responsible_units == ["区教育局", "区合作交流办", "区人社局"]
    assert all(it.responsible_units for it in items.values() if it.level == 2)


def test_implementation_headings_are_not_tasks(docs):
    items = _tasks(docs, "tongzhou")
    assert max(it.line for it in items) == 268
    assert "全面推进依法治教" not in {it.name_raw for it in items}


@pytest.mark.parametrize("name", list(RAW_FILES))
def test_every_quote_occurs_in_its_raw_lines(docs, name):
    doc, parts = docs[name]
    for it in structure_items(doc, parts, name):
        assert it.source_file == doc.path
        raw = "\n".join(doc.line(n).raw for n in range(it.line, (it.line_end or it.line) + 1))
        assert it.quote and it.quote in raw, it.item_key


@pytest.mark.parametrize("name", list(RAW_FILES))
def test_golden_structure(name):
    expected = golden_path(name).read_text(encoding="utf-8")
    assert golden_text(name) == expected, (
        f"structure of {name} changed; review and run tests/regen_golden_structure.py")


def test_halfwidth_fixture():
    doc, parts = _fixture("structure_halfwidth.txt")
    items = _by_key(parse_tasks(doc, parts, key_prefix="t"))
    assert list(items) == ["t:task:1", "t:task:1.1", "t:task:1.2", "t:task:2", "t:task:3",
                           "t:task:3.1"]
    assert items["t:task:1"].quote == "(一)夯实基础，建设优质均衡示范区"
    assert items["t:task:2"].body.splitlines()[0] == "全面加强师德师风建设。坚持将师德教育摆在首位。"
    assert items["t:task:3"].body == "本部分的引言。"
    assert items["t:task:3.1"].responsible_units == ["区教育局", "区妇联", "区文明办"]


def test_lead_sentence_fixture():
    doc, parts = _fixture("structure_leadsentence.txt")
    items = _by_key(parse_tasks(doc, parts, key_prefix="t"))
    assert list(items) == ["t:task:1", "t:task:1.1", "t:task:1.2", "t:task:2", "t:task:2.1"]
    assert items["t:task:1"].body == "健全领导制度体系,以一流党建引领教育高质量发展。"
    assert items["t:task:1.1"].name_raw == "用党的创新理论武装头脑、指导实践"


def test_first_form_of_the_task_part_is_level_one():
    # A level is the rank of a form in its part: a part numbered only 1. has level-1 tasks.
    doc = parse_text("二、主要任务\n1.推动学前教育发展\n正文。\n", path="x.txt")
    items = parse_tasks(doc, assign_parts(doc), key_prefix="t")
    assert [(it.item_key, it.level, it.name_raw, it.body) for it in items] == [
        ("t:task:1", 1, "推动学前教育发展", "正文。")]


@pytest.mark.parametrize(("text", "value"), [
    ("一", 1), ("九", 9), ("十", 10), ("十一", 11), ("十五", 15), ("二十", 20), ("二十三", 23)])
def test_cn_numeral(text, value):
    assert cn_numeral(text) == value


def test_text_helpers():
    assert split_units(" 区教育局、区人社局，区财政局; ") == ["区教育局", "区人社局", "区财政局"]
    assert strip_units("正文。（责任单位：区教育局、区残联）") == ("正文。", ["区教育局", "区残联"])
    assert strip_units("正文。") == ("正文。", [])
    assert lead_sentence("标题。正文。", 10) == ("标题", "正文。")
    assert lead_sentence("只有一句。", 10) is None
    assert lead_sentence("很长的第一句话超过了限制。正文。", 5) is None
