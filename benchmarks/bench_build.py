"""Benchmark `plancompare build` on the real documents: wall time, stages, parse throughput.

Figures (medians of ``--runs``, default 5), on a copy of data/raw in a temporary root:

* ``plancompare build --force`` as a subprocess (interpreter start included), and the no-change
  ``plancompare build`` (incremental: verify the manifest, find the curated files up to date);
* the stages of a full build, each timed in a fresh interpreter (imports included where a stage
  is the first to need a library);
* parsing all documents in-process on one core (read, decode, sections, all parsers, row dicts):
  the first run of the process (regexes compiled) and warm runs; throughput in MB of raw text/s.

Usage::

    python benchmarks/bench_build.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import PLANCOMPARE, copy_project, machine, run, save, table, timed

#: Run in a fresh interpreter: the stages of one full build, as JSON on stdout.
STAGES = r"""
import json, sys, tempfile, time
from pathlib import Path
t = {}; mark = time.perf_counter()
def lap(name):
    global mark
    now = time.perf_counter(); t[name] = now - mark; mark = now
root = Path(sys.argv[1])
from plancompare import build, export, manifest, schema; lap("import plancompare")
reg = manifest.load(root); lap("manifest load + verify (sha256)")
import pandas; lap("import pandas")
frame = build.parse_all(reg, quiet=True); lap("parse (+ rows -> frame)")
from plancompare import harmonise; frame = harmonise.harmonise(frame); lap("harmonise")
import pandera.pandas; lap("import pandera")
schema.validate(frame); lap("validate (pandera)")
out = Path(tempfile.mkdtemp())
import pyarrow.parquet; lap("import pyarrow")
export.write_parquet(frame, out / "a.parquet"); lap("write parquet")
export.write_csv(frame, out / "a.csv"); lap("write csv")
import openpyxl; lap("import openpyxl")
export.write_xlsx(frame, out / "a.xlsx", sources=build.source_rows(reg)); lap("sources + write xlsx")
print(json.dumps(t))
"""


def raw_bytes(root: Path) -> int:
    """Bytes of the raw documents registered in the manifest."""
    from plancompare import manifest

    reg = manifest.load(root)
    return sum((reg.raw_dir / f.path).stat().st_size for _d, _doc, f in reg.files())


def bench_parse(root: Path, runs: int) -> dict:
    """In-process parse of every document (one core): first run and warm runs."""
    from plancompare import manifest, parse

    reg = manifest.load(root)

    def once() -> int:
        return sum(len(parse.parse_district(d, reg.raw_dir)) for d in reg.districts)

    t0 = time.perf_counter()
    rows = once()
    first = time.perf_counter() - t0
    warm = timed(once, runs)
    size = raw_bytes(root)
    return {"rows": rows, "raw_bytes": size, "first_run_s": first, "warm": warm,
            "mb_per_s_warm": size / 1e6 / warm["median"], "mb_per_s_first": size / 1e6 / first}


def bench_stages(root: Path, runs: int) -> dict:
    """Median seconds per stage of a full build, each run in a fresh interpreter."""
    per: dict[str, list[float]] = {}
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", STAGES, str(root)], capture_output=True,
                             text=True, check=True).stdout
        for name, secs in json.loads(out.splitlines()[-1]).items():
            per.setdefault(name, []).append(secs)
    return {name: statistics.median(v) for name, v in per.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    load_before = machine()["loadavg"]
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_project(Path(tmp) / "proj")
        cmd = [PLANCOMPARE, "--root", str(root), "build", "-q"]
        python_start = timed(lambda: run([sys.executable, "-c", "pass"]), args.runs)
        full = timed(lambda: run([*cmd, "--force"]), args.runs, warmup=1)
        unchanged = timed(lambda: run(cmd), args.runs, warmup=1)
        stages = bench_stages(root, args.runs)
        parsed = bench_parse(root, args.runs)
    rows = [
        ("plancompare build --force (subprocess, s)", f"{full['median']:.2f}", "< 1.0"),
        ("plancompare build, no change (s)", f"{unchanged['median']:.2f}", "-"),
        ("python -c pass (s)", f"{python_start['median']:.3f}", "-"),
        (f"parse {parsed['raw_bytes'] / 1e3:.0f} KB in-process, warm (s)",
         f"{parsed['warm']['median']:.3f}", "-"),
        ("parse throughput, warm, one core (MB/s)", f"{parsed['mb_per_s_warm']:.1f}", ">= 5"),
        ("parse throughput, first run (MB/s)", f"{parsed['mb_per_s_first']:.1f}", "-"),
    ]
    rows += [(f"  stage: {name} (s)", f"{secs:.3f}", "") for name, secs in stages.items()]
    print(table(rows))
    path = save("bench_build", {"runs": args.runs, "build_force": full,
                                "build_unchanged": unchanged, "python_start": python_start,
                                "stages": stages, "parse": parsed,
                                "loadavg_before": load_before})
    print(f"\n-> {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
