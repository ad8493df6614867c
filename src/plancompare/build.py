"""raw -> curated: verify the manifest, parse, harmonise, validate, export (`plancompare build`)."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from . import __version__, export, harmonise, manifest, parse, paths, schema
from .ingest import read_document


@dataclass
class BuildResult:
    """What a build produced: the curated frame, the summary table and the files written."""

    frame: pd.DataFrame
    summary: pd.DataFrame
    files: dict[str, Path] = field(default_factory=dict)
    unmapped: int = 0


def build(root: Path | None = None, *, quiet: bool = False) -> BuildResult:
    """Build data/curated/ from data/raw/.

    Parameters
    ----------
    root : Path, optional
        Project root (default: :func:`paths.project_root`, which honours PLANCOMPARE_ROOT).
    quiet : bool
        Do not print the progress bar and the summary.

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
    frame = parse_all(reg, quiet=quiet)
    frame = schema.validate(harmonise.harmonise(frame))
    files = export.write_curated(frame, paths.curated_dir(root), sources=source_rows(reg),
                                 build_info=build_info(reg, len(frame)))
    result = BuildResult(frame=frame, summary=summarise(frame, [d.id for d in reg.districts]), files=files,
                         unmapped=count_unmapped(frame))
    if not quiet:
        print(format_summary(result, root))
    return result


def parse_all(reg: manifest.Manifest, *, quiet: bool = False) -> pd.DataFrame:
    """Parse every district of the manifest into one frame (manifest order)."""
    from tqdm import tqdm

    rows: list[dict] = []
    bar = tqdm(reg.districts, desc="parse", unit="district", file=sys.stderr,
               disable=quiet or not sys.stderr.isatty(), leave=False)
    for district in bar:
        rows.extend(parse.parse_district(district, reg.raw_dir))
    return parse.to_frame(rows)


def source_rows(reg: manifest.Manifest) -> list[dict]:
    """One dict per raw file for the xlsx "sources" sheet."""
    out = []
    for district, doc, f in reg.files():
        decoded = read_document(reg.raw_dir / f.path, display_path=f.path)
        out.append({"district_id": district.id, "district_zh": district.name_zh,
                    "doc_id": doc.id, "title": doc.title, "source_file": f.path,
                    "sha256": f.sha256, "encoding": decoded.encoding,
                    "lines": len(decoded.lines)})
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
    """Indicator rows without an indicator_id."""
    return int((frame["item_type"].eq("indicator") & frame["indicator_id"].isna()).sum())


def format_summary(result: BuildResult, root: Path) -> str:
    """The short text the build prints."""
    out = paths.curated_dir(root)
    names = ", ".join(p.name for p in result.files.values())
    lines = [f"built {len(result.frame)} rows -> {out}/ ({names})", "",
             result.summary.to_string(), ""]
    if result.unmapped:
        lines.append(f"unmapped indicator rows: {result.unmapped} "
                     "(see analysis.unmapped_names / the data-quality report)")
    return "\n".join(lines)
