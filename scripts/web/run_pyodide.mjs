// Run planner requests in real Pyodide under Node: ONE interpreter for every vector, restored from a
// memory snapshot as in the browser.
// Used by the parity tests (tests/parity/) and the stdlib scan (scripts/web/stdlib.py).
// usage: node scripts/web/run_pyodide.mjs INPUT.json OUTPUT.json
// INPUT  = {"planner_zip": path, "rules": path to rules JSON, "requests": [request, ...],
//           "ics": [{"events": [...], "now": "2026-03-01T09:30:00Z"}, ...] (optional),
//           "stdlib": path of the python_stdlib zip to use (optional: the trimmed one the site ships),
//           "imports": [module, ...] imported at the end (optional), "modules": true (optional)}
// OUTPUT = {"python": "3.14.x", "results": [JSON text of planner.api.run_json per request],
//           "ics": [text, ...], "load_ms": n (restore from the snapshot), "run_ms": n,
//           "snapshot_gzip_bytes": n,
//           "modules": [paths inside the stdlib zip of every module imported] (if asked)}
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..", "..");
const [, , inPath, outPath] = process.argv;
const input = JSON.parse(fs.readFileSync(inPath, "utf8"));
const { loadPyodide } = await import(path.join(root, "node_modules/pyodide/pyodide.mjs"));
const lock = JSON.parse(fs.readFileSync(path.join(root, "node_modules/pyodide/pyodide-lock.json"), "utf8"));

// As the browser worker does (overrides/assets/planner/worker.js): a first interpreter imports the
// planner and makes a memory snapshot; every request runs in a second one restored from it.
const options = {
  indexURL: path.join(root, "node_modules/pyodide") + "/",
  lockFileContents: { info: lock.info, packages: {} },
  ...(input.stdlib ? { stdLibURL: path.resolve(input.stdlib) } : {}),
};
const plannerZip = new Uint8Array(fs.readFileSync(input.planner_zip));
const install = (interp) => interp.unpackArchive(plannerZip, "zip", { extractDir: "/home/pyodide/guichet" });
const first = await loadPyodide({ ...options, _makeSnapshot: true });
install(first);
first.runPython(`
import sys
sys.path.insert(0, "/home/pyodide/guichet")
import planner.api, planner.ics
`);
const snapshot = first.makeMemorySnapshot();
const t0 = performance.now();
const py = await loadPyodide({ ...options, _loadSnapshot: snapshot });
const loadMs = performance.now() - t0;
install(py);
py.globals.set("_rules_text", fs.readFileSync(input.rules, "utf8"));
const runJson = py.pyimport("planner.api").run_json;
const ics = py.pyimport("planner.ics");
const rulesText = py.globals.get("_rules_text");
const t1 = performance.now();
const results = input.requests.map((r) => runJson(rulesText, JSON.stringify(r)));
const runMs = performance.now() - t1;
const icsOut = (input.ics || []).map((c) => ics.calendar_json(JSON.stringify(c.events), c.now));
const version = py.runPython("import sys; sys.version.split()[0]");
const out = { python: version, results, ics: icsOut, load_ms: loadMs, run_ms: runMs,
  snapshot_gzip_bytes: zlib.gzipSync(snapshot).length };
for (const m of input.imports || []) py.pyimport(m);
if (input.modules) {
  out.modules = py.runPython(`
import sys
_zip = f"/lib/python{sys.version_info[0]}{sys.version_info[1]}.zip/"
sorted({m.__spec__.origin[len(_zip):] for m in list(sys.modules.values())
        if getattr(getattr(m, "__spec__", None), "origin", None) and m.__spec__.origin.startswith(_zip)})
`).toJs();
}
fs.writeFileSync(outPath, JSON.stringify(out));
