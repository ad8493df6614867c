"""Task-list tables (任务清单) (stub: owned by the structure parser work)."""

from __future__ import annotations


def parse_task_list(doc, parts, *, key_prefix, tasks):
    return []
