"""A saved web page (.html, .htm) -> rendition with lxml: the article body, tables as TAB rows.

Decoding: a byte-order mark, else the charset the page declares in ``<meta>`` (GB2312 and GBK
are read as GB18030, their superset), else UTF-8, else what charset-normalizer detects.
Navigation, headers, footers, share buttons, related-article lists and advertising are removed
(by element, by class / id words, and by link density: ``render.toml [html]``); the article is
the smallest element that still holds most of the remaining text. Block elements (``p``,
``div``, ``h1``-``h6``, ``li`` ...) and ``<br>`` end a line; a line break in the page source
between two Chinese characters is no space. A ``<table>`` becomes one TAB row per ``<tr>`` with
``rowspan`` / ``colspan`` cells repeated where they apply; a table that holds another table or
has one column is page layout and is read as text.
"""

from __future__ import annotations

import codecs
import re

from ..errors import InputError
from .rendition import Builder, Rendition

VERSION = 1
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""",
                              re.IGNORECASE)
_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*>")
_WS_RE = re.compile(r"[ \t\r\n\f]+")
_CJK_BREAK_RE = re.compile(r"(?<=[\u2e80-\u9fff\uff00-\uffef\u3000-\u303f])[ \t\r\f]*\n[ \t\r\n\f]*"
                           r"(?=[\u2e80-\u9fff\uff00-\uffef\u3000-\u303f])")
_GB_NAMES = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "euc-cn", "gb18030"}
BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul",
    "ol", "dl", "dt", "dd", "blockquote", "pre", "center", "address", "figure", "figcaption",
    "table", "tr", "td", "th", "caption", "hr", "body",
})
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def renderer(fmt: str = "html") -> str:
    """Renderer name, version and library version (a change renders cached files again)."""
    import lxml

    return f"html/{VERSION} lxml {lxml.__version__}"


def render(data: bytes, name: str, *, fmt: str = "html") -> Rendition:
    """Render the bytes of a saved web page.

    Parameters
    ----------
    data : bytes
    name : str
        The file as named in errors.
    fmt : str
        The format recorded in the rendition.

    Returns
    -------
    Rendition

    Raises
    ------
    InputError
        The page cannot be decoded or has no article body.
    """
    import lxml.html
    from lxml.etree import LxmlError

    text = decode(data, name)
    try:
        root = lxml.html.document_fromstring(_XML_DECL_RE.sub("", text) or "<html></html>")
    except (LxmlError, ValueError) as exc:  # ParserError: "Document is empty" and the like
        raise InputError(f"the web page cannot be read ({type(exc).__name__})", path=name,
                         fix="save the page again from the browser (Save as: Web page, HTML "
                             "only)") from None
    body = root.find("body") if root.find("body") is not None else root
    _clean(body)
    article = _article(body)
    builder = Builder(fmt, renderer(fmt))
    _Walker(builder).block(article)
    rendition = builder.build()
    chars = sum(len(line.strip()) for line in rendition.lines)
    if chars < int(_setting("min_body_chars")):
        raise InputError("the web page has no article body (only navigation, links or "
                         "scripts)", path=name,
                         fix="save the page that shows the plan's full text (not a list or "
                             "search page); if the text is loaded by a script, copy it into a "
                             "UTF-8 .txt file or download the attached .docx / .pdf")
    return rendition


def decode(data: bytes, name: str) -> str:
    """The page's text: BOM, else the ``<meta>`` charset, else UTF-8, else a detected charset."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(enc, errors="replace")
    declared = _declared(data[:4096])
    for enc in (declared, "utf-8"):
        if enc:
            try:
                return data.decode(enc)
            except (UnicodeDecodeError, LookupError):
                continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError("the web page is not text in any known encoding", path=name,
                         fix="save the page again from the browser (Save as: Web page, HTML "
                             "only)")
    return str(best)


def _declared(head: bytes) -> str | None:
    m = _META_CHARSET_RE.search(head)
    if not m:
        return None
    enc = m.group(1).decode("ascii", "ignore").lower()
    return "gb18030" if enc in _GB_NAMES else enc


def _setting(key: str):
    from ..parse import vocabulary

    return vocabulary.get("render", f"html.{key}")


# --- boilerplate ---------------------------------------------------------------------------


def _clean(body) -> None:
    """Remove every element that is not article text, in place."""
    from ..parse import vocabulary

    tags = set(vocabulary.words("render", "html.drop_tags"))
    parts = tuple(p.lower() for p in vocabulary.words("render", "html.drop_class_parts"))
    words = set(vocabulary.words("render", "html.drop_class_words"))
    doomed = []
    for el in body.iter():
        if not isinstance(el.tag, str):          # comments, processing instructions
            doomed.append(el)
            continue
        attrs = f"{el.get('class', '')} {el.get('id', '')}".lower()
        hidden = "display:none" in el.get("style", "").replace(" ", "").lower()
        if (el.tag in tags or hidden or any(p in attrs for p in parts)
                or words & set(re.split(r"[^a-z0-9]+", attrs))):
            doomed.append(el)
    for el in doomed:
        _drop(el)
    link_min, share = int(_setting("link_min")), float(_setting("link_share"))
    for el in list(body.iter("ul", "ol", "div", "table", "p", "dl", "td")):
        if el.getparent() is not None and _link_list(el, link_min, share):
            _drop(el)


def _drop(el) -> None:
    """Remove an element but keep its tail text (the text that follows it)."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _link_list(el, link_min: int, share: float) -> bool:
    links = el.findall(".//a")
    if len(links) < link_min:
        return False
    total = len(_squash(el.text_content()))
    linked = sum(len(_squash(a.text_content())) for a in links)
    return total > 0 and linked / total >= share


def _squash(text: str) -> str:
    return _WS_RE.sub("", text)


def _article(body):
    """The smallest element that holds at least ``body_share`` of the page's text."""
    need = float(_setting("body_share"))
    node = body
    while True:
        total = len(_squash(node.text_content()))
        if total == 0:
            return node
        big = [child for child in node if isinstance(child.tag, str)
               and len(_squash(child.text_content())) >= need * total]
        if len(big) != 1 or big[0].tag in ("table", "tr", "p") or big[0].tag in _HEADINGS:
            return node
        node = big[0]


# --- text ----------------------------------------------------------------------------------


class _Walker:
    """Turns an element tree into rendition lines (inline text gathered until a block ends)."""

    def __init__(self, builder: Builder):
        self.builder = builder
        self.buffer: list[str] = []

    def block(self, el) -> None:
        self._text(el.text)
        for child in el:
            if not isinstance(child.tag, str):
                self._text(child.tail)
                continue
            if child.tag == "br":
                self.flush()
            elif child.tag == "table" and _is_data_table(child):
                self.flush()
                self._table(child)
            elif child.tag in BLOCK_TAGS:
                self.flush()
                self.block(child)
                self.flush()
            else:
                self.block(child)
            self._text(child.tail)

    def flush(self) -> None:
        text = "".join(self.buffer)
        self.buffer = []
        text = _WS_RE.sub(" ", _CJK_BREAK_RE.sub("", text)).strip()
        if text:
            self.builder.paragraph(text)

    def _text(self, text: str | None) -> None:
        if text:
            self.buffer.append(text)

    def _table(self, table) -> None:
        number = self.builder.start_table()
        for r, cells in enumerate(table_grid(table), 1):
            self.builder.row(cells, f"table {number} row {r}")
        self.builder.blank()


def _is_data_table(table) -> bool:
    """A table of data: no nested table, no cell longer than ``layout_cell_chars`` (a page
    laid out in a table holds the article in one cell) and more than one column in a row."""
    if table.find(".//table") is not None:
        return False
    longest = int(_setting("layout_cell_chars"))
    if any(len(_squash(cell.text_content())) > longest for cell in table.iter("td", "th")):
        return False
    return any(len(tr.findall("./td") + tr.findall("./th")) > 1 for tr in _rows(table))


def _rows(table) -> list:
    """The table's own rows (in thead / tbody / tfoot or directly under it)."""
    return [tr for tr in table.iter("tr")]


def table_grid(table) -> list[list[str]]:
    """The cells of an HTML table as a grid: a ``rowspan`` / ``colspan`` cell fills every
    position it covers.

    Parameters
    ----------
    table : lxml element
        A ``<table>``.

    Returns
    -------
    list of list of str
        One list of cell texts per ``<tr>``.
    """
    grid: list[list[str]] = []
    pending: dict[tuple[int, int], str] = {}   # (row, col) -> text from a rowspan above
    for r, tr in enumerate(_rows(table)):
        row: list[str] = []
        col = 0
        for cell in (c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")):
            while (r, col) in pending:
                row.append(pending.pop((r, col)))
                col += 1
            text = _cell_text(cell)
            span_c, span_r = _span(cell.get("colspan")), _span(cell.get("rowspan"))
            for dc in range(span_c):
                row.append(text)
                for dr in range(1, span_r):
                    pending[(r + dr, col + dc)] = text
            col += span_c
        while (r, col) in pending:
            row.append(pending.pop((r, col)))
            col += 1
        grid.append(row)
    return grid


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 100))
    except ValueError:
        return 1


def _cell_text(cell) -> str:
    for br in cell.iter("br"):
        br.tail = " " + (br.tail or "")
    return _WS_RE.sub(" ", _CJK_BREAK_RE.sub("", cell.text_content())).strip()
