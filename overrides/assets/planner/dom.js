// Small DOM and date helpers shared by the planner's modules. Every text goes in with textContent (or
// as a Text node): nothing the person typed, nothing from a file, is ever parsed as HTML.

export function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "text") el.textContent = v;
    else if (k === "class") el.className = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const kid of kids.flat(Infinity)) {
    if (kid === null || kid === undefined || kid === false) continue;
    el.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
  }
  return el;
}

/** Today in the reader's own calendar (not UTC): the day the plan is computed for. */
export function todayISO(now = new Date()) {
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}`;
}

/** `iso` moved by {years|months|weeks|days: n}, as planner.dates.shift does (the 31st plus a month is the
 * last day of the next month): a date limit of the form model, relative to the reader's today. */
export function shiftISO(iso, delta) {
  let [y, m, d] = iso.split("-").map(Number);
  let days = 0;
  for (const [unit, n] of Object.entries(delta || {})) {
    if (unit === "years" || unit === "months") {
      const month = y * 12 + (m - 1) + n * (unit === "years" ? 12 : 1);
      [y, m] = [Math.floor(month / 12), (month % 12) + 1];
      d = Math.min(d, new Date(Date.UTC(y, m, 0)).getUTCDate());
    } else days += n * (unit === "weeks" ? 7 : 1);
  }
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h("a", { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(url); a.remove(); }, 1000);
}

/** The attributes of an element showing message `m`: French and left to right while not translated. */
export function langOf(r, m) {
  const fr = !r.translated(m);
  return { lang: fr ? "fr" : null, dir: fr ? "ltr" : null };
}

/** The message's nodes: in the page's language, or wholly French (its dates too) while not translated. */
function nodesOf(r, m) {
  return (r.translated(m) ? r : r.fr).nodes(m);
}

/** A message (a Renderer's message object) in a new element. */
export function say(r, tag, m, attrs = {}) {
  return h(tag, { ...attrs, ...langOf(r, m) }, nodesOf(r, m));
}

/** One of the widget's own words in a new element. */
export function word(r, tag, key, attrs = {}, params = {}, n = undefined) {
  return say(r, tag, r.ui(key, params, n), attrs);
}

/** `el` now shows message `m` (its language marked as say() does). */
export function put(el, r, m) {
  const { lang, dir } = langOf(r, m);
  if (lang) { el.lang = lang; el.dir = dir; } else { el.removeAttribute("lang"); el.removeAttribute("dir"); }
  el.replaceChildren(nodesOf(r, m));
  return el;
}
