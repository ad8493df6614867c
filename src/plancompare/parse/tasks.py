"""Main-task hierarchy: level-1 and level-2 task headings, and 责任单位 in the text.

Rules (the golden files in tests/golden/ are the spec for the seed plans):

- The lines read are the task part (``tasks``); in a document without any recognised part (an
  excerpt, a news report, one chapter) every line, but there only numbered headings make tasks.
- A heading's level is the rank of its form within the part (``sections.structure``): the first
  form the task part uses (（一）, 第一节, 1., 一是 ...) is level 1, the second level 2; deeper
  headings are body text. A task chapter (an unknown-titled part heading after the goals) is
  itself a level-1 task.
- Text is read by paragraph (``parse.paragraphs``), so a hard-wrapped body line is never an extra
  sub-task; quotes and lines still point at the raw lines.
- Level 2 has two shapes: a heading line without 。 (``name_raw`` is the line without its
  number, ``body`` every paragraph up to the next heading), and an inline item
  ``1.全面推动…进头脑。将习近平…`` (``name_raw`` up to the first 。, ``body`` the rest). An
  enumeration form (一是…) ends its name at the first clause mark.
- A task part whose level-1 tasks have *no* level-2 form at all (Haidian) takes the lead sentence
  of each paragraph as level 2: a first sentence of at most :data:`LEAD_MAX_CHARS` characters
  followed by more text; the summary that opens each section stays the level-1 body.
- A level-1 heading without sub-tasks in a plan that numbers them elsewhere (Daxing （五）) gets
  no level-2 items: its paragraphs are its body. Text before the first level-1 heading is not a
  task (the structure report counts it as unread).
- When the task part has no headings in the body but the table of contents lists them (an
  excerpt holding only the notice and the TOC), the TOC entries are the tasks (source ``toc``,
  the page number cut off).
- ``body`` never repeats ``name_raw``. A trailing ``（责任单位：区文旅局、区体育局）`` is removed from
  the body and split into ``responsible_units`` (on 、，,；;).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Item
from . import vocabulary
from .ingest import Document, Line
from .paragraphs import Paragraph, paragraphs
from .sections import HeadingLine, structure

CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
#: A （一） heading (kept for the task-list parser, which links measures to these headings).
LEVEL1_RE = re.compile(r"^[(（]([一二三四五六七八九十]+)[)）]\s*(\S.*)$")
UNITS_RE = re.compile(r"[（(]\s*责任单位\s*[：:]\s*([^（）()]*)[）)]\s*$")
UNIT_SPLIT_RE = re.compile(r"[、，,；;]")
#: Longest lead sentence (characters before the first 。) taken as a sub-task title.
LEAD_MAX_CHARS = 30
#: Longest first sentence of an inline numbered sub-task (``1.title。body``).
INLINE_MAX_CHARS = 80


@dataclass
class _Node:
    """A task being collected: its heading and the paragraphs under it."""

    level: int
    line: Line
    name: str
    quote: str
    i: int
    j: int = 0
    body: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    line_end: int | None = None
    source: str = "heading"

    def add_text(self, text: str) -> None:
        text, units = strip_units(text)
        if text:
            self.body.append(text)
        self.units.extend(u for u in units if u not in self.units)


def cn_numeral(text: str) -> int:
    """Value of a Chinese numeral from 一 to 九十九 (``十五`` -> 15).

    Parameters
    ----------
    text : str
        The numeral, e.g. ``"三"``, ``"十"``, ``"十二"``, ``"二十一"``.

    Returns
    -------
    int
    """
    if "十" not in text:
        return CN_DIGITS[text]
    tens, _, ones = text.partition("十")
    return CN_DIGITS.get(tens, 1) * 10 + (CN_DIGITS[ones] if ones else 0)


def split_units(text: str) -> list[str]:
    """Split a 责任单位 cell into departments: ``"区文旅局、区体育局"`` -> two names.

    Parameters
    ----------
    text : str
        The list as printed, separated by 、，,；or ;.

    Returns
    -------
    list of str
        Department names, stripped, empty pieces dropped, in printed order.
    """
    return [u.strip() for u in UNIT_SPLIT_RE.split(text) if u.strip()]


def strip_units(text: str) -> tuple[str, list[str]]:
    """Remove a trailing ``（责任单位：…）`` from a paragraph.

    Returns
    -------
    tuple of (str, list of str)
        The paragraph without the parenthesis, and the departments it named.
    """
    m = UNITS_RE.search(text)
    if not m:
        return text, []
    return text[: m.start()].rstrip(), split_units(m.group(1))


def lead_sentence(text: str, max_chars: int) -> tuple[str, str] | None:
    """Split ``"title。rest"`` into ``(title, rest)``.

    Parameters
    ----------
    text : str
        A paragraph.
    max_chars : int
        Longest title accepted.

    Returns
    -------
    tuple of (str, str) or None
        None when the first 。 is missing, too far in, or ends the paragraph.
    """
    pos = text.find("。")
    if pos <= 0 or pos > max_chars or not text[pos + 1:].strip():
        return None
    return text[:pos], text[pos + 1:].strip()


def _clause_cut(text: str) -> str:
    """``text`` up to its first clause mark (an enumeration item's name: 一是X，…)."""
    marks = vocabulary.words("headings", "roles.clause_marks")
    cut = min((i for i in (text.find(m) for m in marks) if i >= 0), default=len(text))
    return text[:cut]


class _Walk:
    """Collects task nodes from the paragraphs of the task scope."""

    def __init__(self, doc: Document, key_prefix: str):
        self.doc, self.key_prefix = doc, key_prefix
        self.nodes: list[_Node] = []
        self.top: _Node | None = None
        self.current: _Node | None = None
        self.unread: list[int] = []

    def level1(self, para: Paragraph, head: HeadingLine) -> None:
        title = head.title.strip()
        if head.heading.form in CUT_FORMS:
            name = _clause_cut(title)
        elif head.heading.inline:
            lead = lead_sentence(title, INLINE_MAX_CHARS)
            name = lead[0] if lead else _clause_cut(title)
        else:
            name = title
        quote = head.line.text[: head.heading.start + len(name)] if head.heading.inline \
            else head.line.text
        _line, line_end, quote = _span(para, quote)
        node = _Node(1, para.first, name, quote, (self.top.i + 1) if self.top else 1,
                     line_end=line_end)
        rest = _text(para)[len(head.line.text[: head.heading.start]) + len(name):]
        if head.heading.inline:
            node.add_text(rest.lstrip("。，,：:；; "))
        self.top = self.current = node
        self.nodes.append(node)

    def level2(self, para: Paragraph, name: str, rest: str, quote: str) -> None:
        assert self.top is not None
        _line, line_end, quote = _span(para, quote)
        self.top.j += 1
        self.current = _Node(2, para.first, name, quote, self.top.i, self.top.j,
                             line_end=line_end)
        self.current.add_text(rest)
        self.nodes.append(self.current)

    def add(self, level: int, line: Line, name: str, quote: str, line_end: int | None,
            rest: str) -> None:
        """A task found in running text (an inline enumeration), at ``level``."""
        if level == 1:
            node = _Node(1, line, name, quote, (self.top.i + 1) if self.top else 1,
                         line_end=line_end, source="text")
            self.top = node
        else:
            assert self.top is not None
            self.top.j += 1
            node = _Node(2, line, name, quote, self.top.i, self.top.j, line_end=line_end,
                         source="text")
        node.add_text(rest)
        self.current = node
        self.nodes.append(node)

    def text(self, para: Paragraph) -> None:
        if self.current is None:
            self.unread.extend(ln.no for ln in para.lines)
        else:
            self.current.add_text(_text(para))


CUT_FORMS = frozenset(vocabulary.words("headings", "roles.cut_forms"))


def _text(para: Paragraph) -> str:
    """The paragraph as printed, without bookmarks or line breaks."""
    return "".join(ln.text for ln in para.lines)


def _span(para: Paragraph, fragment: str) -> tuple[int, int | None, str]:
    """(line, line_end, quote) of ``fragment`` in the paragraph's raw text; the first raw line
    stripped when the fragment is not found as printed (always a substring)."""
    pos = para.text.find(fragment) if fragment else -1
    if pos < 0:
        return para.no, None, para.first.raw.strip()
    return para.quote(pos, pos + len(fragment))


def _level2(para: Paragraph, head: HeadingLine) -> tuple[str, str, str] | None:
    """For a level-2 heading: (name, body rest, quote); None when it is no sub-task."""
    title = head.title
    prefix = head.line.text[: head.heading.start]
    if head.heading.form in CUT_FORMS:
        name = _clause_cut(title.strip())
        return name, title[len(name):].lstrip("，,：:；; "), prefix + name
    if not head.heading.inline and "。" not in title:
        return title.strip(), _text(para)[len(head.line.text):], head.line.text
    lead = lead_sentence(_text(para)[len(prefix):], INLINE_MAX_CHARS)
    if lead is None:
        return None
    return lead[0], lead[1], prefix + lead[0] + "。"


@dataclass(frozen=True)
class InlineItem:
    """One item of an enumeration inside a paragraph: offsets into ``Paragraph.text``."""

    start: int      # at the opener (一是)
    name_end: int   # end of the name (first clause mark)
    end: int        # end of the item (its ；/。 excluded)


def inline_items(text: str) -> list[InlineItem]:
    """The 一是…；二是…；三是… items standing inside ``text`` (not at its start).

    Parameters
    ----------
    text : str
        A paragraph (matching text: half-width folded, Simplified).

    Returns
    -------
    list of InlineItem
        Two or more items numbered 一, 二, 三 … in order; empty when the paragraph holds none.
    """
    ends = vocabulary.words("headings", "inline_items.ends")
    found: list[re.Match] = []
    for m in vocabulary.pattern("headings", "inline_items.opener").finditer(text):
        if m.start() > 0 and cn_numeral_or_none(m.group("n")) == len(found) + 1:
            found.append(m)
    if len(found) < 2:
        return []
    out = []
    for k, m in enumerate(found):
        limit = found[k + 1].start("n") if k + 1 < len(found) else len(text)
        end = min((i for i in (text.find(e, m.end(), limit) for e in ends) if i >= 0),
                  default=limit)
        name = _clause_cut(text[m.end():end])
        if name.strip():
            out.append(InlineItem(m.start("n"), m.end() + len(name), end))
    return out if len(out) >= 2 else []


def cn_numeral_or_none(text: str) -> int | None:
    """:func:`cn_numeral`, or None for a string that is not a numeral."""
    try:
        return cn_numeral(text)
    except KeyError:
        return None


def _announces(text: str) -> bool:
    """Whether the text before an enumeration announces tasks (主要任务, 部署 …)."""
    return any(w in text for w in vocabulary.words("headings", "inline_items.announce"))


def _inline(walk: _Walk, para: Paragraph, recognised: bool) -> bool:
    """Read an enumeration inside ``para`` as tasks; False when it holds none to read.

    Under a level-1 task heading (no sub-task yet) the items are its sub-tasks; outside any
    task heading they are level-1 tasks when the paragraph stands in the task part or its text
    before the first item announces tasks.
    """
    found = inline_items(para.match)
    if not found:
        return False
    before = para.text[: found[0].start]
    if walk.top is not None and walk.top.source != "text":
        if walk.current is not walk.top:
            return False
    elif not (recognised or _announces(before)):
        return False
    level = 1 if walk.top is None or walk.top.source == "text" else 2
    if walk.current is not None:
        walk.current.add_text(before.strip())
    for it in found:
        name_start = para.match.index("是", it.start) + 1
        line, line_end, quote = para.quote(it.start, it.name_end)
        walk.add(level, walk.doc.line(line), para.text[name_start: it.name_end].strip(), quote,
                 line_end, para.text[it.name_end: it.end].lstrip("，,：:；; "))
    return True


def _scope(doc: Document, parts: dict[int, str]) -> tuple[list[Paragraph], bool]:
    """Paragraphs of the task scope, and whether it is a recognised task part."""
    tasks = [p for p in paragraphs(doc) if parts.get(p.no) == "tasks"]
    if tasks:
        return tasks, True
    if all(parts.get(p.no) == "unknown" for p in paragraphs(doc)):
        return list(paragraphs(doc)), False
    return [], True


def _collect(doc: Document, parts: dict[int, str], key_prefix: str) -> _Walk:
    st = structure(doc)
    tops = {t.line for t in st.top if not t.inferred}
    heads = {h.line.no: h for h in st.headings if not h.toc}
    scope, recognised = _scope(doc, parts)
    scope = [p for p in scope if p.no not in tops]
    levels = {heads[p.no].level for p in scope if p.no in heads}
    lead_mode = recognised and 2 not in levels
    walk = _Walk(doc, key_prefix)
    for para in scope:
        head = heads.get(para.no)
        if head is not None and head.level == 1:
            walk.level1(para, head)
            continue
        sub = None
        if walk.top is not None:
            if head is not None and head.level == 2:
                sub = _level2(para, head)
            elif lead_mode and head is None and not para.continues:
                lead = lead_sentence(_text(para), LEAD_MAX_CHARS)
                sub = (lead[0], lead[1], lead[0] + "。") if lead else None
        if sub is not None:
            walk.level2(para, *sub)
        elif head is not None or not _inline(walk, para, recognised):
            walk.text(para)
    if not recognised or not walk.nodes:
        toc = _Walk(doc, key_prefix)
        _toc_tasks(toc, st, doc)
        if toc.nodes:  # the body lacks the headings its TOC lists: an excerpt
            toc.unread = walk.unread + [n.line.no for n in walk.nodes]
            return toc
    return walk


def _toc_tasks(walk: _Walk, st, doc: Document) -> None:
    """TOC entries of the task part, when the body holds none of them."""
    body = {h.title.strip() for h in st.headings if not h.toc}
    entries = [h for h in st.toc if h.part == "tasks" and h.level in (1, 2)]
    if not entries or any(h.title.strip() in body for h in entries):
        return
    for h in entries:
        if h.level == 2 and walk.top is None:
            continue
        raw_line = doc.line(h.line.no)
        name = h.title.strip()
        quote = name if name in raw_line.raw else raw_line.raw.strip()
        if h.level == 1:
            i = (walk.top.i + 1) if walk.top else 1
            walk.top = walk.current = _Node(1, raw_line, name, quote, i, source="toc")
            walk.nodes.append(walk.top)
        else:
            walk.top.j += 1
            walk.current = _Node(2, raw_line, name, quote, walk.top.i, walk.top.j, source="toc")
            walk.nodes.append(walk.current)


def _to_item(node: _Node, doc: Document, parts: dict[int, str], key_prefix: str) -> Item:
    key = f"{key_prefix}:task:{node.i}" + (f".{node.j}" if node.level == 2 else "")
    return Item(
        item_type="task", item_key=key, name_raw=node.name, source=node.source,
        source_file=doc.path, line=node.line.no, line_end=node.line_end or node.line.no,
        quote=node.quote,
        parent_key=f"{key_prefix}:task:{node.i}" if node.level == 2 else None,
        level=node.level, section=parts.get(node.line.no) or "tasks",
        body="\n".join(node.body) or None, responsible_units=list(node.units),
    )


def parse_tasks(doc: Document, parts: dict[int, str], *, key_prefix: str) -> list[Item]:
    """Parse the main-task hierarchy of one plan.

    Parameters
    ----------
    doc : Document
        The ingested plan.
    parts : dict of int to str
        ``sections.assign_parts(doc, start_section)``; lines in ``tasks`` are read (every line
        when the document has no recognised part).
    key_prefix : str
        Prefix of the item keys: ``{key_prefix}:task:{i}`` and ``{key_prefix}:task:{i}.{j}``.

    Returns
    -------
    list of Item
        Level-1 and level-2 tasks in document order (each level-1 item before its children).
    """
    walk = _collect(doc, parts, key_prefix)
    return [_to_item(n, doc, parts, key_prefix) for n in walk.nodes]


def unread_lines(doc: Document, parts: dict[int, str], *, key_prefix: str) -> list[int]:
    """Lines of the task scope no task holds (text before the first level-1 heading)."""
    return _collect(doc, parts, key_prefix).unread
