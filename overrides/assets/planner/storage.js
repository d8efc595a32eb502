// What the planner keeps in this browser, and nothing else, nowhere else.
//
// - The answers (and a copy of the log) in localStorage, only when "keep my answers" is ticked, and only
//   on an origin the site has to itself (widget.js): elsewhere other sites could read or rewrite them.
//   A kept value of another shape than the one written here is removed, never used.
// - The evidence log in sessionStorage, always: a reload or a wrong tap never loses the attempts noted in
//   this tab; it goes when the tab is closed.
// - "Erase everything" (the widget's button and the privacy page's, assets/offline/register.js, both
//   through eraseEverywhere) is told to every other open tab through a `storage` event (ERASE_KEY set,
//   then removed): they clear what they show and keep, and stop keeping. Unticking "keep" in one tab (the
//   kept answers removed) makes the others stop keeping too, so none writes them back; a tab that keeps
//   hears every change of the kept value, to merge its log with the other tabs'.
// No side effect on import: the privacy page imports this module for its erase button.

const PREFIX = "guichet-";
const KEEP_KEY = "guichet-planner-v1";
const LOG_KEY = "guichet-planner-log-v1";
const ERASE_KEY = "guichet-planner-erase";

function parse(text) {
  try { return JSON.parse(text); } catch { return undefined; }
}
// The storages by name, reached inside each try: with storage disabled, even reading window.localStorage
// throws, and the planner (its erase button first) must work all the same.
const LOCAL = "localStorage", SESSION = "sessionStorage";
function read(store, key) {
  try { return window[store].getItem(key); } catch { return null; }
}
function write(store, key, value) {
  try { window[store].setItem(key, JSON.stringify(value)); } catch { /* full or disabled: nothing kept */ }
}
function remove(store, key) {
  try { window[store].removeItem(key); } catch { /* disabled */ }
}

const plain = (v) => !!v && typeof v === "object" && !Array.isArray(v);

/** The kept value as written by kept.save: {procedure, answers: {qid: text}, attempts: [...]}, or null. */
function keptState(v) {
  if (!plain(v) || v.keep !== true) return null;
  if (v.procedure !== undefined && typeof v.procedure !== "string") return null;
  if (v.answers !== undefined && !(plain(v.answers) && Object.values(v.answers).every((x) => typeof x === "string"))) return null;
  if (v.attempts !== undefined && !Array.isArray(v.attempts)) return null;
  return { procedure: v.procedure, answers: v.answers || {}, attempts: v.attempts || [] };
}

export const kept = {
  /** {procedure, answers, attempts} (each attempt still to be checked), or null; a value that is not
   * one kept.save wrote is removed. */
  load() {
    const text = read(LOCAL, KEEP_KEY);
    if (text === null) return null;
    const state = keptState(parse(text));
    if (!state) kept.clear();
    return state;
  },
  save(state) { write(LOCAL, KEEP_KEY, { keep: true, ...state }); },
  clear() { remove(LOCAL, KEEP_KEY); },
};

export const sessionLog = {
  load() {
    const v = parse(read(SESSION, LOG_KEY));
    return plain(v) && Array.isArray(v.attempts) ? v.attempts : null;
  },
  save(attempts) { write(SESSION, LOG_KEY, { attempts }); },
  clear() { remove(SESSION, LOG_KEY); },
};

/** Remove everything the planner keeps (every "guichet-" key of both storages) and tell the other tabs. */
export function eraseEverywhere() {
  for (const store of [LOCAL, SESSION]) {
    try {
      for (const k of Object.keys(window[store])) if (k.startsWith(PREFIX)) window[store].removeItem(k);
    } catch { /* storage disabled */ }
  }
  write(LOCAL, ERASE_KEY, Date.now());
  remove(LOCAL, ERASE_KEY);
}

/** onErase(): another tab erased everything; onStopKeeping(): it stopped keeping answers; onKept(state):
 * it kept a new value (kept.load's shape; a value of another shape is not passed on). */
export function listen({ onErase, onStopKeeping = () => {}, onKept = () => {} }) {
  window.addEventListener("storage", (e) => {
    if (e.key !== null && !e.key.startsWith(PREFIX)) return;
    try { if (e.storageArea !== window.localStorage) return; } catch { return; }
    if (e.key === ERASE_KEY && e.newValue) onErase();
    else if ((e.key === KEEP_KEY && e.newValue === null) || e.key === null) onStopKeeping();
    else if (e.key === KEEP_KEY) {
      const state = keptState(parse(e.newValue));
      if (state) onKept(state);
    }
  });
}

/** A page of the guide without the planner, in a tab that holds the planner's log: "erase everything" in
 * another tab removes it here too (else the log would come back on the next planner page). */
export function forgetOnErase() {
  listen({ onErase: () => sessionLog.clear() });
}
