"""Paragraphs: hard-wrapped lines re-joined, offsets and quotes still on the raw lines."""

import pytest

from plancompare.model import Item
from plancompare.parse.ingest import parse_text
from plancompare.parse.paragraphs import display_width, paragraphs, wrap_width
from plancompare.parse.run import _quote_on_lines

# Made-up prose, not from any plan.
PROSE = ("到二〇二五年，全市学校的办学条件全面改善，课程体系更加完善，每所学校至少建成一个"
         "创新实验室，教师队伍结构持续优化，普惠性幼儿园覆盖率达到百分之九十以上，城乡差距"
         "明显缩小，社区学习中心覆盖所有街道，家庭教育指导服务体系基本建立。")
SECOND = ("加强学校体育工作，每天校园体育活动时间不少于两小时，学生体质健康达标率稳步提高，"
          "近视率逐年下降，心理健康教育实现全覆盖，学校卫生室配备率保持在较高水平。")


def wrap(text: str, chars: int = 20) -> list[str]:
    return [text[i:i + chars] for i in range(0, len(text), chars)]


HEADER = "某市教育事业发展规划"


def wrapped_doc(furniture: bool = False) -> str:
    lines = ["第一章　总体要求", *wrap(PROSE), "（一）主要任务", *wrap(SECOND)]
    if furniture:  # page breaks after lines 3, 7 and 10: page number, running header
        for at, page in ((10, 14), (7, 13), (3, 12)):
            lines[at:at] = ["", f"— {page} —", "", HEADER, ""]
    return "\n".join(lines) + "\n"


def test_unwrapped_document_gives_one_paragraph_per_line():
    doc = parse_text("第一章 总体要求\n" + PROSE + "\n" + SECOND + "\n")
    paras = paragraphs(doc)
    assert wrap_width(doc) is None
    assert [p.text for p in paras] == [ln.raw for ln in doc.content_lines()]
    assert all(p.quote(0, 4) == (p.no, None, p.text[:4]) for p in paras)


def test_hard_wrapped_lines_are_rejoined():
    doc = parse_text(wrapped_doc())
    assert wrap_width(doc) == 39  # a full-width ％ counts as one column, as its folded form
    paras = paragraphs(doc)
    assert [p.text for p in paras] == ["第一章　总体要求", PROSE, "（一）主要任务", SECOND]
    n1, n2 = len(wrap(PROSE)), len(wrap(SECOND))
    assert [[ln.no for ln in p.lines] for p in paras] == [
        [1], list(range(2, 2 + n1)), [2 + n1], list(range(3 + n1, 3 + n1 + n2))]


def test_locate_and_quote_across_a_wrap():
    doc = parse_text(wrapped_doc())
    para = paragraphs(doc)[1]
    start = PROSE.index("每所学校")
    assert para.locate(start) == (2 + start // 20, start % 20)
    end = PROSE.index("实验室") + 3
    line, line_end, quote = para.quote(start, end)
    assert (line, line_end) == (3, 4)
    assert quote == PROSE[start:end][:20 - start % 20] + "\n" + PROSE[start:end][20 - start % 20:]
    item = Item(item_type="indicator", item_key="k", name_raw="x", source="text",
                source_file=doc.path, line=line, line_end=line_end, quote=quote)
    assert _quote_on_lines(item, doc)


def test_page_furniture_between_the_halves_is_skipped_and_quoted():
    doc = parse_text(wrapped_doc(furniture=True))
    assert [(ln.no, ln.noise) for ln in doc.lines if ln.noise] == [
        (5, "page_number"), (7, "running_header"), (14, "page_number"), (16, "running_header"),
        (22, "page_number"), (24, "running_header")]
    paras = paragraphs(doc)
    assert [p.text for p in paras] == ["第一章　总体要求", PROSE, "（一）主要任务", SECOND]
    para = paras[1]
    assert [ln.no for ln in para.lines] == [2, 3, 9, 10, 11, 12]
    assert [ln.no for ln in paras[3].lines] == [19, 20, 26, 27]
    line, line_end, quote = para.quote(35, 45)  # from line 3 across the page break to line 9
    assert (line, line_end) == (3, 9)
    assert quote == PROSE[35:40] + "\n\n— 12 —\n\n" + HEADER + "\n\n" + PROSE[40:45]
    raw = "\n".join(doc.line(n).raw for n in range(3, 10))
    assert quote in raw


def test_a_short_line_printed_once_is_no_running_header():
    doc = parse_text("— 1 —\n" + HEADER + "\n" + PROSE + "\n")
    assert doc.line(2).noise is None


@pytest.mark.parametrize("line, nxt, joined", [
    ("到二〇二五年全市学校的办学条件全面改善课程", "体系更加完善。", True),
    ("到二〇二五年全市学校的办学条件全面改善课。", "体系更加完善。", False),   # ends a sentence
    ("到二〇二五年全市学校的办学条件全面改善课程", "（二）体系更加完善", False),  # heading
    ("到二〇二五年全市学校的办学条件全面改善课程", "1.体系更加完善。", False),    # numbered item
    ("到二〇二五年全市学校的办学条件全面改善课程", "——体系更加完善。", False),   # list item
    ("到二〇二五年全市学校的办学条件全面改善课程", "　　体系更加完善。", False),   # indented
    ("到二〇二五年全市学校的办学条件", "体系更加完善。", False),              # short line
])
def test_join_rule(line, nxt, joined):
    filler = [PROSE[i:i + 20] for i in range(0, 100, 20)]  # gives the document its wrap width
    doc = parse_text("\n".join([*filler, "", line, nxt, ""]))
    paras = paragraphs(doc)
    assert (paras[-1].text == line + nxt) is joined
    assert display_width("教育ab") == 6


# A line cut by a page break, in a document without a wrap width: joined when the line is a
# sentence fragment (sentence punctuation inside, no sentence end) and furniture follows it.
@pytest.mark.parametrize("before, after, joined", [
    ("二是扩大供给，每年新增公办学位不", "少于800个。", True),
    ("加强师资建设，专任教师本科以上学历比例达", "到九成以上。", True),
    ("（二）主要任务", "加强师资建设，专任教师持续增加。", False),     # a heading: no punctuation
    ("加强师资建设，专任教师持续增加。", "学校布局更加合理。", False),   # a sentence end
    ("二是扩大供给，每年新增公办学位不", "1. 学校布局更加合理。", False),  # next opens an item
])
def test_line_cut_by_a_page_break(before, after, joined):
    doc = parse_text(f"某区教育工作要点\n\n{before}\n\n— 7 —\n\n{after}\n")
    texts = [p.text for p in paragraphs(doc)]
    assert (before + after in texts) is joined
    if joined:
        para = next(p for p in paragraphs(doc) if p.text == before + after)
        line, line_end, quote = para.quote(len(before) - 1, len(before) + 2)
        assert (line, line_end) == (3, 7)
        assert quote == before[-1] + "\n\n— 7 —\n\n" + after[:2]


# A sentence fragment in a document too short to show a wrap width: a line longer than any
# unnumbered heading, with sentence punctuation inside and none at its end, opening no numbered
# heading, goes on in the next line.
@pytest.mark.parametrize("before, after, joined", [
    ("到2030年，全县普惠性幼儿园覆盖率达到九成，", "九年义务", False),     # ends on punctuation
    ("到2030年，全县普惠性幼儿园覆盖率达到九成以上，九年义务", "教育巩固率达到百分之九十八。", True),
    ("全县中小学教师中研究生学历比例不低于", "一成。", False),             # no punctuation inside
    ("中小学教师中研究生学历比例显著提高，专任教", "师全员培训。", False),  # not longer than a heading
    ("（一）坚持立德树人根本任务，落实五育并举育人体系要求", "加强思想政治教育。", False),  # numbered
    ("到2030年，全县普惠性幼儿园覆盖率达到九成以上，九年义务", "（二）主要任务", False),
])
def test_sentence_fragment_goes_on_in_the_next_line(before, after, joined):
    doc = parse_text(f"某县教育发展规划\n{before}\n{after}\n")
    assert wrap_width(doc) is None
    texts = [p.text for p in paragraphs(doc)]
    assert (before + after in texts) is joined
    if joined:
        para = next(p for p in paragraphs(doc) if p.text == before + after)
        assert para.quote(len(before) - 2, len(before) + 2) == (2, 3, before[-2:] + "\n" + after[:2])
