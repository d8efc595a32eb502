// What the planner keeps in this browser, and nothing else, nowhere else.
//
// - The answers (and a copy of the log) in localStorage, only when "keep my answers" is ticked.
// - The evidence log in sessionStorage, always: a reload or a wrong tap never loses the attempts noted in
//   this tab; it goes when the tab is closed.
// - "Erase everything" is told to every other open tab through a `storage` event (ERASE_KEY set, then
//   removed): they clear what they show and keep, and stop keeping. Unticking "keep" in one tab (the
//   kept answers removed) makes the others stop keeping too, so none writes them back.

const KEEP_KEY = "guichet-planner-v1";
const LOG_KEY = "guichet-planner-log-v1";
const ERASE_KEY = "guichet-planner-erase";

function read(store, key) {
  try { const v = JSON.parse(store.getItem(key) || "null"); return v && typeof v === "object" ? v : null; }
  catch { return null; }
}
function write(store, key, value) {
  try { store.setItem(key, JSON.stringify(value)); } catch { /* full or disabled: nothing kept */ }
}
function remove(store, key) {
  try { store.removeItem(key); } catch { /* disabled */ }
}

export const kept = {
  /** {keep: true, procedure, answers, attempts} or null */
  load() { const v = read(localStorage, KEEP_KEY); return v && v.keep ? v : null; },
  save(state) { write(localStorage, KEEP_KEY, { keep: true, ...state }); },
  clear() { remove(localStorage, KEEP_KEY); },
};

export const sessionLog = {
  load() { const v = read(sessionStorage, LOG_KEY); return v && Array.isArray(v.attempts) ? v.attempts : null; },
  save(attempts) { write(sessionStorage, LOG_KEY, { attempts }); },
  clear() { remove(sessionStorage, LOG_KEY); },
};

/** Erase here and tell the other tabs. */
export function eraseEverywhere() {
  kept.clear();
  sessionLog.clear();
  write(localStorage, ERASE_KEY, Date.now());
  remove(localStorage, ERASE_KEY);
}

/** Call onErase() when another tab erased everything, onStopKeeping() when it stopped keeping answers. */
export function listen({ onErase, onStopKeeping }) {
  window.addEventListener("storage", (e) => {
    if (e.storageArea !== localStorage) return;
    if (e.key === ERASE_KEY && e.newValue) onErase();
    else if ((e.key === KEEP_KEY && e.newValue === null) || e.key === null) onStopKeeping();
  });
}
