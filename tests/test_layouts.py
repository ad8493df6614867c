"""The seeds re-laid-out the way other plans are printed give the same facts, row by row.

Each fixture is made here from a raw file in data/raw/ by a text transformation (chapter
headings, section synonyms, page furniture, hard wrapping, Traditional characters, two files in
one); the parse of the transformed text must give the same tasks, parents, levels and values as
the parse of the unchanged file (line numbers only where the layout moved them).
"""

from __future__ import annotations

import re

import opencc
import pytest
from conftest import RAW, RAW_FILES, START_SECTION

from plancompare.parse import analyse_document
from plancompare.parse.ingest import parse_text
from plancompare.parse.paragraphs import display_width, wrap_width
from plancompare.parse.text import BOOKMARK_RE, to_simplified

CN = "一二三四五六七八九十"


def raw_text(name: str) -> str:
    return (RAW / RAW_FILES[name]).read_text(encoding="utf-8")


def parse(text: str, name: str, start: str | None = None):
    doc = parse_text(text, path=RAW_FILES[name])
    return doc, analyse_document(doc, doc_id="plan", key_prefix=name, end_year=2025,
                                 start_section=start or START_SECTION.get(name))


def facts(result, *, lines: bool = True, types=("task", "indicator", "project", "measure")):
    out = []
    for it in result.items:
        if it.item_type not in types:
            continue
        key = it.item_key if it.source != "text" else it.item_key.rsplit(":", 2)[0]
        row = (it.item_type, it.source, key, it.level, it.parent_key, it.name_raw, it.role,
               it.value, it.comparator, it.unit, it.year, tuple(it.responsible_units))
        out.append(row + ((it.line, it.line_end) if lines else ()))
    return out


def tasks(result, **kw):
    return facts(result, types=("task",), **kw)


@pytest.fixture(scope="module")
def tongzhou():
    return parse(raw_text("tongzhou"), "tongzhou")[1]


def test_seed_baseline(tongzhou):
    counts = {}
    for it in tongzhou.items:
        counts[it.item_type] = counts.get(it.item_type, 0) + 1
    assert counts["task"] == 22 and counts["indicator"] >= 20


# --- 第一章 / 第一节 headings -----------------------------------------------------------------

def relabel(text: str, dun: str, paren: str) -> str:
    """Rewrite the numbered headings at the start of a line: 一、 by ``dun``, （一） by ``paren``
    (re.sub templates: group 1 the bookmarks before the heading, group 2 the numeral)."""
    text = re.sub(rf"(?m)^((?:\[bookmark:[^\]]*\])*)([{CN}]+)、", dun, text)
    return re.sub(rf"(?m)^((?:\[bookmark:[^\]]*\])*)[（(]([{CN}]+)[)）]", paren, text)


def chapters(text: str) -> str:
    """一、 -> 第一章 , （一） -> 第一节 (a chapter plan), at the start of a line."""
    return relabel(text, r"\1第\2章 ", r"\1第\2节 ")


def test_chapter_and_section_headings(tongzhou):
    text = chapters(raw_text("tongzhou"))
    assert "第三章 主要任务" in text and "第一节 夯实基础" in text
    _doc, result = parse(text, "tongzhou")
    assert result.report.part_form == "chapter"
    assert facts(result) == facts(tongzhou)


# --- markdown heading marks (a saved web page or a markdown copy) -------------------------------

def markdown(text: str) -> str:
    """一、 -> ## 一、, （一） -> ### （一）: heading marks before the numbered headings."""
    return relabel(text, r"\1## \2、", r"\1### （\2）")


def test_markdown_heading_marks(tongzhou):
    text = markdown(raw_text("tongzhou"))
    assert "## 三、主要任务" in text and "### （一）夯实基础" in text
    _doc, result = parse(text, "tongzhou")
    assert [p["part"] for p in result.report.parts] == [
        "background", "goals", "tasks", "implementation"]
    assert facts(result) == facts(tongzhou)


# --- section synonyms ---------------------------------------------------------------------

def test_section_synonyms(tongzhou):
    text = raw_text("tongzhou").replace("三、主要任务", "三、主要举措").replace(
        "指导思想和发展目标", "指导思想和发展愿景")
    _doc, result = parse(text, "tongzhou")
    assert [p["part"] for p in result.report.parts] == [
        "background", "goals", "tasks", "implementation"]
    assert facts(result) == facts(tongzhou)


def test_unknown_title_is_unknown_not_a_known_part():
    _doc, result = parse("一、总体要求\n到2025年，学前教育毛入园率达到90%。\n一、其他事项\n正文。\n",
                        "anon1")
    assert [p["part"] for p in result.report.parts] == ["goals", "tasks"]  # after the goals
    _doc, result = parse("一、其他事项\n正文。\n", "anon1")  # no title names a part
    assert result.report.parts == [] and set(result.report.unread) == {
        "no recognised part, quoted by no item"}


# --- page furniture -----------------------------------------------------------------------

def with_furniture(text: str, every: int = 25) -> str:
    """A page number and a running header after every ``every`` lines (inside tables too)."""
    lines = text.split("\n")
    out = []
    for k, line in enumerate(lines, 1):
        out.append(line)
        if k % every == 0:
            out += [f"— {k // every} —", "北京城市副中心教育事业发展规划"]
    return "\n".join(out)


def test_page_furniture(tongzhou):
    text = with_furniture(raw_text("tongzhou"))
    _doc, result = parse(text, "tongzhou")
    assert result.report.noise["page_number"] >= 13 and result.report.noise["running_header"] >= 13
    assert facts(result, lines=False) == facts(tongzhou, lines=False)
    for it in result.items:  # quotes still point at the raw lines
        assert "—" not in it.name_raw and "北京城市副中心教育事业发展规划" not in it.name_raw


# --- hard wrapping ------------------------------------------------------------------------

def hard_wrap(text: str, width: int = 80) -> str:
    """Fixed-width copy: every untabbed line wider than ``width`` columns broken into lines."""
    out = []
    for line in BOOKMARK_RE.sub("", text).split("\n"):  # a PDF has no Word bookmarks
        if line.startswith("\t") or display_width(line) <= width:
            out.append(line)
            continue
        piece = ""
        for ch in line:
            if display_width(piece + ch) > width:
                out.append(piece)
                piece = ""
            piece += ch
        out.append(piece)
    return "\n".join(out)


def test_hard_wrapped_copy(tongzhou):
    text = hard_wrap(raw_text("tongzhou"))
    doc, result = parse(text, "tongzhou")
    assert wrap_width(doc) == 80 and result.report.joined_lines > 100
    assert tasks(result, lines=False) == tasks(tongzhou, lines=False)
    table = ("indicator",)
    assert [r[:-2] for r in facts(result, types=table) if r[1] == "table"] == [
        r[:-2] for r in facts(tongzhou, types=table) if r[1] == "table"]


def test_hard_wrapped_body_is_no_extra_subtask():
    haidian = parse(raw_text("haidian"), "haidian")[1]  # lead-sentence sub-tasks
    wrapped = parse(hard_wrap(raw_text("haidian")), "haidian")[1]
    assert tasks(wrapped, lines=False) == tasks(haidian, lines=False)


# --- Traditional characters ---------------------------------------------------------------

def test_traditional_copy(tongzhou):
    s2t = opencc.OpenCC("s2t")
    text = "\n".join(s2t.convert(line) for line in raw_text("tongzhou").split("\n"))
    doc, result = parse(text, "tongzhou")
    assert "發展" in text
    types = ("task", "indicator")
    got, want = facts(result, types=types), facts(tongzhou, types=types)
    assert [r[:5] + r[6:11] + r[12:] for r in got] == [r[:5] + r[6:11] + r[12:] for r in want]
    pairs = zip([it for it in result.items if it.item_type in types],
                [it for it in tongzhou.items if it.item_type in types], strict=True)
    for it, orig in pairs:
        assert it.name_raw == s2t.convert(orig.name_raw) or to_simplified(
            it.name_raw) == orig.name_raw  # names as printed (Traditional)
        assert it.quote in "\n".join(doc.line(n).raw for n in range(it.line, (it.line_end or it.line) + 1))


# --- several documents in one file --------------------------------------------------------

def test_two_daxing_files_concatenated():
    one, two = raw_text("daxing1"), raw_text("daxing2")
    offset = one.count("\n")
    _d, both = parse(one + two, "daxing1", "tasks")
    first = parse(one, "daxing1", "tasks")[1]
    second = parse(two, "daxing2", "implementation")[1]
    assert tasks(both) == tasks(first)
    proj = facts(both, types=("project",), lines=False)
    assert [r[5] for r in proj] == [r[5] for r in facts(second, types=("project",))]
    assert [it.line - offset for it in both.items if it.item_type == "project"] == [
        it.line for it in second.items if it.item_type == "project"]
    assert len({it.item_key for it in both.items}) == len(both.items)


def test_two_plans_in_one_file_restart_the_parts():
    anon, tz = raw_text("anon1"), raw_text("tongzhou")
    _d, both = parse(tz + "\n" + anon, "tongzhou", None)
    assert both.report.documents == 2
    assert [p["part"] for p in both.report.parts] == [
        "background", "goals", "tasks", "implementation", "goals", "tasks", "implementation"]
    names = [r[5] for r in tasks(both)]
    assert names == [r[5] for r in tasks(parse(tz, "tongzhou")[1])] + [
        r[5] for r in tasks(parse(anon, "anon1")[1])]
    assert len({it.item_key for it in both.items}) == len(both.items)
