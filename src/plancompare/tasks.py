"""Main-task hierarchy (stub: owned by the structure parser work)."""

from __future__ import annotations


def parse_tasks(doc, parts, *, key_prefix):
    return []
