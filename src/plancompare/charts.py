"""Charts over the tidy frames of :mod:`plancompare.analysis`; each returns the Axes it drew on."""

from __future__ import annotations

from collections import Counter

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from . import fonts
from .errors import ParameterError

LANGS = ("zh", "en")

#: Marker per comparator: shape tells how the target is phrased (more than, at least, exactly ...).
COMPARATOR_MARKERS: dict[str, str] = {">": ">", ">=": "^", "=": "o", "<": "<", "<=": "v"}
UNKNOWN_MARKER = "s"
COVERAGE_STATES = ("table", "text", "not set")
COVERAGE_COLOURS = ("#1f77b4", "#9ecae1", "#eeeeee")
#: Past this many districts the charts switch to compact forms that stay readable at 100 and
#: more: sorted heatmaps with one row per district, and one strip per indicator (all districts
#: on one line) instead of a column, a bar or a row per district.
MANY_DISTRICTS = 10
#: The theme heatmap keeps one column per district (no annotations past 12) up to this many.
MANY_HEATMAP_COLUMNS = 30

TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "coverage": "指标覆盖情况", "table": "指标表", "text": "仅见于正文", "not set": "未设定",
        "targets": "各区指标目标值", "hollow": "空心 = 仅见于正文", "filled": "实心 = 指标表",
        "baseline": "2020年基线 → 目标", "index": "目标值 / 基线值 (基线 = 100)",
        "no_baseline": "所选指标均无基线数据",
        "themes": "主要任务文本中各主题所占比重", "share": "文本占比",
        "theme_counts": "各主题条目数", "n_items": "条目数",
        "projects": "各主题重点项目数", "n_projects": "重点项目数",
        "district": "区", "indicator": "指标", "theme": "主题", "no_data": "无数据",
        ">": "> 高于", ">=": "≥ 不低于", "=": "= 达到", "<": "< 低于", "<=": "≤ 不高于",
        "?": "其他表述",
        "range": "在各区取值范围中的位置 (0 = 最低, 1 = 最高)", "median": "| 中位数",
    },
    "en": {
        "coverage": "Indicator coverage", "table": "indicator table", "text": "running text only",
        "not set": "not set",
        "targets": "Targets by district", "hollow": "hollow = running text only",
        "filled": "filled = indicator table",
        "baseline": "2020 baseline → target", "index": "target / baseline (baseline = 100)",
        "no_baseline": "No baselines for the selected indicators",
        "themes": "Share of main-task text per theme", "share": "share of text",
        "theme_counts": "Items per theme", "n_items": "items",
        "projects": "Key projects per theme", "n_projects": "key projects",
        "district": "district", "indicator": "indicator", "theme": "theme", "no_data": "no data",
        ">": "> more than", ">=": "≥ at least", "=": "= equal to", "<": "< less than",
        "<=": "≤ at most", "?": "other wording",
        "range": "position within the range across districts (0 = lowest, 1 = highest)",
        "median": "| median",
    },
}


def label(key: str, lang: str = "zh") -> str:
    """Return the chart text ``key`` in ``lang`` (``zh`` or ``en``)."""
    if lang not in LANGS:
        raise ParameterError(f"Unknown language `{lang}` in `lang`; known: {', '.join(LANGS)}")
    return TEXT[lang][key]


def _text_inches(labels: list[str], fontsize: float = 10.0) -> float:
    """Approximate width of the longest label (CJK characters are about one em wide)."""
    ems = [sum(1.0 if ord(ch) > 0x2E80 else 0.6 for ch in str(s)) for s in labels]
    return max(ems, default=0.0) * fontsize / 72


def _axes(ax: Axes | None, width: float, height: float, ylabels: list[str] | None = None,
          legend: float = 0.0) -> Axes:
    """Return ``ax`` or a new Axes sized for its content: plot area + tick labels + legend."""
    fonts.setup()
    width += _text_inches(ylabels or []) + legend
    if ax is None:
        size = (max(width, 6.0), max(height, 2.6))
        _, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


def _no_data(ax: Axes, title: str, message: str) -> Axes:
    """Draw a titled, empty chart that says why nothing is shown."""
    ax.set_title(title)
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes)
    ax.set_axis_off()
    return ax


def _district_names(frame: pd.DataFrame) -> pd.Series:
    """The display name of each row's district: ``district_name`` when present, else the id."""
    if "district_name" in frame:
        return frame["district_name"].fillna(frame.get("district_id", ""))
    return frame["district_id"]


def _categorical_ticks(ax: Axes, xlabels: list[str], ylabels: list[str],
                       offset: float = 0.0) -> None:
    """Label categorical axes (first row at the top); rotate long or many x labels."""
    ax.set_xticks(np.arange(len(xlabels)) + offset, labels=xlabels)
    ax.set_yticks(np.arange(len(ylabels)) + offset, labels=ylabels)
    ax.set_xlim(offset - 0.5, len(xlabels) + offset - 0.5)
    ax.set_ylim(len(ylabels) + offset - 0.5, offset - 0.5)
    if len(xlabels) > 6 or max((len(s) for s in xlabels), default=0) > 8:
        ax.tick_params(axis="x", labelrotation=35)
        plt.setp(ax.get_xticklabels(), ha="right", rotation_mode="anchor")


def coverage_heatmap(coverage: pd.DataFrame, *, row_labels: dict[str, str] | None = None,
                     column_labels: dict[str, str] | None = None, lang: str = "zh",
                     ax: Axes | None = None) -> Axes:
    """Draw which district sets which indicator: in its table, only in running text, or not at all.

    Past ``MANY_DISTRICTS`` districts: one row per district, districts and indicators sorted by
    coverage (a sorted heatmap instead of a column per district).

    Parameters
    ----------
    coverage
        :func:`plancompare.analysis.coverage_matrix`: index indicator_id, columns district_id,
        cells ``"table"``, ``"text"`` or ``"not set"``.
    row_labels, column_labels
        Display names for indicator ids and district ids (default: the ids).
    lang
        ``"zh"`` or ``"en"`` for title and legend.
    ax
        Axes to draw on; a new figure when None.

    Returns
    -------
    Axes
    """
    if len(coverage.columns) > MANY_DISTRICTS and not coverage.empty:
        return _coverage_many(coverage, row_labels, column_labels, lang, ax)
    rows = [str((row_labels or {}).get(i, i)) for i in coverage.index]
    cols = [str((column_labels or {}).get(c, c)) for c in coverage.columns]
    ax = _axes(ax, 0.5 + 1.1 * len(cols), 1.2 + 0.38 * len(rows), rows, legend=1.8)
    if coverage.empty:
        return _no_data(ax, label("coverage", lang), label("no_data", lang))
    codes = coverage.apply(lambda s: s.map({k: i for i, k in enumerate(COVERAGE_STATES)}))
    grid = codes.fillna(2).to_numpy(dtype=float).reshape(len(rows), len(cols))
    ax.imshow(grid, cmap=ListedColormap(COVERAGE_COLOURS), vmin=0, vmax=2, aspect="auto")
    _categorical_ticks(ax, cols, rows)
    ax.set_xticks(np.arange(-0.5, len(cols)), minor=True)
    ax.set_yticks(np.arange(-0.5, len(rows)), minor=True)
    ax.grid(which="minor", color="white", linewidth=1.5)
    ax.grid(which="major", visible=False)
    ax.tick_params(which="minor", length=0)
    handles = [Patch(facecolor=c, edgecolor="#999999", label=label(s, lang))
               for s, c in zip(COVERAGE_STATES, COVERAGE_COLOURS)]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    ax.set_title(label("coverage", lang))
    return ax


def _coverage_many(coverage: pd.DataFrame, row_labels: dict[str, str] | None,
                   column_labels: dict[str, str] | None, lang: str, ax: Axes | None) -> Axes:
    """Coverage for many districts: one row per district, both axes sorted by coverage."""
    codes = coverage.apply(lambda s: s.map({k: i for i, k in enumerate(COVERAGE_STATES)}))
    codes = codes.fillna(2).astype(float).T  # rows: districts, columns: indicators
    codes = codes[(codes < 2).sum().sort_values(ascending=False, kind="stable").index]
    key = (codes == 0).sum(axis=1) * 1000 + (codes == 1).sum(axis=1)
    codes = codes.loc[key.sort_values(ascending=False, kind="stable").index]
    rows = [str((column_labels or {}).get(d, d)) for d in codes.index]
    cols = [str((row_labels or {}).get(i, i)) for i in codes.columns]
    ax = _axes(ax, 0.5 + 0.42 * len(cols), 2.0 + 0.16 * len(rows) + 0.12 * max(map(len, cols)),
               rows, legend=1.8)
    ax.imshow(codes.to_numpy(), cmap=ListedColormap(COVERAGE_COLOURS), vmin=0, vmax=2,
              aspect="auto", interpolation="nearest")
    ax.set_yticks(np.arange(len(rows)), labels=rows, fontsize=7)
    ax.set_xticks(np.arange(len(cols)), labels=cols, rotation=60, ha="right",
                  rotation_mode="anchor", fontsize=8)
    handles = [Patch(facecolor=c, edgecolor="#999999", label=label(s, lang))
               for s, c in zip(COVERAGE_STATES, COVERAGE_COLOURS)]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    ax.set_title(f"{label('coverage', lang)} ({len(rows)})")
    return ax


def _strip_rows(ax: Axes, x: np.ndarray, y: pd.Series, found: pd.DataFrame) -> None:
    """One dot per district on its indicator's line: shape = comparator, hollow = text only."""
    jitter = (found.groupby(y.to_numpy()).cumcount().to_numpy() % 5 - 2) * 0.09
    cmp = found["comparator"].where(found["comparator"].isin(list(COMPARATOR_MARKERS)), "?")
    hollow = (found["source"].fillna("") != "table").to_numpy()
    for c in pd.unique(cmp):
        for h in (False, True):
            sel = (cmp == c).to_numpy() & (hollow == h)
            if sel.any():
                ax.plot(x[sel], y.to_numpy()[sel] + jitter[sel], linestyle="none", alpha=0.75,
                        marker=COMPARATOR_MARKERS.get(c, UNKNOWN_MARKER), markersize=6,
                        color="C0", markerfacecolor="none" if h else "C0",
                        gid=f"target:{c}:{'text' if h else 'table'}")


def _targets_many(table: pd.DataFrame, lang: str, ax: Axes | None) -> Axes:
    """Targets of many districts: one strip per indicator, values placed within their range."""
    found = table[table["value"].notna()].reset_index(drop=True)
    rows = _order(found["indicator_name"])
    found = found.assign(_t=found["value_text"].fillna("").astype(str))
    spans = found.groupby("indicator_name", sort=False)["value"].agg(["min", "max"])
    tips = {}
    for name, (lo, hi) in spans.iterrows():
        part = found[found["indicator_name"] == name]
        tips[name] = (f"{name}  ({part.loc[part['value'].idxmin(), '_t']} … "
                      f"{part.loc[part['value'].idxmax(), '_t']})") if hi > lo else name
    ylabels = [tips[r] for r in rows]
    ax = _axes(ax, 7, 1.4 + 0.42 * len(rows), ylabels, legend=2.6)
    lo = found["indicator_name"].map(spans["min"])
    width = (found["indicator_name"].map(spans["max"]) - lo).replace(0, np.nan)
    x = ((found["value"] - lo) / width).fillna(0.5).to_numpy(float)
    y = found["indicator_name"].map({n: i for i, n in enumerate(rows)})
    _strip_rows(ax, x, y, found)
    ax.set_yticks(np.arange(len(rows)), labels=ylabels)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(-0.05, 1.05)
    ax.set_xlabel(label("range", lang))
    ax.grid(True, axis="y", color="#eeeeee")
    cmp = found["comparator"].where(found["comparator"].isin(list(COMPARATOR_MARKERS)), "?")
    ax.legend(handles=_comparator_handles(set(cmp), lang), loc="upper left",
              bbox_to_anchor=(1.01, 1), frameon=False)
    ax.set_title(f"{label('targets', lang)} ({_district_names(found).nunique()})")
    return ax


def _baseline_many(rows: pd.DataFrame, lang: str, ax: Axes | None) -> Axes:
    """Baseline -> target of many districts: one strip of indices per indicator, median ticked."""
    rows = rows.reset_index(drop=True)
    names = _order(rows["indicator_name"])
    ax = _axes(ax, 6, 1.4 + 0.42 * len(names), names, legend=2.6)
    index = 100 * rows["value"].to_numpy(float) / rows["baseline_value"].to_numpy(float)
    y = rows["indicator_name"].map({n: i for i, n in enumerate(names)})
    _strip_rows(ax, index, y, rows.assign(source="table"))
    medians = pd.Series(index).groupby(y.to_numpy()).median()
    ax.plot(medians.to_numpy(), medians.index.to_numpy(), linestyle="none", marker="|",
            markersize=16, color="black", gid="median")
    ax.set_yticks(np.arange(len(names)), labels=names)
    ax.set_ylim(len(names) - 0.5, -0.5)
    ax.axvline(100, color="#cccccc", zorder=0)
    ax.set_xlabel(label("index", lang))
    ax.grid(True, axis="y", color="#eeeeee")
    cmp = rows["comparator"].where(rows["comparator"].isin(list(COMPARATOR_MARKERS)), "?")
    keys = [c for c in (*COMPARATOR_MARKERS, "?") if c in set(cmp)]
    handles = [Line2D([], [], linestyle="none", color="C0", markersize=8, label=label(c, lang),
                      marker=COMPARATOR_MARKERS.get(c, UNKNOWN_MARKER)) for c in keys]
    handles.append(Line2D([], [], linestyle="none", marker="|", markersize=12, color="black",
                          label=label("median", lang)))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    ax.set_title(f"{label('baseline', lang)} ({_district_names(rows).nunique()})")
    return ax


def _many_heatmap(wide: pd.DataFrame, *, title: str, cbar: str, fmt: str,
                  ax: Axes | None) -> Axes:
    """Categories (rows of ``wide``) x many districts (columns) drawn with one row per
    district, districts sorted by the first category, then the next."""
    import seaborn as sns

    data = wide.T
    data = data.sort_values(list(data.columns), ascending=False, kind="stable")
    rows, cols = [str(i) for i in data.index], [str(c) for c in data.columns]
    ax = _axes(ax, 1.8 + 0.45 * len(cols), 2.0 + 0.16 * len(rows) + 0.12 * max(map(len, cols)),
               rows)
    sns.heatmap(data, ax=ax, cmap="Blues", linewidths=0.2, linecolor="white",
                cbar_kws={"label": cbar, "format": fmt, "shrink": 0.4})
    ax.set_yticks(np.arange(len(rows)) + 0.5, labels=rows, fontsize=7, rotation=0)
    ax.set_xticks(np.arange(len(cols)) + 0.5, labels=cols, rotation=60, ha="right",
                  rotation_mode="anchor", fontsize=8)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_title(f"{title} ({len(rows)})")
    return ax


def _order(values: pd.Series) -> list[str]:
    return [str(v) for v in pd.unique(values.dropna())]


def _has_value(table: pd.DataFrame) -> pd.Series:
    text = table["value_text"].fillna("").astype(str).str.strip()
    return table["value"].notna() | ~text.isin(["", "-"])


def target_comparison(table: pd.DataFrame, *, lang: str = "zh", ax: Axes | None = None) -> Axes:
    """Dot plot of targets, one row per indicator and one column per district.

    Past ``MANY_DISTRICTS`` districts: one strip per indicator with every district's target
    placed within the indicator's range across districts (lowest and highest as printed in the
    row label), instead of a column per district.

    Marker shape shows the comparator (``>`` ``>=`` ``=`` ``<`` ``<=``), filled markers come from
    an indicator table and hollow ones from running text only; each marker is annotated with the
    value as printed (``value_text``), so units and wording are never lost.

    Parameters
    ----------
    table
        :func:`plancompare.analysis.comparison_table`: indicator_name, district_name, comparator,
        value, value_text, source (``"table"``/``"text"``/None).
    lang
        ``"zh"`` or ``"en"`` for title and legend.
    ax
        Axes to draw on; a new figure when None.

    Returns
    -------
    Axes
    """
    names = _district_names(table)
    cols, rows = _order(names), _order(table["indicator_name"])
    if len(cols) > MANY_DISTRICTS and table["value"].notna().any():
        return _targets_many(table, lang, ax)
    ax = _axes(ax, 0.8 + 1.5 * len(cols), 1.2 + 0.45 * len(rows), rows, legend=2.6)
    found = table[_has_value(table)].assign(_d=names)
    if found.empty:
        return _no_data(ax, label("targets", lang), label("no_data", lang))
    x = found["_d"].map({d: i for i, d in enumerate(cols)})
    y = found["indicator_name"].map({n: i for i, n in enumerate(rows)})
    cmp = found["comparator"].where(found["comparator"].isin(list(COMPARATOR_MARKERS)), "?")
    hollow = found["source"].fillna("") != "table"
    for (c, h), idx in found.groupby([cmp, hollow]).groups.items():
        ax.plot(x[idx], y[idx], linestyle="none", marker=COMPARATOR_MARKERS.get(c, UNKNOWN_MARKER),
                markersize=9, color="C0", markerfacecolor="none" if h else "C0",
                gid=f"target:{c}:{'text' if h else 'table'}")
    for xi, yi, text in zip(x, y, found["value_text"].fillna("")):
        ax.annotate(str(text), (xi, yi), xytext=(9, 0), textcoords="offset points",
                    va="center", fontsize=8)
    _categorical_ticks(ax, cols, rows)
    ax.set_xlim(-0.5, len(cols) - 0.2)
    ax.grid(True, color="#eeeeee")
    ax.set_axisbelow(True)
    ax.legend(handles=_comparator_handles(set(cmp), lang), loc="upper left",
              bbox_to_anchor=(1.01, 1), frameon=False)
    ax.set_title(label("targets", lang))
    return ax


def _comparator_handles(present: set[str], lang: str) -> list[Line2D]:
    keys = [c for c in (*COMPARATOR_MARKERS, "?") if c in present]
    handles = [Line2D([], [], linestyle="none", color="C0", markersize=8, label=label(c, lang),
                      marker=COMPARATOR_MARKERS.get(c, UNKNOWN_MARKER)) for c in keys]
    handles.append(Line2D([], [], linestyle="none", marker="o", color="C0",
                          label=label("filled", lang)))
    handles.append(Line2D([], [], linestyle="none", marker="o", color="C0",
                          markerfacecolor="none", label=label("hollow", lang)))
    return handles


def baseline_target(table: pd.DataFrame, *, lang: str = "zh", ax: Axes | None = None) -> Axes:
    """Arrows from the 2020 baseline to the target, as an index (baseline = 100).

    Past ``MANY_DISTRICTS`` districts: one strip of indices per indicator (a dot per district,
    the median ticked) instead of one arrow row per district and indicator.

    Only rows with a numeric baseline (non-zero) and a numeric target are drawn; each arrow is
    annotated with the baseline and the target as printed.

    Parameters
    ----------
    table
        :func:`plancompare.analysis.comparison_table` (baseline_value, baseline_text, value,
        value_text, comparator, indicator_name, district_name).
    lang
        ``"zh"`` or ``"en"``.
    ax
        Axes to draw on; a new figure when None.

    Returns
    -------
    Axes
    """
    base = pd.to_numeric(table["baseline_value"], errors="coerce")
    several = _district_names(table).nunique() > 1
    rows = table[base.notna() & (base != 0) & table["value"].notna()].copy()
    rows["_d"] = _district_names(rows)
    if rows["_d"].nunique() > MANY_DISTRICTS:
        return _baseline_many(rows, lang, ax)
    rows["_label"] = (rows["indicator_name"] + " · " + rows["_d"]) if several \
        else rows["indicator_name"]
    ax = _axes(ax, 5, 1.4 + 0.42 * max(len(rows), 1), list(rows["_label"]))
    if rows.empty:
        return _no_data(ax, label("baseline", lang), label("no_baseline", lang))
    ax.set_title(label("baseline", lang))
    y = np.arange(len(rows))
    index = 100 * rows["value"].to_numpy(float) / rows["baseline_value"].to_numpy(float)
    ax.plot(np.full(len(rows), 100.0), y, linestyle="none", marker="o", color="#888888",
            gid="baseline")
    for yi, xi, c, b_text, t_text in zip(y, index, rows["comparator"], rows["baseline_text"],
                                         rows["value_text"]):
        ax.annotate("", xy=(xi, yi), xytext=(100, yi),
                    arrowprops={"arrowstyle": "->", "color": "C0", "lw": 1.5})
        ax.plot([xi], [yi], linestyle="none", color="C0", gid=f"target:{c}",
                marker=COMPARATOR_MARKERS.get(c, UNKNOWN_MARKER))
        ax.annotate(f"{b_text} → {t_text}", (max(xi, 100), yi), xytext=(8, 0),
                    textcoords="offset points", va="center", fontsize=8)
    ax.set_yticks(y, labels=list(rows["_label"]))
    ax.set_ylim(len(rows) - 0.5, -0.5)
    lo, hi = min(index.min(), 100), max(index.max(), 100)
    ax.set_xlim(lo - 0.1 * (hi - lo + 5), hi + 0.45 * (hi - lo + 5))
    ax.axvline(100, color="#cccccc", zorder=0)
    ax.set_xlabel(label("index", lang))
    return ax


def _pivot(emphasis: pd.DataFrame, value: str) -> pd.DataFrame:
    data = emphasis.assign(_d=_district_names(emphasis))
    wide = data.pivot_table(index="theme_label", columns="_d", values=value, aggfunc="sum",
                            sort=False)
    wide = wide.reindex(columns=_order(data["_d"])).fillna(0)
    return wide.loc[wide.mean(axis=1).sort_values(ascending=False, kind="stable").index]


def theme_heatmap(emphasis: pd.DataFrame, *, lang: str = "zh", ax: Axes | None = None) -> Axes:
    """Heatmap of the share of main-task text per theme (rows, sorted) and district (columns).

    Cells are annotated with the percentage up to 12 districts; beyond that the colour alone
    carries the value and the district labels are rotated. Past ``MANY_HEATMAP_COLUMNS``
    districts the heatmap turns: one row per district, sorted by the leading themes.

    Parameters
    ----------
    emphasis
        :func:`plancompare.analysis.theme_emphasis`: district_id (or district_name), theme_label,
        text_share (0-1).
    lang
        ``"zh"`` or ``"en"``.
    ax
        Axes to draw on; a new figure when None.

    Returns
    -------
    Axes
    """
    import seaborn as sns

    if _district_names(emphasis).nunique() > MANY_HEATMAP_COLUMNS:
        return _many_heatmap(_pivot(emphasis, "text_share"), title=label("themes", lang),
                             cbar=label("share", lang), fmt="{x:.0%}", ax=ax)
    ax = _axes(ax, 1.8 + 0.9 * _district_names(emphasis).nunique(),
               1.2 + 0.4 * emphasis["theme_label"].nunique(),
               list(emphasis["theme_label"].astype(str).unique()))
    if emphasis.empty:
        return _no_data(ax, label("themes", lang), label("no_data", lang))
    wide = _pivot(emphasis, "text_share")
    sns.heatmap(wide, ax=ax, cmap="Blues", annot=len(wide.columns) <= 12, fmt=".0%",
                annot_kws={"fontsize": 8}, linewidths=0.5, linecolor="white",
                cbar_kws={"label": label("share", lang), "format": "{x:.0%}"})
    _categorical_ticks(ax, [str(c) for c in wide.columns], [str(i) for i in wide.index], 0.5)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_title(label("themes", lang))
    return ax


def _grouped_barh(counts: pd.DataFrame, *, value: str, title: str, xlabel: str,
                  lang: str, ax: Axes | None) -> Axes:
    import seaborn as sns
    from matplotlib.ticker import MaxNLocator

    if counts.empty:
        return _no_data(_axes(ax, 6, 2), title, label("no_data", lang))
    data = counts.assign(_d=_district_names(counts))
    order = list(data.groupby("theme_label", sort=False)[value].sum()
                 .sort_values(ascending=False, kind="stable").index)
    districts = _order(data["_d"])
    if len(districts) > MANY_DISTRICTS:
        wide = data.pivot_table(index="theme_label", columns="_d", values=value, aggfunc="sum")
        wide = wide.reindex(index=order, columns=districts).fillna(0)
        return _many_heatmap(wide, title=title, cbar=xlabel, fmt="{x:.0f}", ax=ax)
    ax = _axes(ax, 5, 1.2 + 0.25 * len(order) * max(1, len(districts) / 2), order,
               legend=_text_inches(districts) + 0.6)
    sns.barplot(data=data, y="theme_label", x=value, hue="_d", order=order,
                hue_order=districts, orient="h", ax=ax, errorbar=None)
    ax.set_ylabel("")
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if ax.get_legend() is not None:
        sns.move_legend(ax, "upper left", bbox_to_anchor=(1.01, 1), frameon=False, title=None)
    return ax


def theme_counts(emphasis: pd.DataFrame, *, lang: str = "zh", ax: Axes | None = None) -> Axes:
    """Horizontal bars of the number of items per theme, one bar per district.

    Past ``MANY_DISTRICTS`` districts: a heatmap, one row per district, sorted.

    Parameters
    ----------
    emphasis
        :func:`plancompare.analysis.theme_emphasis` (theme_label, n_items, district_id or
        district_name).
    lang
        ``"zh"`` or ``"en"``.
    ax
        Axes to draw on; a new figure when None.

    Returns
    -------
    Axes
    """
    return _grouped_barh(emphasis, value="n_items", title=label("theme_counts", lang),
                         xlabel=label("n_items", lang), lang=lang, ax=ax)


def projects_by_theme(projects: pd.DataFrame, *, lang: str = "zh",
                      ax: Axes | None = None) -> Axes:
    """Horizontal bars of the number of key projects per theme and district.

    Past ``MANY_DISTRICTS`` districts: a heatmap, one row per district, sorted.

    Parameters
    ----------
    projects
        One row per key project with theme_label and district_id (or district_name).
    lang
        ``"zh"`` or ``"en"``.
    ax
        Axes to draw on; a new figure when None.

    Returns
    -------
    Axes
    """
    data = projects.assign(_d=_district_names(projects))
    counts = (data.groupby(["_d", "theme_label"], sort=False).size()
              .rename("n_projects").reset_index().rename(columns={"_d": "district_name"}))
    return _grouped_barh(counts, value="n_projects", title=label("projects", lang),
                         xlabel=label("n_projects", lang), lang=lang, ax=ax)


def describe(ax: Axes, *, draw: bool = True) -> dict:
    """Return what was drawn on ``ax`` as plain data (for tests and notebook outputs).

    Parameters
    ----------
    ax
        The Axes a chart function returned.
    draw
        Draw the figure first so that tick labels are final; pass False right after a savefig.

    Returns
    -------
    dict
        title, xlabel, ylabel, xticklabels, yticklabels, markers (points per marker style),
        hollow_markers, filled_markers, bars (non-empty bar rectangles), arrows, texts
        (annotations and text artists), legend (entry labels).
    """
    if draw:
        ax.figure.canvas.draw()
    markers: Counter[str] = Counter()
    hollow = filled = 0
    for line in ax.get_lines():
        marker = line.get_marker()
        n = len(line.get_xdata())
        if marker in (None, "", "None", " ") or line.get_linestyle() not in ("None", "none", ""):
            continue
        markers[str(marker)] += n
        if str(line.get_markerfacecolor()) == "none":
            hollow += n
        else:
            filled += n
    legend = ax.get_legend()
    return {
        "title": ax.get_title(),
        "xlabel": ax.get_xlabel(),
        "ylabel": ax.get_ylabel(),
        "xticklabels": [t.get_text() for t in ax.get_xticklabels()] if ax.axison else [],
        "yticklabels": [t.get_text() for t in ax.get_yticklabels()] if ax.axison else [],
        "markers": dict(markers),
        "hollow_markers": hollow,
        "filled_markers": filled,
        "bars": sum(1 for p in ax.patches if isinstance(p, Rectangle)
                    and p.get_width() != 0 and p.get_height() != 0),
        "arrows": sum(1 for t in ax.texts if getattr(t, "arrow_patch", None) is not None),
        "texts": [t.get_text() for t in ax.texts if t.get_text()],
        "legend": [t.get_text() for t in legend.get_texts()] if legend else [],
    }
