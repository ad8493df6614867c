"""Term counts per district and the weighted log-odds ratio with an informative Dirichlet prior.

Monroe, Colaresi and Quinn (2008), "Fightin' Words", section 3.5: for term w, district i and the
rest of the corpus j (every other district), with counts y and totals n,

    alpha_w = alpha0 * (y_w / n)                       (prior: the whole corpus' frequencies)
    delta_w = log((y_iw + alpha_w) / (n_i + alpha0 - y_iw - alpha_w))
            - log((y_jw + alpha_w) / (n_j + alpha0 - y_jw - alpha_w))
    var_w   = 1 / (y_iw + alpha_w) + 1 / (y_jw + alpha_w)
    z_w     = delta_w / sqrt(var_w)

``alpha0`` defaults to the corpus size n (the prior counts are the corpus counts). A term with
z above 1.96 is used distinctly more by the district than by the others.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import TYPE_CHECKING

from . import segment

if TYPE_CHECKING:
    import pandas as pd

TERM_COLUMNS = ("district_id", "term", "count", "count_rest", "per_10k", "delta", "var", "z",
                "rank", "examples")
_CJK2_RE = re.compile(r"^[\u4e00-\u9fff]{2,}$")
#: Example sentences kept per term.
N_EXAMPLES = 2


def log_odds(counts: dict[str, Counter], *, alpha0: float | None = None) -> pd.DataFrame:
    """Weighted log-odds (informative Dirichlet prior) of every term of every group vs the rest.

    Parameters
    ----------
    counts : dict of str -> Counter
        Term counts per group (district).
    alpha0 : float, optional
        Size of the prior in pseudo-counts; default the corpus size (sum of all counts).

    Returns
    -------
    DataFrame
        One row per (group, term the group uses): district_id, term, count, count_rest,
        per_10k (count per 10,000 of the group's terms), delta, var, z, rank (1 = highest z
        within the group). Sorted by group (input order) and rank.
    """
    import pandas as pd

    total = Counter()
    for c in counts.values():
        total.update(c)
    n = sum(total.values())
    a0 = float(n if alpha0 is None else alpha0)
    rows = []
    for group, c in counts.items():
        n_i = sum(c.values())
        n_j = n - n_i
        for term, y_i in c.items():
            y_j = total[term] - y_i
            a = a0 * total[term] / n
            delta = (math.log((y_i + a) / (n_i + a0 - y_i - a))
                     - math.log((y_j + a) / (n_j + a0 - y_j - a)))
            var = 1 / (y_i + a) + 1 / (y_j + a)
            rows.append((group, term, y_i, y_j, 1e4 * y_i / n_i, delta, var,
                         delta / math.sqrt(var)))
    out = pd.DataFrame(rows, columns=list(TERM_COLUMNS[:-2]))
    out = out.sort_values(["z", "term"], ascending=[False, True], kind="stable")
    out["rank"] = out.groupby("district_id").cumcount() + 1
    order = {g: k for k, g in enumerate(counts)}
    return out.sort_values(["district_id", "rank"], key=lambda s: s.map(order)
                           if s.name == "district_id" else s, kind="stable").reset_index(drop=True)


def term_table(sentences: pd.DataFrame, *, places: list[str] | None = None,
               alpha0: float | None = None, top: int | None = None) -> pd.DataFrame:
    """Distinctive terms per district from the sentence table, with example sentences.

    Parameters
    ----------
    sentences : DataFrame
        :func:`segment.sentences` output (district_id, text, quote, source_file, line).
    places : list of str, optional
        Place names to leave out (a plan's own name sets it apart trivially); see
        :func:`place_names`.
    alpha0 : float, optional
        Prior size for :func:`log_odds`.
    top : int, optional
        Keep the ``top`` terms per district by z (default: every term).

    Returns
    -------
    DataFrame
        :data:`TERM_COLUMNS`; ``examples`` holds up to :data:`N_EXAMPLES` sentences as
        ``"quote (file:line)"`` joined by a newline.
    """
    skip = set(places or [])
    counts: dict[str, Counter] = {}
    first: dict[tuple[str, str], list[str]] = {}
    for district, text, quote, path, line in sentences[
            ["district_id", "text", "quote", "source_file", "line"]].itertuples(index=False):
        found = [t for t in segment.terms(text) if not any(p in t for p in skip)]
        counts.setdefault(district, Counter()).update(found)
        for term in dict.fromkeys(found):
            shown = first.setdefault((district, term), [])
            if len(shown) < N_EXAMPLES:
                shown.append(f"{quote} ({path}:{line})")
    table = log_odds(counts, alpha0=alpha0)
    if top is not None:
        table = table[table["rank"] <= top].reset_index(drop=True)
    table["examples"] = ["\n".join(first[(d, t)]) for d, t in
                         zip(table["district_id"], table["term"], strict=True)]
    return table


def from_saved(table: pd.DataFrame, districts: list[str], *,
               alpha0: float | None = None) -> pd.DataFrame:
    """:func:`term_table` of ``districts`` from a saved term table of more districts.

    The counts per district are all the log-odds need, so the result equals a fresh
    :func:`term_table` of those districts (examples are taken over as saved).

    Parameters
    ----------
    table : DataFrame
        A term table (terms.csv) with district_id, term, count, examples.
    districts : list of str
        The districts to compare, in order.
    alpha0 : float, optional
        Prior size for :func:`log_odds`.

    Returns
    -------
    DataFrame
        :data:`TERM_COLUMNS`.
    """
    part = table[table["district_id"].isin(districts)]
    counts = {d: Counter() for d in districts if d in set(part["district_id"])}
    for d, term, n in zip(part["district_id"], part["term"], part["count"], strict=True):
        counts[d][term] = int(n)
    out = log_odds(counts, alpha0=alpha0)
    examples = dict(zip(zip(part["district_id"], part["term"]), part["examples"], strict=True))
    out["examples"] = [examples[k] for k in zip(out["district_id"], out["term"], strict=True)]
    return out


def place_names(frame: pd.DataFrame) -> list[str]:
    """Stems of the districts' Chinese names (海淀区 -> 海淀): two or more Chinese characters
    (a masked name such as ``**区`` has none)."""
    stems = set()
    for name in frame["district_zh"].dropna().astype(str).unique():
        stem = name.split("（")[0].split("(")[0].rstrip("区县市旗")
        if _CJK2_RE.match(stem):
            stems.add(stem)
    return sorted(stems)
