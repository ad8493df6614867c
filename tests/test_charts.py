"""Charts: what was drawn (tick labels, markers per comparator, bars, legend), fonts and languages."""

from __future__ import annotations

import io
import warnings

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from plancompare import charts, fonts
from plancompare.errors import ParameterError

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _png(ax) -> bytes:
    """Render like a report does; any missing glyph is an error."""
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message="Glyph .* missing from font")
        ax.figure.savefig(buf, format="png")
    return buf.getvalue()


def comparison(rows: list[tuple]) -> pd.DataFrame:
    """A comparison table as analysis.comparison_table documents it, from short tuples."""
    cols = ["indicator_name", "district_name", "comparator", "value", "value_text", "source",
            "baseline_value", "baseline_text"]
    frame = pd.DataFrame(rows, columns=cols)
    frame["indicator_id"] = frame["indicator_name"]
    frame["district_id"] = frame["district_name"]
    return frame


TARGETS = comparison([
    ("学前三年毛入园率", "通州区", ">", 99.0, "＞99", "table", None, None),
    ("学前三年毛入园率", "海淀区", ">=", 99.0, "≥99", "table", 98.0, "98"),
    ("学前三年毛入园率", "大兴区", ">=", 98.0, "达到98%以上", "text", None, None),
    ("普惠性幼儿园覆盖率", "通州区", "=", 90.0, "90", "table", None, None),
    ("普惠性幼儿园覆盖率", "海淀区", "<=", 91.0, "≤91", "table", 87.0, "87"),
    ("普惠性幼儿园覆盖率", "大兴区", None, None, None, None, None, None),
    ("近视率", "通州区", "<", 50.0, "低于50%", "text", None, None),
    ("近视率", "海淀区", "<", 55.0, "<55", "table", 58.0, "58"),
    ("近视率", "大兴区", None, None, None, None, None, None),
])


def test_font_setup_is_idempotent_and_survives_seaborn():
    import seaborn as sns

    path = fonts.setup()
    assert path.name == "NotoSansSC-Regular.otf" and path.is_file()
    assert fonts.setup() == path
    names = [f.name for f in matplotlib.font_manager.fontManager.ttflist]
    assert names.count("Noto Sans SC") == 1
    sns.set_theme()
    assert matplotlib.rcParams["font.sans-serif"][0] != "Noto Sans SC"
    fonts.theme("whitegrid")
    assert matplotlib.rcParams["font.sans-serif"][:2] == ["Noto Sans SC", "DejaVu Sans"]


def test_target_comparison_markers_by_comparator_and_source():
    before = TARGETS.copy()
    ax = charts.target_comparison(TARGETS)
    d = charts.describe(ax)
    assert d["xticklabels"] == ["通州区", "海淀区", "大兴区"]
    assert d["yticklabels"] == ["学前三年毛入园率", "普惠性幼儿园覆盖率", "近视率"]
    assert d["markers"] == {">": 1, "^": 2, "o": 1, "v": 1, "<": 2}
    assert (d["hollow_markers"], d["filled_markers"]) == (2, 5)
    assert sorted(d["texts"]) == sorted(["＞99", "≥99", "达到98%以上", "90", "≤91", "低于50%", "<55"])
    assert d["legend"] == ["> 高于", "≥ 不低于", "= 达到", "< 低于", "≤ 不高于",
                           "实心 = 指标表", "空心 = 仅见于正文"]
    pd.testing.assert_frame_equal(TARGETS, before)
    _png(ax)


def test_target_comparison_in_english_and_unknown_comparator():
    table = comparison([("Preschool enrolment", "Tongzhou", "~", 1.0, "约1", "text", None, None)])
    d = charts.describe(charts.target_comparison(table, lang="en"))
    assert d["title"] == "Targets by district"
    assert d["markers"] == {"s": 1} and d["hollow_markers"] == 1
    assert d["legend"][0] == "other wording"


def test_baseline_target_draws_one_arrow_per_baseline():
    ax = charts.baseline_target(TARGETS)
    d = charts.describe(ax)
    assert d["yticklabels"] == ["学前三年毛入园率 · 海淀区", "普惠性幼儿园覆盖率 · 海淀区",
                                "近视率 · 海淀区"]
    assert d["arrows"] == 3
    assert d["markers"] == {"o": 3, "^": 1, "v": 1, "<": 1}
    assert d["texts"] == ["98 → ≥99", "87 → ≤91", "58 → <55"]
    _png(ax)


def test_baseline_target_without_baselines_says_so():
    d = charts.describe(charts.baseline_target(TARGETS[TARGETS["district_name"] != "海淀区"],
                                               lang="en"))
    assert d["arrows"] == 0
    assert d["texts"] == ["No baselines for the selected indicators"]


def test_coverage_heatmap_ticks_and_legend():
    cov = pd.DataFrame({"tongzhou": ["table", "table"], "daxing": ["text", "not set"]},
                       index=pd.Index(["preschool", "myopia"], name="indicator_id"))
    ax = charts.coverage_heatmap(cov, row_labels={"preschool": "学前三年毛入园率"},
                                 column_labels={"tongzhou": "通州区", "daxing": "大兴区"})
    d = charts.describe(ax)
    assert d["xticklabels"] == ["通州区", "大兴区"]
    assert d["yticklabels"] == ["学前三年毛入园率", "myopia"]
    assert d["legend"] == ["指标表", "仅见于正文", "未设定"]
    assert charts.describe(charts.coverage_heatmap(cov, lang="en"))["legend"] == [
        "indicator table", "running text only", "not set"]
    _png(ax)


def emphasis(n_districts: int = 3) -> pd.DataFrame:
    rows = []
    for k in range(n_districts):
        for theme, share in (("德育", 0.1), ("教师队伍", 0.3 + k / 100), ("学前教育", 0.2)):
            rows.append({"district_id": f"d{k}", "district_name": f"第{k}区", "theme_id": theme,
                         "theme_label": theme, "text_share": share, "n_items": int(share * 20),
                         "n_targets": 0})
    return pd.DataFrame(rows)


def test_theme_heatmap_rows_sorted_by_share():
    ax = charts.theme_heatmap(emphasis(3))
    d = charts.describe(ax)
    assert d["yticklabels"] == ["教师队伍", "学前教育", "德育"]
    assert d["xticklabels"] == ["第0区", "第1区", "第2区"]
    assert "30%" in d["texts"] and len(d["texts"]) == 9
    _png(ax)


def test_theme_heatmap_stays_readable_beyond_ten_districts():
    ax = charts.theme_heatmap(emphasis(14), lang="en")
    d = charts.describe(ax)
    assert len(d["xticklabels"]) == 14
    assert d["texts"] == []  # no cell annotations beyond 12 districts
    assert ax.get_xticklabels()[0].get_rotation() == pytest.approx(35)
    assert ax.figure.get_size_inches()[0] > 14


def test_theme_counts_one_bar_per_district_and_theme():
    d = charts.describe(charts.theme_counts(emphasis(2)))
    assert d["yticklabels"] == ["教师队伍", "学前教育", "德育"]
    assert d["bars"] == 6
    assert d["legend"] == ["第0区", "第1区"]
    assert d["title"] == "各主题条目数"


def test_projects_by_theme_counts_projects():
    projects = pd.DataFrame({"district_id": ["a", "a", "b"], "district_name": ["甲", "甲", "乙"],
                             "theme_label": ["基础教育", "基础教育", "教育信息化"]})
    ax = charts.projects_by_theme(projects)
    d = charts.describe(ax)
    assert d["yticklabels"] == ["基础教育", "教育信息化"]
    assert d["bars"] == 2 and d["legend"] == ["甲", "乙"]
    assert [p.get_width() for p in ax.patches if p.get_width()] == [2, 1]
    assert all(t == str(int(float(t))) for t in d["xticklabels"])  # integer ticks
    _png(ax)


def test_empty_inputs_draw_a_message():
    empty = emphasis(1).iloc[0:0]
    for draw in (charts.theme_heatmap, charts.theme_counts):
        assert charts.describe(draw(empty))["texts"] == ["无数据"]


def test_unknown_language_is_a_parameter_error():
    with pytest.raises(ParameterError, match="Unknown language `fr` in `lang`; known: zh, en"):
        charts.target_comparison(TARGETS, lang="fr")
