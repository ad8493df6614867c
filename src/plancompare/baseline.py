"""Is a value from the review text the baseline of a target? The same indicator is not enough.

A codebook indicator may cover kindergartens and schools together (schools handed over with
housing estates, floor area added), and a review states stocks (13 programmes running) beside
the amounts added in the last period. A review value becomes a target's baseline only when it
measures the same thing:

1. **Same stage.** When the phrase of the target (the text up to its value, from the last
   clause or list separator) names only kindergartens and the phrase of the review value only
   schools, or the other way round, they are different measures: 接收配套园11所 takes
   接收配套幼儿园19所 as its baseline, 接收配套校4所 does not.
2. **Added against added.** For a count indicator (codebook scale ``count``), a target of an
   amount added over the plan period (新增, 培养, 接收 ... in its clause) takes only an amount
   added in the last period as its baseline, and a stock only a stock: 新增1个项目 is not
   compared with 13个项目 running.

The stage and added-amount words are in ``reference/baseline_words.csv``.
"""

from __future__ import annotations

import re

from . import reference

#: A clause ends at these; a phrase also at the list separator 、.
_CLAUSE_END = re.compile(r"[，,。；;！？!?\n：:]")
_PHRASE_END = re.compile(r"[，,。；;！？!?\n：:、]")


def _before_value(row: dict, ends: re.Pattern[str]) -> str:
    """The text of the row's quote from the last ``ends`` separator before its value up to the
    end of the value; the name for a table row or when the quote does not hold the value."""
    quote, value = row.get("quote"), row.get("value_text")
    name = row.get("name_raw") if isinstance(row.get("name_raw"), str) else ""
    if row.get("source") == "table":  # a table row's quote has its name on another line
        return name
    if not isinstance(quote, str) or not isinstance(value, str) or value not in quote:
        return name
    end = quote.index(value) + len(value)
    starts = [m.end() for m in ends.finditer(quote, 0, quote.index(value))]
    return quote[starts[-1] if starts else 0:end]


def stages(text: str) -> frozenset[str]:
    """The stages a phrase names: ``{"preschool"}``, ``{"school"}``, both or none.

    >>> sorted(stages("接收配套园11所")), sorted(stages("智慧校园覆盖率85%"))
    (['preschool'], ['preschool', 'school'])
    """
    words = reference.baseline_words()
    return frozenset(kind for kind in ("preschool", "school")
                     if any(w in text for w in words[kind]))


def is_added(text: str) -> bool:
    """True when a clause states an amount added over a period (新增, 增加, 培养 ...)."""
    return any(w in text for w in reference.baseline_words()["added"])


def same_measure(target: dict, base: dict, scale: str | None) -> bool:
    """True when the review row ``base`` measures what ``target`` does (module docstring).

    Parameters
    ----------
    target, base : dict
        Rows of the dataset (quote, value_text, name_raw are read).
    scale : str or None
        The codebook scale of their indicator (``count`` or ``rate``).
    """
    mine, theirs = stages(_before_value(target, _PHRASE_END)), stages(
        _before_value(base, _PHRASE_END))
    if len(mine) == 1 and len(theirs) == 1 and mine != theirs:
        return False
    if scale == "count":
        return is_added(_before_value(target, _CLAUSE_END)) == is_added(
            _before_value(base, _CLAUSE_END))
    return True
