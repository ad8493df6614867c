"""The fast xlsx writer writes the same workbook as openpyxl's per-cell writer."""

from __future__ import annotations

import zipfile

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from plancompare import export, parse
from plancompare.model import ALL_COLUMNS, ITEM_TYPES
from plancompare.schema import DICTIONARY

SOURCES = [{"district_id": "a", "district_zh": "-甲", "doc_id": "plan", "title": "=规划",
            "source_file": "a.txt", "sha256": "0" * 64, "encoding": "utf-8", "lines": 3}]


def _row(i: int, item_type: str, **kw) -> dict:
    row = dict.fromkeys(ALL_COLUMNS)
    row.update(district_id="a", district_zh="甲", district_en="A", doc_id="plan",
               item_type=item_type, item_key=f"plan:{i}", name_raw=f"名称{i}", source="text",
               source_file="a.txt", line=i + 1, quote=f"引文{i}", body_chars=0,
               responsible_units=[])
    row.update(kw)
    return row


def _frame(rows: list[dict]) -> pd.DataFrame:
    return parse.to_frame(rows)


def _per_cell_workbook(frame: pd.DataFrame, path) -> None:
    """The workbook as written before: every row through openpyxl's append."""
    wb = Workbook(write_only=True)
    flat = export.flat(frame)
    for item_type in ITEM_TYPES:
        part = flat[flat["item_type"] == item_type]
        export._sheet(wb, item_type, list(part.columns), part.itertuples(index=False))
    export._sheet(wb, "sources", list(export.SOURCES_COLUMNS),
                  ([s.get(c) for c in export.SOURCES_COLUMNS] for s in SOURCES))
    export._sheet(wb, "dictionary", ["column", "type", "meaning"],
                  ([c, t, m] for c, (t, m) in DICTIONARY.items()))
    wb.save(path)


def _members(path) -> dict[str, str | bytes]:
    """Zip members, XML in canonical form: openpyxl writes CJK as character references when
    lxml is installed (``&#30002;``) and as UTF-8 otherwise; both are the same document."""
    from xml.etree.ElementTree import canonicalize

    with zipfile.ZipFile(path) as z:
        return {n: canonicalize(z.read(n).decode("utf-8")) if n.endswith(".xml") else z.read(n)
                for n in z.namelist() if n != "docProps/core.xml"}


EDGE_ROWS = [
    _row(1, "indicator", quote="=SUM(A1)", value=1e20, value_text="+5", year=2025,
         role="target", comparator=">="),
    _row(2, "task", body="  前后空白 & <标记> \r\n ", level=1, responsible_units=["区教委", "区财政局"]),
    _row(3, "project", name_raw="x\x01y" + "长" * 40000, value=float("inf")),
    _row(4, "measure", schedule="", value=0.1 + 0.2, value_high=1.0, level=3),
    _row(5, "indicator", quote="-1", value=None, value_text="-", role="baseline", year=2020),
    _row(6, "task", quote="@home", level=2, parent_key="plan:2"),
]


@pytest.mark.parametrize("rows", [EDGE_ROWS, EDGE_ROWS[1:2], [_row(1, "task", level=1)]],
                         ids=["edge-cases", "no-formula-like-text", "one-row"])
def test_same_workbook_as_per_cell_writer(tmp_path, rows):
    frame = _frame(rows)
    export.write_xlsx(frame, tmp_path / "fast.xlsx", sources=SOURCES)
    _per_cell_workbook(frame, tmp_path / "slow.xlsx")
    assert _members(tmp_path / "fast.xlsx") == _members(tmp_path / "slow.xlsx")


def test_formula_like_text_stays_text(tmp_path):
    export.write_xlsx(_frame(EDGE_ROWS), tmp_path / "x.xlsx", sources=SOURCES)
    ws = load_workbook(tmp_path / "x.xlsx")["indicator"]
    header = [c.value for c in ws[1]]
    quote = ws.cell(row=2, column=header.index("quote") + 1)
    assert (quote.value, quote.data_type, quote.quotePrefix) == ("=SUM(A1)", "s", True)
    assert ws.cell(row=2, column=header.index("value") + 1).value == 1e20
