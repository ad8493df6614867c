"""Helpers that keep the report notebooks thin: parameters, display, and per-section tables."""

from __future__ import annotations

import base64
import io
import itertools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes

from . import analysis, charts, fonts, paths
from .analysis import district_names  # nb.district_names in the notebooks
from .report import tables

#: Columns of :func:`plancompare.analysis.comparison_table` (for an empty selection).
COMPARISON_COLUMNS = analysis.COMPARISON_COLUMNS

#: Mimetype of the machine-readable description of a chart, next to its PNG in one output.
CHART_MIME = "application/vnd.plancompare.chart+json"

COLUMNS: dict[str, dict[str, str]] = {
    "zh": {
        "district": "区", "doc_id": "文档", "source_file": "文件", "item_type": "类型",
        "source": "来源", "rows": "条数", "lines": "行数", "content": "正文行", "blank": "空行",
        "noise": "跳过（噪声）", "toc": "目录", "page_number": "页码", "boilerplate": "网页广告/导航",
        "cited": "被引用行", "line": "行", "reason": "原因", "text": "原文", "name": "名称",
        "indicator": "指标", "target": "目标值", "unit": "单位", "year": "年份",
        "comparator": "比较", "baseline": "基线", "quote": "原文引用", "where": "出处",
        "role": "角色", "theme": "主题", "n_items": "条目数", "share": "文本占比",
        "examples": "示例", "level": "层级", "heading": "标题", "unit_name": "责任单位",
        "tasks": "涉及任务", "n_tasks": "任务数", "schedule": "进度安排", "value": "数值",
    },
    "en": {
        "district": "district", "doc_id": "document", "source_file": "file",
        "item_type": "type", "source": "found in", "rows": "rows", "lines": "lines",
        "content": "content lines", "blank": "blank lines", "noise": "skipped (noise)",
        "toc": "table of contents", "page_number": "page numbers", "boilerplate": "web boilerplate",
        "cited": "lines cited", "line": "line", "reason": "reason", "text": "text",
        "name": "name", "indicator": "indicator", "target": "target", "unit": "unit",
        "year": "year", "comparator": "comparator", "baseline": "baseline", "quote": "quote",
        "where": "source", "role": "role", "theme": "theme", "n_items": "items",
        "share": "share of text", "examples": "examples", "level": "level",
        "heading": "heading", "unit_name": "responsible unit", "tasks": "tasks",
        "n_tasks": "tasks", "schedule": "schedule", "value": "value",
    },
}


# ------------------------------------------------------------------------------------------
# Set-up and parameters
# ------------------------------------------------------------------------------------------


def load(root: str | Path | None = None) -> pd.DataFrame:
    """Return the curated frame (``data/curated/plan_items.parquet`` of the project root)."""
    return analysis.load_curated(None if root is None else Path(root))


def setup(frame: pd.DataFrame, **params: Any) -> dict[str, Any]:
    """Configure fonts and pandas display, and validate the notebook's parameters.

    Parameters
    ----------
    frame
        The curated frame (its ``district_id`` and ``indicator_id`` values are the known ids).
    **params
        Any of ``lang`` (``"zh"``/``"en"``), ``districts`` (list of ids), ``district`` (one id),
        ``indicators`` (list of indicator ids or None).

    Returns
    -------
    dict
        The parameters, validated; ``districts`` always a list.

    Raises
    ------
    ParameterError
        Naming the bad value, the parameter and the known values.
    """
    fonts.theme("whitegrid")
    pd.set_option("display.max_colwidth", 200)
    pd.set_option("display.max_rows", 500)
    out = dict(params)
    if "lang" in out:
        charts.label("table", out["lang"])  # raises ParameterError on an unknown language
    if "districts" in out:
        out["districts"] = analysis.check_districts(frame, out["districts"])
    if "district" in out:
        out["district"] = analysis.check_districts(frame, [out["district"]], param="district")[0]
    if out.get("indicators") is not None:
        out["indicators"] = analysis.check_indicators(frame, out["indicators"],
                                                      out.get("districts") or [])
    return out


# ------------------------------------------------------------------------------------------
# Display
# ------------------------------------------------------------------------------------------


def show_table(df: pd.DataFrame, *, max_rows: int | None = None, index: bool = False,
               name: str | None = None, emphasis: dict[str, list[str]] | None = None) -> None:
    """Display ``df`` as a reading table with its CSV download; every cell escaped.

    ``file:line`` cells link to the source pages, numbers are right-aligned, and each quote shows
    the value it was matched by (``emphasis``: quote header -> value headers; by default the
    localized ``quote`` column with the ``target``/``value``/``baseline`` columns).
    ``name`` is the CSV's file name (default ``table-<n>``).
    """
    from IPython.display import display

    if df.empty:
        show_text("（无 / none）")
        return
    page = tables.table_html(df, index=index, max_rows=max_rows,
                             emphasis=default_emphasis(df) if emphasis is None else emphasis,
                             filename=f"{name or f'table-{next(_TABLE_NO)}'}.csv")
    display({"text/html": page, "text/plain": f"<table: {len(df)} rows>"}, raw=True)


#: Numbers the CSV downloads of one notebook run (table-1.csv, table-2.csv, ...).
_TABLE_NO = itertools.count(1)


def default_emphasis(df: pd.DataFrame) -> dict[str, list[str]]:
    """Quote column -> the value columns emphasised in it, by the localized headers of ``df``."""
    for names in COLUMNS.values():
        if names["quote"] in df.columns:
            values = [names[k] for k in ("target", "value", "baseline") if names[k] in df.columns]
            return {names["quote"]: values}
    return {}


def show_data(df: pd.DataFrame, name: str, *, index: bool = False) -> None:
    """Display the CSV download of the data behind a chart (no table is shown)."""
    from IPython.display import display

    shown = tables.display_frame(df, index=index)
    label = f"↓ 图表数据 chart data CSV ({len(shown)} rows / 行)"
    display({"text/html": f"<p>{tables.csv_link(shown, f'{name}.csv', label)}</p>",
             "text/plain": f"<chart data: {len(shown)} rows>"}, raw=True)


def show_text(text: str) -> None:
    """Display a short message as escaped HTML (e.g. "this district has no baselines")."""
    import html

    from IPython.display import display

    display({"text/html": f"<p>{html.escape(text)}</p>", "text/plain": text}, raw=True)


def show_heading(text: str, level: int = 2) -> None:
    """Display a heading computed at run time (e.g. the district's name), escaped."""
    import html

    from IPython.display import display

    display({"text/html": f"<h{level}>{html.escape(text)}</h{level}>",
             "text/markdown": "#" * level + " " + text, "text/plain": text}, raw=True)


def figure_png(ax: Axes) -> bytes:
    """Return the figure of ``ax`` as PNG bytes (dpi from :data:`plancompare.fonts.FIGURE_RC`)."""
    buf = io.BytesIO()
    ax.figure.savefig(buf, format="png", bbox_inches="tight")
    return buf.getvalue()


def show_figure(ax: Axes, data: pd.DataFrame | None = None, *, name: str | None = None,
                index: bool = False) -> None:
    """Display the chart as PNG together with its description (``CHART_MIME``) and close it.

    The PNG and :func:`plancompare.charts.describe` travel in one output: front ends and HTML
    show the image, tests read the JSON. ``data`` (the frame the chart was drawn from) adds a CSV
    download below it (``index``: with the frame's index). Returns None.
    """
    from IPython.display import display

    png = figure_png(ax)
    desc = charts.describe(ax, draw=False)  # savefig has drawn it
    display({"image/png": base64.b64encode(png).decode("ascii"),
             "text/plain": f"<chart: {desc['title']}>", CHART_MIME: desc}, raw=True)
    plt.close(ax.figure)
    if data is not None:
        show_data(data, name or f"chart-{next(_TABLE_NO)}", index=index)


# ------------------------------------------------------------------------------------------
# Shared tables
# ------------------------------------------------------------------------------------------


def _rename(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    return df.rename(columns=COLUMNS[lang])


def where(df: pd.DataFrame) -> pd.Series:
    """``file:line`` of each row, the provenance shown next to every number.

    ``file:144-146`` for a multi-line quote; for a rendered original (.pdf, .docx, .html) the
    line of its text rendition followed by its ``locator``: ``file.pdf:144 (p. 12)``.
    :func:`show_table` links each ``file:line`` to its line on the source page.
    """
    line = df["line"].astype("Int64")
    text = line.astype(str).replace("<NA>", "")
    if "line_end" in df.columns:
        end = df["line_end"].astype("Int64")
        longer = (end > line).fillna(False).astype(bool)
        text = text.where(~longer, text + "-" + end.astype(str))
    plain = df["source_file"].fillna("").astype(str) + ":" + text
    if "locator" not in df:
        return plain
    locator = df["locator"].fillna("").astype(str)
    return plain.where(locator.eq(""), plain + " (" + locator + ")")


def with_district_name(df: pd.DataFrame, frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return ``df`` with a ``district_name`` column (display names in ``lang``)."""
    return df.assign(district_name=df["district_id"].map(district_names(frame, lang)))


# ------------------------------------------------------------------------------------------
# 10 data quality
# ------------------------------------------------------------------------------------------


def parsed_counts(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Rows per district, document, item_type and source (what the parsers found)."""
    counts = (frame.groupby(["district_id", "doc_id", "item_type", "source"], dropna=False)
              .size().rename("rows").reset_index())
    return _rename(counts.rename(columns={"district_id": "district"}), lang)


def type_matrix(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Rows per district (rows) and item_type (columns), with totals."""
    wide = pd.crosstab(frame["district_id"], frame["item_type"], margins=True,
                       margins_name="Σ")
    wide.index.name = COLUMNS[lang]["district"]
    return wide


def source_files(frame: pd.DataFrame, lang: str = "zh", root: str | None = None) -> pd.DataFrame:
    """Per source file: lines, content lines, blank lines, noise lines by reason, rows, lines cited."""
    from .parse.ingest import read_document

    rows = []
    for (district, doc_id, path), part in frame.groupby(["district_id", "doc_id", "source_file"]):
        row = {"district": district, "doc_id": doc_id, "source_file": path, "rows": len(part),
               "cited": part["line"].nunique()}
        doc = read_document(paths.raw_dir(root) / str(path), display_path=str(path))
        noise = pd.Series([ln.noise for ln in doc.lines if ln.noise]).value_counts()
        row.update(lines=len(doc.lines), content=len(doc.content_lines()),
                   blank=sum(ln.blank for ln in doc.lines), noise=int(noise.sum()),
                   **{k: int(noise.get(k, 0)) for k in ("toc", "page_number", "boilerplate")})
        rows.append(row)
    order = ["district", "doc_id", "source_file", "lines", "content", "blank", "noise", "toc",
             "page_number", "boilerplate", "rows", "cited"]
    return _rename(pd.DataFrame(rows, columns=order), lang)


def noise_lines(frame: pd.DataFrame, lang: str = "zh", root: str | None = None) -> pd.DataFrame:
    """Every line the ingest step skipped as noise, with its reason and text."""
    from .parse.ingest import read_document

    rows = []
    for path in sorted(frame["source_file"].dropna().unique()):
        doc = read_document(paths.raw_dir(root) / str(path), display_path=str(path))
        rows += [{"where": f"{path}:{ln.no}", "reason": ln.noise, "text": ln.text}
                 for ln in doc.lines if ln.noise]
    return _rename(pd.DataFrame(rows, columns=["where", "reason", "text"]), lang)


def sample_rows(frame: pd.DataFrame, *, n: int = 3, random_state: int = 0,
                lang: str = "zh") -> pd.DataFrame:
    """Up to ``n`` random rows per district and item_type, with quote and ``file:line``."""
    sample = (frame.groupby(["district_id", "item_type"], group_keys=False)
              .sample(frac=1.0, random_state=random_state)
              .groupby(["district_id", "item_type"]).head(n))
    out = pd.DataFrame({"district": sample["district_id"], "item_type": sample["item_type"],
                        "name": sample["name_raw"], "value": sample["value_text"],
                        "quote": sample["quote"], "where": where(sample)})
    return _rename(out, lang)


def unmapped(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """:func:`plancompare.analysis.unmapped_names`, with localized headers."""
    return _rename(analysis.unmapped_names(frame), lang)


# ------------------------------------------------------------------------------------------
# 20 indicator targets
# ------------------------------------------------------------------------------------------


def indicator_comparison(frame: pd.DataFrame, districts: Sequence[str],
                         indicators: Sequence[str] | None = None,
                         lang: str = "zh") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Coverage matrix and comparison table for the chosen (or default) indicators.

    ``indicators=None`` selects :func:`plancompare.analysis.default_indicators` (set by at least
    two of the districts); when the districts share none, every indicator any of them sets is
    shown, with a note saying so.
    """
    districts = list(districts)
    if indicators is None:
        indicators = analysis.default_indicators(frame, districts, min_districts=2)
        if not indicators and len(districts) > 1:
            indicators = analysis.default_indicators(frame, districts, min_districts=1)
            show_text("这些区没有共同设定的指标，下面列出任一区设定的全部指标。 / The selected "
                      "districts share no indicator; showing every indicator any of them sets.")
    indicators = list(indicators)
    if not indicators:
        return (pd.DataFrame(columns=districts, index=pd.Index([], name="indicator_id")),
                pd.DataFrame(columns=COMPARISON_COLUMNS))
    return (analysis.coverage_matrix(frame, districts=districts, indicators=indicators),
            analysis.comparison_table(frame, districts=districts, indicators=indicators,
                                      lang=lang))


def indicator_names(table: pd.DataFrame) -> dict[str, str]:
    """Map indicator_id to indicator_name from a comparison table."""
    pairs = table[["indicator_id", "indicator_name"]].drop_duplicates("indicator_id")
    return dict(zip(pairs["indicator_id"], pairs["indicator_name"]))


def evidence_table(table: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Every value of a comparison table with its baseline, quote and ``file:line``."""
    rows = table[table["value_text"].notna() | table["baseline_text"].notna()]
    out = pd.DataFrame({
        "indicator": rows["indicator_name"], "district": rows["district_name"],
        "target": rows["value_text"], "unit": rows["unit"], "year": rows["year"],
        "baseline": rows["baseline_text"], "source": rows["source"], "quote": rows["quote"],
        "where": where(rows),
    })
    return _rename(out, lang)


# ------------------------------------------------------------------------------------------
# 30 task themes
# ------------------------------------------------------------------------------------------


def emphasis(frame: pd.DataFrame, districts: Sequence[str], lang: str = "zh") -> pd.DataFrame:
    """:func:`plancompare.analysis.theme_emphasis` with a ``district_name`` column."""
    return with_district_name(
        analysis.theme_emphasis(frame, districts=list(districts), lang=lang), frame, lang)


def unique_themes(frame: pd.DataFrame, emph: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Themes that exactly one of the districts covers, with example task headings."""
    present = emph[emph["n_items"] > 0]
    counts = present.groupby("theme_id")["district_id"].nunique()
    only = present[present["theme_id"].isin(counts[counts == 1].index)]
    tasks = frame[frame["item_type"] == "task"]
    examples = [
        "；".join(tasks[(tasks["district_id"] == r.district_id) & (tasks["theme_id"] == r.theme_id)]
                 ["name_raw"].dropna().astype(str).head(3))
        for r in only.itertuples()
    ]
    out = pd.DataFrame({"theme": only["theme_label"], "district": only["district_name"],
                        "n_items": only["n_items"], "share": only["text_share"].map("{:.1%}".format),
                        "examples": examples})
    return _rename(out, lang)


def projects(frame: pd.DataFrame, emph: pd.DataFrame, districts: Sequence[str],
             lang: str = "zh") -> pd.DataFrame:
    """Key projects of ``districts`` with theme label, district name, quote and ``file:line``."""
    labels = dict(zip(emph["theme_id"], emph["theme_label"]))
    rows = frame[(frame["item_type"] == "project") & frame["district_id"].isin(list(districts))]
    rows = with_district_name(rows, frame, lang)
    return rows.assign(theme_label=rows["theme_id"].map(labels).fillna(rows["theme_id"]),
                       where=where(rows))


def project_table(proj: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The table shown under the projects chart: theme, district, name, quote, ``file:line``."""
    out = proj[["theme_label", "district_name", "name_raw", "quote", "where"]].sort_values(
        ["theme_label", "district_name"], kind="stable")
    return _rename(out.rename(columns={"theme_label": "theme", "district_name": "district",
                                       "name_raw": "name"}), lang)


# ------------------------------------------------------------------------------------------
# 40 district profile
# ------------------------------------------------------------------------------------------


def district_profile(frame: pd.DataFrame, district: str, lang: str = "zh") -> dict[str, Any]:
    """Everything about one district, as tables ready for :func:`show_table`.

    Returns
    -------
    dict
        ``name``, ``targets`` (every indicator row with quote), ``comparison`` (its mapped
        indicators, for the charts), ``emphasis`` (theme_emphasis),
        ``projects``, ``tasks`` (hierarchy), ``units`` (责任单位; empty when the document has none).
    """
    rows = frame[frame["district_id"] == district]
    emph = emphasis(frame, [district], lang)
    mapped = sorted(rows.loc[rows["item_type"] == "indicator", "indicator_id"].dropna().unique())
    return {
        "name": district_names(frame, lang)[district],
        "targets": profile_targets(rows, lang),
        "comparison": indicator_comparison(frame, [district], mapped, lang)[1],
        "emphasis": emph,
        "projects": project_table(projects(frame, emph, [district], lang), lang),
        "tasks": task_hierarchy(rows, emph, lang),
        "units": responsible_units(rows, lang),
    }


def profile_targets(rows: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Every indicator row (baseline and target) of one district with quote and ``file:line``."""
    ind = rows[rows["item_type"] == "indicator"]
    out = pd.DataFrame({"name": ind["name_raw"], "indicator": ind["indicator_id"],
                        "role": ind["role"], "year": ind["year"], "comparator": ind["comparator"],
                        "value": ind["value_text"], "unit": ind["unit"], "source": ind["source"],
                        "quote": ind["quote"], "where": where(ind)})
    return _rename(out, lang)


def task_hierarchy(rows: pd.DataFrame, emph: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Main tasks in document order, level-2 headings indented under their level-1 task."""
    labels = dict(zip(emph["theme_id"], emph["theme_label"]))
    tasks = rows[rows["item_type"] == "task"].sort_values(["source_file", "line"], kind="stable")
    indent = tasks["level"].fillna(1).astype(int).map(lambda n: "\u3000\u3000" * (n - 1))
    out = pd.DataFrame({"level": tasks["level"],
                        "heading": indent + tasks["name_raw"].fillna("").astype(str),
                        "theme": tasks["theme_id"].map(labels).fillna(tasks["theme_id"]),
                        "where": where(tasks)})
    return _rename(out, lang)


def responsible_units(rows: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """责任单位: one row per unit with the number of tasks/measures and their names."""
    items = rows[["name_raw", "responsible_units"]].explode("responsible_units")
    items = items[items["responsible_units"].notna() & (items["responsible_units"] != "")]
    grouped = items.groupby("responsible_units", sort=False)["name_raw"]
    out = pd.DataFrame({"unit_name": grouped.size().index, "n_tasks": grouped.size().to_numpy(),
                        "tasks": grouped.agg(lambda s: "；".join(s.astype(str).head(5))).to_numpy()})
    return _rename(out.sort_values("n_tasks", ascending=False, kind="stable"), lang)
