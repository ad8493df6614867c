"""The rendition cache under data/interim/: re-render a file only when its bytes changed.

For ``data/raw/<path>`` the rendition is ``data/interim/<path>.txt`` (UTF-8, one line per
paragraph or table row) and ``data/interim/<path>.json`` (the source's sha256, the renderer and
the per-line locators). A file outside a project's data/raw (``plancompare extract``) is rendered
in memory and nothing is written.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from collections.abc import Callable
from pathlib import Path

from .. import paths
from ..report.files import write_atomic
from .rendition import Rendition


def cache_files(path: Path) -> tuple[Path, Path] | None:
    """The (text, json) cache files of a raw file, or None when it is not in a data/raw.

    A file is cached when it lies inside ``<root>/data/raw/`` and ``<root>/data/raw/manifest.toml``
    exists (the project's raw directory).
    """
    path = Path(path).resolve()
    for parent in path.parents:
        if parent.name == "raw" and parent.parent.name == "data" \
                and (parent / "manifest.toml").is_file():
            rel = path.relative_to(parent).as_posix()
            base = paths.interim_dir(parent.parent.parent) / rel
            return base.with_name(base.name + ".txt"), base.with_name(base.name + ".json")
    return None


def cached(path: Path, renderer: str, render: Callable[[bytes], Rendition],
           data: bytes) -> Rendition:
    """The rendition of ``path`` from the cache when its sha256 and renderer match, else rendered.

    Parameters
    ----------
    path : Path
        The original file.
    renderer : str
        Renderer name and version (``Rendition.renderer``); another version renders again.
    render : callable
        bytes -> Rendition, called on a cache miss.
    data : bytes
        The file's bytes (already read).

    Returns
    -------
    Rendition
    """
    sha = hashlib.sha256(data).hexdigest()
    files = cache_files(path)
    if files is not None:
        hit = _read(files, sha, renderer)
        if hit is not None:
            return hit
    rendition = render(data)
    if files is not None:
        rendition.renderer = renderer
        _write(files, rendition, sha, path.name)
    return rendition


def _read(files: tuple[Path, Path], sha: str, renderer: str) -> Rendition | None:
    text_path, meta_path = files
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("source_sha256") != sha or meta.get("renderer") != renderer:
            return None
        lines = text_path.read_text(encoding="utf-8").split("\n")[:-1]
    except (OSError, ValueError, AttributeError):
        return None
    locators = meta.get("locators")
    if not isinstance(locators, list) or len(locators) != len(lines):
        return None
    return Rendition(lines=lines, locators=locators, format=meta.get("format", ""),
                     renderer=renderer)


def _write(files: tuple[Path, Path], rendition: Rendition, sha: str, name: str) -> None:
    """Write text then metadata, each atomically; a failure only costs a re-render next time."""
    text_path, meta_path = files
    meta = {"source": name, "source_sha256": sha, "format": rendition.format,
            "renderer": rendition.renderer, "lines": len(rendition.lines),
            "locators": rendition.locators}
    try:
        write_atomic(text_path, rendition.text)
        write_atomic(meta_path, json.dumps(meta, ensure_ascii=False, indent=0) + "\n")
    except OSError as exc:
        warnings.warn(f"{name}: cannot write the rendition cache {text_path} ({exc.strerror}); "
                      "the file will be rendered again next time", stacklevel=3)
