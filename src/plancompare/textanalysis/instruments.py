"""Policy-instrument coding (Rothwell and Zegveld: supply, environment, demand) by rules as data.

Every sentence of a task or task-list measure is matched against ``instrument_rules.csv``: each
rule is one instrument's keywords; every rule that matches codes its instrument, and the rule
and the keyword that fired are recorded (``talent_training=培训``). A sentence no rule fits has
no instrument (rule ``none``). A researcher's decision in ``instrument_overrides.csv`` replaces
the rules for one sentence (``sentence`` = its number within the row) or for every sentence of
a row (``sentence`` empty); the rule then reads ``override:<reason>``.

A row's ``instruments`` are the instruments of its sentences in codebook order, and its
``instrument_rule`` lists the rules that fired, ``;``-joined.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import lexicon
from .segment import UNIT_TYPES, for_matching, row_sentences

if TYPE_CHECKING:
    import pandas as pd

NONE_RULE = "none"


def code_sentence(text: str, *, matching: bool = False) -> tuple[list[str], list[str]]:
    """The instruments of one sentence and the rules that coded them.

    Parameters
    ----------
    text : str
        A sentence as printed (Traditional or full-width characters are matched as Simplified,
        half-width).
    matching : bool
        ``text`` is already :func:`segment.for_matching` (skip the conversion).

    Returns
    -------
    (list of str, list of str)
        Instrument ids in codebook order, and ``rule_id=keyword`` for each rule that fired (the
        first keyword it matched), in rule order.
    """
    text = text if matching else for_matching(text)
    fired: dict[str, str] = {}
    hits: list[str] = []
    for rule in lexicon.rules():
        m = rule.regex.search(text)
        if m:
            fired.setdefault(rule.instrument_id, rule.rule_id)
            hits.append(f"{rule.rule_id}={m.group()}")
    return sorted(fired, key=lexicon.instrument_rank().__getitem__), hits


def code_units(item_type: str, name: str | None, body: str | None, *, district_id: str = "",
               item_key: str = "") -> list[tuple[list[str], str]]:
    """(instruments, rule) of every sentence of one row, overrides applied."""
    decisions = lexicon.overrides()
    whole = decisions.get((district_id, item_key, 0))
    out = []
    for number, (_part, sentence) in enumerate(row_sentences(item_type, name, body), 1):
        decided = decisions.get((district_id, item_key, number)) or whole
        if decided is not None:
            out.append((list(decided[0]), f"override:{decided[1]}"))
            continue
        insts, hits = code_sentence(sentence)
        out.append((insts, ";".join(hits) or NONE_RULE))
    return out


def code_frame(frame: pd.DataFrame) -> tuple[list[list[str]], list[str | None]]:
    """``instruments`` and ``instrument_rule`` for every row of ``frame`` (the harmonise step).

    Task and measure rows get the union of their sentences' instruments (codebook order) and
    the distinct rules that fired; other rows get ``[]`` and None.

    Parameters
    ----------
    frame : DataFrame
        The parsed frame (district_id, item_type, item_key, name_raw, body).

    Returns
    -------
    (list of list of str, list of str or None)
        One entry per row of ``frame``, in row order.
    """
    order = list(lexicon.instrument_types())
    insts: list[list[str]] = []
    rules: list[str | None] = []
    columns = ("item_type", "name_raw", "body", "district_id", "item_key")
    for kind, name, body, district, key in zip(*(frame[c].tolist() for c in columns),
                                               strict=True):
        if kind not in UNIT_TYPES:
            insts.append([])
            rules.append(None)
            continue
        units = code_units(kind, _text(name), _text(body), district_id=district, item_key=key)
        found = {i for unit, _ in units for i in unit}
        insts.append(sorted(found, key=order.index))
        fired = dict.fromkeys(r for _, rule in units for r in rule.split(";")
                              if r != NONE_RULE)
        rules.append(";".join(fired) or NONE_RULE)
    return insts, rules


def apply(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with ``instruments`` and ``instrument_rule`` filled (a copy)."""
    import pandas as pd

    insts, rules = code_frame(frame)
    out = frame.copy()
    out["instruments"] = pd.Series(insts, index=out.index, dtype=object)
    out["instrument_rule"] = pd.array(rules, dtype="str")
    return out


def code_sentences(sentences: pd.DataFrame) -> pd.DataFrame:
    """The sentence table of :func:`segment.sentences` with ``instruments`` and ``rule``."""
    decisions = lexicon.overrides()
    insts, rules = [], []
    for district, key, number, text in sentences[
            ["district_id", "item_key", "sentence", "text"]].itertuples(index=False):
        decided = decisions.get((district, key, int(number))) or decisions.get(
            (district, key, 0))
        if decided is not None:
            insts.append(list(decided[0]))
            rules.append(f"override:{decided[1]}")
            continue
        found, hits = code_sentence(text, matching=True)
        insts.append(found)
        rules.append(";".join(hits) or NONE_RULE)
    return sentences.assign(instruments=insts, rule=rules)


def mix(coded: pd.DataFrame, *, by: str = "district_id") -> pd.DataFrame:
    """Instrument mix: per group, coded sentences per instrument and their share.

    A sentence with two instruments counts once for each (as in the published two-dimensional
    analyses, which count instrument codes, not sentences).

    Parameters
    ----------
    coded : DataFrame
        :func:`code_sentences` output.
    by : str
        Grouping column (district_id, theme_id ...).

    Returns
    -------
    DataFrame
        Long: ``by``, instrument_id, type, n (codes), share (of the group's codes),
        n_sentences (sentences in the group); groups in their order in ``coded``,
        instruments in codebook order.
    """
    import pandas as pd

    types = lexicon.instrument_types()
    long = coded[[by, "instruments"]].explode("instruments").dropna()
    counts = long.groupby([by, "instruments"]).size().rename("n").reset_index()
    counts = counts.rename(columns={"instruments": "instrument_id"})
    totals = counts.groupby(by)["n"].transform("sum")
    counts["share"] = counts["n"] / totals
    counts["type"] = counts["instrument_id"].map(types)
    sizes = coded.groupby(by).size()
    counts["n_sentences"] = counts[by].map(sizes).astype(int)
    order = {i: k for k, i in enumerate(types)}
    first = {g: k for k, g in enumerate(dict.fromkeys(coded[by]))}   # groups as they come
    counts = counts.sort_values([by, "instrument_id"], key=lambda s: s.map(
        order if s.name == "instrument_id" else first), kind="stable")
    cols = [by, "instrument_id", "type", "n", "share", "n_sentences"]
    return pd.DataFrame(counts[cols]).reset_index(drop=True)


def crosstab(coded: pd.DataFrame, *, by: str = "theme_id") -> pd.DataFrame:
    """Instrument x ``by`` counts (rows: instruments in codebook order; columns: ``by``)."""
    import pandas as pd

    long = coded[[by, "instruments"]].explode("instruments").dropna()
    table = pd.crosstab(long["instruments"], long[by])
    table = table.reindex(list(lexicon.instrument_types()), fill_value=0)
    table.index.name = "instrument_id"
    return table


def _text(value) -> str:
    return value if isinstance(value, str) else ""
