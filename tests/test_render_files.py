"""Render stage: bad files, merged cells, encodings, the data/interim cache, the manifest field."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from plancompare import cli
from plancompare.render import html as html_render
from plancompare.render import office, render_file
from plancompare.render.cache import cache_files

PLAN = "到2025年，学前三年入园率达到90%以上。"


def _extract(path, capsysbinary) -> tuple[int, str, str]:
    code = cli.main(["extract", str(path), "--end-year", "2025"])
    out, err = capsysbinary.readouterr()
    return code, out.decode("utf-8"), err.decode("utf-8")


def _pdf(path, *, text: str | None = PLAN, encrypt: str | None = None):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), encrypt=encrypt)
    if text:
        c.setFont("STSong-Light", 12)
        c.drawString(72, 700, text)
    else:  # a scanned page: an image, no characters
        c.setFillGray(0.4)
        c.rect(72, 72, 400, 600, fill=1)
    c.save()
    return path


def _docx(path, rows=None):
    import docx

    document = docx.Document()
    document.add_heading("一、发展目标", level=1)
    document.add_paragraph(PLAN)
    if rows:
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    table.cell(r, c).text = value
        return document, table
    document.save(path)
    return path


NAV_ONLY = ("<html><head><meta charset='utf-8'></head><body><div class='nav'><a href='/'>首页</a>"
            "<a href='/a'>政务公开</a></div><div class='footer'>版权所有 京ICP备05060933号</div>"
            "</body></html>")


@pytest.mark.parametrize(("name", "make", "message"), [
    ("scan.pdf", lambda p: _pdf(p, text=None), "this PDF has no text layer: it is a scan"),
    ("locked.pdf", lambda p: _pdf(p, encrypt="secret"), "this PDF is encrypted"),
    ("cut.pdf", lambda p: p.write_bytes(_pdf(p).read_bytes()[:300]),
     "the PDF is damaged or incomplete"),
    ("cut.docx", lambda p: p.write_bytes(_docx(p).read_bytes()[:2000]),
     "the Word file is damaged or incomplete"),
    ("locked.docx", lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500)),
     "this .docx is not a Word 2007+ file: it is password-protected"),
    ("nav.html", lambda p: p.write_text(NAV_ONLY, encoding="utf-8"),
     "the web page has no article body"),
    ("empty.pdf", lambda p: p.write_bytes(b""), "the file is empty"),
])
def test_bad_file_one_message_exit_2(tmp_path, capsysbinary, name, make, message):
    path = tmp_path / name
    make(path)
    code, out, err = _extract(path, capsysbinary)
    assert (code, out) == (2, "")
    assert err.startswith(f"error: {name}: {message}"), err
    assert "fix: " in err and "Traceback" not in err and err.count("error:") == 1


def test_scan_error_says_run_ocr(tmp_path, capsysbinary):
    _, _, err = _extract(_pdf(tmp_path / "scan.pdf", text=None), capsysbinary)
    assert "run OCR first" in err


def test_doc_without_libreoffice_says_how_to_install(tmp_path, capsysbinary, monkeypatch):
    monkeypatch.setattr(office, "soffice", lambda: None)
    path = tmp_path / "plan.wps"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500))
    code, _, err = _extract(path, capsysbinary)
    assert code == 2
    assert "a .wps file needs LibreOffice" in err
    assert "apt-get install libreoffice-writer-nogui" in err


def test_pdf_extract(tmp_path, capsysbinary):
    code, _, err = _extract(_pdf(tmp_path / "plan.pdf"), capsysbinary)
    assert code == 0, err
    assert "plan.pdf: " in err and "(pdf rendition, end year 2025)" in err


# ---- merged cells --------------------------------------------------------------------------


def test_docx_merged_cells_repeated(tmp_path):
    rows = [["类别", "指标", "2025年"], ["学前教育", "入园率（%）", "≥90"],
            [None, "普惠率（%）", "90"], ["合计", None, "2项"]]
    document, table = _docx(tmp_path / "m.docx", rows)
    table.cell(1, 0).merge(table.cell(2, 0))          # vertical merge (vMerge)
    table.cell(3, 0).merge(table.cell(3, 1))          # horizontal merge (gridSpan)
    document.save(tmp_path / "m.docx")
    rendition = render_file(tmp_path / "m.docx")
    assert rendition.lines[2:] == [
        "", "类别\t指标\t2025年", "学前教育\t入园率（%）\t≥90", "学前教育\t普惠率（%）\t90",
        "合计\t合计\t2项"]
    assert rendition.locators[2:] == ["", "table 1 row 1", "table 1 row 2", "table 1 row 3",
                                      "table 1 row 4"]
    assert rendition.locators[:2] == ["paragraph 1", "paragraph 2"]


def test_html_rowspan_colspan_repeated():
    import lxml.html

    table = lxml.html.fromstring(
        "<table><tr><th rowspan=2>类别</th><th colspan=2>指标值</th></tr>"
        "<tr><td>2020年</td><td>2025年</td></tr>"
        "<tr><td rowspan=2>学前</td><td>85</td><td>≥90</td></tr>"
        "<tr><td>88</td><td>90</td></tr></table>")
    assert html_render.table_grid(table) == [
        ["类别", "指标值", "指标值"], ["类别", "2020年", "2025年"], ["学前", "85", "≥90"],
        ["学前", "88", "90"]]


def test_pdf_merged_cells_repeated(tmp_path):
    from reportlab.lib import colors
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    data = [["类别", "指标", "2025年"], ["学前教育", "入园率（%）", "≥90"],
            ["", "普惠率（%）", "90"], ["合计", "", "2项"]]
    table = Table(data, colWidths=[120, 160, 80])
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), "STSong-Light"),
                               ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                               ("SPAN", (0, 1), (0, 2)), ("SPAN", (0, 3), (1, 3))]))
    SimpleDocTemplate(str(tmp_path / "m.pdf")).build([table])
    rendition = render_file(tmp_path / "m.pdf")
    assert rendition.lines == ["类别\t指标\t2025年", "学前教育\t入园率（%）\t≥90",
                               "学前教育\t普惠率（%）\t90", "合计\t合计\t2项"]
    assert rendition.locators[-1] == "p. 1, table 1 row 4"


# ---- encodings -----------------------------------------------------------------------------


@pytest.mark.parametrize(("encoding", "meta"), [
    ("utf-8", "<meta charset='utf-8'>"),
    ("gb18030", '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'),
    ("gbk", "<meta charset=GBK>"),
    ("gb18030", ""),                      # undeclared: charset-normalizer
    ("utf-8", ""),
])
def test_html_encodings(tmp_path, encoding, meta):
    body = "<p>" + "教育事业发展规划。" * 4 + "</p><p>" + PLAN + "</p>"
    page = f"<html><head>{meta}<title>t</title></head><body>{body}</body></html>"
    (tmp_path / "p.html").write_bytes(page.encode(encoding))
    assert render_file(tmp_path / "p.html").lines == ["教育事业发展规划。" * 4, PLAN]


def test_html_source_line_break_between_chinese_is_no_space(tmp_path):
    page = "<html><body><p>到2025年，学前三年\n    入园率达到90%以上。</p><p>STEM\neducation</p></body></html>"
    (tmp_path / "p.html").write_text(page, encoding="utf-8")
    assert render_file(tmp_path / "p.html").lines == [PLAN, "STEM education"]


# ---- the data/interim cache ----------------------------------------------------------------


@pytest.fixture
def project(tmp_path):
    raw = tmp_path / "data" / "raw"
    raw.mkdir(parents=True)
    (raw / "manifest.toml").write_text("schema_version = 1\n", encoding="utf-8")
    return tmp_path


def test_rendition_cached_under_interim_and_reused(project, monkeypatch):
    from plancompare.render import pdf

    path = _pdf(project / "data" / "raw" / "plan.pdf")
    first = render_file(path)
    text_file, meta_file = cache_files(path)
    assert text_file == project / "data" / "interim" / "plan.pdf.txt"
    assert text_file.read_text(encoding="utf-8") == PLAN + "\n"
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    assert meta["locators"] == ["p. 1"] and meta["format"] == "pdf"
    assert meta["renderer"] == pdf.renderer() and len(meta["source_sha256"]) == 64

    monkeypatch.setattr(pdf, "render", lambda *a, **k: pytest.fail("rendered again"))
    again = render_file(path)
    assert (again.lines, again.locators) == (first.lines, first.locators)


def test_changed_file_rendered_again(project):
    path = _pdf(project / "data" / "raw" / "plan.pdf")
    render_file(path)
    _pdf(path, text="到2025年，普惠性幼儿园覆盖率达到92%。")
    assert render_file(path).lines == ["到2025年，普惠性幼儿园覆盖率达到92%。"]
    assert "92%" in cache_files(path)[0].read_text(encoding="utf-8")


def test_file_outside_data_raw_not_cached(tmp_path):
    path = _pdf(tmp_path / "plan.pdf")
    render_file(path)
    assert cache_files(path) is None
    assert not (tmp_path / "data").exists()


# ---- manifest -----------------------------------------------------------------------------


def _manifest(root, path, fmt_line=""):
    from plancompare.manifest import sha256_file

    sha = sha256_file(root / "data" / "raw" / path)
    (root / "data" / "raw" / "manifest.toml").write_text(f"""schema_version = 1
[[district]]
id = "x"
name_zh = "某区"
name_en = "X"
adcode = ""
  [[district.document]]
  id = "plan"
  title = "规划"
  kind = "development plan"
  period = "2021-2025"
  end_year = 2025
    [[district.document.file]]
    path = "{path}"
    sha256 = "{sha}"
    {fmt_line}
""", encoding="utf-8")


def test_manifest_records_format(project):
    from plancompare import manifest

    _pdf(project / "data" / "raw" / "plan.pdf")
    _manifest(project, "plan.pdf")
    assert manifest.load(project).files()[0][2].format == "pdf"
    _manifest(project, "plan.pdf", 'format = "docx"')
    with pytest.raises(manifest.ManifestError, match="format 'docx' of plan.pdf does not match"):
        manifest.load(project)


def test_registration_block_names_format(project):
    from plancompare.manifest import registration_block

    path = _pdf(project / "data" / "raw" / "new_plan.pdf")
    assert 'format = "pdf"' in registration_block(path, "new_plan.pdf")


def test_no_system_tool_needed_for_docx_pdf_html(tmp_path):
    """With an empty PATH (no soffice, no poppler, no pdftotext) the three formats render."""
    pdf = _pdf(tmp_path / "plan.pdf")
    page = tmp_path / "plan.html"
    page.write_text(f"<html><body><p>{PLAN}</p></body></html>", encoding="utf-8")
    code = ("import sys; from plancompare.render import render_file;"
            "print('|'.join(render_file(p).lines[-1] for p in sys.argv[1:]))")
    done = subprocess.run([sys.executable, "-c", code, str(pdf), str(page),
                           str(_docx(tmp_path / "plan.docx"))],
                          check=True, env={"PATH": ""}, capture_output=True, text=True)
    assert done.stdout.strip() == "|".join([PLAN] * 3)


# ---- Word's automatic numbering --------------------------------------------------------------

LEVELS = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3."),
          ("decimalEnclosedCircle", "%4")]


def _numbered_docx(path):
    """Headings numbered by Word (numbering.xml), not in their text; a bullet list."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    numbering = document.part.numbering_part.element
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>' for i, (fmt, text) in enumerate(LEVELS))
    numbering.append(parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">{levels}'
                               "</w:abstractNum>"))
    numbering.append(parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="91">'
                               '<w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/>'
                               '<w:lvlText w:val="•"/></w:lvl></w:abstractNum>'))
    for nid, aid in (("90", "90"), ("91", "91")):
        numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{nid}">'
                                   f'<w:abstractNumId w:val="{aid}"/></w:num>'))

    def add(text, level, num="90", style=None):
        paragraph = document.add_paragraph(text, style=style)
        paragraph._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/>'
            "</w:numPr>"))

    add("主要任务", 0, style="Heading 1")
    add("夯实基础", 1, style="Heading 2")
    add("推动学前教育发展", 2, style="Heading 3")
    document.add_paragraph("优化学前教育资源供给。")
    add("推进义务教育优质均衡", 2, style="Heading 3")
    add("新建学校", 3)
    add("聚焦发展", 1, style="Heading 2")
    add("健全体制机制", 2, style="Heading 3")
    add("一条要点", 0, num="91")
    add("保障措施", 0, style="Heading 1")
    document.save(path)
    return path


def test_docx_automatic_numbering(tmp_path):
    rendition = render_file(_numbered_docx(tmp_path / "n.docx"))
    assert rendition.lines == [
        "一、主要任务", "（一）夯实基础", "1.推动学前教育发展", "优化学前教育资源供给。",
        "2.推进义务教育优质均衡", "① 新建学校", "（二）聚焦发展", "1.健全体制机制", "一条要点",
        "二、保障措施"]


@pytest.mark.parametrize(("n", "fmt", "text"), [
    (1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (21, "chineseCounting", "二十一"),
    (4, "upperRoman", "IV"), (9, "lowerRoman", "ix"), (2, "upperLetter", "B"),
    (3, "decimalEnclosedCircle", "③"), (12, "decimalFullWidth", "１２"), (2, "ideographTraditional", "乙"),
    (7, "decimal", "7"),
])
def test_format_number(n, fmt, text):
    from plancompare.render.numbering import format_number

    assert format_number(n, fmt) == text


def test_html_layout_table_read_as_text(tmp_path):
    article = "".join(f"<p>{PLAN[:-1]}，第{i}项。</p>" for i in range(80))
    page = (f"<html><body><table><tr><td class='menu'><a href='/'>首页</a></td>"
            f"<td>{article}<table border=1><tr><td>指标</td><td>2025年</td></tr>"
            "<tr><td>入园率（%）</td><td>≥90</td></tr></table></td></tr></table></body></html>")
    (tmp_path / "p.html").write_text(page, encoding="utf-8")
    lines = render_file(tmp_path / "p.html").lines
    assert lines[0] == f"{PLAN[:-1]}，第0项。" and len(lines) == 80 + 3
    assert lines[-2:] == ["指标\t2025年", "入园率（%）\t≥90"]


def test_pdf_aligned_columns_without_rules_are_tab_cells(tmp_path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(tmp_path / "a.pdf"))
    c.setFont("STSong-Light", 11)
    for i, row in enumerate([("序号", "指标", "2020年", "2025年"), ("1", "入园率（%）", "85", "≥90")]):
        for x, cell in zip((72, 120, 330, 420), row):
            c.drawString(x, 700 - 20 * i, cell)
    c.save()
    assert render_file(tmp_path / "a.pdf").lines == ["序号\t指标\t2020年\t2025年",
                                                     "1\t入园率（%）\t85\t≥90"]
