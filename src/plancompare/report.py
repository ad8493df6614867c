"""Execute the report notebooks with papermill in parallel and render offline HTML, incrementally."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import html
import json
import os
import re
import sys
import tempfile
import tomllib
from dataclasses import asdict, dataclass, field
from datetime import datetime
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

from . import __version__, paths
from .errors import ParameterError, PlanCompareError, ReportError

REGISTRY = "reports.toml"
TEMPLATE_NAME = "plancompare_html"
MANIFEST_SCHEMA = 1
KERNEL_NAME = "python3"
CELL_TIMEOUT = 900
#: Keeps kernel log noise (the "running over TCP without encryption" warning, the
#: "KeyboardInterrupt caught" that jupyter_client's interrupt-before-shutdown can trigger) out of
#: cron mail; cell errors still arrive through papermill.
KERNEL_ARGS = ["--IPKernelApp.log_level=CRITICAL"]
#: Cells with these tags never reach the HTML (papermill's own cells, the defaults cell).
REMOVE_CELL_TAGS = ("parameters", "injected-parameters", "papermill-error-cell-tag", "remove-cell")
_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_REGISTRY_KEYS = {"name", "notebook", "title", "parameters", "per_district", "all_districts"}


# --------------------------------------------------------------------------------------------
# Data classes
# --------------------------------------------------------------------------------------------


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

    @property
    def failed(self) -> list[str]:
        return [r.name for r in self.reports if r.status == "failed"]

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
        if self.index is not None:
            lines.append(f"  index: {self.index}")
        return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Registry
# --------------------------------------------------------------------------------------------


def district_ids(root: Path) -> list[tuple[str, dict[str, Any]]]:
    """``[(id, district table)]`` from data/raw/manifest.toml, in manifest order."""
    path = paths.manifest_path(root)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ReportError(f"cannot read the district manifest: {exc}", path=str(path),
                          fix="run `plancompare build` first to check the manifest") from None
    return [(str(d["id"]), d) for d in data.get("district", [])]


def load_registry(root: Path | None = None) -> list[ReportSpec]:
    """Read notebooks/reports.toml and expand ``per_district`` / ``all_districts`` entries.

    Parameters
    ----------
    root : Path, optional
        Project root; default :func:`plancompare.paths.project_root`.

    Returns
    -------
    list of ReportSpec
        One spec per report, ``per_district`` entries expanded to one per manifest district.
    """
    root = Path(root or paths.project_root())
    path = paths.notebooks_dir(root) / REGISTRY
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ReportError(f"cannot read the report registry: {exc}", path=str(path),
                          fix="see the comments at the top of notebooks/reports.toml") from None
    specs: list[ReportSpec] = []
    districts = None
    for i, entry in enumerate(data.get("report", []), start=1):
        _check_entry(entry, i, path, root)
        if entry.get("per_district") or entry.get("all_districts"):
            districts = districts if districts is not None else district_ids(root)
        specs.extend(_expand(entry, districts))
    _check_unique(specs, path)
    return specs


def _check_entry(entry: dict[str, Any], i: int, path: Path, root: Path) -> None:
    unknown = sorted(set(entry) - _REGISTRY_KEYS)
    missing = sorted({"name", "notebook", "title"} - set(entry))
    where = f"report #{i} ({entry.get('name', '?')})"
    if unknown or missing:
        raise ReportError(f"{where}: unknown keys {unknown}, missing keys {missing}", path=str(path),
                          fix=f"allowed keys: {', '.join(sorted(_REGISTRY_KEYS))}")
    if not _NAME_RE.match(str(entry["name"])):
        raise ReportError(f"{where}: name must be a slug ([a-z0-9_-])", path=str(path))
    if not (paths.notebooks_dir(root) / entry["notebook"]).is_file():
        raise ReportError(f"{where}: notebook {entry['notebook']!r} not found", path=str(path),
                          fix="notebook paths are relative to notebooks/")


def _expand(entry: dict[str, Any], districts: list[tuple[str, dict]] | None) -> list[ReportSpec]:
    params = dict(entry.get("parameters", {}))
    if entry.get("all_districts"):
        params["districts"] = [d for d, _ in districts or []]
    if not entry.get("per_district"):
        return [ReportSpec(entry["name"], entry["notebook"], entry["title"], params)]
    out = []
    for did, d in districts or []:
        names = {"id": did, "name_zh": d.get("name_zh", did), "name_en": d.get("name_en", did)}
        out.append(ReportSpec(f"{entry['name']}-{did}", entry["notebook"],
                              entry["title"].format(**names), {**params, "district": did}))
    return out


def _check_unique(specs: list[ReportSpec], path: Path) -> None:
    seen: set[str] = set()
    for s in specs:
        if s.name in seen:
            raise ReportError(f"duplicate report name {s.name!r}", path=str(path))
        seen.add(s.name)


def select(specs: list[ReportSpec], only: str | list[str] | None) -> list[ReportSpec]:
    """Keep the specs whose name matches one of ``only`` (names or shell patterns like ``profile-*``)."""
    if not only:
        return specs
    patterns = [only] if isinstance(only, str) else list(only)
    for pat in patterns:
        if not any(fnmatch(s.name, pat) for s in specs):
            known = ", ".join(s.name for s in specs)
            raise ParameterError(f"Unknown report `{pat}` in `only`; known reports: {known}")
    return [s for s in specs if any(fnmatch(s.name, p) for p in patterns)]


# --------------------------------------------------------------------------------------------
# Hashes: data version and input hash
# --------------------------------------------------------------------------------------------


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def data_version(root: Path | None = None) -> str:
    """The curated data's version: ``data_version`` from build_info.json, else a parquet hash.

    A long hex digest in build_info.json is shortened to 12 characters. Returns the first 12 hex characters of the sha256 of plan_items.parquet when build_info.json
    is absent or has no ``data_version``; ``"missing"`` when there is no curated data at all.
    """
    info = paths.curated_dir(root) / "build_info.json"
    if info.is_file():
        try:
            version = json.loads(info.read_text(encoding="utf-8")).get("data_version")
        except (OSError, ValueError, AttributeError):
            version = None
        if version:
            version = str(version)
            return version[:12] if re.fullmatch(r"[0-9a-f]{13,}", version) else version
    parquet = paths.curated_file("parquet", root)
    return _file_sha256(parquet)[:12] if parquet.is_file() else "missing"


def _tree_files(base: Path, patterns: tuple[str, ...]) -> list[Path]:
    files = {p for pat in patterns for p in base.glob(pat) if p.is_file()}
    return sorted(p for p in files if "__pycache__" not in p.parts)


def code_hash() -> str:
    """sha256 of the package's Python sources, its reference data and the HTML template."""
    pkg = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for p in _tree_files(pkg, ("**/*.py", "reference/**/*", "templates/**/*")):
        h.update(p.relative_to(pkg).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def input_hash(spec: ReportSpec, root: Path, data_ver: str, code: str, font: str = "") -> str:
    """sha256 of everything a report depends on (notebook, parameters, title, data, code, font)."""
    h = hashlib.sha256()
    h.update((paths.notebooks_dir(root) / spec.notebook).read_bytes())
    meta = {"parameters": spec.parameters, "title": spec.title, "data": data_ver, "code": code}
    if font:
        meta["font"] = font
    h.update(json.dumps(meta, sort_keys=True, ensure_ascii=False).encode())
    return h.hexdigest()


# --------------------------------------------------------------------------------------------
# Embedded font: one subset per character set, computed once in the main process
# --------------------------------------------------------------------------------------------


def _manifest_files(root: Path) -> list[Path]:
    files = []
    for _, district in district_ids(root):
        for doc in district.get("document", []):
            files += [paths.raw_dir(root) / str(f.get("path", "")) for f in doc.get("file", [])]
    return [f for f in files if f.is_file()]


def report_chars(root: Path, specs: list[ReportSpec]) -> set[str]:
    """Every character a report or the index can show, without loading the curated data.

    The raw documents (as decoded and NFKC-normalised by :mod:`plancompare.parse.ingest`; the curated
    text columns are substrings of them), the district manifest, the package's reference tables
    (crosswalk and codebook labels) and sources (table headers, messages), the notebooks (their
    markdown) and the report titles and parameters. Any other character (e.g. from an error
    message) falls back to the reader's font.
    """
    from .parse.ingest import decode
    from .parse.text import normalise

    texts = [paths.manifest_path(root).read_text(encoding="utf-8")]
    for f in _manifest_files(root):
        with contextlib.suppress(OSError, PlanCompareError):  # `plancompare build` reports it
            texts.append(decode(f.read_bytes(), str(f))[0])
    pkg = Path(__file__).resolve().parent
    texts += [p.read_text(encoding="utf-8") for p in _tree_files(pkg, ("**/*.py", "reference/*"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted(paths.notebooks_dir(root).glob("*.ipynb"))]
    texts += [s.title + json.dumps(s.parameters, ensure_ascii=False) for s in specs]
    text = "".join(texts)
    return set(text) | set(normalise(text))


def prepare_font(root: Path, specs: list[ReportSpec]) -> tuple[Path, str]:
    """Create (or find) the cached font subset for this project; return its path and key.

    Raises
    ------
    ReportError
        The font package is missing or the subset cannot be written.
    """
    from . import fonts

    chars = report_chars(root, specs)
    try:
        path = fonts.webfont(chars, paths.reports_dir(root) / ".cache")
    except (OSError, ImportError) as exc:
        raise ReportError(f"cannot prepare the embedded CJK font: {exc}",
                          fix="pip install pylopdf-fonts-zh-cn fonttools") from None
    return path, path.stem.removeprefix("font-")


def font_css(font: str | Path | None) -> tuple[str, set[str]]:
    """The ``@font-face`` rule for the cached subset at ``font`` and the characters it covers.

    Returns ``("", set())`` when ``font`` is None (no embedded font).
    """
    from . import fonts

    if not font:
        return "", set()
    woff = Path(font).read_bytes()
    return fonts.font_face_css(woff), fonts.covered_chars(woff)


def missing_glyphs(page: str, covered: set[str]) -> str:
    """Distinct characters of ``page`` (outside ASCII) that the embedded subset lacks, sorted."""
    return "".join(sorted(c for c in set(page)
                          if ord(c) > 0x7E and c not in covered and not c.isspace()))


# --------------------------------------------------------------------------------------------
# HTML: header block, external-reference check, atomic writes
# --------------------------------------------------------------------------------------------


def _param_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def header_html(title: str, parameters: dict[str, Any], data_ver: str, generated: str,
                error: str | None = None) -> str:
    """The report's header block; every value is HTML-escaped.

    ``error`` (for the output of a failed run) adds a status row that says the report failed.
    """
    esc = html.escape
    rows = [("Status", f"FAILED: {error}")] if error else []
    rows += [("Parameters", ", ".join(f"{k} = {_param_text(v)}" for k, v in parameters.items())
             or "(defaults)"),
            ("Data version", data_ver), ("Generated", generated),
            ("plancompare", __version__)]
    items = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in rows)
    return (f'<header class="pc-header" id="report-header"><h1>{esc(title)}</h1>'
            f"<dl>{items}</dl></header>")


_STYLE_SCRIPT = re.compile(r"(<(style|script)\b[^>]*>)(.*?)(</\2\s*>)", re.DOTALL | re.IGNORECASE)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_EXTERNAL = re.compile(
    r"""(?:\b(?:src|href|srcset|poster|action|background)\s*=\s*["']?\s*"""
    r"""|url\(\s*["']?\s*|@import\s+["']?\s*)"""
    r"""((?:https?:)?//[^\s"'()<>]+)""",
    re.IGNORECASE,
)


def external_references(page: str) -> list[str]:
    """Every http(s) or protocol-relative reference in src/href/url()/@import of an HTML page.

    ``/* ... */`` comments inside ``<style>`` and ``<script>`` elements are ignored (they make no
    request). An empty list means the page opens offline without fetching anything.
    """
    def strip(m: re.Match) -> str:
        return m.group(1) + _CSS_COMMENT.sub("", m.group(3)) + m.group(4)

    return _EXTERNAL.findall(_STYLE_SCRIPT.sub(strip, page))


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file and ``os.replace``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; reports are meant to be shared
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@functools.cache
def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


# --------------------------------------------------------------------------------------------
# Worker: execute one notebook and convert it (runs in a ProcessPoolExecutor)
# --------------------------------------------------------------------------------------------


def _init_worker(root: str) -> None:
    """Give the kernels the project root and keep their stderr quiet (unattended runs)."""
    os.environ["PLANCOMPARE_ROOT"] = root
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    import logging

    logging.getLogger("traitlets").setLevel(logging.ERROR)


def to_html(nb: Any, header: str, title: str, font_face: str = "") -> str:
    """Convert an executed notebook to offline HTML (code hidden, parameter cells dropped).

    ``font_face`` is an ``@font-face`` rule (see :func:`font_css`) put in the page's style.
    """
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor
    from traitlets.config import Config

    cfg = Config()
    cfg.TagRemovePreprocessor.remove_cell_tags = set(REMOVE_CELL_TAGS)
    cfg.TagRemovePreprocessor.remove_all_outputs_tags = {"remove-output"}
    cfg.TagRemovePreprocessor.enabled = True
    exporter = HTMLExporter(config=cfg, template_name=TEMPLATE_NAME,
                            extra_template_basedirs=[str(paths.template_dir())],
                            exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True, embed_images=True)
    exporter.register_preprocessor(TagRemovePreprocessor(config=cfg), enabled=True)
    nb.metadata["title"] = title
    body, _ = exporter.from_notebook_node(nb, resources={"plancompare_header": header,
                                                         "plancompare_font_face": font_face})
    return body


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
    with tempfile.TemporaryDirectory(prefix="plancompare-report-") as tmp:
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


# --------------------------------------------------------------------------------------------
# Manifest and index
# --------------------------------------------------------------------------------------------


def read_manifest(root: Path | None = None) -> dict[str, dict[str, Any]]:
    """The previous run's entries from reports/manifest.json, keyed by report name."""
    path = paths.reports_dir(root) / "manifest.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {e["name"]: e for e in data.get("reports", [])}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _is_unchanged(prev: dict[str, Any] | None, ihash: str, out_dir: Path) -> bool:
    return bool(prev and prev.get("input_hash") == ihash
                and prev.get("status") in ("ok", "unchanged")
                and prev.get("html") and (out_dir / prev["html"]).is_file())


def _status_label(entry: dict[str, Any], ran: bool) -> str:
    status = entry.get("status", "not run")
    if status == "unchanged":
        return "ok (skipped, unchanged)"
    if status == "failed":
        return "FAILED (showing stale previous report)" if entry.get("html") else "FAILED"
    return status if ran else f"{status} (not run this time)"


INDEX_CSS = """
body { font-family: "plancompare Noto Sans SC", system-ui, -apple-system, "Segoe UI",
  "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC",
  "WenQuanYi Micro Hei", sans-serif; margin: 2em; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #ccc; padding: 0.35em 0.6em; text-align: left; vertical-align: top; }
th { background: #eef2f7; }
tr.failed td { background: #fdecea; }
.error { white-space: pre-wrap; font-family: ui-monospace, monospace, "plancompare Noto Sans SC";
  color: #a00; }
.params { font-family: ui-monospace, monospace, "plancompare Noto Sans SC"; white-space: pre-wrap; }
"""


def _generated_cell(entry: dict[str, Any]) -> str:
    """When the HTML in place was generated, and by which run (runs are named by start time)."""
    if not entry.get("generated"):
        return ""
    run = f'<br><small>run {html.escape(entry["run"])}</small>' if entry.get("run") else ""
    return html.escape(entry["generated"]) + run


def index_html(entries: list[dict[str, Any]], run: dict[str, Any], ran: set[str],
               font_face: str = "") -> str:
    """reports/index.html: a table of every report with its status; every value escaped.

    ``font_face`` is the ``@font-face`` rule of the embedded subset (see :func:`font_css`).
    """
    esc = html.escape
    rows = []
    for e in entries:
        link = (f'<a href="{esc(e["html"], quote=True)}">{esc(e["title"])}</a>' if e.get("html")
                else esc(e["title"]))
        if e.get("failed_html"):
            link += f' (<a href="{esc(e["failed_html"], quote=True)}">output of the failed run</a>)'
        params = "\n".join(f"{k} = {_param_text(v)}" for k, v in e.get("parameters", {}).items())
        cells = [link, esc(e["name"]), esc(_status_label(e, e["name"] in ran)),
                 f'<span class="params">{esc(params)}</span>', esc(e.get("data_version") or ""),
                 _generated_cell(e), esc("" if e.get("seconds") is None
                                                     else f"{e['seconds']:.1f}"),
                 f'<span class="error">{esc(e.get("error") or "")}</span>']
        cls = ' class="failed"' if e.get("status") == "failed" else ""
        rows.append(f"<tr{cls}>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    head = "".join(f"<th>{h}</th>" for h in ("Report", "Name", "Status", "Parameters",
                                             "Data version", "Generated", "Seconds", "Error"))
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1.0\">\n"
            f"<title>plancompare reports</title>\n<style>{font_face}\n{INDEX_CSS}</style>\n</head>\n<body>\n"
            "<h1>plancompare reports</h1>\n"
            f"<p>Run {esc(run['started'])} to {esc(run['finished'])}: {esc(run['summary'])}. "
            f"Data version {esc(run['data_version'])}; plancompare {esc(__version__)}.</p>\n"
            f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(rows)
            + "\n</tbody>\n</table>\n</body>\n</html>\n")


def _write_outputs(out_dir: Path, entries: list[dict[str, Any]], run: dict[str, Any],
                   ran: set[str], font: Path | None) -> tuple[Path, Path]:
    manifest = out_dir / "manifest.json"
    index = out_dir / "index.html"
    doc = {"schema_version": MANIFEST_SCHEMA, "run": run, "reports": entries}
    write_atomic(manifest, json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    write_atomic(index, index_html(entries, run, ran, font_css(font)[0]))
    return index, manifest


# --------------------------------------------------------------------------------------------
# Orchestration
# --------------------------------------------------------------------------------------------


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
                             initargs=(str(root),)) as pool:
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
    run_id = _now()
    specs = load_registry(root)
    selected = select(specs, only)
    out_dir = paths.reports_dir(root)
    prev = read_manifest(root)
    data_ver, code = data_version(root), code_hash()
    font, font_key = prepare_font(root, specs)
    hashes = {s.name: input_hash(s, root, data_ver, code, font_key) for s in selected}
    results: dict[str, ReportResult] = {}
    todo = []
    for s in selected:
        if not force and _is_unchanged(prev.get(s.name), hashes[s.name], out_dir):
            results[s.name] = _unchanged(s, hashes[s.name], prev[s.name])
        else:
            todo.append((s, hashes[s.name]))
    answers = _execute(todo, root, data_ver, out_dir, jobs, progress, font)
    for s, ihash in todo:
        results[s.name] = _finish(s, ihash, data_ver, answers[s.name], prev.get(s.name),
                                  run_id, out_dir)
    summary = ReportSummary([results[s.name] for s in selected], run=run_id)
    entries = [asdict(results[s.name]) if s.name in results else prev.get(s.name)
               or asdict(_result(s, "", "", status="not run")) for s in specs]
    run = {"started": run_id, "finished": _now(), "summary": summary.line(),
           "data_version": data_ver, "code_hash": code[:12], "font": font.name,
           "plancompare": __version__}
    summary.index, summary.manifest = _write_outputs(out_dir, entries, run, set(results), font)
    return summary


__all__ = [
    "ReportResult",
    "ReportSpec",
    "ReportSummary",
    "code_hash",
    "data_version",
    "external_references",
    "header_html",
    "input_hash",
    "load_registry",
    "report_all",
]
