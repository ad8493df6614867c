"""Table-driven tests of the comparator / number / unit parser."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plancompare.errors import InputError, PlanCompareError
from plancompare.parse.numbers import fold, parse_cell, scan

# text -> (comparator, value, value_high, unit, value_text) of the first quantity found
TEXT_CASES = [
    ("超过85%", (">", 85.0, None, "%", "超过85%")),
    ("高于99%", (">", 99.0, None, "%", "高于99%")),
    ("大于3个", (">", 3.0, None, "个", "大于3个")),
    ("＞99", (">", 99.0, None, None, "＞99")),
    (">90", (">", 90.0, None, None, ">90")),
    ("不低于10000元", (">=", 10000.0, None, "元", "不低于10000元")),
    ("不少于16学时", (">=", 16.0, None, "学时", "不少于16学时")),
    ("每周不少于1小时", (">=", 1.0, None, "小时", "不少于1小时")),
    ("至少5节", (">=", 5.0, None, "节", "至少5节")),
    ("至少配备1名资源教师", (">=", 1.0, None, "名", "至少配备1名")),
    ("90%以上", (">=", 90.0, None, "%", "90%以上")),
    ("92%及以上", (">=", 92.0, None, "%", "92%及以上")),
    ("保持在90%以上", (">=", 90.0, None, "%", "保持在90%以上")),
    ("达到92%及以上", (">=", 92.0, None, "%", "达到92%及以上")),
    ("≥92", (">=", 92.0, None, None, "≥92")),
    ("≥９２", (">=", 92.0, None, None, "≥９２")),
    ("达到90%", ("=", 90.0, None, "%", "达到90%")),
    ("达100%", ("=", 100.0, None, "%", "达100%")),
    ("保持100%", ("=", 100.0, None, "%", "保持100%")),
    ("比例为85%", ("=", 85.0, None, "%", "为85%")),
    ("提高到100%", ("=", 100.0, None, "%", "提高到100%")),
    ("建设17个骨干专业", ("=", 17.0, None, "个", "17个")),
    ("新增学前学位5000个", ("=", 5000.0, None, "个", "5000个")),
    ("不超过45人", ("<=", 45.0, None, "人", "不超过45人")),
    ("不高于30%", ("<=", 30.0, None, "%", "不高于30%")),
    ("控制在5%以内", ("<=", 5.0, None, "%", "控制在5%以内")),
    ("10%以下", ("<=", 10.0, None, "%", "10%以下")),
    ("≤20", ("<=", 20.0, None, None, "≤20")),
    ("低于5%", ("<", 5.0, None, "%", "低于5%")),
    ("少于3次", ("<", 3.0, None, "次", "少于3次")),
    ("1-3所", (">=", 1.0, 3.0, "所", "1-3所")),
    ("1—2所", (">=", 1.0, 2.0, "所", "1—2所")),
    ("2-3个", (">=", 2.0, 3.0, "个", "2-3个")),
    ("1~2所", (">=", 1.0, 2.0, "所", "1~2所")),
    ("１～２所", (">=", 1.0, 2.0, "所", "１～２所")),
    ("4-5节", (">=", 4.0, 5.0, "节", "4-5节")),
    ("16.1年", ("=", 16.1, None, "年", "16.1年")),
    ("4.5万个", ("=", 4.5, None, "万个", "4.5万个")),
    ("13.4万平方米", ("=", 13.4, None, "万平方米", "13.4万平方米")),
    ("降低1个百分点以上", (">=", 1.0, None, "个百分点", "1个百分点以上")),
    ("达到８５％", ("=", 85.0, None, "%", "达到８５％")),
    ("超过７０％", (">", 70.0, None, "%", "超过７０％")),
    ("12年免费教育", ("=", 12.0, None, "年", "12年")),
    ("100公顷", ("=", 100.0, None, "公顷", "100公顷")),
]


@pytest.mark.parametrize(("text", "expected"), TEXT_CASES)
def test_scan_first_quantity(text, expected):
    q = next(q for q in scan(text) if q.kind == "quantity")
    assert (q.comparator, q.value, q.value_high, q.unit, q.value_text) == expected
    assert text[q.start:q.end] == q.value_text


# text -> kinds of every number found, in order
KIND_CASES = [
    ("到2025年", ["year"]),
    ("2021-2025年", ["year"]),
    ("2021—2025年", ["year"]),
    ("围绕2022年北京冬奥会", ["year"]),
    ("2023年至2025年", ["year", "year"]),
    ("2.2022年，设立5所", ["list", "year", "quantity"]),
    ("1.推动学前教育普及", ["list"]),
    ("10 深化教育督导改革工程", ["list"]),
    ("[bookmark: _Toc90024391]1.推动", ["list"]),
    ("（1）加强", ["list"]),
    ("学科建设2.0", ["version"]),
    ("深化学区制3.0版改革", ["version"]),
    ("推动IPV6、5G、Wi-Fi6", ["tech", "tech", "tech"]),
    ("“1+X”证书", ["formula"]),
    ("“3+2”中高职衔接", ["formula", "formula"]),
    ("庆祝建党100周年", ["anniversary"]),
    ("第1名", ["ordinal"]),
    ("电话 010-61256989", ["phone"]),
    ("每10所融合校", ["per"]),
    ("智能制造等5大专业群", ["enumeration"]),
    ("海淀教育10大工程", ["label"]),
    ("表1 主要指标", ["label"]),
    ("3月底前", ["date"]),
    ("两个维护、三级体系、第六周期", ["count_word", "count_word"]),
]


@pytest.mark.parametrize(("text", "kinds"), KIND_CASES)
def test_scan_kinds(text, kinds):
    assert [q.kind for q in scan(text)] == kinds


# cell -> (comparator, value, value_high, unit, value_text)
CELL_CASES = [
    (">90", (">", 90.0, None, None, ">90")),
    ("＞99", (">", 99.0, None, None, "＞99")),
    ("≥92", (">=", 92.0, None, None, "≥92")),
    ("90", ("=", 90.0, None, None, "90")),
    ("16.1", ("=", 16.1, None, None, "16.1")),
    ("100", ("=", 100.0, None, None, "100")),
    ("９０", ("=", 90.0, None, None, "９０")),
    ("\t>90 ", (">", 90.0, None, None, ">90")),
    ("90%", ("=", 90.0, None, "%", "90%")),
    ("80以上", (">=", 80.0, None, None, "80以上")),
    ("<5", ("<", 5.0, None, None, "<5")),
    ("≤5", ("<=", 5.0, None, None, "≤5")),
    ("1-3", (">=", 1.0, 3.0, None, "1-3")),
    ("-", (None, None, None, None, "-")),
    ("—", (None, None, None, None, "—")),
    ("－", (None, None, None, None, "－")),
    ("", (None, None, None, None, "")),
]


@pytest.mark.parametrize(("cell", "expected"), CELL_CASES)
def test_parse_cell(cell, expected):
    q = parse_cell(cell)
    assert (q.comparator, q.value, q.value_high, q.unit, q.value_text) == expected


@pytest.mark.parametrize("cell", ["约90", "90左右", "待定", "abc", ">>90", "90 95"])
def test_parse_cell_unknown_raises_input_error_naming_the_text(cell):
    with pytest.raises(InputError) as info:
        parse_cell(cell, path="plan.txt", line=12)
    assert repr(cell.strip()) in str(info.value)
    assert "plan.txt:12" in str(info.value)
    assert "check the table row at line 12" in str(info.value)


def test_empty_cell_is_never_zero():
    assert parse_cell("-").value is None
    assert parse_cell("-").comparator is None


def test_fold_keeps_length_and_maps_full_width():
    text = "＞９９％（人）～，；\u3000"
    assert fold(text) == ">99%(人)~,; "
    assert len(fold(text)) == len(text)


@given(st.text(max_size=80))
def test_scan_raises_nothing_on_arbitrary_text(text):
    for q in scan(text):
        assert text[q.start:q.end] == q.value_text


@given(st.text(max_size=30))
def test_parse_cell_raises_only_plancompare_errors(text):
    try:
        parse_cell(text)
    except PlanCompareError:
        pass


def _to_full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@given(st.sampled_from([">", "<", "≥", "≤", ""]), st.integers(0, 10**6),
       st.sampled_from(["", "%", "个", "所"]))
def test_full_width_gives_same_comparator_and_value(comp, number, unit):
    half = f"{comp}{number}{unit}"
    a, b = parse_cell(half), parse_cell(_to_full_width(half))
    assert (a.comparator, a.value, a.unit) == (b.comparator, b.value, b.unit)
    qa = [q for q in scan("达到" + half) if q.kind == "quantity"]
    qb = [q for q in scan("达到" + _to_full_width(half)) if q.kind == "quantity"]
    assert [(q.comparator, q.value, q.unit) for q in qa] == [
        (q.comparator, q.value, q.unit) for q in qb]
