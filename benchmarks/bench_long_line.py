"""Parse time and peak memory of one long line dense with numbers, at growing sizes.

Linear work means the seconds per MB stay flat as the line grows. Each size is parsed in its
own process (``plancompare extract``) so that the peak RSS is that of one parse; a size that
takes longer than ``--timeout`` seconds is reported as such and stops the series.

    python benchmarks/bench_long_line.py [--sizes 100000,400000,2000000,10000000] [--timeout 120]

The fault test ``tests/test_faults_input.py::test_ten_megabyte_line_parses_within_bounds`` runs
the 10 MB case once with generous bounds (marked ``faults`` and ``slow``).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import PLANCOMPARE, RESULTS, machine  # noqa: E402

#: A made-up sentence with several numbers, years, a range and a percentage, repeated.
UNIT = "到2025年，新增学位1200个、教师300名，覆盖率达到95%以上，投入3-5亿元；"
HEADER = "测试区教育发展规划（2021-2025年）\n一、发展目标\n"


def long_line_file(path: Path, size: int) -> Path:
    """Write a plan whose goals section is one line of about ``size`` bytes."""
    unit = UNIT.encode("utf-8")
    line = unit * max(1, size // len(unit))
    path.write_bytes(HEADER.encode("utf-8") + line + b"\n")
    return path


def measure(size: int, timeout: float) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = long_line_file(Path(tmp) / "long.txt", size)
        t0 = time.perf_counter()
        try:
            proc = subprocess.run([PLANCOMPARE, "extract", str(path), "--format", "csv"],
                                  capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            return {"bytes": size, "seconds": None, "timeout": timeout}
        seconds = time.perf_counter() - t0
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    rows = proc.stdout.count(b"\n") - 1
    return {"bytes": size, "seconds": round(seconds, 2), "peak_mb_max_so_far": peak_kb // 1024,
            "exit": proc.returncode, "rows": rows,
            "seconds_per_mb": round(seconds / (size / 1e6), 2)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100000,400000,2000000,10000000")
    ap.add_argument("--timeout", type=float, default=120.0)
    args = ap.parse_args()
    results = []
    print(f"{'bytes':>10} {'seconds':>8} {'s/MB':>6} {'peak MB':>8} {'exit':>4} {'rows':>7}")
    for size in (int(s) for s in args.sizes.split(",")):
        r = measure(size, args.timeout)
        results.append(r)
        if r["seconds"] is None:
            print(f"{size:>10} {'>' + str(int(args.timeout)):>8}  (timed out; series stopped)")
            break
        print(f"{size:>10} {r['seconds']:>8} {r['seconds_per_mb']:>6} "
              f"{r['peak_mb_max_so_far']:>8} {r['exit']:>4} {r['rows']:>7}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "long_line.json"
    out.write_text(json.dumps({"machine": machine(), "results": results}, indent=1) + "\n")
    print(f"-> {out}")


if __name__ == "__main__":
    main()
