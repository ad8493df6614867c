"""Performance changes that must not change behaviour: the incremental build and the fast fold."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from conftest import RAW
from hypothesis import given
from hypothesis import strategies as st

from plancompare import build as build_mod
from plancompare import cli, paths
from plancompare.errors import ManifestError
from plancompare.parse.clauses import sentences as _sentences
from plancompare.parse.clauses import shielded
from plancompare.parse.text import fold


def _fold_reference(text: str) -> str:
    """The original per-character fold."""
    out = []
    for ch in text:
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E:
            out.append(chr(code - 0xFEE0))
        elif ch in "\u00a0\u3000":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def _sentences_reference(text: str) -> list[tuple[int, int]]:
    """The original per-character sentence splitter (a TAB, between table cells, also ends one)."""
    import re

    spans, start = [], 0
    for i, ch in enumerate(text):
        if ch in "。;!?":
            spans.append((start, i + 1))
            start = i + 1
        elif ch == "\t":
            spans.append((start, i))
            start = i
    if start < len(text):
        spans.append((start, len(text)))
    out = []
    for s, e in spans:
        m = re.match(r"(?:\s|\[bookmark:[^\]]*\])*", text[s:e])
        s += m.end()
        if text[s:e].strip():
            out.append((s, len(text[:e].rstrip())))
    return out


TEXT = st.text(alphabet=st.sampled_from(list("到2025年，。;!? \u3000\u00a0\t０１％＞（）～ab[]:bookmark"
                                             "\uff01\uff5e\uff5f\uff00")), max_size=60)


@given(TEXT)
def test_fold_equals_the_per_character_fold(text):
    assert fold(text) == _fold_reference(text)
    assert len(fold(text)) == len(text)


@given(st.text(max_size=40))
def test_fold_on_any_text(text):
    assert fold(text) == _fold_reference(text)


@given(TEXT)
def test_fold_of_a_long_line_equals_the_per_character_fold(text):
    """From 10,000 characters on, fold replaces per character present (str.replace)."""
    long = (text or "a") * (10_000 // max(len(text), 1) + 1) + "\uff05\u3000"
    assert len(long) >= 10_000 and fold(long) == _fold_reference(long)


@given(TEXT)
def test_sentences_equal_the_per_character_splitter(text):
    assert _sentences(text) == _sentences_reference(text)


@pytest.fixture()
def root(tmp_path):
    root = tmp_path / "proj"
    shutil.copytree(RAW, root / "data" / "raw")
    return root


def _curated_bytes(root):
    return {p.name: p.read_bytes() for p in paths.curated_dir(root).iterdir()}


def test_second_build_is_unchanged_and_writes_nothing(root, capsys):
    first = build_mod.build_if_changed(root, quiet=True)
    assert first is not None and len(first.frame) == first.summary.loc["total", "total"]
    before = _curated_bytes(root)
    assert build_mod.build_if_changed(root) is None
    out = capsys.readouterr().out
    assert out.startswith("unchanged: ") and f"({len(first.frame)} rows, data version " in out
    assert _curated_bytes(root) == before
    forced = build_mod.build_if_changed(root, quiet=True, force=True)
    assert forced is not None and forced.frame.equals(first.frame)


def test_missing_or_edited_output_rebuilds(root):
    build_mod.build_if_changed(root, quiet=True)
    csv = paths.curated_file("csv", root)
    good = csv.read_bytes()
    csv.write_bytes(good + b"x\n")
    assert build_mod.up_to_date(root, build_mod.manifest.load(root)) is None
    assert build_mod.build_if_changed(root, quiet=True) is not None
    assert csv.read_bytes() == good
    paths.curated_file("xlsx", root).unlink()
    assert build_mod.build_if_changed(root, quiet=True) is not None
    assert paths.curated_file("xlsx", root).is_file()


def test_newer_code_rebuilds(root, monkeypatch):
    build_mod.build_if_changed(root, quiet=True)
    reg = build_mod.manifest.load(root)
    assert build_mod.up_to_date(root, reg) is not None
    monkeypatch.setattr(build_mod, "_code_mtime_ns", lambda: 1 << 62)
    assert build_mod.up_to_date(root, reg) is None


def test_changed_manifest_rebuilds(root):
    build_mod.build_if_changed(root, quiet=True)
    mpath = paths.manifest_path(root)
    mpath.chmod(0o644)
    mpath.write_text(mpath.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    reg = build_mod.manifest.load(root)
    assert build_mod.up_to_date(root, reg) is None
    build_mod.build_if_changed(root, quiet=True)
    info = json.loads((paths.curated_dir(root) / "build_info.json").read_text(encoding="utf-8"))
    assert info["manifest_sha256"] == hashlib.sha256(mpath.read_bytes()).hexdigest()


def test_changed_raw_file_still_fails_verification(root):
    build_mod.build_if_changed(root, quiet=True)
    raw = next(p for p in (root / "data" / "raw").glob("*.txt"))
    raw.chmod(0o644)
    raw.write_bytes(raw.read_bytes() + "追加\n".encode())
    with pytest.raises(ManifestError, match="sha256 mismatch"):
        build_mod.build_if_changed(root, quiet=True)


def test_cli_build_force(root, capsys):
    assert cli.main(["--root", str(root), "build", "-q"]) == 0
    assert cli.main(["--root", str(root), "build"]) == 0
    assert capsys.readouterr().out.startswith("unchanged: ")
    assert cli.main(["--root", str(root), "build", "--force"]) == 0
    assert capsys.readouterr().out.startswith("built ")


def _shielded_reference(text: str) -> list[bool]:
    """The original per-character quote/title shield."""
    opens = {"《": "》", "〈": "〉", "“": "”", "‘": "’", "「": "」", "『": "』"}
    closers = {v: k for k, v in opens.items()}
    out, stack = [False] * (len(text) + 1), []
    for i, ch in enumerate(text):
        if ch in opens:
            stack.append((ch, i))
        elif ch in closers:
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == closers[ch]:
                    for j in range(stack[depth][1], i + 1):
                        out[j] = True
                    del stack[depth:]
                    break
    return out


@given(st.text(alphabet=st.sampled_from(list("《》〈〉“”‘’「」『』a1，")), max_size=8))
def test_shielded_equals_the_per_character_scan(text):
    # clauses.shielded pairs a closer with one of its 8 nearest openers (linear time)
    spans = shielded(text)
    assert [spans.covers(i) for i in range(len(text))] == _shielded_reference(text)[:len(text)]


@pytest.mark.parametrize("relative", ["parse/targets.py", "parse/words/numbers.toml",
                                      "render/pdf.py", "reference/crosswalk.csv"])
def test_every_parser_and_vocabulary_file_counts_as_code(relative):
    """A change in a subpackage's module or a vocabulary file makes the curated data stale."""
    pkg = Path(build_mod.__file__).resolve().parent
    watched = {p for pattern in build_mod.CODE_PATTERNS for p in pkg.glob(pattern)}
    assert pkg / relative in watched


def _delimiters_reference(text: str) -> tuple[list[int], list[int]]:
    """The original loop over every delimiter and bracket (clause, name positions)."""
    from plancompare.parse.clauses import CLAUSE_DELIMS, NAME_DELIMS

    opening, closing = "（(《“", "）)》”"
    clause, name, depth = [], [], 0
    for i, ch in enumerate(text):
        if ch in opening:
            depth += 1
        elif ch in closing:
            depth = max(depth - 1, 0)
        elif depth == 0 and ch in NAME_DELIMS:
            name.append(i)
            if ch in CLAUSE_DELIMS:
                clause.append(i)
    return clause, name


@given(st.text(alphabet=st.sampled_from(list("ab95%，：；。,;:、（(《“）)》”")), max_size=60))
def test_delimiters_equal_the_per_character_loop(text):
    from plancompare.parse.clauses import Delimiters

    found = Delimiters(text)
    assert (found.clause, found.name) == _delimiters_reference(text)
