"""Apply the indicator crosswalk and the theme codebook (reference/*.csv) to the parsed frame."""

from __future__ import annotations

import warnings
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import pandas as pd

from . import mapping, paths, reference
from .parse.tasks import LEAD_MAX_CHARS, lead_sentence
from .textanalysis import instruments

HARMONISED = ("indicator_id", "theme_id", "theme_rule", "theme_secondary", "theme_text")
#: At most this many secondary themes are listed (name hits first, then body hits).
MAX_SECONDARY = 4
#: A body theme is listed as secondary when it scores at least this share of the top body score
#: and at least MIN_BODY_SCORE weighted keyword hits.
SECONDARY_SHARE = 0.25
MIN_BODY_SCORE = 3


@dataclass
class Verdict:
    """The theme of one item and why."""

    theme_id: str
    rule: str
    secondary: list[str] = field(default_factory=list)

    def columns(self) -> tuple[str, str, str | None]:
        second = [t for t in dict.fromkeys(self.secondary) if t != self.theme_id]
        return self.theme_id, self.rule, ";".join(second[:MAX_SECONDARY]) or None


def harmonise(frame: pd.DataFrame, *, warn_unused: bool = True) -> pd.DataFrame:
    """Fill indicator_id, theme_id, theme_rule, theme_secondary and theme_text.

    Parameters
    ----------
    frame : DataFrame
        The parsed long-format frame (``model.ALL_COLUMNS``); it is not modified.
    warn_unused : bool
        Warn (``warnings.warn``) once per crosswalk entry that matched no row and per override
        whose item matches no row of a district in ``frame``.

    Returns
    -------
    DataFrame
        A copy of ``frame`` with the five columns filled (theme_text: :func:`theme_text`).

    Warns
    -----
    UserWarning
        Table indicators that are not in the crosswalk, all listed in one warning.
    """
    out = frame.copy()
    for col in HARMONISED:
        if col not in out:
            out[col] = None
    mapped = map_indicators(out)
    out["indicator_id"] = mapped["indicator_id"].astype(object)
    out["indicator_rule"] = mapped["indicator_rule"].astype("str")
    out["indicator_score"] = mapped["indicator_score"]
    _check_table_indicators(out)
    themer = Themer(out)
    verdicts = themer.run()
    _apply_overrides(out, verdicts, warn=warn_unused)
    cols = [v.columns() for v in verdicts]
    out["theme_id"] = pd.array([c[0] for c in cols], dtype="str")
    out["theme_rule"] = pd.array([c[1] for c in cols], dtype="str")
    out["theme_secondary"] = pd.array([c[2] for c in cols], dtype="str")
    out["theme_text"] = pd.array(themer.theme_texts([c[0] for c in cols]), dtype="str")
    out["indicator_id"] = out["indicator_id"].astype("str")
    out = instruments.apply(out)  # instruments, instrument_rule (docs/text-analysis.md)
    if warn_unused:
        _warn_unused_crosswalk(out)
    return out


# --- indicators --------------------------------------------------------------------------------

def match_indicator(name: str, *, source: str = "table", unit: str | None = None) -> str | None:
    """The indicator_id of a raw indicator name, or None (:func:`mapping.map_name`)."""
    return mapping.map_name(name, source=source, unit=unit).indicator_id


def map_indicators(frame: pd.DataFrame) -> pd.DataFrame:
    """indicator_id, indicator_rule and indicator_score of every row of ``frame``.

    Indicator rows of every role (target, baseline, achieved) are mapped with
    :func:`mapping.map_name` (name, source and unit); other rows get None.
    """
    ids, rules, scores = [], [], []
    for kind, name, source, unit, value in zip(frame["item_type"], frame["name_raw"],
                                               frame["source"], frame["unit"],
                                               frame["value_text"], strict=True):
        if kind != "indicator" or not isinstance(name, str):
            ids.append(None)
            rules.append(None)
            scores.append(None)
            continue
        hit = mapping.map_name(name, source=source, unit=unit if isinstance(unit, str) else None,
                               value_text=value if isinstance(value, str) else None)
        ids.append(hit.indicator_id)
        rules.append(hit.rule)
        scores.append(hit.score)
    continue_lists(frame, ids, rules, scores)
    return pd.DataFrame({"indicator_id": ids, "indicator_rule": rules,
                         "indicator_score": pd.array(scores, dtype="float64")},
                        index=frame.index)


def continue_lists(frame: pd.DataFrame, ids: list, rules: list, scores: list) -> None:
    """A short unmapped clause continues the indicator of the clause before it (in place).

    Plans list one indicator by stage or group without repeating its name
    (``每天开设1节美育课，小学每周不少于3节，初中每周2-3节``): a text row whose normalised name has
    at most :data:`mapping.CONTINUE_MAX_CHARS` characters, left unmapped, takes the indicator
    of the previous indicator row on the same line of the same file when both print the same
    unit, and its clause opens right after a separator (:func:`mapping.continues`). The rule
    says which row it continues.
    """
    previous: dict[tuple, tuple[int, str | None]] = {}
    cols = ("item_type", "source", "district_id", "source_file", "line", "unit", "name_raw",
            "value_text", "quote")
    for i, (kind, source, district, path, line, unit, name, value, quote) in enumerate(
            zip(*(frame[c] for c in cols), strict=True)):
        if kind != "indicator" or source == "table" or not isinstance(name, str):
            continue
        where = (district, path, line)
        before = previous.get(where)
        previous[where] = (i, unit)
        short = len(reference.normalise_name(name)) <= mapping.CONTINUE_MAX_CHARS
        if (ids[i] is None and short and before and ids[before[0]] and before[1] == unit
                and mapping.continues(name, value if isinstance(value, str) else None,
                                      quote if isinstance(quote, str) else "")):
            ids[i] = ids[before[0]]
            rules[i] = f"continues {frame['item_key'].iat[before[0]]}"
            scores[i] = None
    _clauses(frame, ids, rules, scores)


def _clauses(frame: pd.DataFrame, ids: list, rules: list, scores: list) -> None:
    """Unmapped text rows: the one indicator whose pattern occurs in the value's clause."""
    cols = ("item_type", "source", "quote", "value_text", "unit")
    for i, (kind, source, quote, value, unit) in enumerate(
            zip(*(frame[c] for c in cols), strict=True)):
        if kind != "indicator" or source == "table" or ids[i] is not None:
            continue
        hit = mapping.map_clause(quote if isinstance(quote, str) else "",
                                 value if isinstance(value, str) else None,
                                 unit if isinstance(unit, str) else None)
        if hit is not None:
            ids[i], rules[i], scores[i] = hit.indicator_id, hit.rule, None


def _check_table_indicators(frame: pd.DataFrame) -> None:
    """Warn once, listing every table indicator name the codebook does not know.

    A new district's table may name an indicator the codebook lacks: its rows are kept with an
    empty indicator_id (listed in the data-quality report) and the warning says how to map it,
    so one unknown name never stops a build or an extract.
    """
    bad = frame[frame["item_type"].eq("indicator") & frame["source"].eq("table")
                & frame["indicator_id"].isna()]
    if bad.empty:
        return
    rows = bad.drop_duplicates(["district_id", "name_raw"])
    listed = "\n".join(f"  - `{r.name_raw}` ({r.district_id}, {r.source_file}:{r.line})"
                       for r in rows.itertuples())
    warnings.warn(
        f"{len(rows)} table indicator name(s) are not in the indicator crosswalk (kept with an "
        f"empty indicator_id):\n{listed}\n  fix: add the name to aliases in "
        f"{paths.reference_file('crosswalk.csv')} (or a new row for a new indicator), or a "
        "decision to reference/indicator_reviews.csv", stacklevel=3)


def _warn_unused_crosswalk(frame: pd.DataFrame) -> None:
    """One warning naming every codebook entry and every review that matched no row.

    A codebook of national, provincial and city indicators is larger than any one set of
    plans, so unused entries are listed in one message rather than one warning each.
    """
    used = set(frame["indicator_id"].dropna())
    unused = [i for i in reference.crosswalk()["indicator_id"] if i not in used]
    if unused:
        warnings.warn(f"crosswalk entry ids that matched no indicator row ({len(unused)}): "
                      + ", ".join(unused), stacklevel=3)
    names = {reference.normalise_name(n) for n in
             frame.loc[frame["item_type"].eq("indicator"), "name_raw"].dropna()}
    stale = [n for n in reference.indicator_reviews()["name_raw"]
             if reference.normalise_name(n) not in names]
    if stale:
        warnings.warn(f"{len(stale)} indicator review(s) matched no name: " + ", ".join(stale),
                      stacklevel=3)


# --- themes ------------------------------------------------------------------------------------

class Themer:
    """Assign one primary theme per row: crosswalk, headings, bodies, children, parents."""

    def __init__(self, frame: pd.DataFrame):
        self.rows = _records(frame, ["district_id", "item_type", "item_key", "parent_key",
                                     "level", "name_raw", "body", "body_chars", "quote",
                                     "indicator_id", "source_file", "line", "line_end",
                                     "section"])
        self.rules = reference.compiled_rules()
        cw = reference.crosswalk()
        self.crosswalk = dict(zip(cw["indicator_id"], cw["theme_id"], strict=True))
        self.memo: dict[tuple, Verdict] = {}

    def run(self) -> list[Verdict]:
        """Verdicts in row order: leaves, then their parents, measures, then indicators."""
        verdicts: list[Verdict | None] = [None] * len(self.rows)
        children = self._children()
        items = [i for i, r in enumerate(self.rows) if r["item_type"] != "indicator"]
        by_key: dict[tuple[str, str], Verdict] = {}
        for i in sorted(items, key=lambda i: self._rank(i, children)):
            row = self.rows[i]
            verdicts[i] = self._verdict(row, children.get(_key(row), []), by_key)
            if row["item_type"] == "task":
                by_key[_key(row)] = verdicts[i]
        containers = self._containers(verdicts)
        for i, row in enumerate(self.rows):
            if row["item_type"] == "indicator":
                verdicts[i] = self._indicator(row, containers)
        return verdicts  # type: ignore[return-value]

    def theme_texts(self, themes: list[str]) -> list[str | None]:
        """:func:`theme_text` of every finest-level task (None for other rows), given the final
        primary theme of every row (after overrides)."""
        children = self._children()
        out: list[str | None] = []
        for row, theme in zip(self.rows, themes, strict=True):
            leaf = row["item_type"] == "task" and _key(row) not in children
            out.append(self.theme_text(row, theme) if leaf else None)
        return out

    def theme_text(self, row: dict, theme: str) -> str | None:
        """Characters of a task's body per theme, ``"moral_education=289;arts_education=345"``.

        The body is split into paragraphs (its lines). A paragraph that opens with a lead
        sentence (:func:`tasks.lead_sentence`: at most ``LEAD_MAX_CHARS`` characters before the
        first 。, more text after it) is themed by that sentence with the heading rules
        (:meth:`classify`, the rest of the paragraph breaking ties), when a decisive ``name:``
        rule fires. Every other paragraph - no lead sentence, only a weak or no hit - keeps the
        task's primary ``theme``. When the task's own title is an inline lead sentence (its
        quote ends with 。: Haidian, anon1), the first paragraph is the rest of that sentence's
        paragraph and keeps ``theme`` too. Each paragraph counts with its ``\\n`` separator, so the
        characters sum to ``body_chars``. Themes are listed in order of first paragraph.
        """
        body = _text(row["body"])
        if not body:
            return None
        inline = _text(row["quote"]).endswith("。")
        chars: Counter = Counter()
        paragraphs = body.split("\n")
        for i, para in enumerate(paragraphs):
            size = len(para) + (i < len(paragraphs) - 1)
            chars[self._paragraph_theme(para, theme) if i or not inline else theme] += size
        return ";".join(f"{t}={n}" for t, n in chars.items())

    def _paragraph_theme(self, paragraph: str, theme: str) -> str:
        split = lead_sentence(paragraph, LEAD_MAX_CHARS)
        if split is None:
            return theme
        verdict = self.classify(*split)
        decisive = verdict.rule.startswith("name:") and not verdict.rule.endswith("(weak)")
        return verdict.theme_id if decisive else theme

    def _containers(self, verdicts: list) -> dict[tuple[str, str], list[tuple]]:
        """Per (district, file): (first line, part, key, verdict) of every task, project and
        measure, sorted by line. Each owns the lines up to the next one (its body or content:
        projects and tasks record only their title lines)."""
        out: dict[tuple[str, str], list[tuple]] = defaultdict(list)
        for row, verdict in zip(self.rows, verdicts, strict=True):
            if row["item_type"] != "indicator":
                out[(row["district_id"], row["source_file"])].append(
                    (int(row["line"]), row["section"], row["item_key"], verdict))
        for spans in out.values():
            spans.sort(key=lambda s: s[0])
        return out

    def _indicator(self, row: dict, containers: dict) -> Verdict:
        """Crosswalk theme; else the theme of the task/project/measure the target sits in
        (unless that is a bundle heading); else the target's own name, then its quote."""
        if isinstance(row["indicator_id"], str):
            return Verdict(self.crosswalk[row["indicator_id"]],
                           f"crosswalk:{row['indicator_id']}")
        own = self.classify(_text(row["name_raw"]), _text(row["quote"]))
        host = _host(row, containers.get((row["district_id"], row["source_file"]), []))
        if host is None or host[3].rule.startswith(("broad", "children")):
            return own
        return Verdict(host[3].theme_id, f"within:{host[2]}", [own.theme_id, *own.secondary])

    def _children(self) -> dict[tuple[str, str], list[dict]]:
        out: dict[tuple[str, str], list[dict]] = defaultdict(list)
        for row in self.rows:
            if row["item_type"] == "task" and isinstance(row["parent_key"], str):
                out[(row["district_id"], row["parent_key"])].append(row)
        return out

    def _rank(self, i: int, children: dict) -> int:
        row = self.rows[i]
        if row["item_type"] == "measure":
            return 2
        return 1 if _key(row) in children else 0

    def _verdict(self, row: dict, kids: list[dict], done: dict) -> Verdict:
        kind = row["item_type"]
        name, body = _text(row["name_raw"]), _text(row["body"])
        broad = self.rules.broad.scan(name) if kind == "task" else []
        if broad:
            return self._broad(broad[0], body, kids, done)
        verdict = self.classify(name, body)
        if kind == "task" and kids and verdict.rule.startswith(("body", "none")):
            return _majority(kids, done, "children:majority")
        if kind == "measure" and not verdict.rule.startswith("name:"):
            parent = done.get((row["district_id"], row["parent_key"]))
            if parent is not None:
                return Verdict(parent.theme_id, f"parent:{row['parent_key']}",
                               [t for t in verdict.secondary + [verdict.theme_id]])
        return verdict

    def _broad(self, hit: tuple, body: str, kids: list[dict], done: dict) -> Verdict:
        """A heading naming a bundle of areas: children's majority, else its rule or body."""
        theme, _, word, _ = hit
        if kids:
            return _majority(kids, done, f"children:majority (broad heading: {word})")
        from_body = self.classify("", body, prefix=f"broad heading: {word}; ")
        if not theme:
            return from_body
        return Verdict(theme, f"broad:keyword={word}", [from_body.theme_id, *from_body.secondary])

    def classify(self, name: str, body: str, *, prefix: str = "") -> Verdict:
        """Theme a (heading, body) pair: the heading decides, the body breaks ties."""
        memo_key = (name, body, prefix)
        if memo_key not in self.memo:
            self.memo[memo_key] = self._classify(name, body, prefix)
        return self.memo[memo_key]

    def _classify(self, name: str, body: str, prefix: str) -> Verdict:
        hits = self._name_hits(name)
        scores, words, first = self._body_scores(body)
        secondary = sorted(hits, key=lambda t: -hits[t][0]) + _body_secondary(scores)
        best = max((w for w, _, _ in hits.values()), default=0)
        if best >= 2:
            tied = [t for t, (w, _, _) in hits.items() if w == best]
            theme = min(tied, key=lambda t: (-scores.get(t, 0), hits[t][2]))
            rule = f"name:keyword={hits[theme][1]}"
            if len(tied) > 1:
                rule += " (tie broken by body)"
            return Verdict(theme, prefix + rule, secondary)
        if scores:
            theme = min(scores, key=lambda t: (-scores[t], first[t]))
            word = max(words[theme], key=words[theme].get)
            weak = f" (weak name hint: {next(iter(hits.values()))[1]})" if hits else ""
            return Verdict(theme, f"{prefix}body:keyword={word}{weak}", secondary)
        if hits:
            theme = next(iter(hits))
            return Verdict(theme, f"{prefix}name:keyword={hits[theme][1]} (weak)", secondary)
        return Verdict(reference.CATCH_ALL, prefix + "none: no rule fired")

    def _name_hits(self, name: str) -> dict[str, tuple[int, str, int]]:
        """Per theme: (highest weight, its keyword, its position) of the heading's hits."""
        hits: dict[str, tuple[int, str, int]] = {}
        for theme, weight, word, pos in self.rules.name.scan(name):
            if weight > hits.get(theme, (0, "", 0))[0]:
                hits[theme] = (weight, word, pos)
        return hits

    def _body_scores(self, body: str) -> tuple[Counter, dict[str, Counter], dict[str, int]]:
        """Weighted keyword hits per theme, hits per keyword, first hit position per theme."""
        scores: Counter = Counter()
        words: dict[str, Counter] = defaultdict(Counter)
        first: dict[str, int] = {}
        for theme, weight, word, pos in self.rules.body.scan(body):
            scores[theme] += weight
            words[theme][word] += weight
            first.setdefault(theme, pos)
        return scores, words, first


def _records(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    """``frame[columns].to_dict("records")`` (NA as None), four times faster: one ``tolist``
    per column instead of boxing every cell of the arrow-backed text columns."""
    na = pd.NA
    values = [[None if v is na else v for v in frame[c].tolist()] for c in columns]
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]


def _body_secondary(scores: Counter) -> list[str]:
    if not scores:
        return []
    top = max(scores.values())
    return [t for t, s in scores.most_common()
            if s >= MIN_BODY_SCORE and s >= SECONDARY_SHARE * top]


def _majority(kids: list[dict], done: dict, label: str) -> Verdict:
    chars: Counter = Counter()
    count: Counter = Counter()
    for kid in kids:
        theme = done[_key(kid)].theme_id
        chars[theme] += int(kid["body_chars"] or 0)
        count[theme] += 1
    order = sorted(count, key=lambda t: (-chars[t], -count[t]))
    theme = order[0]
    total = sum(chars.values()) or 1
    rule = (f"{label}: {count[theme]} of {len(kids)} sub-tasks, "
            f"{chars[theme] / total:.0%} of their text")
    return Verdict(theme, rule, order[1:])


def _host(row: dict, spans: list[tuple]) -> tuple | None:
    """The task, project or measure whose lines hold the indicator row (same part of the
    document, last one starting on or before the row's line)."""
    line = int(row["line"])
    host = None
    for span in spans:
        if span[0] > line:
            break
        host = span
    return host if host is not None and host[1] == row["section"] else None


def _key(row: dict) -> tuple[str, str]:
    return row["district_id"], row["item_key"]


def _text(value) -> str:
    return value if isinstance(value, str) else ""


# --- overrides ---------------------------------------------------------------------------------

def _apply_overrides(frame: pd.DataFrame, verdicts: list[Verdict], *, warn: bool) -> None:
    overrides = reference.theme_overrides()
    if overrides.empty:
        return
    positions: dict[tuple[str, str], list[int]] = defaultdict(list)
    for pos, key in enumerate(zip(frame["district_id"], frame["item_key"], strict=True)):
        positions[key].append(pos)
    districts = set(frame["district_id"])
    for district, key, theme, reason in overrides.itertuples(index=False):
        hits = positions.get((district, key), [])
        if not hits and warn and district in districts:
            warnings.warn(f"theme override for {district} `{key}` matches no item "
                          "(theme_overrides.csv)", stacklevel=3)
        for pos in hits:
            old = verdicts[pos]
            verdicts[pos] = Verdict(theme, f"override:{reason}",
                                    [old.theme_id, *old.secondary])
