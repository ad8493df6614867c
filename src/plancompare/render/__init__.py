"""Render stage: a plan as published (.docx, .pdf, .html; .doc/.wps/.odt through LibreOffice)
becomes a text rendition, one paragraph or table row per line, each line with a locator.

``parse.ingest.read_document`` calls :func:`render_file` for these formats and parses the
rendition like any text file, so quotes and line numbers refer to the rendition and the
``locator`` column says where the line is in the original. Renditions of files in data/raw are
cached under data/interim/ (see :mod:`plancompare.render.cache`).
"""

from __future__ import annotations

import importlib
from pathlib import Path

from ..errors import InputError
from .cache import cached
from .rendition import Rendition, span

__all__ = ["FORMATS", "Rendition", "format_of", "is_rendered", "render_file", "span"]

#: File suffix -> format name; anything else is read as text ("txt").
FORMATS: dict[str, str] = {
    ".docx": "docx", ".pdf": "pdf", ".html": "html", ".htm": "html",
    ".doc": "doc", ".wps": "wps", ".odt": "odt", ".rtf": "rtf",
}
#: Format -> the module that renders it.
_MODULES = {"docx": "docx", "pdf": "pdf", "html": "html",
            "doc": "office", "wps": "office", "odt": "office", "rtf": "office"}
#: Every format name a manifest ``format`` field may hold.
FORMAT_NAMES: tuple[str, ...] = ("txt", *dict.fromkeys(FORMATS.values()))


def format_of(path: str | Path) -> str:
    """The format of a file by its suffix: ``docx``, ``pdf``, ``html``, ... or ``txt``."""
    return FORMATS.get(Path(path).suffix.lower(), "txt")


def is_rendered(path: str | Path) -> bool:
    """True when the file is read through a rendition (not decoded as text)."""
    return format_of(path) != "txt"


def render_file(path: str | Path, display_path: str | None = None) -> Rendition:
    """Render one original file (from the data/interim cache when its bytes are unchanged).

    Parameters
    ----------
    path : str or Path
        The file; its suffix selects the renderer.
    display_path : str, optional
        How the file is named in errors.

    Returns
    -------
    Rendition
        Lines and their locators.

    Raises
    ------
    InputError
        The file cannot be read, is damaged or encrypted, has no text layer, has no article
        body, or needs LibreOffice that is not installed. The message says what to do.
    """
    name = display_path or str(path)
    fmt = format_of(path)
    module = importlib.import_module(f"{__name__}.{_MODULES[fmt]}")
    from ..files import read_regular

    data = read_regular(path, name)  # regular files only, size-limited, never blocks
    if not data.strip():
        raise InputError("the file is empty", path=name,
                         fix="check that the right file was copied into data/raw/")
    return cached(Path(path), module.renderer(fmt),
                  lambda raw: module.render(raw, name, fmt=fmt), data)
