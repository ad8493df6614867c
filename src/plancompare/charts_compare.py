"""Chart of :func:`plancompare.comparison.parent_comparison`: each district's bar against its city's."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch

from . import charts
from .comparison import VERDICTS

#: Cell colour per verdict, in ``VERDICTS`` order; the parent's own column is the last colour.
VERDICT_COLOURS = ("#2ca25f", "#bdbdbd", "#de2d26", "#fdae6b", "#ffffff", "#c6dbef", "#f0f0f0",
                   "#737373")
TEXT = {
    "zh": {"title": "各区目标与上级规划（市级）目标对比", "higher": "高于上级", "same": "与上级相同",
           "lower": "低于上级", "overlap": "区间重叠", "not comparable": "不可比",
           "only district": "仅区设定", "only parent": "仅上级设定", "parent": "上级规划目标",
           "no_data": "所选各区均无上级规划可对比"},
    "en": {"title": "District targets against the parent (city) plan", "higher": "above parent",
           "same": "same as parent", "lower": "below parent", "overlap": "ranges overlap",
           "not comparable": "not comparable", "only district": "only the district",
           "only parent": "only the parent", "parent": "parent plan's target",
           "no_data": "No selected district has a parent plan to compare with"},
}
MAX_CELL_CHARS = 9


def parent_heatmap(vs: pd.DataFrame, *, lang: str = "zh", ax: Axes | None = None) -> Axes:
    """One row per indicator: the parent's target, then each district's, coloured by verdict.

    Parameters
    ----------
    vs : DataFrame
        :func:`plancompare.comparison.parent_comparison`.
    lang : {"zh", "en"}
        Language of title and legend.
    ax : Axes, optional
        Axes to draw on; a new figure when None.

    Returns
    -------
    Axes
        Cells carry the value as printed (cut to ``MAX_CELL_CHARS``); the legend names the
        verdicts drawn. Document text is drawn without mathtext (``$`` stays a dollar sign).
    """
    charts.label("district", lang)  # ParameterError for an unknown language
    text = TEXT[lang]
    inds = list(dict.fromkeys(vs["indicator_id"]))
    districts = list(dict.fromkeys(vs["district_id"]))
    rows = [_plain(n) for n in dict.fromkeys(vs["indicator_name"])] if len(vs) else []
    parents = list(dict.fromkeys(vs["parent_name"])) if len(vs) else []
    cols = [_plain(" / ".join(parents))] + [
        _plain(n) for n in vs.drop_duplicates("district_id")["district_name"]]
    ax = charts._axes(ax, 0.8 + 1.2 * len(cols), 1.2 + 0.4 * len(rows), rows, legend=1.8)
    if vs.empty:
        return charts._no_data(ax, text["title"], text["no_data"])
    grid, labels = _grid(vs, inds, districts)
    ax.imshow(grid, cmap=ListedColormap(VERDICT_COLOURS), vmin=0, vmax=len(VERDICTS),
              aspect="auto")
    charts._categorical_ticks(ax, cols, rows)
    for (i, j), value in np.ndenumerate(labels):
        if value:
            ax.text(j, i, _plain(value), ha="center", va="center", fontsize=8,
                    gid=f"cell:{inds[i]}:{j}")
    seen = sorted({int(v) for v in grid.ravel() if v < len(VERDICTS)})
    handles = [Patch(facecolor=VERDICT_COLOURS[-1], label=text["parent"])] + [
        Patch(facecolor=VERDICT_COLOURS[k], edgecolor="#999999", label=text[VERDICTS[k]])
        for k in seen]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    ax.set_title(text["title"])
    return ax


def _grid(vs: pd.DataFrame, inds: list[str], districts: list[str]):
    grid = np.full((len(inds), len(districts) + 1), VERDICTS.index("only parent"), dtype=float)
    labels = np.full(grid.shape, "", dtype=object)
    for r in vs.to_dict("records"):
        i, j = inds.index(r["indicator_id"]), districts.index(r["district_id"]) + 1
        grid[i, j] = VERDICTS.index(r["vs_parent"])
        labels[i, j] = _cut(r["value_text"])
        if isinstance(r["parent_value_text"], str):
            grid[i, 0] = len(VERDICTS)
            labels[i, 0] = _cut(r["parent_value_text"])
        elif not labels[i, 0]:
            grid[i, 0] = VERDICTS.index("only district")
    return grid, labels


def _cut(value) -> str:
    if not isinstance(value, str):
        return ""
    return value if len(value) <= MAX_CELL_CHARS else value[: MAX_CELL_CHARS - 1] + "…"


def _plain(value) -> str:
    """Text as printed, safe from matplotlib's mathtext (``$`` escaped)."""
    return str(value).replace("$", r"\$")
