"""Export: exact round trips, list columns, formula-safe xlsx, atomic replacement."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from openpyxl import load_workbook

from plancompare import export
from plancompare.errors import ExportError
from plancompare.files import sha256_file
from plancompare.model import ALL_COLUMNS, LIST_COLUMNS, Item
from plancompare.parse import district_row, to_frame
from plancompare.schema import DICTIONARY

SOURCES = [{"district_id": "testqu", "district_zh": "测试区", "doc_id": "plan", "title": "规划",
            "source_file": "f.txt", "sha256": "ab" * 32, "encoding": "utf-8", "lines": 7}]
DANGEROUS = ["=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-3", "@SUM(A1)"]


def sample_frame() -> pd.DataFrame:
    items = [
        Item("indicator", "plan:ind:1", "学前教育毛入园率", "table", "f.txt", 3, "≥92", doc_id="plan",
             role="target", year=2025, comparator=">=", value=92.0, value_text="≥92", unit="%"),
        Item("indicator", "plan:ind:2", "范围", "text", "f.txt", 4, "1-3所", doc_id="plan",
             role="target", year=2025, value=1.0, value_high=3.0, value_text="1-3"),
        Item("measure", "plan:measure:1.1", "措施", "task_list", "f.txt", 5, "措施", doc_id="plan",
             level=3, body="做好工作", responsible_units=["区教委", "区财政局"]),
    ]
    items += [Item("task", f"plan:task:{i}", text, "heading", "f.txt", 6, text, doc_id="plan",
                   level=1) for i, text in enumerate(DANGEROUS, 1)]
    return to_frame([district_row(it, "testqu", "测试区", "Test") for it in items])


@pytest.fixture
def written(tmp_path):
    frame = sample_frame()
    files = export.write_curated(frame, tmp_path, sources=SOURCES, build_info={"rows": 7})
    return frame, files, tmp_path


def test_writes_exactly_four_files(written):
    _frame, files, out = written
    assert sorted(p.name for p in out.iterdir()) == [
        "build_info.json", "plan_items.csv", "plan_items.parquet", "plan_items.xlsx"]
    assert files["csv"] == out / "plan_items.csv"


def test_parquet_round_trip_keeps_dtypes_and_lists(written):
    frame, files, _ = written
    back = pd.read_parquet(files["parquet"])
    assert list(back.columns) == list(ALL_COLUMNS)
    assert str(back["line"].dtype) == "Int64" and str(back["year"].dtype) == "Int64"
    assert back["value"].dtype == "float64"
    assert list(back.loc[2, "responsible_units"]) == ["区教委", "区财政局"]
    assert list(back.loc[0, "responsible_units"]) == []
    assert back.loc[1, ["value", "value_high"]].tolist() == [1.0, 3.0]
    pd.testing.assert_frame_equal(back.drop(columns=list(LIST_COLUMNS)),
                                  frame.drop(columns=list(LIST_COLUMNS)))


def test_csv_is_utf8_without_bom_and_joins_lists(written):
    _frame, files, _ = written
    data = files["csv"].read_bytes()
    assert data.startswith(b"district_id,district_zh,")
    assert b"\r\n" not in data
    back = pd.read_csv(files["csv"], dtype=str, keep_default_na=False)
    assert back.loc[2, "responsible_units"] == "区教委；区财政局"
    assert back.loc[0, "value_text"] == "≥92"
    assert back.loc[3:, "name_raw"].tolist() == ["'" + text for text in DANGEROUS]
    assert export.read_csv(files["csv"]).loc[3:, "name_raw"].tolist() == DANGEROUS


def test_xlsx_sheets_and_formula_safety(written):
    _frame, files, _ = written
    wb = load_workbook(files["xlsx"])
    assert wb.sheetnames == ["indicator", "task", "project", "measure", "sources", "dictionary"]
    task = wb["task"]
    header = [c.value for c in task[1]]
    assert header == list(ALL_COLUMNS)
    col = header.index("name_raw") + 1
    cells = [task.cell(row=r, column=col) for r in range(2, 6)]
    assert [c.value for c in cells] == DANGEROUS
    assert [c.data_type for c in cells] == ["s"] * 4
    assert all(c.quotePrefix for c in cells)
    assert wb["project"].max_row == 1           # header only
    measure = wb["measure"]
    assert measure.cell(row=2, column=header.index("responsible_units") + 1).value == \
        "区教委；区财政局"


def test_xlsx_has_no_formula_anywhere(written):
    _frame, files, _ = written
    wb = load_workbook(files["xlsx"])
    assert not [c.coordinate for ws in wb for row in ws.iter_rows() for c in row
                if c.data_type == "f"]


def test_xlsx_sources_and_dictionary(written):
    _frame, files, _ = written
    wb = load_workbook(files["xlsx"])
    rows = list(wb["sources"].values)
    assert rows == [export.SOURCES_COLUMNS,
                    ("testqu", "测试区", "plan", "规划", "f.txt", "ab" * 32, "utf-8", 7)]
    dictionary = list(wb["dictionary"].values)
    assert dictionary[0] == ("column", "type", "meaning")
    assert [r[0] for r in dictionary[1:]] == list(ALL_COLUMNS)
    assert dictionary[1:] == [(c, t, m) for c, (t, m) in DICTIONARY.items()]


def test_build_info_data_version_is_csv_sha(written):
    _frame, files, _ = written
    info = json.loads(files["build_info"].read_text(encoding="utf-8"))
    assert info == {"rows": 7, "data_version": sha256_file(files["csv"]),
                    "curated_files": {f"plan_items.{n}": sha256_file(files[n])
                                      for n in ("parquet", "csv", "xlsx")}}


def test_illegal_control_characters_do_not_break_xlsx(tmp_path):
    frame = sample_frame()
    frame.loc[0, "quote"] = "a\x0cb"
    files = export.write_curated(frame, tmp_path, sources=[])
    assert load_workbook(files["xlsx"])["indicator"]["V2"].value == "a\ufffdb"
    assert pd.read_parquet(files["parquet"]).loc[0, "quote"] == "a\x0cb"


def test_failure_leaves_previous_files_byte_identical(written, monkeypatch):
    _frame, _files, out = written
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export, "write_xlsx", boom)
    changed = sample_frame().iloc[:2]
    with pytest.raises(ExportError) as info:
        export.write_curated(changed, out, sources=SOURCES, build_info={"rows": 2})
    message = str(info.value)
    assert message.startswith(f"{out / 'plan_items.xlsx'}: cannot write the curated data "
                              "(No space left on device); the previous curated files are unchanged")
    assert "fix: free disk space" in message
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before   # and no temp files left


def test_disk_error_through_the_cli_has_no_traceback(tmp_path, monkeypatch, capsys):
    import shutil

    from conftest import ROOT

    from plancompare import cli

    shutil.copytree(ROOT / "data" / "raw", tmp_path / "data" / "raw")

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export, "write_csv", boom)
    code = cli.main(["--root", str(tmp_path), "build", "-q"])
    err = capsys.readouterr().err
    assert code == 1
    assert "plan_items.csv: cannot write the curated data (No space left on device)" in err
    assert "Traceback" not in err
    assert not (tmp_path / "data" / "curated" / "plan_items.parquet").exists()


def test_empty_frame_exports(tmp_path):
    frame = to_frame([])
    files = export.write_curated(frame, tmp_path, sources=[])
    assert list(pd.read_parquet(files["parquet"]).columns) == list(ALL_COLUMNS)
    assert files["csv"].read_text(encoding="utf-8") == ",".join(ALL_COLUMNS) + "\n"
