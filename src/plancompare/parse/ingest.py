"""Ingest: decode a plain-text plan, normalise characters, flag export/web noise, keep line numbers.

Nothing is dropped: every physical line of the file becomes a :class:`Line` whose ``no`` is its
1-based line number in the raw file. Noise (Word bookmarks, stray page numbers, the table of
contents, web advertising) is *flagged* in ``Line.noise`` so later stages skip it while quotes
still point at the original line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .. import render
from ..errors import InputError
from ..files import read_regular
from .text import BOOKMARK_RE, fold, normalise, to_simplified

# Characters that are whitespace for our purposes (NBSP, ideographic space, BOM, zero-width).
_SPACE_CHARS = " \t\u00a0\u3000\ufeff\u200b\u2002\u2003\u2009"


@dataclass
class Line:
    """One physical line of a raw document."""

    no: int          # 1-based line number in the raw file
    raw: str         # the line exactly as decoded (no newline)
    text: str        # bookmarks removed, surrounding whitespace (incl. NBSP, U+3000) stripped
    norm: str        # NFKC of the Simplified text: half-width digits/brackets, for matching only
    indent: int      # leading whitespace characters in raw (after bookmarks)
    noise: str | None = None  # None, or why the line is not plan text: toc, page_number, boilerplate
    match: str = ""  # text folded to half-width and Simplified: same length as text (offsets hold)

    @property
    def blank(self) -> bool:
        return not self.text

    @property
    def content(self) -> bool:
        """True for a non-blank line that is plan text."""
        return bool(self.text) and self.noise is None


@dataclass
class Document:
    """A decoded document: its lines and where it came from."""

    path: str              # path as given (relative to data/raw for manifest files)
    encoding: str
    lines: list[Line]
    locators: list[str] | None = None  # per line: where it is in a rendered original (render)

    def content_lines(self) -> list[Line]:
        """The non-blank, non-noise lines (computed once: noise is flagged when reading)."""
        cached = self.__dict__.get("_content")
        if cached is None:
            cached = self.__dict__["_content"] = [ln for ln in self.lines if ln.content]
        return cached

    def line(self, no: int) -> Line:
        return self.lines[no - 1]


#: Leading bytes of document formats that are not plain text, and what to call them.
_NOT_TEXT_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF file"),
    (b"PK\x03\x04", "a zip archive (a .docx / .xlsx / .odt document?)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a Word / Excel 97-2003 file (.doc / .xls)"),
    (b"{\\rtf", "an RTF document"),
    (b"<!doctype html", "an HTML page"),
    (b"<html", "an HTML page"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (  # UTF-32 first: its LE BOM starts like UTF-16's
    (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"),
)


def decode(data: bytes, path: str = "<bytes>") -> tuple[str, str]:
    """Decode raw bytes: UTF-8 (with or without BOM), UTF-16 / UTF-32 with BOM, else GB18030.

    GBK files decode as GB18030 (a superset). CRLF and CR line ends are handled by
    :func:`split_lines`.

    Parameters
    ----------
    data : bytes
        The file's bytes.
    path : str
        How the file is named in errors.

    Returns
    -------
    tuple of (str, str)
        The text (without BOM) and the encoding name ("utf-8", "utf-16", "utf-32", "gb18030").

    Raises
    ------
    InputError
        For empty input, a known non-text format (PDF, Word, zip, RTF, HTML) or binary input.
    """
    if not data.strip():
        raise InputError("the file is empty", path=path,
                         fix="check that the right file was copied into data/raw/")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _no_nul(data.decode(encoding), path), encoding
            except UnicodeDecodeError as exc:
                raise _binary(path, exc) from None
    head = data[:64].lstrip(b" \t\r\n").removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    for magic, what in _NOT_TEXT_MAGIC:
        if head.startswith(magic.lower()):
            raise InputError(f"the file is {what}, not plain text", path=path,
                             fix="give the file its real suffix (.pdf, .docx, .html, .doc) so "
                                 "it is rendered, or save the plan as UTF-8 plain text")
    if b"\x00" in data:
        return _utf16_without_bom(data, path)
    try:
        text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as exc:
        if _CJK_RE.search(exc.object[max(0, exc.start - 4096):exc.start].decode(
                "utf-8", errors="ignore")):
            raise _binary(path, exc, encoding="UTF-8") from None  # UTF-8 text with a bad byte
    else:
        if not _gb18030_in_disguise(data, text):
            return text, "utf-8"
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise _binary(path, exc) from None
    return text, "gb18030"


#: Share of "ordinary" characters (CJK, ASCII, CJK punctuation, full-width forms, line ends) a
#: BOM-less UTF-16 reading must reach to be taken as the text.
UTF16_PLAUSIBLE = 0.95
_ORDINARY_RE = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef\x20-\x7e\t\r\n\u00a0-\u00ff"
                          r"\u2000-\u206f\u2160-\u217f\u2460-\u24ff\u25a0-\u25ff]")


def _utf16_without_bom(data: bytes, path: str) -> tuple[str, str]:
    """Text with NUL bytes: UTF-16 saved without a byte-order mark (read in the byte order that
    gives ordinary text), else binary."""
    best: tuple[float, str, str] = (0.0, "", "")
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data[: len(data) - len(data) % 2].decode(encoding)
        except UnicodeDecodeError:
            continue
        sample = text[:20000]
        share = len(_ORDINARY_RE.findall(sample)) / max(1, len(sample))
        if "\x00" not in text and share > best[0]:
            best = (share, text, encoding)
    if best[0] >= UTF16_PLAUSIBLE:
        return best[1], best[2]
    raise _binary(path, None, utf16=_looks_utf16(data))


_CJK_RE = re.compile(r"[\u3400-\u9fff]")


def _gb18030_in_disguise(data: bytes, utf8_text: str) -> bool:
    """Short GB18030 text can also be valid UTF-8 (目录 = C4 BF C2 BC = "Ŀ¼"): prefer GB18030
    when the UTF-8 reading has no Chinese character at all and the GB18030 reading has some."""
    if data.startswith(b"\xef\xbb\xbf") or _CJK_RE.search(utf8_text) or utf8_text.isascii():
        return False
    try:
        return bool(_CJK_RE.search(data.decode("gb18030")))
    except UnicodeDecodeError:
        return False


def _looks_utf16(data: bytes) -> bool:
    """NUL bytes all at even or all at odd offsets: UTF-16 text saved without a BOM."""
    sample = data[:4096]
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    return (even == 0) != (odd == 0)


def _no_nul(text: str, path: str) -> str:
    """Text decoded from a BOM must not contain NUL (a UTF-32 file read as UTF-16 would)."""
    if "\x00" in text:
        raise InputError("the file starts with a byte-order mark but does not decode as text",
                         path=path, line=text[: text.index("\x00")].count("\n") + 1,
                         fix="save the plan as plain text (UTF-8) and try again")
    return text


def _binary(path: str, exc: Exception | None, *, utf16: bool = False,
            encoding: str | None = None) -> InputError:
    """The decoding error, at the line and byte of the first byte that does not decode."""
    line = where = None
    if isinstance(exc, UnicodeDecodeError):
        data = exc.object
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        where = (f"byte {column} of the line (offset {exc.start} in the file) is "
                 f"0x{data[exc.start]:02x}")
    if encoding:
        what = (f"it is {encoding} up to line {line}, where {where}, which is not valid "
                f"{encoding}")
        return InputError(f"the file cannot be decoded: {what}", path=path, line=line,
                          fix=f"repair or remove that byte (an editor showing {encoding} marks "
                              "it), or save the plan again as UTF-8")
    what = ("it looks like UTF-16 saved without a byte-order mark, but does not read as text"
            if utf16 else "it looks binary" + (f"; at line {line} {where}" if where else ""))
    return InputError(
        f"the file is not text in UTF-8, UTF-16 or GB18030 ({what})", path=path, line=line,
        fix="save the plan as plain text (UTF-8) and try again",
    )


def split_lines(text: str) -> list[str]:
    """Split on \\n, \\r\\n and \\r only (str.splitlines also splits on \\x0c, \\u2028 ...,
    which would shift line numbers against what an editor shows)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def make_line(no: int, raw: str) -> Line:
    body = BOOKMARK_RE.sub("", raw) if "[bookmark:" in raw else raw
    stripped = body.lstrip(_SPACE_CHARS)
    indent = len(body) - len(stripped)
    text = stripped.rstrip(_SPACE_CHARS)
    simplified = to_simplified(text)
    return Line(no=no, raw=raw, text=text, norm=normalise(simplified), indent=indent,
                match=fold(simplified))


def read_document(path: str | Path, display_path: str | None = None) -> Document:
    """Read, decode and split a document; flag noise. ``display_path`` names it in errors/rows.

    A .docx, .pdf, .html ... file is read through its text rendition (:mod:`plancompare.render`).
    """
    name = display_path or str(path)
    if render.is_rendered(path):
        rendition = render.render_file(path, name)
        doc = parse_text(rendition.text, rendition.encoding, path=name)
        doc.locators = rendition.locators
        return doc
    data = read_regular(path, name)  # regular files only, size-limited, never blocks
    return parse_text(*decode(data, name), path=name)


def parse_text(text: str, encoding: str = "utf-8", *, path: str = "<text>") -> Document:
    lines = [make_line(i, raw) for i, raw in enumerate(split_lines(text), start=1)]
    doc = Document(path=path, encoding=encoding, lines=lines)
    flag_noise(doc)
    if not doc.content_lines():
        raise InputError("the file has no plan text (only blank lines, navigation or advertising)",
                         path=path, fix="check that the file is a plan document")
    return doc


def flag_noise(doc: Document) -> None:
    """Flag page furniture, the table of contents and web boilerplate in place
    (``plancompare.parse.noise``; patterns in ``words/noise.toml``)."""
    from . import noise

    for key in ("_content", "_paragraphs", "_wrap"):
        doc.__dict__.pop(key, None)
    noise.flag_all(doc.lines)
