"""The report registry: notebooks/reports.toml, expanded per district, and ``--only`` selection."""

from __future__ import annotations

import difflib
import re
import string
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

from .. import paths, tomlcheck
from ..errors import RegistryError, UsageError
from .results import ReportSpec

REGISTRY = "reports.toml"

#: Report names: a slug, also used as the HTML file name (``\A``..``\Z``: no trailing newline).
_NAME_RE = re.compile(r"\A[a-z0-9][a-z0-9_-]*\Z")
_TOP_KEYS = ("schema_version", "report")
_REGISTRY_KEYS = ("name", "notebook", "title", "parameters", "per_district", "all_districts")
#: Placeholders a per_district title may use.
TITLE_FIELDS = ("id", "name_zh", "name_en")


def manifest_entries(root: Path) -> list[tuple[str, dict[str, Any]]]:
    """``[(id, table)]`` of every ``[[district]]`` of data/raw/manifest.toml (references too).

    The manifest's shape is checked first (:func:`plancompare.manifest.load`, no hashing), so a
    malformed manifest is one ManifestError listing its problems, never a traceback here.
    """
    import tomllib

    from .. import manifest

    manifest.load(root, verify=False)
    data = tomllib.loads(paths.manifest_path(root).read_text(encoding="utf-8"))
    return [(str(d["id"]), d) for d in data.get("district", [])]


def district_ids(root: Path) -> list[tuple[str, dict[str, Any]]]:
    """``[(id, {"name_zh", "name_en"})]`` of the districts in data/raw/manifest.toml, in order.

    The manifest is read (and its shape validated) by :func:`plancompare.manifest.load`
    without hashing the raw files; a malformed manifest raises its ManifestError. Reference
    plans (level city / province / national) are compared against, never profiled.
    """
    from .. import manifest

    reg = manifest.load(root, verify=False)
    return [(d.id, {"name_zh": d.name_zh, "name_en": d.name_en}) for d in reg.districts
            if not d.is_reference]


def load_registry(root: Path | None = None) -> list[ReportSpec]:
    """Read notebooks/reports.toml and expand ``per_district`` / ``all_districts`` entries.

    The whole file is validated first and every problem is listed at once, with its line and
    a fix (:class:`RegistryError`).

    Parameters
    ----------
    root : Path, optional
        Project root; default :func:`plancompare.paths.project_root`.

    Returns
    -------
    list of ReportSpec
        One spec per report, ``per_district`` entries expanded to one per manifest district.
    """
    root = Path(root or paths.project_root())
    path = paths.notebooks_dir(root) / REGISTRY
    display = f"notebooks/{REGISTRY}"
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RegistryError(f"cannot read the report registry ({exc})", path=display,
                            fix="restore notebooks/reports.toml (UTF-8 text)") from None
    data = tomlcheck.parse(text, display, RegistryError)
    problems = tomlcheck.Problems(tomlcheck.Lines(text))
    entries = _entries(data, root, problems)
    if problems.items:
        raise problems.error(RegistryError, "the report registry has problems", display)
    specs: list[ReportSpec] = []
    districts = None
    for entry in entries:
        if entry.get("per_district") or entry.get("all_districts"):
            districts = districts if districts is not None else district_ids(root)
        specs.extend(_expand(entry, districts))
    _check_unique(specs, display)
    return specs


def _entries(data: dict, root: Path, problems: tomlcheck.Problems) -> list[dict[str, Any]]:
    tomlcheck.unknown_keys(data, _TOP_KEYS, (), "reports.toml", problems)
    raw = tomlcheck.tables(data.get("report", []), (), "report", "reports.toml", problems,
                           header="report")
    return [e for i, e in enumerate(raw) if _check_entry(e, ("report", i), root, problems)]


def _check_entry(entry: dict[str, Any], where: tuple, root: Path,
                 problems: tomlcheck.Problems) -> bool:
    """Check one [[report]] table; True when it is usable."""
    name = entry.get("name")
    label = f"report #{where[-1] + 1}" + (f" ({name!r})" if isinstance(name, str) else "")
    before = len(problems.items)
    tomlcheck.unknown_keys(entry, _REGISTRY_KEYS, where, label, problems)
    tomlcheck.identifier(entry, "name", where, label, problems, _NAME_RE, "[a-z0-9][a-z0-9_-]*")
    notebook = tomlcheck.text(entry, "notebook", where, label, problems)
    title = tomlcheck.text(entry, "title", where, label, problems)
    if notebook and not (paths.notebooks_dir(root) / notebook).is_file():
        problems.at(where, "notebook", f"{label}: notebook {notebook!r} not found",
                    fix="notebook paths are relative to notebooks/")
    params = entry.get("parameters", {})
    if not isinstance(params, dict):
        problems.at(where, "parameters", f"{label}: parameters must be a table, got "
                    f"{tomlcheck.kind(params)}", fix='write parameters = { lang = "zh" }')
    for key in ("per_district", "all_districts"):
        if not isinstance(entry.get(key, False), bool):
            problems.at(where, key, f"{label}: {key} must be true or false, got "
                        f"{tomlcheck.kind(entry[key])}", fix=f"write {key} = true")
    if title:
        _check_title(title, bool(entry.get("per_district") is True), where, label, problems)
    return len(problems.items) == before


def _check_title(title: str, per_district: bool, where: tuple, label: str,
                 problems: tomlcheck.Problems) -> None:
    allowed = TITLE_FIELDS if per_district else ()
    try:
        fields = [f for _lit, f, _spec, _conv in string.Formatter().parse(title) if f is not None]
    except ValueError as exc:
        problems.at(where, "title", f"{label}: title is not a valid template ({exc})",
                    fix="write a literal brace as {{ or }}")
        return
    for f in fields:
        if f not in allowed:
            close = difflib.get_close_matches(f, TITLE_FIELDS, n=1)
            hint = f"did you mean {{{close[0]}}}? " if close and per_district else ""
            usable = ("a per_district title may use " + ", ".join(f"{{{x}}}" for x in allowed)
                      if per_district else "only per_district titles take placeholders")
            problems.at(where, "title", f"{label}: unknown placeholder {{{f}}} in the title",
                        fix=f"{hint}{usable}; write a literal brace as {{{{ or }}}}")


def _expand(entry: dict[str, Any], districts: list[tuple[str, dict]] | None) -> list[ReportSpec]:
    params = dict(entry.get("parameters", {}))
    if entry.get("all_districts"):
        params["districts"] = [d for d, _ in districts or []]
    if not entry.get("per_district"):
        return [ReportSpec(entry["name"], entry["notebook"], entry["title"].format(), params)]
    out = []
    for did, d in districts or []:
        names = {"id": did, "name_zh": d.get("name_zh", did), "name_en": d.get("name_en", did)}
        out.append(ReportSpec(f"{entry['name']}-{did}", entry["notebook"],
                              entry["title"].format(**names), {**params, "district": did}))
    return out


def _check_unique(specs: list[ReportSpec], display: str) -> None:
    seen: set[str] = set()
    for s in specs:
        if s.name in seen:
            raise RegistryError(f"duplicate report name {s.name!r}", path=display,
                                fix="give each [[report]] its own name")
        seen.add(s.name)


def select(specs: list[ReportSpec], only: str | list[str] | None) -> list[ReportSpec]:
    """Keep the specs whose name matches one of ``only`` (names or shell patterns like ``profile-*``)."""
    if not only:
        return specs
    patterns = [only] if isinstance(only, str) else list(only)
    for pat in patterns:
        if not any(fnmatch(s.name, pat) for s in specs):
            known = ", ".join(s.name for s in specs)
            raise UsageError(f"Unknown report `{pat}` in `only`; known reports: {known}",
                             fix="use a name from reports/index.html or a pattern like "
                                 "'profile-*'")
    return [s for s in specs if any(fnmatch(s.name, p) for p in patterns)]
