"""raw -> curated: verify the manifest, parse, harmonise, validate, export (`plancompare build`)."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__, export, manifest, parse, paths, render, schema
from .files import read_regular, sha256_file
from .lock import worker_init
from .parse.ingest import decode, split_lines

if TYPE_CHECKING:  # pandas (0.6 s) is imported only when a build has work to do
    import pandas as pd

#: Package files whose change makes the curated files stale (parsers, harmonisation, reference).
CODE_PATTERNS = ("**/*.py", "parse/words/*.toml", "reference/**/*")
#: Raw text from which documents are parsed in worker processes, and at most how many.
PARALLEL_BYTES = 8_000_000
MAX_PARSE_JOBS = 4


@dataclass
class BuildResult:
    """What a build produced: the curated frame, the summary table and the files written."""

    frame: pd.DataFrame
    summary: pd.DataFrame
    files: dict[str, Path] = field(default_factory=dict)
    unmapped: int = 0


def build(root: Path | None = None, *, quiet: bool = False, strict: bool = False) -> BuildResult:
    """Build data/curated/ from data/raw/.

    Parameters
    ----------
    root : Path, optional
        Project root (default: :func:`paths.project_root`, which honours PLANCOMPARE_ROOT).
    quiet : bool
        Do not print the progress bar and the summary.
    strict : bool
        Structure warnings (a document without tasks or targets, an unread table header) are
        errors (StructureError) instead of lines on stderr.

    Returns
    -------
    BuildResult

    Raises
    ------
    PlanCompareError
        ManifestError, InputError, SchemaError, MappingError; the previous curated files are
        left untouched.
    """
    root = Path(root) if root is not None else paths.project_root()
    reg = manifest.load(root)
    return _build(root, reg, quiet=quiet, strict=strict)


def build_if_changed(root: Path | None = None, *, quiet: bool = False,
                     force: bool = False, strict: bool = False) -> BuildResult | None:
    """Build unless data/curated/ is up to date with data/raw/ (``plancompare build``).

    The manifest is loaded and verified first (hashes of every raw file, unregistered files),
    exactly as for a full build; then :func:`up_to_date` decides. An up-to-date build prints
    one "unchanged" line and imports neither pandas nor pandera.

    Parameters
    ----------
    root : Path, optional
        Project root (default: :func:`paths.project_root`).
    quiet : bool
        Print nothing.
    force : bool
        Build even when the curated files are up to date.
    strict : bool
        As :func:`build`; implies ``force`` (the warnings come from parsing).

    Returns
    -------
    BuildResult or None
        None when nothing was rebuilt.

    Raises
    ------
    PlanCompareError
        As :func:`build`.
    """
    root = Path(root) if root is not None else paths.project_root()
    reg = manifest.load(root)
    info = None if force or strict else up_to_date(root, reg)
    if info is None:
        return _build(root, reg, quiet=quiet, strict=strict)
    if not quiet:
        print(f"unchanged: {paths.curated_dir(root)}/ is up to date ({info['rows']} rows, "
              f"data version {str(info['data_version'])[:12]}; raw files, manifest and code "
              "unchanged); `plancompare build --force` rebuilds")
    return None


def up_to_date(root: Path, reg: manifest.Manifest) -> dict | None:
    """build_info.json of the curated files when they were built from exactly these inputs.

    Up to date means: build_info.json records this manifest (sha256), these raw files (path ->
    sha256, already verified against the files by ``manifest.load``) and this package version;
    plan_items.{parquet,csv,xlsx} exist with the sha256 recorded for each (``curated_files``; a
    truncated or edited file means a rebuild); and no
    package source or reference file (:data:`CODE_PATTERNS`) is newer than build_info.json.
    Upgrading a dependency (pandas, pyarrow ...) is not detected: use ``--force``.

    Parameters
    ----------
    root : Path
        Project root.
    reg : manifest.Manifest
        The loaded, verified manifest.

    Returns
    -------
    dict or None
        The parsed build_info.json, or None when a build is needed.
    """
    out = paths.curated_dir(root)
    info_path = out / "build_info.json"
    try:
        info = json.loads(info_path.read_text(encoding="utf-8"))
        if not isinstance(info, dict) or not isinstance(info.get("curated_files"), dict):
            return None
        built = info_path.stat().st_mtime_ns
        if not (isinstance(info, dict) and info.get("manifest_sha256") == reg.sha256
                and info.get("package_version") == __version__
                and info.get("raw_files") == {f.path: f.sha256 for _d, _doc, f in reg.files()}
                and info.get("data_version") == info.get("curated_files", {}).get(
                    "plan_items.csv")
                and _curated_intact(out, info["curated_files"])):
            return None
    except (OSError, ValueError):
        return None
    return None if _code_mtime_ns() >= built else info


def _curated_intact(out: Path, recorded: dict) -> bool:
    """True when every curated file (plan_items.*, terms.csv ...) exists with the sha256
    recorded at build time."""
    return ({f"plan_items.{n}" for n in export.NAMES} <= set(recorded)
            and all((out / name).is_file() and sha256_file(out / name) == sha
                    for name, sha in recorded.items()))


def _code_mtime_ns() -> int:
    """Newest modification time of the package's sources and reference data."""
    pkg = Path(__file__).resolve().parent
    return max(p.stat().st_mtime_ns for pattern in CODE_PATTERNS for p in pkg.glob(pattern)
               if p.is_file())


def _build(root: Path, reg: manifest.Manifest, *, quiet: bool,
           strict: bool = False) -> BuildResult:
    """The full build over a loaded manifest: parse, harmonise, validate, export."""
    from . import harmonise  # imports pandas

    frame = parse_all(reg, quiet=quiet, strict=strict)
    frame = schema.validate(harmonise.harmonise(frame))
    from .textanalysis.report import curated_tables  # terms.csv, similarity.csv

    files = export.write_curated(frame, paths.curated_dir(root), sources=source_rows(reg),
                                 build_info=build_info(reg, len(frame)),
                                 extra=curated_tables(frame, root))
    summary = summarise(frame, [d.id for d in reg.districts]).rename(
        index={d.id: f"{d.id} (reference: {d.level})" for d in reg.districts if d.is_reference})
    result = BuildResult(frame=frame, summary=summary, files=files,
                         unmapped=count_unmapped(frame))
    if not quiet:
        print(format_summary(result, root))
    return result


def parse_all(reg: manifest.Manifest, *, quiet: bool = False,
              jobs: int | None = None, strict: bool = False) -> pd.DataFrame:
    """Parse every district of the manifest into one frame (manifest order).

    Parameters
    ----------
    reg : manifest.Manifest
        The loaded manifest.
    quiet : bool
        No progress bar.
    jobs : int, optional
        Worker processes; default :func:`parse_jobs`. The rows are the same for any value
        (districts are parsed independently and collected in manifest order).
    strict : bool
        Raise StructureError when a document's structure report has warnings (always printed
        to stderr).

    Returns
    -------
    DataFrame
        ``parse.to_frame`` of all rows.
    """
    from tqdm import tqdm

    jobs = parse_jobs(reg) if jobs is None else jobs
    rows: list[dict] = []
    reports = []
    bar = tqdm(total=len(reg.districts), desc="parse", unit="district", file=sys.stderr,
               disable=quiet or not sys.stderr.isatty(), leave=False)
    with bar:
        for part in _parse_districts(reg, jobs):
            rows.extend(part)
            reports.extend(getattr(part, "reports", []))
            bar.update()
    parse.check_structure(reports, strict=strict)
    return parse.to_frame(rows)


def parse_jobs(reg: manifest.Manifest) -> int:
    """Processes worth parsing with: one per core (at most MAX_PARSE_JOBS) from PARALLEL_BYTES
    of raw text on; below that, starting workers costs more than it saves."""
    size = sum((reg.raw_dir / f.path).stat().st_size for _d, _doc, f in reg.files())
    return min(MAX_PARSE_JOBS, os.cpu_count() or 1) if size >= PARALLEL_BYTES else 1


def _parse_districts(reg: manifest.Manifest, jobs: int):
    """Rows of each district, in manifest order, parsed in ``jobs`` processes."""
    if jobs <= 1 or len(reg.districts) < 2:
        yield from (parse.parse_district(d, reg.raw_dir) for d in reg.districts)
        return
    from concurrent.futures import ProcessPoolExecutor
    from itertools import repeat

    chunk = max(1, min(16, len(reg.districts) // (4 * jobs)))
    with ProcessPoolExecutor(jobs, initializer=worker_init, initargs=(os.getpid(),)) as pool:
        yield from pool.map(parse.parse_district, reg.districts, repeat(reg.raw_dir),
                            chunksize=chunk)


def source_rows(reg: manifest.Manifest) -> list[dict]:
    """One dict per raw file for the xlsx "sources" sheet."""
    out = []
    for district, doc, f in reg.files():
        # decoding and splitting is enough (read_document also normalises every line, which
        # doubled the ingest cost); parse_all has read every file already, so none fails here
        if render.is_rendered(f.path):  # cached by parse_all: read back, not rendered again
            rendition = render.render_file(reg.raw_dir / f.path, f.path)
            text, encoding = rendition.text, rendition.encoding
        else:
            text, encoding = decode(read_regular(reg.raw_dir / f.path, f.path), f.path)
        out.append({"district_id": district.id, "district_zh": district.name_zh,
                    "doc_id": doc.id, "title": doc.title, "source_file": f.path,
                    "sha256": f.sha256, "encoding": encoding, "lines": len(split_lines(text))})
    return out


def build_info(reg: manifest.Manifest, n_rows: int) -> dict:
    """Metadata written next to the data; export adds data_version (sha256 of the csv)."""
    return {
        "package_version": __version__,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "rows": n_rows,
        "manifest_sha256": reg.sha256,
        "raw_files": {f.path: f.sha256 for _d, _doc, f in reg.files()},
    }


def summarise(frame: pd.DataFrame, districts: list[str] | None = None) -> pd.DataFrame:
    """Rows per district and item type, with totals.

    ``districts`` fixes the row order and shows districts without any row as zeros.
    """
    import pandas as pd

    from .model import ITEM_TYPES

    order = districts if districts is not None else list(dict.fromkeys(frame["district_id"]))
    counts = frame.groupby(["district_id", "item_type"]).size()
    table = (counts.unstack(fill_value=0) if len(counts) else pd.DataFrame())
    table = table.reindex(index=order, columns=list(ITEM_TYPES), fill_value=0).astype(int)
    table["total"] = table.sum(axis=1)
    table.loc["total"] = table.sum(axis=0)
    table.index.name = "district"
    table.columns.name = None
    return table


def count_unmapped(frame: pd.DataFrame) -> int:
    """Indicator rows without an indicator_id (only text targets: harmonise refuses unmapped
    table indicators)."""
    return int((frame["item_type"].eq("indicator") & frame["indicator_id"].isna()).sum())


def format_summary(result: BuildResult, root: Path) -> str:
    """The short text the build prints."""
    out = paths.curated_dir(root)
    names = ", ".join(p.name for p in result.files.values())
    lines = [f"built {len(result.frame)} rows -> {out}/ ({names})", "",
             result.summary.to_string(), ""]
    if result.unmapped:
        lines.append(f"text targets and achieved values without a canonical indicator: "
                     f"{result.unmapped} (they keep a theme; every table indicator is mapped; "
                     "list with best candidates: the data-quality report)")
    return "\n".join(lines)
