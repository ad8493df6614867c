"""Test helper: the seed plans as they would be published (.docx, .pdf, .html).

The seed texts are copies of published files: Tongzhou's is a Word "save as text" export (each
table cell on its own tab-indented line, rows separated by blank lines; bookmarks as
``[bookmark: ...]``), Haidian's a copy of a web page (tables as space-separated lines, the page's
advertising and footer around the article). :func:`seed_blocks` turns a seed back into the
blocks of the original (headings, paragraphs, tables of cells) and the ``make_*`` functions
write those blocks with python-docx, reportlab and plain HTML, the way such files are made.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from plancompare.parse.ingest import read_document
from plancompare.parse.run import parse_file
from plancompare.parse.text import BOOKMARK_RE

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
SEEDS = {
    "tongzhou": "tongzhou_education-plan_2021-2025.txt",
    "haidian": "haidian_education-plan_2021-2025_web-copy.txt",
}
#: Haidian's space-separated tables: header line -> the header's cells (the first column of
#: the indicator table has no header cell; "指 标" is printed with a space).
HAIDIAN_TABLES = {
    "指 标 2020年 2025年": ["", "指 标", "2020年", "2025年"],
    "序号 工程名称": ["序号", "工程名称"],
    "序号 项目名称": ["序号", "项目名称"],
}
_ROW_START_RE = re.compile(r"^\d{1,3}\s")
_SHORT_HEADING_RE = re.compile(r"^(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+[章节])")


@dataclass
class Block:
    """A heading (level 1-3), a paragraph, a table (rows of cells) or page furniture."""

    kind: str                      # "heading", "p", "table", "boilerplate"
    text: str = ""
    level: int = 0
    rows: list[list[str]] = field(default_factory=list)


def seed_blocks(key: str) -> list[Block]:
    """The blocks of seed ``key`` (tongzhou, haidian) in reading order."""
    name = SEEDS[key]
    doc = read_document(RAW / name, display_path=name)
    items = parse_file(RAW / name, display_path=name, doc_id="plan", key_prefix=key,
                       end_year=2025)
    heading_level = {it.line: it.level for it in items
                     if it.item_type == "task" and (it.line_end or it.line) == it.line}
    lines = doc.lines
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        ln = lines[i]
        text = BOOKMARK_RE.sub("", ln.raw).strip(" \t\u00a0\u3000")
        if ln.raw.startswith("\t") or (key == "tongzhou" and ln.raw == "\t"):
            i = _cell_table(lines, i, blocks)
            continue
        if key == "haidian" and text in HAIDIAN_TABLES:
            i = _space_table(lines, i, HAIDIAN_TABLES[text], blocks)
            continue
        i += 1
        if not text or ln.noise == "page_number":
            continue
        if ln.noise == "boilerplate":
            blocks.append(Block("boilerplate", text))
        elif ln.no in heading_level and len(text) <= 40:
            blocks.append(Block("heading", text, level=heading_level[ln.no] + 1))
        elif _SHORT_HEADING_RE.match(text) and len(text) <= 40:
            blocks.append(Block("heading", text, level=1))
        else:
            blocks.append(Block("p", text))
    return blocks


def _cell_table(lines, i: int, blocks: list[Block]) -> int:
    """A Word text export's table: tab-indented cells, one per line, blank lines between rows."""
    rows: list[list[str]] = [[]]
    while i < len(lines) and (lines[i].raw.startswith("\t") or not lines[i].raw.strip()):
        raw = lines[i].raw
        if raw.startswith("\t"):
            rows[-1].append(raw[1:].strip())
        elif rows[-1]:
            rows.append([])
        if not raw.strip() and i + 1 < len(lines) and not lines[i + 1].raw.startswith("\t"):
            break
        i += 1
    blocks.append(Block("table", rows=[r for r in rows if r]))
    return i + 1


def _space_table(lines, i: int, header: list[str], blocks: list[Block]) -> int:
    """A web copy's table: one row per line, cells separated by spaces."""
    rows = [header]
    i += 1
    n = len(header)
    while i < len(lines):
        text = lines[i].text
        if text and not _ROW_START_RE.match(text):
            break
        if text:
            number, rest = text.split(None, 1)
            parts = rest.rsplit(None, n - 2) if n > 2 else [rest]
            rows.append([number, *parts])
        i += 1
    blocks.append(Block("table", rows=rows))
    return i


# --- writers -------------------------------------------------------------------------------


def make_docx(blocks: list[Block], path: Path, *, merged_group: bool = False,
              final_paragraph: bool = False) -> Path:
    """Write the blocks as a Word file: Heading 1-3 styles, tables with a grid.

    ``final_paragraph`` ends the document with an empty paragraph, as Word always does
    (python-docx does not add one after a last table; LibreOffice 7.4 does not read back as a
    table a last table of a .doc it wrote without one)."""
    import docx

    document = docx.Document()
    for block in blocks:
        if block.kind == "heading":
            document.add_heading(block.text, level=block.level)
        elif block.kind == "p":
            document.add_paragraph(block.text)
        elif block.kind == "table":
            ncols = max(len(r) for r in block.rows)
            table = document.add_table(rows=len(block.rows), cols=ncols)
            table.style = "Table Grid"
            for r, row in enumerate(block.rows):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
    if final_paragraph:
        document.add_paragraph("")
    document.save(path)
    return path


def make_html(blocks: list[Block], path: Path, *, encoding: str = "utf-8",
              declared: str | None = None) -> Path:
    """Write the blocks as a government web page: nav bar, article, share bar, footer.

    ``declared`` is the charset named in ``<meta>`` (default ``encoding``; servers that declare
    GB2312 mostly send GBK, so a fixture may declare gb2312 and encode gbk)."""
    body: list[str] = []
    ads = [b.text for b in blocks if b.kind == "boilerplate"]
    for block in blocks:
        if block.kind == "heading":
            body.append(f"<h{block.level + 1}>{html.escape(block.text)}</h{block.level + 1}>")
        elif block.kind == "p":
            body.append(f"<p>{html.escape(block.text)}</p>")
        elif block.kind == "table":
            trs = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
                          for row in block.rows)
            body.append(f'<table border="1"><tbody>{trs}</tbody></table>')
    head_ads = "".join(f"<p>{html.escape(t)}</p>" for t in ads[: len(ads) // 2])
    tail_ads = "".join(f"<li><a href='#'>{html.escape(t)}</a></li>" for t in ads[len(ads) // 2:])
    page = f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={declared or encoding}">
<title>教育规划</title><script>var x = "<p>不是正文</p>";</script><style>p {{margin: 0}}</style></head>
<body>
<div class="header"><div class="logo">区人民政府门户网站</div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zw">政务公开</a></li>
<li><a href="/bs">办事服务</a></li><li><a href="/hd">互动交流</a></li></ul></div>
<div class="ad-banner">{head_ads}</div>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zw">政务公开</a></div>
<div class="main"><div class="article">
<div class="TRS_Editor">
{chr(10).join(body)}
</div>
<div class="bdsharebuttonbox">分享到：<a href="#">微信</a><a href="#">微博</a></div>
</div>
<div class="related"><h4>相关链接</h4><ul>{tail_ads}
<li><a href="/a">关于做好2022年招生工作的通知</a></li><li><a href="/b">区教委2021年工作总结</a></li>
</ul></div></div>
<div class="footer"><p>主办：区人民政府办公室 版权所有</p><p>京ICP备05060933号</p></div>
</body></html>
"""
    path.write_bytes(page.encode(encoding, errors="xmlcharrefreplace"))  # &#160; as pages do
    return path


def make_pdf(blocks: list[Block], path: Path, *, running_header: str) -> Path:
    """Write the blocks as a PDF: wrapped paragraphs with a first-line indent, ruled tables,
    a running header and a page-number footer on every page (reportlab, CJK CID font)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    font = "STSong-Light"
    body = ParagraphStyle("body", fontName=font, fontSize=11, leading=18, wordWrap="CJK",
                          firstLineIndent=22)
    heads = {lvl: ParagraphStyle(f"h{lvl}", fontName=font, fontSize=16 - 2 * lvl,
                                 leading=26 - 2 * lvl, wordWrap="CJK", spaceBefore=6,
                                 spaceAfter=4) for lvl in (1, 2, 3, 4)}
    cell = ParagraphStyle("cell", fontName=font, fontSize=9, leading=12, wordWrap="CJK")
    story = []
    for block in blocks:
        if block.kind == "heading":
            story.append(Paragraph(html.escape(block.text), heads[min(block.level, 4)]))
        elif block.kind == "p":
            story.append(Paragraph(html.escape(block.text), body))
        elif block.kind == "table":
            data = [[Paragraph(html.escape(c), cell) for c in row] for row in block.rows]
            ncols = max(len(r) for r in data)
            widths = _col_widths(block.rows, ncols, 450)
            table = Table(data, colWidths=widths, repeatRows=1)
            table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                                       ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
            story.append(table)

    def furniture(canvas, doc):
        canvas.saveState()
        canvas.setFont(font, 9)
        canvas.drawCentredString(A4[0] / 2, A4[1] - 40, running_header)
        canvas.drawCentredString(A4[0] / 2, 30, f"— {doc.page} —")
        canvas.restoreState()

    template = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=72, rightMargin=72,
                                 topMargin=72, bottomMargin=60)
    template.build(story, onFirstPage=furniture, onLaterPages=furniture)
    return path


def _col_widths(rows: list[list[str]], ncols: int, total: float) -> list[float]:
    """Column widths in proportion to the longest cell of each column (at least 30 pt)."""
    longest = [max((len(r[c]) if c < len(r) else 0) for r in rows) + 2 for c in range(ncols)]
    scale = total / sum(longest)
    widths = [max(30.0, n * scale) for n in longest]
    return [w * total / sum(widths) for w in widths]
