"""Benchmark scale: synthetic districts (benchmarks/synth.py) at 10, 100 and 1,000 documents.

Per size, in a temporary root: ``plancompare build --force`` as a subprocess (wall time and peak
resident memory from /usr/bin/time, medians of ``--runs``), optionally the stage profile of one
build (``--stages``); then, over 100 districts, the indicator and theme notebooks
(20-indicator-targets, 30-task-themes) executed with papermill with every district selected.
Their charts are written to benchmarks/results/scale_png/ to be looked at.

Usage::

    python benchmarks/bench_scale.py [--runs 5] [--sizes 10 100 1000] [--stages]
"""

from __future__ import annotations

import argparse
import base64
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (
    PLANCOMPARE,
    RESULTS,
    ROOT,
    machine,
    run,
    run_measured,
    save,
    summary,
    table,
)
from bench_build import STAGES
from synth import generate

NOTEBOOKS = ("20-indicator-targets.ipynb", "30-task-themes.ipynb")
NOTEBOOK_DISTRICTS = 100


def bench_size(base: Path, n: int, runs: int, stages: bool) -> dict:
    """Build time and peak memory for ``n`` synthetic districts."""
    root = base / f"synth{n}"
    generate(root, n)
    raw = sum(p.stat().st_size for p in (root / "data" / "raw").glob("*.txt"))
    cmd = [PLANCOMPARE, "--root", str(root), "build", "-q", "--force"]
    walls, rss = [], []
    for _ in range(runs):
        wall, peak = run_measured(cmd)
        walls.append(wall)
        rss.append(peak)
    out = {"districts": n, "files": len(list((root / "data" / "raw").glob("*.txt"))),
           "raw_bytes": raw, "build": summary(walls), "peak_rss_kb": rss,
           "peak_rss_kb_max": max(rss),
           "rows": json.loads((root / "data/curated/build_info.json").read_text())["rows"]}
    if stages:
        proc = subprocess.run([sys.executable, "-c", STAGES, str(root)], capture_output=True,
                              text=True, check=True)
        out["stages"] = json.loads(proc.stdout.splitlines()[-1])
    return out


def bench_notebooks(base: Path, runs: int) -> dict:
    """The indicator and theme notebooks over NOTEBOOK_DISTRICTS districts (papermill)."""
    import papermill

    root = base / f"synth{NOTEBOOK_DISTRICTS}"
    if not (root / "data" / "curated" / "plan_items.parquet").is_file():
        generate(root, NOTEBOOK_DISTRICTS)
        run([PLANCOMPARE, "--root", str(root), "build", "-q"])
    shutil.copytree(ROOT / "notebooks", root / "notebooks", dirs_exist_ok=True)
    ids = [f"synth{i:04d}" for i in range(NOTEBOOK_DISTRICTS)]
    png_dir = RESULTS / "scale_png"
    shutil.rmtree(png_dir, ignore_errors=True)
    png_dir.mkdir(parents=True)
    out = {}
    for name in NOTEBOOKS:
        times = []
        for k in range(runs):
            executed = root / f"out-{name}"
            t0 = time.perf_counter()
            papermill.execute_notebook(str(root / "notebooks" / name), str(executed),
                                       parameters={"districts": ids, "lang": "zh"},
                                       kernel_name="python3", cwd=str(root), log_output=False,
                                       progress_bar=False)
            times.append(time.perf_counter() - t0)
            if k == 0:
                _save_pngs(executed, png_dir / Path(name).stem)
        out[name] = summary(times)
    return out


def _save_pngs(notebook: Path, prefix: Path) -> None:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    k = 0
    for cell in cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {}).get("image/png")
            if data:
                k += 1
                Path(f"{prefix}-{k}.png").write_bytes(base64.b64decode(data))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    ap.add_argument("--stages", action="store_true", help="also profile one build per size")
    ap.add_argument("--no-notebooks", action="store_true")
    args = ap.parse_args(argv)
    import os

    load_before = machine()["loadavg"]
    sizes, notebooks = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        os.environ["PLANCOMPARE_ROOT"] = str(base / f"synth{NOTEBOOK_DISTRICTS}")
        for n in args.sizes:
            sizes.append(bench_size(base, n, args.runs, args.stages))
            print(f"{n} districts: {statistics.median(sizes[-1]['build']['runs']):.1f} s",
                  file=sys.stderr)
        if not args.no_notebooks:
            notebooks = bench_notebooks(base, args.runs)
    rows = []
    for s in sizes:
        target = ("< 60 s, < 2 GB" if s["districts"] == 1000 else "-")
        label = (f"build {s['districts']} districts ({s['files']} files, "
                 f"{s['raw_bytes'] / 1e6:.1f} MB, {s['rows']} rows)")
        rows.append((label, (f"{s['build']['median']:.1f} s, "
                     f"{s['peak_rss_kb_max'] / 1024:.0f} MB"), target))
        for stage, secs in s.get("stages", {}).items():
            rows.append((f"  stage: {stage}", f"{secs:.2f} s", ""))
    for name, t in notebooks.items():
        rows.append((f"{name}, {NOTEBOOK_DISTRICTS} districts (papermill)",
                     f"{t['median']:.1f} s", "-"))
    print(table(rows))
    path = save("bench_scale", {"runs": args.runs, "sizes": sizes, "notebooks": notebooks,
                                "loadavg_before": load_before})
    print(f"\n-> {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
