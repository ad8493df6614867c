"""Open every reports/*.html in headless Chromium with networking disabled; screenshot and audit it.

For each page the script starts a fresh Chromium (fresh ``--user-data-dir``, the flags from
/work/shared/docs/environment-notes.md, host resolution and proxy pointed nowhere, the DevTools
network emulation set to offline), drives it over ``--remote-debugging-pipe`` (no extra Python
package), and reports:

- every request the page made whose URL is not ``file:`` or ``data:`` (Network.requestWillBeSent;
  the browser's own background traffic is not the page's and is not listed);
- console messages and uncaught exceptions;
- the web fonts the page declared and whether they loaded, and whether the embedded CJK font
  covers a sample of the page's Chinese text (``document.fonts.check``);
- the images (charts) and how many decoded.

A screenshot goes to ``reports/.screens/<name>.png`` (not committed). Exit status 1 when a page
made an external request, threw, or an image or font failed. Usage::

    python scripts/check_offline.py [REPORTS_DIR] [--chromium /usr/bin/chromium] [--height 2400]
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--disable-default-apps", "--disable-extensions", "--hide-scrollbars",
    # No name resolves and every proxied request goes to a closed local port: nothing can leave.
    "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9",
    "--remote-debugging-pipe",
]
FONT = "plancompare Noto Sans SC"
#: Evaluated in the page after load and document.fonts.ready.
PROBE = """(async () => {
  await document.fonts.ready;
  const text = document.body.innerText;
  const faces = [...document.fonts].map(f => ({family: f.family, status: f.status}));
  const imgs = [...document.images];
  const links = [...document.querySelectorAll("a[href]")].map(a => a.href)
    .filter(h => h.startsWith("file:") && h.includes("/sources/"));
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const unlinked = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.parentElement.closest("a, style, header, .src")) continue;
    for (const m of n.textContent.matchAll(/[\\w.-]+\\.(txt|docx|pdf|html?):\\d+/g)) unlinked.push(m[0]);
  }
  const target = document.querySelector(":target");
  return {
    faces, chars: [...new Set(text)].join(""),
    images: imgs.length,
    images_ok: imgs.filter(i => i.complete && i.naturalWidth > 0).length,
    scripts: document.querySelectorAll("script").length,
    links, unlinked,
    ids: document.body.classList.contains("pc-source")
      ? [...document.querySelectorAll("[id]")].map(e => e.id) : [],
    target: target ? {id: target.id,
      // the lines the :target rules mark (one line, or every line of a #L144-L146 range)
      marked: [...document.querySelectorAll(".src .ln")].filter(
        e => getComputedStyle(e).outlineStyle === "solid").map(e => e.id),
      background: getComputedStyle(target).backgroundColor} : null,
  };
})()"""
_FACE_DATA = re.compile(r"url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\)")


@dataclass
class PageReport:
    """What one page did in the browser."""

    name: str
    requests: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    probe: dict[str, Any] = field(default_factory=dict)
    screenshot: Path | None = None
    seconds: float = 0.0
    #: Characters shown on the page (outside ASCII) that the embedded font has no glyph for.
    uncovered: str = ""

    @property
    def ok(self) -> bool:
        """No external request, no exception, every image decoded, every font loaded."""
        faces = self.probe.get("faces", [])
        return (not self.external and not self.exceptions and not self.probe.get("scripts")
                and not self.probe.get("unlinked")
                and self.probe.get("images") == self.probe.get("images_ok")
                and all(f["status"] == "loaded" for f in faces if f["family"].strip('"') == FONT))


class Browser:
    """One headless Chromium driven over the DevTools pipe (fd 3 in, fd 4 out)."""

    def __init__(self, chromium: str, width: int, height: int) -> None:
        self.profile = tempfile.mkdtemp(prefix="check-offline-")
        to_chrome_r, self._w = os.pipe()
        self._r, from_chrome_w = os.pipe()
        cmd = " ".join([chromium, *(f"'{f}'" for f in FLAGS), f"--window-size={width},{height}",
                        f"--user-data-dir={self.profile}", "about:blank"])
        self.proc = subprocess.Popen(
            ["bash", "-c", f"exec {cmd} 3<&{to_chrome_r} 4>&{from_chrome_w}"],
            pass_fds=(to_chrome_r, from_chrome_w), stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buf = b""
        self._id = 0
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, params: dict[str, Any] | None = None,
             session: str | None = None, timeout: float = 30.0) -> dict[str, Any]:
        """Send one command and wait for its answer (events seen meanwhile are kept)."""
        self._id += 1
        msg: dict[str, Any] = {"id": self._id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._w, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            for m in self._read(deadline):
                if m.get("id") == self._id:
                    if "error" in m:
                        raise RuntimeError(f"{method}: {m['error']}")
                    return m.get("result", {})
                self.events.append(m)

    def wait_event(self, method: str, timeout: float = 30.0) -> dict[str, Any] | None:
        """Wait until an event named ``method`` arrives; None on timeout."""
        deadline = time.monotonic() + timeout
        seen = len(self.events)
        while time.monotonic() < deadline:
            if any(e.get("method") == method for e in self.events[seen:]):
                return next(e for e in self.events[seen:] if e.get("method") == method)
            self.events.extend(self._read(deadline, once=True))
        return None

    def _read(self, deadline: float, once: bool = False) -> list[dict[str, Any]]:
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._r], [], [], left)[0]:
                if once:
                    return []
                raise TimeoutError("no answer from chromium")
            chunk = os.read(self._r, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self._buf += chunk
        *msgs, self._buf = self._buf.split(b"\0")
        return [json.loads(m) for m in msgs if m]

    def close(self) -> None:
        """End the browser (only this process) and remove its profile."""
        try:
            self.send("Browser.close", timeout=5)
        except (OSError, RuntimeError, TimeoutError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._w)
        os.close(self._r)
        shutil.rmtree(self.profile, ignore_errors=True)


def check_page(page: Path, screens: Path, chromium: str, width: int, height: int, *,
               fragment: str = "", scroll_js: str | None = None,
               shot_name: str | None = None) -> PageReport:
    """Load ``page`` offline, collect its requests, console and font facts, screenshot it.

    ``fragment`` (``L144``) opens the page at that anchor; ``scroll_js`` (a JavaScript
    expression) runs before the screenshot, e.g. to scroll a table into view.
    """
    rep = PageReport(page.stem)
    t0 = time.perf_counter()
    browser = Browser(chromium, width, height)
    try:
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.send("Target.attachToTarget",
                               {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Network", "Runtime", "Log"):
            browser.send(f"{domain}.enable", session=session)
        browser.send("Network.emulateNetworkConditions",
                     {"offline": True, "latency": 0, "downloadThroughput": -1,
                      "uploadThroughput": -1}, session=session)
        url = page.resolve().as_uri() + (f"#{fragment}" if fragment else "")
        browser.send("Page.navigate", {"url": url}, session=session)
        browser.wait_event("Page.loadEventFired", timeout=60)
        if scroll_js:
            browser.send("Runtime.evaluate", {"expression": scroll_js}, session=session)
        probe = browser.send("Runtime.evaluate", {"expression": PROBE, "awaitPromise": True,
                                                  "returnByValue": True}, session=session)
        rep.probe = probe.get("result", {}).get("value", {})
        shot = browser.send("Page.captureScreenshot", {"format": "png"}, session=session)
        rep.screenshot = screens / f"{shot_name or page.stem}.png"
        rep.screenshot.write_bytes(base64.b64decode(shot["data"]))
        _collect(rep, browser.events)
        rep.uncovered = _uncovered(page, rep.probe.get("chars", ""))
    finally:
        browser.close()
    rep.seconds = time.perf_counter() - t0
    return rep


def _uncovered(page: Path, shown: str) -> str:
    """The page's visible characters that the embedded font's cmap lacks (all when no font)."""
    import io

    from fontTools.ttLib import TTFont

    m = _FACE_DATA.search(page.read_text(encoding="utf-8"))
    cmap = TTFont(io.BytesIO(base64.b64decode(m.group(1))))["cmap"].getBestCmap() if m else {}
    return "".join(sorted(c for c in set(shown)
                          if ord(c) > 0x7E and not c.isspace() and ord(c) not in cmap))


def _collect(rep: PageReport, events: list[dict[str, Any]]) -> None:
    for e in events:
        method, params = e.get("method"), e.get("params", {})
        if method == "Network.requestWillBeSent":
            url = params["request"]["url"]
            rep.requests.append(url)
            if not url.startswith(("file:", "data:")):
                rep.external.append(url)
        elif method == "Runtime.consoleAPICalled":
            args = " ".join(str(a.get("value", a.get("description", ""))) for a in params["args"])
            rep.console.append(f"console.{params['type']}: {args}")
        elif method == "Log.entryAdded":
            entry = params["entry"]
            rep.console.append(f"{entry['level']}: {entry['text']} {entry.get('url', '')}".strip())
        elif method == "Runtime.exceptionThrown":
            rep.exceptions.append(params["exceptionDetails"].get("text", "exception"))


def describe(rep: PageReport) -> str:
    """A few lines about one page."""
    p = rep.probe
    faces = ", ".join(f"{f['family']}={f['status']}" for f in p.get("faces", [])) or "none"
    data = sum(u.startswith("data:") for u in rep.requests)
    files = len(rep.requests) - data - len(rep.external)
    shown = [c for c in set(p.get("chars", "")) if ord(c) > 0x7E and not c.isspace()]
    lines = [
        f"{'OK  ' if rep.ok else 'FAIL'} {rep.name}  ({rep.seconds:.1f} s)",
        (f"     requests: {len(rep.requests)} ({data} data:, {files} file:, "
        f"{len(rep.external)} other)"),
        f"     fonts: {faces}; non-ASCII characters shown: {len(shown)}, "
        f"without a glyph in the embedded font: {len(rep.uncovered)} {rep.uncovered}".rstrip(),
        (f"     images decoded: {p.get('images_ok')}/{p.get('images')}; "
        f"scripts: {p.get('scripts')}; source links: {len(p.get('links', []))}; "
        f"screenshot {rep.screenshot}"),
    ]
    lines += [f"     UNLINKED file:line: {u}" for u in p.get("unlinked", [])[:10]]
    lines += [f"     EXTERNAL REQUEST: {u}" for u in rep.external]
    lines += [f"     {c}" for c in rep.console]
    lines += [f"     EXCEPTION: {x}" for x in rep.exceptions]
    return "\n".join(lines)


@dataclass
class LinkAudit:
    """Every source link of the reports, and the ones that do not reach an anchor."""

    links: int = 0
    pages: int = 0
    missing: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.links > 0 and not self.missing

    def line(self) -> str:
        good = self.links - len(self.missing)
        pct = 100.0 * good / self.links if self.links else 0.0
        return (f"source links: {good}/{self.links} resolve ({pct:.1f} %) to an anchor "
                f"in {self.pages} source pages")


def split_link(url: str) -> tuple[Path, str]:
    """``file:///.../sources/f.txt.html#L144`` -> (path, ``L144``)."""
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    return Path(unquote(parts.path)), unquote(parts.fragment)


def audit_links(reports: list[PageReport], screens: Path, chromium: str, width: int,
                height: int) -> tuple[LinkAudit, list[PageReport]]:
    """Open every source page the reports link to in Chromium; check each link's anchor."""
    wanted: dict[Path, set[str]] = {}
    audit = LinkAudit()
    for rep in reports:
        for url in rep.probe.get("links", []):
            path, frag = split_link(url)
            wanted.setdefault(path, set()).add(frag)
            audit.links += 1
    pages = []
    for path, frags in sorted(wanted.items()):
        if not path.is_file():
            audit.missing += [f"{path.name}#{f} (no page)" for f in sorted(frags)]
            continue
        rep = check_page(path, screens, chromium, width, height)
        pages.append(rep)
        ids = set(rep.probe.get("ids", []))
        audit.missing += [f"{path.name}#{f}" for f in sorted(frags) if f and f not in ids]
    audit.pages = len(pages)
    if audit.missing:  # count each missing link, not each missing anchor
        bad = set(audit.missing)
        audit.missing = [f"{p.name}#{f}" for rep in reports for url in rep.probe.get("links", [])
                         for p, f in [split_link(url)] if f"{p.name}#{f}" in bad
                         or f"{p.name}#{f} (no page)" in bad]
    return audit, pages


#: Evaluated before the screenshot of the evidence table: the last table of the page in view.
LAST_TABLE = ("[...document.querySelectorAll('table.plancompare-table')].at(-1)"
              ".scrollIntoView({block: 'start'})")


def screenshots(reports_dir: Path, reports: list[PageReport], screens: Path, chromium: str,
                width: int, height: int) -> list[PageReport]:
    """A source page opened at a linked multi-line or single line, and the evidence table."""
    out = []
    links = [u for r in reports if r.name == "indicator-targets" for u in r.probe.get("links", [])]
    if links:
        path, frag = split_link(links[0])
        out.append(check_page(path, screens, chromium, width, height, fragment=frag,
                              shot_name="source-at-line"))
    page = reports_dir / "indicator-targets.html"
    if page.is_file():
        out.append(check_page(page, screens, chromium, width, height, scroll_js=LAST_TABLE,
                              shot_name="evidence-table"))
    return out


def main(argv: list[str] | None = None) -> int:
    """Check every page; print one block per page; return 1 when any page failed."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("reports", nargs="?", default="reports", type=Path)
    ap.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    ap.add_argument("--width", type=int, default=1280)
    ap.add_argument("--height", type=int, default=2400)
    args = ap.parse_args(argv)
    pages = sorted(args.reports.glob("*.html"))
    if not pages:
        print(f"no HTML pages in {args.reports}", file=sys.stderr)
        return 1
    if not Path(args.chromium).is_file():
        print(f"chromium not found at {args.chromium}", file=sys.stderr)
        return 1
    screens = args.reports / ".screens"
    screens.mkdir(parents=True, exist_ok=True)
    reports = [check_page(p, screens, args.chromium, args.width, args.height) for p in pages]
    audit, sources = audit_links(reports, screens, args.chromium, args.width, args.height)
    shots = screenshots(args.reports, reports, screens, args.chromium, args.width, 900)
    for rep in reports + sources:
        print(describe(rep))
    for rep in shots:
        target = rep.probe.get("target")
        print(f"screenshot {rep.screenshot}" + (f" (:target #{target['id']}, lines marked: "
                                                 f"{', '.join(target['marked'])})" if target else ""))
    print(audit.line())
    print("\n".join(f"     UNRESOLVED: {m}" for m in audit.missing[:20]))
    bad = [r.name for r in reports + sources if not r.ok]
    print(f"{len(reports + sources) - len(bad)}/{len(reports + sources)} pages offline-clean"
          + (f"; failed: {', '.join(bad)}" if bad else ""))
    return 1 if bad or not audit.ok else 0


if __name__ == "__main__":
    sys.exit(main())
