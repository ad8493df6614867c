"""Execute every report notebook with papermill (defaults and other parameters); inspect the outputs.

The curated data are built once into a temporary project root (PLANCOMPARE_ROOT); all runs go
through a 2-process pool. What was drawn is read from the ``application/vnd.plancompare.chart+json``
output next to each PNG. Deselect with ``-m "not slow"``.
"""

from __future__ import annotations

import html
import json
import multiprocessing
import os
import re
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd
import pytest

from plancompare import analysis
from plancompare.notebook import CHART_MIME

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
BEIJING = ["tongzhou", "haidian", "daxing"]
ALL = ["tongzhou", "haidian", "daxing", "anon1"]

RUNS: dict[str, tuple[str, dict]] = {
    "10": ("10-data-quality.ipynb", {}),
    "20": ("20-indicator-targets.ipynb", {}),
    "20-en": ("20-indicator-targets.ipynb", {"districts": ["haidian", "daxing"], "lang": "en"}),
    "30": ("30-task-themes.ipynb", {}),
    "30-en": ("30-task-themes.ipynb", {"districts": ["haidian", "daxing"], "lang": "en"}),
    "40": ("40-district-profile.ipynb", {}),
    "40-anon1": ("40-district-profile.ipynb", {"district": "anon1"}),
    "bad-district": ("20-indicator-targets.ipynb", {"districts": ["haidian", "nowhere"]}),
}


def execute(notebook: str, params: dict, root: str, out: str) -> tuple[str, str] | None:
    """Run one notebook as plancompare.report does (kernel python3, cwd = root); return (ename, evalue)."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    os.environ["PLANCOMPARE_ROOT"] = root
    try:
        papermill.execute_notebook(str(NOTEBOOKS / notebook), out, parameters=params,
                                   kernel_name="python3", cwd=root, progress_bar=False,
                                   log_output=False)
    except PapermillExecutionError as exc:
        return exc.ename, exc.evalue
    return None


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> tuple[Path, pd.DataFrame]:
    """A project root with a fresh build of the raw documents; skip until analysis exists."""
    from plancompare import build

    root = tmp_path_factory.mktemp("project")
    shutil.copytree(ROOT / "data" / "raw", root / "data" / "raw")
    build.build(root, quiet=True)
    frame = analysis.load_curated(root)
    try:
        analysis.theme_emphasis(frame, districts=["tongzhou"])
    except NotImplementedError:
        pytest.skip("plancompare.analysis is not implemented yet")
    return root, frame


@pytest.fixture(scope="module")
def runs(project, tmp_path_factory) -> dict[str, dict]:
    """Execute every entry of RUNS once; {key: {"nb": executed notebook, "error": ...}}."""
    import nbformat

    root, _ = project
    out_dir = tmp_path_factory.mktemp("executed")
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(2, mp_context=ctx) as pool:
        futures = {key: pool.submit(execute, nb, params, str(root), str(out_dir / f"{key}.ipynb"))
                   for key, (nb, params) in RUNS.items()}
        errors = {key: f.result() for key, f in futures.items()}
    return {key: {"nb": nbformat.read(out_dir / f"{key}.ipynb", as_version=4),
                  "error": errors[key]} for key in RUNS}


def outputs(nb) -> list[dict]:
    return [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]


def charts_of(nb) -> dict[str, dict]:
    """Chart descriptions keyed by title."""
    return {o["data"][CHART_MIME]["title"]: o["data"][CHART_MIME]
            for o in outputs(nb) if CHART_MIME in o.get("data", {})}


def tables_of(nb) -> list[str]:
    return [o["data"]["text/html"] for o in outputs(nb)
            if "<table" in o.get("data", {}).get("text/html", "")]


def n_rows(table_html: str) -> int:
    body = table_html.split("<tbody>", 1)[1]
    return body.count("<tr")


def names(frame: pd.DataFrame, ids: list[str], lang: str = "zh") -> list[str]:
    col = f"district_{lang}"
    return [frame.loc[frame["district_id"] == d, col].iloc[0] for d in ids]


def comparison(frame: pd.DataFrame, districts: list[str], lang: str) -> pd.DataFrame:
    ids = analysis.default_indicators(frame, districts, min_districts=2) or \
        analysis.default_indicators(frame, districts, min_districts=1)
    return analysis.comparison_table(frame, districts=districts, indicators=ids, lang=lang)


@pytest.mark.parametrize("key", [k for k in RUNS if k != "bad-district"])
def test_runs_cleanly_with_chinese_glyphs(runs, key):
    nb, error = runs[key]["nb"], runs[key]["error"]
    assert error is None, error
    text = json.dumps([o for o in outputs(nb)], ensure_ascii=False)
    assert "missing from font" not in text
    streams = [o["text"] for o in outputs(nb) if o["output_type"] == "stream"]
    assert not [s for s in streams if "Warning" in s or "Error" in s], streams
    for o in outputs(nb):
        if CHART_MIME in o.get("data", {}):
            assert o["data"]["image/png"], "every chart description travels with its PNG"
    assert all(cell.get("execution_count") for cell in nb.cells if cell.cell_type == "code")


def test_unknown_district_names_the_known_ids(runs):
    ename, evalue = runs["bad-district"]["error"]
    assert ename == "ParameterError"
    assert "Unknown district `nowhere` in `districts`; known ids: anon1, daxing, haidian, " \
        "tongzhou" in evalue


def test_indicator_targets_defaults(runs, project):
    _, frame = project
    drawn = charts_of(runs["20"]["nb"])
    table = comparison(frame, BEIJING, "zh")
    coverage, targets = drawn["指标覆盖情况"], drawn["各区指标目标值"]
    assert coverage["xticklabels"] == targets["xticklabels"] == ["通州区", "海淀区", "大兴区"]
    assert sorted(coverage["yticklabels"]) == sorted(table["indicator_name"].unique())
    assert targets["yticklabels"] == list(pd.unique(table["indicator_name"]))
    printed = table[table["value"].notna() | ~table["value_text"].fillna("-").isin(["-", ""])]
    assert sum(targets["markers"].values()) == len(printed)
    assert targets["hollow_markers"] == int((printed["source"] != "table").sum())
    baseline = drawn["2020年基线 → 目标"]
    with_base = table[pd.to_numeric(table["baseline_value"]).fillna(0).ne(0)
                      & table["value"].notna()]
    assert baseline["arrows"] == len(with_base) > 0
    # one row per district with a baseline: Haidian's table, Tongzhou's review text (2020 values)
    assert {t.rsplit(" · ", 1)[1] for t in baseline["yticklabels"]} == set(
        with_base["district_name"]) == {"通州区", "海淀区"}


def test_indicator_targets_in_english_for_two_districts(runs, project):
    _, frame = project
    drawn = charts_of(runs["20-en"]["nb"])
    assert set(drawn) == {"Indicator coverage", "Targets by district", "2020 baseline → target",
                          "District targets against the parent (city) plan"}
    table = comparison(frame, ["haidian", "daxing"], "en")
    vs_city = drawn["District targets against the parent (city) plan"]
    assert vs_city["xticklabels"][1:] == ["Haidian", "Daxing"]   # parent first
    assert drawn["Indicator coverage"]["xticklabels"] == ["Haidian", "Daxing"]
    assert sorted(drawn["Indicator coverage"]["yticklabels"]) == sorted(
        table["indicator_name"].unique())
    assert drawn["Targets by district"]["legend"][-1] == "hollow = running text only"


def test_task_themes_defaults(runs, project):
    _, frame = project
    drawn = charts_of(runs["30"]["nb"])
    emphasis = analysis.theme_emphasis(frame, districts=ALL, lang="zh")
    heat = drawn["主要任务文本中各主题所占比重"]
    assert heat["xticklabels"] == ["通州区", "海淀区", "大兴区", "**区（匿名）"]
    assert sorted(heat["yticklabels"]) == sorted(emphasis["theme_label"].unique())
    counts = drawn["各主题条目数"]
    assert counts["bars"] == int((emphasis["n_items"] > 0).sum())
    assert counts["legend"] == names(frame, ALL)
    with_projects = [d for d in ALL if ((frame["district_id"] == d)
                                        & (frame["item_type"] == "project")).any()]
    assert drawn["各主题重点项目数"]["legend"] == names(frame, with_projects)
    projects_html = tables_of(runs["30"]["nb"])[-1]
    assert n_rows(projects_html) == int(frame["item_type"].eq("project").sum())


def test_task_themes_in_english(runs, project):
    _, frame = project
    heat = charts_of(runs["30-en"]["nb"])["Share of main-task text per theme"]
    emphasis = analysis.theme_emphasis(frame, districts=["haidian", "daxing"], lang="en")
    assert heat["xticklabels"] == ["Haidian", "Daxing"]
    assert sorted(heat["yticklabels"]) == sorted(emphasis["theme_label"].unique())


def test_district_profile_tongzhou(runs, project):
    _, frame = project
    nb = runs["40"]["nb"]
    heading = [o for o in outputs(nb) if "text/markdown" in o.get("data", {})]
    assert heading[0]["data"]["text/plain"] == "通州区"
    targets = charts_of(nb)["各区指标目标值"]
    assert targets["xticklabels"] == ["通州区"]
    n_indicators = int(((frame["district_id"] == "tongzhou")
                        & (frame["item_type"] == "indicator")).sum())
    assert n_rows(tables_of(nb)[0]) == n_indicators
    assert "（无 / none）" in json.dumps(outputs(nb)[-1], ensure_ascii=False)  # no 责任单位


def test_district_profile_anon1_has_responsible_units(runs, project):
    _, frame = project
    nb = runs["40-anon1"]["nb"]
    units = tables_of(nb)[-1]
    assert "<th>责任单位</th>" in units
    rows = frame[frame["district_id"] == "anon1"]
    expected = {u for us in rows["responsible_units"] if us is not None for u in us if u}
    shown = set(re.findall(r"<tr>\s*<td>(.*?)</td>", units))
    assert {html.unescape(s) for s in shown} == expected
    assert charts_of(nb)["2020年基线 → 目标"]["texts"] == ["所选指标均无基线数据"]


def test_data_quality_lists_every_source_file(runs, project):
    _, frame = project
    tables = tables_of(runs["10"]["nb"])
    files = sorted(frame["source_file"].unique())
    source_table = next(t for t in tables if "跳过（噪声）" in t)
    assert n_rows(source_table) == len(files)
    for f in files:
        assert html.escape(f) in source_table


def test_data_quality_shows_every_structure_report(runs, project):
    _, frame = project
    table = next(t for t in tables_of(runs["10"]["nb"]) if "标题层级" in t)
    assert n_rows(table) == frame["source_file"].nunique()
    assert "主要任务" in table and "cn_paren" in table
