"""The command line: help, extract (csv/json, encodings, bad files), build and report exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from io import StringIO

import pandas as pd
import pytest
from conftest import RAW, RAW_FILES

from plancompare import cli, parse, report
from plancompare.model import ALL_COLUMNS

ANON = RAW / RAW_FILES["anon1"]


def run(argv, capsysbinary):
    code = cli.main(argv)
    out, err = capsysbinary.readouterr()
    return code, out.decode("utf-8"), err.decode("utf-8")


@pytest.mark.parametrize("command", [[], ["build"], ["extract"], ["report"], ["run"]])
def test_help(command, capsys):
    with pytest.raises(SystemExit) as info:
        cli.main([*command, "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: plancompare")
    if command == ["extract"]:
        assert "--format {csv,json}" in out and "--start-section PART" in out
    if command == ["report"]:
        assert "--force" in out and "--jobs N" in out and "--only NAME" in out


def test_python_m_and_light_import():
    proc = subprocess.run([sys.executable, "-m", "plancompare", "--help"], capture_output=True,
                          text=True, check=False)
    assert proc.returncode == 0
    assert [ln.split()[0] for ln in proc.stdout.splitlines() if ln.startswith("    ") and not ln.startswith("     ")] == [
        "build", "extract", "report", "run"]
    code = "import sys, plancompare.cli; print(sorted(m for m in ('pandas', 'pandera', " \
           "'pyarrow', 'openpyxl', 'papermill') if m in sys.modules))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert proc.stdout.strip() == "[]"


def expected_rows(path=ANON):
    items = parse.parse_file(path, display_path=path.name, doc_id="plan", key_prefix="plan",
                             end_year=2025)
    return items


def test_extract_csv(capsysbinary):
    code, out, err = run(["extract", str(ANON), "--district", "anon1"], capsysbinary)
    assert code == 0
    frame = pd.read_csv(StringIO(out), dtype=str, keep_default_na=False)
    items = expected_rows()
    assert list(frame.columns) == list(ALL_COLUMNS)
    assert frame["item_key"].tolist() == [it.item_key for it in items]
    assert frame["quote"].tolist() == [it.quote for it in items]
    assert set(frame["district_id"]) == {"anon1"}
    assert set(frame["source_file"]) == {RAW_FILES["anon1"]}
    assert err.endswith(f"{RAW_FILES['anon1']}: {len(items)} rows (utf-8, end year 2025)\n")
    assert err.startswith(f"structure of {RAW_FILES['anon1']}: 162 lines, 161 content")
    assert "parts (cn_dun): goals '总体要求' (line 3); tasks '重点任务' (line 5); " in err
    assert "  headings in tasks: level 1 = cn_paren (8)\n" in err


def test_extract_strict_exits_1_and_names_what_was_not_understood(tmp_path, capsysbinary):
    news = tmp_path / "news.txt"
    news.write_text("某市召开教育工作会议。\n会议强调要办好人民满意的“十四五”教育。\n",
                    encoding="utf-8")
    code, out, err = run(["extract", str(news)], capsysbinary)
    assert code == 0 and "warning: news.txt: nothing understood: no task, target, table or " \
        "project in 2 lines of text and no recognised part" in err
    code, out, err = run(["extract", str(news), "--strict", "--no-report"], capsysbinary)
    assert code == 1 and out == ""
    assert err.startswith("warning: news.txt: nothing understood")
    assert "1 structure warning(s) with --strict" in err


def test_extract_json(capsysbinary):
    code, out, _err = run(["extract", str(ANON), "--format", "json"], capsysbinary)
    assert code == 0
    rows = json.loads(out)
    items = expected_rows()
    assert [r["item_key"] for r in rows] == [it.item_key for it in items]
    assert [r["line"] for r in rows] == [it.line for it in items]
    assert list(rows[0]) == list(ALL_COLUMNS)
    assert rows[0]["district_id"] == "new"
    assert all(isinstance(r["responsible_units"], list) for r in rows)


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16"])
def test_extract_other_encodings_give_identical_rows(encoding, tmp_path, capsysbinary):
    copy = tmp_path / RAW_FILES["anon1"]
    copy.write_bytes(ANON.read_text(encoding="utf-8").encode(encoding))
    _c1, utf8_out, _ = run(["extract", str(ANON)], capsysbinary)
    code, out, err = run(["extract", str(copy)], capsysbinary)
    assert code == 0
    assert out == utf8_out
    assert f"({encoding}, end year 2025)" in err


def test_extract_start_section_and_end_year(capsysbinary):
    path = RAW / RAW_FILES["daxing1"]
    code, out, err = run(["extract", str(path), "--start-section", "tasks"], capsysbinary)
    assert code == 0 and "no plan period in the text" in err and "--end-year" in err
    assert "assuming end year 2022, the latest year it states" in err
    code, out, _err = run(["extract", str(path), "--start-section", "tasks", "--end-year",
                           "2025"], capsysbinary)
    assert code == 0
    keys = pd.read_csv(StringIO(out), dtype=str)["item_key"].tolist()
    items = parse.parse_file(path, display_path=path.name, doc_id="plan", key_prefix="plan",
                             end_year=2025, start_section="tasks")
    assert keys == [it.item_key for it in items]


def test_extract_text_stating_its_target_year_reads_its_parts_as_a_plan(tmp_path, capsysbinary):
    """No plan period, but 到2025年: the year is the text's own, so a task part's items (◆, ——)
    are targets as in a plan with its period (as with --end-year)."""
    path = tmp_path / "plan.txt"
    path.write_text("三、主要任务\n（一）推进基础教育扩优提质\n"
                    "◆ 到2025年，学校标准化建设达标率达到100%；\n"
                    "◆ 优质高中学位占比提升至80%以上；\n"
                    "——中小学生每天校内体育活动时间不少于1小时。\n", encoding="utf-8")
    code, out, err = run(["extract", str(path), "--format", "csv"], capsysbinary)
    frame = pd.read_csv(StringIO(out), dtype=str)
    targets = frame[frame["item_type"].eq("indicator")]
    assert code == 0 and "assuming end year 2025, the year its commitments" in err
    assert targets[["value_text", "year", "target_rule"]].values.tolist() == [
        ["达到100%", "2025", "commitment:到YEAR"], ["提升至80%以上", "2025", "part:tasks"],
        ["不少于1小时", "2025", "part:tasks"]]
    path.write_text(path.read_text(encoding="utf-8").replace("到2025年，", ""), encoding="utf-8")
    code, out, err = run(["extract", str(path), "--format", "csv", "--end-year", "2025"],
                         capsysbinary)
    frame = pd.read_csv(StringIO(out), dtype=str)
    assert code == 0 and frame["item_type"].eq("indicator").sum() == 3  # a period set: a plan


@pytest.mark.parametrize(("content", "expected"), [
    (b"", "empty.txt: the file is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "empty.txt: the file is not text"),
    (b"   \n\n  \n", "empty.txt: the file is empty"),
])
def test_extract_unreadable_file_exits_2(content, expected, tmp_path, capsysbinary):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(content)
    code, out, err = run(["extract", str(bad)], capsysbinary)
    assert (code, out) == (2, "")
    assert err.startswith(f"error: {expected}")
    assert "fix:" in err and "Traceback" not in err


def test_extract_missing_file_and_bad_options(tmp_path, capsysbinary):
    code, _out, err = run(["extract", str(tmp_path / "nope.txt")], capsysbinary)
    assert code == 2 and err.startswith("error: nope.txt: cannot read the file")
    code, _out, err = run(["extract", str(ANON), "--district", "Bad-Id"], capsysbinary)
    assert code == 2 and "bad --district 'Bad-Id'" in err
    code, _out, err = run(["extract", str(ANON), "--start-section", "middle"], capsysbinary)
    assert code == 2 and "unknown --start-section 'middle'" in err


def test_build_command_and_manifest_error(tmp_path, capsysbinary):
    root = tmp_path / "proj"
    shutil.copytree(RAW, root / "data" / "raw")
    code, out, _err = run(["--root", str(root), "build"], capsysbinary)
    assert code == 0 and out.startswith("built ") and "tongzhou" in out
    (root / "data" / "raw" / "stray.txt").write_text("x\n", encoding="utf-8")
    code, out, err = run(["--root", str(root), "build", "-q"], capsysbinary)
    assert (code, out) == (1, "")
    assert err.startswith("error: data/raw/manifest.toml: the manifest and the raw files "
                          "disagree (1 problem):\n  1. data/raw/stray.txt is not registered")
    assert "Traceback" not in err


def test_report_exit_code_follows_failed_list(monkeypatch, capsysbinary):
    calls = []

    def fake(**kwargs):
        results = [report.ReportResult(name, f"{name}.ipynb", name, {}, "failed",
                                       error=f"ParameterError: bad `{name}`\nmore")
                   for name in kwargs["only"] or []]
        calls.append(kwargs)
        return report.ReportSummary(results + [report.ReportResult("c", "c.ipynb", "c", {},
                                                                   "unchanged")])

    monkeypatch.setattr(report, "report_all", fake)
    code, out, _err = run(["report", "--jobs", "2"], capsysbinary)
    assert code == 0 and out == "reports: 0 executed, 1 unchanged, 0 failed -> reports/\n"
    code, _out, err = run(["report", "--force", "--only", "a", "b"], capsysbinary)
    assert code == 1
    assert err == ("error: 2 report(s) failed (their last good HTML is kept):\n"
                   "  FAILED a: ParameterError: bad `a`\n  FAILED b: ParameterError: bad `b`\n")
    assert calls == [{"root": None, "force": False, "jobs": 2, "only": None},
                     {"root": None, "force": True, "jobs": None, "only": ["a", "b"]}]


def test_unexpected_errors_keep_their_traceback(monkeypatch):
    monkeypatch.setattr(report, "report_all", lambda **kw: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        cli.main(["report"])


def test_no_command_prints_help(capsys):
    assert cli.main([]) == 2
    assert capsys.readouterr().err.startswith("usage: plancompare")
