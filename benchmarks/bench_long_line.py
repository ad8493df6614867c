"""Parse time and peak memory of one long line dense with numbers, at growing sizes.

Two lines: a made-up target sentence repeated (``targets``: five numbers in 70 bytes) and
``95%，`` repeated (``percent``: 1.7 M numbers in 10 MB, one sentence). Linear work means the
seconds per MB stay flat as the line grows; past ``PLANCOMPARE_MAX_NUMBERS_PER_LINE`` numbers
(default 2000) the rest of a line is only counted, so the rows stop growing. Each size is parsed in its
own process (``plancompare extract``) so that the peak RSS is that of one parse; a size that
takes longer than ``--timeout`` seconds is reported as such and stops the series.

    python benchmarks/bench_long_line.py [--sizes 100000,400000,2000000,10000000] [--timeout 120]
                                         [--units targets,percent]

The fault test ``tests/test_faults_input.py::test_ten_megabyte_line_parses_within_bounds`` runs
the 10 MB case of each line once with generous bounds (marked ``faults`` and ``slow``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import PLANCOMPARE, RESULTS, machine

#: A made-up sentence with several numbers, years, a range and a percentage, repeated.
UNIT = "到2025年，新增学位1200个、教师300名，覆盖率达到95%以上，投入3-5亿元；"
#: The lines measured: name -> repeated unit.
UNITS = {"targets": UNIT, "percent": "95%，"}
HEADER = "测试区教育发展规划（2021-2025年）\n一、发展目标\n"


def long_line_file(path: Path, size: int, unit: str = UNIT) -> Path:
    """Write a plan whose goals section is one line of about ``size`` bytes of ``unit``."""
    unit = unit.encode("utf-8")
    line = unit * max(1, size // len(unit))
    path.write_bytes(HEADER.encode("utf-8") + line + b"\n")
    return path


def measure(size: int, timeout: float, unit: str = UNIT) -> dict:
    """Parse one line of ``size`` bytes in a child process: seconds, its own peak RSS, rows."""
    with tempfile.TemporaryDirectory() as tmp:
        path = long_line_file(Path(tmp) / "long.txt", size, unit)
        with open(Path(tmp) / "rows.csv", "w+b") as out:
            t0 = time.perf_counter()
            proc = subprocess.Popen([PLANCOMPARE, "extract", str(path), "--format", "csv"],
                                    stdout=out, stderr=subprocess.DEVNULL)
            status, usage = _wait(proc, t0 + timeout)
            if usage is None:
                return {"bytes": size, "seconds": None, "timeout": timeout}
            seconds = time.perf_counter() - t0
            out.seek(0)
            rows = out.read().count(b"\n") - 1
    return {"bytes": size, "seconds": round(seconds, 2), "peak_mb": usage.ru_maxrss // 1024,
            "exit": os.waitstatus_to_exitcode(status), "rows": rows,
            "seconds_per_mb": round(seconds / (size / 1e6), 2)}


def _wait(proc: subprocess.Popen, deadline: float):
    """(wait status, resource usage of this child alone), or (None, None) after the deadline."""
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return status, usage
        if time.perf_counter() > deadline:
            proc.kill()
            os.wait4(proc.pid, 0)
            proc.returncode = -9
            return None, None
        time.sleep(0.05)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100000,400000,2000000,10000000")
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--units", default=",".join(UNITS), help="lines to measure: "
                    + ", ".join(UNITS))
    args = ap.parse_args()
    results = []
    print(f"{'line':>8} {'bytes':>10} {'seconds':>8} {'s/MB':>6} {'peak MB':>8} {'exit':>4} "
          f"{'rows':>7}")
    for name in args.units.split(","):
        for size in (int(s) for s in args.sizes.split(",")):
            r = {"line": name, **measure(size, args.timeout, UNITS[name])}
            results.append(r)
            if r["seconds"] is None:
                print(f"{name:>8} {size:>10} {'>' + str(int(args.timeout)):>8}  (timed out; "
                      "series stopped)")
                break
            print(f"{name:>8} {size:>10} {r['seconds']:>8} {r['seconds_per_mb']:>6} "
                  f"{r['peak_mb']:>8} {r['exit']:>4} {r['rows']:>7}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "long_line.json"
    out.write_text(json.dumps({"machine": machine(), "results": results}, indent=1) + "\n")
    print(f"-> {out}")


if __name__ == "__main__":
    main()
