"""File helpers used everywhere: a streamed sha256 and atomic writes (one home for each)."""

from __future__ import annotations

import functools
import hashlib
import os
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


def temp_path(directory: Path, final_name: str) -> Path:
    """A new empty temporary file in ``directory`` named after ``final_name`` (hidden, .tmp).

    The caller renames it over the final file with :func:`commit` or removes it.
    """
    fd, name = tempfile.mkstemp(dir=directory, prefix=f".{final_name}.", suffix=".tmp")
    os.close(fd)
    return Path(name)


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
