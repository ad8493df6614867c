"""Main-task hierarchy: level-1 （一） headings, level-2 sub-tasks, and 责任单位 in the text.

Rules (decided from the five source plans; the golden files in tests/golden/ are the spec):

- Only lines in the part ``tasks`` are read, so the （一） headings of 保障措施 / 组织实施 and the
  table of contents (flagged noise) never become tasks.
- Level 1 is a short line opening with a Chinese numeral in full- or half-width brackets:
  ``（一）夯实基础…`` or ``(三)共建共享…``. Its ``body`` is its own introductory text only.
- Level 2 is a numbered sub-task ``1.推动学前教育…``. Two shapes occur:

  * a heading line without 。 (Tongzhou, Daxing): ``name_raw`` is the line without its number,
    ``body`` is every paragraph up to the next heading;
  * an inline lead sentence ``1.全面推动…进头脑。将习近平…`` (anonymised district): ``name_raw`` is
    the text up to the first 。, ``body`` the rest of the paragraph.

- A plan whose task part has *no* numbered sub-task at all (Haidian) takes the lead sentence of
  each paragraph as level 2: ``构建系统衔接的一体化德育体系。…`` gives ``name_raw``
  ``构建系统衔接的一体化德育体系``. A paragraph counts as a sub-task only when its first sentence
  is at most :data:`LEAD_MAX_CHARS` characters long *and* more text follows it; the one-sentence
  summary that opens each Haidian section is therefore the level-1 body, not a sub-task.
- A level-1 heading without numbered sub-tasks in a plan that numbers them elsewhere (Daxing
  （五）) gets no level-2 items: its paragraphs are its body.
- ``body`` never repeats ``name_raw``. A trailing ``（责任单位：区教育局、区人社局）`` is removed from
  the body and split into ``responsible_units`` (on 、，,；;).
- ``line`` / ``line_end`` are the lines the ``quote`` spans: the heading line (or the paragraph
  holding the lead sentence), and the quote is the heading or lead sentence as printed, with its
  numbering.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import InputError
from ..model import Item
from .ingest import Document, Line
from .sections import top_headings

CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
LEVEL1_RE = re.compile(r"^[(（]([一二三四五六七八九十]+)[)）]\s*(\S.*)$")
NUMBERED_RE = re.compile(r"^([0-9０-９]{1,2})[.．、](?![0-9０-９])\s*(\S.*)$")
UNITS_RE = re.compile(r"[（(]\s*责任单位\s*[：:]\s*([^（）()]*)[）)]\s*$")
UNIT_SPLIT_RE = re.compile(r"[、，,；;]")
#: Longest lead sentence (characters before the first 。) taken as a sub-task title.
LEAD_MAX_CHARS = 30
#: Longest first sentence of an inline numbered sub-task (``1.title。body``).
INLINE_MAX_CHARS = 80
HEADING_MAX_CHARS = 60


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
    """Split a 责任单位 cell into departments: ``"区教育局、区人社局"`` -> two names.

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


def _quote(line: Line, fragment: str) -> str:
    """``fragment`` if the raw line holds it, else the raw line stripped (always a substring)."""
    return fragment if fragment in line.raw else line.raw.strip()


def _numbered(line: Line) -> tuple[str, str, str] | None:
    """For a numbered sub-task line: (name, body rest, quote); None otherwise."""
    m = NUMBERED_RE.match(line.text)
    if not m:
        return None
    rest = m.group(2)
    if "。" not in rest and len(line.text) <= HEADING_MAX_CHARS:
        return rest.strip(), "", _quote(line, line.text)
    lead = lead_sentence(rest, INLINE_MAX_CHARS)
    if lead is None:
        return None
    prefix_len = m.start(2)
    return lead[0], lead[1], _quote(line, line.text[: prefix_len + len(lead[0]) + 1])


def _task_lines(doc: Document, parts: dict[int, str]) -> list[Line]:
    skip = {h.line for h in top_headings(doc)}
    return [ln for ln in doc.content_lines()
            if parts.get(ln.no) == "tasks" and ln.no not in skip]


def _level1(line: Line, i: int) -> _Node | None:
    m = LEVEL1_RE.match(line.text)
    if not m or "。" in line.text or len(line.text) > HEADING_MAX_CHARS:
        return None
    return _Node(1, line, m.group(2).strip(), _quote(line, line.text), i)


def _collect(doc: Document, lines: list[Line]) -> list[_Node]:
    """Walk the task lines and group them into level-1 and level-2 nodes."""
    numbered_mode = any(_numbered(ln) for ln in lines)
    nodes: list[_Node] = []
    top: _Node | None = None
    current: _Node | None = None
    for ln in lines:
        head = _level1(ln, top.i + 1 if top else 1)
        if head:
            top = current = head
            nodes.append(head)
            continue
        sub = _sub_task(ln, numbered_mode)
        if sub is not None:
            if top is None:
                raise InputError(
                    f"sub-task {ln.text[:20]!r} comes before any （一） heading of the task part",
                    path=doc.path, line=ln.no,
                    fix="check that the task section opens with a （一） heading, or that "
                        "start_section in the manifest is right")
            name, rest, quote = sub
            top.j += 1
            current = _Node(2, ln, name, quote, top.i, top.j)
            current.add_text(rest)
            nodes.append(current)
        elif current is not None:
            current.add_text(ln.text)
    return nodes


def _sub_task(line: Line, numbered_mode: bool) -> tuple[str, str, str] | None:
    if numbered_mode:
        return _numbered(line)
    lead = lead_sentence(line.text, LEAD_MAX_CHARS)
    if lead is None:
        return None
    return lead[0], lead[1], _quote(line, lead[0] + "。")


def _to_item(node: _Node, doc: Document, parts: dict[int, str], key_prefix: str) -> Item:
    key = f"{key_prefix}:task:{node.i}" + (f".{node.j}" if node.level == 2 else "")
    return Item(
        item_type="task", item_key=key, name_raw=node.name, source="heading",
        source_file=doc.path, line=node.line.no, line_end=node.line.no, quote=node.quote,
        parent_key=f"{key_prefix}:task:{node.i}" if node.level == 2 else None,
        level=node.level, section=parts.get(node.line.no),
        body="\n".join(node.body) or None, responsible_units=list(node.units),
    )


def parse_tasks(doc: Document, parts: dict[int, str], *, key_prefix: str) -> list[Item]:
    """Parse the main-task hierarchy of one plan.

    Parameters
    ----------
    doc : Document
        The ingested plan.
    parts : dict of int to str
        ``sections.assign_parts(doc, start_section)``; only lines in ``tasks`` are read.
    key_prefix : str
        Prefix of the item keys: ``{key_prefix}:task:{i}`` and ``{key_prefix}:task:{i}.{j}``.

    Returns
    -------
    list of Item
        Level-1 and level-2 tasks in document order (each level-1 item before its children).

    Raises
    ------
    InputError
        When a numbered sub-task appears before the first （一） heading.
    """
    nodes = _collect(doc, _task_lines(doc, parts))
    return [_to_item(n, doc, parts, key_prefix) for n in nodes]
