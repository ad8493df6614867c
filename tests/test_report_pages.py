"""Source pages, reading tables, CSV downloads and the contents list (no kernel needed)."""

from __future__ import annotations

import base64
import io
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from plancompare.report import render, source_run, sources, tables

ROOT = Path(__file__).resolve().parents[1]
XSS = "<script>alert(1)</script>"

# ------------------------------------------------------------------------------------------
# Parsing helpers: the HTML tables and the CSV behind each download link
# ------------------------------------------------------------------------------------------


class TablesAndLinks(HTMLParser):
    """Collects each table.plancompare-table (cell texts, <br> as newline) and CSV data links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self.csvs: list[str] = []
        self._in = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and "plancompare-table" in (a.get("class") or ""):
            self._in = True
            self.tables.append([])
        elif self._in and tag == "tr":
            self.tables[-1].append([])
        elif self._in and tag in ("td", "th"):
            self._cell = []
        elif self._cell is not None and tag == "br":
            self._cell.append("\n")
        elif tag == "a" and (a.get("href") or "").startswith("data:text/csv"):
            self.csvs.append(a["href"])

    def handle_endtag(self, tag):
        if tag == "table":
            self._in = False
        elif tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell).replace("\u2003", "\t"))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def read_csv_link(href: str) -> pd.DataFrame:
    """The CSV of a ``data:text/csv;charset=utf-8;base64,`` link, as pandas reads it."""
    head, b64 = href.split(",", 1)
    assert head == "data:text/csv;charset=utf-8;base64"
    raw = base64.b64decode(b64)
    assert raw.startswith("\ufeff".encode())  # BOM for Excel
    return pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", dtype=str, keep_default_na=False)


def assert_csv_equals_table(page: str) -> int:
    """Every table of ``page`` equals the CSV of the download link that follows it."""
    parser = TablesAndLinks()
    parser.feed(page)
    tables_ = parser.tables
    table_csvs = [h for h in parser.csvs]
    assert len(table_csvs) >= len(tables_)
    checked = 0
    # each table is followed by its link; chart-data links come without a table
    for rows, href in zip(tables_, _links_after_tables(page), strict=True):
        frame = read_csv_link(href)
        assert list(frame.columns) == rows[0]
        assert frame.values.tolist() == rows[1:], href[:60]
        checked += 1
    return checked


def _links_after_tables(page: str) -> list[str]:
    return re.findall(r'</table>\s*(?:<p class="pc-more">.*?</p>)?\s*<a class="pc-csv" '
                      r'download="[^"]*" href="([^"]+)"', page, flags=re.DOTALL)


# ------------------------------------------------------------------------------------------
# Reading tables
# ------------------------------------------------------------------------------------------


def sample_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "指标": ["学前教育毛入园率", f"体育{XSS}达标率"],
        "目标值": ["≥95%", "27"],
        "年份": [2025, None],
        "原文引用": ["到2025年，学前教育毛入园率≥95%。\n第二行", "It's 27 & <b>27</b>"],
        "出处": ["plan.txt:144-146", "plan.txt:7"],
    })


def test_table_aligns_links_and_emphasises():
    page = tables.table_html(sample_frame(), emphasis={"原文引用": ["目标值"]})
    assert '<th>指标</th>' in page and '<th class="num">年份</th>' in page
    assert '<td class="num">2025</td>' in page and '<td class="num"></td>' in page
    assert '<td class="where"><a class="pc-src" href="sources/plan.txt.html#L144-L146">' \
           "plan.txt:144-146</a></td>" in page
    assert 'href="sources/plan.txt.html#L7"' in page
    # the text is escaped first, the emphasis added around escaped pieces
    assert "学前教育毛入园率<mark>≥95%</mark>。<br>第二行" in page
    assert "It&#x27;s <mark>27</mark> &amp; &lt;b&gt;27&lt;/b&gt;" in page
    assert XSS not in page and "体育&lt;script&gt;alert(1)&lt;/script&gt;达标率" in page


def test_file_line_inside_text_is_linked():
    got = tables.linked("通州区 a.txt:206；b/c.txt:7-9 <x>")
    assert got == ('通州区 <a class="pc-src" href="sources/a.txt.html#L206">a.txt:206</a>；'
                   '<a class="pc-src" href="sources/b/c.txt.html#L7-L9">b/c.txt:7-9</a> &lt;x&gt;')
    assert tables.linked("ratio 3.5:1 and v1.2:3") == "ratio 3.5:1 and v1.2:3"


@pytest.mark.parametrize(("quote", "values", "spans"), [
    ("目标≥95%，基线90%", ["≥95%", "90%"], [(2, 6), (9, 12)]),
    ("达到95％以上", ["95%"], [(2, 4)]),              # printed full-width: the number is marked
    ("85 85", ["85", "85"], [(0, 2)]),                # one mark, no overlap
    ("没有数字", ["-", ""], []),
])
def test_emphasis_spans(quote, values, spans):
    assert tables.emphasis_spans(quote, values) == spans


def test_csv_download_equals_the_table():
    page = tables.table_html(sample_frame(), filename="evidence.csv")
    assert 'download="evidence.csv"' in page
    assert assert_csv_equals_table(page) == 1
    frame = read_csv_link(_links_after_tables(page)[0])
    assert frame.loc[0, "原文引用"] == "到2025年，学前教育毛入园率≥95%。\n第二行"
    assert frame.loc[1, "年份"] == ""


def test_index_becomes_a_column_and_max_rows_keeps_the_csv_whole():
    df = pd.DataFrame({"n": [1, 2, 3]}, index=pd.Index(["a", "b", "c"], name="区"))
    page = tables.table_html(df, index=True, max_rows=2)
    assert "<th>区</th>" in page and "1 more rows in the CSV" in page
    assert len(read_csv_link(_links_after_tables(page)[0])) == 3


# ------------------------------------------------------------------------------------------
# Source pages
# ------------------------------------------------------------------------------------------


def test_source_page_lines_noise_rows_and_ranges():
    lines = [sources.SourceLine(1, "目录", "toc"), sources.SourceLine(2, f"标题{XSS}"),
             sources.SourceLine(3, "毛入园率"), sources.SourceLine(4, "95%"),
             sources.SourceLine(5, "")]
    rows = [sources.RowRef(3, 4, "indicator target 2025 · 毛入园率 · 95%"),
            sources.RowRef(2, 2, f"task · 标题{XSS}")]
    page = sources.page_html("d/plan.txt", lines, rows, meta=[("district", "通州区")])
    for n in range(1, 6):
        assert f'id="L{n}"' in page and f'href="#L{n}"' in page
    assert '<div class="ln noise" id="L1">' in page and '<span class="why">toc</span>' in page
    assert '<div class="ln fed" id="L3">' in page and '<div class="ln fed" id="L4">' in page
    assert '<div class="ln" id="L5">' in page
    assert '<span class="rng" id="L3-L4"></span>\n<div class="ln fed" id="L3">' in page
    assert "#L3-L4:target~:is(#L3,#L4)" in page
    assert "<li>indicator target 2025 · 毛入园率 · 95% <small>(L3-L4)</small></li>" in page
    assert XSS not in page and "标题&lt;script&gt;" in page
    assert 'href="../../index.html"' in page  # the page is sources/d/plan.txt.html
    assert "<script" not in page


def test_source_page_with_locators_has_their_column():
    lines = [sources.SourceLine(1, "第一段"), sources.SourceLine(2, "表格\t行")]
    page = sources.page_html("plan.docx", lines, [], locators={1: "paragraph 1",
                                                            2: "table 1 row 2"})
    assert '<main class="src with-loc">' in page
    assert '<span class="loc">table 1 row 2</span>' in page


def test_source_href_quotes_the_file_name():
    assert sources.source_href("规划 2021.txt", 5) == \
        "sources/%E8%A7%84%E5%88%92%202021.txt.html#L5"
    assert sources.source_href("a.txt", 5, 5) == "sources/a.txt.html#L5"
    assert sources.source_href("a.txt", 5, 7, prefix="../") == "../sources/a.txt.html#L5-L7"


# ------------------------------------------------------------------------------------------
# Contents list
# ------------------------------------------------------------------------------------------


def test_contents_list_links_every_heading():
    page = ('<header class="pc-header" id="report-header"><h1>T</h1></header>'
            '<h2 id="Targets">目标 Targets<a class="anchor-link" href="#Targets">¶</a></h2>'
            '<h2 id="city\'s-plan">city\'s plan</h2>'
            "<h3>a &amp; b</h3><h2>通州区</h2>")
    out = render.add_contents(page)
    nav = re.search(r'<nav class="pc-toc".*?</nav>', out).group(0)
    assert out.index("</header>") < out.index("<nav")
    assert '<li class="h2"><a href="#Targets">目标 Targets</a></li>' in nav
    assert '<a href="#city&#x27;s-plan">city&#x27;s plan</a>' in nav
    assert '<li class="h3"><a href="#sec-3">a &amp; b</a></li>' in nav
    assert '<h2 id="sec-4">通州区</h2>' in out


def test_stylesheet_has_target_and_a4_print_rules():
    css = render.stylesheet()
    assert ".src .ln:target" in css and "@page { size: A4;" in css


# ------------------------------------------------------------------------------------------
# Incremental source pages on the real documents
# ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    from plancompare import build

    root = tmp_path_factory.mktemp("srcpages")
    shutil.copytree(ROOT / "data" / "raw", root / "data" / "raw")
    build.build(root, quiet=True)
    return root


def write(root: Path, prev: dict, **kw):
    from plancompare.report import cache

    out = root / "reports"
    entries = source_run.write_source_pages(
        root, out, prev, data_ver=cache.data_version(root), code="c", font=None, font_key="f",
        css=render.stylesheet(), **kw)
    return {e["source_file"]: e for e in entries}


def test_source_pages_are_incremental(project, monkeypatch):
    from plancompare import build

    first = write(project, {})
    n_raw = len([f for f in (project / "data" / "raw").iterdir() if f.suffix == ".txt"])
    assert {e["status"] for e in first.values()} == {"ok"} and len(first) == n_raw >= 5
    tz = "tongzhou_education-plan_2021-2025.txt"
    page = (project / "reports" / "sources" / f"{tz}.html").read_text(encoding="utf-8")
    assert first[tz]["rows"] > 50 and page.count('class="ln fed"') > 50

    def boom(root):
        raise AssertionError("the dataset must not be read when nothing changed")

    with monkeypatch.context() as mp:
        mp.setattr(source_run, "curated_rows", boom)
        second = write(project, first)
    assert {e["status"] for e in second.values()} == {"unchanged"}

    # one raw file changes (and is registered again): only its page is rendered again
    raw = project / "data" / "raw" / tz
    old_sha = source_run._file_sha256(raw)
    raw.write_bytes(raw.read_bytes() + "\n到2025年，新增指标达到100%。\n".encode())
    manifest = project / "data" / "raw" / "manifest.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        old_sha, source_run._file_sha256(raw)), encoding="utf-8")
    build.build(project, quiet=True)
    third = write(project, second)
    assert third[tz]["status"] == "ok"
    assert {e["status"] for f, e in third.items() if f != tz} == {"unchanged"}
    page = (project / "reports" / "sources" / f"{tz}.html").read_text(encoding="utf-8")
    assert "新增指标达到100%" in page
