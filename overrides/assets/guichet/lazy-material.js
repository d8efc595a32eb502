// Material for MkDocs' script (35 KB gzip, 200+ ms of main thread on a cheap phone: the main cost of
// every page) runs on the reader's first interaction instead of on page view (issue 7). Every page
// reads and works without it: the navigation drawer is CSS, the planner and the guide's own scripts
// do not need it. It brings search (loaded when the search button is touched), "back to top", the
// header title. The scripts Material would have run are in <template id="g-material"> (inert); the
// guide's own ones (extra_javascript) run now, Material's bundle on the first pointer, key, touch,
// focus or wheel event (not "scroll": browsers fire it without the reader, e.g. on a right-to-left
// page when the viewport changes; a finger's scroll starts with touchstart), a little later when
// that event is in the planner (below).
(() => {
  "use strict";
  const tpl = document.getElementById("g-material");
  if (!tpl) return;
  // what the bundle does first: its CSS hides the search button from pages without scripts
  document.documentElement.classList.replace("no-js", "js");
  const isBundle = (src) => /\/bundle\.[0-9a-f]+\.min\.js$/.test(src);
  const run = (lazy) => {
    for (const old of tpl.content.querySelectorAll("script[src]")) {
      const src = new URL(old.getAttribute("src"), document.baseURI).href;
      if (isBundle(src) !== lazy) continue;
      const s = document.createElement("script");
      s.src = src;
      s.async = false; // in document order, as Material wrote them
      // Material starts on DOMContentLoaded, long gone by now: replay it for the bundle
      if (lazy) s.addEventListener("load", () => document.dispatchEvent(new Event("DOMContentLoaded")));
      document.body.append(s);
    }
  };
  run(false);
  searchEverything();
  const events = ["pointerdown", "keydown", "touchstart", "focusin", "wheel"];
  let started = false;
  let waiting = false;
  const go = () => {
    if (started) return;
    started = true;
    for (const e of events) removeEventListener(e, first, true);
    run(true);
  };
  // A first touch inside the planner starts its engine (Pyodide, in a worker): Material waits until
  // the engine is ready ("guichet:engine", assets/planner/planner.js) or 10 s, and leaves the phone's
  // other CPU core to it (its search index alone takes 0.2-0.3 s of CPU); anywhere else, at once.
  const first = (event) => {
    if (!(event.target instanceof Element && event.target.closest(".gp"))) { go(); return; }
    if (waiting) return;
    waiting = true;
    document.addEventListener("guichet:engine", () => setTimeout(go, 0), { once: true });
    setTimeout(go, 10000);
  };
  for (const e of events) addEventListener(e, first, { capture: true, passive: true });

  // Search, however the words arrive. Material reads the search box when its worker is ready (words
  // typed before its bundle ran are searched then) and on key releases ("keyup") only: a paste, an input
  // method's commit, voice input change it without key events. So each change that ends no composition
  // is told to Material as a key release on the box (not bubbling: Material alone listens there; it
  // ignores a repeated value). Enter before Material runs would send the form, the words in its URL:
  // stopped here (the CSP's form-action refuses it too); Material then takes Enter itself. Its worker
  // becomes search-guichet.js, which runs it unchanged and folds accents and letter variants in index
  // and query alike (that file says why); Material reads this configuration when its bundle starts.
  function searchEverything() {
    const box = document.querySelector("[data-md-component=search-query]");
    const config = document.getElementById("__config");
    if (!box || !config) return;
    const tell = () => box.dispatchEvent(new KeyboardEvent("keyup"));
    box.addEventListener("input", (event) => { if (!event.isComposing) tell(); });
    box.addEventListener("compositionend", tell);
    box.form.addEventListener("submit", (event) => event.preventDefault());
    const settings = JSON.parse(config.textContent);
    const material = new URL(settings.search, document.baseURI);
    const name = material.pathname.split("/").pop();
    settings.search = new URL(`search-guichet.js#${encodeURIComponent(name)}`, material).href;
    config.textContent = JSON.stringify(settings);
  }
})();
