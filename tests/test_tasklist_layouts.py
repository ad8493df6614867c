"""Task lists in other layouts and with other column names give the seed's facts.

The anonymised district's 任务清单 (主要任务 | 序号 | 落实举措及标志性成果 | 进度安排 | 责任单位, one cell
per line) is read here by its known layout and written back as the five-column table other
plans print (序号 | 具体措施 | 完成时限 | 牵头单位 | 配合单位: the first unit leads, the others
support), one cell per line, as tab rows and as pipe rows. The measures must be the seed's, row by
row, with 牵头 and 配合 units kept apart.
"""

from __future__ import annotations

import pytest
from conftest import RAW, RAW_FILES

from plancompare.errors import InputError
from plancompare.parse import vocabulary
from plancompare.parse.ingest import parse_text
from plancompare.parse.run import check_provenance
from plancompare.parse.sections import assign_parts
from plancompare.parse.tasklist import parse_task_list
from plancompare.parse.tasks import LEVEL1_RE, parse_tasks, split_units

HEADER = (53, 57)  # 主要任务 .. 责任单位
FACTS = ("item_key", "name_raw", "body", "schedule", "responsible_units", "parent_key", "level",
         "section")


def _raw() -> list[str]:
    return (RAW / RAW_FILES["anon1"]).read_text("utf-8").split("\n")


def _seed_rows() -> list[tuple[str, str, str]]:
    """(measure, schedule, units) of every seed row, read by the seed's layout."""
    lines = [ln.strip() for ln in _raw()[HEADER[1]:] if ln.strip()]
    assert _raw()[HEADER[0] - 1: HEADER[1]] == ["主要任务", "序号", "落实举措及标志性成果",
                                                "进度安排", "责任单位"]
    rows, k = [], 0
    while k < len(lines):
        if LEVEL1_RE.match(lines[k]) or "。" not in lines[k]:
            k += 1  # a task cell or its continuation
            continue
        rows.append((lines[k], lines[k + 1], lines[k + 2]))
        k += 3
    assert len(rows) == 29
    return rows


def _five(rows):
    out = []
    for n, (measure, schedule, units) in enumerate(rows, 1):
        names = split_units(units)
        out.append([str(n), measure, schedule, names[0], "、".join(names[1:])])
    return ["序号", "具体措施", "完成时限", "牵头单位", "配合单位"], out


def _cells(head, body):
    return [*head, *[c for row in body for c in row if c]]


LAYOUTS = {
    "cells": lambda h, b: _cells(h, b),
    "tabs": lambda h, b: ["\t".join(h), *["\t".join(r) for r in b]],
    "pipes": lambda h, b: ["| " + " | ".join(h) + " |", "|---|---|---|---|---|",
                           *["| " + " | ".join(r) + " |" for r in b]],
}


def _measures(text: str):
    doc = parse_text(text, path=RAW_FILES["anon1"])
    parts = assign_parts(doc)
    tasks = parse_tasks(doc, parts, key_prefix="anon1")
    items = parse_task_list(doc, parts, key_prefix="anon1", tasks=tasks)
    check_provenance(items, doc)
    return items


def _facts(items):
    return [tuple(getattr(it, f) for f in FACTS) for it in items]


@pytest.fixture(scope="module")
def seed():
    return _measures("\n".join(_raw()))


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_five_column_task_list_gives_the_seed_measures(layout, seed):
    head, body = _five(_seed_rows())
    lines = _raw()
    text = "\n".join(lines[: HEADER[0] - 1] + LAYOUTS[layout](head, body))
    items = _measures(text)
    assert _facts(items) == _facts(seed)
    for it, row in zip(items, body):
        assert it.lead_units == [row[3]]
        assert it.support_units == split_units(row[4])
        assert it.responsible_units == it.lead_units + it.support_units
    assert [it.lead_units for it in seed] == [[]] * 29  # the seed prints 责任单位 only


def _made_up(measure="具体措施", schedule="完成时限", lead="牵头单位", support="配合单位"):
    return (f"序号\t{measure}\t{schedule}\t{lead}\t{support}\n"
            "1\t建设智慧校园。推进数字化转型。\t2023年底\t区教委\t区财政局、区科委\n"
            "2\t加强师德建设。完善考核机制。\t持续推进\t区教委\t\n")


def _short(items):
    return [(it.item_key, it.name_raw, it.schedule, it.lead_units, it.support_units,
             it.responsible_units) for it in items]


EXPECTED = [
    ("t:measure:1", "建设智慧校园", "2023年底", ["区教委"], ["区财政局", "区科委"],
     ["区教委", "区财政局", "区科委"]),
    ("t:measure:2", "加强师德建设", "持续推进", ["区教委"], [], ["区教委"]),
]


def _parse(text):
    doc = parse_text(text, path="made_up.txt")
    return parse_task_list(doc, {}, key_prefix="t", tasks=[])


@pytest.mark.parametrize(("kind", "word"), [
    (kind, word) for kind in ("measure", "schedule", "lead", "support")
    for word in vocabulary.words("tasklist", f"header.{kind}")])
def test_every_column_name(kind, word):
    assert _short(_parse(_made_up(**{kind: word}))) == EXPECTED


@pytest.mark.parametrize("word", vocabulary.words("tasklist", "header.responsible"))
def test_every_responsible_column(word):
    text = (f"序号\t重点任务\t{word}\t时间节点\n"
            "1\t建设智慧校园。推进数字化转型。\t区教委、区科委\t2023年底\n")
    assert _short(_parse(text)) == [
        ("t:measure:1", "建设智慧校园", "2023年底", [], [], ["区教委", "区科委"])]


def test_any_column_order():
    text = ("配合单位 | 完成时限 | 具体措施 | 牵头单位 | 序号\n"
            "区财政局、区科委 | 2023年底 | 建设智慧校园。推进数字化转型。 | 区教委 | 1\n"
            " | 持续推进 | 加强师德建设。完善考核机制。 | 区教委 | 2\n")
    assert _short(_parse(text)) == EXPECTED


def test_task_list_outside_the_annex_and_noise_inside():
    lines = _made_up().split("\n")
    text = "\n".join(["二、重点任务", lines[0], lines[1], "— 3 —", lines[2]])
    doc = parse_text(text, path="made_up.txt")
    doc.line(4).noise = "page_number"
    doc.__dict__.pop("_content", None)
    assert _short(parse_task_list(doc, {}, key_prefix="t", tasks=[])) == EXPECTED


def test_unnumbered_cell_rows_must_be_complete():
    text = "具体措施\n完成时限\n牵头单位\n建设智慧校园。推进数字化转型。\n2023年底\n加强师德建设。完善考核。\n"
    with pytest.raises(InputError) as info:
        _parse(text)
    assert info.value.line == 4


def test_header_without_rows_is_a_problem():
    problems = []
    doc = parse_text("序号\t具体措施\t完成时限\n本表由区教委负责解释。\n", path="made_up.txt")
    assert parse_task_list(doc, {}, key_prefix="t", tasks=[], problems=problems) == []
    assert [(p.line, p.kind) for p in problems] == [(1, "task_list_without_rows")]
