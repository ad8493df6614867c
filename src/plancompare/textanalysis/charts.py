"""Charts of the text analyses; each returns the (first) Axes it drew on, like plancompare.charts."""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np

from .. import fonts
from ..charts import _no_data, _text_inches
from ..errors import ParameterError
from . import lexicon, network

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd
    from matplotlib.axes import Axes

TEXT = {
    "zh": {"terms": "各区特色词（加权对数优势比 z 值）", "z": "z 值", "mix": "各区政策工具构成",
           "share": "占编码数比例", "theme": "政策工具 × 主题（编码数）",
           "network": "责任单位合作网络（连线 = 共同负责的任务数）",
           "repeat": "与其他规划措辞高度相似的任务文本比例", "other": "其他规划",
           "district": "区", "no_data": "无数据", "any": "任一其他规划",
           "supply": "供给型", "environment": "环境型", "demand": "需求型"},
    "en": {"terms": "Distinctive terms per district (weighted log-odds z)", "z": "z-score",
           "mix": "Policy-instrument mix per district", "share": "share of codes",
           "theme": "Policy instruments × themes (codes)",
           "network": "Departments sharing tasks (line = tasks shared)",
           "repeat": "Share of task text closely repeating another plan", "other": "other plan",
           "district": "district", "no_data": "no data", "any": "any other plan",
           "supply": "supply", "environment": "environment", "demand": "demand"},
}
#: One colour family per instrument type.
TYPE_CMAPS = {"supply": "Blues", "environment": "Greens", "demand": "Oranges"}


def label(key: str, lang: str = "zh") -> str:
    """The chart text ``key`` in ``lang``."""
    if lang not in TEXT:
        raise ParameterError(f"Unknown language `{lang}` in `lang`; known: en, zh")
    return TEXT[lang][key]


def plain(text: object) -> str:
    """Document text for a matplotlib label: ``$`` escaped, so it is never mathtext."""
    return str(text).replace("$", r"\$")


def top_terms(terms: pd.DataFrame, *, names: dict[str, str] | None = None, n: int = 10,
              lang: str = "zh") -> Axes:
    """Small multiples: the ``n`` most distinctive terms of each district (bars = z-score,
    labels = term and count).

    Parameters
    ----------
    terms : DataFrame
        :func:`terms.term_table` (district_id, term, count, z, rank).
    names : dict, optional
        district_id -> display name.
    n : int
        Terms per district.
    lang : str
        ``"zh"`` or ``"en"``.

    Returns
    -------
    Axes
        The first panel; the figure holds one panel per district.
    """
    fonts.setup()
    title = label("terms", lang)
    districts = list(dict.fromkeys(terms["district_id"]))
    if not districts:
        return _no_data(plt.subplots(figsize=(6, 2))[1], title, label("no_data", lang))
    cols = min(2, len(districts))
    rows = -(-len(districts) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(5.2 * cols, 0.32 * n * rows + 1.2),
                             layout="constrained", squeeze=False)
    for ax, district in zip(axes.flat, districts, strict=False):
        part = terms[(terms["district_id"] == district) & (terms["rank"] <= n)]
        ylabels = [plain(f"{t} ({c})") for t, c in zip(part["term"], part["count"], strict=True)]
        ax.barh(np.arange(len(part)), part["z"], color="#4c72b0")
        ax.set_yticks(np.arange(len(part)), labels=ylabels)
        ax.invert_yaxis()
        ax.set_title(plain((names or {}).get(district, district)), fontsize=10)
        ax.set_xlabel(label("z", lang))
    for ax in list(axes.flat)[len(districts):]:
        ax.set_axis_off()
    fig.suptitle(title)
    return axes.flat[0]


def instrument_mix(mix: pd.DataFrame, *, names: dict[str, str] | None = None,
                   lang: str = "zh", ax: Axes | None = None) -> Axes:
    """Stacked bars: each district's codes by instrument (shades of one colour per type).

    Parameters
    ----------
    mix : DataFrame
        :func:`instruments.mix` (district_id, instrument_id, type, share).
    """
    title = label("mix", lang)
    labels = lexicon.instrument_labels(lang)
    types = lexicon.instrument_types()
    districts = list(dict.fromkeys(mix["district_id"]))
    shown = [(names or {}).get(d, d) for d in districts]
    fonts.setup()
    if ax is None:
        _, ax = plt.subplots(figsize=(9 + _text_inches(shown), 1.6 + 0.5 * len(districts)),
                             layout="constrained")
    if mix.empty:
        return _no_data(ax, title, label("no_data", lang))
    wide = mix.pivot_table(index="district_id", columns="instrument_id", values="share",
                           aggfunc="sum").reindex(index=districts, columns=list(types))
    wide = wide.fillna(0.0)
    left = np.zeros(len(districts))
    colours = _instrument_colours()
    for inst in wide.columns:
        values = wide[inst].to_numpy()
        ax.barh(np.arange(len(districts)), values, left=left, color=colours[inst],
                label=f"{label(types[inst], lang)} · {labels[inst]}", edgecolor="white")
        left += values
    ax.set_yticks(np.arange(len(districts)), labels=[plain(s) for s in shown])
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda x, _p: f"{x:.0%}"))
    ax.set_xlabel(label("share", lang))
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=8)
    return ax


def _instrument_colours() -> dict[str, tuple]:
    types = lexicon.instrument_types()
    out = {}
    for kind, cmap in TYPE_CMAPS.items():
        members = [i for i, t in types.items() if t == kind]
        shades = plt.get_cmap(cmap)(np.linspace(0.85, 0.35, max(len(members), 1)))
        out.update(zip(members, map(tuple, shades), strict=False))
    return out


def instrument_theme(table: pd.DataFrame, *, theme_labels: dict[str, str] | None = None,
                     lang: str = "zh", ax: Axes | None = None) -> Axes:
    """Heatmap of codes per instrument (rows) and theme (columns), annotated."""
    import seaborn as sns

    title = label("theme", lang)
    labels = lexicon.instrument_labels(lang)
    ylabels = [labels.get(i, i) for i in table.index]
    xlabels = [plain((theme_labels or {}).get(c, c)) for c in table.columns]
    fonts.setup()
    if ax is None:
        _, ax = plt.subplots(figsize=(2 + 0.45 * max(len(xlabels), 4) + _text_inches(ylabels),
                                      1.5 + 0.35 * len(ylabels) + 0.12 * max(
                                          (len(x) for x in xlabels), default=0)),
                             layout="constrained")
    if table.empty or not table.to_numpy().sum():
        return _no_data(ax, title, label("no_data", lang))
    labels_ = table.astype(int).astype(str).where(table > 0, "")   # zeros stay blank
    sns.heatmap(table, ax=ax, cmap="Blues", annot=labels_.to_numpy(), fmt="",
                annot_kws={"fontsize": 7}, linewidths=0.5, linecolor="white", cbar=False)
    ax.set_xticks(np.arange(len(xlabels)) + 0.5, labels=xlabels, rotation=45, ha="right",
                  rotation_mode="anchor")
    ax.set_yticks(np.arange(len(ylabels)) + 0.5, labels=ylabels, rotation=0)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_title(title)
    return ax


def department_network(graph: nx.Graph, *, top: int = 30, lang: str = "zh",
                       ax: Axes | None = None) -> Axes:
    """The department network of :func:`network.bipartite` ``graph``: node size = rows the
    department is named in, line width = rows two departments share.

    Only the ``top`` departments named most often are drawn (the tables list every one). The
    layout is a seeded spring layout, so the same data gives the same picture.
    """
    import networkx as nx

    title = label("network", lang)
    fonts.setup()
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 8), layout="constrained")
    projection = network.projection(graph)
    if projection.number_of_nodes() == 0:
        return _no_data(ax, title, label("no_data", lang))
    size = {n: graph.degree(n) for n in projection}
    keep = sorted(projection, key=lambda n: (-size[n], str(n)))[:top]
    graph = projection.subgraph(keep)
    pos = nx.spring_layout(graph, seed=7, weight="weight", k=1.6 / np.sqrt(len(graph)))
    widths = [0.6 + 0.8 * d["weight"] for _a, _b, d in graph.edges(data=True)]
    nx.draw_networkx_edges(graph, pos, ax=ax, width=widths, edge_color="#9aa9bd", alpha=0.7)
    nx.draw_networkx_nodes(graph, pos, ax=ax, node_size=[120 + 60 * size[n] for n in graph],
                           node_color="#4c72b0", alpha=0.85)
    for node, (x, y) in pos.items():
        ax.text(x, y + 0.045, plain(graph.nodes[node].get("name", node)), ha="center",
                va="bottom", fontsize=8,
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75})
    ax.set_title(title)
    ax.set_axis_off()
    return ax


def repeated_share(share: pd.DataFrame, *, names: dict[str, str] | None = None,
                   lang: str = "zh", ax: Axes | None = None) -> Axes:
    """Heatmap: share of each district's task text (rows) closely repeating each other plan
    (columns; the last column = any other plan)."""
    import seaborn as sns

    title = label("repeat", lang)
    fonts.setup()
    names = names or {}
    wide = share.pivot_table(index="district_id", columns="other_district", values="share",
                             aggfunc="sum", sort=False)
    order = list(dict.fromkeys(share["district_id"]))
    wide = wide.reindex(index=order, columns=[*order, "*"])
    shown_rows = [plain(names.get(d, d)) for d in wide.index]
    shown_cols = [plain(names.get(d, d)) if d != "*" else label("any", lang)
                  for d in wide.columns]
    if ax is None:
        _, ax = plt.subplots(figsize=(2.5 + 1.1 * len(shown_cols) + _text_inches(shown_rows),
                                      1.6 + 0.5 * len(shown_rows)), layout="constrained")
    if share.empty:
        return _no_data(ax, title, label("no_data", lang))
    sns.heatmap(wide, ax=ax, cmap="Purples", annot=True, fmt=".1%", cbar=False,
                linewidths=0.5, linecolor="white", mask=wide.isna())
    ax.set_xticks(np.arange(len(shown_cols)) + 0.5, labels=shown_cols, rotation=0)
    ax.set_yticks(np.arange(len(shown_rows)) + 0.5, labels=shown_rows, rotation=0)
    ax.set_xlabel(label("other", lang))
    ax.set_ylabel("")
    ax.set_title(title)
    return ax
