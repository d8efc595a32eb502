// Guichet planner: what the widget and its worker check before they use a file (issue 14).
//
// The HTML page is the root of trust: it comes from the network or from the service worker, which
// serves a cached copy only if it has the SHA-256 written into sw.js at build time. The page carries
// the SHA-256 of its language's manifest.json (data-guichet-manifest on the planner's <script>, written
// by scripts/web/integrity.py), and the manifest carries the SHA-256 of every file the planner loads
// (`integrity`: Pyodide's runtime, the trimmed standard library, the planner zip, the rules, the
// messages). Another project on the same origin (OWNER.github.io/other/) can rewrite the Cache API;
// it cannot make these files match their digests, so a rewritten one is dropped from the caches and
// fetched again from the network, once; a second mismatch stops the planner.
//
// Imported by planner.js (page) and worker.js (module worker): nothing here touches the DOM on import.

const CACHE_PREFIX = "guichet-"; // the service worker's caches (scripts/web/sw.template.js)

// Without a secure context there is no crypto.subtle, and no Cache API or service worker either: the
// browser then only ever gives the planner what the network sent, which a digest from that same
// network could not vouch for anyway. The checks apply wherever a cache could have been rewritten.
export const CHECKED = typeof crypto === "object" && !!crypto.subtle;

export async function sri(bytes) { // the SRI form "sha256-<base64>", as scripts/web/integrity.py writes it
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return `sha256-${btoa(String.fromCharCode(...d))}`;
}

export function integrityError(url) {
  return Object.assign(new Error(`integrity check failed: ${new URL(url).pathname}`), { kind: "integrity" });
}

// The manifest's `integrity` ({URL relative to the manifest: digest}) as {absolute URL: digest}.
export function digestsOf(manifest, manifestUrl) {
  const out = new Map();
  for (const [rel, digest] of Object.entries(manifest.integrity || {})) out.set(new URL(rel, manifestUrl).href, digest);
  return out;
}

// Remove a URL from the service worker's caches, so that the next request goes to the network.
async function purge(url) {
  try {
    if (typeof caches === "undefined") return;
    for (const name of await caches.keys()) if (name.startsWith(CACHE_PREFIX)) await (await caches.open(name)).delete(url);
  } catch { /* nothing cached */ }
}

async function readAll(resp, onBytes) {
  if (!onBytes || !resp.body) return new Uint8Array(await resp.arrayBuffer());
  const chunks = [];
  let n = 0;
  const reader = resp.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    n += value.byteLength;
    onBytes(n);
  }
  const out = new Uint8Array(n);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.byteLength; }
  return out;
}

// GET `url` and check it against `digest`: {resp, bytes}, where resp is the untouched response (its
// body not yet read, so Pyodide can still compile the wasm from it with the browser's code cache) and
// bytes what was checked. A mismatch purges the URL and tries once more past the HTTP cache.
export async function fetchChecked(url, digest, { fetch: get = fetch, onBytes } = {}) {
  if (CHECKED && !digest) throw integrityError(url); // not listed: never loaded
  for (const again of [false, true]) {
    if (again) await purge(url);
    let resp;
    try {
      resp = await get(url, again ? { cache: "reload", credentials: "same-origin" } : { credentials: "same-origin" });
    } catch (e) { throw Object.assign(new Error(String(e && e.message || e)), { kind: "download" }); }
    if (!resp.ok) throw Object.assign(new Error(`HTTP ${resp.status} for ${url}`), { kind: "download" });
    const bytes = await readAll(resp.clone(), onBytes);
    if (!CHECKED || (await sri(bytes)) === digest) return { resp, bytes };
  }
  throw integrityError(url);
}

// What the page says about the planner: the manifest's digest, and whether the site has its origin to
// itself (only then may the worker keep a memory snapshot of Python: see worker.js).
export function pageTrust(doc = document) {
  const s = doc.querySelector("script[data-guichet-manifest]");
  return { integrity: s ? s.dataset.guichetManifest : "", dedicated: !!s && s.dataset.guichetOrigin === "dedicated" };
}

export async function loadManifest(url, digest, options) {
  const { bytes } = await fetchChecked(url, digest, options);
  return JSON.parse(new TextDecoder().decode(bytes));
}

// Clickjacking and look-alike pages (issue 14): a <meta> policy cannot say frame-ancestors, so the
// planner refuses to run inside another page's frame, and says to open the guide directly.
export function refuseInFrame(mounts) {
  let framed;
  try { framed = window.top !== window.self; } catch { framed = true; }
  if (!framed) return false;
  const tpl = document.getElementById("g-framed");
  for (const m of mounts) {
    m.dataset.gpMounted = "1";
    m.replaceChildren();
    if (!tpl) continue;
    const note = tpl.content.firstElementChild.cloneNode(true);
    const a = note.querySelector("a");
    if (a) { a.href = location.href; a.textContent = location.href; }
    m.append(note);
  }
  return true;
}
