"""Executed notebook -> offline HTML: header block, nbconvert export, external-reference check."""

from __future__ import annotations

import functools
import html
import json
import re
from typing import Any

from .. import __version__, paths

TEMPLATE_NAME = "plancompare_html"

#: Cells with these tags never reach the HTML (papermill's own cells, the defaults cell).
REMOVE_CELL_TAGS = ("parameters", "injected-parameters", "papermill-error-cell-tag", "remove-cell")
#: The one stylesheet (reports, source pages, index), embedded in every page.
STYLESHEET = "plancompare.css"


def _param_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def header_html(title: str, parameters: dict[str, Any], data_ver: str, generated: str,
                error: str | None = None) -> str:
    """The report's header block; every value is HTML-escaped.

    ``error`` (for the output of a failed run) adds a status row that says the report failed.
    """
    esc = html.escape
    rows = [("Status", f"FAILED: {error}")] if error else []
    rows += [("Parameters", ", ".join(f"{k} = {_param_text(v)}" for k, v in parameters.items())
             or "(defaults)"),
            ("Data version", data_ver), ("Generated", generated),
            ("plancompare", __version__)]
    items = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in rows)
    return (f'<header class="pc-header" id="report-header"><h1>{esc(title)}</h1>'
            f"<dl>{items}</dl></header>")


def to_html(nb: Any, header: str, title: str, font_face: str = "") -> str:
    """Convert an executed notebook to offline HTML (code hidden, parameter cells dropped).

    ``font_face`` is an ``@font-face`` rule (see :func:`font_css`) put in the page's style.
    """
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor
    from traitlets.config import Config

    cfg = Config()
    cfg.TagRemovePreprocessor.remove_cell_tags = set(REMOVE_CELL_TAGS)
    cfg.TagRemovePreprocessor.remove_all_outputs_tags = {"remove-output"}
    cfg.TagRemovePreprocessor.enabled = True
    exporter = HTMLExporter(config=cfg, template_name=TEMPLATE_NAME,
                            extra_template_basedirs=[str(paths.template_dir())],
                            exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True, embed_images=True)
    exporter.register_preprocessor(TagRemovePreprocessor(config=cfg), enabled=True)
    nb.metadata["title"] = title
    body, _ = exporter.from_notebook_node(nb, resources={"plancompare_header": header,
                                                         "plancompare_font_face": font_face,
                                                         "plancompare_css": stylesheet()})
    return add_contents(body)


@functools.cache
def stylesheet() -> str:
    """The shared CSS of every page (``templates/plancompare.css``), print rules included."""
    return (paths.template_dir() / STYLESHEET).read_text(encoding="utf-8")


_HEADING = re.compile(r"<h([23])\b([^>]*)>(.*?)</h\1\s*>", re.DOTALL | re.IGNORECASE)
_ID = re.compile(r"""\bid\s*=\s*(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_HEADER_END = re.compile(r'(<header class="pc-header" id="report-header">.*?</header>)', re.DOTALL)


def contents(page: str) -> tuple[str, list[tuple[int, str, str]]]:
    """Give every h2/h3 of ``page`` an id; return the page and ``[(level, id, text)]``.

    The text is the heading's visible text (tags and nbconvert's ``¶`` anchor removed, entities
    decoded); headings are HTML the page already escaped, so no document markup is interpreted.
    """
    found: list[tuple[int, str, str]] = []

    def visit(m: re.Match) -> str:
        level, attrs, inner = int(m.group(1)), m.group(2), m.group(3)
        text = html.unescape(_TAG.sub("", inner)).replace("\u00b6", "").strip()
        ident = _ID.search(attrs)
        if ident:
            found.append((level, html.unescape(ident.group(2)), text))
            return m.group(0)
        new = f"sec-{len(found) + 1}"
        found.append((level, new, text))
        return f'<h{level}{attrs} id="{new}">{inner}</h{level}>'

    return _HEADING.sub(visit, page), found


def contents_html(entries: list[tuple[int, str, str]]) -> str:
    """``<nav class="pc-toc">``: one link per heading (h3 indented); empty without headings."""
    if not entries:
        return ""
    esc = html.escape
    items = "".join(f'<li class="h{lvl}"><a href="#{esc(ident, quote=True)}">{esc(text)}</a></li>'
                    for lvl, ident, text in entries if text)
    return f'<nav class="pc-toc" id="contents"><h2>目录 Contents</h2><ol>{items}</ol></nav>'


def add_contents(page: str) -> str:
    """Insert the contents list right after the report header (a page without one is unchanged)."""
    page, entries = contents(page)
    nav = contents_html(entries)
    if not nav:
        return page
    return _HEADER_END.sub(lambda m: m.group(1) + nav, page, count=1)


_STYLE_SCRIPT = re.compile(r"(<(style|script)\b[^>]*>)(.*?)(</\2\s*>)", re.DOTALL | re.IGNORECASE)

_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)

_EXTERNAL = re.compile(
    r"""(?:\b(?:src|href|srcset|poster|action|background)\s*=\s*["']?\s*"""
    r"""|url\(\s*["']?\s*|@import\s+["']?\s*)"""
    r"""((?:https?:)?//[^\s"'()<>]+)""",
    re.IGNORECASE,
)

def external_references(page: str) -> list[str]:
    """Every http(s) or protocol-relative reference in src/href/url()/@import of an HTML page.

    ``/* ... */`` comments inside ``<style>`` and ``<script>`` elements are ignored (they make no
    request). An empty list means the page opens offline without fetching anything.
    """
    def strip(m: re.Match) -> str:
        return m.group(1) + _CSS_COMMENT.sub("", m.group(3)) + m.group(4)

    return _EXTERNAL.findall(_STYLE_SCRIPT.sub(strip, page))
