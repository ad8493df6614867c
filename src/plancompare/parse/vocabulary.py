"""The document vocabulary: every word list the parsers match on, loaded from ``parse/words/``.

Each ``words/<name>.toml`` file holds one topic (section titles, heading forms, table headers,
comparator words, units, noise patterns, task-list columns ...). A value is a string, a list of
strings, or a table of those; nothing else is allowed. Files are read once per process and checked
when read, so a typo in a data file is an error naming the file and the key, not a silent miss.
A new layout is a data change here plus a test; ``docs/vocabulary.md`` documents every file.
"""

from __future__ import annotations

import functools
import re
import tomllib
from importlib import resources

from ..errors import InputError

_PACKAGE = "plancompare.parse"
_FOLDER = "words"


@functools.cache
def load(name: str) -> dict:
    """The parsed ``words/<name>.toml``, validated.

    Parameters
    ----------
    name : str
        File stem, e.g. ``"sections"``.

    Returns
    -------
    dict
        Key -> string, list of strings, or a table of those.

    Raises
    ------
    InputError
        The file is missing, is not TOML, or holds a value of another type.
    """
    where = f"plancompare/parse/{_FOLDER}/{name}.toml"
    try:
        text = resources.files(_PACKAGE).joinpath(_FOLDER, f"{name}.toml").read_text("utf-8")
    except FileNotFoundError:
        raise InputError(f"no vocabulary file {name!r}", path=where,
                         fix="reinstall plancompare or add the file") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"vocabulary file is not valid TOML: {exc}", path=where,
                         fix="fix the TOML syntax") from None
    problems = list(_check(data, ""))
    if problems:
        raise InputError("vocabulary values must be strings or lists of strings: "
                         + "; ".join(problems), path=where, fix="fix the listed keys")
    return data


def _check(value, key: str):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _check(v, f"{key}.{k}" if key else k)
    elif isinstance(value, list):
        if not all(isinstance(v, str) for v in value):
            yield f"{key} holds a non-string item"
    elif not isinstance(value, str):
        yield f"{key} is a {type(value).__name__}"


def get(name: str, key: str):
    """The value at a dotted ``key`` of ``words/<name>.toml`` (a KeyError names file and key)."""
    value = load(name)
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            raise KeyError(f"vocabulary {name}.toml has no key {key!r}")
        value = value[part]
    return value


def words(name: str, key: str) -> tuple[str, ...]:
    """A list of words, as a tuple (a single string is a one-word list)."""
    value = get(name, key)
    return (value,) if isinstance(value, str) else tuple(value)


@functools.cache
def alternation(name: str, key: str) -> str:
    """The words of ``key`` as a regex alternation, longest first, each escaped."""
    return "|".join(re.escape(w) for w in sorted(words(name, key), key=len, reverse=True))


@functools.cache
def pattern(name: str, key: str) -> re.Pattern[str]:
    """``key`` holds regular expressions (one string or a list); compiled as one alternation."""
    return re.compile("|".join(f"(?:{p})" for p in words(name, key)))
