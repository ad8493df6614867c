"""Word's automatic numbering: the label Word prints before a numbered paragraph.

Plans written in Word often number their headings automatically (一、 （一） 1. ①), so the
number is not in the paragraph's text but in ``numbering.xml``. :class:`Numbering` replays the
counters in document order and returns each paragraph's label, so the rendition reads as the
page does and the parsers see the heading numbers. Bullets and ``none`` formats give no label.
"""

from __future__ import annotations

from docx.oxml.ns import qn

_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_HEAVENLY = "甲乙丙丁戊己庚辛壬癸"
_NO_SPACE_AFTER = "、.．)）:：,，"


def format_number(n: int, fmt: str) -> str:
    """A counter value in a Word ``numFmt`` (decimal, chineseCounting, upperRoman ...).

    Examples
    --------
    >>> format_number(11, "chineseCounting"), format_number(3, "decimalEnclosedCircle")
    ('十一', '③')
    """
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified",
               "japaneseCounting", "koreanCounting", "taiwaneseCounting"):
        import cn2an

        return cn2an.an2cn(n, "up" if fmt == "chineseLegalSimplified" else "low")
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and n <= len(_CIRCLED):
        return _CIRCLED[n - 1]
    if fmt == "ideographTraditional" and n <= len(_HEAVENLY):
        return _HEAVENLY[n - 1]
    if fmt in ("upperRoman", "lowerRoman"):
        return _roman(n) if fmt == "upperRoman" else _roman(n).lower()
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt == "decimalFullWidth":
        return str(n).translate({ord(d): chr(0xFF10 + int(d)) for d in "0123456789"})
    return str(n)


def _roman(n: int) -> str:
    out = []
    for value, symbol in _ROMAN:
        count, n = divmod(n, value)
        out.append(symbol * count)
    return "".join(out)


class Numbering:
    """Counters of a document's numbered lists, advanced paragraph by paragraph."""

    def __init__(self, document):
        self.levels: dict[str, dict[int, dict]] = {}     # abstractNumId -> ilvl -> level
        self.abstract_of: dict[str, str] = {}            # numId -> abstractNumId
        self.starts: dict[str, dict[int, int]] = {}      # numId -> ilvl -> startOverride
        self.counters: dict[str, dict[int, int]] = {}    # abstractNumId -> ilvl -> counter
        self.seen_num: set[str] = set()
        self.styles = document.styles
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        for abstract in root.findall(qn("w:abstractNum")):
            aid = abstract.get(qn("w:abstractNumId"))
            self.levels[aid] = {int(lvl.get(qn("w:ilvl"))): _level(lvl)
                                for lvl in abstract.findall(qn("w:lvl"))}
        for num in root.findall(qn("w:num")):
            nid = num.get(qn("w:numId"))
            ref = num.find(qn("w:abstractNumId"))
            if ref is not None:
                self.abstract_of[nid] = ref.get(qn("w:val"))
            self.starts[nid] = {int(o.get(qn("w:ilvl"))): int(s.get(qn("w:val")))
                                for o in num.findall(qn("w:lvlOverride"))
                                if (s := o.find(qn("w:startOverride"))) is not None}

    def label(self, paragraph) -> str:
        """The label Word shows before ``paragraph`` ("" when it is not numbered)."""
        num_id, ilvl = self._num_pr(paragraph)
        aid = self.abstract_of.get(num_id or "")
        levels = self.levels.get(aid or "")
        if not levels or ilvl not in levels:
            return ""
        counters = self.counters.setdefault(aid, {})
        if num_id not in self.seen_num:           # a new list instance: its overrides apply
            self.seen_num.add(num_id)
            for lvl, start in self.starts.get(num_id, {}).items():
                counters[lvl] = start - 1
        level = levels[ilvl]
        counters[ilvl] = counters.get(ilvl, level["start"] - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:   # a deeper level starts again
            del counters[deeper]
        if level["fmt"] in ("bullet", "none"):
            return ""
        text = level["text"]
        for k in range(ilvl + 1):
            parent = levels.get(k, level)
            text = text.replace(f"%{k + 1}", format_number(counters.get(k, parent["start"]),
                                                           parent["fmt"]))
        return text

    def prefix(self, paragraph, text: str) -> str:
        """``text`` with its label in front, spaced as Word spaces it."""
        label = self.label(paragraph)
        if not label or not text.strip():
            return text
        return label + ("" if label[-1] in _NO_SPACE_AFTER else " ") + text.lstrip()

    def _num_pr(self, paragraph) -> tuple[str | None, int]:
        """numId and level of the paragraph, directly or through its style (and base styles)."""
        ppr = paragraph._p.pPr
        num_pr = ppr.numPr if ppr is not None else None
        style = paragraph.style
        while num_pr is None and style is not None:
            spr = style.element.pPr
            num_pr = spr.numPr if spr is not None else None
            style = style.base_style
        if num_pr is None or num_pr.numId is None:
            return None, 0
        ilvl = num_pr.ilvl.val if num_pr.ilvl is not None else 0
        return str(num_pr.numId.val), int(ilvl)


def _level(lvl) -> dict:
    def val(tag: str, default: str) -> str:
        el = lvl.find(qn(tag))
        return el.get(qn("w:val"), default) if el is not None else default

    return {"start": int(val("w:start", "1")), "fmt": val("w:numFmt", "decimal"),
            "text": val("w:lvlText", "")}
