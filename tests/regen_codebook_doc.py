"""Regenerate the codebook table of docs/codebook.md from reference/crosswalk.csv.

Run from the project root and review the diff::

    .venv/bin/python tests/regen_codebook_doc.py
"""

from __future__ import annotations

from pathlib import Path

from plancompare import reference

DOC = Path(__file__).resolve().parents[1] / "docs" / "codebook.md"


def regenerate(text: str) -> str:
    """``text`` with the part between the markers replaced by the current table."""
    start, end = reference.DOC_MARKERS
    head, rest = text.split(start, 1)
    _old, tail = rest.split(end, 1)
    return head + start + "\n" + reference.codebook_markdown() + end + tail


if __name__ == "__main__":
    DOC.write_text(regenerate(DOC.read_text(encoding="utf-8")), encoding="utf-8")
