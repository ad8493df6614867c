"""Benchmark the reports: `plancompare run --force` against a plain-script floor, the no-change
rerun, and one notebook re-run after a parameter change (papermill, and a live kernel).

All in a temporary copy of the project (data/raw + notebooks/), medians of ``--runs`` (default 5):

* ``plancompare run --force`` (build + every report of notebooks/reports.toml, HTML included);
* the floor, measured in the same run: each report's notebook exported to a plain Python script
  (code cells joined, the report's parameters injected after the ``parameters`` cell, exactly as
  papermill does) and run with ``python`` one after another, once per report; plus
  ``plancompare build --force`` for the floor of ``run`` (which builds first). Because
  ``plancompare report`` runs one kernel per core, the scripts are also timed that many at a
  time (the stricter floor);
* ``plancompare run`` when nothing changed (the second of two runs);
* 20-indicator-targets with a different ``districts``: through the papermill API (a new kernel,
  what ``plancompare report`` pays per notebook) and by re-running all cells in a live kernel
  (nbclient with the kernel kept alive: what a JupyterLab user waits after editing the
  parameters cell and choosing "Run all").

Usage::

    python benchmarks/bench_reports.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (
    PLANCOMPARE,
    copy_project,
    env_with_root,
    machine,
    run,
    save,
    summary,
    table,
    timed,
)

NOTEBOOK = "20-indicator-targets.ipynb"
CHANGED = {"districts": ["haidian", "daxing", "anon1"], "lang": "zh"}


def script_of(notebook: Path, parameters: dict) -> str:
    """The notebook's code cells as one script, parameters injected after the parameters cell."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    out = []
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        src = "".join(cell["source"])
        out.append("\n".join(ln for ln in src.splitlines() if not ln.lstrip().startswith(("%", "!"))))
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            out.append("\n".join(f"{k} = {v!r}" for k, v in parameters.items()))
    return "\n\n".join(out) + "\n"


def write_scripts(root: Path) -> list[Path]:
    """One script per report of the registry (per-district reports expanded)."""
    from plancompare import report

    out = root / "scripts"
    out.mkdir()
    paths = []
    for spec in report.load_registry(root):
        path = out / f"{spec.name}.py"
        path.write_text(script_of(root / "notebooks" / spec.notebook, spec.parameters),
                        encoding="utf-8")
        paths.append(path)
    return paths


def run_scripts(scripts: list[Path], root: Path) -> None:
    """The floor: every report script with ``python``, one after another."""
    env = {**env_with_root(root), "MPLBACKEND": "Agg"}
    for script in scripts:
        run([sys.executable, str(script)], env=env, cwd=root)


def run_scripts_parallel(scripts: list[Path], root: Path, jobs: int) -> None:
    """The floor with the same parallelism as `plancompare report` (``jobs`` at a time)."""
    import subprocess
    from concurrent.futures import ThreadPoolExecutor

    env = {**env_with_root(root), "MPLBACKEND": "Agg"}

    def one(script: Path) -> None:
        subprocess.run([sys.executable, str(script)], env=env, cwd=root, check=True,
                       capture_output=True)

    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(one, scripts))


def papermill_once(root: Path, parameters: dict) -> None:
    """Execute the notebook with papermill in-process (new kernel, as `plancompare report`)."""
    import papermill

    with tempfile.TemporaryDirectory() as tmp:
        papermill.execute_notebook(str(root / "notebooks" / NOTEBOOK), f"{tmp}/out.ipynb",
                                   parameters=parameters, kernel_name="python3", cwd=str(root),
                                   log_output=False, progress_bar=False)


def live_kernel(root: Path, runs: int) -> dict:
    """Re-run all cells in a kept-alive kernel after changing the parameters cell."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(root / "notebooks" / NOTEBOOK, as_version=4)
    client = NotebookClient(nb, kernel_name="python3", resources={"metadata": {"path": str(root)}})
    params = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    times = []
    with client.setup_kernel():
        first = _run_all(client, nb)  # the user opened the notebook and ran it once
        for k in range(runs):
            values = CHANGED if k % 2 == 0 else {"districts": ["tongzhou", "haidian", "daxing"]}
            nb.cells[params].source = "\n".join(f"{n} = {v!r}" for n, v in values.items())
            times.append(_run_all(client, nb))
    return {"first_run_all": first, **summary(times)}


def _run_all(client, nb) -> float:
    t0 = time.perf_counter()
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            client.execute_cell(cell, i)
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    load_before = machine()["loadavg"]
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_project(Path(tmp) / "proj", notebooks=True)
        os.environ["PLANCOMPARE_ROOT"] = str(root)
        cli = [PLANCOMPARE, "--root", str(root)]
        run([*cli, "run", "-q"])  # warm: fonts cached, curated data present
        scripts = write_scripts(root)
        jobs = os.cpu_count() or 1
        forced, floor, floor_build, floor_par = [], [], [], []
        for _ in range(args.runs):  # interleaved, so that load changes hit both alike
            forced.append(timed(lambda: run([*cli, "run", "--force", "-q"]), 1)["median"])
            floor_build.append(timed(lambda: run([*cli, "build", "--force", "-q"]), 1)["median"])
            floor.append(timed(lambda: run_scripts(scripts, root), 1)["median"])
            floor_par.append(timed(lambda: run_scripts_parallel(scripts, root, jobs),
                                   1)["median"])
        forced, floor, floor_build = summary(forced), summary(floor), summary(floor_build)
        floor_par = summary(floor_par)
        run([*cli, "run", "-q"])
        unchanged = timed(lambda: run([*cli, "run", "-q"]), args.runs)
        pm = timed(lambda: papermill_once(root, CHANGED), args.runs, warmup=1)
        live = live_kernel(root, args.runs)
    floor_run = floor["median"] + floor_build["median"]
    ratio_run = forced["median"] / floor_run
    ratio_scripts = forced["median"] / floor["median"]
    rows = [
        ("plancompare run --force (s)", f"{forced['median']:.2f}", "-"),
        (f"floor: {len(scripts)} report scripts with python (s)", f"{floor['median']:.2f}", "-"),
        ("floor: plancompare build --force (s)", f"{floor_build['median']:.2f}", "-"),
        ("run --force / (build + scripts)", f"{ratio_run:.2f}x", "<= 2.0x (aim 1.2x)"),
        ("run --force / scripts only", f"{ratio_scripts:.2f}x", "-"),
        (f"floor: the scripts {jobs} at a time (s)", f"{floor_par['median']:.2f}", "-"),
        (f"run --force / (build + scripts {jobs} at a time)",
         f"{forced['median'] / (floor_build['median'] + floor_par['median']):.2f}x", "-"),
        ("plancompare run, no change (s)", f"{unchanged['median']:.2f}", "< 1.5"),
        (f"{NOTEBOOK} via papermill, new districts (s)", f"{pm['median']:.2f}", "-"),
        (f"{NOTEBOOK} run all in a live kernel (s)", f"{live['median']:.2f}", "-"),
    ]
    print(table(rows))
    path = save("bench_reports", {
        "runs": args.runs, "reports": [s.stem for s in scripts], "run_force": forced,
        "floor_scripts": floor, "floor_build": floor_build, "floor_scripts_parallel": floor_par,
        "parallel_jobs": jobs, "ratio_run_vs_build_plus_scripts":
        ratio_run, "ratio_run_vs_scripts": ratio_scripts, "run_unchanged": unchanged,
        "papermill_changed_parameters": pm, "live_kernel_run_all": live,
        "loadavg_before": load_before})
    print(f"\n-> {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
