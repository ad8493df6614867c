"""Analysis functions on a small hand-built frame (exact outputs) and on the real documents."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from plancompare import analysis, model
from plancompare.errors import ParameterError

NAMES = {"tongzhou": ("通州区", "Tongzhou"), "haidian": ("海淀区", "Haidian"),
         "daxing": ("大兴区", "Daxing")}


def row(district: str, kind: str, key: str, **values) -> dict:
    rec = {c: None for c in model.ALL_COLUMNS}
    zh, en = NAMES[district]
    rec.update(district_id=district, district_zh=zh, district_en=en, doc_id="plan",
               item_type=kind, item_key=key, source_file=f"{district}.txt", line=1, quote="q",
               source="heading", body_chars=len(values.get("body") or ""))
    rec.update(values)
    return rec


def target(district, key, ind, text, value, *, source="table", line=1, role="target",
           year=2025, theme="digital_smart", comparator="="):
    return row(district, "indicator", key, indicator_id=ind, value_text=text, value=value,
               source=source, line=line, role=role, year=year, unit="%", theme_id=theme,
               comparator=comparator, name_raw=ind, quote=f"{ind} {text}")


@pytest.fixture
def frame() -> pd.DataFrame:
    rows = [
        target("tongzhou", "plan:ind:1", "preschool_enrolment_rate", ">90", 90.0, line=144,
               theme="preschool", comparator=">"),
        target("tongzhou", "plan:ind:11", "smart_campus_coverage", "＞85", 85.0, line=184,
               comparator=">"),
        target("tongzhou", "plan:txt:136:1", "smart_campus_coverage", "达到85%以上", 85.0,
               source="text", line=136, comparator=">="),
        target("haidian", "plan:ind:1", "preschool_enrolment_rate", ">90", 90.0, line=236,
               theme="preschool", comparator=">"),
        target("haidian", "plan:ind:1:base", "preschool_enrolment_rate", "90", 90.0, line=236,
               role="baseline", year=2020, theme="preschool"),
        target("haidian", "plan:ind:10", "smart_campus_coverage", "95", 95.0, line=254),
        target("haidian", "plan:ind:10:base", "smart_campus_coverage", "85", 85.0, line=254,
               role="baseline", year=2020),
        target("haidian", "plan:txt:278:1", None, "达100%", 100.0, source="text", line=278,
               theme="home_school_society") | {"name_raw": "家长学校建立比例"},
        row("tongzhou", "task", "plan:task:1", level=1, body="x" * 50, theme_id="compulsory"),
        row("tongzhou", "task", "plan:task:1.1", level=2, parent_key="plan:task:1",
            body="x" * 100, theme_id="preschool"),
        row("tongzhou", "task", "plan:task:1.2", level=2, parent_key="plan:task:1",
            body="x" * 300, theme_id="compulsory"),
        row("tongzhou", "project", "plan:proj:key:12", body="y" * 80, theme_id="digital_smart"),
        row("haidian", "task", "plan:task:12", level=1, body="z" * 200, theme_id="teachers"),
        row("daxing", "task", "plan:task:6.1", level=2, parent_key="plan:task:6", body="w" * 40,
            theme_id="digital_smart"),
        row("daxing", "task", "plan:task:7.3", level=2, parent_key="plan:task:7", body="w" * 60,
            theme_id="regional_coordination"),
    ]
    out = pd.DataFrame(rows, columns=list(model.ALL_COLUMNS))
    return out.astype({"line": "Int64", "year": "Int64", "level": "Int64",
                       "body_chars": "Int64"})


@pytest.fixture
def untouched(frame):
    """Fail the test if the analysis function modified the frame."""
    before = frame.copy()
    yield frame
    pd.testing.assert_frame_equal(frame, before)


def test_check_districts(untouched):
    assert analysis.check_districts(untouched, None) == ["tongzhou", "haidian", "daxing"]
    assert analysis.check_districts(untouched, "daxing") == ["daxing"]
    assert analysis.check_districts(untouched, ["haidian", "haidian", "daxing"]) == [
        "haidian", "daxing"]
    with pytest.raises(ParameterError) as info:
        analysis.check_districts(untouched, ["haidian", "tongzou"])
    assert str(info.value) == ("Unknown district `tongzou` in `districts`; "
                               "known ids: daxing, haidian, tongzhou")
    with pytest.raises(ParameterError, match="`districts` is empty"):
        analysis.check_districts(untouched, [])


def test_default_indicators(untouched):
    assert analysis.default_indicators(untouched, None) == [
        "preschool_enrolment_rate", "smart_campus_coverage"]
    assert analysis.default_indicators(untouched, ["haidian", "daxing"]) == []
    assert analysis.default_indicators(untouched, ["haidian", "daxing"], min_districts=1) == [
        "preschool_enrolment_rate", "smart_campus_coverage"]


def test_coverage_matrix(untouched):
    got = analysis.coverage_matrix(untouched)
    expected = pd.DataFrame(
        {"tongzhou": ["table", "table"], "haidian": ["table", "table"],
         "daxing": ["not set", "not set"]},
        index=pd.Index(["preschool_enrolment_rate", "smart_campus_coverage"],
                       name="indicator_id"))
    expected.columns.name = "district_id"
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    text_only = untouched[~untouched["item_key"].eq("plan:ind:11")]
    assert analysis.coverage_matrix(text_only, districts=["tongzhou"],
                                    indicators=["smart_campus_coverage"]).iloc[0, 0] == "text"


def test_coverage_matrix_unknown_indicator(untouched):
    with pytest.raises(ParameterError, match="Unknown indicator `smart` in `indicators`"):
        analysis.coverage_matrix(untouched, indicators=["smart"])


def test_comparison_table_prefers_table_and_lists_not_set(untouched):
    got = analysis.comparison_table(untouched, indicators=["smart_campus_coverage"])
    assert list(got.columns) == list(analysis.COMPARISON_COLUMNS)
    assert got["district_id"].tolist() == ["tongzhou", "haidian", "daxing"]
    assert got["indicator_name"].tolist() == ["智慧校园覆盖率"] * 3
    assert got["district_name"].tolist() == ["通州区", "海淀区", "大兴区"]
    tz, hd, dx = (got.iloc[i] for i in range(3))
    assert (tz["value_text"], tz["comparator"], tz["source"], tz["line"]) == ("＞85", ">",
                                                                            "table", 184)
    assert pd.isna(tz["baseline_text"])
    assert (hd["value_text"], hd["baseline_text"], hd["baseline_value"], hd["baseline_year"]) == (
        "95", "85", 85.0, 2020)
    assert dx[["value_text", "source", "quote", "line"]].isna().all()


def test_comparison_table_in_english(untouched):
    got = analysis.comparison_table(untouched, districts=["haidian"], lang="en")
    assert got["indicator_name"].tolist() == ["Preschool (3-year) enrolment rate",
                                              "Smart-campus coverage"]
    assert got["district_name"].tolist() == ["Haidian", "Haidian"]
    with pytest.raises(ParameterError, match="Unknown language `de`"):
        analysis.comparison_table(untouched, lang="de")


def test_theme_emphasis(untouched):
    got = analysis.theme_emphasis(untouched)
    assert list(got.columns) == list(analysis.EMPHASIS_COLUMNS)
    indexed = got.set_index(["district_id", "theme_id"])
    # Tongzhou: level 1 with sub-tasks is not counted; 100 + 300 characters of sub-tasks.
    assert indexed.loc[("tongzhou", "preschool"), "text_share"] == 0.25
    assert indexed.loc[("tongzhou", "compulsory"), "text_share"] == 0.75
    assert indexed.loc[("tongzhou", "digital_smart")].tolist() == ["教育信息化与智慧教育", 0.0, 1, 1]
    assert indexed.loc[("haidian", "teachers"), "text_share"] == 1.0
    assert indexed.loc[("haidian", "home_school_society"), "n_targets"] == 1
    assert indexed.loc[("daxing", "regional_coordination"), "text_share"] == 0.6
    assert got.groupby("district_id")["text_share"].sum().round(9).tolist() == [1.0, 1.0, 1.0]
    assert len(got) == 3 * 26


def test_theme_emphasis_counts_text_by_theme_text(untouched):
    frame = untouched.copy()
    texts = {"plan:task:1.1": "preschool=100",
             "plan:task:1.2": "compulsory=150;physical_mental_health=90;arts_education=60",
             "plan:task:12": "teachers=200",
             "plan:task:6.1": "digital_smart=40"}   # daxing 7.3 has none: its body_chars count
    frame["theme_text"] = frame["item_key"].map(texts)
    got = analysis.theme_emphasis(frame).set_index(["district_id", "theme_id"])
    share = got["text_share"]
    assert share[("tongzhou", "preschool")] == 0.25
    assert share[("tongzhou", "compulsory")] == 0.375
    assert share[("tongzhou", "physical_mental_health")] == 0.225
    assert share[("tongzhou", "arts_education")] == 0.15
    assert share[("daxing", "digital_smart")] == 0.4
    assert share[("daxing", "regional_coordination")] == 0.6
    assert share[("haidian", "teachers")] == 1.0
    # n_items counts each task once, under its theme_id.
    assert got.loc[("tongzhou", "compulsory"), "n_items"] == 1
    assert got.loc[("tongzhou", "physical_mental_health"), "n_items"] == 0
    assert got.groupby("district_id")["text_share"].sum().round(9).tolist() == [1.0, 1.0, 1.0]


def test_unmapped_names(untouched):
    got = analysis.unmapped_names(untouched)
    assert got["name_raw"].tolist() == ["家长学校建立比例"]
    assert got[["district_id", "value_text", "line"]].iloc[0].tolist() == ["haidian", "达100%",
                                                                          278]


# --- the real documents ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real() -> pd.DataFrame:
    from plancompare import build, harmonise, manifest

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return harmonise.harmonise(build.parse_all(manifest.load(), quiet=True))


def test_real_smart_campus_comparison(real):
    got = analysis.comparison_table(real, indicators=["smart_campus_coverage"],
                                    districts=["tongzhou", "haidian", "daxing"])
    tz, hd, dx = (got.iloc[i] for i in range(3))
    assert (tz["value_text"], tz["source"], tz["line"]) == ("＞85", "table", 184)
    assert tz["source_file"] == "tongzhou_education-plan_2021-2025.txt"
    assert (hd["value_text"], hd["baseline_text"], hd["baseline_year"]) == ("95", "85", 2020)
    assert pd.isna(dx["value_text"]) and pd.isna(dx["source"])


def test_real_preschool_enrolment_across_districts(real):
    got = analysis.comparison_table(real, indicators="preschool_enrolment_rate")
    by = got.set_index("district_id")
    assert by.loc["tongzhou", "value_text"] == ">90"
    assert by.loc["haidian", "value_text"] == ">90"
    assert (by.loc["anon1", "value_text"], by.loc["anon1", "source"]) == ("超过85%", "text")
    assert pd.isna(by.loc["daxing", "value_text"])


def test_real_coverage_and_defaults(real):
    cov = analysis.coverage_matrix(real)
    assert cov.loc["inclusive_kindergarten_coverage"].tolist() == ["table", "table", "not set",
                                                                   "text"]
    assert cov.loc["new_labour_schooling_years", "haidian"] == "table"
    assert len(analysis.default_indicators(real, None)) == 17  # short text names map (名校长, 名家)


def test_real_theme_emphasis_shares(real):
    got = analysis.theme_emphasis(real)
    sums = got.groupby("district_id")["text_share"].sum()
    assert sums.round(9).eq(1.0).all()
    top = got.loc[got.groupby("district_id")["text_share"].idxmax()].set_index("district_id")
    assert top.loc["haidian", "theme_id"] == "teachers"


def test_real_tongzhou_wuyu_counts_for_health_arts_labour(real):
    got = analysis.theme_emphasis(real, districts="tongzhou").set_index("theme_id")["text_share"]
    for theme in ("physical_mental_health", "arts_education", "labour_practice"):
        assert got[theme] > 0, theme
    chars = real.loc[real["district_id"].eq("tongzhou") & real["theme_text"].notna(),
                     "body_chars"].sum()
    assert got["physical_mental_health"] == pytest.approx(485 / chars)


def test_real_baselines_from_the_review_text(real):
    """Tongzhou's table prints no baseline; its review (line 105) gives four indicators a 2020
    value, each stated twice as a target (table and goals text): eight statements. Haidian's
    review gives seven text statements a baseline of their own stage and kind."""
    rows = analysis.statement_baselines(real, ["tongzhou", "haidian"], "zh")
    text = rows[rows["baseline_source"].eq("text")]
    tz = text[text["district_id"].eq("tongzhou")]
    assert sorted(zip(tz["line"], tz["indicator_id"], tz["baseline_text"], strict=True)) == [
        (130, "inclusive_kindergarten_coverage", "超过88%"),
        (130, "preschool_enrolment_rate", "超过90%"),
        (131, "compulsory_nearby_enrolment_rate", "达到99%以上"),
        (137, "safe_campus_rate", "100%"),
        (144, "preschool_enrolment_rate", "超过90%"),
        (148, "inclusive_kindergarten_coverage", "超过88%"),
        (152, "compulsory_nearby_enrolment_rate", "达到99%以上"),
        (192, "safe_campus_rate", "100%"),
    ]
    assert set(tz["baseline_line"]) == {105}
    hd = text[text["district_id"].eq("haidian")].set_index("value_text")
    assert hd.loc["5000个", "baseline_text"] == "2.8万个"       # 累计增加学前学位, not 普惠性学位
    assert hd.loc["11所", "baseline_text"] == "19所"            # 配套园 against 配套幼儿园
    assert {"4所", "1个", "10名", "88万平方米"}.isdisjoint(hd.index)  # schools, stocks: none
    assert len(hd) == 7
