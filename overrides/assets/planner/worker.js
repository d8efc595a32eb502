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

// Warm start (issue 7): a fresh start spends 1-3 s in Python's own start-up and in importing the
// standard library and the planner. The first start therefore saves a memory snapshot of the
// interpreter (Pyodide's `_makeSnapshot`, experimental in 314.0.x) right after the planner is
// imported and BEFORE any request: it holds only this site's public code, never an answer. It is
// kept gzip-compressed in the Cache API under a key naming the exact runtime, standard library and
// planner it was made from; the next page load restores it instead of starting Python again.
// Emscripten keeps files outside the snapshotted memory, so the planner files are unpacked again
// after a restore (a later import still finds them). Not a "guichet-" name: the service worker
// (issue 6) deletes the other builds' "guichet-" caches on activate; "erase everything"
// (assets/offline/register.js) removes "planner-" caches too.
const SNAPSHOT_CACHE = "planner-snapshot";
const SETUP_PY = `
import sys
if "/home/pyodide/guichet" not in sys.path:
    sys.path.insert(0, "/home/pyodide/guichet")
import json, planner.api, planner.ics

def _guichet_run(request_json):
    return planner.api.run_json(_guichet_rules, request_json)

def _guichet_ics(events_json, name):
    try:
        return json.dumps({"text": planner.ics.calendar_json(events_json, None, name=name or None)})
    except Exception as e:
        return json.dumps({"error": str(e)})
`;

// {bytes: Promise} inflating the kept snapshot, or null: loadPyodide awaits the promise only when it
// needs the memory, so the runtime's own files load meanwhile.
async function keptSnapshot(key) {
  try {
    if (typeof caches === "undefined" || typeof DecompressionStream === "undefined") return null;
    const hit = await (await caches.open(SNAPSHOT_CACHE)).match(key);
    return hit && { bytes: new Response(hit.body.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer() };
  } catch { return null; }
}

async function keepSnapshot(key, bytes) {
  try {
    const gz = await new Response(new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"))).blob();
    await forgetSnapshots();
    await (await caches.open(SNAPSHOT_CACHE)).put(key, new Response(gz, { headers: { "Content-Type": "application/gzip" } }));
  } catch { /* quota or no Cache API: the next start is a fresh one */ }
}

async function forgetSnapshots() { // and what earlier versions kept ("planner-pyc")
  try {
    if (typeof caches !== "undefined") for (const name of await caches.keys()) if (name.startsWith("planner-")) await caches.delete(name);
  } catch { /* ignore */ }
}

function loadError(e) {
  const kind = /WebAssembly|wasm/i.test(String(e)) && !/fetch|HTTP|network/i.test(String(e)) ? "wasm" : "download";
  return Object.assign(new Error(String(e)), { kind });
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
  const canSnapshot = typeof caches !== "undefined" && typeof CompressionStream !== "undefined";
  const snapshotKey = `${plannerUrl}?snapshot=${encodeURIComponent(`${manifest.pyodide.version}/${manifest.pyodide.stdlib || ""}`)}`;
  const snapshot = await keptSnapshot(snapshotKey);
  for (const [name, size] of Object.entries(manifest.pyodide.files || {})) {
    if (name.endsWith(".mjs")) continue; // imported as modules, not fetched
    counted.set(new URL(name, indexURL).href, 0);
    total += size;
  }
  counted.set(plannerUrl, 0); total += manifest.planner.size || 0;
  counted.set(rulesUrl, 0); total += manifest.rules.size || 0;
  self.fetch = countingFetch;
  progress(true);

  // Start the small downloads while the runtime loads.
  const plannerP = fetchBytes(plannerUrl);
  const rulesP = fetchBytes(rulesUrl);
  let loadPyodide;
  try {
    ({ loadPyodide } = await import(new URL("pyodide.mjs", indexURL).href));
  } catch (e) {
    throw Object.assign(new Error(String(e)), { kind: "download" });
  }
  const options = {
    indexURL,
    lockFileContents: { info: manifest.pyodide.lock_info, packages: {} },
    ...(stdlibUrl ? { stdLibURL: stdlibUrl } : {}),
    stdout: () => {},
    stderr: () => {},
  };
  let restored = false;
  if (snapshot) {
    try {
      py = await loadPyodide({ ...options, _loadSnapshot: snapshot.bytes });
      restored = true;
    } catch { await forgetSnapshots(); } // made by another runtime, or damaged: start afresh
  }
  if (!restored) {
    try {
      py = await loadPyodide({ ...options, _makeSnapshot: canSnapshot });
    } catch (e) { throw loadError(e); }
  }
  const [zip, rulesBytes] = await Promise.all([plannerP, rulesP]);
  py.unpackArchive(zip, "zip", { extractDir: "/home/pyodide/guichet" });
  if (!restored) {
    py.runPython(SETUP_PY);
    if (canSnapshot) {
      const bytes = py.makeMemorySnapshot(); // before the rules and any request: public code only
      setTimeout(() => keepSnapshot(snapshotKey, bytes), 0); // after the first request
    }
  }
  py.globals.set("_guichet_rules", new TextDecoder().decode(rulesBytes));
  runRequest = py.globals.get("_guichet_run");
  icsCalendar = py.globals.get("_guichet_ics");
  progress(true);
  return { version: manifest.pyodide.version, restored };
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
    if (op === "init") { // allow a retry, from the sources: a broken snapshot must not stick
      ready = null;
      await forgetSnapshots();
    }
    self.postMessage({ id, ok: false, error: String(e && e.message || e), kind: (e && e.kind) || "bug" });
  }
};
