// Guichet, every page: register the service worker (site root /sw.js, e.g. /guichet/sw.js) and tell
// it which language is being read, so that language can be read offline next time. The worker never
// downloads the planner's runtime here: only the planner itself, once started, asks for it.
// When a new version of the guide is installed and waits for the open pages to close, the button
// [data-guichet-update] ("Nouvelle version du guide : recharger", overrides/main.html) appears; it
// activates the new service worker and reloads the page. Nothing changes until the reader asks.
// On the privacy page, the button [data-guichet-erase] removes the offline copy (the worker's
// "guichet-*" caches, the planner's "planner-snapshot" cache and its digest database) and what the
// site stored: the planner's own keys through the planner's eraseEverywhere (assets/planner/storage.js),
// which also tells the planner open in other tabs to forget what it shows. The button appears only once
// that module is loaded: the page never offers an erase that could not reach them. Any other page of a
// tab that holds the planner's log listens for that erase too (storage.js forgetOnErase).
// Relative URLs only: works under any sub-path (GitHub Pages project site).
(() => {
  "use strict";
  const me = document.currentScript;
  if (!me || !me.src) return;
  const root = new URL("../../../", me.src); // <root>/<lang>/assets/offline/register.js
  const lang = new URL("../../", me.src).href.slice(root.href.length).replace(/\/$/, "");
  const sw = "serviceWorker" in navigator && window.isSecureContext ? navigator.serviceWorker : null;

  if (sw) {
    const update = document.querySelector("[data-guichet-update]");
    let reloading = false;
    const offer = (reg) => { if (update && reg.waiting && sw.controller) update.hidden = false; }; // not on a first install
    sw.addEventListener("controllerchange", () => {
      if (reloading) window.location.reload();
      else if (update) update.hidden = true; // another tab took the new version: this one runs under it now
    });
    sw.register(new URL("sw.js", root).href, { scope: root.href })
      .then((reg) => {
        offer(reg);
        reg.addEventListener("updatefound", () => {
          const next = reg.installing;
          if (next) next.addEventListener("statechange", () => { if (next.state === "installed") offer(reg); });
        });
        if (update) {
          update.addEventListener("click", () => {
            if (!reg.waiting) return;
            reloading = true;
            update.disabled = true;
            reg.waiting.postMessage({ op: "activate" });
          });
        }
        return sw.ready;
      })
      .then((reg) => { if (reg.active && lang) reg.active.postMessage({ op: "language", lang }); })
      .catch(() => { /* no offline copy: the site still works online */ });
  }

  // ------------------------------------------- every page of a tab that holds the planner's log: erase
  const storage = () => import(new URL("../planner/storage.js", me.src).href);
  try {
    if (!document.getElementById("planner") && Object.keys(window.sessionStorage).some((k) => k.startsWith("guichet-"))) {
      storage().then(({ forgetOnErase }) => forgetOnErase(), () => { /* not loaded */ });
    }
  } catch { /* storage disabled: nothing kept in this tab */ }

  // ---------------------------------------------------------------- privacy page: erase everything
  const button = document.querySelector("[data-guichet-erase]");
  if (!button) return;
  const status = document.querySelector("[data-guichet-erase-status]");
  storage().then(({ eraseEverywhere }) => {
    button.hidden = false;
    button.addEventListener("click", () => erase(eraseEverywhere));
  }, () => { /* not loaded: the page says how to erase from the browser's settings */ });

  async function erase(eraseEverywhere) {
    button.disabled = true;
    eraseEverywhere();
    for (const store of [window.localStorage, window.sessionStorage]) {
      try { // Material's keys are "<scope path>.__name"
        for (const k of Object.keys(store)) if (k.startsWith(root.pathname)) store.removeItem(k);
      } catch { /* storage disabled */ }
    }
    try {
      if (window.caches) for (const name of await caches.keys()) if (name.startsWith("guichet-") || name.startsWith("planner-")) await caches.delete(name);
    } catch { /* ignore */ }
    try {
      await new Promise((resolve) => { const r = indexedDB.deleteDatabase("planner-snapshot"); r.onsuccess = r.onerror = r.onblocked = resolve; });
    } catch { /* no IndexedDB */ }
    try {
      if (sw) for (const reg of await sw.getRegistrations()) if (reg.scope === root.href) await reg.unregister();
    } catch { /* ignore */ }
    if (status) { status.hidden = false; status.focus(); }
    button.disabled = false;
  }
})();
