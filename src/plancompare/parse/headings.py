"""Heading forms: which numbering a line opens with (第X章, 一、, （一）, 1., ①, 一是 ...).

The forms are data (``words/headings.toml``). A form says nothing about a level: a plan may use
第一章 / 第一节 / 一、 / （一） in any combination, so a level is the rank of a form in the order
the forms first appear within a part (see :func:`rank_forms`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from . import vocabulary
from .ingest import Line

_WORDS = "headings"


@dataclass(frozen=True)
class Heading:
    """A line that opens with a heading form."""

    form: str        # key in words/headings.toml [forms], or "plain" for an unnumbered heading
    title: str       # the name as printed (Line.text from the title's start)
    start: int       # offset of the title in Line.text
    inline: bool     # a numbered line that goes on into body text ("1.title。body")


@functools.cache
def _forms() -> tuple[tuple[str, re.Pattern[str]], ...]:
    numerals = vocabulary.get(_WORDS, "numerals")
    out = []
    for form, regex in vocabulary.get(_WORDS, "forms").items():
        for name, value in numerals.items():
            regex = regex.replace("{" + name + "}", value)
        out.append((form, re.compile(r"\s*(?:" + _prefix().pattern + r")?(?:" + regex + r")$",
                                     re.DOTALL)))
    return tuple(out)


@functools.cache
def _prefix() -> re.Pattern[str]:
    return re.compile(vocabulary.get(_WORDS, "prefix.pattern"))


def plain_heading(line: Line) -> Heading:
    """``line`` as an unnumbered heading: its title without a heading mark (``## 发展目标``)."""
    m = _prefix().match(line.text)
    start = m.end() if m else 0
    return Heading("plain", line.text[start:], start, False)


@functools.cache
def limit(name: str) -> int:
    """An integer from ``[limits]`` of headings.toml."""
    return int(vocabulary.get(_WORDS, f"limits.{name}"))


@functools.cache
def _marks(name: str) -> frozenset[str]:
    return frozenset(vocabulary.words(_WORDS, f"marks.{name}"))


@functools.cache
def _opener_re() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in vocabulary.words(_WORDS, "marks.list_item")
                               + vocabulary.words(_WORDS, "marks.table_row")))


def ends_sentence(text: str) -> bool:
    """True when ``text`` ends with a sentence end (closing quotes/brackets after it allowed)."""
    text = text.rstrip()
    closers = _marks("closers")
    while text and text[-1] in closers:
        text = text[:-1]
    return bool(text) and text[-1] in _marks("sentence_end")


def has_sentence_punct(text: str) -> bool:
    """True when ``text`` holds punctuation a heading does not (。，；： ...)."""
    marks = _marks("sentence_punct")
    return any(ch in marks for ch in text)


def heading_form(line: Line) -> Heading | None:
    """The numbered heading form ``line`` opens with, or None.

    Parameters
    ----------
    line : Line
        A content line; matched on ``Line.match`` (folded, Simplified).

    Returns
    -------
    Heading or None
        ``inline`` is True when the line is longer than a heading or holds a sentence end before
        its last character (an item with its body on the same line).
    """
    text = line.match
    for form, regex in _forms():
        m = regex.match(text)
        if m is None or not m.group("title").strip():
            continue
        start = m.start("title")
        title = line.text[start:]
        inline = (len(line.text) > limit("heading_max_chars")
                  or any(ch in _marks("sentence_end") for ch in text[start:].rstrip()[:-1]))
        return Heading(form, title, start, inline)
    return None


def is_plain_heading(line: Line) -> bool:
    """A short unnumbered line without sentence punctuation (``职业教育提质培优``).

    Only a candidate: whether a document uses such lines as headings is decided per part.
    """
    text = line.match
    return (2 <= len(text) <= limit("plain_max_chars") and not has_sentence_punct(text)
            and not ends_sentence(text) and line.raw[:1] != "\t" and not opens_item(line)
            and not any(ch.isdigit() for ch in text[:1]))


def opens_item(line: Line) -> bool:
    """True when the line opens a list item (—— - •) or a table row (tab, ``|``)."""
    return bool(_opener_re().match(line.raw)) or bool(_opener_re().match(line.match))


def opens_block(line: Line) -> bool:
    """True when a line starts something new: a heading form, a list item or a table row."""
    return opens_item(line) or heading_form(line) is not None


def rank_forms(forms: list[str]) -> dict[str, int]:
    """Level of each form: its rank in the order the forms first appear (1-based).

    >>> rank_forms(["chapter", "section", "num_dot", "section", "cn_paren"])
    {'chapter': 1, 'section': 2, 'num_dot': 3, 'cn_paren': 4}
    """
    out: dict[str, int] = {}
    for form in forms:
        out.setdefault(form, len(out) + 1)
    return out
