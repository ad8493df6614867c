"""Task-list tables (任务清单, 责任分工表, 重点任务分工): each measure, its schedule and its units.

**Header.** A task list starts at a header whose cells are all words of ``words/tasklist.toml``
``[header]`` (one line of cells split by TAB, ``|`` or spaces, or one cell per line): 序号
(number), 主要任务 (task: the task a group of measures belongs to), 具体措施 / 落实举措 / 工作任务
(measure), 完成时限 / 进度安排 / 时间节点 (schedule), 牵头单位 (lead), 配合单位 (support), 责任单位
(responsible), 备注 (read past). It needs a measure column (or, without one, a 主要任务 column,
which then holds the measures) and a schedule or units column. Columns come in any order.

**Rows.** One row per line: the cells are matched to the columns (a task cell left empty or
printed once carries over; in a space-separated row the measure may hold spaces). One cell per
line (anonymised district): a task cell opens with （一）/(一) and may wrap over short lines
without 。 (``（八）实施深化`` + ``教育领域`` + ``综合改革`` + ``行动计划``; printed again it continues
the group); a row starts at a row number, or, in an unnumbered table, at a measure cell (with 。)
and then holds one cell per remaining column. A numbered row may lack trailing cells (an empty
配合单位); an unnumbered one may not (the cells could not be told apart). The table ends at a
line that fits no row: a top-level heading (``words/tasklist.toml`` ``rows.end``) or a one-cell
line in a table of line rows. Noise lines (page furniture) are skipped.

**Items.** ``name_raw`` is the measure's lead sentence (up to the first 。), ``body`` the whole
cell, ``schedule`` the schedule cell; ``lead_units`` / ``support_units`` split the 牵头 / 配合
cells and ``responsible_units`` is the 责任单位 cell or, without one, lead + support. The parent
is the level-2 task whose title equals the lead sentence (same task group first), else the
level-1 task of the group. Key ``{key_prefix}:measure:{i}.{j}``: ``i`` the task cell's numeral
(or, without a task column, the parent task's level-1 number), ``j`` the position within ``i``;
``{key_prefix}:measure:{n}`` (running count) when neither is known. ``level`` 3, ``source``
``task_list``; ``line``..``line_end`` span the row and ``quote`` is the row as printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import InputError
from ..model import Item
from . import vocabulary
from .ingest import Document, Line
from .projects import span_quote
from .tableheader import HeaderWords, Problem, header_words, is_rule, separator, split_cells
from .tasks import LEVEL1_RE, cn_numeral, split_units

TOPIC = "tasklist"
GROUP_CONT_MAX_CHARS = 20
ROW_NUMBER_RE = re.compile(r"^\d{1,3}[.、]?$")
_PUNCT_RE = re.compile(r"[\s，,、。；;：:“”\"'（）()《》]")
_BODY_KINDS = ("measure", "schedule", "lead", "support", "responsible", "ignore")


@dataclass
class _Row:
    group: str | None
    numbered: bool
    cells: dict[str, str] = field(default_factory=dict)
    lines: list[int] = field(default_factory=list)


@dataclass
class _Table:
    kinds: list[str]
    rows: list[_Row] = field(default_factory=list)
    sep: str = "space"  # how the header's cells are separated

    @property
    def body(self) -> list[str]:
        return [k for k in self.kinds if k in _BODY_KINDS]


def _header(seq: list[Line], i: int, words: HeaderWords) -> tuple[list[str] | None, int]:
    kinds: list[str] = []
    k = i
    while k < len(seq) and len(seq[k].text) <= 80:
        cols, _ = words.line_columns(seq[k])
        if cols is None or any(c.kind in kinds and c.kind != "ignore" for c in cols):
            break
        kinds.extend(c.kind for c in cols)
        k += 1
    if "measure" not in kinds and "task" in kinds:
        kinds[kinds.index("task")] = "measure"
    units = {"schedule", "lead", "support", "responsible"}
    if "measure" not in kinds or not units & set(kinds):
        return None, max(k, i + 1)
    return kinds, k


def _is_end(line: Line) -> bool:
    return bool(vocabulary.pattern(TOPIC, "rows.end").match(line.norm))


def _task_cell(text: str) -> bool:
    return bool(LEVEL1_RE.match(text)) and "。" not in text


def _line_table(doc: Document, seq: list[Line], p: int, table: _Table) -> int:
    """One row per line; returns the index after the table."""
    group = None
    kinds = table.kinds
    while p < len(seq):
        line = seq[p]
        if is_rule(line):
            p += 1
            continue
        cells = [c.text for c in split_cells(line)]
        distinct = {c for c in cells if c}  # a cell merged across the row counts once
        if len(distinct) == 1 and _task_cell(next(iter(distinct))):
            group, p = distinct.pop(), p + 1
            continue
        if separator(line) != table.sep:
            break  # a tab / pipe table ends at a line of another kind
        got = _fit_line(cells, kinds, separator(line) == "space")
        if got is None:
            break
        group = got.get("task") or group
        number = got.get("number", "")
        table.rows.append(_Row(group, bool(number), got, [line.no]))
        p += 1
    return p


def _fit_line(cells: list[str], kinds: list[str], spaced: bool) -> dict[str, str] | None:
    for drop in ((), ("task",), ("number",), ("task", "number")):
        use = [k for k in kinds if k not in drop]
        if not spaced and len(cells) < len(use):  # trailing empty cells lost with the line end
            cells = cells + [""] * (len(use) - len(cells))
        extra = len(cells) - len(use)
        if extra < 0 or (extra and not spaced):
            continue
        out, pos = {}, 0
        for kind in use:
            take = 1 + (extra if kind == "measure" else 0)
            out[kind] = " ".join(cells[pos: pos + take]).strip()
            pos += take
        short = all("。" not in v and (k != "schedule" or len(v) <= 40)
                    for k, v in out.items() if k not in ("measure", "task", "ignore"))
        if out.get("measure") and short and (
                not out.get("number") or ROW_NUMBER_RE.match(out["number"])):
            return out
    return None


def _cell_table(doc: Document, seq: list[Line], p: int, table: _Table) -> int:
    """One cell per line; returns the index after the table."""
    body = table.body
    group, in_task, row = None, False, None
    while p < len(seq):
        line = seq[p]
        text = line.text
        if _is_end(line):
            break
        if "task" in table.kinds and _task_cell(text):
            group, in_task, row = text, True, None
        elif in_task and "。" not in text and len(text) <= GROUP_CONT_MAX_CHARS:
            group += text
        elif "number" in table.kinds and ROW_NUMBER_RE.match(line.norm):
            row = _Row(group, True, {"number": text}, [line.no])
            table.rows.append(row)
            in_task = False
        else:
            in_task = False
            full = row is not None and len(row.cells) - row.numbered >= len(body)
            if row is None or full or (not row.numbered and "。" in text):
                if "。" not in text or (full and row.numbered):
                    break  # no measure where a row must start: the table has ended
                _check_complete(doc, table, row)
                if "task" in table.kinds and group is None:
                    raise InputError("a task-list row comes before any task cell such as （一）…",
                                     path=doc.path, line=line.no,
                                     fix="check the 任务清单 table: its first column names the "
                                         "task")
                row = _Row(group, False, {}, [])
                table.rows.append(row)
            row.cells[body[len(row.cells) - row.numbered]] = text
            row.lines.append(line.no)
        p += 1
    _check_complete(doc, table, row)
    return p


def _check_complete(doc: Document, table: _Table, row: _Row | None) -> None:
    if row is None or row.numbered:
        return
    cells = [row.cells.get(k, "") for k in table.body]
    if "。" not in cells[0] or len(row.cells) < len(table.body) or any(
            "。" in c for c in cells[1:]):
        raise InputError(
            f"a task-list row should be {len(table.body)} cells: the measure (with 。), then "
            + ", ".join(table.body[1:]), path=doc.path, line=row.lines[0],
            fix="check the 任务清单 table around this line for a missing or split cell")


def _key(text: str) -> str:
    return _PUNCT_RE.sub("", text)


def _parent(measure_name: str, i: int | None, tasks: list[Item]) -> Item | None:
    """The level-2 task titled like the measure (group ``i`` first), else level-1 task ``i``."""
    suffix = f":task:{i}"
    level2 = [t for t in tasks if t.level == 2]
    same = [t for t in level2 if i is not None and (t.parent_key or "").endswith(suffix)]
    for pool in (same, level2):
        for task in pool:
            if _key(task.name_raw) == _key(measure_name):
                return task
    top = [t for t in tasks if i is not None and t.level == 1 and t.item_key.endswith(suffix)]
    return top[0] if top else None


def _group_number(group: str | None) -> int | None:
    m = LEVEL1_RE.match(group or "")
    return cn_numeral(m.group(1)) if m else None


def _items(doc: Document, parts: dict[int, str], table: _Table, key_prefix: str,
           tasks: list[Item], counts: dict) -> list[Item]:
    out = []
    for row in table.rows:
        text = row.cells.get("measure", "")
        name = text.split("。", 1)[0]
        i = _group_number(row.group)
        parent = _parent(name, i, tasks)
        if i is None and parent is not None:
            m = re.search(r":task:(\d+)", parent.item_key)
            i = int(m.group(1)) if m else None
        counts[i] = counts.get(i, 0) + 1
        key = f"measure:{i}.{counts[i]}" if i is not None else f"measure:{counts[i]}"
        lead = split_units(row.cells.get("lead", ""))
        support = split_units(row.cells.get("support", ""))
        units = split_units(row.cells["responsible"]) if "responsible" in row.cells \
            else lead + support
        first, last = min(row.lines), max(row.lines)
        out.append(Item(
            item_type="measure", item_key=f"{key_prefix}:{key}", name_raw=name,
            source="task_list", source_file=doc.path, line=first, line_end=last,
            quote=span_quote(doc, first, last), parent_key=parent.item_key if parent else None,
            level=3, section=parts.get(first), body=text,
            schedule=row.cells.get("schedule") or None, responsible_units=units,
            lead_units=lead, support_units=support,
        ))
    return out


def parse_task_list(doc: Document, parts: dict[int, str], *, key_prefix: str,
                    tasks: list[Item], problems: list | None = None) -> list[Item]:
    """Parse every task-list table of a document, wherever it stands.

    Parameters
    ----------
    doc : Document
        The ingested plan.
    parts : dict of int to str
        ``sections.assign_parts(doc, start_section)``; used for ``Item.section`` only.
    key_prefix : str
        Prefix of the item keys: ``{key_prefix}:measure:{i}.{j}``.
    tasks : list of Item
        The plan's tasks from :func:`plancompare.parse.tasks.parse_tasks`, to link each measure to.
    problems : list, optional
        When given, a task-list header followed by no row is appended as a
        :class:`~plancompare.parse.tableheader.Problem` (``task_list_without_rows``).

    Returns
    -------
    list of Item
        One ``measure`` item per row, in document order; [] when the plan has no task list.

    Raises
    ------
    InputError
        When an unnumbered row lacks a cell or precedes any task cell of a table with a task
        column.
    """
    seq = doc.content_lines()
    words = header_words(TOPIC)
    items: list[Item] = []
    counts: dict = {}
    i = 0
    while i < len(seq):
        kinds, j = _header(seq, i, words)
        if kinds is None:
            i = j
            continue
        table = _Table(kinds, sep=separator(seq[i]))
        one_line = j - i == 1 and len(split_cells(seq[i])) > 1
        i = (_line_table if one_line else _cell_table)(doc, seq, j, table)
        if not table.rows and problems is not None:
            problems.append(Problem(doc.path, seq[j - 1].no, "tasklist", "task_list_without_rows",
                                    "a task-list header (" + " | ".join(kinds) + ") is followed "
                                    "by no row that could be read"))
        items.extend(_items(doc, parts, table, key_prefix, tasks, counts))
    return items

