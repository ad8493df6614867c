"""The `plancompare` command: a thin argparse shell over build, extract and report."""

from __future__ import annotations

import argparse
import re
import sys
import warnings
from pathlib import Path

from . import __version__
from .errors import EXIT_FAIL, EXIT_INPUT, InputError, PlanCompareError, UsageError, exit_code


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code (the entry point raises SystemExit)."""
    parser = make_parser()
    args = parser.parse_args(argv)
    warnings.showwarning = _show_warning
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_INPUT
    try:
        return args.func(args) or 0
    except PlanCompareError as err:
        print(f"error: {err}", file=sys.stderr)
        return exit_code(err)
    except KeyboardInterrupt:
        print("error: interrupted; the previous outputs are unchanged", file=sys.stderr)
        return 130


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Warnings from the library are messages for the user: one line, no source location."""
    print(f"warning: {message}", file=file or sys.stderr)


def make_parser() -> argparse.ArgumentParser:
    """The argument parser with its subcommands (each has --help)."""
    parser = argparse.ArgumentParser(
        prog="plancompare",
        description="Compare Chinese district education plans: build a traceable long-format "
                    "dataset from data/raw/ and render notebook reports.",
        epilog="exit codes: 0 success, 1 failure (manifest, schema, report), 2 bad input/usage")
    parser.add_argument("--version", action="version", version=f"plancompare {__version__}")
    parser.add_argument("--root", type=Path, default=None,
                        help="project root (default: $PLANCOMPARE_ROOT, else the nearest "
                             "parent directory holding data/raw/manifest.toml)")
    parser.add_argument("--wait", type=_seconds, default=0.0, metavar="SECONDS",
                        help="when another build/report/run holds the project lock, wait up to "
                             "SECONDS for it (default: 0, exit 1 at once with who holds it)")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")
    _add_build(sub)
    _add_extract(sub)
    _add_report(sub)
    _add_run(sub)
    return parser


def _add_build(sub) -> None:
    p = sub.add_parser("build", help="raw documents -> data/curated/ (parquet, csv, xlsx)",
                       description="Verify data/raw/manifest.toml, parse every document, "
                                   "harmonise, validate and write data/curated/plan_items.* "
                                   "(the previous files stay if anything fails). Nothing is "
                                   "rebuilt when raw files, manifest and code are unchanged.")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    p.add_argument("--force", action="store_true", help="rebuild even when nothing changed")
    _add_strict(p)
    p.set_defaults(func=cmd_build)


def _add_strict(p) -> None:
    p.add_argument("--strict", action="store_true",
                   help="structure warnings (a document without tasks or targets, a table "
                        "header no row was read under) are errors: exit 1")


def _add_extract(sub) -> None:
    p = sub.add_parser("extract", help="parse one document not in the manifest, print its rows",
                       description="Parse one plain-text plan (UTF-8, UTF-16 or GB18030) and "
                                   "print its long-format rows to stdout. Nothing is written.")
    p.add_argument("file", type=Path, metavar="FILE", help="the plain-text plan document")
    p.add_argument("--district", default="new", metavar="ID",
                   help="district id for the rows ([a-z0-9_]+; default: new)")
    p.add_argument("--format", choices=("csv", "json"), default="csv", help="default: csv")
    p.add_argument("--start-section", metavar="PART", default=None,
                   help="part the file opens in when it is an excerpt (tasks, implementation, "
                        "annex, ...)")
    p.add_argument("--end-year", type=_year, default=None, metavar="YEAR",
                   help="year of targets that state none (default: read from the title, "
                        "e.g. 2021-2025 or 十四五 -> 2025)")
    _add_strict(p)
    p.add_argument("--no-report", action="store_true",
                   help="do not print the structure report to stderr (warnings still are)")
    p.set_defaults(func=cmd_extract)


def _add_report_options(p) -> None:
    p.add_argument("--force", action="store_true", help="re-run reports whose inputs did not "
                                                        "change")
    p.add_argument("--jobs", type=_jobs, default=None, metavar="N",
                   help="reports executed in parallel (default: number of cores)")


def _add_report(sub) -> None:
    p = sub.add_parser("report", help="execute the notebooks and render HTML into reports/",
                       description="Execute the parameterised notebooks with papermill and "
                                   "render offline HTML plus reports/index.html.")
    _add_report_options(p)
    p.add_argument("--only", nargs="+", metavar="NAME", default=None,
                   help="run only these reports")
    p.set_defaults(func=cmd_report)


def _add_run(sub) -> None:
    p = sub.add_parser("run", help="build, then report (the scheduled job)",
                       description="build, then report; exit 0 only when both succeeded.")
    _add_report_options(p)
    p.add_argument("-q", "--quiet", action="store_true", help="no build summary")
    p.set_defaults(func=cmd_run)


#: Years a plan's targets may refer to (the manifest accepts the same range).
YEARS = range(1990, 2101)


def _year(text: str) -> int:
    """argparse type of --end-year: a year 1990-2100 (else a usage error, exit 2)."""
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a year, e.g. 2025") from None
    if year not in YEARS:
        raise argparse.ArgumentTypeError(f"{year} is outside {YEARS.start}-{YEARS.stop - 1}")
    return year


def _jobs(text: str) -> int:
    """argparse type of --jobs: a whole number >= 1 (else a usage error, exit 2)."""
    try:
        jobs = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {jobs}")
    return jobs


def _seconds(text: str) -> float:
    """argparse type of --wait: seconds >= 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be 0 or more seconds, got {text}")
    return value


def _root(args) -> Path:
    from . import paths

    return Path(args.root).resolve() if args.root is not None else paths.project_root()


def _locked(args, command: str):
    from .lock import project_lock

    return project_lock(_root(args), command, wait=getattr(args, "wait", 0.0))


def cmd_build(args) -> int:
    """`plancompare build` (and the build step of `run`): skipped when up to date."""
    from .build import build_if_changed

    with _locked(args, "build"):
        build_if_changed(args.root, quiet=args.quiet, force=getattr(args, "force", False),
                         strict=getattr(args, "strict", False))
    return 0


def cmd_report(args) -> int:
    """`plancompare report`: one summary line; each failure with its error; exit 1 on failure."""
    from . import report

    with _locked(args, "report"):
        summary = report.report_all(root=args.root, force=args.force, jobs=args.jobs,
                                    only=getattr(args, "only", None))
    if not getattr(args, "quiet", False):
        print(f"reports: {summary.line()} -> {summary.index or 'reports/'}")
    if summary.failed:
        failures = [line for line in str(summary).splitlines() if "FAILED" in line]
        print(f"error: {len(summary.failed)} report(s) failed (their last good HTML is kept):",
              *failures, sep="\n", file=sys.stderr)
        return EXIT_FAIL
    return 0


def cmd_run(args) -> int:
    """`plancompare run` = build, then report, under one project lock."""
    with _locked(args, "run"):
        cmd_build(args)
        return cmd_report(args)


def cmd_extract(args) -> int:
    """`plancompare extract FILE`: parse one document and print its rows to stdout."""
    from . import harmonise, parse, schema
    from .manifest import ID_RE
    from .parse.ingest import read_document
    from .parse.sections import commitment_year, period_end

    if not ID_RE.match(args.district):
        raise UsageError(f"bad --district {args.district!r}", fix="use [a-z0-9_]+, e.g. chaoyang")
    name = args.file.name
    doc = read_document(args.file, display_path=name)
    end_year = args.end_year or infer_end_year(doc)
    assumed = not args.end_year and period_end(doc) is None and commitment_year(doc) is None
    result = parse.analyse_document(doc, doc_id="plan", key_prefix="plan", end_year=end_year,
                                    start_section=_start_section(args.start_section),
                                    period_assumed=assumed)
    if not args.no_report:
        print(result.report.text(), file=sys.stderr)
    parse.check_structure([result.report], strict=args.strict, echo=args.no_report)
    rows = [parse.district_row(it, args.district, "", "") for it in result.items]
    with warnings.catch_warnings():  # one document cannot use the whole crosswalk
        warnings.filterwarnings("ignore", message="crosswalk entry .* matched no")
        warnings.filterwarnings("ignore", message=r"\d+ indicator review\(s\) matched no")
        frame = harmonise.harmonise(parse.to_frame(rows))
    frame = schema.validate(frame)
    _write_stdout(render(frame, args.format))
    print(f"{name}: {len(frame)} rows ({doc.encoding}, end year {end_year})", file=sys.stderr)
    return 0


def _start_section(part: str | None) -> str | None:
    from .parse.sections import PARTS

    if part is not None and part not in PARTS:
        raise UsageError(f"unknown --start-section {part!r}", fix="use one of: " + ", ".join(PARTS))
    return part


def infer_end_year(doc) -> int:
    """The plan's final year from its text.

    The period the text names (``parse.sections.period_end``: 十四五, 2021-2025); else, with a
    warning, the year its commitments are stated for (到2025年) or the latest year it states.
    """
    from .parse.sections import commitment_year, period_end

    year = period_end(doc)
    if year is not None:
        return year
    for year, why in ((commitment_year(doc), "the year its commitments are stated for (到YYYY年)"),
                      (_latest_year(doc), "the latest year it states")):
        if year is not None:
            print(f"warning: {doc.path}: no plan period in the text (no 2021-2025 span, no "
                  f"period word such as 十四五); assuming end year {year}, {why}; pass "
                  "--end-year YEAR to set it", file=sys.stderr)
            return year
    raise InputError("cannot tell the plan period from the text (no year span such as "
                     "2021-2025 in the title, no period word such as 十四五, no year at all)",
                     path=doc.path,
                     fix="pass --end-year YEAR (the year targets refer to when none is stated)")


def _latest_year(doc) -> int | None:
    """The latest year (1990-2100) a document's content lines state, or None."""
    years = [int(m.group(1)) for ln in doc.content_lines()
             for m in _YEAR_RE.finditer(ln.norm)]
    return max(years, default=None)


_YEAR_RE = re.compile(r"((?:19|20)\d\d)\s*年")


def render(frame, fmt: str) -> str:
    """The frame as csv (same layout as plan_items.csv) or a JSON array of row objects."""
    from .export import csv_text

    if fmt == "csv":
        return csv_text(frame)
    out = frame.astype(object).where(frame.notna(), None)
    return out.to_json(orient="records", force_ascii=False, indent=1) + "\n"


def _write_stdout(text: str) -> None:
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
    else:
        buffer.write(text.encode("utf-8"))
        buffer.flush()
