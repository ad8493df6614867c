"""Quantified targets in running text, decided by what each sentence says.

Every paragraph (:func:`plancompare.parse.paragraphs.paragraphs`: a content line, or hard-wrapped
lines re-joined, so a target broken over two lines is read whole, with ``line``..``line_end``) is
read (minus ``skip_lines``, the indicator-table lines), wherever it stands. Each number :func:`plancompare.parse.numbers.scan` calls a quantity is decided sentence
by sentence (clause by clause where a sentence mixes tenses, :mod:`plancompare.parse.tense`):

* a **commitment** (到2025年, 力争, 确保, 将, a year of the plan period) gives a row with role
  ``target``;
* a **past result** (十三五期间, 截至…年底, 已, 累计, 实现了, 比2015年提高, 共有/现有, 2020年 as
  the reference point) gives a row with role ``achieved`` and its year (the year stated, else
  the base year ``end_year - 5``);
* a sentence that states neither takes the decision of the sentence before it in the same
  paragraph (``carry:``), then of the last context heading (``heading:``: 发展目标 / 发展基础 ...),
  then of the part ``sections.assign_parts`` gave the line (``part:goals``); in a part that says
  nothing (front matter, an unknown text) the last decision carries across paragraphs.

The deciding rule is written to ``target_rule``. Numbers that are no targets whatever the tense
(:mod:`plancompare.parse.target_rules`): years, dates, list and page numbers, versions, formulas,
ordinals, phone numbers; anything inside 《》 / “” names; counts of the plan's own parts
(设置12项主要指标); meeting and document numbers (9次会议); size or price qualifiers (占地超过200亩
的校园); duration labels (15年基本公共教育); references (按5个试点校); enumeration totals;
the "from" value of 从X提高到Y; Chinese numerals used as count words (一项, 两个).

Lists: ``A、B、C分别达到x、y、z`` pairs names and values by position; ``A和B保持50%以上`` gives
one row per name. ``name_raw`` is the subject of the clause (framing words such as 到2025年, 全市,
力争 cut), else the noun the count counts (``8所示范性职业院校`` -> 示范性职业院校), else the
clause; ``quote`` is the sentence (the clause, for a very long sentence).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from ..files import MAX_LINE_NUMBERS_ENV, max_line_numbers
from ..model import Item
from . import target_rules as rules
from . import tense
from .clauses import Delimiters, Intervals, in_parens, locate, sentences, shielded
from .ingest import Document
from .numbers import Quantity, matching_text, scan_counted
from .paragraphs import Paragraph, paragraphs
from .tableheader import Problem

#: Longest quote: a longer sentence is quoted by its clause, a longer clause by a window.
MAX_QUOTE = 600
#: Rule of the 'from' value of 从X提高到Y (an achieved row; see :func:`_from_item`).
FROM_RULE = "past:from"


@dataclass
class _Context:
    """What the text so far says about tense: the part, the last heading, the last decision."""

    part: str | None = None
    heading_rule: str | None = None
    carry: tuple[str, str] | None = None          # (decision, rule) of the last sentence
    carry_year: int | None = None                 # the year of a carried past-year report
    counters: dict[int, int] = field(default_factory=dict)
    period_assumed: bool = False
    limit: int | None = None                      # most numbers read in one paragraph
    problems: list[Problem] = field(default_factory=list)

    def enter(self, part: str | None) -> None:
        if part != self.part:
            self.part, self.heading_rule, self.carry = part, None, None

    def set_carry(self, decision: tuple[str, str] | None, year: int | None = None) -> None:
        self.carry, self.carry_year = decision, year

    def part_decision(self) -> tuple[str, str] | None:
        if self.part in rules.COMMITMENT_PARTS:
            return tense.COMMITMENT, f"part:{self.part}"
        if self.part in rules.PAST_PARTS:
            return tense.PAST, f"part:{self.part}"
        return None

    def default(self) -> tuple[str, str] | None:
        """The decision for a sentence that states none (carry > heading > part)."""
        if self.carry:
            return self.carry[0], self.carry[1] if self.carry[1].startswith("carry:") \
                else f"carry:{self.carry[1]}"
        if self.heading_rule:
            return self.heading_rule.split(":")[1], self.heading_rule
        return self.part_decision()

    def base(self) -> tuple[str, str] | None:
        """The decision of the heading or part alone (what a paragraph starts from)."""
        if self.heading_rule:
            return self.heading_rule.split(":")[1], self.heading_rule
        return self.part_decision()

    def past_context(self) -> bool:
        d = self.base()
        return d is not None and d[0] == tense.PAST

    def commitment_context(self) -> bool:
        d = self.base()
        return d is not None and d[0] == tense.COMMITMENT


def parse_text_targets(doc: Document, parts: dict[int, str], *, key_prefix: str, end_year: int,
                       skip_lines: frozenset[int] = frozenset(),
                       period_assumed: bool = False, problems: list | None = None) -> list[Item]:
    """Find the quantified targets (and past results) stated in running text.

    Parameters
    ----------
    doc
        The ingested document.
    parts
        ``sections.assign_parts(doc, ...)``: evidence for the tense of a sentence that states
        none (goals, tasks, implementation, annex: commitment; background: past).
    key_prefix
        Prefix of the item keys: ``{key_prefix}:txt:{line}:{k}`` for the k-th row of a line.
    end_year
        The plan's last year: the year of a target whose sentence states none; the base year
        of past results is ``end_year - 5``.
    skip_lines
        Lines not to read (the indicator-table lines, already parsed as table items).
    period_assumed
        True when the text names no plan period and no commitment year (到2025年), so
        ``end_year`` was assumed from the latest year it states: then only a
        commitment the sentence states (到2025年, 力争, 将 ...) or carries from such a marker
        makes a target; a bare ``A达到X%`` decided by a bare year, a heading or a part gives no
        row (rule ``not:period-assumed``).
    problems
        Receives a :class:`plancompare.parse.tableheader.Problem` for every paragraph holding
        more numbers than :func:`plancompare.files.max_line_numbers`: only the first ones are
        read, and the warning says how many there were and how to raise the limit.

    Returns
    -------
    list of Item
        ``item_type="indicator"``, ``source="text"``, role ``target`` or ``achieved``, with
        ``target_rule``, in line order.
    """
    ctx = _Context(period_assumed=period_assumed, limit=max_line_numbers())
    items: list[Item] = []
    for para in paragraphs(doc):
        ctx.enter(parts.get(para.no))
        if any(ln.no in skip_lines for ln in para.lines):
            continue
        items.extend(_line_items(doc, para, ctx, key_prefix=key_prefix, end_year=end_year))
    if problems is not None:
        problems.extend(ctx.problems)
    return items


def _over_limit(doc: Document, para: Paragraph, held: int, limit: int) -> Problem:
    where = "" if len(para.lines) == 1 else f" (lines {para.no}-{para.lines[-1].no})"
    return Problem(doc.path, para.no, "targets", "numbers_over_limit",
                   f"{held} numbers in one paragraph{where}, more than the limit of {limit}: "
                   f"the first {limit} were read for targets, the last {held - limit} not (a "
                   f"plan's paragraph states a few dozen; this looks like generated data or a "
                   f"text that lost its line breaks); to read them all: "
                   f"{MAX_LINE_NUMBERS_ENV}={held} plancompare ...")


@dataclass
class _Line:
    """One line prepared for lookups: raw and matched text, numbers, geometry, markers."""

    raw: str
    text: str
    quantities: list[Quantity]
    sentences: list[tuple[int, int]]
    delims: Delimiters
    markers: tense.MarkerIndex
    shield: Intervals
    parens: Intervals
    _positions: dict = field(default_factory=dict)

    def positions(self, pattern: re.Pattern[str]) -> rules.Positions:
        """Where ``pattern`` matches in the line (found once per line and pattern)."""
        key = pattern.pattern
        if key not in self._positions:
            self._positions[key] = rules.Positions(pattern, self.text)
        return self._positions[key]

    def positions_iter(self, pattern: re.Pattern[str], lo: int, hi: int) -> list[int]:
        pos = self.positions(pattern)
        i, j = bisect.bisect_left(pos.starts, lo), bisect.bisect_left(pos.starts, hi)
        return pos.starts[i:j]

    def in_title(self, pos: int) -> bool:
        """Inside a 《》 / “” name or a bracket."""
        return self.shield.covers(pos) or self.parens.covers(pos)


def _prepare(raw: str, end_year: int, limit: int | None = None) -> tuple[_Line, int, int]:
    """The line prepared, the numbers it holds and how many of them were read (``limit``)."""
    text = matching_text(raw)
    shield, parens = shielded(text), in_parens(text)
    numbers, held = scan_counted(raw, text, bare=False, limit=limit)
    found = [q for q in numbers if q.kind == "quantity" and not rules.is_bare(q)
             and not shield.covers(q.start) and not rules.is_heading_count(text, q, parens)]
    ln = _Line(raw, text, found, sentences(text), Delimiters(text),
               tense.MarkerIndex(tense.find_markers(text, end_year=end_year)), shield, parens)
    return ln, held, len(numbers)


def _line_items(doc: Document, line: Paragraph, ctx: _Context, *, key_prefix: str,
                end_year: int) -> list[Item]:
    title = line.first.text if len(line.lines) == 1 else line.text
    heading = rules.context_heading(title) if ctx.part_decision() is None else None
    if heading:  # headings decide only where the part says nothing (unknown or front matter)
        ctx.heading_rule = heading
        ctx.set_carry(None)
    if not any(ch.isdigit() for ch in line.text) and not rules.has_cn_digit(line.text):
        if ctx.part_decision() is None and not heading:
            _update_carry(ctx, line.text, end_year)
        return []
    ln, held, read = _prepare(line.text, end_year, ctx.limit)
    if held > read:
        ctx.problems.append(_over_limit(doc, line, held, read))
    items: list[Item] = []
    by_sentence: dict[tuple[int, int], list[Quantity]] = {}
    for q in ln.quantities:
        span = locate(ln.sentences, q.start)
        if span is not None:
            by_sentence.setdefault(span, []).append(q)
    froms: list[Item] = []
    for span in ln.sentences:
        for item in _sentence_items(doc, line, ln, span, by_sentence.get(span, []), ctx,
                                    end_year=end_year):
            (froms if item.target_rule == FROM_RULE else items).append(item)
    items += froms  # numbered after the line's other rows, whose keys stay as they were
    for k, item in enumerate(items, start=1):
        item.item_key = f"{key_prefix}:txt:{line.no}:{k}"
    if ctx.part_decision() is not None:
        ctx.set_carry(None)  # a part with its own default: decisions do not cross paragraphs
    return items


def _update_carry(ctx: _Context, raw: str, end_year: int) -> None:
    """A line without numbers still sets the tense for the text after it (未来五年, 十三五期间)."""
    text = matching_text(raw)
    markers = tense.find_markers(text, end_year=end_year)
    strong = [mk for mk in markers if mk.strong]
    if strong:
        ctx.set_carry((strong[-1].decision, strong[-1].rule), _report_year(strong[-1]))


def _sentence_items(doc: Document, line: Paragraph, ln: _Line, span: tuple[int, int],
                    found: list[Quantity], ctx: _Context, *, end_year: int) -> list[Item]:
    s_start, _s_end = span
    past_context = ctx.past_context()
    own = tense.decide(ln.markers, s_start, span, span, past_context=past_context)
    items: list[Item] = []
    last: tuple[str, str] | None = None
    last_year = None
    named = list(rules.named_quantities(ln, found, span))
    starts = rules.from_values(ln, found, span)
    for q in (q for q in found if q.start in starts):
        items.extend(_from_item(doc, line, ln, q, named, span, ctx, end_year))
    for q, name in named:
        clause = ln.delims.clause_span(q.start, span)
        mk = tense.decide(ln.markers, q.start, clause, span, past_context=past_context,
                          commitment_context=ctx.commitment_context(),
                          skip=rules.from_phrase(ln, q, clause))
        if mk is not None and mk.decision == tense.COMMITMENT and not mk.strong:
            mk = tense.change_after(ln.markers, clause[1], span[1]) or mk
        decision = (mk.decision, mk.rule) if mk else ctx.default()
        if decision is None:
            continue
        if decision[0] == tense.COMMITMENT and rules.baseline_year(ln, q, clause, span):
            decision, mk = (tense.PAST, "past:baseline-year"), None
        if ctx.period_assumed and _unstated_commitment(decision):
            continue  # not:period-assumed
        year = _report_year(mk) if mk else ctx.carry_year if ctx.carry else None
        if year is None and decision[0] == tense.PAST and ctx.carry and ctx.carry[0] == tense.PAST:
            year = ctx.carry_year  # a weak past word (比上年) inside a past-year report's run
        if not (past_context and decision[0] == tense.COMMITMENT):
            last, last_year = decision, year  # in a review, a commitment does not carry
        if rules.excluded(ln, q, clause, span, decision[0]):
            continue
        items.append(_item(doc, line, ln, q, name, span, clause, decision, mk, end_year, year))
        items[-1].section = ctx.part
    if own is not None and last is None and not (past_context
                                                 and own.decision == tense.COMMITMENT):
        last, last_year = (own.decision, own.rule), _report_year(own)
    if last is not None:
        ctx.set_carry(last, last_year)
    return items


def _from_item(doc: Document, line: Paragraph, ln: _Line, q: Quantity,
               named: list[tuple[Quantity, str]], span: tuple[int, int], ctx: _Context,
               end_year: int) -> list[Item]:
    """The 'from' value of 从X提高到Y / 由2020年的X提升至Y: where the measure of Y starts, an
    ``achieved`` row with Y's name (rule ``past:from``), dated by a year stated with it, else
    the base year. None when Y has no name or the value is no kind of Y's (a count and a %)."""
    clause = ln.delims.clause_span(q.start, span)
    to = next(((t, n) for t, n in named if t.start > q.start and t.start < clause[1]), None)
    if to is None or (to[0].unit or "") != (q.unit or ""):
        return []
    item = _item(doc, line, ln, q, to[1], span, clause, (tense.PAST, FROM_RULE), None,
                 end_year, rules.from_year(ln, q, clause, end_year))
    item.section = ctx.part
    return [item]


def _unstated_commitment(decision: tuple[str, str]) -> bool:
    """A commitment no strong marker states (a bare year, a carried weak one, a heading, a part)."""
    rule = decision[1].removeprefix("carry:")
    return decision[0] == tense.COMMITMENT and not (
        rule.startswith(f"{tense.COMMITMENT}:") and not tense.is_weak_rule(rule))


def _report_year(mk: tense.Marker | None) -> int | None:
    """The year a past-year report states (carried to the sentences after it), else None."""
    return mk.year if mk is not None and mk.name == "year-report" else None


def _item(doc: Document, line: Paragraph, ln: _Line, q: Quantity, name: str, span: tuple[int, int],
          clause: tuple[int, int], decision: tuple[str, str], mk: tense.Marker | None,
          end_year: int, report_year: int | None = None) -> Item:
    past = decision[0] == tense.PAST
    first, last, quote = line.quote(*_quote_span(span, clause, q))
    year = (report_year or rules.past_year(ln, q, span, mk, end_year) if past
            else rules.target_year(ln, q, span, end_year))
    return Item(
        item_type="indicator", item_key="", name_raw=name, source="text",
        source_file=doc.path, line=first, line_end=last, quote=quote,
        unit=q.unit, year=year, role="achieved" if past else "target",
        comparator=q.comparator, value=q.value, value_high=q.value_high,
        value_text=q.value_text, target_rule=decision[1],
        approximate=True if q.approximate else None,
        rate_period=rules.rate_period(ln, q, clause),
    )


def _quote_span(span: tuple[int, int], clause: tuple[int, int], q: Quantity) -> tuple[int, int]:
    """The sentence, else (a very long sentence) the clause, else a window around the number."""
    for s, e in (span, clause):
        if e - s <= MAX_QUOTE:
            return s, e
    half = MAX_QUOTE // 2
    return max(q.start - half, clause[0]), min(q.end + half, clause[1])
