"""Text analyses: segmentation, log-odds, instrument rules, similarity, network (made-up text)."""

from __future__ import annotations

import math
from collections import Counter

import pandas as pd
import pytest

from plancompare import paths
from plancompare.errors import MappingError
from plancompare.textanalysis import instruments, lexicon, network, segment, similarity, terms

# --- segmentation ------------------------------------------------------------------------------


@pytest.mark.parametrize("sentence, term", [
    ("各校要落实双减要求。", "双减"),
    ("鼓励以集团化办学扩大优质资源。", "集团化办学"),
    ("新增普惠性幼儿园学位。", "普惠性幼儿园"),
    ("坚持五育并举育人。", "五育并举"),
    ("深化产教融合校企合作。", "产教融合"),
    ("探索区管校聘改革。", "区管校聘"),
    ("推行师德师风负面清单。", "师德师风"),
    ("完善生均公用经费标准。", "生均公用经费"),
    ("建设智慧校园。", "智慧校园"),
    ("加强校外培训机构治理。", "校外培训机构"),
])
def test_user_dictionary_terms_stay_whole(sentence, term):
    assert term in segment.tokens(sentence)
    assert term in segment.terms(sentence)


@pytest.mark.parametrize("sentence, expected", [
    ("加强推进全面深化。", []),                     # boilerplate only
    ("坚持立德树人，推进课后服务。", ["立德树人", "课后服务"]),
    ("到2025年新建3所学校。", ["新建", "学校"]),    # numbers never count as terms
])
def test_terms_drop_stop_words_digits_and_punctuation(sentence, expected):
    assert segment.terms(sentence) == expected


def test_traditional_text_is_counted_as_simplified():
    assert "双减" in segment.terms(segment.for_matching("落實雙減政策。"))


@pytest.mark.parametrize("text, sentences", [
    ("甲乙。丙丁！戊", ["甲乙。", "丙丁！", "戊"]),
    ("第一句。\n第二句？", ["第一句。", "第二句？"]),
    ("  空格开头。 ", ["空格开头。"]),
    ("", []),
])
def test_split_sentences(text, sentences):
    assert segment.split_sentences(text) == sentences


def test_segmenter_cache_lives_in_its_own_temp_dir():
    import tempfile

    assert segment.tokenizer().tmp_dir.startswith(tempfile.gettempdir())
    assert segment.tokenizer().tmp_dir.endswith("plancompare-jieba")


def test_userdict_lines_are_validated(tmp_path, monkeypatch):
    (tmp_path / lexicon.USERDICT).write_text("# comment\n双减\n集团化办学 abc\n", encoding="utf-8")
    monkeypatch.setattr(paths, "reference_file", lambda name: tmp_path / name)
    lexicon.clear_cache()
    try:
        with pytest.raises(MappingError, match="line 3"):
            lexicon.user_terms()
    finally:
        monkeypatch.undo()
        lexicon.clear_cache()


# --- weighted log-odds, computed by hand ------------------------------------------------------

def test_log_odds_exact_values_with_corpus_prior():
    # a: x 3, y 1; b: x 1, y 3; n = 8, alpha0 = n = 8, alpha_x = alpha_y = 8 * 4 / 8 = 4.
    table = terms.log_odds({"a": Counter(x=3, y=1), "b": Counter(x=1, y=3)})
    row = table[(table["district_id"] == "a") & (table["term"] == "x")].iloc[0]
    delta = math.log((3 + 4) / (4 + 8 - 3 - 4)) - math.log((1 + 4) / (4 + 8 - 1 - 4))
    var = 1 / (3 + 4) + 1 / (1 + 4)
    assert row["delta"] == pytest.approx(delta) == pytest.approx(0.672944, abs=1e-6)
    assert row["var"] == pytest.approx(var) == pytest.approx(12 / 35)
    assert row["z"] == pytest.approx(1.149271, abs=1e-6)
    assert (row["count"], row["count_rest"], row["rank"]) == (3, 1, 1)
    y = table[(table["district_id"] == "a") & (table["term"] == "y")].iloc[0]
    assert y["delta"] == pytest.approx(-0.672944, abs=1e-6)
    assert y["rank"] == 2


def test_log_odds_exact_values_with_a_small_prior():
    # alpha0 = 2: alpha_x = 2 * 4 / 8 = 1; delta = log(4/2) - log(2/4) = 2 log 2.
    table = terms.log_odds({"a": Counter(x=3, y=1), "b": Counter(x=1, y=3)}, alpha0=2)
    row = table[(table["district_id"] == "a") & (table["term"] == "x")].iloc[0]
    assert row["delta"] == pytest.approx(2 * math.log(2))
    assert row["var"] == pytest.approx(1 / 4 + 1 / 2)
    assert row["z"] == pytest.approx(1.600755, abs=1e-6)
    assert row["per_10k"] == pytest.approx(7500.0)


def test_term_table_examples_and_place_names():
    sents = pd.DataFrame({
        "district_id": ["a", "a", "b"],
        "text": ["落实双减工作。", "甲区推进课后服务。", "推进课后服务。"],
        "quote": ["落实双减工作。", "甲区推进课后服务。", "推进课后服务。"],
        "source_file": ["a.txt", "a.txt", "b.txt"], "line": [3, 5, 9]})
    table = terms.term_table(sents, places=["甲区"])
    a = table[table["district_id"] == "a"].set_index("term")
    assert a.loc["双减", "examples"] == "落实双减工作。 (a.txt:3)"
    assert a.loc["课后服务", "count"] == 1 and a.loc["课后服务", "count_rest"] == 1
    assert not any("甲区" in t for t in table["term"])


def test_place_names_are_name_stems():
    frame = pd.DataFrame({"district_zh": ["海淀区", "某某县", "**区（匿名）", "乙市"]})
    assert terms.place_names(frame) == ["某某", "海淀"]


# --- instrument rules: one made-up sentence per rule -------------------------------------------

@pytest.mark.parametrize("sentence, instrument, rule", [
    ("配齐配强思政课专职教师队伍。", "talent", "talent_staff"),
    ("组织新任校长全员培训。", "talent", "talent_training"),
    ("落实教师绩效工资与职称评聘政策。", "talent", "talent_pay"),
    ("足额保障生均经费。", "funding", "funding_money"),
    ("改扩建两所小学，增加学位。", "infrastructure", "infrastructure_build"),
    ("推进大数据在教学中的应用。", "it_support", "it_digital"),
    ("到2030年入学率达到95%。", "goal_planning", "goal_target"),
    ("依法制定学校章程。", "regulation", "regulation_rules"),
    ("严禁学校违规收取择校费。", "regulation", "regulation_control"),
    ("深化招生制度改革，健全协同机制。", "strategic", "strategic_reform"),
    ("开展教学质量督导评估。", "evaluation", "evaluation_assess"),
    ("通过政府购买服务提供课后托管。", "procurement", "procurement_buy"),
    ("创建一批劳动教育示范校。", "pilot", "pilot_demo"),
    ("加强与友好城市的国际交流。", "exchange", "exchange_external"),
    ("引导家长和社区参与学校治理。", "social_participation", "social_public"),
])
def test_each_instrument_rule(sentence, instrument, rule):
    found, hits = instruments.code_sentence(sentence)
    assert instrument in found
    assert any(h.startswith(rule + "=") for h in hits)


@pytest.mark.parametrize("sentence, absent", [
    ("规范校外培训机构办学行为。", "talent"),           # off-campus tutoring is not training
    ("加强学生职业生涯规划教育。", "goal_planning"),     # career planning is not a plan
    ("开展改革开放史学习教育。", "strategic"),           # history, not a reform
    ("恪守学术规范。", "regulation"),                   # academic norms, not a rule
    ("培养具有国际视野的人才。", "exchange"),           # an outlook, not an exchange
    ("加强网络环境下的德育。", "it_support"),           # a setting, not technology
    ("依据《某省教育发展规划》制定本方案。", "goal_planning"),  # a plan cited by its title
])
def test_rules_do_not_fire_on_look_alikes(sentence, absent):
    assert absent not in instruments.code_sentence(sentence)[0]


def test_sentence_without_instrument():
    assert instruments.code_sentence("全面提升学前教育质量。") == ([], [])


def test_traditional_sentence_is_coded_like_simplified():
    assert instruments.code_sentence("加大財政投入。")[0] == ["funding"]


def test_row_instruments_are_the_union_in_codebook_order():
    frame = pd.DataFrame({"item_type": ["task", "indicator"], "name_raw": ["开展国际交流", "x"],
                          "body": ["足额保障经费。新建校舍。", None],
                          "district_id": ["d", "d"], "item_key": ["k:task:1", "k:ind:1"]})
    insts, rules = instruments.code_frame(frame)
    assert insts == [["funding", "infrastructure", "exchange"], []]
    assert rules == ["exchange_external=国际;funding_money=经费;infrastructure_build=新建", None]


def test_overrides_replace_the_rules(monkeypatch):
    decisions = {("d", "k:task:1", 2): (["pilot"], "a model project"),
                 ("d", "k:task:2", 0): ([], "no instrument")}
    monkeypatch.setattr(lexicon, "overrides", lambda: decisions)
    units = instruments.code_units("task", "开展国际交流", "新建校舍。", district_id="d",
                                   item_key="k:task:1")
    assert units == [(["exchange"], "exchange_external=国际"),
                     (["pilot"], "override:a model project")]
    whole = instruments.code_units("task", "开展国际交流", "新建校舍。", district_id="d",
                                   item_key="k:task:2")
    assert whole == [([], "override:no instrument")] * 2


def _patched(tmp_path, monkeypatch, name: str, text: str):
    import shutil

    for other in (lexicon.INSTRUMENTS, lexicon.RULES, lexicon.OVERRIDES):
        shutil.copy(paths.reference_file(other), tmp_path / other)
    (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.setattr(paths, "reference_file", lambda n: tmp_path / n)
    lexicon.clear_cache()


_OVR = "district_id,item_key,sentence,instruments,reason\n"


@pytest.mark.parametrize("name, text, message", [
    (lexicon.OVERRIDES, _OVR + "d,k:task:1,,magic,why\n", "unknown instrument"),
    (lexicon.OVERRIDES, _OVR + "d,k:task:1,x,pilot,why\n", "not empty or a number"),
    (lexicon.OVERRIDES, _OVR + "d,k:task:1,,pilot,\n", "empty reason"),
    (lexicon.RULES, "rule_id,instrument_id,pattern,note\nr1,nowhere,甲,n\n", "unknown"),
    (lexicon.RULES, "rule_id,instrument_id,pattern,note\nr1,pilot,(甲,n\n", "does not compile"),
])
def test_bad_instrument_files_are_named(tmp_path, monkeypatch, name, text, message):
    _patched(tmp_path, monkeypatch, name, text)
    try:
        with pytest.raises(MappingError, match=message) as info:
            lexicon.rules() if name == lexicon.RULES else lexicon.overrides()
        assert info.value.path.endswith(name)
    finally:
        monkeypatch.undo()
        lexicon.clear_cache()


def test_mix_counts_codes_and_shares():
    coded = pd.DataFrame({"district_id": ["a", "a", "b"],
                          "instruments": [["talent", "funding"], ["talent"], []]})
    mix = instruments.mix(coded)
    assert mix.to_dict("records") == [
        {"district_id": "a", "instrument_id": "talent", "type": "supply", "n": 2,
         "share": 2 / 3, "n_sentences": 2},
        {"district_id": "a", "instrument_id": "funding", "type": "supply", "n": 1,
         "share": 1 / 3, "n_sentences": 2}]


# --- similarity ---------------------------------------------------------------------------------

def test_cosine_of_trigram_sets_by_hand():
    a, b = similarity.grams("甲乙丙丁"), similarity.grams("乙丙丁戊")
    assert a == {"甲乙丙", "乙丙丁"}
    assert similarity.cosine(a, b) == pytest.approx(1 / 2)   # 1 shared of 2 and 2
    assert similarity.grams("甲，乙") == {"甲乙"}              # shorter than n: the whole text


@pytest.mark.parametrize("a, b, repeats", [
    ("完善中小学教师交流轮岗制度。", "完善中小学教师交流轮岗制度。", True),            # identical
    ("全面完善中小学教师交流轮岗制度。", "完善中小学教师交流轮岗的制度。", True),      # re-worded
    ("完善中小学教师交流轮岗制度。", "推进教师交流。", False),                       # a phrase only
    ("完善中小学教师交流轮岗制度。", "新建两所幼儿园。", False),                     # unrelated
])
def test_similarity_threshold(a, b, repeats):
    score = similarity.cosine(similarity.grams(a), similarity.grams(b))
    assert (score >= similarity.THRESHOLD) is repeats


def _sentences(rows):
    return pd.DataFrame(rows, columns=["district_id", "item_key", "sentence", "source_file",
                                       "line", "quote"]).assign(text=lambda d: d["quote"])


def test_best_match_share_and_passages():
    a1 = "完善中小学教师交流轮岗制度，健全激励保障机制。"
    b1 = "我们要完善中小学教师交流轮岗制度，健全激励保障机制。"
    sents = _sentences([
        ("a", "k:1", 1, "a.txt", 1, a1), ("a", "k:1", 2, "a.txt", 2, "新建两所幼儿园。"),
        ("b", "k:9", 1, "b.txt", 4, b1), ("b", "k:9", 2, "b.txt", 5, "开展国际交流。")])
    matches = similarity.best_matches(sents)
    top = matches[(matches["district_id"] == "a") & (matches["sentence"] == 1)].iloc[0]
    assert (top["other_district"], top["other_line"]) == ("b", 4)
    assert top["similarity"] >= similarity.THRESHOLD
    share = similarity.repeated_share(sents, matches)
    row = share[(share["district_id"] == "a") & (share["other_district"] == "*")].iloc[0]
    assert (row["n_repeated"], row["repeated_chars"], row["chars"]) == (1, len(a1), len(a1) + 8)
    raw = {"a.txt": [a1, "新建两所幼儿园。"], "b.txt": ["", "", "", b1, "开展国际交流。"]}
    passages = similarity.shared_passages(matches, raw)
    first = passages.iloc[0]
    assert first["quote"] == first["other_quote"] == "完善中小学教师交流轮岗制度，健全激励保障机制。"
    assert (first["source_file"], first["line"], first["other_line"]) == ("a.txt", 1, 4)
    assert first["length"] == 21


def test_stock_trigrams_propose_no_candidates(monkeypatch):
    monkeypatch.setattr(similarity, "MAX_POSTING", 1)
    sents = _sentences([("a", "k", 1, "a.txt", 1, "甲乙丙"), ("b", "k", 1, "b.txt", 1, "甲乙丙")])
    assert similarity.best_matches(sents).empty


# --- network ------------------------------------------------------------------------------------

def _unit_frame():
    return pd.DataFrame({
        "district_id": ["d"] * 4, "item_type": ["task", "measure", "task", "task"],
        "item_key": ["k:task:1", "k:measure:1", "k:task:2", "k:task:3"],
        "parent_key": [None, "k:task:1", None, None],
        "name_raw": ["任务一", "举措一", "任务二", "任务三"], "source_file": ["f.txt"] * 4,
        "line": [1, 9, 3, 5],
        "responsible_units": [["甲局"], ["甲局", "乙委"], ["甲局", "乙委"], []],
        "lead_units": [[], [], [], ["丙办"]], "support_units": [[], [], [], ["甲局"]]})


def test_network_departments_and_links():
    graph = network.bipartite(_unit_frame(), "d")
    depts = network.departments(graph).set_index("department")
    # task 1 is represented by its measure; 甲局 is in the measure, task 2 and task 3
    assert depts.loc["甲局", ["n_items", "n_responsible", "n_support", "n_partners"]].tolist() \
        == [3, 2, 1, 2]
    assert depts.loc["丙办", "n_lead"] == 1
    links = network.links(graph)
    assert links.iloc[0][["department_a", "department_b", "n_shared"]].tolist() == ["乙委", "甲局", 2]
    assert links.iloc[0]["items"] == "举措一 (f.txt:9)\n任务二 (f.txt:3)"
    assert network.districts_with_units(_unit_frame()) == ["d"]


# --- sentences with provenance ------------------------------------------------------------------

def test_sentences_are_found_on_their_raw_lines(tmp_path):
    raw = tmp_path / "data" / "raw"
    raw.mkdir(parents=True)
    (raw / "p.txt").write_text("（一）总体任务\n1.加强教师队伍建设。完善培训。\n新建校舍，增加学位。\n",
                               encoding="utf-8")
    frame = pd.DataFrame({
        "district_id": ["d"], "district_zh": ["某区"], "item_type": ["task"],
        "item_key": ["k:task:1.1"], "theme_id": ["teachers"], "name_raw": ["加强教师队伍建设。"],
        "body": ["完善培训。\n新建校舍，增加学位。"], "source_file": ["p.txt"], "line": [2]})
    located = segment.sentences(frame, tmp_path)
    assert located.problems == []
    got = located.sentences[["sentence", "part", "line", "quote"]].values.tolist()
    assert got == [[1, "heading", 2, "加强教师队伍建设。"], [2, "body", 2, "完善培训。"],
                   [3, "body", 3, "新建校舍，增加学位。"]]


def test_a_paragraph_not_in_the_raw_file_is_reported(tmp_path):
    raw = tmp_path / "data" / "raw"
    raw.mkdir(parents=True)
    (raw / "p.txt").write_text("标题\n", encoding="utf-8")
    frame = pd.DataFrame({
        "district_id": ["d"], "district_zh": ["某区"], "item_type": ["measure"],
        "item_key": ["k:measure:1"], "theme_id": ["other"], "name_raw": ["x"],
        "body": ["不在文件里的句子。"], "source_file": ["p.txt"], "line": [1]})
    located = segment.sentences(frame, tmp_path)
    assert len(located.problems) == 1 and "p.txt:1 k:measure:1" in located.problems[0]
    assert located.sentences["line"].tolist() == [1]


# --- on the seeds -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seeds():
    from plancompare import build, harmonise, manifest
    from plancompare.textanalysis import report

    frame = harmonise.harmonise(build.parse_all(manifest.load(), quiet=True), warn_unused=False)
    return frame, report.analyse(frame, saved=False)


def test_seed_sentences_are_all_located_and_quoted(seeds):
    _, result = seeds
    assert result.problems == []
    assert result.sentences.groupby("district_id").size().to_dict() == {
        "anon1": 367, "daxing": 350, "haidian": 291, "tongzhou": 277}


def test_seed_anon1_network(seeds):
    _, result = seeds
    assert list(result.networks) == ["anon1"]
    depts = network.departments(result.networks["anon1"])
    assert depts.head(3)[["department", "n_items", "n_partners"]].values.tolist() == [
        ["区教育局", 29, 21], ["区人社局", 11, 13], ["区财政局", 5, 12]]


def test_seed_longest_shared_passage(seeds):
    _, result = seeds
    top = result.passages.iloc[0]
    assert (top["district_id"], top["line"], top["other_district"], top["other_line"]) == (
        "daxing", 14, "tongzhou", 227)
    assert top["quote"] == top["other_quote"] and top["length"] == 46


def test_seed_instruments_fill_the_curated_columns(seeds):
    frame, _ = seeds
    units = frame[frame["item_type"].isin(["task", "measure"])]
    assert units["instrument_rule"].notna().all()
    assert frame.loc[frame["item_type"] == "indicator", "instruments"].map(len).eq(0).all()
    coded = units["instruments"].map(len).gt(0).mean()
    assert coded > 0.9


def test_segmenter_works_quietly_when_the_temp_dir_is_not_writable(monkeypatch, capfd):
    import tempfile

    monkeypatch.setattr(tempfile, "gettempdir", lambda: "/proc/plancompare-no-such-dir")
    tok = segment.tokenizer.__wrapped__()   # a fresh tokenizer, not the cached one
    assert tok.tmp_dir == "/proc/plancompare-no-such-dir"
    words = tok.lcut("落实双减。")
    monkeypatch.undo()
    assert "双减" in words
    out, err = capfd.readouterr()
    assert out == "" and err == ""
