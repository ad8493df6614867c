"""Benchmark the table parsers (indicator tables, task lists, key projects) on large inputs.

Prints seconds per parser for (a) the seed documents repeated to about 10 MB (mostly prose, a
few tables) and (b) 10 MB made of table rows only (one TAB row per line), to show the work stays
linear in the input.

Usage::

    python benchmarks/bench_tables.py [--mb 10]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from plancompare.parse import projects, tables, tasklist
from plancompare.parse.ingest import parse_text

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"


def _time(label: str, text: str, *, with_projects: bool = True) -> None:
    t0 = time.perf_counter()
    doc = parse_text(text, path=label)
    t1 = time.perf_counter()
    ind = tables.parse_indicator_tables(doc, {}, key_prefix="p", end_year=2025)
    t2 = time.perf_counter()
    mea = tasklist.parse_task_list(doc, {}, key_prefix="p", tasks=[])
    t3 = time.perf_counter()
    # repeated seeds repeat project numbers, which is an error (keys would collide)
    pro = projects.parse_projects(doc, {}, key_prefix="p") if with_projects else []
    t4 = time.perf_counter()
    print(f"{label}: {len(text.encode()) / 1e6:.1f} MB, {len(doc.lines)} lines; ingest "
          f"{t1 - t0:.2f} s, tables {t2 - t1:.2f} s ({len(ind)} items), task lists "
          f"{t3 - t2:.2f} s ({len(mea)}), projects {t4 - t3:.2f} s ({len(pro)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=10.0)
    size = parser.parse_args().mb * 1e6
    seeds = "\n".join(p.read_text("utf-8") for p in sorted(RAW.glob("*.txt")))
    copies = int(size // len(seeds.encode())) + 1
    _time("seeds repeated", "\n".join([seeds] * copies), with_projects=False)
    # rows differ (identical lines at regular intervals would be running headers to ingest)
    row = "{n}\t学前教育毛入园率{i}（%）\t9{d}\t>9{d}\n"
    rows = "".join(row.format(n=i % 999 + 1, i=i, d=i % 10) for i in range(int(size // 45)))
    _time("indicator rows only", "序号\t指标\t2020年\t2025年\n" + rows)
    row = "{n}\t建设智慧校园{i}。推进数字化转型。\t2023年底\t区教委\t区财政局\n"
    rows = "".join(row.format(n=i % 999 + 1, i=i) for i in range(int(size // 65)))
    _time("task-list rows only", "序号\t具体措施\t完成时限\t牵头单位\t配合单位\n" + rows)
    rows = "".join(f"智慧校园项目{i}\t建设全区教育数据中心。\t区教委\n"
                   for i in range(int(size // 65)))
    _time("project rows only", "重点项目一览表\n项目名称\t建设内容\t责任单位\n" + rows)


if __name__ == "__main__":
    main()
