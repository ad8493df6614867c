"""Chinese-capable fonts from the pip package ``pylopdf-fonts-zh-cn`` (Noto Sans SC).

Two uses: matplotlib charts (:func:`setup`, :func:`theme`) and the web font embedded in every
HTML report (:func:`webfont`: a WOFF subset with only the characters the reports can show,
cached on disk, inlined as a ``data:`` URI by :func:`font_face_css`). matplotlib and fontTools are
imported only by the functions that need them, so that the report orchestration stays fast.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from .files import write_atomic

FONT_PACKAGE = "pylopdf_fonts_zh_cn"
FONT_FILE = "NotoSansSC-Regular.otf"
FAMILY = "Noto Sans SC"
#: rcParams that make every text element use the CJK font (DejaVu Sans as fallback), and draw
#: every text as plain text: document text (a district or indicator name with ``$...$``) is
#: never interpreted as mathtext markup.
FONT_RC: dict[str, object] = {
    "font.family": "sans-serif",
    "font.sans-serif": [FAMILY, "DejaVu Sans"],
    "text.parse_math": False,
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
    import matplotlib as mpl
    from matplotlib import font_manager

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
    import matplotlib as mpl
    import seaborn as sns

    setup()
    extra = kwargs.pop("rc", None)
    sns.set_theme(style=style, rc=rc(extra), **kwargs)  # type: ignore[arg-type]
    mpl.rcParams.update(FONT_RC)


# --------------------------------------------------------------------------------------------
# Web font for the HTML reports
# --------------------------------------------------------------------------------------------

#: CSS family name of the embedded subset; distinct from an installed "Noto Sans SC" so that the
#: browser never mixes the subset with a local font of the same name.
WEB_FAMILY = "plancompare Noto Sans SC"
#: Always in the subset: printable ASCII, Latin-1 punctuation, general punctuation, arrows and
#: maths signs used in labels, CJK symbols and punctuation, full-width forms.
FIXED_CHARS = "".join(
    chr(c) for lo, hi in ((0x20, 0x7E), (0xA0, 0xFF), (0x2010, 0x2030), (0x2190, 0x2193),
                          (0x2264, 0x2265), (0x3000, 0x303F), (0xFF01, 0xFF5E))
    for c in range(lo, hi + 1)
) + "±×÷°℃№Σ•…‰"
#: Bump when the subsetting options change (part of the cache key).
_SUBSET_VERSION = "1"


def subset_key(chars: Iterable[str]) -> str:
    """Return the cache key of the subset for ``chars`` (16 hex characters).

    The key covers the character set (plus :data:`FIXED_CHARS`), the font file (name and size)
    and the subsetting options, so that an identical set reuses the cached file.
    """
    font = font_path()
    text = "".join(sorted(set(chars) | set(FIXED_CHARS)))
    ident = f"{_SUBSET_VERSION}\0{font.name}\0{font.stat().st_size}\0{text}"
    return hashlib.sha256(ident.encode("utf-8")).hexdigest()[:16]


def subset_woff(chars: Iterable[str]) -> bytes:
    """Return Noto Sans SC reduced to ``chars`` (plus :data:`FIXED_CHARS`) as WOFF bytes.

    WOFF (zlib) needs no brotli; hinting is dropped (screens do not need it, it is a sixth of
    the size). About 1.3 s and 250 KB for the 1,400 distinct characters of the four districts.
    """
    import io

    from fontTools import subset

    opts = subset.Options()
    opts.flavor = "woff"
    opts.hinting = False
    opts.notdef_outline = True
    font = subset.load_font(str(font_path()), opts)
    subsetter = subset.Subsetter(opts)
    subsetter.populate(text="".join(sorted(set(chars) | set(FIXED_CHARS))))
    subsetter.subset(font)
    buf = io.BytesIO()
    subset.save_font(font, buf, opts)
    return buf.getvalue()


def webfont(chars: Iterable[str], cache_dir: Path) -> Path:
    """Return the cached WOFF subset for ``chars``, creating ``cache_dir/font-<key>.woff`` once.

    Parameters
    ----------
    chars
        Every character the reports may show (the fixed set is added).
    cache_dir
        Directory of the cache (e.g. ``reports/.cache``); created when missing.

    Returns
    -------
    Path
        The WOFF file. It is written through a temporary file and ``os.replace``, so concurrent
        runs at worst compute the same subset twice, never read a partial file. Subsets of other
        character sets older than an hour are removed when a new one is made.
    """
    chars = set(chars)
    path = Path(cache_dir) / f"font-{subset_key(chars)}.woff"
    if path.is_file():
        return path
    _prune(Path(cache_dir), keep=path)
    data = subset_woff(chars)
    write_atomic(path, data)
    return path


def _prune(cache_dir: Path, keep: Path, age: float = 3600.0) -> None:
    import time

    for old in cache_dir.glob("font-*.woff"):
        try:
            if old != keep and time.time() - old.stat().st_mtime > age:
                old.unlink()
        except OSError:
            continue


def font_face_css(woff: bytes) -> str:
    """Return an ``@font-face`` rule for :data:`WEB_FAMILY` with ``woff`` as a ``data:`` URI."""
    data = base64.b64encode(woff).decode("ascii")
    return (f'@font-face {{ font-family: "{WEB_FAMILY}"; font-style: normal; font-weight: 400; '
            f'font-display: block; src: url(data:font/woff;base64,{data}) format("woff"); }}')


def covered_chars(woff: bytes) -> set[str]:
    """Return the characters that the font ``woff`` (any sfnt flavour) has a glyph for."""
    import io

    from fontTools.ttLib import TTFont

    cmap = TTFont(io.BytesIO(woff), lazy=True)["cmap"].getBestCmap() or {}
    return {chr(c) for c in cmap}
