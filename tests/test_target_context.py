"""Context rules of running-text targets: past-year work summaries, assumed plan periods,
comparators shared by a 分别 list. Made-up sentences, each with its expected rows."""

from __future__ import annotations

import pytest

from plancompare.parse.ingest import parse_text
from plancompare.parse.run import check_provenance
from plancompare.parse.sections import assign_parts
from plancompare.parse.targets import parse_text_targets


def rows(text: str, *, end_year: int = 2025, period_assumed: bool = False):
    doc = parse_text(text, path="t.txt")
    items = parse_text_targets(doc, assign_parts(doc), key_prefix="t", end_year=end_year,
                               period_assumed=period_assumed)
    check_provenance(items, doc)
    return [(it.role, it.name_raw, it.comparator, it.value, it.year, it.target_rule)
            for it in items]


R = "past:year-report"
C = "carry:past:year-report"

# a year opening a sentence, with result words: a work summary of that year, whatever the period
YEAR_REPORTS = [
    ("2022年，全县职业教育取得明显进展。中职学校就业率达到96%。",
     [("achieved", "中职学校就业率", "=", 96.0, 2022, C)]),
    ("2023年，全区新建幼儿园8所，比上年增加2所。",        # the change is no level
     [("achieved", "新建幼儿园8所", "=", 8.0, 2023, R)]),
    ("2024年，全市完成了校舍改造任务。体育场馆开放率提高到80%。",
     [("achieved", "体育场馆开放率", "=", 80.0, 2024, C)]),
    ("2023年，全市教育工作稳步推进，全年培训教师1.2万人次。",
     [("achieved", "培训教师1.2万人次", "=", 1.2, 2023, R)]),
    # the run ends at a commitment marker
    ("2023年，全县教育取得新成绩。巩固率达到98%。2024年，将力争巩固率达到99%。",
     [("achieved", "巩固率", "=", 98.0, 2023, C),
      ("target", "巩固率", "=", 99.0, 2024, "commitment:力争")]),
    # a plan's yearly milestones state no result words: targets of the plan period
    ("二、主要目标\n2.2023年，设立6所试点学校。",
     [("target", "试点学校", "=", 6.0, 2023, "part:goals")]),
    ("三、实施步骤\n2023年，设立6所试点学校。",
     [("target", "试点学校", "=", 6.0, 2023, "commitment:YEAR年")]),
    ("三、实施步骤\n2023年，创建4个示范区；2024年，示范区达到8个。",
     [("target", "示范区", "=", 4.0, 2023, "commitment:YEAR年"),
      ("target", "示范区", "=", 8.0, 2024, "commitment:YEAR年")]),
]


@pytest.mark.parametrize(("text", "expected"), YEAR_REPORTS)
def test_past_year_work_summary(text, expected):
    assert rows(text) == expected


def test_past_year_summary_paragraph_has_no_targets():
    text = ("2022年，全县卫生系统坚持稳中求进，各项工作取得新成效。全县疫苗接种率达到96.5%，"
            "家庭医生签约率提高到72%，比上年提高1.5个百分点。慢病管理率保持在90%以上。"
            "全年新建卫生室12所，新增床位800张。\n")
    for kwargs in ({}, {"end_year": 2022, "period_assumed": True}):
        got = rows(text, **kwargs)
        assert [r[0] for r in got] == ["achieved"] * 5
        assert [(r[2], r[3], r[4]) for r in got] == [
            ("=", 96.5, 2022), ("=", 72.0, 2022), (">=", 90.0, 2022), ("=", 12.0, 2022),
            ("=", 800.0, 2022)]


# no plan period named: only a commitment the text states makes a target
ASSUMED = [
    ("一、主要目标\n学前教育毛入园率达到95%。", []),
    ("工作目标\n普惠率达到90%。", []),
    ("2024年，全市学前教育毛入园率达到95%。普惠率达到90%。", []),
    ("到2025年，学前教育毛入园率达到95%。", [("target", "学前教育毛入园率", "=", 95.0, 2025,
                                               "commitment:到YEAR")]),
    ("力争普惠率达到90%。", [("target", "普惠率", "=", 90.0, 2025, "commitment:力争")]),
    ("到2025年，实现以下目标：\n普惠率达到90%。",
     [("target", "普惠率", "=", 90.0, 2025, "carry:commitment:到YEAR")]),
]


@pytest.mark.parametrize(("text", "expected"), ASSUMED)
def test_assumed_plan_period(text, expected):
    assert rows(text, period_assumed=True) == expected


def test_named_plan_period_keeps_heading_targets():
    assert rows("一、主要目标\n学前教育毛入园率达到95%。") == [
        ("target", "学前教育毛入园率", "=", 95.0, 2025, "part:goals")]


# a comparator stated once for a 分别 list applies to every value
SHARED = [
    ("到2025年，小学、初中平均班额分别不超过40人和48人。", [("<=", 40.0), ("<=", 48.0)]),
    ("到2025年，城区、乡村达标率分别不低于95%、85%。", [(">=", 95.0), (">=", 85.0)]),
    ("到2025年，城区、乡村近视率分别控制在3%和6%以内。", [("<=", 3.0), ("<=", 6.0)]),
    ("到2025年，城区、乡村普及率分别达到92%和88%以上。", [(">=", 92.0), (">=", 88.0)]),
    ("到2025年，甲校、乙校规模分别达到20个班和不超过30个班。", [("=", 20.0), ("<=", 30.0)]),
    ("到2025年，甲率、乙率分别达到90%、95%。", [("=", 90.0), ("=", 95.0)]),
]


@pytest.mark.parametrize(("text", "expected"), SHARED)
def test_shared_comparator_in_a_paired_list(text, expected):
    assert [(r[2], r[3]) for r in rows(text)] == expected


def test_comparator_cut_by_a_page_break():
    text = ("某区教育工作要点\n\n二、重点任务\n二是扩大供给，每年新增公办学位不\n\n— 3 —\n\n"
            "少于800个。\n")
    (row,) = rows(text)
    assert row[2:4] == (">=", 800.0)


# names of a 分别 list: the indicator noun phrase of the last name is shared; one name for all
NAMES = [
    ("到2025年，小学、初中平均班额分别不超过40人和48人。", ["小学平均班额", "初中平均班额"]),
    ("到2025年，城区、乡村学校达标率分别达到95%和85%。", ["城区学校达标率", "乡村学校达标率"]),
    ("到2025年，毛入学率分别达到92%和95%以上。", ["毛入学率", "毛入学率"]),
    ("到2025年，甲入园率、乙巩固率分别达到93%、96%。", ["甲入园率", "乙巩固率"]),
]


@pytest.mark.parametrize(("text", "names"), NAMES)
def test_names_of_a_paired_list(text, names):
    assert [r[1] for r in rows(text)] == names


# a change on the year before reports a year's statistics: the change is no target, and a value
# whose next clause opens with it is that year's result, not a milestone of the plan
YEAR_ON_YEAR = [
    ("记者了解到，2022年全市普惠园覆盖率为89.6%，比上年提高1.2个百分点。\n",
     [("achieved", "普惠园覆盖率", "=", 89.6, 2022, "past:比上年")]),
    ("2022年全市普惠园覆盖率为89.6%，同比提高1.2个百分点，到2025年将达到95%。\n",
     [("achieved", "普惠园覆盖率", "=", 89.6, 2022, "past:比上年"),
      ("target", "将", "=", 95.0, 2025, "commitment:到YEAR")]),
    # an annual rate a plan sets (每年比上年) and a change in a goals part stay targets
    ("二、发展目标\n普惠园覆盖率每年比上年提高1个百分点。\n",
     [("target", "普惠园覆盖率每年比上年提高1个百分点", "=", 1.0, 2025, "part:goals")]),
    ("二、发展目标\n教育经费比上年增长5%以上。\n",
     [("target", "教育经费比上年增长5%以上", ">=", 5.0, 2025, "part:goals")]),
]


@pytest.mark.parametrize(("text", "expected"), YEAR_ON_YEAR)
def test_year_on_year_changes(text, expected):
    assert rows(text) == expected
