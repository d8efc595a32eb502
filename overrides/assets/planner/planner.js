// Guichet planner widget, entry module (plain ES modules, no bundler). The form is already in the page,
// written by the build (scripts/web/form_html.py) inside <div id="planner" data-procedure="…">; this
// reads manifest.json (the widget's words and the form model, small; checked against the digest the
// page carries: trust.js) and attaches to it. Pyodide starts in a Web Worker on the first touch of the
// form (widget.js). Nothing typed is put in a URL or sent anywhere: everything typed is shown as text.

import { loadManifest, pageTrust, refuseInFrame } from "./trust.js";
import { Planner } from "./widget.js";

const MANIFEST_URL = new URL("manifest.json", import.meta.url).href;
const WORKER_URL = new URL("worker.js", import.meta.url).href;

async function start() {
  const mounts = [...document.querySelectorAll("#planner")].filter((m) => !m.dataset.gpMounted && m.querySelector(".gp"));
  if (!mounts.length || refuseInFrame(mounts)) return;
  for (const m of mounts) m.dataset.gpMounted = "1";
  let manifest;
  try {
    manifest = await loadManifest(MANIFEST_URL, pageTrust().integrity);
  } catch (e) { // no words, no form model: the form cannot work; the build worded the reason
    const kind = e && e.kind === "integrity" ? "integrity" : "download";
    for (const m of mounts) {
      const note = m.querySelector(`.gp-load-error[data-kind=${kind}]`);
      note.hidden = false;
      m.querySelector(".gp").replaceChildren(note);
    }
    return;
  }
  for (const m of mounts) m.planner = new Planner(m, manifest, { manifest: MANIFEST_URL, worker: WORKER_URL });
}

if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(() => start());
else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
