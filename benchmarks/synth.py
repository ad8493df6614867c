"""Generate synthetic districts by realistic variation of the real plan documents.

Each synthetic district copies one real document (round robin over the manifest's files), then:
renames the district (通州/海淀/大兴/** -> a generated two-character name), perturbs every
percentage and count by a small amount, switches the indicator-table layout (Tongzhou's one cell
per line <-> Haidian's one row per line) for every other district, swaps full- and half-width
digits/brackets for every third, and re-encodes every fifth as GB18030. The output is a complete
project root (data/raw/ + manifest.toml) that `plancompare build` can read.

Usage::

    python benchmarks/synth.py OUT_DIR N [--seed 0]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SYLLABLES = "东西南北安宁丰华新城山河湖阳清泉平兴和临江松林石桥青云明德永嘉福金"
REAL_NAMES = ("北京城市副中心", "通州", "海淀", "大兴", "**")
HALF_TO_FULL = str.maketrans("0123456789()%>", "０１２３４５６７８９（）％＞")
FULL_TO_HALF = str.maketrans("０１２３４５６７８９（）％＞", "0123456789()%>")
PERCENT_RE = re.compile(r"(?<![\d.])(\d{1,3})(?=\s*[%％])")
COUNT_RE = re.compile(r"(?<![\d.年])(\d{1,4})(?=[个所项名门])")


def district_name(i: int) -> str:
    a = SYLLABLES[i % len(SYLLABLES)]
    b = SYLLABLES[(i // len(SYLLABLES) * 7 + i * 3 + 5) % len(SYLLABLES)]
    return a + b + (str(i // (len(SYLLABLES) ** 2)) if i >= len(SYLLABLES) ** 2 else "")


def perturb(text: str, rng: random.Random) -> str:
    def pct(m: re.Match) -> str:
        v = int(m.group(1))
        return str(max(1, min(100, v + rng.randint(-3, 3))))

    def cnt(m: re.Match) -> str:
        v = int(m.group(1))
        return str(max(1, v + rng.randint(-max(1, v // 5), max(1, v // 5))))

    return COUNT_RE.sub(cnt, PERCENT_RE.sub(pct, text))


def rename(text: str, name: str) -> str:
    for real in REAL_NAMES:
        text = text.replace(real, name)
    return text


def cells_to_rows(lines: list[str]) -> list[str]:
    """Tongzhou layout (a tab-indented cell per line, blank between rows) -> one row per line."""
    out, i = [], 0
    while i < len(lines):
        if lines[i].strip() == "指标" and i + 1 < len(lines) and lines[i + 1].strip().endswith("年"):
            out.append("  指 标 " + lines[i + 1].strip())
            i += 2
            row: list[str] = []
            while i < len(lines) and (lines[i].startswith("\t") or not lines[i].strip()):
                cell = lines[i].strip()
                if cell:
                    row.append(cell)
                elif row:
                    out.extend(["", "  " + " ".join(row)])
                    row = []
                i += 1
            if row:
                out.extend(["", "  " + " ".join(row)])
            continue
        out.append(lines[i])
        i += 1
    return out


ROW_RE = re.compile(r"^\s*(\d{1,2}) (\S+) (\S+) (\S+)\s*$")


def rows_to_cells(lines: list[str]) -> list[str]:
    """Haidian layout (one row per line: no, name, 2020, 2025) -> one tab-indented cell per line."""
    out = []
    for ln in lines:
        stripped = ln.replace("\u00a0", " ").strip()
        if re.fullmatch(r"指 ?标 2020年 2025年", stripped):
            out.extend(["\t", "\t指标", "\t2020年", "\t2025年", ""])
            continue
        m = ROW_RE.match(ln.replace("\u00a0", " "))
        if m and "(" in m.group(2):
            out.extend("\t" + c for c in m.groups())
            continue
        out.append(ln)
    return out


CELL_RE = re.compile(r"^(\t[>＞≥]?)(\d{1,3})$")
ROW_VALUES_RE = re.compile(r"(\)\s+[>＞≥]?)(\d{1,3})(\s+[>＞≥]?)(\d{1,3})\s*$")


def perturb_tables(lines: list[str], rng: random.Random) -> list[str]:
    """Perturb the values of indicator-table cells and rows (not row numbers)."""
    def bump(v: str) -> str:
        return str(max(1, min(100, int(v) + rng.randint(-3, 3))))

    out = []
    for k, ln in enumerate(lines):
        m = CELL_RE.match(ln)
        if m and k > 0 and lines[k - 1].rstrip().endswith(")") or m and "（" in lines[k - 1]:
            ln = m.group(1) + bump(m.group(2))
        else:
            ln = ROW_VALUES_RE.sub(lambda r: r.group(1) + bump(r.group(2)) + r.group(3)
                                   + bump(r.group(4)), ln)
        out.append(ln)
    return out


def vary(text: str, i: int, rng: random.Random, n_templates: int = 4) -> str:
    text = perturb(rename(text, district_name(i) + "区"), rng)
    lines = perturb_tables(text.split("\n"), rng)
    if (i // n_templates) % 2 == 1:
        lines = cells_to_rows(lines) if any(ln.strip() == "指标" for ln in lines) else rows_to_cells(lines)
    text = "\n".join(lines)
    if i % 3 == 2:
        text = text.translate(HALF_TO_FULL if i % 6 == 2 else FULL_TO_HALF)
    return text


def real_documents(root: Path) -> list[dict]:
    manifest = tomllib.loads((root / "data/raw/manifest.toml").read_text(encoding="utf-8"))
    docs = []
    for d in manifest["district"]:
        for doc in d["document"]:
            docs.append({"district": d, "document": doc})
    return docs


def generate(out: Path, n: int, seed: int = 0, root: Path = ROOT) -> Path:
    """Write N synthetic districts into ``out`` (a project root); return the manifest path."""
    rng = random.Random(seed)
    raw = out / "data" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    templates = real_documents(root)
    blocks = ["schema_version = 1\n"]
    for i in range(n):
        tpl = templates[i % len(templates)]
        did = f"synth{i:04d}"
        name = district_name(i) + "区"
        blocks.append(f'\n[[district]]\nid = "{did}"\nname_zh = "{name}"\n'
                      f'name_en = "Synthetic {i}"\nadcode = ""\n')
        doc = tpl["document"]
        blocks.append(f'\n  [[district.document]]\n  id = "{doc["id"]}"\n'
                      f'  title = "{rename(doc["title"], name)}"\n  kind = "{doc["kind"]}"\n'
                      f'  period = "{doc["period"]}"\n  end_year = {doc["end_year"]}\n')
        for k, f in enumerate(doc["file"]):
            text = (root / "data/raw" / f["path"]).read_bytes().decode("utf-8")
            data = vary(text, i, rng, len(templates)).encode("gb18030" if i % 5 == 4 else "utf-8")
            path = f"{did}_{k + 1}.txt"
            (raw / path).write_bytes(data)
            sha = hashlib.sha256(data).hexdigest()
            start = f'    start_section = "{f["start_section"]}"\n' if "start_section" in f else ""
            blocks.append(f'\n    [[district.document.file]]\n    path = "{path}"\n'
                          f'    sha256 = "{sha}"\n{start}')
    manifest = raw / "manifest.toml"
    manifest.write_text("".join(blocks), encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("n", type=int)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    manifest = generate(args.out, args.n, args.seed)
    size = sum(p.stat().st_size for p in manifest.parent.glob("*.txt"))
    print(f"{args.n} districts, {size / 1e6:.1f} MB of raw text -> {manifest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
