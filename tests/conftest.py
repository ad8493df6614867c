"""Shared fixtures: the raw documents, parsed once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOLDEN = Path(__file__).resolve().parent / "golden"

RAW_FILES = {
    "tongzhou": "tongzhou_education-plan_2021-2025.txt",
    "haidian": "haidian_education-plan_2021-2025_web-copy.txt",
    "daxing1": "daxing_education-plan_2021-2025_part1_main-tasks.txt",
    "daxing2": "daxing_education-plan_2021-2025_part2_key-projects.txt",
    "anon1": "anon1_education-modernisation-implementation-plan.txt",
}
START_SECTION = {"daxing1": "tasks", "daxing2": "implementation"}


def fixture_path(name: str) -> Path:
    """The one helper that reaches the tiny purpose-built documents in tests/fixtures/."""
    return FIXTURES / name


@pytest.fixture(scope="session")
def docs():
    """{short name: (Document, parts)} for the five raw files."""
    from plancompare.parse.ingest import read_document
    from plancompare.parse.sections import assign_parts

    out = {}
    for key, name in RAW_FILES.items():
        doc = read_document(RAW / name, display_path=name)
        out[key] = (doc, assign_parts(doc, START_SECTION.get(key)))
    return out


@pytest.fixture
def patched_reference(tmp_path, monkeypatch):
    """Copy the reference tables to tmp_path and point the loader there."""
    import shutil

    from plancompare import paths, reference

    for name in reference.COLUMNS:
        shutil.copy(paths.reference_file(name), tmp_path / name)
    monkeypatch.setattr(paths, "reference_file", lambda name: tmp_path / name)
    reference.clear_cache()
    yield tmp_path
    reference.clear_cache()
