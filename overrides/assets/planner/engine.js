// The worker client: starts worker.js (Pyodide and the planner, in a module Web Worker) once, and sends it
// requests. Loaded only when the person starts using the planner, never on page view. The worker checks
// every file against the manifest, the manifest against the digest the page carries (trust.js).

import { pageTrust } from "./trust.js";

export class Engine {
  /**
   * @param workerUrl  worker.js
   * @param manifestUrl  manifest.json (the worker reads where the runtime, the planner and the rules are)
   * @param onProgress  (bytes done, bytes total) while the runtime downloads
   */
  constructor(workerUrl, manifestUrl, onProgress) {
    this.workerUrl = workerUrl;
    this.manifestUrl = manifestUrl;
    this.onProgress = onProgress;
    this.worker = null;
    this.seq = 0;
    this.pending = new Map();
    this.started = null;
  }

  start() {
    if (this.started) return this.started;
    this.started = new Promise((resolve, reject) => {
      if (typeof WebAssembly !== "object" || typeof Worker !== "function") {
        reject(Object.assign(new Error("no WebAssembly"), { kind: "wasm" }));
        return;
      }
      try {
        this.worker = new Worker(this.workerUrl, { type: "module" });
      } catch (e) { reject(Object.assign(new Error(String(e)), { kind: "wasm" })); return; }
      this.worker.onmessage = (ev) => {
        const m = ev.data || {};
        if (m.op === "progress") { this.onProgress(m.done, m.total); return; }
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.ok) p.resolve(m); else p.reject(Object.assign(new Error(m.error), { kind: m.kind }));
      };
      this.worker.onerror = (ev) => {
        const err = Object.assign(new Error(ev.message || "worker error"), { kind: "download" });
        for (const p of this.pending.values()) p.reject(err);
        this.pending.clear();
        reject(err);
      };
      // window.__guichetEngine: {version, restored} (restored: started from the memory snapshot), for benchmarks and tests
      this.call({ op: "init", manifest: this.manifestUrl, ...pageTrust() }).then((m) => { window.__guichetEngine = m.info; resolve(m); }, reject);
    });
    this.started.catch(() => { if (this.worker) this.worker.terminate(); this.worker = null; this.started = null; });
    return this.started;
  }

  call(msg) {
    const id = ++this.seq;
    return new Promise((resolve, reject) => { this.pending.set(id, { resolve, reject }); this.worker.postMessage({ ...msg, id }); });
  }

  /** planner.api.run(request): a plan, letters, an aid verdict, an evidence assessment, or {errors}. */
  async run(request) {
    await this.start();
    const m = await this.call({ op: "run", request });
    window.__guichetEngineMs = m.ms;
    return m.result;
  }

  /** An .ics calendar (planner.ics) of `events`. */
  async ics(events, name) {
    await this.start();
    return (await this.call({ op: "ics", events, name })).text;
  }
}
