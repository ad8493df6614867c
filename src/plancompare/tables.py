"""Indicator tables in every layout the documents use (stub: owned by the parser work)."""

from __future__ import annotations


def parse_indicator_tables(doc, parts, *, key_prefix, end_year):
    return []
