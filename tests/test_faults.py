"""Fault injection (1/3): freshness, hand-edited files, disk and CSV safety (``pytest -m faults``).

Each test is one case of issue 15 ("never stale, never stuck, never a traceback"): the command a
user runs, and what they must see. The command line is called in-process (``cli.main``) so that
the exit code and stderr are checked exactly; "no traceback" means no ``Traceback`` on stderr and
a ``PlanCompareError`` (exit 1 or 2), never another exception.
"""

from __future__ import annotations

import errno
import io
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import RAW, ROOT

from plancompare import analysis, build, cli, export, manifest, paths, report
from plancompare.errors import (
    ExportError,
    ManifestError,
    ParameterError,
    RegistryError,
)

pytestmark = pytest.mark.faults

TONGZHOU = "tongzhou_education-plan_2021-2025.txt"


def project(tmp: Path, *, notebooks: bool = True) -> Path:
    """A copy of the real project (raw files, manifest, notebooks) under ``tmp``."""
    root = tmp / "proj"
    shutil.copytree(RAW, root / "data" / "raw")
    if notebooks:
        shutil.copytree(ROOT / "notebooks", root / "notebooks")
    return root


def run_cli(capsys, *args: str) -> tuple[int, str]:
    """Exit code and stderr of ``plancompare ARGS`` run in this process."""
    code = cli.main(list(args))
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def built_root(tmp_path_factory) -> Path:
    root = project(tmp_path_factory.mktemp("built"))
    build.build(root, quiet=True)
    return root


@pytest.fixture
def fresh(built_root, tmp_path) -> Path:
    """A built project of its own (copied from the module's build)."""
    root = tmp_path / "p"
    shutil.copytree(built_root, root)
    return root


# ------------------------------------------------------------------------------------------
# 1. Freshness
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "damage"), [("plan_items.parquet", "truncate"),
                                             ("plan_items.xlsx", "edit"),
                                             ("plan_items.csv", "delete")])
def test_incremental_build_verifies_every_curated_file(fresh, name, damage):
    target = paths.curated_dir(fresh) / name
    good = target.read_bytes()
    assert build.build_if_changed(fresh, quiet=True) is None  # up to date
    if damage == "truncate":
        target.write_bytes(good[: len(good) // 2])
    elif damage == "edit":
        target.write_bytes(good[:-1] + bytes([good[-1] ^ 1]))
    else:
        target.unlink()
    result = build.build_if_changed(fresh, quiet=True)
    assert result is not None  # rebuilt, not "unchanged"
    assert target.read_bytes() == good or name != "plan_items.csv"
    assert len(analysis.load_curated(fresh)) == len(result.frame)


def test_build_info_records_the_hash_of_every_curated_file(fresh):
    info = json.loads((paths.curated_dir(fresh) / "build_info.json").read_text())
    from plancompare.files import sha256_file

    curated = paths.curated_dir(fresh)
    assert info["curated_files"] == {p.name: sha256_file(p) for p in curated.iterdir()
                                     if p.name != "build_info.json"}
    assert {f"plan_items.{n}" for n in export.NAMES} <= set(info["curated_files"])
    assert info["data_version"] == info["curated_files"]["plan_items.csv"]


def test_raw_change_that_keeps_the_csv_still_changes_the_report_inputs(fresh):
    """A page-number line added to a raw file: same rows, but the data-quality report reads
    the raw files, so its input hash (and every report's) changes."""
    spec = report.load_registry(fresh)[0]
    raw_before = report.cache.raw_hash(fresh)
    before = report.input_hash(spec, fresh, "v", "c", "", raw_before)
    raw = fresh / "data" / "raw" / TONGZHOU
    raw.write_bytes(raw.read_bytes() + "\n\n— 99 —\n".encode())
    edit(fresh / "data" / "raw" / "manifest.toml", manifest.load(fresh, verify=False)
         .districts[0].documents[0].files[0].sha256, __import__("hashlib").sha256(
             raw.read_bytes()).hexdigest())
    assert report.cache.raw_hash(fresh) != raw_before
    assert report.input_hash(spec, fresh, "v", "c", "", report.cache.raw_hash(fresh)) != before


def test_document_without_rows_warns_naming_the_file(tmp_path, capsys):
    root = project(tmp_path, notebooks=False)
    empty = root / "data" / "raw" / "anon1_education-modernisation-implementation-plan.txt"
    empty.write_text("说明\n本文件暂无正文。\n", encoding="utf-8")
    from plancompare.files import sha256_file

    text = (root / "data" / "raw" / "manifest.toml").read_text(encoding="utf-8")
    old = next(f.sha256 for _d, _doc, f in manifest.load(root, verify=False).files()
               if f.path == empty.name)
    (root / "data" / "raw" / "manifest.toml").write_text(text.replace(old, sha256_file(empty)),
                                                         encoding="utf-8")
    result = build.build(root, quiet=True)
    err = capsys.readouterr().err  # the structure report's warnings (one mechanism for all)
    assert f"warning: {empty.name}: nothing understood" in err, err
    assert "anon1" not in set(result.frame["district_id"])
    # the reports never call a manifest district unknown
    wanted = ["tongzhou", "anon1"]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PLANCOMPARE_ROOT", str(root))
        with pytest.warns(UserWarning, match="`anon1` is in the manifest, but its documents "
                                             "yielded no rows"):
            assert analysis.check_districts(result.frame, wanted) == ["tongzhou"]
        with pytest.raises(ParameterError) as info:
            analysis.check_districts(result.frame, "anon1", param="district")
    assert "Unknown" not in str(info.value)
    assert info.value.message.startswith("No data for district `anon1`: it is in the manifest, "
                                         "but its documents yielded no rows"), info.value.message


# ------------------------------------------------------------------------------------------
# 4. Hand-edited files: the manifest
# ------------------------------------------------------------------------------------------

MANIFEST_CASES = [
    # (old text, new text, whether the message names the line of the new text, expected words)
    ('    [[district.document.file]]\n    path = "tongzhou_education-plan_2021-2025.txt"',
     '    file = ["tongzhou_education-plan_2021-2025.txt"]\n    path = "x"', True,
     "'file' must be [[district.document.file]] tables, got a list"),
    ('published = "2021-12"', "published = 2021-12-01", True,
     "'published' is a TOML date-time (unquoted), not text"),
    ('name_en = "Tongzhou"', 'nmae_en = "Tongzhou"', True, "did you mean 'name_en'?"),
    ('id = "tongzhou"', 'id = "tongzhou\\n"', True, "id 'tongzhou\\n' must match [a-z0-9_]+"),
    ('id = "tongzhou"', "id = 7", True, "'id' must be a string, got a number"),
    ('end_year = 2025', 'end_year = "2025"', True, "end_year must be a year"),
    ('adcode = "110112"', "adcode = 110112", True, "adcode must be 6 digits"),
]


def test_manifest_district_as_a_list_of_names(tmp_path, capsys):
    root = project(tmp_path, notebooks=False)
    (root / "data" / "raw" / "manifest.toml").write_text(
        'schema_version = 1\ndistrict = ["tongzhou"]\n', encoding="utf-8")
    code, err = run_cli(capsys, "--root", str(root), "build", "-q")
    assert code == 1
    assert "line 2: manifest: 'district' must be [[district]] tables, got a list" in err, err
    assert f"data/raw/{TONGZHOU} is not registered in the manifest" in err


@pytest.mark.parametrize(("old", "new", "line", "words"), MANIFEST_CASES)
def test_manifest_mistakes_are_listed_not_tracebacks(tmp_path, capsys, old, new, line, words):
    root = project(tmp_path, notebooks=False)
    edit(root / "data" / "raw" / "manifest.toml", old, new)
    code, err = run_cli(capsys, "--root", str(root), "build", "-q")
    assert code == 1 and err.startswith("error: data/raw/manifest.toml")
    assert words in err, err
    if line:
        lines = (root / "data" / "raw" / "manifest.toml").read_text(encoding="utf-8").splitlines()
        first = new.splitlines()[0]
        assert f"line {next(i for i, ln in enumerate(lines, 1) if first in ln)}: " in err, err


def test_manifest_lists_every_problem_at_once(tmp_path):
    root = project(tmp_path, notebooks=False)
    path = root / "data" / "raw" / "manifest.toml"
    edit(path, 'name_en = "Tongzhou"', 'nmae_en = "Tongzhou"')
    edit(path, 'published = "2021-12"', "published = 2021-12-01")
    edit(path, 'id = "haidian"', 'id = "Hai Dian"')
    with pytest.raises(ManifestError) as info:
        manifest.load(root)
    text = str(info.value)
    assert "(4 problems)" in text  # nmae_en unknown + name_en missing, date-time, id
    assert text.count("fix:") == 4


@pytest.mark.parametrize("kind", ["loop", "fifo", "directory"])
def test_odd_entries_in_data_raw_are_named(tmp_path, capsys, kind):
    import os

    root = project(tmp_path, notebooks=False)
    raw = root / "data" / "raw"
    if kind == "loop":
        os.symlink("b.txt", raw / "a.txt")
        os.symlink("a.txt", raw / "b.txt")
        expected = "data/raw/a.txt is a symlink loop, not a regular file"
    elif kind == "fifo":
        os.mkfifo(raw / "pipe.txt")
        expected = "data/raw/pipe.txt is a FIFO, not a regular file"
    else:
        (raw / TONGZHOU).rename(raw / "moved.txt")
        (raw / TONGZHOU).mkdir()
        expected = f"data/raw/{TONGZHOU} is a directory, not a regular file"
    code, err = run_cli(capsys, "--root", str(root), "build", "-q")
    assert code == 1 and expected in err, err


# ------------------------------------------------------------------------------------------
# 4. Hand-edited files: reports.toml
# ------------------------------------------------------------------------------------------

REGISTRY_CASES = [
    ('[[report]]\nname = "data-quality"',
     'report = "data-quality"\n[[report]]\nname = "data-quality"',
     "TOML syntax error: Cannot overwrite a value"),
    ('parameters = { lang = "zh" }', 'parameters = "zh"',
     "parameters must be a table, got a string"),
    ('title = "{name_zh} 区情概览', 'title = "{nmae_zh} 区情概览',
     "unknown placeholder {nmae_zh} in the title"),
    ('name = "data-quality"', 'name = "data-quality\\n"', "must match [a-z0-9][a-z0-9_-]*"),
    ('all_districts = true', 'all_district = true', "did you mean 'all_districts'?"),
    ('per_district = true', 'per_district = "yes"', "per_district must be true or false"),
]


@pytest.mark.parametrize(("old", "new", "words"), REGISTRY_CASES)
def test_registry_mistakes_are_listed_not_tracebacks(built_root, tmp_path, capsys, old, new,
                                                     words):
    root = tmp_path / "p"
    shutil.copytree(built_root, root)
    edit(root / "notebooks" / "reports.toml", old, new)
    code, err = run_cli(capsys, "--root", str(root), "report")
    assert code == 1 and err.startswith("error: notebooks/reports.toml"), err
    assert words in err, err
    assert not (root / "reports").exists()  # nothing rendered from a broken registry


@pytest.mark.parametrize("value", ['"data-quality"', "3", '["data-quality"]'])
def test_registry_report_of_the_wrong_shape(built_root, tmp_path, capsys, value):
    root = tmp_path / "p"
    shutil.copytree(built_root, root)
    (root / "notebooks" / "reports.toml").write_text(f"schema_version = 1\nreport = {value}\n",
                                                      encoding="utf-8")
    code, err = run_cli(capsys, "--root", str(root), "report")
    assert code == 1 and "line 2: reports.toml: 'report' must be [[report]] tables, got a" in err


def test_registry_problems_carry_their_line(built_root, tmp_path):
    root = tmp_path / "p"
    shutil.copytree(built_root, root)
    path = root / "notebooks" / "reports.toml"
    edit(path, 'parameters = { lang = "zh" }', 'parameters = "zh"')
    edit(path, 'title = "{name_zh} 区情概览', 'title = "{nmae_zh} 区情概览')
    lines = path.read_text(encoding="utf-8").splitlines()
    with pytest.raises(RegistryError) as info:
        report.load_registry(root)
    text = str(info.value)
    assert "(2 problems)" in text
    params = lines.index('parameters = "zh"') + 1
    assert f"line {params}: " in text
    assert f"line {next(i for i, ln in enumerate(lines, 1) if 'nmae_zh' in ln)}: " in text


# ------------------------------------------------------------------------------------------
# Disk full, read-only (already handled: the previous files stay)
# ------------------------------------------------------------------------------------------


def test_disk_full_under_curated_keeps_the_previous_files(fresh, monkeypatch, capsys):
    before = {n: paths.curated_file(n, fresh).read_bytes() for n in export.NAMES}

    def full(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(export, "write_xlsx", full)
    code, err = run_cli(capsys, "--root", str(fresh), "build", "--force", "-q")
    assert code == 1 and "No space left on device" in err and "unchanged" in err
    assert {n: paths.curated_file(n, fresh).read_bytes() for n in export.NAMES} == before
    assert not list(paths.curated_dir(fresh).glob(".*.tmp"))
    with pytest.raises(ExportError):
        build.build(fresh, quiet=True)


def test_disk_full_under_reports_is_one_message(built_root, tmp_path, monkeypatch, capsys):
    root = tmp_path / "p"
    shutil.copytree(built_root, root)

    def full(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device", str(root / "reports" / "x"))

    monkeypatch.setattr(report.font, "prepare_font", full)
    monkeypatch.setattr(report.run, "prepare_font", full)
    code, err = run_cli(capsys, "--root", str(root), "report")
    assert code == 1 and "cannot write the reports (No space left on device)" in err, err
    assert "free disk space" in err


# ------------------------------------------------------------------------------------------
# 6. CSV safe for spreadsheets
# ------------------------------------------------------------------------------------------

RISKY = ["=1+1", "+86 10", "-3所", "@SUM(A1)", "\t=cmd", "'quoted", "普通文本", "a=b"]


def test_csv_cells_a_spreadsheet_would_evaluate_are_text(tmp_path):
    from plancompare.model import Item
    from plancompare.parse import district_row, to_frame

    items = [Item("task", f"plan:task:{i}", text, "heading", "f.txt", i, text, doc_id="plan",
                  level=1) for i, text in enumerate(RISKY, 1)]
    frame = to_frame([district_row(it, "testqu", "测试区", "Test") for it in items])
    files = export.write_curated(frame, tmp_path, sources=[], build_info={"rows": len(frame)})
    raw = pd.read_csv(files["csv"], dtype=str, keep_default_na=False)["name_raw"].tolist()
    assert raw == ["'=1+1", "'+86 10", "'-3所", "'@SUM(A1)", "'\t=cmd", "''quoted",
                   "普通文本", "a=b"]
    assert export.read_csv(files["csv"])["name_raw"].tolist() == RISKY
    back = pd.read_parquet(files["parquet"])
    assert back["name_raw"].tolist() == RISKY  # the parquet (load_curated) is never prefixed
    numbers = pd.read_csv(files["csv"], dtype=str, keep_default_na=False)["line"].tolist()
    assert numbers == [str(i) for i in range(1, len(RISKY) + 1)]


def test_csv_code_columns_are_never_prefixed(tmp_path):
    """The comparator `=` (a closed-list code, no document text) is written as `=`."""
    from plancompare.model import Item
    from plancompare.parse import district_row, to_frame

    items = [Item("indicator", f"plan:txt:{i}:1", "入园率", "text", "f.txt", i, "=达到90%",
                  doc_id="plan", role="target", comparator=cmp, value=90.0, value_text="-90")
             for i, cmp in enumerate(["=", ">=", "<="], 1)]
    frame = to_frame([district_row(it, "testqu", "测试区", "Test") for it in items])
    rows = pd.read_csv(io.StringIO(export.csv_text(frame)), dtype=str, keep_default_na=False)
    assert rows["comparator"].tolist() == ["=", ">=", "<="]
    assert rows["quote"].tolist() == ["'=达到90%"] * 3 and rows["value_text"].tolist() == ["'-90"] * 3


def test_load_curated_reads_risky_text_unchanged(fresh):
    frame = analysis.load_curated(fresh)
    csv = export.read_csv(paths.curated_file("csv", fresh))
    assert csv["quote"].tolist() == frame["quote"].tolist()
    assert csv["name_raw"].fillna("").tolist() == frame["name_raw"].fillna("").tolist()
