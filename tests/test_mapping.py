"""Indicator mapping rules (reviews, aliases, affixes, patterns, similarity), made-up names."""

from __future__ import annotations

import pytest

from plancompare import mapping, reference
from plancompare.mapping import map_name


@pytest.fixture(autouse=True)
def _fresh():
    mapping.clear_cache()
    yield
    mapping.clear_cache()


@pytest.mark.parametrize(("name", "unit", "indicator", "rule"), [
    # exact aliases, after normalisation (quotes, brackets, Traditional, scope words)
    ("学前三年毛入园率", "%", "preschool_enrolment_rate", "alias"),
    ("全市学前教育毛入園率", "%", "preschool_enrolment_rate", "alias"),
    ("职业教育“双师型”教师比例（%）", "%", "vocational_dual_qualified_teacher_share", "alias"),
    ("義務教育鞏固率", "%", "compulsory_consolidation_rate", "alias"),
    # an alias at the end of a longer name, or at its start before a verb or number
    ("本省高中阶段教育毛入学率", "%", "highschool_gross_enrolment_rate",
     "alias:suffix 高中阶段教育毛入学率"),
    ("北京市特级校长达到10人", "人", "special_grade_principals", "alias:prefix 北京市特级校长"),
    # patterns
    ("城区儿童近视率", "%", "myopia_rate", "pattern 近视率"),
    ("中学生总体近视率每年下降", "个百分点", "myopia_rate", "pattern 近视率"),
    ("乡村小学生师比", "比", "student_teacher_ratio", "pattern 生师比"),
    ("全县中小学生体质健康测试合格率", "%", "student_fitness_pass_rate",
     r"pattern 体质健康.{0,6}(及格|合格|达标率)(?!优良)"),
    ("每千常住人口托位数", "个", "childcare_places_per_1000", "pattern (每千|千人).{0,6}托位"),
])
def test_rules(name, unit, indicator, rule):
    got = map_name(name, source="text", unit=unit)
    assert (got.indicator_id, got.rule) == (indicator, rule)
    assert got.score is None


@pytest.mark.parametrize(("name", "unit", "indicator"), [
    # the unit decides between the share and the count of the same thing
    ("85%的普通高中实现特色发展", "%", "distinctive_highschool_share"),
    ("建成特色高中", "所", "distinctive_highschools"),
    # a unit of the wrong kind never takes a candidate
    ("智慧校园覆盖率", "所", None),
    ("新增学位", "%", None),
])
def test_unit_kind_must_agree(name, unit, indicator):
    assert map_name(name, source="text", unit=unit).indicator_id == indicator


def test_fuzzy_above_threshold_is_taken_with_its_score():
    got = map_name("学前教育专任教师接受专业培训比例", source="text", unit="%")
    assert got.indicator_id == "preschool_teacher_trained_share"
    assert got.rule == "fuzzy 学前教育专任教师接受专业教育比例"
    assert got.score == 87.5
    assert got.score >= mapping.FUZZY_THRESHOLD


def test_below_threshold_is_unmapped_with_best_candidate():
    got = map_name("示范校覆盖率", source="text", unit="%")
    assert got.indicator_id is None
    assert got.candidate == "school_network_coverage"
    assert got.rule == "unmapped (best: school_network_coverage via 校园网覆盖率)"
    assert 0 < got.score < mapping.FUZZY_THRESHOLD


def test_table_rows_match_exact_aliases_only():
    assert map_name("学前三年入园率", source="table").indicator_id == "preschool_enrolment_rate"
    got = map_name("小学生近视率", source="table", unit="%")
    assert (got.indicator_id, got.rule) == (None, "unmapped (table name not in the codebook)")


def _review(tmp, rows):
    path = tmp / "indicator_reviews.csv"
    path.write_text("name_raw,indicator_id,decision,reason\n" + "".join(rows), encoding="utf-8")
    reference.clear_cache()
    mapping.clear_cache()


def test_reviews_accept_and_reject(patched_reference):
    _review(patched_reference, [
        "示范校覆盖率,quality_school_enrolment_share,accepted,made-up: demo schools are quality\n",
        "小学生近视率,myopia_rate,rejected,made-up: a screening share of one grade only\n"])
    got = map_name("示范校覆盖率", source="text", unit="%")
    assert got.indicator_id == "quality_school_enrolment_share"
    assert got.rule == "review accepted: made-up: demo schools are quality"
    rejected = map_name("小学生近视率", source="text", unit="%")
    assert rejected.indicator_id != "myopia_rate"


def test_review_with_unknown_indicator_is_refused(patched_reference):
    from plancompare.errors import MappingError

    _review(patched_reference, ["示范校覆盖率,no_such_id,maybe,\n"])
    with pytest.raises(MappingError) as info:
        reference.indicator_reviews()
    text = str(info.value)
    assert "line 2: decision `maybe` not in accepted, rejected" in text
    assert "line 2: unknown indicator_id `no_such_id`" in text
    assert "line 2: name_raw and reason are required" in text


def test_codebook_size_and_controlled_values():
    book = reference.crosswalk()
    assert len(book) >= 40
    assert set(book["education_level"]) <= set(reference.EDUCATION_LEVELS)
    assert set(book["scale"]) == {"rate", "count"}
    assert (book["aliases"].str.len() > 0).all() and (book["definition"].str.len() > 0).all()


def test_split_patterns_keeps_bracketed_alternatives():
    assert reference.split_patterns("学前.{0,4}入园率|就近入学(率|比例)|") == [
        "学前.{0,4}入园率", "就近入学(率|比例)"]


def test_unit_kinds():
    assert [reference.unit_kind(u) for u in ("%", "萬人", "所", "个百分点", "天", None)] == [
        "percent", "count", "count", "points", None, None]


def test_codebook_doc_is_current_and_names_every_alias():
    import sys
    from pathlib import Path

    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here))
    from regen_codebook_doc import DOC, regenerate

    text = DOC.read_text(encoding="utf-8")
    assert regenerate(text) == text, "run: python tests/regen_codebook_doc.py"
    book = reference.crosswalk()
    missing = [a for names in book["aliases"] for a in names.split("|") if a not in text]
    assert missing == []


@pytest.mark.parametrize(("name", "value", "unit", "indicator", "rule"), [
    # a listed name: the one item that holds the value names the indicator
    ("培养20名名校长、30名骨干教师", "30名", "名", "famous_teachers",
     "list item 30名骨干教师; alias:suffix 骨干教师"),
    ("培养20名名校长、30名骨干教师", "20名", "名", "famous_principals",
     "list item 培养20名名校长; pattern 名校长"),
    # the item maps to nothing: the other item's indicator is never borrowed
    ("建成市级示范校5所、特色校8所", "8所", "所", None, None),
])
def test_list_items(name, value, unit, indicator, rule):
    got = map_name(name, source="text", unit=unit, value_text=value)
    assert got.indicator_id == indicator
    if rule:
        assert got.rule == rule
    else:
        assert got.rule.startswith("list item 特色校8所; unmapped")


@pytest.mark.parametrize(("name", "value", "quote", "expected"), [
    ("初中", "每周3节", "每天开设1节体育课，初中每周3节。", True),
    ("小学", "4所", "新建2所中学、4所小学和5所幼儿园。", True),
    ("幼儿园", "5所", "新建2所中学、4所小学和5所幼儿园。", True),
    ("资源共享", "8个以上", "建设10个专业，建设8个以上资源共享的实训基地。", False),
    ("的人才梯队", "900人", "形成骨干教师900人的人才梯队。", False),
])
def test_continuing_clause(name, value, quote, expected):
    assert mapping.continues(name, value, quote) is expected


@pytest.mark.parametrize(("quote", "value", "unit", "indicator"), [
    ("各学科不低于15%的课时用于综合实践活动。", "不低于15%", "%", "practice_activity_share"),
    ("推动8所高校与中小学开展合作办学。", "8所", "所", "university_school_partnerships"),
    # the phrase before the value names other things
    ("市区优质学校与本区12所中学结对。", "12所", "所", None),
    # the value closes its list item
    ("评选骨干校长3人、骨干教师40人。", "3人", "人", None),
])
def test_pattern_in_clause(quote, value, unit, indicator):
    got = mapping.map_clause(quote, value, unit)
    assert (got.indicator_id if got else None) == indicator
