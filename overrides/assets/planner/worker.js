// Guichet planner worker (module worker). Loads the self-hosted Pyodide runtime, installs the
// planner package and the rules, and answers requests with planner.api.run_json. Nothing here
// talks to any host but the one serving the site, and nothing typed is ever fetched or posted.
//
// Messages in:  {id, op: "init", manifest: <absolute URL of manifest.json>, integrity: <its digest,
//                from the page>, dedicated: <the page says the site has its origin to itself>}
//               {id, op: "run", request: {...}}            -> {id, ok, result}
//               {id, op: "ics", events: [...], name}       -> {id, ok, text}
// Messages out: {op: "progress", done, total} while downloading; {id, ok:false, error, kind}.
//
// Every file is checked before use against the digests of the manifest, itself checked against the
// digest the page gave (trust.js, issue 14). Pyodide fetches through `guardedFetch`, which serves only
// the files the manifest lists; its two modules are checked before they are imported.

import { CHECKED, digestsOf, fetchChecked, integrityError, loadManifest, sri } from "./trust.js";

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

const realFetch = self.fetch.bind(self);
let digests = new Map(); // absolute URL -> digest, from the checked manifest
let refuse = () => {}; // rejects the start: Pyodide only logs a failed wasm or stdlib download, then waits

function load(url) { // {resp, bytes} of a listed file, counted in the progress bar
  return fetchChecked(url, digests.get(url), {
    fetch: realFetch,
    onBytes: counted.has(url) ? (n) => { counted.set(url, n); progress(false); } : null,
  });
}

function guardedFetch(input) {
  const url = new URL(typeof Request !== "undefined" && input instanceof Request ? input.url : String(input), self.location.href).href;
  const p = digests.has(url) ? load(url).then(({ resp }) => resp) : Promise.reject(integrityError(url));
  p.catch((e) => refuse(e));
  return p;
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
// (assets/offline/register.js) removes "planner-" caches and this database too.
//
// A snapshot is code: whoever can write it runs in this worker. No build can know its digest in
// advance, and every page of the origin can write the Cache API and IndexedDB alike. So it is made
// and used only when the page says the site has its origin to itself (a custom domain, or an account
// with no other Pages site: scripts/web/integrity.py); there, the SHA-256 of the compressed snapshot
// is kept in IndexedDB beside it, and an entry that does not match is deleted (a partial write, a
// damaged store) and the start is a fresh one. On a shared origin (OWNER.github.io/guichet/) the
// worker starts Python afresh every time, and drops the snapshots earlier versions kept.
const SNAPSHOT_CACHE = "planner-snapshot";
const SNAPSHOT_DB = "planner-snapshot"; // {snapshot key: digest}
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

function digestStore(mode, use) { // one IndexedDB transaction on the snapshot digests
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(SNAPSHOT_DB, 1);
    open.onupgradeneeded = () => open.result.createObjectStore("digests");
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      try {
        const tx = db.transaction("digests", mode); // throws if another page made the database without it
        const req = use(tx.objectStore("digests"));
        tx.oncomplete = () => { db.close(); resolve(req.result); };
        tx.onerror = tx.onabort = () => { db.close(); reject(tx.error); };
      } catch (e) { db.close(); reject(e); }
    };
  });
}

// {bytes: Promise} inflating the kept snapshot once its digest matched, or null.
async function keptSnapshot(key) {
  try {
    const cache = await caches.open(SNAPSHOT_CACHE);
    const hit = await cache.match(key);
    if (!hit) return null;
    const gz = await hit.arrayBuffer();
    const want = await digestStore("readonly", (s) => s.get(key));
    if (!want || want !== (await sri(gz))) { await forgetSnapshots(); return null; }
    return { bytes: new Response(new Blob([gz]).stream().pipeThrough(new DecompressionStream("gzip"))).arrayBuffer() };
  } catch { return null; }
}

async function keepSnapshot(key, bytes) {
  try {
    const gz = await new Response(new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer();
    await forgetSnapshots();
    await (await caches.open(SNAPSHOT_CACHE)).put(key, new Response(gz, { headers: { "Content-Type": "application/gzip" } }));
    const digest = await sri(gz);
    await digestStore("readwrite", (s) => s.put(digest, key));
  } catch { await forgetSnapshots(); } // quota, or no IndexedDB: the next start is a fresh one
}

async function forgetSnapshots() { // and what earlier versions kept ("planner-pyc")
  try {
    for (const name of [SNAPSHOT_CACHE, "planner-pyc"]) await caches.delete(name);
    if (typeof indexedDB !== "undefined") {
      await new Promise((resolve) => { const r = indexedDB.deleteDatabase(SNAPSHOT_DB); r.onsuccess = r.onerror = r.onblocked = resolve; });
    }
  } catch { /* ignore */ }
}

function loadError(e) {
  if (e && e.kind) return e;
  const kind = /WebAssembly|wasm/i.test(String(e)) && !/fetch|HTTP|network/i.test(String(e)) ? "wasm" : "download";
  return Object.assign(new Error(String(e)), { kind });
}

async function init(manifestUrl, manifestDigest, dedicated) {
  if (typeof WebAssembly !== "object" || typeof WebAssembly.instantiate !== "function") {
    throw Object.assign(new Error("WebAssembly unavailable"), { kind: "wasm" });
  }
  counted.clear();
  total = 0;
  const manifest = await loadManifest(manifestUrl, manifestDigest, { fetch: realFetch });
  digests = digestsOf(manifest, manifestUrl);
  const base = new URL(manifestUrl);
  const indexURL = new URL(manifest.pyodide.url, base).href;
  const plannerUrl = new URL(manifest.planner.url, base).href;
  const rulesUrl = new URL(manifest.rules.url, base).href;
  const stdlibUrl = manifest.pyodide.stdlib ? new URL(manifest.pyodide.stdlib, indexURL).href : null;
  const canSnapshot = dedicated && CHECKED && typeof caches !== "undefined" && typeof indexedDB !== "undefined"
    && typeof CompressionStream !== "undefined" && typeof DecompressionStream !== "undefined";
  const snapshotKey = `${plannerUrl}?snapshot=${encodeURIComponent(`${manifest.pyodide.version}/${manifest.pyodide.stdlib || ""}`)}`;
  const snapshot = canSnapshot ? await keptSnapshot(snapshotKey) : null;
  if (!canSnapshot && typeof caches !== "undefined") await forgetSnapshots();
  for (const [name, size] of Object.entries(manifest.pyodide.files || {})) {
    counted.set(new URL(name, indexURL).href, 0);
    total += size;
  }
  counted.set(plannerUrl, 0); total += manifest.planner.size || 0;
  counted.set(rulesUrl, 0); total += manifest.rules.size || 0;
  const refused = new Promise((_, reject) => { refuse = reject; });
  refused.catch(() => {});
  self.fetch = guardedFetch;
  progress(true);

  // Start the small downloads while the runtime loads. The two modules are checked first: import()
  // then finds them in the HTTP cache, or in the service worker's (which checks them too).
  const plannerP = load(plannerUrl);
  const rulesP = load(rulesUrl);
  const modules = ["pyodide.mjs", "pyodide.asm.mjs"].map((name) => load(new URL(name, indexURL).href));
  let loadPyodide;
  try {
    await Promise.all(modules);
    ({ loadPyodide } = await import(new URL("pyodide.mjs", indexURL).href));
  } catch (e) {
    throw e && e.kind ? e : Object.assign(new Error(String(e)), { kind: "download" });
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
      py = await Promise.race([loadPyodide({ ...options, _loadSnapshot: snapshot.bytes }), refused]);
      restored = true;
    } catch (e) {
      if (e && e.kind === "integrity") throw e;
      await forgetSnapshots(); // made by another runtime, or damaged: start afresh
    }
  }
  if (!restored) {
    try {
      py = await Promise.race([loadPyodide({ ...options, _makeSnapshot: canSnapshot }), refused]);
    } catch (e) { throw loadError(e); }
  }
  const [{ bytes: zip }, { bytes: rulesBytes }] = await Promise.all([plannerP, rulesP]);
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
      if (!ready) ready = init(msg.manifest, msg.integrity, msg.dedicated === true);
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
      if (e && e.kind !== "integrity" && typeof caches !== "undefined") await forgetSnapshots();
    }
    self.postMessage({ id, ok: false, error: String(e && e.message || e), kind: (e && e.kind) || "bug" });
  }
};
