"""Execute the text-analysis notebook (50) on a fresh build of the seeds; inspect its outputs."""

from __future__ import annotations

import pytest
from test_notebooks import NOTEBOOKS, charts_of, execute, outputs, project, tables_of  # noqa: F401

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def executed(project, tmp_path_factory):  # noqa: F811
    import nbformat

    root, _ = project
    out = tmp_path_factory.mktemp("executed50") / "50.ipynb"
    error = execute("50-text-analysis.ipynb", {}, str(root), str(out))
    return nbformat.read(out, as_version=4), error


def test_text_analysis_report_runs(executed):
    nb, error = executed
    assert error is None
    assert (NOTEBOOKS / "50-text-analysis.ipynb").is_file()
    texts = [o.get("text", "") for o in outputs(nb) if o.get("output_type") == "stream"]
    assert not any("Glyph" in t or "Warning" in t for t in texts), texts


def test_text_analysis_report_shows_every_section(executed):
    nb, _ = executed
    charts = charts_of(nb)
    assert set(charts) == {"通州区", "各区政策工具构成", "政策工具 × 主题（编码数）",
                           "责任单位合作网络（连线 = 共同负责的任务数）",
                           "与其他规划措辞高度相似的任务文本比例"}
    terms = charts["通州区"]   # the small multiples of terms: the first panel, Tongzhou's
    assert terms["yticklabels"][0] == "中心 (40)"
    assert charts["各区政策工具构成"]["yticklabels"] == ["通州区", "海淀区", "大兴区", "**区（匿名）"]
    tables = tables_of(nb)
    assert any("区教育局" in t and "区人社局" in t for t in tables)
    assert any("充分发挥教师主导作用" in t for t in tables)


@pytest.mark.parametrize("districts", [None, ["haidian", "anon1", "tongzhou"]])
def test_saved_tables_give_the_same_results(project, districts):  # noqa: F811
    import pandas as pd

    from plancompare.textanalysis import report

    root, frame = project
    assert report.saved_tables(root) is not None
    fast = report.analyse(frame, districts, root)
    fresh = report.analyse(frame, districts, root, saved=False)
    for name in ("terms", "matches", "share", "passages"):
        pd.testing.assert_frame_equal(getattr(fast, name), getattr(fresh, name),
                                      check_dtype=False)
