"""Shared helpers of the benchmark scripts: timing, machine facts, a printed table, JSON results.

Benchmarks are run on demand (``python benchmarks/bench_*.py``), never as tests. Every figure is
the median of ``--runs`` runs (default 5); the load average before and after is recorded because
other jobs share the machine.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
BIN = Path(sys.executable).parent
PLANCOMPARE = str(BIN / "plancompare")


def machine() -> dict:
    """nproc, the first lines of lscpu, memory, Python and the load average."""
    lscpu = subprocess.run(["lscpu"], check=False, capture_output=True,
                           text=True).stdout.splitlines()[:10]
    mem = next((ln.split()[1] for ln in Path("/proc/meminfo").read_text().splitlines()
                if ln.startswith("MemTotal")), "?")
    return {"nproc": os.cpu_count(), "lscpu": [" ".join(ln.split()) for ln in lscpu],
            "mem_total_kb": int(mem) if mem.isdigit() else mem,
            "python": platform.python_version(), "platform": platform.platform(),
            "loadavg": os.getloadavg()}


def timed(fn: Callable[[], object], runs: int, *, warmup: int = 0) -> dict:
    """Median, min and max wall seconds of ``fn`` over ``runs`` runs after ``warmup`` runs."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return summary(times)


def summary(times: Sequence[float]) -> dict:
    """Median, min, max and all runs (seconds)."""
    return {"median": statistics.median(times), "min": min(times), "max": max(times),
            "runs": list(times)}


def run(cmd: Sequence[str], *, env: dict | None = None, cwd: Path | None = None) -> None:
    """Run a command; raise with its output when it fails."""
    proc = subprocess.run(list(cmd), check=False, capture_output=True, text=True, env=env,
                          cwd=cwd)
    if proc.returncode:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({proc.returncode}):\n"
                           f"{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")


def run_measured(cmd: Sequence[str], *, env: dict | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one command, through /usr/bin/time -f."""
    timer = shutil.which("time") or "/usr/bin/time"
    t0 = time.perf_counter()
    proc = subprocess.run([timer, "-f", "MAXRSS %M", *cmd], check=False, capture_output=True,
                          text=True,
                          env=env)
    wall = time.perf_counter() - t0
    if proc.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{proc.stderr[-2000:]}")
    rss = [ln for ln in proc.stderr.splitlines() if ln.startswith("MAXRSS ")]
    return wall, int(rss[-1].split()[1]) if rss else -1


def copy_project(dest: Path, *, notebooks: bool = False) -> Path:
    """A copy of data/raw (and notebooks/) in ``dest``: benchmarks never write to the shared
    project's data/curated or reports."""
    shutil.copytree(ROOT / "data" / "raw", dest / "data" / "raw")
    if notebooks:
        shutil.copytree(ROOT / "notebooks", dest / "notebooks")
    return dest


def table(rows: list[tuple[str, str, str]]) -> str:
    """(figure, measured, target) rows as an aligned text table."""
    head = ("figure", "measured", "target")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(3)]
    line = "  ".join("-" * w for w in widths)
    out = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)), line]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(out)


def save(name: str, data: dict) -> Path:
    """Write benchmarks/results/<name>.json (gitignored) with the machine facts added."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    data = {"benchmark": name, "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": machine(), **data}
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def env_with_root(root: Path) -> dict:
    """The environment with PLANCOMPARE_ROOT set (kernels and subprocesses find the root)."""
    return {**os.environ, "PLANCOMPARE_ROOT": str(root)}
