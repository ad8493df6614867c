"""`plancompare build` with Tongzhou registered as .docx and Haidian as .pdf (temporary project)."""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest
from published import RAW, SEEDS, make_docx, make_pdf, seed_blocks

from plancompare import build as build_mod
from plancompare import cli, manifest, paths

ROOT = RAW.parents[1]
DOCX = "tongzhou_education-plan_2021-2025.docx"
PDF = "haidian_education-plan_2021-2025.pdf"


def published_project(base):
    """A project root whose manifest lists Tongzhou's plan as .docx and Haidian's as .pdf."""
    root = base / "proj"
    shutil.copytree(RAW, root / "data" / "raw")
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    raw = root / "data" / "raw"
    make_docx(seed_blocks("tongzhou"), raw / DOCX)
    make_pdf(seed_blocks("haidian"), raw / PDF, running_header="海淀区教育规划")
    text = (raw / "manifest.toml").read_text(encoding="utf-8")
    for old, new in ((SEEDS["tongzhou"], DOCX), (SEEDS["haidian"], PDF)):
        (raw / old).unlink()
        sha = manifest.sha256_file(raw / new)
        text = re.sub(rf'path = "{re.escape(old)}"\n(\s*)sha256 = "[0-9a-f]+"',
                      rf'path = "{new}"\n\1sha256 = "{sha}"\n\1format = "{new.rsplit(".")[1]}"',
                      text)
    (raw / "manifest.toml").write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = published_project(tmp_path_factory.mktemp("published"))
    assert cli.main(["--root", str(root), "build", "-q"]) == 0
    return root, pd.read_csv(paths.curated_file("csv", root), dtype=str)


def test_build_rows_carry_the_original_and_a_locator(built):
    _, frame = built
    tz = frame[frame["district_id"] == "tongzhou"]
    hd = frame[frame["district_id"] == "haidian"]
    assert set(tz["source_file"]) == {DOCX} and set(hd["source_file"]) == {PDF}
    assert tz["locator"].notna().all() and hd["locator"].notna().all()
    assert hd["locator"].str.match(r"^p\. \d+").all()
    row = hd[(hd["item_type"] == "indicator") & (hd["source"] == "table")].iloc[0]
    assert (row["name_raw"], row["value_text"], row["locator"]) == (
        "学前三年入园率", ">90", "p. 8, table 1 row 2")
    assert frame.loc[frame["district_id"] == "daxing", "locator"].isna().all()


def test_same_row_counts_as_the_text_build(built):
    _, frame = built
    counts = frame.groupby(["district_id", "source"]).size().to_dict()
    assert counts[("haidian", "table")] == 24 and counts[("haidian", "heading")] == 71
    assert counts[("haidian", "annex")] == 34 and counts[("tongzhou", "table")] == 13
    assert counts[("tongzhou", "heading")] == 22 and counts[("tongzhou", "annex")] == 17


def test_renditions_under_interim_and_in_the_sources_sheet(built):
    root, _ = built
    interim = paths.interim_dir(root)
    assert sorted(p.name for p in interim.iterdir()) == [
        f"{PDF}.json", f"{PDF}.txt", f"{DOCX}.json", f"{DOCX}.txt"]
    sources = pd.read_excel(paths.curated_file("xlsx", root), sheet_name="sources")
    enc = dict(zip(sources["source_file"], sources["encoding"]))
    daxing = "daxing_education-plan_2021-2025_part1_main-tasks.txt"
    assert (enc[DOCX], enc[PDF], enc[daxing]) == ("docx rendition", "pdf rendition", "utf-8")


def test_unchanged_files_are_not_rendered_again(built, monkeypatch):
    from plancompare.render import docx, pdf

    root, frame = built
    for module in (docx, pdf):
        monkeypatch.setattr(module, "render", lambda *a, **k: pytest.fail("rendered again"))
    again = build_mod.parse_all(manifest.load(root), quiet=True)
    assert len(again) == len(frame)


@pytest.mark.slow
def test_reports_show_quotes_and_page_sources(built):
    from plancompare import report

    root, _ = built
    summary = report.report_all(root=root, only=["indicator-targets"], jobs=1)
    assert not summary.failed
    page = (paths.reports_dir(root) / "indicator-targets.html").read_text(encoding="utf-8")
    # file:line of the rendition (a link to its source page) and the locator in the original
    assert re.search(rf'<a class="pc-src" href="sources/{re.escape(PDF)}.html#L\d+(-L\d+)?">'
                     rf"{re.escape(PDF)}:\d+(-\d+)?</a> \(p\. 8, table 1 row 2\)", page)
    assert re.search(rf"{re.escape(DOCX)}:\d+(-\d+)?</a> \(table 1 row 2\)", page)
    source = (paths.reports_dir(root) / "sources" / f"{PDF}.html").read_text(encoding="utf-8")
    assert '<main class="src with-loc">' in source and '<span class="loc">p. 8' in source
