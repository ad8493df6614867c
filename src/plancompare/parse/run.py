"""Run every parser over a document and turn the items into rows of the long-format frame."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError, SchemaError, StructureError
from ..model import ALL_COLUMNS, LIST_COLUMNS, Item
from ..render import span
from . import projects, sections, tables, targets, tasklist, tasks
from .ingest import Document, read_document
from .report import StructureReport, build_report, document_warnings

if TYPE_CHECKING:  # pandas is imported lazily so that the CLI starts fast
    import pandas as pd

    from ..manifest import District

INT_COLUMNS = ("line", "line_end", "level", "year", "body_chars")
FLOAT_COLUMNS = ("value", "value_high", "indicator_score")
BOOL_COLUMNS = ("approximate",)


@dataclass
class ParseResult:
    """Items of one document and its structure report."""

    items: list[Item]
    report: StructureReport


class Rows(list):
    """Row dicts of a district, with the structure report of each of its files (``reports``)."""

    reports: list[StructureReport]


def analyse_document(doc: Document, *, doc_id: str, key_prefix: str, end_year: int,
                     start_section: str | None = None,
                     whole_document: bool = True, period_assumed: bool = False) -> ParseResult:
    """Run the parsers over an already decoded document; items and structure report.

    Parameters are those of :func:`parse_file`; ``whole_document=False`` for one file of a
    document with several (the no-tasks / no-targets warnings are then the caller's, about the
    whole document); ``period_assumed=True`` when ``end_year`` was assumed because the text names
    no plan period (see :func:`plancompare.parse.targets.parse_text_targets`). Returns a
    :class:`ParseResult`. A parser's error that names no file or line gets them here
    (:func:`located`).
    """
    try:
        return _analyse_document(doc, doc_id, key_prefix, end_year, start_section,
                                 whole_document, period_assumed)
    except InputError as err:
        raise located(err, doc) from None


def located(err: InputError, doc: Document) -> InputError:
    """``err`` with ``doc``'s path, and the first line holding its ``needle`` (the text it is
    about), when it names neither."""
    if err.path and err.line:
        return err
    needle = getattr(err, "needle", None)
    line = err.line or next((ln.no for ln in doc.lines if needle and (
        needle in ln.raw or needle in ln.norm)), None)
    return type(err)(err.message, path=err.path or doc.path, line=line, fix=err.fix)


def _analyse_document(doc: Document, doc_id: str, key_prefix: str, end_year: int,
                      start_section: str | None, whole_document: bool,
                      period_assumed: bool = False) -> ParseResult:
    st = sections.structure(doc, start_section)
    parts = st.parts
    problems: list = []  # what the table parsers saw but could not read (tableheader.Problem)
    table_items = tables.parse_indicator_tables(doc, parts, key_prefix=key_prefix,
                                                end_year=end_year, problems=problems)
    skip = frozenset(n for it in table_items for n in range(it.line, (it.line_end or it.line) + 1))
    text_items = targets.parse_text_targets(doc, parts, key_prefix=key_prefix, end_year=end_year,
                                            skip_lines=skip, period_assumed=period_assumed,
                                            problems=problems)
    task_items = tasks.parse_tasks(doc, parts, key_prefix=key_prefix)
    project_items = projects.parse_projects(doc, parts, key_prefix=key_prefix,
                                            problems=problems)
    measures = tasklist.parse_task_list(doc, parts, key_prefix=key_prefix, tasks=task_items,
                                        problems=problems)
    items = table_items + text_items + task_items + project_items + measures
    for item in items:
        item.doc_id = doc_id
        item.section = item.section or parts.get(item.line)
        item.locator = span(doc.locators, item.line, item.line_end)
    check_provenance(items, doc)
    unread = tasks.unread_lines(doc, parts, key_prefix=key_prefix)
    report = build_report(doc, st, parts, items, unread, problems)
    if whole_document:
        report.warnings += document_warnings(doc.path, [report], items)
    return ParseResult(items, report)


def parse_document(doc: Document, *, doc_id: str, key_prefix: str, end_year: int,
                   start_section: str | None = None) -> list[Item]:
    """Run the parsers over an already decoded document (see :func:`parse_file`)."""
    return analyse_document(doc, doc_id=doc_id, key_prefix=key_prefix, end_year=end_year,
                            start_section=start_section).items


def check_structure(reports: list[StructureReport], *, strict: bool = False,
                    stream=None, echo: bool = True) -> list[str]:
    """Print every report's warnings to ``stream`` (stderr; not when ``echo`` is False, e.g.
    after printing the whole report); with ``strict``, raise on any.

    Returns
    -------
    list of str
        The warnings.

    Raises
    ------
    StructureError
        ``strict`` and at least one warning (``--strict``: exit 1).
    """
    found = [w for r in reports for w in r.warnings]
    stream = sys.stderr if stream is None else stream
    for w in found if echo else ():
        print(f"warning: {w}", file=stream)
    if strict and found:
        raise StructureError(f"{len(found)} structure warning(s) with --strict (listed above)",
                             fix="check the documents named above, or drop --strict")
    return found


def parse_file(path: str | Path, *, display_path: str, doc_id: str, key_prefix: str,
               end_year: int, start_section: str | None = None) -> list[Item]:
    """Parse one raw file into items.

    Parameters
    ----------
    path : str or Path
        The file to read (UTF-8 with or without BOM, UTF-16 with BOM, GB18030).
    display_path : str
        How the file is named in rows and errors (relative to data/raw for manifest files).
    doc_id, key_prefix : str
        Document id written to every item; prefix that keeps item keys unique in a district.
    end_year : int
        Year a target refers to when the text states none.
    start_section : str, optional
        The part the file opens in, for excerpts of a longer plan.

    Returns
    -------
    list of Item
        Tables, text targets, tasks, projects and task-list measures, in that order.

    Raises
    ------
    InputError
        The file cannot be read or a parser rejects it.
    SchemaError
        A parser produced an item whose quote is not on its source line (a parser bug).
    """
    doc = read_document(path, display_path=display_path)
    return parse_document(doc, doc_id=doc_id, key_prefix=key_prefix, end_year=end_year,
                          start_section=start_section)


def check_provenance(items: list[Item], doc: Document) -> None:
    """Raise SchemaError unless every item's quote occurs on its lines of the raw file."""
    bad = [f"  {it.item_key} (line {it.line}): quote {it.quote[:40]!r} is not on "
           f"lines {it.line}-{it.line_end or it.line}"
           for it in items if not _quote_on_lines(it, doc)]
    if bad:
        raise SchemaError(f"{len(bad)} item(s) are not traceable to the raw text:\n"
                          + "\n".join(bad[:20]), path=doc.path,
                          fix="a parser emitted a wrong line number or a modified quote; "
                              "quotes must be substrings of the raw line(s)")


def _quote_on_lines(item: Item, doc: Document) -> bool:
    last = item.line_end or item.line
    if not item.quote or not 1 <= item.line <= last <= len(doc.lines):
        return False
    raw = "\n".join(doc.line(n).raw for n in range(item.line, last + 1))
    return item.quote in raw


def parse_district(district: District, raw_dir: Path) -> list[dict]:
    """Parse every file of every document of a manifest district into row dicts.

    Parameters
    ----------
    district : manifest.District
    raw_dir : Path
        data/raw of the project; file paths in the manifest are relative to it.

    Returns
    -------
    list of dict
        One dict per item with district_id, district_zh, district_en and doc_id filled.
    """
    rows = Rows()
    rows.reports = []
    for doc in district.documents:
        reports, items = [], []
        for n, f in enumerate(doc.files, 1):
            prefix = doc.id if n == 1 else f"{doc.id}.{n}"
            result = analyse_document(
                read_document(raw_dir / f.path, display_path=f.path), doc_id=doc.id,
                key_prefix=prefix, end_year=doc.end_year, start_section=f.start_section,
                whole_document=len(doc.files) == 1)
            reports.append(result.report)
            items.extend(result.items)
            rows.extend(district_row(it, district.id, district.name_zh, district.name_en,
                                     level=district.level, parent=district.parent)
                        for it in result.items)
        if len(doc.files) > 1:
            name = f"{district.id}/{doc.id} ({', '.join(f.path for f in doc.files)})"
            reports[-1].warnings += document_warnings(name, reports, items)
        rows.reports.extend(reports)
    return rows


def district_row(item: Item, district_id: str, name_zh: str, name_en: str, *,
                 level: str = "district", parent: str = "") -> dict:
    """The item as a row dict with the district (jurisdiction) columns set."""
    row = item.to_row()
    row.update(district_id=district_id, district_zh=name_zh, district_en=name_en,
               jurisdiction_level=level, jurisdiction_parent=parent or None)
    return row


def to_frame(rows: list[dict]) -> pd.DataFrame:
    """Rows -> DataFrame with ``model.ALL_COLUMNS`` in order and the contract's dtypes.

    Integers (line, line_end, level, year, body_chars) are nullable ``Int64``, value,
    value_high and indicator_score ``float64``, approximate ``boolean``, the list fields a list per row, every other column text (``str``).
    """
    import pandas as pd

    frame = pd.DataFrame.from_records(rows, columns=list(ALL_COLUMNS))
    for col in ALL_COLUMNS:
        if col in INT_COLUMNS:
            frame[col] = pd.array(frame[col].tolist(), dtype="Int64")
        elif col in FLOAT_COLUMNS:
            frame[col] = pd.to_numeric(frame[col], errors="raise").astype("float64")
        elif col in BOOL_COLUMNS:
            frame[col] = pd.array([None if v is None else bool(v) for v in frame[col]],
                                  dtype="boolean")
        elif col in LIST_COLUMNS:
            frame[col] = pd.Series([list(v) if isinstance(v, (list, tuple)) else []
                                    for v in frame[col]], index=frame.index, dtype=object)
        else:
            frame[col] = frame[col].astype("str")
    return frame
