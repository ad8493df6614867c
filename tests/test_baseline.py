"""Which review value is a target's baseline: same stage, added against added (made-up rows)."""

from __future__ import annotations

import pandas as pd
import pytest

from plancompare import analysis, baseline, reference
from plancompare.model import ALL_COLUMNS


def _row(quote: str, value_text: str, *, name: str = "", source: str = "text") -> dict:
    return {"quote": quote, "value_text": value_text, "name_raw": name, "source": source}


@pytest.mark.parametrize(("target", "base", "scale", "same"), [
    # kindergartens against kindergartens; schools never against kindergartens
    (_row("接收配套园11所。", "11所"), _row("接收配套幼儿园19所（建筑面积6万平方米）。", "19所"),
     "count", True),
    (_row("接收配套校4所、配套园11所。", "4所"), _row("接收配套幼儿园19所。", "19所"),
     "count", False),
    (_row("新增中小学建筑面积80万平方米、幼儿园建筑面积10万平方米。", "10万平方米"),
     _row("接收配套幼儿园9所（建筑面积5万平方米）。", "5万平方米"), "count", True),
    (_row("新增中小学建筑面积80万平方米。", "80万平方米"),
     _row("接收配套幼儿园9所（建筑面积5万平方米）。", "5万平方米"), "count", False),
    # 校园 names no stage: a campus rate compares with a campus rate
    (_row("平安校园达标率达到100%。", "100%"), _row("“平安校园”达标率100%。", "100%"),
     "rate", True),
    # an amount added against a stock: no baseline; added against added: baseline
    (_row("新增1个中外合作办学项目。", "1个"), _row("不断提升13个中外合作办学项目质量。", "13个"),
     "count", False),
    (_row("培养10名区级名师。", "10名"), _row("形成拥有骨干教师500人的梯队。", "500人"),
     "count", False),
    (_row("新增学前学位5000个。", "5000个"), _row("五年累计增加学前学位2.8万个。", "2.8万个"),
     "count", True),
    (_row("特级校长达到8人以上。", "8人"), _row("拥有特级校长24人。", "24人"), "count", True),
    # rates are levels: 增加 in a rate clause says nothing of stocks
    (_row("就近入学率保持在99%以上。", "99%"), _row("就近入学率增加到99%。", "99%"), "rate", True),
    # a table row is read by its name (its quote has the name on another line)
    (_row("1\n\t学前教育入园率（%）\n\t>90", ">90", name="学前教育入园率（%）", source="table"),
     _row("小学入学率达到100%。", "100%"), "rate", False),
])
def test_same_measure(target, base, scale, same):
    assert baseline.same_measure(target, base, scale) is same


@pytest.mark.parametrize(("name", "key"), [
    ("“十三五”时期累计增加学前学位", "新增学前学位"),
    ("十四五期间新增学位", "新增学位"),
    ("累计增加学前学位", "新增学前学位"),
    ("增加到90%", "增加到90%"),        # a level reached, not an amount added
    ("全区适龄儿童入园率", "适龄儿童入园率"),
])
def test_period_and_added_words_are_normalised(name, key):
    assert reference.normalise_name(name) == key


def test_baseline_words_file_is_read_by_kind():
    words = reference.baseline_words()
    assert set(words) == {"preschool", "school", "added"}
    assert "接收" in words["added"] and "园" in words["preschool"] and "校" in words["school"]


def _kw(**fields) -> dict:
    return fields


def _frame(*rows: dict) -> pd.DataFrame:
    out = []
    for r in rows:
        row = dict.fromkeys(ALL_COLUMNS)
        row.update(district_id="d1", district_zh="甲区", district_en="D1", doc_id="plan",
                   item_type="indicator", source="text", role="target", year=2025,
                   source_file="d1.txt", responsible_units=[], body_chars=0,
                   jurisdiction_level="district", unit="所", comparator="=")
        row.update(r)
        out.append(row)
    return pd.DataFrame(out, columns=list(ALL_COLUMNS))


def test_each_target_statement_gets_the_review_value_of_its_own_stage():
    frame = _frame(
        _kw(item_key="t:1", line=9, name_raw="接收配套校", value=4.0, value_text="4所",
             quote="接收配套校4所、配套园11所。", indicator_id="matched_schools_received"),
        _kw(item_key="t:2", line=9, name_raw="配套园", value=11.0, value_text="11所",
             quote="接收配套校4所、配套园11所。", indicator_id="matched_schools_received"),
        _kw(item_key="a:1", line=2, name_raw="接收配套幼儿园", value=19.0, value_text="19所",
             quote="接收配套幼儿园19所。", indicator_id="matched_schools_received",
             role="achieved", year=2020))
    rows = analysis.statement_baselines(frame, ["d1"], "zh")
    assert rows[["value_text", "baseline_text", "baseline_source", "baseline_line"]].astype(
        object).where(rows.notna(), None).values.tolist() == [
        ["4所", None, None, None], ["11所", "19所", "text", 2]]
