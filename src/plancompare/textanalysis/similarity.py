"""Shared wording between plans: character n-gram similarity of task sentences and the longest
shared passages.

Each sentence becomes the set of its character trigrams (:data:`N` = 3) over its letters and
digits (punctuation and spaces removed, Traditional matched as Simplified). The similarity of
two sentences is the cosine of their trigram sets, ``|A & B| / sqrt(|A| * |B|)`` (0..1; a
sentence repeated inside a longer one still scores high, unlike Jaccard). Candidates come from
an inverted index of trigrams; trigrams found in more than :data:`MAX_POSTING` sentences (the
plans' stock phrases) do not propose candidates, so the work grows with the number of sentences
times the candidates each has, not with the square of the corpus. A sentence *closely repeats*
another plan when its best match there reaches :data:`THRESHOLD`.

Shared passages: for every pair of raw lines that holds a candidate sentence pair with
similarity of at least :data:`PASSAGE_MIN_SIMILARITY`, ``difflib.SequenceMatcher`` finds the
common blocks of at least :data:`MIN_PASSAGE` characters; both quotes are cut from the lines as
printed.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

N = 3
#: Best-match similarity from which a sentence counts as closely repeating another plan.
THRESHOLD = 0.6
#: Trigrams in more sentences than this propose no candidates (stock phrases).
MAX_POSTING = 200
#: Candidate pairs from this similarity on are searched for shared passages.
PASSAGE_MIN_SIMILARITY = 0.3
#: Shortest shared passage reported (characters, as printed).
MIN_PASSAGE = 12
#: Punctuation trimmed from both ends of a shared passage (it starts and ends on words).
EDGE_PUNCT = "，、；：,;: \u3000"
_DROP_RE = re.compile(r"[^0-9A-Za-z\u3400-\u9fff]")

MATCH_COLUMNS = ("district_id", "item_key", "sentence", "source_file", "line", "quote",
                 "other_district", "other_item_key", "other_source_file", "other_line",
                 "other_quote", "similarity")


def grams(text: str, n: int = N) -> frozenset[str]:
    """Character n-grams of ``text`` without punctuation and spaces (the whole text if shorter)."""
    chars = _DROP_RE.sub("", text)
    if len(chars) <= n:
        return frozenset([chars]) if chars else frozenset()
    return frozenset(chars[i:i + n] for i in range(len(chars) - n + 1))


def cosine(a: frozenset[str], b: frozenset[str]) -> float:
    """Cosine similarity of two n-gram sets (0 when either is empty)."""
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))


def best_matches(sentences: pd.DataFrame) -> pd.DataFrame:
    """For every sentence, its most similar sentence in every other district.

    Parameters
    ----------
    sentences : DataFrame
        :func:`segment.sentences` output (``text`` is the matching form).

    Returns
    -------
    DataFrame
        :data:`MATCH_COLUMNS`: one row per (sentence, other district) with a candidate, in the
        order of ``sentences`` (a tie goes to the earlier sentence); a sentence that shares no
        indexed trigram with a district has no row for it.
    """
    import pandas as pd

    recs = sentences.reset_index(drop=True)
    sets = [grams(t) for t in recs["text"]]
    districts = recs["district_id"].tolist()
    index = _index(sets)
    rank = {d: k for k, d in enumerate(dict.fromkeys(districts))}
    rows = []
    for i, g in enumerate(sets):
        best: dict[str, tuple[float, int]] = {}
        for j in sorted(_candidates(i, g, index, districts)):   # ties: the earlier sentence
            s = cosine(g, sets[j])
            d = districts[j]
            if s > best.get(d, (0.0, -1))[0]:
                best[d] = (s, j)
        for d in sorted(best, key=rank.get):   # other plans in table order
            s, j = best[d]
            rows.append((i, j, round(s, 4)))
    return _match_frame(recs, rows, pd)


def _index(sets: list[frozenset[str]]) -> dict[str, list[int]]:
    index: dict[str, list[int]] = defaultdict(list)
    for i, g in enumerate(sets):
        for gram in g:
            index[gram].append(i)
    return {k: v for k, v in index.items() if len(v) <= MAX_POSTING}


def _candidates(i: int, g: frozenset[str], index: dict, districts: list[str]) -> set[int]:
    own = districts[i]
    found: set[int] = set()
    for gram in g:
        found.update(j for j in index.get(gram, ()) if districts[j] != own)
    return found


def _match_frame(recs: pd.DataFrame, rows: list[tuple[int, int, float]], pd) -> pd.DataFrame:
    left = ["district_id", "item_key", "sentence", "source_file", "line", "quote"]
    a = recs.loc[[i for i, _, _ in rows], left].reset_index(drop=True)
    b = recs.loc[[j for _, j, _ in rows], ["district_id", "item_key", "source_file", "line",
                                            "quote"]].reset_index(drop=True)
    b.columns = ["other_district", "other_item_key", "other_source_file", "other_line",
                 "other_quote"]
    out = pd.concat([a, b], axis=1)
    out["similarity"] = [s for _, _, s in rows]
    return out[list(MATCH_COLUMNS)]


def repeated_share(sentences: pd.DataFrame, matches: pd.DataFrame, *,
                   threshold: float = THRESHOLD) -> pd.DataFrame:
    """Share of each district's task text (characters) that closely repeats another plan.

    Returns
    -------
    DataFrame
        One row per (district_id, other_district) plus ``other_district = "*"`` (any other
        plan): chars (characters of the district's sentences), repeated_chars (of sentences
        whose best match in that plan reaches ``threshold``), share, n_sentences, n_repeated.
    """
    import pandas as pd

    size = dict(zip(zip(sentences["district_id"], sentences["item_key"],
                        sentences["sentence"]), sentences["quote"].str.len()))
    totals = sentences.groupby("district_id")["quote"].agg(lambda s: int(s.str.len().sum()))
    counts = sentences.groupby("district_id").size()
    close = matches[matches["similarity"] >= threshold]
    rows = []
    pairs = [(d, o) for d in totals.index for o in totals.index if d != o]
    for d, o in [*pairs, *((d, "*") for d in totals.index)]:
        part = close[(close["district_id"] == d)
                     & ((close["other_district"] == o) if o != "*" else True)]
        keys = set(zip(part["district_id"], part["item_key"], part["sentence"]))
        chars = sum(size[k] for k in keys)
        rows.append((d, o, int(totals[d]), chars, chars / totals[d] if totals[d] else 0.0,
                     int(counts[d]), len(keys)))
    return pd.DataFrame(rows, columns=["district_id", "other_district", "chars",
                                       "repeated_chars", "share", "n_sentences", "n_repeated"])


def shared_passages(matches: pd.DataFrame, raw_lines: dict[str, list[str]], *,
                    min_len: int = MIN_PASSAGE, top: int | None = None) -> pd.DataFrame:
    """The longest passages two plans share word for word, with both quotes and sources.

    For each candidate sentence pair (similarity at least :data:`PASSAGE_MIN_SIMILARITY`),
    ``SequenceMatcher`` compares the two raw lines from the start of each sentence over at most
    the sentence plus :data:`EXTEND` characters, so a passage may run on into the next
    sentences of the same line; passages contained in a longer one of the same line pair are
    dropped.

    Parameters
    ----------
    matches : DataFrame
        :func:`best_matches` output.
    raw_lines : dict
        source_file -> the raw lines of that file (``Line.raw``), for quotes as printed.
    min_len : int
        Shortest passage kept (letters and digits, punctuation not counted).
    top : int, optional
        Keep the ``top`` longest.

    Returns
    -------
    DataFrame
        length, district_id, source_file, line, quote, other_district, other_source_file,
        other_line, other_quote; longest first; each pair of places once.
    """
    import pandas as pd

    cand = matches[matches["similarity"] >= PASSAGE_MIN_SIMILARITY]
    spans: dict[tuple, list[tuple[int, int, int, int]]] = defaultdict(list)
    seen: set[tuple] = set()
    for d, f, ln, q, od, of, ol, oq in cand[
            ["district_id", "source_file", "line", "quote", "other_district",
             "other_source_file", "other_line", "other_quote"]].itertuples(index=False):
        (d, f, ln, q), (od, of, ol, oq) = sorted([(d, f, int(ln), q), (od, of, int(ol), oq)])
        if (f, ln, q, of, ol, oq) in seen:
            continue
        seen.add((f, ln, q, of, ol, oq))
        a_line, b_line = raw_lines[f][ln - 1], raw_lines[of][ol - 1]
        oa, ob = max(a_line.find(q), 0), max(b_line.find(oq), 0)
        a = a_line[oa:oa + len(q) + EXTEND]
        b = b_line[ob:ob + len(oq) + EXTEND]
        for block in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks():
            if block.a < len(q) and len(_DROP_RE.sub("", a[block.a:block.a + block.size])) \
                    >= min_len:
                spans[(d, f, ln, od, of, ol)].append(
                    (oa + block.a, oa + block.a + block.size, ob + block.b, block.size))
    rows = []
    for (d, f, ln, od, of, ol), found in spans.items():
        for start, end, other, _size in _outermost(found):
            quote = raw_lines[f][ln - 1][start:end]
            trimmed = quote.lstrip(EDGE_PUNCT)
            other += len(quote) - len(trimmed)
            quote = trimmed.rstrip(EDGE_PUNCT)
            rows.append((len(_DROP_RE.sub("", quote)), d, f, ln, quote, od, of, ol,
                         raw_lines[of][ol - 1][other:other + len(quote)]))
    rows.sort(key=lambda r: (-r[0], r[1], r[2], r[3], r[4]))
    out = pd.DataFrame(rows, columns=["length", "district_id", "source_file", "line", "quote",
                                      "other_district", "other_source_file", "other_line",
                                      "other_quote"])
    return out.head(top).reset_index(drop=True) if top else out


#: How far past the end of a candidate sentence a shared passage is followed (characters).
EXTEND = 300


def _outermost(spans: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """The spans (start, end, other start, size) not contained in a longer one."""
    out: list[tuple[int, int, int, int]] = []
    for span in sorted(set(spans), key=lambda s: (s[0], -s[1])):
        if out and span[1] <= out[-1][1]:
            continue
        out.append(span)
    return out
