"""Everything the text-analysis report shows, from the curated frame, in one call; and the term
and similarity tables written beside the curated dataset."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import instruments, lexicon, network, segment, similarity, terms

if TYPE_CHECKING:
    import pandas as pd

#: Files written beside plan_items.* by the build (name -> what).
CURATED_TABLES = ("terms.csv", "similarity.csv")

COLUMNS = {
    "zh": {"district": "区", "term": "词语", "count": "本区词频", "count_rest": "其他区词频",
           "z": "z 值", "delta": "对数优势比", "examples": "例句（出处）", "quote": "原文",
           "where": "出处", "instruments": "政策工具", "rule": "触发规则", "length": "字数",
           "other_district": "另一规划", "other_quote": "另一规划原文", "other_where": "另一出处",
           "similarity": "相似度", "department": "部门", "n_items": "涉及任务数",
           "n_partners": "合作部门数", "shared": "共同任务合计", "betweenness": "中介中心度",
           "department_a": "部门甲", "department_b": "部门乙", "n_shared": "共同任务数",
           "items": "共同任务（出处）", "share": "比例", "n": "编码数", "type": "类型",
           "instrument": "政策工具", "n_sentences": "句数", "n_repeated": "高度相似句数",
           "chars": "字数", "repeated_chars": "高度相似字数", "theme": "主题",
           "n_responsible": "责任", "n_lead": "牵头", "n_support": "配合"},
    "en": {"district": "district", "term": "term", "count": "count", "count_rest": "count (others)",
           "z": "z", "delta": "log-odds", "examples": "examples (source)", "quote": "quote",
           "where": "source", "instruments": "instruments", "rule": "rule", "length": "characters",
           "other_district": "other plan", "other_quote": "other plan's quote",
           "other_where": "other source", "similarity": "similarity",
           "department": "department", "n_items": "tasks", "n_partners": "partner departments",
           "shared": "shared tasks (sum)", "betweenness": "betweenness",
           "department_a": "department A", "department_b": "department B",
           "n_shared": "shared tasks", "items": "tasks shared (source)", "share": "share",
           "n": "codes", "type": "type", "instrument": "instrument",
           "n_sentences": "sentences", "n_repeated": "closely repeated sentences",
           "chars": "characters", "repeated_chars": "characters closely repeated",
           "theme": "theme", "n_responsible": "responsible", "n_lead": "lead",
           "n_support": "support"},
}


@dataclass
class TextAnalysis:
    """The results of :func:`analyse` (tidy frames; see each module for the columns)."""

    sentences: pd.DataFrame        # every task and measure sentence, coded (instruments, rule)
    problems: list[str]            # paragraphs not found in the raw files
    terms: pd.DataFrame            # terms.term_table of the text units
    mix: pd.DataFrame              # instruments.mix of task sentences per district
    measure_mix: pd.DataFrame      # the same for task-list measures
    by_theme: pd.DataFrame         # instruments.crosstab of task sentences by theme
    matches: pd.DataFrame          # similarity.best_matches
    share: pd.DataFrame            # similarity.repeated_share
    passages: pd.DataFrame         # similarity.shared_passages
    networks: dict[str, Any] = field(default_factory=dict)   # district -> bipartite graph


def text_units(sentences: pd.DataFrame) -> pd.DataFrame:
    """The sentences term counts and shared wording use: task sentences; a district without
    any contributes its measure sentences instead (a task list repeats its tasks)."""
    tasks = sentences[sentences["item_type"] == "task"]
    rest = sentences[~sentences["district_id"].isin(set(tasks["district_id"]))]
    return sentences.loc[tasks.index.union(rest.index)]


def analyse(frame: pd.DataFrame, districts: list[str] | None = None,
            root: Path | None = None, *, saved: bool = True) -> TextAnalysis:
    """Run every text analysis on the task text of ``districts`` (default: all).

    Parameters
    ----------
    frame : DataFrame
        The curated frame.
    districts : list of str, optional
        District ids; every table and chart follows this order.
    root : Path, optional
        Project root (for the raw files the quotes come from).
    saved : bool
        Start from the build's ``terms.csv`` and ``similarity.csv`` when they exist (the same
        results without segmenting and matching again: per-district counts give the log-odds
        of any set of districts, and a sentence's best match in a plan does not depend on the
        other plans); False recomputes them.

    Returns
    -------
    TextAnalysis
    """
    places = terms.place_names(frame)   # every district's name, as the build's terms.csv
    if districts is not None:   # in the order asked for
        rank = {d: k for k, d in enumerate(districts)}
        frame = frame[frame["district_id"].isin(districts)]
        frame = frame.sort_values("district_id", key=lambda s: s.map(rank), kind="stable")
    located = segment.sentences(frame, root)
    coded = instruments.code_sentences(located.sentences)
    units = text_units(coded)
    order = list(dict.fromkeys(frame["district_id"]))
    tables = saved_tables(root) if saved else None
    if tables is None:
        matches = similarity.best_matches(units)
        term_table = terms.term_table(units, places=places)
    else:
        sim = tables["similarity.csv"]
        matches = sim[sim["district_id"].isin(order) & sim["other_district"].isin(order)]
        matches = _in_order(matches, order)
        term_table = terms.from_saved(tables["terms.csv"], order)
    tasks = coded[coded["item_type"] == "task"]
    return TextAnalysis(
        sentences=coded, problems=located.problems, terms=term_table,
        mix=instruments.mix(tasks), measure_mix=instruments.mix(
            coded[coded["item_type"] == "measure"]),
        by_theme=_theme_order(instruments.crosstab(tasks)), matches=matches,
        share=similarity.repeated_share(units, matches),
        passages=similarity.shared_passages(matches, raw_lines(frame, root)),
        networks={d: network.bipartite(frame, d) for d in network.districts_with_units(frame)},
    )


def _in_order(matches: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """Saved best matches in the order a fresh :func:`similarity.best_matches` of ``order``
    gives: districts as in ``order``, sentences as saved, other plans as in ``order``."""
    rank = {d: k for k, d in enumerate(order)}
    keys = matches.assign(
        _d=matches["district_id"].map(rank), _o=matches["other_district"].map(rank),
        _p=matches.groupby(["district_id", "item_key", "sentence"], sort=False).ngroup())
    return matches.loc[keys.sort_values(["_d", "_p", "_o"], kind="stable").index].reset_index(
        drop=True)


def _theme_order(table: pd.DataFrame) -> pd.DataFrame:
    """Theme columns in codebook order."""
    order = list(theme_labels("zh"))
    return table[[t for t in order if t in table.columns]]


def raw_lines(frame: pd.DataFrame, root: Path | None = None) -> dict[str, list[str]]:
    """source_file -> raw lines, for every task and measure file of ``frame``."""
    from .. import paths
    from ..parse.ingest import read_document

    files = frame.loc[frame["item_type"].isin(segment.UNIT_TYPES), "source_file"].dropna()
    return {str(p): [ln.raw for ln in read_document(paths.raw_dir(root) / str(p),
                                                    display_path=str(p)).lines]
            for p in files.unique()}


def saved_tables(root: Path | None = None) -> dict[str, pd.DataFrame] | None:
    """terms.csv and similarity.csv of data/curated, or None when either is missing."""
    import pandas as pd

    from .. import paths

    out = {}
    for name in CURATED_TABLES:
        path = paths.curated_dir(root) / name
        if not path.is_file():
            return None
        out[name] = pd.read_csv(path, dtype=_TEXT_COLUMNS[name], keep_default_na=False,
                                na_values=[], encoding="utf-8")
    return out


_TEXT_COLUMNS = {
    "terms.csv": {"district_id": "str", "term": "str", "examples": "str"},
    "similarity.csv": {c: "str" for c in ("district_id", "item_key", "source_file", "quote",
                                          "other_district", "other_item_key",
                                          "other_source_file", "other_quote")},
}


def curated_tables(frame: pd.DataFrame, root: Path | None = None) -> dict[str, pd.DataFrame]:
    """terms.csv (every term of every district) and similarity.csv (best matches), for the
    build to write beside plan_items.* (docs/text-analysis.md)."""
    located = segment.sentences(frame, root)
    units = text_units(located.sentences)
    return {"terms.csv": terms.term_table(units, places=terms.place_names(frame)),
            "similarity.csv": similarity.best_matches(units)}


# --- tables for display -----------------------------------------------------------------------

def _where(df: pd.DataFrame, file: str = "source_file", line: str = "line") -> pd.Series:
    return df[file].astype(str) + ":" + df[line].astype(str)


def _names(frame: pd.DataFrame, lang: str) -> dict[str, str]:
    col = "district_zh" if lang == "zh" else "district_en"
    pairs = frame[["district_id", col]].drop_duplicates("district_id")
    return dict(zip(pairs["district_id"].astype(str), pairs[col].astype(str), strict=True))


def term_display(ta: TextAnalysis, frame: pd.DataFrame, *, n: int = 10,
                 lang: str = "zh") -> pd.DataFrame:
    """Top ``n`` terms per district: count, others' count, z, example sentences."""
    top = ta.terms[ta.terms["rank"] <= n]
    out = top.assign(district=top["district_id"].map(_names(frame, lang)),
                     z=top["z"].round(2), delta=top["delta"].round(3))
    cols = ["district", "term", "count", "count_rest", "delta", "z", "examples"]
    return out[cols].rename(columns=COLUMNS[lang])


def mix_display(mix: pd.DataFrame, frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The instrument mix as a wide table: districts x instruments, 'n (share)' per cell."""
    if mix.empty:
        return mix
    labels = lexicon.instrument_labels(lang)
    cells = mix.assign(cell=[f"{n} ({s:.0%})" for n, s in zip(mix["n"], mix["share"],
                                                              strict=True)])
    wide = cells.pivot(index="district_id", columns="instrument_id", values="cell")
    wide = wide.reindex(index=list(dict.fromkeys(mix["district_id"])),
                        columns=[i for i in labels if i in wide.columns]).fillna("0")
    wide.index = wide.index.map(_names(frame, lang))
    wide.columns = [labels[c] for c in wide.columns]
    wide.index.name = COLUMNS[lang]["district"]
    return wide.reset_index()


def coded_display(coded: pd.DataFrame, frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Coded sentences: district, quote, instruments (labels), the rule that fired, file:line."""
    labels = lexicon.instrument_labels(lang)
    out = coded.assign(where=_where(coded), district=coded["district_id"].map(
        _names(frame, lang)), instruments=["、".join(labels[i] for i in v)
                                           for v in coded["instruments"]])
    return out[["district", "quote", "instruments", "rule", "where"]].rename(
        columns=COLUMNS[lang])


def sample_coded(coded: pd.DataFrame, n: int = 40, seed: int = 13) -> pd.DataFrame:
    """A reproducible random sample of ``n`` coded sentences (for checking the rules by hand)."""
    return coded.sample(n=min(n, len(coded)), random_state=seed).sort_index()


def passage_display(passages: pd.DataFrame, frame: pd.DataFrame, *, top: int = 10,
                    lang: str = "zh") -> pd.DataFrame:
    """The ``top`` longest shared passages with both quotes and sources."""
    names = _names(frame, lang)
    p = passages.head(top)
    out = p.assign(district=p["district_id"].map(names),
                   other_district=p["other_district"].map(names), where=_where(p),
                   other_where=_where(p, "other_source_file", "other_line"))
    cols = ["length", "district", "quote", "where", "other_district", "other_quote",
            "other_where"]
    return out[cols].rename(columns=COLUMNS[lang])


def share_display(share: pd.DataFrame, frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Per district: sentences and characters closely repeating any other plan."""
    s = share[share["other_district"] == "*"]
    out = s.assign(district=s["district_id"].map(_names(frame, lang)),
                   share=s["share"].map("{:.1%}".format))
    cols = ["district", "n_sentences", "n_repeated", "chars", "repeated_chars", "share"]
    return out[cols].rename(columns=COLUMNS[lang])


def closest_display(matches: pd.DataFrame, frame: pd.DataFrame, *, top: int = 20,
                    lang: str = "zh") -> pd.DataFrame:
    """The most similar sentence pairs between plans (each pair once), most similar first."""
    names = _names(frame, lang)
    m = matches[matches["district_id"] < matches["other_district"]]
    m = m.sort_values("similarity", ascending=False, kind="stable").head(top)
    out = m.assign(district=m["district_id"].map(names),
                   other_district=m["other_district"].map(names), where=_where(m),
                   other_where=_where(m, "other_source_file", "other_line"))
    cols = ["similarity", "district", "quote", "where", "other_district", "other_quote",
            "other_where"]
    return out[cols].rename(columns=COLUMNS[lang])


def department_display(graph, lang: str = "zh") -> pd.DataFrame:
    """:func:`network.departments` with localized headers."""
    return network.departments(graph).rename(columns=COLUMNS[lang])


def link_display(graph, *, top: int = 15, lang: str = "zh") -> pd.DataFrame:
    """The ``top`` strongest department links with the tasks behind them."""
    return network.links(graph).head(top).rename(columns=COLUMNS[lang])


def theme_display(by_theme: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The instrument x theme table with instrument and theme labels."""
    labels = lexicon.instrument_labels(lang)
    themes = theme_labels(lang)
    by_theme = by_theme[[t for t in themes if t in by_theme.columns]]
    out = by_theme.rename(index=labels, columns=themes)
    out.index.name = COLUMNS[lang]["instrument"]
    return out.reset_index()


def theme_labels(lang: str = "zh") -> dict[str, str]:
    """``{theme_id: label}`` of the theme codebook (for the instrument x theme chart)."""
    from ..reference import theme_labels as labels

    return labels(lang)


def show_problems(ta: TextAnalysis) -> None:
    """Say which paragraphs of the curated rows were not found in the raw files (if any)."""
    if ta.problems:
        from ..notebook import show_text

        show_text(f"{len(ta.problems)} paragraph(s) not found in the raw files (their sentences "
                  "keep the row's line): " + "; ".join(ta.problems[:10]))
