"""Bad input, faults and safety: every case gets a correct parse or a clear error.

A clear error names the file (and the line where one applies), says what to do ("fix:") and is
never a bare traceback; through the CLI it exits non-zero with the message on stderr. Where an
existing test already covers a case it is referenced, not repeated.

=====================================================  =============================================
case                                                   behaviour -> test
=====================================================  =============================================
UTF-8 with BOM, GB18030, UTF-16 LE/BE with BOM, CRLF   identical rows for all five seeds ->
                                                       test_reencoded_seed_gives_identical_rows
                                                       (lines: test_ingest.py::
                                                       test_reencoded_copies_give_same_lines;
                                                       CLI: test_cli.py::
                                                       test_extract_other_encodings_give_identical_rows)
short GB18030 text that is also valid UTF-8 (目录)      GB18030 -> test_short_gb18030_that_is_
                                                       also_valid_utf8
GBK                                                    decoded as GB18030 (a superset), identical
                                                       rows -> test_reencoded_seed_gives_identical_rows
UTF-32 with BOM                                        decoded -> test_utf32_with_bom_is_decoded
UTF-16 without BOM                                     decoded (LE or BE, whichever reads as
                                                       text) -> test_utf16_without_bom_is_decoded
NUL after a BOM                                        error naming the cause ->
                                                       test_undecodable_text_is_explained
full-width digits, %, >, () (``９０％``)                 same values/comparators/units/years; value_text
                                                       as printed -> test_full_width_copy_of_seed
                                                       (cells: test_tables.py::test_full_width_line_rows)
NBSP and U+3000 (indent and cell separators)           identical rows -> test_wide_spaces_copy_of_seed
                                                       (ingest: test_ingest.py::
                                                       test_fullwidth_and_special_spaces_normalised)
empty file                                             exit 2 "the file is empty" -> test_cli.py::
                                                       test_extract_unreadable_file_exits_2;
                                                       build -> test_build_bad_raw_file[empty]
binary file (PNG)                                      exit 2 "not text" -> test_cli.py::
                                                       test_extract_unreadable_file_exits_2;
                                                       build -> test_build_bad_raw_file[binary]
PDF, .docx (zip), .doc, RTF, HTML saved as the plan    exit 2 naming the format ->
                                                       test_extract_document_formats_are_named
only web boilerplate                                   "no plan text" -> test_ingest.py::
                                                       test_only_boilerplate_is_an_error; CLI ->
                                                       test_extract_only_boilerplate
plan without an indicator table                        rows from text only ->
                                                       test_extract_plan_without_table (seeds:
                                                       test_tables.py::test_documents_without_
                                                       indicator_table)
table row with a name but no value                     error at the row's line ->
                                                       test_row_with_name_but_no_value (+ CLI)
                                                       (numbered cell rows: test_tables.py::
                                                       test_row_missing_its_value_cell_is_an_error)
table without row numbers, one row per line            parsed -> test_unnumbered_line_rows
comparators 不足 / 不到 / 逾                            < / < / > in text and cells ->
                                                       test_new_comparator_words_in_text,
                                                       test_unnumbered_line_rows
approximations 约 / 将近 / 接近 / ≈ / 左右 in text      "=" with the word kept in value_text ->
                                                       test_approximate_words_in_text
approximations in a table cell                         error naming the word, file, line ->
                                                       test_approximate_table_cell_is_explained
                                                       (约90: test_tables.py::test_unreadable_
                                                       value_cell_names_file_line_and_fix)
manifest path outside data/raw (../../etc/passwd)      ManifestError with line -> test_manifest.py::
                                                       test_path_outside_raw_is_rejected; CLI ->
                                                       test_build_manifest_problems[outside]
two districts with the same id                         test_manifest.py::
                                                       test_duplicate_district_id_names_both; CLI ->
                                                       test_build_manifest_problems[duplicate]
raw file hash differs from the manifest                test_manifest.py::
                                                       test_hash_mismatch_names_expected_actual_and_
                                                       fix; test_build.py::test_failed_build_leaves_
                                                       previous_output_untouched; CLI ->
                                                       test_build_manifest_problems[hash]
bad table value in a registered raw file (build)       exit 2, file:line, curated byte-identical ->
                                                       test_build_bad_raw_file[bad_value]
export fails mid-way (xlsx writer)                     previous files intact -> test_export.py::
                                                       test_failure_leaves_previous_files_byte_
                                                       identical, test_build.py::test_failed_build_
                                                       leaves_previous_output_untouched
export fails mid-way (parquet writer, partial file)    previous files intact and readable ->
                                                       test_parquet_failure_mid_write_keeps_previous
validation fails during build                          curated byte-identical ->
                                                       test_schema_failure_keeps_previous_curated
xlsx cells starting with = + - @                       string cells, never formulas: name_raw in
                                                       test_export.py::test_xlsx_sheets_and_formula_
                                                       safety; every text column and the sources
                                                       sheet -> test_xlsx_injection_in_every_column
=====================================================  =============================================
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import RAW, RAW_FILES, START_SECTION, fixture_path
from openpyxl import load_workbook

from plancompare import build as build_mod
from plancompare import cli, export, parse, paths
from plancompare.errors import ExportError, InputError, SchemaError
from plancompare.parse.ingest import decode, parse_text, read_document
from plancompare.parse.numbers import fold, parse_cell, scan

BAD = fixture_path("bad")
TINY = fixture_path("manifest_tiny")
WIDE = str.maketrans("0123456789%>()", "０１２３４５６７８９％＞（）")
VALUE_FIELDS = ("item_key", "item_type", "role", "comparator", "value", "value_high", "unit",
                "year", "line", "line_end", "section", "level", "doc_id")


# ---- helpers --------------------------------------------------------------------------------


def _encode(text: str, how: str) -> bytes:
    if how == "utf-8-bom":
        return text.encode("utf-8-sig")
    if how == "utf-16-le-bom":
        return b"\xff\xfe" + text.encode("utf-16-le")
    if how == "utf-16-be-bom":
        return b"\xfe\xff" + text.encode("utf-16-be")
    if how == "crlf":
        return text.replace("\n", "\r\n").encode("utf-8")
    if how == "gb18030-crlf":
        return text.replace("\n", "\r\n").encode("gb18030")
    return text.encode(how)


def _parse_seed(key: str, path: Path) -> list:
    return parse.parse_file(path, display_path=RAW_FILES[key], doc_id="plan", key_prefix="plan",
                            end_year=2025, start_section=START_SECTION.get(key))


def _parse_seed_text(key: str, text: str) -> list:
    doc = parse_text(text, path=RAW_FILES[key])
    return parse.parse_document(doc, doc_id="plan", key_prefix="plan", end_year=2025,
                                start_section=START_SECTION.get(key))


@pytest.fixture(scope="module")
def seed_items() -> dict[str, list]:
    return {key: _parse_seed(key, RAW / name) for key, name in RAW_FILES.items()}


def run_cli(argv: list[str], capsysbinary) -> tuple[int, str, str]:
    code = cli.main(argv)
    out, err = capsysbinary.readouterr()
    return code, out.decode("utf-8"), err.decode("utf-8")


def assert_clear_error(err: str, name: str, line: int | None = None) -> None:
    """stderr of a failed command: one message naming the file (and line), with a fix."""
    assert err.startswith("error: "), err
    assert name in err
    if line is not None:
        assert f"{name}:{line}" in err or f"line {line}" in err, err
    assert "fix" in err and "Traceback" not in err


# ---- encodings, line ends, character widths -------------------------------------------------

ENCODINGS = ["utf-8-bom", "gb18030", "utf-16-le-bom", "utf-16-be-bom", "crlf", "gb18030-crlf"]


@pytest.mark.parametrize("how", ENCODINGS)
@pytest.mark.parametrize("key", list(RAW_FILES))
def test_reencoded_seed_gives_identical_rows(key, how, tmp_path, seed_items):
    text = (RAW / RAW_FILES[key]).read_text(encoding="utf-8")
    copy = tmp_path / f"{key}.txt"
    copy.write_bytes(_encode(text, how))
    items = _parse_seed(key, copy)
    assert len(items) == len(seed_items[key])
    for a, b in zip(items, seed_items[key], strict=True):
        assert dataclasses.asdict(a) == dataclasses.asdict(b)   # every field, source_file too


@pytest.mark.parametrize("key", ["tongzhou", "anon1"])  # the seeds GBK can represent
def test_gbk_copy_gives_identical_rows(key, tmp_path, seed_items):
    copy = tmp_path / f"{key}.txt"
    copy.write_bytes((RAW / RAW_FILES[key]).read_text(encoding="utf-8").encode("gbk"))
    assert read_document(copy).encoding == "gb18030"
    assert [dataclasses.asdict(i) for i in _parse_seed(key, copy)] == [
        dataclasses.asdict(i) for i in seed_items[key]]


@pytest.mark.parametrize("text", ["目录", "一、目标\n"])
def test_short_gb18030_that_is_also_valid_utf8(text):
    """目录 in GB18030 (C4 BF C2 BC) is valid UTF-8 ("Ŀ¼"); found by test_properties."""
    assert decode(text.encode("gb18030"), "p.txt") == (text, "gb18030")
    # UTF-8 with any Chinese character stays UTF-8 (a plan always has some)
    assert decode("目录 für 2025".encode(), "p.txt") == ("目录 für 2025", "utf-8")


def test_utf32_with_bom_is_decoded():
    text = "测试区教育发展规划（2021-2025年）\n到2025年，入园率达到90%。\n"
    for data in (text.encode("utf-32"), b"\x00\x00\xfe\xff" + text.encode("utf-32-be")):
        assert decode(data, "p.txt") == (text, "utf-32")


def test_utf16_without_bom_is_decoded():
    text = "测试区教育发展规划（2021-2025年）\n到2025年，入园率达到90%。\n"
    assert decode(text.encode("utf-16-le"), "p.txt") == (text, "utf-16-le")
    assert decode(text.encode("utf-16-be"), "p.txt") == (text, "utf-16-be")


@pytest.mark.parametrize(("data", "expected"), [
    (b"\xff\xfea\x00\x00\x00b\x00", "starts with a byte-order mark but does not decode"),
    (b"\xff\xfe\x00\xd8", "looks binary"),
])
def test_undecodable_text_is_explained(data, expected):
    with pytest.raises(InputError, match=expected) as info:
        decode(data, "data/raw/x.txt")
    assert "data/raw/x.txt" in str(info.value) and "fix:" in str(info.value)


@pytest.mark.parametrize("key", list(RAW_FILES))
def test_full_width_copy_of_seed(key, seed_items):
    """Digits, %, >, () printed full-width (``９０％``, ``＞``, ``（）``) throughout the document.

    "Correct" means: the same rows (keys, lines, sections) with equal comparators, values,
    units and years; ``value_text`` and ``quote`` stay as printed in the copy, so they equal the
    original's after the same translation, and ``fold`` maps them back.
    """
    text = (RAW / RAW_FILES[key]).read_text(encoding="utf-8")
    items = _parse_seed_text(key, text.translate(WIDE))
    orig = seed_items[key]
    assert [tuple(getattr(i, f) for f in VALUE_FIELDS) for i in items] == \
        [tuple(getattr(i, f) for f in VALUE_FIELDS) for i in orig]
    for a, b in zip(items, orig, strict=True):
        assert a.value_text == (None if b.value_text is None else b.value_text.translate(WIDE))
        assert a.quote == b.quote.translate(WIDE)
        assert fold(a.name_raw) == fold(b.name_raw)


def test_full_width_haidian_table_values():
    text = (RAW / RAW_FILES["haidian"]).read_text(encoding="utf-8").translate(WIDE)
    table = [i for i in _parse_seed_text("haidian", text) if i.source == "table"]
    first = table[0]
    assert (first.value_text, first.comparator, first.value, first.unit, first.year) == (
        "＞９０", ">", 90.0, "%", 2025)
    assert first.quote == "１ 学前三年入园率（％） ９０ ＞９０"


@pytest.mark.parametrize("space", ["\u3000", "\u00a0"])
@pytest.mark.parametrize("key", list(RAW_FILES))
def test_wide_spaces_copy_of_seed(key, space, seed_items):
    """Every ASCII space (indents and table cell separators) replaced by U+3000 or NBSP."""
    text = (RAW / RAW_FILES[key]).read_text(encoding="utf-8").replace(" ", space)
    items = _parse_seed_text(key, text)
    assert [tuple(getattr(i, f) for f in VALUE_FIELDS) + (i.value_text,) for i in items] == \
        [tuple(getattr(i, f) for f in VALUE_FIELDS) + (i.value_text,) for i in seed_items[key]]


# ---- files that are not plans ---------------------------------------------------------------

FORMATS = {
    "plan.pdf": (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
                 "a PDF file"),
    "plan.docx": (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00word/document.xml",
                  "zip archive"),
    "plan.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40, "Word / Excel 97-2003"),
    "plan.rtf": (b"{\\rtf1\\ansi\\ansicpg936 \\'bd\\'cc\\'d3\\'fd}", "an RTF document"),
    "plan.html": ("\ufeff<!DOCTYPE html>\n<html><p>到2025年，入园率达到90%。</p></html>".encode(),
                  "an HTML page"),
}


@pytest.mark.parametrize("name", list(FORMATS))
def test_extract_document_formats_are_named(name, tmp_path, capsysbinary):
    """A document saved under a .txt name is named for what it is (it is not rendered)."""
    data, what = FORMATS[name]
    path = tmp_path / (name.replace(".", "_") + ".txt")
    path.write_bytes(data)
    code, out, err = run_cli(["extract", str(path)], capsysbinary)
    assert (code, out) == (2, "")
    assert_clear_error(err, path.name)
    assert what in err and "give the file its real suffix" in err


@pytest.mark.parametrize(("name", "what"), [
    ("plan.pdf", "the PDF is damaged or incomplete"),
    ("plan.docx", "the Word file is damaged or incomplete"),
    ("plan.doc", "needs LibreOffice"),
    ("plan.rtf", "needs LibreOffice"),
])
def test_extract_damaged_documents(name, what, tmp_path, capsysbinary, monkeypatch):
    """Under their own suffix the same stubs are rendered and fail with one clear message."""
    from plancompare.render import office

    monkeypatch.setattr(office, "soffice", lambda: None)
    (tmp_path / name).write_bytes(FORMATS[name][0])
    code, out, err = run_cli(["extract", str(tmp_path / name)], capsysbinary)
    assert (code, out) == (2, "")
    assert_clear_error(err, name)
    assert what in err


def test_extract_only_boilerplate(tmp_path, capsysbinary):
    lines = (RAW / RAW_FILES["haidian"]).read_text(encoding="utf-8").split("\n")
    ads = tmp_path / "ads.txt"
    ads.write_text("\n".join(lines[:22] + lines[546:]), encoding="utf-8")
    code, out, err = run_cli(["extract", str(ads), "--end-year", "2025"], capsysbinary)
    assert (code, out) == (2, "")
    assert_clear_error(err, "ads.txt")
    assert "no plan text" in err


def test_extract_plan_without_table(capsysbinary):
    code, out, err = run_cli(["extract", str(BAD / "no_table.txt"), "--format", "json"],
                             capsysbinary)
    assert code == 0 and "Traceback" not in err
    rows = pd.read_json(pd.io.common.StringIO(out), orient="records")
    indicators = rows[rows["item_type"] == "indicator"]
    assert set(indicators["source"]) == {"text"}
    assert indicators["value_text"].tolist() == ["达到92%以上", "不低于99%", "5000个"]
    assert (rows["item_type"] == "task").sum() == 2


# ---- tables ---------------------------------------------------------------------------------


def test_row_with_name_but_no_value(capsysbinary):
    """Unnumbered cell rows: 普惠性幼儿园覆盖率（%） has no value; before the fix the table
    silently ended there and lost the following row as well."""
    path = BAD / "table_row_no_value.txt"
    with pytest.raises(InputError) as info:
        parse.parse_file(path, display_path=path.name, doc_id="plan", key_prefix="plan",
                         end_year=2025)
    assert (info.value.path, info.value.line) == ("table_row_no_value.txt", 8)
    assert "fewer value cells" in str(info.value)
    code, out, err = run_cli(["extract", str(path)], capsysbinary)
    assert (code, out) == (2, "")
    assert_clear_error(err, "table_row_no_value.txt", 8)


@pytest.mark.parametrize(("text", "line", "message"), [
    # one line per row, numbered: the name alone, and one of two values
    ("二、发展目标\n指 标 2020年 2025年\n1 入园率(%) 90 >90\n2 覆盖率(%)\n3 达标率(%) 80 85\n",
     4, "fewer cells than the header"),
    ("二、发展目标\n指 标 2020年 2025年\n1 入园率(%) 90 >90\n2 覆盖率(%) 92\n", 4,
     "fewer cells than the header"),
    # one line per row, unnumbered
    ("二、发展目标\n指 标 2020年 2025年\n入园率(%) 90 >90\n覆盖率(%) 92\n达标率(%) 80 85\n",
     4, "fewer value cells"),
    # numbered cell rows, the last row's value missing before the next heading
    ("二、发展目标\n指标\n2025年\n1\n入园率（%）\n>90\n2\n覆盖率（%）\n\n三、主要任务\n", 7,
     "0 value cell(s)"),
])
def test_row_with_name_but_no_value_layouts(text, line, message):
    with pytest.raises(InputError) as info:
        parse.parse_document(parse_text(text, path="t.txt"), doc_id="p", key_prefix="p",
                             end_year=2025)
    assert message in str(info.value)
    assert (info.value.path, info.value.line) == ("t.txt", line)
    assert f"check the table row at line {line}" in str(info.value)


def test_unnumbered_line_rows():
    path = BAD / "table_unnumbered_lines.txt"
    items = parse.parse_file(path, display_path=path.name, doc_id="plan", key_prefix="plan",
                             end_year=2025)
    table = [(i.item_key, i.name_raw, i.unit, i.comparator, i.value, i.value_text, i.year)
             for i in items if i.source == "table"]
    assert table == [
        ("plan:ind:1", "学前三年入园率", "%", ">", 90.0, ">90", 2025),
        ("plan:ind:1:base", "学前三年入园率", "%", "=", 90.0, "90", 2020),
        ("plan:ind:2", "绿色校园达标率", "%", "<", 85.0, "不足85", 2025),
        ("plan:ind:2:base", "绿色校园达标率", "%", "=", 80.0, "80", 2020),
        ("plan:ind:3", "国际学校数量", "所", ">", 10.0, "逾10", 2025),
        ("plan:ind:3:base", "国际学校数量", "所", "=", 8.0, "8", 2020),
    ]
    assert [i.line for i in items if i.source == "text"] == [8]


# ---- comparator words the parser did not know -----------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("班额超标比例不足5%", ("<", 5.0, "%", "不足5%")),
    ("不到10%", ("<", 10.0, "%", "不到10%")),
    ("逾90%的学校", (">", 90.0, "%", "逾90%")),
    ("逾９０％的学校", (">", 90.0, "%", "逾９０％")),
])
def test_new_comparator_words_in_text(text, expected):
    q = next(q for q in scan(text) if q.kind == "quantity")
    assert (q.comparator, q.value, q.unit, q.value_text) == expected
    cell = parse_cell(q.value_text)
    assert (cell.comparator, cell.value, cell.unit) == expected[:3]


@pytest.mark.parametrize(("text", "expected"), [
    ("入园率约90%", ("=", 90.0, "%", "约90%")),
    ("大约90%", ("=", 90.0, "%", "大约90%")),
    ("将近3000名", ("=", 3000.0, "名", "将近3000名")),
    ("接近6万个", ("=", 6.0, "万个", "接近6万个")),
    ("≈90", ("=", 90.0, None, "≈90")),
    ("达到30%左右", ("=", 30.0, "%", "达到30%左右")),
])
def test_approximate_words_in_text(text, expected):
    """The contract has no 'about' comparator: ``=``, with the word visible in value_text."""
    q = next(q for q in scan(text) if q.kind == "quantity")
    assert (q.comparator, q.value, q.unit, q.value_text) == expected


def test_comparator_fixture_through_the_parser():
    path = BAD / "comparators.txt"
    items = parse.parse_file(path, display_path=path.name, doc_id="plan", key_prefix="plan",
                             end_year=2025)
    assert [(i.comparator, i.value, i.value_text) for i in items] == [
        ("<", 5.0, "不足5%"), (">", 90.0, "逾90%"), ("=", 15.0, "约15"),
        ("=", 3000.0, "将近3000名"), ("=", 20.0, "≈20个"), ("=", 30.0, "达到30%左右")]


@pytest.mark.parametrize("cell", ["约90", "≈92", "将近90", "90左右", "90%左右"])
def test_approximate_table_cell_is_explained(cell):
    with pytest.raises(InputError, match="marks an approximate value") as info:
        parse_cell(cell, path="plan.txt", line=6)
    assert "plan.txt:6" in str(info.value) and "fix: check the table row at line 6" in str(
        info.value)


def test_extract_approximate_table_cell(capsysbinary):
    code, out, err = run_cli(["extract", str(BAD / "table_approx_value.txt")], capsysbinary)
    assert (code, out) == (2, "")
    assert_clear_error(err, "table_approx_value.txt", 6)
    assert "'≈92'" in err


# ---- build on a temporary project tree ------------------------------------------------------


def _tree(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    shutil.copytree(TINY, root)
    for p in (root / "data" / "raw").iterdir():
        p.chmod(0o644)
    return root


def _register(root: Path, name: str, data: bytes, *, district: str = "second") -> None:
    """Add a raw file as a second district, registered with its correct sha256."""
    raw = root / "data" / "raw"
    (raw / name).write_bytes(data)
    sha = hashlib.sha256(data).hexdigest()
    block = (f'\n[[district]]\nid = "{district}"\nname_zh = "第二区"\nname_en = "Second"\n'
             f'adcode = ""\n\n  [[district.document]]\n  id = "plan"\n  title = "规划"\n'
             f'  kind = "development plan"\n  period = "2021-2025"\n  end_year = 2025\n\n'
             f'    [[district.document.file]]\n    path = "{name}"\n    sha256 = "{sha}"\n')
    with open(raw / "manifest.toml", "a", encoding="utf-8") as fh:
        fh.write(block)


def _snapshot(root: Path) -> dict[str, bytes]:
    out = paths.curated_dir(root)
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def run_build(root: Path) -> subprocess.CompletedProcess:
    """`plancompare build` in a fresh process with PLANCOMPARE_ROOT set (as a user runs it)."""
    env = dict(os.environ, PLANCOMPARE_ROOT=str(root))
    return subprocess.run([sys.executable, "-m", "plancompare", "build", "-q"], env=env,
                          capture_output=True, text=True, check=False, cwd=root)


@pytest.fixture
def built_tree(tmp_path) -> tuple[Path, dict[str, bytes]]:
    root = _tree(tmp_path)
    build_mod.build(root, quiet=True)
    return root, _snapshot(root)


pytestmark = pytest.mark.filterwarnings("ignore:crosswalk entry .* matched no")


BAD_TABLE = ("第二区教育发展规划（2021-2025年）\n\n二、发展目标\n指 标 2020年 2025年\n"
             "1 学前三年入园率(%) 90 >90\n2 普惠性幼儿园覆盖率(%) 87 待定\n").encode()


@pytest.mark.parametrize(("case", "data", "line", "message"), [
    ("bad_value", BAD_TABLE, 6, "cannot read the table value '待定'"),
    ("empty", b"\n\n", None, "the file is empty"),
    ("binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", None, "looks binary"),
])
def test_build_bad_raw_file(case, data, line, message, built_tree):
    """A raw file registered with its correct hash that does not parse: exit 2, the file (and
    line) named, the previous curated files byte-identical."""
    root, before = built_tree
    _register(root, f"second_{case}.txt", data)
    proc = run_build(root)
    assert (proc.returncode, proc.stdout) == (2, "")
    assert_clear_error(proc.stderr, f"second_{case}.txt", line)
    assert message in proc.stderr
    assert _snapshot(root) == before


@pytest.mark.parametrize("case", ["outside", "duplicate", "hash"])
def test_build_manifest_problems(case, built_tree):
    root, before = built_tree
    manifest = root / "data" / "raw" / "manifest.toml"
    text = manifest.read_text(encoding="utf-8")
    if case == "outside":
        manifest.write_text(text.replace('path = "tiny_plan.txt"',
                                         'path = "../../etc/passwd"'), encoding="utf-8")
        expected = "path '../../etc/passwd' points outside data/raw"
    elif case == "duplicate":
        _register(root, "copy.txt", (root / "data" / "raw" / "tiny_plan.txt").read_bytes(),
                  district="testqu")
        expected = "district id 'testqu' is used twice"
    else:
        raw_file = root / "data" / "raw" / "tiny_plan.txt"
        raw_file.write_bytes(raw_file.read_bytes() + "追加\n".encode())
        expected = "sha256 mismatch for tiny_plan.txt"
    proc = run_build(root)
    assert (proc.returncode, proc.stdout) == (1, "")
    assert_clear_error(proc.stderr, "data/raw/manifest.toml")
    assert expected in proc.stderr and "  1. line " in proc.stderr
    assert _snapshot(root) == before


def test_parquet_failure_mid_write_keeps_previous(built_tree, monkeypatch):
    root, before = built_tree
    real = export.write_parquet

    def half_then_fail(frame, path):
        real(frame.iloc[:1], path)          # a partial file on disk ...
        raise OSError("disk full")          # ... then the writer dies

    monkeypatch.setattr(export, "write_parquet", half_then_fail)
    with pytest.raises(ExportError, match="disk full"):
        build_mod.build(root, quiet=True)
    assert _snapshot(root) == before        # no temp files left, nothing replaced
    back = pd.read_parquet(paths.curated_file("parquet", root))
    assert len(back) == len(pd.read_csv(paths.curated_file("csv", root)))


def test_schema_failure_keeps_previous_curated(built_tree, monkeypatch):
    root, before = built_tree
    real = build_mod.parse_all

    def corrupt(reg, **kw):
        frame = real(reg, **kw)
        frame.loc[frame.index[0], "line"] = -1
        return frame

    monkeypatch.setattr(build_mod, "parse_all", corrupt)
    with pytest.raises(SchemaError):
        build_mod.build(root, quiet=True)
    assert _snapshot(root) == before


# ---- formula injection into xlsx ------------------------------------------------------------

PAYLOADS = ["=cmd|' /C calc'!A0", "+SUM(1,2)", "-2+3", "@SUM(A1:A2)"]


def test_xlsx_injection_in_every_column(tmp_path):
    from plancompare.model import LIST_COLUMNS

    """Every text column of every sheet, and the sources sheet, keep = + - @ as strings."""
    from test_export import SOURCES, sample_frame

    frame = sample_frame()
    text_cols = [c for c in frame.columns if frame[c].dtype == object
                 and c not in LIST_COLUMNS]
    for n, col in enumerate(text_cols):
        frame[col] = [PAYLOADS[(n + k) % 4] + f" {k}" for k in range(len(frame))]
    frame["responsible_units"] = [[PAYLOADS[k % 4], "区教委"] for k in range(len(frame))]
    sources = [dict(SOURCES[0], title=p, source_file=p) for p in PAYLOADS]
    files = export.write_curated(frame, tmp_path, sources=sources)
    wb = load_workbook(files["xlsx"])
    seen: set[str] = set()
    for ws in wb:
        for row in ws.iter_rows(min_row=2):
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
                if isinstance(c.value, str) and c.value[:1] in "=+-@":
                    assert c.data_type == "s"
                    seen.add(c.value[0])
    assert seen == {"=", "+", "-", "@"}
    sheet = wb["sources"]
    assert [r[3] for r in sheet.iter_rows(min_row=2, values_only=True)] == PAYLOADS
    assert [sheet.cell(row=r, column=4).data_type for r in range(2, 6)] == ["s"] * 4
    indicator = wb["indicator"]
    header = [c.value for c in indicator[1]]
    quote = indicator.cell(row=2, column=header.index("quote") + 1)
    assert (quote.value, quote.data_type) == (frame["quote"].iloc[0], "s")
    units = wb["measure"].cell(row=2, column=header.index("responsible_units") + 1)
    assert (units.value, units.data_type) == (f"{PAYLOADS[2]}；区教委", "s")
