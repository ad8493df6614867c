"""Sentences of the task text with their provenance, and jieba tokens of a sentence.

A *unit* of the text analyses is one sentence of a task (its heading, then the sentences of its
body) or of a task-list measure (its text). Sentences end at 。！？!? (the mark stays in the
sentence) or at a line end; every sentence is an exact substring of one raw line, so each
carries ``source_file``, ``line`` and ``quote`` like every row of the dataset.

Segmentation uses jieba with the shipped user dictionary (:mod:`.lexicon`). jieba is quiet
(its logger is silenced) and its 9 MB prefix-dictionary cache lives in a directory of
its own under the system temp dir; jieba writes the cache to a temporary file and renames it,
so parallel runs never read half a file, and a read-only temp dir only costs the 0.6 s rebuild.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..parse.text import normalise, to_simplified
from . import lexicon

if TYPE_CHECKING:
    import pandas as pd

#: Sentence ends: the mark belongs to the sentence it closes.
SENTENCE_RE = re.compile(r"[^。！？!?\n]+[。！？!?]*")
#: A token counts as a term when it has a CJK character or is a Latin word of 2+ letters.
TERM_RE = re.compile(r"^(?:[\u4e00-\u9fff]{2,}|[\u4e00-\u9fff]+[A-Za-z+]+|[A-Za-z+]{2,})$")
UNIT_TYPES = ("task", "measure")
SENTENCE_COLUMNS = ("district_id", "district_zh", "item_type", "item_key", "theme_id",
                    "sentence", "part", "source_file", "line", "quote", "text")


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` in order, stripped; each is a substring of ``text``.

    Parameters
    ----------
    text : str
        One paragraph or several lines.

    Returns
    -------
    list of str
        ``"甲。乙！丙"`` -> ``["甲。", "乙！", "丙"]``; blank pieces are dropped.
    """
    return [s for s in (m.group().strip() for m in SENTENCE_RE.finditer(text or "")) if s]


def row_paragraphs(item_type: str, name: str | None, body: str | None) -> list[tuple[str, str]]:
    """The text of one task or measure as (part, paragraph): the task's heading, then its body
    lines; a measure's body (its whole text, which starts with its name) or else its name."""
    name, body = name or "", body or ""
    if item_type == "measure":
        paras = body.split("\n") if body else [name]
        return [("body", p) for p in paras if p.strip()]
    out = [("heading", name)] if name.strip() else []
    return out + [("body", p) for p in body.split("\n") if p.strip()]


def row_sentences(item_type: str, name: str | None, body: str | None) -> list[tuple[str, str]]:
    """(part, sentence) of one task or measure in order; sentence numbers are positions + 1."""
    return [(part, s) for part, para in row_paragraphs(item_type, name, body)
            for s in split_sentences(para)]


def for_matching(text: str) -> str:
    """The text rules and n-grams see: NFKC (half-width), then Traditional as Simplified."""
    return to_simplified(normalise(text))


# --- sentences with provenance ----------------------------------------------------------------

@dataclass
class Located:
    """Where the sentences of the curated rows were found, and what could not be found."""

    sentences: pd.DataFrame
    problems: list[str]


def sentences(frame: pd.DataFrame, root: Path | None = None) -> Located:
    """Every sentence of the task and measure rows of ``frame`` with file, line and quote.

    Each paragraph of a row (heading, body lines) is looked up in the raw file, from the row's
    line onwards, among the next :data:`SEARCH_LINES` lines; a paragraph not found there is
    listed in ``problems`` (never silently dropped from the counts: its sentences keep the
    row's own line and are flagged).

    Parameters
    ----------
    frame : DataFrame
        The curated frame.
    root : Path, optional
        Project root whose ``data/raw`` holds the source files.

    Returns
    -------
    Located
        ``sentences``: one row per sentence (:data:`SENTENCE_COLUMNS`; ``text`` is
        :func:`for_matching` of the quote); ``problems``: paragraphs not found.
    """
    import pandas as pd

    from .. import paths
    from ..parse.ingest import read_document

    rows = frame[frame["item_type"].isin(UNIT_TYPES)]
    out: list[dict] = []
    problems: list[str] = []
    docs: dict[str, list[str]] = {}
    for r in rows.itertuples(index=False):
        path = str(r.source_file)
        if path not in docs:
            doc = read_document(paths.raw_dir(root) / path, display_path=path)
            docs[path] = [ln.raw for ln in doc.lines]
        out += _locate_row(r, docs[path], problems)
    table = pd.DataFrame(out, columns=list(SENTENCE_COLUMNS))
    return Located(table.astype({"line": "int64", "sentence": "int64"}), problems)


#: How far below a row's first line its body paragraphs are looked for.
SEARCH_LINES = 400


def _locate_row(r, raw: list[str], problems: list[str]) -> Iterator[dict]:
    start = int(r.line) - 1
    number = 0
    for part, para in row_paragraphs(r.item_type, _text(r.name_raw), _text(r.body)):
        found = next((i for i in range(start, min(len(raw), start + SEARCH_LINES))
                      if para in raw[i]), None)
        if found is None:
            problems.append(f"{r.source_file}:{r.line} {r.item_key}: paragraph not found in "
                            f"the raw file: {para[:30]}…")
            found = start
        else:
            start = found
        for sentence in split_sentences(para):
            number += 1
            yield {"district_id": r.district_id, "district_zh": r.district_zh,
                   "item_type": r.item_type, "item_key": r.item_key, "theme_id": r.theme_id,
                   "sentence": number, "part": part, "source_file": r.source_file,
                   "line": found + 1, "quote": sentence, "text": for_matching(sentence)}


def _text(value) -> str:
    return value if isinstance(value, str) else ""


# --- tokens -----------------------------------------------------------------------------------

def cache_dir() -> str:
    """jieba's cache directory: ``<temp>/plancompare-jieba`` (created when missing)."""
    path = os.path.join(tempfile.gettempdir(), "plancompare-jieba")
    try:
        os.makedirs(path, exist_ok=True)
    except OSError:
        return tempfile.gettempdir()   # jieba then logs (silenced) and rebuilds in memory
    return path


@cache
def tokenizer():
    """A jieba ``Tokenizer`` with the user dictionary, quiet, caching under :func:`cache_dir`."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # jieba imports pkg_resources where it exists
        import jieba
    # jieba logs its progress (debug) and a failed cache write (an error with traceback, which
    # only costs the rebuild): neither belongs in a report, so its logger is silenced.
    jieba.setLogLevel(logging.CRITICAL + 1)
    tok = jieba.Tokenizer()
    tok.tmp_dir = cache_dir()
    tok.initialize()
    for term, freq in lexicon.user_terms():
        tok.add_word(term, freq)
    return tok


def tokens(text: str) -> list[str]:
    """jieba tokens of ``text`` (already :func:`for_matching`), all of them, in order."""
    return [t for t in tokenizer().lcut(text) if t.strip()]


def terms(text: str) -> list[str]:
    """The countable terms of ``text``: tokens that :data:`TERM_RE` accepts (no digits, no
    punctuation, no single characters) and that are not in the stop list."""
    stop = lexicon.stopwords()
    return [t for t in tokens(text) if TERM_RE.match(t) and t not in stop]
