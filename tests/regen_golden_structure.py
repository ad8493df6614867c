"""Regenerate the structure golden files (tasks, projects, task-list measures) from data/raw.

Run from the project root, then review the diff by eye: the golden files are the spec::

    /work/venv/bin/python tests/regen_golden_structure.py

Writes ``tests/golden/structure_<name>.csv`` for each raw file named in ``conftest.RAW_FILES``;
``test_tasks.py`` compares the parsers' output with them.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from conftest import GOLDEN, RAW, RAW_FILES, START_SECTION

from plancompare.model import Item
from plancompare.parse.ingest import Document, read_document
from plancompare.parse.projects import parse_projects
from plancompare.parse.sections import assign_parts
from plancompare.parse.tasklist import parse_task_list
from plancompare.parse.tasks import parse_tasks

COLUMNS = ("key", "item_type", "level", "parent_key", "line", "line_end", "name_raw",
           "body_chars", "responsible_units", "schedule")


def structure_items(doc: Document, parts: dict[int, str], key_prefix: str) -> list[Item]:
    """Tasks, projects and measures of one document, in that order."""
    tasks = parse_tasks(doc, parts, key_prefix=key_prefix)
    projects = parse_projects(doc, parts, key_prefix=key_prefix)
    measures = parse_task_list(doc, parts, key_prefix=key_prefix, tasks=tasks)
    return tasks + projects + measures


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def structure_csv(items: list[Item]) -> str:
    """The golden-file text for a list of items (one row per item, ``COLUMNS``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for it in items:
        row = it.to_row()
        writer.writerow([it.item_key, it.item_type, _cell(it.level), _cell(it.parent_key),
                         it.line, _cell(it.line_end), it.name_raw, row["body_chars"],
                         ";".join(it.responsible_units), _cell(it.schedule)])
    return out.getvalue()


def golden_text(name: str) -> str:
    """Parse raw file ``name`` (a key of ``RAW_FILES``) and return its golden-file text."""
    doc = read_document(RAW / RAW_FILES[name], display_path=RAW_FILES[name])
    parts = assign_parts(doc, START_SECTION.get(name))
    return structure_csv(structure_items(doc, parts, name))


def golden_path(name: str) -> Path:
    return GOLDEN / f"structure_{name}.csv"


def main() -> None:
    GOLDEN.mkdir(exist_ok=True)
    for name in RAW_FILES:
        text = golden_text(name)
        golden_path(name).write_text(text, encoding="utf-8")
        print(f"{golden_path(name).name}: {text.count(chr(10)) - 1} rows")


if __name__ == "__main__":
    main()
