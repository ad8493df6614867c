"""Write reports/sources/<file>.html for every raw document of the manifest, incrementally.

A page's inputs are its raw file (sha256), the dataset rows read from that file, the text
rendition and locators when the original is not plain text (data/interim/<file>.txt + .json), the
package code and the embedded font. A quick key (raw sha256, data version, code, font) skips a page
without loading the dataset; when the data changed, the page is rendered again only if its own rows
changed, so a change to one raw file re-renders that file's page alone.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from .. import __version__, paths
from ..errors import PlanCompareError
from ..files import sha256_file as _file_sha256
from .files import _now, write_atomic
from .font import font_face
from .registry import manifest_entries
from .sources import RowRef, SourceLine, page_html, page_path, row_refs

#: Curated columns a source page shows.
ROW_COLUMNS = ["source_file", "line", "line_end", "item_type", "role", "year", "name_raw",
               "value_text", "unit", "locator"]


def raw_documents(root: Path) -> list[dict[str, str]]:
    """Every raw file of the manifest: ``source_file`` (relative to data/raw), district, title."""
    out = []
    for did, district in manifest_entries(root):
        for doc in district.get("document", []):
            for f in doc.get("file", []):
                rel = str(f.get("path", ""))
                out.append({"source_file": rel, "district_id": did,
                            "district": str(district.get("name_zh", did)),
                            "document": str(doc.get("title", doc.get("id", "")))})
    return out


def _interim(root: Path, rel: str) -> tuple[Path, Path]:
    base = root / "data" / "interim" / rel
    return base.with_name(base.name + ".txt"), base.with_name(base.name + ".json")


def rendition(root: Path, rel: str) -> tuple[str, list[str]] | None:
    """The text rendition and per-line locators of a non-text original, or None.

    Reads data/interim/<file>.txt and .json (written by the ``render`` stage); None when there is
    none or it does not match the raw file's sha256.
    """
    text_path, meta_path = _interim(root, rel)
    if rel.lower().endswith(".txt") or not meta_path.is_file():
        return None
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        text = text_path.read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None
    if meta.get("source_sha256") != _file_sha256(paths.raw_dir(root) / rel):
        return None
    return text, [str(x) for x in meta.get("locators") or []]


def document_lines(root: Path, rel: str) -> tuple[list[SourceLine], dict[int, str] | None]:
    """The lines of a raw document (or its rendition) with noise flags, and locators if any."""
    from ..parse.ingest import parse_text, read_document

    rend = rendition(root, rel)
    if rend is not None:
        text, locs = rend
        doc = parse_text(text, "rendition", path=rel)
        locators = {i: loc for i, loc in enumerate(locs, start=1) if loc}
    else:
        doc = read_document(paths.raw_dir(root) / rel, display_path=rel)
        locators = None
    return [SourceLine(ln.no, ln.raw, ln.noise) for ln in doc.lines], locators


def curated_rows(root: Path) -> dict[str, list[dict[str, Any]]]:
    """The curated rows per source file (only :data:`ROW_COLUMNS`); empty without curated data."""
    import pyarrow.parquet as pq

    path = paths.curated_file("parquet", root)
    if not path.is_file():
        return {}
    names = set(pq.read_schema(path).names)
    records = pq.read_table(path, columns=[c for c in ROW_COLUMNS if c in names]).to_pylist()
    out: dict[str, list[dict[str, Any]]] = {}
    for r in records:
        out.setdefault(str(r.get("source_file")), []).append(r)
    return out


def _digest(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, default=str).encode()).hexdigest()


def _locators_from_rows(records: list[dict[str, Any]]) -> dict[int, str] | None:
    locs = {int(r["line"]): str(r["locator"]) for r in records
            if r.get("locator") and r.get("line") is not None}
    return locs or None


def _render(root: Path, out_dir: Path, doc: dict[str, str], records: list[dict[str, Any]],
            refs: list[RowRef], sha: str, data_ver: str, css: str, font_face: str) -> int:
    rel = doc["source_file"]
    lines, locators = document_lines(root, rel)
    if locators is None:
        locators = _locators_from_rows(records)
    meta = [("district", f"{doc['district']} ({doc['district_id']})"), ("document", doc["document"]),
            ("sha256", sha), ("dataset rows", str(len(refs))), ("data version", data_ver),
            ("generated", _now()), ("plancompare", __version__)]
    page = page_html(rel, lines, refs, locators=locators, meta=meta, css=css, font_face=font_face)
    write_atomic(out_dir / page_path(rel), page)
    return len(lines)


def write_source_pages(root: Path, out_dir: Path, prev: dict[str, dict[str, Any]], *,
                       data_ver: str, code: str, font: Path | None, font_key: str, css: str,
                       force: bool = False) -> list[dict[str, Any]]:
    """Render the source page of every raw document whose inputs changed; never raises.

    Parameters
    ----------
    root, out_dir : Path
        Project root and reports/.
    prev : dict
        The previous run's source entries keyed by ``source_file`` (reports/manifest.json).
    data_ver, code : str
        Data version and package code hash of this run.
    font : Path, optional
        The cached font subset embedded in every page; ``font_key`` names it.
    css : str
        The shared stylesheet.
    force : bool
        Render every page.

    Returns
    -------
    list of dict
        One entry per raw file: source_file, html, status (ok / unchanged / failed / missing),
        error,
        quick_key, input_hash, lines, rows, generated.
    """
    entries, todo = [], []
    for doc in raw_documents(root):
        rel = doc["source_file"]
        raw = paths.raw_dir(root) / rel
        sha = _file_sha256(raw) if raw.is_file() else "missing"
        quick = _digest(sha, data_ver, code, font_key, __version__)
        old = prev.get(rel) or {}
        entry = {**old, "source_file": rel, "html": page_path(rel), "quick_key": quick,
                 "sha256": sha}
        if sha == "missing":  # `plancompare build` reports it; no page to render
            entry.update(status="missing", error="raw file not found", html=None)
        elif not force and old.get("quick_key") == quick and old.get("status") != "failed" \
                and (out_dir / page_path(rel)).is_file():
            entry["status"] = "unchanged"
        else:
            todo.append((doc, entry, sha))
        entries.append(entry)
    if todo:
        _render_todo(root, out_dir, prev, todo, data_ver=data_ver, code=code, font_key=font_key,
                     css=css, font_face=font_face(font), force=force)
    return entries


def _render_todo(root: Path, out_dir: Path, prev: dict[str, dict[str, Any]], todo: list,
                 *, data_ver: str, code: str, font_key: str, css: str, font_face: str,
                 force: bool) -> None:
    try:
        by_file = curated_rows(root)
    except Exception as exc:  # noqa: BLE001 - a damaged parquet: pages without rows, said so
        by_file, note = {}, f"curated data not read ({type(exc).__name__}: {exc})"
    else:
        note = None
    for doc, entry, sha in todo:
        rel = doc["source_file"]
        records = by_file.get(rel, [])
        refs = row_refs(records).get(rel, [])
        rend = rendition(root, rel)
        ihash = _digest(sha, [(r.line, r.line_end, r.label) for r in refs], code, font_key,
                        __version__, rend[1] if rend else None)
        old = prev.get(rel) or {}
        entry.update(input_hash=ihash, rows=len(refs), error=note)
        if not force and old.get("input_hash") == ihash and old.get("status") != "failed" \
                and (out_dir / page_path(rel)).is_file():
            entry["status"] = "unchanged"
            continue
        try:
            entry["lines"] = _render(root, out_dir, doc, records, refs, sha, data_ver, css,
                                     font_face)
        except (OSError, PlanCompareError) as exc:
            entry.update(status="failed", error=str(exc))
        else:
            entry.update(status="ok", generated=_now())
