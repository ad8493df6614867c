"""The one module that owns the project's paths; nothing else builds paths by hand."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path


def project_root() -> Path:
    """Return the project root.

    ``PLANCOMPARE_ROOT`` wins; otherwise the nearest parent of the current directory that holds
    ``data/raw/manifest.toml``; otherwise the source checkout this package was imported from.
    """
    env = os.environ.get("PLANCOMPARE_ROOT")
    if env:
        return Path(env).resolve()
    here = Path.cwd().resolve()
    for cand in (here, *here.parents):
        if (cand / "data" / "raw" / "manifest.toml").is_file():
            return cand
    src_root = Path(__file__).resolve().parents[2]
    if (src_root / "data" / "raw").is_dir():
        return src_root
    return here


def raw_dir(root: Path | None = None) -> Path:
    return (root or project_root()) / "data" / "raw"


def manifest_path(root: Path | None = None) -> Path:
    return raw_dir(root) / "manifest.toml"


def curated_dir(root: Path | None = None) -> Path:
    return (root or project_root()) / "data" / "curated"


def curated_file(suffix: str, root: Path | None = None) -> Path:
    """``data/curated/plan_items.<suffix>`` (suffix: parquet, csv, xlsx)."""
    return curated_dir(root) / f"plan_items.{suffix}"


def notebooks_dir(root: Path | None = None) -> Path:
    return (root or project_root()) / "notebooks"


def reports_dir(root: Path | None = None) -> Path:
    return (root or project_root()) / "reports"


def reference_file(name: str) -> Path:
    """A file of package data under ``plancompare/reference``."""
    return Path(str(resources.files("plancompare") / "reference" / name))


def template_dir() -> Path:
    return Path(str(resources.files("plancompare") / "templates"))


def interim_dir(root: Path | None = None) -> Path:
    """``data/interim``: text renditions of non-text raw files (``render`` stage)."""
    return (root or project_root()) / "data" / "interim"
