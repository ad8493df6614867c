"""Documents from anywhere: extract never stops on what a new plan may lack (made-up texts)."""

import pytest

from plancompare import cli
from plancompare.parse.ingest import parse_text
from plancompare.parse.sections import commitment_year


@pytest.mark.parametrize("text, year", [
    ("到2025年，全县学前教育毛入园率达到90%。\n到2025年，新建幼儿园5所。", 2025),
    ("力争到2027年，学前教育普及普惠。\n到2035年，基本实现教育现代化。\n至2027年，建成示范校3所。", 2027),
    ("截至2023年底，全市共有学校100所。", None),  # a past date is no horizon
])
def test_commitment_year(text, year):
    assert commitment_year(parse_text(text, path="x.txt")) == year


def test_extract_without_any_period_assumes_the_latest_year_and_says_so(tmp_path, capsys):
    path = tmp_path / "summary.txt"
    path.write_text("2023年，全市学前教育毛入园率达到93.6%。\n2022年，新建学校15所。\n",
                    encoding="utf-8")
    assert cli.main(["extract", str(path)]) == 0
    err = capsys.readouterr().err
    assert "no plan period in the text" in err and "assuming end year 2023" in err


def test_extract_keeps_a_table_whose_names_the_codebook_lacks(tmp_path, capsys):
    path = tmp_path / "plan.txt"
    path.write_text("某区教育发展“十四五”规划\n主要指标\n序号 指标 2020年 2025年\n"
                    "1 校园足球特色校数量（所） — 12\n2 学前教育毛入园率（%） 88 ≥95\n",
                    encoding="utf-8")
    assert cli.main(["extract", str(path), "--format", "csv"]) == 0
    out, err = capsys.readouterr()
    assert "1 table indicator name(s) are not in the indicator crosswalk" in err
    assert "校园足球特色校数量" in out and ",—," in out
