"""Harmonisation: crosswalk matching, rule-based themes, overrides, and the real documents."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from plancompare import harmonise as hz
from plancompare import model, reference
from plancompare.errors import MappingError

FILE = "plan.txt"


def make_frame(rows: list[dict]) -> pd.DataFrame:
    """A frame with every contract column from a few hand-written rows."""
    defaults = {c: None for c in model.ALL_COLUMNS}
    defaults.update(district_id="d1", district_zh="甲区", district_en="D1", doc_id="plan",
                    source_file=FILE, quote="q", section="tasks", body_chars=0)
    full = []
    for i, row in enumerate(rows, start=1):
        rec = {**defaults, "line": i, **row}
        if rec["body"] and not row.get("body_chars"):
            rec["body_chars"] = len(rec["body"])
        full.append(rec)
    return pd.DataFrame(full, columns=list(model.ALL_COLUMNS))


def task(key, name, body="", *, level=2, parent=None, district="d1", line=None):
    row = {"item_type": "task", "item_key": key, "name_raw": name, "body": body,
           "level": level, "parent_key": parent, "source": "heading", "district_id": district}
    return row if line is None else {**row, "line": line}


def indicator(key, name, *, source="table", district="d1", line=None, role="target"):
    row = {"item_type": "indicator", "item_key": key, "name_raw": name, "source": source,
           "role": role, "value": 90.0, "value_text": "90", "district_id": district,
           "section": "goals"}
    return row if line is None else {**row, "line": line}


def run(frame: pd.DataFrame) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return hz.harmonise(frame)


def themes_of(out: pd.DataFrame) -> dict[str, str]:
    return dict(zip(out["item_key"], out["theme_id"], strict=True))


# --- hand-built frames -------------------------------------------------------------------------

def test_input_frame_is_not_modified():
    frame = make_frame([indicator("k:ind:1", "学前三年入园率"), task("k:task:1", "加强师德师风建设")])
    before = frame.copy()
    out = run(frame)
    pd.testing.assert_frame_equal(frame, before)
    assert list(out.columns) == list(model.ALL_COLUMNS)
    assert out is not frame


def test_indicators_get_crosswalk_id_and_theme():
    out = run(make_frame([indicator("k:ind:1", "学前三年入园率"),
                          indicator("k:ind:2", "职业教育\"双师型\"教师比例"),
                          indicator("k:txt:3:1", "学前教育三年毛入园率", source="text")]))
    assert out["indicator_id"].tolist() == ["preschool_enrolment_rate",
                                            "vocational_dual_qualified_teacher_share",
                                            "preschool_enrolment_rate"]
    assert out["theme_id"].tolist() == ["preschool", "teachers", "preschool"]
    assert out["theme_rule"].tolist()[0] == "crosswalk:preschool_enrolment_rate"


def test_unmapped_table_indicators_warn_listing_all_and_stay_unmapped():
    frame = make_frame([indicator("k:ind:1", "学前三年入园率"),
                        indicator("k:ind:2", "校园足球特色校数量", line=7),
                        indicator("k:ind:3", "教师平均年龄", district="d2", line=9)])
    with pytest.warns(UserWarning, match="2 table indicator name") as info:
        out = hz.harmonise(frame, warn_unused=False)
    text = "\n".join(str(w.message) for w in info)
    assert "2 table indicator name(s) are not in the indicator crosswalk" in text
    assert "`校园足球特色校数量` (d1, plan.txt:7)" in text
    assert "`教师平均年龄` (d2, plan.txt:9)" in text
    assert "fix: add the name to aliases in" in text and "crosswalk.csv" in text
    assert out["indicator_id"].isna().tolist() == [False, True, True]


def test_unmapped_text_target_keeps_empty_id_and_gets_a_theme():
    out = run(make_frame([indicator("k:txt:1:1", "每学期劳动周天数",
                                    source="text")]))
    assert out["indicator_id"].isna().all()
    assert out["indicator_rule"].str.startswith("unmapped (best: ").all()
    assert out["theme_id"].tolist() == ["labour_practice"]
    assert out["theme_rule"].tolist() == ["name:keyword=劳动"]


def test_unused_crosswalk_entries_warn_once_each():
    frame = make_frame([indicator("k:ind:1", "学前三年入园率")])
    with pytest.warns(UserWarning) as record:
        hz.harmonise(frame)
    unused = [str(w.message) for w in record if "matched no indicator row" in str(w.message)]
    assert len(unused) == 1   # one message naming them all
    n = len(reference.crosswalk()) - 1
    assert unused[0].startswith(f"crosswalk entry ids that matched no indicator row ({n}): "
                                "inclusive_kindergarten_coverage, public_kindergarten_share")
    assert "smart_campus_coverage" in unused[0]
    assert "preschool_enrolment_rate" not in unused[0]


def test_heading_first_body_breaks_ties():
    out = run(make_frame([
        task("k:task:1.1", "加强和改进学校体育美育", "体育锻炼，体质健康，阳光体育，美育。"),
        task("k:task:1.2", "加强和改进学校体育美育", "美育课程，艺术展演，审美，体育。"),
    ]))
    assert out["theme_id"].tolist() == ["physical_mental_health", "arts_education"]
    assert out["theme_rule"].tolist()[0] == "name:keyword=体育 (tie broken by body)"
    assert out["theme_secondary"].tolist()[0] == "arts_education"


def test_body_decides_when_the_heading_is_silent():
    out = run(make_frame([task("k:task:1", "强化梯队建设", "培养一批特级教师、特级校长，教师梯队。")]))
    assert (out["theme_id"].item(), out["theme_rule"].item()) == ("teachers",
                                                                 "body:keyword=教师")


def test_nothing_fires_gives_catch_all():
    out = run(make_frame([task("k:task:1", "其他事项", "略。")]))
    assert (out["theme_id"].item(), out["theme_rule"].item()) == ("other", "none: no rule fired")


def test_broad_level1_takes_childrens_majority():
    out = run(make_frame([
        task("k:task:1", "夯实基础，建设基础教育优质均衡示范区", level=1),
        task("k:task:1.1", "推动学前教育普及", "幼儿园" * 10, parent="k:task:1"),
        task("k:task:1.2", "推进义务教育优质均衡发展", "义务教育" * 20, parent="k:task:1"),
        task("k:task:1.3", "深化普通高中多样化有特色发展", "高中" * 5, parent="k:task:1"),
    ]))
    row = out.iloc[0]
    assert row["theme_id"] == "compulsory"
    assert row["theme_rule"] == ("children:majority (broad heading: 示范区): "
                                 "1 of 3 sub-tasks, 67% of their text")
    assert row["theme_secondary"] == "preschool;high_school"


def test_level1_with_a_topic_heading_keeps_it():
    out = run(make_frame([
        task("k:task:1", "加强党对教育工作的全面领导", level=1),
        task("k:task:1.1", "加强师德师风建设", "师德" * 50, parent="k:task:1"),
    ]))
    assert themes_of(out)["k:task:1"] == "party_leadership"


def test_wuyu_leaf_is_moral_education():
    out = run(make_frame([task("k:task:2.2", "构建德智体美劳全面发展的育人体系",
                               "体育课。美育。劳动教育。德育。教学。")]))
    assert (out["theme_id"].item(), out["theme_rule"].item()) == ("moral_education",
                                                                 "broad:keyword=德智体美劳")


def test_measure_without_heading_hit_takes_parent_theme():
    out = run(make_frame([
        task("k:task:3.1", "加快现代职业教育体系建设", "职业教育。"),
        {"item_type": "measure", "item_key": "k:measure:3.1", "name_raw": "持续推进",
         "body": "略", "parent_key": "k:task:3.1", "level": 3, "source": "task_list",
         "section": "annex"},
    ]))
    assert out.iloc[1][["theme_id", "theme_rule"]].tolist() == ["vocational",
                                                               "parent:k:task:3.1"]


def test_text_target_inside_a_task_takes_the_tasks_theme():
    out = run(make_frame([
        task("k:task:2.3", "全面加强学校体育和学生健康教育", "体育。", line=17),
        indicator("k:txt:19:4", "高中每周3-5节", source="text", line=19) | {"section": "tasks"},
    ]))
    row = out.iloc[1]
    assert (row["theme_id"], row["theme_rule"]) == ("physical_mental_health",
                                                    "within:k:task:2.3")
    assert row["theme_secondary"] == "high_school"


@pytest.fixture
def overrides(patched_reference):
    """Point the reference loader at a copy whose override file the test writes."""
    def write(lines: list[str]) -> None:
        (patched_reference / "theme_overrides.csv").write_text(
            "district_id,item_key,theme_id,reason\n" + "".join(f"{x}\n" for x in lines),
            encoding="utf-8")
        reference.clear_cache()

    return write


def test_override_wins_over_rules(overrides):
    overrides(["d1,k:task:1,school_places_layout,new schools in the north"])
    out = run(make_frame([task("k:task:1", "形成北区教育发展新局面", "新建16所幼儿园。幼儿园。")]))
    row = out.iloc[0]
    assert (row["theme_id"], row["theme_rule"]) == ("school_places_layout",
                                                    "override:new schools in the north")
    assert row["theme_secondary"] == "preschool"


def test_override_matching_nothing_warns(overrides):
    overrides(["d1,k:task:99,preschool,gone", "d9,k:task:1,preschool,other district"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        hz.harmonise(make_frame([task("k:task:1", "推动学前教育普及")]))
    about = [str(w.message) for w in caught if "override" in str(w.message)]
    # d9 is not in the frame (a partial build): its override is skipped without a warning.
    assert about == ["theme override for d1 `k:task:99` matches no item (theme_overrides.csv)"]


def test_override_with_unknown_theme_is_rejected(overrides):
    overrides(["d1,k:task:1,nosuch,typo"])
    with pytest.raises(MappingError, match="unknown theme_id `nosuch`"):
        hz.harmonise(make_frame([task("k:task:1", "推动学前教育普及")]))


# --- the real documents ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real():
    """The five raw documents parsed and harmonised."""
    from plancompare import build, manifest

    frame = build.parse_all(manifest.load(), quiet=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = hz.harmonise(frame)
    return frame, out, [str(w.message) for w in caught]


# (district, item_type, heading as printed) -> theme. Why each is not obvious, where it is not:
HEADINGS = [
    # Tongzhou: numbered sub-tasks; the four zones take their sub-tasks' dominant theme.
    ("tongzhou", "task", "推动学前教育普及、普惠、安全、优质发展", "preschool"),  # 学前 beats 安全
    ("tongzhou", "task", "推进义务教育优质均衡发展", "compulsory"),
    ("tongzhou", "task", "促进特殊教育保障提质升级", "special_inclusive"),
    ("tongzhou", "task", "发挥基础教育教研先导和引领作用", "curriculum_instruction"),  # 教研
    ("tongzhou", "task", "构建德智体美劳全面发展的育人体系", "moral_education"),  # 五育 leaf
    ("tongzhou", "task", "激发高等教育服务区域发展活力", "higher_education"),
    ("tongzhou", "task", "锻造适应时代需要的创新型教师队伍", "teachers"),  # 创新型 is not 创新人才
    ("tongzhou", "task", "推进校内外立体式协同育人", "home_school_society"),
    ("tongzhou", "task", "积极扩大教育开放合作", "international"),
    ("tongzhou", "task", "互利共赢，建设京津冀教育协同发展先导区", "regional_coordination"),
    ("tongzhou", "task", "夯实基础，建设基础教育优质均衡示范区", "compulsory"),  # children
    ("tongzhou", "project", "新型教育教学形态探索项目", "digital_smart"),
    ("tongzhou", "project", "中小学学位建设项目", "school_places_layout"),  # not 小学
    # Haidian: lead sentences under (一)-(十五).
    ("haidian", "task", "民办教育规范有序健康发展", "private_offcampus"),  # 健康 alone is no theme
    ("haidian", "task", "培养学生终身学习能力", "curriculum_instruction"),  # 学习能力, not lifelong
    ("haidian", "task", "提升干部教师思想政治素质和师德师风水平", "teachers"),  # 师德 beats 思想政治
    ("haidian", "task", "加强优质教育资源共建共享", "digital_smart"),  # weak heading, body 数字
    ("haidian", "task", "探索“大数据+”评价模式", "governance_reform"),  # 评价 beats 大数据
    ("haidian", "task", "增强内生动力,全面激发活力", "governance_reform"),
    ("haidian", "task", "深化学区制3.0版改革", "school_places_layout"),
    ("haidian", "task", "形成中关村科学城北区教育发展新局面", "school_places_layout"),  # override
    ("haidian", "task", "发挥区域资源禀赋,促进资源融通共享", "home_school_society"),
    ("haidian", "project", "学生学习品质测评", "governance_reform"),
    ("haidian", "project", "全国中小学生艺术素质测评实验区建设", "arts_education"),
    # Daxing: numbered sub-tasks and the key-project table.
    ("daxing", "task", "扎实做好义务教育“双减”工作", "compulsory"),
    ("daxing", "task", "全面提升学生的核心品格和关键能力", "curriculum_instruction"),
    ("daxing", "task", "推进城乡教育一体化发展", "regional_coordination"),
    ("daxing", "task", "提高教育信息化治理能力", "digital_smart"),  # 信息化 beats 治理
    ("daxing", "task", "强化与教育发达地区交流合作", "regional_coordination"),
    ("daxing", "project", "未来学校试点建设项目", "digital_smart"),
    ("daxing", "project", "“三名工程”项目", "teachers"),
    # anon1: action plans (一)-(八) and the task list.
    ("anon1", "task", "实施京津冀教育协同发展行动计划", "regional_coordination"),
    ("anon1", "task", "全面推动习近平新时代中国特色社会主义思想进教材进课堂进头脑", "party_leadership"),
    ("anon1", "task", "加强和改进学校体育美育", "physical_mental_health"),  # body decides the tie
    ("anon1", "task", "加强生态文明教育", "green_campus"),
    ("anon1", "task", "推进职业教育东西部协作", "regional_coordination"),  # partner support to Gansu
    ("anon1", "task", "大力支持民办教育发展", "private_offcampus"),
    ("anon1", "task", "实施基本公共教育服务均等化行动计划", "preschool"),  # children: largest text
    ("anon1", "measure", "深化考试招生制度改革", "governance_reform"),
]


@pytest.mark.parametrize(("district", "kind", "heading", "theme"), HEADINGS)
def test_real_headings(real, district, kind, heading, theme):
    _, out, _ = real
    rows = out[out["district_id"].eq(district) & out["item_type"].eq(kind)
               & out["name_raw"].str.replace("\n", "").eq(heading)]
    assert len(rows) >= 1, heading
    assert set(rows["theme_id"]) == {theme}


def test_haidian_level1_headings(real):
    _, out, _ = real
    level1 = out[out["district_id"].eq("haidian") & out["level"].eq(1)]
    names = dict(zip(level1["name_raw"], level1["theme_id"], strict=True))
    assert names["民办教育规范有序健康发展"] == "private_offcampus"
    assert names["深化教育对外交流合作"] == "international"
    assert names["优化教育资源配置和空间布局结构"] == "school_places_layout"


def test_real_frame_is_fully_themed(real):
    frame, out, caught = real
    assert out["theme_id"].notna().all() and out["theme_rule"].notna().all()
    assert set(out["theme_id"]) <= set(reference.themes()["theme_id"])
    # past results (role achieved) in a review may name nothing a theme rule knows
    assert (out["theme_id"].eq("other") & out["role"].ne("achieved")).sum() == 0
    # every override is used; the codebook is larger than five plans (one message lists them)
    assert [c.split(" (")[0] for c in caught] == [
        "crosswalk entry ids that matched no indicator row"]
    assert len(out) == len(frame)


def test_real_table_indicators_all_mapped(real):
    _, out, _ = real
    table = out[out["item_type"].eq("indicator") & out["source"].eq("table")]
    assert len(table[table["role"].eq("target")]) == 25
    assert table["indicator_id"].notna().all()


@pytest.mark.parametrize(("district", "name", "indicator"), [
    ("anon1", "学前教育三年毛入园率", "preschool_enrolment_rate"),
    ("anon1", "普惠性幼儿园覆盖率（公办园和普惠性民办园在园幼儿占比）", "inclusive_kindergarten_coverage"),
    ("tongzhou", "适龄儿童入园率", "preschool_enrolment_rate"),
    ("haidian", "适龄儿童入园率", "preschool_enrolment_rate"),
    ("tongzhou", "绿色校园建设达标率", "green_school_rate"),
    ("haidian", "绿色校园创建率", "green_school_rate"),
    ("tongzhou", "北京市特级校长", "special_grade_principals"),
    ("haidian", "“双师型”教师比例", "vocational_dual_qualified_teacher_share"),
])
def test_real_text_targets_map(real, district, name, indicator):
    _, out, _ = real
    rows = out[out["district_id"].eq(district) & out["name_raw"].eq(name)
               & out["source"].eq("text")]
    assert len(rows) >= 1
    assert set(rows["indicator_id"]) == {indicator}


# --- theme_text: body characters per theme, by paragraph lead sentence --------------------------

def test_theme_text_splits_paragraphs_by_lead_sentence():
    paragraphs = ["构建一体化德育体系。德育内容。",         # moral (德育)
                  "全面加强学校体育和学生健康教育。体育课。",  # physical
                  "持续推进。略。",                       # no rule fires: task theme
                  "没有句号的段落",                        # no lead sentence: task theme
                  "全面加强劳动教育。劳动。"]              # labour
    body = "\n".join(paragraphs)
    out = run(make_frame([task("k:task:2.2", "构建德智体美劳全面发展的育人体系", body)]))
    row = out.iloc[0]
    assert row["theme_id"] == "moral_education"
    # moral: paragraphs 1, 3 and 4 (15 + 7 + 7 characters, each with its "\n").
    assert row["theme_text"] == ("moral_education=32;physical_mental_health=21;"
                                 "labour_practice=12")
    assert 32 + 21 + 12 == row["body_chars"] == len(body)


def test_theme_text_inline_title_keeps_first_paragraph_and_skips_parents():
    out = run(make_frame([
        task("k:task:1", "加强党对教育工作的全面领导", "总述。", level=1),
        # quote ends with 。: the title is an inline lead sentence; its paragraph continues here.
        task("k:task:1.1", "加强师德师风建设", "全面加强学校美育。美育。", parent="k:task:1")
        | {"quote": "1.加强师德师风建设。"},
        task("k:task:1.2", "加强师德师风建设", "", parent="k:task:1"),
        indicator("k:ind:1", "学前三年入园率"),
    ]))
    assert pd.isna(out["theme_text"].iloc[0])          # level 1 with sub-tasks
    assert out["theme_text"].iloc[1] == "teachers=12"   # not arts: the paragraph has no lead
    assert out["theme_text"].iloc[2:].isna().all()


# Tongzhou 2.2: its five paragraphs (chars include the "\n" after each but the last).
TONGZHOU_22 = ("moral_education=290;curriculum_instruction=347;physical_mental_health=485;"
               "arts_education=346;labour_practice=269")
# The tasks whose text is split, with theme_id and theme_rule as they were before theme_text.
SPLIT_TASKS = {
    ("tongzhou", "plan:task:1.1"): ("preschool", "name:keyword=学前"),
    ("tongzhou", "plan:task:1.3"): ("high_school", "name:keyword=高中"),
    ("tongzhou", "plan:task:2.2"): ("moral_education", "broad:keyword=德智体美劳"),
    ("tongzhou", "plan:task:3.1"): ("home_school_society", "name:keyword=协同育人"),
    ("daxing", "plan:task:2.2"): ("curriculum_instruction", "name:keyword=核心品格"),
    ("daxing", "plan:task:2.6"): ("labour_practice", "name:keyword=综合实践"),
    ("daxing", "plan:task:3.2"): ("compulsory", "name:keyword=义务教育"),
    ("daxing", "plan:task:3.4"): ("high_school", "name:keyword=高中"),
    ("daxing", "plan:task:5"): ("teachers", "name:keyword=干部教师"),
}


def _task_row(out: pd.DataFrame, district: str, key: str) -> pd.Series:
    rows = out[out["district_id"].eq(district) & out["item_type"].eq("task")
               & out["item_key"].eq(key)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_real_tongzhou_wuyu_text_by_paragraph(real):
    _, out, _ = real
    row = _task_row(out, "tongzhou", "plan:task:2.2")
    assert row["theme_text"] == TONGZHOU_22
    paragraphs = row["body"].split("\n")
    assert paragraphs[2].startswith("全面加强学校体育和学生健康教育。")
    assert paragraphs[3].startswith("全面加强和改进学校美育。")
    assert paragraphs[4].startswith("全面加强劳动教育。")
    assert [len(p) for p in paragraphs] == [289, 346, 484, 345, 269]
    assert row["body_chars"] == 1737


def test_real_split_tasks_keep_their_theme(real):
    _, out, _ = real
    split = out[out["theme_text"].str.contains(";", na=False)]
    assert set(zip(split["district_id"], split["item_key"], strict=True)) == set(SPLIT_TASKS)
    for (district, key), (theme, rule) in SPLIT_TASKS.items():
        row = _task_row(out, district, key)
        assert (row["theme_id"], row["theme_rule"]) == (theme, rule), key


def test_real_theme_text_sums_to_body_chars(real):
    _, out, _ = real
    tasks = out[out["item_type"].eq("task")]
    parents = set(zip(tasks["district_id"], tasks["parent_key"], strict=True))
    for row in out.itertuples():
        leaf = row.item_type == "task" and (row.district_id, row.item_key) not in parents
        if not (leaf and row.body_chars):
            assert pd.isna(row.theme_text), row.item_key
            continue
        pairs = [p.split("=") for p in row.theme_text.split(";")]
        assert sum(int(n) for _, n in pairs) == row.body_chars, row.item_key
        assert len({t for t, _ in pairs}) == len(pairs)
        assert {t for t, _ in pairs} <= set(reference.themes()["theme_id"])
        if ";" not in row.theme_text:
            assert row.theme_text == f"{row.theme_id}={row.body_chars}"
