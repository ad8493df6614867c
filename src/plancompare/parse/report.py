"""The structure report: what the parser understood of a document, and what it did not.

Every parse returns one beside its items (:func:`plancompare.parse.run.analyse_document`):
parts and heading forms/levels found, tables and the lines they span, lines read, lines left
unread and why, and warnings (no tasks, no targets, a table header no row was read under, a
document of which nothing was understood). ``extract`` prints it to stderr, ``build`` prints the
warnings, ``--strict`` makes them errors, and the data-quality report shows every document's.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from . import vocabulary
from .paragraphs import paragraphs, wrap_width

if TYPE_CHECKING:
    from ..model import Item
    from .ingest import Document
    from .sections import Structure

#: Lines shown per reason in the text report.
SHOW_LINES = 8


@dataclass
class StructureReport:
    """What was understood of one document (see the module docstring)."""

    file: str
    lines: int
    content_lines: int
    noise: dict[str, int]
    wrap_width: int | None
    joined_lines: int
    documents: int
    part_form: str | None
    parts: list[dict]
    heading_forms: list[dict]
    toc_entries: int
    tables: list[dict]
    items: dict[str, int]
    lines_read: int
    unread: dict[str, list[int]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """Plain data (JSON-ready)."""
        return asdict(self)

    def text(self) -> str:
        """The report as lines of text (what ``extract`` prints to stderr)."""
        out = [(f"structure of {self.file}: {self.lines} lines, {self.content_lines} content, "
               f"{self.lines_read} read")]
        if self.noise:
            out.append("  noise: " + ", ".join(f"{k} {v}" for k, v in sorted(self.noise.items())))
        if self.wrap_width:
            out.append(f"  hard-wrapped at {self.wrap_width} columns: {self.joined_lines} lines "
                       "re-joined into paragraphs")
        if self.documents > 1:
            out.append(f"  {self.documents} documents in one file")
        if self.parts:
            out.append(f"  parts ({self.part_form}): " + "; ".join(
                f"{p['part']}{'*' if p['inferred'] else ''} {p['title']!r} (line {p['line']})"
                for p in self.parts))
        else:
            out.append("  parts: none recognised (read as one unknown part)")
        for h in self.heading_forms:
            out.append(f"  headings in {h['part']}: level {h['level']} = {h['form']} "
                       f"({h['count']})")
        if self.toc_entries:
            out.append(f"  table of contents: {self.toc_entries} entries")
        for t in self.tables:
            out.append(f"  table lines {t['line']}-{t['line_end']}: {t['rows']} indicator rows "
                       f"({t['layout']})")
        out.append("  items: " + (", ".join(f"{k} {v}" for k, v in self.items.items())
                                  or "none"))
        for reason, nos in self.unread.items():
            shown = ", ".join(map(str, nos[:SHOW_LINES])) + (" ..." if len(nos) > SHOW_LINES
                                                            else "")
            out.append(f"  unread ({reason}): {len(nos)} lines: {shown}")
        out.extend(f"  warning: {w}" for w in self.warnings)
        return "\n".join(out)


def build_report(doc: Document, st: Structure, parts: dict[int, str], items: list[Item],
                 task_unread: list[int], problems: list | None = None) -> StructureReport:
    """The structure report of a parsed document.

    Parameters
    ----------
    doc : Document
    st : sections.Structure
        The document's structure.
    parts : dict of int to str
        The parts the parsers were given (``start_section`` applied).
    items : list of Item
        Everything the parsers returned.
    task_unread : list of int
        Task-part lines no task holds (``tasks.unread_lines``).
    problems : list of tableheader.Problem, optional
        What the table parsers saw but could not read; each becomes a warning.

    Returns
    -------
    StructureReport
    """
    content = doc.content_lines()
    covered = _covered(items, parts, task_unread)
    unread: dict[str, list[int]] = defaultdict(list)
    for ln in content:
        if ln.no not in covered:
            unread[_reason(parts.get(ln.no), ln.no in task_unread)].append(ln.no)
    report = StructureReport(
        file=doc.path, lines=len(doc.lines), content_lines=len(content),
        noise=dict(Counter(ln.noise for ln in doc.lines if ln.noise)),
        wrap_width=wrap_width(doc),
        joined_lines=sum(len(p.lines) - 1 for p in paragraphs(doc)),
        documents=len(st.documents), part_form=st.part_form,
        parts=[{"line": t.line, "part": t.part, "title": t.title, "form": t.form,
                "inferred": t.inferred} for t in st.top],
        heading_forms=_forms(st),
        toc_entries=sum(1 for ln in doc.lines if ln.noise == "toc"),
        tables=_tables(items), items=_counts(items),
        lines_read=sum(1 for ln in content if ln.no in covered), unread=dict(unread))
    report.warnings = _warnings(doc, report, items, covered, problems or [])
    return report


def _covered(items: list[Item], parts: dict[int, str], task_unread: list[int]) -> set[int]:
    covered: set[int] = set()
    for it in items:
        covered.update(range(it.line, (it.line_end or it.line) + 1))
    if any(it.item_type == "task" and it.source == "heading" for it in items):
        skip = set(task_unread)
        covered.update(n for n, p in parts.items() if p == "tasks" and n not in skip)
    return covered


def _reason(part: str | None, before_task: bool) -> str:
    if part == "unknown":
        return "no recognised part, quoted by no item"
    if before_task:
        return "task-part text before its first heading"
    return f"part {part}: quoted by no item"


def _forms(st: Structure) -> list[dict]:
    counts = Counter((h.part, h.level, h.heading.form) for h in st.headings if not h.toc)
    return [{"part": p, "level": lv, "form": f, "count": n}
            for (p, lv, f), n in sorted(counts.items(), key=lambda kv: (kv[0][0], kv[0][1]))]


def _tables(items: list[Item]) -> list[dict]:
    """Indicator-table rows grouped into tables (rows closer than 10 lines)."""
    rows = sorted((it.line, it.line_end or it.line) for it in items
                  if it.item_type == "indicator" and it.source == "table")
    out: list[dict] = []
    for first, last in rows:
        if out and first - out[-1]["line_end"] <= 10:
            out[-1]["line_end"] = max(out[-1]["line_end"], last)
            out[-1]["rows"] += 1
        else:
            out.append({"line": first, "line_end": last, "rows": 1})
    for t in out:  # a baseline and a target row share their lines: count table rows
        spans = {(it.line, it.line_end or it.line) for it in items
                 if it.item_type == "indicator" and it.source == "table"
                 and t["line"] <= it.line <= t["line_end"]}
        t["rows"] = len({first for first, _ in spans})
        multi = sum(last > first for first, last in spans)
        t["layout"] = "one cell per line" if multi * 2 > len(spans) else "one row per line"
    return out


def _counts(items: list[Item]) -> dict[str, int]:
    out: Counter[str] = Counter()
    for it in items:
        key = it.item_type
        if it.item_type == "indicator":
            key = f"indicator ({it.source}, {it.role or 'target'})"
        elif it.item_type == "task":
            key = f"task level {it.level}" + (" (from the table of contents)"
                                              if it.source == "toc" else "")
        out[key] += 1
    return dict(sorted(out.items()))


def _warnings(doc: Document, report: StructureReport, items: list[Item],
              covered: set[int], problems: list) -> list[str]:
    out = []
    if not items:
        out.append(f"{doc.path}: nothing understood: no task, target, table or project in "
                   f"{report.content_lines} lines of text"
                   + ("" if report.parts else " and no recognised part"))
    told = set()
    for p in sorted(problems, key=lambda p: p.line):
        out.append(f"{p.path}:{p.line}: {p.parser}: {p.message} ({p.kind})")
        told.add(p.line)
    for no in _unread_headers(doc, covered):
        if no in told:
            continue
        out.append(f"{doc.path}:{no}: a table header no indicator row was read under: "
                   f"{doc.line(no).text[:40]!r}")
    return out


def document_warnings(name: str, reports: list[StructureReport], items: list[Item]) -> list[str]:
    """Warnings about a whole document (all its files): no tasks, no targets.

    Parameters
    ----------
    name : str
        How the document is named (its file, or ``district/doc_id`` with its files).
    reports : list of StructureReport
        The reports of its files (to say whether a task part was found).
    items : list of Item
        Every item of the document.
    """
    if not items:
        return []  # each file already says that nothing was understood
    out = []
    if not any(it.item_type == "task" for it in items):
        has_part = any(p["part"] == "tasks" for r in reports for p in r.parts)
        out.append(f"{name}: no tasks found ("
                   + ("the task part has no heading this parser reads" if has_part
                      else "no task part") + ")")
    if not any(it.item_type == "indicator" and it.role == "target" for it in items):
        out.append(f"{name}: no targets found")
    return out


def _unread_headers(doc: Document, covered: set[int]) -> list[int]:
    """Lines that look like an indicator-table header (a 指标 name column and a year or value
    column on the line or within the next six lines) with no row read in the next 15 lines."""
    lines = doc.content_lines()
    name_re = vocabulary.pattern("sections", "table_header.name")
    value_re = vocabulary.pattern("sections", "table_header.value")
    out = []
    for k, ln in enumerate(lines):
        if len(ln.norm) > 60 or "。" in ln.norm or not name_re.match(ln.norm.replace(" ", "")):
            continue
        window = lines[k: k + 7]
        if not any(value_re.search(w.norm) for w in window):
            continue
        if not any(w.no in covered for w in lines[k + 1: k + 16]):
            out.append(ln.no)
    return out


_HEADERS = {
    "district": "区 district", "source_file": "文件 file", "lines": "行 lines",
    "content": "正文行 content", "read": "已读 read", "parts": "部分 parts",
    "headings": "标题层级 heading levels", "tables": "表格 tables", "items": "条目 items",
    "unread": "未读 unread", "warnings": "警告 warnings",
}


def structure_reports(root=None) -> list[tuple[str, StructureReport]]:
    """(district id, report) for every file of the manifest, parsed afresh.

    Parameters
    ----------
    root : path, optional
        Project root (default: ``paths.project_root``).

    Returns
    -------
    list of (str, StructureReport)
    """
    from .. import manifest, paths
    from .run import parse_district

    root = paths.project_root() if root is None else root
    reg = manifest.load(root)
    out = []
    for district in reg.districts:
        rows = parse_district(district, reg.raw_dir)
        out.extend((district.id, r) for r in rows.reports)
    return out


def structure_table(reports: list[tuple[str, StructureReport]] | None = None, *,
                    lang: str = "zh", root=None):
    """One row per document: parts, heading levels, tables, lines read and unread, warnings.

    Parameters
    ----------
    reports : list of (str, StructureReport), optional
        Default: :func:`structure_reports` of the project at ``root``.
    lang : str
        "zh" gives bilingual headers, "en" English ones.

    Returns
    -------
    DataFrame
    """
    import pandas as pd

    reports = structure_reports(root) if reports is None else reports
    rows = [_table_row(district, r) for district, r in reports]
    frame = pd.DataFrame(rows, columns=list(_HEADERS))
    return frame.rename(columns=_HEADERS) if lang == "zh" else frame


def _table_row(district: str, r: StructureReport) -> dict:
    return {
        "district": district, "source_file": r.file, "lines": r.lines,
        "content": r.content_lines, "read": r.lines_read,
        "parts": "; ".join(f"{p['part']}{'*' if p['inferred'] else ''} {p['title']}"
                           for p in r.parts) or "none recognised",
        "headings": "; ".join(f"{h['part']} {h['level']}={h['form']} ({h['count']})"
                              for h in r.heading_forms),
        "tables": "; ".join(f"{t['line']}-{t['line_end']}: {t['rows']} rows, {t['layout']}"
                            for t in r.tables),
        "items": "; ".join(f"{k} {v}" for k, v in r.items.items()),
        "unread": "; ".join(f"{k}: {len(v)}" for k, v in r.unread.items()),
        "warnings": "; ".join(r.warnings),
    }
