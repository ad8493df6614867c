"""Structure rules (headings, parts, TOC, page furniture, periods) on made-up sentences."""

from __future__ import annotations

import pytest

from plancompare.parse import analyse_document
from plancompare.parse.headings import heading_form, rank_forms
from plancompare.parse.ingest import make_line, parse_text
from plancompare.parse.sections import classify_heading, is_title, period_end, structure
from plancompare.parse.tasks import parse_tasks


def tasks_of(text: str, start: str | None = None):
    doc = parse_text(text, path="t.txt")
    parts = structure(doc, start).parts
    return [(it.item_key, it.level, it.name_raw, it.source)
            for it in parse_tasks(doc, parts, key_prefix="t")]


@pytest.mark.parametrize(("line", "form", "title", "inline"), [
    ("第三章　主要任务", "chapter", "主要任务", False),
    ("第十二章发展目标", "chapter", "发展目标", False),
    ("第一节  加强教师队伍建设", "section", "加强教师队伍建设", False),
    ("第一条 为推进教育现代化，制定本方案。", "article", "为推进教育现代化，制定本方案。", False),
    ("第二条 本方案适用于全区。各校参照执行。", "article", "本方案适用于全区。各校参照执行。", True),
    ("第二部分是发展目标", "part", "发展目标", False),
    ("四、保障措施", "cn_dun", "保障措施", False),
    ("（二）促进学前教育普惠发展", "cn_paren", "促进学前教育普惠发展", False),
    ("(二)促进学前教育普惠发展", "cn_paren", "促进学前教育普惠发展", False),
    ("（3）完善督导制度", "num_paren", "完善督导制度", False),
    ("3．完善督导制度", "num_dot", "完善督导制度", False),
    ("3、完善督导制度", "num_dot", "完善督导制度", False),
    ("②建设智慧校园", "circled", "建设智慧校园", False),
    ("一是加强党的建设，健全领导体制。二是深化改革。", "inline_shi",
     "加强党的建设，健全领导体制。二是深化改革。", True),
    ("（一）夯實基礎，建設示範區", "cn_paren", "夯實基礎，建設示範區", False),  # as printed
])
def test_heading_forms(line, form, title, inline):
    h = heading_form(make_line(1, line))
    assert (h.form, h.title, h.inline) == (form, title, inline)


@pytest.mark.parametrize("line", [
    "2025年，学前教育毛入园率达到90%。", "1.5万个学位", "十四五时期是关键期。", "——加强体育工作",
    "123", "一流大学建设",
])
def test_not_headings(line):
    assert heading_form(make_line(1, line)) is None


@pytest.mark.parametrize(("title", "part"), [
    ("主要任务", "tasks"), ("主要举措", "tasks"), ("重点任务", "tasks"), ("发展任务", "tasks"),
    ("发展目标", "goals"), ("发展愿景", "goals"), ("總體要求", "goals"), ("指导思想和发展目标", "goals"),
    ("保障措施", "implementation"), ("组织实施", "implementation"),
    ("发展基础与形势要求", "background"), ("规划背景", "background"),
    ("指导思想", "guiding"), ("基本原则", "guiding"),
    ("基础教育优质均衡发展", "unknown"), ("实施素质教育提升工程", "unknown"), ("其他事项", "unknown"),
])
def test_section_titles(title, part):
    assert classify_heading(title) == part


def test_levels_are_ranks_within_each_part():
    assert rank_forms(["section", "cn_dun", "section", "cn_paren"]) == {
        "section": 1, "cn_dun": 2, "cn_paren": 3}
    text = ("第三章 总体要求\n第一节 发展目标\n到2025年，普惠率达到90%。\n"
            "第四章 主要任务\n第一节 推进学前教育发展\n一、扩大普惠资源\n正文一。\n"
            "二、提高保教质量\n正文二。\n第二节 推进义务教育优质均衡\n正文三。\n第五章 保障措施\n"
            "第一节 加强组织领导\n正文四。\n")
    assert tasks_of(text) == [
        ("t:task:1", 1, "推进学前教育发展", "heading"), ("t:task:1.1", 2, "扩大普惠资源", "heading"),
        ("t:task:1.2", 2, "提高保教质量", "heading"), ("t:task:2", 1, "推进义务教育优质均衡", "heading")]


def test_inline_enumeration_under_a_part_heading():
    text = ("第一部分是发展基础\n全市幼儿园达到800所。\n第三部分是发展任务\n"
            "一是全面落实立德树人根本任务，包括五项任务：\n1.加强思想政治教育\n二是推进教育公平，包括三项任务：\n")
    assert tasks_of(text) == [
        ("t:task:1", 1, "全面落实立德树人根本任务", "heading"),
        ("t:task:1.1", 2, "加强思想政治教育", "heading"),
        ("t:task:2", 1, "推进教育公平", "heading")]


def test_enumeration_in_the_background_is_no_task():
    text = "一、编制背景\n（一）主要成绩\n一是教育事业实现新进位。全市新建学校30所。\n"
    assert tasks_of(text) == []


def test_unnumbered_titles_and_a_task_chapter_after_the_goals():
    text = ("某省教育规划要点如下，全文共分五个部分，涵盖各级各类教育。\n\n发展目标与总体思路\n"
            "到2025年，全省教育现代化水平显著提升，学前三年毛入园率超过90%。\n\n"
            "职业教育提质培优\n全省将推进职业教育提质培优作为重点工作，建设一批高水平学校和专业。\n")
    doc = parse_text(text, path="t.txt")
    st = structure(doc)
    assert [(t.part, t.title, t.inferred) for t in st.top] == [
        ("goals", "发展目标与总体思路", False), ("tasks", "职业教育提质培优", True)]
    assert tasks_of(text) == [("t:task:1", 1, "职业教育提质培优", "heading")]


def test_a_text_without_parts_is_read_for_numbered_headings_only():
    text = "某市召开会议部署教育工作。\n（一）加强教师队伍建设\n会议要求加强师德建设。\n普通的一句话。\n"
    doc = parse_text(text, path="t.txt")
    assert set(structure(doc).parts.values()) == {"unknown"}
    assert tasks_of(text) == [("t:task:1", 1, "加强教师队伍建设", "heading")]


TOC_ONLY = ("关于印发某区教育发展规划的通知\n\n第一章  发展基础  3\n\n第一节  主要成效  3\n\n"
            "第二章  总体要求  8\n\n第一节  发展目标  9\n\n第三章  主要任务  12\n\n"
            "第一节  促进学前教育普惠发展  12\n\n第二节  推进义务教育优质均衡  15\n\n"
            "第四章  保障措施  30\n")


def test_toc_without_title_is_noise_and_gives_the_tasks_of_an_excerpt():
    doc = parse_text(TOC_ONLY, path="t.txt")
    assert [ln.no for ln in doc.lines if ln.noise == "toc"] == list(range(3, 18, 2))
    assert tasks_of(TOC_ONLY) == [("t:task:1", 1, "促进学前教育普惠发展", "toc"),
                                  ("t:task:2", 1, "推进义务教育优质均衡", "toc")]


def test_toc_tasks_are_not_used_when_the_body_has_the_headings():
    body = "\n第三章 主要任务\n第一节 促进学前教育普惠发展\n正文。\n第二节 推进义务教育优质均衡\n正文。\n"
    assert [t[3] for t in tasks_of(TOC_ONLY + body)] == ["heading", "heading"]


@pytest.mark.parametrize(("line", "noise"), [
    ("— 12 —", "page_number"), ("- 3 -", "page_number"), ("第 3 页", "page_number"),
    ("第3页 共20页", "page_number"), ("－ 7 －", "page_number"), ("Page 4", "page_number"),
    ("12", "page_number"), ("到2025年达到90%。", None), ("1.加强党建", None),
])
def test_page_number_lines(line, noise):
    doc = parse_text(f"某区教育规划正文第一段。\n\n{line}\n\n正文第二段。\n", path="t.txt")
    assert doc.line(3).noise == noise


def test_a_page_number_inside_a_table_is_noise_and_the_cell_is_not():
    doc = parse_text("指标\t2025年\n\t1\n— 2 —\n\t学前教育毛入园率\n\t90\n", path="t.txt")
    assert [(ln.no, ln.noise) for ln in doc.lines if ln.noise] == [(3, "page_number")]


@pytest.mark.parametrize(("text", "year"), [
    ("某区“十四五”时期教育发展规划\n正文。\n", 2025),
    ("某区教育发展规划（2026—2030年）\n正文提到十四五成就。\n", 2030),
    ("会议回顾了十三五成就，部署十四五任务。\n", 2025),
    ("没有任何时期的文字。\n", None),
])
def test_period_from_the_text(text, year):
    assert period_end(parse_text(text, path="t.txt")) == year


@pytest.mark.parametrize(("line", "title"), [
    ("某区“十四五”时期教育事业发展规划", True), ("某市教育现代化实施方案（2021-2025年）", True),
    ("表1 某区“十四五”规划主要指标", False), ("行动计划", False), ("实施“远航计划”之科学素养提升工程。", False),
])
def test_document_titles(line, title):
    assert is_title(make_line(1, line)) is title


def test_report_names_what_was_not_understood():
    doc = parse_text("今天天气很好。\n我们去公园散步。\n", path="walk.txt")
    result = analyse_document(doc, doc_id="p", key_prefix="p", end_year=2025)
    assert result.items == []
    assert result.report.warnings == [
        ("walk.txt: nothing understood: no task, target, table or project in 2 lines of text "
        "and no recognised part")]
    assert result.report.unread == {"no recognised part, quoted by no item": [1, 2]}


def test_running_header_without_page_numbers_at_regular_intervals():
    body = [f"第{k}段正文，内容各不相同，编号{k}。" for k in range(80)]
    lines = []
    for k, line in enumerate(body):
        if k % 20 == 0:
            lines.append("某区教育发展规划（征求意见稿）")
        lines.append(line)
    doc = parse_text("\n".join(lines) + "\n", path="t.txt")
    assert [ln.no for ln in doc.lines if ln.noise == "running_header"] == [1, 22, 43, 64]
    # the same short line at irregular places (a table cell, a unit) is no header
    doc = parse_text("区教育局\n正文。\n区教育局\n" + "正文。\n" * 30 + "区教育局\n", path="t.txt")
    assert not any(ln.noise for ln in doc.lines)


@pytest.mark.parametrize(("text", "line", "kind"), [
    ("前言\n\n指标 2020年 2025年 完成情况说明书\n入园率(%) 90 95 良好\n", 3, "table_header_unread"),
    ("指标\t2020年\t2025年\n本表数据由区统计局提供。\n", 1, "table_without_rows"),
    ("序号\t具体措施\t完成时限\n本表由区教委负责解释。\n", 1, "task_list_without_rows"),
])
def test_table_parser_problems_are_report_warnings(text, line, kind):
    doc = parse_text(text, path="made_up.txt")
    report = analyse_document(doc, doc_id="p", key_prefix="p", end_year=2025).report
    told = [w for w in report.warnings if w.startswith(f"made_up.txt:{line}:")]
    assert len(told) == 1 and told[0].endswith(f"({kind})")
    assert f"warning: {told[0]}" in report.text()


@pytest.mark.parametrize(("text", "expected"), [
    ("规划部署了主要任务：一是坚持立德树人根本任务；二是推进学前教育普及普惠；三是建设高素质教师队伍。\n",
     [("t:task:1", 1, "坚持立德树人根本任务", "text"), ("t:task:2", 1, "推进学前教育普及普惠", "text"),
      ("t:task:3", 1, "建设高素质教师队伍", "text")]),
    ("二、主要任务\n（一）深化教育改革\n当前重点：一是完善评价机制，健全制度；二是推进集团化办学。\n",
     [("t:task:1", 1, "深化教育改革", "heading"), ("t:task:1.1", 2, "完善评价机制", "text"),
      ("t:task:1.2", 2, "推进集团化办学", "text")]),
    ("今天天气很好：一是晴天；二是无风。\n", []),
])
def test_inline_enumeration_items_are_tasks(text, expected):
    assert tasks_of(text) == expected


# A table repeats rows (小计, 同上) at regular intervals and may end its rows in a rising number;
# neither makes a table row a running header or a table-of-contents entry.
@pytest.mark.parametrize(("rows", "what"), [
    (["| 小计 | — | — |", *(f"| 项目{i} | 1 | 2 |" for i in range(20)), "| 小计 | — | — |",
      *(f"| 项目乙{i} | 1 | 2 |" for i in range(20)), "| 小计 | — | — |"], "bar rows repeated"),
    (["合计\t—\t—", *(f"项目{i}\t1\t2" for i in range(20)), "合计\t—\t—",
      *(f"项目乙{i}\t1\t2" for i in range(20)), "合计\t—\t—"], "TAB rows repeated"),
    (["指标\t单位\t序号", *(f"{n}\t百分比\t{i}" for i, n in enumerate(
        ["学前教育毛入园率", "义务教育巩固率", "高中阶段毛入学率", "普惠园覆盖率"], 1))],
     "TAB rows ending in a rising number"),
])
def test_table_rows_are_no_page_furniture(rows, what):
    doc = parse_text("某区教育发展规划（2021-2025年）\n一、发展目标\n" + "\n".join(rows) + "\n",
                     path="t.txt")
    assert [(ln.no, ln.noise) for ln in doc.lines if ln.noise] == [], what


def test_a_toc_entry_with_a_tab_before_its_page_number_is_still_toc():
    doc = parse_text("某区教育发展规划\n第一章 发展基础\t1\n第二章 发展目标\t4\n第三章 主要任务\t7\n"
                     "第一章 发展基础\n正文。\n", path="t.txt")
    assert [ln.no for ln in doc.lines if ln.noise == "toc"] == [2, 3, 4]


# A heading mark a markdown or saved web copy prints before a heading is no part of it.
@pytest.mark.parametrize(("line", "form", "title"), [
    ("## 二、发展目标", "cn_dun", "发展目标"),
    ("### （一）推进学前教育普惠发展", "cn_paren", "推进学前教育普惠发展"),
    ("#第三章 主要任务", "chapter", "主要任务"),
    ("二、发展目标", "cn_dun", "发展目标"),
    ("#5G校园建设全面推进。", None, None),      # a hash tag in text opens no heading form
])
def test_heading_marks_before_a_numbered_heading(line, form, title):
    from plancompare.parse.headings import heading_form

    got = heading_form(make_line(1, line))
    assert (got.form, got.title) == (form, title) if form else got is None


def test_plain_heading_title_without_its_mark():
    from plancompare.parse.headings import plain_heading

    got = plain_heading(make_line(1, "## 发展目标"))
    assert (got.title, got.start) == ("发展目标", 3)
