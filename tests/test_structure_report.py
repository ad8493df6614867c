"""Build warnings from the structure report, and --strict (build and extract)."""

from __future__ import annotations

import hashlib

import pytest

from plancompare import build, cli, manifest
from plancompare.errors import StructureError

NEWS = "某市召开教育工作会议。\n会议强调要办好人民满意的“十四五”教育。\n"
PLAN = ("某区“十四五”时期教育发展规划\n一、发展目标\n到2025年，学前教育毛入园率达到95%。\n"
        "二、主要任务\n（一）推进学前教育普惠发展\n扩大普惠性资源。\n")


def make_root(tmp_path, files: dict[str, str]):
    raw = tmp_path / "data" / "raw"
    raw.mkdir(parents=True)
    blocks = ["schema_version = 1\n"]
    for k, (name, text) in enumerate(files.items()):
        (raw / name).write_text(text, encoding="utf-8")
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        blocks.append(f'''
[[district]]
id = "d{k}"
name_zh = "某区{k}"
name_en = "D{k}"
adcode = ""

  [[district.document]]
  id = "plan"
  title = "规划"
  kind = "development plan"
  period = "2021-2025"
  end_year = 2025
  published = ""

    [[district.document.file]]
    path = "{name}"
    sha256 = "{sha}"
''')
    (raw / "manifest.toml").write_text("".join(blocks), encoding="utf-8")
    return tmp_path


def test_build_warns_and_strict_fails(tmp_path, capsys):
    root = make_root(tmp_path, {"news.txt": NEWS, "plan.txt": PLAN})
    reg = manifest.load(root)
    frame = build.parse_all(reg, quiet=True)
    err = capsys.readouterr().err
    assert set(frame["district_id"]) == {"d1"}
    assert err.splitlines() == [
        ("warning: news.txt: nothing understood: no task, target, table or project in 2 lines "
        "of text and no recognised part")]
    with pytest.raises(StructureError, match="1 structure warning"):
        build.parse_all(reg, quiet=True, strict=True)


def test_cli_build_strict_exit_1(tmp_path, capsysbinary):
    root = make_root(tmp_path, {"news.txt": NEWS})
    code = cli.main(["--root", str(root), "build", "-q", "--strict"])
    err = capsysbinary.readouterr().err.decode("utf-8")
    assert code == 1 and "warning: news.txt: nothing understood" in err
    assert not (root / "data" / "curated" / "plan_items.csv").exists()
