"""Reference tables: declared types, name normalisation, the pinned crosswalk equivalences."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest

from plancompare import reference
from plancompare.errors import MappingError, ParameterError

CODEBOOK_DOC = Path(__file__).resolve().parents[1] / "docs" / "codebook.md"

# The 25 indicator-table rows exactly as the two tables print them (unit removed).
TABLE_NAMES = {
    "tongzhou": [
        "学前教育入园率", "普惠性幼儿园覆盖率", "义务教育就近入学率", "学前教育专任教师接受专业教育比例",
        "义务教育专任教师中本科及以上学历人员比例", "职业教育“双师型”教师比例", "北京市特级校长人数",
        "公共财政教育支出占公共财政支出比例", "中小学生体质健康测试达标优良率", "国际学校数量",
        "智慧校园覆盖率", "绿色学校达标率", "平安校园达标率",
    ],
    "haidian": [
        "学前三年入园率", "普惠性幼儿园覆盖率", "学前教育专任教师接受专业教育比例",
        "义务教育公办学校就近入学率", "义务教育专任教师中本科及以上学历人员比例",
        "高中阶段专任教师中研究生及以上学历人员比例", "职业教育“双师型”教师比例",
        "新增劳动力平均受教育年限", "中小学体质健康测试达标优良率", "智慧校园覆盖率", "绿色校园达标率",
        "平安校园达标率",
    ],
}

# Spellings that must resolve to one canonical indicator (see docs/codebook.md for the reasons).
EQUIVALENT = [
    ("preschool_enrolment_rate", ["学前教育入园率", "学前三年入园率", "学前教育三年毛入园率",
                                  "适龄儿童入园率", "全区适龄儿童入园率", "学前教育入园率（%）"]),
    ("green_school_rate", ["绿色学校达标率", "绿色校园达标率", "绿色校园建设达标率", "绿色校园创建率"]),
    ("compulsory_nearby_enrolment_rate", ["义务教育就近入学率", "义务教育公办学校就近入学率",
                                          "全区义务教育就近入学率"]),
    ("inclusive_kindergarten_coverage", ["普惠性幼儿园覆盖率",
                                         "普惠性幼儿园覆盖率（公办园和普惠性民办园在园幼儿占比）",
                                         "普惠性幼儿园覆盖率(%)"]),
    ("student_fitness_good_rate", ["中小学生体质健康测试达标优良率", "中小学体质健康测试达标优良率"]),
    ("smart_campus_coverage", ["智慧校园覆盖率"]),
    ("safe_campus_rate", ["平安校园达标率"]),
    ("vocational_dual_qualified_teacher_share", ["职业教育“双师型”教师比例", '职业教育"双师型"教师比例',
                                                 "职业教育双师型教师比例", "“双师型”教师比例"]),
    ("compulsory_teacher_bachelor_share", ["义务教育专任教师中本科及以上学历人员比例"]),
    ("preschool_teacher_trained_share", ["学前教育专任教师接受专业教育比例", "学前教师接受专业教育的比例"]),
]


def test_tables_have_declared_columns_and_types():
    for name, columns in reference.COLUMNS.items():
        table = reference._table(name)
        assert tuple(table.columns) == columns
        for col in columns:
            expected = "Int64" if col in reference.INT_COLUMNS else "str"
            assert str(table[col].dtype) == expected, (name, col)


def test_loaders_return_copies():
    table = reference.crosswalk()
    table.loc[0, "indicator_id"] = "changed"
    assert reference.crosswalk().loc[0, "indicator_id"] == "preschool_enrolment_rate"


@pytest.mark.parametrize(("raw", "key"), [
    ("职业教育“双师型”教师比例（%）", "职业教育双师型教师比例"),
    ("学前三年入园率(%)", "学前三年入园率"),
    ("普惠性幼儿园覆盖率（公办园和普惠性民办园在园幼儿占比）", "普惠性幼儿园覆盖率"),
    ("全区适龄儿童入园率", "适龄儿童入园率"),
    ("确保到2025年全区学前教育三年毛入园率", "学前教育三年毛入园率"),
    ("区域 智慧校园覆盖率", "智慧校园覆盖率"),
])
def test_normalise_name(raw, key):
    assert reference.normalise_name(raw) == key


@pytest.mark.parametrize(("indicator", "spellings"), EQUIVALENT)
def test_required_equivalences(indicator, spellings):
    from plancompare.harmonise import match_indicator

    assert {match_indicator(s, source="text") for s in spellings} == {indicator}
    table_spellings = [s for s in spellings if not s.startswith(("全区", "“"))]
    assert {match_indicator(s) for s in table_spellings} == {indicator}


@pytest.mark.parametrize("district", sorted(TABLE_NAMES))
def test_every_table_indicator_maps(district):
    from plancompare.harmonise import match_indicator

    unmapped = [n for n in TABLE_NAMES[district] if match_indicator(n) is None]
    assert unmapped == []


def test_table_names_cover_25_rows_in_15_indicators():
    from plancompare.harmonise import match_indicator

    names = [n for names in TABLE_NAMES.values() for n in names]
    assert len(names) == 25
    assert len({match_indicator(n) for n in names}) == 15
    assert len(reference.crosswalk()) >= 40


def test_pass_rate_is_not_the_good_rate():
    # anon1: 95%的学生达到国家学生体质健康标准及格及以上等级 is a pass rate, not 达标优良率.
    from plancompare.harmonise import match_indicator

    name = "95%的学生达到国家学生体质健康标准及格及以上等级"
    assert match_indicator(name, source="text", unit="%") == "student_fitness_pass_rate"
    assert match_indicator("中小学生体质健康优良率", source="text") == "student_fitness_good_rate"


def test_crosswalk_ids_and_themes():
    cross = reference.crosswalk()
    themes = set(reference.themes()["theme_id"])
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", i) for i in cross["indicator_id"])
    assert set(cross["theme_id"]) <= themes
    assert dict(zip(cross["indicator_id"], cross["theme_id"], strict=True))[
        "smart_campus_coverage"] == "digital_smart"


def test_codebook_has_required_themes():
    required = {
        "party_leadership", "moral_education", "physical_mental_health", "arts_education",
        "labour_practice", "innovation_gifted", "home_school_society", "preschool", "compulsory",
        "high_school", "vocational", "higher_education", "special_inclusive", "lifelong_learning",
        "private_offcampus", "teachers", "digital_smart", "international",
        "regional_coordination", "school_places_layout", "governance_reform", "campus_safety",
        "green_campus", "funding", "other",
    }
    assert required <= set(reference.themes()["theme_id"])


def test_every_theme_is_documented():
    text = CODEBOOK_DOC.read_text(encoding="utf-8")
    missing = [t for t in reference.themes()["theme_id"] if f"`{t}`" not in text]
    assert missing == []


def test_labels_by_language():
    assert reference.theme_labels("zh")["preschool"] == "学前教育"
    assert reference.theme_labels("en")["preschool"] == "Preschool education"
    assert reference.indicator_names("zh")["green_school_rate"] == "绿色学校达标率"
    with pytest.raises(ParameterError, match="Unknown language `fr` in `lang`; known: en, zh"):
        reference.theme_labels("fr")


def test_rule_scan_reports_theme_weight_keyword_position():
    rules = reference.compiled_rules()
    assert rules.name.scan("扎实做好义务教育“双减”工作") == [
        ("compulsory", 3, "义务教育", 4), ("compulsory", 5, "双减", 9)]
    assert rules.body.scan("新增劳动力") == []   # 劳动 but not 劳动力
    assert rules.broad.scan("夯实基础，建设基础教育优质均衡示范区")[0][:3] == ("", 0, "示范区")


def test_duplicate_raw_name_is_rejected(patched_reference):
    path = patched_reference / "crosswalk.csv"
    path.write_text(path.read_text(encoding="utf-8")
                    + "dup,重复,Duplicate,%,percent,preschool,rate,up,preschool,A share,"
                      "学前三年入园率,,\n", encoding="utf-8")
    with pytest.raises(MappingError, match="`学前三年入园率` is claimed by "
                                           "`preschool_enrolment_rate` and `dup`"):
        reference.crosswalk()


def test_unknown_theme_in_rules_is_rejected(patched_reference):
    path = patched_reference / "theme_rules.csv"
    path.write_text(path.read_text(encoding="utf-8") + "nosuch,3,关键词,both,\n",
                    encoding="utf-8")
    with pytest.raises(MappingError, match="unknown theme_id `nosuch`") as info:
        reference.theme_rules()
    assert info.value.path.endswith("theme_rules.csv")


def test_grouped_alternation_is_rejected(patched_reference):
    path = patched_reference / "theme_rules.csv"
    path.write_text(path.read_text(encoding="utf-8") + "preschool,3,(?:托|育)儿,both,\n",
                    encoding="utf-8")
    with pytest.raises(MappingError, match="top-level"):
        reference.theme_rules()


def test_mapping_error_survives_pickling():
    err = MappingError("x", path="crosswalk.csv", line=3, fix="add it")
    back = pickle.loads(pickle.dumps(err))
    assert (type(back), str(back)) == (MappingError, str(err))
