"""The anonymised district's 任务清单: measures, 进度安排, 责任单位 and their link to the tasks."""

from __future__ import annotations

import pytest
from conftest import RAW_FILES, fixture_path

from plancompare.errors import InputError
from plancompare.parse.ingest import read_document
from plancompare.parse.sections import assign_parts
from plancompare.parse.tasklist import parse_task_list
from plancompare.parse.tasks import parse_tasks


def _parse(doc, parts, prefix):
    tasks = parse_tasks(doc, parts, key_prefix=prefix)
    return tasks, parse_task_list(doc, parts, key_prefix=prefix, tasks=tasks)


def _anon(docs):
    doc, parts = docs["anon1"]
    return _parse(doc, parts, "anon1")


@pytest.mark.parametrize("name", [n for n in RAW_FILES if n != "anon1"])
def test_documents_without_task_list(docs, name):
    doc, parts = docs[name]
    assert _parse(doc, parts, name)[1] == []


def test_anon_measure_count_and_groups(docs):
    _, measures = _anon(docs)
    assert len(measures) == 29
    per_group = [sum(m.item_key.startswith(f"anon1:measure:{i}.") for m in measures)
                 for i in range(1, 9)]
    assert per_group == [5, 5, 4, 4, 3, 2, 2, 4]
    assert all(m.schedule == "持续推进" and m.section == "annex" for m in measures)
    assert all(m.source == "task_list" and m.item_type == "measure" for m in measures)


def test_anon_first_measure(docs):
    m = _anon(docs)[1][0]
    assert m.item_key == "anon1:measure:1.1"
    assert m.name_raw == "全面推动习近平新时代中国特色社会主义思想进教材进课堂进头脑"
    assert m.schedule == "持续推进"
    assert m.responsible_units == ["区教育局", "区委宣传部", "区委组织部"]
    assert (m.line, m.line_end) == (60, 62)
    assert m.body.startswith(m.name_raw + "。将习近平新时代中国特色社会主义思想纳入党员干部")
    assert m.quote.endswith("\n持续推进\n区教育局、区委宣传部、区委组织部")


def test_measures_match_subtasks_one_to_one(docs):
    tasks, measures = _anon(docs)
    subtasks = {t.item_key: t for t in tasks if t.level == 2}
    parents = [m.parent_key for m in measures]
    assert sorted(parents) == sorted(subtasks)
    for m in measures:
        assert subtasks[m.parent_key].name_raw == m.name_raw
        assert m.item_key.split(":")[-1] == m.parent_key.split(":")[-1]
        assert m.level == 3


def test_repeated_and_wrapped_task_cells(docs):
    measures = {m.item_key: m for m in _anon(docs)[1]}
    # (一) is printed again at line 69: its measures continue the same group
    assert measures["anon1:measure:1.4"].line == 71
    # (八) is split over lines 146-149
    assert measures["anon1:measure:8.1"].line == 150
    assert measures["anon1:measure:8.3"].responsible_units[-1] == "各街道等相关部门"


def test_measure_units_agree_with_task_text(docs):
    tasks, measures = _anon(docs)
    units = {t.item_key: t.responsible_units for t in tasks}
    differ = [m.item_key for m in measures if m.responsible_units != units[m.parent_key]]
    assert differ == ["anon1:measure:8.3"]


def test_tasklist_fixture():
    doc = read_document(fixture_path("structure_tasklist.txt"), display_path="f.txt")
    _, measures = _parse(doc, assign_parts(doc), "t")
    assert [(m.item_key, m.parent_key, m.level, m.schedule) for m in measures] == [
        ("t:measure:1.1", "t:task:1.1", 3, "持续推进"),
        ("t:measure:1.2", "t:task:1.2", 3, "2025年底前"),
        ("t:measure:2.1", "t:task:2", 3, "持续推进"),  # no sub-task of that title
    ]
    assert measures[1].responsible_units == ["区教育局", "区生态环境局"]


def test_malformed_row_is_an_input_error():
    doc = read_document(fixture_path("structure_bad_tasklist.txt"), display_path="bad.txt")
    with pytest.raises(InputError) as exc:
        _parse(doc, assign_parts(doc), "t")
    assert exc.value.line == 12 and "bad.txt:12" in str(exc.value)
