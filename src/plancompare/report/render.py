"""Executed notebook -> offline HTML: header block, nbconvert export, external-reference check."""

from __future__ import annotations

import html
import json
import re
from typing import Any

from .. import __version__, paths

TEMPLATE_NAME = "plancompare_html"

#: Cells with these tags never reach the HTML (papermill's own cells, the defaults cell).
REMOVE_CELL_TAGS = ("parameters", "injected-parameters", "papermill-error-cell-tag", "remove-cell")

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
                                                         "plancompare_font_face": font_face})
    return body


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
