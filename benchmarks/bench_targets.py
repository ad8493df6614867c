"""Benchmark the running-text target parser on long single lines: time and peak memory.

Two made-up lines, each built at several sizes and parsed with ``targets.parse_text_targets`` in
a fresh process (so the peak RSS is that of one parse; imports included):

* ``numbers``: a line of numbers that are no targets (years, dates, times, bare numbers, codes,
  ordinals, list numbers, numbers in titles), with no sentence end;
* ``dense``: running text where about half of the numbers are targets or past results
  (percentages with comparator words, ranges, Chinese numerals, 十三五 and 到2025年 markers):
  one row every ~38 characters.

Linear work shows as a constant time per MB.

Usage::

    python benchmarks/bench_targets.py [--kind numbers dense] [--sizes 1 10]   # MB of text
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

NUMBERS = "2021年3月5日 12345 3.14 第5 (1) 2025 06:05 〔2022〕9号 《3-6岁》 100周年 5G 1+X "
# one made-up clause pattern, repeated
UNIT = ("到2025年，学前教育毛入园率达到95%，巩固率不低于99.5%，新建2-4所学校，"
        "2021年3月5日，编号12345，《3-6岁指南》，“十三五”期间覆盖率达到85%，"
        "不少于两项技能，约3万人；")

CHILD = r"""
import resource, sys, time
from plancompare.parse.ingest import parse_text
from plancompare.parse.targets import parse_text_targets
text = sys.argv[1] * int(sys.argv[2])
doc = parse_text("二、发展目标\n" + text + "\n", path="bench.txt")
t0 = time.perf_counter()
items = parse_text_targets(doc, {1: "goals", 2: "goals"}, key_prefix="b", end_year=2025)
dt = time.perf_counter() - t0
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f'{{"mb": {len(text.encode()) / 1e6:.2f}, "seconds": {dt:.2f}, "rows": {len(items)}, '
      f'"peak_rss_mb": {rss:.0f}}}')
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kind", nargs="+", default=["numbers", "dense"],
                    choices=["numbers", "dense"])
    ap.add_argument("--sizes", type=float, nargs="+", default=[1.0, 10.0])
    args = ap.parse_args()
    print(f"{'line':>8} {'MB':>6} {'seconds':>8} {'s/MB':>6} {'rows':>8} {'peak RSS MB':>12}")
    for kind in args.kind:
        unit = NUMBERS if kind == "numbers" else UNIT
        for size in args.sizes:
            repeat = max(1, int(size * 1e6 / len(unit.encode())))
            out = subprocess.run([sys.executable, "-c", CHILD, unit, str(repeat)], check=True,
                                 capture_output=True, text=True).stdout
            r = json.loads(out)
            print(f"{kind:>8} {r['mb']:6.2f} {r['seconds']:8.2f} {r['seconds'] / r['mb']:6.2f} "
                  f"{r['rows']:8d} {r['peak_rss_mb']:12.0f}")


if __name__ == "__main__":
    main()
