// Guichet service worker (written to site/sw.js by scripts/web/offline.py; CONFIG is filled at build).
// Scope: the folder sw.js is in (e.g. /guichet/ on GitHub Pages); every URL below is relative to it.
//
// - Pages and assets of the language being read (at most CONFIG.maxLanguages languages, the most
//   recently opened): network first, cache when offline or when the network takes too long.
//   They are fetched once, in the background, when a page of that language tells us it is open.
// - The Pyodide runtime (assets/pyodide/<version>/) and the hashed planner data: cache first, and
//   only once the planner asked for them (the person started it): never precached.
// - Caches are named by build id (pages, data) and by Pyodide version (runtime). This worker does not
//   skip waiting on its own: a page already open keeps the worker and caches of its own build until
//   every tab closes, or until the reader presses "Nouvelle version du guide : recharger"
//   (assets/offline/register.js sends {op: "activate"}); on activate, caches of other builds (and
//   other Pyodide versions) are deleted.
// - Integrity (issue 14): CONFIG maps every file to the SHA-256 of its bytes in this build. Every page
//   of the origin can write the Cache API (on OWNER.github.io, every other project of the owner), but
//   not this script, which the browser fetches and keeps itself: a cached file is served only if its
//   digest matches, else it is deleted and fetched again; only matching files are cached.
// - Nothing is sent anywhere: the worker only fetches files of this site, with GET.
"use strict";

const CONFIG = /*CONFIG*/{};
const SCOPE = new URL("./", self.location.href).href;
const PREFIX = "guichet-";
const PAGES = `${PREFIX}pages-${CONFIG.build}`;
const DATA = `${PREFIX}data-${CONFIG.build}`;
const RUNTIME = `${PREFIX}pyodide-${CONFIG.pyodide}`;
const LANGS_KEY = new URL("__guichet/languages.json", SCOPE).href;
const RUNTIME_FILES = new Map(Object.entries(CONFIG.runtime)); // path under the scope -> digest
const DATA_FILES = new Map(Object.entries(CONFIG.data));
const SHARED_FILES = new Map(Object.entries(CONFIG.shared));
const LANG_FILES = Object.fromEntries(Object.entries(CONFIG.languages).map(([l, files]) => [l, new Map(Object.entries(files))]));
const NETWORK_TIMEOUT_MS = 6000;

self.addEventListener("install", () => { /* nothing precached: see the language message */ });

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const keep = new Set([PAGES, DATA, RUNTIME]);
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && !keep.has(name)) await caches.delete(name);
    }
    // same Pyodide version, other files (e.g. a new trimmed stdlib-<hash>.zip): drop the old ones
    if (await caches.has(RUNTIME)) {
      const runtime = await caches.open(RUNTIME);
      for (const req of await runtime.keys()) if (!RUNTIME_FILES.has(relPath(new URL(req.url)))) await runtime.delete(req);
    }
    await self.clients.claim();
  })());
});

// ------------------------------------------------------------------ which file is what
function relPath(url) {
  // the path relative to the scope, without query or fragment; ".../index.html" -> ".../"
  if (url.origin !== self.location.origin || !url.href.startsWith(SCOPE)) return null;
  let p;
  try { p = decodeURI(url.pathname).slice(decodeURI(new URL(SCOPE).pathname).length); } catch { return null; }
  if (p === "index.html" || p.endsWith("/index.html")) p = p.slice(0, -"index.html".length);
  return p;
}

let languages = null; // most recent first, persisted in the pages cache
async function readLanguages(cache) {
  if (languages) return languages;
  try {
    const r = await cache.match(LANGS_KEY);
    const list = r ? await r.json() : [];
    languages = Array.isArray(list) ? list.filter((l) => LANG_FILES[l]) : [];
  } catch { languages = []; }
  return languages;
}

function pageKind(rel) {
  if (rel === null) return null;
  if (RUNTIME_FILES.has(rel)) return { kind: "runtime", digest: RUNTIME_FILES.get(rel) };
  if (DATA_FILES.has(rel)) return { kind: "data", digest: DATA_FILES.get(rel) };
  if (SHARED_FILES.has(rel)) return { kind: "page", lang: null, digest: SHARED_FILES.get(rel) };
  const slash = rel.indexOf("/");
  const lang = slash > 0 ? rel.slice(0, slash) : null;
  const files = lang && LANG_FILES[lang];
  if (files && files.has(rel.slice(slash + 1))) return { kind: "page", lang, digest: files.get(rel.slice(slash + 1)) };
  return null;
}

// ------------------------------------------------------------------ integrity
// The same "sha256-<base64>" form as scripts/web/integrity.py and assets/planner/trust.js (a classic
// worker script cannot import that module in every browser).
async function sri(bytes) {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return `sha256-${btoa(String.fromCharCode(...d))}`;
}

async function matches(resp, digest) {
  return resp.ok && (await sri(await resp.clone().arrayBuffer())) === digest;
}

// The cached response for key if it is this build's file; a rewritten one is deleted.
async function cachedFile(cache, key, digest) {
  const hit = await cache.match(key);
  if (!hit) return null;
  if (await matches(hit, digest)) return hit;
  await cache.delete(key);
  return null;
}

// Cache a response from the network only if it is this build's file (a newer deploy's page is served
// but not kept: the next service worker keeps its own).
async function keep(cache, key, resp, digest) {
  if (resp.ok && resp.type === "basic" && !resp.redirected && (await matches(resp, digest))) await cache.put(key, resp);
}

// ------------------------------------------------------------------ strategies
async function cacheFirst(cacheName, request, key, digest) {
  const cache = await caches.open(cacheName);
  const hit = await cachedFile(cache, key, digest);
  if (hit) return hit;
  const resp = await fetch(request);
  await keep(cache, key, resp.clone(), digest);
  return resp;
}

async function networkFirst(event, key, lang, digest) {
  const cache = await caches.open(PAGES);
  const network = fetch(event.request).then(async (resp) => {
    const wanted = lang === null || (await readLanguages(cache)).includes(lang);
    if (wanted) await keep(cache, key, resp.clone(), digest);
    return resp;
  });
  event.waitUntil(network.then(() => {}, () => {}));
  const cached = await cachedFile(cache, key, digest);
  if (!cached) return network;
  let timer;
  const slow = new Promise((resolve) => { timer = setTimeout(() => resolve(null), NETWORK_TIMEOUT_MS); });
  try {
    const resp = await Promise.race([network, slow]);
    if (resp && (resp.ok || resp.type === "opaqueredirect")) return resp;
  } catch { /* offline */ } finally { clearTimeout(timer); }
  return cached;
}

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET" || req.headers.has("range")) return;
  const url = new URL(req.url);
  const rel = relPath(url);
  const what = pageKind(rel);
  if (!what) return; // not ours: the browser's usual handling
  const key = new URL(rel, SCOPE).href;
  if (what.kind === "runtime") event.respondWith(cacheFirst(RUNTIME, req, key, what.digest));
  else if (what.kind === "data") event.respondWith(cacheFirst(DATA, req, key, what.digest));
  else event.respondWith(networkFirst(event, key, what.lang, what.digest));
});

// ------------------------------------------------------------------ messages from the pages
let queue = Promise.resolve();
function serial(job) { queue = queue.then(job, job); return queue; }

async function openLanguage(lang) {
  const cache = await caches.open(PAGES);
  const before = await readLanguages(cache);
  const now = [lang, ...before.filter((l) => l !== lang)];
  const evicted = now.slice(CONFIG.maxLanguages);
  languages = now.slice(0, CONFIG.maxLanguages);
  await cache.put(LANGS_KEY, new Response(JSON.stringify(languages), { headers: { "Content-Type": "application/json" } }));
  if (evicted.length) {
    for (const req of await cache.keys()) {
      if (evicted.some((l) => req.url.startsWith(`${SCOPE}${l}/`))) await cache.delete(req);
    }
  }
  const missing = [];
  const wanted = [...LANG_FILES[lang]].map(([p, digest]) => [`${lang}/${p}`, digest]).concat([...SHARED_FILES]);
  for (const [p, digest] of wanted) {
    const key = new URL(p, SCOPE).href;
    if (!(await cachedFile(cache, key, digest))) missing.push([key, digest]);
  }
  await Promise.all(missing.map(async ([key, digest]) => {
    try {
      await keep(cache, key, await fetch(key, { credentials: "same-origin" }), digest);
    } catch { /* offline: next time */ }
  }));
  return { cached: languages, fetched: missing.length };
}

async function status() {
  const names = await caches.keys();
  const pages = await caches.open(PAGES);
  return { build: CONFIG.build, caches: names.filter((n) => n.startsWith(PREFIX)), languages: await readLanguages(pages) };
}

self.addEventListener("message", (event) => {
  // only the guide's own pages: another project on the origin can reach this worker too
  if (!event.source || typeof event.source.url !== "string" || !event.source.url.startsWith(SCOPE)) return;
  const msg = event.data || {};
  const reply = (data) => { if (event.ports && event.ports[0]) event.ports[0].postMessage(data); };
  if (msg.op === "language" && typeof msg.lang === "string" && LANG_FILES[msg.lang]) {
    event.waitUntil(serial(() => openLanguage(msg.lang)).then(reply, (e) => reply({ error: String(e) })));
  } else if (msg.op === "status") {
    event.waitUntil(status().then(reply));
  } else if (msg.op === "activate") { // the reader asked for the new version (register.js)
    self.skipWaiting();
  }
});
