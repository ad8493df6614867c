"""End to end: the real documents built and every registered report rendered, as `plancompare run`.

Two projects in temporary roots (PLANCOMPARE_ROOT):

- ``real``: data/raw and notebooks/ copied as they are; one build, one parallel ``report_all``
  (all 8 reports), then a second ``report_all`` with nothing changed.
- ``hostile``: the same plus a district whose document (a copy of Daxing part 1) carries
  ``<script>`` in a level-1 heading and an ``<img onerror>`` inside a quoted target sentence, with
  the same markup in its manifest names. It is built and reported with networking disabled: the
  test process and every kernel (through a ``sitecustomize`` on PYTHONPATH) refuse to connect to
  anything but loopback; a probe notebook shows the guard is active inside the kernel.

Deselect with ``-m "not slow"``. About 50 s on 2 cores.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import runpy
import shutil
import socket
import time
from pathlib import Path

import pytest

from plancompare import build, fonts, report

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_NOTEBOOKS = Path(__file__).resolve().parent / "fixtures" / "notebooks"
ALL_REPORTS = ["data-quality", "indicator-targets", "task-themes", "profile-tongzhou",
               "profile-haidian", "profile-daxing", "profile-anon1", "text-analysis"]
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
OUTSIDE = "93.184.216.34"

#: Loaded by every Python started with PYTHONPATH=<dir> (the kernels): only loopback connects.
GUARD = '''
import socket

PLANCOMPARE_NET_GUARD = True
_connect, _connect_ex, _getaddrinfo = (socket.socket.connect, socket.socket.connect_ex,
                                       socket.getaddrinfo)
_LOCAL = ("127.", "::1", "localhost", "0.0.0.0")


class NetworkBlocked(OSError):
    pass


def _check(host):
    if not str(host).startswith(_LOCAL):
        raise NetworkBlocked(f"network disabled by the test guard: {host}")


def connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _check(address[0])
    return _connect(self, address)


def connect_ex(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _check(address[0])
    return _connect_ex(self, address)


def getaddrinfo(host, *args, **kwargs):
    if host is not None:
        _check(host.decode() if isinstance(host, bytes) else host)
    return _getaddrinfo(host, *args, **kwargs)


socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo = (connect, connect_ex,
                                                                       getaddrinfo)
'''

HOSTILE_DISTRICT = """
[[district]]
id = "xss"
name_zh = "{script}区"
name_en = "{img_toml}"
adcode = ""

  [[district.document]]
  id = "plan"
  title = "{script}规划"
  kind = "development plan"
  period = "2021-2025"
  end_year = 2025
  published = ""

    [[district.document.file]]
    path = "xss_plan.txt"
    sha256 = "{sha256}"
    start_section = "tasks"
"""

PROBE_REPORT = """
[[report]]
name = "net-probe"
notebook = "net_probe.ipynb"
title = "Network probe"
"""


def copy_project(tmp: Path) -> Path:
    """data/raw (writable copies) and notebooks/ of the checkout in a fresh root."""
    shutil.copytree(ROOT / "data" / "raw", tmp / "data" / "raw")
    for f in (tmp / "data" / "raw").iterdir():
        f.chmod(0o644)
    shutil.copytree(ROOT / "notebooks", tmp / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return tmp


def add_hostile_district(root: Path) -> None:
    """Daxing part 1 with markup in a level-1 heading and a quoted target; registered as `xss`."""
    raw = root / "data" / "raw"
    lines = (raw / "daxing_education-plan_2021-2025_part1_main-tasks.txt").read_text(
        encoding="utf-8").split("\n")
    assert lines[1].endswith("（一）加强党对教育工作的全面领导")
    lines[1] += SCRIPT
    lines[3] += f"中小学生“{IMG}”体质健康达标率达到90%。"
    doc = raw / "xss_plan.txt"
    doc.write_text("\n".join(lines), encoding="utf-8")
    entry = HOSTILE_DISTRICT.format(script=SCRIPT, img_toml=IMG.replace('"', '\\"'),
                                    sha256=hashlib.sha256(doc.read_bytes()).hexdigest())
    with open(raw / "manifest.toml", "a", encoding="utf-8") as fh:
        fh.write(entry)


def pages(root: Path) -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in (root / "reports").glob("*.html")}


def statuses(summary: report.ReportSummary) -> dict[str, str]:
    return {r.name: r.status for r in summary.reports}


@pytest.fixture(scope="module")
def mp():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@pytest.fixture(scope="module")
def real(tmp_path_factory, mp) -> dict:
    """Build the real documents; run all reports (2 kernels), then again with nothing changed."""
    root = copy_project(tmp_path_factory.mktemp("real"))
    mp.setenv("PLANCOMPARE_ROOT", str(root))
    # Other work may edit the package meanwhile; pin the code part of the input hash.
    mp.setattr(report.cache, "code_hash", lambda: "0" * 64)
    build.build(root, quiet=True)
    out: dict = {"root": root}
    out["first"] = report.report_all(root=root, jobs=2, progress=False)
    out["pages"] = pages(root)
    out["manifest"] = json.loads((root / "reports" / "manifest.json").read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    out["second"] = report.report_all(root=root, jobs=2, progress=False)
    out["second_seconds"] = time.perf_counter() - t0
    out["second_pages"] = pages(root)
    return out


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, mp) -> dict:
    """The hostile district, built and reported with every non-loopback connection refused."""
    root = copy_project(tmp_path_factory.mktemp("hostile"))
    add_hostile_district(root)
    shutil.copy(FIXTURE_NOTEBOOKS / "net_probe.ipynb", root / "notebooks" / "net_probe.ipynb")
    with open(root / "notebooks" / "reports.toml", "a", encoding="utf-8") as fh:
        fh.write(PROBE_REPORT)
    guard_dir = root / "guard"
    guard_dir.mkdir()
    (guard_dir / "sitecustomize.py").write_text(GUARD, encoding="utf-8")
    # The same guard in this process (build, report orchestration, forked workers).
    namespace = runpy.run_path(str(guard_dir / "sitecustomize.py"))
    try:
        with pytest.MonkeyPatch.context() as local:
            local.setenv("PLANCOMPARE_ROOT", str(root))
            local.setenv("PYTHONPATH", str(guard_dir))
            local.setattr(report.cache, "code_hash", lambda: "0" * 64)
            with pytest.raises(OSError, match="network disabled by the test guard"):
                socket.create_connection((OUTSIDE, 80), timeout=3)
            build.build(root, quiet=True)
            summary = report.report_all(root=root, jobs=2, progress=False,
                                        only=["profile-xss", "indicator-targets", "task-themes",
                                              "data-quality", "net-probe"])
    finally:
        socket.socket.connect = namespace["_connect"]
        socket.socket.connect_ex = namespace["_connect_ex"]
        socket.getaddrinfo = namespace["_getaddrinfo"]
    return {"root": root, "summary": summary, "pages": pages(root)}


# ------------------------------------------------------------------------------------------
# The real data
# ------------------------------------------------------------------------------------------


def test_every_report_ok(real):
    first = real["first"]
    assert statuses(first) == dict.fromkeys(ALL_REPORTS, "ok"), [
        (r.name, r.error) for r in first.reports if r.status != "ok"]
    assert sorted(real["pages"]) == sorted([*ALL_REPORTS, "index"])


def test_pages_are_offline_and_script_free(real):
    for name, page in real["pages"].items():
        assert report.external_references(page) == [], name
        assert "<script" not in page.lower(), name
        assert '<meta charset="utf-8"' in page, name


def test_embedded_font_in_every_page(real):
    woff = next((real["root"] / "reports" / ".cache").glob("font-*.woff")).read_bytes()
    face = fonts.font_face_css(woff)
    for name, page in real["pages"].items():
        assert face in page, name
        assert '"plancompare Noto Sans SC", system-ui' in page, name  # first in the stack
    covered = fonts.covered_chars(woff)
    assert {"通", "州", "海", "淀", "达", "到", "率", "（", "）", "≥"} <= covered
    assert 100_000 < len(woff) < 600_000  # a subset, not the 8 MB font


def test_report_header_charts_and_hidden_cells(real):
    version = real["first"].reports[0].data_version
    for r in real["first"].reports:
        page = real["pages"][r.name]
        header = page[page.index('<header class="pc-header"'):page.index("</header>")]
        assert f"<dd>{version}</dd>" in header and f"<dd>{r.generated}</dd>" in header, r.name
        params = ", ".join(f"{k} = {report._param_text(v)}" for k, v in r.parameters.items())
        assert f"<dd>{params}</dd>" in html.unescape(header), r.name
        assert "injected-parameters" not in page and "papermill" not in page, r.name
        assert "import plancompare" not in page, r.name  # code hidden
        assert "Traceback" not in page and "Warning" not in page, r.name  # no stray stderr
        if r.name != "data-quality":
            assert page.count("data:image/png;base64,") >= 2, r.name


def test_profile_shows_chinese_text_and_quotes(real):
    page = real["pages"]["profile-tongzhou"]
    assert "通州区" in page and "原文引用" in page
    assert "\\n" not in re.sub(r"<style.*?</style>", "", page, flags=re.DOTALL)  # lines kept


def test_index_lists_every_report_with_status(real):
    index = real["pages"]["index"]
    for r in real["first"].reports:
        assert f'<a href="{r.name}.html">{html.escape(r.title)}</a>' in index
    assert index.count("<td>ok</td>") == len(ALL_REPORTS)
    assert f"{len(ALL_REPORTS)} executed, 0 unchanged, 0 failed" in index


def test_manifest(real):
    doc = real["manifest"]
    assert doc["schema_version"] == 1
    assert doc["run"]["summary"] == f"{len(ALL_REPORTS)} executed, 0 unchanged, 0 failed"
    assert doc["run"]["font"].startswith("font-") and doc["run"]["font"].endswith(".woff")
    entries = {e["name"]: e for e in doc["reports"]}
    assert list(entries) == ALL_REPORTS
    for name, e in entries.items():
        assert e["status"] == "ok" and e["html"] == f"{name}.html" and e["error"] is None
        assert len(e["input_hash"]) == 64 and e["data_version"] == doc["run"]["data_version"]
        assert e["missing_glyphs"] == "", (name, e["missing_glyphs"])
    assert entries["profile-haidian"]["parameters"] == {"lang": "zh", "district": "haidian"}
    assert entries["task-themes"]["parameters"]["districts"] == ["tongzhou", "haidian", "daxing",
                                                                  "anon1"]


def test_second_run_executes_nothing(real):
    second = real["second"]
    assert statuses(second) == dict.fromkeys(ALL_REPORTS, "unchanged")
    assert second.line() == f"0 executed, {len(ALL_REPORTS)} unchanged, 0 failed"
    assert real["second_seconds"] < 1.5
    for name in ALL_REPORTS:
        assert real["second_pages"][name] == real["pages"][name]


# ------------------------------------------------------------------------------------------
# Source pages, links, CSV downloads, contents
# ------------------------------------------------------------------------------------------

#: Every raw document of the manifest (districts and reference plans) has a source page.
RAW_FILES = len(list((ROOT / "data" / "raw").glob("*.txt")))


def source_links(page: str) -> list[tuple[str, str]]:
    """(page path below reports/, fragment) of every link to a source page."""
    from urllib.parse import unquote

    return [(unquote(p), unquote(f)) for p, f in
            re.findall(r'href="(sources/[^"#]+)#([^"]+)"', page)]


def test_every_source_link_reaches_an_anchor(real):
    out = real["root"] / "reports"
    assert len(list((out / "sources").glob("*.html"))) == RAW_FILES
    ids: dict[str, set[str]] = {}
    n = 0
    for name in ALL_REPORTS:
        links = source_links(real["pages"][name])
        assert links, name
        for path, frag in links:
            if path not in ids:
                ids[path] = set(re.findall(r' id="([^"]+)"', (out / path).read_text("utf-8")))
            assert frag in ids[path], (name, path, frag)
            n += 1
    assert n > 500 and len(ids) == RAW_FILES
    assert any("-L" in f for name in ALL_REPORTS for _, f in source_links(real["pages"][name]))


def test_source_page_shows_lines_rows_and_noise(real):
    from plancompare.analysis import load_curated

    frame = load_curated(real["root"])
    tz = "tongzhou_education-plan_2021-2025.txt"
    page = (real["root"] / "reports" / "sources" / f"{tz}.html").read_text("utf-8")
    rows = frame[frame["source_file"] == tz]
    fed = {n for a, b in zip(rows["line"], rows["line_end"].fillna(rows["line"]), strict=True)
           for n in range(int(a), int(b) + 1)}
    assert page.count('class="ln fed') + page.count('class="ln noise fed') == len(fed)
    assert page.count("<li>") == len(rows)
    assert '<span class="why">' in page and "<script" not in page
    assert report.external_references(page) == []


def test_csv_downloads_equal_their_tables(real):
    from test_report_pages import assert_csv_equals_table, read_csv_link

    checked = 0
    for name in ALL_REPORTS:
        page = real["pages"][name]
        checked += assert_csv_equals_table(page)
        links = re.findall(r'href="(data:text/csv;[^"]+)"', page)
        assert links and all(len(read_csv_link(h).columns) for h in links), name
    assert checked >= 20


def test_every_report_has_a_contents_list(real):
    for name in ALL_REPORTS:
        page = real["pages"][name]
        nav = re.search(r'<nav class="pc-toc".*?</nav>', page, flags=re.DOTALL)
        assert nav and nav.group(0).count("<li") >= 3, name
        for target in re.findall(r'href="#([^"]+)"', nav.group(0)):
            assert f'id="{html.unescape(target)}"' in page, (name, target)


def test_second_run_leaves_source_pages(real):
    assert {s["status"] for s in real["second"].sources} == {"unchanged"}
    assert len(real["second"].sources) == RAW_FILES


# ------------------------------------------------------------------------------------------
# Hostile text, networking disabled
# ------------------------------------------------------------------------------------------


def test_hostile_reports_ok_offline(hostile):
    summary = hostile["summary"]
    expected = {name: "ok" for name in ("indicator-targets", "task-themes", "data-quality",
                                         "profile-xss", "net-probe")}
    assert statuses(summary) == expected, [(r.name, r.error) for r in summary.reports]


def test_kernels_ran_behind_the_network_guard(hostile):
    page = hostile["pages"]["net-probe"]
    assert "net-guard=True" in page
    assert f"NetworkBlocked: network disabled by the test guard: {OUTSIDE}" in page


def test_markup_from_documents_is_escaped_everywhere(hostile):
    for name, page in hostile["pages"].items():
        assert SCRIPT not in page and "<img src=x" not in page, name
        assert "<script" not in page.lower(), name
        assert report.external_references(page) == [], name
    profile = hostile["pages"]["profile-xss"]
    assert "加强党对教育工作的全面领导&lt;script&gt;alert(1)&lt;/script&gt;" in profile
    # nbconvert re-serialises the HTML: a quote in text is a plain ", the brackets stay escaped.
    quoted = "中小学生“\"&gt;&lt;img src=x onerror=alert(1)&gt;”体质健康达标率"
    assert re.search(rf"<td[^>]*>{re.escape(quoted)}</td>", profile)  # the name
    # the quote marks the value it holds, around escaped text
    assert re.search(rf"<td[^>]*>{re.escape(quoted)}[^<]*<mark>[^<]*90%</mark>。</td>", profile)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;区 区情概览" in profile  # title from name_zh
    index = hostile["pages"]["index"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;区 区情概览" in index


def test_hostile_xlsx_cells_are_text(hostile):
    from openpyxl import load_workbook

    book = load_workbook(hostile["root"] / "data" / "curated" / "plan_items.xlsx")
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str) and "alert(1)" in c.value]
    assert cells and all(c.data_type == "s" for c in cells)
    assert any(c.value.startswith("<script>") for c in cells)  # stored verbatim, as text


# ------------------------------------------------------------------------------------------
# In a real browser (skipped without Debian's chromium)
# ------------------------------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")


def load_check_offline():
    """scripts/check_offline.py as a module (it is a script, not part of the package)."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("check_offline", ROOT / "scripts" / "check_offline.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["check_offline"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not CHROMIUM.is_file(), reason="needs /usr/bin/chromium")
def test_chromium_offline_renders_font_and_charts(real, tmp_path):
    check = load_check_offline()
    for name, images, text in (("index", 0, "数据质量"), ("profile-tongzhou", 3, "通州区")):
        rep = check.check_page(real["root"] / "reports" / f"{name}.html", tmp_path,
                               str(CHROMIUM), 1280, 1200)
        assert rep.ok and rep.external == [] and rep.exceptions == [], check.describe(rep)
        assert rep.probe["faces"] == [{"family": fonts.WEB_FAMILY, "status": "loaded"}]
        assert rep.uncovered == "" and set(text) <= set(rep.probe["chars"])
        assert rep.probe["images"] == rep.probe["images_ok"] == images
        assert rep.screenshot.stat().st_size > 10_000


@pytest.mark.skipif(not CHROMIUM.is_file(), reason="needs /usr/bin/chromium")
def test_chromium_follows_every_source_link(real, tmp_path):
    check = load_check_offline()
    out = real["root"] / "reports"
    reps = [check.check_page(out / f"{name}.html", tmp_path, str(CHROMIUM), 1280, 900)
            for name in ALL_REPORTS]
    for rep in reps:
        assert rep.ok and rep.external == [] and rep.probe["scripts"] == 0, check.describe(rep)
        assert rep.probe["unlinked"] == [], rep.name
    audit, pages = check.audit_links(reps, tmp_path, str(CHROMIUM), 1280, 900)
    assert audit.ok and audit.missing == [] and audit.pages == RAW_FILES, audit.line()
    assert all(p.ok and p.external == [] and p.probe["scripts"] == 0 for p in pages)
    shots = check.screenshots(out, reps, tmp_path, str(CHROMIUM), 1280, 900)
    target = shots[0].probe["target"]
    m = re.fullmatch(r"L(\d+)(?:-L(\d+))?", target["id"])  # the first source link opened
    assert m, target
    first, last = int(m.group(1)), int(m.group(2) or m.group(1))
    assert target["marked"] == [f"L{n}" for n in range(first, last + 1)]
