"""The report registry: notebooks/reports.toml, expanded per district, and ``--only`` selection."""

from __future__ import annotations

import re
import tomllib
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

from .. import paths
from ..errors import ParameterError, ReportError
from .results import ReportSpec

REGISTRY = "reports.toml"

_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

_REGISTRY_KEYS = {"name", "notebook", "title", "parameters", "per_district", "all_districts"}

def manifest_entries(root: Path) -> list[tuple[str, dict[str, Any]]]:
    """``[(id, table)]`` of every ``[[district]]`` of data/raw/manifest.toml (references too)."""
    path = paths.manifest_path(root)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ReportError(f"cannot read the district manifest: {exc}", path=str(path),
                          fix="run `plancompare build` first to check the manifest") from None
    return [(str(d["id"]), d) for d in data.get("district", [])]


def district_ids(root: Path) -> list[tuple[str, dict[str, Any]]]:
    """``[(id, district table)]`` from data/raw/manifest.toml, in manifest order."""
    # reference plans (level city / province / national) are compared against, never profiled
    return [(i, d) for i, d in manifest_entries(root) if d.get("level", "district") == "district"]


def load_registry(root: Path | None = None) -> list[ReportSpec]:
    """Read notebooks/reports.toml and expand ``per_district`` / ``all_districts`` entries.

    Parameters
    ----------
    root : Path, optional
        Project root; default :func:`plancompare.paths.project_root`.

    Returns
    -------
    list of ReportSpec
        One spec per report, ``per_district`` entries expanded to one per manifest district.
    """
    root = Path(root or paths.project_root())
    path = paths.notebooks_dir(root) / REGISTRY
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ReportError(f"cannot read the report registry: {exc}", path=str(path),
                          fix="see the comments at the top of notebooks/reports.toml") from None
    specs: list[ReportSpec] = []
    districts = None
    for i, entry in enumerate(data.get("report", []), start=1):
        _check_entry(entry, i, path, root)
        if entry.get("per_district") or entry.get("all_districts"):
            districts = districts if districts is not None else district_ids(root)
        specs.extend(_expand(entry, districts))
    _check_unique(specs, path)
    return specs


def _check_entry(entry: dict[str, Any], i: int, path: Path, root: Path) -> None:
    unknown = sorted(set(entry) - _REGISTRY_KEYS)
    missing = sorted({"name", "notebook", "title"} - set(entry))
    where = f"report #{i} ({entry.get('name', '?')})"
    if unknown or missing:
        raise ReportError(f"{where}: unknown keys {unknown}, missing keys {missing}", path=str(path),
                          fix=f"allowed keys: {', '.join(sorted(_REGISTRY_KEYS))}")
    if not _NAME_RE.match(str(entry["name"])):
        raise ReportError(f"{where}: name must be a slug ([a-z0-9_-])", path=str(path))
    if not (paths.notebooks_dir(root) / entry["notebook"]).is_file():
        raise ReportError(f"{where}: notebook {entry['notebook']!r} not found", path=str(path),
                          fix="notebook paths are relative to notebooks/")


def _expand(entry: dict[str, Any], districts: list[tuple[str, dict]] | None) -> list[ReportSpec]:
    params = dict(entry.get("parameters", {}))
    if entry.get("all_districts"):
        params["districts"] = [d for d, _ in districts or []]
    if not entry.get("per_district"):
        return [ReportSpec(entry["name"], entry["notebook"], entry["title"], params)]
    out = []
    for did, d in districts or []:
        names = {"id": did, "name_zh": d.get("name_zh", did), "name_en": d.get("name_en", did)}
        out.append(ReportSpec(f"{entry['name']}-{did}", entry["notebook"],
                              entry["title"].format(**names), {**params, "district": did}))
    return out


def _check_unique(specs: list[ReportSpec], path: Path) -> None:
    seen: set[str] = set()
    for s in specs:
        if s.name in seen:
            raise ReportError(f"duplicate report name {s.name!r}", path=str(path))
        seen.add(s.name)


def select(specs: list[ReportSpec], only: str | list[str] | None) -> list[ReportSpec]:
    """Keep the specs whose name matches one of ``only`` (names or shell patterns like ``profile-*``)."""
    if not only:
        return specs
    patterns = [only] if isinstance(only, str) else list(only)
    for pat in patterns:
        if not any(fnmatch(s.name, pat) for s in specs):
            known = ", ".join(s.name for s in specs)
            raise ParameterError(f"Unknown report `{pat}` in `only`; known reports: {known}")
    return [s for s in specs if any(fnmatch(s.name, p) for p in patterns)]
