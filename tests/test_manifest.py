"""Manifest reading and verification: every problem named with its line and fix, all at once."""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import tomllib
from pathlib import Path

import pytest
from conftest import RAW, fixture_path

from plancompare import manifest
from plancompare.errors import ManifestError

TINY = fixture_path("manifest_tiny")
TINY_SHA = "c4cf8c716db1491186b1285f6d981748e2d6e08efef966e5398aea065d781b23"
ZERO_SHA = "0" * 64


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the one-district fixture tree; tests break it on purpose."""
    shutil.copytree(TINY, tmp_path / "proj")
    return tmp_path / "proj"


def raw(tree: Path) -> Path:
    return tree / "data" / "raw"


def edit_manifest(tree: Path, old: str, new: str) -> None:
    path = raw(tree) / "manifest.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def error_of(tree: Path) -> str:
    with pytest.raises(ManifestError) as info:
        manifest.load(tree)
    return str(info.value)


def test_project_manifest_lists_the_five_raw_files():
    reg = manifest.load(RAW.parent.parent)
    assert [d.id for d in reg.districts] == ["tongzhou", "haidian", "daxing", "anon1", "beijing"]
    assert [(d.level, d.parent) for d in reg.districts] == [
        ("district", "beijing"), ("district", "beijing"), ("district", "beijing"),
        ("district", ""), ("city", "")]
    assert reg.districts[4].documents[0].source_url == \
        "http://hbiia.org.cn/news/2021100816085.html"
    daxing = reg.districts[2]
    assert daxing.adcode == "110115"
    assert [(f.path, f.start_section) for f in daxing.documents[0].files] == [
        ("daxing_education-plan_2021-2025_part1_main-tasks.txt", "tasks"),
        ("daxing_education-plan_2021-2025_part2_key-projects.txt", "implementation"),
    ]
    assert reg.districts[3].documents[0].id == "modernisation"
    assert reg.districts[3].adcode == ""
    assert len(reg.files()) == 6


def test_fixture_tree_loads(tree):
    reg = manifest.load(tree)
    (d,) = reg.districts
    assert (d.id, d.name_zh, d.name_en, d.adcode) == ("testqu", "测试区", "Test district", "110199")
    (doc,) = d.documents
    assert (doc.id, doc.kind, doc.period, doc.end_year) == ("plan", "development plan",
                                                           "2021-2025", 2025)
    assert doc.files == (manifest.File("tiny_plan.txt", TINY_SHA, None),)


def test_hash_mismatch_names_expected_actual_and_fix(tree):
    edit_manifest(tree, TINY_SHA, ZERO_SHA)
    assert error_of(tree) == (
        "data/raw/manifest.toml: the manifest and the raw files disagree (1 problem):\n"
        f"  1. line 18: sha256 mismatch for tiny_plan.txt: expected {ZERO_SHA}, actual {TINY_SHA}"
        f'\n     fix: if the new file is intended, put sha256 = "{TINY_SHA}" in manifest.toml; '
        "raw files are never edited (restore the original otherwise)"
    )


def test_unregistered_file_gets_a_ready_to_paste_block(tree):
    shutil.copy(RAW / "daxing_education-plan_2021-2025_part2_key-projects.txt",
                raw(tree) / "daxing_extra.txt")
    (raw(tree) / "README.md").write_text("notes", encoding="utf-8")   # ignored
    (raw(tree) / ".gitkeep").write_text("", encoding="utf-8")          # ignored
    message = error_of(tree)
    sha = hashlib.sha256((raw(tree) / "daxing_extra.txt").read_bytes()).hexdigest()
    assert "(1 problem):\n  1. data/raw/daxing_extra.txt is not registered in the manifest\n" \
           "     fix: register it: append this block to manifest.toml" in message
    assert f'    path = "daxing_extra.txt"\n         sha256 = "{sha}"' in message
    # the block is valid TOML and, once names are filled in, makes the manifest pass
    block = message.split("and period:\n", 1)[1].replace("\n     ", "\n")
    block = block.replace('name_zh = ""', 'name_zh = "大兴区"').replace(
        'name_en = ""', 'name_en = "Daxing"').replace('title = ""', 'title = "t"')
    with open(raw(tree) / "manifest.toml", "a", encoding="utf-8") as fh:
        fh.write("\n" + block + "\n")
    assert [d.id for d in manifest.load(tree).districts] == ["testqu", "daxing"]


@pytest.mark.parametrize("bad", ["../../etc/passwd", "/etc/passwd", "../manifest_tiny.txt"])
def test_path_outside_raw_is_rejected(tree, bad):
    edit_manifest(tree, 'path = "tiny_plan.txt"', f'path = "{bad}"')
    message = error_of(tree)
    assert f"district 'testqu': path {bad!r} points outside data/raw" in message
    assert "fix: copy the file into data/raw/ and give its path relative to data/raw" in message
    # the now unlisted tiny_plan.txt is reported in the same error
    assert "(2 problems)" in message


def test_symlink_escaping_raw_is_rejected(tree, tmp_path):
    outside = tmp_path / "outside.txt"
    shutil.copy(raw(tree) / "tiny_plan.txt", outside)
    (raw(tree) / "tiny_plan.txt").unlink()
    os.symlink(outside, raw(tree) / "tiny_plan.txt")
    assert "path 'tiny_plan.txt' points outside data/raw" in error_of(tree)


def test_missing_file(tree):
    (raw(tree) / "tiny_plan.txt").unlink()
    assert ("  1. line 18: district 'testqu': tiny_plan.txt does not exist in data/raw\n"
            "     fix: copy the document to data/raw/tiny_plan.txt or correct path") in error_of(tree)


def test_duplicate_district_id_names_both(tree):
    text = (raw(tree) / "manifest.toml").read_text(encoding="utf-8")
    block = text[text.index("[[district]]"):]
    second = block.replace('name_zh = "测试区"', 'name_zh = "第二区"').replace(
        'adcode = "110199"', 'adcode = ""').replace('path = "tiny_plan.txt"',
                                                     'path = "copy.txt"')
    shutil.copy(raw(tree) / "tiny_plan.txt", raw(tree) / "copy.txt")
    (raw(tree) / "manifest.toml").write_text(text + "\n" + second, encoding="utf-8")
    assert ("  1. line 22: district id 'testqu' is used twice: district #1 and district #2 "
            "(第二区)\n     fix: give each district its own id, or merge the two blocks"
            ) in error_of(tree)


@pytest.mark.parametrize(("old", "new", "expected"), [
    ('id = "testqu"', 'id = "Test-Qu"', "id 'Test-Qu' must match [a-z0-9_]+"),
    ('adcode = "110199"', 'adcode = "1101"', "adcode must be 6 digits or \"\", got a string '1101'"),
    ("end_year = 2025", 'end_year = "2025"', "end_year must be a year (a number 1990-2100), got a string '2025'"),
    ('sha256 = "c4', 'sha256 = "C4', "must be 64 lowercase hex digits"),
    ('path = "tiny_plan.txt"', 'path = "tiny_plan.txt"\n    start_section = "middle"',
     "unknown start_section 'middle' for tiny_plan.txt"),
])
def test_field_problems(tree, old, new, expected):
    edit_manifest(tree, old, new)
    assert expected in error_of(tree)


@pytest.mark.parametrize(("new", "expected"), [
    ('level = "town"', ("district #1 ('testqu'): level must be one of national, province, city, "
                       "district, got 'town'")),
    ('parent = "nowhere"', "district 'testqu': parent 'nowhere' is not an id in the manifest"),
    ('parent = "testqu"', ("district 'testqu' (district): parent 'testqu' is at level "
                          "'district', not above it")),
])
def test_level_and_parent_problems(tree, new, expected):
    edit_manifest(tree, 'adcode = "110199"', 'adcode = "110199"\n' + new)
    assert expected in error_of(tree)


def test_all_problems_reported_at_once(tree):
    edit_manifest(tree, TINY_SHA, ZERO_SHA)
    edit_manifest(tree, 'adcode = "110199"', 'adcode = "x"')
    (raw(tree) / "new.txt").write_text("新的规划\n", encoding="utf-8")
    message = error_of(tree)
    assert "(3 problems)" in message
    assert "  1. line 8: district #1 ('testqu'): adcode must be 6 digits" in message
    assert "  2. line 18: sha256 mismatch for tiny_plan.txt" in message
    assert "  3. data/raw/new.txt is not registered in the manifest" in message


def test_toml_syntax_error_names_the_line(tree):
    edit_manifest(tree, 'name_en = "Test district"', "name_en = Test district")
    with pytest.raises(ManifestError) as info:
        manifest.load(tree)
    err = info.value
    assert (err.path, err.line) == ("data/raw/manifest.toml", 7)
    assert str(err).startswith("data/raw/manifest.toml:7: TOML syntax error: Invalid value")
    assert "fix: correct the syntax on that line" in str(err)


def test_missing_manifest(tmp_path):
    (tmp_path / "data" / "raw").mkdir(parents=True)
    with pytest.raises(ManifestError, match="the manifest does not exist"):
        manifest.load(tmp_path)


def test_manifest_error_survives_pickling(tree):
    edit_manifest(tree, TINY_SHA, ZERO_SHA)
    with pytest.raises(ManifestError) as info:
        manifest.load(tree)
    again = pickle.loads(pickle.dumps(info.value))
    assert str(again) == str(info.value)


def test_fixture_manifest_is_valid_toml():
    data = tomllib.loads((TINY / "data" / "raw" / "manifest.toml").read_text(encoding="utf-8"))
    assert data["district"][0]["document"][0]["file"][0]["sha256"] == TINY_SHA
