""".doc, .wps, .odt, .rtf -> .docx with LibreOffice (``soffice --headless --convert-to docx``),
then the Word renderer. LibreOffice is optional: without it the error says how to install it.

Each conversion runs in a fresh temporary directory: the file's bytes are copied there (the
original, e.g. in data/raw, is only read), LibreOffice gets a private user profile inside it
(``-env:UserInstallation``, so concurrent conversions and a desktop LibreOffice the user has
open do not clash) and a time limit after which its whole process group is killed. The directory
is removed afterwards. The conversion needs no network (tested with the network namespace cut).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..errors import InputError
from . import docx
from .rendition import Rendition

VERSION = 1
#: Seconds one conversion may take (a fresh profile costs ~3 s, a 200-page plan ~10 s more).
TIMEOUT = 180
INSTALL_HINT = ("install LibreOffice (Debian / Ubuntu: `apt-get install libreoffice-writer-nogui`; "
                "macOS: `brew install --cask libreoffice`) so that `soffice` is on PATH, or open "
                "the file in Word / WPS and save it as .docx")
#: Where LibreOffice lives when it is installed but not on PATH (macOS app bundle, Windows).
_KNOWN_PLACES = ("/Applications/LibreOffice.app/Contents/MacOS/soffice",
                 r"C:\Program Files\LibreOffice\program\soffice.exe")
#: Options for a conversion that never waits for a user: no first-start wizard, no document
#: recovery, no lock-file check, no window.
_OPTIONS = ("--headless", "--invisible", "--nologo", "--nodefault", "--norestore",
            "--nolockcheck")


def renderer(fmt: str) -> str:
    """Renderer name and version: LibreOffice, then the Word renderer's."""
    return f"office/{VERSION} + {docx.renderer(fmt)}"


def soffice() -> str | None:
    """The LibreOffice executable: ``soffice`` or ``libreoffice`` on PATH, else a known install
    place (macOS, Windows); None when there is none."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    return found or next((p for p in _KNOWN_PLACES if os.access(p, os.X_OK)), None)


def command(exe: str, source: Path, outdir: Path, profile: Path) -> list[str]:
    """The conversion command: ``source`` to ``outdir/<stem>.docx`` with a private profile."""
    return [exe, f"-env:UserInstallation={profile.as_uri()}", *_OPTIONS,
            "--convert-to", "docx", "--outdir", str(outdir), str(source)]


def render(data: bytes, name: str, *, fmt: str) -> Rendition:
    """Convert with LibreOffice to .docx and render that.

    Raises
    ------
    InputError
        LibreOffice is not installed, took longer than :data:`TIMEOUT`, or the conversion
        failed.
    """
    exe = soffice()
    if exe is None:
        raise InputError(f"a .{fmt} file needs LibreOffice to be read, and `soffice` is not "
                         "installed", path=name, fix=INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="plancompare-soffice-") as tmp:
        source = Path(tmp) / f"source.{fmt}"
        source.write_bytes(data)
        out = Path(tmp) / "source.docx"
        code, detail = _run(command(exe, source, Path(tmp), Path(tmp, "profile")), tmp, name)
        if code != 0 or not out.is_file():
            raise InputError(f"LibreOffice could not convert the file ({detail})", path=name,
                             fix="check that the file opens in LibreOffice; save it as .docx "
                                 "from there")
        return docx.render(out.read_bytes(), name, fmt=fmt)


def _run(cmd: list[str], tmp: str, name: str) -> tuple[int, str]:
    """Run LibreOffice in its own process group; kill the group after :data:`TIMEOUT` seconds.

    Returns the exit code and the last line of its output (for the error message).
    """
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, cwd=tmp, text=True,
                                start_new_session=True)
    except OSError as exc:
        raise InputError(f"LibreOffice could not be started ({exc})", path=name,
                         fix=INSTALL_HINT) from None
    try:
        output, _ = proc.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        raise InputError(f"LibreOffice did not finish converting the file within {TIMEOUT} s",
                         path=name, fix="open it in Word / WPS / LibreOffice and save it as "
                                        ".docx") from None
    lines = [ln for ln in (output or "").strip().splitlines() if ln.strip()]
    return proc.returncode, (lines[-1][:120] if lines else "no output")


def _kill_group(proc: subprocess.Popen) -> None:
    """Kill LibreOffice and the processes it started (soffice is a script around soffice.bin)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, AttributeError):
        proc.kill()
    proc.communicate()
