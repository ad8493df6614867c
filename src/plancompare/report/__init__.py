"""Execute the report notebooks with papermill in parallel and render offline HTML, incrementally.

One module per concern; everything is re-exported here, so ``plancompare.report.report_all`` (and
every name the CLI, the tests and the benchmarks use) stays where it was:

- :mod:`.results`   ReportSpec, ReportResult, ReportSummary
- :mod:`.registry`  notebooks/reports.toml, per-district expansion, ``--only`` selection
- :mod:`.cache`     data version, code hash, input hash, "can the last output be reused"
- :mod:`.font`      the embedded CJK font subset for the pages
- :mod:`.render`    executed notebook -> offline HTML, header block, external-reference check
- :mod:`.execute`   papermill in a process pool (one worker per report)
- :mod:`.index`     reports/manifest.json and reports/index.html
- :mod:`.files`     atomic writes, timestamps
- :mod:`.run`       :func:`report_all`, the orchestration
"""

from __future__ import annotations

from .cache import PACKAGE_DIR, _is_unchanged, _tree_files, code_hash, data_version, input_hash
from .execute import (
    CELL_TIMEOUT,
    KERNEL_ARGS,
    KERNEL_NAME,
    _error_text,
    _execute,
    _init_worker,
    run_one,
)
from .files import _now, write_atomic
from .font import font_css, missing_glyphs, prepare_font, report_chars
from .index import INDEX_CSS, MANIFEST_SCHEMA, index_html, read_manifest
from .registry import REGISTRY, district_ids, load_registry, select
from .render import (
    REMOVE_CELL_TAGS,
    TEMPLATE_NAME,
    _param_text,
    external_references,
    header_html,
    to_html,
)
from .results import ReportResult, ReportSpec, ReportSummary
from .run import report_all

__all__ = [
    "CELL_TIMEOUT",
    "INDEX_CSS",
    "KERNEL_ARGS",
    "KERNEL_NAME",
    "MANIFEST_SCHEMA",
    "PACKAGE_DIR",
    "REGISTRY",
    "REMOVE_CELL_TAGS",
    "TEMPLATE_NAME",
    "ReportResult",
    "ReportSpec",
    "ReportSummary",
    "_error_text",
    "_execute",
    "_init_worker",
    "_is_unchanged",
    "_now",
    "_param_text",
    "_tree_files",
    "code_hash",
    "data_version",
    "district_ids",
    "external_references",
    "font_css",
    "header_html",
    "index_html",
    "input_hash",
    "load_registry",
    "missing_glyphs",
    "prepare_font",
    "read_manifest",
    "report_all",
    "report_chars",
    "run_one",
    "select",
    "to_html",
    "write_atomic",
]
