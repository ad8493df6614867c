"""Table-driven rules of running-text targets, each with a made-up sentence and its rows."""

from __future__ import annotations

import pytest

from plancompare.parse.ingest import parse_text
from plancompare.parse.numbers import scan
from plancompare.parse.run import check_provenance
from plancompare.parse.sections import assign_parts
from plancompare.parse.targets import parse_text_targets

GOALS = "二、发展目标\n"


def rows(text: str, *, end_year: int = 2025):
    doc = parse_text(text, path="t.txt")
    items = parse_text_targets(doc, assign_parts(doc), key_prefix="t", end_year=end_year)
    check_provenance(items, doc)
    return items


def targets(text: str):
    return [it for it in rows(text) if it.role == "target"]


# sentence (in a goals part) -> (comparator, value, value_high, unit, approximate)
COMPARATORS = [
    ("到2025年，毛入园率超过85%。", (">", 85.0, None, "%", None)),
    ("到2025年，毛入学率突破60%。", (">", 60.0, None, "%", None)),
    ("到2025年，优良率超70%。", (">", 70.0, None, "%", None)),
    ("到2025年，示范校大于3个。", (">", 3.0, None, "个", None)),
    ("到2025年，特色校多于5所。", (">", 5.0, None, "所", None)),
    ("到2025年，巩固率高于99%。", (">", 99.0, None, "%", None)),
    ("到2025年，雙師型教師比例超過60%。", (">", 60.0, None, "%", None)),
    ("到2025年，近视率小于5%。", ("<", 5.0, None, "%", None)),
    ("到2025年，缺课少于3次。", ("<", 3.0, None, "次", None)),
    ("到2025年，辍学率低于1%。", ("<", 1.0, None, "%", None)),
    ("到2025年，班额不超过45人。", ("<=", 45.0, None, "人", None)),
    ("到2025年，大班额比例不高于3%。", ("<=", 3.0, None, "%", None)),
    ("到2025年，近视率控制在5%以内。", ("<=", 5.0, None, "%", None)),
    ("到2025年，肥胖率在10%以下。", ("<=", 10.0, None, "%", None)),
    ("到2025年，入园率达到90%以上。", (">=", 90.0, None, "%", None)),
    ("到2025年，入学率保持在99%以上。", (">=", 99.0, None, "%", None)),
    ("到2025年，教师比例提高到85%以上。", (">=", 85.0, None, "%", None)),
    ("到2025年，覆盖率不低于90%。", (">=", 90.0, None, "%", None)),
    ("到2025年，培训不少于16学时。", (">=", 16.0, None, "学时", None)),
    ("到2025年，毛入学率达到60%左右。", ("=", 60.0, None, "%", True)),
    ("到2025年，覆盖率约90%。", ("=", 90.0, None, "%", True)),
    ("到2025年，在校生大约3万人。", ("=", 3.0, None, "万人", True)),
    ("到2025年，覆盖率达到90%。", ("=", 90.0, None, "%", None)),
    ("到2025年，覆盖率达到９０％。", ("=", 90.0, None, "%", None)),
    ("到2025年，規模達到16萬人。", ("=", 16.0, None, "万人", None)),
    ("到2025年，新建2-4所高职院校。", (">=", 2.0, 4.0, "所", None)),
    ("到2025年，新建2至4所高职院校。", (">=", 2.0, 4.0, "所", None)),
    ("到2025年，新建2～4所高职院校。", (">=", 2.0, 4.0, "所", None)),
    ("到2025年，新建2到4所高职院校。", (">=", 2.0, 4.0, "所", None)),
    ("到2025年，每名学生掌握不少于两项运动技能。", (">=", 2.0, None, "项", None)),
    ("到2025年，示范校达到十所。", ("=", 10.0, None, "所", None)),
    ("到2025年，新增学位三十万个。", ("=", 30.0, None, "万个", None)),
    ("到2025年，覆盖率达到百分之九十。", ("=", 90.0, None, "%", None)),
]


@pytest.mark.parametrize(("sentence", "expected"), COMPARATORS)
def test_comparators_and_number_forms(sentence, expected):
    (it,) = targets(GOALS + sentence)
    assert (it.comparator, it.value, it.value_high, it.unit, it.approximate) == expected
    assert it.value_text in it.quote and it.year == 2025


@pytest.mark.parametrize(("text", "value_text"), [
    ("两项", "两项"), ("十所", "十所"), ("三十万", "三十万"), ("百分之九十", "百分之九十")])
def test_chinese_numerals_keep_value_text_as_printed(text, value_text):
    (q,) = scan("达到" + text)
    assert q.value_text == "达到" + value_text and q.chinese and q.kind == "quantity"


def test_per_period_rate():
    (it,) = targets(GOALS + "到2025年，近视率每年降低不少于1个百分点。")
    assert (it.name_raw, it.comparator, it.value, it.unit, it.rate_period) == (
        "近视率", ">=", 1.0, "个百分点", "年")


# text -> [(name_raw, comparator, value)] of its targets
LISTS = [
    ("到2025年，甲入园率、乙巩固率、丙入学率分别达到93%、96.4%、60%。",
     [("甲入园率", "=", 93.0), ("乙巩固率", "=", 96.4), ("丙入学率", "=", 60.0)]),
    ("到2025年，特色高中、综合高中建设数量分别达20所和18所。",
     [("特色高中建设数量", "=", 20.0), ("综合高中建设数量", "=", 18.0)]),
    ("到2025年，巩固率和入学率保持在95%以上。",
     [("巩固率", ">=", 95.0), ("入学率", ">=", 95.0)]),
    ("到2025年，研学基地达到150个、社会课堂达到550家。",
     [("研学基地", "=", 150.0), ("社会课堂", "=", 550.0)]),
    ("未来五年目标\n——覆盖率不低于90%；——占比力争达到60%。",
     [("覆盖率", ">=", 90.0), ("占比", "=", 60.0)]),
    ("到2025年，一是入园率达到95%，二是巩固率达到97%。",
     [("入园率", "=", 95.0), ("巩固率", "=", 97.0)]),
    ("到2025年，每千人拥有优质学位4个、普通学位20个。",
     [("每千人拥有优质学位", "=", 4.0), ("普通学位", "=", 20.0)]),
    # a list of names with a list of values, no 分别: by position, the comparator shared
    ("到2025年，甲入园率、乙入学率达到95%、93%。",
     [("甲入园率", "=", 95.0), ("乙入学率", "=", 93.0)]),
    ("到2025年，甲教育、乙阶段教育巩固率不低于98%、92%。",
     [("甲教育巩固率", ">=", 98.0), ("乙阶段教育巩固率", ">=", 92.0)]),
    ("到2025年，甲覆盖率和乙普及率不低于80%和70%。",    # 及 inside 普及 joins nothing
     [("甲覆盖率", ">=", 80.0), ("乙普及率", ">=", 70.0)]),
    ("到2025年，甲覆盖率、乙普及率及丙达标率达到80%、70%和60%。",
     [("甲覆盖率", "=", 80.0), ("乙普及率", "=", 70.0), ("丙达标率", "=", 60.0)]),
]


@pytest.mark.parametrize(("text", "expected"), LISTS)
def test_lists_and_shared_values(text, expected):
    got = [(it.name_raw, it.comparator, it.value) for it in targets(text)]
    assert got == expected


# sentence in a goals part -> names
NAMES = [
    ("到2025年，全市学前教育毛入园率达到95%。", "学前教育毛入园率"),
    ("重点建设10所高水平职业院校。", "高水平职业院校"),
    ("每所学校至少配备1名心理教师。", "心理教师"),
    ("力争公办园在园幼儿占比达到60%。", "公办园在园幼儿占比"),
    ("形成40个协同共进、辐射引领的教育集团。", "教育集团"),
    ("新建10所幼儿园。", "幼儿园"),                      # a count of real things, not plan parts
    ("建设6个市级示范基地。", "市级示范基地"),
]


# a clause without a subject of its own (framing and a verb) keeps the subject of the clause
# before it in the same sentence: (sentence in a goals part) -> [(name_raw, value)]
CARRIED_SUBJECTS = [
    ("2022年全区甲入学率为94.1%，规划提出到2025年提高到96%。",
     [("甲入学率", 94.1), ("甲入学率", 96.0)]),
    ("甲入学率2022年为94.1%，到2025年提高到96%。", [("甲入学率", 94.1), ("甲入学率", 96.0)]),
    ("甲覆盖率达到60%，力争达到70%。", [("甲覆盖率", 60.0), ("甲覆盖率", 70.0)]),
    ("甲覆盖率达到60%。力争达到70%。", [("甲覆盖率", 60.0), ("达到70%", 70.0)]),   # not across sentences
]


@pytest.mark.parametrize(("sentence", "expected"), CARRIED_SUBJECTS)
def test_subject_carried_to_a_clause_without_one(sentence, expected):
    assert [(it.name_raw, it.value) for it in rows(GOALS + sentence)] == expected


@pytest.mark.parametrize(("sentence", "name"), NAMES)
def test_name_is_the_shortest_phrase(sentence, name):
    (it,) = targets(GOALS + sentence)
    assert it.name_raw == name
    assert sentence.rstrip("。") in it.quote


# text -> [(role, value, year, target_rule)]
TENSE = [
    ("到2025年，毛入园率达到95%。", [("target", 95.0, 2025, "commitment:到YEAR")]),
    ("力争毛入园率达到95%。", [("target", 95.0, 2025, "commitment:力争")]),
    ("确保巩固率达到99%。", [("target", 99.0, 2025, "commitment:确保")]),
    ("截至2024年底，毛入园率超99%。", [("achieved", 99.0, 2024, "past:截至")]),
    ("“十三五”期间，毛入园率达到85%。", [("achieved", 85.0, 2020, "past:十三五")]),
    ("毛入园率已达到85%。", [("achieved", 85.0, 2020, "past:已")]),
    ("累计培养骨干教师3000名。", [("achieved", 3000.0, 2020, "past:累计")]),
    ("全市共有幼儿园300所。", [("achieved", 300.0, 2020, "past:共有")]),
    ("到2020年底，毛入园率达到85%。", [("achieved", 85.0, 2020, "past:到YEAR")]),
    ("近三年新建学校12所。", [("achieved", 12.0, 2020, "past:近N年")]),
    ("“十三五”期间毛入园率达到85%，到2025年达到95%。",
     [("achieved", 85.0, 2020, "past:十三五"), ("target", 95.0, 2025, "commitment:到YEAR")]),
    ("“十三五”期间，全市教育迈上新台阶。全市幼儿园达到872所。",
     [("achieved", 872.0, 2020, "carry:past:十三五")]),
    ("未来五年，将新建学校17所左右。", [("target", 17.0, 2025, "commitment:规划期")]),
    ("发展基础\n全市幼儿园达到872所。", [("achieved", 872.0, 2020, "heading:past:基础")]),
    ("发展目标\n全市幼儿园达到900所。", [("target", 900.0, 2025, "heading:commitment:目标")]),
    (GOALS + "毛入园率达到95%。", [("target", 95.0, 2025, "part:goals")]),
    ("一、发展基础\n毛入园率达到85%。", [("achieved", 85.0, 2020, "part:background")]),
    # the 'from' value of 从X提高到Y is where the measure starts: achieved, its own year or the
    # base year (numbered after the line's other rows)
    (GOALS + "学区覆盖率从“十三五”末期的50%提高到100%。",
     [("target", 100.0, 2025, "part:goals"), ("achieved", 50.0, 2020, "past:from")]),
    (GOALS + "到2025年，教师中研究生比例由2019年的8%提高到15%。",
     [("target", 15.0, 2025, "commitment:到YEAR"), ("achieved", 8.0, 2019, "past:from")]),
    (GOALS + "到2025年，学位由3万个增加到5万个。",
     [("target", 5.0, 2025, "commitment:到YEAR"), ("achieved", 3.0, 2020, "past:from")]),
    (GOALS + "到2025年，试点从3所学校扩大到全区90%的学校。",   # a count is no start of a %
     [("target", 90.0, 2025, "commitment:到YEAR")]),
    ("毛入园率比2015年提高了5个百分点。", []),      # a past change, not a level
    (GOALS + "巩固率比2020年提高2个百分点。", [("target", 2.0, 2025, "part:goals")]),
    ("“十二五”时期，新建学校30所。", [("achieved", 30.0, 2020, "past:十二五")]),
    ("目前全区有幼儿园120所。", [("achieved", 120.0, 2020, "past:目前")]),
    ("毛入园率达到95%。", []),                       # nothing says when: no row
    # a value for an earlier year than the commitment of its sentence is the baseline
    (GOALS + "2022年全区甲入学率为94.1%，规划提出到2025年提高到96%。",
     [("achieved", 94.1, 2022, "past:baseline-year"), ("target", 96.0, 2025, "commitment:到YEAR")]),
    (GOALS + "甲入学率2022年为94.1%，到2025年提高到96%。",
     [("achieved", 94.1, 2022, "past:baseline-year"), ("target", 96.0, 2025, "commitment:到YEAR")]),
    # a period "since" dates the result to the text's own time, never to the period start
    ("一、发展基础\n“十四五”以来，甲巩固率从97.1%提高到99.2%。",
     [("achieved", 99.2, None, "past:近N年"), ("achieved", 97.1, 2020, "past:from")]),
    ("一、发展基础\n2022年，“十四五”以来，甲巩固率从97.1%提高到99.2%。",
     [("achieved", 99.2, 2022, "past:近N年"), ("achieved", 97.1, 2020, "past:from")]),
    ("一、发展基础\n2018年以来，累计新建学校30所。", [("achieved", 30.0, None, "past:累计")]),
]


@pytest.mark.parametrize(("text", "expected"), TENSE)
def test_forward_looking_or_past(text, expected):
    got = [(it.role, it.value, it.year, it.target_rule) for it in rows(text)]
    assert got == expected


# sentences in a goals part that give no row
NOT_TARGETS = [
    "到2025年3月15日召开推进会。",                  # date
    "发布时间 2021-11-10 06:05",                     # date and time
    "第三节  发展目标  14",                          # page number of a table of contents
    "到2025年，《规划》设置12项主要指标。",          # count of the plan's own parts
    "《规划》共18章内容，分4个板块。",                # chapters and parts
    "到2025年，本规划提出10个方面的分目标。",        # the plan's own parts
    "一是落实根本任务，包括6项任务：",               # the plan's own tasks
    "经区委常委会9次会议审议通过。",                 # meeting number
    "经第141次常务会议审议。",                       # ordinal
    "开州府发〔2022〕9号",                            # document number
    "到2025年，新建占地超过200亩的校园。",           # size qualifier
    "到2025年，建成投资5000万元的实训基地。",        # price qualifier
    "咨询电话：010-12345678",                        # phone number
    "报料热线：966123",                              # a bare number
    "到2025年，全面普及15年基本公共教育。",          # duration label
    "到2025年，按5个试点校的方案推进。",             # a reference
    "到2025年，每位学生掌握一项艺术特长。",          # Chinese numeral as a count word
    "到2025年，聚焦这6个方面。",                     # demonstrative count
    "到2025年，省教育厅等10部门联合推进。",          # enumeration total
    "到2025年，推广“5+2”模式。",                      # formula inside a name
    "到2025年，落实《3-6岁儿童学习与发展指南》。",   # inside a title
    "◆◆2版",                                          # page label
    # counts of the plan's own parts in a sentence about the plan (rule not:plan-part / -before)
    "以上5项指标中，约束性指标2项。",
    "规划从6个方面部署主要任务。",
    "本规划共设置18项主要指标，其中约束性指标6项。",
    "围绕8大重点领域推进综合改革。",
    "提出10条具体举措。",
    "上述3项工程由各部门分工落实。",
]


@pytest.mark.parametrize("sentence", NOT_TARGETS)
def test_not_targets(sentence):
    assert rows(GOALS + sentence) == []


def test_headline_repeat_is_kept_once_per_place():
    text = GOALS + "覆盖率不低于90%\n到2025年，覆盖率不低于90%。\n"
    got = [(it.line, it.value) for it in targets(text)]
    assert got == [(2, 90.0), (3, 90.0)]


def test_hard_wrapped_target_is_read_across_lines():
    filler = "推进教育高质量发展加快建设教育强区办好人民满意的教育全面提升育人质量。"
    body = filler * 3 + "到2025年，学前教育毛入园率达到95%。" + filler * 3
    width = 30
    wrapped = "\n".join(body[i:i + width] for i in range(0, len(body), width))
    (it,) = targets(GOALS + wrapped + "\n")
    assert (it.name_raw, it.value, it.comparator) == ("学前教育毛入园率", 95.0, "=")
    assert it.line_end == it.line + 1
    assert "\n" in it.quote
    assert it.quote.replace("\n", "") == "到2025年，学前教育毛入园率达到95%。"


def test_earlier_plan_periods_follow_the_plan_end_year():
    # in a plan ending in 2030, the 十四五 period is the past; in one ending in 2025 it is not
    (it,) = rows("“十四五”期间，新建学校30所。", end_year=2030)
    assert (it.role, it.year, it.target_rule) == ("achieved", 2025, "past:十四五")
    assert rows("“十四五”期间，新建学校30所。", end_year=2025) == []
