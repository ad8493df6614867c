""".doc, .wps, .odt, .rtf -> .docx with LibreOffice (``soffice --headless --convert-to docx``),
then the Word renderer. LibreOffice is optional: without it the error says how to install it."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import InputError
from . import docx
from .rendition import Rendition

VERSION = 1
#: Seconds one conversion may take.
TIMEOUT = 180
INSTALL_HINT = ("install LibreOffice (Debian / Ubuntu: `apt-get install libreoffice-writer-nogui`; "
                "macOS: `brew install --cask libreoffice`) so that `soffice` is on PATH, or open "
                "the file in Word / WPS and save it as .docx")


def renderer(fmt: str) -> str:
    """Renderer name and version: LibreOffice, then the Word renderer's."""
    return f"office/{VERSION} + {docx.renderer(fmt)}"


def soffice() -> str | None:
    """The LibreOffice executable on PATH (``soffice`` or ``libreoffice``), or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def render(data: bytes, name: str, *, fmt: str) -> Rendition:
    """Convert with LibreOffice to .docx and render that.

    Raises
    ------
    InputError
        LibreOffice is not installed, or the conversion failed.
    """
    exe = soffice()
    if exe is None:
        raise InputError(f"a .{fmt} file needs LibreOffice to be read, and `soffice` is not "
                         "installed", path=name, fix=INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="plancompare-soffice-") as tmp:
        source = Path(tmp) / f"source.{fmt}"
        source.write_bytes(data)
        profile = Path(tmp, "profile").as_uri()   # a private profile: no clash with a running one
        cmd = [exe, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "docx",
               "--outdir", tmp, str(source)]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT,
                                  check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise InputError(f"LibreOffice could not convert the file ({exc})", path=name,
                             fix="open it in Word / WPS / LibreOffice and save it as .docx")
        out = Path(tmp) / "source.docx"
        if done.returncode != 0 or not out.is_file():
            detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            raise InputError(f"LibreOffice could not convert the file ({detail[0][:120]})",
                             path=name, fix="check that the file opens in LibreOffice; save it "
                                            "as .docx from there")
        return docx.render(out.read_bytes(), name, fmt=fmt)
