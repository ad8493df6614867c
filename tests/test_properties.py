"""Property-based tests of the number / comparator parser, ingest and the section splitter.

Already elsewhere (not repeated): ``scan`` on arbitrary text keeps ``value_text`` at its offsets
and ``parse_cell`` raises only PlanCompareError (tests/test_numbers.py); ``parse_text`` +
``assign_parts`` on arbitrary text and parts unchanged by a digit width swap on heading-like
lines (tests/test_ingest.py). Added here: arbitrary *bytes* through ``decode``/``parse_text``,
arbitrary plan-like lines through the full ``parse_document``, re-encoding invariance
(UTF-8 / GB18030 / UTF-16) and full/half-width invariance of cells, running text and whole
documents.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from plancompare.errors import PlanCompareError
from plancompare.parse import parse_document
from plancompare.parse.ingest import decode, parse_text, split_lines
from plancompare.parse.numbers import fold, is_value_cell, parse_cell, scan
from plancompare.parse.sections import assign_parts

WIDE_SWAP = str.maketrans("0123456789%>()ABCXYZabcxyz",
                          "０１２３４５６７８９％＞（）ＡＢＣＸＹＺａｂｃｘｙｚ")
SETTINGS = settings(max_examples=200, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def to_full_width(text: str) -> str:
    """ASCII ! .. ~ -> U+FF01 .. U+FF5E (digits, %, >, (), letters ...)."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def gb18030_safe(text: str) -> bool:
    try:
        text.encode("gb18030")
    except UnicodeEncodeError:
        return False
    return True


def key(q) -> tuple:
    return (q.comparator, q.value, q.value_high, q.unit, q.kind)


# Plan-like building blocks: headings, table headers and rows, targets with every comparator.
COMPARATORS = ["", "达到", "不低于", "超过", "不足", "逾", "约", "将近", "≥", ">", "<", "≤",
               "控制在", "至少", "≈"]
UNITS = ["", "%", "个", "所", "人", "万元", "个百分点", "年"]
POSTS = ["", "以上", "以下", "左右", "以内"]
number = st.one_of(st.integers(0, 10**5).map(str),
                   st.decimals(0, 1000, places=1, allow_nan=False).map(str))
quantity = st.builds(lambda c, n, u, p: f"{c}{n}{u}{p}", st.sampled_from(COMPARATORS), number,
                     st.sampled_from(UNITS), st.sampled_from(POSTS))
sentence = st.builds(lambda y, name, q: f"到{y}年，{name}{q}。",
                     st.sampled_from(["2022", "2025", "2030"]),
                     st.sampled_from(["学前教育入园率", "普惠性幼儿园覆盖率", "新增学位",
                                      "生师比", "班额超标比例"]), quantity)
cell = st.one_of(st.builds(lambda c, n: f"{c}{n}", st.sampled_from(["", ">", "≥", "<", "≤",
                                                                     "＞", "不足", "逾"]),
                           number),
                 st.sampled_from(["-", "—", "约90", "90左右", "待定", ""]))
table_row = st.builds(lambda n, name, a, b: f"{n} {name}(%) {a} {b}", st.integers(1, 20),
                      st.sampled_from(["入园率", "覆盖率", "达标率"]), cell, cell)
LINES = st.one_of(
    sentence, table_row, st.text(max_size=40),
    st.sampled_from(["一、发展目标", "二、主要任务", "三、保障措施", "（一）加强党的领导",
                     "1.推进学前教育", "指 标 2020年 2025年", "指标", "2025年", "序号", "属性",
                     "预期性", "附表 重点项目", "重点项目（24项）", "任务清单", "目录", "12",
                     "", "  ", "\t1", "\t学前教育入园率（%）", "\t>90", "责任单位：区教委",
                     "关联内容", "电话 010-61256989", "[bookmark: _Toc1]一、发展基础"]),
)
documents = st.lists(LINES, min_size=1, max_size=40).map("\n".join)


# ---- raise nothing but PlanCompareError -----------------------------------------------------


@SETTINGS
@given(st.binary(max_size=400))
def test_arbitrary_bytes_through_ingest(data):
    try:
        text, encoding = decode(data, "fuzz.txt")
        doc = parse_text(text, encoding, path="fuzz.txt")
    except PlanCompareError as err:
        assert err.path == "fuzz.txt"
        return
    parts = assign_parts(doc)
    assert set(parts) == {ln.no for ln in doc.content_lines()}
    assert all(ln.no == i for i, ln in enumerate(doc.lines, 1))


@SETTINGS
@given(documents, st.sampled_from([None, "goals", "tasks", "annex"]))
def test_arbitrary_plan_lines_through_parse_document(text, start):
    try:
        doc = parse_text(text, path="fuzz.txt")
        items = parse_document(doc, doc_id="plan", key_prefix="plan", end_year=2025,
                               start_section=start)
    except PlanCompareError as err:
        assert err.path == "fuzz.txt"
        if err.line is not None:
            assert 1 <= err.line <= len(text.split("\n"))
        return
    for it in items:  # provenance holds for whatever was found
        last = it.line_end or it.line
        assert it.quote in "\n".join(doc.line(n).raw for n in range(it.line, last + 1))
        assert it.comparator in (None, ">", ">=", "=", "<", "<=")


@SETTINGS
@given(st.text(max_size=60))
def test_scan_and_is_value_cell_on_arbitrary_text(text):
    for q in scan(text):
        assert q.start <= q.end and text[q.start:q.end] == q.value_text
    if is_value_cell(text):
        parse_cell(text)  # is_value_cell promises parse_cell reads it


@SETTINGS
@given(st.text(max_size=30), st.integers(1, 10**6))
def test_parse_cell_errors_name_file_and_line(text, line):
    try:
        parse_cell(text, path="plan.txt", line=line)
    except PlanCompareError as err:
        assert (err.path, err.line) == ("plan.txt", line)
        assert f"check the table row at line {line}" in str(err)


# ---- invariance under re-encoding and width -------------------------------------------------


@SETTINGS
@given(documents, st.sampled_from(["utf-8-sig", "gb18030", "utf-16", "crlf"]))
@example("目录", "gb18030")  # also valid UTF-8: found by this test
def test_parse_unchanged_by_reencoding(text, encoding):
    assume(gb18030_safe(text) and "\x00" not in text)
    # CRLF line ends for every line end (a "\r\n" already in the text stays one line end)
    crlf = "".join(line + "\r\n" for line in split_lines(text))
    data = crlf.encode("utf-8") if encoding == "crlf" else text.encode(encoding)

    def run(source: str):
        try:
            doc = parse_text(source, path="p.txt")
            return [(i.item_key, i.comparator, i.value, i.value_high, i.unit, i.year, i.line,
                     i.value_text, i.quote)
                    for i in parse_document(doc, doc_id="p", key_prefix="p", end_year=2025)]
        except PlanCompareError as err:
            return ("error", type(err).__name__, err.line, err.message)

    try:
        decoded, _enc = decode(data, "p.txt")
    except PlanCompareError:
        # only an all-whitespace document may be rejected at decode time
        assert not text.strip()
        return
    assert run(decoded) == run(text)


@SETTINGS
@given(st.sampled_from(COMPARATORS[:11]), number, st.sampled_from(UNITS),
       st.sampled_from(POSTS))
def test_text_quantity_unchanged_by_width(comp, num, unit, post):
    half = f"到2025年，入园率{comp}{num}{unit}{post}。"
    full = to_full_width(half)
    a = [key(q) for q in scan(half)]
    b = [key(q) for q in scan(full)]
    assert a == b
    for q in scan(full):
        assert fold(q.value_text) == half[q.start:q.end]


@SETTINGS
@given(st.sampled_from(["", ">", "<", ">=", "<=", "≥", "≤", "不足", "逾", "不低于"]), number,
       st.sampled_from(["", "%", "个", "所", "人"]), st.sampled_from(["", "以上", "以下"]))
def test_cell_unchanged_by_width(comp, num, unit, post):
    half = f"{comp}{num}{unit}{post}"
    a, b = parse_cell(half), parse_cell(to_full_width(half))
    assert key(a) == key(b)
    assert b.value_text == to_full_width(half) and fold(b.value_text) == half


@SETTINGS
@given(documents)
def test_document_unchanged_by_width(text):
    """Full-width digits, %, >, (), letters: same items, values and years, same item count."""
    def run(source: str):
        try:
            doc = parse_text(source, path="p.txt")
            items = parse_document(doc, doc_id="p", key_prefix="p", end_year=2025)
        except PlanCompareError as err:
            return ("error", type(err).__name__, err.line)
        return [(i.item_key, i.item_type, i.comparator, i.value, i.value_high, i.unit, i.year,
                 i.line) for i in items]

    # Word bookmarks ([bookmark: _Toc1]) are export artefacts, never printed full-width
    parts = re.split(r"(\[bookmark:[^\]]*\])", text)
    wide = "".join(part if part.startswith("[bookmark:") else part.translate(WIDE_SWAP)
                   for part in parts)
    assert run(wide) == run(text)
