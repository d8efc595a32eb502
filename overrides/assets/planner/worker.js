// Guichet planner worker (module worker). Loads the self-hosted Pyodide runtime, installs the
// planner package and the rules, and answers requests with planner.api.run_json. Nothing here
// talks to any host but the one serving the site, and nothing typed is ever fetched or posted.
//
// Messages in:  {id, op: "init", manifest: <absolute URL of manifest.json>}
//               {id, op: "run", request: {...}}            -> {id, ok, result}
//               {id, op: "ics", events: [...], name}       -> {id, ok, text}
// Messages out: {op: "progress", done, total} while downloading; {id, ok:false, error, kind}.

let ready = null;
let py = null;
let runRequest = null;
let icsCalendar = null;

const counted = new Map(); // url -> bytes received (runtime files)
let total = 0;
let lastPost = 0;

function progress(force) {
  const now = Date.now();
  if (!force && now - lastPost < 100) return;
  lastPost = now;
  let done = 0;
  for (const v of counted.values()) done += v;
  self.postMessage({ op: "progress", done, total });
}

// Count bytes as Pyodide fetches its files, without fetching anything twice.
const realFetch = self.fetch.bind(self);
function countingFetch(input, init) {
  const url = typeof Request !== "undefined" && input instanceof Request ? input.url : String(input);
  return realFetch(input, init).then((resp) => {
    if (!resp.ok || !resp.body || !counted.has(url)) return resp;
    let n = 0;
    const reader = resp.body.getReader();
    const stream = new ReadableStream({
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) { controller.close(); progress(true); return; }
        n += value.byteLength;
        counted.set(url, n);
        progress(false);
        controller.enqueue(value);
      },
      cancel(reason) { return reader.cancel(reason); },
    });
    return new Response(stream, { status: resp.status, statusText: resp.statusText, headers: resp.headers });
  });
}

async function fetchBytes(url) {
  const r = await countingFetch(url);
  if (!r.ok) throw Object.assign(new Error(`HTTP ${r.status} for ${url}`), { kind: "download" });
  return new Uint8Array(await r.arrayBuffer());
}

// Warm start (issue 7): Python compiles the sources of the standard library and of the planner at
// every start (3-4 s on a 2-core machine). After the first start the worker compiles them once to
// bytecode, in small steps between requests, and keeps the two zips in the Cache API, keyed by the
// hashed file they come from; the next page load starts from them. Only this site's own files,
// compiled here: nothing is downloaded or sent. Not a "guichet-" name: the service worker (issue 6)
// deletes the other builds' "guichet-" caches on activate; "erase everything"
// (assets/offline/register.js) removes "planner-" caches too.
const PYC_CACHE = "planner-pyc";
async function readCompiled(key) {
  try {
    if (!key || typeof caches === "undefined") return null;
    const hit = await (await caches.open(PYC_CACHE)).match(key);
    return hit ? new Uint8Array(await hit.arrayBuffer()) : null;
  } catch { return null; }
}

const COMPILE_PY = `
def _guichet_pyc(kind):
    import io, os, sys, zipfile, importlib._bootstrap_external as be
    if kind == "stdlib":
        lib = f"/lib/python{sys.version_info[0]}{sys.version_info[1]}.zip"
        with zipfile.ZipFile(lib) as z:
            files = [(n, f"{lib}/{n}", lambda n=n, d=z.read(n): d) for n in sorted(z.namelist())]
    else:
        top = "/home/pyodide/guichet"
        files = []
        for d, _, names in os.walk(top + "/planner"):
            for n in sorted(names):
                full = f"{d}/{n}"
                files.append((full[len(top) + 1:], full, lambda full=full: open(full, "rb").read()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as out:
        for i, (name, origin, read) in enumerate(files):
            data = read()
            if name.endswith(".py"):
                code = compile(data, origin, "exec", dont_inherit=True)
                data, name = bytes(be._code_to_hash_pyc(code, b"\\0" * 8, checked=False)), name + "c"
            out.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data)
            if i % 4 == 3:
                yield None
    yield buf.getvalue()
`;

async function compileForNextTime(jobs) { // [[cache key, "stdlib" | "planner"], ...]
  py.runPython(COMPILE_PY);
  const make = py.globals.get("_guichet_pyc");
  const cache = await caches.open(PYC_CACHE);
  try {
    for (const [key, kind] of jobs) {
      const gen = make(kind);
      try {
        for (;;) {
          const step = gen.next();
          if (step.done) break;
          if (step.value !== undefined && step.value !== null) {
            const bytes = step.value.toJs();
            step.value.destroy();
            await cache.put(key, new Response(bytes, { headers: { "Content-Type": "application/zip" } }));
            break;
          }
          await new Promise((r) => setTimeout(r, 0)); // let a request in between
        }
      } finally { gen.destroy(); }
    }
  } finally { make.destroy(); }
  self.postMessage({ op: "compiled" });
}

async function forgetOtherCompiled(keep) {
  try {
    const cache = await caches.open(PYC_CACHE);
    for (const old of await cache.keys()) if (!keep.includes(old.url)) await cache.delete(old);
  } catch { /* no Cache API */ }
}

async function init(manifestUrl) {
  if (typeof WebAssembly !== "object" || typeof WebAssembly.instantiate !== "function") {
    throw Object.assign(new Error("WebAssembly unavailable"), { kind: "wasm" });
  }
  const mr = await realFetch(manifestUrl);
  if (!mr.ok) throw Object.assign(new Error(`HTTP ${mr.status} for manifest`), { kind: "download" });
  const manifest = await mr.json();
  const base = new URL(manifestUrl);
  const indexURL = new URL(manifest.pyodide.url, base).href;
  const plannerUrl = new URL(manifest.planner.url, base).href;
  const rulesUrl = new URL(manifest.rules.url, base).href;
  const stdlibUrl = manifest.pyodide.stdlib ? new URL(manifest.pyodide.stdlib, indexURL).href : null;
  const stdKey = stdlibUrl && `${stdlibUrl}?compiled=${manifest.pyodide.version}`;
  const plannerKey = `${plannerUrl}?compiled=${manifest.pyodide.version}`;
  const [stdPyc, plannerPyc] = await Promise.all([readCompiled(stdKey), readCompiled(plannerKey)]);
  const stdBlob = stdPyc ? URL.createObjectURL(new Blob([stdPyc])) : null;
  for (const [name, size] of Object.entries(manifest.pyodide.files || {})) {
    if (name.endsWith(".mjs")) continue; // imported as modules, not fetched
    const url = new URL(name, indexURL).href;
    counted.set(url, stdPyc && url === stdlibUrl ? size : 0);
    total += size;
  }
  counted.set(plannerUrl, plannerPyc ? manifest.planner.size || 0 : 0); total += manifest.planner.size || 0;
  counted.set(rulesUrl, 0); total += manifest.rules.size || 0;
  self.fetch = countingFetch;
  progress(true);

  // Start the small downloads while the runtime loads.
  const plannerP = plannerPyc ? Promise.resolve(plannerPyc) : fetchBytes(plannerUrl);
  const rulesP = fetchBytes(rulesUrl);
  let loadPyodide;
  try {
    ({ loadPyodide } = await import(new URL("pyodide.mjs", indexURL).href));
  } catch (e) {
    throw Object.assign(new Error(String(e)), { kind: "download" });
  }
  try {
    py = await loadPyodide({
      indexURL,
      lockFileContents: { info: manifest.pyodide.lock_info, packages: {} },
      ...(stdlibUrl ? { stdLibURL: stdBlob || stdlibUrl } : {}),
      stdout: () => {},
      stderr: () => {},
    });
  } catch (e) {
    const kind = /WebAssembly|wasm/i.test(String(e)) && !/fetch|HTTP|network/i.test(String(e)) ? "wasm" : "download";
    throw Object.assign(new Error(String(e)), { kind });
  }
  const [zip, rulesBytes] = await Promise.all([plannerP, rulesP]);
  py.unpackArchive(zip, "zip", { extractDir: "/home/pyodide/guichet" });
  py.globals.set("_guichet_rules", new TextDecoder().decode(rulesBytes));
  py.runPython(`
import sys, json
if "/home/pyodide/guichet" not in sys.path:
    sys.path.insert(0, "/home/pyodide/guichet")
import planner.api, planner.ics
_guichet_rules_text = _guichet_rules
del _guichet_rules

def _guichet_run(request_json):
    return planner.api.run_json(_guichet_rules_text, request_json)

def _guichet_ics(events_json, name):
    try:
        return json.dumps({"text": planner.ics.calendar_json(events_json, None, name=name or None)})
    except Exception as e:
        return json.dumps({"error": str(e)})
`);
  runRequest = py.globals.get("_guichet_run");
  icsCalendar = py.globals.get("_guichet_ics");
  progress(true);
  if (stdBlob) URL.revokeObjectURL(stdBlob);
  const jobs = [];
  if (stdKey && !stdPyc) jobs.push([stdKey, "stdlib"]);
  if (!plannerPyc) jobs.push([plannerKey, "planner"]);
  if (typeof caches !== "undefined") {
    forgetOtherCompiled([stdKey, plannerKey]);
    if (jobs.length) setTimeout(() => compileForNextTime(jobs).catch(() => {}), 0); // after the first request
  }
  return { version: manifest.pyodide.version };
}

self.onmessage = async (event) => {
  const msg = event.data || {};
  const { id, op } = msg;
  try {
    if (op === "init") {
      if (!ready) ready = init(msg.manifest);
      const info = await ready;
      self.postMessage({ id, ok: true, info });
    } else if (op === "run") {
      await ready;
      const t0 = performance.now();
      const out = runRequest(JSON.stringify(msg.request));
      self.postMessage({ id, ok: true, result: JSON.parse(out), ms: performance.now() - t0 });
    } else if (op === "ics") {
      await ready;
      const out = JSON.parse(icsCalendar(JSON.stringify(msg.events), msg.name || ""));
      if (out.error) self.postMessage({ id, ok: false, error: out.error, kind: "ics" });
      else self.postMessage({ id, ok: true, text: out.text });
    } else {
      self.postMessage({ id, ok: false, error: `unknown op ${op}`, kind: "bug" });
    }
  } catch (e) {
    if (op === "init") { // allow a retry, from the sources: a broken compiled copy must not stick
      ready = null;
      await forgetOtherCompiled([]);
    }
    self.postMessage({ id, ok: false, error: String(e && e.message || e), kind: (e && e.kind) || "bug" });
  }
};
