"""Task-list tables (任务清单): each measure with its 进度安排 and 责任单位, linked to its task.

The table is flattened one cell per line (anonymised district, lines 52-161)::

    主要任务 / 序号 / 落实举措及标志性成果 / 进度安排 / 责任单位     header, one cell per line
    （一）实施新时代立德树人 / 行动计划                              task cell, may wrap, may repeat
    全面推动…进头脑。将习近平…                                      measure (holds a 。)
    持续推进                                                        进度安排
    区教育局、区委宣传部、区委组织部                                 责任单位

Rules: a task cell opens with （一）/(一) and runs over the following short lines without 。 (so
``（八）实施深化`` + ``教育领域`` + ``综合改革`` + ``行动计划`` is one cell); a repeated task cell
continues the same group. Every measure is followed by exactly two cells, its schedule and its
units. ``name_raw`` is the measure's lead sentence (up to the first 。), ``body`` the whole measure
cell, key ``{key_prefix}:measure:{i}.{j}`` with ``i`` the task cell's numeral and ``j`` the
measure's position within it. ``parent_key`` is the level-2 task of group ``i`` whose title equals
the lead sentence, else any level-2 task with that title, else the level-1 task ``i``. ``level``
is 3 and ``source`` is ``task_list`` (the data dictionary's values for measures).
``line``..``line_end`` span the row (measure, schedule, units) and ``quote`` is that row as printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import InputError
from ..model import Item
from .ingest import Document, Line
from .projects import span_quote
from .tasks import LEVEL1_RE, cn_numeral, split_units

HEADER_CELLS = frozenset({"主要任务", "重点任务", "序号", "落实举措及标志性成果", "落实举措",
                          "标志性成果", "主要举措", "进度安排", "时间安排", "完成时限",
                          "责任单位", "牵头单位", "配合单位"})
REQUIRED_CELLS = frozenset({"进度安排", "责任单位"})
GROUP_CONT_MAX_CHARS = 20
_PUNCT_RE = re.compile(r"[\s，,、。；;：:“”\"'（）()《》]")


@dataclass
class _Group:
    """A task cell of the first column: its numeral and how many measures it holds so far."""

    numeral: str
    measures: int = 0


@dataclass
class _Measure:
    group: _Group
    j: int
    lines: list[Line] = field(default_factory=list)


def _header_end(lines: list[Line]) -> int | None:
    """Index just after the task-list header (a run of header cells), or None."""
    for start in range(len(lines)):
        cells: set[str] = set()
        end = start
        while end < len(lines) and lines[end].norm.replace(" ", "") in HEADER_CELLS:
            cells.add(lines[end].norm.replace(" ", ""))
            end += 1
        if REQUIRED_CELLS <= cells:
            return end
    return None


def _wraps(line: Line) -> bool:
    """A short line without 。: the continuation of a wrapped task cell."""
    return "。" not in line.text and len(line.text) <= GROUP_CONT_MAX_CHARS


def _rows(doc: Document, lines: list[Line]) -> list[_Measure]:
    """Group the lines after the header into task cells and measure rows."""
    groups: dict[str, _Group] = {}
    group: _Group | None = None
    in_cell = False
    out: list[_Measure] = []
    k = 0
    while k < len(lines):
        ln = lines[k]
        m = LEVEL1_RE.match(ln.text)
        if m and "。" not in ln.text:
            group = groups.setdefault(m.group(1), _Group(m.group(1)))
            in_cell = True
            k += 1
        elif in_cell and _wraps(ln):
            k += 1
        else:
            out.append(_measure(doc, group, lines, k))
            in_cell = False
            k += 3
    return out


def _measure(doc: Document, group: _Group | None, lines: list[Line], k: int) -> _Measure:
    ln = lines[k]
    if group is None:
        raise InputError("a task-list row comes before any task cell such as （一）…",
                         path=doc.path, line=ln.no,
                         fix="check the 任务清单 table: its first column names the task")
    row = lines[k:k + 3]
    if "。" not in ln.text or len(row) < 3 or any("。" in c.text for c in row[1:]):
        raise InputError(
            "a task-list row should be three cells: the measure (with 。), 进度安排 and 责任单位",
            path=doc.path, line=ln.no,
            fix="check the 任务清单 table around this line for a missing or split cell")
    group.measures += 1
    return _Measure(group, group.measures, row)


def _key(text: str) -> str:
    return _PUNCT_RE.sub("", text)


def _parent(measure_name: str, i: int, tasks: list[Item]) -> Item | None:
    """The level-2 task titled like the measure (same group first), else level-1 task ``i``."""
    suffix = f":task:{i}"
    level2 = [t for t in tasks if t.level == 2]
    same = [t for t in level2 if (t.parent_key or "").endswith(suffix)]
    for pool in (same, level2):
        for task in pool:
            if _key(task.name_raw) == _key(measure_name):
                return task
    top = [t for t in tasks if t.level == 1 and t.item_key.endswith(suffix)]
    return top[0] if top else None


def _to_item(doc: Document, parts: dict[int, str], m: _Measure, key_prefix: str,
             tasks: list[Item]) -> Item:
    text_line, schedule, units = m.lines
    i = cn_numeral(m.group.numeral)
    name = text_line.text.split("。", 1)[0]
    parent = _parent(name, i, tasks)
    return Item(
        item_type="measure", item_key=f"{key_prefix}:measure:{i}.{m.j}", name_raw=name,
        source="task_list", source_file=doc.path, line=text_line.no, line_end=units.no,
        quote=span_quote(doc, text_line.no, units.no),
        parent_key=parent.item_key if parent else None,
        level=3, section=parts.get(text_line.no), body=text_line.text,
        schedule=schedule.text, responsible_units=split_units(units.text),
    )


def parse_task_list(doc: Document, parts: dict[int, str], *, key_prefix: str,
                    tasks: list[Item]) -> list[Item]:
    """Parse the 任务清单 table of one plan's annex.

    Parameters
    ----------
    doc : Document
        The ingested plan.
    parts : dict of int to str
        ``sections.assign_parts(doc, start_section)``; only lines in ``annex`` are read.
    key_prefix : str
        Prefix of the item keys: ``{key_prefix}:measure:{i}.{j}``.
    tasks : list of Item
        The plan's tasks from :func:`plancompare.parse.tasks.parse_tasks`, to link each measure to.

    Returns
    -------
    list of Item
        One ``measure`` item per row, in document order; [] when the plan has no task list.

    Raises
    ------
    InputError
        When a row is not three cells (measure, 进度安排, 责任单位) or precedes any task cell.
    """
    lines = [ln for ln in doc.content_lines() if parts.get(ln.no) == "annex"]
    end = _header_end(lines)
    if end is None:
        return []
    return [_to_item(doc, parts, m, key_prefix, tasks) for m in _rows(doc, lines[end:])]
