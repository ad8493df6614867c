"""Execute report notebooks with papermill in a process pool; each worker also writes its HTML."""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ..errors import ReportError
from ..lock import WORK_DIR_PREFIX
from .files import _now, write_atomic
from .font import font_css, missing_glyphs
from .render import header_html, to_html
from .results import ReportSpec

KERNEL_NAME = "python3"

CELL_TIMEOUT = 900

#: Keeps kernel log noise (the "running over TCP without encryption" warning, the
#: "KeyboardInterrupt caught" that jupyter_client's interrupt-before-shutdown can trigger) out of
#: cron mail; cell errors still arrive through papermill.
KERNEL_ARGS = ["--IPKernelApp.log_level=CRITICAL"]

def _init_worker(root: str, parent: int | None = None) -> None:
    """Give the kernels the project root and keep their stderr quiet (unattended runs); the
    worker (and its kernel) ends when the main process dies (:func:`plancompare.lock.worker_init`)."""
    from ..lock import worker_init

    worker_init(parent)
    os.environ["PLANCOMPARE_ROOT"] = root
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    import logging

    logging.getLogger("traitlets").setLevel(logging.ERROR)


def _error_text(exc: BaseException) -> str:
    ename, evalue = getattr(exc, "ename", None), getattr(exc, "evalue", None)
    if ename is not None:
        cell = getattr(exc, "exec_count", None)
        where = f" (in cell [{cell}])" if cell is not None else ""
        return f"{ename}: {evalue}{where}" if evalue else f"{ename}{where}"
    first = (str(exc).strip().splitlines() or [""])[0]
    return f"{type(exc).__name__}: {first}"


def run_one(spec: dict[str, Any], root: str, data_ver: str, out_dir: str,
            font: str | None = None) -> dict[str, Any]:
    """Execute one report notebook and write its HTML; never raises (errors go in the result).

    On success ``<out_dir>/<name>.html`` is replaced atomically. On failure the good HTML is
    left alone and the executed part (without papermill's banner) goes to ``failed/<name>.html``.
    ``font`` is the cached WOFF subset to embed; ``missing_glyphs`` in the answer lists the
    page's characters it lacks (they fall back to the reader's fonts).
    """
    import nbformat
    import papermill

    started, t0 = _now(), _perf()
    out = {"started": started, "status": "ok", "error": None, "failed_html": None,
           "missing_glyphs": None}
    # the pid in the name lets the next job remove it if this worker is killed (lock.py)
    with tempfile.TemporaryDirectory(prefix=f"{WORK_DIR_PREFIX}{os.getpid()}-") as tmp:
        executed = Path(tmp) / "executed.ipynb"
        try:
            papermill.execute_notebook(
                str(Path(root) / "notebooks" / spec["notebook"]), str(executed),
                parameters=spec["parameters"], kernel_name=KERNEL_NAME, cwd=root,
                log_output=False, progress_bar=False, request_save_on_cell_execute=False,
                execution_timeout=CELL_TIMEOUT, extra_arguments=KERNEL_ARGS)
        except Exception as exc:  # noqa: BLE001 - every failure is reported, none stops the run
            out.update(status="failed", error=_error_text(exc))
        generated = _now()
        header = header_html(spec["title"], spec["parameters"], data_ver, generated, out["error"])
        target = Path(out_dir) / (f"{spec['name']}.html" if out["status"] == "ok"
                                  else f"failed/{spec['name']}.html")
        try:
            if executed.is_file():
                nb = nbformat.read(executed, as_version=4)
                face, covered = font_css(font)
                page = to_html(nb, header, spec["title"], face)
                if out["status"] == "failed":  # failed/<name>.html is one directory down
                    page = page.replace('href="sources/', 'href="../sources/')
                write_atomic(target, page)
                out["missing_glyphs"] = missing_glyphs(page, covered) if font else None
                if out["status"] == "failed":
                    out["failed_html"] = target.relative_to(out_dir).as_posix()
            elif out["status"] == "ok":
                raise ReportError("papermill wrote no output notebook")
        except Exception as exc:  # noqa: BLE001
            if out["status"] == "ok":
                out.update(status="failed", error=f"rendering HTML: {_error_text(exc)}")
    out.update(finished=_now(), generated=generated, seconds=round(_perf() - t0, 2))
    return out


def _perf() -> float:
    import time

    return time.perf_counter()


def _progress_bar(total: int, progress: bool | None):
    if progress is None:
        progress = sys.stderr.isatty()
    if not progress or total == 0:
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc="reports", unit="report", file=sys.stderr)


def _execute(todo: list[tuple[ReportSpec, str]], root: Path, data_ver: str, out_dir: Path,
             jobs: int | None, progress: bool | None,
             font: Path | None = None) -> dict[str, dict[str, Any]]:
    """Run the notebooks in a process pool; returns the worker answers keyed by report name."""
    from concurrent.futures import ProcessPoolExecutor, as_completed

    answers: dict[str, dict[str, Any]] = {}
    if not todo:
        return answers
    workers = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
    bar = _progress_bar(len(todo), progress)
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker,
                             initargs=(str(root), os.getpid())) as pool:
        futures = {pool.submit(run_one, asdict(spec), str(root), data_ver, str(out_dir),
                               str(font) if font else None): spec
                   for spec, _ in todo}
        for fut in as_completed(futures):
            spec = futures[fut]
            try:
                answers[spec.name] = fut.result()
            except Exception as exc:  # noqa: BLE001 - a dead worker fails only its report
                answers[spec.name] = {"status": "failed", "error": _error_text(exc),
                                      "started": None, "finished": _now(), "seconds": None}
            if bar is not None:
                bar.set_postfix_str(spec.name)
                bar.update()
    if bar is not None:
        bar.close()
    return answers
