"""Quantified targets in running text (stub: owned by the parser work)."""

from __future__ import annotations


def parse_text_targets(doc, parts, *, key_prefix, end_year, skip_lines=frozenset()):
    return []
