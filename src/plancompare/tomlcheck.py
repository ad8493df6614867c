"""Validate the hand-edited TOML files (manifest.toml, reports.toml) as a whole.

Every problem is collected with the line it is on and a fix, then reported at once: wrong
shapes (a list or a string where a table belongs), wrong types, TOML date-times where text is
meant, unknown keys (with a "did you mean"), bad ids. :class:`Lines` maps a position in the
parsed document (``("district", 0, "document", 1)`` and a key) back to its line.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
from dataclasses import dataclass, field

from .errors import PlanCompareError

#: Ids of districts, documents and reports: lowercase ascii, digits, underscore; nothing else
#: (``\Z``, not ``$``, so that a trailing newline is refused too).
ID_RE = re.compile(r"\A[a-z0-9_]+\Z")
_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_-]+|\"[^\"]*\")\s*=")


class Lines:
    """Line numbers of the tables and keys of a TOML text (simple, hand-written layouts)."""

    def __init__(self, text: str):
        self.lines = text.splitlines()
        self.tables: dict[tuple, int] = {(): 1}
        self.keys: dict[tuple, int] = {}
        counts: dict[tuple, int] = {}
        current: tuple = ()
        for no, line in enumerate(self.lines, 1):
            header = _HEADER.match(line)
            if header:
                current = self._table(header, counts)
                self.tables.setdefault(current, no)
                continue
            key = _KEY.match(line)
            if key:
                self.keys.setdefault((*current, key.group(1).strip('"')), no)

    @staticmethod
    def _table(header: re.Match, counts: dict[tuple, int]) -> tuple:
        names = [n.strip().strip('"') for n in header.group(2).split(".")]
        path: tuple = ()
        for name in names[:-1]:  # a parent array of tables: its latest element
            path = (*path, name)
            if counts.get(path):
                path = (*path, counts[path] - 1)
        path = (*path, names[-1])
        if header.group(1) == "[[":
            counts[path] = counts.get(path, 0) + 1
            path = (*path, counts[path] - 1)
        return path

    def at(self, where: tuple, key: str | None = None) -> int | None:
        """Line of ``key`` in the table at ``where`` (else the table's header line)."""
        if key is not None and (*where, key) in self.keys:
            return self.keys[(*where, key)]
        for n in range(len(where), -1, -1):
            if where[:n] in self.tables and (n or not where):
                return self.tables[where[:n]]
        return None


@dataclass
class Problems:
    """Every problem found in one file, each with its line and fix."""

    lines: Lines
    items: list[str] = field(default_factory=list)

    def add(self, message: str, *, line: int | None = None, fix: str | None = None) -> None:
        text = (f"line {line}: " if line else "") + message
        if fix:
            text += "\n     fix: " + fix.replace("\n", "\n     ")
        self.items.append(text)

    def at(self, where: tuple, key: str | None, message: str, fix: str | None = None) -> None:
        """Add a problem located at ``key`` of the table ``where``."""
        self.add(message, line=self.lines.at(where, key), fix=fix)

    def error(self, cls: type[PlanCompareError], what: str, path: str) -> PlanCompareError:
        n = len(self.items)
        body = "\n".join(f"  {i}. {text}" for i, text in enumerate(self.items, 1))
        return cls(f"{what} ({n} problem{'s' if n > 1 else ''}):\n{body}", path=path)


def parse(text: str, display: str, cls: type[PlanCompareError]) -> dict:
    """``tomllib.loads`` with a syntax error turned into ``cls`` naming the line and column."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line = int(m.group(1)) if m else None
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        if m:
            msg += f" (column {m.group(2)})"
        raise cls(f"TOML syntax error: {msg}", path=display, line=line,
                  fix="correct the syntax on that line (strings need double quotes, "
                      "tables are written [[name]])") from None


def kind(value: object) -> str:
    """How a TOML value reads to a person: "a string", "a list", "a date-time" ..."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dt.date | dt.time):
        return "a TOML date-time (unquoted)"
    for cls, name in ((str, "a string"), (int, "a number"), (float, "a number"),
                      (list, "a list"), (dict, "a table")):
        if isinstance(value, cls):
            return name
    return type(value).__name__


def unknown_keys(table: dict, known: tuple[str, ...], where: tuple, label: str,
                 problems: Problems) -> None:
    """One problem per key of ``table`` not in ``known``, with the closest known key."""
    for key in table:
        if key in known:
            continue
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}? " if close else ""
        problems.at(where, key, f"{label}: unknown key {key!r}",
                    fix=f"{hint}known keys: {', '.join(known)}")


def tables(value: object, where: tuple, key: str, label: str, problems: Problems,
           *, header: str) -> list[dict]:
    """The list of tables at ``key`` (an array of tables ``[[header]]``); other shapes reported."""
    if isinstance(value, list) and all(isinstance(v, dict) for v in value):
        return value
    problems.at(where, key, f"{label}: {key!r} must be [[{header}]] tables, got {kind(value)} "
                f"({_short(value)})",
                fix=f"write each entry as its own [[{header}]] block with key = value lines")
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def text(table: dict, key: str, where: tuple, label: str, problems: Problems, *,
         required: bool = True) -> str:
    """The string at ``key``; a missing, empty (when required) or non-string value reported."""
    value = table.get(key)
    if value is None and not required:
        return ""
    if isinstance(value, str) and (value.strip() or not required):
        return value
    if value is None or isinstance(value, str):
        problems.at(where, key, f"{label}: {key!r} is missing or empty",
                    fix=f'add {key} = "..." to this block')
    elif isinstance(value, dt.date | dt.time):
        problems.at(where, key, f"{label}: {key!r} is {kind(value)}, not text",
                    fix=f'quote it: {key} = "{value}"')
    else:
        problems.at(where, key, f"{label}: {key!r} must be a string, got {kind(value)} "
                    f"({_short(value)})", fix=f'write {key} = "..." (text in double quotes)')
    return ""


def identifier(table: dict, key: str, where: tuple, label: str, problems: Problems,
               pattern: re.Pattern[str] = ID_RE, rule: str = "[a-z0-9_]+") -> str:
    """A required id matching ``pattern`` (``\\A...\\Z``); reported otherwise."""
    value = text(table, key, where, label, problems)
    if value and not pattern.match(value):
        problems.at(where, key, f"{label}: {key} {value!r} must match {rule} (lowercase ascii "
                    "letters, digits, underscore; no spaces or line breaks)",
                    fix=f'e.g. {key} = "{_slug(value)}"')
        return ""
    return value


def _slug(value: str) -> str:
    return re.sub(r"[^a-z0-9_]+", "_", value.strip().lower()).strip("_") or "new"


def _short(value: object, limit: int = 40) -> str:
    shown = repr(value)
    return shown if len(shown) <= limit else shown[:limit - 3] + "..."
