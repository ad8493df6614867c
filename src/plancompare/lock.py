"""One job at a time per project, and worker processes that never outlive their parent.

:func:`project_lock` serialises ``build``, ``report`` and ``run`` on one project through
``data/.plancompare.lock``: an advisory ``flock`` held for the whole job, so the kernel releases it
when the holder dies however it dies (``kill -9`` included). The file records the holder's pid, its
process start time and the command, so that a waiting job can say who holds the lock, and a file
left behind by a dead holder is recognised as stale (and simply taken over).

Once it holds the lock, a job removes the temporary files that a killed job left in the
project's output directories (:func:`sweep_temp_files`).

:func:`worker_init` is the initializer of every process pool: the worker ends when the main
process dies (``PR_SET_PDEATHSIG`` on Linux, plus a thread polling the parent pid everywhere) and
closes its inherited copy of the lock, so the lock is held by the main process alone.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from .errors import LockError

LOCK_NAME = ".plancompare.lock"
#: Seconds between two attempts while waiting for the lock, and between two parent checks.
POLL = 0.5
_held: dict[str, int] = {}  # lock path -> fd, in the process that holds it


def lock_path(root: Path) -> Path:
    """The project's lock file, ``data/.plancompare.lock``."""
    return Path(root) / "data" / LOCK_NAME


def process_start(pid: int) -> str | None:
    """A stable token of when process ``pid`` started (from /proc), None when it is not running.

    On systems without /proc the token is ``""`` for a running process (pid reuse then goes
    undetected).
    """
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass  # alive, another user's
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return stat.rsplit(")", 1)[1].split()[19]  # field 22: starttime in clock ticks


def holder(path: Path) -> dict | None:
    """The holder recorded in the lock file (pid, start, started, command) or None."""
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return info if isinstance(info, dict) else None


def is_stale(info: dict | None) -> bool:
    """True when the recorded holder is no longer running (or its pid was reused)."""
    if not info or not isinstance(info.get("pid"), int):
        return True
    start = process_start(info["pid"])
    return start is None or (bool(start) and start != info.get("start"))


@contextlib.contextmanager
def project_lock(root: Path, command: str, *, wait: float = 0.0) -> Iterator[Path]:
    """Hold the project lock for the duration of the block.

    Re-entrant within one process (``run`` holds it while calling build and report).

    Parameters
    ----------
    root : Path
        Project root; the lock lives in its ``data/`` directory.
    command : str
        What the holder is doing (shown to a job that has to wait), e.g. ``"run"``.
    wait : float
        Seconds to wait for a running holder before giving up (0: give up at once).

    Raises
    ------
    LockError
        Another live process holds the lock (after ``wait`` seconds), naming its pid, command and
        start time.
    """
    path = lock_path(root)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LockError(f"cannot create the directory of the project lock ({exc.strerror})",
                        path=str(path.parent), fix="make the project directory writable") from None
    key = str(path.resolve())
    if key in _held:
        yield path
        return
    fd = _acquire(path, command, wait)
    _held[key] = fd
    try:
        sweep_temp_files(Path(root))
        yield path
    finally:
        del _held[key]
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)  # an empty lock file: nobody holds it
        os.close(fd)  # releases the flock


#: Seconds after which a temporary file in a directory that lock-free writers share
#: (``extract`` caches renditions in data/interim, notebooks cache font subsets in
#: reports/.cache) is taken as left behind: a live write takes seconds.
LOCK_FREE_AGE = 3600.0


#: Prefix of the temporary directory of a report worker, followed by its pid and ``-``
#: (``plancompare-report-4242-x1y2z3``); a worker killed with its parent leaves it behind.
WORK_DIR_PREFIX = "plancompare-report-"
_WORK_DIR_RE = re.compile(rf"\A{re.escape(WORK_DIR_PREFIX)}(\d+)-")


def sweep_work_dirs(temp_dir: str | None = None) -> list[Path]:
    """Remove the temporary directories of report workers that are no longer running.

    Only directories named :data:`WORK_DIR_PREFIX` + pid whose process is gone are removed
    (never a symlink; another user's directory is left alone when it cannot be removed).

    Returns
    -------
    list of Path
        The directories removed.
    """
    import shutil
    import tempfile

    removed = []
    for path in Path(temp_dir or tempfile.gettempdir()).glob(WORK_DIR_PREFIX + "*"):
        m = _WORK_DIR_RE.match(path.name)
        if m and not path.is_symlink() and path.is_dir() and process_start(int(m[1])) is None:
            shutil.rmtree(path, ignore_errors=True)
            if not path.exists():
                removed.append(path)
    return removed


def sweep_temp_files(root: Path) -> list[Path]:
    """Remove the temporary files that killed jobs left in the project's output directories.

    Called by :func:`project_lock` once it holds the lock: data/curated, reports/,
    reports/failed and reports/sources are written by locked jobs only, so a temporary file
    there belongs to a dead job; in data/interim and reports/.cache only those older than
    :data:`LOCK_FREE_AGE` are removed. Report workers' directories in the system temp dir go
    when their process is gone (:func:`sweep_work_dirs`). A warning names how many were removed
    and where.

    Returns
    -------
    list of Path
        The files removed.
    """
    from . import paths
    from .files import remove_stale_temps

    reports = paths.reports_dir(root)
    removed = [p for d in (paths.curated_dir(root), reports, reports / "failed")
               for p in remove_stale_temps(d)]
    removed += remove_stale_temps(reports / "sources", recursive=True)
    for shared in (paths.interim_dir(root), reports / ".cache"):
        removed += remove_stale_temps(shared, recursive=True, older_than=LOCK_FREE_AGE)
    import warnings

    if removed:
        where = sorted({os.path.relpath(p.parent, root) for p in removed})
        warnings.warn(f"removed {len(removed)} temporary file(s) left by an interrupted job in "
                      f"{', '.join(where)}", stacklevel=3)
    dirs = sweep_work_dirs()
    if dirs:
        warnings.warn(f"removed {len(dirs)} temporary director(y/ies) of report workers that "
                      f"were killed ({dirs[0].parent}/{WORK_DIR_PREFIX}PID-*)", stacklevel=3)
    return removed + dirs


def _acquire(path: Path, command: str, wait: float) -> int:
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise LockError(f"cannot open the project lock ({exc.strerror})", path=str(path),
                        fix="make data/ writable for this user") from None
    deadline = time.monotonic() + max(0.0, wait)
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise _busy(path, wait) from None
            time.sleep(POLL)
    left = holder(path)
    if left and is_stale(left):
        import warnings

        warnings.warn(f"took over a stale project lock left by pid {left.get('pid')} "
                      f"(`plancompare {left.get('command', '?')}` since {left.get('started')}, "
                      "no longer running)", stacklevel=3)
    _record(fd, command)
    return fd


def _record(fd: int, command: str) -> None:
    info = {"pid": os.getpid(), "start": process_start(os.getpid()) or "",
            "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "command": command}
    os.ftruncate(fd, 0)
    os.pwrite(fd, (json.dumps(info) + "\n").encode(), 0)


def _busy(path: Path, wait: float) -> LockError:
    info = holder(path) or {}
    who = (f"pid {info.get('pid')} (`plancompare {info.get('command', '?')}`, since "
           f"{info.get('started', '?')})") if info else "another process"
    waited = f" after waiting {wait:g} s" if wait else ""
    return LockError(f"the project is busy: {who} holds the lock{waited}", path=str(path),
                     fix="wait for it to finish, or pass --wait SECONDS to queue behind it; the "
                         "lock is released automatically when its holder exits or is killed")


def worker_init(parent: int | None = None) -> None:
    """Initializer of pool workers: die with the parent, do not keep the parent's lock.

    Parameters
    ----------
    parent : int, optional
        Pid of the main process (default: the current parent).
    """
    parent = parent or os.getppid()
    for fd in list(_held.values()):
        with contextlib.suppress(OSError):
            os.close(fd)  # a forked copy of the lock fd would keep the flock after a kill -9
    _held.clear()
    signal.signal(signal.SIGTERM, _end_worker)
    if sys.platform.startswith("linux"):
        _set_pdeathsig()
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True,
                     name="plancompare-parent-watch").start()


def _set_pdeathsig() -> None:
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(POLL)
        if os.getppid() != parent:
            _end_worker()


def _end_worker(*_args) -> None:
    """End this worker now, and the processes it started (a notebook kernel)."""
    for pid in children(os.getpid()):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    os._exit(1)


def children(pid: int) -> list[int]:
    """Pids of the direct children of ``pid`` (from /proc; empty elsewhere)."""
    out = []
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = entry.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[1] == str(pid):
            out.append(int(entry.parent.name))
    return out
