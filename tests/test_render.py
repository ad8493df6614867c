"""Render stage: the seed plans as published (.docx, .pdf, .html) give the rows of their .txt."""

from __future__ import annotations

import re

import pytest
from published import BOOKMARK_RE, RAW, SEEDS, make_docx, make_html, make_pdf, seed_blocks

from plancompare.parse.run import parse_file
from plancompare.render import render_file
from plancompare.render.rendition import join_wrapped, span

WS_RE = re.compile(r"\s+")
FORMATS = ("docx", "pdf", "html")


@pytest.fixture(scope="session")
def published(tmp_path_factory):
    """{(seed, format): path} of the seeds written as Word, PDF and web page."""
    out = tmp_path_factory.mktemp("published")
    files = {}
    for key in SEEDS:
        blocks = seed_blocks(key)
        files[key, "docx"] = make_docx(blocks, out / f"{key}.docx")
        files[key, "pdf"] = make_pdf(blocks, out / f"{key}.pdf",
                                     running_header="教育事业发展规划（征求意见稿）")
        files[key, "html"] = make_html(blocks, out / f"{key}.html",
                                       **({"encoding": "gbk", "declared": "gb2312"}
                                          if key == "haidian" else {}))
    return files


@pytest.fixture(scope="session")
def parsed(published):
    """{(seed, format): items}; format "txt" is the seed itself."""
    out = {}
    for key, name in SEEDS.items():
        out[key, "txt"] = _parse(RAW / name, key)
        for fmt in FORMATS:
            out[key, fmt] = _parse(published[key, fmt], key)
    return out


def _parse(path, key):
    return parse_file(path, display_path=path.name, doc_id="plan", key_prefix=key,
                      end_year=2025)


def _fields(item) -> dict:
    """Every field but line, line_end, locator and source_file; quotes compared with bookmarks
    removed and whitespace runs (cell separators: newline + tab, space, TAB) as one space."""
    row = item.to_row()
    for name in ("line", "line_end", "locator", "source_file"):
        row.pop(name)
    row["quote"] = WS_RE.sub(" ", BOOKMARK_RE.sub("", row["quote"])).strip()
    return row


def _rows(items, source):
    return [_fields(it) for it in items if it.source == source]


CASES = [(key, fmt) for key in SEEDS for fmt in FORMATS]


@pytest.mark.parametrize(("key", "fmt"), CASES)
@pytest.mark.parametrize("source", ["table", "heading"])
def test_same_indicator_baseline_and_task_rows(parsed, key, fmt, source):
    txt, rendered = _rows(parsed[key, "txt"], source), _rows(parsed[key, fmt], source)
    assert len(txt) == {("tongzhou", "table"): 13, ("tongzhou", "heading"): 22,
                        ("haidian", "table"): 24, ("haidian", "heading"): 71}[key, source]
    assert rendered == txt


@pytest.mark.parametrize(("key", "fmt"), CASES)
def test_same_project_rows(parsed, key, fmt):
    """A project row's quote is its number and title cells (``1.名称``, ``1 名称``), as in the
    text copy; a table row's cells share one line in the rendition, and the quote stops at the
    title cell."""
    txt, rendered = _rows(parsed[key, "txt"], "annex"), _rows(parsed[key, fmt], "annex")
    assert len(txt) == {"tongzhou": 17, "haidian": 34}[key]
    assert rendered == txt


@pytest.mark.parametrize(("key", "fmt"), CASES)
def test_same_text_targets(parsed, key, fmt):
    """Every text target (the acceptance asks 95 %), every field but the key (which holds the
    line number); a target in a project row's content cell is quoted by its own sentence (a TAB
    ends a sentence)."""
    def keyed(items):
        return [{k: v for k, v in row.items() if k != "item_key"} for row in _rows(items, "text")]

    txt, rendered = keyed(parsed[key, "txt"]), keyed(parsed[key, fmt])
    assert len(txt) == {"tongzhou": 42, "haidian": 109}[key]
    assert rendered == txt


@pytest.mark.parametrize(("fmt", "table_row", "task"), [
    ("docx", "table 1 row 2", "paragraph 96"),
    ("pdf", "p. 7, table 1 row 2", "p. 7"),
    ("html", "table 1 row 2", "paragraph 96"),
])
def test_locators(parsed, fmt, table_row, task):
    items = parsed["tongzhou", fmt]
    first_row = next(it for it in items if it.source == "table")
    first_task = next(it for it in items if it.source == "heading")
    assert (first_row.name_raw, first_row.locator) == ("学前教育入园率", table_row)
    assert (first_task.name_raw, first_task.locator) == (
        "夯实基础，建设基础教育优质均衡示范区", task)
    assert all(it.locator for it in items)
    assert all(it.locator is None for it in parsed["tongzhou", "txt"])


def test_pdf_furniture_removed_and_paragraphs_joined(published):
    rendition = render_file(published["tongzhou", "pdf"])
    text = rendition.text
    assert "征求意见稿" not in text and "— 3 —" not in text
    seed = (RAW / SEEDS["tongzhou"]).read_text(encoding="utf-8")
    paragraphs = {BOOKMARK_RE.sub("", ln).strip() for ln in seed.splitlines()}
    long_lines = [ln for ln in rendition.lines if len(ln) > 60 and "\t" not in ln]
    joined = sum(ln in paragraphs for ln in long_lines)
    assert joined / len(long_lines) >= 0.95, (joined, len(long_lines))
    assert any(loc.count("-") for loc in rendition.locators if loc.startswith("p. "))


def test_html_boilerplate_removed(published):
    text = render_file(published["haidian", "html"]).text
    for noise in ("首页", "政务公开", "当前位置", "分享到", "相关链接", "ICP备", "不是正文",
                  "联华众创", "区人民政府门户网站"):
        assert noise not in text, noise
    assert text.startswith("海淀区“十四五”时期教育改革和发展规划\n")


@pytest.mark.parametrize(("first", "second", "joined"), [
    ("加快推进教育", "现代化建设", "加快推进教育现代化建设"),
    ("覆盖率达到85", "%以上", "覆盖率达到85%以上"),
    ("推进 STEM", "education 发展", "推进 STEM education 发展"),
    ("增长到 3.5", "万人", "增长到 3.5万人"),
])
def test_join_wrapped(first, second, joined):
    assert join_wrapped(first, second) == joined


@pytest.mark.parametrize(("locators", "line", "end", "expected"), [
    (None, 1, None, None),
    (["p. 3"], 1, None, "p. 3"),
    (["p. 3", "p. 4"], 1, 2, "p. 3-4"),
    (["p. 3-4", "p. 4", "p. 5"], 1, 3, "p. 3-5"),
    (["table 2 row 3", "table 2 row 4", "table 2 row 5"], 1, 3, "table 2 row 3-5"),
    (["paragraph 7", "", "table 1 row 1"], 1, 3, "paragraph 7 to table 1 row 1"),
])
def test_span(locators, line, end, expected):
    assert span(locators, line, end) == expected


@pytest.mark.parametrize(("prev_end", "lead", "joined"), [
    (500.0, 11.0, True),    # 15 pt left, within 1.5 character widths of the margin: runs on
    (490.0, 11.0, False),   # 25 pt left, an 11 pt character would have fit: the paragraph ends
    (490.0, 21.5, False),   # 25 pt left, the 21.5 pt "90%," would have fit: ends
    (495.0, 21.5, True),    # 20 pt left, more than 1.5 widths, but "90%," did not fit: runs on
])
def test_pdf_line_runs_on_when_the_next_word_did_not_fit(prev_end, lead, joined):
    from plancompare.render.pdf import _continues_paragraph, _Line

    prev = _Line(page=1, text="中小学生在优质校就读比例超过", x0=78.0, x1=prev_end, top=330.0,
                 bottom=344.0, size=11.0)
    line = _Line(page=1, text="90%,择校热现象得到遏制。", x0=78.0, x1=300.0, top=351.0,
                 bottom=365.0, size=11.0, lead=lead)
    assert _continues_paragraph(prev, line, left=78.0, right=515.0) is joined
