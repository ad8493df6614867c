"""Write the curated frame as parquet, csv and xlsx, atomically and formula-safe."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .model import ITEM_TYPES
from .schema import DICTIONARY

if TYPE_CHECKING:
    import pandas as pd

LIST_SEP = "；"
FORMULA_START = ("=", "+", "-", "@")
SOURCES_COLUMNS = ("district_id", "district_zh", "doc_id", "title", "source_file", "sha256",
                   "encoding", "lines")
NAMES = ("parquet", "csv", "xlsx")


def write_curated(frame: pd.DataFrame, out_dir: Path, *, sources: list[dict],
                  build_info: dict | None = None) -> dict[str, Path]:
    """Write plan_items.{parquet,csv,xlsx} (and build_info.json) into ``out_dir`` atomically.

    Every file is first written to a temporary file in ``out_dir``; only when all of them
    succeeded are they renamed over the previous ones, so a failure leaves the previous curated
    files untouched. ``build_info`` gets ``data_version`` (sha256 of the csv bytes) added.

    Parameters
    ----------
    frame : DataFrame
        The validated frame (``model.ALL_COLUMNS``).
    out_dir : Path
        data/curated of the project; created when missing.
    sources : list of dict
        One dict per raw file with the keys of ``SOURCES_COLUMNS`` (the xlsx "sources" sheet).
    build_info : dict, optional
        Written to build_info.json when given.

    Returns
    -------
    dict
        Name ("parquet", "csv", "xlsx", "build_info") -> final path.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    writers = {"parquet": write_parquet, "csv": write_csv,
               "xlsx": lambda f, p: write_xlsx(f, p, sources=sources)}
    temps: dict[str, Path] = {}
    try:
        for name, writer in writers.items():
            temps[name] = _temp_path(out_dir, f"plan_items.{name}")
            writer(frame, temps[name])
        if build_info is not None:
            info = dict(build_info, data_version=sha256_path(temps["csv"]))
            temps["build_info"] = _temp_path(out_dir, "build_info.json")
            temps["build_info"].write_text(json.dumps(info, ensure_ascii=False, indent=2) + "\n",
                                           encoding="utf-8")
    except BaseException:
        for tmp in temps.values():
            tmp.unlink(missing_ok=True)
        raise
    return _commit(temps, out_dir)


def _temp_path(out_dir: Path, final_name: str) -> Path:
    fd, name = tempfile.mkstemp(dir=out_dir, prefix=f".{final_name}.", suffix=".tmp")
    os.close(fd)
    return Path(name)


def _commit(temps: dict[str, Path], out_dir: Path) -> dict[str, Path]:
    final = {name: out_dir / (f"plan_items.{name}" if name in NAMES else "build_info.json")
             for name in temps}
    for name, tmp in temps.items():
        os.chmod(tmp, 0o644)
        os.replace(tmp, final[name])
    return final


def sha256_path(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """Parquet with an explicit arrow schema (responsible_units is list<string>)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    fields = [pa.field(c, _arrow_type(pa, frame[c])) for c in frame.columns]
    table = pa.Table.from_pandas(frame, schema=pa.schema(fields), preserve_index=False)
    pq.write_table(table, path)


def _arrow_type(pa, series) -> Any:
    if series.name == "responsible_units":
        return pa.list_(pa.string())
    kind = str(series.dtype)
    return {"Int64": pa.int64(), "float64": pa.float64()}.get(kind, pa.string())


def flat(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with list columns joined by ``LIST_SEP`` (for csv and xlsx)."""
    out = frame.copy()
    if "responsible_units" in out:
        out["responsible_units"] = [LIST_SEP.join(v) if len(v) else None
                                    for v in out["responsible_units"]]
    return out


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """UTF-8 without BOM, ``\\n`` line ends; Excel users get the xlsx instead."""
    flat(frame).to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def write_xlsx(frame: pd.DataFrame, path: Path, *, sources: list[dict]) -> None:
    """One sheet per item type, then "sources" and "dictionary"; no cell is ever a formula."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    flat_frame = flat(frame)
    for item_type in ITEM_TYPES:
        part = flat_frame[flat_frame["item_type"] == item_type]
        _sheet(wb, item_type, list(part.columns), part.itertuples(index=False))
    _sheet(wb, "sources", list(SOURCES_COLUMNS),
           ([s.get(c) for c in SOURCES_COLUMNS] for s in sources))
    _sheet(wb, "dictionary", ["column", "type", "meaning"],
           ([c, t, m] for c, (t, m) in DICTIONARY.items()))
    wb.save(path)


def _sheet(wb, title: str, header: list[str], rows) -> None:
    from itertools import chain
    from math import isnan

    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from pandas import NA

    ws = wb.create_sheet(title)

    def cell(value: Any):
        """Text is always a string cell (never a formula); missing values are empty cells."""
        if isinstance(value, str):
            c = WriteOnlyCell(ws, value=None)
            c.value, c.data_type = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value), "s"
            c.quotePrefix = value.startswith(FORMULA_START)
            return c
        if value is None or value is NA or (isinstance(value, float) and isnan(value)):
            return None
        return value.item() if hasattr(value, "item") else value

    for row in chain([header], rows):
        ws.append([cell(v) for v in row])
