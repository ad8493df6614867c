"""Word (.docx) -> rendition with python-docx: paragraphs in body order, tables as TAB rows.

Heading styles keep their text like any paragraph (the parsers recognise headings by their
numbering and wording). Each table row lists one cell per grid column: a horizontally merged
cell (``gridSpan``) is repeated in every column it spans and a vertically merged cell
(``vMerge``) in every row, as python-docx resolves them from the XML. A one-column table (a
frame around text) is read as its paragraphs. Page headers, footers and footnotes are not
body text and are left out.
"""

from __future__ import annotations

import io
import zipfile

from docx.oxml.ns import qn

from ..errors import InputError
from .rendition import Builder, Rendition

VERSION = 1
#: Leading bytes of an OLE compound file: a .doc, or a .docx saved with a password.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def renderer(fmt: str = "docx") -> str:
    """Renderer name, version and library version (a change renders cached files again)."""
    import docx

    return f"docx/{VERSION} python-docx {docx.__version__}"


def render(data: bytes, name: str, *, fmt: str = "docx") -> Rendition:
    """Render the bytes of a .docx file.

    Parameters
    ----------
    data : bytes
    name : str
        The file as named in errors.
    fmt : str
        The format recorded in the rendition (``docx``; LibreOffice conversions pass theirs).

    Returns
    -------
    Rendition

    Raises
    ------
    InputError
        A password-protected, damaged or mis-named file.
    """
    from .numbering import Numbering

    document = _open(data, name)
    builder = Builder(fmt, renderer(fmt))
    _blocks(document.element.body, document, builder, Numbering(document))
    return builder.build()


def _open(data: bytes, name: str):
    import docx
    from docx.opc.exceptions import OpcError

    if data.startswith(OLE_MAGIC):
        raise InputError("this .docx is not a Word 2007+ file: it is password-protected or an "
                         "old .doc renamed", path=name,
                         fix="open it in Word / WPS, remove the password (or Save As .docx) "
                             "and use the saved file")
    try:
        return docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OpcError, SyntaxError) as exc:
        raise InputError(f"the Word file is damaged or incomplete ({type(exc).__name__}: "
                         f"{str(exc)[:80]})", path=name,
                         fix="download the file again, or open it in Word / WPS / LibreOffice "
                             "and save it again as .docx") from None


def _blocks(parent, container, builder: Builder, numbering) -> None:
    """Paragraphs and tables of a body or cell in order; content controls (``w:sdt``) are
    opened, so text Word keeps in them is not lost."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in parent.iterchildren():
        if child.tag == qn("w:p"):
            paragraph = Paragraph(child, container)
            builder.paragraph(numbering.prefix(paragraph, paragraph_text(paragraph)))
        elif child.tag == qn("w:tbl"):
            _table(Table(child, container), builder, numbering)
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                _blocks(content, container, builder, numbering)


def paragraph_text(paragraph) -> str:
    """The paragraph's visible text: its runs, hyperlinks, tracked insertions, smart tags,
    simple fields and inline content controls (python-docx's ``text`` reads runs and links)."""
    from docx.text.run import Run

    runs = paragraph._p.xpath("./w:r | ./w:hyperlink/w:r | ./w:ins/w:r | ./w:smartTag/w:r"
                              " | ./w:fldSimple/w:r | ./w:sdt/w:sdtContent/w:r")
    return "".join(Run(r, paragraph).text for r in runs)


def _table(table, builder: Builder, numbering) -> None:
    rows = list(table.rows)
    if all(len(_distinct(row.cells)) <= 1 for row in rows):  # a frame around text, not a table
        for row in rows:
            for cell in _distinct(row.cells):
                _blocks(cell._tc, cell, builder, numbering)
        return
    number = builder.start_table()
    for r, row in enumerate(rows, 1):
        cells = [""] * row.grid_cols_before + [_cell_text(c) for c in row.cells]
        builder.row(cells, f"table {number} row {r}")
    builder.blank()


def _distinct(cells) -> list:
    """The cells of a row without the repeats of merged cells."""
    return list({id(c._tc): c for c in cells}.values())


def _cell_text(cell) -> str:
    """A cell's paragraphs (and any nested table's cells) joined by spaces."""
    from docx.table import Table

    parts: list[str] = []
    for block in cell.iter_inner_content():
        if isinstance(block, Table):
            parts.extend(_cell_text(c) for row in block.rows for c in _distinct(row.cells))
        else:
            parts.append(paragraph_text(block))
    return " ".join(p.strip() for p in parts if p.strip())
