// Write the trimmed, minified standard library zip for the browser (scripts/web/stdlib.py).
// Runs in Pyodide itself (Python 3.14, the browser's version; the host may be older), so the
// sources are parsed and unparsed by the same Python that will import them.
// usage: node scripts/web/stdlib.mjs PYODIDE_DIR KEEP.txt OUT.zip
import fs from "node:fs";
import path from "node:path";

const [, , pdir, keepPath, outPath] = process.argv;
const { loadPyodide } = await import(path.resolve(pdir, "pyodide.mjs"));
const lock = JSON.parse(fs.readFileSync(path.resolve(pdir, "pyodide-lock.json"), "utf8"));
const py = await loadPyodide({ indexURL: path.resolve(pdir) + "/", lockFileContents: { info: lock.info, packages: {} } });
py.globals.set("_keep", fs.readFileSync(keepPath, "utf8"));
py.runPython(`
import ast, io, sys, zipfile

# Docstrings go (as with python -OO, which the standard library supports) except in Pyodide's own
# packages, which read some of theirs at start-up. Comments go with the AST round trip.
KEEP_DOCS = ("_pyodide/", "pyodide/")

def strip_docstrings(tree):
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if (body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
                    and isinstance(body[0].value.value, str)):
                node.body = body[1:] or [ast.Pass()]
    return tree

src = zipfile.ZipFile(f"/lib/python{sys.version_info[0]}{sys.version_info[1]}.zip")
names = sorted({n.strip() for n in _keep.splitlines() if n.strip() and not n.startswith("#")})
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
    for name in names:
        data = src.read(name)
        if name.endswith(".py"):
            tree = ast.parse(data, name)
            if not name.startswith(KEEP_DOCS):
                tree = strip_docstrings(tree)
            text = ast.unparse(tree) + "\\n"
            compile(text, name, "exec", dont_inherit=True)  # still valid Python
            data = text.encode()
        info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
        info.external_attr = 0o644 << 16
        z.writestr(info, data)
with open("/tmp/out.zip", "wb") as f:
    f.write(buf.getvalue())
`);
fs.writeFileSync(outPath, py.FS.readFile("/tmp/out.zip"));
