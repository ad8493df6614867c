"""Tests of plancompare.report: registry, offline HTML, failures, incremental runs (fixture notebooks)."""

from __future__ import annotations

import json
import pickle
import shutil
import time
from pathlib import Path

import pytest

from plancompare import report
from plancompare.errors import ReportError, UsageError

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_NOTEBOOKS = Path(__file__).resolve().parent / "fixtures" / "notebooks"
XSS = "<script>alert(1)</script>"

REGISTRY = """
[[report]]
name = "good"
notebook = "good.ipynb"
title = "Fixture <b>good</b> 报告"
parameters = {{ label = "{label}" }}

[[report]]
name = "check"
notebook = "district_check.ipynb"
title = "District check"
parameters = {{ district = "{district}" }}
"""


def make_project(tmp: Path, *, district: str = "tongzhou", label: str = XSS) -> Path:
    """A minimal project root: manifest, fake curated data, fixture notebooks, a registry."""
    (tmp / "data" / "raw").mkdir(parents=True, exist_ok=True)
    (tmp / "data" / "curated").mkdir(parents=True, exist_ok=True)
    (tmp / "notebooks").mkdir(exist_ok=True)
    shutil.copy(ROOT / "data" / "raw" / "manifest.toml", tmp / "data" / "raw" / "manifest.toml")
    (tmp / "data" / "curated" / "plan_items.parquet").write_bytes(b"not really parquet")
    for nb in FIXTURE_NOTEBOOKS.glob("*.ipynb"):
        shutil.copy(nb, tmp / "notebooks" / nb.name)
    set_registry(tmp, district=district, label=label)
    return tmp


def set_registry(tmp: Path, *, district: str = "tongzhou", label: str = XSS) -> None:
    text = REGISTRY.format(district=district, label=label.replace('"', '\\"'))
    (tmp / "notebooks" / "reports.toml").write_text(text, encoding="utf-8")


def statuses(summary: report.ReportSummary) -> dict[str, str]:
    return {r.name: r.status for r in summary.reports}


# ------------------------------------------------------------------------------------------
# Without kernels
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ('<script src="https://cdn.example/require.js"></script>', ["https://cdn.example/require.js"]),
        ("<link rel=stylesheet href='//fonts.example/x.css'>", ["//fonts.example/x.css"]),
        ('<img src="http://example.org/a.png">', ["http://example.org/a.png"]),
        ("<style>@import 'https://x.example/y.css';</style>", ["https://x.example/y.css"]),
        ("<style>@font-face { src: url(https://f.example/n.woff2) }</style>",
         ["https://f.example/n.woff2"]),
        ("<style>/* see https://github.com/x and url(https://a.b/c) */ p {}</style>", []),
        ('<img src="data:image/png;base64,AAAA">', []),
        ('<a href="#section">x</a><a href="good.html">y</a>', []),
        ("<p>the text https://example.org is not a reference</p>", []),
    ],
)
def test_external_references(page, expected):
    assert report.external_references(page) == expected


def test_registry_expands_per_district_from_manifest(tmp_path):
    make_project(tmp_path)
    (tmp_path / "notebooks" / "reports.toml").write_text(
        '[[report]]\nname = "profile"\nnotebook = "district_check.ipynb"\n'
        'title = "{name_zh} / {name_en}"\nper_district = true\nparameters = { lang = "en" }\n\n'
        '[[report]]\nname = "all"\nnotebook = "good.ipynb"\ntitle = "All"\nall_districts = true\n',
        encoding="utf-8")
    specs = report.load_registry(tmp_path)
    assert [s.name for s in specs] == ["profile-tongzhou", "profile-haidian", "profile-daxing",
                                       "profile-anon1", "all"]
    assert specs[0].parameters == {"lang": "en", "district": "tongzhou"}
    assert specs[0].title == "通州区 / Tongzhou"
    assert specs[-1].parameters == {"districts": ["tongzhou", "haidian", "daxing", "anon1"]}


def test_project_registry_default_set():
    notebooks = ("10-data-quality.ipynb", "20-indicator-targets.ipynb", "30-task-themes.ipynb",
                 "40-district-profile.ipynb")
    if not all((ROOT / "notebooks" / n).is_file() for n in notebooks):
        pytest.skip("project notebooks not written yet")
    names = [s.name for s in report.load_registry(ROOT)]
    assert names == ["data-quality", "indicator-targets", "task-themes", "profile-tongzhou",
                     "profile-haidian", "profile-daxing", "profile-anon1", "text-analysis"]


def test_registry_errors_name_the_problem(tmp_path):
    make_project(tmp_path)
    (tmp_path / "notebooks" / "reports.toml").write_text(
        '[[report]]\nname = "x"\nnotebook = "missing.ipynb"\ntitle = "X"\n', encoding="utf-8")
    with pytest.raises(ReportError, match="missing.ipynb"):
        report.load_registry(tmp_path)
    (tmp_path / "notebooks" / "reports.toml").write_text(
        '[[report]]\nname = "x"\nnotebook = "good.ipynb"\ntitel = "X"\n', encoding="utf-8")
    with pytest.raises(ReportError, match="titel"):
        report.load_registry(tmp_path)


def test_only_unknown_name_is_a_parameter_error(tmp_path):
    specs = report.load_registry(make_project(tmp_path))
    assert [s.name for s in report.select(specs, "che*")] == ["check"]
    with pytest.raises(UsageError, match="nowhere.*known reports: good, check") as exc:
        report.select(specs, ["nowhere"])
    assert str(pickle.loads(pickle.dumps(exc.value))) == str(exc.value)


def test_data_version_prefers_build_info(tmp_path):
    make_project(tmp_path)
    import hashlib

    parquet = tmp_path / "data" / "curated" / "plan_items.parquet"
    assert report.data_version(tmp_path) == hashlib.sha256(parquet.read_bytes()).hexdigest()[:12]
    (tmp_path / "data" / "curated" / "build_info.json").write_text('{"data_version": "v-abc"}')
    assert report.data_version(tmp_path) == "v-abc"


def test_header_escapes_every_value():
    head = report.header_html("T <i>", {"label": XSS, "ids": ["a", "<b>"]}, "v<1>", "now&then")
    assert "<script>" not in head and "<b>" not in head and "<i>" not in head
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in head
    assert "v&lt;1&gt;" in head and "now&amp;then" in head


# ------------------------------------------------------------------------------------------
# With kernels: one project, a sequence of runs, snapshots checked by the tests below
# ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def runs(tmp_path_factory, monkeypatch_module):
    """Run 1 (all good), 2 (nothing changed), 3 (check fails), 4 (force, only "good")."""
    root = make_project(tmp_path_factory.mktemp("project"))
    monkeypatch_module.setenv("PLANCOMPARE_ROOT", str(root))
    # Other work may edit the package while this runs; pin the code part of the input hash.
    monkeypatch_module.setattr(report.cache, "code_hash", lambda: "0" * 64)
    out = root / "reports"
    snap: dict = {"root": root}
    snap["first"] = report.report_all(root=root, jobs=2, progress=False)
    snap["first_check_html"] = (out / "check.html").read_bytes()
    snap["first_good_html"] = (out / "good.html").read_text(encoding="utf-8")
    t0 = time.perf_counter()
    snap["second"] = report.report_all(root=root, progress=False)
    snap["second_seconds"] = time.perf_counter() - t0
    set_registry(root, district="nowhere")
    snap["third"] = report.report_all(root=root, progress=False)
    snap["third_index"] = (out / "index.html").read_text(encoding="utf-8")
    snap["third_manifest"] = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    snap["third_check_html"] = (out / "check.html").read_bytes()
    snap["fourth"] = report.report_all(root=root, force=True, only="good", progress=False)
    snap["fourth_manifest"] = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return snap


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


def test_good_report_is_offline_html_with_header(runs):
    assert statuses(runs["first"]) == {"good": "ok", "check": "ok"}
    assert runs["first"].failed == []
    page = runs["first_good_html"]
    assert report.external_references(page) == []
    assert '<meta charset="utf-8"' in page
    assert "data:image/png;base64," in page  # the chart is embedded
    assert "root-ok=True district=tongzhou" in page  # cwd and PLANCOMPARE_ROOT = project root
    header = page[page.index('<header class="pc-header"'):page.index("</header>")]
    first = runs["first"].reports[0]
    assert "Fixture &lt;b&gt;good&lt;/b&gt; 报告" in header
    assert "label = &lt;script&gt;alert(1)&lt;/script&gt;" in header
    assert f"<dd>{first.data_version}</dd>" in header and len(first.data_version) == 12
    assert f"<dd>{first.finished[:16]}" in header  # generation time
    assert XSS not in page


def test_code_and_parameter_cells_are_hidden(runs):
    page = runs["first_good_html"]
    assert "SECRET_CODE_MARKER" not in page  # code hidden
    assert "injected-parameters" not in page and "Parameters" not in page.split("</header>")[1]
    assert "默认" not in page  # the defaults cell of the notebook is dropped too
    assert "<script" not in page  # no script at all, in particular no require.js/MathJax


def test_unchanged_rerun_starts_no_kernel(runs):
    assert statuses(runs["second"]) == {"good": "unchanged", "check": "unchanged"}
    assert runs["second"].line() == "0 executed, 2 unchanged, 0 failed"
    assert runs["second_seconds"] < 0.5  # a kernel start alone takes about 1 s


def test_failure_keeps_previous_html_and_is_listed(runs):
    third = runs["third"]
    assert statuses(third) == {"good": "unchanged", "check": "failed"}
    assert third.failed == ["check"]
    assert third.line() == "1 executed, 1 unchanged, 1 failed"
    assert runs["third_check_html"] == runs["first_check_html"]  # byte-identical, not replaced
    err = third.reports[1].error
    assert err.startswith("ParameterError: Unknown district `nowhere` in `district`; known ids:")
    index = runs["third_index"]
    assert "Unknown district `nowhere` in `district`" in index
    assert "stale" in index and 'href="failed/check.html"' in index
    failed_page = (runs["root"] / "reports" / "failed" / "check.html").read_text(encoding="utf-8")
    assert "papermill-error-cell" not in failed_page and "An Exception was encountered" not in failed_page
    assert "FAILED: ParameterError" in failed_page and report.external_references(failed_page) == []


def test_manifest_contents(runs):
    doc = runs["third_manifest"]
    assert doc["schema_version"] == 1
    assert doc["run"]["summary"] == "1 executed, 1 unchanged, 1 failed"
    good, check = doc["reports"]
    assert good["name"] == "good" and good["status"] == "unchanged" and good["html"] == "good.html"
    assert good["parameters"] == {"label": XSS}
    assert len(good["input_hash"]) == 64 and good["input_hash"] == runs["first"].reports[0].input_hash
    assert check["status"] == "failed" and check["html"] == "check.html"  # stale, still linked
    assert check["parameters"] == {"district": "nowhere"}
    assert check["input_hash"] != runs["first"].reports[1].input_hash
    assert check["generated"] == runs["first"].reports[1].generated  # when the HTML was made


def test_force_reexecutes_and_only_keeps_other_entries(runs):
    fourth = runs["fourth"]
    assert statuses(fourth) == {"good": "ok"}
    assert fourth.line() == "1 executed, 0 unchanged, 0 failed"
    assert fourth.reports[0].generated > runs["first"].reports[0].generated
    entries = {e["name"]: e for e in runs["fourth_manifest"]["reports"]}
    assert entries["check"]["status"] == "failed"  # not selected: carried over from run 3
    assert "Unknown district `nowhere`" in entries["check"]["error"]
