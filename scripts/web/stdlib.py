"""The part of Python's standard library the planner needs in the browser (issue 7).

Pyodide's python_stdlib.zip is 2.5 MB gzip; the planner imports a few modules, Pyodide itself about
120 at start-up (asyncio for its event loop, zipfile for packages, ast for runPython...). The site
ships only those files, without comments and docstrings (as `python -OO` would): about 0.36 MB gzip.

- `scripts/web/stdlib.txt` (committed) lists the files kept. Regenerate it after a Pyodide
  upgrade or when the planner imports a new module:  python -m scripts.web.stdlib scan
  (runs every parity vector, scripts/web/vectors.py, in Node Pyodide with the full library and
  records what was imported).
- `trimmed_zip()` builds the zip in Pyodide under Node (`scripts/web/stdlib.mjs`: the
  browser's own Python 3.14 parses and unparses the sources) and caches it under
  node_modules/.cache/ by Pyodide version and list, so only the first build pays the ~5 s.
- tests/parity/ runs every parity vector with this zip: a module missing from the list fails the
  tests, never a reader's browser.

    python -m scripts.web.stdlib scan          # rewrite scripts/web/stdlib.txt
    python -m scripts.web.stdlib build OUT.zip # write the trimmed zip
"""
from __future__ import annotations

import argparse
import ast
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from scripts.web import vectors
from scripts.web.runtime import ROOT, pack_planner, pyodide_dir, run_in_node

KEEP_FILE = Path(__file__).with_name("stdlib.txt")
TOOL = Path(__file__).with_name("stdlib.mjs")
CACHE = ROOT / "node_modules" / ".cache" / "guichet-stdlib"
BROWSER_ONLY = {"cli.py", "__main__.py", "examples.py"}  # planner files the browser never imports


def keep_list(path: Path = KEEP_FILE) -> list[str]:
    return sorted({ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()
                   if ln.strip() and not ln.startswith("#")})


def _key(pdir: Path, names: list[str]) -> str:
    version = json.loads((pdir / "package.json").read_text())["version"]
    h = hashlib.sha256()
    for part in (version, "\n".join(names), TOOL.read_text(encoding="utf-8")):
        h.update(part.encode() + b"\0")
    return h.hexdigest()[:16]


def _filtered(pdir: Path, names: list[str]) -> bytes:
    """Fallback without Node: the same files, unminified (about 0.67 MB gzip)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(pdir / "python_stdlib.zip") as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        for name in names:
            info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            z.writestr(info, src.read(name))
    return buf.getvalue()


def trimmed_zip(pdir: Path, cache: Path | None = CACHE) -> bytes:
    names = keep_list()
    key = _key(pdir, names)
    hit = cache / f"python_stdlib-{key}.zip" if cache else None
    if hit and hit.exists():
        return hit.read_bytes()
    node = shutil.which("node")
    if node is None:
        print("scripts.web.stdlib: node not found, shipping the trimmed library unminified", file=sys.stderr)
        return _filtered(pdir, names)
    with tempfile.TemporaryDirectory() as tmp:
        keep, out = Path(tmp) / "keep.txt", Path(tmp) / "out.zip"
        keep.write_text("\n".join(names) + "\n", encoding="utf-8")
        proc = subprocess.run([node, str(TOOL), str(pdir), str(keep), str(out)], cwd=ROOT,
                              capture_output=True, text=True, timeout=300)
        if proc.returncode != 0:  # still a working site, only larger
            print(f"scripts.web.stdlib: minifying failed, shipping the trimmed library unminified:\n"
                  f"{proc.stderr[-2000:]}", file=sys.stderr)
            return _filtered(pdir, names)
        data = out.read_bytes()
    if hit:
        hit.parent.mkdir(parents=True, exist_ok=True)
        for old in hit.parent.glob("python_stdlib-*.zip"):
            if old.name != hit.name:
                old.unlink(missing_ok=True)
        tmp_hit = hit.with_name(hit.name + f".{os.getpid()}.tmp")
        tmp_hit.write_bytes(data)
        os.replace(tmp_hit, hit)
    return data


def planner_imports(src: Path = ROOT / "planner") -> list[str]:
    """Every module the browser-side planner files import, at the top or inside a function."""
    mods = set()
    for p in sorted(src.glob("*.py")):
        if p.name in BROWSER_ONLY:
            continue
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                mods.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                mods.add(node.module)
    return sorted(m for m in mods if m.split(".")[0] != "planner")


def scan(pdir: Path) -> list[str]:
    """Run every parity vector in Node Pyodide with the full library; the zip files imported."""
    from scripts.rules import load_rules, write_bundle

    bundle = load_rules(ROOT / "rules")
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        write_bundle(bundle, t / "rules.json")
        (t / "planner.zip").write_bytes(pack_planner(ROOT / "planner"))
        inp = {"planner_zip": str(t / "planner.zip"), "rules": str(t / "rules.json"),
               "requests": vectors.requests(bundle), "ics": vectors.ICS_CASES,
               "imports": planner_imports(), "modules": True}
        (t / "in.json").write_text(json.dumps(inp, ensure_ascii=False), encoding="utf-8")
        proc = run_in_node(t / "in.json", t / "out.json")
        if proc.returncode:
            raise SystemExit(proc.stderr[-3000:])
        found = set(json.loads((t / "out.json").read_text(encoding="utf-8"))["modules"])
    for name in list(found):  # the package of every module (zipimport needs each __init__)
        parts = name.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            init = "/".join(parts[:i]) + "/__init__.py"
            with zipfile.ZipFile(pdir / "python_stdlib.zip") as z:
                if init in z.namelist():
                    found.add(init)
    return sorted(found)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("command", choices=["scan", "build"])
    ap.add_argument("out", nargs="?", type=Path)
    a = ap.parse_args(argv)
    pdir = pyodide_dir()
    if a.command == "scan":
        names = scan(pdir)
        header = ("# Standard-library files shipped to the browser (scripts/web/stdlib.py).\n"
                  "# Generated by `python -m scripts.web.stdlib scan`: what Pyodide imports at start-up\n"
                  "# plus what the planner imports while running every parity vector. Do not edit by hand.\n")
        KEEP_FILE.write_text(header + "\n".join(names) + "\n", encoding="utf-8")
        print(f"{KEEP_FILE.relative_to(ROOT)}: {len(names)} files")
    else:
        data = trimmed_zip(pdir)
        out = a.out or Path("python_stdlib.trimmed.zip")
        out.write_bytes(data)
        print(f"{out}: {len(data):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
