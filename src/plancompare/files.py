"""File helpers used everywhere: a streamed sha256 and atomic writes (one home for each)."""

from __future__ import annotations

import functools
import hashlib
import os
import re
import tempfile
from pathlib import Path

#: Bytes read at a time when hashing (hashing never holds a whole file in memory).
HASH_BLOCK = 1 << 20


def sha256_file(path: Path | str) -> str:
    """Hex sha256 of a file's bytes, read in blocks.

    Parameters
    ----------
    path : Path or str
        The file.

    Returns
    -------
    str
        64 lowercase hex digits.
    """
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(HASH_BLOCK), b""):
            h.update(block)
    return h.hexdigest()


def sha256_text(text: str) -> str:
    """Hex sha256 of ``text`` encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


#: How :func:`temp_path` names a temporary file: ``.{final name}.{random part}.tmp`` (the
#: random part of tempfile.mkstemp is 8 of ``a-z0-9_``; any run of letters, digits and ``_``
#: is accepted).
TEMP_NAME_RE = re.compile(r"\A\.(?P<final>[^/]+)\.[A-Za-z0-9_]+\.tmp\Z")


def temp_path(directory: Path, final_name: str) -> Path:
    """A new empty temporary file in ``directory`` named after ``final_name`` (hidden, .tmp).

    The caller renames it over the final file with :func:`commit` or removes it.
    """
    fd, name = tempfile.mkstemp(dir=directory, prefix=f".{final_name}.", suffix=".tmp")
    os.close(fd)
    return Path(name)


def remove_stale_temps(directory: Path, *, recursive: bool = False,
                       older_than: float = 0.0) -> list[Path]:
    """Remove the temporary files of :func:`temp_path` left in ``directory`` by a killed job.

    A job killed with ``kill -9`` between writing a temporary file and renaming it leaves it
    behind. Only regular files named as :func:`temp_path` names them are removed (never a
    symlink, a directory or any other file); the caller must make sure that no live writer
    owns them (it holds the project lock, or ``older_than`` is longer than any write takes).

    Parameters
    ----------
    directory : Path
        Where to look (a missing directory holds nothing).
    recursive : bool
        Also look in its subdirectories (symlinked directories are not followed).
    older_than : float
        Only files last modified at least this many seconds ago.

    Returns
    -------
    list of Path
        The files removed.
    """
    import stat
    import time

    now, removed = time.time(), []
    for top, dirs, names in os.walk(directory):
        if not recursive:
            dirs.clear()
        for name in names:
            path = Path(top) / name
            if not TEMP_NAME_RE.match(name):
                continue
            try:
                st = path.lstat()
                if stat.S_ISREG(st.st_mode) and now - st.st_mtime >= older_than:
                    path.unlink()
                    removed.append(path)
            except OSError:
                continue  # gone already, or not ours to remove: leave it
    return removed


def commit(tmp: Path, final: Path) -> None:
    """Give ``tmp`` the permissions of a normal new file and rename it over ``final``."""
    os.chmod(tmp, 0o666 & ~umask())  # mkstemp makes 0600; the outputs are meant to be shared
    os.replace(tmp, final)


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same directory.

    Readers see the old file or the new one, never a partial file; when writing fails (disk
    full, permissions) the old file is untouched and the temporary file is removed. Text is
    written as UTF-8 with ``\\n`` line ends.

    Parameters
    ----------
    path : Path
        The final file; its directory is created when missing.
    data : str or bytes
        The content.

    Raises
    ------
    OSError
        When the file cannot be written; the caller turns it into a message.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(path.parent, path.name)
    try:
        if isinstance(data, str):
            with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(data)
        else:
            tmp.write_bytes(data)
        commit(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@functools.cache
def umask() -> int:
    """The process umask (read once; setting it is the only way to read it)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


#: Largest document read, in MB (decimal); raise it with the environment variable
#: ``PLANCOMPARE_MAX_FILE_MB`` (a plan's text is rarely above 2 MB).
MAX_FILE_MB = 64
MAX_FILE_ENV = "PLANCOMPARE_MAX_FILE_MB"


def max_file_bytes() -> int:
    """The size limit for one document: ``$PLANCOMPARE_MAX_FILE_MB`` MB, else MAX_FILE_MB."""
    return int(env_limit(MAX_FILE_ENV, MAX_FILE_MB, "megabytes", example=200) * 1_000_000)


#: Most numbers read in one paragraph (a line, or hard-wrapped lines re-joined); raise it with
#: ``PLANCOMPARE_MAX_NUMBERS_PER_LINE``. The densest paragraph of the seed and corpus plans holds
#: 33 numbers and all five seed plans joined into one line 419: a paragraph with thousands is
#: generated data or a document that lost its line breaks. The numbers after the limit are
#: counted and named in a warning, never dropped silently.
MAX_LINE_NUMBERS = 2000
MAX_LINE_NUMBERS_ENV = "PLANCOMPARE_MAX_NUMBERS_PER_LINE"


def max_line_numbers() -> int:
    """The most numbers read in one paragraph: ``$PLANCOMPARE_MAX_NUMBERS_PER_LINE``, else
    MAX_LINE_NUMBERS."""
    return int(env_limit(MAX_LINE_NUMBERS_ENV, MAX_LINE_NUMBERS, "numbers", example=10000,
                         whole=True))


def env_limit(name: str, default: float, what: str, *, example: int,
              whole: bool = False) -> float:
    """A positive limit from the environment variable ``name``, else ``default``.

    Parameters
    ----------
    name : str
        The variable, e.g. ``PLANCOMPARE_MAX_FILE_MB``.
    default : float
        Used when the variable is unset or empty.
    what : str
        The unit in the error message ("megabytes").
    example : int
        A value shown in the fix.
    whole : bool
        True: the value must be a whole number.

    Raises
    ------
    UsageError
        The value is not a positive (whole) number.
    """
    from .errors import UsageError

    raw = os.environ.get(name, "").strip()
    try:
        value = (int(raw) if whole else float(raw)) if raw else default
    except ValueError:
        value = -1
    if not 0 < value < float("inf"):
        kind = "whole number" if whole else "number"
        raise UsageError(f"{name}={raw!r} is not a positive {kind} of {what}",
                         fix=f"e.g. export {name}={example}, or unset it (default {default})")
    return value


def read_regular(path: Path | str, display: str | None = None) -> bytes:
    """The bytes of a regular file no larger than :func:`max_file_bytes`.

    The file is opened without blocking and checked before anything is read, so a FIFO, a
    device (``/dev/zero``), a directory or an oversized file is refused at once instead of
    being read forever.

    Raises
    ------
    InputError
        Naming what the path is, or its size and how to raise the limit.
    """
    import stat

    from .errors import InputError

    name = display or str(path)
    limit = max_file_bytes()
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", path=name,
                         fix="check the path and the file's permissions") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        what = ("a directory" if stat.S_ISDIR(mode) else "a FIFO (named pipe)"
                if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device")
        raise InputError(f"{what}, not a regular file: only plain document files are read",
                         path=name, fix="give the path of the plan's text file")
    with os.fdopen(fd, "rb") as fh:
        try:
            data = fh.read(limit + 1)
        except OSError as exc:
            raise InputError(f"cannot read the file ({exc.strerror})", path=name,
                             fix="check the file and the disk it is on") from None
    if len(data) > limit:
        raise InputError(f"the file is larger than the limit of {limit / 1e6:g} MB", path=name,
                         fix=f"a plan's text is rarely above 2 MB: check it is the right file; "
                             f"to read it anyway raise the limit, e.g. "
                             f"{MAX_FILE_ENV}={2 * limit // 1_000_000} plancompare ...")
    return data
