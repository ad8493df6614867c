"""The embedded CJK font: one subset per set of characters the reports can show (main process)."""

from __future__ import annotations

import contextlib
import errno
import json
from pathlib import Path

from .. import paths
from ..errors import PlanCompareError, ReportError
from .cache import PACKAGE_DIR, _tree_files
from .results import ReportSpec


def _manifest_files(root: Path) -> list[Path]:
    from .. import manifest

    reg = manifest.load(root, verify=False)
    return [reg.raw_dir / f.path for _d, _doc, f in reg.files()]


def report_chars(root: Path, specs: list[ReportSpec]) -> set[str]:
    """Every character a report or the index can show, without loading the curated data.

    The raw documents (as decoded and NFKC-normalised by :mod:`plancompare.parse.ingest`; the curated
    text columns are substrings of them), the district manifest, the package's reference tables
    (crosswalk and codebook labels) and sources (table headers, messages), the notebooks (their
    markdown) and the report titles and parameters. Any other character (e.g. from an error
    message) falls back to the reader's font.
    """
    from ..files import read_regular
    from ..parse.ingest import decode
    from ..parse.text import normalise

    texts = [paths.manifest_path(root).read_text(encoding="utf-8")]
    for f in _manifest_files(root):
        with contextlib.suppress(OSError, PlanCompareError):  # `plancompare build` reports it
            texts.append(decode(read_regular(f), str(f))[0])
    sources = _tree_files(PACKAGE_DIR, ("*.py", "report/*.py", "textanalysis/*.py", "reference/*.csv"))
    texts += [p.read_text(encoding="utf-8") for p in sources]
    texts += [p.read_text(encoding="utf-8") for p in sorted(paths.notebooks_dir(root).glob("*.ipynb"))]
    texts += [s.title + json.dumps(s.parameters, ensure_ascii=False) for s in specs]
    text = "".join(texts)
    return set(text) | set(normalise(text))


def prepare_font(root: Path, specs: list[ReportSpec]) -> tuple[Path, str]:
    """Create (or find) the cached font subset for this project; return its path and key.

    Raises
    ------
    ReportError
        The font package is missing or the subset cannot be written.
    """
    from .. import fonts

    chars = report_chars(root, specs)
    try:
        path = fonts.webfont(chars, paths.reports_dir(root) / ".cache")
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EROFS, errno.EDQUOT, errno.EACCES):
            raise  # the cache under reports/ cannot be written: report_all says so (disk full)
        raise ReportError(f"cannot prepare the embedded CJK font: {exc}",
                          fix="pip install pylopdf-fonts-zh-cn fonttools") from None
    except ImportError as exc:
        raise ReportError(f"cannot prepare the embedded CJK font: {exc}",
                          fix="pip install pylopdf-fonts-zh-cn fonttools") from None
    return path, path.stem.removeprefix("font-")


def font_css(font: str | Path | None) -> tuple[str, set[str]]:
    """The ``@font-face`` rule for the cached subset at ``font`` and the characters it covers.

    Returns ``("", set())`` when ``font`` is None (no embedded font).
    """
    from .. import fonts

    if not font:
        return "", set()
    woff = Path(font).read_bytes()
    return fonts.font_face_css(woff), fonts.covered_chars(woff)


def font_face(font: str | Path | None) -> str:
    """Only the ``@font-face`` rule of :func:`font_css` (no cmap parse: fontTools stays unloaded)."""
    from .. import fonts

    return fonts.font_face_css(Path(font).read_bytes()) if font else ""


def missing_glyphs(page: str, covered: set[str]) -> str:
    """Distinct characters of ``page`` (outside ASCII) that the embedded subset lacks, sorted."""
    return "".join(sorted(c for c in set(page)
                          if ord(c) > 0x7E and c not in covered and not c.isspace()))
