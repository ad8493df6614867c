"""Tables for the comparison sections of the indicator and profile reports (thin notebooks)."""

from __future__ import annotations

import pandas as pd

from . import analysis, comparison, mapping, reference

HEADERS = {
    "zh": {"indicator": "指标", "district": "区", "target": "区目标", "parent": "上级规划",
           "parent_target": "上级目标", "vs_parent": "与上级相比", "baseline": "基线",
           "baseline_source": "基线来源", "vs_baseline": "与基线相比", "quote": "区原文",
           "where": "区出处", "parent_quote": "上级原文", "parent_where": "上级出处",
           "direction": "方向", "baseline_quote": "基线原文", "baseline_where": "基线出处",
           "name": "名称", "value": "数值", "unit": "单位", "rule": "规则",
           "candidate": "最接近的指标", "score": "相似度"},
    "en": {"indicator": "indicator", "district": "district", "target": "district target",
           "parent": "parent plan", "parent_target": "parent target", "vs_parent": "vs parent",
           "baseline": "baseline", "baseline_source": "baseline from",
           "vs_baseline": "vs baseline", "quote": "district quote", "where": "district source",
           "parent_quote": "parent quote", "parent_where": "parent source",
           "direction": "direction", "baseline_quote": "baseline quote",
           "baseline_where": "baseline source", "name": "name", "value": "value",
           "unit": "unit", "rule": "rule", "candidate": "best candidate", "score": "score"},
}
VERDICT_WORDS = {
    "zh": {"higher": "高于", "same": "相同", "lower": "低于", "overlap": "区间重叠",
           "not comparable": "不可比", "only district": "仅区设定", "only parent": "仅上级设定",
           "up": "越高越好", "down": "越低越好", "table": "指标表", "text": "回顾正文"},
    "en": {"up": "higher is better", "down": "lower is better", "table": "table",
           "text": "review text"},
}


def _where(files: pd.Series, lines: pd.Series) -> pd.Series:
    line = lines.astype("Int64").astype(str).replace("<NA>", "")
    return (files.fillna("").astype(str) + ":" + line).replace(":", "")


def _words(series: pd.Series, lang: str) -> pd.Series:
    words = VERDICT_WORDS.get(lang, {})
    return series.map(lambda v: words.get(v, v) if isinstance(v, str) else v)


def parent_table(vs: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Every row of :func:`comparison.parent_comparison` with both quotes and sources.

    Parameters
    ----------
    vs : DataFrame
        ``comparison.parent_comparison(frame, ...)``.
    lang : {"zh", "en"}

    Returns
    -------
    DataFrame
        indicator, district, district target, parent, parent target, verdict, baseline (and
        where it came from), verdict against the baseline, direction, quotes and ``file:line``.
    """
    out = pd.DataFrame({
        "indicator": vs["indicator_name"], "district": vs["district_name"],
        "target": vs["value_text"], "parent": vs["parent_name"],
        "parent_target": vs["parent_value_text"], "vs_parent": _words(vs["vs_parent"], lang),
        "baseline": vs["baseline_text"], "baseline_source": _words(vs["baseline_source"], lang),
        "vs_baseline": _words(vs["vs_baseline"], lang),
        "direction": _words(vs["direction"], lang), "quote": vs["quote"],
        "where": _where(vs["source_file"], vs["line"]), "parent_quote": vs["parent_quote"],
        "parent_where": _where(vs["parent_file"], vs["parent_line"]),
    })
    return out.rename(columns=HEADERS[lang])


def above_below_table(frame: pd.DataFrame, district: str, lang: str = "zh") -> pd.DataFrame:
    """Where ``district`` sets its bar above or below its parent plan's (profile report)."""
    return parent_table(comparison.above_below(frame, district, lang=lang), lang)


def baselines_from_text(frame: pd.DataFrame, districts: list[str],
                        lang: str = "zh") -> pd.DataFrame:
    """Each target statement (table row or text sentence) of ``districts`` whose baseline is
    the district's 2020 value from its review text: the target and the baseline, each with
    its quote and source."""
    rows = analysis.statement_baselines(frame, districts, lang)
    rows = rows[rows["baseline_source"].eq("text")]
    out = pd.DataFrame({
        "indicator": rows["indicator_name"], "district": rows["district_name"],
        "target": rows["value_text"], "quote": rows["quote"],
        "where": _where(rows["source_file"], rows["line"]), "baseline": rows["baseline_text"],
        "baseline_quote": rows["baseline_quote"],
        "baseline_where": _where(rows["baseline_file"], rows["baseline_line"]),
    })
    return out.rename(columns=HEADERS[lang]).reset_index(drop=True)


def unmapped_with_candidates(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Unmapped indicator rows with the best codebook candidate and its similarity score."""
    rows = analysis.unmapped_names(frame)
    names = reference.indicator_names(lang)
    best = [mapping.map_name(n, source="text", unit=u if isinstance(u, str) else None)
            for n, u in zip(rows["name_raw"], rows["unit"], strict=True)]
    out = pd.DataFrame({
        "district": rows["district_id"], "name": rows["name_raw"], "value": rows["value_text"],
        "unit": rows["unit"],
        "candidate": [names.get(b.candidate, b.candidate) if b.candidate else None
                      for b in best],
        "score": [b.score for b in best], "rule": rows["indicator_rule"],
        "quote": rows["quote"], "where": _where(rows["source_file"], rows["line"]),
    })
    return out.rename(columns=HEADERS[lang])
