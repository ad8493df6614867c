"""Key-project tables in other layouts and with other column names give the seed's facts.

Tongzhou's 重点项目 table (项目名称 / 主要内容, one cell per line, ``1.title`` + content) is read
here by its known layout and written back as tab rows and pipe rows (as Word / HTML / PDF tables
are rendered), with made-up 责任单位 and 建设周期 columns and page furniture inside.
"""

from __future__ import annotations

import re

import pytest
from conftest import RAW, RAW_FILES

from plancompare.parse import vocabulary
from plancompare.parse.ingest import parse_text
from plancompare.parse.projects import parse_projects
from plancompare.parse.run import check_provenance
from plancompare.parse.sections import assign_parts

HEADER = (283, 284)
FACTS = ("item_key", "name_raw", "body", "attribute", "section")
_NUMBERED = re.compile(r"^(\d+)\.(.+)$")


def _raw() -> list[str]:
    return (RAW / RAW_FILES["tongzhou"]).read_text("utf-8").split("\n")


def _seed_rows() -> list[tuple[str, str, str]]:
    lines = _raw()
    assert [ln.strip() for ln in lines[HEADER[0] - 1: HEADER[1]]] == ["项目名称", "主要内容"]
    cells = [ln.strip() for ln in lines[HEADER[1]:] if ln.strip()]
    rows = []
    for k in range(0, len(cells), 2):
        m = _NUMBERED.match(cells[k])
        rows.append((m.group(1), m.group(2), cells[k + 1]))
    assert len(rows) == 17
    return rows


def _projects(text: str, noise: dict[int, str] | None = None):
    doc = parse_text(text, path=RAW_FILES["tongzhou"])
    for no, why in (noise or {}).items():
        doc.line(no).noise = why
    doc.__dict__.pop("_content", None)
    items = parse_projects(doc, assign_parts(doc), key_prefix="tongzhou")
    check_provenance(items, doc)
    return items


def _facts(items):
    return [tuple(getattr(it, f) for f in FACTS) for it in items]


@pytest.fixture(scope="module")
def seed():
    items = _projects("\n".join(_raw()))
    assert len(items) == 17
    return items


def _table(rows, sep, extra=False):
    head = ["序号", "项目名称", "主要内容", *(["责任单位", "建设周期"] if extra else [])]
    body = [[n, title, content, *(["区教委、区财政局", "2021-2025年"] if extra else [])]
            for n, title, content in rows]
    if sep == "|":
        return (["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
                + ["| " + " | ".join(r) + " |" for r in body])
    return [sep.join(head), *[sep.join(r) for r in body]]


@pytest.mark.parametrize("sep", ["\t", "|", "｜"])
@pytest.mark.parametrize("extra", [False, True])
def test_line_rows_give_the_seed_projects(sep, extra, seed):
    lines = _raw()
    text = "\n".join(lines[: HEADER[0] - 1] + _table(_seed_rows(), sep, extra))
    items = _projects(text)
    assert _facts(items) == _facts(seed)
    if extra:
        assert {(tuple(it.responsible_units), it.schedule) for it in items} == {
            (("区教委", "区财政局"), "2021-2025年")}


def test_page_furniture_between_rows(seed):
    lines = _raw()
    table = _table(_seed_rows(), "\t")
    table = table[:9] + ["— 7 —", "“十四五”时期教育事业发展规划"] + table[9:]
    first = HEADER[0]
    noise = {first + 9: "page_number", first + 10: "running_header"}
    assert _facts(_projects("\n".join(lines[: HEADER[0] - 1] + table), noise)) == _facts(seed)


@pytest.mark.parametrize(("kind", "word"), [
    (kind, word) for kind in ("title", "content", "responsible", "period")
    for word in vocabulary.words("projects", f"header.{kind}")])
def test_every_column_name(kind, word):
    names = {"title": "项目名称", "content": "建设内容", "responsible": "责任单位",
             "period": "建设周期", kind: word}
    text = ("附件 重点项目一览表\n" + "\t".join(["序号", *names.values()]) + "\n"
            "1\t智慧校园项目\t建设全区教育数据中心。\t区教委\t2021-2023年\n")
    doc = parse_text(text, path="made_up.txt")
    [item] = parse_projects(doc, assign_parts(doc), key_prefix="t")
    assert (item.item_key, item.name_raw, item.body, item.responsible_units, item.schedule) == (
        "t:proj:key:1", "智慧校园项目", "建设全区教育数据中心。", ["区教委"], "2021-2023年")
