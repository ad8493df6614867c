"""``report_all``: which reports to execute, execute them, then write the index and the manifest."""

from __future__ import annotations

import contextlib
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .. import __version__, paths
from ..errors import ReportError
from . import cache
from .execute import _execute
from .files import _now
from .font import prepare_font
from .index import _write_outputs, read_manifest, read_source_entries
from .registry import load_registry, select
from .render import stylesheet
from .results import ReportResult, ReportSpec, ReportSummary
from .source_run import write_source_pages


def _result(spec: ReportSpec, ihash: str, data_ver: str, **kw: Any) -> ReportResult:
    return ReportResult(name=spec.name, notebook=spec.notebook, title=spec.title,
                        parameters=spec.parameters, input_hash=ihash, data_version=data_ver, **kw)


def _unchanged(spec: ReportSpec, ihash: str, prev: dict[str, Any]) -> ReportResult:
    keep = {k: prev.get(k) for k in ("html", "generated", "run", "started", "finished", "seconds",
                                      "missing_glyphs")}
    return _result(spec, ihash, prev.get("data_version", ""), status="unchanged", **keep)


def _finish(spec: ReportSpec, ihash: str, data_ver: str, out: dict[str, Any],
            prev: dict[str, Any] | None, run_id: str, out_dir: Path) -> ReportResult:
    """Turn a worker's answer into a result; a failure keeps the previous good HTML's details."""
    times = {k: out.get(k) for k in ("started", "finished", "seconds")}
    if out["status"] == "ok":
        (out_dir / "failed" / f"{spec.name}.html").unlink(missing_ok=True)
        return _result(spec, ihash, data_ver, status="ok", html=f"{spec.name}.html",
                       generated=out["generated"], run=run_id,
                       missing_glyphs=out.get("missing_glyphs"), **times)
    has_good = (out_dir / f"{spec.name}.html").is_file()
    good = prev if prev and has_good else {}
    return _result(spec, ihash, good.get("data_version", data_ver), status="failed",
                   error=out["error"], html=f"{spec.name}.html" if has_good else None,
                   generated=good.get("generated"), run=good.get("run"),
                   failed_html=out.get("failed_html"), **times)


def report_all(*, root: Path | str | None = None, force: bool = False, jobs: int | None = None,
               only: str | list[str] | None = None,
               progress: bool | None = None) -> ReportSummary:
    """Execute the registered report notebooks and render reports/*.html, index and manifest.

    Parameters
    ----------
    root : Path or str, optional
        Project root; default :func:`plancompare.paths.project_root`.
    force : bool
        Re-execute every selected report even when its inputs did not change.
    jobs : int, optional
        Parallel kernels; default ``os.cpu_count()``.
    only : str or list of str, optional
        Report names or shell patterns (``"profile-*"``); default all registered reports.
    progress : bool, optional
        Show a tqdm bar on stderr; default only when stderr is a terminal.

    Returns
    -------
    ReportSummary
        One result per selected report; ``summary.failed`` names the failed ones.

    Raises
    ------
    ReportError
        The registry or the district manifest cannot be read.
    ParameterError
        ``only`` names no registered report.
    """
    root = Path(root or paths.project_root()).resolve()
    with _writable(paths.reports_dir(root)):
        return _report_all(root, force, jobs, only, progress)


@contextlib.contextmanager
def _writable(out_dir: Path):
    """An OSError while writing under reports/ (disk full, read-only) becomes a ReportError."""
    try:
        yield
    except OSError as exc:
        where = exc.filename or out_dir
        raise ReportError(f"cannot write the reports ({exc.strerror or exc}); every report "
                          "file in place is a complete earlier version", path=str(where),
                          fix="free disk space or make reports/ writable, then run "
                              "`plancompare report` again (failed reports are retried)") from None


def _report_all(root: Path, force: bool, jobs: int | None, only, progress) -> ReportSummary:
    run_id = _now()
    specs = load_registry(root)
    selected = select(specs, only)
    out_dir = paths.reports_dir(root)
    prev = read_manifest(root)
    data_ver, code, raw = cache.data_version(root), cache.code_hash(), cache.raw_hash(root)
    font, font_key = prepare_font(root, specs)
    hashes = {s.name: cache.input_hash(s, root, data_ver, code, font_key, raw) for s in selected}
    results: dict[str, ReportResult] = {}
    todo = []
    for s in selected:
        if not force and cache._is_unchanged(prev.get(s.name), hashes[s.name], out_dir):
            results[s.name] = _unchanged(s, hashes[s.name], prev[s.name])
        else:
            todo.append((s, hashes[s.name]))
    answers = _execute(todo, root, data_ver, out_dir, jobs, progress, font)
    for s, ihash in todo:
        results[s.name] = _finish(s, ihash, data_ver, answers[s.name], prev.get(s.name),
                                  run_id, out_dir)
    sources = write_source_pages(root, out_dir, read_source_entries(root), data_ver=data_ver,
                                 code=code, font=font, font_key=font_key, css=stylesheet(),
                                 force=force)
    summary = ReportSummary([results[s.name] for s in selected], run=run_id, sources=sources)
    entries = [asdict(results[s.name]) if s.name in results else prev.get(s.name)
               or asdict(_result(s, "", "", status="not run")) for s in specs]
    run = {"started": run_id, "finished": _now(), "summary": summary.line(),
           "data_version": data_ver, "code_hash": code[:12], "font": font.name,
           "plancompare": __version__}
    summary.index, summary.manifest = _write_outputs(out_dir, entries, run, set(results), font,
                                                    sources)
    return summary
