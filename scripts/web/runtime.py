"""What the browser runs the engine with: the Pyodide runtime from node_modules/pyodide (npm, pinned in
package.json) and the planner package as a zip; and the same in Node, to check them (run_pyodide.mjs)."""
from __future__ import annotations

import io
import json
import subprocess
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")  # + the trimmed stdlib zip (stdlib.py)
NODE_RUNNER = Path(__file__).with_name("run_pyodide.mjs")


def pyodide_dir(node_modules: Path = ROOT / "node_modules") -> Path:
    d = node_modules / "pyodide"
    if not (d / "pyodide.mjs").exists():
        raise SystemExit(f"pyodide not found in {d}: run `npm ci` first")
    return d


def pyodide_version(pdir: Path) -> str:
    return json.loads((pdir / "package.json").read_text())["version"]


def pack_planner(src: Path = ROOT / "planner") -> bytes:
    """The planner package as a deterministic zip of its .py files (planner/...)."""
    buf = io.BytesIO()
    files = sorted(p for p in src.rglob("*.py") if "__pycache__" not in p.parts)
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for p in files:
            info = zipfile.ZipInfo("planner/" + p.relative_to(src).as_posix(), (1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, p.read_bytes())
    return buf.getvalue()


def run_in_node(inp: Path, out: Path) -> subprocess.CompletedProcess:
    """Run planner requests in Node Pyodide (run_pyodide.mjs reads INPUT.json, writes OUTPUT.json)."""
    return subprocess.run(["node", str(NODE_RUNNER), str(inp), str(out)], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
