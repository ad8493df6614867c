"""Read data/raw/manifest.toml into dataclasses and verify it against the raw files."""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from . import paths, render
from .errors import ManifestError
from .parse.sections import PARTS

ID_RE = re.compile(r"^[a-z0-9_]+$")
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


class _Problems:
    """Collects every problem found, each with the manifest line it refers to and its fix."""

    def __init__(self, text: str):
        self.lines = text.splitlines()
        self.items: list[str] = []

    def add(self, message: str, *, near: str | None = None, fix: str | None = None,
            nth: int = 1) -> None:
        line = self.line_of(near, nth) if near else None
        text = (f"line {line}: " if line else "") + message
        if fix:
            text += "\n     fix: " + fix.replace("\n", "\n     ")
        self.items.append(text)

    def line_of(self, needle: str, nth: int = 1) -> int | None:
        """1-based line of the ``nth`` manifest line containing ``needle``."""
        hits = [i for i, ln in enumerate(self.lines, 1) if needle in ln]
        return hits[nth - 1] if len(hits) >= nth else (hits[0] if hits else None)


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


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
    data = _parse_toml(text, display)
    problems = _Problems(text)
    manifest = Manifest(path=mpath, raw_dir=paths.raw_dir(root),
                        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())
    manifest.districts = _districts(data, problems)
    if verify:
        _verify_ids(manifest.districts, problems)
        _verify_files(manifest, problems)
        _verify_unregistered(manifest, problems)
    if problems.items:
        raise _error(problems.items, display)
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


def _parse_toml(text: str, display: str) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line = int(m.group(1)) if m else None
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        if m:
            msg += f" (column {m.group(2)})"
        raise ManifestError(f"TOML syntax error: {msg}", path=display, line=line,
                            fix="correct the syntax on that line (strings need double quotes, "
                                "tables are written [[district]])") from None


def _error(items: list[str], display: str) -> ManifestError:
    n = len(items)
    body = "\n".join(f"  {i}. {text}" for i, text in enumerate(items, 1))
    return ManifestError(f"the manifest and the raw files disagree "
                         f"({n} problem{'s' if n > 1 else ''}):\n{body}", path=display)


def _districts(data: dict, problems: _Problems) -> list[District]:
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        problems.add(f"schema_version is {version!r}, expected {SCHEMA_VERSION}",
                     near="schema_version", fix=f"put schema_version = {SCHEMA_VERSION} at the top")
    raw = data.get("district", [])
    if not isinstance(raw, list) or not raw:
        problems.add("no [[district]] entries", fix="add a [[district]] block per district")
        return []
    return [d for i, entry in enumerate(raw, 1) if (d := _district(entry, i, problems))]


def _str_field(entry: dict, key: str, where: str, problems: _Problems, *, near: str,
               required: bool = True) -> str:
    value = entry.get(key, None)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        problems.add(f"{where}: field '{key}' must be a non-empty string, got {value!r}",
                     near=near, fix=f'add {key} = "..." to the {where} block')
        return "" if not isinstance(value, str) else value
    return value


def _district(entry: dict, index: int, problems: _Problems) -> District | None:
    did = entry.get("id")
    where = f"district #{index} ({did!r})"
    near = f'id = "{did}"'
    fields = {k: _str_field(entry, k, where, problems, near=near)
              for k in ("id", "name_zh", "name_en")}
    adcode = entry.get("adcode", "")
    if not isinstance(adcode, str) or not ADCODE_RE.match(adcode):
        problems.add(f"{where}: adcode must be 6 digits or \"\", got {adcode!r}",
                     near=f"adcode = {adcode!r}".replace("'", '"'),
                     fix='use the GB/T 2260 code as a string, e.g. adcode = "110112", or ""')
    docs = entry.get("document", [])
    if not isinstance(docs, list) or not docs:
        problems.add(f"{where}: has no [[district.document]]", near=near,
                     fix="add a [[district.document]] block with its [[district.document.file]]")
        docs = []
    documents = tuple(d for j, raw in enumerate(docs, 1)
                      if (d := _document(raw, f"{where} document #{j}", problems)))
    level, parent = _jurisdiction(entry, where, near, problems)
    return District(documents=documents, adcode=adcode if isinstance(adcode, str) else "",
                    level=level, parent=parent, **fields)


def _jurisdiction(entry: dict, where: str, near: str, problems: _Problems) -> tuple[str, str]:
    """``level`` (default district) and ``parent`` (default none) of a district entry."""
    level = entry.get("level", "district")
    if level not in LEVELS:
        problems.add(f"{where}: level must be one of {', '.join(LEVELS)}, got {level!r}",
                     near=f"level = {level!r}".replace("'", '"'),
                     fix='use level = "district" for a district plan, "city", "province" or '
                         '"national" for a reference plan')
        level = "district"
    parent = _str_field(entry, "parent", where, problems, near=near, required=False)
    return level, parent


def _document(entry: dict, where: str, problems: _Problems) -> Document | None:
    near = f'id = "{entry.get("id")}"'
    fields = {k: _str_field(entry, k, where, problems, near=near)
              for k in ("id", "title", "kind", "period")}
    extra = {k: _str_field(entry, k, where, problems, near=near, required=False)
             for k in ("published", "note", "source_url")}
    end_year = entry.get("end_year")
    if not isinstance(end_year, int) or isinstance(end_year, bool) or not 1990 <= end_year <= 2100:
        problems.add(f"{where}: end_year must be a year (integer 1990-2100), got {end_year!r}",
                     near=near, fix="put the plan's final year, e.g. end_year = 2025")
        end_year = 0
    raw_files = entry.get("file", [])
    if not isinstance(raw_files, list) or not raw_files:
        problems.add(f"{where}: has no [[district.document.file]]", near=near,
                     fix='add [[district.document.file]] with path = "..." and sha256 = "..."')
        raw_files = []
    files = tuple(f for k, raw in enumerate(raw_files, 1)
                  if (f := _file(raw, f"{where} file #{k}", problems)))
    return Document(files=files, end_year=end_year, **fields, **extra)


def _file(entry: dict, where: str, problems: _Problems) -> File | None:
    path = entry.get("path")
    if not isinstance(path, str) or not path:
        problems.add(f"{where}: field 'path' must be a non-empty string, got {path!r}",
                     fix='add path = "FILE" (relative to data/raw)')
        return None
    near = f'"{path}"'
    sha = entry.get("sha256")
    if not isinstance(sha, str) or not SHA_RE.match(sha):
        problems.add(f"{where}: sha256 of {path} must be 64 lowercase hex digits, got {sha!r}",
                     near=near, fix=f"put the output of `sha256sum data/raw/{path}` in sha256")
        sha = ""
    start = entry.get("start_section")
    if start is not None and start not in PARTS:
        problems.add(f"{where}: unknown start_section {start!r} for {path}", near=near,
                     fix="use one of: " + ", ".join(PARTS))
        start = None
    return File(path=path, sha256=sha, start_section=start,
                format=_format(entry, path, where, near, problems))


def _format(entry: dict, path: str, where: str, near: str, problems: _Problems) -> str:
    """The file's format: its suffix decides; an optional ``format`` field must agree."""
    actual = render.format_of(path)
    given = entry.get("format")
    if given is not None and given != actual:
        problems.add(f"{where}: format {given!r} of {path} does not match its suffix "
                     f"({actual!r})", near=near,
                     fix=f'write format = "{actual}", or rename the file to the suffix of its '
                         f"format ({', '.join(render.FORMAT_NAMES)})")
    return actual


def _verify_ids(districts: list[District], problems: _Problems) -> None:
    seen: dict[str, int] = {}
    adcodes: dict[str, str] = {}
    count: dict[str, int] = {}
    for i, d in enumerate(districts, 1):
        count[d.id] = count.get(d.id, 0) + 1
        if d.id and not ID_RE.match(d.id):
            problems.add(f"district id {d.id!r} must match [a-z0-9_]+", near=f'id = "{d.id}"',
                         fix="use a lowercase ascii id such as the pinyin name, e.g. tongzhou")
        if d.id in seen:
            problems.add(f"district id {d.id!r} is used twice: district #{seen[d.id]} and "
                         f"district #{i} ({d.name_zh})", near=f'id = "{d.id}"', nth=count[d.id],
                         fix="give each district its own id, or merge the two blocks")
        seen.setdefault(d.id, i)
        if d.adcode and d.adcode in adcodes:
            problems.add(f"adcode {d.adcode} is used by {adcodes[d.adcode]!r} and {d.id!r}",
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
            problems.add(f"district {d.id!r}: parent {d.parent!r} is not an id in the manifest",
                         near=near, fix="register the parent plan as its own [[district]] block "
                                        "(level city, province or national) or remove parent")
        elif LEVELS.index(parent.level) >= LEVELS.index(d.level):
            problems.add(f"district {d.id!r} ({d.level}): parent {d.parent!r} is at level "
                         f"{parent.level!r}, not above it", near=near,
                         fix="a parent stands higher: national > province > city > district")


def _verify_doc_ids(district: District, problems: _Problems) -> None:
    seen: set[str] = set()
    for doc in district.documents:
        if doc.id and not ID_RE.match(doc.id):
            problems.add(f"district {district.id!r}: document id {doc.id!r} must match "
                         "[a-z0-9_]+", near=f'id = "{doc.id}"', fix="use e.g. id = \"plan\"")
        if doc.id in seen:
            problems.add(f"district {district.id!r}: document id {doc.id!r} is used twice",
                         near=f'id = "{doc.id}"', fix="give each document of a district its own id")
        seen.add(doc.id)


def _verify_files(manifest: Manifest, problems: _Problems) -> None:
    raw = manifest.raw_dir.resolve()
    listed: set[str] = set()
    for district, _doc, f in manifest.files():
        near = f'"{f.path}"'
        if f.path in listed:
            problems.add(f"{f.path} is listed twice", near=near,
                         fix="list each raw file under exactly one document")
            continue
        listed.add(f.path)
        target = _inside(raw, f.path)
        if target is None:
            problems.add(f"district {district.id!r}: path {f.path!r} points outside data/raw",
                         near=near, fix="copy the file into data/raw/ and give its path "
                                        "relative to data/raw (no '..', no absolute path)")
        elif not target.is_file():
            problems.add(f"district {district.id!r}: {f.path} does not exist in data/raw",
                         near=near, fix=f"copy the document to data/raw/{f.path} or correct path")
        elif f.sha256:
            _verify_hash(target, f, problems)


def _inside(raw: Path, rel: str) -> Path | None:
    """The resolved file for ``rel`` if it lies inside ``raw`` (after symlinks), else None."""
    if Path(rel).is_absolute() or "\\" in rel or rel.startswith("~"):
        return None
    target = (raw / rel).resolve()
    return target if target.is_relative_to(raw) and target != raw else None


def _verify_hash(target: Path, f: File, problems: _Problems) -> None:
    actual = sha256_file(target)
    if actual != f.sha256:
        problems.add(f"sha256 mismatch for {f.path}: expected {f.sha256}, actual {actual}",
                     near=f'"{f.path}"',
                     fix=f'if the new file is intended, put sha256 = "{actual}" in manifest.toml; '
                         "raw files are never edited (restore the original otherwise)")


def _verify_unregistered(manifest: Manifest, problems: _Problems) -> None:
    raw = manifest.raw_dir.resolve()
    listed = {(raw / f.path).resolve() for _d, _doc, f in manifest.files()}
    for path in sorted(raw.rglob("*")):
        rel = path.relative_to(raw)
        if not path.is_file() or _ignored(rel) or path.resolve() in listed:
            continue
        problems.add(f"data/raw/{rel.as_posix()} is not registered in the manifest",
                     fix="register it: append this block to manifest.toml and fill in the "
                         "names, title and period:\n" + registration_block(path, rel.as_posix()))


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
