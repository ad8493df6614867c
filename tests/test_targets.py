"""Quantified targets in running text: golden files per document and exact spot checks."""

from __future__ import annotations

import pytest
from regen_golden_indicators import golden_path, parse_indicators, to_csv

from plancompare.parse.ingest import parse_text
from plancompare.parse.sections import assign_parts
from plancompare.parse.targets import parse_text_targets

NAMES = ["tongzhou", "haidian", "daxing1", "daxing2", "anon1"]


def _text_items(docs, name, role="target"):
    doc, parts = docs[name]
    return [it for it in parse_indicators(doc, parts, name)
            if it.source == "text" and it.role == role]


def _find(items, line, value_text):
    found = [it for it in items if it.line == line and it.value_text == value_text]
    assert len(found) == 1, (line, value_text, [(it.line, it.value_text) for it in items])
    return found[0]


@pytest.mark.parametrize("name", NAMES)
def test_golden_file(docs, name):
    """Regenerate with: /work/venv/bin/python tests/regen_golden_indicators.py (then review)."""
    doc, parts = docs[name]
    expected = golden_path(name).read_text(encoding="utf-8")
    assert to_csv(parse_indicators(doc, parts, name)) == expected


@pytest.mark.parametrize("name", NAMES)
def test_quote_is_on_the_line_and_value_in_quote(docs, name):
    doc, _ = docs[name]
    for it in _text_items(docs, name):
        raw = doc.line(it.line).raw
        assert it.quote in raw
        assert it.value_text in it.quote
        assert (it.item_type, it.source, it.role) == ("indicator", "text", "target")
        assert it.section in {"goals", "tasks", "implementation", "annex"}
        assert it.target_rule


def test_counts_per_file(docs):
    counts = {name: len(_text_items(docs, name)) for name in NAMES}
    assert counts == {"tongzhou": 22, "haidian": 54, "daxing1": 13, "daxing2": 5, "anon1": 14}


SPOT_CHECKS = [
    # name, line, value_text, (comparator, value, value_high, unit, year, name_raw)
    ("tongzhou", 130, "保持在90%以上", (">=", 90.0, None, "%", 2025, "适龄儿童入园率")),
    ("tongzhou", 130, "达到90%", ("=", 90.0, None, "%", 2025, "普惠性幼儿园覆盖率")),
    ("tongzhou", 137, "达到16%",
     ("=", 16.0, None, "%", 2025, "公共财政教育支出占公共财政支出比例")),
    ("tongzhou", 232, "17个", ("=", 17.0, None, "个", 2025, "骨干专业与职业技能培训项目")),
    ("tongzhou", 323, "70%", ("=", 70.0, None, "%", 2025, "绿色校园建设达标率")),
    ("haidian", 214, "达到92%及以上", (">=", 92.0, None, "%", 2025, "普惠性幼儿园覆盖率")),
    ("haidian", 214, "5000个", ("=", 5000.0, None, "个", 2025, "新增学前学位")),
    ("haidian", 356, "提高到100%", ("=", 100.0, None, "%", 2025, "学区资源中心的覆盖率")),
    ("daxing1", 26, "不少于1小时", (">=", 1.0, None, "小时", 2025, "中小学劳动教育课")),
    ("daxing1", 26, "不少于16学时",
     (">=", 16.0, None, "学时", 2025, "劳动精神、劳模精神、工匠精神专题教育")),
    ("daxing2", 18, "1-2所", (">=", 1.0, 2.0, "所", 2025,
                             ("专项资金支持有条件的1-2所学校探索拔尖创新人才早期发展与识别、"
                             "引导与培养的路径机制"))),
    ("daxing2", 54, "2-3个", (">=", 2.0, 3.0, "个", 2025,
                             "在全国范围内有影响的学科领军团队")),
    ("daxing2", 61, "5所", ("=", 5.0, None, "所", 2022, "未来学校试点校")),
    ("anon1", 13, "超过85%", (">", 85.0, None, "%", 2025, "学前教育三年毛入园率")),
    ("anon1", 13, "超过80%", (">", 80.0, None, "%", 2025,
                            "普惠性幼儿园覆盖率（公办园和普惠性民办园在园幼儿占比）")),
    ("anon1", 16, "不低于10000元",
     (">=", 10000.0, None, "元", 2025, "义务教育阶段特殊教育生均公用经费标准")),
]


@pytest.mark.parametrize(("name", "line", "value_text", "expected"), SPOT_CHECKS)
def test_spot_checks(docs, name, line, value_text, expected):
    it = _find(_text_items(docs, name), line, value_text)
    assert (it.comparator, it.value, it.value_high, it.unit, it.year, it.name_raw) == expected


def test_quote_is_the_sentence(docs):
    it = _find(_text_items(docs, "anon1"), 13, "超过85%")
    assert it.quote.startswith("实施学前教育资源建设攻坚工程")
    assert it.quote.endswith("超过80%。")
    assert _find(_text_items(docs, "daxing2"), 61, "5所").quote.startswith("2.2022年，设立5所")


def test_keys_number_targets_per_line(docs):
    keys = [it.item_key for it in _text_items(docs, "tongzhou") if it.line == 130]
    assert keys == ["tongzhou:txt:130:1", "tongzhou:txt:130:2", "tongzhou:txt:130:3"]


@pytest.mark.parametrize("name", NAMES)
def test_no_years_list_numbers_or_versions(docs, name):
    items = _text_items(docs, name)
    assert not [it for it in items if it.value is not None and 1900 <= it.value <= 2100]
    assert not [it for it in items if it.unit is None and it.comparator == "="
                and it.value_text[:1].isdigit()]
    assert not [it for it in items if it.value in (2.0, 3.0) and ".0" in it.value_text]


def test_non_targets_are_skipped(docs):
    def texts(name, line):
        return [it.value_text for it in _text_items(docs, name) if it.line == line]

    assert texts("daxing2", 61) == ["5所", "5个"]           # list number 2 and year 2022 skipped
    assert texts("daxing2", 62) == []                         # 按5个试点校: a reference
    assert texts("daxing2", 48) == []                         # “1510”工程
    assert texts("daxing1", 10) == []                         # “1+2+N”
    assert texts("daxing1", 12) == []                         # 建党100周年
    assert texts("daxing1", 68) == []                         # 等5大专业群, 等4个优势专业
    assert texts("daxing1", 80) == []                         # IPV6, 5G, Wi-Fi6
    assert texts("daxing1", 82) == []                         # 提升2.0工程
    assert texts("daxing1", 38) == []                         # 发挥…29个基地校的作用
    assert texts("daxing1", 43) == []                         # 《3—6岁儿童学习与发展指南》
    assert texts("tongzhou", 228) == ["2项"]                  # 2022年冬奥会, 小学、初中、高中3个学段
    assert texts("haidian", 356) == ["提高到100%", "达50%"]   # 从“十三五”末期的50%
    assert texts("haidian", 358) == ["至少配备1名", "1名", "1-2名"]  # 每10所
    assert texts("haidian", 470) == texts("haidian", 496) == []  # 重点项目(24项) headings
    assert texts("anon1", 25) == []                           # 第六周期


def test_background_numbers_are_achieved_not_targets(docs):
    for name in NAMES:
        _doc, parts = docs[name]
        assert not [it for it in _text_items(docs, name) if parts[it.line] == "background"]
    achieved = _text_items(docs, "tongzhou", role="achieved")
    assert len(achieved) == 20
    it = _find(achieved, 105, "超过90%")
    assert (it.name_raw, it.comparator, it.value, it.year, it.target_rule) == (
        "学前三年入园率", ">", 90.0, 2020, "part:background")


def test_skip_lines_are_not_read(docs):
    doc, parts = docs["tongzhou"]
    all_items = parse_text_targets(doc, parts, key_prefix="p", end_year=2025)
    skipped = parse_text_targets(doc, parts, key_prefix="p", end_year=2025,
                                 skip_lines=frozenset({130}))
    assert len(all_items) - len(skipped) == 3


def test_previous_period_sentence_is_not_a_target():
    doc = parse_text("二、发展目标\n“十三五”时期，毛入园率达到91%。到2025年，毛入园率达到95%。\n",
                     path="t.txt")
    items = parse_text_targets(doc, assign_parts(doc), key_prefix="t", end_year=2025)
    assert [(it.value_text, it.year, it.role, it.target_rule) for it in items] == [
        ("达到91%", 2020, "achieved", "past:十三五"),
        ("达到95%", 2025, "target", "commitment:到YEAR")]


def test_year_of_the_sentence_wins_over_end_year():
    doc = parse_text("二、发展目标\n到2023年，新建学校3所；2024年至2026年，新增学位2000个。\n",
                     path="t.txt")
    items = parse_text_targets(doc, assign_parts(doc), key_prefix="t", end_year=2025)
    assert [(it.value_text, it.year) for it in items] == [("3所", 2023), ("2000个", 2026)]
