"""What a report depends on: the data version, the code hash and each report's input hash;
whether the last good output can be reused."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from .. import paths
from ..files import sha256_file
from .results import ReportSpec

#: The plancompare package directory (its code, reference data and templates are report inputs).
PACKAGE_DIR = Path(__file__).resolve().parent.parent


def data_version(root: Path | None = None) -> str:
    """The curated data's version: ``data_version`` from build_info.json, else a parquet hash.

    A long hex digest in build_info.json is shortened to 12 characters. Returns the first 12 hex characters of the sha256 of plan_items.parquet when build_info.json
    is absent or has no ``data_version``; ``"missing"`` when there is no curated data at all.
    """
    info = paths.curated_dir(root) / "build_info.json"
    if info.is_file():
        try:
            version = json.loads(info.read_text(encoding="utf-8")).get("data_version")
        except (OSError, ValueError, AttributeError):
            version = None
        if version:
            version = str(version)
            return version[:12] if re.fullmatch(r"[0-9a-f]{13,}", version) else version
    parquet = paths.curated_file("parquet", root)
    return sha256_file(parquet)[:12] if parquet.is_file() else "missing"


def _tree_files(base: Path, patterns: tuple[str, ...]) -> list[Path]:
    files = {p for pat in patterns for p in base.glob(pat) if p.is_file()}
    return sorted(p for p in files if "__pycache__" not in p.parts)


def code_hash() -> str:
    """sha256 of the package's Python sources, its reference data and the HTML template."""
    pkg = PACKAGE_DIR
    h = hashlib.sha256()
    for p in _tree_files(pkg, ("**/*.py", "parse/words/*.toml", "reference/**/*", "templates/**/*")):
        h.update(p.relative_to(pkg).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def raw_hash(root: Path | None = None) -> str:
    """sha256 over the paths and sha256 of every file in data/raw (manifest included).

    The reports read the raw documents too (the data-quality report's noise lines, the source
    pages), so a raw change that leaves the curated data as it was (a page number, a line of
    the table of contents) still re-renders them. Entries that are not regular files are
    skipped (the build names them).
    """
    from ..manifest import file_kind

    raw = paths.raw_dir(root)
    h = hashlib.sha256()
    for p in sorted(raw.rglob("*")) if raw.is_dir() else []:
        rel = p.relative_to(raw)
        if any(part.startswith(".") for part in rel.parts) or file_kind(p) != "a file":
            continue
        h.update(rel.as_posix().encode() + b"\0" + sha256_file(p).encode() + b"\0")
    return h.hexdigest()


def input_hash(spec: ReportSpec, root: Path, data_ver: str, code: str, font: str = "",
               raw: str = "") -> str:
    """sha256 of everything a report depends on (notebook, parameters, title, curated data,
    raw files, code, font)."""
    h = hashlib.sha256()
    h.update((paths.notebooks_dir(root) / spec.notebook).read_bytes())
    meta = {"parameters": spec.parameters, "title": spec.title, "data": data_ver, "code": code}
    if raw:
        meta["raw"] = raw
    if font:
        meta["font"] = font
    h.update(json.dumps(meta, sort_keys=True, ensure_ascii=False).encode())
    return h.hexdigest()


def _is_unchanged(prev: dict[str, Any] | None, ihash: str, out_dir: Path) -> bool:
    return bool(prev and prev.get("input_hash") == ihash
                and prev.get("status") in ("ok", "unchanged")
                and prev.get("html") and (out_dir / prev["html"]).is_file())
