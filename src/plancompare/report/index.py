"""reports/manifest.json (the previous run, for incremental runs) and reports/index.html."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from .. import __version__, paths
from .files import write_atomic
from .font import font_face
from .render import _param_text
from .sources import source_href

MANIFEST_SCHEMA = 1

def read_manifest(root: Path | None = None) -> dict[str, dict[str, Any]]:
    """The previous run's entries from reports/manifest.json, keyed by report name."""
    path = paths.reports_dir(root) / "manifest.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {e["name"]: e for e in data.get("reports", [])}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _status_label(entry: dict[str, Any], ran: bool) -> str:
    status = entry.get("status", "not run")
    if status == "unchanged":
        return "ok (skipped, unchanged)"
    if status == "failed":
        return "FAILED (showing stale previous report)" if entry.get("html") else "FAILED"
    return status if ran else f"{status} (not run this time)"


INDEX_CSS = """
body { font-family: "plancompare Noto Sans SC", system-ui, -apple-system, "Segoe UI",
  "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC",
  "WenQuanYi Micro Hei", sans-serif; margin: 2em; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #ccc; padding: 0.35em 0.6em; text-align: left; vertical-align: top; }
th { background: #eef2f7; }
tr.failed td { background: #fdecea; }
.error { white-space: pre-wrap; font-family: ui-monospace, monospace, "plancompare Noto Sans SC";
  color: #a00; }
.params { font-family: ui-monospace, monospace, "plancompare Noto Sans SC"; white-space: pre-wrap; }
"""

def _generated_cell(entry: dict[str, Any]) -> str:
    """When the HTML in place was generated, and by which run (runs are named by start time)."""
    if not entry.get("generated"):
        return ""
    run = f'<br><small>run {html.escape(entry["run"])}</small>' if entry.get("run") else ""
    return html.escape(entry["generated"]) + run


def read_source_entries(root: Path | None = None) -> dict[str, dict[str, Any]]:
    """The previous run's source-page entries from reports/manifest.json, keyed by source_file."""
    path = paths.reports_dir(root) / "manifest.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {e["source_file"]: e for e in data.get("sources", [])}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def sources_html(sources: list[dict[str, Any]]) -> str:
    """The index's list of source pages (one per raw document) with their status; escaped."""
    if not sources:
        return ""
    esc = html.escape
    rows = []
    for e in sources:
        href = esc(source_href(e["source_file"]), quote=True)
        link = (f'<a href="{href}">{esc(e["source_file"])}</a>' if e.get("html")
                else esc(e["source_file"]))
        cells = [link, esc(e.get("status", "")), esc(str(e.get("lines", ""))),
                 esc(str(e.get("rows", ""))), esc(e.get("generated") or ""),
                 f'<span class="error">{esc(e.get("error") or "")}</span>']
        cls = ' class="failed"' if e.get("status") == "failed" else ""
        rows.append(f"<tr{cls}>" + "".join(f'<td class="src">{c}</td>' for c in cells) + "</tr>")
    head = "".join(f"<th>{h}</th>" for h in ("Source document", "Status", "Lines", "Rows",
                                             "Generated", "Error"))
    return ("<h2>原文 Source documents</h2>\n<p>Every line of every raw document, numbered; "
            "the reports link each <code>file:line</code> here.</p>\n"
            f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(rows)
            + "\n</tbody>\n</table>\n")


def index_html(entries: list[dict[str, Any]], run: dict[str, Any], ran: set[str],
               font_face: str = "", sources: list[dict[str, Any]] | None = None) -> str:
    """reports/index.html: a table of every report with its status; every value escaped.

    ``font_face`` is the ``@font-face`` rule of the embedded subset (see :func:`font_css`);
    ``sources`` the source-page entries (see :mod:`.source_run`), listed below the reports.
    """
    esc = html.escape
    rows = []
    for e in entries:
        link = (f'<a href="{esc(e["html"], quote=True)}">{esc(e["title"])}</a>' if e.get("html")
                else esc(e["title"]))
        if e.get("failed_html"):
            link += f' (<a href="{esc(e["failed_html"], quote=True)}">output of the failed run</a>)'
        params = "\n".join(f"{k} = {_param_text(v)}" for k, v in e.get("parameters", {}).items())
        cells = [link, esc(e["name"]), esc(_status_label(e, e["name"] in ran)),
                 f'<span class="params">{esc(params)}</span>', esc(e.get("data_version") or ""),
                 _generated_cell(e), esc("" if e.get("seconds") is None
                                                     else f"{e['seconds']:.1f}"),
                 f'<span class="error">{esc(e.get("error") or "")}</span>']
        cls = ' class="failed"' if e.get("status") == "failed" else ""
        rows.append(f"<tr{cls}>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    head = "".join(f"<th>{h}</th>" for h in ("Report", "Name", "Status", "Parameters",
                                             "Data version", "Generated", "Seconds", "Error"))
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1.0\">\n"
            f"<title>plancompare reports</title>\n<style>{font_face}\n{INDEX_CSS}</style>\n</head>\n<body>\n"
            "<h1>plancompare reports</h1>\n"
            f"<p>Run {esc(run['started'])} to {esc(run['finished'])}: {esc(run['summary'])}. "
            f"Data version {esc(run['data_version'])}; plancompare {esc(__version__)}.</p>\n"
            f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(rows)
            + "\n</tbody>\n</table>\n" + sources_html(sources or []) + "</body>\n</html>\n")


def _write_outputs(out_dir: Path, entries: list[dict[str, Any]], run: dict[str, Any],
                   ran: set[str], font: Path | None,
                   sources: list[dict[str, Any]] | None = None) -> tuple[Path, Path]:
    manifest = out_dir / "manifest.json"
    index = out_dir / "index.html"
    doc = {"schema_version": MANIFEST_SCHEMA, "run": run, "reports": entries,
           "sources": sources or []}
    write_atomic(manifest, json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    write_atomic(index, index_html(entries, run, ran, font_face(font), sources))
    return index, manifest
