"""Chinese-capable matplotlib fonts from the pip package ``pylopdf-fonts-zh-cn`` (Noto Sans SC)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import matplotlib as mpl
from matplotlib import font_manager

FONT_PACKAGE = "pylopdf_fonts_zh_cn"
FONT_FILE = "NotoSansSC-Regular.otf"
FAMILY = "Noto Sans SC"
#: rcParams that make every text element use the CJK font (DejaVu Sans as fallback).
FONT_RC: dict[str, object] = {
    "font.family": "sans-serif",
    "font.sans-serif": [FAMILY, "DejaVu Sans"],
}
#: Raster settings for figures embedded in HTML as data: URIs (small, sharp enough).
FIGURE_RC: dict[str, object] = {"savefig.dpi": 110, "figure.dpi": 110, "savefig.bbox": "tight"}

_registered: Path | None = None


def font_path() -> Path:
    """Return the path of Noto Sans SC inside the installed font package.

    Returns
    -------
    Path
        The OTF file; located through :mod:`importlib.resources`, never a hard-coded path.
    """
    return Path(str(resources.files(FONT_PACKAGE) / FONT_FILE))


def setup() -> Path:
    """Register Noto Sans SC with matplotlib and make it the default font (idempotent).

    ``fontManager.addfont`` does not persist across processes, so every kernel calls this once;
    later calls only re-apply the rcParams (cheap), which also repairs a seaborn reset.

    Returns
    -------
    Path
        The registered font file.
    """
    global _registered
    if _registered is None:
        path = font_path()
        font_manager.fontManager.addfont(str(path))
        _registered = path
    mpl.rcParams.update(FONT_RC)
    mpl.rcParams.update(FIGURE_RC)
    return _registered


def rc(extra: dict[str, object] | None = None) -> dict[str, object]:
    """Return the font rcParams merged with ``extra``, for ``sns.set_theme(rc=...)``."""
    return {**FONT_RC, **FIGURE_RC, **(extra or {})}


def theme(style: str = "whitegrid", **kwargs: object) -> None:
    """Apply a seaborn theme without losing the CJK font.

    ``seaborn.set_theme`` resets ``font.sans-serif``; this passes the font through ``rc=`` and
    re-applies it afterwards.

    Parameters
    ----------
    style
        Seaborn style name.
    **kwargs
        Further keyword arguments for :func:`seaborn.set_theme`; an ``rc`` dict is merged.
    """
    import seaborn as sns

    setup()
    extra = kwargs.pop("rc", None)
    sns.set_theme(style=style, rc=rc(extra), **kwargs)  # type: ignore[arg-type]
    mpl.rcParams.update(FONT_RC)
