"""Write the curated frame as parquet, csv and xlsx, atomically and formula-safe."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ExportError
from .files import commit, sha256_file, temp_path
from .model import ITEM_TYPES, LIST_COLUMNS
from .schema import DICTIONARY

if TYPE_CHECKING:
    import pandas as pd

LIST_SEP = "；"
FORMULA_START = ("=", "+", "-", "@")
#: Text cells of the csv that start with one of these get a leading apostrophe, so that a
#: spreadsheet opening the csv shows them as text instead of evaluating them (= + - @ start a
#: formula; a tab or carriage return before one hides it). The apostrophe itself is in the list so
#: that the escape can always be undone: :func:`read_csv` drops exactly one leading apostrophe.
CSV_ESCAPE_START = (*FORMULA_START, "\t", "\r", "'")
#: Columns whose values come from the data contract's closed lists (schema.SOURCES, model.ROLES,
#: model.COMPARATORS, model.ITEM_TYPES) are written as they are, never escaped: they hold no
#: document text, and a comparator must read `=` / `>=` for every program that reads the csv.
CSV_CODE_COLUMNS = frozenset({"item_type", "role", "comparator", "source"})
SOURCES_COLUMNS = ("district_id", "district_zh", "doc_id", "title", "source_file", "sha256",
                   "encoding", "lines")
NAMES = ("parquet", "csv", "xlsx")


def write_curated(frame: pd.DataFrame, out_dir: Path, *, sources: list[dict],
                  build_info: dict | None = None,
                  extra: dict[str, pd.DataFrame] | None = None) -> dict[str, Path]:
    """Write plan_items.{parquet,csv,xlsx} (and build_info.json) into ``out_dir`` atomically.

    Every file is first written to a temporary file in ``out_dir``; only when all of them
    succeeded are they renamed over the previous ones, so a failure leaves the previous curated
    files untouched. ``build_info`` gets ``data_version`` (sha256 of the csv bytes) and
    ``curated_files`` (file name -> sha256 of every plan_items file) added; the incremental
    build verifies them all before it skips work.

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
    extra : dict, optional
        File name -> table written as csv beside them in the same way (terms.csv ...).

    Returns
    -------
    dict
        Name ("parquet", "csv", "xlsx", "build_info") -> final path.
    """
    writers = {"parquet": write_parquet, "csv": write_csv,
               "xlsx": lambda f, p: write_xlsx(f, p, sources=sources)}
    temps: dict[str, Path] = {}
    target = out_dir
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for name, writer in writers.items():
            target = out_dir / f"plan_items.{name}"
            temps[name] = temp_path(out_dir, target.name)
            writer(frame, temps[name])
        for name, table in (extra or {}).items():
            target = out_dir / name
            temps[name] = temp_path(out_dir, name)
            write_csv(table, temps[name])
        if build_info is not None:
            hashes = {f"plan_items.{n}": sha256_file(temps[n]) for n in NAMES}
            hashes.update({name: sha256_file(temps[name]) for name in extra or {}})
            info = dict(build_info, data_version=hashes["plan_items.csv"], curated_files=hashes)
            target = out_dir / "build_info.json"
            temps["build_info"] = temp_path(out_dir, target.name)
            temps["build_info"].write_text(json.dumps(info, ensure_ascii=False, indent=2) + "\n",
                                           encoding="utf-8")
    except BaseException as exc:
        for tmp in temps.values():
            tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise ExportError(
                f"cannot write the curated data ({exc.strerror or exc}); the previous curated "
                "files are unchanged", path=str(target),
                fix="free disk space or make data/curated writable, then run the build again",
            ) from exc
        raise
    try:
        return _commit(temps, out_dir)
    except OSError as exc:
        raise ExportError(f"cannot rename the new curated files into place ({exc.strerror})",
                          path=str(out_dir), fix="check the permissions of data/curated and run "
                          "`plancompare build --force`") from exc


def _commit(temps: dict[str, Path], out_dir: Path) -> dict[str, Path]:
    final = {name: out_dir / (f"plan_items.{name}" if name in NAMES else "build_info.json"
                              if name == "build_info" else name) for name in temps}
    for name, tmp in temps.items():
        commit(tmp, final[name])
    return final


def write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """Parquet with an explicit arrow schema (the list fields are list<string>)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    fields = [pa.field(c, _arrow_type(pa, frame[c])) for c in frame.columns]
    table = pa.Table.from_pandas(frame, schema=pa.schema(fields), preserve_index=False)
    pq.write_table(table, path)


def _arrow_type(pa, series) -> Any:
    if series.name in LIST_COLUMNS:
        return pa.list_(pa.string())
    kind = str(series.dtype)
    return {"Int64": pa.int64(), "float64": pa.float64(), "boolean": pa.bool_()}.get(
        kind, pa.string())


def flat(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with list columns joined by ``LIST_SEP`` (for csv and xlsx)."""
    out = frame.copy()
    for name in LIST_COLUMNS:
        if name in out:
            out[name] = [LIST_SEP.join(v) if len(v) else None for v in out[name]]
    return out


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """UTF-8 without BOM, ``\\n`` line ends, formula-safe text (:func:`csv_text`)."""
    path.write_text(csv_text(frame), encoding="utf-8", newline="")


def csv_text(frame: pd.DataFrame) -> str:
    """The csv of ``frame``: lists joined (:func:`flat`), text cells starting with one of
    :data:`CSV_ESCAPE_START` prefixed with an apostrophe (shown as text by spreadsheets);
    the code columns (:data:`CSV_CODE_COLUMNS`) as they are."""
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    out = flat(frame)
    for name in out.columns:
        if not (name in CSV_CODE_COLUMNS or is_numeric_dtype(out[name])
                or is_bool_dtype(out[name])):
            _escape(out, name)
    return out.to_csv(index=False, lineterminator="\n")


def _escape(frame: pd.DataFrame, name: str) -> None:
    """Prefix the text cells of column ``name`` that start with CSV_ESCAPE_START (in place; one
    vectorised test per column, not a Python call per cell)."""
    col = frame[name]
    risky = col.str.startswith(CSV_ESCAPE_START).fillna(False).astype(bool)
    if risky.any():
        frame[name] = col.astype(object).where(~risky, "'" + col[risky].astype(object))


def read_csv(path: Path | str, **kwargs: Any) -> pd.DataFrame:
    """Read a csv written by :func:`write_csv`; text cells come back exactly as in the parquet.

    Every cell is read as text (``dtype=str``, empty cells as missing) and the one leading
    apostrophe of an escaped cell is removed; list columns stay joined with :data:`LIST_SEP`.

    Parameters
    ----------
    path : Path or str
        plan_items.csv (or ``plancompare extract`` output).
    **kwargs
        Passed to :func:`pandas.read_csv`.

    Returns
    -------
    DataFrame
    """
    import pandas as pd

    frame = pd.read_csv(path, **{"dtype": str, "keep_default_na": False, "na_values": [""],
                                 **kwargs})
    for name in frame.columns:
        values = frame[name].tolist()
        if any(isinstance(v, str) and v.startswith("'") for v in values):
            frame[name] = [v[1:] if isinstance(v, str) and v.startswith("'") else v
                           for v in values]
    return frame


def write_xlsx(frame: pd.DataFrame, path: Path, *, sources: list[dict]) -> None:
    """One sheet per item type, then "sources" and "dictionary"; no cell is ever a formula.

    openpyxl (write-only) writes the workbook with the item-type sheets holding only their
    header row; their data rows are then serialised by :func:`_rows_xml` (the same XML that
    openpyxl writes for the same cells, about ten times faster) and spliced into the file.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    flat_frame = flat(frame)
    bodies: dict[str, list[str]] = {}
    prefixed = False
    for k, item_type in enumerate(ITEM_TYPES, 1):
        part = flat_frame[flat_frame["item_type"] == item_type]
        ws = _sheet(wb, item_type, list(part.columns), [])
        body, used = _rows_xml(zip(*(part[c].tolist() for c in part.columns), strict=True))
        bodies[f"xl/worksheets/sheet{k}.xml"] = body
        if used and not prefixed:  # register the quotePrefix style where the cells did
            probe = WriteOnlyCell(ws)
            probe.quotePrefix = True
            if probe.style_id != QUOTE_STYLE_ID:
                raise RuntimeError("unexpected xlsx style id for quotePrefix")  # a bug
            prefixed = True
    _sheet(wb, "sources", list(SOURCES_COLUMNS),
           ([s.get(c) for c in SOURCES_COLUMNS] for s in sources))
    _sheet(wb, "dictionary", ["column", "type", "meaning"],
           ([c, t, m] for c, (t, m) in DICTIONARY.items()))
    wb.save(path)
    _splice_rows(path, bodies)


#: Style index of quotePrefix cells: the first (and only) style registered after the default.
QUOTE_STYLE_ID = 1
# A carriage return is written as a reference: raw in XML it would be read back as a line feed.
_XML_ESCAPES = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord("\r"): "&#13;"}


def _column_letters(n: int) -> list[str]:
    from openpyxl.utils import get_column_letter

    return [get_column_letter(i) for i in range(1, n + 1)]


def _rows_xml(rows, first_row: int = 2) -> tuple[list[str], bool]:
    """``<row>`` elements for ``rows`` (tuples of cell values) as openpyxl writes them.

    Strings are cut to 32,767 characters, illegal XML characters become U+FFFD, text starting
    with = + - @ gets the quotePrefix style; None, NA and NaN cells are left out; numbers are
    written as ``%.16g``.

    Returns
    -------
    list of str, bool
        The XML chunks, and whether any cell used the quotePrefix style.
    """
    from math import isnan

    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.compat import safe_string
    from pandas import NA

    out: list[str] = []
    letters: list[str] = []
    prefixed = False
    style = f' s="{QUOTE_STYLE_ID}"'
    for r, row in enumerate(rows, first_row):
        if len(letters) < len(row):
            letters = _column_letters(len(row))
        cells = [f'<row r="{r}">']
        for letter, value in zip(letters, row, strict=False):
            if isinstance(value, str):
                text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)[:32767]
                quote = value.startswith(FORMULA_START)
                prefixed = prefixed or quote
                attrs = f'<c r="{letter}{r}"{style if quote else ""} t="inlineStr"'
                if not text:
                    cells.append(attrs + " />")
                    continue
                stripped = text.strip()
                space = ' xml:space="preserve"' if stripped and stripped != text else ""
                cells.append(f"{attrs}><is><t{space}>{text.translate(_XML_ESCAPES)}</t></is></c>")
            elif value is None or value is NA or (isinstance(value, float) and isnan(value)):
                continue
            else:
                number = safe_string(value.item() if hasattr(value, "item") else value)
                v = f"<v>{number}</v>" if number else "<v />"
                cells.append(f'<c r="{letter}{r}" t="n">{v}</c>')
        cells.append("</row>")
        out.append("".join(cells))
    return out, prefixed


def _splice_rows(path: Path, bodies: dict[str, list[str]]) -> None:
    """Insert the row XML of ``bodies`` (member name -> chunks) before ``</sheetData>``."""
    import shutil
    import zipfile

    tmp = path.with_name(path.name + ".splice")
    try:
        with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w") as dst:
            for info in src.infolist():
                data = src.read(info)
                if bodies.get(info.filename):
                    head, sep, tail = data.decode("utf-8").rpartition("</sheetData>")
                    if not sep:
                        raise RuntimeError(f"no sheetData in {info.filename}")  # a bug
                    with dst.open(info, "w") as out:
                        out.write(head.encode("utf-8"))
                        for start in range(0, len(bodies[info.filename]), 2000):
                            out.write("".join(bodies[info.filename][start:start + 2000])
                                      .encode("utf-8"))
                        out.write((sep + tail).encode("utf-8"))
                else:
                    dst.writestr(info, data)
        shutil.move(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _sheet(wb, title: str, header: list[str], rows):
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
    return ws
