"""Read data/raw/manifest.toml into dataclasses and verify it against the raw files."""

from __future__ import annotations

import errno
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import paths, render, tomlcheck
from .errors import ManifestError
from .files import sha256_file, sha256_text
from .parse.sections import PARTS

ID_RE = tomlcheck.ID_RE
ADCODE_RE = re.compile(r"^(\d{6})?$")
SHA_RE = re.compile(r"^[0-9a-f]{64}$")
IGNORED_NAMES = ("manifest.toml",)
#: Jurisdiction levels from the top; a parent stands above its children in this order.
LEVELS = ("national", "province", "city", "district")
#: Levels whose plans are references for comparison, never shown as a district.
REFERENCE_LEVELS = ("national", "province", "city")
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class File:
    """One raw file of a document; ``path`` is relative to data/raw."""

    path: str
    sha256: str
    start_section: str | None = None
    format: str = "txt"    # txt, docx, pdf, html, doc, wps, odt: from the suffix (render stage)


@dataclass(frozen=True)
class Document:
    """One plan document of a district, in one or more files (in reading order)."""

    id: str
    title: str
    kind: str
    period: str
    end_year: int
    files: tuple[File, ...]
    published: str = ""
    note: str = ""
    source_url: str = ""


@dataclass(frozen=True)
class District:
    """A district and its documents."""

    id: str
    name_zh: str
    name_en: str
    adcode: str
    documents: tuple[Document, ...]
    level: str = "district"
    parent: str = ""

    @property
    def is_reference(self) -> bool:
        """True for a national, provincial or city plan (compared against, never listed)."""
        return self.level in REFERENCE_LEVELS


@dataclass
class Manifest:
    """The verified registry: districts in manifest order and where it was read from."""

    path: Path
    raw_dir: Path
    districts: list[District] = field(default_factory=list)
    sha256: str = ""

    def files(self) -> list[tuple[District, Document, File]]:
        """Every (district, document, file) in manifest order."""
        return [(d, doc, f) for d in self.districts for doc in d.documents for f in doc.files]


class _Problems(tomlcheck.Problems):
    """Problems of the manifest; verification steps locate theirs by a text on the line."""

    def near(self, message: str, *, near: str | None = None, fix: str | None = None,
             nth: int = 1) -> None:
        self.add(message, line=self.line_of(near, nth) if near else None, fix=fix)

    def line_of(self, needle: str, nth: int = 1) -> int | None:
        """1-based line of the ``nth`` manifest line containing ``needle``."""
        hits = [i for i, ln in enumerate(self.lines.lines, 1) if needle in ln]
        return hits[nth - 1] if len(hits) >= nth else (hits[0] if hits else None)


def load(root: Path | None = None, *, verify: bool = True) -> Manifest:
    """Read the manifest of the project at ``root`` and (by default) verify it.

    Parameters
    ----------
    root : Path, optional
        Project root; defaults to :func:`paths.project_root`.
    verify : bool
        Check ids, paths, hashes and unregistered files; collect all problems.

    Returns
    -------
    Manifest

    Raises
    ------
    ManifestError
        Listing every problem found, each with its manifest line and fix.
    """
    root = root or paths.project_root()
    mpath = paths.manifest_path(root)
    display = _display(mpath, root)
    text = _read_text(mpath, display)
    data = tomlcheck.parse(text, display, ManifestError)
    problems = _Problems(tomlcheck.Lines(text))
    manifest = Manifest(path=mpath, raw_dir=paths.raw_dir(root),
                        sha256=sha256_text(text))
    manifest.districts = _districts(data, problems)
    if verify:
        _verify_ids(manifest.districts, problems)
        _verify_files(manifest, problems)
        _verify_unregistered(manifest, problems)
    if problems.items:
        raise problems.error(ManifestError, "the manifest and the raw files disagree", display)
    return manifest


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def _read_text(mpath: Path, display: str) -> str:
    try:
        return mpath.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ManifestError("the manifest does not exist", path=display,
                            fix="create data/raw/manifest.toml (see README: adding a district) "
                                "or run from the project root / set PLANCOMPARE_ROOT") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ManifestError(f"cannot read the manifest ({exc})", path=display,
                            fix="save manifest.toml as UTF-8 text") from None


TOP_KEYS = ("schema_version", "district")
DISTRICT_KEYS = ("id", "name_zh", "name_en", "adcode", "level", "parent", "document")
DOCUMENT_KEYS = ("id", "title", "kind", "period", "end_year", "published", "note", "source_url",
                 "file")
FILE_KEYS = ("path", "sha256", "start_section", "format")


def _districts(data: dict, problems: _Problems) -> list[District]:
    tomlcheck.unknown_keys(data, TOP_KEYS, (), "manifest", problems)
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        problems.at((), "schema_version", f"schema_version is {version!r}, expected "
                    f"{SCHEMA_VERSION}", fix=f"put schema_version = {SCHEMA_VERSION} at the top")
    if "district" not in data:
        problems.near("no [[district]] entries", fix="add a [[district]] block per district")
        return []
    raw = tomlcheck.tables(data["district"], (), "district", "manifest", problems,
                           header="district")
    return [_district(entry, ("district", i), problems) for i, entry in enumerate(raw)]


def _district(entry: dict, where: tuple, problems: _Problems) -> District:
    label = f"district #{where[-1] + 1}" + (f" ({entry['id']!r})" if isinstance(
        entry.get("id"), str) else "")
    tomlcheck.unknown_keys(entry, DISTRICT_KEYS, where, label, problems)
    did = tomlcheck.identifier(entry, "id", where, label, problems)
    names = {k: tomlcheck.text(entry, k, where, label, problems) for k in ("name_zh", "name_en")}
    adcode = entry.get("adcode", "")
    if not isinstance(adcode, str) or not ADCODE_RE.match(adcode):
        problems.at(where, "adcode", f"{label}: adcode must be 6 digits or \"\", got "
                    f"{tomlcheck.kind(adcode)} {adcode!r}",
                    fix='use the GB/T 2260 code as a string, e.g. adcode = "110112", or ""')
        adcode = ""
    docs = _required_tables(entry, "document", where, label, problems,
                            fix="add a [[district.document]] block with its "
                                "[[district.document.file]]")
    documents = tuple(_document(raw, (*where, "document", j), f"{label} document #{j + 1}",
                                problems) for j, raw in enumerate(docs))
    level, parent = _jurisdiction(entry, where, label, problems)
    return District(id=did, documents=documents, adcode=adcode, level=level, parent=parent,
                    **names)


def _jurisdiction(entry: dict, where: tuple, label: str, problems: _Problems) -> tuple[str, str]:
    """``level`` (default district) and ``parent`` (default none) of a district entry."""
    level = entry.get("level", "district")
    if level not in LEVELS:
        problems.at(where, "level", f"{label}: level must be one of {', '.join(LEVELS)}, got "
                    f"{tomlcheck._short(level)}",
                    fix='use level = "district" for a district plan, "city", "province" or '
                        '"national" for a reference plan')
        level = "district"
    parent = tomlcheck.text(entry, "parent", where, label, problems, required=False)
    return level, parent


def _document(entry: dict, where: tuple, label: str, problems: _Problems) -> Document:
    tomlcheck.unknown_keys(entry, DOCUMENT_KEYS, where, label, problems)
    doc_id = tomlcheck.identifier(entry, "id", where, label, problems)
    fields = {k: tomlcheck.text(entry, k, where, label, problems)
              for k in ("title", "kind", "period")}
    extra = {k: tomlcheck.text(entry, k, where, label, problems, required=False)
             for k in ("published", "note", "source_url")}
    end_year = entry.get("end_year")
    if not isinstance(end_year, int) or isinstance(end_year, bool) or not 1990 <= end_year <= 2100:
        problems.at(where, "end_year", f"{label}: end_year must be a year (a number 1990-2100), "
                    f"got {tomlcheck.kind(end_year)} {end_year!r}",
                    fix="put the plan's final year, e.g. end_year = 2025 (no quotes)")
        end_year = 0
    raw_files = _required_tables(entry, "file", where, label, problems,
                                 fix='add [[district.document.file]] with path = "..." and '
                                     'sha256 = "..."')
    files = tuple(f for k, raw in enumerate(raw_files)
                  if (f := _file(raw, (*where, "file", k), f"{label} file #{k + 1}", problems)))
    return Document(id=doc_id, files=files, end_year=end_year, **fields, **extra)


def _file(entry: dict, where: tuple, label: str, problems: _Problems) -> File | None:
    tomlcheck.unknown_keys(entry, FILE_KEYS, where, label, problems)
    path = tomlcheck.text(entry, "path", where, label, problems)
    if not path:
        return None
    sha = entry.get("sha256")
    if not isinstance(sha, str) or not SHA_RE.match(sha):
        problems.at(where, "sha256", f"{label}: sha256 of {path} must be 64 lowercase hex "
                    f"digits, got {tomlcheck.kind(sha)} {tomlcheck._short(sha)}",
                    fix=f"put the output of `sha256sum data/raw/{path}` in sha256")
        sha = ""
    start = entry.get("start_section")
    if start is not None and start not in PARTS:
        problems.at(where, "start_section", f"{label}: unknown start_section {start!r} for "
                    f"{path}", fix="use one of: " + ", ".join(PARTS))
        start = None
    return File(path=path, sha256=sha, start_section=start,
                format=_format(entry, path, where, label, problems))


def _format(entry: dict, path: str, where: tuple, label: str, problems: _Problems) -> str:
    """The file's format: its suffix decides; an optional ``format`` field must agree."""
    actual = render.format_of(path)
    given = entry.get("format")
    if given is not None and given != actual:
        problems.at(where, "format", f"{label}: format {tomlcheck._short(given)} of {path} does "
                    f"not match its suffix ({actual!r})",
                    fix=f'write format = "{actual}", or rename the file to the suffix of its '
                        f"format ({', '.join(render.FORMAT_NAMES)})")
    return actual


def _verify_ids(districts: list[District], problems: _Problems) -> None:
    seen: dict[str, int] = {}
    adcodes: dict[str, str] = {}
    count: dict[str, int] = {}
    for i, d in enumerate(districts, 1):
        count[d.id] = count.get(d.id, 0) + 1
        if d.id and d.id in seen:
            problems.near(f"district id {d.id!r} is used twice: district #{seen[d.id]} and "
                          f"district #{i} ({d.name_zh})", near=f'id = "{d.id}"', nth=count[d.id],
                          fix="give each district its own id, or merge the two blocks")
        seen.setdefault(d.id, i)
        if d.adcode and d.adcode in adcodes:
            problems.near(f"adcode {d.adcode} is used by {adcodes[d.adcode]!r} and {d.id!r}",
                          near=f'adcode = "{d.adcode}"',
                          fix="each district has its own GB/T 2260 code; check both entries")
        adcodes.setdefault(d.adcode, d.id)
        _verify_doc_ids(d, problems)
    _verify_parents(districts, problems)


def _verify_parents(districts: list[District], problems: _Problems) -> None:
    """Each parent is another entry of the manifest at a higher level."""
    by_id = {d.id: d for d in districts}
    for d in districts:
        if not d.parent:
            continue
        near = f'parent = "{d.parent}"'
        parent = by_id.get(d.parent)
        if parent is None:
            problems.near(f"district {d.id!r}: parent {d.parent!r} is not an id in the manifest",
                          near=near, fix="register the parent plan as its own [[district]] block "
                                         "(level city, province or national) or remove parent")
        elif LEVELS.index(parent.level) >= LEVELS.index(d.level):
            problems.near(f"district {d.id!r} ({d.level}): parent {d.parent!r} is at level "
                          f"{parent.level!r}, not above it", near=near,
                          fix="a parent stands higher: national > province > city > district")


def _verify_doc_ids(district: District, problems: _Problems) -> None:
    seen: set[str] = set()
    for doc in district.documents:
        if doc.id and doc.id in seen:
            problems.near(f"district {district.id!r}: document id {doc.id!r} is used twice",
                          near=f'id = "{doc.id}"',
                          fix="give each document of a district its own id")
        seen.add(doc.id)


def _verify_files(manifest: Manifest, problems: _Problems) -> None:
    raw = manifest.raw_dir.resolve()
    listed: set[str] = set()
    for district, _doc, f in manifest.files():
        near = f'"{f.path}"'
        if f.path in listed:
            problems.near(f"{f.path} is listed twice", near=near,
                          fix="list each raw file under exactly one document")
            continue
        listed.add(f.path)
        kind = file_kind(raw / f.path)
        target = _inside(raw, f.path) if kind != "a symlink loop" else raw
        if target is None:
            problems.near(f"district {district.id!r}: path {f.path!r} points outside data/raw",
                          near=near, fix="copy the file into data/raw/ and give its path "
                                         "relative to data/raw (no '..', no absolute path)")
        elif kind == "missing":
            problems.near(f"district {district.id!r}: {f.path} does not exist in data/raw",
                          near=near, fix=f"copy the document to data/raw/{f.path} or correct path")
        elif kind != "a file":
            problems.near(f"district {district.id!r}: data/raw/{f.path} is {kind}, not a "
                          "regular file", near=near,
                          fix="replace it by a copy of the document (a plain file)")
        elif f.sha256:
            _verify_hash(target, f, problems)


def file_kind(path: Path) -> str:
    """What ``path`` is, in words: "a file", "a directory", "a FIFO", "a device", "a socket",
    "a symlink loop", "a broken symlink" or "missing" (never follows a loop, never blocks)."""
    import stat

    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a symlink loop"
        return "a broken symlink" if path.is_symlink() else "missing"
    for test, name in ((stat.S_ISREG, "a file"), (stat.S_ISDIR, "a directory"),
                       (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "a device"


def _inside(raw: Path, rel: str) -> Path | None:
    """The resolved file for ``rel`` if it lies inside ``raw`` (after symlinks), else None."""
    if Path(rel).is_absolute() or "\\" in rel or rel.startswith("~"):
        return None
    try:
        target = (raw / rel).resolve()
    except (OSError, RuntimeError):  # a symlink loop (file_kind names it)
        return raw
    return target if target.is_relative_to(raw) and target != raw else None


def _verify_hash(target: Path, f: File, problems: _Problems) -> None:
    actual = sha256_file(target)
    if actual != f.sha256:
        problems.near(f"sha256 mismatch for {f.path}: expected {f.sha256}, actual {actual}",
                      near=f'"{f.path}"',
                      fix=f'if the new file is intended, put sha256 = "{actual}" in '
                          "manifest.toml; raw files are never edited (restore the original "
                          "otherwise)")


def _verify_unregistered(manifest: Manifest, problems: _Problems) -> None:
    raw = manifest.raw_dir.resolve()
    listed = {_resolved(raw / f.path) for _d, _doc, f in manifest.files()}
    for path in sorted(raw.rglob("*")):
        rel = path.relative_to(raw)
        if _ignored(rel) or _resolved(path) in listed:
            continue
        kind = file_kind(path)
        if kind == "a directory":
            continue
        if kind != "a file":
            problems.near(f"data/raw/{rel.as_posix()} is {kind}, not a regular file",
                          fix="remove it from data/raw/ (only plain document files belong there)")
            continue
        problems.near(f"data/raw/{rel.as_posix()} is not registered in the manifest",
                      fix="register it: append this block to manifest.toml and fill in the "
                          "names, title and period:\n" + registration_block(path, rel.as_posix()))


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path


def _ignored(rel: Path) -> bool:
    name = rel.name
    return (str(rel) in IGNORED_NAMES or name.startswith("README")
            or any(part.startswith(".") for part in rel.parts))


def registration_block(path: Path, rel: str) -> str:
    """A ready-to-paste [[district]] block for an unregistered raw file."""
    stem = re.sub(r"[^a-z0-9_]", "_", Path(rel).stem.lower().split("_")[0]) or "new_district"
    return "\n".join([
        "[[district]]", f'id = "{stem}"', 'name_zh = ""', 'name_en = ""', 'adcode = ""', "",
        "  [[district.document]]", '  id = "plan"', '  title = ""',
        '  kind = "development plan"', '  period = "2021-2025"', "  end_year = 2025", "",
        "    [[district.document.file]]", f'    path = "{rel}"',
        f'    sha256 = "{sha256_file(path)}"',
        *([f'    format = "{render.format_of(rel)}"'] if render.is_rendered(rel) else []),
    ])


def _required_tables(entry: dict, key: str, where: tuple, label: str, problems, *,
                     fix: str) -> list:
    """The array of tables ``entry[key]`` (``[[district.document]]`` / its ``.file``), or []
    with a problem naming the missing block."""
    header = "district.document" + (".file" if key == "file" else "")
    if key not in entry:
        problems.at(where, None, f"{label}: has no [[{header}]]", fix=fix)
        return []
    return tomlcheck.tables(entry[key], where, key, label, problems, header=header)
