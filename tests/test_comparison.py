"""Bars compared (table-driven, made-up values) and district vs parent on a made-up frame."""

from __future__ import annotations

import pandas as pd
import pytest

from plancompare import analysis, comparison
from plancompare.comparison import Bar, compare
from plancompare.errors import ParameterError
from plancompare.model import ALL_COLUMNS


@pytest.mark.parametrize(("a", "b", "verdict"), [
    # the documented ordering at one value: >90 above >=90; >=90, =90 and ~90 the same bar
    (Bar(">", 90), Bar(">=", 90), "higher"),
    (Bar(">=", 90), Bar(">", 90), "lower"),
    (Bar(">=", 90), Bar("=", 90), "same"),
    (Bar("=", 90), Bar(">=", 90), "same"),
    (Bar(">", 90), Bar("=", 90), "higher"),
    # different values decide before comparators
    (Bar(">=", 92), Bar(">", 90), "higher"),
    (Bar(">", 85), Bar("=", 90), "lower"),
    # upper bounds: <45 below <=45
    (Bar("<", 45), Bar("<=", 45), "lower"),
    (Bar("<=", 50), Bar("<=", 45), "higher"),
    (Bar("=", 45), Bar("<=", 45), "same"),
    # a lower bound against an upper bound says nothing
    (Bar(">=", 90), Bar("<=", 95), "not comparable"),
    # ranges
    (Bar("=", 4, 5), Bar("=", 3), "higher"),
    (Bar("=", 1, 2), Bar("=", 3), "lower"),
    (Bar("=", 1, 3), Bar("=", 2), "overlap"),
    (Bar("=", 1, 3), Bar("=", 1, 3), "same"),
    (Bar("=", 2, 3), Bar("=", 3, 5), "overlap"),
    # units and periods must agree
    (Bar("=", 5000, unit="个"), Bar("=", 16, unit="万个"), "not comparable"),
    (Bar(">", 1, unit="个百分点", rate_period="年"), Bar("<", 50, unit="%"), "not comparable"),
    (Bar("=", 90, unit="%"), Bar("=", 90), "same"),
    # one side missing
    (Bar("=", 90), None, "only district"),
    (None, Bar("=", 90), "only parent"),
])
def test_compare(a, b, verdict):
    assert compare(a, b) == verdict


def _row(district, **kw):
    level = "city" if district == "city1" else "district"
    row = dict.fromkeys(ALL_COLUMNS)
    row.update(district_id=district, district_zh=district.upper(), district_en=district.title(),
               doc_id="plan", item_type="indicator", source="text", role="target", year=2025,
               source_file=f"{district}.txt", responsible_units=[], body_chars=0,
               jurisdiction_level=level,
               jurisdiction_parent=None if district in ("city1", "lone") else "city1")
    row.update(kw)
    row["quote"] = row["quote"] or f"{row['name_raw']}{row['value_text']}"
    return row


def _ind(district, key, ind, comparator, value, text, *, unit="%", line=1, role="target",
         year=2025, high=None):
    return _row(district, item_key=key, indicator_id=ind, name_raw=ind, comparator=comparator,
                value=value, value_high=high, value_text=text, unit=unit, line=line, role=role,
                year=year)


@pytest.fixture
def frame():
    rows = [
        _ind("d1", "t:1", "preschool_enrolment_rate", ">", 90.0, "超过90%", line=3),
        _ind("d1", "a:1", "preschool_enrolment_rate", "=", 88.0, "88%", role="achieved",
             year=2020, line=1),
        _ind("d1", "a:2", "preschool_enrolment_rate", "=", 80.0, "80%", role="achieved",
             year=2018, line=2),
        _ind("d1", "t:2", "inclusive_kindergarten_coverage", "=", 90.0, "达到90%", line=4),
        _ind("d1", "t:3", "school_places_added", "=", 5000.0, "5000个", unit="个", line=5),
        _ind("d1", "t:4", "smart_campus_coverage", ">=", 95.0, "95%以上", line=6),
        _ind("d2", "t:1", "preschool_enrolment_rate", ">=", 85.0, "85%以上", line=2),
        _ind("lone", "t:1", "preschool_enrolment_rate", "=", 99.0, "99%"),
        _ind("city1", "t:1", "preschool_enrolment_rate", ">=", 90.0, "保持在90%以上", line=7),
        _ind("city1", "t:2", "inclusive_kindergarten_coverage", "=", 90.0, "达到90%", line=7),
        _ind("city1", "t:3", "school_places_added", "=", 16.0, "16万个", unit="万个", line=8),
        _ind("city1", "t:4", "student_fitness_good_rate", ">", 70.0, "超70%", line=9),
    ]
    out = pd.DataFrame(rows, columns=list(ALL_COLUMNS))
    return out.astype({"value": "float64", "value_high": "float64", "line": "Int64",
                       "year": "Int64"})


def test_references_are_never_districts(frame):
    assert analysis.check_districts(frame, None) == ["d1", "d2", "lone"]
    assert analysis.reference_plans(frame) == {"city1": "city"}
    with pytest.raises(ParameterError, match=r"`city1` in `districts` is a reference plan "
                                             r"\(city\), not a district"):
        analysis.check_districts(frame, ["d1", "city1"])


def test_baseline_from_achieved_value_of_the_base_year(frame):
    got = analysis.comparison_table(frame, districts=["d1"],
                                    indicators=["preschool_enrolment_rate"])
    row = got.iloc[0]
    assert (row["baseline_text"], row["baseline_year"], row["baseline_source"]) == (
        "88%", 2020, "text")
    assert (row["baseline_quote"], row["baseline_file"], row["baseline_line"]) == (
        "preschool_enrolment_rate88%", "d1.txt", 1)


def test_parent_comparison(frame):
    got = comparison.parent_comparison(frame)
    assert set(got["district_id"]) == {"d1", "d2"}   # lone has no parent
    by = got.set_index(["district_id", "indicator_id"])
    assert by.loc[("d1", "preschool_enrolment_rate"), "vs_parent"] == "higher"
    assert by.loc[("d1", "preschool_enrolment_rate"), "vs_baseline"] == "higher"
    assert by.loc[("d1", "preschool_enrolment_rate"), "parent_quote"] == \
        "preschool_enrolment_rate保持在90%以上"
    assert by.loc[("d1", "preschool_enrolment_rate"), "parent_line"] == 7
    assert str(got["parent_line"].dtype) == "Int64"
    assert by.loc[("d1", "inclusive_kindergarten_coverage"), "vs_parent"] == "same"
    assert by.loc[("d1", "school_places_added"), "vs_parent"] == "not comparable"
    assert by.loc[("d1", "smart_campus_coverage"), "vs_parent"] == "only district"
    assert by.loc[("d1", "student_fitness_good_rate"), "vs_parent"] == "only parent"
    assert by.loc[("d2", "preschool_enrolment_rate"), "vs_parent"] == "lower"
    assert by.loc[("d2", "inclusive_kindergarten_coverage"), "vs_parent"] == "only parent"
    assert got["parent_name"].unique().tolist() == ["CITY1"]


def test_above_below_lists_higher_then_lower(frame):
    got = comparison.above_below(frame, "d1", lang="en")
    assert got[["indicator_id", "vs_parent"]].values.tolist() == [
        ["preschool_enrolment_rate", "higher"]]
    assert comparison.above_below(frame, "d2")["vs_parent"].tolist() == ["lower"]


def test_parent_heatmap_draws_parent_then_districts(frame):
    import matplotlib.pyplot as plt

    from plancompare import charts_compare

    vs = comparison.parent_comparison(frame, lang="en")
    ax = charts_compare.parent_heatmap(vs, lang="en")
    try:
        assert [t.get_text() for t in ax.get_xticklabels()] == ["City1", "D1", "D2"]
        cells = {t.get_gid(): t.get_text() for t in ax.texts}
        assert cells["cell:preschool_enrolment_rate:0"] == "保持在90%以上"
        assert cells["cell:preschool_enrolment_rate:1"] == "超过90%"
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        assert legend == ["parent plan's target", "above parent", "same as parent",
                          "below parent", "not comparable", "only the district",
                          "only the parent"]
    finally:
        plt.close("all")


def test_parent_heatmap_without_parents_says_so(frame):
    import matplotlib.pyplot as plt

    from plancompare import charts_compare

    vs = comparison.parent_comparison(frame, districts=["lone"])
    assert vs.empty
    ax = charts_compare.parent_heatmap(vs, lang="en")
    assert ax.texts[0].get_text() == "No selected district has a parent plan to compare with"
    plt.close("all")


def test_display_tables(frame):
    from plancompare import notebook_compare

    table = notebook_compare.above_below_table(frame, "d1", "en")
    assert table.loc[0, ["district target", "parent target", "vs parent"]].tolist() == [
        "超过90%", "保持在90%以上", "higher"]
    assert table.loc[0, "parent source"] == "city1.txt:7"
    base = notebook_compare.baselines_from_text(frame, ["d1"], "zh")
    assert base[["区目标", "基线", "基线出处"]].values.tolist() == [["超过90%", "88%", "d1.txt:1"]]
