"""Ingest and section splitter: decoding, line numbers, noise flags, parts."""

from __future__ import annotations

import pickle

import pytest
from conftest import RAW, RAW_FILES
from hypothesis import given, settings
from hypothesis import strategies as st

from plancompare.errors import InputError, PlanCompareError
from plancompare.parse.ingest import decode, parse_text, read_document
from plancompare.parse.sections import assign_parts, top_headings


def _noise(doc, kind):
    return [ln.no for ln in doc.lines if ln.noise == kind]


def test_tongzhou_noise(docs):
    doc, _ = docs["tongzhou"]
    assert _noise(doc, "page_number") == [42, 44, 94]
    toc = _noise(doc, "toc")
    assert toc[0] == 46 and toc[-1] == 92 and len(toc) == 46
    assert doc.line(97).text == "一、发展基础与形势要求"  # bookmarks removed
    assert doc.line(97).raw.startswith("[bookmark: _Toc90024373]")
    # tab-indented table cells that are bare numbers are not page numbers
    assert doc.line(144).noise is None and doc.line(144).text == "1"


def test_haidian_boilerplate_and_toc(docs):
    doc, _ = docs["haidian"]
    boiler = _noise(doc, "boilerplate")
    assert boiler[0] == 1 and max(n for n in boiler if n < 100) == 21
    assert min(n for n in boiler if n > 100) == 549 and boiler[-1] == 640
    assert not any(ln.noise for ln in doc.lines if 24 <= ln.no <= 43)
    toc = _noise(doc, "toc")
    assert toc[0] == 44 and toc[-1] == 100 and len(toc) == 29
    assert doc.line(236).norm == "1 学前三年入园率(%) 90 >90"  # NBSP indent stripped


def test_parts(docs):
    starts = {}
    for key, (doc, parts) in docs.items():
        prev = None
        for no, part in parts.items():
            if part != prev:
                starts.setdefault(key, []).append((no, part))
                prev = part
    assert starts["tongzhou"] == [(12, "front"), (97, "background"), (123, "goals"),
                                  (197, "tasks"), (272, "implementation"), (281, "annex")]
    assert starts["haidian"] == [(24, "front"), (104, "background"), (190, "guiding"),
                                 (208, "goals"), (260, "tasks"), (434, "implementation"),
                                 (468, "annex")]
    assert starts["daxing1"] == [(1, "tasks")]
    assert starts["daxing2"] == [(1, "implementation"), (3, "annex")]
    assert starts["anon1"] == [(1, "front"), (3, "goals"), (5, "tasks"),
                               (43, "implementation"), (52, "annex")]


def test_top_headings_skip_toc(docs):
    doc, _ = docs["haidian"]
    assert [h.line for h in top_headings(doc)] == [104, 190, 208, 260, 434]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "utf-16", "utf-16-be-bom"])
def test_reencoded_copies_give_same_lines(encoding, tmp_path):
    src = (RAW / RAW_FILES["tongzhou"]).read_text(encoding="utf-8")
    if encoding == "utf-16-be-bom":
        data = b"\xfe\xff" + src.encode("utf-16-be")
    else:
        data = src.encode(encoding)
    path = tmp_path / "copy.txt"
    path.write_bytes(data)
    orig = read_document(RAW / RAW_FILES["tongzhou"])
    copy = read_document(path)
    assert [(ln.no, ln.raw, ln.noise) for ln in copy.lines] == \
        [(ln.no, ln.raw, ln.noise) for ln in orig.lines]


def test_crlf_keeps_line_numbers():
    doc = parse_text("目标\r\n\r\n到2025年，入园率达到90%。\r\n")
    assert [ln.no for ln in doc.lines] == [1, 2, 3]
    assert doc.line(3).raw == "到2025年，入园率达到90%。"


def test_form_feed_does_not_split_lines():
    doc = parse_text("第一行\x0c仍是第一行\n第二行")
    assert len(doc.lines) == 2


def test_fullwidth_and_special_spaces_normalised():
    doc = parse_text("\u3000\u3000入园率达到９０％\u00a0")
    ln = doc.line(1)
    assert ln.text == "入园率达到９０％" and ln.norm == "入园率达到90%"


@pytest.mark.parametrize("data, message", [
    (b"", "the file is empty"),
    (b"   \n\n", "the file is empty"),
    (b"\x00\x01\x02\xff\xfe\x00binary", "looks binary"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "looks binary"),
])
def test_bad_bytes_raise_input_error(data, message):
    with pytest.raises(InputError, match=message) as info:
        decode(data, "data/raw/bad.txt")
    assert "data/raw/bad.txt" in str(info.value)
    assert "fix:" in str(info.value)


def test_only_boilerplate_is_an_error():
    # The Haidian web page's advertising header and navigation footer without the plan.
    lines = (RAW / RAW_FILES["haidian"]).read_text(encoding="utf-8").split("\n")
    text = "\n".join(lines[:22] + lines[546:])
    with pytest.raises(InputError, match="no plan text"):
        parse_text(text, path="ads.txt")


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="cannot read") as info:
        read_document(tmp_path / "nope.txt")
    assert "nope.txt" in str(info.value)


def test_errors_survive_pickling():
    err = InputError("bad", path="a.txt", line=3, fix="do this")
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is InputError and str(back) == str(err) and back.line == 3


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_splitter_raises_only_project_errors(text):
    try:
        doc = parse_text(text, path="fuzz.txt")
    except PlanCompareError:
        return
    parts = assign_parts(doc)
    assert set(parts) == {ln.no for ln in doc.content_lines()}


WIDTH = str.maketrans("0123456789()%>", "０１２３４５６７８９（）％＞")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["一、主要任务", "（一）加强党的领导", "1.推进学前教育",
                                 "到2025年，入园率达到90%。", "附表 重点项目", "二、保障措施",
                                 "", "目录", "12"]), min_size=1, max_size=30))
def test_parts_unchanged_by_width_swap(lines):
    text = "\n".join(lines)
    try:
        a = assign_parts(parse_text(text))
    except PlanCompareError:
        with pytest.raises(PlanCompareError):
            parse_text(text.translate(WIDTH))
        return
    b = assign_parts(parse_text(text.translate(WIDTH)))
    assert a == b


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",))))
def test_normalise_equals_nfkc(text):
    import unicodedata

    from plancompare.parse.text import normalise
    assert normalise(text) == unicodedata.normalize("NFKC", text)


def test_normalise_equals_nfkc_on_every_raw_line(docs):
    import unicodedata

    for doc, _ in docs.values():
        for ln in doc.lines:
            assert ln.norm == unicodedata.normalize("NFKC", ln.text), (doc.path, ln.no)
