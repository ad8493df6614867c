"""Fault injection (3/3): the project lock, concurrent runs, kill -9 (``pytest -m faults``).

Offline builds are checked by tests/test_offline_build.py; these tests start real processes.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import RAW

from plancompare import lock
from plancompare.errors import LockError

pytestmark = pytest.mark.faults

PY = sys.executable


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] == "Z")


def wait_until(predicate, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from plancompare.lock import project_lock
    with project_lock(Path(sys.argv[1]), "run"):
        print("locked", flush=True)
        time.sleep(float(sys.argv[2]))
""")


def hold(root: Path, seconds: float) -> subprocess.Popen:
    proc = subprocess.Popen([PY, "-c", HOLDER, str(root), str(seconds)], stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout.readline().strip() == "locked"
    return proc


# ------------------------------------------------------------------------------------------
# 3. The project lock
# ------------------------------------------------------------------------------------------


def test_second_job_exits_at_once_naming_the_holder(tmp_path, capsys):
    from plancompare import cli

    holder = hold(tmp_path, 30)
    try:
        t0 = time.perf_counter()
        code = cli.main(["--root", str(tmp_path), "build"])
        err = capsys.readouterr().err
        assert code == 1 and time.perf_counter() - t0 < 5
        assert f"the project is busy: pid {holder.pid} (`plancompare run`, since " in err
        assert "--wait SECONDS" in err and "Traceback" not in err
        info = json.loads(lock.lock_path(tmp_path).read_text())
        assert info["pid"] == holder.pid and info["command"] == "run"
        assert info["start"] == lock.process_start(holder.pid)
    finally:
        holder.kill()
        holder.wait()


def test_wait_queues_behind_the_holder(tmp_path):
    holder = hold(tmp_path, 1.5)
    t0 = time.perf_counter()
    with lock.project_lock(tmp_path, "report", wait=30):
        waited = time.perf_counter() - t0
        assert json.loads(lock.lock_path(tmp_path).read_text())["pid"] == os.getpid()
    holder.wait()
    assert 0.5 < waited < 25
    with pytest.raises(LockError, match="after waiting 0.5 s"):
        other = hold(tmp_path, 5)
        try:
            with lock.project_lock(tmp_path, "build", wait=0.5):
                pass
        finally:
            other.kill()
            other.wait()


def test_lock_of_a_killed_holder_is_stale_and_taken_over(tmp_path):
    holder = hold(tmp_path, 60)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    left = lock.holder(lock.lock_path(tmp_path))
    assert left["pid"] == holder.pid and lock.is_stale(left)
    stale = f"took over a stale project lock left by pid {holder.pid}"
    with pytest.warns(UserWarning, match=stale), lock.project_lock(tmp_path, "build"):
        pass
    assert lock.lock_path(tmp_path).read_text() == ""  # released: nobody holds it


def test_pid_reuse_is_stale():
    assert lock.is_stale({"pid": os.getpid(), "start": "1"})  # same pid, other start time
    assert not lock.is_stale({"pid": os.getpid(), "start": lock.process_start(os.getpid())})
    assert lock.is_stale(None) and lock.is_stale({"pid": "x"})


def test_lock_is_reentrant_in_one_process(tmp_path):
    with lock.project_lock(tmp_path, "run"), lock.project_lock(tmp_path, "build"):
        assert json.loads(lock.lock_path(tmp_path).read_text())["command"] == "run"


def test_two_builds_at_once(tmp_path):
    root = tmp_path / "proj"
    shutil.copytree(RAW, root / "data" / "raw")
    cmd = [PY, "-m", "plancompare", "--root", str(root), "build", "--force", "-q"]
    first = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
    if not wait_until(lambda: lock.lock_path(root).is_file()
                      and lock.lock_path(root).read_text().strip(), 30):
        pytest.skip("the first build finished before the second could start")
    second = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    first.wait(timeout=120)
    assert first.returncode == 0
    assert second.returncode == 1 and "the project is busy" in second.stderr
    queued = subprocess.run([*cmd[:3], "--wait", "120", *cmd[3:]], capture_output=True,
                            text=True, timeout=150, check=False)
    assert queued.returncode == 0, queued.stderr


# ------------------------------------------------------------------------------------------
# 3. Workers end when the main process dies
# ------------------------------------------------------------------------------------------

POOL = textwrap.dedent("""
    import os, subprocess, sys, time
    from concurrent.futures import ProcessPoolExecutor
    from plancompare.lock import worker_init

    def work(_):
        child = subprocess.Popen(["sleep", "300"])  # stands for a notebook kernel
        return os.getpid(), child.pid

    def park(_):
        time.sleep(300)

    if __name__ == "__main__":
        with ProcessPoolExecutor(2, initializer=worker_init, initargs=(os.getpid(),)) as pool:
            pids = list(pool.map(work, range(2)))
            print(" ".join(f"{w} {c}" for w, c in pids), flush=True)
            list(pool.map(park, range(2)))
""")


@pytest.mark.parametrize("how", ["kill -9 of the main process", "kill -9 of the process group"])
def test_workers_and_their_kernels_end_with_the_main_process(tmp_path, how):
    script = tmp_path / "pool.py"
    script.write_text(POOL)
    main = subprocess.Popen([PY, str(script)], stdout=subprocess.PIPE, text=True,
                            start_new_session=True)
    pids = [int(p) for p in main.stdout.readline().split()]
    workers, kernels = pids[0::2], pids[1::2]
    assert all(alive(p) for p in pids)
    if how.endswith("group"):
        os.killpg(main.pid, signal.SIGKILL)
    else:
        main.send_signal(signal.SIGKILL)
    main.wait()
    try:
        assert wait_until(lambda: not any(alive(p) for p in workers), 15), "workers outlived"
        assert wait_until(lambda: not any(alive(p) for p in kernels), 15), "kernels outlived"
    finally:
        for p in pids:
            try:
                os.kill(p, signal.SIGKILL)
            except ProcessLookupError:
                pass


def test_kill_9_during_a_build_keeps_the_previous_curated_files(tmp_path):
    root = tmp_path / "proj"
    shutil.copytree(RAW, root / "data" / "raw")
    cmd = [PY, "-m", "plancompare", "--root", str(root), "build", "-q"]
    subprocess.run(cmd, check=True, timeout=120)
    curated = root / "data" / "curated"
    before = {p.name: p.read_bytes() for p in curated.glob("plan_items.*")}
    proc = subprocess.Popen([*cmd, "--force"], start_new_session=True)
    time.sleep(1.5)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    after = {p.name: p.read_bytes() for p in curated.glob("plan_items.*")}
    assert set(after) == set(before)
    # each file is the old one or a complete new one; the next build repairs any mix
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert {p.name: p.read_bytes() for p in curated.glob("plan_items.*")}.keys() == before.keys()
    import pandas as pd

    assert len(pd.read_parquet(curated / "plan_items.parquet")) == len(
        pd.read_csv(curated / "plan_items.csv"))
    assert not list(curated.glob(".*.tmp"))  # whatever the kill left, the next build removed


def _stale_project(root: Path) -> tuple[list[Path], list[Path]]:
    """Temporary files a killed job leaves (to remove) and other files (to keep) in a project."""
    from plancompare.files import temp_path

    curated, reports = root / "data" / "curated", root / "reports"
    for d in (curated, reports / "failed", reports / "sources" / "sub", root / "data" / "interim"):
        d.mkdir(parents=True, exist_ok=True)
    stale = [curated / ".plan_items.csv.x.tmp", temp_path(curated, "plan_items.parquet"),
             temp_path(reports, "index.html"), temp_path(reports / "failed", "data-quality.html"),
             temp_path(reports / "sources" / "sub", "plan.txt.html")]
    stale.append(temp_path(root / "data" / "interim", "plan.docx.txt"))
    keep = [temp_path(root / "data" / "interim", "plan.pdf.txt"),  # may be a live extract's
            curated / "notes.tmp", root / "data" / "raw" / ".x.txt.abcdefgh.tmp",
            reports / ".cache"]
    for path in stale + keep[1:3]:
        path.write_bytes(b"partial")
    os.utime(stale[-1], (time.time() - 2 * lock.LOCK_FREE_AGE,) * 2)  # long dead
    (reports / ".cache").mkdir()
    return stale, keep


def test_next_build_removes_the_temp_files_a_killed_job_left(tmp_path, capsys):
    from plancompare import cli

    root = tmp_path / "proj"
    shutil.copytree(RAW, root / "data" / "raw")
    stale, keep = _stale_project(root)
    code = cli.main(["--root", str(root), "build", "-q"])
    err = capsys.readouterr().err
    assert code == 0, err
    assert [p for p in stale if p.exists()] == [] and all(p.exists() for p in keep)
    assert ("warning: removed 6 temporary file(s) left by an interrupted job in data/curated, "
            "data/interim, reports, reports/failed, reports/sources/sub") in err, err


def test_temp_files_are_not_removed_without_the_lock(tmp_path, capsys):
    """A job that does not get the lock touches nothing: the holder's temporary files are live."""
    from plancompare import cli

    root = tmp_path / "proj"
    shutil.copytree(RAW, root / "data" / "raw")
    holder = hold(root, 30)
    stale, keep = _stale_project(root)  # written while the holder holds the lock
    try:
        code = cli.main(["--root", str(root), "run"])
        assert code == 1 and "the project is busy" in capsys.readouterr().err
        assert all(p.exists() for p in stale + keep)
    finally:
        holder.kill()
        holder.wait()
    with pytest.warns(UserWarning, match="removed 6 temporary file"), \
            lock.project_lock(root, "build"):  # the holder is dead: its files are stale now
        assert [p for p in stale if p.exists()] == [] and all(p.exists() for p in keep)


def test_work_dirs_of_killed_report_workers_are_removed(tmp_path):
    """A report worker killed with its parent leaves its papermill directory in the system temp
    dir; it carries the worker's pid, so the next job removes it once the pid is gone."""
    dead = subprocess.Popen([PY, "-c", "pass"])
    dead.wait()
    gone = tmp_path / f"{lock.WORK_DIR_PREFIX}{dead.pid}-x1y2z3"
    live = tmp_path / f"{lock.WORK_DIR_PREFIX}{os.getpid()}-a1b2c3"
    unnamed = tmp_path / f"{lock.WORK_DIR_PREFIX}q1w2e3r4"  # no pid: whose it is is unknown
    for d in (gone, live, unnamed):
        (d / "sub").mkdir(parents=True)
        (d / "sub" / "executed.ipynb").write_text("{}")
    link = tmp_path / f"{lock.WORK_DIR_PREFIX}{dead.pid}-link"
    link.symlink_to(live)
    assert lock.sweep_work_dirs(str(tmp_path)) == [gone]
    assert not gone.exists() and live.is_dir() and unnamed.is_dir() and link.is_symlink()


def test_report_worker_dirs_are_named_after_the_worker(tmp_path, monkeypatch):
    import papermill

    from plancompare.report import execute

    seen = []

    def fake(_notebook, output, **_kw):
        seen.append(Path(output).parent.name)
        raise RuntimeError("stop here")

    monkeypatch.setattr(papermill, "execute_notebook", fake)
    spec = {"name": "x", "notebook": "x.ipynb", "parameters": {}, "title": "x"}
    out = execute.run_one(spec, str(tmp_path), "v", str(tmp_path))
    assert out["status"] == "failed" and seen[0].startswith(f"{lock.WORK_DIR_PREFIX}{os.getpid()}-")
