"""Charts past ten districts switch to compact forms (sorted heatmaps, one strip per indicator)."""

from __future__ import annotations

import pandas as pd

from plancompare import charts

N = 40


def _table() -> pd.DataFrame:
    rows = []
    for d in range(N):
        for k, name in enumerate(["入园率", "学位数"]):
            value = 80.0 + d % 7 + 10 * k
            rows.append({"indicator_id": f"i{k}", "district_id": f"d{d}",
                         "indicator_name": name, "district_name": f"第{d}区",
                         "comparator": ">=" if d % 2 else "=", "value": value,
                         "value_text": f"{value:g}", "source": "table" if d % 3 else "text",
                         "baseline_value": 80.0, "baseline_text": "80"})
    return pd.DataFrame(rows)


def test_coverage_many_districts_one_row_per_district_sorted():
    cov = pd.DataFrame({f"d{d}": ["table" if d < 5 else "not set", "text" if d % 2 else "not set"]
                        for d in range(N)}, index=["i0", "i1"])
    d = charts.describe(charts.coverage_heatmap(cov, lang="en"))
    assert len(d["yticklabels"]) == N and d["xticklabels"] == ["i1", "i0"]
    assert d["yticklabels"][:5] == ["d1", "d3", "d0", "d2", "d4"]  # table first, then text
    assert d["title"] == f"Indicator coverage ({N})"


def test_targets_many_districts_one_strip_per_indicator():
    d = charts.describe(charts.target_comparison(_table(), lang="en"))
    assert [t.split("  (")[0] for t in d["yticklabels"]] == ["入园率", "学位数"]
    assert d["yticklabels"][0] == "入园率  (80 … 86)"
    assert sum(d["markers"].values()) == 2 * N
    assert d["hollow_markers"] == 2 * len(range(0, N, 3))


def test_baseline_many_districts_strips_with_median():
    ax = charts.baseline_target(_table(), lang="en")
    d = charts.describe(ax)
    assert d["yticklabels"] == ["入园率", "学位数"]
    assert d["markers"]["|"] == 2 and d["arrows"] == 0
    assert sum(n for m, n in d["markers"].items() if m != "|") == 2 * N


def test_theme_counts_many_districts_heatmap():
    emphasis = pd.DataFrame({"district_id": [f"d{d}" for d in range(N) for _ in range(2)],
                             "theme_label": ["德育", "体育"] * N,
                             "n_items": [d % 5 + t for d in range(N) for t in range(2)]})
    d = charts.describe(charts.theme_counts(emphasis))
    assert len(d["yticklabels"]) == N and d["xticklabels"] == ["体育", "德育"]
    assert d["bars"] == 0
