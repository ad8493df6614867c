"""Text helpers every parser shares: full-width folding, NFKC for matching, Word bookmarks.

Offsets matter: :func:`fold` maps one character to one character, so an offset found in folded
text is the same offset in the raw text and quotes are always cut from the text as printed.
"""

from __future__ import annotations

import functools
import re
import unicodedata

#: Word-export bookmark markers (``[bookmark: _Toc…]``); ingest removes them from ``Line.text``.
BOOKMARK_RE = re.compile(r"\[bookmark:[^\]]*\]")
WIDE_SPACES = "\u00a0\u3000"


#: What :func:`fold` maps (U+FF01..U+FF5E -> U+0021..U+007E, wide spaces -> " "). A regex
#: substitution touches only these characters; ``str.translate`` with a dict looks up every
#: character in Python and is three times slower on this text.
_FOLD_CHARS: dict[str, str] = {chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}
_FOLD_CHARS.update({ch: " " for ch in WIDE_SPACES})
_FOLD_RE = re.compile("[\uff01-\uff5e" + WIDE_SPACES + "]")
#: From this length on, :func:`fold` replaces each folded character present with ``str.replace``
#: (a C pass each) instead of one Python call per match, which dominates on a long dense line
#: (a 10 MB line of ``95%，``: 1.5 s -> 0.35 s).
_FOLD_LONG = 10_000


def fold(text: str) -> str:
    """Map full-width ASCII forms and wide spaces to half-width, one character for one.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str
        ``text`` with U+FF01..U+FF5E shifted to ASCII and NBSP / U+3000 as spaces; same length.
    """
    if text.isascii():
        return text
    if len(text) < _FOLD_LONG:
        return _FOLD_RE.sub(lambda m: _FOLD_CHARS[m.group()], text)
    for wide, half in _FOLD_CHARS.items():  # a long line: one C pass per character present
        if wide in text:
            text = text.replace(wide, half)
    return text



def normalise(text: str) -> str:
    """NFKC-normalise for matching: full-width digits, brackets, ％ and ＞ become half-width.

    Equal to ``unicodedata.normalize("NFKC", text)``, but faster on these documents: the full-width
    forms are folded first (as NFKC maps them), and most folded lines are already NFKC, which the
    C quick check confirms without the full normalisation.
    """
    folded = fold(text)
    if unicodedata.is_normalized("NFKC", folded):
        return folded
    return unicodedata.normalize("NFKC", folded)


@functools.cache
def _t2s():
    import opencc  # the C++ OpenCC (wheels on PyPI); loaded on first Traditional text only

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional characters as Simplified, one character for one (for matching only).

    Every rule matches on Simplified text; quotes and names are still cut from the text as
    printed, so the result must keep offsets: OpenCC converts the whole text (its phrase tables
    give the better character choice), and where a phrase changed the length the text is
    converted character by character instead.

    Parameters
    ----------
    text : str
        Any text (Simplified text comes back unchanged).

    Returns
    -------
    str
        Same length as ``text``.
    """
    if text.isascii():
        return text
    out = _t2s().convert(text)
    if len(out) == len(text):
        return out
    convert = _t2s().convert
    return "".join(c if len(c := convert(ch)) == 1 else ch for ch in text)
