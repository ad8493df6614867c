"""A rendition: the text of a non-text original, one paragraph or table row per line.

Every line has a locator saying where it is in the original (``p. 12``, ``paragraph 143``,
``table 2 row 5``). Table rows are their cells joined by TAB; a merged cell is repeated in every
row and column it covers. Renderers fill a :class:`Builder`; the result is a :class:`Rendition`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_SPACE_RUN_RE = re.compile(r"[ \t\r\n\f\v]+")
_NUMBERED_RE = re.compile(r"^(.*?)(\d+)$")
_PAGES_RE = re.compile(r"^p\. (\d+)(?:-(\d+))?$")


@dataclass
class Rendition:
    """The rendered text of one original file.

    Attributes
    ----------
    lines : list of str
        One paragraph or table row per line; no line contains a newline.
    locators : list of str
        Where each line is in the original ("" for blank separator lines).
    format : str
        The original's format: docx, pdf, html, doc, wps, odt.
    renderer : str
        Renderer name and version, e.g. ``"pdf/1 pdfplumber 0.11.10"``; a cached rendition made
        by another renderer version is made again.
    """

    lines: list[str]
    locators: list[str]
    format: str
    renderer: str

    @property
    def text(self) -> str:
        """The rendition as one string, each line ended by a newline."""
        return "".join(line + "\n" for line in self.lines)

    @property
    def encoding(self) -> str:
        """How the document was read, as shown in the sources sheet and by ``extract``."""
        return f"{self.format} rendition"


@dataclass
class Builder:
    """Collects the lines of a rendition in reading order."""

    format: str
    renderer: str
    lines: list[str] = field(default_factory=list)
    locators: list[str] = field(default_factory=list)
    paragraphs: int = 0
    tables: int = 0

    def paragraph(self, text: str, locator: str | None = None) -> bool:
        """Add a paragraph (internal line breaks and tabs become spaces); empty text is skipped.

        Parameters
        ----------
        text : str
        locator : str, optional
            Defaults to ``paragraph N`` (N counts the non-empty paragraphs so far).

        Returns
        -------
        bool
            Whether a line was added.
        """
        text = one_line(text)
        if not text.strip():
            return False
        self.paragraphs += 1
        self._add(text, locator or f"paragraph {self.paragraphs}")
        return True

    def start_table(self) -> int:
        """Begin a table: a blank line before it; returns the table's number (1-based)."""
        self.blank()
        self.tables += 1
        return self.tables

    def row(self, cells: list[str], locator: str) -> bool:
        """Add one table row: cells joined by TAB; a row of empty cells is skipped."""
        cleaned = [one_line(c).strip() for c in cells]
        if not any(cleaned):
            return False
        self._add("\t".join(cleaned), locator)
        return True

    def blank(self) -> None:
        """A blank separator line (never two in a row, none at the start)."""
        if self.lines and self.lines[-1] != "":
            self._add("", "")

    def build(self) -> Rendition:
        """The finished rendition (trailing blank line removed)."""
        while self.lines and self.lines[-1] == "":
            self.lines.pop()
            self.locators.pop()
        return Rendition(lines=self.lines, locators=self.locators, format=self.format,
                         renderer=self.renderer)

    def _add(self, text: str, locator: str) -> None:
        self.lines.append(text)
        self.locators.append(locator)


def one_line(text: str) -> str:
    """Text as one line: runs of ASCII whitespace (newline, tab ...) become one space.

    No-break and ideographic spaces are kept: they are part of the text as printed.
    """
    return _SPACE_RUN_RE.sub(" ", text)


def span(locators: list[str] | None, line: int, line_end: int | None = None) -> str | None:
    """The locator of rendition lines ``line``..``line_end`` (1-based), or None without locators.

    Parameters
    ----------
    locators : list of str or None
        Per-line locators of a rendition (``Document.locators``); None for a .txt original.
    line, line_end : int
        First and last line of an item.

    Returns
    -------
    str or None
        ``"p. 3"``; a range when the lines lie in several places: ``"p. 3-4"``,
        ``"table 2 row 3-5"``; otherwise ``"FIRST to LAST"``.

    Examples
    --------
    >>> span(["p. 1", "p. 2"], 1, 2)
    'p. 1-2'
    """
    if locators is None:
        return None
    last = max(line, line_end or line)
    found = list(dict.fromkeys(loc for loc in locators[line - 1:last] if loc))
    if not found:
        return None
    if len(found) == 1:
        return found[0]
    first, end = found[0], found[-1]
    m1, m2 = _NUMBERED_RE.match(first), _NUMBERED_RE.match(end)
    if m1 and m2 and m1.group(1) == m2.group(1):
        return f"{first}-{m2.group(2)}"
    pages = [_PAGES_RE.match(loc) for loc in found]
    if all(pages):
        numbers = [int(n) for m in pages for n in m.groups() if n]
        return f"p. {min(numbers)}-{max(numbers)}"
    return f"{first} to {end}"


_LATIN_END_RE = re.compile(r"[A-Za-z0-9%.,;:)\]]$")
_LATIN_START_RE = re.compile(r"^[A-Za-z0-9(\[]")


def join_wrapped(first: str, second: str) -> str:
    """Join two pieces of one paragraph that a line break separated.

    A line break between two Chinese characters is no space (CSS Text 3: a segment break
    between East Asian wide characters is removed); between Latin letters or digits it is one.

    Examples
    --------
    >>> join_wrapped("职业教育", "提质培优")
    '职业教育提质培优'
    >>> join_wrapped("STEM", "education")
    'STEM education'
    """
    first, second = first.rstrip(), second.lstrip()
    if _LATIN_END_RE.search(first) and _LATIN_START_RE.match(second):
        return f"{first} {second}"
    return first + second
