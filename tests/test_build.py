"""End-to-end build into a temporary project root: files, summary, provenance, atomicity."""

from __future__ import annotations

import json
import shutil
from collections import Counter

import pandas as pd
import pytest
from conftest import RAW, RAW_FILES, START_SECTION
from openpyxl import load_workbook

from plancompare import build as build_mod
from plancompare import export, manifest, parse, paths
from plancompare.errors import ExportError, ManifestError
from plancompare.files import sha256_file
from plancompare.model import ALL_COLUMNS, LIST_COLUMNS

DISTRICT_OF = {"tongzhou": "tongzhou", "haidian": "haidian", "daxing1": "daxing",
               "daxing2": "daxing", "anon1": "anon1"}


def make_root(base):
    root = base / "proj"
    shutil.copytree(RAW, root / "data" / "raw")
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = make_root(tmp_path_factory.mktemp("build"))
    return root, build_mod.build(root, quiet=True)


def test_writes_all_curated_files(built):
    root, result = built
    out = paths.curated_dir(root)
    assert sorted(p.name for p in out.iterdir()) == [
        "build_info.json", "plan_items.csv", "plan_items.parquet", "plan_items.xlsx",
        "similarity.csv", "terms.csv"]
    assert {k: p.name for k, p in result.files.items()} == {
        "parquet": "plan_items.parquet", "csv": "plan_items.csv", "xlsx": "plan_items.xlsx",
        "terms.csv": "terms.csv", "similarity.csv": "similarity.csv",
        "build_info": "build_info.json"}


def test_parquet_is_the_returned_frame(built):
    root, result = built
    back = pd.read_parquet(paths.curated_file("parquet", root))
    assert list(back.columns) == list(ALL_COLUMNS)
    pd.testing.assert_frame_equal(back.drop(columns=list(LIST_COLUMNS)),
                                  result.frame.drop(columns=list(LIST_COLUMNS)))


def test_every_row_is_traceable_to_its_raw_line(built):
    _root, result = built
    lines = {name: (RAW / name).read_text(encoding="utf-8").split("\n")
             for name in set(result.frame["source_file"])}
    for row in result.frame.itertuples():
        end = row.line_end if pd.notna(row.line_end) else row.line
        text = "\n".join(lines[row.source_file][row.line - 1:end])
        assert row.quote in text, (row.item_key, row.line)


def test_district_columns_come_from_the_manifest(built):
    _root, result = built
    names = result.frame.groupby("district_id")[["district_zh", "district_en", "doc_id"]].first()
    assert names.loc["daxing"].tolist() == ["大兴区", "Daxing", "plan"]
    assert names.loc["anon1"].tolist() == ["**区（匿名）", "Anonymised district", "modernisation"]


def test_second_daxing_file_gets_its_own_key_prefix(built):
    _root, result = built
    daxing = result.frame[result.frame["district_id"] == "daxing"]
    prefixes = daxing.groupby("source_file")["item_key"].agg(
        lambda keys: sorted({k.split(":")[0] for k in keys}))
    assert prefixes.to_dict() == {
        "daxing_education-plan_2021-2025_part1_main-tasks.txt": ["plan"],
        "daxing_education-plan_2021-2025_part2_key-projects.txt": ["plan.2"]}


def test_counts_match_the_parsers(built, docs):
    """The build loses and adds nothing: rows per district and type = what the parsers return."""
    _root, result = built
    expected: Counter = Counter()
    for short, (doc, _parts) in docs.items():
        prefix = "plan.2" if short == "daxing2" else ("modernisation" if short == "anon1"
                                                      else "plan")
        items = parse.parse_document(doc, doc_id="x", key_prefix=prefix, end_year=2025,
                                     start_section=START_SECTION.get(short))
        expected.update((DISTRICT_OF[short], it.item_type) for it in items)
    seeds = result.frame[result.frame["district_id"].isin(set(DISTRICT_OF.values()))]
    actual = Counter(zip(seeds["district_id"], seeds["item_type"], strict=True))
    assert actual == expected
    summary = result.summary
    assert summary.loc["total", "total"] == len(result.frame)
    for (district, item_type), n in expected.items():
        assert summary.loc[district, item_type] == n
    # the reference plan (Beijing's municipal news report) gives its running-text targets
    beijing = result.frame[result.frame["district_id"].eq("beijing")]
    assert Counter(beijing["role"]) == {"target": 7}


def test_summary_lists_districts_in_manifest_order(built):
    _root, result = built
    assert list(result.summary.index) == ["tongzhou", "haidian", "daxing", "anon1",
                                          "beijing (reference: city)", "total"]
    assert list(result.summary.columns) == ["indicator", "task", "project", "measure", "total"]


def test_build_info(built):
    root, result = built
    info = json.loads((paths.curated_dir(root) / "build_info.json").read_text(encoding="utf-8"))
    assert info["rows"] == len(result.frame)
    assert info["data_version"] == sha256_file(paths.curated_file("csv", root))
    assert info["raw_files"] == {f.path: f.sha256 for _d, _doc, f in manifest.load(root).files()}
    assert set(info) == {"package_version", "built_at", "rows", "manifest_sha256", "raw_files",
                         "data_version", "curated_files"}


def test_sources_sheet(built):
    root, _result = built
    rows = list(load_workbook(paths.curated_file("xlsx", root))["sources"].values)
    assert [(r[0], r[2], r[4], r[6], r[7]) for r in rows[1:]] == [
        ("tongzhou", "plan", RAW_FILES["tongzhou"], "utf-8", 338),
        ("haidian", "plan", RAW_FILES["haidian"], "utf-8", 640),
        ("daxing", "plan", RAW_FILES["daxing1"], "utf-8", 100),
        ("daxing", "plan", RAW_FILES["daxing2"], "utf-8", 72),
        ("anon1", "modernisation", RAW_FILES["anon1"], "utf-8", 162),
        ("beijing", "plan", "beijing_education-plan_2021-2025_news-report.txt", "utf-8", 18),
    ]


def test_summary_text(built, capsys):
    root, result = built
    text = build_mod.format_summary(result, root)
    assert text.splitlines()[0] == (f"built {len(result.frame)} rows -> {root}/data/curated/ "
                                    "(plan_items.parquet, plan_items.csv, plan_items.xlsx, "
                                    "terms.csv, similarity.csv, build_info.json)")
    assert "district" in text and "tongzhou" in text


def test_failed_build_leaves_previous_output_untouched(tmp_path, monkeypatch):
    root = make_root(tmp_path)
    build_mod.build(root, quiet=True)
    out = paths.curated_dir(root)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    monkeypatch.setattr(export, "write_xlsx", lambda *a, **k: (_ for _ in ()).throw(
        OSError("no space left on device")))
    with pytest.raises(ExportError, match="no space left"):
        build_mod.build(root, quiet=True)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    monkeypatch.undo()

    raw_file = root / "data" / "raw" / RAW_FILES["daxing2"]
    raw_file.chmod(0o644)
    raw_file.write_bytes(raw_file.read_bytes() + "追加的一行\n".encode())
    with pytest.raises(ManifestError, match="sha256 mismatch for daxing_education"):
        build_mod.build(root, quiet=True)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_build_honours_plancompare_root(tmp_path, monkeypatch):
    root = make_root(tmp_path)
    monkeypatch.setenv("PLANCOMPARE_ROOT", str(root))
    result = build_mod.build(quiet=True)
    assert paths.curated_file("parquet", root).is_file()
    assert len(result.frame) == result.summary.loc["total", "total"]
