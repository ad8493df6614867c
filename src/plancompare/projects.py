"""Key projects from annex tables (stub: owned by the structure parser work)."""

from __future__ import annotations


def parse_projects(doc, parts, *, key_prefix):
    return []
