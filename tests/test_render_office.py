""".doc / .odt through LibreOffice: the seed plans converted by soffice give the rows of their .docx.

Tests marked ``libreoffice`` need ``soffice`` and are skipped with that reason when it is not
installed (Debian / Ubuntu: ``apt-get install libreoffice-writer-nogui``). The error without it is
tested by hiding soffice from PATH, so it runs everywhere.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import pytest
from published import SEEDS, make_docx, seed_blocks

from plancompare.errors import InputError
from plancompare.parse.run import parse_file
from plancompare.render import office, render_file

NO_SOFFICE = "LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui"
WS_RE = re.compile(r"\s+")
PLAN = "到2025年，学前三年入园率达到90%以上。"


def _convert(paths, fmt, outdir, tmp_path):
    """Convert Word files with soffice (a private profile), as a publisher's office would."""
    cmd = office.command(office.soffice(), paths[0], outdir, tmp_path / "profile")
    cmd[-1:] = [str(p) for p in paths]
    cmd[cmd.index("docx")] = fmt
    subprocess.run(cmd, check=True, capture_output=True, timeout=office.TIMEOUT)
    return {p.stem: outdir / f"{p.stem}.{fmt}" for p in paths}


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """{(seed, fmt): path} for fmt docx (python-docx), odt and doc (LibreOffice from the docx),
    wps (the .doc renamed)."""
    if office.soffice() is None:
        pytest.skip(NO_SOFFICE)
    tmp = tmp_path_factory.mktemp("office")
    docx = [make_docx(seed_blocks(key), tmp / f"{key}.docx", final_paragraph=True)
            for key in SEEDS]
    files = {(p.stem, "docx"): p for p in docx}
    for fmt in ("odt", "doc"):
        out = tmp / fmt
        out.mkdir()
        files.update({(key, fmt): path for key, path in _convert(docx, fmt, out, tmp).items()})
    for key in SEEDS:  # WPS Writer's .wps is the Word 97 binary format under its own suffix
        files[key, "wps"] = tmp / "doc" / f"{key}.wps"
        files[key, "wps"].write_bytes(files[key, "doc"].read_bytes())
    return files


def _rows(path, key):
    """{source: rows} with every field but line, line_end, locator, source_file (and, for text
    targets, the key, which holds the line number); whitespace runs in quotes as one space."""
    items = parse_file(path, display_path=path.name, doc_id="plan", key_prefix=key,
                       end_year=2025)
    out: dict[str, list[dict]] = {}
    for it in items:
        row = it.to_row()
        for name in ("line", "line_end", "locator", "source_file",
                     *(("item_key",) if it.source == "text" else ())):
            row.pop(name)
        row["quote"] = WS_RE.sub(" ", row["quote"]).strip()
        out.setdefault(it.source, []).append(row)
    return out


@pytest.mark.slow
@pytest.mark.libreoffice
@pytest.mark.skipif(office.soffice() is None, reason=NO_SOFFICE)
@pytest.mark.parametrize("fmt", ["odt", "doc", "wps"])
@pytest.mark.parametrize("key", list(SEEDS))
def test_converted_seed_gives_the_rows_of_its_docx(converted, key, fmt):
    want, got = _rows(converted[key, "docx"], key), _rows(converted[key, fmt], key)
    counts = {"tongzhou": {"table": 13, "heading": 22, "annex": 17, "text": 42},
              "haidian": {"table": 24, "heading": 71, "annex": 34, "text": 109}}[key]
    assert {src: len(rows) for src, rows in want.items()} == counts
    assert got == want
    assert render_file(converted[key, fmt]).format == fmt


def _word(tmp_path):
    import docx

    document = docx.Document()
    document.add_heading("一、发展目标", level=1)
    document.add_paragraph(PLAN)
    document.save(tmp_path / "plan.docx")
    return tmp_path / "plan.docx"


@pytest.mark.libreoffice
@pytest.mark.skipif(office.soffice() is None, reason=NO_SOFFICE)
def test_conversion_writes_nothing_beside_the_original(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    source = _convert([_word(tmp_path)], "odt", raw, tmp_path)["plan"]
    before = {p.name: p.stat().st_mtime_ns for p in raw.iterdir()}
    leftover = {p.name for p in _tmp_dirs()}
    rendition = render_file(source)
    assert rendition.lines == ["一、发展目标", PLAN] and rendition.format == "odt"
    assert {p.name: p.stat().st_mtime_ns for p in raw.iterdir()} == before == {
        "plan.odt": before["plan.odt"]}
    assert {p.name for p in _tmp_dirs()} == leftover  # its temporary directory is gone


def _tmp_dirs():
    import tempfile
    from pathlib import Path

    return list(Path(tempfile.gettempdir()).glob("plancompare-soffice-*"))


@pytest.mark.libreoffice
@pytest.mark.skipif(office.soffice() is None, reason=NO_SOFFICE)
def test_conversion_past_the_time_limit_is_killed(tmp_path, monkeypatch):
    source = _convert([_word(tmp_path)], "odt", tmp_path, tmp_path)["plan"]
    monkeypatch.setattr(office, "TIMEOUT", 0.05)
    made, command = [], office.command
    monkeypatch.setattr(office, "command", lambda *a: made.append(command(*a)) or made[-1])
    with pytest.raises(InputError) as info:
        office.render(source.read_bytes(), "plan.odt", fmt="odt")
    assert str(info.value).startswith(
        "plan.odt: LibreOffice did not finish converting the file within 0.05 s")
    profile = made[0][1].split("=", 1)[1]  # file:///tmp/plancompare-soffice-.../profile
    assert profile.startswith("file:///") and profile.endswith("/profile")
    time.sleep(0.3)
    left = subprocess.run(["pgrep", "-f", "--", profile], check=False, capture_output=True)
    assert (left.returncode, left.stdout) == (1, b"")  # soffice and soffice.bin are gone


def test_command_uses_a_private_profile_and_never_asks(tmp_path):
    cmd = office.command("soffice", tmp_path / "a.doc", tmp_path, tmp_path / "profile")
    assert cmd[:2] == ["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}"]
    assert {"--headless", "--norestore", "--nolockcheck"} <= set(cmd)
    assert cmd[-5:] == ["--convert-to", "docx", "--outdir", str(tmp_path), str(tmp_path / "a.doc")]


@pytest.mark.parametrize("suffix", ["odt", "doc", "wps"])
def test_without_soffice_on_path_one_message(tmp_path, suffix):
    """soffice hidden from PATH: exit 2, one message naming the file and the install command."""
    path = tmp_path / f"plan.{suffix}"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500))
    empty = tmp_path / "bin"
    empty.mkdir()
    env = {**os.environ, "PATH": str(empty)}
    done = subprocess.run([sys.executable, "-m", "plancompare", "extract", str(path)],
                          check=False, capture_output=True, text=True, env=env, timeout=120)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"error: plan.{suffix}: a .{suffix} file needs LibreOffice to be read, and `soffice` is not "
        f"installed\n  fix: {office.INSTALL_HINT}\n")
