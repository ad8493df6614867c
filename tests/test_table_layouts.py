"""The seeds' indicator tables re-laid-out as other plans print them give the same facts.

Each fixture is built here from the raw file: the table's lines are cut out, read into rows by
the seed's own (known) layout, written back in another layout (a 单位 column, a 属性 column,
``2025年目标`` / ``目标值`` headers, pipe, full-width pipe and tab rows, reordered columns, one
cell per line, column by column, page furniture inside, a hard-wrapped name) and put back into
the document in place of the original. The whole document is then parsed and its table facts are
compared row by row with those of the unchanged seed.
"""

from __future__ import annotations

import re

import pytest
from conftest import RAW, RAW_FILES

from plancompare.parse.ingest import parse_text
from plancompare.parse.run import check_provenance
from plancompare.parse.sections import assign_parts
from plancompare.parse.tables import parse_indicator_tables

FACTS = ("item_key", "name_raw", "unit", "year", "role", "comparator", "value", "value_high",
         "value_text", "section")
#: (first, last) raw line of each seed table: the header to the last row.
SPANS = {"haidian": (234, 258), "tongzhou": (141, 194)}
_BRACKET = re.compile(r"^(?P<name>.*?)[（(](?P<unit>[^（）()]+)[）)]$")


def _raw_lines(name: str) -> list[str]:
    return (RAW / RAW_FILES[name]).read_text("utf-8").split("\n")


def _seed_rows(name: str) -> tuple[list[int], list[dict]]:
    """Years of the value columns and the rows of the seed table, read by its known layout."""
    first, last = SPANS[name]
    lines = _raw_lines(name)[first - 1: last]
    if name == "haidian":
        assert lines[0].split() == ["指", "标", "2020年", "2025年"]
        cells = [ln.split() for ln in lines[1:] if ln.strip()]
        rows = [{"no": c[0], "name": c[1], "values": c[2:]} for c in cells]
        years = [2020, 2025]
    else:
        assert [ln.strip() for ln in lines[:2]] == ["指标", "2025年"]
        cells = [ln.strip() for ln in lines[2:] if ln.strip()]
        rows = [{"no": cells[k], "name": cells[k + 1], "values": [cells[k + 2]]}
                for k in range(0, len(cells), 3)]
        years = [2025]
    for row in rows:
        m = _BRACKET.match(row["name"])
        row["bare"], row["unit"] = (m["name"], m["unit"]) if m else (row["name"], "")
    return years, rows


def _replace(name: str, table: list[str]) -> str:
    first, last = SPANS[name]
    lines = _raw_lines(name)
    return "\n".join(lines[: first - 1] + table + lines[last:])


def _items(text: str, name: str, noise: dict[int, str] | None = None):
    doc = parse_text(text, path=RAW_FILES[name])
    for no, why in (noise or {}).items():
        doc.line(no).noise = why
    doc.__dict__.pop("_content", None)
    items = parse_indicator_tables(doc, assign_parts(doc), key_prefix="plan", end_year=2025)
    check_provenance(items, doc)
    return items


def _facts(items) -> list[tuple]:
    return [tuple(getattr(it, f) for f in FACTS) for it in items]


@pytest.fixture(scope="module")
def seed_facts():
    out = {}
    for name in SPANS:
        out[name] = _facts(_items("\n".join(_raw_lines(name)), name))
    assert len(out["haidian"]) == 24 and len(out["tongzhou"]) == 13
    return out


# ---- layouts: (header cells, row cells) -> lines ------------------------------------------


def _year_cells(years, style):
    if style == "target":
        return [f"{y}年" if y != years[-1] else f"{y}年目标" for y in years]
    if style == "value":
        return [f"{y}年" if y != years[-1] else "目标值" for y in years]
    return [f"{y}年" for y in years]


def _columns(years, rows, *, unit=False, attribute=False, style="year"):
    head = ["序号", "指标", *(["单位"] if unit else []), *_year_cells(years, style),
            *(["属性"] if attribute else [])]
    body = [[r["no"], r["bare"] if unit else r["name"], *([r["unit"]] if unit else []),
             *r["values"], *(["预期性"] if attribute else [])] for r in rows]
    return head, body


def _spaces(head, body):
    return [" ".join(head), ""] + [" ".join(r) for r in body]


def _tabs(head, body):
    return ["\t".join(head)] + ["\t".join(r) for r in body]


def _pipes(head, body):
    return (["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
            + ["| " + " | ".join(r) + " |" for r in body])


def _wide_pipes(head, body):
    return ["｜".join(head)] + ["｜".join(r) for r in body]


def _cells(head, body):
    out = [f"\t{c}" for c in head]
    for row in body:
        out += [""] + [f"\t{c}" for c in row]
    return out


def _reorder(head, body, order):
    return [head[k] for k in order], [[r[k] for k in order] for r in body]


LAYOUTS = {
    "spaces+unit": lambda y, r: _spaces(*_columns(y, r, unit=True)),
    "spaces+attribute": lambda y, r: _spaces(*_columns(y, r, attribute=True)),
    "spaces+2025年目标": lambda y, r: _spaces(*_columns(y, r, style="target")),
    "spaces+目标值": lambda y, r: _spaces(*_columns(y, r, style="value")),
    "pipe": lambda y, r: _pipes(*_columns(y, r)),
    "pipe+unit+attribute": lambda y, r: _pipes(*_columns(y, r, unit=True, attribute=True)),
    "fullwidth-pipe": lambda y, r: _wide_pipes(*_columns(y, r, unit=True)),
    "tabs": lambda y, r: _tabs(*_columns(y, r)),
    "tabs+unit+目标值": lambda y, r: _tabs(*_columns(y, r, unit=True, style="value")),
    "cells+unit": lambda y, r: _cells(*_columns(y, r, unit=True)),
    "cells+attribute": lambda y, r: _cells(*_columns(y, r, attribute=True)),
    # 序号 not last: a run of lines ending in rising numbers is a table of contents to ingest
    "reordered-tabs": lambda y, r: _tabs(*_reorder(*_columns(y, r, unit=True),
                                                   [*range(len(y) + 2, 2, -1), 2, 0, 1])),
    "reordered-spaces": lambda y, r: _spaces(*_reorder(*_columns(y, r, unit=True),
                                                       [0, 2, *range(3, len(y) + 3), 1])),
}


@pytest.mark.parametrize("seed", sorted(SPANS))
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_relaid_table_gives_the_same_facts(seed, layout, seed_facts):
    years, rows = _seed_rows(seed)
    items = _items(_replace(seed, LAYOUTS[layout](years, rows)), seed)
    assert _facts(items) == seed_facts[seed]
    attributes = {it.attribute for it in items}
    assert attributes == ({"预期性"} if "attribute" in layout else {None})


def test_reordered_header_is_read_from_its_words():
    years, rows = _seed_rows("haidian")
    lines = LAYOUTS["reordered-tabs"](years, rows)
    assert lines[0] == "2025年\t2020年\t单位\t序号\t指标"


@pytest.mark.parametrize("seed", sorted(SPANS))
def test_page_furniture_inside_the_table(seed, seed_facts):
    """A running header and a page number between rows (flagged noise by ingest) change nothing."""
    years, rows = _seed_rows(seed)
    for layout in ("spaces+unit", "cells+unit", "tabs"):
        table = LAYOUTS[layout](years, rows)
        cut = len(table) // 2
        table = table[:cut] + ["", "— 12 —", "", "北京市教育发展规划汇编", ""] + table[cut:]
        first = SPANS[seed][0]
        noise = {first + cut + 1: "page_number", first + cut + 3: "running_header"}
        assert _facts(_items(_replace(seed, table), seed, noise)) == seed_facts[seed]


@pytest.mark.parametrize("seed", sorted(SPANS))
def test_column_by_column(seed, seed_facts):
    years, rows = _seed_rows(seed)
    head, body = _columns(years, rows)
    table = [*head, *[row[k] for k in range(len(head)) for row in body]]
    items = _items(_replace(seed, table), seed)
    assert _facts(items) == seed_facts[seed]
    assert all(it.quote in it.value_text or it.quote == it.value_text for it in items)


@pytest.mark.parametrize("seed", sorted(SPANS))
@pytest.mark.parametrize("layout", ["spaces+unit", "cells+unit", "tabs"])
def test_hard_wrapped_name(seed, layout, seed_facts):
    """The longest name broken in two (as a PDF copy does) is joined again."""
    years, rows = _seed_rows(seed)
    _head, body = _columns(years, rows, unit=layout != "tabs")
    k = max(range(len(rows)), key=lambda n: len(rows[n]["bare"]))
    name = body[k][1]
    table = LAYOUTS[layout](years, rows)
    line = next(n for n, ln in enumerate(table) if name in ln)
    at = table[line].index(name) + 6
    table[line: line + 1] = [table[line][:at], table[line][at:].lstrip(" ")]
    if layout == "cells+unit":
        table[line + 1] = "\t" + table[line + 1]
    assert _facts(_items(_replace(seed, table), seed)) == seed_facts[seed]


@pytest.mark.parametrize("seed", sorted(SPANS))
def test_column_by_column_each_after_its_header_cell(seed, seed_facts):
    years, rows = _seed_rows(seed)
    head, body = _columns(years, rows, unit=True)
    table = [c for k in range(len(head)) for c in (head[k], *[row[k] for row in body])]
    assert _facts(_items(_replace(seed, table), seed)) == seed_facts[seed]


def test_marked_page_number_flagged_by_ingest_inside_a_table(seed_facts):
    """No manual flag: ingest itself flags ``— 12 —`` (noise.toml) and the table reads on."""
    years, rows = _seed_rows("haidian")
    table = LAYOUTS["spaces+unit"](years, rows)
    table = table[:7] + ["— 12 —"] + table[7:]
    assert _facts(_items(_replace("haidian", table), "haidian")) == seed_facts["haidian"]
