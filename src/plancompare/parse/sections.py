"""Section splitter: assign every content line to a top-level part of the plan.

Parts: ``front`` (title, notice, preamble), ``background`` (previous-period review and situation),
``guiding`` (guiding ideology, principles), ``goals``, ``tasks``, ``implementation`` (safeguards,
organisation), ``annex`` (key-project tables, task lists). Quantified targets are only read from
goals, tasks, implementation and annex.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .ingest import Document, Line

PARTS = ("front", "background", "guiding", "goals", "tasks", "implementation", "annex")
TARGET_PARTS = frozenset({"goals", "tasks", "implementation", "annex"})

CN_NUM = "一二三四五六七八九十"
TOP_HEADING_RE = re.compile(rf"^([{CN_NUM}]+)、\s*(\S.*)$")
# A short standalone line that opens an annex table.
ANNEX_RE = re.compile(r"^(附表|附件|附录)|一览表$|任务清单|重点项目$|重点项目[(（]|大工程$")
SENTENCE_PUNCT_RE = re.compile(r"[。；，,;]")

_PART_KEYWORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("tasks", re.compile(r"主要任务|重点任务|重点工作|任务举措")),
    ("goals", re.compile(r"目标|总体要求")),
    ("implementation", re.compile(r"保障|组织实施|实施|措施")),
    ("background", re.compile(r"基础|形势|回顾|现状|成就|背景")),
    ("guiding", re.compile(r"指导思想|基本原则|总体要求|总体思路|原则")),
)


@dataclass(frozen=True)
class TopHeading:
    line: int
    numeral: str
    title: str
    part: str


def classify_heading(title: str) -> str:
    """Map a top-level heading title (一、...) to a part; 'guiding' when nothing matches."""
    for part, pattern in _PART_KEYWORDS:
        if pattern.search(title):
            return part
    return "guiding"


def is_annex_title(line: Line) -> bool:
    """A short line without sentence punctuation that names an annex table."""
    text = line.norm.strip()
    return (len(text) <= 45 and not SENTENCE_PUNCT_RE.search(text)
            and bool(ANNEX_RE.search(text)))


def top_headings(doc: Document) -> list[TopHeading]:
    out = []
    for ln in doc.content_lines():
        m = TOP_HEADING_RE.match(ln.norm)
        if m and len(ln.text) <= 40 and "。" not in ln.text:
            out.append(TopHeading(ln.no, m.group(1), m.group(2).strip(),
                                  classify_heading(m.group(2))))
    return out


def assign_parts(doc: Document, start_section: str | None = None) -> dict[int, str]:
    """Return ``{line_no: part}`` for every content line.

    ``start_section`` is the part the file opens in (for excerpts of a longer plan, declared in
    the manifest); by default a file opens in ``front``.
    """
    if start_section is not None and start_section not in PARTS:
        raise ValueError(f"unknown start_section {start_section!r}; known: {', '.join(PARTS)}")
    heads = {h.line: h.part for h in top_headings(doc)}
    part = start_section or "front"
    parts: dict[int, str] = {}
    for ln in doc.content_lines():
        if ln.no in heads:
            part = heads[ln.no]
        elif part != "annex" and is_annex_title(ln):
            part = "annex"
        parts[ln.no] = part
    return parts
