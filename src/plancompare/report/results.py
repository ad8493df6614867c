"""What a report run produced: the report specs and the per-report and per-run results."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class ReportSpec:
    """One report to render: a notebook and the parameters it is executed with."""

    name: str
    notebook: str
    title: str
    parameters: dict[str, Any]


@dataclass
class ReportResult:
    """What happened to one report in one run.

    ``status`` is ``"ok"`` (executed now), ``"unchanged"`` (skipped: same inputs as the last good
    run) or ``"failed"`` (the previous good HTML, if any, is left in place and is stale).
    """

    name: str
    notebook: str
    title: str
    parameters: dict[str, Any]
    status: str
    error: str | None = None
    started: str | None = None
    finished: str | None = None
    seconds: float | None = None
    html: str | None = None
    input_hash: str = ""
    data_version: str = ""
    generated: str | None = None
    run: str | None = None
    failed_html: str | None = None
    #: Characters of the page that the embedded font subset lacks (shown in the reader's font).
    missing_glyphs: str | None = None

    @property
    def stale(self) -> bool:
        """True when the HTML in place does not reflect the latest inputs (a failure)."""
        return self.status == "failed" and self.html is not None


@dataclass
class ReportSummary:
    """The outcome of :func:`report_all`; ``failed`` lists the names of failed reports."""

    reports: list[ReportResult] = field(default_factory=list)
    run: str = ""
    index: Path | None = None
    manifest: Path | None = None
    #: One entry per source page (see :func:`plancompare.report.source_run.write_source_pages`).
    sources: list[dict[str, Any]] = field(default_factory=list)

    @property
    def failed(self) -> list[str]:
        """Failed reports, then failed source pages as ``sources/<file>``."""
        return ([r.name for r in self.reports if r.status == "failed"]
                + [f"sources/{s['source_file']}" for s in self.sources
                   if s.get("status") == "failed"])

    def count(self, status: str) -> int:
        """Number of reports with ``status`` in this run."""
        return sum(r.status == status for r in self.reports)

    def line(self) -> str:
        """One line, e.g. ``"3 executed, 4 unchanged, 1 failed"``."""
        executed = self.count("ok") + self.count("failed")
        return f"{executed} executed, {self.count('unchanged')} unchanged, {self.count('failed')} failed"

    def __str__(self) -> str:
        lines = [self.line()]
        for r in self.reports:
            if r.status == "failed":
                first = (r.error or "").splitlines()[0] if r.error else ""
                lines.append(f"  FAILED {r.name}: {first}")
        for s in self.sources:
            if s.get("status") == "failed":
                lines.append(f"  FAILED source page {s['source_file']}: {s.get('error')}")
        if self.index is not None:
            lines.append(f"  index: {self.index}")
        return "\n".join(lines)
